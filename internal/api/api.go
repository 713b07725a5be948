// Package api is the REST API under /api/v1, described by an OpenAPI 3.1 document generated from the code
// (huma). Handlers are thin: decode, call the service, encode. Authentication happens in httpserver's
// middleware; authorisation in the service.
package api

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"

	"github.com/danielgtaylor/huma/v2"
	"github.com/danielgtaylor/huma/v2/adapters/humago"

	"github.com/praxis-isms/praxis/internal/isms"
	"github.com/praxis-isms/praxis/internal/reqlog"
	"github.com/praxis-isms/praxis/internal/service"
)

// Prefix is where the API lives.
const Prefix = "/api/v1"

// API serves /api/v1.
type API struct {
	svc *service.Service
	h   huma.API
	mux *http.ServeMux
	// answers are the remembered answers of the large registers' lists (see serveRemembered).
	answers answers
}

// New builds the API and registers every operation.
func New(svc *service.Service, version string) *API {
	cfg := huma.DefaultConfig("praxis API", version)
	cfg.Info.Description = "The REST API of praxis, an ISMS for ISO/IEC 27001:2022. Authenticate with `Authorization: Bearer TOKEN` " +
		"(create tokens in Settings or with `praxis token create`) or the browser session. Errors are application/problem+json."
	cfg.OpenAPIPath = "/openapi"
	cfg.DocsPath = "" // the docs renderer loads scripts from a CDN, which our CSP forbids
	cfg.SchemasPath = ""
	cfg.CreateHooks = nil              // no $schema links in every response body
	cfg.FieldsOptionalByDefault = true // a body field is required only when tagged so; the service validates the rest and names every bad field
	cfg.Components.SecuritySchemes = map[string]*huma.SecurityScheme{
		"bearer":  {Type: "http", Scheme: "bearer", Description: "An API token (prx_...)"},
		"session": {Type: "apiKey", In: "cookie", Name: "praxis_session"},
	}
	cfg.Security = []map[string][]string{{"bearer": {}}, {"session": {}}}
	mux := http.NewServeMux()
	a := &API{svc: svc, mux: mux, h: humago.NewWithPrefix(mux, Prefix, cfg)}
	a.accountRoutes()
	a.peopleRoutes()
	a.peopleFileRoutes()
	a.auditRoutes()
	a.securityRoutes()
	a.catalogRoutes()
	a.riskRoutes()
	a.soaRoutes()
	a.documentRoutes()
	a.mandatoryRoutes()
	a.methodologyRoutes()
	a.leadershipRoutes()
	a.objectiveRoutes()
	a.taskRoutes()
	a.controlRoutes()
	a.metricRoutes()
	a.improvementRoutes()
	a.contextRoutes()
	a.scopeRoutes()
	a.evidenceRoutes()
	a.trainingRoutes()
	a.correctiveRoutes()
	a.reviewRoutes()
	a.findingRoutes()
	a.certificationRoutes()
	a.internalAuditRoutes()
	a.auditorPackRoutes()
	a.lintRoutes()
	a.transitionRoutes()
	return a
}

// ServeHTTP serves the API. A path or method no route takes gets the same problem+json as every other error
// (the mux alone would answer in plain text).
func (a *API) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	h, pattern := a.mux.Handler(r)
	if pattern != "" {
		if rememberedLists[pattern] {
			a.serveRemembered(w, r, a.mux)
			return
		}
		a.mux.ServeHTTP(w, r) // (the mux, not h, fills in the path values)
		return
	}
	// Let the mux decide between 404 and 405 (it also sets Allow), then answer that status our way.
	rec := &statusOnly{header: http.Header{}}
	h.ServeHTTP(rec, r)
	if rec.status == 0 {
		rec.status = http.StatusNotFound
	}
	if allow := rec.header.Get("Allow"); allow != "" {
		w.Header().Set("Allow", allow)
	}
	writeProblem(w, rec.status, http.StatusText(rec.status)+": "+r.Method+" "+r.URL.Path+" is not part of the API (see "+Prefix+"/openapi.json)")
}

// statusOnly records the status and headers a handler writes and drops its body.
type statusOnly struct {
	header http.Header
	status int
}

func (s *statusOnly) Header() http.Header { return s.header }
func (s *statusOnly) WriteHeader(code int) {
	if s.status == 0 {
		s.status = code
	}
}
func (s *statusOnly) Write(b []byte) (int, error) {
	s.WriteHeader(http.StatusOK)
	return len(b), nil
}

// OpenAPI returns the API description (committed as a golden file and served at /api/v1/openapi.json).
func (a *API) OpenAPI() *huma.OpenAPI { return a.h.OpenAPI() }

// op registers one operation; every handler's error passes through problem so that the answer is the same
// problem+json for every route.
func op[I, O any](a *API, o huma.Operation, h func(context.Context, *I) (*O, error)) {
	if o.Errors == nil {
		o.Errors = []int{http.StatusUnauthorized, http.StatusForbidden, http.StatusNotFound, http.StatusUnprocessableEntity}
	}
	huma.Register(a.h, o, func(ctx context.Context, in *I) (*O, error) {
		out, err := h(ctx, in)
		if err != nil {
			if Status(err) >= 500 {
				reqlog.Fail(ctx, err) // the server logs it with the request id
			}
			return nil, Problem(err)
		}
		return out, nil
	})
}

// Status maps a service error to its HTTP status.
func Status(err error) int { return isms.HTTPStatus(err) }

// Problem turns a service error into a problem+json error listing every field problem, located in the body.
func Problem(err error) error { return problemIn("body", err) }

// problemIn is Problem for input that came from elsewhere than the body: "query" for a query parameter's field.
func problemIn(where string, err error) error {
	var se huma.StatusError
	if errors.As(err, &se) {
		return err
	}
	status := Status(err)
	e, ok := isms.AsError(err)
	if !ok {
		return huma.NewError(status, "internal error: the server logged the details")
	}
	details := make([]error, len(e.Fields))
	for i, f := range e.Fields {
		details[i] = &huma.ErrorDetail{Location: where + "." + f.Field, Message: f.Message}
	}
	return huma.NewError(status, e.Msg, details...)
}

// WriteProblem writes err as problem+json outside huma (middleware).
func WriteProblem(w http.ResponseWriter, err error) {
	msg := "internal error: the server logged the details"
	if e, ok := isms.AsError(err); ok {
		msg = e.Msg
	}
	writeProblem(w, Status(err), msg)
}

func writeProblem(w http.ResponseWriter, status int, detail string) {
	w.Header().Set("Content-Type", "application/problem+json")
	w.WriteHeader(status)
	b, _ := json.Marshal(huma.ErrorModel{Title: http.StatusText(status), Status: status, Detail: detail})
	w.Write(b)
}

// PageQuery is the paging every list takes.
type PageQuery struct {
	Limit  int `query:"limit" minimum:"1" maximum:"500" default:"50" doc:"Items per page"`
	Offset int `query:"offset" minimum:"0" default:"0" doc:"Items to skip"`
}

func (p PageQuery) page() service.Page { return service.Page{Limit: p.Limit, Offset: p.Offset} }

// Body wraps a response body.
type Body[T any] struct {
	Body T
}

func body[T any](v T) *Body[T] { return &Body[T]{Body: v} }

// Empty is the response of operations that answer 204.
type Empty struct{}
