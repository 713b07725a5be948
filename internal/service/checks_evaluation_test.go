package service_test

// plantedEvaluation are the problems of the sample organisation these checks find on purpose, by rule, with why.
var plantedEvaluation = map[string]string{
	"corrective-overdue": "CA-002, the change approval fix, was found not effective and is past its due date",
	"metrics-late":       "M-004, leaver access, was last measured three months ago",
}
