package cli

import (
	"context"
	"io"
	"reflect"
	"strconv"

	"github.com/spf13/cobra"

	"github.com/praxis-isms/praxis/internal/service"
	"github.com/praxis-isms/praxis/internal/store"
)

// The commands of a register built on the kit: every register's CLI door is registerCmd over a registerSpec.

// registerSpec is what the commands of a register need: its declaration, its service methods (method
// expressions such as (*service.Service).AddIssue) and how to name a row.
type registerSpec[T, In, F any] struct {
	use, short, noun string // "role", the command's help, "role"
	plural           string // "roles": the list's help and the export's
	reg              *store.Register[T, F]
	list             func(*service.Service, context.Context, F, service.Page) (service.List[T], error)
	get              func(*service.Service, context.Context, string) (T, error)
	add              func(*service.Service, context.Context, In) (T, error)
	patch            func(*service.Service, context.Context, string, In) (T, error)
	delete           func(*service.Service, context.Context, string) error
	export           func(*service.Service, context.Context, F, string, io.Writer) error // nil: no export command
	// imp reads a file of rows (its export, edited), or only checks it with dryRun; nil: no import command.
	imp func(svc *service.Service, ctx context.Context, format string, r io.Reader, dryRun bool) (service.ImportResult, error)
	// stamp puts the version read and the fields sent on an input before a patch.
	stamp func(in *In, version int, sent service.Sent)
	label func(T) string // "RL-001 Sponsor"; nil: the reference
	// show prints one row (nil: as the list prints it, one row).
	show func(e *env, row T) error
	// rows is the table list and show print of rows (nil: the declaration's list columns over the rows), for a
	// register that shows more than its stored fields (a training record's status today).
	rows func(svc *service.Service, items []T) table
	// warnings, when set, says what looks wrong in the register as a whole, printed on stderr after a list or a save.
	warnings func(svc *service.Service, ctx context.Context) ([]string, error)
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
			items, total, err := listAll(limit, offset, func(p service.Page) (service.List[T], error) { return s.list(svc, ctx, f, p) })
			if err != nil {
				return err
			}
			e.shown(len(items), offset, total, s.noun)
			if err := s.warnAfter(ctx, e, svc); err != nil {
				return err
			}
			return e.print(s.table(svc, items))
		}}
	complete = filters(list)
	listFlags(list, &limit, &offset)
	show := &cobra.Command{Use: "show REF", Short: "Show a " + s.noun, Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			ctx, svc, err := e.acting(cmd.Context())
			if err != nil {
				return err
			}
			row, err := s.get(svc, ctx, args[0])
			if err != nil {
				return err
			}
			if s.show != nil {
				return s.show(e, row)
			}
			if s.rows != nil {
				return e.print(s.rows(svc, []T{row}).one())
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
			row, err := s.add(svc, ctx, in)
			if err != nil {
				return err
			}
			printf(e.stdout, "Added %s.\n", s.name(row))
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
				row, err := s.get(svc, ctx, args[0])
				return *s.reg.Version(&row), err
			}, func(version int) (T, error) {
				s.stamp(&in, version, sentFlags(cmd, renamed))
				return s.patch(svc, ctx, args[0], in)
			})
			if err != nil {
				return err
			}
			printf(e.stdout, "Updated %s (version %s).\n", s.name(row), strconv.Itoa(*s.reg.Version(&row)))
			return s.warnAfter(ctx, e, svc)
		}}
	inputs(set)
	del := e.deleteCmd("Delete a "+s.noun, func(ctx context.Context, svc *service.Service, ref string) error { return s.delete(svc, ctx, ref) })
	cmd.AddCommand(list, show, add, set, del)
	if s.imp != nil {
		run := func(dryRun bool) func(*service.Service) importFunc {
			return func(svc *service.Service) importFunc {
				return func(ctx context.Context, format string, r io.Reader) (service.ImportResult, error) {
					return s.imp(svc, ctx, format, r, dryRun)
				}
			}
		}
		cmd.AddCommand(e.importCmd(s.noun, run(false), run(true)))
	}
	if s.export != nil {
		completeExport := func(*service.Service) {}
		cmd.AddCommand(e.exportCmd(s.plural, func(c *cobra.Command) { completeExport = filters(c) },
			func(ctx context.Context, svc *service.Service, format string, w io.Writer) error {
				completeExport(svc)
				return s.export(svc, ctx, f, format, w)
			}))
	}
	return cmd
}

// table is how list prints rows.
func (s registerSpec[T, In, F]) table(svc *service.Service, items []T) table {
	if s.rows != nil {
		return s.rows(svc, items)
	}
	return listTable(s.reg.ListColumns, items, items)
}

// name is how messages name a row: its label, or its reference.
func (s registerSpec[T, In, F]) name(row T) string {
	if s.label != nil {
		return s.label(row)
	}
	return *s.reg.Ref(&row)
}

// warnAfter prints the register's warnings (if it has any) on stderr.
func (s registerSpec[T, In, F]) warnAfter(ctx context.Context, e *env, svc *service.Service) error {
	if s.warnings == nil {
		return nil
	}
	w, err := s.warnings(svc, ctx)
	e.warn(w)
	return err
}

// one is a table of one row whose JSON is that row rather than a list of one.
func (t table) one() table {
	if v := reflect.ValueOf(t.value); v.Kind() == reflect.Slice && v.Len() == 1 {
		t.value = v.Index(0).Interface()
	}
	return t
}
