package cli

import (
	"strings"
	"testing"

	"github.com/praxis-isms/praxis/internal/sqldb"
	"github.com/praxis-isms/praxis/internal/testutil"
)

// installation is a fresh praxis installation on one engine (a data directory and, for PostgreSQL, a database
// of its own) with the organisation Acme owned by alice@example.com, driven through the command line.
type installation struct {
	t    *testing.T
	base []string // --data and --db
}

func newInstallation(t *testing.T, engine sqldb.Engine) *installation {
	t.Helper()
	i := &installation{t: t, base: []string{"--data=" + t.TempDir()}}
	if engine == sqldb.Postgres {
		i.base = append(i.base, "--db="+testutil.NewPostgresURL(t))
	}
	i.cli("init", "--org", "Acme", "--owner", "alice@example.com")
	return i
}

func (i *installation) args(args []string) []string {
	return append(append([]string{}, i.base...), args...)
}

// run runs praxis and returns what it printed and its exit code.
func (i *installation) run(args ...string) (stdout, stderr string, code int) {
	i.t.Helper()
	return run(i.t, i.args(args)...)
}

// cli runs praxis and fails the test unless it exits 0.
func (i *installation) cli(args ...string) string {
	i.t.Helper()
	return mustRun(i.t, i.args(args)...)
}

// refused checks that praxis exits non-zero saying want on stderr.
func (i *installation) refused(want string, args ...string) {
	i.t.Helper()
	out, errOut, code := i.run(args...)
	if code == 0 || !strings.Contains(errOut, want) {
		i.t.Errorf("praxis %v: exit %d, %s%s; want a refusal saying %q", args, code, out, errOut, want)
	}
}
