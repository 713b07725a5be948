package isms

import (
	"regexp"
	"time"
)

// ImprovementSources are where an improvement came from.
var ImprovementSources = []string{"review", "corrective", "audit", "risk", "other"}

// improvementRefShapes are the reference shapes of each source: a management review (MR-001), a corrective
// action (CA-001), an audit (AU-001), a risk; other takes any register's reference.
var improvementRefShapes = map[string]*regexp.Regexp{
	"review":     regexp.MustCompile(`^MR-[0-9]{3,}$`),
	"corrective": regexp.MustCompile(`^CA-[0-9]{3,}$`),
	"audit":      regexp.MustCompile(`^AU-[0-9]{3,}$`),
	"risk":       regexp.MustCompile(`^R-[0-9]{3,}$`),
	"other":      regexp.MustCompile(`^[A-Z]{1,5}-[0-9]{3,}$`),
}

// improvementRefExamples name the shape each source expects, for error messages.
var improvementRefExamples = map[string]string{
	"review": "MR-001", "corrective": "CA-001", "audit": "AU-001", "risk": "R-001", "other": "a reference such as DOC-001",
}

// Improvement is one entry of the improvement log (clause 10.1): what changed in the ISMS, why, where the
// change came from and who made it when.
type Improvement struct {
	ID          string    `json:"id"`
	OrgID       string    `json:"-"`
	Ref         string    `json:"ref"`
	Title       string    `json:"title"`
	Description string    `json:"description"` // what changed
	Reason      string    `json:"reason"`      // why
	Source      string    `json:"source"`
	SourceRef   string    `json:"source_ref"` // the reference of the source (MR-001, CA-001, AU-001, R-001)
	OwnerID     string    `json:"-"`
	Owner       string    `json:"owner"`      // reference (P-001)
	OwnerName   string    `json:"owner_name"` // name
	MadeOn      string    `json:"made_on"`    // YYYY-MM-DD
	CreatedAt   time.Time `json:"created_at"`
	UpdatedAt   time.Time `json:"updated_at"`
	Version     int       `json:"version"`
}

// CheckSourceRef adds a problem under field when ref (already upper-cased) does not have the shape of its
// source's references. The registers behind them may live elsewhere, so the shape is all that is checked.
func CheckSourceRef(p *Problems, field, source, ref string) {
	shape, ok := improvementRefShapes[source]
	if ref == "" || !ok {
		return
	}
	if !shape.MatchString(ref) {
		p.Add(field, "must be %s for source %s", improvementRefExamples[source], source)
	}
}
