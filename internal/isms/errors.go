// Package isms holds the domain: types, enums, validation and pure rules. It does no I/O.
package isms

import (
	"errors"
	"fmt"
	"strings"
	"time"
)

// Kind classifies an error so that every door (web, API, CLI) can answer it the same way.
type Kind int

const (
	KindInternal        Kind = iota
	KindInvalid              // 422: the input breaks a rule; FieldErrors say which
	KindNotFound             // 404: missing, or belongs to another organisation
	KindConflict             // 409: stale version or duplicate
	KindForbidden            // 403: the caller's role may not act
	KindUnauthenticated      // 401: no or bad credentials
	KindTooManyRequests      // 429: rate limited
	KindUnavailable          // 503: the database did not answer; try again later
)

// HTTPStatus is the HTTP status that answers err, the same on every page and API route.
func HTTPStatus(err error) int {
	switch ErrorKind(err) {
	case KindInvalid:
		return 422
	case KindNotFound:
		return 404
	case KindConflict:
		return 409
	case KindForbidden:
		return 403
	case KindUnauthenticated:
		return 401
	case KindTooManyRequests:
		return 429
	case KindUnavailable:
		return 503
	}
	return 500
}

// FieldError is one problem with one input field.
type FieldError struct {
	Field   string `json:"field"`
	Message string `json:"message"`
}

// Error is the typed error the service layer returns.
type Error struct {
	Kind   Kind
	Msg    string
	Fields []FieldError
	// RetryAfter tells a rate-limited caller when to try again (HTTP Retry-After).
	RetryAfter time.Duration
}

func (e *Error) Error() string {
	if len(e.Fields) == 0 {
		return e.Msg
	}
	parts := make([]string, len(e.Fields))
	for i, f := range e.Fields {
		parts[i] = f.Field + ": " + f.Message
	}
	return e.Msg + ": " + strings.Join(parts, "; ")
}

// ErrorKind returns the Kind of the first *Error in err's chain, KindInternal otherwise.
func ErrorKind(err error) Kind {
	var e *Error
	if errors.As(err, &e) {
		return e.Kind
	}
	return KindInternal
}

// AsError returns the *Error in err's chain, if any.
func AsError(err error) (*Error, bool) {
	var e *Error
	ok := errors.As(err, &e)
	return e, ok
}

func NotFound(format string, args ...any) error {
	return &Error{Kind: KindNotFound, Msg: fmt.Sprintf(format, args...)}
}
func Conflict(format string, args ...any) error {
	return &Error{Kind: KindConflict, Msg: fmt.Sprintf(format, args...)}
}
func Forbidden(format string, args ...any) error {
	return &Error{Kind: KindForbidden, Msg: fmt.Sprintf(format, args...)}
}
func Unauthenticated(format string, args ...any) error {
	return &Error{Kind: KindUnauthenticated, Msg: fmt.Sprintf(format, args...)}
}
func TooManyRequests(format string, args ...any) error {
	return &Error{Kind: KindTooManyRequests, Msg: fmt.Sprintf(format, args...)}
}

// TooManyRequestsFor is TooManyRequests that says how long to wait.
func TooManyRequestsFor(wait time.Duration, format string, args ...any) error {
	return &Error{Kind: KindTooManyRequests, Msg: fmt.Sprintf(format, args...), RetryAfter: wait}
}

// RetryAfter is how long err asks the caller to wait, 0 when it does not say.
func RetryAfter(err error) time.Duration {
	if e, ok := AsError(err); ok {
		return e.RetryAfter
	}
	return 0
}

func Unavailable(format string, args ...any) error {
	return &Error{Kind: KindUnavailable, Msg: fmt.Sprintf(format, args...)}
}

// Invalid builds a validation error from field errors.
func Invalid(fields ...FieldError) error {
	return &Error{Kind: KindInvalid, Msg: "invalid input", Fields: fields}
}

// VersionMismatch answers an update whose version did not match the stored row's: Invalid when no version was
// sent at all (a client that forgot it), a stale-version Conflict otherwise.
func VersionMismatch(entity, ref string, sent int) error {
	if sent < 1 {
		return Invalid(FieldError{Field: "version", Message: "is required: send the version you read, so that a change made meanwhile is not overwritten"})
	}
	return StaleVersion(entity, ref)
}

// StaleVersion is the Conflict every versioned update returns when the row changed meanwhile.
// ref may be empty for an entity there is one of (the risk method).
func StaleVersion(entity, ref string) error {
	return Conflict("%s was changed by someone else; reload it and apply your change again", strings.TrimSpace(entity+" "+ref))
}

// Problems collects field errors while validating a request.
type Problems []FieldError

func (p *Problems) Add(field, format string, args ...any) {
	*p = append(*p, FieldError{Field: field, Message: fmt.Sprintf(format, args...)})
}

// Err returns nil when there are no problems, an Invalid error otherwise.
func (p Problems) Err() error {
	if len(p) == 0 {
		return nil
	}
	return Invalid(p...)
}
