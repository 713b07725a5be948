package service_test

import (
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/praxis-isms/praxis/internal/isms"
	"github.com/praxis-isms/praxis/internal/service"
	"github.com/praxis-isms/praxis/internal/store"
	"github.com/praxis-isms/praxis/internal/testutil"
)

func docPatch(t *testing.T, body string) service.DocumentInput {
	t.Helper()
	var in service.DocumentInput
	ok(t, json.Unmarshal([]byte(body), &in))
	return in
}

// A document moves draft -> in review -> approved; each step refused from the wrong status says why, and the
// approved version is immutable with its approver, date, SHA-256 and the next review one interval on.
func TestDocumentWorkflow(t *testing.T) {
	eachEngineParallel(t, func(t *testing.T, e *env) {
		o := testutil.NewOrg(t, e.svc, "Acme")
		ed := o.Ctx("editor")
		_, err := e.svc.AddPerson(ed, service.PersonInput{Name: "Ada Owner"})
		ok(t, err)
		d, err := e.svc.AddDocument(ed, service.DocumentInput{Title: "Access control policy", Type: "policy", Owner: "Ada Owner",
			Controls: []string{"A.5.15", "5.18, 8.5"}, Clauses: []string{"7.5"}, Classification: "internal", ReviewMonths: 6,
			Content: "# Access\n\nLeast privilege.\n"})
		ok(t, err)
		if d.Ref != "DOC-001" || d.Status != isms.DocDraft || d.Latest != 1 || d.Owner != "P-001" || strings.Join(d.Controls, " ") != "5.15 5.18 8.5" {
			t.Fatalf("added %+v", d)
		}
		_, err = e.svc.AddDocument(ed, service.DocumentInput{Title: "X", Type: "memo", Controls: []string{"9.9"}, Clauses: []string{"11"}})
		wantKind(t, err, isms.KindInvalid, "bad type, control and clause")
		if ie, _ := isms.AsError(err); len(ie.Fields) != 3 {
			t.Errorf("want type, controls and clauses named: %v", err)
		}

		_, err = e.svc.ApproveDocument(o.Ctx("approver"), "DOC-001", d.Version)
		wantKind(t, err, isms.KindConflict, "approve a draft")
		if !strings.Contains(err.Error(), "only a version in review can be approved") {
			t.Errorf("message: %v", err)
		}
		d, err = e.svc.SubmitDocument(ed, "DOC-001", d.Version)
		ok(t, err)
		_, err = e.svc.SubmitDocument(ed, "DOC-001", d.Version)
		wantKind(t, err, isms.KindConflict, "submit twice")
		_, err = e.svc.ApproveDocument(ed, "DOC-001", d.Version)
		wantKind(t, err, isms.KindForbidden, "an editor without the approver flag approves")

		e.clock.Advance(24 * time.Hour) // 2026-03-03
		d, err = e.svc.ApproveDocument(o.Ctx("approver"), "DOC-001", d.Version)
		ok(t, err)
		if d.Status != isms.DocApproved || d.Approved != 1 || d.NextReview != "2026-09-03" {
			t.Fatalf("approved %+v", d)
		}
		v, err := e.svc.DocumentVersion(o.Ctx("viewer"), "DOC-001", 1)
		ok(t, err)
		if v.ApprovedBy != "approver of Acme" || v.ApprovedAt == nil || v.Hash != isms.ContentHash([]byte("# Access\n\nLeast privilege.\n")) || len(v.Hash) != 64 {
			t.Errorf("version 1 %+v", v)
		}

		// A change now starts version 2 from the new content; version 1 keeps its text.
		d, err = e.svc.PatchDocument(ed, "DOC-001", docPatch(t, `{"content": "# Access\n\nLeast privilege, reviewed quarterly.\n", "summary": "Quarterly reviews", "version": 3}`))
		ok(t, err)
		if d.Latest != 2 || d.Status != isms.DocDraft || d.Approved != 1 {
			t.Fatalf("after a change %+v", d)
		}
		v1, err := e.svc.DocumentVersion(o.Ctx("viewer"), "DOC-001", 1)
		ok(t, err)
		if v1.Content != v.Content || v1.Status != isms.DocApproved {
			t.Errorf("approved version changed: %+v", v1)
		}
		// A second change edits the same draft: at most one draft at a time.
		d, err = e.svc.PatchDocument(ed, "DOC-001", docPatch(t, `{"content": "# Access\n\nLeast privilege, reviewed every quarter.\n", "version": 4}`))
		ok(t, err)
		vs, err := e.svc.DocumentVersions(o.Ctx("viewer"), "DOC-001")
		ok(t, err)
		if len(vs) != 2 || vs[0].Summary != "Quarterly reviews" || !strings.Contains(vs[0].Content, "every quarter") {
			t.Errorf("versions %+v", vs)
		}
		// A stale version is refused and changes nothing.
		_, err = e.svc.SubmitDocument(ed, "DOC-001", 3)
		wantKind(t, err, isms.KindConflict, "stale submit")
		_, err = e.svc.SubmitDocument(ed, "DOC-001", 0)
		wantKind(t, err, isms.KindInvalid, "no version")

		d, err = e.svc.SubmitDocument(ed, "DOC-001", d.Version)
		ok(t, err)
		d, err = e.svc.ApproveDocument(o.Ctx("owner"), "DOC-001", d.Version)
		ok(t, err)
		vs, err = e.svc.DocumentVersions(o.Ctx("viewer"), "DOC-001")
		ok(t, err)
		if d.Approved != 2 || vs[0].Status != isms.DocApproved || vs[1].Status != isms.DocRetired || vs[1].RetiredAt == nil {
			t.Errorf("after approving version 2: %+v; versions %s %s", d, vs[0].Status, vs[1].Status)
		}

		d, err = e.svc.RetireDocument(ed, "DOC-001", d.Version)
		ok(t, err)
		if d.Status != isms.DocRetired || d.Approved != 0 || d.NextReview != "" {
			t.Errorf("retired %+v", d)
		}
		_, err = e.svc.RetireDocument(ed, "DOC-001", d.Version)
		wantKind(t, err, isms.KindConflict, "retire twice")

		var actions []string
		for _, ev := range trail(t, e, orgID(o)) {
			if ev.Entity == "document" {
				actions = append(actions, ev.Action)
			}
		}
		if got := strings.Join(actions, " "); got != "create submit approve update update submit approve retire" {
			t.Errorf("audit trail: %s", got)
		}
	})
}

// The database refuses to change an approved version's text, whatever the caller.
func TestApprovedVersionIsImmutable(t *testing.T) {
	eachEngineParallel(t, func(t *testing.T, e *env) {
		o := testutil.NewOrg(t, e.svc, "Acme")
		d := approvedDoc(t, e, o, "Backup policy", "Back up daily.\n")
		err := store.New(e.db).Write(o.Ctx("owner"), func(tx *store.Tx) error {
			v, err := tx.DocumentVersion(o.Ctx("owner"), orgID(o), d.ID, d.Ref, 1)
			ok(t, err)
			v.Content = "Back up never.\n"
			return tx.SaveDocumentVersion(o.Ctx("owner"), orgID(o), d.ID, v)
		})
		wantKind(t, err, isms.KindConflict, "rewrite an approved version")
		v, err := e.svc.DocumentVersion(o.Ctx("viewer"), d.Ref, 1)
		ok(t, err)
		if v.Content != "Back up daily.\n" || v.Hash != isms.ContentHash([]byte(v.Content)) {
			t.Errorf("approved version now %q (%s)", v.Content, v.Hash)
		}
	})
}

// approvedDoc adds a document with content and approves its first version.
func approvedDoc(t *testing.T, e *env, o testutil.Org, title, content string) isms.Document {
	t.Helper()
	ed := o.Ctx("editor")
	d, err := e.svc.AddDocument(ed, service.DocumentInput{Title: title, Type: "policy", Content: content})
	ok(t, err)
	d, err = e.svc.SubmitDocument(ed, d.Ref, d.Version)
	ok(t, err)
	d, err = e.svc.ApproveDocument(o.Ctx("owner"), d.Ref, d.Version)
	ok(t, err)
	return d
}

// Publication to a team, to named people and to all staff; acknowledgements by the reader (linked by email)
// and recorded by an editor for someone without an account; a new approved version starts again.
func TestPublishAndAcknowledge(t *testing.T) {
	eachEngineParallel(t, func(t *testing.T, e *env) {
		o := testutil.NewOrg(t, e.svc, "Acme")
		ed := o.Ctx("editor")
		for _, p := range []service.PersonInput{{Name: "Viv Viewer", Email: "viewer@acme.example", Department: "Sales"},
			{Name: "Sam Sales", Department: "sales"}, {Name: "Dev Eloper", Department: "Engineering"}} {
			_, err := e.svc.AddPerson(ed, p)
			ok(t, err)
		}
		draft, err := e.svc.AddDocument(ed, service.DocumentInput{Title: "Acceptable use", Type: "policy", Content: "Be nice.\n"})
		ok(t, err)
		_, err = e.svc.PublishDocument(ed, draft.Ref, service.PublishInput{All: true})
		wantKind(t, err, isms.KindConflict, "publish a draft")
		d := approvedDoc(t, e, o, "Clear desk", "Clear it.\n")
		_, err = e.svc.PublishDocument(ed, d.Ref, service.PublishInput{All: true, Team: "Sales"})
		wantKind(t, err, isms.KindInvalid, "two audiences")
		_, err = e.svc.PublishDocument(o.Ctx("viewer"), d.Ref, service.PublishInput{All: true})
		wantKind(t, err, isms.KindForbidden, "a viewer publishes")

		pub, err := e.svc.PublishDocument(ed, d.Ref, service.PublishInput{Team: "Sales"})
		ok(t, err)
		if pub.Added != 2 || pub.Total != 2 || pub.Audience != "team Sales" {
			t.Fatalf("published %+v", pub)
		}
		// The viewer's account has the email of Viv Viewer: they acknowledge for themselves.
		acks, err := e.svc.AcknowledgeDocument(o.Ctx("viewer"), d.Ref, service.AckInput{})
		ok(t, err)
		if acks.Done != 1 || acks.Total != 2 || acks.Have[0].Name != "Viv Viewer" || acks.Have[0].RecordedBy != "" || acks.HaveNot[0].Name != "Sam Sales" {
			t.Fatalf("after Viv: %+v", acks)
		}
		_, err = e.svc.AcknowledgeDocument(o.Ctx("viewer"), d.Ref, service.AckInput{Person: "Sam Sales"})
		wantKind(t, err, isms.KindForbidden, "a viewer records for someone else")
		_, err = e.svc.AcknowledgeDocument(o.Ctx("auditor"), d.Ref, service.AckInput{})
		wantKind(t, err, isms.KindInvalid, "an account without a person")
		_, err = e.svc.AcknowledgeDocument(ed, d.Ref, service.AckInput{Person: "Dev Eloper"})
		wantKind(t, err, isms.KindInvalid, "someone it was not published to")
		acks, err = e.svc.AcknowledgeDocument(ed, d.Ref, service.AckInput{Person: "P-002"})
		ok(t, err)
		if acks.Done != 2 || len(acks.HaveNot) != 0 || acks.Have[0].Name != "Sam Sales" || acks.Have[0].RecordedBy != "editor of Acme" || acks.Have[1].RecordedBy != "" {
			t.Fatalf("after Sam: %+v", acks)
		}
		pub, err = e.svc.PublishDocument(ed, d.Ref, service.PublishInput{People: []string{"Dev Eloper", "P-001"}})
		ok(t, err)
		if pub.Added != 1 || pub.Total != 3 || pub.Audience != "team Sales; named people" {
			t.Errorf("published again %+v", pub)
		}

		// Version 2 approved: the same three readers, none has read it yet; version 1 keeps its record.
		d, err = e.svc.PatchDocument(ed, d.Ref, docPatch(t, `{"content": "Clear it every evening.\n", "summary": "Evenings", "version": 3}`))
		ok(t, err)
		d, err = e.svc.SubmitDocument(ed, d.Ref, d.Version)
		ok(t, err)
		d, err = e.svc.ApproveDocument(o.Ctx("approver"), d.Ref, d.Version)
		ok(t, err)
		acks, err = e.svc.DocumentAcknowledgements(o.Ctx("viewer"), d.Ref, 0)
		ok(t, err)
		if acks.Number != 2 || acks.Total != 3 || acks.Done != 0 || len(acks.HaveNot) != 3 {
			t.Errorf("version 2: %+v", acks)
		}
		old, err := e.svc.DocumentAcknowledgements(o.Ctx("viewer"), d.Ref, 1)
		ok(t, err)
		if old.Done != 2 {
			t.Errorf("version 1 lost its acknowledgements: %+v", old)
		}
		_, err = e.svc.AcknowledgeDocument(o.Ctx("viewer"), d.Ref, service.AckInput{Number: 1})
		wantKind(t, err, isms.KindInvalid, "acknowledge a retired version")
		todo, err := e.svc.MyDocumentsToRead(o.Ctx("viewer"))
		ok(t, err)
		if len(todo) != 1 || todo[0].Ref != d.Ref || todo[0].Approved != 2 {
			t.Errorf("to read: %+v", todo)
		}
	})
}

// Overdue: a document in force past its review date, on the service's clock, in the list filter and the count.
func TestOverdueDocuments(t *testing.T) {
	eachEngineParallel(t, func(t *testing.T, e *env) {
		o := testutil.NewOrg(t, e.svc, "Acme")
		approvedDoc(t, e, o, "Policy", "Text.\n")
		_, err := e.svc.AddDocument(o.Ctx("editor"), service.DocumentInput{Title: "Draft", Type: "plan"})
		ok(t, err)
		ctx := o.Ctx("viewer")
		count := func() int {
			n, err := e.svc.OverdueDocuments(ctx)
			ok(t, err)
			l, err := e.svc.ListDocuments(ctx, service.DocumentFilter{Overdue: "yes"}, service.Page{})
			ok(t, err)
			if l.Total != n {
				t.Errorf("filter lists %d, count says %d", l.Total, n)
			}
			return n
		}
		if n := count(); n != 0 {
			t.Errorf("overdue on approval day: %d", n)
		}
		e.clock.Advance(366 * 24 * time.Hour)
		if n := count(); n != 1 {
			t.Errorf("overdue a year later: %d", n)
		}
		_, err = e.svc.ListDocuments(ctx, service.DocumentFilter{Overdue: "maybe"}, service.Page{})
		wantKind(t, err, isms.KindInvalid, "overdue maybe")
		_, err = e.svc.ListDocuments(ctx, service.DocumentFilter{Status: "final"}, service.Page{})
		wantKind(t, err, isms.KindInvalid, "unknown status")
	})
}

// The diff of two versions marks removed and added lines and keeps the rest.
func TestDiffDocument(t *testing.T) {
	eachEngineParallel(t, func(t *testing.T, e *env) {
		o := testutil.NewOrg(t, e.svc, "Acme")
		d := approvedDoc(t, e, o, "Policy", "one\ntwo\nthree\n")
		_, err := e.svc.PatchDocument(o.Ctx("editor"), d.Ref, docPatch(t, `{"content": "one\n2\nthree\nfour\n", "summary": "Numbers", "version": 3}`))
		ok(t, err)
		diff, err := e.svc.DiffDocument(o.Ctx("viewer"), d.Ref, 1, 2)
		ok(t, err)
		if got := isms.UnifiedDiff(diff.Lines); got != " one\n-two\n+2\n three\n+four\n" || diff.Added != 2 || diff.Gone != 1 {
			t.Errorf("diff:\n%s(+%d -%d)", got, diff.Added, diff.Gone)
		}
		_, err = e.svc.DiffDocument(o.Ctx("viewer"), d.Ref, 1, 7)
		wantKind(t, err, isms.KindNotFound, "unknown version")
		md, err := e.svc.ExportDocumentMarkdown(o.Ctx("viewer"), d.Ref, 1)
		ok(t, err)
		if !strings.HasSuffix(md, "-->\n\none\ntwo\nthree\n") || !strings.Contains(md, "sha256: "+isms.ContentHash([]byte("one\ntwo\nthree\n"))) {
			t.Errorf("markdown export:\n%s", md)
		}
	})
}
