package api

import (
	"bytes"
	"context"
	"net/http"
	"net/url"

	"github.com/danielgtaylor/huma/v2"

	"github.com/praxis-isms/praxis/internal/isms"
	"github.com/praxis-isms/praxis/internal/service"
)

// ReviewQuery filters the management reviews.
type ReviewQuery struct {
	Search string `query:"search" doc:"Reference, title or discussion contains" maxLength:"200"`
	Status string `query:"status" doc:"Only this status"`
	Sort   string `query:"sort" doc:"date (the default: the day held, else planned; -date for newest first), ref, title or status" maxLength:"100"`
}

// HoldBody marks a review held.
type HoldBody struct {
	HeldOn  string `json:"held_on" doc:"The day it was held, YYYY-MM-DD (default today)"`
	Version int    `json:"version" doc:"The version read"`
}

func (a *API) reviewRoutes() {
	tag := "Management reviews"
	tags := []string{tag}
	op(a, huma.Operation{OperationID: "list-reviews", Method: http.MethodGet, Path: "/reviews", Summary: "List the management reviews (clause 9.3)", Tags: tags},
		func(ctx context.Context, in *struct {
			PageQuery
			ReviewQuery
		}) (*Body[service.List[isms.Review]], error) {
			l, err := a.svc.ListReviews(ctx, service.ReviewFilter{Search: in.Search, Status: in.Status, Sort: in.Sort}, in.page())
			return body(l), err
		})
	filterEnums(a, service.ReviewRegister, "/reviews")
	rowRoutes(a, "/reviews", "review", tag, rowOps[isms.Review, service.ReviewInput]{
		a: "a management review", get: a.svc.Review, add: a.svc.AddReview, update: a.svc.UpdateReview, patch: a.svc.PatchReview,
		delete: a.svc.DeleteReview, deletes: "Delete a planned management review (a held one is a record and stays)"})
	op(a, huma.Operation{OperationID: "get-review-inputs", Method: http.MethodGet, Path: "/reviews/{ref}/inputs", Tags: tags,
		Summary:     "The inputs of a review, one section per input of clause 9.3.2",
		Description: "As frozen when the review was held; for a planned review, as the registers stand today."},
		func(ctx context.Context, in *RefPath) (*Body[isms.ReviewInputs], error) {
			x, err := a.svc.ReviewInputs(ctx, in.Ref)
			return body(x), err
		})
	op(a, huma.Operation{OperationID: "hold-review", Method: http.MethodPost, Path: "/reviews/{ref}/hold", Tags: tags,
		Summary: "Mark a review held, freezing its inputs as they stand now", Errors: []int{401, 403, 404, 409, 422}},
		func(ctx context.Context, in *struct {
			RefPath
			Body HoldBody
		}) (*Body[isms.Review], error) {
			r, err := a.svc.HoldReview(ctx, in.Ref, in.Body.HeldOn, in.Body.Version)
			return body(r), err
		})
	op(a, huma.Operation{OperationID: "list-review-actions", Method: http.MethodGet, Path: "/reviews/{ref}/actions", Tags: tags,
		Summary: "The actions a review decided (9.3.3)"},
		func(ctx context.Context, in *RefPath) (*Body[[]isms.ReviewAction], error) {
			l, err := a.svc.ReviewActionsOf(ctx, in.Ref)
			if l == nil {
				l = []isms.ReviewAction{}
			}
			return body(l), err
		})
	op(a, huma.Operation{OperationID: "add-review-action", Method: http.MethodPost, Path: "/reviews/{ref}/actions", DefaultStatus: http.StatusCreated, Tags: tags,
		Summary: "Record an action a review decided"},
		func(ctx context.Context, in *struct {
			RefPath
			Body service.ReviewActionInput
		}) (*Body[isms.ReviewAction], error) {
			r, err := a.svc.Review(ctx, in.Ref) // a review that is not there is a 404, not a field problem
			if err != nil {
				return nil, err
			}
			in.Body.Review = r.Ref
			x, err := a.svc.AddReviewAction(ctx, in.Body)
			return body(x), err
		})
	rowRoutes(a, "/review-actions", "review-action", tag, rowOps[isms.ReviewAction, service.ReviewActionInput]{
		a: "a review action", get: a.svc.ReviewAction, update: a.svc.UpdateReviewAction, patch: a.svc.PatchReviewAction, delete: a.svc.DeleteReviewAction})
	op(a, huma.Operation{OperationID: "review-minutes", Method: http.MethodGet, Path: "/reviews/{ref}/minutes", Tags: tags,
		Summary: "Download the minutes of a review as Markdown or PDF",
		Responses: map[string]*huma.Response{"200": {Description: "The file, as an attachment", Content: map[string]*huma.MediaType{
			"text/markdown": {Schema: &huma.Schema{Type: huma.TypeString}}, mediaPDF: {Schema: &huma.Schema{Type: huma.TypeString, Format: "binary"}}}}}},
		func(ctx context.Context, in *struct {
			RefPath
			Format string `query:"format" enum:"md,pdf" default:"md" doc:"md or pdf"`
		}) (*huma.StreamResponse, error) {
			var buf bytes.Buffer // minutes are small: written whole first, so that an error is still a problem answer
			if err := a.svc.ReviewMinutes(ctx, in.Ref, in.Format, &buf); err != nil {
				return nil, err
			}
			media := map[string]string{"md": "text/markdown; charset=utf-8", "pdf": mediaPDF}[in.Format]
			return &huma.StreamResponse{Body: func(hctx huma.Context) {
				hctx.SetHeader("Content-Type", media)
				hctx.SetHeader("Content-Disposition", "attachment; filename*=UTF-8''"+url.PathEscape(in.Ref)+"-minutes."+in.Format)
				hctx.BodyWriter().Write(buf.Bytes())
			}}, nil
		})
}
