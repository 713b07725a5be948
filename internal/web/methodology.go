package web

import (
	"context"
	"net/http"
	"net/url"

	"github.com/praxis-isms/praxis/internal/isms"
	"github.com/praxis-isms/praxis/internal/service"
)

// methodologyRoutes registers the drafting of the risk methodology document from the risk method.
func (h *Handler) methodologyRoutes() {
	h.mux.HandleFunc("POST /risks/method/methodology", h.draftMethodology)
}

// MethodologyPrompt asks to draft, review or approve the risk methodology while its latest version is not in
// force; Edit says whether the member may draft it.
type MethodologyPrompt struct {
	service.Methodology
	Edit bool
}

// methodologyPrompt is the prompt of the dashboard and the risk method page, nil when nothing is pending.
func (h *Handler) methodologyPrompt(ctx context.Context) *MethodologyPrompt {
	m, err := h.svc.RiskMethodology(ctx)
	a, _ := service.ActorFrom(ctx)
	if err != nil || !m.Pending {
		return nil
	}
	return &MethodologyPrompt{Methodology: m, Edit: a.Role.Can(isms.PermWriteContent)}
}

func (h *Handler) draftMethodology(w http.ResponseWriter, r *http.Request) {
	if err := parseForm(w, r); err != nil {
		h.fail(w, r, err)
		return
	}
	m, err := h.svc.DraftRiskMethodology(r.Context())
	if err != nil {
		h.fail(w, r, err)
		return
	}
	h.redirect(w, r, "/documents/"+url.PathEscape(m.Ref), "The risk methodology "+m.Ref+" is drafted from your risk method: review it and submit it for approval.")
}
