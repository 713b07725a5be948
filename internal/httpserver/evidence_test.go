package httpserver_test

import (
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"

	"github.com/praxis-isms/praxis/internal/isms"
	"github.com/praxis-isms/praxis/internal/service"
)

// Evidence in the role matrix: editors (content) and auditors add; a piece is changed or deleted by content
// editors, and by an auditor only when the auditor added it; every member reads and downloads.
var evidenceAdders = []string{"owner", "admin", "editor", "auditor", "approver"}

// newEvidence adds a note as the owner, or as role when mine and role may add, and returns its reference.
func (m *matrix) newEvidence(t *testing.T, role string, mine bool) string {
	t.Helper()
	as := "owner"
	if mine && slices.Contains(evidenceAdders, role) {
		as = role
	}
	e, err := m.srv.Svc.AddEvidence(m.org.Ctx(as), service.EvidenceInput{Title: fmt.Sprintf("Evidence %d", m.next()), Description: "seen"})
	m.ok(t, err)
	return e.Ref
}

// newEvidenceFile uploads a file as the owner and returns its reference.
func (m *matrix) newEvidenceFile(t *testing.T) string {
	t.Helper()
	e, err := m.srv.Svc.AddEvidenceFile(m.org.Ctx("owner"), service.EvidenceInput{Controls: []string{"8.28"}},
		service.EvidenceFile{Name: "scan.txt", Body: strings.NewReader(fmt.Sprintf("scan %d", m.next()))})
	m.ok(t, err)
	return e.Ref
}

func evidenceRoutes() []route {
	ev := func(mine bool, suffix string, body func(m *matrix) any) prepFunc {
		return func(t *testing.T, m *matrix, role string) target {
			tg := target{path: "/evidence/" + m.newEvidence(t, role, mine) + suffix}
			if body != nil {
				tg.body = body(m)
			}
			return tg
		}
	}
	file := func(t *testing.T, m *matrix, _ string) target {
		return target{path: "/evidence/" + m.newEvidenceFile(t) + "/file"}
	}
	note := func(m *matrix) any {
		return map[string]any{"title": fmt.Sprintf("Note %d", m.next()), "description": "seen"}
	}
	put := func(m *matrix) any {
		return map[string]any{"title": fmt.Sprintf("Evidence %d", m.next()), "description": "seen", "version": 1}
	}
	form := func(m *matrix) any {
		return url.Values{"title": {fmt.Sprintf("Evidence %d", m.next())}, "description": {"seen"}, "version": {"1"}}
	}
	upload0 := func(m *matrix) any {
		return upload{field: "file", filename: "scan.txt", data: fmt.Sprintf("scan %d", m.next()), fields: url.Values{"controls": {"8.28"}}}
	}
	return []route{
		{method: "GET", pattern: "/evidence", allowed: everyone},
		{method: "GET", pattern: "/evidence/export", allowed: everyone},
		{method: "GET", pattern: "/evidence/{ref}", allowed: everyone, prep: ev(false, "", nil)},
		{method: "GET", pattern: "/evidence/{ref}/file", allowed: everyone, prep: file},
		{method: "POST", pattern: "/evidence", allowed: evidenceAdders, prep: withBody("/evidence", note)},
		{method: "POST", pattern: "/evidence", variant: "upload", allowed: evidenceAdders, prep: withBody("/evidence", upload0)},
		{method: "PUT", pattern: "/evidence/{ref}", allowed: contentEdit, prep: ev(false, "", put)},
		{method: "PUT", pattern: "/evidence/{ref}", variant: "the caller's own", allowed: evidenceAdders, prep: ev(true, "", put)},
		{method: "PATCH", pattern: "/evidence/{ref}", allowed: contentEdit, prep: ev(false, "", put)},
		{method: "PATCH", pattern: "/evidence/{ref}", variant: "the caller's own", allowed: evidenceAdders, prep: ev(true, "", put)},
		{method: "DELETE", pattern: "/evidence/{ref}", allowed: contentEdit, prep: ev(false, "", nil)},
		{method: "DELETE", pattern: "/evidence/{ref}", variant: "the caller's own", allowed: evidenceAdders, prep: ev(true, "", nil)},
		{web: true, method: "GET", pattern: "/evidence", allowed: everyone},
		{web: true, method: "GET", pattern: "/evidence/export.", allowed: everyone, prep: fixed("/evidence/export.csv")},
		{web: true, method: "GET", pattern: "/evidence/{ref}", allowed: everyone, prep: ev(false, "", nil)},
		{web: true, method: "GET", pattern: "/evidence/{ref}/file", allowed: everyone, prep: file},
		{web: true, method: "POST", pattern: "/evidence", allowed: evidenceAdders, prep: withBody("/evidence", upload0)},
		{web: true, method: "POST", pattern: "/evidence", variant: "a note", allowed: evidenceAdders, prep: withBody("/evidence", func(m *matrix) any {
			return url.Values{"title": {fmt.Sprintf("Note %d", m.next())}, "description": {"seen"}}
		})},
		{web: true, method: "POST", pattern: "/evidence/{ref}", allowed: contentEdit, prep: ev(false, "", form)},
		{web: true, method: "POST", pattern: "/evidence/{ref}", variant: "the caller's own", allowed: evidenceAdders, prep: ev(true, "", form)},
		{web: true, method: "POST", pattern: "/evidence/{ref}/delete", allowed: contentEdit, prep: ev(false, "/delete", nil)},
		{web: true, method: "POST", pattern: "/evidence/{ref}/delete", variant: "the caller's own", allowed: evidenceAdders, prep: ev(true, "/delete", nil)},
	}
}

// evidenceOfB is evidence in the isolation tests: A has one file (E-001); B has two (E-001, E-002, so E-002 exists
// only in B), saying Bravo, one of them the same bytes as A's file.
type evidenceOfB struct {
	files []isms.Evidence
}

func setupEvidence(t *testing.T, x *tenants) evidenceOfB {
	t.Helper()
	svc := x.srv.Svc
	_, err := svc.AddEvidenceFile(x.a.Ctx("editor"), service.EvidenceInput{Title: "Alpha scan", Controls: []string{"8.28"}},
		service.EvidenceFile{Name: "alpha.txt", Body: strings.NewReader("shared bytes")})
	noErr(t, err)
	var b evidenceOfB
	for i, content := range []string{"shared bytes", "Bravo secret report"} {
		e, err := svc.AddEvidenceFile(x.b.Ctx("editor"), service.EvidenceInput{Title: fmt.Sprintf("Bravo report %d", i), Controls: []string{"8.28"}},
			service.EvidenceFile{Name: fmt.Sprintf("bravo-%d.txt", i), Body: strings.NewReader(content)})
		noErr(t, err)
		b.files = append(b.files, e)
	}
	x.secrets = append(x.secrets, b.files[0].ID, b.files[1].ID, b.files[1].SHA256)
	return b
}

// evidenceReads are A's evidence reads and downloads (the same paths in both doors, the web's export ends in .csv).
func evidenceReads(web bool) []string {
	export := "/evidence/export"
	if web {
		export += ".csv"
	}
	return []string{"/evidence", "/evidence?control=8.28", "/evidence?status=current", export, "/evidence/E-001", "/evidence/E-001/file"}
}

// lookups are B's evidence and files asked for from A, by id and by the reference only B has: each must be a 404.
func (b evidenceOfB) lookups() []string {
	f := b.files[1]
	return []string{"/evidence/" + f.ID, "/evidence/" + f.Ref, "/evidence/" + f.ID + "/file", "/evidence/" + f.Ref + "/file",
		"/evidence/" + b.files[0].ID + "/file"}
}

// cases are A's attempts to change B's evidence.
func (b evidenceOfB) cases() []struct {
	name, method, path string
	body               any
} {
	f := b.files[1]
	return []struct {
		name, method, path string
		body               any
	}{
		{"update B's evidence", http.MethodPut, "/evidence/" + f.ID, map[string]any{"title": "Hijacked", "version": 1}},
		{"patch evidence only B has", http.MethodPatch, "/evidence/" + f.Ref, map[string]any{"title": "Hijacked", "version": 1}},
		{"delete B's evidence", http.MethodDelete, "/evidence/" + f.ID, nil},
	}
}
