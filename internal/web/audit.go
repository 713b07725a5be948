package web

// auditRoutes registers the routes of this resource (to be written).
func (h *Handler) auditRoutes() {}
