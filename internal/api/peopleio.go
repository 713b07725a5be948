package api

import (
	"bytes"
	"context"
	"io"

	"github.com/danielgtaylor/huma/v2"

	"github.com/praxis-isms/praxis/internal/service"
)

// DryRunQuery asks an import for a check only: what it would add, update and leave unchanged.
type DryRunQuery struct {
	DryRun bool `query:"dry_run" doc:"check the file and answer what the import would do (added, updated, unchanged, ignored columns) without writing anything"`
}

// PersonQuery filters the people register; the enum values come from the declaration (filterEnums).
type PersonQuery struct {
	Search     string `query:"search" doc:"Name, email or job title contains" maxLength:"200"`
	Department string `query:"department" maxLength:"100"`
	Team       string `query:"team" maxLength:"100"`
	Manager    string `query:"manager" doc:"Only the people this person manages (reference, P-001)" maxLength:"40"`
	Employment string `query:"employment"`
	Leavers    string `query:"leavers" doc:"left: the end date has passed; current: it has not; open-access: left with a membership or API token still open"`
	Screened   string `query:"screened" doc:"yes: screening recorded; no: not screened" enum:"yes,no"`
	Terms      string `query:"terms" doc:"yes: terms signed; no: terms missing" enum:"yes,no"`
	Sort       string `query:"sort" doc:"name, ref, department or team; prefix - for descending" maxLength:"100"`
}

func (q PersonQuery) filter() service.PersonFilter {
	return service.PersonFilter{Search: q.Search, Department: q.Department, Team: q.Team, Manager: q.Manager, Employment: q.Employment,
		Leavers: q.Leavers, Screened: q.Screened, Terms: q.Terms, Sort: q.Sort}
}

// registerImport is the handler of a register's import: the file, then the import or, with dry_run, its preview.
func registerImport(run, preview func(ctx context.Context, format string, r io.Reader) (service.ImportResult, error)) func(context.Context, *struct {
	ImportQuery
	DryRunQuery
}) (*Body[service.ImportResult], error) {
	return func(ctx context.Context, in *struct {
		ImportQuery
		DryRunQuery
	}) (*Body[service.ImportResult], error) {
		format, err := importFormat(&in.ImportQuery)
		if err != nil {
			return nil, err
		}
		do := run
		if in.DryRun {
			do = preview
		}
		res, err := do(ctx, format, bytes.NewReader(in.RawBody))
		if err != nil {
			return nil, importProblem(err)
		}
		return body(res), nil
	}
}

// peopleFileRoutes are the import and export of the people register.
func (a *API) peopleFileRoutes() {
	op(a, importOperation("import-people", "/people/import", "Import people from CSV or XLSX (a row with a ref updates that person)", "People"),
		registerImport(a.svc.ImportPeople, a.svc.PreviewPeopleImport))
	op(a, exportOperation("export-people", "/people/export", "Download the people register as CSV, XLSX or PDF", "People"),
		func(ctx context.Context, in *struct {
			ExportQuery
			PersonQuery
		}) (*huma.StreamResponse, error) {
			f := in.PersonQuery.filter()
			// Check access and the filter before the 200 goes out.
			if _, err := a.svc.ListPeople(ctx, f, service.Page{Limit: 1}); err != nil {
				return nil, err
			}
			return stream("people", in.Format, func(w io.Writer) error { return a.svc.ExportPeople(ctx, f, in.Format, w) }), nil
		})
	filterEnums(a, service.PeopleRegister, "/people", "/people/export")
}
