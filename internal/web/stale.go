package web

// StaleNotice is what the "stale-notice" partial says when a form was saved on a version someone else has
// replaced meanwhile: what was saved, where the saved state is to be seen, and the page that discards the input.
type StaleNotice struct {
	What, Saved, Reload string
}

// staleNotice builds a StaleNotice in a template: {{template "stale-notice" (stale "this risk" "…" "/risks/R-001")}}.
func staleNotice(what, saved, reload string) StaleNotice {
	return StaleNotice{What: what, Saved: saved, Reload: reload}
}
