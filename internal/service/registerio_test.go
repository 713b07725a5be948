package service_test

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"slices"
	"strings"
	"testing"

	"github.com/praxis-isms/praxis/internal/isms"
	"github.com/praxis-isms/praxis/internal/service"
)

// csvEdit reads a CSV export, lets edit change its records (header first) and writes it back as Excel would.
func csvEdit(t *testing.T, file []byte, edit func(recs [][]string) [][]string) string {
	t.Helper()
	recs, err := csv.NewReader(bytes.NewReader(file)).ReadAll()
	ok(t, err)
	var out bytes.Buffer
	w := csv.NewWriter(&out)
	ok(t, w.WriteAll(edit(recs)))
	return out.String()
}

// column is the index of a header in a CSV export.
func column(t *testing.T, header []string, name string) int {
	t.Helper()
	i := slices.Index(header, name)
	if i < 0 {
		t.Fatalf("no column %s in %q", name, header)
	}
	return i
}

func counts(res service.ImportResult) [3]int { return [3]int{res.Added, res.Updated, res.Unchanged} }

// An exported inventory, edited in one cell with two extra columns, imports back in place: the edited asset keeps
// its reference, goes to version 2 with an "update" audit event holding before and after, nothing is duplicated,
// the other rows are left alone and the extra columns are named as ignored. The preview says the same first and
// writes nothing. An exported XLSX imports back with every row unchanged.
func TestAssetImportRoundTrip(t *testing.T) {
	eachEngine(t, func(t *testing.T, e *env) {
		o := newRiskOrg(t, e, "Acme")
		ctx := o.Ctx("editor")
		var file bytes.Buffer
		ok(t, e.svc.ExportAssets(ctx, service.AssetFilter{Sort: "ref"}, "csv", &file))
		edited := csvEdit(t, file.Bytes(), func(recs [][]string) [][]string {
			loc := column(t, recs[0], "location")
			recs[2][loc] = "Hamburg, room 4"
			for i := range recs {
				recs[i] = append([]string{[]string{"Row no", "17", "18", "19"}[i]}, append(recs[i], []string{"Colour", "red", "", ""}[i])...)
			}
			return recs
		})
		events := len(trail(t, e, orgID(o.Org)))

		preview, err := e.svc.PreviewAssetImport(ctx, "csv", strings.NewReader(edited))
		ok(t, err)
		if counts(preview) != [3]int{0, 1, 2} || !preview.DryRun || strings.Join(preview.Ignored, ",") != "Row no,Colour" {
			t.Fatalf("preview %+v", preview)
		}
		a2, err := e.svc.Asset(ctx, "A-002")
		ok(t, err)
		if a2.Version != 1 || a2.Location != "" || len(trail(t, e, orgID(o.Org))) != events {
			t.Fatalf("the preview wrote: %+v", a2)
		}

		res, err := e.svc.ImportAssets(ctx, "csv", strings.NewReader(edited))
		ok(t, err)
		if counts(res) != [3]int{0, 1, 2} || res.DryRun || len(res.Refs) != 0 || strings.Join(res.Ignored, ",") != "Row no,Colour" {
			t.Fatalf("import %+v", res)
		}
		all, err := e.svc.ListAssets(ctx, service.AssetFilter{Sort: "ref"}, service.Page{})
		ok(t, err)
		if all.Total != 3 || all.Items[1].Ref != "A-002" || all.Items[1].Location != "Hamburg, room 4" || all.Items[1].Version != 2 ||
			all.Items[1].Owner != o.otherPerson || all.Items[1].Confidentiality != 5 || all.Items[0].Version != 1 || all.Items[2].Version != 1 {
			t.Fatalf("after the import: %+v", all.Items)
		}
		tr := trail(t, e, orgID(o.Org))
		if len(tr) != events+1 {
			t.Fatalf("%d audit events for one updated asset", len(tr)-events)
		}
		last := tr[len(tr)-1]
		var before, after isms.Asset
		ok(t, json.Unmarshal(last.Before, &before))
		ok(t, json.Unmarshal(last.After, &after))
		if last.Action != "update" || last.Ref != "A-002" || before.Location != "" || after.Location != "Hamburg, room 4" || after.Version != 2 {
			t.Fatalf("audit event %s %s: before %+v after %+v", last.Action, last.Ref, before, after)
		}

		// The same file again is stale for A-002 (exported at version 1): nothing changes.
		_, err = e.svc.ImportAssets(ctx, "csv", strings.NewReader(edited))
		got := problemsOf(t, err)
		if len(got) != 1 || !strings.HasPrefix(got[0], "line 3: version: A-002 was exported at version 1 but is at version 2 now") {
			t.Fatalf("problems %q", got)
		}

		// A row without a ref adds an asset; an unknown ref is a problem, not a new asset.
		file.Reset()
		ok(t, e.svc.ExportAssets(ctx, service.AssetFilter{Sort: "ref"}, "csv", &file))
		more := csvEdit(t, file.Bytes(), func(recs [][]string) [][]string {
			row := slices.Clone(recs[1])
			row[column(t, recs[0], "ref")], row[column(t, recs[0], "version")], row[column(t, recs[0], "name")] = "", "", "Backup tapes"
			return append(recs, row)
		})
		res, err = e.svc.ImportAssets(ctx, "csv", strings.NewReader(more))
		ok(t, err)
		if counts(res) != [3]int{1, 0, 3} || strings.Join(res.Refs, ",") != "A-004" {
			t.Fatalf("import with a new row %+v", res)
		}
		_, err = e.svc.ImportAssets(ctx, "csv", strings.NewReader("ref,name,type\nA-404,Ghost,site\nA-001,Source code,software\nA-001,Again,software\n"))
		got = problemsOf(t, err)
		want := []string{"line 2: ref: no asset A-404 in this organisation: leave ref empty to add the row as a new asset", "line 4: ref: A-001 is on line 3 already"}
		if strings.Join(got, "\n") != strings.Join(want, "\n") {
			t.Fatalf("problems\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
		}

		// Owner by reference and by name must agree, else an edit of one of the cells would be lost.
		_, err = e.svc.ImportAssets(ctx, "csv", strings.NewReader("ref,name,type,owner_ref,owner\nA-002,Customer database,information,"+o.otherPerson+",Eddie Editor\n"))
		if got := problemsOf(t, err); len(got) != 1 || !strings.HasPrefix(got[0], `line 2: owner: "Eddie Editor" is not `+o.otherPerson) {
			t.Fatalf("problems %q", got)
		}

		file.Reset()
		ok(t, e.svc.ExportAssets(ctx, service.AssetFilter{}, "xlsx", &file))
		res, err = e.svc.ImportAssets(ctx, "xlsx", &file)
		ok(t, err)
		if counts(res) != [3]int{0, 0, 4} || len(res.Ignored) != 0 {
			t.Fatalf("xlsx round trip %+v", res)
		}
	})
}

// A staff list imports into the people register (CSV and XLSX); exported, edited and imported again it updates
// the edited person in place and leaves the others alone.
func TestPeopleImport(t *testing.T) {
	eachEngine(t, func(t *testing.T, e *env) {
		o := newRiskOrg(t, e, "Acme")
		ctx := o.Ctx("editor")
		res, err := e.svc.ImportPeople(ctx, "csv", strings.NewReader("Full name,E-mail,Job title,Unit,Employee no\nAda Admin,ADA@acme.example,CISO,Security,7\nBen Build,,Developer,Engineering,8\n"))
		ok(t, err)
		if counts(res) != [3]int{2, 0, 0} || strings.Join(res.Refs, ",") != "P-003,P-004" || strings.Join(res.Ignored, ",") != "Employee no" {
			t.Fatalf("import %+v", res)
		}
		ada, err := e.svc.Person(ctx, "P-003")
		ok(t, err)
		if ada.Name != "Ada Admin" || ada.Email != "ada@acme.example" || ada.JobTitle != "CISO" || ada.Department != "Security" || ada.Version != 1 {
			t.Fatalf("P-003 = %+v", ada)
		}
		var file bytes.Buffer
		ok(t, e.svc.ExportPeople(ctx, service.PersonFilter{Sort: "ref"}, "csv", &file))
		edited := csvEdit(t, file.Bytes(), func(recs [][]string) [][]string {
			recs[4][column(t, recs[0], "job_title")] = "Lead developer" // P-004
			return recs
		})
		preview, err := e.svc.PreviewPeopleImport(ctx, "csv", strings.NewReader(edited))
		ok(t, err)
		if counts(preview) != [3]int{0, 1, 3} {
			t.Fatalf("preview %+v", preview)
		}
		res, err = e.svc.ImportPeople(ctx, "csv", strings.NewReader(edited))
		ok(t, err)
		ben, err := e.svc.Person(ctx, "P-004")
		ok(t, err)
		if counts(res) != [3]int{0, 1, 3} || ben.JobTitle != "Lead developer" || ben.Version != 2 {
			t.Fatalf("import %+v, P-004 = %+v", res, ben)
		}
		l, err := e.svc.ListPeople(ctx, service.PersonFilter{}, service.Page{})
		ok(t, err)
		if l.Total != 4 {
			t.Fatalf("%d people after importing the export again", l.Total)
		}
		file.Reset()
		ok(t, e.svc.ExportPeople(ctx, service.PersonFilter{}, "xlsx", &file))
		res, err = e.svc.ImportPeople(ctx, "xlsx", &file)
		ok(t, err)
		if counts(res) != [3]int{0, 0, 4} {
			t.Fatalf("xlsx round trip %+v", res)
		}
		file.Reset()
		ok(t, e.svc.ExportPeople(ctx, service.PersonFilter{Department: "Security"}, "pdf", &file))
		text := pdfText(t, file.Bytes())
		for _, w := range []string{"People", "Ada Admin", `department is "Security"`, "name, A to Z"} {
			if !bytes.Contains(text, utf16BE(w)) {
				t.Errorf("the people PDF does not say %q", w)
			}
		}
		if bytes.Contains(text, utf16BE("Lead developer")) {
			t.Error("the people PDF ignores its filter")
		}
		_, err = e.svc.ImportPeople(ctx, "csv", strings.NewReader("name,email,start_date\n,not-mail,2024-13-01\n"))
		got := problemsOf(t, err)
		want := []string{"line 2: name: is required", "line 2: email: must be an email address", "line 2: start_date: must be a date as YYYY-MM-DD"}
		if strings.Join(got, "\n") != strings.Join(want, "\n") {
			t.Fatalf("problems\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
		}
		_, err = e.svc.ImportPeople(o.Ctx("viewer"), "csv", strings.NewReader("name\nX\n"))
		wantKind(t, err, isms.KindForbidden, "a viewer imports people")
	})
}
