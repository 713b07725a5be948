package web

import (
	"net/url"

	"github.com/praxis-isms/praxis/internal/isms"
	"github.com/praxis-isms/praxis/internal/service"
)

// improvementRoutes registers the improvement log (clause 10.1).
func (h *Handler) improvementRoutes() {
	improvements := h.improvementPages()
	h.mux.HandleFunc("GET /improvements", improvements.list)
	h.mux.HandleFunc("POST /improvements", improvements.add)
	for _, f := range service.ExportFormats {
		h.mux.HandleFunc("GET /improvements/export."+f, improvements.export)
	}
	h.mux.HandleFunc("GET /improvements/{ref}", improvements.show)
	h.mux.HandleFunc("POST /improvements/{ref}", improvements.update)
	h.mux.HandleFunc("POST /improvements/{ref}/delete", improvements.delete)
}

func (h *Handler) improvementPages() registerPages[isms.Improvement, service.ImprovementInput, service.ImprovementFilter] {
	return registerPages[isms.Improvement, service.ImprovementInput, service.ImprovementFilter]{h: h, path: "/improvements",
		listPage: "improvements", rowPage: "improvement", title: "Improvement log", nav: "performance", tabs: performanceTabs,
		choices: isms.ImprovementSources,
		parse: func(q url.Values) (service.ImprovementFilter, error) {
			return service.ImprovementRegister.Parse("q", q.Get)
		},
		values:   func(f service.ImprovementFilter) url.Values { return service.ImprovementRegister.Values("q", f) },
		filtered: service.ImprovementRegister.Filtered,
		personOf: func(f service.ImprovementFilter) string { return f.Owner },
		holder:   func(m isms.Improvement) (string, string) { return m.Owner, m.OwnerName },
		label:    func(m isms.Improvement) string { return m.Ref + " " + m.Title },
		lister:   unwarned(h.svc.ListImprovements),
		get:      h.svc.Improvement, addRow: h.svc.AddImprovement, updateRow: h.svc.UpdateImprovement, deleteRow: h.svc.DeleteImprovement,
		exportRows: h.svc.ExportImprovements, input: formInput[service.ImprovementInput],
		form: func(m isms.Improvement) url.Values { return formValues(&m) },
	}
}
