package web

import (
	"net/url"
	"strings"

	"github.com/praxis-isms/praxis/internal/isms"
	"github.com/praxis-isms/praxis/internal/service"
)

// objectiveRoutes registers the information security objectives (clause 6.2).
func (h *Handler) objectiveRoutes() {
	objectives := h.objectivePages()
	h.mux.HandleFunc("GET /objectives", objectives.list)
	h.mux.HandleFunc("GET /objectives/import", objectives.importForm)
	h.mux.HandleFunc("POST /objectives/import", objectives.importFile)
	h.mux.HandleFunc("POST /objectives", objectives.add)
	for _, f := range service.ExportFormats {
		h.mux.HandleFunc("GET /objectives/export."+f, objectives.export)
	}
	h.mux.HandleFunc("GET /objectives/{ref}", objectives.show)
	h.mux.HandleFunc("POST /objectives/{ref}", objectives.update)
	h.mux.HandleFunc("POST /objectives/{ref}/delete", objectives.delete)
}

// objectiveInput reads the objective form: the fields by JSON name, and the risks as a list of references
// separated by commas or spaces.
func objectiveInput(f url.Values) service.ObjectiveInput {
	in := formInput[service.ObjectiveInput](f)
	in.Risks = strings.FieldsFunc(f.Get("risks"), func(r rune) bool { return r == ',' || r == ' ' || r == ';' })
	return in
}

// objectiveForm fills the edit form from a saved objective.
func objectiveForm(o isms.Objective) url.Values {
	v := formValues(&o)
	v.Set("risks", strings.Join(o.Risks, ", "))
	return v
}

func (h *Handler) objectivePages() registerPages[isms.Objective, service.ObjectiveInput, service.ObjectiveFilter] {
	return registerPages[isms.Objective, service.ObjectiveInput, service.ObjectiveFilter]{h: h, path: "/objectives", listPage: "objectives", rowPage: "objective",
		title: "Information security objectives", nav: "leadership", tabs: leadershipTabs, choices: isms.ObjectiveStatuses,
		// The overdue box asks for the objectives overdue today (the register's overdue_on filter).
		parse: func(q url.Values) (service.ObjectiveFilter, error) {
			f, err := service.ObjectiveRegister.Parse("q", q.Get)
			if formBool(q.Get("overdue")) {
				f.OverdueOn = h.svc.Today()
			}
			return f, err
		},
		values:   func(f service.ObjectiveFilter) url.Values { return service.ObjectiveRegister.Values("q", f) },
		filtered: service.ObjectiveRegister.Filtered,
		personOf: func(f service.ObjectiveFilter) string { return f.Owner },
		holder:   func(o isms.Objective) (string, string) { return o.Owner, o.OwnerName },
		label:    func(o isms.Objective) string { return o.Ref + " " + o.Title },
		lister:   unwarned(h.svc.ListObjectives),
		get:      h.svc.Objective, addRow: h.svc.AddObjective, updateRow: h.svc.UpdateObjective, deleteRow: h.svc.DeleteObjective,
		exportRows: h.svc.ExportObjectives, importRows: h.svc.ImportObjectives, input: objectiveInput, form: objectiveForm,
	}
}
