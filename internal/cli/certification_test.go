package cli

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/praxis-isms/praxis/internal/isms"
	"github.com/praxis-isms/praxis/internal/sqldb"
)

// Certification audits from the command line: plan a Stage 1, refuse a bad one with its field, mark it done with
// set, raise a finding of it, record a Stage 2 with its certificate, read the cycle, export and delete.
func TestCertificationCommands(t *testing.T) {
	praxis := newInstallation(t, sqldb.SQLite)
	cli, refused := praxis.cli, praxis.refused
	if out := cli("certification", "add", "--kind", "stage-1", "--body", "Acme Certification", "--planned-start", "2026-04-01"); out != "Added CERT-001 Stage 1 audit.\n" {
		t.Fatalf("add: %q", out)
	}
	refused("kind: must be one of stage-1, stage-2, surveillance, recertification", "certification", "add", "--kind", "stage-3", "--planned-start", "2026-04-01")
	refused("result: is required for a done audit", "certification", "set", "CERT-001", "--status", "done")
	if out := cli("certification", "set", "CERT-001", "--status", "done", "--result", "recommended"); out != "Updated CERT-001 Stage 1 audit (version 2).\n" {
		t.Fatalf("set: %q", out)
	}
	cli("finding", "add", "--title", "Internal audit incomplete", "--grade", "minor-nc", "--clause", "9.2", "--certification", "CERT-001")
	if out := cli("finding", "list", "--certification", "CERT-001", "--format", "csv"); !strings.Contains(out, "F-001,Internal audit incomplete") {
		t.Fatalf("findings of CERT-001:\n%s", out)
	}
	cli("certification", "add", "--kind", "stage-2", "--body", "Acme Certification", "--planned-start", "2026-02-01", "--status", "done",
		"--result", "recommended", "--certificate-number", "IS 7001", "--certificate-issued", "2026-02-10", "--certificate-expiry", "2029-02-09")
	out := cli("certification", "cycle")
	for _, want := range []string{"Certificate IS 7001 (CERT-002), issued 2026-02-10, expires 2029-02-09.", "Surveillance audit (year 1)", "2027-02-10", "not-planned"} {
		if !strings.Contains(out, want) {
			t.Fatalf("cycle lacks %q:\n%s", want, out)
		}
	}
	var cycle isms.CertificationCycle
	if err := json.Unmarshal([]byte(cli("certification", "cycle", "--format", "json")), &cycle); err != nil || cycle.Certificate == nil || len(cycle.Steps) != 3 {
		t.Fatalf("cycle JSON: %v %+v", err, cycle)
	}
	if out := cli("certification", "list", "--kind", "stage-2", "--format", "csv"); !strings.Contains(out, "CERT-002,Stage 2 audit,Acme Certification") || strings.Contains(out, "CERT-001") {
		t.Fatalf("list:\n%s", out)
	}
	if out := cli("certification", "export", "--format", "csv"); !strings.Contains(out, "IS 7001") {
		t.Fatalf("export:\n%s", out)
	}
	cli("certification", "delete", "CERT-002")
	refused("not found", "certification", "show", "CERT-002")
}
