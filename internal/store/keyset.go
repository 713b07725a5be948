package store

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/base64"
	"encoding/json"
	"fmt"
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

// deepOffset is the offset from which a list that pages by key answers an ?offset= page by walking keys
// (offsetPage); a variable for the test.
var deepOffset = 500

// offsetPage answers a page asked for by offset (old links, clients that page by offset). OFFSET over whole rows
// joins and reads every row it skips, so from deepOffset on, walk finds the cursor of the row just before the
// page from the list's index alone (its key and id: SELECT key, id ... LIMIT 1 OFFSET n), and read reads the
// page after it as a keyset page does. Shallow pages go to plain, which reads them by offset.
func offsetPage[T any](p Page, total func() (int, error), walk func(offset int) (Cursor, error), read keysetRead[T],
	plain func(Page) (List[T], error)) (List[T], error) {
	p = p.Normalise()
	if p.Offset < deepOffset {
		return plain(p)
	}
	l := List[T]{Items: []T{}, Limit: p.Limit, Offset: p.Offset}
	var err error
	if l.Total, err = total(); err != nil || p.Offset >= l.Total {
		return l, err
	}
	c, err := walk(p.Offset - 1)
	if err != nil {
		return l, fmt.Errorf("walk to row %d: %w", p.Offset, err)
	}
	page, _, err := read(c, p.Limit, false)
	if len(page) > 0 {
		l.Items = page
	}
	return l, err
}

// walkKeys reads the key and id of the row at offset of the query q (SELECT key, id ... ORDER BY ...).
func (tx *Tx) walkKeys(ctx context.Context, q string, args []any, offset int) (Cursor, error) {
	var c Cursor
	args = append(slices.Clip(args), offset)
	err := tx.tx.QueryRowContext(ctx, fmt.Sprintf("%s LIMIT 1 OFFSET $%d", q, len(args)), args...).Scan(&c.Key, &c.ID)
	return c, err
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
