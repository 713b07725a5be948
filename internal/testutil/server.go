package testutil

import (
	"context"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"strings"
	"testing"

	"github.com/praxis-isms/praxis/internal/httpserver"
	"github.com/praxis-isms/praxis/internal/service"
	"github.com/praxis-isms/praxis/internal/sqldb"
)

// Server is the real HTTP server (web UI and API) on a free loopback port over a fresh database.
type Server struct {
	URL   string
	Svc   *service.Service
	DB    *sqldb.DB
	Clock *Clock
}

// StartServer starts the whole HTTP stack on 127.0.0.1 with a fresh database of engine, stopped when the test ends.
func StartServer(t testing.TB, engine sqldb.Engine) *Server {
	t.Helper()
	return StartServerOn(t, NewDB(t, engine))
}

// StartServerOn is StartServer over a database the test opened itself.
func StartServerOn(t testing.TB, db *sqldb.DB) *Server {
	t.Helper()
	return StartServerWith(t, db, httpserver.Config{})
}

// StartServerWith is StartServerOn with server settings (the address and version are the test's own).
func StartServerWith(t testing.TB, db *sqldb.DB, cfg httpserver.Config) *Server {
	t.Helper()
	return startServer(t, db, t.TempDir(), cfg)
}

// StartDemoServer is StartServer on a database that holds the sample organisation already (DemoDB).
func StartDemoServer(t testing.TB, engine sqldb.Engine) *Server {
	t.Helper()
	db, blobDir := DemoDB(t, engine)
	return startServer(t, db, blobDir, httpserver.Config{})
}

func startServer(t testing.TB, db *sqldb.DB, blobDir string, cfg httpserver.Config) *Server {
	t.Helper()
	clock := NewClock()
	svc := NewServiceWith(t, db, service.Config{Now: clock.Now, BlobDir: blobDir})
	cfg.Addr, cfg.Version = "127.0.0.1:0", "test"
	ctx, cancel := context.WithCancel(context.Background())
	ready := make(chan string, 1)
	done := make(chan error, 1)
	go func() {
		done <- httpserver.Serve(ctx, httpserver.Handler(svc, cfg), cfg, func(addr string) { ready <- addr })
	}()
	var addr string
	select {
	case addr = <-ready:
	case err := <-done:
		t.Fatalf("server did not start: %v", err)
	}
	t.Cleanup(func() {
		cancel()
		<-done
	})
	return &Server{URL: "http://" + addr, Svc: svc, DB: db, Clock: clock}
}

// Client returns an HTTP client with a cookie jar that does not follow redirects, so tests see each answer.
func (s *Server) Client() *http.Client {
	jar, _ := cookiejar.New(nil)
	return &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
}

// Login logs a browser-like client in through the login form and returns it.
func (s *Server) Login(t testing.TB, email, password string) *http.Client {
	t.Helper()
	c := s.Client()
	form := url.Values{"email": {email}, "password": {password}}
	req, _ := http.NewRequest(http.MethodPost, s.URL+"/login", strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Origin", s.URL)
	resp, err := c.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("login as %s: status %d", email, resp.StatusCode)
	}
	return c
}
