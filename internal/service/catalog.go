package service

import (
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

// FilterControls applies a filter, reporting a bad theme or attribute value as invalid input.
func FilterControls(c *catalog.Catalog, f catalog.Filter) ([]catalog.Control, error) {
	out, err := c.Filter(f)
	if err != nil {
		return nil, isms.Invalid(isms.FieldError{Field: "filter", Message: err.Error()})
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
