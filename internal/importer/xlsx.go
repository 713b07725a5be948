package importer

import (
	"archive/zip"
	"bufio"
	"bytes"
	"errors"
	"io"

	"github.com/xuri/excelize/v2"

	"github.com/praxis-isms/praxis/internal/isms"
)

// Limits on what an XLSX file may unpack to, so that a small zip bomb cannot exhaust memory or disk. A
// workbook of 100,000 register rows unpacks to well under MaxUnzipped.
const (
	MaxUnzipped    = 64 << 20 // all parts together, and so any one part
	MaxParts       = 300      // a register's workbook has a dozen
	maxUnzippedXML = 16 << 20 // a worksheet bigger than this is read from a temporary file
)

// readXLSX reads the first worksheet of a workbook, row by row; the line of a row is its row number. The zip
// directory is checked first (checkZip); excelize then gets the same caps.
func readXLSX(br *bufio.Reader, s *schema, opt Options, fn func(*Row) error) error {
	b, err := io.ReadAll(br)
	if err != nil {
		if _, ok := isms.AsError(err); ok {
			return err
		}
		return fileError("cannot be read: %v", err)
	}
	if err := checkZip(b); err != nil {
		return err
	}
	f, err := excelize.OpenReader(bytes.NewReader(b), excelize.Options{UnzipSizeLimit: MaxUnzipped, UnzipXMLSizeLimit: maxUnzippedXML})
	if err != nil {
		return fileError("is not a readable XLSX workbook: %v", err)
	}
	defer f.Close()
	sheets := f.GetSheetList()
	if len(sheets) == 0 {
		return errEmpty()
	}
	rows, err := f.Rows(sheets[0])
	if err != nil {
		return fileError("worksheet %q cannot be read: %v", sheets[0], err)
	}
	defer rows.Close()
	line := 0
	return run(func() (int, []string, error) {
		if !rows.Next() {
			if err := rows.Error(); err != nil {
				if errors.Is(err, excelize.ErrMaxRows) {
					return 0, nil, errTooMany(opt.MaxRows)
				}
				return 0, nil, fileError("worksheet %q cannot be read: %v", sheets[0], err)
			}
			return 0, nil, nil
		}
		line++
		cells, err := rows.Columns()
		if err != nil {
			return 0, nil, fileError("row %d of worksheet %q cannot be read: %v", line, sheets[0], err)
		}
		if cells == nil {
			cells = []string{}
		}
		return line, cells, nil
	}, s, opt, fn)
}

// checkZip refuses a workbook whose zip directory declares too many parts or more than MaxUnzipped bytes,
// in all or in one part, before anything is unpacked. Declared sizes can lie, but archive/zip stops reading
// a part with ErrFormat as soon as it unpacks beyond its declared size, so the declared sizes bound the
// real ones.
func checkZip(b []byte) error {
	zr, err := zip.NewReader(bytes.NewReader(b), int64(len(b)))
	if err != nil {
		return fileError("is not a readable XLSX workbook: %v", err)
	}
	if len(zr.File) > MaxParts {
		return fileError("is not a register workbook: it has %d parts (at most %d)", len(zr.File), MaxParts)
	}
	var total uint64
	for _, f := range zr.File {
		total += f.UncompressedSize64
		if f.UncompressedSize64 > MaxUnzipped || total > MaxUnzipped {
			return fileError("unpacks to more than %d MB: split it into several files, or import it as CSV", MaxUnzipped>>20)
		}
	}
	return nil
}
