package web

import (
	"context"
	"encoding/json"
	"net/http"
	"strings"

	"github.com/praxis-isms/praxis/internal/isms"
	"github.com/praxis-isms/praxis/internal/reqlog"
	"github.com/praxis-isms/praxis/internal/service"
)

// pickerLimit is the most choices a drop-down or check list shows. Above it a text field with suggestions
// takes its place: a page never loads a whole large register, and a value the list would leave out is never lost.
const pickerLimit = 300

// suggestLimit is the most suggestions one answer of a suggest endpoint holds.
const suggestLimit = 20

// pickerRoutes registers the suggestions the text fields of large pickers ask for while the user types.
func (h *Handler) pickerRoutes() {
	h.mux.HandleFunc("GET /people/suggest", h.suggestPeople)
	h.mux.HandleFunc("GET /assets/suggest", h.suggestAssets)
}

// Picker chooses people or assets: a list of options while they are few, else a text field that takes
// references (a person also by name or email, which the service resolves) and suggests them as one types.
type Picker struct {
	Options []Option // the choices; empty when Search
	Search  bool     // more than pickerLimit: a text field instead of a list
	Suggest string   // the suggest endpoint the text field asks (app.js)
}

// Keep adds the current value ref (named name) to the options, so that saving a form never drops it. A text
// field shows the reference itself and needs nothing.
func (p Picker) Keep(ref, name string) Picker {
	if !p.Search {
		p.Options = keepOption(p.Options, ref, name)
	}
	return p
}

// PickerField is a picker placed in a form: the "picker" template renders it.
type PickerField struct {
	Picker
	ID, Name, Value string
	None            string // the label of the empty choice ("none", "anyone"); "" for no empty choice
}

// Field places the picker in a form as the field name (element id) holding value.
func (p Picker) Field(id, name, value, none string) PickerField {
	return PickerField{Picker: p, ID: id, Name: name, Value: value, None: none}
}

// peoplePicker is the owner picker of a page: the people by name, or a search field when there are many.
func (h *Handler) peoplePicker(ctx context.Context) (Picker, error) {
	l, err := h.svc.ListPeople(ctx, service.PersonFilter{}, service.Page{Limit: pickerLimit})
	if err != nil {
		return Picker{}, err
	}
	p := Picker{Suggest: "/people/suggest", Search: l.Total > len(l.Items)}
	if !p.Search {
		for _, x := range l.Items {
			p.Options = append(p.Options, personOption(x))
		}
	}
	return p, nil
}

// assetPicker is the asset picker of the risk form: the assets by reference, or a search field when there are many.
func (h *Handler) assetPicker(ctx context.Context) (Picker, error) {
	l, err := h.svc.ListAssets(ctx, service.AssetFilter{Sort: "ref"}, service.Page{Limit: pickerLimit})
	if err != nil {
		return Picker{}, err
	}
	p := Picker{Suggest: "/assets/suggest", Search: l.Total > len(l.Items)}
	if !p.Search {
		for _, a := range l.Items {
			p.Options = append(p.Options, Option{Value: a.Ref, Label: a.Ref + " " + a.Name})
		}
	}
	return p, nil
}

func personOption(p isms.Person) Option {
	return Option{Value: p.Ref, Label: p.Name + " (" + p.Ref + ")"}
}

// Suggestion is one answer of a suggest endpoint.
type Suggestion struct {
	Ref  string `json:"ref"`
	Name string `json:"name"`
}

// suggestPeople answers the people whose name, email or job title contains q, by name.
func (h *Handler) suggestPeople(w http.ResponseWriter, r *http.Request) {
	l, err := h.svc.ListPeople(r.Context(), service.PersonFilter{Search: suggestQuery(r)}, service.Page{Limit: suggestLimit})
	out := []Suggestion{}
	for _, p := range l.Items {
		out = append(out, Suggestion{Ref: p.Ref, Name: p.Name})
	}
	writeSuggestions(w, r, out, err)
}

// suggestAssets answers the assets whose reference, name or location contains q, by reference.
func (h *Handler) suggestAssets(w http.ResponseWriter, r *http.Request) {
	l, err := h.svc.ListAssets(r.Context(), service.AssetFilter{Search: suggestQuery(r), Sort: "ref"}, service.Page{Limit: suggestLimit})
	out := []Suggestion{}
	for _, a := range l.Items {
		out = append(out, Suggestion{Ref: a.Ref, Name: a.Name})
	}
	writeSuggestions(w, r, out, err)
}

// suggestQuery is the typed text; the register checks it like any search text.
func suggestQuery(r *http.Request) string { return strings.TrimSpace(r.URL.Query().Get("q")) }

// writeSuggestions answers JSON: the suggestions, or {"error": ...} with the error's status. A script reads
// it, so a missing session is a plain 401 rather than the login page.
func writeSuggestions(w http.ResponseWriter, r *http.Request, out []Suggestion, err error) {
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Cache-Control", "no-store")
	if err != nil {
		status := isms.HTTPStatus(err)
		msg := err.Error()
		if status >= 500 {
			reqlog.Fail(r.Context(), err) // the server logs it with the request id
			msg = "internal error"
		}
		w.WriteHeader(status)
		_ = json.NewEncoder(w).Encode(map[string]string{"error": msg})
		return
	}
	_ = json.NewEncoder(w).Encode(out)
}
