package store

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/base64"
	"encoding/json"
	"slices"

	"github.com/praxis-isms/praxis/internal/isms"
)

// Keyset is one page of a list read by keyset, with the cursors of the pages around it.
type Keyset[T any] struct {
	List[T]
	Next string `json:"next,omitempty" doc:"Pass as after= for the next page; absent on the last page"`
	Prev string `json:"-"` // pass as before= for the page before; empty on the first page (the web pager's link)
}

// Seek asks for a page read by keyset: the one after the cursor After, or the one that ends just before the
// cursor Before (a Previous link); with neither, the first page.
type Seek struct {
	After, Before string
	Limit         int
}

// keysetRead reads up to n rows after c (the zero Cursor: from the start) in the list's order, or before c,
// nearest first, when backward; with the cursor of each row.
type keysetRead[T any] func(c Cursor, n int, backward bool) ([]T, []Cursor, error)

// keysetPage reads the page s asks for with read and counts the list with total (remembered, see countCache):
// however deep the page, it reads only its own rows and one more, to tell whether a page follows it (or, going
// back, comes before it). A page before that would reach the start is the first page, full.
func keysetPage[T any](s Seek, total func() (int, error), read keysetRead[T]) (Keyset[T], error) {
	p := Page{Limit: s.Limit}.Normalise()
	out := Keyset[T]{List: List[T]{Items: []T{}, Limit: p.Limit}}
	backward, cursor := s.Before != "", s.After
	if backward {
		cursor = s.Before
	}
	c, err := parseCursor(cursor)
	if err != nil {
		return out, err
	}
	if out.Total, err = total(); err != nil {
		return out, err
	}
	n := p.Limit + 1 // one row more than the page tells whether another page follows it
	page, cursors, err := read(c, n, backward)
	if err != nil {
		return out, err
	}
	more := len(page) == n
	if backward && !more {
		return keysetPage(Seek{Limit: s.Limit}, func() (int, error) { return out.Total, nil }, read)
	}
	if more {
		page, cursors = page[:p.Limit], cursors[:p.Limit]
	}
	if backward {
		slices.Reverse(page)
		slices.Reverse(cursors)
	}
	if len(page) == 0 {
		return out, nil
	}
	out.Items = page
	if backward || more {
		out.Next = cursors[len(page)-1].String()
	}
	if backward || c.ID != "" {
		out.Prev = cursors[0].String()
	}
	return out, nil
}

// badCursor answers a cursor that no page of the list gave.
var badCursor = isms.Invalid(isms.FieldError{Field: "after", Message: "is not a cursor of this list (pass the next value of a page)"})

// query runs q and calls fn for each row.
func (tx *Tx) query(ctx context.Context, q string, args []any, fn func(*sql.Rows) error) error {
	rows, err := tx.tx.QueryContext(ctx, q, args...)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		if err := fn(rows); err != nil {
			return err
		}
	}
	return rows.Err()
}

// Cursor marks where a page of a list ended: the sort key and id of its last row. The zero Cursor is
// the start.
type Cursor struct {
	Key any
	ID  string
}

// String encodes the cursor for a URL.
func (c Cursor) String() string {
	b, _ := json.Marshal([]any{c.Key, c.ID})
	return base64.RawURLEncoding.EncodeToString(b)
}

// parseCursor reads a cursor String made; "" is the start.
func parseCursor(s string) (Cursor, error) {
	var c Cursor
	if s == "" {
		return c, nil
	}
	b, err := base64.RawURLEncoding.DecodeString(s)
	if err != nil {
		return c, badCursor
	}
	d := json.NewDecoder(bytes.NewReader(b))
	d.UseNumber()
	var v []any
	if d.Decode(&v) != nil || len(v) != 2 {
		return c, badCursor
	}
	id, ok := v[1].(string)
	if !ok || id == "" {
		return c, badCursor
	}
	switch k := v[0].(type) {
	case json.Number:
		n, err := k.Int64()
		if err != nil {
			return c, badCursor
		}
		c.Key = n
	case string:
		c.Key = k
	default:
		return c, badCursor
	}
	c.ID = id
	return c, nil
}
