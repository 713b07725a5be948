package web

// Placeholders filled in by their own files; each resource registers its routes in one function.
func (h *Handler) memberRoutes()  {}
func (h *Handler) peopleRoutes()  {}
func (h *Handler) auditRoutes()   {}
func (h *Handler) catalogRoutes() {}
