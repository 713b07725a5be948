package isms

import (
	"fmt"
	"strings"
	"time"
)

// Level is one step of a likelihood or impact scale.
type Level struct {
	Label       string `json:"label"`
	Description string `json:"description"`
}

// Scoring names how a risk score is computed from likelihood and impact.
type Scoring string

const (
	ScoreMultiply Scoring = "multiply" // likelihood x impact (default)
	ScoreAdd      Scoring = "add"      // likelihood + impact
)

// RiskMethod is an organisation's risk assessment method (clause 6.1.2): the scales, how scores are computed,
// and the level up to which a risk may be accepted without comment.
type RiskMethod struct {
	Likelihood []Level `json:"likelihood"` // index 0 is level 1
	Impact     []Level `json:"impact"`
	Scoring    Scoring `json:"scoring"`
	// AcceptanceThreshold: a residual score at or below it is within appetite; above it, acceptance needs a comment.
	AcceptanceThreshold int       `json:"acceptance_threshold"`
	HighThreshold       int       `json:"high_threshold"` // scores at or above it are "high" on heat maps
	UpdatedAt           time.Time `json:"updated_at"`
	Version             int       `json:"version"`
}

// DefaultRiskMethod is the 5x5 multiplicative method most small organisations start with.
func DefaultRiskMethod() RiskMethod {
	return RiskMethod{
		Likelihood: []Level{
			{"Rare", "Could happen only in exceptional circumstances; not expected within five years."},
			{"Unlikely", "Could happen; not expected within the next two years."},
			{"Possible", "Might well happen within the next year or two."},
			{"Likely", "Expected to happen within the next year."},
			{"Almost certain", "Happens several times a year or is happening now."},
		},
		Impact: []Level{
			{"Negligible", "No noticeable effect on customers, operations or finances."},
			{"Minor", "Short disruption or small cost; handled within a team."},
			{"Moderate", "Customers notice; costs or effort that need management attention."},
			{"Major", "Serious harm to customers, reputation or finances; regulators may be involved."},
			{"Severe", "Threatens the organisation's survival, licence or major contracts."},
		},
		Scoring:             ScoreMultiply,
		AcceptanceThreshold: 6,
		HighThreshold:       15,
		Version:             1,
	}
}

// Score computes the score of a likelihood and impact under the method (0 when either is unset).
func (m RiskMethod) Score(likelihood, impact int) int {
	if likelihood <= 0 || impact <= 0 {
		return 0
	}
	if m.Scoring == ScoreAdd {
		return likelihood + impact
	}
	return likelihood * impact
}

// MaxScore is the highest score the method can give.
func (m RiskMethod) MaxScore() int { return m.Score(len(m.Likelihood), len(m.Impact)) }

// Band names the band of a score: low (within appetite), medium, high; "" for an unscored risk.
func (m RiskMethod) Band(score int) string { return m.Snapshot().Band(score) }

// Snapshot is what of the method an assessment keeps: enough to read its scores as they were meant.
func (m RiskMethod) Snapshot() MethodSnapshot {
	return MethodSnapshot{LikelihoodLevels: len(m.Likelihood), ImpactLevels: len(m.Impact), Scoring: m.Scoring,
		AcceptanceThreshold: m.AcceptanceThreshold, HighThreshold: m.HighThreshold}
}

// MethodSnapshot is the risk method an assessment was made under: the sizes of its scales, its scoring and
// its thresholds. A later change of the method leaves the bands of earlier assessments as they were.
type MethodSnapshot struct {
	LikelihoodLevels    int     `json:"likelihood_levels"`
	ImpactLevels        int     `json:"impact_levels"`
	Scoring             Scoring `json:"scoring"`
	AcceptanceThreshold int     `json:"acceptance_threshold"`
	HighThreshold       int     `json:"high_threshold"`
}

// Band names the band of a score under the snapshot: low (within appetite), medium, high; "" for no score.
func (s MethodSnapshot) Band(score int) string {
	switch {
	case score <= 0:
		return ""
	case score <= s.AcceptanceThreshold:
		return "low"
	case score >= s.HighThreshold:
		return "high"
	}
	return "medium"
}

// String is the snapshot in a few words: "5x5 multiply, appetite 6, high 15".
func (s MethodSnapshot) String() string {
	return fmt.Sprintf("%dx%d %s, appetite %d, high %d", s.LikelihoodLevels, s.ImpactLevels, s.Scoring, s.AcceptanceThreshold, s.HighThreshold)
}

// Validate checks the method and reports every problem.
func (m RiskMethod) Validate() error {
	var p Problems
	for name, levels := range map[string][]Level{"likelihood": m.Likelihood, "impact": m.Impact} {
		if len(levels) < 3 || len(levels) > 5 {
			p.Add(name, "must have 3 to 5 levels, has %d", len(levels))
		}
		for i, l := range levels {
			if strings.TrimSpace(l.Label) == "" {
				p.Add(fmt.Sprintf("%s[%d].label", name, i+1), "is required")
			}
		}
	}
	if m.Scoring != ScoreMultiply && m.Scoring != ScoreAdd {
		p.Add("scoring", "must be multiply or add")
	}
	if len(p) > 0 {
		return p.Err()
	}
	max := m.MaxScore()
	min := m.Score(1, 1)
	if m.AcceptanceThreshold < min || m.AcceptanceThreshold >= max {
		p.Add("acceptance_threshold", "must be between %d and %d", min, max-1)
	}
	if m.HighThreshold <= m.AcceptanceThreshold || m.HighThreshold > max {
		p.Add("high_threshold", "must be above the acceptance threshold and at most %d", max)
	}
	return p.Err()
}

// Rescale maps a level of a scale of size from onto a scale of size to, keeping its relative position
// (the lowest stays lowest, the highest stays highest). Level 0 (unset) stays 0.
func Rescale(level, from, to int) int {
	if level <= 0 || from == to {
		return level
	}
	if from <= 1 {
		return 1
	}
	return 1 + ((level-1)*(to-1)*2+(from-1))/((from-1)*2) // rounded half up
}

// Treatment is how a risk is treated (clause 6.1.3).
type Treatment string

const (
	TreatModify Treatment = "modify" // reduce it with controls
	TreatRetain Treatment = "retain" // accept it as it is
	TreatAvoid  Treatment = "avoid"  // stop the activity
	TreatShare  Treatment = "share"  // insurance, outsourcing
)

// Treatments lists the treatment options.
var Treatments = []Treatment{TreatModify, TreatRetain, TreatAvoid, TreatShare}

func (t Treatment) Valid() bool {
	for _, x := range Treatments {
		if t == x {
			return true
		}
	}
	return false
}

// AssetTypes are the kinds of asset in the inventory (5.9).
var AssetTypes = []string{"information", "software", "hardware", "service", "people", "site", "supplier"}

// Classifications are the information classification levels (5.12).
var Classifications = []string{"public", "internal", "confidential", "restricted"}

// ActionStatuses are the states of a treatment action.
var ActionStatuses = []string{"planned", "in-progress", "done", "cancelled"}

// OneOf reports whether v is in list.
func OneOf(v string, list []string) bool {
	for _, x := range list {
		if v == x {
			return true
		}
	}
	return false
}

// Asset is an entry of the asset inventory.
type Asset struct {
	ID              string    `json:"id"`
	Ref             string    `json:"ref"`
	Name            string    `json:"name"`
	Type            string    `json:"type"`
	Owner           string    `json:"owner"` // person ref
	OwnerName       string    `json:"owner_name"`
	OwnerID         string    `json:"-"`
	Classification  string    `json:"classification"`
	Confidentiality int       `json:"confidentiality"` // 0 unset, 1-5
	Integrity       int       `json:"integrity"`
	Availability    int       `json:"availability"`
	Location        string    `json:"location"`
	Notes           string    `json:"notes"`
	ExternalRef     string    `json:"external_ref"` // its id in the tool it was imported from
	CreatedAt       time.Time `json:"created_at"`
	UpdatedAt       time.Time `json:"updated_at"`
	Version         int       `json:"version"`
}

// Risk is an entry of the risk register.
type Risk struct {
	ID                 string     `json:"id"`
	Ref                string     `json:"ref"`
	Title              string     `json:"title"`
	Description        string     `json:"description"`
	Assets             []string   `json:"assets"` // asset refs
	Threat             string     `json:"threat"`
	Vulnerability      string     `json:"vulnerability"`
	Owner              string     `json:"owner"` // person ref
	OwnerName          string     `json:"owner_name"`
	Likelihood         int        `json:"likelihood"`
	Impact             int        `json:"impact"`
	Score              int        `json:"score"`
	Treatment          Treatment  `json:"treatment"`
	Controls           []string   `json:"controls"` // Annex A 2022 ids
	ResidualLikelihood int        `json:"residual_likelihood"`
	ResidualImpact     int        `json:"residual_impact"`
	ResidualScore      int        `json:"residual_score"`
	AcceptedBy         string     `json:"accepted_by"` // name of who accepted the residual risk
	AcceptedByID       string     `json:"accepted_by_id,omitempty"`
	AcceptedAt         *time.Time `json:"accepted_at"`
	AcceptanceComment  string     `json:"acceptance_comment"`
	ExternalRef        string     `json:"external_ref"` // its id in the tool it was imported from
	CreatedAt          time.Time  `json:"created_at"`
	UpdatedAt          time.Time  `json:"updated_at"`
	Version            int        `json:"version"`
}

// RiskAssessment is one entry of a risk's history: the values it had after a (re)assessment.
type RiskAssessment struct {
	ID                 string    `json:"id"`
	RiskID             string    `json:"risk_id"`
	At                 time.Time `json:"at"`
	By                 string    `json:"by"`
	Likelihood         int       `json:"likelihood"`
	Impact             int       `json:"impact"`
	Score              int       `json:"score"`
	ResidualLikelihood int       `json:"residual_likelihood"`
	ResidualImpact     int       `json:"residual_impact"`
	ResidualScore      int       `json:"residual_score"`
	Treatment          Treatment `json:"treatment"`
	Note               string    `json:"note"`
	// Method is the risk method the scores were given under.
	Method MethodSnapshot `json:"method"`
}

// TreatmentAction is one step of the risk treatment plan.
type TreatmentAction struct {
	ID        string    `json:"id"`
	Ref       string    `json:"ref"`
	RiskID    string    `json:"risk_id"`
	RiskRef   string    `json:"risk_ref"`
	Title     string    `json:"title"`
	Owner     string    `json:"owner"` // person ref
	OwnerName string    `json:"owner_name"`
	Due       string    `json:"due"` // YYYY-MM-DD
	Status    string    `json:"status"`
	Notes     string    `json:"notes"`
	CreatedAt time.Time `json:"created_at"`
	Version   int       `json:"version"`
}

// OpenActionStatuses are the states of an action still to be done.
var OpenActionStatuses = []string{"planned", "in-progress"}

// Overdue is the one rule for overdue actions: still open (OpenActionStatuses) and due before day today
// (YYYY-MM-DD). The store's overdue filter is built from the same list, and a test holds the two together.
func (a TreatmentAction) Overdue(today string) bool {
	return a.Due != "" && a.Due < today && OneOf(a.Status, OpenActionStatuses)
}

// OverdueMeaning says in words what Overdue means on day today, for the heads of exports.
func OverdueMeaning(today string) string {
	return fmt.Sprintf("open (%s) and due before %s", strings.Join(OpenActionStatuses, " or "), today)
}

// CheckLevel validates a likelihood or impact level against a scale of size n; 0 is allowed when optional.
func CheckLevel(p *Problems, field string, v, n int, optional bool) {
	switch {
	case v == 0 && optional:
	case v < 1 || v > n:
		p.Add(field, "must be a level from 1 to %d", n)
	}
}

// NeedsAcceptanceComment reports whether accepting a residual score needs a written justification.
func (m RiskMethod) NeedsAcceptanceComment(residualScore int) bool {
	return residualScore > m.AcceptanceThreshold
}

// CurrentLevels are the likelihood, impact and score a risk stands at now: its residual risk once assessed,
// else its inherent risk. kind says which ("residual" or "inherent"). The dashboard, the lists, the exports
// and acceptance all use it (the store's filter on it, CurrentScoreSQL, is tested against it).
func (r Risk) CurrentLevels() (likelihood, impact, score int, kind string) {
	if r.ResidualScore > 0 {
		return r.ResidualLikelihood, r.ResidualImpact, r.ResidualScore, "residual"
	}
	return r.Likelihood, r.Impact, r.Score, "inherent"
}

// CurrentScore is the score of CurrentLevels.
func (r Risk) CurrentScore() int {
	_, _, s, _ := r.CurrentLevels()
	return s
}

// AboveAppetite reports whether the risk as it stands now is above the method's acceptance threshold.
func (m RiskMethod) AboveAppetite(r Risk) bool { return r.CurrentScore() > m.AcceptanceThreshold }

// Acceptance is what accepting a risk takes under a method: the score accepted (the current one), whether a
// comment must justify it, and why it cannot be accepted at all ("" when it can).
type Acceptance struct {
	Score        int
	Kind         string // "residual" or "inherent"
	NeedsComment bool
	Blocked      string
}

// AcceptanceOf is the one acceptance rule: the web page shows it and the service enforces it (CheckAcceptance).
// A risk being modified by controls is accepted on its residual risk, so it must be assessed first.
func (m RiskMethod) AcceptanceOf(r Risk) Acceptance {
	_, _, score, kind := r.CurrentLevels()
	a := Acceptance{Score: score, Kind: kind, NeedsComment: m.NeedsAcceptanceComment(score)}
	if r.Treatment == TreatModify && r.ResidualScore == 0 {
		a.Blocked = fmt.Sprintf("risk %s is treated by modifying it, so its residual risk is what gets accepted: assess the residual risk first", r.Ref)
	}
	return a
}

// CheckAcceptance validates accepting r with comment under the method: Invalid with the field at fault.
func (m RiskMethod) CheckAcceptance(r Risk, comment string) error {
	a := m.AcceptanceOf(r)
	var p Problems
	switch {
	case a.Blocked != "":
		p.Add("residual_score", "%s", a.Blocked)
	case a.NeedsComment && strings.TrimSpace(comment) == "":
		p.Add("comment", "is required: the score %d is above the acceptance threshold %d", a.Score, m.AcceptanceThreshold)
	}
	if len(comment) > 2000 {
		p.Add("comment", "must be at most 2000 characters")
	}
	return p.Err()
}

// AcceptanceLapse says why the acceptance of before no longer holds for after, a reassessment of it under the
// method now (was is the method before; both are the same for a change of the risk alone), or "" when it still
// holds or there was none. An acceptance lapses when the levels or the score it accepted change, or when that
// score is now above the acceptance threshold and was not before (the threshold was lowered).
func AcceptanceLapse(before, after Risk, was, now RiskMethod) string {
	if before.AcceptedAt == nil {
		return ""
	}
	bl, bi, bs, bkind := before.CurrentLevels()
	al, ai, as, akind := after.CurrentLevels()
	switch {
	case bl != al || bi != ai || bs != as || bkind != akind:
		return fmt.Sprintf("the %s risk it accepted (%dx%d = %d) is now %s %dx%d = %d", bkind, bl, bi, bs, akind, al, ai, as)
	case now.NeedsAcceptanceComment(as) && !was.NeedsAcceptanceComment(bs):
		return fmt.Sprintf("the %s score %d is now above the acceptance threshold %d (was %d)", akind, as, now.AcceptanceThreshold, was.AcceptanceThreshold)
	}
	return ""
}

// Warnings are what is odd about a risk but allowed: it is saved, and the doors show them. A treatment should
// not make a risk worse, so a residual score above the inherent one is most likely a slip.
func (r Risk) Warnings() []string {
	w := []string{}
	if r.ResidualScore > r.Score {
		w = append(w, fmt.Sprintf("the residual score %d of risk %s is above its inherent score %d: treatment should not make a risk worse; check the residual likelihood and impact",
			r.ResidualScore, r.Ref, r.Score))
	}
	return w
}

// WithdrawAcceptance clears the acceptance of r.
func (r *Risk) WithdrawAcceptance() {
	r.AcceptedAt, r.AcceptedBy, r.AcceptedByID, r.AcceptanceComment = nil, "", "", ""
}
