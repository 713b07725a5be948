package cli

import (
	"encoding/json"
	"os"
	"slices"
	"strings"

	"github.com/spf13/cobra"

	"github.com/praxis-isms/praxis/internal/bench"
	"github.com/praxis-isms/praxis/internal/isms"
	"github.com/praxis-isms/praxis/internal/keys"
	"github.com/praxis-isms/praxis/internal/service"
)

func (e *env) benchCmd() *cobra.Command {
	var scale, jsonOut, cpuProfile string
	var quick bool
	var c bench.Config
	cmd := &cobra.Command{
		Use:   "bench",
		Short: "Measure the server on a large sample (loads it first when missing): pages, lists, throughput, files",
		Long: "Start praxis serve on this database (loading the sample organisation at --scale first if it is missing), time\n" +
			"every main page and API list, set list and create throughput beside a bare handler and plain inserts, export and\n" +
			"import 100,000 rows, and print a table (and --json FILE). It adds risks and an organisation to the database:\n" +
			"run it on a database kept for measuring. Requests go only to 127.0.0.1.",
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			for _, part := range c.Only {
				if !slices.Contains(bench.Parts, part) {
					return isms.Invalid(isms.FieldError{Field: "only", Message: "must name parts among " + strings.Join(bench.Parts, ", ")})
				}
			}
			size, ok := service.SampleScales[scale]
			if !ok {
				return isms.Invalid(isms.FieldError{Field: "scale", Message: "must be small, medium or large"})
			}
			svc, err := e.create(cmd.Context()) // bench seeds its sample into a new data folder
			if err != nil {
				return err
			}
			if _, _, err := svc.DemoSample(cmd.Context(), size, newProgressBar(e.stderr).update); err != nil {
				return err
			}
			key, _, _, err := keys.Load(e.dataDir)
			if err != nil {
				return err
			}
			if c.Exe, err = os.Executable(); err != nil {
				return err
			}
			c.Svc, c.AuditKey, c.Log = svc, key.Audit(), e.stderr
			c.ServeArgs = []string{"--data", e.dataDir}
			if e.dbURL != "" {
				c.ServeArgs = append(c.ServeArgs, "--db", e.dbURL)
			}
			if cpuProfile != "" {
				c.ServeFlags = []string{"--cpuprofile", cpuProfile}
			}
			if quick {
				c = bench.Quick(c)
			}
			rep, err := bench.Run(cmd.Context(), c)
			if err != nil {
				return err
			}
			rep.Print(e.stdout)
			if jsonOut == "" {
				return nil
			}
			b, err := json.MarshalIndent(rep, "", "  ")
			if err != nil {
				return err
			}
			if err := os.WriteFile(jsonOut, append(b, '\n'), 0o644); err != nil {
				return err
			}
			printf(e.stdout, "\nwrote %s\n", jsonOut)
			return nil
		},
	}
	f := cmd.Flags()
	f.StringVar(&scale, "scale", "large", "sample to load when the sample organisation is missing: small, medium or large")
	f.StringVar(&jsonOut, "json", "", "also write the figures as JSON to this file")
	f.BoolVar(&quick, "quick", false, "a few requests each, for checking that everything runs")
	f.IntVar(&c.Requests, "requests", 0, "timed requests per page or list (default 40)")
	f.DurationVar(&c.Throughput, "duration", 0, "length of each throughput run (default 5s)")
	f.IntVar(&c.Clients, "clients", 0, "concurrent clients of the throughput runs (default 4)")
	f.IntVar(&c.ImportRows, "import-rows", 0, "rows of the import (default 100,000)")
	f.StringSliceVar(&c.Only, "only", nil, "run only these parts: "+strings.Join(bench.Parts, ", ")+" (default all)")
	f.StringVar(&cpuProfile, "cpuprofile", "", "write the server's CPU profile of the whole run to this file (go tool pprof)")

	return cmd
}
