package e2e

import (
	"strings"
	"testing"

	"github.com/praxis-isms/praxis/internal/service"
)

// An auditor finds the auditor pack from the audits page, sees that nothing is missing from the sample's pack,
// and downloads it with the evidence files: a zip.
func TestAuditorPackDownload(t *testing.T) {
	t.Parallel()
	_, b := startDemo(t)
	b.login("tom@northwind.example", service.DemoPassword)
	b.open("/audits")
	b.follow("main", "Auditor pack")
	b.expectPath("/auditor-pack")
	shows(b, "main", "Nothing: every part of the pack is there.")
	shows(b, "main", "07-internal-audit-report-AU-002.pdf")
	var got struct {
		Status      int    `json:"status"`
		Type        string `json:"type"`
		Disposition string `json:"disposition"`
		Start       string `json:"start"`
	}
	b.awaitJS("download the pack", &got, `async function() {
	  const form = document.querySelector('main form[action="/auditor-pack.zip"]');
	  form.querySelector('input[name="files"]').checked = true;
	  const r = await fetch(form.action + "?" + new URLSearchParams(new FormData(form)), {credentials: "same-origin"});
	  const text = await r.text();
	  return {status: r.status, type: r.headers.get("Content-Type"), disposition: r.headers.get("Content-Disposition"), start: text.slice(0, 2)};
	}`)
	if got.Status != 200 || got.Type != "application/zip" || !strings.Contains(got.Disposition, "auditor-pack-northwind") || got.Start != "PK" {
		t.Fatalf("the pack download: %+v", got)
	}
}
