// Package cli is the praxis command line (cobra). Commands call the same service layer as the web UI and the
// API; read commands take --format table|json|csv.
package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"runtime"
	"runtime/debug"
	"time"

	"github.com/spf13/cobra"

	"github.com/praxis-isms/praxis/internal/isms"
	"github.com/praxis-isms/praxis/internal/keys"
	"github.com/praxis-isms/praxis/internal/service"
	"github.com/praxis-isms/praxis/internal/sqldb"
	"github.com/praxis-isms/praxis/internal/store"
)

// Set at build time with -ldflags "-X github.com/praxis-isms/praxis/internal/cli.version=...".
var (
	version = "dev"
	commit  = ""
)

// Version returns the version, commit and Go version.
func Version() (v, c, goVersion string) {
	c = commit
	if c == "" {
		if bi, ok := debug.ReadBuildInfo(); ok {
			for _, s := range bi.Settings {
				if s.Key == "vcs.revision" {
					c = s.Value
				}
			}
		}
	}
	if c == "" {
		c = "unknown"
	}
	return version, c, runtime.Version()
}

// env is what every command shares: flags, output streams and the lazily opened service.
type env struct {
	dataDir   string
	maxUpload string // the largest evidence file accepted (--max-upload)
	dbURL     string
	org       string
	as        string
	format    string
	stdout    io.Writer
	stderr    io.Writer
	logger    *slog.Logger
	db        *sqldb.DB
	svc       *service.Service
	// mayCreate: the command sets up a database (serve, init, demo, restore), so it may create the data folder;
	// the others fail when there is none rather than leave an empty one behind.
	mayCreate bool
	// keyOldTrails: the operator asked to key audit trails written before praxis keyed them (migrate --key-audit-trail).
	keyOldTrails bool
}

// testClock is the service's clock when a test sets it (nil: the real one).
var testClock func() time.Time

// ExitError carries an exit status without another message (the command printed what it had to say).
type ExitError struct{ Code int }

func (e ExitError) Error() string { return fmt.Sprintf("exit status %d", e.Code) }

// Main runs the CLI with args and returns the process exit status.
func Main(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	e := &env{stdout: stdout, stderr: stderr}
	root := e.rootCmd()
	root.SetArgs(args)
	root.SetOut(stdout)
	root.SetErr(stderr)
	err := root.ExecuteContext(ctx)
	if e.db != nil {
		e.db.Close()
	}
	if err == nil {
		return 0
	}
	if x, ok := err.(ExitError); ok {
		return x.Code
	}
	fmt.Fprintln(stderr, "praxis:", visible(describe(err)))
	if isms.ErrorKind(err) == isms.KindInvalid {
		return 2
	}
	return 1
}

// describe writes a service error the way a person reads it: every field problem on its own line.
func describe(err error) string {
	e, ok := isms.AsError(err)
	if !ok || len(e.Fields) == 0 {
		return err.Error()
	}
	s := e.Msg
	for _, f := range e.Fields {
		s += "\n  " + f.Field + ": " + f.Message
	}
	return s
}

func envOr(key, def string) string {
	if v := os.Getenv(key); v != "" {
		return v
	}
	return def
}

func (e *env) rootCmd() *cobra.Command {
	root := &cobra.Command{
		Use:   "praxis",
		Short: "praxis: an ISMS for ISO/IEC 27001:2022 with ISO/IEC 27002 guidance built in",
		Long: "praxis takes an organisation from nothing to ISO/IEC 27001:2022 certification.\n\n" +
			"Start with `praxis serve` (add --demo for a sample organisation) and open the address it prints.",
		SilenceUsage:  true,
		SilenceErrors: true,
		PersistentPreRun: func(cmd *cobra.Command, args []string) {
			e.logger = slog.New(slog.NewTextHandler(e.stderr, &slog.HandlerOptions{Level: slog.LevelInfo}))
		},
	}
	pf := root.PersistentFlags()
	pf.StringVar(&e.dataDir, "data", envOr("PRAXIS_DATA", "./praxis-data"), "data folder: praxis.db and stored files (env PRAXIS_DATA)")
	pf.StringVar(&e.dbURL, "db", envOr("PRAXIS_DB", ""), "database URL, postgres://...; default SQLite in the data folder (env PRAXIS_DB)")
	pf.StringVar(&e.org, "org", envOr("PRAXIS_ORG", ""), "organisation short name, needed when there are several (env PRAXIS_ORG)")
	pf.StringVar(&e.as, "as", envOr("PRAXIS_USER", ""), "act as this member (email); default the organisation's first owner (env PRAXIS_USER)")
	pf.StringVar(&e.format, "format", "table", "output of read commands: table, json or csv")
	pf.StringVar(&e.maxUpload, "max-upload", envOr("PRAXIS_MAX_UPLOAD", "50MB"), "largest evidence file accepted, such as 50MB or 200KB (env PRAXIS_MAX_UPLOAD)")
	root.AddCommand(e.serveCmd(), e.initCmd(), e.demoCmd(), e.benchCmd(), e.migrateCmd(), e.backupCmd(), e.restoreCmd(), e.versionCmd(),
		e.userCmd(), e.tokenCmd(), e.logCmd(), e.personCmd(), e.orgCmd(), e.catalogCmd(), e.assetCmd(), e.riskCmd(), e.soaCmd(), e.docCmd(), e.settingsCmd(),
		e.roleCmd(), e.commitmentCmd(), e.objectiveCmd(), e.issueCmd(), e.partyCmd(), e.scopeCmd())
	// clauses 7 to 10, one register per line
	root.AddCommand(e.taskCmd(), e.controlCmd())
	root.AddCommand(e.evidenceCmd())
	root.AddCommand(e.courseCmd(), e.trainingCmd())
	root.AddCommand(e.auditCmd(), e.withFindingsOSCAL(e.findingCmd()))
	root.AddCommand(e.certificationCmd())
	root.AddCommand(e.correctiveCmd(), e.reviewCmd())
	root.AddCommand(e.metricCmd(), e.improvementCmd())
	root.AddCommand(e.exportCommandGroup())
	root.AddCommand(e.lintCmd(), e.readinessCmd())
	root.AddCommand(e.transitionCmd())
	return root
}

// open opens and migrates the database and builds the service, once.
func (e *env) open(ctx context.Context) (*service.Service, error) {
	if e.svc != nil {
		return e.svc, nil
	}
	open := sqldb.OpenExisting
	if e.mayCreate {
		open = sqldb.Open
	}
	db, err := open(ctx, e.dbURL, e.dataDir)
	if errors.Is(err, sqldb.ErrNoDatabase) {
		return nil, fmt.Errorf("%w: run `praxis init --org NAME --owner EMAIL` or `praxis serve` first, or give --data or --db", err)
	}
	if err != nil {
		return nil, err
	}
	if _, err := db.Migrate(ctx); err != nil {
		db.Close()
		return nil, err
	}
	key, where, created, err := keys.Load(e.dataDir)
	if err != nil {
		db.Close()
		return nil, err
	}
	maxUpload, err := parseSize(e.maxUpload)
	if err != nil {
		db.Close()
		return nil, fmt.Errorf("--max-upload: %w", err)
	}
	svc, err := service.Open(ctx, store.New(db), service.Config{BlobDir: filepath.Join(e.dataDir, "blobs"), Logger: e.logger, MaxUpload: maxUpload,
		Key: key, KeySource: where, KeyOldTrails: created || e.keyOldTrails, Now: testClock})
	if err != nil {
		db.Close()
		return nil, err
	}
	e.db, e.svc = db, svc
	return e.svc, nil
}

// create is open for the commands that set a database up: a missing data folder and database are created.
func (e *env) create(ctx context.Context) (*service.Service, error) {
	e.mayCreate = true
	return e.open(ctx)
}

// acting opens the service and returns a context acting as the operator's member (see service.OperatorActor).
func (e *env) acting(ctx context.Context) (context.Context, *service.Service, error) {
	svc, err := e.open(ctx)
	if err != nil {
		return ctx, nil, err
	}
	a, err := svc.OperatorActor(ctx, e.org, e.as)
	if err != nil {
		return ctx, nil, err
	}
	return service.WithActor(ctx, a), svc, nil
}

func (e *env) versionCmd() *cobra.Command {
	return &cobra.Command{
		Use:   "version",
		Short: "Print the version, commit and Go version",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			v, c, g := Version()
			if e.format == "json" {
				return writeJSON(e.stdout, map[string]string{"version": v, "commit": c, "go": g})
			}
			fmt.Fprintf(e.stdout, "praxis %s (commit %s, %s)\n", v, c, g)
			return nil
		},
	}
}

func (e *env) migrateCmd() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "migrate",
		Short: "Bring the database schema up to date and check the installation key (serve does this too)",
		Long: "Bring the database schema up to date, then open praxis once so that the installation key is checked.\n" +
			"--key-audit-trail keys audit trails written by a praxis version from before keyed trails, when the key\n" +
			"was not created by this upgrade (given in PRAXIS_AUDIT_KEY, say); each trail is verified first.",
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			db, err := sqldb.Open(cmd.Context(), e.dbURL, e.dataDir)
			if err != nil {
				return err
			}
			n, err := db.Migrate(cmd.Context())
			if err != nil {
				db.Close()
				return err
			}
			v, _ := db.SchemaVersion(cmd.Context())
			db.Close()
			fmt.Fprintf(e.stdout, "%s: %d migration(s) applied, schema version %d\n", db.Where, n, v)
			if _, err := e.open(cmd.Context()); err != nil {
				return err
			}
			fmt.Fprintf(e.stdout, "installation key %s\n", e.svc.AuditKeyID())
			return nil
		},
	}
	cmd.Flags().BoolVar(&e.keyOldTrails, "key-audit-trail", false, "key audit trails written before praxis keyed them, after verifying them")
	return cmd
}
