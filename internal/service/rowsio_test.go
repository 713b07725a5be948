package service_test

import (
	"bytes"
	"context"
	"encoding/csv"
	"io"
	"slices"
	"strings"
	"testing"

	"github.com/praxis-isms/praxis/internal/isms"
	"github.com/praxis-isms/praxis/internal/service"
)

// rowRegister is one of the clause 4, 5 and 6.2 registers as its import test sees it.
type rowRegister struct {
	entity string
	seed   func(ctx context.Context, e *env, person string) error // adds two rows
	export func(ctx context.Context, e *env, w io.Writer) error
	imp    func(ctx context.Context, e *env, r io.Reader, dryRun bool) (service.ImportResult, error)
	// the column edited in the first row and filled in the new one, and a value that is wrong in bad.
	edit, value, bad, badValue string
	fill                       map[string]string // the other cells of the new row
}

var rowRegisters = []rowRegister{
	{entity: "issue",
		seed: func(ctx context.Context, e *env, person string) error {
			for _, in := range []service.IssueInput{{Title: "Remote work", Kind: "internal", Owner: person}, {Title: "New law", Kind: "external"}} {
				if _, err := e.svc.AddIssue(ctx, in); err != nil {
					return err
				}
			}
			return nil
		},
		export: func(ctx context.Context, e *env, w io.Writer) error {
			return e.svc.ExportIssues(ctx, service.IssueFilter{Sort: "ref"}, "csv", w)
		},
		imp: func(ctx context.Context, e *env, r io.Reader, d bool) (service.ImportResult, error) {
			return e.svc.ImportIssues(ctx, "csv", r, d)
		},
		edit: "effect", value: "Laptops leave the office", bad: "kind", badValue: "sideways",
		fill: map[string]string{"title": "Supplier outage", "kind": "external", "owner": "Olga Other"}},
	{entity: "party",
		seed: func(ctx context.Context, e *env, _ string) error {
			for _, in := range []service.PartyInput{{Name: "Customers", Kind: "customer"}, {Name: "Regulator", Kind: "regulator"}} {
				if _, err := e.svc.AddParty(ctx, in); err != nil {
					return err
				}
			}
			return nil
		},
		export: func(ctx context.Context, e *env, w io.Writer) error {
			return e.svc.ExportParties(ctx, service.PartyFilter{Sort: "ref"}, "csv", w)
		},
		imp: func(ctx context.Context, e *env, r io.Reader, d bool) (service.ImportResult, error) {
			return e.svc.ImportParties(ctx, "csv", r, d)
		},
		edit: "description", value: "Buy our service", bad: "kind", badValue: "alien",
		fill: map[string]string{"name": "Insurer", "kind": "insurer"}},
	{entity: "role",
		seed: func(ctx context.Context, e *env, person string) error {
			for _, in := range []service.RoleInput{{Name: "Sponsor", Kind: "sponsor", Person: person}, {Name: "ISMS owner", Kind: "isms-owner"}} {
				if _, err := e.svc.AddRole(ctx, in); err != nil {
					return err
				}
			}
			return nil
		},
		export: func(ctx context.Context, e *env, w io.Writer) error {
			return e.svc.ExportRoles(ctx, service.RoleFilter{Sort: "ref"}, "csv", w)
		},
		imp: func(ctx context.Context, e *env, r io.Reader, d bool) (service.ImportResult, error) {
			return e.svc.ImportRoles(ctx, "csv", r, d)
		},
		edit: "authorities", value: "Approves the budget", bad: "person", badValue: "Nobody Known",
		fill: map[string]string{"name": "Engineering lead", "person": "olga@acme.example"}},
	{entity: "commitment",
		seed: func(ctx context.Context, e *env, person string) error {
			for _, in := range []service.CommitmentInput{{Title: "Policy approved", Date: "2026-01-10", Person: person}, {Title: "Budget", Date: "2026-02-01"}} {
				if _, err := e.svc.AddCommitment(ctx, in); err != nil {
					return err
				}
			}
			return nil
		},
		export: func(ctx context.Context, e *env, w io.Writer) error {
			return e.svc.ExportCommitments(ctx, service.CommitmentFilter{Sort: "ref"}, "csv", w)
		},
		imp: func(ctx context.Context, e *env, r io.Reader, d bool) (service.ImportResult, error) {
			return e.svc.ImportCommitments(ctx, "csv", r, d)
		},
		edit: "evidence", value: "Minutes of 10 January", bad: "date", badValue: "soon",
		fill: map[string]string{"title": "Review held", "date": "2026-03-01"}},
	{entity: "objective",
		seed: func(ctx context.Context, e *env, person string) error {
			for _, in := range []service.ObjectiveInput{{Title: "Patch in 14 days", Owner: person}, {Title: "Train everyone", Status: "on-track"}} {
				if _, err := e.svc.AddObjective(ctx, in); err != nil {
					return err
				}
			}
			return nil
		},
		export: func(ctx context.Context, e *env, w io.Writer) error {
			return e.svc.ExportObjectives(ctx, service.ObjectiveFilter{Sort: "ref"}, "csv", w)
		},
		imp: func(ctx context.Context, e *env, r io.Reader, d bool) (service.ImportResult, error) {
			return e.svc.ImportObjectives(ctx, "csv", r, d)
		},
		edit: "target", value: "95% within 14 days", bad: "risks", badValue: "R-999",
		fill: map[string]string{"title": "Phishing rate under 5%", "status": "planned", "owner_ref": "", "owner": "Olga Other"}},
}

// Each register's export, edited in one cell and given a new row, imports back: the edited row keeps its
// reference and goes to version 2 with an "update" event, the new row gets the next reference with a "create"
// event, the untouched row is left alone; the dry run says the same and writes nothing. A file with a bad row
// is refused with the row's line and field, and nothing of it is written.
func TestRowRegisterImports(t *testing.T) {
	eachEngine(t, func(t *testing.T, e *env) {
		o := newRiskOrg(t, e, "Acme")
		ctx := o.Ctx("editor")
		for _, reg := range rowRegisters {
			t.Run(reg.entity, func(t *testing.T) {
				ok(t, reg.seed(ctx, e, o.editorPerson))
				var file bytes.Buffer
				ok(t, reg.export(ctx, e, &file))
				var firstRef string
				edited := csvEdit(t, file.Bytes(), func(recs [][]string) [][]string {
					h := recs[0]
					firstRef = recs[1][column(t, h, "ref")]
					recs[1][column(t, h, reg.edit)] = reg.value
					row := make([]string, len(h))
					for name, v := range reg.fill {
						row[column(t, h, name)] = v
					}
					row[column(t, h, reg.edit)] = reg.value
					return append(recs, row)
				})
				before := len(trail(t, e, orgID(o.Org)))

				preview, err := reg.imp(ctx, e, strings.NewReader(edited), true)
				ok(t, err)
				if counts(preview) != [3]int{1, 1, 1} || len(trail(t, e, orgID(o.Org))) != before {
					t.Fatalf("preview %+v", preview)
				}
				res, err := reg.imp(ctx, e, strings.NewReader(edited), false)
				ok(t, err)
				if counts(res) != [3]int{1, 1, 1} || len(res.Refs) != 1 {
					t.Fatalf("import %+v", res)
				}
				rows := exportedRows(t, reg, ctx, e)
				if len(rows) != 3 || rows[firstRef]["version"] != "2" || rows[firstRef][reg.edit] != reg.value ||
					rows[res.Refs[0]][reg.edit] != reg.value || rows[res.Refs[0]]["version"] != "1" {
					t.Fatalf("after the import: %v", rows)
				}
				var actions []string
				for _, ev := range trail(t, e, orgID(o.Org))[before:] {
					if ev.Entity == reg.entity {
						actions = append(actions, ev.Action+" "+ev.Ref)
					}
				}
				slices.Sort(actions)
				if want := []string{"create " + res.Refs[0], "update " + firstRef}; !slices.Equal(actions, want) {
					t.Fatalf("audit %q, want %q", actions, want)
				}

				// A bad value on the second data row (line 3): refused by line and field, nothing written.
				var again bytes.Buffer
				ok(t, reg.export(ctx, e, &again))
				bad := csvEdit(t, again.Bytes(), func(recs [][]string) [][]string {
					recs[1][column(t, recs[0], reg.edit)] = "changed"
					recs[2][column(t, recs[0], reg.bad)] = reg.badValue
					return recs
				})
				before = len(trail(t, e, orgID(o.Org)))
				_, err = reg.imp(ctx, e, strings.NewReader(bad), false)
				ie, isErr := isms.AsError(err)
				if !isErr || ie.Kind != isms.KindInvalid || len(ie.Fields) != 1 || ie.Fields[0].Field != "line 3: "+reg.bad {
					t.Fatalf("bad row: %v %+v", err, ie)
				}
				if rows := exportedRows(t, reg, ctx, e); rows[firstRef][reg.edit] != reg.value || len(trail(t, e, orgID(o.Org))) != before {
					t.Fatalf("a refused file wrote: %v", rows[firstRef])
				}
			})
		}
	})
}

// exportedRows are a register's rows as its CSV export writes them, by reference and header.
func exportedRows(t *testing.T, reg rowRegister, ctx context.Context, e *env) map[string]map[string]string {
	t.Helper()
	var buf bytes.Buffer
	ok(t, reg.export(ctx, e, &buf))
	recs, err := csv.NewReader(&buf).ReadAll()
	ok(t, err)
	out := map[string]map[string]string{}
	for _, rec := range recs[1:] {
		row := map[string]string{}
		for i, h := range recs[0] {
			row[h] = rec[i]
		}
		out[row["ref"]] = row
	}
	return out
}
