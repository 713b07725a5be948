package service

import (
	"testing"

	"github.com/praxis-isms/praxis/internal/importer"
)

// Headers as 2013 SoAs spell them find their field; a title or an owner column is not read.
func TestTransitionHeaders(t *testing.T) {
	for h, want := range map[string]string{
		"Applicable?": "applicable", "Included in scope (Y/N)": "applicable", "Reason for selection": "justification",
		"Justification for inclusion/exclusion": "justification", "Implementation state": "status", "Control #": "control",
		"Control title": "", "Owner (department)": "", "Comments": "notes", "Ref.": "control",
	} {
		if got := transitionHeader(importer.Normalise(h)); got != want {
			t.Errorf("%q: %q, want %q", h, got, want)
		}
	}
}

// Whatever a header says, it names one of the import's fields or none.
func FuzzTransitionHeader(f *testing.F) {
	for _, s := range []string{"Applicable?", "Control ID", "Reason", "", "(((", "Implementation status"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, h string) {
		got := transitionHeader(importer.Normalise(h))
		if got == "" {
			return
		}
		for _, fld := range transitionFields {
			if fld.Name == got {
				return
			}
		}
		t.Fatalf("%q names %q, which is no field", h, got)
	})
}
