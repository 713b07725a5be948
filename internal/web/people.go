package web

// peopleRoutes registers the routes of this resource (to be written).
func (h *Handler) peopleRoutes() {}
