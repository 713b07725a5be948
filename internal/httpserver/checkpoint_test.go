package httpserver_test

import (
	"context"
	"net/http"
	"strings"
	"testing"

	"github.com/praxis-isms/praxis/internal/isms"
	"github.com/praxis-isms/praxis/internal/testutil"
)

// An auditor downloads a checkpoint through the API and through the web page; both verify against the trail.
func TestAuditCheckpointDownloads(t *testing.T) {
	for _, engine := range testutil.Engines {
		t.Run(string(engine), func(t *testing.T) {
			srv := testutil.StartServer(t, engine)
			org := testutil.NewOrg(t, srv.Svc, "Acme")
			var viaAPI isms.Checkpoint
			a := api(t, srv, token(t, srv, org, "auditor"), http.MethodGet, "/audit-events/checkpoint", nil)
			want(t, a, http.StatusOK, "API checkpoint")
			decode(t, a, &viaAPI)

			c := srv.Login(t, org.Actors["auditor"].Email, testutil.Password)
			page := call(t, c, http.MethodGet, srv.URL+"/audit", nil)
			if !strings.Contains(string(page.Body), `href="/audit/checkpoint.json"`) {
				t.Fatal("the audit page has no checkpoint link")
			}
			w := call(t, c, http.MethodGet, srv.URL+"/audit/checkpoint.json", nil)
			want(t, w, http.StatusOK, "web checkpoint")
			if !strings.Contains(w.Header.Get("Content-Disposition"), "attachment") {
				t.Fatalf("the checkpoint is not a download: %v", w.Header)
			}
			var viaWeb isms.Checkpoint
			decode(t, w, &viaWeb)
			for _, cp := range []isms.Checkpoint{viaAPI, viaWeb} {
				r, err := srv.Svc.VerifyCheckpoint(context.Background(), cp)
				if err != nil || !r.Intact || cp.OrgSlug != org.Slug || cp.Seq == 0 {
					t.Fatalf("checkpoint %+v: %+v %v", cp, r, err)
				}
			}
		})
	}
}
