package cli

import (
	"io"
	"path/filepath"
	"strings"

	"github.com/spf13/cobra"

	"github.com/praxis-isms/praxis/internal/service"
)

// soaExportCmd is `soa export [--format F] [--version N] [-o FILE]`: the draft or an approved version as a file,
// through the same ExportSoA as the web's downloads and the API.
func (e *env) soaExportCmd() *cobra.Command {
	var format, out string
	var version int
	c := &cobra.Command{
		Use:   "export",
		Short: "Export the SoA (the draft, or --version N) as XLSX, PDF, CSV, Markdown or OSCAL JSON",
		Example: "  praxis soa export -o soa.xlsx\n  praxis soa export --format pdf --version 2 -o soa-v2.pdf\n" +
			"  praxis soa export --format oscal -o ssp.json",
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			f := format
			if f == "" && (out == "" || out == "-") {
				f = "md"
			}
			if f == "" && strings.EqualFold(filepath.Ext(out), ".json") {
				f = "oscal" // the only JSON an SoA export writes
			}
			f, err := fileFormat(f, out, service.SoAExportFormats)
			if err != nil {
				return err
			}
			var v *int
			if version > 0 {
				v = &version
			}
			ctx, svc, err := e.acting(cmd.Context())
			if err != nil {
				return err
			}
			return e.exportFile(out, func(w io.Writer) error { return svc.ExportSoA(ctx, v, f, w) })
		},
	}
	c.Flags().StringVar(&format, "format", "", "xlsx, pdf, csv, csv-excel (with the byte order mark Excel needs), md or oscal "+
		"(default from the file's extension, .json meaning oscal; md on standard output)")
	c.Flags().IntVar(&version, "version", 0, "an approved version's number (default: the current draft)")
	c.Flags().StringVarP(&out, "output", "o", "", "file to write (default standard output)")
	return c
}
