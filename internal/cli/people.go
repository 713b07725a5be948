package cli

import (
	"context"
	"io"
	"strconv"

	"github.com/spf13/cobra"

	"github.com/praxis-isms/praxis/internal/isms"
	"github.com/praxis-isms/praxis/internal/service"
)

func (e *env) personCmd() *cobra.Command {
	cmd := &cobra.Command{Use: "person", Short: "People (staff): list, show, add, set, import, export"}
	var f service.PersonFilter
	var limit, offset int
	list := &cobra.Command{
		Use:   "list",
		Short: "List people",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			ctx, svc, err := e.acting(cmd.Context())
			if err != nil {
				return err
			}
			l, err := svc.ListPeople(ctx, f, service.Page{Limit: limit, Offset: offset})
			if err != nil {
				return err
			}
			return e.print(listTable(service.PeopleRegister.ListColumns, l.Items, l.Items))
		},
	}
	filterFlags(list, service.PeopleRegister, &f)
	list.Flags().IntVar(&limit, "limit", 500, "how many")
	list.Flags().IntVar(&offset, "offset", 0, "skip this many")
	show := &cobra.Command{
		Use:   "show REF",
		Short: "Show a person",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			ctx, svc, err := e.acting(cmd.Context())
			if err != nil {
				return err
			}
			p, err := svc.Person(ctx, args[0])
			if err != nil {
				return err
			}
			return e.print(listTable(service.PeopleRegister.ListColumns, []isms.Person{p}, p))
		},
	}
	var in service.PersonInput
	addFlags := func(c *cobra.Command) { inputFlags(c, &in) }
	add := &cobra.Command{
		Use:   "add",
		Short: "Add a person",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			ctx, svc, err := e.acting(cmd.Context())
			if err != nil {
				return err
			}
			p, err := svc.AddPerson(ctx, in)
			if err != nil {
				return err
			}
			printf(e.stdout, "Added %s %s.\n", p.Ref, p.Name)
			return nil
		},
	}
	addFlags(add)
	set := &cobra.Command{
		Use:   "set REF",
		Short: "Change a person (only the flags given change)",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			ctx, svc, err := e.acting(cmd.Context())
			if err != nil {
				return err
			}
			p, err := patchLatest(func() (int, error) {
				p, err := svc.Person(ctx, args[0])
				return p.Version, err
			}, func(version int) (isms.Person, error) {
				in.Version, in.Sent = version, sentFlags(cmd, nil)
				return svc.PatchPerson(ctx, args[0], in)
			})
			if err != nil {
				return err
			}
			printf(e.stdout, "Updated %s %s (version %s).\n", p.Ref, p.Name, strconv.Itoa(p.Version))
			return nil
		},
	}
	addFlags(set)
	imp := e.importCmd("person", func(svc *service.Service) importFunc { return svc.ImportPeople },
		func(svc *service.Service) importFunc { return svc.PreviewPeopleImport })
	export := e.exportCmd("people", func(c *cobra.Command) { filterFlags(c, service.PeopleRegister, &f) },
		func(ctx context.Context, svc *service.Service, format string, w io.Writer) error {
			return svc.ExportPeople(ctx, f, format, w)
		})
	leavers := &cobra.Command{
		Use:   "leavers",
		Short: "Leavers whose account can still get in: a membership or a working API token here",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			ctx, svc, err := e.acting(cmd.Context())
			if err != nil {
				return err
			}
			open, err := svc.LeaversWithOpenAccess(ctx)
			if err != nil {
				return err
			}
			t := table{headers: []string{"ref", "name", "end_date", "open"}, value: open}
			for _, o := range open {
				t.rows = append(t.rows, []string{o.Ref, o.Name, o.EndDate, o.What()})
			}
			return e.print(t)
		},
	}
	cmd.AddCommand(list, show, add, set, imp, export, leavers)
	return cmd
}
