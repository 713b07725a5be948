package service

import (
	"errors"
	"strings"

	"github.com/praxis-isms/praxis/internal/catalog"
	"github.com/praxis-isms/praxis/internal/isms"
)

// ControlFilter turns the filter inputs of every door (query string, flags, form) into a catalog filter,
// reporting every bad attribute at once.
func ControlFilter(theme string, newOnly bool, attrs []string, search string) (catalog.Filter, error) {
	f := catalog.Filter{Theme: theme, NewOnly: newOnly, Search: search, Attrs: map[string][]string{}}
	var p isms.Problems
	for _, kv := range attrs {
		if strings.TrimSpace(kv) == "" {
			continue
		}
		k, v, err := catalog.ParseAttr(kv)
		if err != nil {
			p.Add("attr", "%v", err)
			continue
		}
		f.Attrs[k] = append(f.Attrs[k], v)
	}
	return f, p.Err()
}

// FilterControls applies a filter, reporting a bad theme or attribute value as invalid input of that field.
func FilterControls(c *catalog.Catalog, f catalog.Filter) ([]catalog.Control, error) {
	out, err := c.Filter(f)
	if err != nil {
		field := "filter"
		if fe := (*catalog.FilterError)(nil); errors.As(err, &fe) {
			field = fe.Field
		}
		return nil, isms.Invalid(isms.FieldError{Field: field, Message: err.Error()})
	}
	return out, nil
}

// Control2013View is a 2013 control with the 2022 controls it became.
type Control2013View struct {
	catalog.Control2013
	BecameControls []catalog.Control `json:"became_controls"`
}

// Became looks up a 2013 control and what it became.
func Became(c *catalog.Catalog, id string) (Control2013View, error) {
	old, ok := c.Control2013(id)
	if !ok {
		return Control2013View{}, isms.NotFound("no 2013 Annex A control %q", id)
	}
	v := Control2013View{Control2013: old}
	for _, nid := range old.BecameIDs {
		ctl, _ := c.Control(nid)
		v.BecameControls = append(v.BecameControls, ctl)
	}
	return v, nil
}

// ClauseView is a clause with its sub-clauses and the documented information it and its sub-clauses require.
type ClauseView struct {
	catalog.Clause
	SubClauses         []catalog.Clause            `json:"sub_clauses"`
	MandatoryDocuments []catalog.MandatoryDocument `json:"mandatory_documents"`
}

// ClauseOf looks up a clause (such as 6.1.2) with its direct sub-clauses and the mandatory documents of the clause
// and of everything below it, in clause order.
func ClauseOf(c *catalog.Catalog, id string) (ClauseView, error) {
	cl, ok := c.Clause(id)
	if !ok {
		return ClauseView{}, isms.NotFound("no clause %q: the requirements run from clause 4 to clause 10, for example 6.1.2", strings.TrimSpace(id))
	}
	v := ClauseView{Clause: cl, SubClauses: []catalog.Clause{}, MandatoryDocuments: []catalog.MandatoryDocument{}}
	for _, x := range c.Clauses() {
		if x.Parent == cl.ID {
			v.SubClauses = append(v.SubClauses, x)
		}
	}
	for _, d := range c.MandatoryDocuments() {
		if d.Clause == cl.ID || strings.HasPrefix(d.Clause, cl.ID+".") {
			v.MandatoryDocuments = append(v.MandatoryDocuments, d)
		}
	}
	return v, nil
}
