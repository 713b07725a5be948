package web

import (
	"fmt"
	"math"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"github.com/praxis-isms/praxis/internal/isms"
	"github.com/praxis-isms/praxis/internal/service"
)

// The risk method page (clause 6.1.2 a to c): the likelihood and impact scales, how a score is computed and
// the thresholds of the bands. Changing the size of a scale is a GET (?levels=, ?likelihood_levels=,
// ?impact_levels=) that shows the form with that many rows, so that it works without JavaScript.

// MethodRow is one level of a scale in the form.
type MethodRow struct {
	N                         int
	Label, Description, Error string
}

// MethodScale is one scale of the form with its errors.
type MethodScale struct {
	Name, Title, Error string
	Rows               []MethodRow
}

// MethodPage is the data of the risk method page.
type MethodPage struct {
	Tabs       []RiskTab
	Saved      isms.RiskMethod
	Likelihood []MethodRow
	Impact     []MethodRow
	Sizes      []int
	Scorings   []Option
	Scoring    string
	Acceptance string
	High       string
	Version    int
	Risks      int  // risks assessed on the saved scales
	Accepted   int  // of them, risks whose acceptance a change of scores or threshold may withdraw
	Resized    bool // the form's scales differ in size from the saved ones
	Rescale    bool // the re-scaling box is ticked
	Stale      bool // someone else saved the method meanwhile
	errs       map[string]string

	Methodology *MethodologyPrompt // nil unless the risk methodology waits for drafting or approval
}

// Scales are the likelihood and impact scales of the form, each row with its error.
func (d MethodPage) Scales() []MethodScale {
	scale := func(name, title string, rows []MethodRow) MethodScale {
		s := MethodScale{Name: name, Title: title, Error: d.errs[name], Rows: slices.Clone(rows)}
		for i := range s.Rows {
			s.Rows[i].Error = d.errs[fmt.Sprintf("%s[%d].label", name, s.Rows[i].N)]
		}
		return s
	}
	return []MethodScale{scale("likelihood", "Likelihood", d.Likelihood), scale("impact", "Impact", d.Impact)}
}

var methodSizes = []int{3, 4, 5}

var methodScorings = []Option{{string(isms.ScoreMultiply), "likelihood × impact"}, {string(isms.ScoreAdd), "likelihood + impact"}}

// suggestedLevels are the labels offered when a scale gets a size other than the saved one.
var suggestedLevels = map[string]map[int][]isms.Level{
	"likelihood": {
		3: {
			lv("Unlikely", "Not expected within the next two years."), lv("Possible", "Might well happen within the next year or two."),
			lv("Likely", "Expected to happen within the next year, or happening now.")},
		4: {
			lv("Rare", "Not expected within five years."), lv("Unlikely", "Not expected within the next two years."),
			lv("Likely", "Expected to happen within the next year."), lv("Almost certain", "Happens several times a year or is happening now.")},
		5: isms.DefaultRiskMethod().Likelihood,
	},
	"impact": {
		3: {
			lv("Minor", "Short disruption or small cost; handled within a team."), lv("Moderate", "Customers notice; needs management attention."),
			lv("Major", "Serious harm to customers, reputation or finances.")},
		4: {
			lv("Minor", "Short disruption or small cost; handled within a team."), lv("Moderate", "Customers notice; needs management attention."),
			lv("Major", "Serious harm to customers, reputation or finances."), lv("Severe", "Threatens the organisation's survival, licence or major contracts.")},
		5: isms.DefaultRiskMethod().Impact,
	},
}

// lv is one level of a suggested scale.
func lv(label, description string) isms.Level {
	return isms.Level{Label: label, Description: description}
}

func methodRows(levels []isms.Level) []MethodRow {
	out := make([]MethodRow, len(levels))
	for i, l := range levels {
		out[i] = MethodRow{N: i + 1, Label: l.Label, Description: l.Description}
	}
	return out
}

// sizeParam reads a scale size from the query string; anything but 3, 4 or 5 keeps def.
func sizeParam(q url.Values, key string, def int) int {
	n, err := strconv.Atoi(q.Get(key))
	if err != nil || n < 3 || n > 5 {
		return def
	}
	return n
}

// suggestThresholds proposes an acceptance threshold (about a quarter of the highest score) and a high
// threshold (about three fifths) for scales of nl by ni levels.
func suggestThresholds(s isms.Scoring, nl, ni int) (acceptance, high int) {
	m := isms.RiskMethod{Scoring: s}
	lo, hi := m.Score(1, 1), m.Score(nl, ni)
	acceptance = max(lo, int(math.Round(float64(hi)*0.25)))
	high = min(hi, max(acceptance+1, int(math.Round(float64(hi)*0.6))))
	return acceptance, high
}

func (h *Handler) methodPage(r *http.Request) (MethodPage, error) {
	ctx := r.Context()
	d := MethodPage{Tabs: riskTabs("/risks/method"), Sizes: methodSizes, Scorings: methodScorings}
	var err error
	if d.Saved, err = h.svc.RiskMethod(ctx); err != nil {
		return d, err
	}
	risks, err := h.svc.ListRisks(ctx, service.RiskFilter{}, service.Page{Limit: 1})
	if err != nil {
		return d, err
	}
	accepted, err := h.svc.ListRisks(ctx, service.RiskFilter{Accepted: "yes"}, service.Page{Limit: 1})
	if err != nil {
		return d, err
	}
	d.Risks, d.Accepted, d.Version = risks.Total, accepted.Total, d.Saved.Version
	d.Methodology = h.methodologyPrompt(ctx)
	return d, nil
}

func (h *Handler) riskMethod(w http.ResponseWriter, r *http.Request) {
	d, err := h.methodPage(r)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	m, q := d.Saved, r.URL.Query()
	both := sizeParam(q, "levels", 0)
	nl := sizeParam(q, "likelihood_levels", max(both, 0))
	ni := sizeParam(q, "impact_levels", max(both, 0))
	if nl == 0 {
		nl = len(m.Likelihood)
	}
	if ni == 0 {
		ni = len(m.Impact)
	}
	d.Likelihood, d.Impact = methodRows(m.Likelihood), methodRows(m.Impact)
	if nl != len(m.Likelihood) {
		d.Likelihood = methodRows(suggestedLevels["likelihood"][nl])
	}
	if ni != len(m.Impact) {
		d.Impact = methodRows(suggestedLevels["impact"][ni])
	}
	d.Scoring = string(m.Scoring)
	acc, high := m.AcceptanceThreshold, m.HighThreshold
	if d.Resized = nl != len(m.Likelihood) || ni != len(m.Impact); d.Resized {
		acc, high = suggestThresholds(m.Scoring, nl, ni)
	}
	d.Acceptance, d.High = strconv.Itoa(acc), strconv.Itoa(high)
	h.render(w, r, http.StatusOK, "risk_method", View{Title: "Risk method", Nav: "risks", Data: d})
}

// postedLevels reads the rows of one scale from the form (label and description fields repeat, in order).
func postedLevels(f url.Values, scale string) []isms.Level {
	labels, descs := f[scale+"_label"], f[scale+"_description"]
	n := min(len(labels), 10)
	out := make([]isms.Level, n)
	for i := range n {
		out[i].Label = strings.TrimSpace(labels[i])
		if i < len(descs) {
			out[i].Description = strings.TrimSpace(descs[i])
		}
	}
	return out
}

// methodSaved tells what saving the method did to the register.
func methodSaved(res service.RiskMethodResult) string {
	msg := "The risk method is saved (version " + strconv.Itoa(res.Method.Version) + ")."
	if res.Rescored > 0 {
		msg += " " + countWord(res.Rescored, "risk") + " re-scored; each risk's history records its previous levels and scores."
	}
	switch n := len(res.Withdrawn); {
	case n > 0:
		msg += " " + countWord(n, "acceptance") + " withdrawn (" + service.RefList(res.Withdrawn) + "): the score accepted changed or is now above the acceptance threshold; accept again on each risk's page."
	case res.Rescored > 0:
		msg += " No acceptance was withdrawn."
	}
	return msg
}

func (h *Handler) saveRiskMethod(w http.ResponseWriter, r *http.Request) {
	err := parseForm(w, r)
	in := service.RiskMethodInput{}
	if err == nil {
		f := r.PostForm
		in = service.RiskMethodInput{Likelihood: postedLevels(f, "likelihood"), Impact: postedLevels(f, "impact"),
			Scoring: isms.Scoring(f.Get("scoring")), AcceptanceThreshold: formInt(f.Get("acceptance_threshold")),
			HighThreshold: formInt(f.Get("high_threshold")), Version: formInt(f.Get("version")), Rescale: formBool(f.Get("rescale"))}
		var res service.RiskMethodResult
		if res, err = h.svc.SetRiskMethod(r.Context(), in); err == nil {
			h.redirect(w, r, "/risks/method", methodSaved(res))
			return
		}
	}
	if !inputError(err) {
		h.fail(w, r, err)
		return
	}
	d, lerr := h.methodPage(r)
	if lerr != nil {
		h.fail(w, r, lerr)
		return
	}
	d.Likelihood, d.Impact = methodRows(in.Likelihood), methodRows(in.Impact)
	d.Scoring, d.Acceptance, d.High = string(in.Scoring), r.PostForm.Get("acceptance_threshold"), r.PostForm.Get("high_threshold")
	d.Resized = len(in.Likelihood) != len(d.Saved.Likelihood) || len(in.Impact) != len(d.Saved.Impact)
	d.Rescale = in.Rescale
	if e, ok := isms.AsError(err); ok {
		d.errs = map[string]string{}
		for _, f := range e.Fields {
			d.errs[f.Field] = f.Message
		}
	}
	if isms.ErrorKind(err) == isms.KindConflict && in.Version != d.Saved.Version {
		d.Stale = true // d.Version is the saved version: saving again replaces the other change
	} else {
		d.Version = in.Version
	}
	h.formError(w, r, "risk_method", View{Title: "Risk method", Nav: "risks", Data: d}, err)
}
