package service_test

import "testing"

// TestUseCases runs the scenarios that need no database of their own on one database per engine. Each scenario
// works in organisations and accounts it creates, so they cannot see each other; sharing the database also means
// every list and lookup is checked with other organisations' rows present.
func TestUseCases(t *testing.T) {
	t.Parallel()
	scenarios := []struct {
		name string
		fn   func(*testing.T, *env)
	}{
		{"RoleMatrix", testRoleMatrix},
		{"OrganisationIsolation", testOrganisationIsolation},
		{"UpdatePersonStaleVersion", testUpdatePersonStaleVersion},
		{"UpdateMemberStaleVersion", testUpdateMemberStaleVersion},
		{"InitOneTimePassword", testInitOneTimePassword},
		{"ChangePasswordEndsOtherSessions", testChangePasswordEndsOtherSessions},
		{"LoginFailuresAndRateLimit", testLoginFailuresAndRateLimit},
		{"LoginAddressLimit", testLoginAddressLimit},
		{"Sessions", testSessions},
		{"SwitchOrganisation", testSwitchOrganisation},
		{"OwnershipRules", testOwnershipRules},
		{"APITokens", testAPITokens},
		{"ExportAuditCSV", testExportAuditCSV},
		{"AuditTrailConcurrentWriters", testAuditTrailConcurrentWriters},
	}
	eachEngineParallel(t, func(t *testing.T, e *env) {
		for _, sc := range scenarios {
			t.Run(sc.name, func(t *testing.T) { sc.fn(t, e) })
		}
	})
}
