package cli

import (
	"context"
	"strconv"

	"github.com/spf13/cobra"

	"github.com/praxis-isms/praxis/internal/isms"
	"github.com/praxis-isms/praxis/internal/service"
)

// taskCmd is `praxis task list|show|add|set|delete|export|done|check|uncheck|add-item|remove-item`.
func (e *env) taskCmd() *cobra.Command {
	cmd := registerCmd(e, registerSpec[isms.Task, service.TaskInput, service.TaskFilter]{use: "task", noun: "task", plural: "tasks",
		short: "Tasks that implement controls, with checklists: list (--mine, --overdue), show, add, set, done, check, export",
		reg:   service.TaskRegister,
		list:  (*service.Service).ListTasks, get: (*service.Service).Task, add: (*service.Service).AddTask,
		patch: (*service.Service).PatchTask, delete: (*service.Service).DeleteTask, export: (*service.Service).ExportTasks,
		label: func(t isms.Task) string { return t.Ref + " " + t.Title },
		stamp: func(in *service.TaskInput, v int, sent service.Sent) { in.Version, in.Sent = v, sent },
		show:  showTask,
		// --item "text" (repeatable) gives a new task its checklist; without it a task for a control takes the
		// steps of the control's guidance.
		more: func(c *cobra.Command, in *service.TaskInput) map[string]string {
			c.Flags().StringArrayVar(&in.Items, "item", nil, "a checklist item of a new task (repeat; default: the steps of the control's guidance)")
			return map[string]string{"item": "items"}
		},
	})
	var force bool
	done := &cobra.Command{Use: "done REF", Short: "Complete a task (refused while checklist items are open, unless --force)", Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			ctx, svc, err := e.acting(cmd.Context())
			if err != nil {
				return err
			}
			t, err := patchLatest(func() (int, error) {
				t, err := svc.Task(ctx, args[0])
				return t.Version, err
			}, func(version int) (isms.Task, error) { return svc.CompleteTask(ctx, args[0], version, force) })
			if err != nil {
				return err
			}
			printf(e.stdout, "Completed %s %s.\n", t.Ref, t.Title)
			return nil
		}}
	done.Flags().BoolVar(&force, "force", false, "complete even with checklist items still open")
	item := func(use, short string, change func(ctx context.Context, svc *service.Service, ref, arg string) (isms.Task, error)) *cobra.Command {
		return &cobra.Command{Use: use, Short: short, Args: cobra.ExactArgs(2),
			RunE: func(cmd *cobra.Command, args []string) error {
				ctx, svc, err := e.acting(cmd.Context())
				if err != nil {
					return err
				}
				t, err := change(ctx, svc, args[0], args[1])
				if err != nil {
					return err
				}
				return showTask(e, t)
			}}
	}
	position := func(tick func(svc *service.Service, ctx context.Context, ref string, n int) (isms.Task, error)) func(context.Context, *service.Service, string, string) (isms.Task, error) {
		return func(ctx context.Context, svc *service.Service, ref, arg string) (isms.Task, error) {
			n, err := strconv.Atoi(arg)
			if err != nil {
				return isms.Task{}, isms.Invalid(isms.FieldError{Field: "position", Message: "must be the item's number (1, 2, ...)"})
			}
			return tick(svc, ctx, ref, n)
		}
	}
	cmd.AddCommand(done,
		item("check REF N", "Tick checklist item N of a task", position(func(svc *service.Service, ctx context.Context, ref string, n int) (isms.Task, error) {
			return svc.TickTaskItem(ctx, ref, n, true)
		})),
		item("uncheck REF N", "Untick checklist item N of a task", position(func(svc *service.Service, ctx context.Context, ref string, n int) (isms.Task, error) {
			return svc.TickTaskItem(ctx, ref, n, false)
		})),
		item("add-item REF TEXT", "Add an item to a task's checklist", func(ctx context.Context, svc *service.Service, ref, text string) (isms.Task, error) {
			return svc.AddTaskItem(ctx, ref, text)
		}),
		item("remove-item REF N", "Remove checklist item N of a task", position((*service.Service).RemoveTaskItem)))
	return cmd
}

// showTask prints a task as a one-row table, then its checklist ([x] ticked, with who and when).
func showTask(e *env, t isms.Task) error {
	if e.format == "json" {
		return writeJSON(e.stdout, t)
	}
	if err := e.print(listTable(service.TaskRegister.ListColumns, []isms.Task{t}, t)); err != nil || e.format == "csv" {
		return err
	}
	if t.Description != "" {
		printf(e.stdout, "\n%s\n", t.Description)
	}
	if t.DoneAt != nil {
		printf(e.stdout, "\nDone %s by %s.\n", t.DoneAt.Format("2006-01-02 15:04"), t.DoneBy)
	}
	printf(e.stdout, "\nChecklist (%d of %d ticked):\n", t.Checks.Done, t.Checks.Total)
	for _, c := range t.Checklist {
		mark, by := " ", ""
		if c.DoneAt != nil {
			mark, by = "x", "  ("+c.DoneBy+", "+c.DoneAt.Format("2006-01-02")+")"
		}
		printf(e.stdout, "  %d. [%s] %s%s\n", c.Position, mark, c.Text, by)
	}
	return nil
}
