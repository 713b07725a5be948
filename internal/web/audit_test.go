package web_test

import (
	"encoding/csv"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"

	"github.com/praxis-isms/praxis/internal/service"
)

func TestAuditTrailPage(t *testing.T) {
	srv, _, c := startOrg(t, "owner", "auditor")
	owner := c["owner"]
	// A change through the web UI, on top of the member changes NewOrg made through the service.
	if a := post(t, srv, owner, "/people", person("Ada Lovelace", "", "Analyst", "", "")); a.Status != http.StatusSeeOther {
		t.Fatalf("add person: status %d\n%s", a.Status, a.Body)
	}
	if a := post(t, srv, owner, "/people/P-001", url.Values{"name": {"Ada King"}, "version": {"1"}}); a.Status != http.StatusSeeOther {
		t.Fatalf("edit person: status %d\n%s", a.Status, a.Body)
	}

	a := get(t, srv, owner, "/audit")
	expect(t, "audit trail", a, http.StatusOK,
		"<td>owner@acme.example</td>", "<td>web</td>", "<td>update</td>", "<td>person</td>", `<td class="nowrap">P-001</td>`, "<td>member</td>",
		`<option value="person">person</option>`, `<option value="owner@acme.example">owner@acme.example</option>`,
		"<details>", "<h3>Before</h3>", "&#34;name&#34;: &#34;Ada Lovelace&#34;", "&#34;name&#34;: &#34;Ada King&#34;",
		`href="/audit/export.csv"`)
	// Newest first: the edit comes before the creation, which comes before the members.
	upd, crt, mem := strings.Index(a.Body, "<td>update</td>"), strings.Index(a.Body, "<td>create</td>"), strings.Index(a.Body, "<td>member</td>")
	if !(upd < crt && crt < mem) {
		t.Fatalf("not newest first: update at %d, create at %d, member at %d", upd, crt, mem)
	}

	a = get(t, srv, c["auditor"], "/audit?entity=person")
	expect(t, "filter by entity", a, http.StatusOK, "<td>person</td>", "<td>create</td>", "<td>update</td>",
		`<option value="person" selected>`, `href="/audit/export.csv?entity=person"`, "the 2 events that match the filter")
	refuse(t, "filter by entity", a, "<td>member</td>")

	a = get(t, srv, owner, "/audit?entity=person&action=update&actor=owner%40acme.example&ref=P-001&from=2026-03-02&to=2026-03-02")
	expect(t, "all filters", a, http.StatusOK, "<td>update</td>", `value="P-001"`, `value="2026-03-02"`,
		`href="/audit/export.csv?action=update&amp;actor=owner%40acme.example&amp;entity=person&amp;from=2026-03-02&amp;ref=P-001&amp;to=2026-03-02"`)
	refuse(t, "all filters", a, "<td>create</td>")

	a = get(t, srv, owner, "/audit?from=2026-03-03")
	expect(t, "after today", a, http.StatusOK, "No events match the filter.")
	a = get(t, srv, owner, "/audit?to=2026-03-01")
	expect(t, "before today", a, http.StatusOK, "No events match the filter.")

	a = get(t, srv, owner, "/audit?from=yesterday&entity=person")
	expect(t, "bad date", a, http.StatusUnprocessableEntity, "must be a date as YYYY-MM-DD", `value="yesterday"`, `<option value="person" selected>`)
	refuse(t, "bad date", a, "<td>person</td>", "export.csv")
	a = get(t, srv, owner, "/audit?from=2026-03-05&to=2026-03-01")
	expect(t, "dates reversed", a, http.StatusUnprocessableEntity, "must not be before the from date")

	a = get(t, srv, owner, "/audit?limit=2")
	expect(t, "paging", a, http.StatusOK, `rel="next"`, "1–2 of")
}

func TestAuditExportCSV(t *testing.T) {
	srv, org, c := startOrg(t, "owner", "auditor")
	if _, err := srv.Svc.AddPerson(org.Ctx("editor"), service.PersonInput{Name: "Ada Lovelace"}); err != nil {
		t.Fatal(err)
	}
	for _, role := range []string{"owner", "auditor"} {
		a := get(t, srv, c[role], "/audit/export.csv?entity=person")
		if a.Status != http.StatusOK {
			t.Fatalf("%s exports: status %d\n%s", role, a.Status, a.Body)
		}
		if ct := a.Header.Get("Content-Type"); !strings.HasPrefix(ct, "text/csv") {
			t.Errorf("Content-Type %q", ct)
		}
		if cd := a.Header.Get("Content-Disposition"); !strings.HasPrefix(cd, "attachment;") || !strings.Contains(cd, `.csv"`) {
			t.Errorf("Content-Disposition %q", cd)
		}
		body, ok := strings.CutPrefix(a.Body, "\ufeff")
		if !ok {
			t.Fatalf("no UTF-8 BOM: %q", a.Body[:min(20, len(a.Body))])
		}
		rows, err := csv.NewReader(strings.NewReader(body)).ReadAll()
		if err != nil {
			t.Fatal(err)
		}
		if len(rows) != 2 || !slices.Equal(rows[0], service.AuditCSVHeader) {
			t.Fatalf("rows: %q", rows)
		}
		ev := map[string]string{}
		for i, h := range rows[0] {
			ev[h] = rows[1][i]
		}
		if ev["entity"] != "person" || ev["action"] != "create" || ev["actor"] != "editor@acme.example" || ev["ref"] != "P-001" || ev["hash"] == "" {
			t.Fatalf("event row: %v", ev)
		}
	}

	a := get(t, srv, c["owner"], "/audit/export.csv")
	rows, err := csv.NewReader(strings.NewReader(strings.TrimPrefix(a.Body, "\ufeff"))).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) < 7 || rows[1][0] != "1" { // the members NewOrg added, then the person; oldest first
		t.Fatalf("unfiltered export: %d rows, first %q", len(rows), rows[1])
	}

	a = get(t, srv, c["owner"], "/audit/export.csv?to=soon")
	expect(t, "export with a bad date", a, http.StatusUnprocessableEntity, "must be a date")
	if ct := a.Header.Get("Content-Type"); !strings.HasPrefix(ct, "text/html") {
		t.Errorf("bad export answered %q", ct)
	}
}

func TestAuditTrailRoles(t *testing.T) {
	srv, _, c := startOrg(t, "editor", "viewer")
	for _, role := range []string{"editor", "viewer"} {
		for _, path := range []string{"/audit", "/audit/export.csv", "/audit/export.csv?entity=member"} {
			a := get(t, srv, c[role], path)
			expect(t, role+" GET "+path, a, http.StatusForbidden, "<h1>Not allowed</h1>")
			if ct := a.Header.Get("Content-Type"); !strings.HasPrefix(ct, "text/html") {
				t.Errorf("%s GET %s: Content-Type %q", role, path, ct)
			}
			if cd := a.Header.Get("Content-Disposition"); cd != "" {
				t.Errorf("%s GET %s: Content-Disposition %q", role, path, cd)
			}
			refuse(t, role+" GET "+path, a, "seq,at,actor", "owner@acme.example</td>")
		}
		refuse(t, role+" dashboard", get(t, srv, c[role], "/"), `href="/audit"`)
	}
}
