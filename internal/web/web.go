// Package web is the server-rendered UI: html/template pages embedded and parsed at start-up, our own small
// CSS and JavaScript, forms that work without JavaScript. One file per resource; this file holds the shared
// helpers (rendering, form errors, sessions, redirects).
package web

import (
	"bytes"
	"context"
	"embed"
	"errors"
	"fmt"
	"html/template"
	"io/fs"
	"log/slog"
	"net/http"
	"net/url"
	"path"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/praxis-isms/praxis/internal/isms"
	"github.com/praxis-isms/praxis/internal/reqlog"
	"github.com/praxis-isms/praxis/internal/service"
)

//go:embed all:templates static
var assets embed.FS

// SessionCookie names the session cookie.
const SessionCookie = "praxis_session"

// Config tunes the UI.
type Config struct {
	SecureCookies bool
	Version       string
	Logger        *slog.Logger
}

// Handler serves the UI.
type Handler struct {
	svc   *service.Service
	cfg   Config
	mux   *http.ServeMux
	pages map[string]*template.Template
}

// New parses every template (a broken template stops start-up, not a page view) and registers the routes.
func New(svc *service.Service, cfg Config) *Handler {
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.DiscardHandler)
	}
	h := &Handler{svc: svc, cfg: cfg, mux: http.NewServeMux(), pages: map[string]*template.Template{}}
	h.parseTemplates()
	static, _ := fs.Sub(assets, "static")
	h.mux.Handle("GET /static/", http.StripPrefix("/static/", cacheStatic(http.FileServerFS(static))))
	h.accountRoutes()
	h.memberRoutes()
	h.peopleRoutes()
	h.pickerRoutes()
	h.auditRoutes()
	h.securityRoutes()
	h.catalogRoutes()
	h.riskRoutes()
	h.soaRoutes()
	h.documentRoutes()
	h.mandatoryRoutes()
	h.methodologyRoutes()
	h.leadershipRoutes()
	h.objectiveRoutes()
	h.taskRoutes()
	h.controlWorkRoutes()
	h.metricRoutes()
	h.improvementRoutes()
	h.contextRoutes()
	h.evidenceRoutes()
	h.trainingRoutes()
	h.correctiveRoutes()
	h.reviewRoutes()
	h.findingRoutes()
	h.certificationRoutes()
	h.internalAuditRoutes()
	h.auditorPackRoutes()
	h.readinessRoutes()
	h.transitionRoutes()
	return h
}

func (h *Handler) ServeHTTP(w http.ResponseWriter, r *http.Request) { h.mux.ServeHTTP(w, r) }

func cacheStatic(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Cache-Control", "public, max-age=3600")
		next.ServeHTTP(w, r)
	})
}

var funcs = template.FuncMap{
	"date": func(t time.Time) string {
		if t.IsZero() {
			return ""
		}
		return t.UTC().Format("2006-01-02")
	},
	"datetime": func(t time.Time) string {
		if t.IsZero() {
			return ""
		}
		return t.UTC().Format("2006-01-02 15:04 UTC")
	},
	"join":  strings.Join,
	"upper": strings.ToUpper,
	"title": func(s string) string {
		if s == "" {
			return s
		}
		return strings.ToUpper(s[:1]) + s[1:]
	},
	"humanise": func(s string) string { return strings.ReplaceAll(s, "_", " ") },
	"add":      func(a, b int) int { return a + b },
	"query": func(base string, kv ...any) string { // builds base?k=v&... skipping empty values
		q := url.Values{}
		for i := 0; i+1 < len(kv); i += 2 {
			if v := fmt.Sprint(kv[i+1]); v != "" && v != "0" && v != "false" {
				q.Add(fmt.Sprint(kv[i]), v)
			}
		}
		if len(q) == 0 {
			return base
		}
		return base + "?" + q.Encode()
	},
	"can":         func(a service.Actor, perm string) bool { return a.Role.Can(isms.Permission(perm)) },
	"roles":       func() []isms.Role { return isms.Roles },
	"employments": func() []string { return isms.Employments },
	"stale":       staleNotice,
	"contains": func(list []string, s string) bool {
		for _, x := range list {
			if x == s {
				return true
			}
		}
		return false
	},
}

// parseTemplates builds one template set per page: the page itself and the partial files (the layout among
// them) that define the templates it calls, directly or through each other. Parsing every partial into every
// page held about 30 MB of parse trees, a third of the server's memory at rest.
func (h *Handler) parseTemplates() {
	partials, err := fs.Glob(assets, "templates/_*.html")
	if err != nil {
		panic(err)
	}
	definedIn := map[string]string{} // template name -> partial file defining it
	calls := map[string][]string{}   // file -> template names it calls
	for _, p := range partials {
		defines, called := templateNames(p)
		for _, d := range defines {
			definedIn[d] = p
		}
		calls[p] = called
	}
	pages, err := fs.Glob(assets, "templates/*.html")
	if err != nil {
		panic(err)
	}
	for _, p := range pages {
		name := strings.TrimSuffix(path.Base(p), ".html")
		if strings.HasPrefix(name, "_") {
			continue
		}
		_, called := templateNames(p)
		calls[p] = append(called, "layout") // render executes "layout", which calls the page's "content"
		files, seen := []string{}, map[string]bool{p: true}
		var need func(file string)
		need = func(file string) {
			for _, c := range calls[file] {
				if f, ok := definedIn[c]; ok && !seen[f] {
					seen[f] = true
					files = append(files, f)
					need(f)
				}
			}
		}
		need(p)
		files = append(files, p)
		h.pages[name] = template.Must(template.New(name).Funcs(funcs).ParseFS(assets, files...))
	}
}

var templateAction = regexp.MustCompile(`\{\{-?\s*(define|template|block)\s+"([^"]+)"`)

// templateNames lists the templates a file defines and those it calls.
func templateNames(file string) (defines, calls []string) {
	b, err := fs.ReadFile(assets, file)
	if err != nil {
		panic(err)
	}
	for _, m := range templateAction.FindAllStringSubmatch(string(b), -1) {
		switch m[1] {
		case "define":
			defines = append(defines, m[2])
		case "block":
			defines = append(defines, m[2])
			calls = append(calls, m[2])
		default:
			calls = append(calls, m[2])
		}
	}
	return defines, calls
}

// PageNames lists the parsed pages (the render tests walk them).
func (h *Handler) PageNames() []string {
	var out []string
	for n := range h.pages {
		out = append(out, n)
	}
	return out
}

// View is what every page template receives.
type View struct {
	Title    string
	Nav      string // active navigation entry
	Actor    service.Actor
	LoggedIn bool
	Orgs     []isms.OrgMembership
	// CanCreateOrg tells whether the installation's org_creation setting lets the caller create organisations.
	CanCreateOrg bool
	Flash        string
	Secret       string // a one-time secret to show once (token, password)
	Errors       map[string]string
	Error        string // a message for the whole form
	Form         url.Values
	Version      string
	Data         any
}

// Err returns the error of one field.
func (v View) Err(field string) string { return v.Errors[field] }

// Val returns the submitted value of a field, to refill a form after an error.
func (v View) Val(field string) string { return v.Form.Get(field) }

// render writes a page. Rendering goes to a buffer first so that a template error never leaves half a page.
func (h *Handler) render(w http.ResponseWriter, r *http.Request, status int, page string, v View) {
	t, ok := h.pages[page]
	if !ok {
		h.cfg.Logger.Error("unknown page", "page", page)
		http.Error(w, "internal error", http.StatusInternalServerError)
		return
	}
	if status == http.StatusTooManyRequests && w.Header().Get("Retry-After") == "" {
		w.Header().Set("Retry-After", strconv.Itoa(int(service.LoginWindow.Seconds())))
	}
	v.Actor, v.LoggedIn = service.ActorFrom(r.Context())
	v.Version = h.cfg.Version
	if v.LoggedIn && v.Orgs == nil {
		v.Orgs, _ = h.svc.MyOrganisations(r.Context())
	}
	if v.LoggedIn {
		v.CanCreateOrg = h.svc.MayCreateOrganisation(r.Context()) == nil
	}
	if v.Flash == "" {
		v.Flash = h.takeFlash(w, r)
	}
	var buf bytes.Buffer
	if err := t.ExecuteTemplate(&buf, "layout", v); err != nil {
		reqlog.Fail(r.Context(), fmt.Errorf("render page %s: %w", page, err))
		http.Error(w, "internal error", http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	buf.WriteTo(w)
}

// fail answers a service error: the login page for 401, an error page otherwise. Form handlers call
// formError instead, which re-renders the form.
func (h *Handler) fail(w http.ResponseWriter, r *http.Request, err error) {
	switch isms.ErrorKind(err) {
	case isms.KindUnauthenticated:
		h.toLogin(w, r)
		return
	case isms.KindForbidden:
		if a, ok := service.ActorFrom(r.Context()); ok && a.MustChangePassword {
			http.Redirect(w, r, "/password", http.StatusSeeOther)
			return
		}
		if a, ok := service.ActorFrom(r.Context()); ok && a.OrgID == "" {
			http.Redirect(w, r, "/orgs/choose", http.StatusSeeOther)
			return
		}
		if a, ok := service.ActorFrom(r.Context()); ok && a.MustSetUpTwoFactor {
			http.Redirect(w, r, "/settings/two-factor", http.StatusSeeOther)
			return
		}
		h.render(w, r, http.StatusForbidden, "error", View{Title: "Not allowed", Error: err.Error()})
	case isms.KindNotFound:
		h.render(w, r, http.StatusNotFound, "error", View{Title: "Not found", Error: err.Error()})
	case isms.KindInvalid, isms.KindConflict, isms.KindTooManyRequests:
		h.render(w, r, statusOf(err), "error", View{Title: "That did not work", Error: err.Error()})
	case isms.KindUnavailable:
		reqlog.Fail(r.Context(), err)
		h.render(w, r, http.StatusServiceUnavailable, "error", View{Title: "Try again in a moment", Error: err.Error()})
	default:
		reqlog.Fail(r.Context(), err) // the server logs it with the request id
		h.render(w, r, http.StatusInternalServerError, "error", View{Title: "Something went wrong", Error: "An internal error occurred; it has been logged."})
	}
}

func statusOf(err error) int { return isms.HTTPStatus(err) }

// formError re-renders a form page with the error of each field, or falls back to fail for errors that
// are not about the input.
func (h *Handler) formError(w http.ResponseWriter, r *http.Request, page string, v View, err error) {
	e, ok := isms.AsError(err)
	if !ok || (e.Kind != isms.KindInvalid && e.Kind != isms.KindConflict && e.Kind != isms.KindTooManyRequests && e.Kind != isms.KindUnauthenticated) {
		h.fail(w, r, err)
		return
	}
	if e.RetryAfter > 0 {
		w.Header().Set("Retry-After", strconv.Itoa(int(e.RetryAfter.Seconds())))
	}
	v.Errors = map[string]string{}
	for _, f := range e.Fields {
		v.Errors[f.Field] = f.Message
	}
	if len(e.Fields) == 0 {
		v.Error = e.Msg
	} else {
		v.Error = "Please correct the fields marked below."
	}
	v.Form = r.PostForm
	h.render(w, r, statusOf(err), page, v)
}

const flashCookie = "praxis_flash"

// flash stores a one-line message for the next page (post/redirect/get).
func (h *Handler) flash(w http.ResponseWriter, msg string) {
	http.SetCookie(w, &http.Cookie{Name: flashCookie, Value: url.QueryEscape(msg), Path: "/", HttpOnly: true,
		Secure: h.cfg.SecureCookies, SameSite: http.SameSiteLaxMode, MaxAge: 60})
}

func (h *Handler) takeFlash(w http.ResponseWriter, r *http.Request) string {
	c, err := r.Cookie(flashCookie)
	if err != nil {
		return ""
	}
	http.SetCookie(w, &http.Cookie{Name: flashCookie, Path: "/", MaxAge: -1, HttpOnly: true, Secure: h.cfg.SecureCookies, SameSite: http.SameSiteLaxMode})
	msg, _ := url.QueryUnescape(c.Value)
	return msg
}

// redirect answers a successful POST with 303 and a message for the next page.
func (h *Handler) redirect(w http.ResponseWriter, r *http.Request, to, msg string) {
	if msg != "" {
		h.flash(w, msg)
	}
	http.Redirect(w, r, to, http.StatusSeeOther)
}

func (h *Handler) toLogin(w http.ResponseWriter, r *http.Request) {
	next := r.URL.RequestURI()
	if r.Method != http.MethodGet || next == "/" {
		next = ""
	}
	http.Redirect(w, r, "/login"+queryIf("next", next), http.StatusSeeOther)
}

func queryIf(k, v string) string {
	if v == "" {
		return ""
	}
	return "?" + url.Values{k: {v}}.Encode()
}

// page reads the paging of a list page from the query string.
func page(r *http.Request) service.Page {
	limit, _ := strconv.Atoi(r.URL.Query().Get("limit"))
	offset, _ := strconv.Atoi(r.URL.Query().Get("offset"))
	return service.Page{Limit: limit, Offset: offset}.Normalise()
}

// Pager describes the links around one page of a list.
type Pager struct {
	Total, Limit, Offset int
	From, To             int
	PrevURL, NextURL     string
}

// pager builds the previous/next links of a list, keeping the other query parameters.
func pager(r *http.Request, total, limit, offset int) Pager {
	p := Pager{Total: total, Limit: limit, Offset: offset, From: offset + 1, To: min(offset+limit, total)}
	if total == 0 {
		p.From = 0
	}
	link := func(off int) string {
		q := r.URL.Query()
		q.Set("offset", strconv.Itoa(off))
		return r.URL.Path + "?" + q.Encode()
	}
	if offset > 0 {
		p.PrevURL = link(max(0, offset-limit))
	}
	if offset+limit < total {
		p.NextURL = link(offset + limit)
	}
	return p
}

// keysetPager builds the links around a page read by keyset (n rows, offset its position as the link that led
// here said): Previous and Next carry the cursors of the page's ends (before=, after=), so a deep page costs what
// the first does; offset= only numbers the rows shown.
func keysetPager(r *http.Request, total, limit, offset, n int, prev, next string) Pager {
	if prev == "" {
		offset = 0
	}
	offset = max(0, min(offset, total-n))
	p := Pager{Total: total, Limit: limit, Offset: offset, From: offset + 1, To: offset + n}
	if n == 0 {
		p.From = 0
	}
	link := func(cursorKey, cursor string, off int) string {
		q := r.URL.Query()
		q.Del("after")
		q.Del("before")
		q.Set(cursorKey, cursor)
		q.Set("offset", strconv.Itoa(off))
		return r.URL.Path + "?" + q.Encode()
	}
	if prev != "" {
		p.PrevURL = link("before", prev, max(0, offset-limit))
	}
	if next != "" {
		p.NextURL = link("after", next, offset+n)
	}
	return p
}

type tokenKey struct{}

// WithSessionToken keeps the raw session token in the context for logout.
func WithSessionToken(ctx context.Context, token string) context.Context {
	return context.WithValue(ctx, tokenKey{}, token)
}

func sessionToken(ctx context.Context) string {
	s, _ := ctx.Value(tokenKey{}).(string)
	return s
}

func (h *Handler) setSessionCookie(w http.ResponseWriter, token string) {
	http.SetCookie(w, &http.Cookie{Name: SessionCookie, Value: token, Path: "/", HttpOnly: true,
		Secure: h.cfg.SecureCookies, SameSite: http.SameSiteLaxMode})
}

// ClearSessionCookie removes the session cookie.
func ClearSessionCookie(w http.ResponseWriter, secure bool) {
	http.SetCookie(w, &http.Cookie{Name: SessionCookie, Path: "/", MaxAge: -1, HttpOnly: true, Secure: secure, SameSite: http.SameSiteLaxMode})
}

// safeNext is the one check of every redirect whose target the user supplies (login's next, a form's back):
// it accepts only a path on this site and answers "/" for anything else. Browsers drop tabs and newlines
// and read a backslash as a slash, so "/<TAB>/evil.example" or "/\\evil.example" would leave the site: the
// raw target must be printable ASCII without backslashes (what r.URL.RequestURI() gives), start with a single
// "/", and its decoded path must too ("/%2F%2Fevil" decodes to "//evil").
func safeNext(next string) string {
	if next == "" || len(next) > maxNext || !strings.HasPrefix(next, "/") || strings.HasPrefix(next, "//") {
		return "/"
	}
	for i := 0; i < len(next); i++ {
		if c := next[i]; c <= ' ' || c >= 0x7f || c == '\\' {
			return "/"
		}
	}
	u, err := url.Parse(next)
	if err != nil || u.Scheme != "" || u.Host != "" || u.User != nil || u.Opaque != "" ||
		!strings.HasPrefix(u.Path, "/") || strings.HasPrefix(u.Path, "//") ||
		strings.ContainsFunc(u.Path, func(r rune) bool { return r < ' ' || r == 0x7f || r == '\\' }) {
		return "/"
	}
	return next
}

// maxNext bounds a redirect target; longer ones are not links praxis makes.
const maxNext = 2048

var errNoForm = errors.New("could not read the form")

// parseForm reads a posted form, bounded in size.
func parseForm(w http.ResponseWriter, r *http.Request) error {
	r.Body = http.MaxBytesReader(w, r.Body, 1<<20)
	if err := r.ParseForm(); err != nil {
		return isms.Invalid(isms.FieldError{Field: "form", Message: errNoForm.Error()})
	}
	return nil
}
