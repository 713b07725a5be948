package service_test

// plantedSoAImplementationSupport are the problems of the sample organisation these checks find on purpose, by rule, with why.
var plantedSoAImplementationSupport = map[string]string{}
