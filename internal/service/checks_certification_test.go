package service_test

// plantedCertification are the problems of the sample organisation these checks find on purpose, by rule, with why.
var plantedCertification = map[string]string{}
