package service_test

// plantedEvaluation are the problems of the sample organisation these checks find on purpose, by rule, with why.
var plantedEvaluation = map[string]string{}
