package api

import (
	"context"
	"io"
	"net/http"

	"github.com/danielgtaylor/huma/v2"

	"github.com/praxis-isms/praxis/internal/service"
)

// AuditorPackQuery says whether the evidence files go into the pack.
type AuditorPackQuery struct {
	Files bool `query:"files" doc:"Include the evidence files themselves under evidence/ (each checked against its SHA-256)"`
}

// auditorPackRoutes serve the auditor pack, through the same BuildAuditorPack as the web's download and the CLI.
func (a *API) auditorPackRoutes() {
	op(a, huma.Operation{OperationID: "get-auditor-pack", Method: http.MethodGet, Path: "/auditor-pack", Summary: "Build and download the auditor pack (zip)",
		Description: "One zip for the certification auditor: README.txt (what it holds, what is missing and why), the approved SoA (PDF, XLSX) " +
			"and scope (PDF), the risk register and treatment plan (XLSX, PDF), the documents in force (PDF), the evidence index with the " +
			"SHA-256 of every file (CSV, XLSX) and with files=true the files, the latest internal audit report and management review " +
			"minutes, the lint report (JSON, PDF), the last twelve months of the audit trail (CSV) with the check of its chain, then " +
			"manifest.json and MANIFEST.txt (`sha256sum -c MANIFEST.txt`). Streamed as it is built. Owners, admins, auditors and " +
			"approvers; the building is recorded in the audit trail with the SHA-256 of MANIFEST.txt.",
		Tags: []string{"Certification"}, Errors: []int{401, 403},
		Responses: map[string]*huma.Response{"200": {Description: "The pack, as an attachment named after the organisation and the day",
			Content: map[string]*huma.MediaType{"application/zip": {Schema: &huma.Schema{Type: huma.TypeString, Format: "binary"}}}}}},
		func(ctx context.Context, in *AuditorPackQuery) (*huma.StreamResponse, error) {
			// BuildAuditorPack checks access before its first byte, so a refusal is still a problem+json answer.
			return streamFile(a.svc.AuditorPackName(ctx), "application/zip", func(w io.Writer) error {
				_, err := a.svc.BuildAuditorPack(ctx, service.AuditorPackOptions{Files: in.Files}, w)
				return err
			}), nil
		})
}
