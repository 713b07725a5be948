package service_test

import (
	"bytes"
	"context"
	"slices"
	"strings"
	"testing"

	"github.com/praxis-isms/praxis/internal/isms"
	"github.com/praxis-isms/praxis/internal/service"
	"github.com/praxis-isms/praxis/internal/testutil"
)

// A finding is graded and held against a clause or a control of the catalog: bad input is refused with its
// fields and changes nothing; the defaults are the auditor's name, today, an internal audit and open.
func TestFindingRules(t *testing.T) {
	eachEngine(t, func(t *testing.T, e *env) {
		o := testutil.NewOrg(t, e.svc, "Acme")
		ctx := o.Ctx("auditor")
		_, err := e.svc.AddFinding(ctx, service.FindingInput{Title: "No review", Grade: "serious", Source: "rumour"})
		wantKind(t, err, isms.KindInvalid, "bad grade, source, nothing held against")
		if got := fieldsOf(t, err); !slices.Equal(got, []string{"clause", "grade", "source"}) {
			t.Fatalf("fields: %v (%v)", got, err)
		}
		_, err = e.svc.AddFinding(ctx, service.FindingInput{Title: "No review", Grade: "minor-nc", Clause: "11.2", Control: "A.9.9", Audit: "AU-404"})
		wantKind(t, err, isms.KindInvalid, "unknown clause, control and audit")
		if got := fieldsOf(t, err); !slices.Equal(got, []string{"audit", "clause", "control"}) {
			t.Fatalf("fields: %v (%v)", got, err)
		}
		f, err := e.svc.AddFinding(ctx, service.FindingInput{Title: "Code review skipped", Grade: "Minor-NC", Control: "A.8.28",
			EvidenceSeen: "Three merges without approval"})
		ok(t, err)
		if f.Ref != "F-001" || f.Grade != "minor-nc" || f.GradeWords() != "Minor nonconformity" || f.Control != "8.28" ||
			f.Source != "internal-audit" || f.Status != "open" || f.RaisedOn != e.svc.Today() || f.RaisedBy != "auditor of Acme" {
			t.Fatalf("added: %+v", f)
		}
		_, err = e.svc.AddFinding(o.Ctx("viewer"), service.FindingInput{Title: "x", Grade: "ofi", Clause: "9.2"})
		wantKind(t, err, isms.KindForbidden, "a viewer raises a finding")
		editor, err := e.svc.AddFinding(o.Ctx("editor"), service.FindingInput{Title: "Customer complaint about access", Grade: "observation",
			Source: "complaint", Clause: "7.5"})
		ok(t, err)
		list, err := e.svc.ListFindings(ctx, service.FindingFilter{Grade: "observation"}, service.Page{})
		ok(t, err)
		if list.Total != 1 || list.Items[0].Ref != editor.Ref {
			t.Fatalf("grade filter: %+v", list)
		}
		_, err = e.svc.ListFindings(ctx, service.FindingFilter{Grade: "bad"}, service.Page{})
		wantKind(t, err, isms.KindInvalid, "bad grade filter")
		var b bytes.Buffer
		ok(t, e.svc.ExportFindings(ctx, service.FindingFilter{Sort: "grade"}, "csv", &b))
		if lines := strings.Split(strings.TrimSpace(b.String()), "\n"); len(lines) != 3 || !strings.HasPrefix(lines[1], "F-001,") {
			t.Fatalf("export by grade:\n%s", b.String())
		}
	})
}

// A nonconformity cannot be closed while a corrective action of it is open; once they are closed it can, and
// a finding that needs no corrective action (an observation) closes when someone closes it.
func TestFindingClosesAfterItsCorrectiveActions(t *testing.T) {
	eachEngine(t, func(t *testing.T, e *env) {
		o := testutil.NewOrg(t, e.svc, "Acme")
		ctx := o.Ctx("auditor")
		f, err := e.svc.AddFinding(ctx, service.FindingInput{Title: "Backups not tested", Grade: "major-nc", Control: "8.13"})
		ok(t, err)
		exec := func(q string, args ...any) {
			t.Helper()
			_, err := e.db.W.ExecContext(context.Background(), q, args...)
			ok(t, err)
		}
		exec(`INSERT INTO corrective_actions (id, org_id, ref, finding_id, title, status, created_at, updated_at)
			VALUES ('ca1', $1, 'CA-001', $2, 'Test restores monthly', 'open', '2026-01-01T00:00:00.000000Z', '2026-01-01T00:00:00.000000Z')`,
			orgID(o), f.ID)
		_, err = e.svc.PatchFinding(ctx, f.Ref, service.FindingInput{Status: "closed", Version: 1, Sent: service.SentOf("status")})
		wantKind(t, err, isms.KindInvalid, "closing with an open corrective action")
		exec(`UPDATE corrective_actions SET status = 'closed' WHERE id = 'ca1'`)
		f, err = e.svc.PatchFinding(ctx, f.Ref, service.FindingInput{Status: "closed", Version: 1, Sent: service.SentOf("status")})
		ok(t, err)
		if f.Status != "closed" || f.Title != "Backups not tested" {
			t.Fatalf("closed: %+v", f)
		}
		obs, err := e.svc.AddFinding(ctx, service.FindingInput{Title: "Log retention undocumented", Grade: "observation", Clause: "7.5.3"})
		ok(t, err)
		obs, err = e.svc.PatchFinding(ctx, obs.Ref, service.FindingInput{Status: "closed", Version: 1, Sent: service.SentOf("status")})
		ok(t, err)
		if obs.Status != "closed" || obs.Clause != "7.5.3" {
			t.Fatalf("observation closed: %+v", obs)
		}
	})
}
