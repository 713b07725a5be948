package service_test

import (
	"bytes"
	"slices"
	"strings"
	"testing"

	"github.com/praxis-isms/praxis/internal/isms"
	"github.com/praxis-isms/praxis/internal/service"
)

// editedRegister is the seeded register exported as CSV and edited as a person would in Excel: R-001's title
// changed, R-002 given to another owner by name (owner_ref emptied), R-003 untouched, and a new row with a
// legacy id whose residual score is above its inherent score.
func editedRegister(t *testing.T, e *env, o riskOrg) string {
	t.Helper()
	return csvEdit(t, exportRisksFile(t, e, o.Ctx("viewer"), "csv"), func(recs [][]string) [][]string {
		h := recs[0]
		recs[1][column(t, h, "title")] = "Unreviewed code reaches production"
		recs[2][column(t, h, "owner_ref")], recs[2][column(t, h, "owner")] = "", "Eddie Editor"
		row := make([]string, len(h))
		for name, v := range map[string]string{"title": "Laptop stolen from a car", "likelihood": "2", "impact": "2", "treatment": "modify",
			"residual_likelihood": "3", "residual_impact": "3", "owner": "Olga Other", "controls": "7.9; A.8.1", "external_ref": "RSK-77"} {
			row[column(t, h, name)] = v
		}
		return append(recs, row)
	})
}

// An exported risk register edited as in Excel imports back in place: the preview says what would happen and
// writes nothing; the import updates the two edited risks (new version, history only for a reassessment, an
// "update" audit event with before and after), adds the new row with its legacy id, leaves the untouched row (and
// its acceptance) alone, and warns about the new row's residual score, by line.
func TestRiskImportUpdatesInPlace(t *testing.T) {
	eachEngine(t, func(t *testing.T, e *env) {
		o := newRiskOrg(t, e, "Acme")
		seedRegister(t, e, o)
		ctx := o.Ctx("editor")
		file := editedRegister(t, e, o)
		trailBefore := len(trail(t, e, orgID(o.Org)))

		preview, err := e.svc.PreviewRiskImport(ctx, "csv", strings.NewReader(file))
		ok(t, err)
		if counts(preview) != [3]int{1, 2, 1} || !preview.DryRun || len(preview.Warnings) != 1 || !strings.HasPrefix(preview.Warnings[0], "line 6: the residual score 9") {
			t.Fatalf("preview %+v", preview)
		}
		if n := len(trail(t, e, orgID(o.Org))); n != trailBefore || len(listAllRisks(t, e, ctx)) != 3 || getRisk(t, e, ctx, "R-001").Version != 1 {
			t.Fatal("the preview wrote")
		}

		res, err := e.svc.ImportRisks(ctx, "csv", strings.NewReader(file))
		ok(t, err)
		if counts(res) != [3]int{1, 2, 1} || res.DryRun || !slices.Equal(res.Refs, []string{"R-004"}) || len(res.Warnings) != 1 {
			t.Fatalf("import %+v", res)
		}
		r1, r2, r3, r4 := getRisk(t, e, ctx, "R-001"), getRisk(t, e, ctx, "R-002"), getRisk(t, e, ctx, "R-003"), getRisk(t, e, ctx, "R-004")
		if r1.Title != "Unreviewed code reaches production" || r1.Version != 2 || len(r1.History) != 1 || len(r1.Controls) != 3 || len(r1.Assets) != 2 {
			t.Errorf("R-001 %+v", r1.Risk)
		}
		if r2.Owner != o.editorPerson || r2.Version != 2 {
			t.Errorf("R-002 owner %s version %d", r2.Owner, r2.Version)
		}
		if r3.Version != 2 || r3.AcceptedAt == nil { // version 2 from its acceptance, as before the import
			t.Errorf("R-003 version %d, accepted %v", r3.Version, r3.AcceptedAt)
		}
		if r4.ExternalRef != "RSK-77" || r4.Owner != o.otherPerson || !slices.Equal(r4.Controls, []string{"7.9", "8.1"}) || r4.ResidualScore != 9 ||
			len(r4.History) != 1 || r4.History[0].Note != "imported from csv" {
			t.Errorf("R-004 %+v", r4.Risk)
		}
		var actions []string
		for _, ev := range trail(t, e, orgID(o.Org))[trailBefore:] {
			actions = append(actions, ev.Action+" "+ev.Ref)
			if ev.Action == "update" && (len(ev.Before) == 0 || len(ev.After) == 0) {
				t.Errorf("update of %s without before and after", ev.Ref)
			}
		}
		if strings.Join(actions, ",") != "create R-004,update R-001,update R-002" {
			t.Errorf("audit events %q", actions)
		}
		if n := len(listAllRisks(t, e, ctx)); n != 4 {
			t.Errorf("%d risks after the import, want 4", n)
		}

		// A reassessment through the import is in the risk's history and withdraws the acceptance of what it changes
		// (R-003's accepted residual risk).
		reassessed := csvEdit(t, exportRisksFile(t, e, o.Ctx("viewer"), "csv"), func(recs [][]string) [][]string {
			recs[3][column(t, recs[0], "residual_impact")] = "1"
			return recs[:4]
		})
		res, err = e.svc.ImportRisks(ctx, "csv", strings.NewReader(reassessed))
		ok(t, err)
		r3 = getRisk(t, e, ctx, "R-003")
		if counts(res) != [3]int{0, 1, 2} || r3.ResidualScore != 1 || r3.AcceptedAt != nil || len(r3.History) != 2 || r3.History[0].Note != "reassessed by an import from csv" {
			t.Errorf("reassessed %+v: R-003 %+v, history %+v", res, r3.Risk, r3.History)
		}
	})
}

// Bad rows are all reported by line (of the file: R-001's description holds a line break), and nothing is written: a stale version, an ISO 27001:2013 control id (with
// the 2022 controls it became), an unknown owner, a ref of no risk.
func TestRiskImportRefusesBadRows(t *testing.T) {
	eachEngine(t, func(t *testing.T, e *env) {
		o := newRiskOrg(t, e, "Acme")
		seedRegister(t, e, o)
		ctx := o.Ctx("editor")
		file := editedRegister(t, e, o)
		r1 := getRisk(t, e, ctx, "R-001")
		_, err := e.svc.UpdateRisk(ctx, "R-001", service.RiskInput{Title: "Changed meanwhile", Likelihood: r1.Likelihood, Impact: r1.Impact,
			Treatment: r1.Treatment, Owner: r1.Owner, Version: r1.Version})
		ok(t, err)
		bad := csvEdit(t, []byte(file), func(recs [][]string) [][]string {
			h := recs[0]
			recs[2][column(t, h, "controls")] = "A.12.6.1; 5.1; A.5.1.1"
			recs[3][column(t, h, "owner_ref")], recs[3][column(t, h, "owner")] = "", "Nobody Known"
			recs[4][column(t, h, "ref")] = "R-099"
			return recs
		})
		trailBefore := len(trail(t, e, orgID(o.Org)))
		for _, dry := range []bool{true, false} {
			run := e.svc.ImportRisks
			if dry {
				run = e.svc.PreviewRiskImport
			}
			_, err = run(ctx, "csv", strings.NewReader(bad))
			want := []string{
				"line 2: version: R-001 was exported at version 1 but is at version 2 now: someone changed it since; export again and redo the edit",
				"line 4: controls: A.12.6.1 is an ISO 27001:2013 control; it became 8.8 in 2022",
				"line 4: controls: A.5.1.1 is an ISO 27001:2013 control; it became 5.1 in 2022",
				`line 5: owner: no person "Nobody Known"`,
				"line 6: ref: no risk R-099 in this organisation: leave ref empty to add the row as a new risk",
			}
			if got := problemsOf(t, err); strings.Join(got, "\n") != strings.Join(want, "\n") {
				t.Errorf("dry run %v:\n%s\nwant\n%s", dry, strings.Join(got, "\n"), strings.Join(want, "\n"))
			}
		}
		if n := len(trail(t, e, orgID(o.Org))); n != trailBefore || len(listAllRisks(t, e, ctx)) != 3 || getRisk(t, e, ctx, "R-002").Version != 1 {
			t.Error("a refused import wrote")
		}
		wantKind(t, func() error { _, err := e.svc.ImportRisks(o.Ctx("viewer"), "csv", strings.NewReader(file)); return err }(), isms.KindForbidden, "viewer")
	})
}

// A legacy id column, found by its header, is kept as the external reference and exported again; it is not
// reported as ignored. Rows of a CSV longer than one batch are all imported, with references in file order.
func TestRiskImportKeepsLegacyIDs(t *testing.T) {
	eachEngine(t, func(t *testing.T, e *env) {
		o := newRiskOrg(t, e, "Acme")
		ctx := o.Ctx("editor")
		var b bytes.Buffer
		b.WriteString("Legacy ID,Risk,Probability,Consequence,Treatment option,Colour\n")
		const n = 2100
		for i := range n {
			b.WriteString("OLD-" + strings.Repeat("9", i%3+1) + ",Risk " + string(rune('a'+i%26)) + ",2,3,mitigate,red\n")
		}
		res, err := e.svc.ImportRisks(ctx, "csv", &b)
		ok(t, err)
		if res.Added != n || res.Refs[0] != "R-001" || res.Refs[n-1] != "R-2100" || strings.Join(res.Ignored, ",") != "Colour" {
			t.Fatalf("import: added %d, ignored %q", res.Added, res.Ignored)
		}
		if r := getRisk(t, e, ctx, "R-002"); r.ExternalRef != "OLD-99" || r.Treatment != isms.TreatModify {
			t.Errorf("R-002 %+v", r.Risk)
		}
		recs := csvEdit(t, exportRisksFile(t, e, o.Ctx("viewer"), "csv"), func(recs [][]string) [][]string { return recs[:2] })
		if !strings.Contains(recs, ",OLD-9,1\n") {
			t.Errorf("export does not carry the legacy id: %s", recs)
		}
	})
}

// A file with only some columns (the required ones among them) changes only those: the risk's other fields,
// owner, links and acceptance stay as saved, and so do an asset's.
func TestImportKeepsColumnsTheFileLacks(t *testing.T) {
	eachEngine(t, func(t *testing.T, e *env) {
		o := newRiskOrg(t, e, "Acme")
		seedRegister(t, e, o)
		ctx := o.Ctx("editor")
		before := getRisk(t, e, ctx, "R-001")
		res, err := e.svc.ImportRisks(ctx, "csv", strings.NewReader("ref,title,likelihood,impact,treatment\n"+
			"R-001,Renamed,4,5,modify\nR-003,=Überschwemmung im Büro,1,2,retain\n"))
		ok(t, err)
		after := getRisk(t, e, ctx, "R-001")
		want := before.Risk
		want.Title, want.Version, want.UpdatedAt = "Renamed", 2, after.UpdatedAt
		if counts(res) != [3]int{0, 1, 1} || !sameRisk(after.Risk, want) || after.Description != before.Description || after.Version != 2 {
			t.Errorf("import %+v\n got %+v\nwant %+v", res, after.Risk, want)
		}
		if r3 := getRisk(t, e, ctx, "R-003"); r3.AcceptedAt == nil || r3.Version != 2 {
			t.Errorf("R-003 %+v", r3.Risk)
		}
		_, err = e.svc.ImportAssets(ctx, "csv", strings.NewReader("ref,name,type,location\nA-001,Source code,software,Basement\n"))
		ok(t, err)
		a, err := e.svc.Asset(ctx, "A-001")
		ok(t, err)
		if a.Location != "Basement" || a.Owner == "" || a.Classification != "confidential" || a.Version != 2 {
			t.Errorf("A-001 %+v", a)
		}
	})
}
