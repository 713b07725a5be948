package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/spf13/cobra"

	"github.com/praxis-isms/praxis/internal/isms"
	"github.com/praxis-isms/praxis/internal/service"
)

// riskFlags are the filters of `risk list` and `risk export`.
type riskFlags struct {
	f                  service.RiskFilter
	band, residualBand string
	appetite           string
}

func (rf *riskFlags) add(c *cobra.Command) {
	fl := c.Flags()
	fl.StringVar(&rf.f.Search, "search", "", "reference, title, threat or vulnerability contains")
	fl.StringVar(&rf.f.Owner, "owner", "", "only this risk owner (person reference, P-001)")
	fl.StringVar(&rf.f.Treatment, "treatment", "", "only this treatment: modify, retain, avoid, share")
	fl.StringVar(&rf.f.Control, "control", "", "only risks treated by this Annex A control (8.28)")
	fl.StringVar(&rf.f.Asset, "asset", "", "only risks to this asset (A-001)")
	fl.StringVar(&rf.band, "band", "", "only this inherent score band: low, medium, high")
	fl.StringVar(&rf.residualBand, "residual-band", "", "only this residual score band: low, medium, high")
	fl.StringVar(&rf.appetite, "appetite", "", "above or within: only risks whose current score (residual once assessed, else inherent) is above or within the acceptance threshold")
	fl.IntVar(&rf.f.Likelihood, "likelihood", 0, "only this inherent likelihood (a heat-map cell with --impact)")
	fl.IntVar(&rf.f.Impact, "impact", 0, "only this inherent impact")
	fl.IntVar(&rf.f.ResidualLikelihood, "residual-likelihood", 0, "only this residual likelihood")
	fl.IntVar(&rf.f.ResidualImpact, "residual-impact", 0, "only this residual impact")
	fl.StringVar(&rf.f.Accepted, "accepted", "", "yes: only accepted risks; no: only risks not accepted")
	fl.StringVar(&rf.f.Sort, "sort", "ref", "ref, title, score, residual, current, owner, treatment or updated; prefix - for descending")
}

// filter resolves the bands against the organisation's risk method.
func (rf *riskFlags) filter(ctx context.Context, svc *service.Service) (service.RiskFilter, error) {
	f := rf.f
	f.Control = strings.TrimPrefix(f.Control, "A.")
	var p isms.Problems
	if f.Accepted != "" && f.Accepted != "yes" && f.Accepted != "no" {
		p.Add("accepted", "must be yes or no")
	}
	for name, b := range map[string]string{"band": rf.band, "residual-band": rf.residualBand} {
		if b != "" && !isms.OneOf(b, []string{"low", "medium", "high"}) {
			p.Add(name, "must be low, medium or high")
		}
	}
	if rf.appetite != "" && rf.appetite != "above" && rf.appetite != "within" {
		p.Add("appetite", "must be above or within")
	}
	if err := p.Err(); err != nil {
		return f, err
	}
	if rf.band == "" && rf.residualBand == "" && rf.appetite == "" {
		return f, nil
	}
	m, err := svc.RiskMethod(ctx)
	if err != nil {
		return f, err
	}
	if f, err = service.BandFilter(f, m, rf.band, false); err != nil {
		return f, err
	}
	if f, err = service.AppetiteFilter(f, m, rf.appetite); err != nil {
		return f, err
	}
	return service.BandFilter(f, m, rf.residualBand, true)
}

// riskTable is the register as rows: for CSV the columns and cells of the register export (one row model,
// which imports back), the declared list columns (service.RiskListColumns) for the terminal.
func (e *env) riskTable(risks []isms.Risk, value any) (table, error) {
	if e.format == "csv" {
		t := table{value: value}
		var err error
		t.headers, t.rows, err = service.RiskRecords(risks)
		return t, err
	}
	return listTable(service.RiskListColumns, risks, value), nil
}

func acceptedOn(r isms.Risk, layout string) string {
	if r.AcceptedAt == nil {
		return ""
	}
	return r.AcceptedAt.Format(layout)
}

// levelLabel is "4 (Likely)" on a scale.
func levelLabel(levels []isms.Level, v int) string {
	if v <= 0 {
		return "-"
	}
	if v <= len(levels) {
		return fmt.Sprintf("%d (%s)", v, levels[v-1].Label)
	}
	return strconv.Itoa(v)
}

// bandedScore is "12 (medium)", or empty for no score.
func bandedScore(score int, band string) string {
	if score <= 0 {
		return ""
	}
	return fmt.Sprintf("%d (%s)", score, band)
}

func scoreLabel(m isms.RiskMethod, score int) string {
	if score <= 0 {
		return "not assessed"
	}
	return bandedScore(score, m.Band(score))
}

func (e *env) riskCmd() *cobra.Command {
	cmd := &cobra.Command{Use: "risk", Short: "The risk register (6.1.2, 6.1.3, 8.2, 8.3): list, show, add, set, accept, delete, import, export, heatmap, method, action"}

	var lf riskFlags
	var limit, offset int
	list := &cobra.Command{
		Use:   "list",
		Short: "List risks (filters as flags)",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			ctx, svc, err := e.acting(cmd.Context())
			if err != nil {
				return err
			}
			f, err := lf.filter(ctx, svc)
			if err != nil {
				return err
			}
			items, total, err := listAll(limit, offset, func(p service.Page) (service.List[isms.Risk], error) { return svc.ListRisks(ctx, f, p) })
			if err != nil {
				return err
			}
			e.shown(len(items), offset, total, "risk")
			t, err := e.riskTable(items, items)
			if err != nil {
				return err
			}
			return e.print(t)
		},
	}
	lf.add(list)
	listFlags(list, &limit, &offset)

	show := &cobra.Command{
		Use:   "show REF",
		Short: "Show a risk with its history and treatment actions",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			ctx, svc, err := e.acting(cmd.Context())
			if err != nil {
				return err
			}
			d, err := svc.Risk(ctx, args[0])
			if err != nil {
				return err
			}
			actions := service.ActionViews(d.Actions, svc.Today())
			switch e.format {
			case "json":
				return writeJSON(e.stdout, struct {
					service.RiskDetail
					Actions []service.ActionView `json:"actions"`
				}{d, actions})
			case "csv":
				t, err := e.riskTable([]isms.Risk{d.Risk}, nil)
				if err != nil {
					return err
				}
				return e.print(t)
			}
			m, err := svc.RiskMethod(ctx)
			if err != nil {
				return err
			}
			e.printRisk(m, d, actions)
			return nil
		},
	}

	var in service.RiskInput
	inputFlags := func(c *cobra.Command) {
		fl := c.Flags()
		fl.StringVar(&in.Title, "title", "", "title")
		fl.StringVar(&in.Description, "description", "", "description")
		fl.StringSliceVar(&in.Assets, "asset", nil, "affected asset (A-001); repeat or separate with commas")
		fl.StringVar(&in.Threat, "threat", "", "threat; on add also a library id (T09, see praxis catalog threats) that fills title, description and controls left out")
		fl.StringVar(&in.Vulnerability, "vulnerability", "", "vulnerability; on add also a library id (V18, see praxis catalog threats --vulnerabilities)")
		fl.StringVar(&in.Owner, "owner", "", "risk owner: person reference, name or email")
		fl.IntVar(&in.Likelihood, "likelihood", 0, "inherent likelihood level")
		fl.IntVar(&in.Impact, "impact", 0, "inherent impact level")
		fl.StringVar((*string)(&in.Treatment), "treatment", "", "modify, retain, avoid or share")
		fl.StringSliceVar(&in.Controls, "control", nil, "Annex A 2022 control that treats it (8.28); repeat or separate with commas")
		fl.IntVar(&in.ResidualLikelihood, "residual-likelihood", 0, "residual likelihood level (after treatment)")
		fl.IntVar(&in.ResidualImpact, "residual-impact", 0, "residual impact level")
		fl.StringVar(&in.Note, "note", "", "a note for the risk's history")
	}
	add := &cobra.Command{
		Use:   "add",
		Short: "Add a risk (scores are computed from the risk method)",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			ctx, svc, err := e.acting(cmd.Context())
			if err != nil {
				return err
			}
			r, err := svc.AddRisk(ctx, in)
			if err != nil {
				return err
			}
			printf(e.stdout, "Added %s %s: score %d%s.\n", r.Ref, r.Title, r.Score, residualNote(r.Risk))
			e.warn(r.Warnings)
			return nil
		},
	}
	inputFlags(add)
	set := &cobra.Command{
		Use:   "set REF",
		Short: "Change or reassess a risk (only the flags given change; --asset and --control replace the lists)",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			ctx, svc, err := e.acting(cmd.Context())
			if err != nil {
				return err
			}
			var r isms.Risk // as read, to say when the change withdrew its acceptance
			after, err := patchLatest(func() (int, error) {
				d, err := svc.Risk(ctx, args[0])
				r = d.Risk
				return r.Version, err
			}, func(version int) (service.RiskResult, error) {
				in.Version, in.Sent = version, sentFlags(cmd, map[string]string{"asset": "assets", "control": "controls"})
				return svc.PatchRisk(ctx, r.Ref, in)
			})
			if err != nil {
				return err
			}
			printf(e.stdout, "Updated %s %s (version %d): score %d%s.\n", after.Ref, after.Title, after.Version, after.Score, residualNote(after.Risk))
			e.warn(after.Warnings)
			if r.AcceptedAt != nil && after.AcceptedAt == nil {
				printf(e.stdout, "The residual risk changed, so its acceptance was withdrawn: accept it again with `praxis risk accept %s`.\n", after.Ref)
			}
			return nil
		},
	}
	inputFlags(set)

	var comment string
	accept := &cobra.Command{
		Use:   "accept REF",
		Short: "Accept the residual risk (the risk owner or an approver; above the threshold --comment is required)",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			ctx, svc, err := e.acting(cmd.Context())
			if err != nil {
				return err
			}
			d, err := svc.Risk(ctx, args[0])
			if err != nil {
				return err
			}
			r, err := svc.AcceptRisk(ctx, d.Ref, service.AcceptRiskInput{Comment: comment, Version: d.Version})
			if err != nil {
				return err
			}
			printf(e.stdout, "Accepted %s %s: by %s on %s.\n", r.Ref, r.Title, r.AcceptedBy, acceptedOn(r, time.DateOnly))
			return nil
		},
	}
	accept.Flags().StringVar(&comment, "comment", "", "why the residual risk is acceptable")

	del := e.deleteCmd("Delete a risk with its history and treatment actions (the audit trail keeps its last state)", func(ctx context.Context, svc *service.Service, ref string) error { return svc.DeleteRisk(ctx, ref) })
	imp := e.importCmd("risk", func(svc *service.Service) importFunc { return svc.ImportRisks },
		func(svc *service.Service) importFunc { return svc.PreviewRiskImport })

	var ef riskFlags
	export := e.exportCmd("risk register", ef.add, func(ctx context.Context, svc *service.Service, format string, w io.Writer) error {
		f, err := ef.filter(ctx, svc)
		if err != nil {
			return err
		}
		return svc.ExportRisks(ctx, f, format, w)
	})

	var residual bool
	heatmap := &cobra.Command{
		Use:   "heatmap",
		Short: "Print the heat map: risks per likelihood and impact, inherent or --residual",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			ctx, svc, err := e.acting(cmd.Context())
			if err != nil {
				return err
			}
			h, err := svc.RiskHeatMap(ctx, residual)
			if err != nil {
				return err
			}
			if h.Cells == nil {
				h.Cells = []service.HeatCell{}
			}
			switch e.format {
			case "json":
				return writeJSON(e.stdout, h)
			case "csv":
				return e.print(heatTable(h))
			}
			return printHeatMap(e.stdout, h)
		},
	}
	heatmap.Flags().BoolVar(&residual, "residual", false, "the residual risk (after treatment) rather than the inherent risk")

	cmd.AddCommand(list, show, add, set, accept, del, imp, export, heatmap, e.riskMethodCmd(), e.riskActionCmd())
	return cmd
}

// warn prints the warnings about a saved record on stderr, so that scripts reading stdout are not disturbed.
func (e *env) warn(warnings []string) {
	for _, w := range warnings {
		printf(e.stderr, "praxis: warning: %s\n", w)
	}
}

func residualNote(r isms.Risk) string {
	if r.ResidualScore == 0 {
		return ""
	}
	return fmt.Sprintf(", residual %d", r.ResidualScore)
}

// printRisk writes one risk for a person to read: the assessment, history and treatment plan.
func (e *env) printRisk(m isms.RiskMethod, d service.RiskDetail, actions []service.ActionView) {
	w := e.stdout
	r := d.Risk
	printf(w, "%s  %s\n", r.Ref, r.Title)
	op := "x"
	if m.Scoring == isms.ScoreAdd {
		op = "+"
	}
	residual := "not assessed"
	if r.ResidualScore > 0 {
		residual = fmt.Sprintf("likelihood %s %s impact %s = %s", levelLabel(m.Likelihood, r.ResidualLikelihood), op, levelLabel(m.Impact, r.ResidualImpact),
			scoreLabel(m, r.ResidualScore))
	}
	accepted := "no"
	if r.AcceptedAt != nil {
		accepted = fmt.Sprintf("by %s on %s", r.AcceptedBy, r.AcceptedAt.Format(time.DateOnly))
		if r.AcceptanceComment != "" {
			accepted += ": " + r.AcceptanceComment
		}
	}
	detail(w, [][2]string{
		{"Owner", personLabel(r.OwnerName, r.Owner)},
		{"Assets", strings.Join(r.Assets, ", ")},
		{"Threat", r.Threat},
		{"Vulnerability", r.Vulnerability},
		{"Description", r.Description},
		{"Inherent risk", fmt.Sprintf("likelihood %s %s impact %s = %s", levelLabel(m.Likelihood, r.Likelihood), op, levelLabel(m.Impact, r.Impact),
			scoreLabel(m, r.Score))},
		{"Treatment", string(r.Treatment)},
		{"Controls", strings.Join(r.Controls, ", ")},
		{"Residual risk", residual},
		{"Accepted", accepted},
		{"External ref", r.ExternalRef},
		{"Updated", r.UpdatedAt.Format("2006-01-02 15:04 MST")},
		{"Version", strconv.Itoa(r.Version)},
	})
	printf(w, "\nHistory (newest first)\n")
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "  AT\tBY\tL\tI\tSCORE\tRL\tRI\tRESIDUAL\tTREATMENT\tMETHOD\tNOTE")
	for _, h := range d.History {
		// Each assessment is banded under the method it was made under, not today's.
		printf(tw, "  %s\t%s\t%d\t%d\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n", h.At.Format("2006-01-02 15:04"), h.By, h.Likelihood, h.Impact,
			bandedScore(h.Score, h.Method.Band(h.Score)), itoaOrEmpty(h.ResidualLikelihood), itoaOrEmpty(h.ResidualImpact),
			bandedScore(h.ResidualScore, h.Method.Band(h.ResidualScore)), h.Treatment, h.Method, strings.Join(strings.Fields(h.Note), " "))
	}
	tw.Flush()
	if len(actions) == 0 {
		printf(w, "\nNo treatment actions: add one with `praxis risk action add %s --title ...`.\n", r.Ref)
		return
	}
	printf(w, "\nTreatment actions\n")
	tw = tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "  REF\tTITLE\tOWNER\tDUE\tSTATUS\t")
	for _, a := range actions {
		flag := ""
		if a.Overdue {
			flag = "OVERDUE"
		}
		printf(tw, "  %s\t%s\t%s\t%s\t%s\t%s\n", a.Ref, oneLine(a.Title, 60), a.OwnerName, a.Due, a.Status, flag)
	}
	tw.Flush()
}

// heatTable is every cell of the matrix as a row (for CSV).
func heatTable(h service.HeatMap) table {
	t := table{headers: []string{"likelihood", "impact", "score", "band", "count"}, value: h}
	counts := heatCounts(h)
	for l := len(h.Method.Likelihood); l >= 1; l-- {
		for i := 1; i <= len(h.Method.Impact); i++ {
			s := h.Method.Score(l, i)
			t.rows = append(t.rows, []string{strconv.Itoa(l), strconv.Itoa(i), strconv.Itoa(s), h.Method.Band(s), strconv.Itoa(counts[[2]int{l, i}])})
		}
	}
	return t
}

func heatCounts(h service.HeatMap) map[[2]int]int {
	counts := map[[2]int]int{}
	for _, c := range h.Cells {
		counts[[2]int{c.Likelihood, c.Impact}] += c.Count
	}
	return counts
}

// printHeatMap draws the matrix as a text grid: likelihood down (highest first), impact across; each cell shows
// its number of risks and its band (L, M, H).
func printHeatMap(w io.Writer, h service.HeatMap) error {
	m := h.Method
	kind := "Inherent"
	if h.Residual {
		kind = "Residual"
	}
	printf(w, "%s risk heat map: %d risks on the %dx%d method (score = likelihood %s impact)\n\n", kind, h.Total, len(m.Likelihood), len(m.Impact),
		map[isms.Scoring]string{isms.ScoreMultiply: "x", isms.ScoreAdd: "+"}[m.Scoring])
	counts := heatCounts(h)
	corner := "Likelihood \\ Impact"
	rowLabels := make([]string, len(m.Likelihood)+1)
	labelWidth := len(corner)
	for l := 1; l <= len(m.Likelihood); l++ {
		rowLabels[l] = fmt.Sprintf("%d %s", l, m.Likelihood[l-1].Label)
		labelWidth = max(labelWidth, len([]rune(rowLabels[l])))
	}
	heads := make([]string, len(m.Impact)+1)
	widths := make([]int, len(m.Impact)+1)
	line := fmt.Sprintf("%-*s", labelWidth, corner)
	for i := 1; i <= len(m.Impact); i++ {
		heads[i] = fmt.Sprintf("%d %s", i, m.Impact[i-1].Label)
		widths[i] = max(len([]rune(heads[i])), 5)
		line += fmt.Sprintf("  %*s", widths[i], heads[i])
	}
	fmt.Fprintln(w, line)
	for l := len(m.Likelihood); l >= 1; l-- {
		line := rowLabels[l] + strings.Repeat(" ", labelWidth-len([]rune(rowLabels[l])))
		for i := 1; i <= len(m.Impact); i++ {
			n := "."
			if c := counts[[2]int{l, i}]; c > 0 {
				n = strconv.Itoa(c)
			}
			line += fmt.Sprintf("  %*s", widths[i], n+" "+strings.ToUpper(m.Band(m.Score(l, i))[:1]))
		}
		fmt.Fprintln(w, line)
	}
	printf(w, "\nL low (score up to %d, within appetite), M medium, H high (score %d or more); . no risk.\n", m.AcceptanceThreshold, m.HighThreshold)
	if h.Residual {
		fmt.Fprintln(w, "Risks without a residual assessment are not counted.")
	}
	return nil
}

// --- risk method

// defaultScale is a sensible scale of n levels (3, 4 or 5) for likelihood or impact.
func defaultScale(likelihood bool, n int) []isms.Level {
	d := isms.DefaultRiskMethod()
	five := d.Impact
	if likelihood {
		five = d.Likelihood
	}
	switch n {
	case 5:
		return append([]isms.Level(nil), five...)
	case 4:
		if likelihood {
			return []isms.Level{five[0], five[1], five[3], five[4]}
		}
		return []isms.Level{five[1], five[2], five[3], five[4]}
	case 3:
		if likelihood {
			return []isms.Level{
				{Label: "Unlikely", Description: "Not expected to happen within the next few years."},
				{Label: "Possible", Description: "Might well happen within the next year or two."},
				{Label: "Likely", Description: "Expected to happen within the next year, or happening now."},
			}
		}
		return []isms.Level{
			{Label: "Low", Description: "Little effect: a short disruption or small cost, handled within a team."},
			{Label: "Medium", Description: "Customers notice; costs or effort that need management attention."},
			{Label: "High", Description: "Serious harm to customers, reputation, finances or compliance."},
		}
	}
	return nil
}

// scaleFrom builds a scale from the flags: labels given replace the current ones (keeping each level's
// description when the size stays); a new size without labels takes the default scale of that size; otherwise
// the current scale stays. descs ("N=text", one per --likelihood-description or --impact-description) then set
// the description of level N.
func scaleFrom(field string, likelihood bool, current []isms.Level, levels int, levelsSet bool, labels string, labelsSet bool, descs []string) ([]isms.Level, error) {
	var out []isms.Level
	switch {
	case labelsSet:
		parts := strings.Split(labels, ",")
		if levelsSet && levels != len(parts) {
			return nil, isms.Invalid(isms.FieldError{Field: field + "-labels", Message: fmt.Sprintf("gives %d labels for %d levels", len(parts), levels)})
		}
		for i, l := range parts {
			lv := isms.Level{Label: strings.TrimSpace(l)}
			if len(parts) == len(current) {
				lv.Description = current[i].Description
			}
			out = append(out, lv)
		}
	case levelsSet && levels != len(current):
		if out = defaultScale(likelihood, levels); out == nil {
			return nil, isms.Invalid(isms.FieldError{Field: field + "-levels", Message: "must be from 3 to 5"})
		}
	default:
		out = append([]isms.Level(nil), current...)
	}
	var p isms.Problems
	for _, d := range descs {
		n, text, ok := strings.Cut(d, "=")
		level, err := strconv.Atoi(strings.TrimSpace(n))
		switch {
		case !ok || err != nil:
			p.Add(field+"-description", "%q is not LEVEL=TEXT (for example 3=\"Might well happen within a year\")", d)
		case level < 1 || level > len(out):
			p.Add(field+"-description", "level %d is not on the %d-level scale", level, len(out))
		default:
			out[level-1].Description = strings.TrimSpace(text)
		}
	}
	return out, p.Err()
}

func (e *env) printMethod(m isms.RiskMethod) error {
	switch e.format {
	case "json":
		return writeJSON(e.stdout, m)
	case "csv":
		t := table{headers: []string{"scale", "level", "label", "description"}, value: m}
		for i, l := range m.Likelihood {
			t.rows = append(t.rows, []string{"likelihood", strconv.Itoa(i + 1), l.Label, l.Description})
		}
		for i, l := range m.Impact {
			t.rows = append(t.rows, []string{"impact", strconv.Itoa(i + 1), l.Label, l.Description})
		}
		return e.print(t)
	}
	w := e.stdout
	how := "likelihood x impact"
	if m.Scoring == isms.ScoreAdd {
		how = "likelihood + impact"
	}
	saved := fmt.Sprintf("version %d, updated %s", m.Version, m.UpdatedAt.Format("2006-01-02"))
	if m.Version == 0 {
		saved = "the default, never changed"
	}
	printf(w, "Risk method (%s)\n", saved)
	detail(w, [][2]string{
		{"Matrix", fmt.Sprintf("%d likelihood x %d impact levels", len(m.Likelihood), len(m.Impact))},
		{"Score", fmt.Sprintf("%s (from %d to %d)", how, m.Score(1, 1), m.MaxScore())},
		{"Acceptance threshold", fmt.Sprintf("%d: scores up to it are low (within appetite); above it, acceptance needs a comment", m.AcceptanceThreshold)},
		{"High from", strconv.Itoa(m.HighThreshold)},
	})
	for _, s := range []struct {
		name   string
		levels []isms.Level
	}{{"Likelihood", m.Likelihood}, {"Impact", m.Impact}} {
		printf(w, "\n%s\n", s.name)
		for i, l := range s.levels {
			printf(w, "  %d %s", i+1, l.Label)
			if l.Description != "" {
				printf(w, ": %s", l.Description)
			}
			fmt.Fprintln(w)
		}
	}
	return nil
}

func (e *env) riskMethodCmd() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "method",
		Short: "Show the risk method (set changes it)",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			ctx, svc, err := e.acting(cmd.Context())
			if err != nil {
				return err
			}
			m, err := svc.RiskMethod(ctx)
			if err != nil {
				return err
			}
			return e.printMethod(m)
		},
	}
	var lLevels, iLevels, threshold, high int
	var lLabels, iLabels, scoring string
	var lDescs, iDescs []string
	var rescale bool
	set := &cobra.Command{
		Use:   "set",
		Short: "Change the risk method (only the flags given change); --rescale maps existing risks onto new scale sizes",
		Long: "Change the risk method. Only the flags given change. A new scale size takes sensible default labels and\n" +
			"descriptions for 3, 4 or 5 levels unless --likelihood-labels or --impact-labels name them; new labels for a scale\n" +
			"of the same size keep the levels' descriptions, and --likelihood-description 3=TEXT (repeatable) sets one.\n" +
			"When risks exist, changing the size of a scale needs --rescale: each risk's levels are then mapped proportionally\n" +
			"(5 levels to 3: 1->1, 2->2, 3->2, 4->3, 5->3), its scores recomputed, and the change recorded in its history with\n" +
			"the previous levels and scores. An acceptance whose score changes, or ends up above a lowered acceptance\n" +
			"threshold, is withdrawn; the command lists those risks.",
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			ctx, svc, err := e.acting(cmd.Context())
			if err != nil {
				return err
			}
			cur, err := svc.RiskMethod(ctx)
			if err != nil {
				return err
			}
			fl := cmd.Flags()
			in := service.RiskMethodInput{Scoring: cur.Scoring, AcceptanceThreshold: cur.AcceptanceThreshold, HighThreshold: cur.HighThreshold,
				Version: cur.Version, Rescale: rescale}
			var p isms.Problems
			if in.Likelihood, err = scaleFrom("likelihood", true, cur.Likelihood, lLevels, fl.Changed("likelihood-levels"), lLabels, fl.Changed("likelihood-labels"), lDescs); err != nil {
				p = append(p, fieldsOf(err)...)
			}
			if in.Impact, err = scaleFrom("impact", false, cur.Impact, iLevels, fl.Changed("impact-levels"), iLabels, fl.Changed("impact-labels"), iDescs); err != nil {
				p = append(p, fieldsOf(err)...)
			}
			if err := p.Err(); err != nil {
				return err
			}
			if fl.Changed("scoring") {
				in.Scoring = isms.Scoring(strings.ToLower(scoring))
			}
			if fl.Changed("threshold") {
				in.AcceptanceThreshold = threshold
			}
			if fl.Changed("high") {
				in.HighThreshold = high
			}
			res, err := svc.SetRiskMethod(ctx, in)
			if err != nil {
				resized := len(in.Likelihood) != len(cur.Likelihood) || len(in.Impact) != len(cur.Impact)
				if isms.ErrorKind(err) == isms.KindConflict && resized && !rescale {
					return fmt.Errorf("%w\nNothing changed. Run the command again with --rescale to map the risks onto the new scales", err)
				}
				return err
			}
			m := res.Method
			printf(e.stdout, "Saved the risk method (version %d): %dx%d, %s, acceptance threshold %d, high from %d.\n", m.Version,
				len(m.Likelihood), len(m.Impact), m.Scoring, m.AcceptanceThreshold, m.HighThreshold)
			if res.Rescored > 0 {
				printf(e.stdout, "Re-scored %s; each has a history entry with its previous levels and scores.\n", count(res.Rescored, "risk"))
			}
			switch n := len(res.Withdrawn); {
			case n > 0:
				printf(e.stdout, "Withdrew %s (%s): the score accepted changed or is now above the acceptance threshold; "+
					"accept again with `praxis risk accept REF`.\n", count(n, "acceptance"), service.RefList(res.Withdrawn))
			case res.Rescored > 0:
				fmt.Fprintln(e.stdout, "No acceptance was withdrawn.")
			}
			return nil
		},
	}
	fl := set.Flags()
	fl.IntVar(&lLevels, "likelihood-levels", 0, "number of likelihood levels, 3 to 5")
	fl.IntVar(&iLevels, "impact-levels", 0, "number of impact levels, 3 to 5")
	fl.StringVar(&lLabels, "likelihood-labels", "", `likelihood labels, lowest first, separated by commas ("Low,Medium,High")`)
	fl.StringVar(&iLabels, "impact-labels", "", "impact labels, lowest first, separated by commas")
	fl.StringArrayVar(&lDescs, "likelihood-description", nil, `description of a likelihood level as LEVEL=TEXT (3="Might well happen within a year"); repeat for more levels`)
	fl.StringArrayVar(&iDescs, "impact-description", nil, "description of an impact level as LEVEL=TEXT; repeat for more levels")
	fl.StringVar(&scoring, "scoring", "", "multiply (likelihood x impact) or add (likelihood + impact)")
	fl.IntVar(&threshold, "threshold", 0, "acceptance threshold: residual scores up to it are within appetite")
	fl.IntVar(&high, "high", 0, "scores from this one up are high")
	fl.BoolVar(&rescale, "rescale", false, "map existing risks onto the new scale sizes (recorded in each risk's history)")
	cmd.AddCommand(set)
	return cmd
}

func fieldsOf(err error) []isms.FieldError {
	var e *isms.Error
	if errors.As(err, &e) {
		return e.Fields
	}
	return []isms.FieldError{{Field: "method", Message: err.Error()}}
}

// --- treatment plan

func (e *env) riskActionCmd() *cobra.Command {
	cmd := &cobra.Command{Use: "action", Short: "The risk treatment plan: add, list, set, export"}
	var in service.ActionInput
	inputFlags := func(c *cobra.Command) {
		c.Flags().StringVar(&in.Title, "title", "", "what is to be done")
		c.Flags().StringVar(&in.Owner, "owner", "", "owner: person reference, name or email")
		c.Flags().StringVar(&in.Due, "due", "", "due date, YYYY-MM-DD")
		c.Flags().StringVar(&in.Status, "status", "", strings.Join(isms.ActionStatuses, ", ")+" (new actions: planned)")
		c.Flags().StringVar(&in.Notes, "notes", "", "notes")
	}
	add := &cobra.Command{
		Use:   "add RISKREF",
		Short: "Add a treatment action to a risk",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			ctx, svc, err := e.acting(cmd.Context())
			if err != nil {
				return err
			}
			t, err := svc.AddAction(ctx, args[0], in)
			if err != nil {
				return err
			}
			printf(e.stdout, "Added %s to %s: %s.\n", t.Ref, t.RiskRef, t.Title)
			return nil
		},
	}
	inputFlags(add)

	var f service.ActionFilter
	var overdue bool
	var limit, offset int
	list := &cobra.Command{
		Use:   "list",
		Short: "List treatment actions by due date",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			ctx, svc, err := e.acting(cmd.Context())
			if err != nil {
				return err
			}
			today := svc.Today()
			lf := f
			if overdue {
				lf.OverdueOn = today
			}
			list, total, err := listAll(limit, offset, func(p service.Page) (service.List[isms.TreatmentAction], error) { return svc.ListActions(ctx, lf, p) })
			if err != nil {
				return err
			}
			e.shown(len(list), offset, total, "treatment action")
			items := service.ActionViews(list, today)
			return e.print(listTable(service.ActionListColumns, items, items))
		},
	}
	filters := func(c *cobra.Command) {
		c.Flags().StringVar(&f.Risk, "risk", "", "only the actions of this risk (R-001)")
		c.Flags().StringVar(&f.Owner, "owner", "", "only this owner (person reference, P-001)")
		c.Flags().StringVar(&f.Status, "status", "", "only this status: "+strings.Join(isms.ActionStatuses, ", "))
		c.Flags().StringVar(&f.Search, "search", "", "reference or title contains")
		c.Flags().BoolVar(&overdue, "overdue", false, "only open actions past their due date")
	}
	filters(list)
	listFlags(list, &limit, &offset)
	export := e.exportCmd("treatment plan (with whether each action is overdue)", filters, func(ctx context.Context, svc *service.Service, format string, w io.Writer) error {
		ef := f
		if overdue {
			ef.OverdueOn = svc.Today()
		}
		return svc.ExportActions(ctx, ef, format, w)
	})

	set := &cobra.Command{
		Use:   "set REF",
		Short: "Change a treatment action (only the flags given change)",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			ctx, svc, err := e.acting(cmd.Context())
			if err != nil {
				return err
			}
			t, err := patchLatest(func() (int, error) {
				a, err := findAction(ctx, svc, args[0])
				return a.Version, err
			}, func(version int) (isms.TreatmentAction, error) {
				in.Version, in.Sent = version, sentFlags(cmd, nil)
				return svc.PatchAction(ctx, args[0], in)
			})
			if err != nil {
				return err
			}
			printf(e.stdout, "Updated %s (%s, version %d): %s.\n", t.Ref, t.Status, t.Version, t.Title)
			return nil
		},
	}
	inputFlags(set)
	cmd.AddCommand(add, list, set, export)
	return cmd
}

// findAction loads one treatment action by reference.
func findAction(ctx context.Context, svc *service.Service, ref string) (isms.TreatmentAction, error) {
	ref = strings.TrimSpace(ref)
	l, err := svc.ListActions(ctx, service.ActionFilter{Search: ref}, service.Page{Limit: 500})
	if err != nil {
		return isms.TreatmentAction{}, err
	}
	for _, t := range l.Items {
		if strings.EqualFold(t.Ref, ref) || t.ID == ref {
			return t, nil
		}
	}
	return isms.TreatmentAction{}, isms.NotFound("treatment action %s not found", ref)
}
