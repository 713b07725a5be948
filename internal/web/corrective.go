package web

import (
	"net/http"
	"net/url"

	"github.com/praxis-isms/praxis/internal/isms"
	"github.com/praxis-isms/praxis/internal/service"
)

// improvementTabs are the tabs of clause 9.3 and 10: corrective actions and management reviews.
func improvementTabs(current string) []LeadershipTab {
	tabs := []LeadershipTab{{Href: "/corrective", Label: "Corrective actions"}, {Href: "/reviews", Label: "Management reviews"}}
	for i := range tabs {
		tabs[i].Current = tabs[i].Href == current
	}
	return tabs
}

// correctiveRoutes registers the corrective actions (clause 10.2).
func (h *Handler) correctiveRoutes() {
	p := h.correctivePages()
	h.mux.HandleFunc("GET /corrective", p.list)
	h.mux.HandleFunc("POST /corrective", p.add)
	h.mux.HandleFunc("GET /corrective/{ref}", p.show)
	h.mux.HandleFunc("POST /corrective/{ref}", p.update)
	h.mux.HandleFunc("POST /corrective/{ref}/delete", p.delete)
	h.mux.HandleFunc("POST /corrective/{ref}/verify", p.action(func(r *http.Request, ref string) (string, error) {
		c, err := h.svc.VerifyCorrective(r.Context(), ref, service.CheckInput{Result: r.PostForm.Get("result"), Notes: r.PostForm.Get("notes"),
			Version: formInt(r.PostForm.Get("version"))})
		return "The check of " + c.Ref + " is recorded: " + c.CheckResult + ".", err
	}))
	h.mux.HandleFunc("POST /corrective/{ref}/close", p.action(func(r *http.Request, ref string) (string, error) {
		c, err := h.svc.CloseCorrective(r.Context(), ref, formInt(r.PostForm.Get("version")))
		return c.Ref + " is closed.", err
	}))
}

func (h *Handler) correctivePages() registerPages[isms.CorrectiveAction, service.CorrectiveInput, service.CorrectiveFilter] {
	return registerPages[isms.CorrectiveAction, service.CorrectiveInput, service.CorrectiveFilter]{h: h, path: "/corrective",
		listPage: "corrective_list", rowPage: "corrective", title: "Corrective actions", nav: "improvement", tabs: improvementTabs,
		choices: isms.CorrectiveStatuses,
		parse: func(q url.Values) (service.CorrectiveFilter, error) {
			f, err := service.CorrectiveRegister.Parse("q", q.Get)
			if formBool(q.Get("overdue")) {
				f.OverdueOn = h.svc.Today()
			}
			return f, err
		},
		values:   func(f service.CorrectiveFilter) url.Values { return service.CorrectiveRegister.Values("q", f) },
		filtered: service.CorrectiveRegister.Filtered,
		personOf: func(f service.CorrectiveFilter) string { return f.Owner },
		holder:   func(c isms.CorrectiveAction) (string, string) { return c.Owner, c.OwnerName },
		label:    func(c isms.CorrectiveAction) string { return c.Ref + " " + c.Title },
		lister:   unwarned(h.svc.ListCorrective),
		get:      h.svc.Corrective, addRow: h.svc.AddCorrective, updateRow: h.svc.UpdateCorrective, deleteRow: h.svc.DeleteCorrective,
		input: formInput[service.CorrectiveInput], form: func(c isms.CorrectiveAction) url.Values { return formValues(&c) },
	}
}
