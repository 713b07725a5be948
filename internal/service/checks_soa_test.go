package service_test

// plantedSoAImplementationSupport are the problems of the sample organisation these checks find on purpose, by rule, with why.
var plantedSoAImplementationSupport = map[string]string{
	"soa-changed":             "three draft edits (8.11, 5.21, 7.10) follow the approved version 2",
	"evidence-expired":        "the restore test of the HR database (E-003) is past its validity",
	"tasks-overdue":           "the secure coding rules and this year's awareness training tasks are past due",
	"awareness-not-current":   "Samuel and Lucas have not renewed the awareness course, Mei never took it",
	"training-not-current":    "Jonas is overdue on secure coding and Priya never took it",
	"document-review-overdue": "the incident procedure (DOC-002) is past its six-monthly review, its new draft not yet approved",
	"leaver-open-access":      "Ravi Shah left, and his membership and API token are still open",
	"staff-not-screened":      "Mei and Lucas were never screened",
	"staff-no-terms":          "Oliver has not signed his terms",
}
