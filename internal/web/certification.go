package web

import (
	"context"
	"net/url"

	"github.com/praxis-isms/praxis/internal/isms"
	"github.com/praxis-isms/praxis/internal/service"
)

// certificationRoutes registers the certification audits: the list with the certification cycle and the
// certificate in force, one audit's page with its findings.
func (h *Handler) certificationRoutes() {
	p := h.certificationPages()
	h.mux.HandleFunc("GET /certification", p.list)
	h.mux.HandleFunc("POST /certification", p.add)
	for _, f := range service.ExportFormats {
		h.mux.HandleFunc("GET /certification/export."+f, p.export)
	}
	h.mux.HandleFunc("GET /certification/{ref}", p.show)
	h.mux.HandleFunc("POST /certification/{ref}", p.update)
	h.mux.HandleFunc("POST /certification/{ref}/delete", p.delete)
}

// CertificationFindings are the findings a certification audit raised, on its page.
type CertificationFindings struct {
	Findings []isms.Finding
	Total    int
}

func (h *Handler) certificationPages() registerPages[isms.CertificationAudit, service.CertificationInput, service.CertificationFilter] {
	return registerPages[isms.CertificationAudit, service.CertificationInput, service.CertificationFilter]{h: h, path: "/certification",
		listPage: "certification", rowPage: "certification_audit", title: "Certification", nav: "certification",
		choices: isms.CertificationKinds,
		parse: func(q url.Values) (service.CertificationFilter, error) {
			return service.CertificationRegister.Parse("q", q.Get)
		},
		values:    func(f service.CertificationFilter) url.Values { return service.CertificationRegister.Values("q", f) },
		filtered:  service.CertificationRegister.Filtered,
		label:     func(c isms.CertificationAudit) string { return c.Ref + " " + c.KindWords() },
		lister:    unwarned(h.svc.ListCertification),
		listExtra: func(ctx context.Context) (any, error) { return h.svc.CertificationCycle(ctx) },
		extra: func(ctx context.Context, c isms.CertificationAudit) (any, error) {
			l, err := h.svc.ListFindings(ctx, service.FindingFilter{Certification: c.Ref}, service.Page{Limit: 100})
			return CertificationFindings{Findings: l.Items, Total: l.Total}, err
		},
		get: h.svc.Certification, addRow: h.svc.AddCertification, updateRow: h.svc.UpdateCertification, deleteRow: h.svc.DeleteCertification,
		exportRows: h.svc.ExportCertification, input: formInput[service.CertificationInput],
		form: func(c isms.CertificationAudit) url.Values { return formValues(&c) },
	}
}

// The templates' words for certification audits.
func init() {
	funcs["kindWords"] = isms.KindWords
	funcs["certificationStatuses"] = func() []string { return isms.CertificationStatuses }
	funcs["certificationResults"] = func() []string { return isms.CertificationResults }
	funcs["nonconformity"] = isms.Nonconformity
}
