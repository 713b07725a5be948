package service

import (
	"context"
	"fmt"
	"io"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/praxis-isms/praxis/internal/export/pdf"
	"github.com/praxis-isms/praxis/internal/export/table"
	"github.com/praxis-isms/praxis/internal/importer"
	"github.com/praxis-isms/praxis/internal/isms"
	"github.com/praxis-isms/praxis/internal/store"
)

// ImportResult says what an import did, or with DryRun what it would do: the rows added (Refs names them),
// updated in place and left unchanged, and the columns of the file that were not read.
type ImportResult struct {
	Added     int      `json:"added"`
	Updated   int      `json:"updated"`
	Unchanged int      `json:"unchanged"`
	Refs      []string `json:"refs"`
	Ignored   []string `json:"ignored_columns"`
	// Warnings are what looks wrong in rows that were (or would be) saved anyway, as "line N: warning".
	Warnings []string `json:"warnings"`
	DryRun   bool     `json:"dry_run"`
}

// ImportFormats and ExportFormats name the file formats of registers. Exports also take "csv-excel": CSV
// with a UTF-8 byte order mark, which Excel needs to show accents right ("csv" has none, for scripts).
var (
	ImportFormats = []string{"csv", "xlsx"}
	ExportFormats = []string{"csv", "xlsx", "pdf"}
)

// FormatCSVExcel is the export format of CSV for Excel (UTF-8 with a byte order mark).
const FormatCSVExcel = "csv-excel"

// MaxImportRows is the most rows one import may hold.
const MaxImportRows = importer.DefaultMaxRows

// maxImportProblems bounds the problems an import reports; the rest are counted.
const maxImportProblems = 1000

// MaxImportBytes bounds the size of an imported file.
const MaxImportBytes = 256 << 20

// limitFile reads r and fails with a clear Invalid error past MaxImportBytes.
func limitFile(r io.Reader) io.Reader { return &limitedFile{r: r, left: MaxImportBytes} }

type limitedFile struct {
	r    io.Reader
	left int64
}

func (l *limitedFile) Read(b []byte) (int, error) {
	if l.left <= 0 {
		return 0, isms.Invalid(isms.FieldError{Field: "file", Message: fmt.Sprintf("is larger than %d MB: split it into several files", MaxImportBytes>>20)})
	}
	if int64(len(b)) > l.left {
		b = b[:l.left]
	}
	n, err := l.r.Read(b)
	l.left -= int64(n)
	return n, err
}

// parsedFile is an import file read in full before the write transaction starts, so that neither a slow
// upload nor parsing a big workbook ever holds the database's write lock.
type parsedFile struct {
	rows []*importer.Row
	late error // a problem of the file met after some rows (a malformed line, too many rows)
}

// parseImport reads every row of an import file. A file it cannot use at all is an error at once.
func parseImport(ctx context.Context, format string, r io.Reader, fields []importer.Field, opt importer.Options) (parsedFile, error) {
	var f parsedFile
	opt.MaxRows = MaxImportRows
	err := importer.Read(format, limitFile(r), fields, opt, func(row *importer.Row) error {
		if err := ctx.Err(); err != nil {
			return err
		}
		f.rows = append(f.rows, row)
		return nil
	})
	if e, ok := isms.AsError(err); ok && e.Kind == isms.KindInvalid && len(f.rows) > 0 {
		f.late = err
		return f, nil
	}
	return f, err
}

// MayImport says whether the caller of ctx may import into its organisation's registers, so that the HTTP
// doors can refuse an upload before reading it.
func MayImport(ctx context.Context) error {
	_, err := require(ctx, isms.PermWriteContent)
	return err
}

// riskCells is a risk as an export writes it: its scores carry their band under the method.
type riskCells struct {
	r *isms.Risk
	m *isms.RiskMethod
}

// riskFile is one row of a risk file as an import reads it: the input (checked as a risk entered by hand), the
// fields only files carry, and the problems of values that are not even of the right kind.
type riskFile struct {
	in          RiskInput
	externalRef *string // nil when the file has no such column: the saved one is kept
	m           isms.RiskMethod
	prefix      string
	p           isms.Problems
}

// level reads a level of scale into *v (parseLevel).
func (f *riskFile) level(v *int, field, value string, scale []isms.Level) {
	*v = parseLevel(&f.p, f.prefix+field, value, scale)
}

// riskFileColumns are the risk register's columns, in export order: the one row model of every register file
// (CSV, XLSX, PDF) and of `praxis risk list --format csv`, and what imports read (by header or alias). Scores
// and the acceptance are computed or given in the register, so imports name them as ignored.
var riskFileColumns = []fileColumn[riskCells, riskFile]{
	{Field: importer.Field{Name: "ref", Aliases: []string{"reference", "risk ref"}}, look: table.Column{Label: "Ref", Width: 8, NoWrap: true},
		cell: func(c *riskCells) any { return c.r.Ref }},
	{Field: importer.Field{Name: "title", Aliases: []string{"risk", "risk title", "name"}, Required: true}, look: table.Column{Width: 32},
		cell: func(c *riskCells) any { return c.r.Title }, read: func(f *riskFile, v string) { f.in.Title = v }},
	{Field: importer.Field{Name: "description", Aliases: []string{"details", "risk description"}}, look: table.Column{Width: 40},
		cell: func(c *riskCells) any { return c.r.Description }, read: func(f *riskFile, v string) { f.in.Description = v }},
	{Field: importer.Field{Name: "assets", Aliases: []string{"asset", "affected assets", "asset refs"}}, look: table.Column{Width: 14},
		cell: func(c *riskCells) any { return table.Join(c.r.Assets) }, read: func(f *riskFile, v string) { f.in.Assets = table.Split(v) }},
	{Field: importer.Field{Name: "threat", Aliases: []string{"threats"}}, look: table.Column{Width: 22},
		cell: func(c *riskCells) any { return c.r.Threat }, read: func(f *riskFile, v string) { f.in.Threat = v }},
	{Field: importer.Field{Name: "vulnerability", Aliases: []string{"vulnerabilities", "weakness"}}, look: table.Column{Width: 22},
		cell: func(c *riskCells) any { return c.r.Vulnerability }, read: func(f *riskFile, v string) { f.in.Vulnerability = v }},
	// The owner comes twice, as the person's reference (for machines and imports, not in the PDF) and name; ownerOf reads both.
	{Field: importer.Field{Name: "owner_ref", Aliases: []string{"risk owner ref", "owner id"}}, look: table.Column{Width: 9, NoWrap: true, DataOnly: true},
		cell: func(c *riskCells) any { return c.r.Owner }},
	{Field: importer.Field{Name: "owner", Aliases: []string{"risk owner", "owner name"}}, look: table.Column{Width: 18},
		cell: func(c *riskCells) any { return c.r.OwnerName }},
	{Field: importer.Field{Name: "likelihood", Aliases: []string{"probability", "inherent likelihood"}, Required: true}, look: table.Column{Width: 10, NoWrap: true},
		cell: func(c *riskCells) any { return c.r.Likelihood },
		read: func(f *riskFile, v string) { f.level(&f.in.Likelihood, "likelihood", v, f.m.Likelihood) }},
	{Field: importer.Field{Name: "impact", Aliases: []string{"consequence", "inherent impact"}, Required: true}, look: table.Column{Width: 8, NoWrap: true},
		cell: func(c *riskCells) any { return c.r.Impact }, read: func(f *riskFile, v string) { f.level(&f.in.Impact, "impact", v, f.m.Impact) }},
	{Field: importer.Field{Name: "score", Aliases: []string{"inherent score", "risk score", "inherent risk"}, Ignored: true},
		look: table.Column{Label: "Inherent score", Width: 7, NoWrap: true}, cell: func(c *riskCells) any { return banded(*c.m, c.r.Score) }},
	{Field: importer.Field{Name: "treatment", Aliases: []string{"treatment option", "risk treatment"}, Required: true}, look: table.Column{Width: 11},
		cell: func(c *riskCells) any { return string(c.r.Treatment) }, read: func(f *riskFile, v string) { f.in.Treatment = isms.Treatment(treatmentOf(v)) }},
	{Field: importer.Field{Name: "controls", Aliases: []string{"control", "annex a controls", "annex a", "control ids"}},
		look: table.Column{Label: "Annex A controls", Width: 16},
		cell: func(c *riskCells) any { return table.Join(c.r.Controls) }, read: func(f *riskFile, v string) { f.in.Controls = table.Split(v) }},
	{Field: importer.Field{Name: "residual_likelihood", Aliases: []string{"residual probability"}}, look: table.Column{Width: 10, NoWrap: true},
		cell: func(c *riskCells) any { return level(c.r.ResidualLikelihood) },
		read: func(f *riskFile, v string) {
			f.level(&f.in.ResidualLikelihood, "residual_likelihood", v, f.m.Likelihood)
		}},
	{Field: importer.Field{Name: "residual_impact", Aliases: []string{"residual consequence"}}, look: table.Column{Width: 9, NoWrap: true},
		cell: func(c *riskCells) any { return level(c.r.ResidualImpact) },
		read: func(f *riskFile, v string) { f.level(&f.in.ResidualImpact, "residual_impact", v, f.m.Impact) }},
	{Field: importer.Field{Name: "residual_score", Aliases: []string{"residual risk"}, Ignored: true}, look: table.Column{Width: 9, NoWrap: true},
		cell: func(c *riskCells) any { return banded(*c.m, c.r.ResidualScore) }},
	{Field: importer.Field{Name: "accepted_by", Ignored: true}, look: table.Column{Width: 16}, cell: func(c *riskCells) any { return c.r.AcceptedBy }},
	{Field: importer.Field{Name: "accepted_at", Ignored: true}, look: table.Column{Width: 16, NoWrap: true}, cell: func(c *riskCells) any { return c.r.AcceptedAt }},
	{Field: importer.Field{Name: "acceptance_comment", Aliases: []string{"acceptance justification"}, Ignored: true}, look: table.Column{Width: 30},
		cell: func(c *riskCells) any { return c.r.AcceptanceComment }},
	{Field: importer.Field{Name: "external_ref", Aliases: append([]string{"risk id"}, legacyIDHeaders...)}, look: table.Column{Width: 12},
		cell: func(c *riskCells) any { return c.r.ExternalRef }, read: func(f *riskFile, v string) { f.externalRef = &v }},
	{Field: importer.Field{Name: "version"}, look: table.Column{Width: 7, DataOnly: true}, cell: func(c *riskCells) any { return c.r.Version }},
}

var riskFields = fileFields(riskFileColumns)

// legacyIDHeaders are the headers under which other tools write their own id of a row: kept as its external
// reference.
var legacyIDHeaders = []string{"id", "legacy id", "legacy ref", "external id", "old id", "old ref", "original id"}

// assetFile is one row of an asset file as an import reads it (assetFileColumns).
type assetFile struct {
	in          AssetInput
	externalRef *string // nil when the file has no such column: the saved one is kept
	prefix      string
	p           isms.Problems // values that are not numbers
}

// assetFileColumns are the asset inventory's columns, in export order, for export and import alike.
var assetFileColumns = func() []fileColumn[isms.Asset, assetFile] {
	cia := table.Levels(5)
	rating := func(name string, get func(a *isms.Asset) int, set func(in *AssetInput) *int, width float64, aliases ...string) fileColumn[isms.Asset, assetFile] {
		return fileColumn[isms.Asset, assetFile]{Field: importer.Field{Name: name, Aliases: aliases}, look: table.Column{Width: width, Allowed: cia},
			cell: func(a *isms.Asset) any { return level(get(a)) },
			read: func(f *assetFile, v string) { *set(&f.in) = parseCIA(&f.p, f.prefix+name, v) }}
	}
	return []fileColumn[isms.Asset, assetFile]{
		{Field: importer.Field{Name: "ref", Aliases: []string{"reference", "asset ref"}}, look: table.Column{Width: 8, NoWrap: true},
			cell: func(a *isms.Asset) any { return a.Ref }},
		{Field: importer.Field{Name: "name", Aliases: []string{"asset", "asset name", "title"}, Required: true}, look: table.Column{Width: 32},
			cell: func(a *isms.Asset) any { return a.Name }, read: func(f *assetFile, v string) { f.in.Name = v }},
		{Field: importer.Field{Name: "type", Aliases: []string{"asset type", "category", "kind"}, Required: true},
			look: table.Column{Width: 12, Allowed: isms.AssetTypes}, cell: func(a *isms.Asset) any { return a.Type }, read: func(f *assetFile, v string) { f.in.Type = v }},
		// The owner by reference (for machines and imports, not in the PDF) and by name; ownerOf reads both.
		{Field: importer.Field{Name: "owner_ref", Aliases: []string{"asset owner ref", "owner id"}}, look: table.Column{Width: 9, NoWrap: true, DataOnly: true},
			cell: func(a *isms.Asset) any { return a.Owner }},
		{Field: importer.Field{Name: "owner", Aliases: []string{"asset owner", "owner name"}}, look: table.Column{Width: 18},
			cell: func(a *isms.Asset) any { return a.OwnerName }},
		{Field: importer.Field{Name: "classification", Aliases: []string{"class", "information classification"}},
			look: table.Column{Width: 14, Allowed: isms.Classifications}, cell: func(a *isms.Asset) any { return a.Classification },
			read: func(f *assetFile, v string) { f.in.Classification = v }},
		rating("confidentiality", func(a *isms.Asset) int { return a.Confidentiality }, func(in *AssetInput) *int { return &in.Confidentiality }, 10, "c"),
		rating("integrity", func(a *isms.Asset) int { return a.Integrity }, func(in *AssetInput) *int { return &in.Integrity }, 9, "i"),
		rating("availability", func(a *isms.Asset) int { return a.Availability }, func(in *AssetInput) *int { return &in.Availability }, 10, "a"),
		{Field: importer.Field{Name: "location", Aliases: []string{"site", "where"}}, look: table.Column{Width: 20},
			cell: func(a *isms.Asset) any { return a.Location }, read: func(f *assetFile, v string) { f.in.Location = v }},
		{Field: importer.Field{Name: "notes", Aliases: []string{"note", "comments", "description"}}, look: table.Column{Width: 44},
			cell: func(a *isms.Asset) any { return a.Notes }, read: func(f *assetFile, v string) { f.in.Notes = v }},
		{Field: importer.Field{Name: "external_ref", Aliases: append([]string{"asset id"}, legacyIDHeaders...)}, look: table.Column{Width: 12},
			cell: func(a *isms.Asset) any { return a.ExternalRef }, read: func(f *assetFile, v string) { f.externalRef = &v }},
		{Field: importer.Field{Name: "version"}, look: table.Column{Width: 7, DataOnly: true}, cell: func(a *isms.Asset) any { return a.Version }},
	}
}()

var assetFields = fileFields(assetFileColumns)

// riskColumns describes the risk register for every export format; m gives the allowed levels (the XLSX
// drop-downs; the zero method for CSV, which has none).
func riskColumns(m isms.RiskMethod) []table.Column {
	l, i := table.Levels(len(m.Likelihood)), table.Levels(len(m.Impact))
	treatments := make([]string, len(isms.Treatments))
	for k, t := range isms.Treatments {
		treatments[k] = string(t)
	}
	allowed := map[string][]string{"likelihood": l, "impact": i, "residual_likelihood": l, "residual_impact": i, "treatment": treatments}
	cols := fileColumns(riskFileColumns)
	for k := range cols {
		cols[k].Allowed = allowed[cols[k].Header]
	}
	return cols
}

// riskRow is one risk in the columns of riskColumns; its scores carry their band under m.
func riskRow(m isms.RiskMethod, r isms.Risk) table.Row {
	return fileRow(riskFileColumns, &riskCells{r: &r, m: &m})
}

// banded is a score with its band under m, empty when unset.
func banded(m isms.RiskMethod, score int) any {
	if score == 0 {
		return nil
	}
	return table.Banded{Score: score, Band: m.Band(score)}
}

// RiskRecords is risks as the CSV export writes them: the header and one record per risk, for doors that
// print a register they already hold (`praxis risk list --format csv`).
func RiskRecords(risks []isms.Risk) (header []string, records [][]string, err error) {
	sh := &table.Sheet{Name: "Risks", Columns: riskColumns(isms.RiskMethod{}), Rows: func(emit func(table.Row) error) error {
		for _, r := range risks {
			if err := emit(riskRow(isms.RiskMethod{}, r)); err != nil {
				return err
			}
		}
		return nil
	}}
	err = table.Records(sh, func(rec []string) error {
		records = append(records, slices.Clone(rec))
		return nil
	})
	return sh.Headers(), records, err
}

// level leaves an unset (0) level or score empty.
func level(v int) any {
	if v == 0 {
		return nil
	}
	return v
}

func assetColumns() []table.Column { return fileColumns(assetFileColumns) }

func assetRow(a isms.Asset) table.Row { return fileRow(assetFileColumns, &a) }

// actionCells is a treatment action as an export writes it: whether it is overdue depends on the day.
type actionCells struct {
	a     *isms.TreatmentAction
	today string
}

// actionFileColumns are the treatment plan's columns, in export order, the owner by reference and by name. The
// plan is exported, not imported (an action is added with its risk), so no column reads: the row type is empty.
var actionFileColumns = []fileColumn[actionCells, struct{}]{
	{Field: importer.Field{Name: "ref"}, look: table.Column{Width: 8, NoWrap: true}, cell: func(c *actionCells) any { return c.a.Ref }},
	{Field: importer.Field{Name: "risk"}, look: table.Column{Width: 8, NoWrap: true}, cell: func(c *actionCells) any { return c.a.RiskRef }},
	{Field: importer.Field{Name: "title"}, look: table.Column{Width: 40}, cell: func(c *actionCells) any { return c.a.Title }},
	{Field: importer.Field{Name: "owner_ref"}, look: table.Column{Width: 9, NoWrap: true, DataOnly: true}, cell: func(c *actionCells) any { return c.a.Owner }},
	{Field: importer.Field{Name: "owner"}, look: table.Column{Width: 18}, cell: func(c *actionCells) any { return c.a.OwnerName }},
	{Field: importer.Field{Name: "due"}, look: table.Column{Width: 11, NoWrap: true}, cell: func(c *actionCells) any { return c.a.Due }},
	{Field: importer.Field{Name: "status"}, look: table.Column{Width: 11, Allowed: isms.ActionStatuses}, cell: func(c *actionCells) any { return c.a.Status }},
	{Field: importer.Field{Name: "overdue"}, look: table.Column{Width: 8, NoWrap: true}, cell: func(c *actionCells) any { return c.a.Overdue(c.today) }},
	{Field: importer.Field{Name: "notes"}, look: table.Column{Width: 44}, cell: func(c *actionCells) any { return c.a.Notes }},
	{Field: importer.Field{Name: "created_at"}, look: table.Column{Width: 16, NoWrap: true}, cell: func(c *actionCells) any { return c.a.CreatedAt }},
}

// ExportActions writes the matching treatment actions, by due date as the plan lists them, as csv, xlsx or pdf
// (or csv-excel) from one read transaction; "overdue" says whether each is open and past its due date today.
func (s *Service) ExportActions(ctx context.Context, f ActionFilter, format string, w io.Writer) error {
	a, err := require(ctx, isms.PermReadContent)
	if err != nil {
		return err
	}
	if err := checkExportFormat(format); err != nil {
		return err
	}
	today := s.Today()
	return s.store.Read(ctx, func(tx *store.Tx) error {
		org, err := tx.Org(ctx, a.OrgID)
		if err != nil {
			return err
		}
		sh := &table.Sheet{Name: "Treatment plan", Title: "Risk treatment plan", Columns: fileColumns(actionFileColumns), Rows: func(emit func(table.Row) error) error {
			return eachPage(func(p store.Page) (List[isms.TreatmentAction], error) { return tx.ListActions(ctx, a.OrgID, f, p) },
				func(t isms.TreatmentAction) error {
					return emit(fileRow(actionFileColumns, &actionCells{a: &t, today: today}))
				})
		}}
		facts := []pdf.Fact{{Label: "Filter", Value: describeActionFilter(ctx, tx, a.OrgID, f)}, {Label: "Sorted by", Value: "due date, earliest first (undated last)"},
			{Label: "Overdue", Value: isms.OverdueMeaning(today)}}
		return s.writeSheet(w, format, sh, org, a, facts...)
	})
}

// eachPage runs fn over every item of a list read a page of store.MaxPageSize at a time (one query per page).
func eachPage[T any](list func(store.Page) (List[T], error), fn func(T) error) error {
	for offset := 0; ; offset += store.MaxPageSize {
		l, err := list(store.Page{Limit: store.MaxPageSize, Offset: offset})
		if err != nil {
			return err
		}
		for _, item := range l.Items {
			if err := fn(item); err != nil {
				return err
			}
		}
		if len(l.Items) < store.MaxPageSize {
			return nil
		}
	}
}

// checkExportFormat rejects an unknown format before any work is done.
func checkExportFormat(format string) error {
	switch format {
	case "csv", FormatCSVExcel, "xlsx", "pdf":
		return nil
	}
	return isms.Invalid(isms.FieldError{Field: "format", Message: "must be one of " + strings.Join(ExportFormats, ", ") + " or " + FormatCSVExcel})
}

// writeSheet writes a register in a format; the PDF gets a title block naming the organisation, the actor and
// the facts given.
func (s *Service) writeSheet(w io.Writer, format string, sh *table.Sheet, org isms.Organisation, a Actor, facts ...pdf.Fact) error {
	return s.writeDocument(w, format, sh, org, a, facts, nil)
}

// writeDocument is writeSheet with more pages after the table of a PDF (after may be nil).
func (s *Service) writeDocument(w io.Writer, format string, sh *table.Sheet, org isms.Organisation, a Actor, facts []pdf.Fact, after func(*pdf.Doc)) error {
	switch format {
	case "csv":
		return table.WriteCSV(w, sh, table.CSVOptions{})
	case FormatCSVExcel:
		return table.WriteCSV(w, sh, table.CSVOptions{BOM: true})
	case "xlsx":
		return table.WriteXLSX(w, sh)
	case "pdf":
		d := pdf.New(pdf.Meta{Organisation: org.Name, Title: sh.Title, Date: s.now(), GeneratedBy: firstNonEmpty(a.Name, a.Email), Facts: facts})
		if err := d.Table(sh); err != nil {
			return err
		}
		if after != nil {
			after(d)
		}
		return d.Write(w)
	}
	return checkExportFormat(format)
}

// ExportRisks writes the matching risks as csv, xlsx or pdf (or csv-excel) in the order of f.Sort (that of the
// register list), streaming them from one read transaction. Every member may export. Columns: those of
// riskFields; assets and controls joined by "; ", the owner by reference and by name (the PDF shows the name),
// scores in the colour of their band (XLSX, PDF). The PDF's title block names the filter, the sort and the risk
// method, and a last page holds the inherent and residual heat maps of the risks exported.
func (s *Service) ExportRisks(ctx context.Context, f RiskFilter, format string, w io.Writer) error {
	a, err := require(ctx, isms.PermReadContent)
	if err != nil {
		return err
	}
	if err := checkExportFormat(format); err != nil {
		return err
	}
	return s.store.Read(ctx, func(tx *store.Tx) error {
		m, err := tx.RiskMethod(ctx, a.OrgID)
		if err != nil {
			return err
		}
		org, err := tx.Org(ctx, a.OrgID)
		if err != nil {
			return err
		}
		maps := newHeatCounts(m)
		sh := &table.Sheet{Name: "Risks", Title: "Risk register", Columns: riskColumns(m), Rows: func(emit func(table.Row) error) error {
			return tx.EachRisk(ctx, a.OrgID, f, func(r isms.Risk) error {
				maps.add(r)
				return emit(riskRow(m, r))
			})
		}}
		facts := []pdf.Fact{{Label: "Filter", Value: describeRiskFilter(ctx, tx, a.OrgID, m, f)}, {Label: "Sorted by", Value: describeSort(f.Sort, riskSortWords)},
			{Label: "Risk method", Value: describeMethod(m)}, {Label: "Score bands", Value: describeBands(m) + "; score cells are coloured by band"},
			{Label: "Heat maps", Value: "inherent and residual, of the risks listed, on the last page"}}
		return s.writeDocument(w, format, sh, org, a, facts, maps.draw)
	})
}

// ExportAssets writes the matching assets as csv, xlsx or pdf (or csv-excel) in the order of f.Sort, streaming
// them from one read transaction (keyset paging).
func (s *Service) ExportAssets(ctx context.Context, f AssetFilter, format string, w io.Writer) error {
	sheet := table.Sheet{Name: "Assets", Title: "Asset inventory", Columns: assetColumns()}
	return exportRegister(ctx, s, store.Assets, f, format, w, sheet, assetRow, func(tx *store.Tx, orgID string) []pdf.Fact {
		return []pdf.Fact{{Label: "Filter", Value: describeAssetFilter(ctx, tx, orgID, f)},
			{Label: "Sorted by", Value: describeSort(f.Sort, assetSortWords)}}
	})
}

// exportRegister writes the rows of a register that match f as a sheet (csv, xlsx, pdf or csv-excel), streaming
// them from one read transaction by keyset; facts say the filter and sort in words for the PDF's title block.
func exportRegister[T, F any](ctx context.Context, s *Service, reg *store.Register[T, F], f F, format string, w io.Writer,
	sheet table.Sheet, row func(T) table.Row, facts func(tx *store.Tx, orgID string) []pdf.Fact) error {
	a, err := require(ctx, isms.PermReadContent)
	if err != nil {
		return err
	}
	if err := checkExportFormat(format); err != nil {
		return err
	}
	return s.store.Read(ctx, func(tx *store.Tx) error {
		org, err := tx.Org(ctx, a.OrgID)
		if err != nil {
			return err
		}
		sheet.Rows = func(emit func(table.Row) error) error {
			return reg.Each(ctx, tx, a.OrgID, f, func(v T) error { return emit(row(v)) })
		}
		return s.writeSheet(w, format, &sheet, org, a, facts(tx, a.OrgID)...)
	})
}

// importProblems collects the problems of an import, at most maxImportProblems of them, and counts the rest.
type importProblems struct {
	list  isms.Problems
	extra int
}

func (p *importProblems) add(fe ...isms.FieldError) {
	for _, e := range fe {
		if len(p.list) < maxImportProblems {
			p.list = append(p.list, e)
		} else {
			p.extra++
		}
	}
}

func (p *importProblems) failed() bool { return len(p.list) > 0 }

func (p *importProblems) err() error {
	out := p.list
	if p.extra > 0 {
		out = append(out, isms.FieldError{Field: "file", Message: fmt.Sprintf("has %d more problems not listed: fix the ones above and import again", p.extra)})
	}
	return isms.Invalid(out...)
}

func isImportFormat(format string) bool {
	for _, f := range ImportFormats {
		if f == format {
			return true
		}
	}
	return false
}

// ImportRisks reads a risk register (format csv or xlsx, first row the column names) in one transaction, all or
// nothing, on the one import path of the registers (importRows): a row with the ref of a risk updates it (with
// the version check when the file has a version column, a history entry when it is reassessed, and its
// acceptance withdrawn when the assessment it accepted changed), a row without a ref adds a risk with its first
// assessment, an unchanged row is left alone. Every row is checked as a risk entered by hand (validateRisk);
// the owners and assets a batch of rows names are found with one scoped query per kind. Likelihood and impact
// take a level number or its label in the risk method; controls and assets are split on ";" or ",". A legacy id
// column is kept as the risk's external reference. Scores are computed and acceptances are given in the
// register, so those columns are named as ignored. Editors and above may import.
func (s *Service) ImportRisks(ctx context.Context, format string, r io.Reader) (ImportResult, error) {
	return importRows(ctx, s, s.riskImport(format), format, r, false)
}

// PreviewRiskImport checks a risk file as ImportRisks does and says what it would add, update and leave
// unchanged, with the warnings, writing nothing.
func (s *Service) PreviewRiskImport(ctx context.Context, format string, r io.Reader) (ImportResult, error) {
	return importRows(ctx, s, s.riskImport(format), format, r, true)
}

// importedRisk is a risk of an import with the ids its owner and assets resolved to.
type importedRisk struct {
	isms.Risk
	ownerID  string
	assetIDs []string
}

// riskImport is the risk register's import for one file; the risk method is read once, in the transaction.
func (s *Service) riskImport(format string) registerImport[importedRisk] {
	var m isms.RiskMethod
	return registerImport[importedRisk]{entity: "risk", kind: "R", fields: riskFields,
		keys: func(r *importedRisk) (*string, *string, *int) { return &r.ID, &r.Ref, &r.Version },
		lookups: []importLookup[importedRisk]{
			{lookup: store.PeopleLookup, values: func(row *importer.Row, saved *importedRisk) []string {
				return ownerNames(row, func() string { return saved.Owner }, saved != nil)
			}},
			{lookup: store.AssetLookup, values: func(row *importer.Row, saved *importedRisk) []string {
				if saved != nil && !row.Has("assets") {
					return saved.Assets
				}
				return table.Split(row.Get("assets"))
			}}},
		begin: func(ctx context.Context, tx *store.Tx, orgID string) (err error) {
			m, err = tx.RiskMethod(ctx, orgID)
			return err
		},
		load: func(ctx context.Context, tx *store.Tx, orgID string, refs []string) (map[string]importedRisk, error) {
			saved, err := tx.RisksByRefs(ctx, orgID, refs)
			out := make(map[string]importedRisk, len(saved))
			for ref, r := range saved {
				out[ref] = importedRisk{Risk: r}
			}
			return out, err
		},
		apply: func(p *isms.Problems, row *importer.Row, found importFound, t *importedRisk) {
			s.applyImportedRisk(p, row, found, m, format, t)
		},
		same:     func(before, t *importedRisk) bool { return reflect.DeepEqual(before.Risk, t.Risk) },
		audited:  func(t *importedRisk) any { return t.Risk },
		warnings: func(t *importedRisk) []string { return t.Warnings() },
		stamp: func(t *importedRisk, now time.Time, isNew bool) {
			if isNew {
				t.CreatedAt, t.Version = now, 1
			}
			t.UpdatedAt = now
		},
		save: func(ctx context.Context, tx *store.Tx, a Actor, added []importedRisk, changed []importedRow[importedRisk], now time.Time) error {
			return s.saveImportedRisks(ctx, tx, a, m, format, added, changed, now)
		},
	}
}

// applyImportedRisk checks one row of a risk file and lays it over t (the saved risk, or a new one).
func (s *Service) applyImportedRisk(p *isms.Problems, row *importer.Row, found importFound, m isms.RiskMethod, format string, t *importedRisk) {
	was := t.Risk
	var saved *isms.Risk
	if t.Ref != "" {
		saved = &was
	}
	in, externalRef, parsed := riskInputOf(row, m, format, saved)
	var vp isms.Problems
	if hasOwner(row) {
		in.Owner = ownerOf(&vp, row, found["people"])
	}
	refs := riskRefs{people: map[string]string{}, assets: map[string]string{}, byID: map[string]store.Target{}}
	for _, k := range []struct {
		found map[string]store.Target
		index map[string]string
	}{{found["people"], refs.people}, {found["assets"], refs.assets}} {
		for v, target := range k.found {
			k.index[v], refs.byID[target.ID] = target.ID, target
		}
	}
	ownerID, assetIDs, err := s.validateRisk(&in, m, refs, row.Prefix())
	*p = append(*p, parsed...)
	skip := fieldSet(parsed) // a value that is not a level is not also out of range
	if e, ok := isms.AsError(err); ok {
		vp = append(vp, e.Fields...)
	}
	for _, e := range vp {
		if !skip[e.Field] {
			*p = append(*p, e)
		}
	}
	if len(*p) > 0 {
		return
	}
	applyRiskInput(&t.Risk, in, m, was.UpdatedAt)
	refs.named(&t.Risk, ownerID, assetIDs, in.Controls)
	if externalRef != nil {
		t.ExternalRef = *externalRef
	}
	if isms.AcceptanceLapse(was, t.Risk, m, m) != "" {
		t.WithdrawAcceptance()
	}
	t.ownerID, t.assetIDs = ownerID, assetIDs
}

// saveImportedRisks writes a batch of imported risks: the new ones with their links and first assessment in a
// few multi-row statements, each changed one with its version check, its links when they changed, and a history
// entry when it was reassessed.
func (s *Service) saveImportedRisks(ctx context.Context, tx *store.Tx, a Actor, m isms.RiskMethod, format string, added []importedRisk,
	changed []importedRow[importedRisk], now time.Time) error {
	note := "imported from " + format
	news := make([]store.NewRisk, len(added))
	for i, r := range added {
		news[i] = store.NewRisk{Risk: r.Risk, OwnerID: r.ownerID, AssetIDs: r.assetIDs, History: assessmentOf(r.Risk, m, a, now, note)}
	}
	if err := tx.InsertRisks(ctx, a.OrgID, news); err != nil {
		return err
	}
	var history []isms.RiskAssessment
	for i := range changed {
		before, next := changed[i].before.Risk, &changed[i].row
		if err := tx.UpdateRisk(ctx, a.OrgID, next.ownerID, next.Risk); err != nil {
			return err
		}
		next.Version++
		if !slices.Equal(next.Assets, before.Assets) || !slices.Equal(next.Controls, before.Controls) {
			if err := tx.SetRiskLinks(ctx, a.OrgID, next.ID, next.assetIDs, next.Controls); err != nil {
				return err
			}
		}
		if next.Likelihood != before.Likelihood || next.Impact != before.Impact || next.Treatment != before.Treatment ||
			next.ResidualLikelihood != before.ResidualLikelihood || next.ResidualImpact != before.ResidualImpact {
			history = append(history, assessmentOf(next.Risk, m, a, now, "reassessed by an import from "+format))
		}
	}
	return tx.AddAssessments(ctx, a.OrgID, history)
}

// riskInputOf reads one row into a RiskInput (riskFileColumns), reporting values that are not even of the right
// kind (a likelihood that is neither a level nor a label); everything else is left to validateRisk. The external
// reference is nil when the file has no column for it. A row that updates a saved risk starts from it, so that
// the columns the file lacks keep their saved values.
func riskInputOf(row *importer.Row, m isms.RiskMethod, format string, saved *isms.Risk) (RiskInput, *string, []isms.FieldError) {
	f := riskFile{m: m, prefix: row.Prefix()}
	if saved != nil {
		f.in = inputOf[RiskInput](*saved)
	}
	f.in.Note = "imported from " + format
	readFileRow(riskFileColumns, row, &f)
	return f.in, f.externalRef, f.p
}

// notAControl says why id is not an ISO/IEC 27001:2022 Annex A control; a 2013 id (old registers are full of
// them) says which 2022 controls it became.
func (s *Service) notAControl(id string) string {
	old, ok := s.cat.Control2013(id)
	if !ok {
		return fmt.Sprintf("%q is not an ISO/IEC 27001:2022 Annex A control", id)
	}
	if len(old.BecameIDs) == 0 {
		return fmt.Sprintf("A.%s is an ISO 27001:2013 control with no successor in 2022: name the 2022 control that covers it", strings.TrimPrefix(old.ID, "A."))
	}
	became := old.BecameIDs[0]
	if n := len(old.BecameIDs); n > 1 {
		became = strings.Join(old.BecameIDs[:n-1], ", ") + " and " + old.BecameIDs[n-1]
	}
	return fmt.Sprintf("A.%s is an ISO 27001:2013 control; it became %s in 2022", strings.TrimPrefix(old.ID, "A."), became)
}

// treatmentOf maps the names other registers use for the four options onto ours.
func treatmentOf(v string) string {
	switch t := strings.ToLower(strings.TrimSpace(v)); t {
	case "reduce", "mitigate", "treat", "modify risk":
		return "modify"
	case "accept", "retain risk", "tolerate":
		return "retain"
	case "transfer", "share risk":
		return "share"
	case "terminate", "avoid risk":
		return "avoid"
	default:
		return t
	}
}

// parseLevel reads a level: a number ("3", "3.0", "3 - Possible") or a label of the scale ("possible");
// empty is 0. A value that is neither is reported and read as -1, so that validation's own complaint about
// the field is dropped (and the residual pair rule does not fire) while the value still cannot pass.
func parseLevel(p *isms.Problems, field, v string, scale []isms.Level) int {
	v = strings.TrimSpace(v)
	if v == "" {
		return 0
	}
	if n, err := strconv.Atoi(v); err == nil {
		return n
	}
	if f, err := strconv.ParseFloat(v, 64); err == nil && f == float64(int(f)) {
		return int(f)
	}
	for i, l := range scale {
		if strings.EqualFold(strings.TrimSpace(l.Label), v) {
			return i + 1
		}
	}
	if end := strings.IndexFunc(v, func(r rune) bool { return r < '0' || r > '9' }); end > 0 {
		if n, err := strconv.Atoi(v[:end]); err == nil && strings.ContainsRune(" -:(.", rune(v[end])) {
			return n
		}
	}
	labels := make([]string, len(scale))
	for i, l := range scale {
		labels[i] = l.Label
	}
	p.Add(field, "%q is not a level: give a number from 1 to %d or one of %s", v, len(scale), strings.Join(labels, ", "))
	return -1
}

func fieldSet(fe []isms.FieldError) map[string]bool {
	if len(fe) == 0 {
		return nil
	}
	out := make(map[string]bool, len(fe))
	for _, e := range fe {
		out[e.Field] = true
	}
	return out
}
