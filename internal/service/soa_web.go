package service

import (
	"context"
	"io"
	"strconv"
	"strings"

	soaexport "github.com/praxis-isms/praxis/internal/export/soa"
	"github.com/praxis-isms/praxis/internal/isms"
	"github.com/praxis-isms/praxis/internal/store"
)

// SoAExportFormats name the downloads of an SoA: the register formats, Markdown and OSCAL 1.1.3 JSON.
var SoAExportFormats = []string{"xlsx", "pdf", "csv", FormatCSVExcel, "md", "oscal"}

// SoAFileType is the file name extension and media type of an SoA download in format (one of SoAExportFormats),
// the same from every door (text is UTF-8).
func SoAFileType(format string) (ext, media string) {
	switch format {
	case "xlsx":
		return "xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
	case "pdf":
		return "pdf", "application/pdf"
	case "md":
		return "md", "text/markdown"
	case "oscal":
		return "json", "application/json"
	}
	return "csv", "text/csv"
}

// SoAExportName is the file name of an SoA download without its extension: soa-draft, or soa-v2 for version 2.
func SoAExportName(version *int) string {
	if version == nil {
		return "soa-draft"
	}
	return "soa-v" + strconv.Itoa(*version)
}

// ExportSoA writes the current draft (version nil) or an approved version in a format of SoAExportFormats. The
// format and the caller's access are checked, and the version read, before a byte is written.
func (s *Service) ExportSoA(ctx context.Context, version *int, format string, w io.Writer) error {
	format = strings.ToLower(strings.TrimSpace(format))
	if !isms.OneOf(format, SoAExportFormats) {
		return isms.Invalid(isms.FieldError{Field: "format", Message: "must be one of " + strings.Join(SoAExportFormats, ", ")})
	}
	doc, err := readAs(ctx, s, isms.PermReadContent, func(tx *store.Tx, a Actor) (soaexport.Document, error) {
		d := soaexport.Document{GeneratedBy: firstNonEmpty(a.Name, a.Email), GeneratedAt: s.now(), Catalog: s.cat}
		var err error
		if d.Org, err = tx.Org(ctx, a.OrgID); err != nil {
			return d, err
		}
		if version == nil {
			d.Entries, err = tx.SoA(ctx, a.OrgID)
			return d, err
		}
		v, err := loadSoAVersion(ctx, tx, a, *version)
		d.Version, d.Entries = &v, v.Entries
		return d, err
	})
	if err != nil {
		return err
	}
	switch format {
	case "xlsx":
		return soaexport.XLSX(w, doc)
	case "pdf":
		return soaexport.PDF(w, doc)
	case "csv", FormatCSVExcel:
		return soaexport.CSV(w, doc, format == FormatCSVExcel)
	case "md":
		return soaexport.Markdown(w, doc)
	default:
		return soaexport.OSCAL(w, doc)
	}
}
