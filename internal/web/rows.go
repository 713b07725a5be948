package web

import (
	"context"
	"io"
	"net/http"
	"net/url"
	"strings"

	"github.com/praxis-isms/praxis/internal/isms"
	"github.com/praxis-isms/praxis/internal/service"
)

// The pages of a register built on the kit: every register's web door is a registerPages, built from its
// service methods.

// RegisterList is the data of a list page of these registers.
type RegisterList[T, F any] struct {
	Tabs     []LeadershipTab
	Query    F
	Filtered bool // a filter is set (the order is not one)
	List     service.List[T]
	Pager    Pager
	People   Picker // the person filter and the add form's person
	Exports  []ExportLink
	Warnings []string // about the register as a whole (roles: the owner and the sponsor)
	Choices  []string // the values of the register's enum (role kinds, objective statuses)
	Today    string
	Posted   bool // the add form failed: show its input and errors
	Extra    any  // what the list page shows beyond the rows (certification: the cycle); see registerPages.listExtra
}

// RegisterRow is the data of the page of one row.
type RegisterRow[T any] struct {
	Tabs     []LeadershipTab
	Row      T   // as saved now
	Version  int // see PersonPage.Version
	Conflict bool
	People   Picker
	Choices  []string
	Today    string
	Warnings []string // about the register as a whole, as on the list
	Extra    any      // what the register's page shows beyond the row (an audit's checklist); see registerPages.extra
}

// registerPages are the handlers of one register's pages, built from its service methods.
type registerPages[T, In, F any] struct {
	h                 *Handler
	path              string // "/roles"
	listPage, rowPage string // the templates of the list and of one row
	title             string
	nav               string
	tabs              func(current string) []LeadershipTab // optional: the tabs above the pages, this register's current
	choices           []string
	parse             func(q url.Values) (F, error)
	values            func(F) url.Values
	filtered          func(F) bool
	personOf          func(F) string             // the person the filter names, kept in the picker (nil: no picker)
	holder            func(T) (ref, name string) // the person a row names, kept in the picker (nil: no picker)
	label             func(T) string             // "RL-001 Sponsor"
	lister            func(ctx context.Context, f F, p service.Page) (service.List[T], []string, error)
	warnings          func(ctx context.Context) ([]string, error)   // optional: the register's warnings on a row's page
	extra             func(ctx context.Context, row T) (any, error) // optional: more for a row's page (RegisterRow.Extra)
	listExtra         func(ctx context.Context) (any, error)        // optional: more for the list page (RegisterList.Extra)
	get               func(ctx context.Context, ref string) (T, error)
	addRow            func(ctx context.Context, in In) (T, error)
	updateRow         func(ctx context.Context, ref string, in In) (T, error)
	deleteRow         func(ctx context.Context, ref string) error
	exportRows        func(ctx context.Context, f F, format string, w io.Writer) error
	// importRows is the register's import (dryRun: only a check), behind importForm and importFile.
	importRows func(ctx context.Context, format string, r io.Reader, dryRun bool) (service.ImportResult, error)
	input      func(url.Values) In
	form       func(T) url.Values
	// addRequest, when set, adds a row from the request itself instead of a parsed form (evidence: an upload
	// streamed as it arrives), leaving the fields it read in r.PostForm for a form shown again.
	addRequest func(r *http.Request) (T, error)
}

func (p registerPages[T, In, F]) tabsHere() []LeadershipTab {
	if p.tabs == nil {
		return nil
	}
	return p.tabs(p.path)
}

func (p registerPages[T, In, F]) listView(r *http.Request) (View, error) {
	ctx := r.Context()
	q, ferr := p.parse(r.URL.Query())
	var err error
	d := RegisterList[T, F]{Tabs: p.tabsHere(), Query: q, Filtered: p.filtered(q), Choices: p.choices,
		Exports: exportLinks(p.path+"/export", p.values(q)), Today: p.h.svc.Today()}
	if p.personOf != nil {
		if d.People, err = p.h.ownerPicker(ctx, p.personOf(q), ""); err != nil {
			return View{}, err
		}
	}
	v := View{Title: p.title, Nav: p.nav, Data: d}
	if ferr != nil {
		return v, ferr
	}
	if d.List, d.Warnings, err = p.lister(ctx, q, page(r)); err != nil {
		return View{}, err
	}
	if p.listExtra != nil {
		if d.Extra, err = p.listExtra(ctx); err != nil {
			return View{}, err
		}
	}
	d.Pager = pager(r, d.List.Total, d.List.Limit, d.List.Offset)
	v.Data = d
	return v, nil
}

func (p registerPages[T, In, F]) list(w http.ResponseWriter, r *http.Request) {
	v, err := p.listView(r)
	if err != nil {
		if v.Data != nil && inputError(err) { // a bad filter: the page with its errors
			p.h.formError(w, r, p.listPage, v, err)
			return
		}
		p.h.fail(w, r, err)
		return
	}
	p.h.render(w, r, http.StatusOK, p.listPage, v)
}

func (p registerPages[T, In, F]) add(w http.ResponseWriter, r *http.Request) {
	var row T
	var err error
	if p.addRequest != nil {
		row, err = p.addRequest(r)
	} else if err = parseForm(w, r); err == nil {
		row, err = p.addRow(r.Context(), p.input(r.PostForm))
	}
	if err != nil {
		if !inputError(err) {
			p.h.fail(w, r, err)
			return
		}
		v, lerr := p.listView(r)
		if lerr != nil {
			p.h.fail(w, r, lerr)
			return
		}
		d := v.Data.(RegisterList[T, F])
		d.Posted = true
		v.Data = d
		p.h.formError(w, r, p.listPage, v, err)
		return
	}
	p.h.redirect(w, r, p.path+"/"+url.PathEscape(p.refOf(row)), p.label(row)+" is added.")
}

// refOf is a row's reference.
func (p registerPages[T, In, F]) refOf(row T) string { return formValues(&row).Get("ref") }

func (p registerPages[T, In, F]) rowView(r *http.Request, ref string) (View, error) {
	ctx := r.Context()
	row, err := p.get(ctx, ref)
	if err != nil {
		return View{}, err
	}
	d := RegisterRow[T]{Tabs: p.tabsHere(), Row: row, Version: versionOf(row), Choices: p.choices, Today: p.h.svc.Today()}
	if p.holder != nil {
		people, err := p.h.ownerPicker(ctx, "", "")
		if err != nil {
			return View{}, err
		}
		d.People = people.Keep(p.holder(row))
	}
	if p.warnings != nil {
		if d.Warnings, err = p.warnings(ctx); err != nil {
			return View{}, err
		}
	}
	if p.extra != nil {
		if d.Extra, err = p.extra(ctx, row); err != nil {
			return View{}, err
		}
	}
	return View{Title: p.label(row), Nav: p.nav, Data: d, Form: p.form(row)}, nil
}

func (p registerPages[T, In, F]) show(w http.ResponseWriter, r *http.Request) {
	v, err := p.rowView(r, r.PathValue("ref"))
	if err != nil {
		p.h.fail(w, r, err)
		return
	}
	p.h.render(w, r, http.StatusOK, p.rowPage, v)
}

func (p registerPages[T, In, F]) update(w http.ResponseWriter, r *http.Request) {
	ref := r.PathValue("ref")
	err := parseForm(w, r)
	var row T
	if err == nil {
		row, err = p.updateRow(r.Context(), ref, p.input(r.PostForm))
	}
	if err != nil {
		if !inputError(err) {
			p.h.fail(w, r, err)
			return
		}
		v, lerr := p.rowView(r, ref)
		if lerr != nil {
			p.h.fail(w, r, lerr)
			return
		}
		d := v.Data.(RegisterRow[T])
		d.Version = formInt(r.PostForm.Get("version"))
		if isms.ErrorKind(err) == isms.KindConflict {
			d.Conflict, d.Version = true, versionOf(d.Row)
		}
		v.Data, v.Form = d, nil
		p.h.formError(w, r, p.rowPage, v, err)
		return
	}
	p.h.redirect(w, r, p.path+"/"+url.PathEscape(p.refOf(row)), p.label(row)+" is saved.")
}

func (p registerPages[T, In, F]) delete(w http.ResponseWriter, r *http.Request) {
	ref := r.PathValue("ref")
	if err := p.deleteRow(r.Context(), ref); err != nil {
		p.h.fail(w, r, err)
		return
	}
	p.h.redirect(w, r, p.path, ref+" is deleted.")
}

func (p registerPages[T, In, F]) export(w http.ResponseWriter, r *http.Request) {
	f, err := p.parse(r.URL.Query())
	if err != nil {
		p.h.fail(w, r, err)
		return
	}
	format := exportFormat(r)
	p.h.download(w, r, p.path[1:], format, func(w io.Writer) error { return p.exportRows(r.Context(), f, format, w) })
}

// unwarned is the lister of a register whose list has no warnings.
func unwarned[T, F any](list func(ctx context.Context, f F, p service.Page) (service.List[T], error)) func(context.Context, F, service.Page) (service.List[T], []string, error) {
	return func(ctx context.Context, f F, p service.Page) (service.List[T], []string, error) {
		l, err := list(ctx, f, p)
		return l, nil, err
	}
}

// versionOf is a row's version.
func versionOf[T any](row T) int { return formInt(formValues(&row).Get("version")) }

// importForm and importFile are the register's import page (path+"/import"), as the assets have it.
func (p registerPages[T, In, F]) importForm(w http.ResponseWriter, r *http.Request) {
	p.h.importForm(w, r, strings.TrimPrefix(p.path, "/"))
}

func (p registerPages[T, In, F]) importFile(w http.ResponseWriter, r *http.Request) {
	run := func(dryRun bool) importUse {
		return func(ctx context.Context, format string, r io.Reader) (service.ImportResult, error) {
			return p.importRows(ctx, format, r, dryRun)
		}
	}
	p.h.importFile(w, r, strings.TrimPrefix(p.path, "/"), run(false), run(true))
}

// action is a POST on one row beyond its edit (an effectiveness check, closing, holding a review): run gets the
// parsed form and returns the message for the row's page; an input error shows the row's page with it.
func (p registerPages[T, In, F]) action(run func(r *http.Request, ref string) (string, error)) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		ref := r.PathValue("ref")
		err := parseForm(w, r)
		var msg string
		if err == nil {
			msg, err = run(r, ref)
		}
		if err != nil {
			if !inputError(err) {
				p.h.fail(w, r, err)
				return
			}
			v, lerr := p.rowView(r, ref)
			if lerr != nil {
				p.h.fail(w, r, lerr)
				return
			}
			p.h.formError(w, r, p.rowPage, v, err)
			return
		}
		p.h.redirect(w, r, p.path+"/"+url.PathEscape(ref), msg)
	}
}
