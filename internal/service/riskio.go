package service

import (
	"context"
	"io"

	"github.com/praxis-isms/praxis/internal/isms"
)

// ImportResult says what an import added.
type ImportResult struct {
	Added int      `json:"added"`
	Refs  []string `json:"refs"`
}

// ImportFormats and ExportFormats name the file formats of registers.
var (
	ImportFormats = []string{"csv", "xlsx"}
	ExportFormats = []string{"csv", "xlsx", "pdf"}
)

// ImportRisks reads a risk register (format csv or xlsx, first row the column names) and adds every row in
// one transaction: when any row is bad nothing is written and the error lists every problem as
// "line N: field: problem".
func (s *Service) ImportRisks(ctx context.Context, format string, r io.Reader) (ImportResult, error) {
	return ImportResult{}, isms.Invalid(isms.FieldError{Field: "format", Message: "risk import is not available yet"})
}

// ExportRisks writes the matching risks as csv, xlsx or pdf.
func (s *Service) ExportRisks(ctx context.Context, f RiskFilter, format string, w io.Writer) error {
	return isms.Invalid(isms.FieldError{Field: "format", Message: "risk export is not available yet"})
}

// ImportAssets reads an asset inventory (csv or xlsx) and adds every row in one transaction, like ImportRisks.
func (s *Service) ImportAssets(ctx context.Context, format string, r io.Reader) (ImportResult, error) {
	return ImportResult{}, isms.Invalid(isms.FieldError{Field: "format", Message: "asset import is not available yet"})
}

// ExportAssets writes the matching assets as csv, xlsx or pdf.
func (s *Service) ExportAssets(ctx context.Context, f AssetFilter, format string, w io.Writer) error {
	return isms.Invalid(isms.FieldError{Field: "format", Message: "asset export is not available yet"})
}
