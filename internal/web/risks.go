package web

// riskRoutes registers the asset, risk, heat-map, method and treatment-plan pages (to be written).
func (h *Handler) riskRoutes() {}
