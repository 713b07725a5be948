package web_test

import (
	"bytes"
	"mime/multipart"
	"net/http"
	"regexp"
	"strings"
	"testing"

	"github.com/praxis-isms/praxis/internal/service"
	"github.com/praxis-isms/praxis/internal/testutil"
)

// postImport posts the import form: fields, and a file when filename is not empty.
func postImport(t *testing.T, srv *testutil.Server, c *http.Client, path string, fields map[string]string, filename, content string) answer {
	t.Helper()
	var b bytes.Buffer
	mw := multipart.NewWriter(&b)
	for k, v := range fields {
		mw.WriteField(k, v)
	}
	if filename != "" {
		fw, _ := mw.CreateFormFile("file", filename)
		fw.Write([]byte(content))
	}
	mw.Close()
	req, err := http.NewRequest(http.MethodPost, srv.URL+path, &b)
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", mw.FormDataContentType())
	req.Header.Set("Origin", srv.URL)
	return do(t, c, req)
}

var stashField = regexp.MustCompile(`name="stash" value="([0-9a-f]+)"`)

// The people page imports a staff list in two steps: Check shows what would be added, updated and left
// unchanged (and the ignored columns) and writes nothing; Import then applies the checked file without a second
// upload. The checked file is for the member who checked it only.
func TestPeopleImportCheckThenImport(t *testing.T) {
	srv, org, c := startOrg(t, "owner", "editor")
	expect(t, "people page", get(t, srv, c["editor"], "/people"), http.StatusOK, `href="/people/import"`, `href="/people/export.csv"`)
	expect(t, "import page", get(t, srv, c["editor"], "/people/import"), http.StatusOK, "<h1>Import people</h1>", `value="check"`)
	file := "name,email,badge\nSofia Rossi,sofia@example.com,17\nLiam Chen,,18\n"
	a := postImport(t, srv, c["editor"], "/people/import", map[string]string{"step": "check"}, "staff.csv", file)
	expect(t, "check", a, http.StatusOK, "Check of staff.csv: nothing is changed yet", `<dd data-count="added">2</dd>`, `<dd data-count="updated">0</dd>`,
		"<code>badge</code>")
	l, err := srv.Svc.ListPeople(org.Ctx("viewer"), service.PersonFilter{}, service.Page{})
	if err != nil || l.Total != 0 {
		t.Fatalf("the check wrote: %d people, %v", l.Total, err)
	}
	m := stashField.FindStringSubmatch(a.Body)
	if m == nil {
		t.Fatalf("no checked file to import:\n%s", a.Body)
	}
	fields := map[string]string{"stash": m[1], "filename": "staff.csv", "format": "csv"}
	expect(t, "someone else's check", postImport(t, srv, c["owner"], "/people/import", fields, "", ""), http.StatusUnprocessableEntity,
		"no longer kept")
	seeOther(t, "import", postImport(t, srv, c["editor"], "/people/import", fields, "", ""), "/people")
	expect(t, "imported", get(t, srv, c["editor"], "/people"), http.StatusOK, "Imported 2 people: P-001, P-002. Columns ignored: badge.", "Liam Chen")

	// The export, edited, updates in place.
	export := get(t, srv, c["editor"], "/people/export.csv").Body
	a = postImport(t, srv, c["editor"], "/people/import", map[string]string{"step": "check"}, "people.csv", strings.Replace(export, "Liam Chen", "Liam Chen-Park", 1))
	expect(t, "check of the edited export", a, http.StatusOK, `<dd data-count="added">0</dd>`, `<dd data-count="updated">1</dd>`, `<dd data-count="unchanged">1</dd>`)
	a = postImport(t, srv, c["editor"], "/people/import", map[string]string{"step": "import"}, "people.csv", strings.Replace(export, "Liam Chen", "Liam Chen-Park", 1))
	seeOther(t, "import without checking", a, "/people")
	expect(t, "updated", get(t, srv, c["editor"], "/people/P-002"), http.StatusOK, "Liam Chen-Park")
	a = postImport(t, srv, c["editor"], "/people/import", map[string]string{"step": "check"}, "bad.csv", "name,email\n,nope\n")
	expect(t, "bad file", a, http.StatusUnprocessableEntity, "Nothing was imported", "<code>line 2: name</code>")
}
