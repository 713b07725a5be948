package web

import (
	"net/http"

	"github.com/praxis-isms/praxis/internal/service"
)

// ControlWorkPage is the data of the work page of one control.
type ControlWorkPage struct {
	service.ControlWork
	SoAURL     string // the SoA entry's editor
	CatalogURL string // the control in the catalog
}

// controlWorkRoutes registers the work page of a control: /controls/{id}.
func (h *Handler) controlWorkRoutes() {
	h.mux.HandleFunc("GET /controls/{id}", h.controlWork)
}

func (h *Handler) controlWork(w http.ResponseWriter, r *http.Request) {
	cw, err := h.svc.ControlWork(r.Context(), r.PathValue("id"))
	if err != nil {
		h.fail(w, r, err)
		return
	}
	if r.PathValue("id") != cw.Control.ID { // "A.8.28": one address per control
		http.Redirect(w, r, "/controls/"+cw.Control.ID, http.StatusMovedPermanently)
		return
	}
	d := ControlWorkPage{ControlWork: cw, SoAURL: soaEntryURL(cw.Control.ID), CatalogURL: "/catalog/controls/" + cw.Control.ID}
	h.render(w, r, http.StatusOK, "control_work", View{Title: cw.Control.ID + " " + cw.Control.Title, Nav: "soa", Data: d})
}
