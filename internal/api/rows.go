package api

import (
	"context"
	"io"
	"net/http"
	"strings"

	"github.com/danielgtaylor/huma/v2"

	"github.com/praxis-isms/praxis/internal/service"
)

// The routes of one row of a register built on the kit: every register's API door uses rowRoutes.

// RefPath names a row of a register in the URL.
type RefPath struct {
	Ref string `path:"ref" doc:"Reference or id"`
}

// rowOps are the service methods behind the routes of one row of a register (rowRoutes).
type rowOps[T, In any] struct {
	get           func(ctx context.Context, ref string) (T, error)
	add           func(ctx context.Context, in In) (T, error) // nil: rows are added elsewhere (requirements: under their party)
	update, patch func(ctx context.Context, ref string, in In) (T, error)
	delete        func(ctx context.Context, ref string) error
	// imp, when set, is the register's import (its export, edited), writing nothing with dryRun: POST path/import.
	imp func(ctx context.Context, format string, r io.Reader, dryRun bool) (service.ImportResult, error)
	// plural names the rows in the import's summary ("interested parties"); default what+"s".
	plural string
	// a is the row with its aRow ("an issue"; default "a "+what); shows and deletes, when set, replace the
	// summaries of show and delete where they say more ("Delete an interested party and its requirements").
	a, shows, deletes string
}

func orDefault(s, def string) string {
	if s == "" {
		return def
	}
	return s
}

// rowRoutes registers show, add, update (PUT), change (PATCH) and delete of a register's rows under path
// ("/roles"), naming a row what ("role") in operation ids and summaries.
func rowRoutes[T, In any](a *API, path, what, tag string, ops rowOps[T, In]) {
	tags := []string{tag}
	aRow := orDefault(ops.a, "a "+what)
	op(a, huma.Operation{OperationID: "get-" + what, Method: http.MethodGet, Path: path + "/{ref}", Summary: orDefault(ops.shows, "Show "+aRow), Tags: tags},
		func(ctx context.Context, in *RefPath) (*Body[T], error) {
			x, err := ops.get(ctx, in.Ref)
			return body(x), err
		})
	if ops.imp != nil {
		plural := orDefault(ops.plural, what+"s")
		run := func(dryRun bool) func(ctx context.Context, format string, r io.Reader) (service.ImportResult, error) {
			return func(ctx context.Context, format string, r io.Reader) (service.ImportResult, error) {
				return ops.imp(ctx, format, r, dryRun)
			}
		}
		op(a, importOperation("import-"+strings.ReplaceAll(plural, " ", "-"), path+"/import",
			"Import "+plural+" from CSV or XLSX (a row with a ref updates that row, one without adds a new one)", tag), registerImport(run(false), run(true)))
	}
	if ops.add != nil {
		op(a, huma.Operation{OperationID: "add-" + what, Method: http.MethodPost, Path: path, DefaultStatus: http.StatusCreated, Summary: "Add " + aRow, Tags: tags},
			func(ctx context.Context, in *struct{ Body In }) (*Body[T], error) {
				x, err := ops.add(ctx, in.Body)
				return body(x), err
			})
	}
	op(a, huma.Operation{OperationID: "update-" + what, Method: http.MethodPut, Path: path + "/{ref}", Summary: "Update " + aRow + " (send the version you read)",
		Description: putDescription, Tags: tags, Errors: []int{401, 403, 404, 409, 422}},
		func(ctx context.Context, in *struct {
			RefPath
			Body In
		}) (*Body[T], error) {
			x, err := ops.update(ctx, in.Ref, in.Body)
			return body(x), err
		})
	op(a, huma.Operation{OperationID: "patch-" + what, Method: http.MethodPatch, Path: path + "/{ref}", Summary: "Change some fields of " + aRow + " (send the version you read)",
		Description: patchDescription, Tags: tags, Errors: []int{401, 403, 404, 409, 422}},
		func(ctx context.Context, in *struct {
			RefPath
			Body In
		}) (*Body[T], error) {
			x, err := ops.patch(ctx, in.Ref, in.Body)
			return body(x), err
		})
	op(a, huma.Operation{OperationID: "delete-" + what, Method: http.MethodDelete, Path: path + "/{ref}", DefaultStatus: http.StatusNoContent,
		Summary: orDefault(ops.deletes, "Delete "+aRow), Tags: tags, Errors: []int{401, 403, 404}},
		func(ctx context.Context, in *RefPath) (*Empty, error) {
			return &Empty{}, ops.delete(ctx, in.Ref)
		})
}

// exportRows streams a register's export named name. A one-row list first checks access and the filter: once
// the stream's 200 is out, a refusal could no longer be a 403 or a 422.
func exportRows[T, F any](ctx context.Context, name, format string, f F, list func(context.Context, F, service.Page) (T, error),
	export func(context.Context, F, string, io.Writer) error) (*huma.StreamResponse, error) {
	if _, err := list(ctx, f, service.Page{Limit: 1}); err != nil {
		return nil, err
	}
	return stream(name, format, func(w io.Writer) error { return export(ctx, f, format, w) }), nil
}
