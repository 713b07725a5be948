package web

import (
	"context"
	"io"
	"net/http"
	"net/url"
	"strconv"

	"github.com/praxis-isms/praxis/internal/isms"
	"github.com/praxis-isms/praxis/internal/service"
	"github.com/praxis-isms/praxis/internal/store"
)

// peopleRoutes registers the staff register (clause 7: competence and awareness).
func (h *Handler) peopleRoutes() {
	h.mux.HandleFunc("GET /people", h.people)
	h.mux.HandleFunc("POST /people", h.addPerson)
	h.mux.HandleFunc("GET /people/import", func(w http.ResponseWriter, r *http.Request) { h.importForm(w, r, "people") })
	h.mux.HandleFunc("POST /people/import", func(w http.ResponseWriter, r *http.Request) {
		h.importFile(w, r, "people", h.svc.ImportPeople, h.svc.PreviewPeopleImport)
	})
	for _, f := range service.ExportFormats {
		h.mux.HandleFunc("GET /people/export."+f, h.exportPeople)
	}
	h.mux.HandleFunc("GET /people/{ref}", h.person)
	h.mux.HandleFunc("POST /people/{ref}", h.updatePerson)
}

// People is the data of the people page.
type People struct {
	List     service.List[isms.Person]
	Pager    Pager
	Filter   service.PersonFilter
	Filtered bool
	Posted   bool   // the add form was posted and failed: show its input and errors
	People   Picker // the manager field of the add form
	Staff    StaffCard
	Today    string
}

// StaffCard is what stands out in the staff register: leavers whose access is still open (the first few and how
// many) and the current staff without screening or signed terms. The people page and the dashboard show it.
type StaffCard struct {
	store.StaffOverview
	More bool // there are more leavers with open access than the card names
}

// staffCardShown is how many leavers with open access the people page and the dashboard name.
const staffCardShown = 5

// staffCard reads the staff card (one statement), asking for one leaver more than it names to know of more.
func (h *Handler) staffCard(ctx context.Context) (StaffCard, error) {
	o, err := h.svc.StaffOverview(ctx, staffCardShown+1)
	c := StaffCard{StaffOverview: o, More: len(o.OpenAccess) > staffCardShown}
	c.OpenAccess = o.OpenAccess[:min(len(o.OpenAccess), staffCardShown)]
	return c, err
}

func (h *Handler) peopleView(r *http.Request) (View, error) {
	ctx := r.Context()
	f, err := service.PeopleRegister.Parse("q", r.URL.Query().Get)
	if err != nil {
		return View{}, err
	}
	l, err := h.svc.ListPeople(ctx, f, page(r))
	if err != nil {
		return View{}, err
	}
	d := People{List: l, Pager: pager(r, l.Total, l.Limit, l.Offset), Filter: f, Filtered: service.PeopleRegister.Filtered(f), Today: h.svc.Today()}
	if d.Staff, err = h.staffCard(ctx); err != nil {
		return View{}, err
	}
	// The add form's manager is a text field with suggestions: the page lists people already, and a select of
	// everyone would cost the page another read.
	d.People = Picker{Search: true, Suggest: "/people/suggest"}
	return View{Title: "People", Nav: "people", Data: d}, nil
}

func (h *Handler) people(w http.ResponseWriter, r *http.Request) {
	v, err := h.peopleView(r)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	h.render(w, r, http.StatusOK, "people", v)
}

// personInput reads the person form: every field of the input under its JSON name.
func personInput(f url.Values) service.PersonInput { return formInput[service.PersonInput](f) }

func (h *Handler) addPerson(w http.ResponseWriter, r *http.Request) {
	err := parseForm(w, r)
	var p isms.Person
	if err == nil {
		p, err = h.svc.AddPerson(r.Context(), personInput(r.PostForm))
	}
	if err != nil {
		if !inputError(err) {
			h.fail(w, r, err)
			return
		}
		v, lerr := h.peopleView(r)
		if lerr != nil {
			h.fail(w, r, lerr)
			return
		}
		d := v.Data.(People)
		d.Posted = true
		v.Data = d
		h.formError(w, r, "people", v, err)
		return
	}
	h.redirect(w, r, "/people/"+url.PathEscape(p.Ref), p.Ref+" "+p.Name+" is added.")
}

// PersonPage is the data of one person's page.
type PersonPage struct {
	Person isms.Person // as saved now
	// Version goes into the edit form. After a conflict it is the saved version, so that saving again (after
	// reading what changed) deliberately replaces the other change; otherwise it is the version the user read.
	Version  int
	Conflict bool
	People   Picker            // the manager picker, keeping the saved manager
	Open     *store.OpenAccess // set when the person has left with access still open
	Left     bool              // the end date has passed
}

// personPage reads what the person page shows besides the person.
func (h *Handler) personPage(ctx context.Context, p isms.Person, version int) (PersonPage, error) {
	d := PersonPage{Person: p, Version: version, Left: p.Left(h.svc.Today())}
	open, found, err := h.svc.PersonOpenAccess(ctx, p.Ref)
	if err != nil {
		return d, err
	}
	if found {
		d.Open = &open
	}
	if mayEdit(ctx) {
		d.People, err = h.ownerPicker(ctx, p.Manager, p.ManagerName)
	}
	return d, err
}

// mayEdit reports whether the actor may edit the registers: only they see the edit forms and need their pickers.
func mayEdit(ctx context.Context) bool {
	a, ok := service.ActorFrom(ctx)
	return ok && a.Role.Can(isms.PermWriteContent)
}

func (h *Handler) person(w http.ResponseWriter, r *http.Request) {
	p, err := h.svc.Person(r.Context(), r.PathValue("ref"))
	if err != nil {
		h.fail(w, r, err)
		return
	}
	d, err := h.personPage(r.Context(), p, p.Version)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	h.render(w, r, http.StatusOK, "person", View{Title: p.Ref + " " + p.Name, Nav: "people", Data: d, Form: personForm(p)})
}

// personForm fills the edit form from a saved person.
func personForm(p isms.Person) url.Values { return formValues(&p) }

func (h *Handler) updatePerson(w http.ResponseWriter, r *http.Request) {
	ref := r.PathValue("ref")
	err := parseForm(w, r)
	var p isms.Person
	if err == nil {
		p, err = h.svc.UpdatePerson(r.Context(), ref, personInput(r.PostForm))
	}
	if err != nil {
		if !inputError(err) {
			h.fail(w, r, err)
			return
		}
		saved, lerr := h.svc.Person(r.Context(), ref)
		if lerr != nil {
			h.fail(w, r, lerr)
			return
		}
		d, lerr := h.personPage(r.Context(), saved, formInt(r.PostForm.Get("version")))
		if lerr != nil {
			h.fail(w, r, lerr)
			return
		}
		if isms.ErrorKind(err) == isms.KindConflict {
			d.Conflict, d.Version = true, saved.Version
		}
		h.formError(w, r, "person", View{Title: saved.Ref + " " + saved.Name, Nav: "people", Data: d}, err)
		return
	}
	h.redirect(w, r, "/people/"+url.PathEscape(p.Ref), p.Ref+" "+p.Name+" is saved.")
}

// ownerPicker is the owner picker of a record (see peoplePicker) that always keeps the record's current owner
// (ref, name), so that saving the form never drops an owner the list left out.
func (h *Handler) ownerPicker(ctx context.Context, ref, name string) (Picker, error) {
	p, err := h.peoplePicker(ctx)
	return p.Keep(ref, name), err
}

// keepOption adds the person ref (named name) to a people select that lacks them.
func keepOption(opts []Option, ref, name string) []Option {
	if ref == "" {
		return opts
	}
	for _, o := range opts {
		if o.Value == ref {
			return opts
		}
	}
	label := ref
	if name != "" {
		label = name + " (" + ref + ")"
	}
	return append([]Option{{Value: ref, Label: label}}, opts...)
}

// exportPeople downloads the people register (filtered as the page is) as CSV, XLSX or PDF.
func (h *Handler) exportPeople(w http.ResponseWriter, r *http.Request) {
	f, err := service.PeopleRegister.Parse("q", r.URL.Query().Get)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	format := exportFormat(r)
	h.download(w, r, "people", format, func(w io.Writer) error { return h.svc.ExportPeople(r.Context(), f, format, w) })
}

// Blank is v with no submitted values or errors: a form on a page that shows them for another form (the add
// form of a list whose filter form was submitted) starts empty.
func (v View) Blank() View { v.Form, v.Errors = nil, nil; return v }

// formInput reads a form into an input type: each string and int field (service.InputFields) from the form value
// of its JSON name; a number that does not parse is 0, which the service reports. A new input field needs no
// edit here, only its input in the template.
func formInput[In any](f url.Values) In {
	var in In
	for _, fl := range service.InputFields(&in) {
		switch p := fl.Ptr.(type) {
		case *string:
			*p = f.Get(fl.Name)
		case *int:
			*p = formInt(f.Get(fl.Name))
		}
	}
	return in
}

// formValues is a saved row as the values of its edit form, each field under its JSON name. A number 0 is left
// empty: it means not set (an asset not rated), so that a select shows its empty choice.
func formValues(row any) url.Values {
	v := url.Values{}
	for _, fl := range service.InputFields(row) {
		switch p := fl.Ptr.(type) {
		case *string:
			v.Set(fl.Name, *p)
		case *int:
			if *p != 0 {
				v.Set(fl.Name, strconv.Itoa(*p))
			}
		}
	}
	return v
}
