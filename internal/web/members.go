package web

// memberRoutes registers the routes of this resource (to be written).
func (h *Handler) memberRoutes() {}
