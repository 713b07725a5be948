package api

// riskRoutes registers the asset, risk method, risk and treatment-plan routes (to be written).
func (a *API) riskRoutes() {}
