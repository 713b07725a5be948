package cli

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"github.com/praxis-isms/praxis/internal/export/oscal"
	"github.com/praxis-isms/praxis/internal/sqldb"
	"github.com/praxis-isms/praxis/internal/testutil"
)

// praxis soa export writes the draft or an approved version: an XLSX that reads back with a row per control, a
// PDF, OSCAL JSON that validates (named by --format or by the .json extension), Markdown on standard output; a bad
// format or an unknown version exits non-zero and writes no file.
func TestSoAExportCommand(t *testing.T) {
	for _, engine := range testutil.Engines {
		t.Run(string(engine), func(t *testing.T) {
			dir := t.TempDir()
			d := []string{"--data=" + dir}
			if engine == sqldb.Postgres {
				d = append(d, "--db="+testutil.NewPostgresURL(t))
			}
			cli := func(args ...string) string {
				t.Helper()
				return mustRun(t, append(append([]string{}, d...), args...)...)
			}
			cli("init", "--org", "Acme", "--owner", "alice@example.com")
			for _, theme := range []string{"organizational", "people", "physical", "technological"} {
				cli("soa", "set", "--theme", theme, "--applicable=yes", "--justification", "Part of how we run", "--status", "implemented")
			}
			cli("soa", "approve", "--comment", "First")
			cli("soa", "set", "7.3", "--applicable=no", "--justification", "No offices")

			xlsx := filepath.Join(dir, "soa.xlsx")
			cli("soa", "export", "-o", xlsx)
			f, err := excelize.OpenFile(xlsx)
			if err != nil {
				t.Fatal(err)
			}
			rows, err := f.GetRows("SoA")
			f.Close()
			if err != nil || len(rows) != 94 {
				t.Fatalf("soa.xlsx: %d rows (%v), want the header and 93 controls", len(rows), err)
			}
			for _, r := range rows {
				if r[0] == "7.3" && !strings.Contains(strings.Join(r, "|"), "No offices") {
					t.Errorf("the draft's 7.3 in the XLSX: %v", r)
				}
			}

			pdf := filepath.Join(dir, "v1.pdf")
			cli("soa", "export", "--format", "pdf", "--version", "1", "-o", pdf)
			if b, err := os.ReadFile(pdf); err != nil || !bytes.HasPrefix(b, []byte("%PDF")) {
				t.Errorf("v1.pdf: %.20q (%v)", b, err)
			}
			ssp := filepath.Join(dir, "ssp.json")
			cli("soa", "export", "--version", "1", "-o", ssp)
			if b, err := os.ReadFile(ssp); err != nil || oscal.Validate(b) != nil {
				t.Errorf("ssp.json does not validate: %v %v", err, oscal.Validate(b))
			}
			if md := cli("soa", "export", "--version", "1"); !strings.Contains(md, "# ") || !strings.Contains(md, "7.3") || strings.Contains(md, "No offices") {
				t.Errorf("Markdown of version 1 on standard output:\n%.300s", md)
			}

			for _, c := range []struct {
				want string
				args []string
			}{
				{"format: must be one of xlsx, pdf, csv, csv-excel, md, oscal", []string{"soa", "export", "--format", "docx", "-o", filepath.Join(dir, "x.docx")}},
				{"SoA version 9 not found", []string{"soa", "export", "--version", "9", "-o", filepath.Join(dir, "x.pdf")}},
			} {
				if out, errOut, code := run(t, append(append([]string{}, d...), c.args...)...); code == 0 || !strings.Contains(errOut, c.want) {
					t.Errorf("praxis %v: exit %d, %s%s; want a refusal saying %q", c.args, code, out, errOut, c.want)
				}
			}
			for _, name := range []string{"x.docx", "x.pdf"} {
				if _, err := os.Stat(filepath.Join(dir, name)); !os.IsNotExist(err) {
					t.Errorf("a refused export left %s behind (%v)", name, err)
				}
			}
		})
	}
}
