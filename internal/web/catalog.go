package web

// catalogRoutes registers the routes of this resource (to be written).
func (h *Handler) catalogRoutes() {}
