package web

import (
	"net/url"

	"github.com/praxis-isms/praxis/internal/isms"
	"github.com/praxis-isms/praxis/internal/service"
)

// findingRoutes registers the findings register (9.2, 10.2).
func (h *Handler) findingRoutes() {
	findings := h.findingPages()
	h.mux.HandleFunc("GET /findings", findings.list)
	h.mux.HandleFunc("POST /findings", findings.add)
	for _, f := range service.ExportFormats {
		h.mux.HandleFunc("GET /findings/export."+f, findings.export)
	}
	h.mux.HandleFunc("GET /findings/{ref}", findings.show)
	h.mux.HandleFunc("POST /findings/{ref}", findings.update)
	h.mux.HandleFunc("POST /findings/{ref}/delete", findings.delete)
}

// auditTabs are the tabs above the programme, the audits and the findings.
func auditTabs(current string) []LeadershipTab {
	tabs := []LeadershipTab{{Href: "/audits/programme", Label: "Programme"}, {Href: "/audits", Label: "Audits"}, {Href: "/findings", Label: "Findings"}}
	for i := range tabs {
		tabs[i].Current = tabs[i].Href == current
	}
	return tabs
}

func (h *Handler) findingPages() registerPages[isms.Finding, service.FindingInput, service.FindingFilter] {
	return registerPages[isms.Finding, service.FindingInput, service.FindingFilter]{h: h, path: "/findings", listPage: "findings", rowPage: "finding",
		title: "Findings", nav: "audits", tabs: auditTabs, choices: isms.FindingGrades,
		parse:    func(q url.Values) (service.FindingFilter, error) { return service.FindingRegister.Parse("q", q.Get) },
		values:   func(f service.FindingFilter) url.Values { return service.FindingRegister.Values("q", f) },
		filtered: service.FindingRegister.Filtered,
		label:    func(f isms.Finding) string { return f.Ref + " " + f.Title },
		lister:   unwarned(h.svc.ListFindings),
		get:      h.svc.Finding, addRow: h.svc.AddFinding, updateRow: h.svc.UpdateFinding, deleteRow: h.svc.DeleteFinding,
		exportRows: h.svc.ExportFindings, input: formInput[service.FindingInput], form: func(f isms.Finding) url.Values { return formValues(&f) },
	}
}

// The templates' words for grades and the sources' list.
func init() {
	funcs["gradeWords"] = isms.GradeWords
	funcs["findingSources"] = func() []string { return isms.FindingSources }
	funcs["findingStatuses"] = func() []string { return isms.FindingStatuses }
	funcs["findingGrades"] = func() []string { return isms.FindingGrades }
	funcs["itemResults"] = func() []string { return isms.ItemResults }
}
