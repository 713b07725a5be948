package cli

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"runtime/debug"
	"runtime/pprof"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/praxis-isms/praxis/internal/httpserver"
	"github.com/praxis-isms/praxis/internal/isms"
	"github.com/praxis-isms/praxis/internal/keys"
	"github.com/praxis-isms/praxis/internal/service"
)

func (e *env) serveCmd() *cobra.Command {
	var addr, secure, proxies, cpuProfile string
	var demo bool
	cmd := &cobra.Command{
		Use:   "serve",
		Short: "Serve the web UI and the REST API",
		Long: "Serve the web UI and the REST API. On an empty database the first page creates the first organisation\n" +
			"and its owner. --demo loads the sample organisation if it is missing.",
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			ctx := cmd.Context()
			svc, err := e.create(ctx)
			if err != nil {
				return err
			}
			if demo {
				if err := e.loadDemo(cmd, svc); err != nil {
					return err
				}
			}
			if cpuProfile != "" {
				stop, err := startCPUProfile(cpuProfile)
				if err != nil {
					return err
				}
				defer stop()
			}
			go e.purgeSessions(ctx, svc)
			v, _, _ := Version()
			cfg := httpserver.Config{Addr: addr, Version: v, Logger: e.logger}
			if cfg.TrustedProxies, err = httpserver.ParseProxies(proxies); err != nil {
				return isms.Invalid(isms.FieldError{Field: "trusted-proxies", Message: err.Error()})
			}
			switch secure {
			case "auto":
				cfg.SecureCookies = !httpserver.IsLoopback(addr)
			case "true", "false":
				cfg.SecureCookies = secure == "true"
			default:
				return isms.Invalid(isms.FieldError{Field: "secure-cookies", Message: "must be auto, true or false"})
			}
			handler := httpserver.Handler(svc, cfg)
			// Start-up (migrations, parsing every page, the API's schema) leaves garbage the runtime would give
			// back to the system only slowly; give it back now, so a server at rest holds only what it uses.
			debug.FreeOSMemory()
			return httpserver.Serve(ctx, handler, cfg, func(a string) {
				printf(e.stdout, "praxis %s serving http://%s (data: %s)\n", v, a, e.db.Where)
				// --secure-cookies true is how the operator says that TLS is in front; without it, a
				// non-loopback address means plain HTTP that others on the network can read.
				if !httpserver.IsLoopback(addr) && secure != "true" {
					printf(e.stderr, "WARNING: %s is plain HTTP reachable from the network: passwords, session cookies and API tokens "+
						"would cross it unencrypted. Put a reverse proxy that terminates TLS in front of praxis, and start praxis with "+
						"--trusted-proxies PROXY-ADDRESS --secure-cookies true.\n", a)
				}
			})
		},
	}
	cmd.Flags().StringVar(&addr, "addr", envOr("PRAXIS_ADDR", "127.0.0.1:8080"), "address to listen on (env PRAXIS_ADDR)")
	cmd.Flags().BoolVar(&demo, "demo", false, "load the sample organisation if it is missing")
	cmd.Flags().StringVar(&secure, "secure-cookies", envOr("PRAXIS_SECURE_COOKIES", "auto"),
		"mark cookies Secure (HTTPS only): auto = yes unless listening on loopback; false only for plain HTTP on a trusted network (env PRAXIS_SECURE_COOKIES)")
	cmd.Flags().StringVar(&proxies, "trusted-proxies", os.Getenv("PRAXIS_TRUSTED_PROXIES"),
		"reverse proxies (addresses or CIDR prefixes, comma-separated) whose X-Forwarded-For names the client, for login limits and logs (env PRAXIS_TRUSTED_PROXIES)")
	// For measuring (praxis bench --cpuprofile), not for running a server.
	cmd.Flags().StringVar(&cpuProfile, "cpuprofile", "", "write a CPU profile of the server to this file until it stops")
	cmd.Flags().MarkHidden("cpuprofile")
	return cmd
}

// startCPUProfile profiles the process into path until the returned stop is called.
func startCPUProfile(path string) (stop func(), err error) {
	f, err := os.Create(path)
	if err != nil {
		return nil, err
	}
	if err := pprof.StartCPUProfile(f); err != nil {
		f.Close()
		return nil, err
	}
	return func() { pprof.StopCPUProfile(); f.Close() }, nil
}

// purgeSessions removes ended sessions every hour until ctx ends.
func (e *env) purgeSessions(ctx context.Context, svc *service.Service) {
	t := time.NewTicker(time.Hour)
	defer t.Stop()
	for {
		if n, err := svc.PurgeSessions(ctx); err != nil && ctx.Err() == nil {
			e.logger.Warn("purge sessions", "err", err)
		} else if n > 0 {
			e.logger.Info("purged ended sessions", "count", n)
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}

func (e *env) loadDemo(cmd *cobra.Command, svc *service.Service) error {
	return e.loadSample(cmd, svc, service.SampleSize{}, false)
}

// loadSample loads the sample organisation with size added to it (a zero size is the demo alone) and, when
// transition is set, the second sample organisation, the one moving from the 2013 edition.
func (e *env) loadSample(cmd *cobra.Command, svc *service.Service, size service.SampleSize, transition bool) error {
	bar := newProgressBar(e.stderr)
	created, logins, err := svc.DemoSample(cmd.Context(), size, bar.update)
	bar.done()
	if err != nil {
		return fmt.Errorf("load the sample organisation: %w", err)
	}
	if transition {
		made, more, err := svc.DemoTransition(cmd.Context())
		if err != nil {
			return fmt.Errorf("load the transition sample: %w", err)
		}
		if made {
			printf(e.stdout, "Created the sample organisation %s (%s); with two organisations, commands need --org (or PRAXIS_ORG).\n",
				service.DemoTransitionOrgName, service.DemoTransitionOrgSlug)
		}
		logins = append(logins, more...)
	}
	if created {
		printf(e.stdout, "Created the sample organisation %s (%s).\n", service.DemoOrgName, service.DemoOrgSlug)
	} else {
		printf(e.stdout, "The sample organisation %s is already there.\n", service.DemoOrgName)
	}
	printf(e.stdout, "Log in with any of these accounts, password %q:\n", service.DemoPassword)
	org := ""
	for _, l := range logins {
		if l.Org != org {
			org = l.Org
			printf(e.stdout, "  %s, %s:\n", org, sampleStory[org])
		}
		printf(e.stdout, "    %-28s %-8s %s\n", l.Email, l.Role, l.Name)
	}
	return nil
}

// sampleStory says what each sample organisation shows.
var sampleStory = map[string]string{
	service.DemoOrgName:           "on its way to its first certification",
	service.DemoTransitionOrgName: "moving its ISO/IEC 27001:2013 SoA to the 2022 edition",
}

func (e *env) demoCmd() *cobra.Command {
	var scale string
	var transition bool
	cmd := &cobra.Command{
		Use:   "demo",
		Short: "Create the sample organisation if it is missing",
		Long: "Create the sample organisation if it is missing. --scale medium adds 1,000 assets, 10,000 risks and an audit\n" +
			"trail of 100,000 events to it; --scale large ten times as much, for measuring praxis (praxis bench).",
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			size, ok := service.SampleScales[scale]
			if !ok {
				return isms.Invalid(isms.FieldError{Field: "scale", Message: "must be small, medium or large"})
			}
			svc, err := e.create(cmd.Context())
			if err != nil {
				return err
			}
			return e.loadSample(cmd, svc, size, transition)
		},
	}
	cmd.Flags().StringVar(&scale, "scale", "small", "small (the demo), medium or large")
	cmd.Flags().BoolVar(&transition, "transition", false,
		"also add "+service.DemoTransitionOrgName+", halfway through moving its ISO/IEC 27001:2013 SoA to 2022 (a second organisation)")
	return cmd
}

func (e *env) initCmd() *cobra.Command {
	var org, owner, name string
	cmd := &cobra.Command{
		Use:   "init",
		Short: "Create an organisation and its owner; prints a one-time password",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			svc, err := e.create(cmd.Context())
			if err != nil {
				return err
			}
			o, pw, err := svc.Init(cmd.Context(), service.InitInput{OrgName: org, OwnerEmail: owner, OwnerName: name})
			if err != nil {
				return err
			}
			printf(e.stdout, "Created organisation %s (short name %s) with owner %s.\n", o.Name, o.Slug, owner)
			if pw != "" {
				printf(e.stdout, "One-time password: %s\nIt must be changed at the first login.\n", pw)
			} else {
				printf(e.stdout, "%s already has an account and keeps its password.\n", owner)
			}
			return nil
		},
	}
	cmd.Flags().StringVar(&org, "org", "", "organisation name (required)")
	cmd.Flags().StringVar(&owner, "owner", "", "owner's email (required)")
	cmd.Flags().StringVar(&name, "name", "", "owner's full name")
	cmd.MarkFlagRequired("owner")
	return cmd
}

func (e *env) backupCmd() *cobra.Command {
	var c backupCrypto
	cmd := &cobra.Command{
		Use:   "backup FILE",
		Short: "Write a portable archive of everything (all organisations, users, data and files)",
		Long: "Write a portable archive of everything. Its manifest lists every file with its SHA-256 and is authenticated\n" +
			"with the installation key, so restore refuses an altered archive. Encrypt it with age: --passphrase-file F\n" +
			"(or " + passphraseEnv + ") or --recipient age1... (repeatable).",
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			svc, err := e.open(cmd.Context())
			if err != nil {
				return err
			}
			// Write to a temporary file and rename, so that a failed backup never leaves a truncated archive.
			tmp, err := os.CreateTemp(filepath.Dir(args[0]), ".praxis-backup-*")
			if err != nil {
				return err
			}
			defer os.Remove(tmp.Name())
			w, encrypted, err := c.encrypt(tmp)
			if err != nil {
				tmp.Close()
				return err
			}
			v, _, _ := Version()
			m, err := svc.Backup(cmd.Context(), w, v)
			if err == nil && encrypted != nil {
				err = encrypted.Close()
			}
			if err != nil {
				tmp.Close()
				return err
			}
			if err := tmp.Sync(); err != nil {
				tmp.Close()
				return err
			}
			if err := tmp.Close(); err != nil {
				return err
			}
			if err := os.Rename(tmp.Name(), args[0]); err != nil {
				return err
			}
			var rows int64
			for _, n := range m.Rows {
				rows += n
			}
			how := ""
			if encrypted != nil {
				how = ", encrypted"
			}
			printf(e.stdout, "Backed up %d rows in %d tables and %d files to %s (schema version %d, key %s%s).\n", rows, len(m.Rows), m.Blobs, args[0], m.SchemaVersion, m.KeyID, how)
			return nil
		},
	}
	cmd.Flags().StringVar(&c.passphraseFile, "passphrase-file", "", "encrypt with the passphrase in this file (age, scrypt); env "+passphraseEnv)
	cmd.Flags().StringArrayVar(&c.recipients, "recipient", nil, "encrypt to this age public key (age1...); repeatable")
	return cmd
}

func (e *env) restoreCmd() *cobra.Command {
	var c backupCrypto
	var opts service.RestoreOptions
	cmd := &cobra.Command{
		Use:   "restore FILE",
		Short: "Load a backup archive into an empty database (SQLite or PostgreSQL)",
		Long: "Load a backup archive into an empty database of either engine. To move from SQLite to PostgreSQL:\n" +
			"  praxis backup praxis.zip\n  praxis --db postgres://... restore praxis.zip\n" +
			"The archive must be authentic: made with this installation's key (" + keys.EnvVar + " or the key file " + keys.FileName + ")\n" +
			"and unaltered. --untrusted restores it anyway and records that in every organisation's audit trail.\n" +
			"An encrypted archive takes --passphrase-file (or " + passphraseEnv + ") or --identity FILE.",
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			svc, err := e.create(cmd.Context())
			if err != nil {
				return err
			}
			f, err := os.Open(args[0])
			if err != nil {
				return err
			}
			defer f.Close()
			st, err := f.Stat()
			if err != nil {
				return err
			}
			r, size, err := c.decrypt(f, st.Size())
			if err != nil {
				return err
			}
			rep, err := svc.Restore(cmd.Context(), r, size, opts)
			if err != nil {
				return err
			}
			m := rep.Manifest
			if len(rep.Problems) > 0 {
				fmt.Fprintf(e.stderr, "WARNING: restored an archive that could not be authenticated (--untrusted):\n  %s\n"+
					"Every restored organisation's audit trail records this restore.\n", strings.Join(rep.Problems, "\n  "))
			}
			var rows int64
			for _, n := range m.Rows {
				rows += n
			}
			printf(e.stdout, "Restored %d rows and %d files from %s (taken %s on %s) into %s.\n", rows, m.Blobs, args[0], m.CreatedAt, m.Engine, e.db.Where)
			return nil
		},
	}
	cmd.Flags().BoolVar(&opts.Untrusted, "untrusted", false, "restore an archive that cannot be authenticated (altered, or made with another key), and record it")
	cmd.Flags().StringVar(&c.passphraseFile, "passphrase-file", "", "decrypt with the passphrase in this file; env "+passphraseEnv)
	cmd.Flags().StringArrayVar(&c.identityFiles, "identity", nil, "decrypt with this age identity file; repeatable")
	return cmd
}
