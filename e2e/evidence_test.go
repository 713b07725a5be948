package e2e

import (
	"crypto/sha256"
	"encoding/hex"
	"net/http"
	"path/filepath"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/praxis-isms/praxis/internal/testutil"
)

// An editor uploads a scan report from the evidence page: it is listed with its SHA-256 under its control, its
// page offers it for download, and what the browser downloads is the file that was uploaded, as an attachment.
func TestEvidenceUploadListDownload(t *testing.T) {
	t.Parallel()
	srv, b := start(t)
	testutil.NewOrg(t, srv.Svc, "Acme")
	report := "SAST report, payments service\nhigh: 0\nmedium: 2 (triaged)\n"
	file := filepath.Join(t.TempDir(), "sast-report.txt")
	writeTestFile(t, file, report)
	sum := sha256.Sum256([]byte(report))
	sha := hex.EncodeToString(sum[:])

	b.login("editor@acme.example", testutil.Password)
	b.open("/evidence")
	b.see("No evidence yet")
	b.fill("Title", "SAST report, March")
	b.fill("Annex A controls", "8.28")
	b.run("choose the file", chromedp.SetUploadFiles("#file", []string{file}, chromedp.ByQuery))
	if status := b.press("Add evidence"); status != http.StatusOK {
		t.Fatalf("the upload lands on a page with status %d", status)
	}
	b.expectPath("/evidence/E-001")
	shows(b, ".flash", "E-001 SAST report, March is added.")
	shows(b, ".props", sha)

	b.open("/evidence?control=8.28")
	shows(b, `tr[data-ref="E-001"]`, "SAST report, March")
	shows(b, `tr[data-ref="E-001"] .sha256`, sha)

	b.open("/evidence/E-001")
	var got struct {
		SHA         string `json:"sha"`
		Disposition string `json:"disposition"`
		Status      int    `json:"status"`
	}
	b.awaitJS("download the file", &got, `async function() {
		const link = document.querySelector('a[download][href="/evidence/E-001/file"]');
		const r = await fetch(link.href);
		const digest = await crypto.subtle.digest("SHA-256", await r.arrayBuffer());
		const sha = Array.from(new Uint8Array(digest)).map(x => x.toString(16).padStart(2, "0")).join("");
		return {sha: sha, disposition: r.headers.get("Content-Disposition"), status: r.status};
	}`)
	if got.Status != http.StatusOK || got.SHA != sha || got.Disposition != "attachment; filename=sast-report.txt" {
		t.Fatalf("the download: %+v, want SHA-256 %s as an attachment", got, sha)
	}
}
