package api

import (
	"context"
	"net/http"

	"github.com/danielgtaylor/huma/v2"

	"github.com/praxis-isms/praxis/internal/isms"
	"github.com/praxis-isms/praxis/internal/service"
	"github.com/praxis-isms/praxis/internal/store"
)

// PersonPath names a person in the URL.
type PersonPath struct {
	Ref string `path:"ref" doc:"Reference (P-001) or id"`
}

func (a *API) peopleRoutes() {
	tags := []string{"People"}
	op(a, huma.Operation{OperationID: "list-people", Method: http.MethodGet, Path: "/people", Summary: "List people (staff)", Tags: tags},
		func(ctx context.Context, in *struct {
			PageQuery
			PersonQuery
		}) (*Body[service.List[isms.Person]], error) {
			l, err := a.svc.ListPeople(ctx, in.PersonQuery.filter(), in.page())
			return body(l), err
		})
	op(a, huma.Operation{OperationID: "list-leavers-open-access", Method: http.MethodGet, Path: "/people/leavers/open-access",
		Summary: "Leavers whose account still has a membership or a working API token", Tags: tags},
		func(ctx context.Context, _ *struct{}) (*Body[[]store.OpenAccess], error) {
			l, err := a.svc.LeaversWithOpenAccess(ctx)
			return body(l), err
		})
	op(a, huma.Operation{OperationID: "get-person", Method: http.MethodGet, Path: "/people/{ref}", Summary: "Show a person", Tags: tags},
		func(ctx context.Context, in *PersonPath) (*Body[isms.Person], error) {
			p, err := a.svc.Person(ctx, in.Ref)
			return body(p), err
		})
	op(a, huma.Operation{OperationID: "add-person", Method: http.MethodPost, Path: "/people", DefaultStatus: http.StatusCreated, Summary: "Add a person", Tags: tags},
		func(ctx context.Context, in *struct{ Body service.PersonInput }) (*Body[isms.Person], error) {
			p, err := a.svc.AddPerson(ctx, in.Body)
			return body(p), err
		})
	op(a, huma.Operation{OperationID: "update-person", Method: http.MethodPut, Path: "/people/{ref}", Summary: "Update a person (send the version you read)",
		Description: putDescription, Tags: tags, Errors: []int{401, 403, 404, 409, 422}},
		func(ctx context.Context, in *struct {
			PersonPath
			Body service.PersonInput
		}) (*Body[isms.Person], error) {
			p, err := a.svc.UpdatePerson(ctx, in.Ref, in.Body)
			return body(p), err
		})
	op(a, huma.Operation{OperationID: "patch-person", Method: http.MethodPatch, Path: "/people/{ref}", Summary: "Change some fields of a person (send the version you read)",
		Description: patchDescription, Tags: tags, Errors: []int{401, 403, 404, 409, 422}},
		func(ctx context.Context, in *struct {
			PersonPath
			Body service.PersonInput
		}) (*Body[isms.Person], error) {
			p, err := a.svc.PatchPerson(ctx, in.Ref, in.Body)
			return body(p), err
		})
}

// putDescription explains every PUT of a register row.
const putDescription = "Replaces the whole record: a field left out is cleared, and a required field left out is a 422 saying " +
	"it is required. To change some fields only, use PATCH."

// patchDescription explains every PATCH of a register row.
const patchDescription = "Only the fields sent change; the others keep their saved values. `version` is required: a change made " +
	"meanwhile answers 409 and changes nothing."
