package web_test

import (
	"net/http"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/praxis-isms/praxis/internal/catalog"
)

var (
	rowIDs     = regexp.MustCompile(`<tr data-control="([0-9.]+)">`)
	mappingRow = regexp.MustCompile(`<tr id="(A\.[0-9.]+)" data-2013=`)
	barRect    = regexp.MustCompile(`<rect class="bar"[^>]*data-value="([a-z_]+)" data-count="([0-9]+)"`)
)

// listed returns the control ids of the result table, in order.
func listed(body string) []string {
	var ids []string
	for _, m := range rowIDs.FindAllStringSubmatch(body, -1) {
		ids = append(ids, m[1])
	}
	return ids
}

func ids(ctls []catalog.Control) []string {
	out := make([]string, len(ctls))
	for i, c := range ctls {
		out[i] = c.ID
	}
	return out
}

func TestCatalogList(t *testing.T) {
	srv, _, c := startOrg(t, "viewer")
	viewer := c["viewer"]
	cat := catalog.MustLoad()

	a := get(t, srv, viewer, "/catalog")
	expect(t, "catalog", a, http.StatusOK, "93 of 93 controls", `aria-current="page">Catalog</a>`,
		`href="/catalog/clauses"`, `href="/catalog/mapping"`, `href="/catalog/coverage"`,
		`<option value="information_security_event_management">information security event management</option>`)
	if got := listed(a.Body); len(got) != 93 || !slices.Equal(got, ids(cat.Controls())) {
		t.Fatalf("list shows %d controls, want the 93 in order: %v", len(got), got)
	}

	a = get(t, srv, viewer, "/catalog?theme=physical")
	expect(t, "theme=physical", a, http.StatusOK, "14 of 93 controls", `<option value="physical" selected>`)
	if got := listed(a.Body); len(got) != 14 || got[0] != "7.1" || got[13] != "7.14" {
		t.Errorf("theme=physical: %v", got)
	}

	a = get(t, srv, viewer, "/catalog?new=1")
	expect(t, "new=1", a, http.StatusOK, "11 of 93 controls", `name="new" type="checkbox" value="1" checked`)
	got := listed(a.Body)
	if len(got) != 11 {
		t.Fatalf("new=1: %d controls: %v", len(got), got)
	}
	if n := strings.Count(a.Body, `<span class="tag new">new in 2022</span>`); n != 11 {
		t.Errorf("new=1: %d new tags, want 11", n)
	}

	want, err := cat.Filter(catalog.Filter{Attrs: map[string][]string{"control_type": {"detective"}, "concepts": {"detect"}}})
	if err != nil || len(want) == 0 {
		t.Fatalf("catalog filter: %v, %d", err, len(want))
	}
	a = get(t, srv, viewer, "/catalog?control_type=detective&concepts=detect")
	expect(t, "attributes", a, http.StatusOK, strconv.Itoa(len(want))+" of 93 controls",
		`<option value="detective" selected>`, `<option value="detect" selected>`)
	if got := listed(a.Body); !slices.Equal(got, ids(want)) {
		t.Errorf("control_type=detective&concepts=detect: %v, want %v", got, ids(want))
	}
	// The theme counts keep the other filters: they add up to the whole result.
	sum := 0
	for _, m := range regexp.MustCompile(`<span class="count">([0-9]+)</span>`).FindAllStringSubmatch(a.Body, -1)[1:] {
		n, _ := strconv.Atoi(m[1])
		sum += n
	}
	if sum != len(want) {
		t.Errorf("theme counts add up to %d, want %d", sum, len(want))
	}

	a = get(t, srv, viewer, "/catalog?search=secure+coding")
	expect(t, "search", a, http.StatusOK, `value="secure coding"`)
	if got := listed(a.Body); !slices.Contains(got, "8.28") {
		t.Errorf("search secure coding: %v lacks 8.28", got)
	}
	a = get(t, srv, viewer, "/catalog?search=zzzqqq")
	expect(t, "search without match", a, http.StatusOK, "0 of 93 controls", "No control matches")

	// Spellings copied from ISO/IEC 27002 work too.
	a = get(t, srv, viewer, "/catalog?concepts=%23Detect&theme=Technological")
	if a.Status != http.StatusOK || len(listed(a.Body)) == 0 {
		t.Errorf("concepts=#Detect&theme=Technological: status %d, %d controls", a.Status, len(listed(a.Body)))
	}
}

func TestCatalogListBadFilter(t *testing.T) {
	srv, _, c := startOrg(t, "viewer")
	for _, tc := range []struct{ query, msg string }{
		{"theme=kitchen", `&#34;kitchen&#34; is not a theme`},
		{"concepts=dance", `&#34;dance&#34; is not a value of cybersecurity concepts`},
		{"new=maybe", `&#34;maybe&#34; is not yes or no`},
		{"control_type=preventive&domains=moon", `&#34;moon&#34; is not a value of security domains`},
	} {
		a := get(t, srv, c["viewer"], "/catalog?"+tc.query)
		expect(t, tc.query, a, http.StatusUnprocessableEntity, "The filter was not applied", tc.msg, `aria-invalid="true"`, "<h1>Annex A controls</h1>")
		if n := len(listed(a.Body)); n != 0 {
			t.Errorf("%s: %d controls listed despite the error", tc.query, n)
		}
	}
}

func TestCatalogControlPage(t *testing.T) {
	srv, _, c := startOrg(t, "viewer")
	viewer := c["viewer"]
	ctl, _ := catalog.MustLoad().Control("8.28")

	a := get(t, srv, viewer, "/catalog/controls/8.28")
	want := []string{`<span class="ctl-id">8.28</span> Secure coding <span class="tag new">new in 2022</span></h1>`, "<h2 id=\"purpose-h\">Purpose</h2>", "<ol class=\"steps\">",
		"Evidence an auditor asks for", ctl.Guidance.Owner, `href="/catalog?control_type=preventive"`,
		`href="/catalog?concepts=protect"`, `href="/catalog?capabilities=application_security">application security</a>`,
		`href="/catalog?domains=protection"`, `href="/catalog?properties=integrity"`,
		`href="/catalog/controls/8.25"`, "Where we use it", "Our Statement of Applicability", `<a href="/soa/8.28">`,
		`<span class="tag new">new in 2022</span>`, `href="/catalog/mapping#new"`}
	for _, s := range ctl.Guidance.Steps {
		want = append(want, "<li>"+strings.ReplaceAll(s, "'", "&#39;")+"</li>")
	}
	for _, f := range ctl.Guidance.Feeds {
		want = append(want, "<li>"+f+"</li>")
	}
	expect(t, "8.28", a, http.StatusOK, want...)
	if n := strings.Count(a.Body, "<li>"); n < len(ctl.Guidance.Steps)+len(ctl.Guidance.Evidence) {
		t.Errorf("8.28: only %d list items", n)
	}

	a = get(t, srv, viewer, "/catalog/controls/5.7")
	expect(t, "5.7", a, http.StatusOK, "Threat intelligence", `<span class="tag new">new in 2022</span>`, "New in 2022: no control of ISO/IEC 27001:2013 became it")

	// A kept control links the 2013 controls it replaces to their mapping entries.
	a = get(t, srv, viewer, "/catalog/controls/8.25")
	expect(t, "8.25", a, http.StatusOK, `href="/catalog/mapping#A.14.2.1">A.14.2.1</a>`)
	refuse(t, "8.25", a, `<span class="tag new">new in 2022</span></h1>`, "New in 2022: no control")

	// A title variant of ISO/IEC 27002 is shown.
	for _, x := range catalog.MustLoad().Controls() {
		if len(x.TitleVariants) > 0 {
			a = get(t, srv, viewer, "/catalog/controls/"+x.ID)
			expect(t, x.ID+" title variant", a, http.StatusOK, "ISO/IEC 27002:2022 titles it")
			break
		}
	}

	// "A.8.28" is the same control, at one address.
	a = get(t, srv, viewer, "/catalog/controls/A.8.28")
	if a.Status != http.StatusMovedPermanently || a.Header.Get("Location") != "/catalog/controls/8.28" {
		t.Errorf("A.8.28: status %d, Location %q", a.Status, a.Header.Get("Location"))
	}

	// A 2013 id says what it became.
	a = get(t, srv, viewer, "/catalog/controls/A.14.2.1")
	expect(t, "A.14.2.1", a, http.StatusOK, "Secure development policy", `href="/catalog/controls/8.25"`, "became", `href="/catalog/mapping#A.14.2.1"`)

	a = get(t, srv, viewer, "/catalog/controls/9.99")
	expect(t, "unknown control", a, http.StatusNotFound, "There is no Annex A control &#34;9.99&#34;")
}

func TestCatalogClauses(t *testing.T) {
	srv, _, c := startOrg(t, "viewer")
	viewer := c["viewer"]
	cat := catalog.MustLoad()

	a := get(t, srv, viewer, "/catalog/clauses")
	expect(t, "clauses", a, http.StatusOK, `href="/catalog/clauses/4"`, `href="/catalog/clauses/10.2"`, `href="/catalog/clauses/9.3.2"`)
	if n := strings.Count(a.Body, `class="clause-link"`); n != len(cat.Clauses()) {
		t.Errorf("clause tree lists %d clauses, want %d", n, len(cat.Clauses()))
	}
	if n := strings.Count(a.Body, `<ul class="clause-tree">`); n < 8 {
		t.Errorf("clause tree is not nested: %d lists", n)
	}

	cl, _ := cat.Clause("6.1.2")
	a = get(t, srv, viewer, "/catalog/clauses/6.1.2")
	expect(t, "6.1.2", a, http.StatusOK, "Information security risk assessment</h1>", htmlEscape(cl.Summary),
		"What auditors check", htmlEscape(cl.AuditorChecks[0]), "Information security risk assessment process",
		`href="/catalog/clauses/6.1"`, "Mandatory documents")

	a = get(t, srv, viewer, "/catalog/clauses/6")
	expect(t, "6", a, http.StatusOK, "Sub-clauses", `href="/catalog/clauses/6.1"`, `href="/catalog/clauses/6.2"`, "Its sub-clauses require")

	a = get(t, srv, viewer, "/catalog/clauses/11")
	expect(t, "unknown clause", a, http.StatusNotFound, "There is no clause")
}

func TestCatalogDocuments(t *testing.T) {
	srv, _, c := startOrg(t, "viewer")
	viewer := c["viewer"]
	docs := catalog.MustLoad().MandatoryDocuments()

	a := get(t, srv, viewer, "/catalog/documents")
	expect(t, "documents", a, http.StatusOK, "<h1>Mandatory documents</h1>", `href="/catalog/documents" aria-current="page">Mandatory documents</a>`,
		strconv.Itoa(len(docs))+" pieces of documented information")
	rows := regexp.MustCompile(`(?s)<tr data-clause="([0-9.]+)">(.*?)</tr>`).FindAllStringSubmatch(a.Body, -1)
	if len(rows) != len(docs) {
		t.Fatalf("the page lists %d documents, want %d", len(rows), len(docs))
	}
	for i, d := range docs {
		ref := "Clause " + d.Clause
		if d.Item != "" {
			ref += " " + d.Item + ")"
		}
		row := rows[i][2]
		for _, s := range []string{htmlEscape(d.Description), `<a href="/catalog/clauses/` + d.Clause + `">` + ref + `</a>`, htmlEscape(d.ClauseTitle), htmlEscape(d.Wording), htmlEscape(d.Note)} {
			if rows[i][1] != d.Clause || !strings.Contains(row, s) {
				t.Errorf("document %d (%s) row lacks %q: %s", i+1, d.Description, s, row)
			}
		}
	}
	// Every catalog page links to it, and each clause it names has a page.
	for _, p := range []string{"/catalog", "/catalog/clauses", "/catalog/clauses/6.1.3", "/catalog/mapping"} {
		expect(t, p, get(t, srv, viewer, p), http.StatusOK, `<a href="/catalog/documents" >Mandatory documents</a>`)
	}
	for _, d := range docs {
		expect(t, "clause "+d.Clause, get(t, srv, viewer, "/catalog/clauses/"+d.Clause), http.StatusOK, htmlEscape(d.Description))
	}
}

func htmlEscape(s string) string {
	return strings.NewReplacer("&", "&amp;", "'", "&#39;", "<", "&lt;", ">", "&gt;", `"`, "&#34;").Replace(s)
}

func TestCatalogMapping(t *testing.T) {
	srv, _, c := startOrg(t, "viewer")
	viewer := c["viewer"]

	a := get(t, srv, viewer, "/catalog/mapping")
	expect(t, "mapping", a, http.StatusOK, "114 of 114 controls of 2013", `<h2 id="new">New in 2022 (11 controls)</h2>`)
	rows := mappingRow.FindAllStringSubmatch(a.Body, -1)
	if len(rows) != 114 {
		t.Fatalf("mapping has %d rows, want 114", len(rows))
	}
	if n := strings.Count(a.Body, `<li data-new=`); n != 11 {
		t.Errorf("%d new controls listed, want 11", n)
	}
	if !strings.Contains(a.Body, `<tr id="A.14.2.1" data-2013="A.14.2.1">`) {
		t.Error("no anchor for A.14.2.1")
	}

	a = get(t, srv, viewer, "/catalog/mapping?q=A.14.2.1")
	expect(t, "q=A.14.2.1", a, http.StatusOK, "1 of 114", `href="/catalog/controls/8.25"`)
	// A 2022 id lists every 2013 control merged into it.
	ac, _ := catalog.MustLoad().Control("5.15")
	a = get(t, srv, viewer, "/catalog/mapping?q=5.15")
	if rows := mappingRow.FindAllStringSubmatch(a.Body, -1); a.Status != http.StatusOK || len(rows) != len(ac.Replaces) || len(rows) < 2 {
		t.Errorf("q=5.15: status %d, %d rows, want %v", a.Status, len(rows), ac.Replaces)
	}
	// A 2013 section lists its controls.
	a = get(t, srv, viewer, "/catalog/mapping?q=A.14.2")
	if rows := mappingRow.FindAllStringSubmatch(a.Body, -1); a.Status != http.StatusOK || len(rows) != 9 || rows[0][1] != "A.14.2.1" {
		t.Errorf("q=A.14.2: status %d, rows %v", a.Status, rows)
	}
	a = get(t, srv, viewer, "/catalog/mapping?q=5.7")
	expect(t, "q=5.7", a, http.StatusOK, "is new in 2022")
	a = get(t, srv, viewer, "/catalog/mapping?q=A.99.1")
	expect(t, "q=A.99.1", a, http.StatusUnprocessableEntity, "Nothing matches")
}

func TestCatalogCoverage(t *testing.T) {
	srv, _, c := startOrg(t, "viewer")
	viewer := c["viewer"]
	cat := catalog.MustLoad()

	for _, key := range []string{"", "concepts", "capabilities"} {
		k := key
		if k == "" {
			k = "control_type"
		}
		want, _ := cat.Coverage(k)
		a := get(t, srv, viewer, "/catalog/coverage?key="+key)
		expect(t, "coverage "+k, a, http.StatusOK, "<svg", `data-key="`+k+`"`, "<title id=\"chart-title\">")
		bars := barRect.FindAllStringSubmatch(a.Body, -1)
		if len(bars) != len(want) {
			t.Fatalf("%s: %d bars, want %d", k, len(bars), len(want))
		}
		for i, b := range bars {
			if b[1] != want[i].Value || b[2] != strconv.Itoa(want[i].Count) {
				t.Errorf("%s: bar %d is %s=%s, want %s=%d", k, i, b[1], b[2], want[i].Value, want[i].Count)
			}
			if !strings.Contains(a.Body, `<a href="/catalog?`+k+`=`+want[i].Value+`" class="bar-link">`) {
				t.Errorf("%s: bar %s does not link to the filtered list", k, want[i].Value)
			}
		}
		svg := a.Body[strings.Index(a.Body, "<svg"):strings.Index(a.Body, "</svg>")]
		if n := strings.Count(svg, "<title>"); n != len(want) {
			t.Errorf("%s: %d bar titles, want %d", k, n, len(want))
		}
	}
	a := get(t, srv, viewer, "/catalog/coverage?key=colour")
	expect(t, "bad key", a, http.StatusUnprocessableEntity, "&#34;colour&#34; is not an attribute")
}

// TestCatalogAccess: every role reads the catalog; anonymous visitors go to the login page.
func TestCatalogAccess(t *testing.T) {
	srv, _, c := startOrg(t, "viewer", "auditor")
	pages := []string{"/catalog", "/catalog?concepts=detect", "/catalog/controls/5.1", "/catalog/controls/A.5.1.1",
		"/catalog/clauses", "/catalog/clauses/9.2", "/catalog/documents", "/catalog/mapping", "/catalog/coverage?key=domains"}
	for _, role := range []string{"viewer", "auditor"} {
		for _, p := range pages {
			if a := get(t, srv, c[role], p); a.Status != http.StatusOK {
				t.Errorf("%s GET %s: status %d", role, p, a.Status)
			}
		}
	}
	anon := srv.Client()
	for _, p := range pages {
		a := get(t, srv, anon, p)
		if a.Status != http.StatusSeeOther || !strings.HasPrefix(a.Header.Get("Location"), "/login?next=") {
			t.Errorf("anonymous GET %s: status %d, Location %q", p, a.Status, a.Header.Get("Location"))
		}
	}
}
