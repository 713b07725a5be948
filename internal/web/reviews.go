package web

import (
	"context"
	"io"
	"net/http"
	"net/url"

	"github.com/praxis-isms/praxis/internal/isms"
	"github.com/praxis-isms/praxis/internal/service"
)

// ReviewMore is what a review's page shows beyond the review (RegisterRow.Extra): its inputs, its actions and their choices.
type ReviewMore struct {
	Inputs          isms.ReviewInputs
	Actions         []isms.ReviewAction
	Kinds, Statuses []string
	Sections        []isms.ReviewSection // the inputs (key and title), in order, for the notes
}

// reviewRoutes registers the management reviews (clause 9.3).
func (h *Handler) reviewRoutes() {
	p := h.reviewPages()
	h.mux.HandleFunc("GET /reviews", p.list)
	h.mux.HandleFunc("POST /reviews", p.add)
	h.mux.HandleFunc("GET /reviews/{ref}", p.show)
	h.mux.HandleFunc("POST /reviews/{ref}", p.update)
	h.mux.HandleFunc("POST /reviews/{ref}/delete", p.delete)
	h.mux.HandleFunc("POST /reviews/{ref}/hold", p.action(func(r *http.Request, ref string) (string, error) {
		rv, err := h.svc.HoldReview(r.Context(), ref, r.PostForm.Get("held_on"), formInt(r.PostForm.Get("version")))
		return rv.Ref + " is held: its inputs are frozen.", err
	}))
	h.mux.HandleFunc("POST /reviews/{ref}/actions", p.action(func(r *http.Request, ref string) (string, error) {
		in := formInput[service.ReviewActionInput](r.PostForm)
		in.Review = ref
		a, err := h.svc.AddReviewAction(r.Context(), in)
		return a.Ref + " is added.", err
	}))
	h.mux.HandleFunc("POST /reviews/{ref}/actions/{action}", p.action(func(r *http.Request, ref string) (string, error) {
		a, err := h.svc.PatchReviewAction(r.Context(), r.PathValue("action"), service.ReviewActionInput{Status: r.PostForm.Get("status"),
			Version: formInt(r.PostForm.Get("version")), Sent: service.SentOf("status")})
		return a.Ref + " is " + a.Status + ".", err
	}))
	for _, f := range service.DocumentExportFormats {
		h.mux.HandleFunc("GET /reviews/{ref}/minutes."+f, func(w http.ResponseWriter, r *http.Request) {
			ref := r.PathValue("ref")
			h.downloadAs(w, r, ref+"-minutes", f, map[string]string{"md": "text/markdown; charset=utf-8", "pdf": "application/pdf"}[f],
				func(w io.Writer) error { return h.svc.ReviewMinutes(r.Context(), ref, f, w) })
		})
	}
}

// reviewInput reads the review form: the fields by JSON name and a note per input (note-<section>).
func reviewInput(f url.Values) service.ReviewInput {
	in := formInput[service.ReviewInput](f)
	in.InputNotes = map[string]string{}
	for _, k := range isms.ReviewSectionKeys {
		if v, ok := f["note-"+k]; ok {
			in.InputNotes[k] = v[0]
		}
	}
	return in
}

// reviewForm fills the edit form from a saved review.
func reviewForm(r isms.Review) url.Values {
	v := formValues(&r)
	for k, note := range r.InputNotes {
		v.Set("note-"+k, note)
	}
	return v
}

// noteSections are the inputs a note may be taken against, in order.
var noteSections = func() []isms.ReviewSection {
	var out []isms.ReviewSection
	for _, k := range isms.ReviewSectionKeys {
		out = append(out, isms.ReviewSection{Key: k, Title: isms.ReviewSectionTitles[k]})
	}
	return out
}()

func (h *Handler) reviewPages() registerPages[isms.Review, service.ReviewInput, service.ReviewFilter] {
	return registerPages[isms.Review, service.ReviewInput, service.ReviewFilter]{h: h, path: "/reviews",
		listPage: "reviews", rowPage: "review", title: "Management reviews", nav: "improvement", tabs: improvementTabs,
		choices:  isms.ReviewStatuses,
		parse:    func(q url.Values) (service.ReviewFilter, error) { return service.ReviewRegister.Parse("q", q.Get) },
		values:   func(f service.ReviewFilter) url.Values { return service.ReviewRegister.Values("q", f) },
		filtered: service.ReviewRegister.Filtered,
		personOf: func(service.ReviewFilter) string { return "" }, // the add form picks a chair
		holder:   func(r isms.Review) (string, string) { return r.Chair, r.ChairName },
		label:    func(r isms.Review) string { return r.Ref + " " + r.Title },
		lister:   unwarned(h.svc.ListReviews),
		extra: func(ctx context.Context, r isms.Review) (any, error) {
			rec, err := h.svc.ReviewRecord(ctx, r.Ref)
			return ReviewMore{Inputs: rec.Inputs, Actions: rec.Actions, Kinds: isms.ReviewActionKinds, Statuses: isms.ReviewActionStatuses,
				Sections: noteSections}, err
		},
		get: h.svc.Review, addRow: h.svc.AddReview, updateRow: h.svc.UpdateReview, deleteRow: h.svc.DeleteReview,
		input: reviewInput, form: reviewForm,
	}
}
