package service_test

import (
	"bytes"
	"context"
	"encoding/csv"
	"os"
	"slices"
	"strings"
	"testing"

	"github.com/praxis-isms/praxis/internal/catalog"
	"github.com/praxis-isms/praxis/internal/export/table"
	"github.com/praxis-isms/praxis/internal/isms"
	"github.com/praxis-isms/praxis/internal/service"
	"github.com/praxis-isms/praxis/internal/testutil"
	"github.com/xuri/excelize/v2"
)

// soa2013 is a 2013 SoA as an organisation keeps it: all 114 controls, ids as "A 5.1.1" and "a.06.01.02",
// applicability as Yes, Y, TRUE, 1, N, false, statuses as "Fully implemented" or "In progress", a title and an
// owner column the import does not read, and five exclusions, three of which disagree with the other sources of
// their 2022 control (5.14, 7.10, 7.2).
func soa2013(t *testing.T) []byte {
	t.Helper()
	b, err := os.ReadFile("testdata/soa-2013.csv")
	ok(t, err)
	return b
}

// conflicts2013 are the 2022 controls whose 2013 sources disagree in soa2013.
var conflicts2013 = []string{"5.14", "7.10", "7.2"}

// asXLSX is the same file as a workbook, every cell as text.
func asXLSX(t *testing.T, file []byte) []byte {
	t.Helper()
	recs, err := csv.NewReader(bytes.NewReader(file)).ReadAll()
	ok(t, err)
	sheet := &table.Sheet{Name: "SoA 2013", Title: "SoA"}
	for _, h := range recs[0] {
		sheet.Columns = append(sheet.Columns, table.Column{Header: h, Width: 20})
	}
	sheet.Rows = func(emit func(table.Row) error) error {
		for _, rec := range recs[1:] {
			row := make(table.Row, len(rec))
			for i, v := range rec {
				row[i] = v
			}
			if err := emit(row); err != nil {
				return err
			}
		}
		return nil
	}
	var out bytes.Buffer
	ok(t, table.WriteXLSX(&out, sheet))
	return out.Bytes()
}

// The "done when": the 2013 SoA becomes a complete 2022 draft whose open decisions are exactly the
// new and the conflicting controls, from CSV and XLSX alike.
func TestTransitionImportMakesTheDraft(t *testing.T) {
	cat := catalog.MustLoad()
	var want []string
	for _, c := range cat.Controls() {
		if c.NewIn2022 || slices.Contains(conflicts2013, c.ID) {
			want = append(want, c.ID)
		}
	}
	for _, format := range []string{"csv", "xlsx"} {
		t.Run(format, func(t *testing.T) {
			eachEditor(t, func(t *testing.T, e *env, o testutil.Org, ctx context.Context) {
				file := soa2013(t)
				if format == "xlsx" {
					file = asXLSX(t, file)
				}
				res, err := e.svc.ImportTransition(ctx, format, bytes.NewReader(file), service.TransitionImportInput{})
				ok(t, err)
				c := res.Counts
				if c.Rows != 114 || c.New != 11 || c.Conflict != 3 || c.Kept != 0 || c.Unanswered != 0 || c.Taken+c.Merged != 93-14 || c.Saved != 79 || c.Marked != 14 {
					t.Fatalf("counts %+v", c)
				}
				if !slices.Contains(res.Ignored, "Control title") || !slices.Contains(res.Ignored, "Owner (department)") {
					t.Errorf("ignored columns %q", res.Ignored)
				}
				st, err := e.svc.TransitionStatus(ctx)
				ok(t, err)
				var open []string
				for _, it := range st.Open() {
					open = append(open, it.Control)
				}
				if !slices.Equal(open, want) || st.Marked != 14 || st.Decided != 0 {
					t.Fatalf("open decisions %v (marked %d, decided %d), want %v", open, st.Marked, st.Decided, want)
				}
				soa, err := e.svc.SoA(ctx, service.SoAFilter{})
				ok(t, err)
				if soa.Summary.Decided != 79 {
					t.Errorf("decided entries %d, want 79", soa.Summary.Decided)
				}
				// One source takes its answers: an exclusion with its reason.
				e830, err := e.svc.SoAEntry(ctx, "8.30")
				ok(t, err)
				if e830.Applicability() != "no" || !strings.Contains(e830.Justification, "not outsourced") {
					t.Errorf("8.30 %s %q", e830.Applicability(), e830.Justification)
				}
				// Merged: both justifications, each under its 2013 id; the least advanced status.
				e51, err := e.svc.SoAEntry(ctx, "5.1")
				ok(t, err)
				if e51.Applicability() != "yes" || !strings.Contains(e51.Justification, "A.5.1.1: Selected") || !strings.Contains(e51.Justification, "A.5.1.2: Selected") || e51.Status != isms.SoAImplemented {
					t.Errorf("5.1 %s %q %s", e51.Applicability(), e51.Justification, e51.Status)
				}
				// A conflict shows both answers and stays undecided.
				for _, it := range st.Controls {
					if it.Control == "7.2" && (it.Entry.Decided() || !strings.Contains(it.Note, "A.11.1.6 says not applicable") || !strings.Contains(it.Note, "A.11.1.2 says applicable")) {
						t.Errorf("7.2 %+v", it)
					}
				}
			})
		})
	}
}

// Deciding a marked control on its SoA entry counts in the workspace's progress.
func TestTransitionProgressFollowsTheSoA(t *testing.T) {
	eachEditor(t, func(t *testing.T, e *env, o testutil.Org, ctx context.Context) {
		_, err := e.svc.ImportTransition(ctx, "csv", bytes.NewReader(soa2013(t)), service.TransitionImportInput{})
		ok(t, err)
		entry, err := e.svc.SoAEntry(ctx, "5.7")
		ok(t, err)
		yes := true
		_, err = e.svc.SetSoAEntry(ctx, "5.7", service.SoAInput{Applicable: &yes, Justification: "We subscribe to two threat feeds.", Status: isms.SoAPartial, Version: entry.Version})
		ok(t, err)
		st, err := e.svc.TransitionStatus(ctx)
		ok(t, err)
		if st.Marked != 14 || st.Decided != 1 || len(st.Open()) != 13 {
			t.Fatalf("marked %d, decided %d, open %d", st.Marked, st.Decided, len(st.Open()))
		}
	})
}

// A file with one bad row is refused with its line number, and nothing changes: not the SoA, not the
// transition, not the audit trail.
func TestTransitionBadRowChangesNothing(t *testing.T) {
	eachEditor(t, func(t *testing.T, e *env, o testutil.Org, ctx context.Context) {
		lines := strings.Split(string(soa2013(t)), "\n")
		lines[40] = strings.Replace(lines[40], ",TRUE,", ",perhaps,", 1)
		lines[77] = strings.Replace(lines[77], lines[77][:strings.IndexByte(lines[77], ',')], "A.19.9.9", 1)
		before, err := e.svc.ListAudit(o.Ctx("admin"), service.AuditFilter{}, service.Page{})
		ok(t, err)
		_, err = e.svc.ImportTransition(ctx, "csv", strings.NewReader(strings.Join(lines, "\n")), service.TransitionImportInput{})
		wantKind(t, err, isms.KindInvalid, "bad rows")
		for _, want := range []string{`line 41: applicable: "perhaps" is not a yes or no`, `line 78: control: "A.19.9.9" is not an ISO/IEC 27001:2013 Annex A control`} {
			if !strings.Contains(err.Error(), want) {
				t.Errorf("error %v\nwant %s", err, want)
			}
		}
		soa, err := e.svc.SoA(ctx, service.SoAFilter{})
		ok(t, err)
		st, err := e.svc.TransitionStatus(ctx)
		ok(t, err)
		after, err := e.svc.ListAudit(o.Ctx("admin"), service.AuditFilter{}, service.Page{})
		ok(t, err)
		if soa.Summary.Decided != 0 || st.Imported || after.Total != before.Total {
			t.Fatalf("decided %d, imported %v, audit events %d -> %d", soa.Summary.Decided, st.Imported, before.Total, after.Total)
		}
	})
}

// Entries already decided in the 2022 SoA are kept, and reported as kept, unless the import is told to
// overwrite them; a dry run says what would happen and writes nothing.
func TestTransitionKeepsDecidedEntries(t *testing.T) {
	eachEditor(t, func(t *testing.T, e *env, o testutil.Org, ctx context.Context) {
		no := false
		entry, err := e.svc.SoAEntry(ctx, "5.1")
		ok(t, err)
		_, err = e.svc.SetSoAEntry(ctx, "5.1", service.SoAInput{Applicable: &no, Justification: "Decided in 2022 already.", Version: entry.Version})
		ok(t, err)
		dry, err := e.svc.ImportTransition(ctx, "csv", bytes.NewReader(soa2013(t)), service.TransitionImportInput{DryRun: true})
		ok(t, err)
		st, err := e.svc.TransitionStatus(ctx)
		ok(t, err)
		if !dry.DryRun || dry.Counts.Saved != 78 || dry.Counts.Kept != 1 || st.Imported {
			t.Fatalf("dry run %+v, imported %v", dry.Counts, st.Imported)
		}
		res, err := e.svc.ImportTransition(ctx, "csv", bytes.NewReader(soa2013(t)), service.TransitionImportInput{})
		ok(t, err)
		i := slices.IndexFunc(res.Controls, func(c isms.TransitionControl) bool { return c.Control == "5.1" })
		if c := res.Controls[i]; c.Action() != "kept" || !strings.Contains(c.Note, "Already decided") {
			t.Fatalf("5.1 %+v", c)
		}
		got, err := e.svc.SoAEntry(ctx, "5.1")
		ok(t, err)
		if got.Justification != "Decided in 2022 already." {
			t.Fatalf("5.1 overwritten without confirmation: %q", got.Justification)
		}
		_, err = e.svc.ImportTransition(ctx, "csv", bytes.NewReader(soa2013(t)), service.TransitionImportInput{Overwrite: true})
		ok(t, err)
		got, err = e.svc.SoAEntry(ctx, "5.1")
		ok(t, err)
		if got.Applicability() != "yes" || !strings.Contains(got.Justification, "A.5.1.1:") {
			t.Fatalf("5.1 after overwrite %s %q", got.Applicability(), got.Justification)
		}
	})
}

// Only editors import; everyone reads the status.
func TestTransitionRoles(t *testing.T) {
	e := newEnv(t, testutil.Engines[0])
	o := testutil.NewOrg(t, e.svc, "Acme")
	_, err := e.svc.ImportTransition(o.Ctx("viewer"), "csv", bytes.NewReader(soa2013(t)), service.TransitionImportInput{})
	wantKind(t, err, isms.KindForbidden, "viewer imports")
	_, err = e.svc.TransitionStatus(o.Ctx("viewer"))
	ok(t, err)
}

// The report accounts for every 2013 and every 2022 control, in each format.
func TestTransitionReportAccountsForEveryControl(t *testing.T) {
	eachEditor(t, func(t *testing.T, e *env, o testutil.Org, ctx context.Context) {
		var none bytes.Buffer
		wantKind(t, e.svc.ExportTransition(ctx, "md", &none), isms.KindNotFound, "report before an import")
		_, err := e.svc.ImportTransition(ctx, "csv", bytes.NewReader(soa2013(t)), service.TransitionImportInput{})
		ok(t, err)
		var md bytes.Buffer
		ok(t, e.svc.ExportTransition(o.Ctx("viewer"), "md", &md))
		cat := catalog.MustLoad()
		for _, c := range cat.Controls() {
			if !strings.Contains(md.String(), "\n| "+c.ID+" | ") {
				t.Errorf("2022 control %s missing from the report", c.ID)
			}
		}
		for _, c := range cat.Controls2013() {
			if !strings.Contains(md.String(), "\n| "+c.ID+" | "+c.Title+" | ") {
				t.Errorf("2013 control %s missing from the report", c.ID)
			}
		}
		if !strings.Contains(md.String(), "| 8.30 | Outsourced development | A.14.2.7 | A.14.2.7: not applicable | Takes the 2013 answer | Not applicable: Software development is not outsourced") ||
			!strings.Contains(md.String(), "| A.18.2.3 | Technical compliance review | applicable (") || !strings.Contains(md.String(), "| 5.36, 8.8 |") {
			t.Errorf("report rows:\n%s", md.String())
		}
		var x bytes.Buffer
		ok(t, e.svc.ExportTransition(ctx, "xlsx", &x))
		f, err := excelize.OpenReader(&x)
		ok(t, err)
		for sheet, want := range map[string]int{"2022 controls": 94, "2013 controls": 115, "New controls": 12} {
			rows, err := f.GetRows(sheet)
			ok(t, err)
			if len(rows) != want {
				t.Errorf("sheet %s has %d rows, want %d", sheet, len(rows), want)
			}
		}
		var p bytes.Buffer
		ok(t, e.svc.ExportTransition(ctx, "pdf", &p))
		if !bytes.HasPrefix(p.Bytes(), []byte("%PDF")) {
			t.Error("not a PDF")
		}
		if os.Getenv("TRANSITION_PDF") != "" {
			ok(t, os.WriteFile(os.Getenv("TRANSITION_PDF"), p.Bytes(), 0o644))
		}
	})
}

// Tasks and evidence that name a 2013 control follow the mapping: one that became one 2022 control is taken as
// that control; one that split is refused with the candidates named.
func TestTasksAndEvidenceFollowTheMapping(t *testing.T) {
	eachEditor(t, func(t *testing.T, e *env, o testutil.Org, ctx context.Context) {
		task, err := e.svc.AddTask(ctx, service.TaskInput{Title: "Review backups", Control: "A.12.3.1"})
		ok(t, err)
		if task.Control != "8.13" {
			t.Errorf("task control %q, want 8.13", task.Control)
		}
		_, err = e.svc.AddTask(ctx, service.TaskInput{Title: "Check compliance", Control: "A 18.2.3"})
		wantKind(t, err, isms.KindInvalid, "a split 2013 control")
		if !strings.Contains(err.Error(), "A.18.2.3 is an ISO/IEC 27001:2013 control that became 5.36 and 8.8") {
			t.Errorf("error %v", err)
		}
		ev, err := e.svc.AddEvidence(ctx, service.EvidenceInput{Title: "Backup log", Description: "Nightly", Controls: []string{"a.12.03.01, 8.28", "A.14.2.1"}})
		ok(t, err)
		if strings.Join(ev.Controls, " ") != "8.13 8.25 8.28" {
			t.Errorf("evidence controls %v", ev.Controls)
		}
		_, err = e.svc.AddEvidence(ctx, service.EvidenceInput{Title: "Compliance check", Description: "x", Controls: []string{"A.18.2.3"}})
		wantKind(t, err, isms.KindInvalid, "evidence of a split control")
	})
}
