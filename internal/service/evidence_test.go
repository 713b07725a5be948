package service_test

import (
	"bytes"
	"context"
	"errors"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/praxis-isms/praxis/internal/blob"
	"github.com/praxis-isms/praxis/internal/isms"
	"github.com/praxis-isms/praxis/internal/service"
	"github.com/praxis-isms/praxis/internal/sqldb"
	"github.com/praxis-isms/praxis/internal/testutil"
)

const sastReport = "SAST report for the payments service\nfindings: 0 high, 2 medium\n"

func upload(t *testing.T, svc *service.Service, ctx context.Context, in service.EvidenceInput, name, content string) isms.Evidence {
	t.Helper()
	ev, err := svc.AddEvidenceFile(ctx, in, service.EvidenceFile{Name: name, Body: strings.NewReader(content)})
	if err != nil {
		t.Fatal(err)
	}
	return ev
}

// blobCount counts the stored files of e's engine: the folder's files on SQLite, the table's rows on PostgreSQL.
func blobCount(t *testing.T, e *env) int {
	t.Helper()
	if e.db.Engine == sqldb.Postgres {
		var n int
		if err := e.db.R.QueryRow("SELECT COUNT(*) FROM blobs").Scan(&n); err != nil {
			t.Fatal(err)
		}
		return n
	}
	n := 0
	filepath.WalkDir(e.blobDir, func(_ string, d os.DirEntry, err error) error { //nolint:errcheck
		if err == nil && !d.IsDir() {
			n++
		}
		return nil
	})
	return n
}

func readEvidenceFile(t *testing.T, svc *service.Service, ctx context.Context, ref string) (string, error) {
	t.Helper()
	_, rc, err := svc.OpenEvidenceFile(ctx, ref)
	if err != nil {
		return "", err
	}
	defer rc.Close()
	b, err := io.ReadAll(rc)
	return string(b), err
}

func TestEvidenceFileUploadListAndDownload(t *testing.T) {
	eachEditor(t, func(t *testing.T, e *env, o testutil.Org, ctx context.Context) {
		ev := upload(t, e.svc, ctx, service.EvidenceInput{Controls: []string{"A.8.28"}, ValidUntil: "2027-06-30"}, `C:\scans\sast.txt`, sastReport)
		if ev.Ref != "E-001" || ev.Kind != "file" || ev.Title != "sast.txt" || ev.Filename != "sast.txt" || ev.Size != len(sastReport) ||
			!strings.HasPrefix(ev.MediaType, "text/plain") || !blob.ValidSHA256(ev.SHA256) || ev.CollectedAt != "2026-03-02" ||
			!slices.Equal(ev.Controls, []string{"8.28"}) || ev.Status != "current" {
			t.Fatalf("uploaded: %+v", ev)
		}
		// The same bytes again are a second record over one stored file.
		again := upload(t, e.svc, ctx, service.EvidenceInput{Title: "SAST again"}, "sast.txt", sastReport)
		if again.SHA256 != ev.SHA256 || blobCount(t, e) != 1 {
			t.Fatalf("same content: %s vs %s, %d files", again.SHA256, ev.SHA256, blobCount(t, e))
		}
		got, err := readEvidenceFile(t, e.svc, o.Ctx("viewer"), "E-001")
		if err != nil || got != sastReport {
			t.Fatalf("download = %q, %v", got, err)
		}
		// The control's work page lists what shows it at work.
		l, err := e.svc.EvidenceFor(ctx, "8.28", service.Page{})
		ok(t, err)
		if l.Total != 1 || l.Items[0].Ref != "E-001" || l.Items[0].SHA256 != ev.SHA256 {
			t.Fatalf("evidence for 8.28: %+v", l)
		}
		if evs := events(t, e, o, "evidence"); len(evs) != 2 || evs[0].Action != "create" || !strings.Contains(string(evs[0].After), ev.SHA256) {
			t.Fatalf("trail: %+v", evs)
		}
	})
}

func TestEvidenceLinksNotesAndRules(t *testing.T) {
	eachEditor(t, func(t *testing.T, e *env, o testutil.Org, ctx context.Context) {
		link, err := e.svc.AddEvidence(ctx, service.EvidenceInput{Title: "Access review ticket", URL: "https://tickets.example/ISMS-42",
			Controls: []string{"5.18"}, Clauses: []string{"9.2"}})
		ok(t, err)
		if link.Kind != "link" || !slices.Equal(link.Clauses, []string{"9.2"}) {
			t.Fatalf("link: %+v", link)
		}
		note, err := e.svc.AddEvidence(ctx, service.EvidenceInput{Title: "Restore test", Description: "Restored the HR database on 1 March"})
		ok(t, err)
		if note.Kind != "note" || note.Ref != "E-002" {
			t.Fatalf("note: %+v", note)
		}
		// Without a title a note is named by its first line, a link by its address.
		untitled, err := e.svc.AddEvidence(ctx, service.EvidenceInput{Description: "Walked the server room\nAll racks locked"})
		ok(t, err)
		bare, err := e.svc.AddEvidence(ctx, service.EvidenceInput{URL: "https://wiki.example/backups"})
		ok(t, err)
		if untitled.Title != "Walked the server room" || bare.Title != "https://wiki.example/backups" {
			t.Fatalf("default titles: %q, %q", untitled.Title, bare.Title)
		}
		for name, in := range map[string]service.EvidenceInput{
			"url":          {Title: "x", Kind: "link", URL: "javascript:alert(1)"},
			"title":        {Title: strings.Repeat("t", 201), Description: "text"},
			"description":  {Title: "empty note", Kind: "note"},
			"kind":         {Title: "f", Kind: "file"},
			"valid_until":  {Title: "n", Description: "d", CollectedAt: "2026-03-01", ValidUntil: "2026-02-01"},
			"controls":     {Title: "n", Description: "d", Controls: []string{"9.99"}},
			"clauses":      {Title: "n", Description: "d", Clauses: []string{"11.1"}},
			"tasks":        {Title: "n", Description: "d", Tasks: []string{"T-404"}},
			"collected_at": {Title: "n", Description: "d", CollectedAt: "1 March"},
		} {
			_, err := e.svc.AddEvidence(ctx, in)
			wantKind(t, err, isms.KindInvalid, name)
			if fe, _ := isms.AsError(err); !slices.ContainsFunc(fe.Fields, func(f isms.FieldError) bool { return f.Field == name }) {
				t.Errorf("%s: problems %+v name no %s", name, fe.Fields, name)
			}
		}
		// The kind never changes; a stale version is a conflict.
		_, err = e.svc.PatchEvidence(ctx, "E-001", service.EvidenceInput{Kind: "note", Version: 1, Sent: service.Sent{"kind": true}})
		wantKind(t, err, isms.KindInvalid, "kind change")
		p, err := e.svc.PatchEvidence(ctx, "E-001", service.EvidenceInput{ValidUntil: "2026-03-20", Version: 1, Sent: service.Sent{"valid_until": true}})
		ok(t, err)
		if p.Status != "expiring" || p.URL != link.URL || !slices.Equal(p.Controls, []string{"5.18"}) {
			t.Fatalf("patched: %+v", p)
		}
		_, err = e.svc.PatchEvidence(ctx, "E-001", service.EvidenceInput{Title: "x", Version: 1, Sent: service.Sent{"title": true}})
		wantKind(t, err, isms.KindConflict, "stale version")
		if n := len(events(t, e, o, "evidence")); n != 5 {
			t.Fatalf("%d evidence events, want 5 (four adds, one change)", n)
		}
	})
}

// isms.EvidenceStatus and the store's status filter agree on every day around the edges.
func TestEvidenceStatusRuleAndFilterAgree(t *testing.T) {
	eachEditor(t, func(t *testing.T, e *env, o testutil.Org, ctx context.Context) {
		today := "2026-03-02" // the test clock
		for _, until := range []string{"", "2026-03-01", "2026-03-02", "2026-04-01", "2026-04-02", "2027-01-01"} {
			_, err := e.svc.AddEvidence(ctx, service.EvidenceInput{Title: "until " + until, Description: "d", CollectedAt: "2026-01-01", ValidUntil: until})
			ok(t, err)
		}
		all, err := e.svc.ListEvidence(ctx, service.EvidenceFilter{}, service.Page{})
		ok(t, err)
		for _, status := range isms.EvidenceStatuses {
			l, err := e.svc.ListEvidence(ctx, service.EvidenceFilter{Status: status}, service.Page{})
			ok(t, err)
			var want []string
			for _, ev := range all.Items {
				if isms.EvidenceStatus(ev.ValidUntil, today) == status {
					want = append(want, ev.Ref)
				}
			}
			var got []string
			for _, ev := range l.Items {
				got = append(got, ev.Ref)
				if ev.Status != status {
					t.Errorf("%s listed as %s under filter %s", ev.Ref, ev.Status, status)
				}
			}
			if !slices.Equal(got, want) || len(want) == 0 {
				t.Errorf("status %s: filter %v, rule %v", status, got, want)
			}
		}
		_, err = e.svc.ListEvidence(ctx, service.EvidenceFilter{Status: "stale"}, service.Page{})
		wantKind(t, err, isms.KindInvalid, "unknown status")
	})
}

// failingReader gives some bytes, then fails: an upload cut off half-way.
type failingReader struct{ n int }

func (f *failingReader) Read(p []byte) (int, error) {
	if f.n++; f.n > 3 {
		return 0, errors.New("client went away")
	}
	return copy(p, bytes.Repeat([]byte("z"), 4096)), nil
}

func TestEvidenceUploadFailuresLeaveNothing(t *testing.T) {
	eachEngine(t, func(t *testing.T, e *env) {
		o := testutil.NewOrg(t, e.svc, "Acme")
		ctx := o.Ctx("editor")
		_, err := e.svc.AddEvidenceFile(ctx, service.EvidenceInput{}, service.EvidenceFile{Name: "cut.bin", Body: &failingReader{}})
		if err == nil || !strings.Contains(err.Error(), "client went away") {
			t.Fatalf("interrupted upload = %v", err)
		}
		small := testutil.NewServiceWith(t, e.db, service.Config{Now: e.clock.Now, BlobDir: e.blobDir, MaxUpload: 10})
		_, err = small.AddEvidenceFile(ctx, service.EvidenceInput{}, service.EvidenceFile{Name: "big.txt", Body: strings.NewReader("eleven byte")})
		wantKind(t, err, isms.KindInvalid, "too large")
		if !strings.Contains(err.(*isms.Error).Fields[0].Message, "10 bytes") {
			t.Fatalf("too large: %v", err)
		}
		// A record refused after the upload (an unknown control) takes its file with it.
		_, err = e.svc.AddEvidenceFile(ctx, service.EvidenceInput{Controls: []string{"8.99"}}, service.EvidenceFile{Name: "a.txt", Body: strings.NewReader("abc")})
		wantKind(t, err, isms.KindInvalid, "unknown control")
		// A viewer's upload is refused before anything is read.
		body := &failingReader{}
		_, err = e.svc.AddEvidenceFile(o.Ctx("viewer"), service.EvidenceInput{}, service.EvidenceFile{Name: "v.txt", Body: body})
		wantKind(t, err, isms.KindForbidden, "viewer upload")
		if body.n != 0 || blobCount(t, e) != 0 {
			t.Fatalf("after refused uploads: %d reads, %d files", body.n, blobCount(t, e))
		}
		if l, _ := e.svc.ListEvidence(ctx, service.EvidenceFilter{}, service.Page{}); l.Total != 0 || len(events(t, e, o, "evidence")) != 0 {
			t.Fatalf("after refused uploads: %d rows", l.Total)
		}
	})
}

// tamper changes the stored bytes of sha behind the service's back.
func tamper(t *testing.T, e *env, sha string) {
	t.Helper()
	if e.db.Engine == sqldb.Postgres {
		if _, err := e.db.W.Exec("UPDATE blobs SET content = $1 WHERE sha256 = $2", []byte("tampered"), sha); err != nil {
			t.Fatal(err)
		}
		return
	}
	if err := os.WriteFile(filepath.Join(e.blobDir, blob.Path(sha)), []byte("tampered"), 0o600); err != nil {
		t.Fatal(err)
	}
}

func TestEvidenceDownloadRefusesAlteredFile(t *testing.T) {
	eachEditor(t, func(t *testing.T, e *env, o testutil.Org, ctx context.Context) {
		ev := upload(t, e.svc, ctx, service.EvidenceInput{}, "restore.txt", "restore test passed")
		tamper(t, e, ev.SHA256)
		_, err := readEvidenceFile(t, e.svc, ctx, ev.Ref)
		wantKind(t, err, isms.KindConflict, "altered file")
		if !strings.Contains(err.Error(), "no longer matches its SHA-256") {
			t.Fatalf("altered file: %v", err)
		}
		note, err := e.svc.AddEvidence(ctx, service.EvidenceInput{Title: "n", Description: "d"})
		ok(t, err)
		_, err = readEvidenceFile(t, e.svc, ctx, note.Ref)
		wantKind(t, err, isms.KindNotFound, "a note's file")
	})
}

func TestEvidenceStaysInItsOrganisation(t *testing.T) {
	eachEngine(t, func(t *testing.T, e *env) {
		a, b := testutil.NewOrg(t, e.svc, "Acme"), testutil.NewOrg(t, e.svc, "Bravo")
		ev := upload(t, e.svc, a.Ctx("editor"), service.EvidenceInput{}, "secret.txt", "acme secret")
		_, err := readEvidenceFile(t, e.svc, b.Ctx("owner"), ev.Ref)
		wantKind(t, err, isms.KindNotFound, "other organisation's file")
		_, err = e.svc.Evidence(b.Ctx("owner"), ev.ID)
		wantKind(t, err, isms.KindNotFound, "other organisation's evidence by id")
		// Bravo uploads the same bytes; Acme deleting its record keeps the file Bravo still names.
		upload(t, e.svc, b.Ctx("editor"), service.EvidenceInput{}, "copy.txt", "acme secret")
		ok(t, e.svc.DeleteEvidence(a.Ctx("editor"), ev.Ref))
		if got, err := readEvidenceFile(t, e.svc, b.Ctx("viewer"), "E-001"); err != nil || got != "acme secret" {
			t.Fatalf("Bravo's copy after Acme's delete = %q, %v", got, err)
		}
		ok(t, e.svc.DeleteEvidence(b.Ctx("editor"), "E-001"))
		if n := blobCount(t, e); n != 0 {
			t.Fatalf("%d files left after every record went", n)
		}
	})
}

// Auditors add evidence and change or remove only their own; viewers do neither.
func TestEvidenceRoles(t *testing.T) {
	eachEditor(t, func(t *testing.T, e *env, o testutil.Org, ctx context.Context) {
		mine, err := e.svc.AddEvidence(o.Ctx("auditor"), service.EvidenceInput{Title: "Interview notes", Description: "Asked about backups"})
		ok(t, err)
		theirs, err := e.svc.AddEvidence(ctx, service.EvidenceInput{Title: "Policy link", URL: "https://intranet.example/policy"})
		ok(t, err)
		_, err = e.svc.PatchEvidence(o.Ctx("auditor"), mine.Ref, service.EvidenceInput{Title: "Interview notes, 2 March", Version: 1, Sent: service.Sent{"title": true}})
		ok(t, err)
		_, err = e.svc.PatchEvidence(o.Ctx("auditor"), theirs.Ref, service.EvidenceInput{Title: "x", Version: 1, Sent: service.Sent{"title": true}})
		wantKind(t, err, isms.KindForbidden, "auditor changes an editor's evidence")
		wantKind(t, e.svc.DeleteEvidence(o.Ctx("auditor"), theirs.Ref), isms.KindForbidden, "auditor deletes an editor's evidence")
		_, err = e.svc.AddEvidence(o.Ctx("viewer"), service.EvidenceInput{Title: "v", Description: "d"})
		wantKind(t, err, isms.KindForbidden, "viewer adds")
		ok(t, e.svc.DeleteEvidence(o.Ctx("auditor"), mine.Ref))
		_, err = e.svc.PatchEvidence(ctx, theirs.Ref, service.EvidenceInput{Title: "Policy (intranet)", Version: 1, Sent: service.Sent{"title": true}})
		ok(t, err)
	})
}

// orgIDOf is the id of the organisation o.
func orgIDOf(o testutil.Org) string { return o.Actors["owner"].OrgID }

// Delete is refused while a task, a training record, an audit or a finding refers to the evidence, naming it.
func TestEvidenceDeleteRefusedWhileReferred(t *testing.T) {
	eachEditor(t, func(t *testing.T, e *env, o testutil.Org, ctx context.Context) {
		org := orgIDOf(o)
		exec := func(q string, args ...any) {
			t.Helper()
			if _, err := e.db.W.Exec(q, args...); err != nil {
				t.Fatal(err)
			}
		}
		now := "2026-03-02T09:00:00.000000000Z"
		exec("INSERT INTO tasks (id, org_id, ref, title, status, created_at, updated_at) VALUES ('t1', $1, 'T-001', 'Run SAST', 'open', $2, $2)", org, now)
		ev, err := e.svc.AddEvidence(ctx, service.EvidenceInput{Title: "SAST run", Description: "ran", Tasks: []string{"t-001"}})
		ok(t, err)
		if !slices.Equal(ev.Tasks, []string{"T-001"}) {
			t.Fatalf("tasks: %v", ev.Tasks)
		}
		if l, _ := e.svc.ListEvidence(ctx, service.EvidenceFilter{Task: "T-001"}, service.Page{}); l.Total != 1 {
			t.Fatalf("task filter: %d", l.Total)
		}
		err = e.svc.DeleteEvidence(ctx, ev.Ref)
		wantKind(t, err, isms.KindConflict, "delete with a task")
		if !strings.Contains(err.Error(), "task T-001") {
			t.Fatalf("delete with a task: %v", err)
		}
		_, err = e.svc.PatchEvidence(ctx, ev.Ref, service.EvidenceInput{Tasks: []string{}, Version: 1, Sent: service.Sent{"tasks": true}})
		ok(t, err)
		exec("INSERT INTO findings (id, org_id, ref, title, grade, evidence_seen, raised_on, created_at, updated_at) VALUES ('f1', $1, 'F-001', 'Gap', 'minor-nc', 'E-0010 and E-001 reviewed', '2026-03-02', $2, $2)", org, now)
		exec("INSERT INTO findings (id, org_id, ref, title, grade, evidence_seen, raised_on, created_at, updated_at) VALUES ('f2', $1, 'F-002', 'Other', 'ofi', 'E-0011', '2026-03-02', $2, $2)", org, now)
		err = e.svc.DeleteEvidence(ctx, ev.Ref)
		wantKind(t, err, isms.KindConflict, "delete with a finding")
		if !strings.Contains(err.Error(), "finding F-001") || strings.Contains(err.Error(), "F-002") {
			t.Fatalf("delete with a finding: %v", err)
		}
		exec("DELETE FROM findings")
		ok(t, e.svc.DeleteEvidence(ctx, ev.Ref))
		var n int
		if err := e.db.R.QueryRow("SELECT COUNT(*) FROM evidence_tasks").Scan(&n); err != nil || n != 0 {
			t.Fatalf("links left: %d, %v", n, err)
		}
	})
}

// A list page reads the links of all its rows with one query, not one per row.
func TestEvidenceListQueriesDoNotGrowWithRows(t *testing.T) {
	eachEditor(t, func(t *testing.T, e *env, o testutil.Org, ctx context.Context) {
		svc := e.svc
		count := func() int64 {
			before := svc.Store().Statements()
			_, err := svc.ListEvidence(ctx, service.EvidenceFilter{}, service.Page{})
			ok(t, err)
			return svc.Store().Statements() - before
		}
		_, err := svc.AddEvidence(ctx, service.EvidenceInput{Title: "one", Description: "d", Controls: []string{"5.1"}})
		ok(t, err)
		one := count()
		for i := 0; i < 5; i++ {
			_, err := svc.AddEvidence(ctx, service.EvidenceInput{Title: "more", Description: "d", Controls: []string{"5.1", "8.28"}, Clauses: []string{"9.2"}})
			ok(t, err)
		}
		if six := count(); six != one {
			t.Fatalf("listing 1 row took %d statements, 6 rows %d", one, six)
		}
	})
}

// An approved SoA version records the evidence of each control; that evidence cannot be deleted from under it.
func TestEvidenceInApprovedSoA(t *testing.T) {
	eachEditor(t, func(t *testing.T, e *env, o testutil.Org, ctx context.Context) {
		ev := upload(t, e.svc, ctx, service.EvidenceInput{Controls: []string{"5.1", "8.28"}}, "policy-signoff.txt", "signed")
		other, err := e.svc.AddEvidence(ctx, service.EvidenceInput{Title: "Draft", Description: "not yet", Controls: []string{"5.2"}})
		ok(t, err)
		decideAll(t, e, ctx)
		_, err = e.svc.ApproveSoA(o.Ctx("owner"), "first")
		ok(t, err)
		v, err := e.svc.SoAVersion(ctx, 1)
		ok(t, err)
		for _, entry := range v.Entries {
			want := map[string][]string{"5.1": {ev.Ref}, "8.28": {ev.Ref}, "5.2": {other.Ref}}[entry.Control]
			if !slices.Equal(entry.Evidence, want) {
				t.Errorf("version 1, %s: evidence %v, want %v", entry.Control, entry.Evidence, want)
			}
		}
		err = e.svc.DeleteEvidence(ctx, ev.Ref)
		wantKind(t, err, isms.KindConflict, "delete evidence an approved SoA lists")
		if !strings.Contains(err.Error(), "approved SoA version 1") {
			t.Fatalf("delete: %v", err)
		}
	})
}
