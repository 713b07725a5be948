package cli

import (
	"context"
	"encoding/csv"
	"encoding/json"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/praxis-isms/praxis/internal/testutil"
)

// A --db that cannot be used is reported without its password, in every form the password may take.
func TestBadDBNeverPrintsPassword(t *testing.T) {
	for _, dsn := range []string{
		"postgres://u:s3cret@127.0.0.1:1/db?connect_timeout=1",
		"postgres://u:s3cret@h:badport/db",
		"postgres://u@127.0.0.1:1/db?password=s3cret&sslmode=bogus",
		"host=127.0.0.1 port=1 password=s3cret",
		"host=h password='s3cret' dbname=db",
	} {
		for _, args := range [][]string{{"migrate"}, {"user", "list"}} {
			out, errOut, code := run(t, append([]string{"--db", dsn}, args...)...)
			if code == 0 || !strings.Contains(errOut, "praxis:") {
				t.Fatalf("--db %s %v: exit %d, stderr %q", dsn, args, code, errOut)
			}
			if strings.Contains(out+errOut, "s3cret") {
				t.Errorf("--db %s %v printed the password:\n%s%s", dsn, args, out, errOut)
			}
		}
	}
}

// Titles holding terminal escapes are shown, not obeyed, in tables and plain text; JSON and CSV keep them.
func TestOutputEscapesControlCharacters(t *testing.T) {
	d := "--data=" + t.TempDir()
	mustRun(t, d, "init", "--org", "Acme Ltd", "--owner", "alice@example.com")
	evil := "evil\x1b[2Jtitle\u202e\u009b"
	added := mustRun(t, d, "risk", "add", "--title", evil, "--likelihood", "2", "--impact", "2", "--treatment", "retain")
	shown := `evil\x1b[2Jtitle\u202e\u009b`
	for what, out := range map[string]string{
		"risk add":   added,
		"risk list":  mustRun(t, d, "risk", "list"),
		"risk show":  mustRun(t, d, "risk", "show", "R-001"),
		"risk error": func() string { _, e, _ := run(t, d, "risk", "show", "R-\x1b[31m"); return e }(),
	} {
		if strings.ContainsAny(out, "\x1b\u202e\u009b") {
			t.Errorf("%s printed raw control characters: %q", what, out)
		}
		if what != "risk error" && !strings.Contains(out, shown) {
			t.Errorf("%s does not show the title as %s: %q", what, shown, out)
		}
	}
	var risks []struct {
		Title string `json:"title"`
	}
	if err := json.Unmarshal([]byte(mustRun(t, d, "risk", "list", "--format", "json")), &risks); err != nil || len(risks) != 1 || risks[0].Title != evil {
		t.Fatalf("JSON title: %+v %v", risks, err)
	}
	rows, err := csv.NewReader(strings.NewReader(mustRun(t, d, "risk", "list", "--format", "csv"))).ReadAll()
	if err != nil || len(rows) != 2 || !slices.Contains(rows[1], evil) {
		t.Fatalf("CSV rows: %q %v", rows, err)
	}
}

func TestVisible(t *testing.T) {
	for in, want := range map[string]string{
		"plain text, ünïcödé":     "plain text, ünïcödé",
		"two\nlines\tand a tab":   "two\nlines\tand a tab",
		"\x1b[2J\r\x00\x7f":       `\x1b[2J\x0d\x00\x7f`,
		"\u009b31m \u202eabc":     `\u009b31m \u202eabc`,
		"bad \xff byte":           `bad \xff byte`,
		"\u2066isolate\u2069 end": `\u2066isolate\u2069 end`,
	} {
		if got := visible(in); got != want {
			t.Errorf("visible(%q) = %q, want %q", in, got, want)
		}
	}
}

// Token create takes a lifetime and a scope; the list shows them.
func TestTokenCreateExpiresAndScope(t *testing.T) {
	d := "--data=" + t.TempDir()
	mustRun(t, d, "init", "--org", "Acme Ltd", "--owner", "alice@example.com")
	_, errOut, code := run(t, d, "token", "create", "--name", "ci", "--expires", "366d")
	if code != 2 || !strings.Contains(errOut, "expires_in_days: must be between 1 and 365 days") {
		t.Fatalf("366-day token: exit %d %s", code, errOut)
	}
	_, errOut, code = run(t, d, "token", "create", "--name", "ci", "--expires", "never")
	if code != 2 || !strings.Contains(errOut, "expires: must be a number of days") {
		t.Fatalf("never-expiring token: exit %d %s", code, errOut)
	}
	var made struct {
		Token  string `json:"token"`
		Detail struct {
			Scope     string    `json:"scope"`
			CreatedAt time.Time `json:"created_at"`
			ExpiresAt time.Time `json:"expires_at"`
		} `json:"detail"`
	}
	if err := json.Unmarshal([]byte(mustRun(t, d, "token", "create", "--name", "reports", "--expires", "30d", "--scope", "read", "--format", "json")), &made); err != nil {
		t.Fatal(err)
	}
	if made.Detail.Scope != "read" || !made.Detail.ExpiresAt.Equal(made.Detail.CreatedAt.AddDate(0, 0, 30)) {
		t.Fatalf("token: %+v", made.Detail)
	}
	list := mustRun(t, d, "token", "list")
	for _, s := range []string{"SCOPE", "EXPIRES", "STATUS", "read", "active", made.Detail.ExpiresAt.Format(time.RFC3339)} {
		if !strings.Contains(list, s) {
			t.Fatalf("token list lacks %q:\n%s", s, list)
		}
	}
}

// serve runs `praxis serve` until it has printed its banner, stops it, and returns what it printed.
func serve(t *testing.T, args ...string) (stdout, stderr string) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	var out, errb testutil.SyncBuffer
	done := make(chan int, 1)
	go func() { done <- Main(ctx, append([]string{"serve"}, args...), &out, &errb) }()
	deadline := time.After(20 * time.Second)
	for !strings.Contains(out.String(), "serving http://") {
		select {
		case code := <-done:
			cancel()
			t.Fatalf("serve %v ended with %d: %s%s", args, code, out.String(), errb.String())
		case <-deadline:
			cancel()
			t.Fatalf("serve %v printed no banner: %s%s", args, out.String(), errb.String())
		case <-time.After(20 * time.Millisecond):
		}
	}
	cancel()
	if code := <-done; code != 0 {
		t.Fatalf("serve %v: exit %d: %s", args, code, errb.String())
	}
	return out.String(), errb.String()
}

func TestServeWarnsAboutPlainHTTPOnTheNetwork(t *testing.T) {
	d := "--data=" + t.TempDir()
	_, errOut := serve(t, d, "--addr", "127.0.0.1:0")
	if strings.Contains(errOut, "WARNING") {
		t.Fatalf("warning on loopback: %s", errOut)
	}
	for _, secure := range []string{"auto", "false"} {
		_, errOut = serve(t, d, "--addr", "0.0.0.0:0", "--secure-cookies", secure)
		for _, s := range []string{"WARNING", "plain HTTP reachable from the network", "TLS", "--trusted-proxies", "--secure-cookies true"} {
			if !strings.Contains(errOut, s) {
				t.Fatalf("--secure-cookies %s on 0.0.0.0: warning lacks %q: %s", secure, s, errOut)
			}
		}
	}
	if _, errOut = serve(t, d, "--addr", "0.0.0.0:0", "--secure-cookies", "true"); strings.Contains(errOut, "WARNING") {
		t.Fatalf("warning although TLS is declared in front: %s", errOut)
	}
}

// The banner names the database without its password.
func TestServeBannerHidesPassword(t *testing.T) {
	u, err := url.Parse(testutil.NewPostgresURL(t))
	if err != nil {
		t.Fatal(err)
	}
	q := u.Query()
	q.Set("password", "s3cret") // the test server trusts local connections: any password does
	u.RawQuery = q.Encode()
	out, errOut := serve(t, "--data="+t.TempDir(), "--db", u.String(), "--addr", "127.0.0.1:0")
	if !strings.Contains(out, "password=xxxxx") || strings.Contains(out+errOut, "s3cret") {
		t.Fatalf("banner: %s%s", out, errOut)
	}
}
