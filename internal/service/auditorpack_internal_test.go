package service

import (
	"strings"
	"testing"

	"github.com/praxis-isms/praxis/internal/export/auditorpack"
)

// A register too long for a readable PDF goes into the pack as XLSX only, and the pack says why.
func TestPackPDFOnlyUpToALimit(t *testing.T) {
	var gaps []auditorpack.Gap
	if got := pdfUpTo(maxPackPDFRows, "Risk register", "risks", &gaps); strings.Join(got, " ") != "xlsx pdf" || len(gaps) != 0 {
		t.Fatalf("at the limit: %v %v", got, gaps)
	}
	got := pdfUpTo(maxPackPDFRows+1, "Risk register", "risks", &gaps)
	if strings.Join(got, " ") != "xlsx" || len(gaps) != 1 || gaps[0].What != "Risk register as PDF" || !strings.Contains(gaps[0].Why, "5001 risks") {
		t.Fatalf("beyond the limit: %v %+v", got, gaps)
	}
}
