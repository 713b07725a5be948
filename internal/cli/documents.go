package cli

import (
	"context"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"

	"github.com/spf13/cobra"

	"github.com/praxis-isms/praxis/internal/isms"
	"github.com/praxis-isms/praxis/internal/service"
)

// docCmd is the document register (clause 7.5): list, show, add, set, the workflow (submit, approve, retire),
// diff, export, publish and ack.
func (e *env) docCmd() *cobra.Command {
	cmd := &cobra.Command{Use: "doc", Short: "Documents (7.5): list, show, add, set, submit, approve, retire, diff, export, publish, ack"}
	var f service.DocumentFilter
	var limit, offset int
	list := &cobra.Command{
		Use:   "list",
		Short: "List the document register",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			ctx, svc, err := e.acting(cmd.Context())
			if err != nil {
				return err
			}
			items, total, err := listAll(limit, offset, func(p service.Page) (service.List[isms.Document], error) { return svc.ListDocuments(ctx, f, p) })
			if err != nil {
				return err
			}
			e.shown(len(items), offset, total, "document")
			return e.print(listTable(service.DocumentRegister.ListColumns, items, items))
		},
	}
	filterFlags(list, service.DocumentRegister, &f)
	listFlags(list, &limit, &offset)
	show := &cobra.Command{
		Use:   "show REF [VERSION]",
		Short: "Show a document and one version's content (the latest unless VERSION is given)",
		Args:  cobra.RangeArgs(1, 2),
		RunE: func(cmd *cobra.Command, args []string) error {
			ctx, svc, err := e.acting(cmd.Context())
			if err != nil {
				return err
			}
			d, err := svc.Document(ctx, args[0])
			if err != nil {
				return err
			}
			n, err := versionArg(args, 1)
			if err != nil {
				return err
			}
			v, err := svc.DocumentVersion(ctx, d.Ref, n)
			if err != nil {
				return err
			}
			if e.format != "table" {
				return e.print(listTable(service.DocumentRegister.ListColumns, []isms.Document{d}, struct {
					isms.Document
					Shown isms.DocumentVersion `json:"shown_version"`
				}{d, v}))
			}
			approved := ""
			if v.ApprovedAt != nil {
				approved = v.ApprovedAt.Format("2006-01-02") + " by " + v.ApprovedBy
			}
			detail(e.stdout, [][2]string{{"document", d.Ref + " " + d.Title}, {"type", d.Type}, {"status", d.Status}, {"owner", personLabel(d.OwnerName, d.Owner)},
				{"classification", d.Classification}, {"controls", strings.Join(d.Controls, ", ")}, {"clauses", strings.Join(d.Clauses, ", ")},
				{"review", "every " + strconv.Itoa(d.ReviewMonths) + " months"}, {"next review", d.NextReview},
				{"in force", itoaOrEmpty(d.Approved)}, {"version", strconv.Itoa(v.Number) + " (" + v.Status + ")"}, {"changes", v.Summary},
				{"approved", approved}, {"sha256", v.Hash}})
			printf(e.stdout, "\n%s", v.Content)
			if !strings.HasSuffix(v.Content, "\n") {
				printf(e.stdout, "\n")
			}
			return nil
		},
	}
	var in service.DocumentInput
	var file string
	var controls, clauses []string
	docFlags := func(c *cobra.Command) {
		inputFlags(c, &in)
		c.Flags().StringSliceVar(&controls, "controls", nil, "Annex A controls the document serves (5.1,8.28)")
		c.Flags().StringSliceVar(&clauses, "clauses", nil, "ISO/IEC 27001 clauses the document serves (7.5,5.2)")
		c.Flags().StringVar(&file, "file", "", "read the Markdown content from this file (- for standard input)")
	}
	readInput := func(cmd *cobra.Command) error {
		in.Controls, in.Clauses = controls, clauses
		if file == "" {
			return nil
		}
		var b []byte
		var err error
		if file == "-" {
			b, err = io.ReadAll(io.LimitReader(cmd.InOrStdin(), isms.MaxDocumentContent+1))
		} else {
			b, err = os.ReadFile(file)
		}
		in.Content = string(b)
		return err
	}
	add := &cobra.Command{
		Use:   "add",
		Short: "Add a document; its content (--content, or --file) becomes version 1, a draft",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if err := readInput(cmd); err != nil {
				return err
			}
			ctx, svc, err := e.acting(cmd.Context())
			if err != nil {
				return err
			}
			d, err := svc.AddDocument(ctx, in)
			if err != nil {
				return err
			}
			printf(e.stdout, "Added %s %s (version 1, draft).\n", d.Ref, d.Title)
			return nil
		},
	}
	docFlags(add)
	set := &cobra.Command{
		Use:   "set REF",
		Short: "Change a document (only the flags given change; new content goes into the draft or starts a new version)",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if err := readInput(cmd); err != nil {
				return err
			}
			ctx, svc, err := e.acting(cmd.Context())
			if err != nil {
				return err
			}
			d, err := patchLatest(func() (int, error) {
				d, err := svc.Document(ctx, args[0])
				return d.Version, err
			}, func(version int) (isms.Document, error) {
				in.Version, in.Sent = version, sentFlags(cmd, map[string]string{"file": "content"})
				return svc.PatchDocument(ctx, args[0], in)
			})
			if err != nil {
				return err
			}
			printf(e.stdout, "Updated %s (version %d is %s).\n", d.Ref, d.Latest, d.Status)
			return nil
		},
	}
	docFlags(set)
	cmd.AddCommand(list, show, add, set,
		e.docStepCmd("submit", "Submit the draft for review", "is submitted for review",
			func(s *service.Service) docStep { return s.SubmitDocument }),
		e.docStepCmd("approve", "Approve the version in review (approvers only)", "is approved and in force",
			func(s *service.Service) docStep { return s.ApproveDocument }),
		e.docStepCmd("retire", "Retire the document: nothing stays in force", "is retired",
			func(s *service.Service) docStep { return s.RetireDocument }),
		e.docDiffCmd(), e.docExportCmd(), e.docPublishCmd(), e.docAckCmd(), e.docTemplatesCmd(), e.docMandatoryCmd(), e.docMethodologyCmd())
	return cmd
}

type docStep = func(ctx context.Context, ref string, version int) (isms.Document, error)

// versionArg is the version number in args[i], 0 when absent.
func versionArg(args []string, i int) (int, error) {
	if len(args) <= i {
		return 0, nil
	}
	n, err := strconv.Atoi(strings.TrimPrefix(strings.ToLower(args[i]), "v"))
	if err != nil || n < 1 {
		return 0, isms.Invalid(isms.FieldError{Field: "version", Message: fmt.Sprintf("%q is not a version number", args[i])})
	}
	return n, nil
}

// docStepCmd is a workflow step on the document as it is now (its version read first).
func (e *env) docStepCmd(name, short, done string, step func(*service.Service) docStep) *cobra.Command {
	return &cobra.Command{
		Use:   name + " REF",
		Short: short,
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			ctx, svc, err := e.acting(cmd.Context())
			if err != nil {
				return err
			}
			d, err := svc.Document(ctx, args[0])
			if err != nil {
				return err
			}
			d, err = step(svc)(ctx, d.Ref, d.Version)
			if err != nil {
				return err
			}
			printf(e.stdout, "%s version %d %s.\n", d.Ref, d.Latest, done)
			return nil
		},
	}
}

func (e *env) docDiffCmd() *cobra.Command {
	var side bool
	c := &cobra.Command{
		Use:   "diff REF [FROM [TO]]",
		Short: "Compare two versions line by line (default: the latest with the one before)",
		Args:  cobra.RangeArgs(1, 3),
		RunE: func(cmd *cobra.Command, args []string) error {
			from, err := versionArg(args, 1)
			if err != nil {
				return err
			}
			to, err := versionArg(args, 2)
			if err != nil {
				return err
			}
			ctx, svc, err := e.acting(cmd.Context())
			if err != nil {
				return err
			}
			d, err := svc.DiffDocument(ctx, args[0], from, to)
			if err != nil {
				return err
			}
			if e.format != "table" {
				t := table{headers: []string{"op", "old", "new", "text"}, value: d}
				for _, l := range d.Lines {
					t.rows = append(t.rows, []string{l.Op, itoaOrEmpty(l.Old), itoaOrEmpty(l.New), l.Text})
				}
				return e.print(t)
			}
			printf(e.stdout, "--- %s version %d\n+++ %s version %d\n", d.Ref, d.From, d.Ref, d.To)
			if side {
				for _, r := range isms.SideBySide(d.Lines) {
					left, right, mark := "", "", " "
					if r.Left != nil {
						left = r.Left.Text
					}
					if r.Right != nil {
						right = r.Right.Text
					}
					if r.Left != r.Right {
						mark = "|"
					}
					printf(e.stdout, "%-60.60s %s %s\n", left, mark, right)
				}
				return nil
			}
			printf(e.stdout, "%s", isms.UnifiedDiff(d.Lines))
			return nil
		},
	}
	c.Flags().BoolVar(&side, "side-by-side", false, "show the versions side by side")
	return c
}

func (e *env) docExportCmd() *cobra.Command {
	var format, out string
	var number int
	c := &cobra.Command{
		Use:   "export REF",
		Short: "Export a version as Markdown (a header block, then the content as stored) or PDF (format from --format or the file's extension)",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			f := format
			if f == "" && (out == "" || out == "-") {
				f = "md"
			}
			f, err := fileFormat(f, out, service.DocumentExportFormats)
			if err != nil {
				return err
			}
			ctx, svc, err := e.acting(cmd.Context())
			if err != nil {
				return err
			}
			return e.exportFile(out, func(w io.Writer) error { return svc.ExportDocument(ctx, args[0], number, f, w) })
		},
	}
	c.Flags().StringVar(&format, "format", "", "md or pdf (default from the file's extension, md on standard output)")
	c.Flags().IntVar(&number, "version", 0, "the version to export (default the latest)")
	c.Flags().StringVarP(&out, "output", "o", "", "file to write (default standard output)")
	return c
}

func (e *env) docPublishCmd() *cobra.Command {
	var in service.PublishInput
	c := &cobra.Command{
		Use:   "publish REF",
		Short: "Publish the version in force to --all staff, a --team (department) or --person (repeatable)",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			ctx, svc, err := e.acting(cmd.Context())
			if err != nil {
				return err
			}
			p, err := svc.PublishDocument(ctx, args[0], in)
			if err != nil {
				return err
			}
			printf(e.stdout, "%s version %d is published to %s: %d added, %d readers in all.\n", p.Ref, p.Number, p.Audience, p.Added, p.Total)
			return nil
		},
	}
	c.Flags().BoolVar(&in.All, "all", false, "everyone in the people register")
	c.Flags().StringVar(&in.Team, "team", "", "the people of this department")
	c.Flags().StringArrayVar(&in.People, "person", nil, "a person (reference, name or email); repeatable")
	return c
}

func (e *env) docAckCmd() *cobra.Command {
	var in service.AckInput
	var show bool
	c := &cobra.Command{
		Use:   "ack REF",
		Short: "Confirm having read the version in force (yourself, or --person for someone without an account); --list shows who has and has not",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			ctx, svc, err := e.acting(cmd.Context())
			if err != nil {
				return err
			}
			var a isms.Acknowledgements
			if show {
				a, err = svc.DocumentAcknowledgements(ctx, args[0], in.Number)
			} else {
				a, err = svc.AcknowledgeDocument(ctx, args[0], in)
			}
			if err != nil {
				return err
			}
			t := table{headers: []string{"person", "name", "department", "acknowledged", "recorded_by"}, value: a}
			for _, r := range append(append([]isms.Acknowledgement{}, a.Have...), a.HaveNot...) {
				at := "no"
				if r.AcknowledgedAt != nil {
					at = r.AcknowledgedAt.Format("2006-01-02")
				}
				t.rows = append(t.rows, []string{r.Person, r.Name, r.Department, at, r.RecordedBy})
			}
			if e.format == "table" {
				printf(e.stdout, "Version %d: %d of %d have acknowledged.\n", a.Number, a.Done, a.Total)
			}
			return e.print(t)
		},
	}
	c.Flags().StringVar(&in.Person, "person", "", "record it for this person (reference, name or email)")
	c.Flags().IntVar(&in.Number, "version", 0, "the version (default the version in force)")
	c.Flags().BoolVar(&show, "list", false, "only list who has and who has not acknowledged")
	return c
}

func (e *env) docTemplatesCmd() *cobra.Command {
	return &cobra.Command{
		Use:   "templates",
		Short: "List the policy templates (doc add --template KEY drafts a document from one)",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			ctx, svc, err := e.acting(cmd.Context())
			if err != nil {
				return err
			}
			ts, err := svc.DocumentTemplates(ctx)
			if err != nil {
				return err
			}
			t := table{headers: []string{"key", "title", "type", "controls", "clauses"}, widths: []int{0, 40, 0, 40, 20}, value: ts}
			for _, x := range ts {
				t.rows = append(t.rows, []string{x.Key, x.Title, x.Type, strings.Join(x.Controls, ","), strings.Join(x.Clauses, ",")})
			}
			return e.print(t)
		},
	}
}
