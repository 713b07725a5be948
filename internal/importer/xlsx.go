package importer

import (
	"bufio"
	"errors"

	"github.com/xuri/excelize/v2"
)

// Limits on what an XLSX file may unpack to, so that a small zip bomb cannot exhaust memory or disk.
const (
	maxUnzipped    = 1 << 30  // all parts together
	maxUnzippedXML = 16 << 20 // a worksheet bigger than this is read from a temporary file
)

// readXLSX reads the first worksheet of a workbook, row by row; the line of a row is its row number.
func readXLSX(br *bufio.Reader, s *schema, opt Options, fn func(*Row) error) error {
	f, err := excelize.OpenReader(br, excelize.Options{UnzipSizeLimit: maxUnzipped, UnzipXMLSizeLimit: maxUnzippedXML})
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
