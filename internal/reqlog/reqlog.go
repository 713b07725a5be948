// Package reqlog carries a request's id through its context, and the error that made it fail, so that the
// server logs every failed request (status 500 and above) once, with the id the client saw in X-Request-Id.
package reqlog

import "context"

type key struct{}

// entry is what one request carries.
type entry struct {
	id  string
	err error
}

// With returns ctx carrying the request id.
func With(ctx context.Context, id string) context.Context {
	return context.WithValue(ctx, key{}, &entry{id: id})
}

// ID returns the request id of ctx ("" outside a request).
func ID(ctx context.Context) string {
	if e, ok := ctx.Value(key{}).(*entry); ok {
		return e.id
	}
	return ""
}

// Fail records the error behind a failed answer, for the request's log line.
func Fail(ctx context.Context, err error) {
	if e, ok := ctx.Value(key{}).(*entry); ok && err != nil {
		e.err = err
	}
}

// Err returns the error recorded with Fail.
func Err(ctx context.Context) error {
	if e, ok := ctx.Value(key{}).(*entry); ok {
		return e.err
	}
	return nil
}
