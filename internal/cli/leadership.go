package cli

import (
	"context"
	"io"
	"strconv"

	"github.com/spf13/cobra"

	"github.com/praxis-isms/praxis/internal/isms"
	"github.com/praxis-isms/praxis/internal/service"
	"github.com/praxis-isms/praxis/internal/store"
)

// registerSpec is what the commands of a register edited through the kit need: its declaration, its service
// methods and how to name a row. registerCmd builds list, show, add, set, delete and export from it.
type registerSpec[T, In, F any] struct {
	use, short, noun string // "role", the command's help, "role"
	plural           string // "roles", for exports
	reg              *store.Register[T, F]
	list             func(ctx context.Context, svc *service.Service, f F, p service.Page) (service.List[T], []string, error)
	get              func(svc *service.Service) func(ctx context.Context, ref string) (T, error)
	add              func(svc *service.Service) func(ctx context.Context, in In) (T, error)
	patch            func(svc *service.Service) func(ctx context.Context, ref string, in In) (T, error)
	delete           func(svc *service.Service) func(ctx context.Context, ref string) error
	export           func(svc *service.Service) func(ctx context.Context, f F, format string, w io.Writer) error
	label            func(T) string // "RL-001 Sponsor"
	version          func(T) int
	versioned        func(in *In, version int, sent service.Sent) // sets the input's Version and Sent
	// warnings, when set, says what looks wrong in the register as a whole, printed on stderr after a save.
	warnings func(ctx context.Context, svc *service.Service) ([]string, error)
	// more adds flags beyond the input's string and int fields (objectives: --risk) and names the input
	// fields they set; filters adds flags beyond the declared filters (--overdue) and completes the filter.
	more    func(c *cobra.Command, in *In) map[string]string
	filters func(c *cobra.Command, f *F) func(svc *service.Service)
}

// registerCmd is the command of a register: list (with the declared filters), show, add, set (only the flags
// given change), delete and export, each printing through e.print (--format table, json or csv).
func registerCmd[T, In, F any](e *env, s registerSpec[T, In, F]) *cobra.Command {
	cmd := &cobra.Command{Use: s.use, Short: s.short}
	var f F
	// filters adds the filter flags to a command and returns what completes the filter before a run.
	filters := func(c *cobra.Command) func(*service.Service) {
		filterFlags(c, s.reg, &f)
		if s.filters != nil {
			return s.filters(c, &f)
		}
		return func(*service.Service) {}
	}
	var limit, offset int
	var complete func(*service.Service)
	list := &cobra.Command{Use: "list", Short: "List " + s.plural, Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			ctx, svc, err := e.acting(cmd.Context())
			if err != nil {
				return err
			}
			complete(svc)
			var warnings []string
			items, total, err := listAll(limit, offset, func(p service.Page) (service.List[T], error) {
				l, w, err := s.list(ctx, svc, f, p)
				warnings = w
				return l, err
			})
			if err != nil {
				return err
			}
			e.shown(len(items), offset, total, s.noun)
			e.warn(warnings)
			return e.print(listTable(s.reg.ListColumns, items, items))
		}}
	complete = filters(list)
	listFlags(list, &limit, &offset)
	show := &cobra.Command{Use: "show REF", Short: "Show a " + s.noun, Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			ctx, svc, err := e.acting(cmd.Context())
			if err != nil {
				return err
			}
			row, err := s.get(svc)(ctx, args[0])
			if err != nil {
				return err
			}
			return e.print(listTable(s.reg.ListColumns, []T{row}, row))
		}}
	var in In
	renamed := map[string]string{}
	inputs := func(c *cobra.Command) {
		inputFlags(c, &in)
		if s.more != nil {
			renamed = s.more(c, &in)
		}
	}
	add := &cobra.Command{Use: "add", Short: "Add a " + s.noun, Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			ctx, svc, err := e.acting(cmd.Context())
			if err != nil {
				return err
			}
			row, err := s.add(svc)(ctx, in)
			if err != nil {
				return err
			}
			printf(e.stdout, "Added %s.\n", s.label(row))
			return s.warnAfter(ctx, e, svc)
		}}
	inputs(add)
	set := &cobra.Command{Use: "set REF", Short: "Change a " + s.noun + " (only the flags given change)", Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			ctx, svc, err := e.acting(cmd.Context())
			if err != nil {
				return err
			}
			row, err := patchLatest(func() (int, error) {
				row, err := s.get(svc)(ctx, args[0])
				return s.version(row), err
			}, func(version int) (T, error) {
				s.versioned(&in, version, sentFlags(cmd, renamed))
				return s.patch(svc)(ctx, args[0], in)
			})
			if err != nil {
				return err
			}
			printf(e.stdout, "Updated %s (version %s).\n", s.label(row), strconv.Itoa(s.version(row)))
			return s.warnAfter(ctx, e, svc)
		}}
	inputs(set)
	del := e.deleteCmd("Delete a "+s.noun, func(ctx context.Context, svc *service.Service, ref string) error { return s.delete(svc)(ctx, ref) })
	completeExport := func(*service.Service) {}
	export := e.exportCmd(s.plural, func(c *cobra.Command) { completeExport = filters(c) },
		func(ctx context.Context, svc *service.Service, format string, w io.Writer) error {
			completeExport(svc)
			return s.export(svc)(ctx, f, format, w)
		})
	cmd.AddCommand(list, show, add, set, del, export)
	return cmd
}

// warnAfter prints the register's warnings (if it has any) on stderr after a save.
func (s registerSpec[T, In, F]) warnAfter(ctx context.Context, e *env, svc *service.Service) error {
	if s.warnings == nil {
		return nil
	}
	w, err := s.warnings(ctx, svc)
	e.warn(w)
	return err
}

func (e *env) roleCmd() *cobra.Command {
	return registerCmd(e, registerSpec[isms.ISMSRole, service.RoleInput, service.RoleFilter]{use: "role", noun: "role", plural: "roles",
		short: "ISMS roles, responsibilities and authorities (5.3): list, show, add, set, delete, export",
		reg:   service.RoleRegister,
		list: func(ctx context.Context, svc *service.Service, f service.RoleFilter, p service.Page) (service.List[isms.ISMSRole], []string, error) {
			l, err := svc.ListRoles(ctx, f, p)
			return l.List, l.Warnings, err
		},
		get: func(svc *service.Service) func(context.Context, string) (isms.ISMSRole, error) { return svc.Role },
		add: func(svc *service.Service) func(context.Context, service.RoleInput) (isms.ISMSRole, error) {
			return svc.AddRole
		},
		patch: func(svc *service.Service) func(context.Context, string, service.RoleInput) (isms.ISMSRole, error) {
			return svc.PatchRole
		},
		delete: func(svc *service.Service) func(context.Context, string) error { return svc.DeleteRole },
		export: func(svc *service.Service) func(context.Context, service.RoleFilter, string, io.Writer) error {
			return svc.ExportRoles
		},
		label:     func(r isms.ISMSRole) string { return r.Ref + " " + r.Name },
		version:   func(r isms.ISMSRole) int { return r.Version },
		versioned: func(in *service.RoleInput, v int, sent service.Sent) { in.Version, in.Sent = v, sent },
		warnings:  func(ctx context.Context, svc *service.Service) ([]string, error) { return svc.RoleWarnings(ctx) },
	})
}

func (e *env) commitmentCmd() *cobra.Command {
	return registerCmd(e, registerSpec[isms.Commitment, service.CommitmentInput, service.CommitmentFilter]{use: "commitment", noun: "commitment",
		plural: "commitments", short: "Leadership commitments recorded as evidence (5.1): list, show, add, set, delete, export",
		reg: service.CommitmentRegister,
		list: func(ctx context.Context, svc *service.Service, f service.CommitmentFilter, p service.Page) (service.List[isms.Commitment], []string, error) {
			l, err := svc.ListCommitments(ctx, f, p)
			return l, nil, err
		},
		get: func(svc *service.Service) func(context.Context, string) (isms.Commitment, error) {
			return svc.Commitment
		},
		add: func(svc *service.Service) func(context.Context, service.CommitmentInput) (isms.Commitment, error) {
			return svc.AddCommitment
		},
		patch: func(svc *service.Service) func(context.Context, string, service.CommitmentInput) (isms.Commitment, error) {
			return svc.PatchCommitment
		},
		delete: func(svc *service.Service) func(context.Context, string) error { return svc.DeleteCommitment },
		export: func(svc *service.Service) func(context.Context, service.CommitmentFilter, string, io.Writer) error {
			return svc.ExportCommitments
		},
		label:     func(c isms.Commitment) string { return c.Ref + " " + c.Title },
		version:   func(c isms.Commitment) int { return c.Version },
		versioned: func(in *service.CommitmentInput, v int, sent service.Sent) { in.Version, in.Sent = v, sent },
	})
}
