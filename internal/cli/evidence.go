package cli

import (
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/spf13/cobra"

	"github.com/praxis-isms/praxis/internal/isms"
	"github.com/praxis-isms/praxis/internal/service"
)

// evidenceCmd is the evidence register: list, show, add (a file, --link or --note), set, get (the file, checked
// against its SHA-256), delete and export.
func (e *env) evidenceCmd() *cobra.Command {
	var file string // the file `evidence add FILE` uploads
	cmd := registerCmd(e, registerSpec[isms.Evidence, service.EvidenceInput, service.EvidenceFilter]{use: "evidence", noun: "piece of evidence",
		plural: "evidence", short: "Evidence that controls and clauses work: files (kept by SHA-256), links and notes",
		reg:  service.EvidenceRegister,
		list: (*service.Service).ListEvidence, get: (*service.Service).Evidence,
		add: func(svc *service.Service, ctx context.Context, in service.EvidenceInput) (isms.Evidence, error) {
			if file == "" {
				return svc.AddEvidence(ctx, in)
			}
			f, err := os.Open(file)
			if err != nil {
				return isms.Evidence{}, err
			}
			defer f.Close()
			return svc.AddEvidenceFile(ctx, in, service.EvidenceFile{Name: filepath.Base(file), Body: f})
		},
		patch: (*service.Service).PatchEvidence, delete: (*service.Service).DeleteEvidence, export: (*service.Service).ExportEvidence,
		label: func(ev isms.Evidence) string {
			if ev.SHA256 != "" {
				return fmt.Sprintf("%s %s (SHA-256 %s)", ev.Ref, ev.Title, ev.SHA256)
			}
			return ev.Ref + " " + ev.Title
		},
		stamp: func(in *service.EvidenceInput, v int, sent service.Sent) { in.Version, in.Sent = v, sent },
		more: func(c *cobra.Command, in *service.EvidenceInput) map[string]string {
			c.Flags().StringSliceVar(&in.Controls, "control", nil, "an Annex A control it shows at work (8.28); repeat or separate by commas")
			c.Flags().StringSliceVar(&in.Clauses, "clause", nil, "a clause it shows (9.2); repeat or separate by commas")
			c.Flags().StringSliceVar(&in.Tasks, "task", nil, "a task it completes (T-001); repeat or separate by commas")
			c.Flags().StringVar(&in.URL, "link", "", "a link: the address (http or https) where the evidence lives")
			c.Flags().StringVar(&in.Description, "note", "", "a note: its text")
			return map[string]string{"control": "controls", "clause": "clauses", "task": "tasks", "link": "url", "note": "description"}
		},
	})
	for _, sub := range cmd.Commands() {
		if sub.Name() == "add" {
			sub.Use = "add [FILE]"
			sub.Short = "Add evidence: upload FILE, or --link URL, or --note TEXT"
			sub.Example = "  praxis evidence add scan.pdf --control 8.28 --valid-until 2027-06-30\n" +
				"  praxis evidence add --link https://tickets.example/ISMS-42 --control 5.18\n" +
				"  praxis evidence add --note \"Restore of the HR database tested on 1 March\" --control 8.13"
			sub.Args = cobra.MaximumNArgs(1)
			sub.PreRun = func(_ *cobra.Command, args []string) {
				if len(args) == 1 {
					file = args[0]
				}
			}
		}
	}
	cmd.AddCommand(e.evidenceGetCmd())
	return cmd
}

// evidenceGetCmd saves the file of a piece of evidence, verified against its SHA-256: a file that no longer
// matches is refused, and a partly written copy removed.
func (e *env) evidenceGetCmd() *cobra.Command {
	var out string
	c := &cobra.Command{Use: "get REF", Short: "Save the file of a piece of evidence (checked against its SHA-256)", Args: cobra.ExactArgs(1),
		Example: "  praxis evidence get E-001 -o sast-report.pdf",
		RunE: func(cmd *cobra.Command, args []string) error {
			ctx, svc, err := e.acting(cmd.Context())
			if err != nil {
				return err
			}
			ev, rc, err := svc.OpenEvidenceFile(ctx, args[0])
			if err != nil {
				return err
			}
			defer rc.Close()
			if out == "-" {
				_, err := io.Copy(e.stdout, rc)
				return err
			}
			if out == "" {
				out = ev.Filename
			}
			n, err := writeFileAtomically(out, rc)
			if err != nil {
				return fmt.Errorf("%s: %w", ev.Ref, err)
			}
			printf(e.stdout, "Saved %s to %s (%s bytes, SHA-256 %s verified).\n", ev.Ref, out, strconv.FormatInt(n, 10), ev.SHA256)
			return nil
		}}
	c.Flags().StringVarP(&out, "output", "o", "", "where to save it (default: the name it was uploaded under; - for standard output)")
	return c
}

// writeFileAtomically writes r to a temporary file next to path and renames it only when r ended without error.
func writeFileAtomically(path string, r io.Reader) (int64, error) {
	dir := filepath.Dir(path)
	tmp, err := os.CreateTemp(dir, "."+strings.TrimPrefix(filepath.Base(path), ".")+".part-*")
	if err != nil {
		return 0, err
	}
	defer os.Remove(tmp.Name())
	n, err := io.Copy(tmp, r)
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return n, err
	}
	return n, os.Rename(tmp.Name(), path)
}

// parseSize reads a size such as 50MB, 200KB, 1GB or a number of bytes (units of 1024).
func parseSize(s string) (int64, error) {
	t := strings.ToUpper(strings.TrimSpace(s))
	mult := int64(1)
	for _, u := range []struct {
		suffix string
		mult   int64
	}{{"GB", 1 << 30}, {"MB", 1 << 20}, {"KB", 1 << 10}, {"G", 1 << 30}, {"M", 1 << 20}, {"K", 1 << 10}, {"B", 1}} {
		if strings.HasSuffix(t, u.suffix) {
			t, mult = strings.TrimSpace(strings.TrimSuffix(t, u.suffix)), u.mult
			break
		}
	}
	n, err := strconv.ParseInt(t, 10, 64)
	if err != nil || n <= 0 {
		return 0, fmt.Errorf("%q is not a size such as 50MB", s)
	}
	return n * mult, nil
}
