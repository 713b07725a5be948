package soa

import (
	"io"
	"testing"
)

// The design's budgets (section 8) are XLSX under 150 ms and PDF under 400 ms for a whole SoA: 93 controls
// with realistic text, an 8.28 of 600 characters.

func BenchmarkXLSX(b *testing.B) {
	d := sampleDoc(true)
	for b.Loop() {
		if err := XLSX(io.Discard, d); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkPDF(b *testing.B) {
	d := sampleDoc(true)
	for b.Loop() {
		if err := PDF(io.Discard, d); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkCSV(b *testing.B) {
	d := sampleDoc(true)
	for b.Loop() {
		if err := CSV(io.Discard, d, true); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkMarkdown(b *testing.B) {
	d := sampleDoc(true)
	for b.Loop() {
		if err := Markdown(io.Discard, d); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkOSCAL(b *testing.B) {
	d := sampleDoc(true)
	for b.Loop() {
		if err := OSCAL(io.Discard, d); err != nil {
			b.Fatal(err)
		}
	}
}
