package isms

import "time"

// FindingGrades are the grades of a finding, most serious first; GradeWords says each in words.
var FindingGrades = []string{"major-nc", "minor-nc", "observation", "ofi"}

// FindingSources are where a finding came from.
var FindingSources = []string{"internal-audit", "certification-audit", "incident", "complaint", "other"}

// FindingStatuses are the states of a finding: open until its corrective actions are closed (or, for one that
// needs none, until someone closes it).
var FindingStatuses = []string{"open", "closed"}

// GradeWords is a grade as people read it ("Major nonconformity"); an unknown grade is shown as it is.
func GradeWords(grade string) string {
	switch grade {
	case "major-nc":
		return "Major nonconformity"
	case "minor-nc":
		return "Minor nonconformity"
	case "observation":
		return "Observation"
	case "ofi":
		return "Opportunity for improvement"
	}
	return grade
}

// Nonconformity reports whether a grade is a nonconformity, which needs corrective action (10.2).
func Nonconformity(grade string) bool { return grade == "major-nc" || grade == "minor-nc" }

// Finding is something an audit (or an incident, a complaint ...) found: graded, held against a clause or a
// control, with the evidence seen.
type Finding struct {
	ID          string `json:"id"`
	Ref         string `json:"ref"`
	Title       string `json:"title"`
	Description string `json:"description"`
	Grade       string `json:"grade"`
	Source      string `json:"source"`
	AuditID     string `json:"-"`
	Audit       string `json:"audit"`       // reference (AU-001)
	AuditTitle  string `json:"audit_title"` // title
	// CertificationID, Certification (CERT-001) and CertificationKind name the certification audit that raised it.
	CertificationID   string    `json:"-"`
	Certification     string    `json:"certification"`
	CertificationKind string    `json:"certification_kind"`
	Clause            string    `json:"clause"`  // catalog clause id (8.1)
	Control           string    `json:"control"` // 2022 control id (A.5.1 as 5.1)
	EvidenceSeen      string    `json:"evidence_seen"`
	RaisedBy          string    `json:"raised_by"`
	RaisedOn          string    `json:"raised_on"` // YYYY-MM-DD
	Status            string    `json:"status"`
	CreatedAt         time.Time `json:"created_at"`
	UpdatedAt         time.Time `json:"updated_at"`
	Version           int       `json:"version"`
}

// GradeWords is the finding's grade in words.
func (f Finding) GradeWords() string { return GradeWords(f.Grade) }
