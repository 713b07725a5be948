package api

import (
	"context"
	"io"
	"net/http"
	"strings"

	"github.com/danielgtaylor/huma/v2"

	"github.com/praxis-isms/praxis/internal/service"
)

// SoAExportQuery names the format and the version of an SoA download.
type SoAExportQuery struct {
	Format  string `query:"format" enum:"xlsx,pdf,csv,csv-excel,md,oscal" default:"xlsx" doc:"xlsx, pdf, csv (UTF-8), csv-excel (with the byte order mark Excel needs), md (Markdown) or oscal (OSCAL 1.1.3 system security plan, JSON)"`
	Version int    `query:"version" minimum:"0" doc:"An approved version's number; 0 or absent for the current draft"`
}

// soaExportRoutes serve the SoA as a file, through the same ExportSoA as the web's downloads and the CLI.
func (a *API) soaExportRoutes() {
	content := map[string]*huma.MediaType{}
	for _, f := range service.SoAExportFormats {
		_, media := service.SoAFileType(f)
		content[media] = &huma.MediaType{Schema: &huma.Schema{Type: huma.TypeString, Format: "binary"}}
	}
	op(a, huma.Operation{OperationID: "export-soa", Method: http.MethodGet, Path: "/soa/export", Summary: "Download the SoA (the draft or an approved version) as a file",
		Description: "XLSX (every column, a summary sheet), PDF (title block with version, approver and content hash), CSV, Markdown, or OSCAL 1.1.3 JSON " +
			"(validated against NIST's schema before it is sent). The file name says what it holds: soa-draft.xlsx, soa-v2.pdf.",
		Tags: []string{"Statement of Applicability"}, Errors: []int{401, 403, 404, 422},
		Responses: map[string]*huma.Response{"200": {Description: "The file, as an attachment", Content: content}}},
		func(ctx context.Context, in *SoAExportQuery) (*huma.StreamResponse, error) {
			var version *int
			if in.Version > 0 {
				version = &in.Version
			}
			format := strings.ToLower(in.Format)
			ext, media := service.SoAFileType(format)
			// ExportSoA checks access, the format and the version before its first byte, so a refusal is still a
			// problem+json answer.
			return streamFile(service.SoAExportName(version)+"."+ext, media, func(w io.Writer) error {
				return a.svc.ExportSoA(ctx, version, format, w)
			}), nil
		})
}
