// Package httpserver builds the HTTP server: the root mux (health, API, web UI), the middleware chain and
// graceful shutdown.
package httpserver

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"net/netip"
	"runtime/debug"
	"slices"
	"strings"
	"time"

	"github.com/praxis-isms/praxis/internal/api"
	"github.com/praxis-isms/praxis/internal/isms"
	"github.com/praxis-isms/praxis/internal/reqlog"
	"github.com/praxis-isms/praxis/internal/service"
	"github.com/praxis-isms/praxis/internal/web"
)

// Config is what the server needs.
type Config struct {
	Addr    string
	Version string
	// SecureCookies marks cookies Secure; by default they are, unless the server listens on loopback over
	// plain HTTP (a developer's machine), where browsers would not send them back.
	SecureCookies bool
	// TrustedProxies are the reverse proxies whose X-Forwarded-For is believed: behind one, every request comes
	// from the proxy's address, and the login limit per address would lock out everybody at once.
	TrustedProxies []netip.Prefix
	Logger         *slog.Logger
	// MaxUploads is how many imports may be received at once (DefaultMaxUploads when 0); one more is answered
	// 503 with Retry-After at once rather than held in memory.
	MaxUploads int
	// AnonymousReadTimeout bounds how long a request without credentials may take to send its body
	// (DefaultAnonymousReadTimeout when 0): a slow sender must not hold a connection.
	AnonymousReadTimeout time.Duration
}

// Defaults of Config.
const (
	DefaultMaxUploads           = 3
	DefaultAnonymousReadTimeout = 10 * time.Second
	// AnonymousBodyLimit bounds the body of a request without credentials: enough for the login, setup and
	// invitation forms.
	AnonymousBodyLimit = 64 << 10
)

// Handler builds the whole HTTP handler.
func Handler(svc *service.Service, cfg Config) http.Handler {
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.DiscardHandler)
	}
	if cfg.MaxUploads <= 0 {
		cfg.MaxUploads = DefaultMaxUploads
	}
	if cfg.AnonymousReadTimeout <= 0 {
		cfg.AnonymousReadTimeout = DefaultAnonymousReadTimeout
	}
	mux := http.NewServeMux()
	mux.HandleFunc("GET /healthz", func(w http.ResponseWriter, r *http.Request) {
		ctx, cancel := context.WithTimeout(r.Context(), 2*time.Second)
		defer cancel()
		if err := svc.Store().DB.R.PingContext(ctx); err != nil {
			http.Error(w, "database unavailable", http.StatusServiceUnavailable)
			return
		}
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		fmt.Fprintln(w, "ok")
	})
	mux.Handle(api.Prefix+"/", api.New(svc, cfg.Version))
	mux.Handle("/", web.New(svc, web.Config{SecureCookies: cfg.SecureCookies, Version: cfg.Version, Logger: cfg.Logger}))

	cop := http.NewCrossOriginProtection()
	cop.SetDenyHandler(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		err := isms.Forbidden("cross-origin request refused: send it from praxis's own pages, or use an API token")
		if strings.HasPrefix(r.URL.Path, api.Prefix+"/") {
			api.WriteProblem(w, err)
			return
		}
		http.Error(w, err.Error(), http.StatusForbidden)
	}))
	var h http.Handler = mux
	h = limitQuery(h)
	h = guardBodies(h, cfg)
	h = authenticate(svc, h, cfg)
	h = cop.Handler(h)
	h = securityHeaders(h, cfg.SecureCookies)
	h = realClient(h, cfg.TrustedProxies)
	h = recoverPanics(h, cfg.Logger) // inside logRequests, which then logs the 500 with its request id
	h = logRequests(h, cfg.Logger)
	return h
}

// authenticate puts the actor into the request context: from an API token (Authorization: Bearer) or from the
// session cookie. A bad token is refused at once; a bad cookie is cleared and the request goes on anonymous,
// so that the login page still works. When the database cannot say whether a session is valid, the request
// fails with 503 and the cookie stays: an outage must not log everybody out. Authorisation itself is the
// service's job.
func authenticate(svc *service.Service, next http.Handler, cfg Config) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ctx := r.Context()
		isAPI := strings.HasPrefix(r.URL.Path, api.Prefix+"/")
		if h := r.Header.Get("Authorization"); h != "" {
			scheme, token, _ := strings.Cut(h, " ")
			switch {
			case strings.EqualFold(scheme, "Bearer"):
				a, err := svc.TokenActor(ctx, strings.TrimSpace(token))
				if err != nil {
					reqlog.Fail(ctx, err)
					api.WriteProblem(w, unavailable(err))
					return
				}
				next.ServeHTTP(w, r.WithContext(service.WithActor(ctx, a)))
				return
			case isAPI:
				api.WriteProblem(w, isms.Unauthenticated("use Authorization: Bearer TOKEN"))
				return
			}
			// Another scheme on a page (a proxy's Basic authentication, say) is not ours: the session decides.
		}
		if c, err := r.Cookie(web.SessionCookie); err == nil && c.Value != "" {
			a, err := svc.SessionActor(ctx, c.Value)
			switch {
			case err == nil:
				if isAPI {
					a.Via = "api"
				}
				ctx = service.WithActor(ctx, a)
				ctx = web.WithSessionToken(ctx, c.Value)
			case isms.ErrorKind(err) == isms.KindUnauthenticated:
				web.ClearSessionCookie(w, cfg.SecureCookies)
			default:
				reqlog.Fail(ctx, err)
				if isAPI {
					api.WriteProblem(w, unavailable(err))
				} else {
					http.Error(w, unavailableMsg, http.StatusServiceUnavailable)
				}
				return
			}
		}
		next.ServeHTTP(w, r.WithContext(ctx))
	})
}

// importRoutes are the requests that carry a whole register file.
var importRoutes = map[string]bool{
	"POST " + api.Prefix + "/risks/import": true, "POST " + api.Prefix + "/assets/import": true,
	"POST /risks/import": true, "POST /assets/import": true,
	"POST " + api.Prefix + "/issues/import": true, "POST " + api.Prefix + "/parties/import": true, "POST " + api.Prefix + "/roles/import": true,
	"POST " + api.Prefix + "/commitments/import": true, "POST " + api.Prefix + "/objectives/import": true,
	"POST /issues/import": true, "POST /parties/import": true, "POST /roles/import": true, "POST /commitments/import": true, "POST /objectives/import": true,
}

// guardBodies decides, before any handler reads a body, how much of it may be read. A request without
// credentials may send AnonymousBodyLimit bytes within AnonymousReadTimeout. An import is refused unread
// unless the caller may write content in its organisation (huma would otherwise read the whole file before
// the service says no), and at most cfg.MaxUploads imports are received at once.
func guardBodies(next http.Handler, cfg Config) http.Handler {
	uploads := make(chan struct{}, cfg.MaxUploads)
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if _, ok := service.ActorFrom(r.Context()); !ok {
			r.Body = http.MaxBytesReader(w, r.Body, AnonymousBodyLimit)
			if err := http.NewResponseController(w).SetReadDeadline(time.Now().Add(cfg.AnonymousReadTimeout)); err != nil {
				cfg.Logger.Warn("read deadline not set", "err", err)
			}
		}
		if !importRoutes[r.Method+" "+r.URL.Path] {
			next.ServeHTTP(w, r)
			return
		}
		isAPI := strings.HasPrefix(r.URL.Path, api.Prefix+"/")
		if err := service.MayImport(r.Context()); err != nil {
			// Close the connection after answering rather than read the refused file to keep it open.
			w.Header().Set("Connection", "close")
			if isAPI {
				api.WriteProblem(w, err)
				return
			}
			next.ServeHTTP(w, r) // the page refuses before reading too, and shows why
			return
		}
		select {
		case uploads <- struct{}{}:
			defer func() { <-uploads }()
		default:
			w.Header().Set("Connection", "close")
			w.Header().Set("Retry-After", "10")
			err := isms.Unavailable("other imports are being received just now: try again in a few seconds")
			if isAPI {
				api.WriteProblem(w, err)
			} else {
				http.Error(w, err.Error(), http.StatusServiceUnavailable)
			}
			return
		}
		next.ServeHTTP(w, r)
	})
}

const unavailableMsg = "praxis cannot reach its database just now; try again in a moment"

// unavailable keeps the service's own errors and turns any other (the database did not answer) into a 503.
func unavailable(err error) error {
	if _, ok := isms.AsError(err); ok {
		return err
	}
	return isms.Unavailable(unavailableMsg)
}

// realClient replaces RemoteAddr by the client's address when the request comes through a trusted proxy: the
// right-most X-Forwarded-For entry that is not itself a trusted proxy (entries further left are the client's
// own claims and could be forged).
func realClient(next http.Handler, trusted []netip.Prefix) http.Handler {
	if len(trusted) == 0 {
		return next
	}
	isTrusted := func(s string) bool {
		ip, err := netip.ParseAddr(strings.TrimSpace(s))
		return err == nil && slices.ContainsFunc(trusted, func(p netip.Prefix) bool { return p.Contains(ip.Unmap()) })
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		host, _, err := net.SplitHostPort(r.RemoteAddr)
		if err != nil || !isTrusted(host) {
			next.ServeHTTP(w, r)
			return
		}
		hops := strings.Split(strings.Join(r.Header.Values("X-Forwarded-For"), ","), ",")
		for i := len(hops) - 1; i >= 0; i-- {
			hop := strings.TrimSpace(hops[i])
			if hop == "" || isTrusted(hop) {
				continue
			}
			if ip, err := netip.ParseAddr(hop); err == nil {
				r2 := r.Clone(r.Context())
				r2.RemoteAddr = netip.AddrPortFrom(ip, 0).String()
				r = r2
			}
			break
		}
		next.ServeHTTP(w, r)
	})
}

// ParseProxies reads a comma-separated list of addresses or CIDR prefixes ("10.0.0.0/8,192.0.2.1").
func ParseProxies(s string) ([]netip.Prefix, error) {
	var out []netip.Prefix
	for _, f := range strings.Split(s, ",") {
		if f = strings.TrimSpace(f); f == "" {
			continue
		}
		if !strings.Contains(f, "/") {
			ip, err := netip.ParseAddr(f)
			if err != nil {
				return nil, fmt.Errorf("trusted proxy %q: not an address or CIDR prefix", f)
			}
			out = append(out, netip.PrefixFrom(ip, ip.BitLen()))
			continue
		}
		p, err := netip.ParsePrefix(f)
		if err != nil {
			return nil, fmt.Errorf("trusted proxy %q: not an address or CIDR prefix", f)
		}
		out = append(out, p.Masked())
	}
	return out, nil
}

func securityHeaders(next http.Handler, secure bool) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		h.Set("Content-Security-Policy", "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "+
			"object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'")
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("X-Frame-Options", "DENY")
		h.Set("Referrer-Policy", "same-origin")
		h.Set("Permissions-Policy", "camera=(), microphone=(), geolocation=()")
		h.Set("Cross-Origin-Opener-Policy", "same-origin")
		if secure {
			h.Set("Strict-Transport-Security", "max-age=31536000")
		}
		// Answers hold an organisation's data (pages, API, exports): no cache may keep them. Static files
		// set their own caching.
		h.Set("Cache-Control", "no-store")
		next.ServeHTTP(w, r)
	})
}

// MaxQueryBytes bounds a query string: filters and searches need far less, and a database asked to match
// a pattern of 50,000 characters fails.
const MaxQueryBytes = 4 << 10

// limitQuery refuses a request whose query string is longer than MaxQueryBytes.
func limitQuery(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if len(r.URL.RawQuery) <= MaxQueryBytes {
			next.ServeHTTP(w, r)
			return
		}
		msg := fmt.Sprintf("the query string is longer than %d characters: shorten the search or the filters", MaxQueryBytes)
		if strings.HasPrefix(r.URL.Path, api.Prefix+"/") {
			api.WriteProblem(w, &isms.Error{Kind: isms.KindInvalid, Msg: msg})
			return
		}
		http.Error(w, msg, http.StatusUnprocessableEntity)
	})
}

type statusRecorder struct {
	http.ResponseWriter
	status int
}

func (s *statusRecorder) WriteHeader(code int) {
	s.status = code
	s.ResponseWriter.WriteHeader(code)
}

func (s *statusRecorder) Unwrap() http.ResponseWriter { return s.ResponseWriter }

func logRequests(next http.Handler, log *slog.Logger) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		id := r.Header.Get("X-Request-Id")
		if id == "" || len(id) > 64 {
			b := make([]byte, 8)
			rand.Read(b)
			id = hex.EncodeToString(b)
		}
		w.Header().Set("X-Request-Id", id)
		start := time.Now()
		rec := &statusRecorder{ResponseWriter: w, status: http.StatusOK}
		ctx := reqlog.With(r.Context(), id)
		next.ServeHTTP(rec, r.WithContext(ctx))
		attrs := []any{"id", id, "method", r.Method, "path", r.URL.Path, "status", rec.status, "ms", time.Since(start).Milliseconds()}
		if rec.status >= 500 {
			// Every failure is logged with the id the client saw, and the error when a handler recorded it.
			log.Error("request failed", append(attrs, "err", reqlog.Err(ctx))...)
			return
		}
		log.Debug("request", attrs...)
	})
}

func recoverPanics(next http.Handler, log *slog.Logger) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		defer func() {
			if v := recover(); v != nil {
				if v == http.ErrAbortHandler {
					panic(v)
				}
				log.Error("panic", "id", reqlog.ID(r.Context()), "path", r.URL.Path, "value", v, "stack", string(debug.Stack()))
				if strings.HasPrefix(r.URL.Path, api.Prefix+"/") {
					api.WriteProblem(w, errors.New("panic"))
					return
				}
				http.Error(w, "internal error", http.StatusInternalServerError)
			}
		}()
		next.ServeHTTP(w, r)
	})
}

// IsLoopback reports whether addr (host:port) listens on loopback only.
func IsLoopback(addr string) bool {
	host, _, err := net.SplitHostPort(addr)
	if err != nil {
		return false
	}
	if host == "localhost" {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// Serve listens on cfg.Addr and serves h until ctx ends, then shuts down gracefully. ready, if set, is called
// once the listener is open (the tests and the CLI print the address then).
func Serve(ctx context.Context, h http.Handler, cfg Config, ready func(addr string)) error {
	ln, err := net.Listen("tcp", cfg.Addr)
	if err != nil {
		return err
	}
	srv := &http.Server{
		Handler:           h,
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       60 * time.Second,
		IdleTimeout:       120 * time.Second,
		MaxHeaderBytes:    1 << 20,
	}
	if ready != nil {
		ready(ln.Addr().String())
	}
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	shutdown, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := srv.Shutdown(shutdown); err != nil && !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}
