package service_test

import (
	"archive/zip"
	"bytes"
	"context"
	"encoding/csv"
	"errors"
	"io"
	"strings"
	"testing"

	"github.com/praxis-isms/praxis/internal/export/auditorpack"
	"github.com/praxis-isms/praxis/internal/isms"
	"github.com/praxis-isms/praxis/internal/service"
	"github.com/praxis-isms/praxis/internal/testutil"
)

// openPack checks a pack as an auditor would (auditorpack.Check) and returns its files' contents by path.
func openPack(t *testing.T, b []byte) (map[string][]byte, auditorpack.Manifest) {
	t.Helper()
	zr, err := zip.NewReader(bytes.NewReader(b), int64(len(b)))
	ok(t, err)
	m, err := auditorpack.Check(zr)
	ok(t, err)
	files := map[string][]byte{}
	for _, f := range zr.File {
		rc, err := f.Open()
		ok(t, err)
		files[f.Name], err = io.ReadAll(rc)
		ok(t, err)
	}
	return files, m
}

// The sample's pack holds every part, each listed in the manifest with its hash, and with --files every
// evidence file under the hash the evidence index gives it.
func TestAuditorPackOfTheSample(t *testing.T) {
	eachDemoParallel(t, func(t *testing.T, e *env) {
		a, err := e.svc.OperatorActor(context.Background(), service.DemoOrgSlug, "")
		ok(t, err)
		ctx := service.WithActor(context.Background(), a)
		var buf bytes.Buffer
		res, err := e.svc.BuildAuditorPack(ctx, service.AuditorPackOptions{Files: true}, &buf)
		ok(t, err)
		files, m := openPack(t, buf.Bytes())
		if len(res.Missing) != 0 || len(m.Missing) != 0 {
			t.Errorf("the sample's pack misses %+v", res.Missing)
		}
		if res.Files != len(files) {
			t.Errorf("result counts %d files, the zip holds %d", res.Files, len(files))
		}
		for _, prefix := range []string{"01-statement-of-applicability-v", "02-isms-scope-v", "03-risk-register.xlsx", "03-risk-register.pdf",
			"04-risk-treatment-plan.xlsx", "04-risk-treatment-plan.pdf", "05-documents/DOC-", "06-evidence-index.csv", "06-evidence-index.xlsx",
			"evidence/E-", "07-internal-audit-report-", "08-management-review-minutes-", "09-lint-report.json", "09-lint-report.pdf",
			"10-audit-trail-last-12-months.csv", "10-audit-trail-chain-check.txt"} {
			found := false
			for name, body := range files {
				if strings.HasPrefix(name, prefix) {
					found = true
					if strings.HasSuffix(name, ".pdf") && !bytes.HasPrefix(body, []byte("%PDF")) {
						t.Errorf("%s is not a PDF", name)
					}
				}
			}
			if !found {
				t.Errorf("no %s* in the pack", prefix)
			}
		}
		if !bytes.Contains(files["10-audit-trail-chain-check.txt"], []byte("Result:         intact")) {
			t.Errorf("chain check:\n%s", files["10-audit-trail-chain-check.txt"])
		}
		// Every file of the evidence index is in evidence/ with the SHA-256 the index gives it, and nothing else is.
		rows, err := csv.NewReader(bytes.NewReader(files["06-evidence-index.csv"])).ReadAll()
		ok(t, err)
		hashOf := map[string]string{}
		for _, f := range m.Files {
			hashOf[f.Path] = f.SHA256
		}
		inIndex := 0
		for _, r := range rows[1:] {
			if r[2] != "file" {
				continue
			}
			inIndex++
			name := "evidence/" + r[0] + "-" + auditorpack.FileName(r[8])
			if hashOf[name] != r[10] {
				t.Errorf("%s: SHA-256 %q in the pack, %q in the index", name, hashOf[name], r[10])
			}
		}
		inPack := 0
		for name := range files {
			if strings.HasPrefix(name, "evidence/") {
				inPack++
			}
		}
		if inIndex == 0 || inPack != inIndex {
			t.Errorf("%d evidence files in the pack, %d in the index", inPack, inIndex)
		}
		// The building is in the audit trail with the hash of MANIFEST.txt.
		events := trail(t, e, a.OrgID)
		last := events[len(events)-1]
		if last.Action != "export" || last.Entity != "auditor pack" || !strings.Contains(string(last.After), res.ManifestSHA256) {
			t.Errorf("last event = %s %s %s", last.Action, last.Entity, last.After)
		}

		// Without files: the same parts, no evidence folder.
		buf.Reset()
		_, err = e.svc.BuildAuditorPack(ctx, service.AuditorPackOptions{}, &buf)
		ok(t, err)
		files, _ = openPack(t, buf.Bytes())
		for name := range files {
			if strings.HasPrefix(name, "evidence/") {
				t.Fatalf("%s in a pack without files", name)
			}
		}
	})
}

// A new organisation's pack builds, and its README says what is missing and why.
func TestAuditorPackOfANewOrganisation(t *testing.T) {
	eachEngine(t, func(t *testing.T, e *env) {
		o := testutil.NewOrg(t, e.svc, "Empty Co")
		var buf bytes.Buffer
		res, err := e.svc.BuildAuditorPack(o.Ctx("owner"), service.AuditorPackOptions{Files: true}, &buf)
		ok(t, err)
		files, m := openPack(t, buf.Bytes())
		var missing []string
		for _, g := range res.Missing {
			missing = append(missing, g.What)
		}
		if strings.Join(missing, "; ") != "Statement of Applicability; ISMS scope; Policies and documents; Internal audit report; Management review minutes" ||
			len(m.Missing) != len(res.Missing) {
			t.Fatalf("missing = %v", missing)
		}
		readme := string(files["README.txt"])
		for _, want := range []string{"Empty Co", "Statement of Applicability: no version of the SoA has been approved yet",
			"Internal audit report: no internal audit has been completed yet", "sha256sum -c MANIFEST.txt"} {
			if !strings.Contains(readme, want) {
				t.Errorf("README.txt lacks %q:\n%s", want, readme)
			}
		}
		if _, ok := files["03-risk-register.xlsx"]; !ok {
			t.Error("an empty register is still in the pack")
		}
	})
}

// Owners, admins, auditors and approvers may build a pack; editors and viewers may not, and get no byte.
func TestAuditorPackRoles(t *testing.T) {
	e := newEnv(t, testutil.Engines[0])
	o := testutil.NewOrg(t, e.svc, "Roles Co")
	for role, allowed := range map[string]bool{"owner": true, "admin": true, "auditor": true, "approver": true, "editor": false, "viewer": false} {
		var buf bytes.Buffer
		_, err := e.svc.BuildAuditorPack(o.Ctx(role), service.AuditorPackOptions{}, &buf)
		if allowed {
			ok(t, err)
			continue
		}
		wantKind(t, err, isms.KindForbidden, role)
		if buf.Len() > 0 {
			t.Errorf("%s: %d bytes written before the refusal", role, buf.Len())
		}
	}
	// Building a pack is recorded, so a read-only token may not.
	readOnly := o.Actors["auditor"]
	readOnly.ReadOnly = true
	_, err := e.svc.BuildAuditorPack(service.WithActor(context.Background(), readOnly), service.AuditorPackOptions{}, io.Discard)
	wantKind(t, err, isms.KindForbidden, "read-only token")
}

type failAfter struct{ n int }

var errFull = errors.New("disk full")

func (f *failAfter) Write(p []byte) (int, error) {
	if f.n -= len(p); f.n < 0 {
		return 0, errFull
	}
	return len(p), nil
}

// A write that fails mid-way returns the error, and no pack is recorded as built.
func TestAuditorPackInterrupted(t *testing.T) {
	e := newEnv(t, testutil.Engines[0])
	o := testutil.NewOrg(t, e.svc, "Broken Co")
	before := len(trail(t, e, o.Actors["owner"].OrgID))
	_, err := e.svc.BuildAuditorPack(o.Ctx("owner"), service.AuditorPackOptions{}, &failAfter{n: 30_000})
	if !errors.Is(err, errFull) {
		t.Fatalf("err = %v, want the writer's", err)
	}
	if after := len(trail(t, e, o.Actors["owner"].OrgID)); after != before {
		t.Errorf("%d events recorded for a pack never finished", after-before)
	}
}
