package httpserver_test

import (
	"fmt"
	"net/url"
	"strings"
	"testing"

	"github.com/praxis-isms/praxis/internal/service"
)

// auditRecorders may record audits: the effectiveness check of a corrective action.
var auditRecorders = []string{"owner", "admin", "auditor"}

// kitRows are registerRows for a register without exports, whose PATCH sends patch.
func kitRows(path string, add func(t *testing.T, m *matrix) string, body func(m *matrix, version int) map[string]any, patch map[string]any) []route {
	var out []route
	for _, r := range registerRows(path, add, body) {
		if strings.Contains(r.pattern, "/export") {
			continue
		}
		if r.method == "PATCH" {
			r.prep = func(t *testing.T, m *matrix, _ string) target {
				return target{path: path + "/" + add(t, m), body: patch}
			}
		}
		out = append(out, r)
	}
	return out
}

// newCorrective adds a corrective action (on a new major nonconformity) as the owner; checked, it is found
// effective too (version 2).
func (m *matrix) newCorrective(t *testing.T, checked bool) string {
	owner := m.org.Ctx("owner")
	f, err := m.srv.Svc.AddFinding(owner, service.FindingInput{Title: fmt.Sprintf("Finding %d", m.next()), Grade: "major-nc", Clause: "8.1"})
	m.ok(t, err)
	c, err := m.srv.Svc.AddCorrective(owner, service.CorrectiveInput{Finding: f.Ref, Title: fmt.Sprintf("Corrective %d", m.next())})
	m.ok(t, err)
	if checked {
		_, err = m.srv.Svc.VerifyCorrective(owner, c.Ref, service.CheckInput{Result: "effective", Version: 1})
		m.ok(t, err)
	}
	return c.Ref
}

func (m *matrix) newReview(t *testing.T) string {
	r, err := m.srv.Svc.AddReview(m.org.Ctx("owner"), service.ReviewInput{Title: fmt.Sprintf("Review %d", m.next())})
	m.ok(t, err)
	return r.Ref
}

func (m *matrix) newReviewAction(t *testing.T) string {
	a, err := m.srv.Svc.AddReviewAction(m.org.Ctx("owner"), service.ReviewActionInput{Review: m.newReview(t), Kind: "change", Decision: fmt.Sprintf("Decision %d", m.next())})
	m.ok(t, err)
	return a.Ref
}

// correctiveRoutes are the matrix rows of corrective actions and management reviews (API and web).
func correctiveRoutes() []route {
	form := func(kv ...string) url.Values {
		v := url.Values{}
		for i := 0; i < len(kv); i += 2 {
			v.Set(kv[i], kv[i+1])
		}
		return v
	}
	rows := kitRows("/corrective", func(t *testing.T, m *matrix) string { return m.newCorrective(t, false) },
		func(m *matrix, version int) map[string]any {
			f, _ := m.srv.Svc.AddFinding(m.org.Ctx("owner"), service.FindingInput{Title: fmt.Sprintf("Finding %d", m.next()), Grade: "minor-nc", Clause: "7.2"})
			return map[string]any{"finding": f.Ref, "title": fmt.Sprintf("Corrective %d", m.next()), "status": "in-progress", "version": version}
		}, map[string]any{"status": "done", "version": 1})
	rows = append(rows, kitRows("/reviews", func(t *testing.T, m *matrix) string { return m.newReview(t) },
		func(m *matrix, version int) map[string]any {
			return map[string]any{"title": fmt.Sprintf("Review %d", m.next()), "attendees": "CEO", "version": version}
		}, map[string]any{"discussion": "Patched", "version": 1})...)
	rows = append(rows, kitRows("/review-actions", func(t *testing.T, m *matrix) string { return m.newReviewAction(t) },
		func(m *matrix, version int) map[string]any {
			return map[string]any{"review": "MR-001", "kind": "resource", "decision": fmt.Sprintf("Decision %d", m.next()), "version": version}
		}, map[string]any{"status": "done", "version": 1})...)
	var keep []route
	for _, r := range rows { // review actions are added under their review, and have no pages of their own nor a list but their review's
		if strings.HasPrefix(r.pattern, "/review-actions") && (r.web || r.method == "POST" || r.pattern == "/review-actions") {
			continue
		}
		keep = append(keep, r)
	}
	return append(keep,
		route{method: "POST", pattern: "/corrective/{ref}/verify", allowed: auditRecorders, prep: func(t *testing.T, m *matrix, _ string) target {
			return target{path: "/corrective/" + m.newCorrective(t, false) + "/verify", body: map[string]any{"result": "effective", "version": 1}}
		}},
		route{method: "POST", pattern: "/corrective/{ref}/close", allowed: contentEdit, prep: func(t *testing.T, m *matrix, _ string) target {
			return target{path: "/corrective/" + m.newCorrective(t, true) + "/close", body: map[string]any{"version": 2}}
		}},
		route{web: true, method: "POST", pattern: "/corrective/{ref}/verify", allowed: auditRecorders, prep: func(t *testing.T, m *matrix, _ string) target {
			return target{path: "/corrective/" + m.newCorrective(t, false) + "/verify", body: form("result", "effective", "version", "1")}
		}},
		route{web: true, method: "POST", pattern: "/corrective/{ref}/close", allowed: contentEdit, prep: func(t *testing.T, m *matrix, _ string) target {
			return target{path: "/corrective/" + m.newCorrective(t, true) + "/close", body: form("version", "2")}
		}},
		route{method: "GET", pattern: "/corrective/oscal", allowed: everyone, prep: func(t *testing.T, m *matrix, _ string) target {
			m.newCorrective(t, false)
			return target{path: "/corrective/oscal"}
		}},
		route{method: "GET", pattern: "/findings/oscal", allowed: everyone, prep: func(t *testing.T, m *matrix, _ string) target {
			m.newCorrective(t, false)
			return target{path: "/findings/oscal"}
		}},
		route{method: "GET", pattern: "/reviews/{ref}/inputs", allowed: everyone, prep: func(t *testing.T, m *matrix, _ string) target {
			return target{path: "/reviews/" + m.newReview(t) + "/inputs"}
		}},
		route{method: "GET", pattern: "/reviews/{ref}/minutes", allowed: everyone, prep: func(t *testing.T, m *matrix, _ string) target {
			return target{path: "/reviews/" + m.newReview(t) + "/minutes?format=pdf"}
		}},
		route{method: "GET", pattern: "/reviews/{ref}/actions", allowed: everyone, prep: func(t *testing.T, m *matrix, _ string) target {
			return target{path: "/reviews/" + m.newReview(t) + "/actions"}
		}},
		route{method: "POST", pattern: "/reviews/{ref}/actions", allowed: contentEdit, prep: func(t *testing.T, m *matrix, _ string) target {
			return target{path: "/reviews/" + m.newReview(t) + "/actions", body: map[string]any{"kind": "improvement", "decision": "Do better"}}
		}},
		route{method: "POST", pattern: "/reviews/{ref}/hold", allowed: contentEdit, prep: func(t *testing.T, m *matrix, _ string) target {
			return target{path: "/reviews/" + m.newReview(t) + "/hold", body: map[string]any{"version": 1}}
		}},
		route{web: true, method: "POST", pattern: "/reviews/{ref}/hold", allowed: contentEdit, prep: func(t *testing.T, m *matrix, _ string) target {
			return target{path: "/reviews/" + m.newReview(t) + "/hold", body: form("version", "1")}
		}},
		route{web: true, method: "POST", pattern: "/reviews/{ref}/actions", allowed: contentEdit, prep: func(t *testing.T, m *matrix, _ string) target {
			return target{path: "/reviews/" + m.newReview(t) + "/actions", body: form("kind", "change", "decision", "Do better")}
		}},
		route{web: true, method: "POST", pattern: "/reviews/{ref}/actions/{action}", allowed: contentEdit, prep: func(t *testing.T, m *matrix, _ string) target {
			ref := m.newReviewAction(t)
			a, err := m.srv.Svc.ReviewAction(m.org.Ctx("owner"), ref)
			m.ok(t, err)
			return target{path: "/reviews/" + a.Review + "/actions/" + ref, body: form("status", "done", "version", "1")}
		}},
		route{web: true, method: "GET", pattern: "/reviews/{ref}/minutes.", allowed: everyone, prep: func(t *testing.T, m *matrix, _ string) target {
			return target{path: "/reviews/" + m.newReview(t) + "/minutes.pdf"}
		}},
	)
}
