package httpserver_test

import (
	"fmt"
	"net/url"
	"strconv"
	"testing"

	"github.com/praxis-isms/praxis/internal/isms"
	"github.com/praxis-isms/praxis/internal/service"
	"github.com/praxis-isms/praxis/internal/testutil"
)

// newDocument adds a document as the owner and takes it to status: draft, in-review or approved (published to
// all staff, so that every role's person is a reader).
func (m *matrix) newDocument(t *testing.T, status string) isms.Document {
	t.Helper()
	ctx := m.org.Ctx("owner")
	d, err := m.srv.Svc.AddDocument(ctx, service.DocumentInput{Title: fmt.Sprintf("Policy %d", m.next()), Type: "policy", Content: "# Policy\n\nText.\n"})
	m.ok(t, err)
	if status == isms.DocDraft {
		return d
	}
	d, err = m.srv.Svc.SubmitDocument(ctx, d.Ref, d.Version)
	m.ok(t, err)
	if status == isms.DocInReview {
		return d
	}
	d, err = m.srv.Svc.ApproveDocument(ctx, d.Ref, d.Version)
	m.ok(t, err)
	_, err = m.srv.Svc.PublishDocument(ctx, d.Ref, service.PublishInput{All: true})
	m.ok(t, err)
	return d
}

// documentStep is a workflow step on a fresh document in status, with the version read.
func documentStep(status, step string, web bool) prepFunc {
	return func(t *testing.T, m *matrix, _ string) target {
		d := m.newDocument(t, status)
		if web {
			return target{path: "/documents/" + d.Ref + "/" + step, body: url.Values{"version": {strconv.Itoa(d.Version)}}}
		}
		return target{path: "/documents/" + d.Ref + "/" + step, body: map[string]any{"version": d.Version}}
	}
}

// documentRoutes are the role matrix rows of the document register (API and web).
func documentRoutes() []route {
	approved := func(suffix string) prepFunc {
		return func(t *testing.T, m *matrix, _ string) target {
			return target{path: "/documents/" + m.newDocument(t, isms.DocApproved).Ref + suffix}
		}
	}
	return []route{
		{method: "GET", pattern: "/documents", allowed: everyone, prep: fixed("/documents?type=policy&overdue=yes")},
		{method: "POST", pattern: "/documents", allowed: contentEdit, prep: withBody("/documents", func(m *matrix) any {
			return map[string]any{"title": fmt.Sprintf("Doc %d", m.next()), "type": "procedure", "content": "Steps."}
		})},
		{method: "POST", pattern: "/documents", variant: "from a template", allowed: contentEdit, prep: withBody("/documents", func(m *matrix) any {
			return map[string]any{"template": "backup"}
		})},
		{method: "GET", pattern: "/documents/{ref}", allowed: everyone, prep: approved("")},
		{method: "PUT", pattern: "/documents/{ref}", allowed: contentEdit, prep: func(t *testing.T, m *matrix, _ string) target {
			d := m.newDocument(t, isms.DocDraft)
			return target{path: "/documents/" + d.Ref, body: map[string]any{"title": d.Title, "type": "standard", "version": d.Version}}
		}},
		{method: "PATCH", pattern: "/documents/{ref}", allowed: contentEdit, prep: func(t *testing.T, m *matrix, _ string) target {
			d := m.newDocument(t, isms.DocApproved)
			return target{path: "/documents/" + d.Ref, body: map[string]any{"content": "New text.", "summary": "Rewritten", "version": d.Version}}
		}},
		{method: "GET", pattern: "/documents/{ref}/versions", allowed: everyone, prep: approved("/versions")},
		{method: "GET", pattern: "/documents/{ref}/versions/{n}", allowed: everyone, prep: approved("/versions/1")},
		{method: "POST", pattern: "/documents/{ref}/submit", allowed: contentEdit, prep: documentStep(isms.DocDraft, "submit", false)},
		{method: "POST", pattern: "/documents/{ref}/approve", allowed: approvers, prep: documentStep(isms.DocInReview, "approve", false)},
		{method: "POST", pattern: "/documents/{ref}/retire", allowed: contentEdit, prep: documentStep(isms.DocApproved, "retire", false)},
		{method: "GET", pattern: "/documents/{ref}/diff", allowed: everyone, prep: approved("/diff?from=1&to=1")},
		{method: "POST", pattern: "/documents/{ref}/publish", allowed: contentEdit, prep: func(t *testing.T, m *matrix, _ string) target {
			return target{path: "/documents/" + m.newDocument(t, isms.DocApproved).Ref + "/publish", body: map[string]any{"people": []string{m.person.Ref}}}
		}},
		{method: "GET", pattern: "/documents/{ref}/acknowledgements", allowed: everyone, prep: approved("/acknowledgements")},
		// Every role's account has a person of the register (same email) to whom the document is published.
		{method: "POST", pattern: "/documents/{ref}/acknowledgements", allowed: everyone, prep: func(t *testing.T, m *matrix, _ string) target {
			return target{path: "/documents/" + m.newDocument(t, isms.DocApproved).Ref + "/acknowledgements", body: map[string]any{}}
		}},
		{method: "GET", pattern: "/documents/{ref}/export", allowed: everyone, prep: approved("/export?version=1&format=pdf")},
		{method: "GET", pattern: "/documents/templates", allowed: everyone},
		{method: "GET", pattern: "/documents/mandatory", allowed: everyone},
		{web: true, method: "GET", pattern: "/documents/mandatory", allowed: everyone},
		{method: "GET", pattern: "/risk-method/methodology", allowed: everyone},
		{method: "POST", pattern: "/risk-method/methodology", allowed: contentEdit, prep: withBody("/risk-method/methodology", func(*matrix) any { return map[string]any{} })},
		{web: true, method: "POST", pattern: "/risks/method/methodology", allowed: contentEdit, prep: withBody("/risks/method/methodology", func(*matrix) any { return url.Values{} })},

		{web: true, method: "GET", pattern: "/documents", allowed: everyone, prep: fixed("/documents?status=approved&overdue=yes")},
		{web: true, method: "POST", pattern: "/documents", allowed: contentEdit, prep: withBody("/documents", func(m *matrix) any {
			return url.Values{"title": {fmt.Sprintf("Doc %d", m.next())}, "type": {"plan"}, "content": {"Plan."}}
		})},
		{web: true, method: "GET", pattern: "/documents/{ref}", allowed: everyone, prep: approved("")},
		{web: true, method: "POST", pattern: "/documents/{ref}", allowed: contentEdit, prep: func(t *testing.T, m *matrix, _ string) target {
			d := m.newDocument(t, isms.DocDraft)
			return target{path: "/documents/" + d.Ref, body: url.Values{"title": {d.Title}, "type": {"policy"}, "content": {"Changed."},
				"version": {strconv.Itoa(d.Version)}}}
		}},
		{web: true, method: "GET", pattern: "/documents/{ref}/versions/{n}", allowed: everyone, prep: approved("/versions/1")},
		{web: true, method: "GET", pattern: "/documents/{ref}/diff", allowed: everyone, prep: approved("/diff?from=1&to=1&view=side")},
		{web: true, method: "GET", pattern: "/documents/{ref}/export", allowed: everyone, prep: approved("/export?version=1")},
		{web: true, method: "POST", pattern: "/documents/{ref}/submit", allowed: contentEdit, prep: documentStep(isms.DocDraft, "submit", true)},
		{web: true, method: "POST", pattern: "/documents/{ref}/approve", allowed: approvers, prep: documentStep(isms.DocInReview, "approve", true)},
		{web: true, method: "POST", pattern: "/documents/{ref}/retire", allowed: contentEdit, prep: documentStep(isms.DocApproved, "retire", true)},
		{web: true, method: "POST", pattern: "/documents/{ref}/publish", allowed: contentEdit, prep: func(t *testing.T, m *matrix, _ string) target {
			return target{path: "/documents/" + m.newDocument(t, isms.DocApproved).Ref + "/publish", body: url.Values{"audience": {"all"}}}
		}},
		{web: true, method: "POST", pattern: "/documents/{ref}/acknowledge", allowed: everyone, prep: func(t *testing.T, m *matrix, _ string) target {
			return target{path: "/documents/" + m.newDocument(t, isms.DocApproved).Ref + "/acknowledge", body: url.Values{}}
		}},
	}
}

// documentReads are the document reads of the isolation test, each of A's DOC-001 (B has a DOC-001 too, full
// of Bravo): A sees only its own. API and web share the paths that both serve.
var documentReads = []string{"/documents", "/documents/DOC-001", "/documents/DOC-001/versions", "/documents/DOC-001/versions/1",
	"/documents/DOC-001/diff?from=1&to=2", "/documents/DOC-001/acknowledgements", "/documents/DOC-001/export?version=1", "/documents/templates",
	"/documents/mandatory"}

// addDocuments gives A and B a document DOC-001 each, in two versions, approved and published to all staff;
// B's names Bravo everywhere and B's people acknowledge it. Then A's editor tries to publish A's document to
// B's people and record their acknowledgement by name: neither resolves outside A.
func (x *tenants) addDocuments(t *testing.T) {
	t.Helper()
	svc := x.srv.Svc
	for _, o := range []struct {
		org  testutil.Org
		name string
	}{{x.a, "Alpha"}, {x.b, "Bravo"}} {
		ctx := o.org.Ctx("owner")
		d, err := svc.AddDocument(ctx, service.DocumentInput{Title: o.name + " policy", Type: "policy", Content: o.name + " rules.\n"})
		for _, step := range []func() (isms.Document, error){
			func() (isms.Document, error) { return svc.SubmitDocument(ctx, d.Ref, d.Version) },
			func() (isms.Document, error) { return svc.ApproveDocument(ctx, d.Ref, d.Version) },
			func() (isms.Document, error) {
				return svc.UpdateDocument(ctx, d.Ref, service.DocumentInput{Title: d.Title, Type: d.Type, Content: o.name + " rules, v2.\n", Summary: o.name, Version: d.Version})
			},
		} {
			if err != nil {
				t.Fatal(err)
			}
			d, err = step()
		}
		if err == nil {
			_, err = svc.PublishDocument(ctx, d.Ref, service.PublishInput{All: true})
		}
		if err == nil && o.name == "Bravo" {
			_, err = svc.AcknowledgeDocument(ctx, d.Ref, service.AckInput{Person: x.bPeople[0].Name})
		}
		if err != nil {
			t.Fatal(err)
		}
	}
	ed := x.a.Ctx("editor")
	if _, err := svc.PublishDocument(ed, "DOC-001", service.PublishInput{People: []string{x.bPeople[0].Ref, x.bPeople[0].Name}}); isms.ErrorKind(err) != isms.KindInvalid {
		t.Errorf("A publishes to B's person: %v", err)
	}
	if _, err := svc.AcknowledgeDocument(ed, "DOC-001", service.AckInput{Person: x.bPeople[1].Name}); isms.ErrorKind(err) != isms.KindInvalid {
		t.Errorf("A records B's person's acknowledgement: %v", err)
	}
}
