package web

import (
	"context"
	"net/url"

	"github.com/praxis-isms/praxis/internal/isms"
	"github.com/praxis-isms/praxis/internal/service"
)

// The pages of clauses 5 and 6.2: roles (5.3), leadership commitments (5.1) and objectives (6.2), each a list
// with filters, exports and an add form, and a page per row with its edit form.
func (h *Handler) leadershipRoutes() {
	roles, commitments := h.rolePages(), h.commitmentPages()
	h.mux.HandleFunc("GET /roles", roles.list)
	h.mux.HandleFunc("GET /roles/import", roles.importForm)
	h.mux.HandleFunc("POST /roles/import", roles.importFile)
	h.mux.HandleFunc("POST /roles", roles.add)
	for _, f := range service.ExportFormats {
		h.mux.HandleFunc("GET /roles/export."+f, roles.export)
	}
	h.mux.HandleFunc("GET /roles/{ref}", roles.show)
	h.mux.HandleFunc("POST /roles/{ref}", roles.update)
	h.mux.HandleFunc("POST /roles/{ref}/delete", roles.delete)
	h.mux.HandleFunc("GET /commitments", commitments.list)
	h.mux.HandleFunc("GET /commitments/import", commitments.importForm)
	h.mux.HandleFunc("POST /commitments/import", commitments.importFile)
	h.mux.HandleFunc("POST /commitments", commitments.add)
	for _, f := range service.ExportFormats {
		h.mux.HandleFunc("GET /commitments/export."+f, commitments.export)
	}
	h.mux.HandleFunc("GET /commitments/{ref}", commitments.show)
	h.mux.HandleFunc("POST /commitments/{ref}", commitments.update)
	h.mux.HandleFunc("POST /commitments/{ref}/delete", commitments.delete)
}

// LeadershipTab is a tab of the leadership pages.
type LeadershipTab = RiskTab

func leadershipTabs(current string) []LeadershipTab {
	tabs := []LeadershipTab{{Href: "/roles", Label: "Roles"}, {Href: "/commitments", Label: "Commitments"}, {Href: "/objectives", Label: "Objectives"}}
	for i := range tabs {
		tabs[i].Current = tabs[i].Href == current
	}
	return tabs
}

func (h *Handler) rolePages() registerPages[isms.ISMSRole, service.RoleInput, service.RoleFilter] {
	return registerPages[isms.ISMSRole, service.RoleInput, service.RoleFilter]{h: h, path: "/roles", listPage: "roles", rowPage: "role",
		title: "Roles and responsibilities", nav: "leadership", tabs: leadershipTabs, choices: isms.RoleKinds,
		parse:    func(q url.Values) (service.RoleFilter, error) { return service.RoleRegister.Parse("q", q.Get) },
		values:   func(f service.RoleFilter) url.Values { return service.RoleRegister.Values("q", f) },
		filtered: service.RoleRegister.Filtered,
		personOf: func(f service.RoleFilter) string { return f.Person },
		holder:   func(r isms.ISMSRole) (string, string) { return r.Person, r.PersonName },
		label:    func(r isms.ISMSRole) string { return r.Ref + " " + r.Name },
		lister: func(ctx context.Context, f service.RoleFilter, p service.Page) (service.List[isms.ISMSRole], []string, error) {
			l, err := h.svc.ListRoles(ctx, f, p)
			return l.List, l.Warnings, err
		},
		warnings: h.svc.RoleWarnings,
		get:      h.svc.Role, addRow: h.svc.AddRole, updateRow: h.svc.UpdateRole, deleteRow: h.svc.DeleteRole, exportRows: h.svc.ExportRoles, importRows: h.svc.ImportRoles,
		input: formInput[service.RoleInput],
		form:  func(r isms.ISMSRole) url.Values { return formValues(&r) },
	}
}

func (h *Handler) commitmentPages() registerPages[isms.Commitment, service.CommitmentInput, service.CommitmentFilter] {
	return registerPages[isms.Commitment, service.CommitmentInput, service.CommitmentFilter]{h: h, path: "/commitments", listPage: "commitments", rowPage: "commitment",
		title: "Leadership commitments", nav: "leadership", tabs: leadershipTabs,
		parse: func(q url.Values) (service.CommitmentFilter, error) {
			return service.CommitmentRegister.Parse("q", q.Get)
		},
		values:   func(f service.CommitmentFilter) url.Values { return service.CommitmentRegister.Values("q", f) },
		filtered: service.CommitmentRegister.Filtered,
		personOf: func(f service.CommitmentFilter) string { return f.Person },
		holder:   func(c isms.Commitment) (string, string) { return c.Person, c.PersonName },
		label:    func(c isms.Commitment) string { return c.Ref + " " + c.Title },
		lister:   unwarned(h.svc.ListCommitments),
		get:      h.svc.Commitment, addRow: h.svc.AddCommitment, updateRow: h.svc.UpdateCommitment, deleteRow: h.svc.DeleteCommitment,
		exportRows: h.svc.ExportCommitments, importRows: h.svc.ImportCommitments,
		input: formInput[service.CommitmentInput],
		form:  func(c isms.Commitment) url.Values { return formValues(&c) },
	}
}
