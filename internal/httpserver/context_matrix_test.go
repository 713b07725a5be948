package httpserver_test

import (
	"fmt"
	"net/url"
	"strconv"
	"testing"

	"github.com/praxis-isms/praxis/internal/isms"
	"github.com/praxis-isms/praxis/internal/service"
)

// Role matrix rows of clause 4: issues, interested parties and requirements, the ISMS scope.

func (m *matrix) newIssue(t *testing.T) isms.Issue {
	t.Helper()
	i, err := m.srv.Svc.AddIssue(m.org.Ctx("owner"), service.IssueInput{Title: fmt.Sprintf("Issue %d", m.next()), Kind: "external"})
	m.ok(t, err)
	return i
}

func (m *matrix) newParty(t *testing.T) isms.Party {
	t.Helper()
	p, err := m.srv.Svc.AddParty(m.org.Ctx("owner"), service.PartyInput{Name: fmt.Sprintf("Party %d", m.next()), Kind: "customer"})
	m.ok(t, err)
	return p
}

func (m *matrix) newRequirement(t *testing.T) isms.Requirement {
	t.Helper()
	r, err := m.srv.Svc.AddRequirement(m.org.Ctx("owner"), service.RequirementInput{Party: m.newParty(t).Ref, Text: "Keep data in the EU", Type: "contractual"})
	m.ok(t, err)
	return r
}

// scopeVersion is the latest approved scope version, approving one first when there is none.
func (m *matrix) scopeVersion(t *testing.T) int {
	t.Helper()
	m.scopeStatement(t)
	vs, err := m.srv.Svc.ScopeVersions(m.org.Ctx("owner"))
	m.ok(t, err)
	if len(vs) > 0 {
		return vs[0].Number
	}
	v, err := m.srv.Svc.ApproveScope(m.org.Ctx("owner"), "")
	m.ok(t, err)
	return v.Number
}

// scopeStatement gives the scope a statement, so that it may be approved; it returns the scope's version.
func (m *matrix) scopeStatement(t *testing.T) int {
	t.Helper()
	v, err := m.srv.Svc.Scope(m.org.Ctx("owner"))
	m.ok(t, err)
	if v.Statement != "" {
		return v.Version
	}
	v, err = m.srv.Svc.SetScope(m.org.Ctx("owner"), service.ScopeInput{Statement: "Everything Acme does", Version: v.Version})
	m.ok(t, err)
	return v.Version
}

func contextRoutes() []route {
	issue := func(t *testing.T, m *matrix, _ string) target { return target{path: "/issues/" + m.newIssue(t).Ref} }
	party := func(t *testing.T, m *matrix, _ string) target { return target{path: "/parties/" + m.newParty(t).Ref} }
	requirement := func(t *testing.T, m *matrix, _ string) target {
		return target{path: "/requirements/" + m.newRequirement(t).Ref}
	}
	withVersion := func(prep prepFunc, body func(role string) map[string]any) prepFunc {
		return func(t *testing.T, m *matrix, role string) target {
			tg := prep(t, m, role)
			b := body(role)
			b["version"] = 1
			tg.body = b
			return tg
		}
	}
	scopeBody := func(t *testing.T, m *matrix, role string) target {
		return target{path: "/scope", body: map[string]any{"statement": "Set by " + role, "version": m.scopeStatement(t)}}
	}
	return []route{
		// API: issues.
		{method: "GET", pattern: "/issues", allowed: everyone, prep: fixed("/issues?kind=external&sort=-title")},
		{method: "GET", pattern: "/issues/export", allowed: everyone, prep: fixed("/issues/export?format=xlsx")},
		{method: "GET", pattern: "/issues/{ref}", allowed: everyone, prep: issue},
		{method: "POST", pattern: "/issues", allowed: contentEdit,
			prep: withBody("/issues", func(m *matrix) any {
				return service.IssueInput{Title: fmt.Sprintf("Issue %d", m.next()), Kind: "internal"}
			})},
		{method: "PUT", pattern: "/issues/{ref}", allowed: contentEdit,
			prep: withVersion(issue, func(role string) map[string]any { return map[string]any{"title": "Put by " + role, "kind": "internal"} })},
		{method: "PATCH", pattern: "/issues/{ref}", allowed: contentEdit,
			prep: withVersion(issue, func(role string) map[string]any { return map[string]any{"notes": "Patched by " + role} })},
		{method: "DELETE", pattern: "/issues/{ref}", allowed: contentEdit, prep: issue},

		// API: interested parties and their requirements.
		{method: "GET", pattern: "/parties", allowed: everyone, prep: fixed("/parties?kind=customer")},
		{method: "GET", pattern: "/parties/export", allowed: everyone, prep: fixed("/parties/export?format=csv")},
		{method: "GET", pattern: "/parties/{ref}", allowed: everyone, prep: party},
		{method: "POST", pattern: "/parties", allowed: contentEdit,
			prep: withBody("/parties", func(m *matrix) any {
				return service.PartyInput{Name: fmt.Sprintf("Party %d", m.next()), Kind: "supplier"}
			})},
		{method: "PUT", pattern: "/parties/{ref}", allowed: contentEdit,
			prep: withVersion(party, func(role string) map[string]any { return map[string]any{"name": "Put by " + role, "kind": "regulator"} })},
		{method: "PATCH", pattern: "/parties/{ref}", allowed: contentEdit,
			prep: withVersion(party, func(role string) map[string]any { return map[string]any{"notes": "Patched by " + role} })},
		{method: "DELETE", pattern: "/parties/{ref}", allowed: contentEdit, prep: party},
		{method: "POST", pattern: "/parties/{ref}/requirements", allowed: contentEdit, prep: func(t *testing.T, m *matrix, role string) target {
			return target{path: "/parties/" + m.newParty(t).Ref + "/requirements", body: map[string]any{"text": "Asked by " + role, "type": "legal", "controls": []string{"5.34"}}}
		}},
		{method: "GET", pattern: "/requirements", allowed: everyone, prep: fixed("/requirements?type=legal")},
		{method: "GET", pattern: "/requirements/{ref}", allowed: everyone, prep: requirement},
		{method: "PUT", pattern: "/requirements/{ref}", allowed: contentEdit, prep: func(t *testing.T, m *matrix, role string) target {
			r := m.newRequirement(t)
			return target{path: "/requirements/" + r.Ref, body: map[string]any{"party": r.Party, "text": "Put by " + role, "type": "other", "version": 1}}
		}},
		{method: "PATCH", pattern: "/requirements/{ref}", allowed: contentEdit,
			prep: withVersion(requirement, func(role string) map[string]any { return map[string]any{"addressed": "Patched by " + role} })},
		{method: "DELETE", pattern: "/requirements/{ref}", allowed: contentEdit, prep: requirement},

		// API: the ISMS scope.
		{method: "GET", pattern: "/scope", allowed: everyone},
		{method: "PUT", pattern: "/scope", allowed: contentEdit, prep: scopeBody},
		{method: "PATCH", pattern: "/scope", allowed: contentEdit, prep: scopeBody},
		{method: "POST", pattern: "/scope/approve", allowed: approvers, prep: func(t *testing.T, m *matrix, role string) target {
			m.scopeStatement(t)
			return target{path: "/scope/approve", body: map[string]any{"comment": "Approved by " + role}}
		}},
		{method: "GET", pattern: "/scope/versions", allowed: everyone},
		{method: "GET", pattern: "/scope/versions/{n}", allowed: everyone, prep: func(t *testing.T, m *matrix, _ string) target {
			return target{path: "/scope/versions/" + strconv.Itoa(m.scopeVersion(t))}
		}},
		{method: "GET", pattern: "/scope/diff", allowed: everyone, prep: func(t *testing.T, m *matrix, _ string) target {
			return target{path: fmt.Sprintf("/scope/diff?from=%d&to=draft", m.scopeVersion(t))}
		}},
		{method: "GET", pattern: "/scope/export", allowed: everyone, prep: fixed("/scope/export?format=md")},

		// Web: issues, parties, the scope.
		{web: true, method: "GET", pattern: "/issues", allowed: everyone},
		{web: true, method: "GET", pattern: "/issues/export.", allowed: everyone, prep: fixed("/issues/export.csv")},
		{web: true, method: "GET", pattern: "/issues/{ref}", allowed: everyone, prep: issue},
		{web: true, method: "POST", pattern: "/issues", allowed: contentEdit,
			prep: withBody("/issues", func(m *matrix) any {
				return url.Values{"title": {fmt.Sprintf("Issue %d", m.next())}, "kind": {"internal"}}
			})},
		{web: true, method: "POST", pattern: "/issues/{ref}", allowed: contentEdit, prep: func(t *testing.T, m *matrix, role string) target {
			return target{path: "/issues/" + m.newIssue(t).Ref, body: url.Values{"title": {"Saved by " + role}, "kind": {"external"}, "version": {"1"}}}
		}},
		{web: true, method: "POST", pattern: "/issues/{ref}/delete", allowed: contentEdit, prep: func(t *testing.T, m *matrix, _ string) target {
			return target{path: "/issues/" + m.newIssue(t).Ref + "/delete", body: url.Values{}}
		}},
		{web: true, method: "GET", pattern: "/parties", allowed: everyone},
		{web: true, method: "GET", pattern: "/parties/export.", allowed: everyone, prep: fixed("/parties/export.xlsx")},
		{web: true, method: "GET", pattern: "/parties/{ref}", allowed: everyone, prep: party},
		{web: true, method: "POST", pattern: "/parties", allowed: contentEdit,
			prep: withBody("/parties", func(m *matrix) any {
				return url.Values{"name": {fmt.Sprintf("Party %d", m.next())}, "kind": {"customer"}}
			})},
		{web: true, method: "POST", pattern: "/parties/{ref}", allowed: contentEdit, prep: func(t *testing.T, m *matrix, role string) target {
			return target{path: "/parties/" + m.newParty(t).Ref, body: url.Values{"name": {"Saved by " + role}, "kind": {"other"}, "version": {"1"}}}
		}},
		{web: true, method: "POST", pattern: "/parties/{ref}/delete", allowed: contentEdit, prep: func(t *testing.T, m *matrix, _ string) target {
			return target{path: "/parties/" + m.newParty(t).Ref + "/delete", body: url.Values{}}
		}},
		{web: true, method: "POST", pattern: "/parties/{ref}/requirements", allowed: contentEdit, prep: func(t *testing.T, m *matrix, role string) target {
			return target{path: "/parties/" + m.newParty(t).Ref + "/requirements", body: url.Values{"text": {"Asked by " + role}, "type": {"legal"}}}
		}},
		{web: true, method: "POST", pattern: "/requirements/{ref}/delete", allowed: contentEdit, prep: func(t *testing.T, m *matrix, _ string) target {
			return target{path: "/requirements/" + m.newRequirement(t).Ref + "/delete", body: url.Values{}}
		}},
		{web: true, method: "GET", pattern: "/scope", allowed: everyone},
		{web: true, method: "POST", pattern: "/scope", allowed: contentEdit, prep: func(t *testing.T, m *matrix, role string) target {
			return target{path: "/scope", body: url.Values{"statement": {"Saved by " + role}, "version": {strconv.Itoa(m.scopeStatement(t))}}}
		}},
		{web: true, method: "POST", pattern: "/scope/approve", allowed: approvers, prep: func(t *testing.T, m *matrix, _ string) target {
			m.scopeStatement(t)
			return target{path: "/scope/approve", body: url.Values{"comment": {"matrix"}}}
		}},
		{web: true, method: "GET", pattern: "/scope/versions", allowed: everyone},
		{web: true, method: "GET", pattern: "/scope/versions/{n}", allowed: everyone, prep: func(t *testing.T, m *matrix, _ string) target {
			return target{path: "/scope/versions/" + strconv.Itoa(m.scopeVersion(t))}
		}},
		{web: true, method: "GET", pattern: "/scope/diff", allowed: everyone, prep: fixed("/scope/diff?from=draft&to=draft")},
		{web: true, method: "GET", pattern: "/scope/export", allowed: everyone, prep: fixed("/scope/export?format=pdf")},
	}
}
