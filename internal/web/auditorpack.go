package web

import (
	"io"
	"net/http"

	"github.com/praxis-isms/praxis/internal/service"
)

// auditorPackRoutes register the auditor pack's page and its download.
func (h *Handler) auditorPackRoutes() {
	h.mux.HandleFunc("GET /auditor-pack", h.auditorPack)
	h.mux.HandleFunc("GET /auditor-pack.zip", h.downloadAuditorPack)
}

// auditorPack shows what a pack built now holds and lacks, and offers it.
func (h *Handler) auditorPack(w http.ResponseWriter, r *http.Request) {
	c, err := h.svc.AuditorPackContents(r.Context(), false)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	h.render(w, r, http.StatusOK, "auditor_pack", View{Title: "Auditor pack", Nav: "audits", Data: c})
}

// downloadAuditorPack streams the pack (?files=1 with the evidence files), through the same BuildAuditorPack as
// the API and the CLI.
func (h *Handler) downloadAuditorPack(w http.ResponseWriter, r *http.Request) {
	opts := service.AuditorPackOptions{Files: r.URL.Query().Get("files") != ""}
	h.sendFile(w, r, h.svc.AuditorPackName(r.Context()), "application/zip", func(w io.Writer) error {
		_, err := h.svc.BuildAuditorPack(r.Context(), opts, w)
		return err
	})
}
