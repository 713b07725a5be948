package service_test

// plantedLeadershipScopeRisk are the problems of the sample organisation these checks find on purpose, by rule, with why.
var plantedLeadershipScopeRisk = map[string]string{}
