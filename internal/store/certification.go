package store

import (
	"context"
	"time"

	"github.com/praxis-isms/praxis/internal/isms"
)

// CertificationLookup resolves a certification audit named by its reference (CERT-001, any case); its name is
// its kind.
var CertificationLookup = Lookup{Table: "certification_audits", Name: "kind"}

// CertificationAudits is the register of certification audits (Stage 1, Stage 2, surveillance,
// recertification) declared once.
var CertificationAudits = &Register[isms.CertificationAudit, CertificationFilter]{
	Entity: "certification audit", Table: "certification_audits", Alias: "ce",
	ID:      func(c *isms.CertificationAudit) *string { return &c.ID },
	Ref:     func(c *isms.CertificationAudit) *string { return &c.Ref },
	Version: func(c *isms.CertificationAudit) *int { return &c.Version },
	Columns: []Column[isms.CertificationAudit]{
		Text("kind", func(c *isms.CertificationAudit) *string { return &c.Kind }),
		Text("body", func(c *isms.CertificationAudit) *string { return &c.Body }),
		Text("lead_auditor", func(c *isms.CertificationAudit) *string { return &c.LeadAuditor }),
		Text("planned_start", func(c *isms.CertificationAudit) *string { return &c.PlannedStart }),
		Text("planned_end", func(c *isms.CertificationAudit) *string { return &c.PlannedEnd }),
		Text("status", func(c *isms.CertificationAudit) *string { return &c.Status }),
		Text("result", func(c *isms.CertificationAudit) *string { return &c.Result }),
		Text("certificate_number", func(c *isms.CertificationAudit) *string { return &c.CertificateNumber }),
		Text("certificate_issued", func(c *isms.CertificationAudit) *string { return &c.CertificateIssued }),
		Text("certificate_expiry", func(c *isms.CertificationAudit) *string { return &c.CertificateExpiry }),
		Text("notes", func(c *isms.CertificationAudit) *string { return &c.Notes }),
		Time("created_at", func(c *isms.CertificationAudit) *time.Time { return &c.CreatedAt }).InsertOnly(),
		Time("updated_at", func(c *isms.CertificationAudit) *time.Time { return &c.UpdatedAt }),
	},
	ListColumns: []ListColumn[isms.CertificationAudit]{
		{Header: "ref", Value: func(c *isms.CertificationAudit) string { return c.Ref }},
		{Header: "kind", Value: func(c *isms.CertificationAudit) string { return c.KindWords() }},
		{Header: "body", Width: 30, Value: func(c *isms.CertificationAudit) string { return c.Body }},
		{Header: "start", Value: func(c *isms.CertificationAudit) string { return c.PlannedStart }},
		{Header: "end", Value: func(c *isms.CertificationAudit) string { return c.PlannedEnd }},
		{Header: "status", Value: func(c *isms.CertificationAudit) string { return c.Status }},
		{Header: "result", Value: func(c *isms.CertificationAudit) string { return c.Result }},
		{Header: "certificate", Value: func(c *isms.CertificationAudit) string { return c.CertificateNumber }},
		{Header: "expiry", Value: func(c *isms.CertificationAudit) string { return c.CertificateExpiry }},
	},
	Filters: []Filter[CertificationFilter]{
		{Name: "kind", Kind: FilterEnum, Values: isms.CertificationKinds, Cond: "ce.kind = ?", Doc: "only this kind of audit",
			Field: func(f *CertificationFilter) *string { return &f.Kind }},
		{Name: "status", Kind: FilterEnum, Values: isms.CertificationStatuses, Cond: "ce.status = ?", Doc: "only this status",
			Field: func(f *CertificationFilter) *string { return &f.Status }},
	},
	Sorts:     []Sort{{"planned", "ce.planned_start"}, {"ref", "ce.ref"}, {"kind", "ce.kind"}, {"status", "ce.status"}},
	Search:    []string{"lower(ce.ref)", "lower(ce.body)", "lower(ce.lead_auditor)", "lower(ce.certificate_number)", "lower(ce.notes)"},
	SearchDoc: "reference, certification body, lead auditor, certificate number or notes contains",
	SearchOf:  func(f *CertificationFilter) *string { return &f.Search },
	SortOf:    func(f *CertificationFilter) *string { return &f.Sort },
}

// CertificationFilter narrows the list of certification audits; CertificationAudits.Filters declares each field.
type CertificationFilter struct {
	Search string
	Kind   string
	Status string
	Sort   string // planned (default), ref, kind or status; "-" prefix for descending
}

// AllCertificationAudits reads every certification audit of an organisation in date order: a handful a year
// (two stages, then one audit a year), which the certification cycle is worked out from.
func (tx *Tx) AllCertificationAudits(ctx context.Context, orgID string) ([]isms.CertificationAudit, error) {
	out := []isms.CertificationAudit{}
	err := CertificationAudits.Each(ctx, tx, orgID, CertificationFilter{}, func(c isms.CertificationAudit) error {
		out = append(out, c)
		return nil
	})
	return out, err
}
