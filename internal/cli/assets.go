package cli

import (
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"

	"github.com/spf13/cobra"

	"github.com/praxis-isms/praxis/internal/isms"
	"github.com/praxis-isms/praxis/internal/service"
	"github.com/praxis-isms/praxis/internal/store"
)

// --- helpers shared by the register commands (assets, risks)

// fileFormat is the format of a register file: the --format flag when given, else the file's extension.
func fileFormat(flag, path string, allowed []string) (string, error) {
	f := strings.ToLower(strings.TrimPrefix(flag, "."))
	if f == "" {
		f = strings.ToLower(strings.TrimPrefix(filepath.Ext(path), "."))
	}
	for _, a := range allowed {
		if f == a {
			return f, nil
		}
	}
	if flag == "" && path != "" {
		return "", isms.Invalid(isms.FieldError{Field: "format", Message: fmt.Sprintf("cannot tell the format of %q from its extension: name it with --format %s",
			path, strings.Join(allowed, "|"))})
	}
	return "", isms.Invalid(isms.FieldError{Field: "format", Message: "must be one of " + strings.Join(allowed, ", ")})
}

// importFile reads a register file (CSV or XLSX, by extension unless --format says) and prints what was added.
// A bad file changes nothing; every problem is printed by Main, one per line, with exit status 2.
func (e *env) importFile(cmd *cobra.Command, path, format, noun string, run func(ctx context.Context, svc *service.Service, format string, r io.Reader) (service.ImportResult, error)) error {
	format, err := fileFormat(format, path, service.ImportFormats)
	if err != nil {
		return err
	}
	ctx, svc, err := e.acting(cmd.Context())
	if err != nil {
		return err
	}
	var r io.Reader = os.Stdin
	if path != "-" {
		f, err := os.Open(path)
		if err != nil {
			return err
		}
		defer f.Close()
		r = f
	}
	res, err := run(ctx, svc, format, r)
	if err != nil {
		return err
	}
	printf(e.stdout, "%s\n", res.Summary(noun))
	if len(res.Warnings) > 1 {
		for _, w := range res.Warnings {
			printf(e.stdout, "warning: %s\n", w)
		}
	}
	return nil
}

// exportFile writes a register export to path (standard output for "" or "-"). A file is written under a
// temporary name and renamed when complete, so that a failed export leaves nothing half-written.
func (e *env) exportFile(path string, write func(w io.Writer) error) error {
	if path == "" || path == "-" {
		return write(e.stdout)
	}
	tmp, err := os.CreateTemp(filepath.Dir(path), ".praxis-export-*")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name())
	if err := write(tmp); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	if err := os.Rename(tmp.Name(), path); err != nil {
		return err
	}
	if fi, err := os.Stat(path); err == nil {
		printf(e.stderr, "Wrote %s (%d bytes).\n", path, fi.Size())
	}
	return nil
}

// exportCmd is `NOUN export [--format csv|xlsx|pdf] [-o FILE]`; filters adds the list filters to it.
func (e *env) exportCmd(noun string, filters func(*cobra.Command), run func(ctx context.Context, svc *service.Service, format string, w io.Writer) error) *cobra.Command {
	var format, out string
	c := &cobra.Command{
		Use:   "export",
		Short: "Export the " + noun + " as CSV, XLSX or PDF (format from --format or the file's extension)",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			f := format
			if f == "" && (out == "" || out == "-") {
				f = "csv"
			}
			f, err := fileFormat(f, out, slices.Concat(service.ExportFormats, []string{service.FormatCSVExcel}))
			if err != nil {
				return err
			}
			ctx, svc, err := e.acting(cmd.Context())
			if err != nil {
				return err
			}
			return e.exportFile(out, func(w io.Writer) error { return run(ctx, svc, f, w) })
		},
	}
	c.Flags().StringVar(&format, "format", "", "csv, csv-excel (with the byte order mark Excel needs), xlsx or pdf (default from the file's extension, csv on standard output)")
	c.Flags().StringVarP(&out, "output", "o", "", "file to write (default standard output)")
	if filters != nil {
		filters(c)
	}
	return c
}

// detail prints label: value lines, aligned, skipping empty values.
func detail(w io.Writer, pairs [][2]string) {
	width := 0
	for _, p := range pairs {
		width = max(width, len(p[0]))
	}
	for _, p := range pairs {
		if strings.TrimSpace(p[1]) == "" {
			continue
		}
		printf(w, "%-*s  %s\n", width+1, p[0]+":", p[1])
	}
}

// count is "1 risk", "3 risks", "0 risks".
func count(n int, singular string) string {
	if n == 1 {
		return "1 " + singular
	}
	return strconv.Itoa(n) + " " + countWord(singular)
}

func itoaOrEmpty(v int) string {
	if v == 0 {
		return ""
	}
	return strconv.Itoa(v)
}

// listAll reads a list a page of store.MaxPageSize at a time (one query per page, never one per row): every
// item after the first offset, or at most limit of them when limit > 0. It returns them and the total that matched.
func listAll[T any](limit, offset int, list func(service.Page) (service.List[T], error)) ([]T, int, error) {
	out := []T{}
	for {
		n := store.MaxPageSize
		if limit > 0 {
			n = min(n, limit-len(out))
		}
		l, err := list(service.Page{Limit: n, Offset: offset + len(out)})
		if err != nil {
			return nil, 0, err
		}
		out = append(out, l.Items...)
		if len(l.Items) < n || len(out) == limit || offset+len(out) >= l.Total {
			return out, l.Total, nil
		}
	}
}

// shown says on standard error when a list shows only part of what matched (--limit, --offset).
func (e *env) shown(n, offset, total int, singular string) {
	if n == total {
		return
	}
	from := ""
	if offset > 0 && n > 0 {
		from = fmt.Sprintf(", from number %d", offset+1)
	}
	printf(e.stderr, "showing %d of %s%s (--limit 0 shows all)\n", n, count(total, singular), from)
}

// filterFlags adds a register's list flags to c, from its declaration: --search, one flag per filter (an
// enum's help names its values) and --sort with the declared keys.
func filterFlags[T, F any](c *cobra.Command, reg *store.Register[T, F], f *F) {
	c.Flags().StringVar(reg.SearchOf(f), "search", "", reg.SearchDoc)
	for _, flt := range reg.Filters {
		doc := flt.Doc
		if flt.Kind == store.FilterEnum {
			doc += ": " + strings.Join(flt.Values, ", ")
		}
		c.Flags().StringVar(flt.Field(f), flt.Name, "", doc)
		if flt.Kind == store.FilterBool { // --overdue alone means yes
			c.Flags().Lookup(flt.Name).NoOptDefVal = "yes"
		}
	}
	c.Flags().StringVar(reg.SortOf(f), "sort", reg.Sorts[0].Name, strings.Join(reg.SortNames(), ", ")+"; prefix - for descending")
}

// listFlags are the --limit and --offset of a list command.
func listFlags(c *cobra.Command, limit, offset *int) {
	c.Flags().IntVar(limit, "limit", 0, "show at most this many (0: all, read 500 at a time)")
	c.Flags().IntVar(offset, "offset", 0, "skip this many")
}

// --- assets

func (e *env) assetCmd() *cobra.Command {
	cmd := &cobra.Command{Use: "asset", Short: "The asset inventory (5.9): list, show, add, set, delete, import, export"}
	var f service.AssetFilter
	filters := func(c *cobra.Command) { filterFlags(c, service.AssetRegister, &f) }
	var limit, offset int
	list := &cobra.Command{
		Use:   "list",
		Short: "List assets",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			ctx, svc, err := e.acting(cmd.Context())
			if err != nil {
				return err
			}
			items, total, err := listAll(limit, offset, func(p service.Page) (service.List[isms.Asset], error) { return svc.ListAssets(ctx, f, p) })
			if err != nil {
				return err
			}
			e.shown(len(items), offset, total, "asset")
			return e.print(listTable(service.AssetRegister.ListColumns, items, items))
		},
	}
	filters(list)
	listFlags(list, &limit, &offset)

	show := &cobra.Command{
		Use:   "show REF",
		Short: "Show an asset and the risks that affect it",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			ctx, svc, err := e.acting(cmd.Context())
			if err != nil {
				return err
			}
			a, err := svc.Asset(ctx, args[0])
			if err != nil {
				return err
			}
			if e.format != "table" && e.format != "" {
				return e.print(listTable(service.AssetRegister.ListColumns, []isms.Asset{a}, a))
			}
			risks, err := svc.ListRisks(ctx, service.RiskFilter{Asset: a.Ref, Sort: "-score"}, service.Page{Limit: 500})
			if err != nil {
				return err
			}
			printf(e.stdout, "%s  %s\n", a.Ref, a.Name)
			detail(e.stdout, [][2]string{{"Type", a.Type}, {"Owner", personLabel(a.OwnerName, a.Owner)}, {"Classification", a.Classification},
				{"C / I / A", ciaLabel(a)}, {"Location", a.Location}, {"Notes", a.Notes}, {"External ref", a.ExternalRef}, {"Updated", a.UpdatedAt.Format("2006-01-02 15:04 MST")},
				{"Version", strconv.Itoa(a.Version)}})
			if len(risks.Items) > 0 {
				printf(e.stdout, "\nRisks (%d)\n", risks.Total)
				for _, r := range risks.Items {
					printf(e.stdout, "  %s  %s (score %d)\n", r.Ref, r.Title, r.Score)
				}
			}
			return nil
		},
	}

	var in service.AssetInput
	add := &cobra.Command{
		Use:   "add",
		Short: "Add an asset",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			ctx, svc, err := e.acting(cmd.Context())
			if err != nil {
				return err
			}
			a, err := svc.AddAsset(ctx, in)
			if err != nil {
				return err
			}
			printf(e.stdout, "Added %s %s.\n", a.Ref, a.Name)
			return nil
		},
	}
	inputFlags(add, &in)
	set := &cobra.Command{
		Use:   "set REF",
		Short: "Change an asset (only the flags given change)",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			ctx, svc, err := e.acting(cmd.Context())
			if err != nil {
				return err
			}
			a, err := patchLatest(func() (int, error) {
				a, err := svc.Asset(ctx, args[0])
				return a.Version, err
			}, func(version int) (isms.Asset, error) {
				in.Version, in.Sent = version, sentFlags(cmd, nil)
				return svc.PatchAsset(ctx, args[0], in)
			})
			if err != nil {
				return err
			}
			printf(e.stdout, "Updated %s %s (version %d).\n", a.Ref, a.Name, a.Version)
			return nil
		},
	}
	inputFlags(set, &in)
	del := e.deleteCmd("Delete an asset (the risks that name it no longer do)", func(ctx context.Context, svc *service.Service, ref string) error { return svc.DeleteAsset(ctx, ref) })
	imp := e.importCmd("asset", func(svc *service.Service) importFunc { return svc.ImportAssets },
		func(svc *service.Service) importFunc { return svc.PreviewAssetImport })
	export := e.exportCmd("asset inventory", filters, func(ctx context.Context, svc *service.Service, format string, w io.Writer) error {
		return svc.ExportAssets(ctx, f, format, w)
	})
	cmd.AddCommand(list, show, add, set, del, imp, export)
	return cmd
}

func personLabel(name, ref string) string {
	switch {
	case ref == "":
		return ""
	case name == "":
		return ref
	}
	return name + " (" + ref + ")"
}

func ciaLabel(a isms.Asset) string {
	if a.Confidentiality == 0 && a.Integrity == 0 && a.Availability == 0 {
		return ""
	}
	v := func(n int) string {
		if n == 0 {
			return "-"
		}
		return strconv.Itoa(n)
	}
	return v(a.Confidentiality) + " / " + v(a.Integrity) + " / " + v(a.Availability)
}

// importFunc is an import use case of the service (ImportRisks, ImportAssets).
type importFunc func(ctx context.Context, format string, r io.Reader) (service.ImportResult, error)

// importCmd is the `import FILE` subcommand of a register (noun "asset"); with a preview it takes --dry-run,
// which checks the file and says what the import would do without writing anything.
func (e *env) importCmd(noun string, use, preview func(*service.Service) importFunc) *cobra.Command {
	var format string
	var dryRun bool
	short := "Import " + countWord(noun) + " from a CSV or XLSX file (all or nothing; every bad row is listed as line N: field: problem)"
	if preview != nil {
		short = "Import " + countWord(noun) + " from a CSV or XLSX file: a row with a ref updates that row, a row without one adds a new one (all or nothing; every bad row is listed as line N: field: problem)"
	}
	cmd := &cobra.Command{
		Use:   "import FILE",
		Short: short,
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			return e.importFile(cmd, args[0], format, noun, func(ctx context.Context, svc *service.Service, format string, r io.Reader) (service.ImportResult, error) {
				if dryRun {
					return preview(svc)(ctx, format, r)
				}
				return use(svc)(ctx, format, r)
			})
		},
	}
	cmd.Flags().StringVar(&format, "format", "", "csv or xlsx (default from the file's extension)")
	if preview != nil {
		cmd.Flags().BoolVar(&dryRun, "dry-run", false, "check the file and say how many rows would be added, updated and left unchanged, writing nothing")
	}
	return cmd
}

// countWord is the plural of a register's noun.
func countWord(noun string) string {
	if noun == "person" {
		return "people"
	}
	if stem, ok := strings.CutSuffix(noun, "y"); ok && !strings.ContainsAny(stem[len(stem)-1:], "aeiou") {
		return stem + "ies" // party, parties
	}
	return noun + "s"
}

// deleteCmd is the `delete REF` subcommand of a register.
func (e *env) deleteCmd(short string, del func(ctx context.Context, svc *service.Service, ref string) error) *cobra.Command {
	return &cobra.Command{
		Use:   "delete REF",
		Short: short,
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			ctx, svc, err := e.acting(cmd.Context())
			if err != nil {
				return err
			}
			if err := del(ctx, svc, args[0]); err != nil {
				return err
			}
			printf(e.stdout, "Deleted %s.\n", args[0])
			return nil
		},
	}
}
