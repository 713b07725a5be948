package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/praxis-isms/praxis/internal/keys"
	"github.com/praxis-isms/praxis/internal/testutil"
)

// startServe runs `praxis serve` in-process (its own database pools, service and HTTP server, as another
// process would have) and returns its base URL; it stops when the test ends.
func startServe(t *testing.T, args ...string) string {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	var out, errOut testutil.SyncBuffer
	done := make(chan int, 1)
	go func() { done <- Main(ctx, append(args, "serve", "--addr", "127.0.0.1:0"), &out, &errOut) }()
	t.Cleanup(func() {
		cancel()
		<-done
	})
	serving := regexp.MustCompile(`serving (http://\S+)`)
	deadline := time.Now().Add(time.Minute)
	for time.Now().Before(deadline) {
		if m := serving.FindStringSubmatch(out.String()); m != nil {
			return m[1]
		}
		select {
		case code := <-done:
			t.Fatalf("praxis serve exited %d: %s", code, errOut.String())
		case <-time.After(20 * time.Millisecond):
		}
	}
	t.Fatalf("praxis serve did not start: %s", errOut.String())
	return ""
}

// Two servers on one PostgreSQL database, started at once on an empty database and given the same
// installation key, take writes from several clients each at the same time; the login limits are shared
// (guesses on one server slow the account down on the other); and afterwards `praxis log verify` finds every
// organisation's audit chain intact with every write in it.
func TestTwoServersOnOnePostgres(t *testing.T) {
	dbURL := testutil.NewPostgresURL(t)
	t.Setenv(keys.EnvVar, keys.Generate().String())
	db := "--db=" + dbURL
	var urls [2]string
	var wg sync.WaitGroup
	for i := range urls {
		wg.Go(func() { urls[i] = startServe(t, db, "--data="+t.TempDir()) })
	}
	wg.Wait()
	if t.Failed() {
		t.FailNow()
	}

	cli := []string{db, "--data=" + t.TempDir()}
	out := mustRun(t, append(cli, "init", "--org", "Acme Ltd", "--owner", "alice@example.com")...)
	password := regexp.MustCompile(`One-time password: (\S+)`).FindStringSubmatch(out)
	if password == nil {
		t.Fatalf("init output: %s", out)
	}
	token := strings.TrimSpace(mustRun(t, append(cli, "token", "create", "--name", "load")...))

	// 4 clients per server, 25 people each, all at once.
	const clientsPerServer, perClient = 4, 25
	errs := make(chan error, 2*clientsPerServer*perClient)
	for s, base := range urls {
		for c := range clientsPerServer {
			wg.Go(func() {
				client := &http.Client{Timeout: time.Minute}
				for n := range perClient {
					body := fmt.Sprintf(`{"name": "Person %d-%d-%d"}`, s, c, n)
					req, _ := http.NewRequest(http.MethodPost, base+"/api/v1/people", strings.NewReader(body))
					req.Header.Set("Authorization", "Bearer "+token)
					req.Header.Set("Content-Type", "application/json")
					resp, err := client.Do(req)
					if err != nil {
						errs <- err
						continue
					}
					var msg bytes.Buffer
					msg.ReadFrom(resp.Body)
					resp.Body.Close()
					if resp.StatusCode != http.StatusCreated {
						errs <- fmt.Errorf("server %d client %d: %d %s", s, c, resp.StatusCode, msg.String())
					}
				}
			})
		}
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}

	// Guesses at alice's password on server A, each after the wait A asks for, until her account must wait
	// 4 seconds: then server B refuses even the right password, saying how long to wait.
	login := func(base, password string) *http.Response {
		t.Helper()
		form := url.Values{"email": {"alice@example.com"}, "password": {password}}
		req, _ := http.NewRequest(http.MethodPost, base+"/login", strings.NewReader(form.Encode()))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		req.Header.Set("Origin", base)
		client := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
		resp, err := client.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		return resp
	}
	for failures := 0; failures < 5; {
		resp := login(urls[0], "a wrong guess")
		switch resp.StatusCode {
		case http.StatusTooManyRequests:
			secs, _ := strconv.Atoi(resp.Header.Get("Retry-After"))
			time.Sleep(time.Duration(secs) * time.Second)
		case http.StatusSeeOther:
			t.Fatal("a wrong password logged in")
		default:
			failures++
		}
	}
	resp := login(urls[1], password[1])
	if resp.StatusCode != http.StatusTooManyRequests || resp.Header.Get("Retry-After") == "" {
		t.Fatalf("server B after five failures on A: status %d, Retry-After %q; want 429 with a wait", resp.StatusCode, resp.Header.Get("Retry-After"))
	}

	out, errOut, code := run(t, append(cli, "log", "verify")...)
	if code != 0 || !strings.Contains(out, "acme-ltd: intact") {
		t.Fatalf("log verify: exit %d\n%s\n%s", code, out, errOut)
	}
	var created []struct{ Ref string }
	events := mustRun(t, append(cli, "log", "list", "--entity", "person", "--action", "create", "--limit", "1000", "--format", "json")...)
	if err := json.Unmarshal([]byte(events), &created); err != nil {
		t.Fatal(err)
	}
	refs := map[string]bool{}
	for _, ev := range created {
		refs[ev.Ref] = true
	}
	if want := 2 * clientsPerServer * perClient; len(created) != want || len(refs) != want {
		t.Fatalf("the trail records %d person creations (%d distinct refs), want %d", len(created), len(refs), want)
	}
}
