package cli

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/praxis-isms/praxis/internal/blob"
	"github.com/praxis-isms/praxis/internal/testutil"
)

func TestEvidenceCommands(t *testing.T) {
	for _, engine := range testutil.Engines {
		t.Run(string(engine), func(t *testing.T) {
			if engine == "postgres" {
				testutil.PostgresURL(t)
			}
			i := newInstallation(t, engine)
			dir := t.TempDir()
			scan := filepath.Join(dir, "scan.pdf")
			content := []byte("%PDF-1.4\nSAST report: 0 high findings\n")
			if err := os.WriteFile(scan, content, 0o600); err != nil {
				t.Fatal(err)
			}
			sum := sha256.Sum256(content)
			sha := hex.EncodeToString(sum[:])
			if out := i.cli("evidence", "add", scan, "--control", "8.28", "--valid-until", "2027-06-30"); !strings.Contains(out, "E-001 scan.pdf (SHA-256 "+sha+")") {
				t.Fatalf("add file: %s", out)
			}
			i.cli("evidence", "add", "--link", "https://tickets.example/ISMS-42", "--control", "5.18", "--title", "Access review")
			i.cli("evidence", "add", "--note", "Restore of the HR database tested", "--control", "8.13", "--valid-until", "2026-01-31")
			i.refused("url: must be an http or https address", "evidence", "add", "--link", "file:///etc/passwd")
			var rows []map[string]any
			if err := json.Unmarshal([]byte(i.cli("evidence", "list", "--format", "json")), &rows); err != nil {
				t.Fatal(err)
			}
			if len(rows) != 3 || rows[0]["sha256"] != sha || rows[0]["size"] != float64(len(content)) || rows[0]["status"] != "current" ||
				rows[0]["kind"] != "file" || rows[1]["kind"] != "link" || rows[0]["valid_until"] != "2027-06-30" || rows[0]["collected_at"] == "" {
				t.Fatalf("list: %v", rows)
			}
			if c, _ := rows[0]["controls"].([]any); len(c) != 1 || c[0] != "8.28" {
				t.Fatalf("controls: %v", rows[0]["controls"])
			}
			if out := i.cli("evidence", "list", "--status", "expired", "--format", "csv"); !strings.Contains(out, "E-003") || strings.Contains(out, "E-001") {
				t.Fatalf("expired: %s", out)
			}
			if out := i.cli("evidence", "list", "--control", "8.28"); !strings.Contains(out, "E-001") || strings.Contains(out, "E-002") {
				t.Fatalf("by control: %s", out)
			}
			i.cli("evidence", "set", "E-002", "--valid-until", "2027-01-01")
			got := filepath.Join(dir, "copy.pdf")
			if out := i.cli("evidence", "get", "E-001", "-o", got); !strings.Contains(out, "verified") {
				t.Fatalf("get: %s", out)
			}
			if b, err := os.ReadFile(got); err != nil || string(b) != string(content) {
				t.Fatalf("saved %q, %v", b, err)
			}
			i.cli("evidence", "export", "-o", filepath.Join(dir, "evidence.csv"))
			if b, _ := os.ReadFile(filepath.Join(dir, "evidence.csv")); !strings.Contains(string(b), sha) {
				t.Fatalf("export: %s", b)
			}
			if engine == "sqlite" {
				// The stored file is altered: get refuses it and leaves no file behind.
				stored := filepath.Join(strings.TrimPrefix(i.base[0], "--data="), "blobs", blob.Path(sha))
				if err := os.WriteFile(stored, []byte("altered"), 0o600); err != nil {
					t.Fatal(err)
				}
				bad := filepath.Join(dir, "bad.pdf")
				i.refused("no longer matches its SHA-256", "evidence", "get", "E-001", "-o", bad)
				if _, err := os.Stat(bad); !os.IsNotExist(err) {
					t.Fatalf("a refused download left %s", bad)
				}
				// A smaller limit refuses a larger file, naming the limit.
				i.refused("larger than the upload limit of 10 bytes", "--max-upload", "10B", "evidence", "add", scan)
			}
			i.cli("evidence", "delete", "E-001")
		})
	}
}
