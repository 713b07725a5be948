package web

import (
	"net/http"

	"github.com/praxis-isms/praxis/internal/service"
)

// mandatoryRoutes registers this organisation's view of mandatory documented information.
func (h *Handler) mandatoryRoutes() {
	h.mux.HandleFunc("GET /documents/mandatory", h.mandatoryDocuments)
}

// MandatoryPage is the data of the mandatory documents page.
type MandatoryPage struct {
	Items     []service.MandatoryItem
	Satisfied int
}

func (h *Handler) mandatoryDocuments(w http.ResponseWriter, r *http.Request) {
	items, err := h.svc.MandatoryDocuments(r.Context())
	if err != nil {
		h.fail(w, r, err)
		return
	}
	d := MandatoryPage{Items: items}
	for _, it := range items {
		if it.Satisfied {
			d.Satisfied++
		}
	}
	h.render(w, r, http.StatusOK, "mandatory", View{Title: "Mandatory documented information", Nav: "documents", Data: d})
}
