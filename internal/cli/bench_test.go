package cli

import (
	"context"
	"encoding/json"
	"os"
	"os/signal"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/praxis-isms/praxis/internal/bench"
)

// TestMain lets the test binary stand in for praxis when a command starts praxis itself (bench starts the server
// as a child process from its own executable).
func TestMain(m *testing.M) {
	if os.Getenv("PRAXIS_TEST_AS_PRAXIS") == "1" {
		// As cmd/praxis does: an interrupt ends the context, so that serve shuts down (and writes its profile).
		ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
		code := Main(ctx, os.Args[1:], os.Stdout, os.Stderr)
		stop()
		os.Exit(code)
	}
	os.Exit(m.Run())
}

// praxis bench --quick runs every measurement end to end on the small sample: the server starts, every page and
// list answers, both throughput runs and their baselines count, the exports and the import succeed, and the
// figures come out as a table and as JSON; the audit trail still verifies afterwards.
func TestBenchQuick(t *testing.T) {
	t.Setenv("PRAXIS_TEST_AS_PRAXIS", "1")
	data := "--data=" + t.TempDir()
	out := filepath.Join(t.TempDir(), "bench.json")
	table := mustRun(t, data, "bench", "--quick", "--scale", "small", "--json", out)
	for _, want := range []string{"start to first /healthz 200", "api risks sort -score", "web risks deep page", "API create risk", "export risks xlsx", "import risks csv", "api lint", "api readiness"} {
		if !strings.Contains(table, want) {
			t.Errorf("bench table without %q:\n%s", want, table)
		}
	}
	if strings.Contains(table, "ERROR") {
		t.Errorf("bench reported an error:\n%s", table)
	}
	b, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	var rep bench.Report
	if err := json.Unmarshal(b, &rep); err != nil {
		t.Fatal(err)
	}
	if rep.Risks < 12 || rep.StartMS <= 0 || rep.IdleRSSMB <= 0 || len(rep.Throughput) != 3 || len(rep.Files) != 3 {
		t.Fatalf("bench report: %+v", rep)
	}
	// What runs the lint and readiness checks is held to their target, everything else to the pages' one.
	for _, l := range rep.Latency {
		want := float64(bench.TargetLatencyMS)
		if slices.Contains([]string{"/", "/readiness", "/api/v1/lint", "/api/v1/readiness"}, l.Path) {
			want = bench.TargetChecksMS
		}
		if l.TargetMS != want {
			t.Errorf("%s: target %.0f ms, want %.0f", l.Name, l.TargetMS, want)
		}
	}
	for _, th := range rep.Throughput {
		if th.PerSec <= 0 || th.BaselineSec <= 0 || th.Ratio <= 0 {
			t.Errorf("throughput %+v", th)
		}
	}
	if verify := mustRun(t, data, "log", "verify"); strings.Contains(verify, "BROKEN") {
		t.Fatalf("the trail after bench: %s", verify)
	}
	// The risks the baseline inserted sort after the sample's, so the next run measures the same first page.
	if first := mustRun(t, data, "risk", "list", "--format", "csv"); !strings.HasPrefix(strings.SplitN(first, "\n", 3)[1], "R-001,") {
		t.Errorf("first risk after bench: %s", strings.SplitN(first, "\n", 3)[1])
	}
}

// bench --only runs only the parts named, and --cpuprofile leaves the server's CPU profile behind; an unknown part
// is refused before anything runs.
func TestBenchOnlyAndProfile(t *testing.T) {
	t.Setenv("PRAXIS_TEST_AS_PRAXIS", "1")
	data := "--data=" + t.TempDir()
	out, prof := filepath.Join(t.TempDir(), "bench.json"), filepath.Join(t.TempDir(), "cpu.prof")
	if _, stderr, code := run(t, data, "bench", "--quick", "--scale", "small", "--only", "list,nonsense"); code == 0 || !strings.Contains(stderr, "only") {
		t.Fatalf("--only nonsense: exit %d, %s", code, stderr)
	}
	mustRun(t, data, "bench", "--quick", "--scale", "small", "--only", "create", "--cpuprofile", prof, "--json", out)
	b, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	var rep bench.Report
	if err := json.Unmarshal(b, &rep); err != nil {
		t.Fatal(err)
	}
	if len(rep.Latency) != 0 || len(rep.Files) != 0 || len(rep.Throughput) != 1 || rep.Throughput[0].Name != "API create risk" {
		t.Fatalf("--only create ran %d pages, %d files and throughput %+v", len(rep.Latency), len(rep.Files), rep.Throughput)
	}
	if fi, err := os.Stat(prof); err != nil || fi.Size() == 0 {
		t.Fatalf("no CPU profile: %v", err)
	}
}

// demo --scale takes only the sizes it knows.
func TestDemoScaleUnknown(t *testing.T) {
	_, errOut, code := run(t, "--data="+t.TempDir(), "demo", "--scale", "huge")
	if code == 0 || !strings.Contains(errOut, "small, medium or large") {
		t.Fatalf("demo --scale huge: exit %d, %s", code, errOut)
	}
}
