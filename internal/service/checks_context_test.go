package service_test

// plantedLeadershipScopeRisk are the problems of the sample organisation these checks find on purpose, by rule, with why.
var plantedLeadershipScopeRisk = map[string]string{
	"objective-overdue":        "the quarterly restore tests objective (OBJ-003) slipped past its due date: the staging database was too small",
	"scope-changed":            "the analytics sandbox was brought into the scope after its approval and waits for the next one",
	"risk-not-accepted":        "the cloud region outage risk (R-005) stays above the threshold after treatment and its owner has not accepted it yet",
	"treatment-action-overdue": "three treatment actions (training, endpoint detection, restore test) are late, as in any busy plan",
}
