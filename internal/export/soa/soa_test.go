package soa

import (
	"archive/zip"
	"bytes"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"
	"unicode/utf16"

	oscalTypes "github.com/defenseunicorns/go-oscal/src/types/oscal-1-1-3"
	"github.com/xuri/excelize/v2"

	"github.com/praxis-isms/praxis/internal/catalog"
	"github.com/praxis-isms/praxis/internal/export/oscal"
	"github.com/praxis-isms/praxis/internal/isms"
)

var (
	cat       = catalog.MustLoad()
	generated = time.Date(2026, 3, 2, 9, 30, 0, 0, time.UTC)
	// longWord is a 60-character word: it must print whole, never broken or cut.
	longWord = "https://intranet.example.com/policies/secure-development/v12"
	// longJustification is 600 characters of ordinary words.
	longJustification = strings.TrimSpace(strings.Repeat("Insecure code reaching production is our highest rated risk, so reviews and scanners gate every merge. ", 6))[:599] + "."
)

func yes() *bool { t := true; return &t }
func no() *bool  { f := false; return &f }

// sampleEntries is a realistic SoA of all 93 controls with mixed decisions: most applicable with a status,
// physical controls of a remote-first company excluded, a few undecided, risks on some, 8.28 with a 600-character
// justification and a 60-character word, 5.1 with pipes and newlines.
func sampleEntries() []isms.SoAEntry {
	var out []isms.SoAEntry
	for i, ctl := range cat.Controls() {
		e := isms.SoAEntry{Control: ctl.ID, Title: ctl.Title, Theme: ctl.Theme, Owner: fmt.Sprintf("P-%03d", i%7+1),
			OwnerName: []string{"Dana Scully", "Fox Mulder", "Walter Skinner", "Monica Reyes", "John Doggett", "Jeffrey Spender", "Alex Krycek"}[i%7]}
		switch {
		case ctl.Theme == "physical" && i%3 != 0:
			e.Applicable = no()
			e.Justification = "We are a remote-first company without offices or server rooms of our own; our cloud provider's certified data centres cover this control."
			e.Reasons = []string{isms.ReasonBestPractice}
		case i%11 == 5:
			// undecided, nothing said yet
		default:
			e.Applicable = yes()
			e.Status = isms.SoAStatuses[i%4]
			e.Justification = fmt.Sprintf("Control %s supports our customers' security expectations and the contracts we sign; the owner reviews it every year and records evidence in the ISMS.", ctl.ID)
			e.Reasons = []string{isms.ReasonContractual, isms.ReasonBusiness}[:1+i%2]
			if i%4 == 0 {
				e.Risks = []string{fmt.Sprintf("R-%03d", i+1)}
			}
			e.Notes = "Reviewed at the last management review."
		}
		switch ctl.ID {
		case "8.28":
			e.Justification = longJustification + " See " + longWord + " for the procedure."
			e.Risks = []string{"R-007", "R-012"}
		case "5.1":
			e.Justification = "Policies | standards\nare approved by the board | yearly."
		}
		out = append(out, e)
	}
	return out
}

func sampleDoc(version bool) Document {
	d := Document{Org: isms.Organisation{ID: "org-1", Slug: "northwind", Name: "Northwind Traders"}, Entries: sampleEntries(),
		GeneratedBy: "Olivia Owner", GeneratedAt: generated, Catalog: cat}
	if version {
		d.Version = &isms.SoAVersion{Number: 2, ApprovedBy: "Anna Approver", ApprovedAt: generated.Add(-48 * time.Hour),
			Comment: "Approved after the management review.", Hash: isms.SoAHash(d.Entries)}
	}
	return d
}

func find(entries []isms.SoAEntry, control string) isms.SoAEntry {
	for _, e := range entries {
		if e.Control == control {
			return e
		}
	}
	return isms.SoAEntry{}
}

func TestXLSX(t *testing.T) {
	d := sampleDoc(true)
	var buf bytes.Buffer
	if err := XLSX(&buf, d); err != nil {
		t.Fatal(err)
	}
	f, err := excelize.OpenReader(bytes.NewReader(buf.Bytes()))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if got := f.GetSheetList(); strings.Join(got, ",") != "SoA,Summary" {
		t.Fatalf("sheets %v, want SoA and Summary", got)
	}
	panes, err := f.GetPanes("SoA")
	if err != nil || !panes.Freeze || panes.YSplit != 1 {
		t.Errorf("panes %+v (%v), want the header row frozen", panes, err)
	}
	rows, err := f.GetRows("SoA")
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != 94 {
		t.Fatalf("%d rows, want the header and 93 controls", len(rows))
	}
	want := "control,title,theme,control_type,security_properties,cybersecurity_concepts,operational_capabilities,security_domains," +
		"applicable,reasons,justification,status,owner,owner_name,risks,notes"
	if got := strings.Join(rows[0], ","); got != want {
		t.Fatalf("header\n%s, want\n%s", got, want)
	}
	col := map[string]int{}
	for i, h := range rows[0] {
		col[h] = i
	}
	var r828 []string
	for _, r := range rows[1:] {
		if r[0] == "8.28" {
			r828 = r
		}
	}
	e := find(d.Entries, "8.28")
	checks := map[string]string{
		"title": e.Title, "theme": "technological", "control_type": "preventive",
		"security_properties": "confidentiality; integrity; availability", "operational_capabilities": "application security; system and network security",
		"applicable": "yes", "justification": e.Justification, "status": isms.SoAStatusNames[e.Status], "owner": e.Owner, "owner_name": e.OwnerName,
		"risks": "R-007; R-012", "reasons": "Risk treatment; " + isms.SoAReasonNames[e.Reasons[0]],
	}
	for h, v := range checks {
		if r828[col[h]] != v {
			t.Errorf("8.28 %s = %q, want %q", h, r828[col[h]], v)
		}
	}
	if undecided := rows[6]; undecided[col["applicable"]] != "undecided" || undecided[col["status"]] != "" {
		t.Errorf("5.6 is undecided: %q", undecided)
	}
	if !strings.Contains(zipPart(t, buf.Bytes(), "xl/worksheets/sheet1.xml"), `<autoFilter ref="$A$1:$P$94"`) {
		t.Error("no autofilter over the header and 93 rows")
	}
	if w, _ := f.GetColWidth("SoA", "K"); w != 60 {
		t.Errorf("justification column width %v, want 60", w)
	}
	if id, _ := f.GetCellStyle("SoA", "K2"); id == 0 {
		t.Error("justification cells have no style, want wrapped text")
	} else if st, _ := f.GetStyle(id); st.Alignment == nil || !st.Alignment.WrapText {
		t.Errorf("justification style %+v, want wrapped text", st.Alignment)
	}

	summary, err := f.GetRows("Summary")
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]string{}
	for _, r := range summary[1:] {
		if len(r) == 2 {
			got[r[0]] = r[1]
		}
	}
	sum, issues := isms.Summarise(d.Entries)
	for item, v := range map[string]any{"Organisation": "Northwind Traders", "Version": "Version 2", "Approved by": "Anna Approver",
		"Approved": "28 February 2026, 09:30 UTC", "Content hash (SHA-256)": d.Version.Hash, "Controls": 93, "Decided": sum.Decided,
		"Applicable": sum.Applicable, "Excluded": sum.Excluded, "Implemented": sum.Implemented, "Incomplete": sum.Incomplete,
		"Open issues": len(issues)} {
		if got[item] != fmt.Sprint(v) {
			t.Errorf("summary %s = %q, want %v", item, got[item], v)
		}
	}
	if sum.Excluded == 0 || sum.Incomplete == 0 || sum.Applicable == 0 {
		t.Fatalf("the sample needs every kind of entry: %+v", sum)
	}
	if n := strings.Count(strings.Join(flatten(summary), "\n"), "is undecided: say whether it applies"); n != sum.Incomplete {
		t.Errorf("%d undecided issues on the summary sheet, want %d", n, sum.Incomplete)
	}
}

func flatten(rows [][]string) []string {
	var out []string
	for _, r := range rows {
		out = append(out, r...)
	}
	return out
}

func TestXLSXDraftSaysSo(t *testing.T) {
	d := sampleDoc(false)
	var buf bytes.Buffer
	if err := XLSX(&buf, d); err != nil {
		t.Fatal(err)
	}
	f, err := excelize.OpenReader(&buf)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rows, _ := f.GetRows("Summary")
	text := strings.Join(flatten(rows), "\n")
	if !strings.Contains(text, "Draft, not approved") || strings.Contains(text, "Approved by") || !strings.Contains(text, isms.SoAHash(d.Entries)) {
		t.Errorf("a draft's summary names it a draft with its content hash and no approver:\n%s", text)
	}
}

func TestCSV(t *testing.T) {
	d := sampleDoc(false)
	for _, excel := range []bool{false, true} {
		var buf bytes.Buffer
		if err := CSV(&buf, d, excel); err != nil {
			t.Fatal(err)
		}
		if bom := bytes.HasPrefix(buf.Bytes(), []byte("\xef\xbb\xbf")); bom != excel {
			t.Errorf("excel=%v: BOM %v", excel, bom)
		}
		recs, err := csv.NewReader(bytes.NewReader(bytes.TrimPrefix(buf.Bytes(), []byte("\xef\xbb\xbf")))).ReadAll()
		if err != nil {
			t.Fatal(err)
		}
		if len(recs) != 94 || len(recs[0]) != 16 || recs[0][0] != "control" || recs[0][10] != "justification" {
			t.Fatalf("%d records, header %q", len(recs), recs[0])
		}
		if recs[1][0] != "5.1" || recs[1][10] != "Policies | standards\nare approved by the board | yearly." {
			t.Errorf("5.1 row %q: the justification must come back intact", recs[1])
		}
	}
}

func TestMarkdown(t *testing.T) {
	d := sampleDoc(true)
	var buf bytes.Buffer
	if err := Markdown(&buf, d); err != nil {
		t.Fatal(err)
	}
	md := buf.String()
	for _, want := range []string{"# Statement of Applicability: Northwind Traders\n", "- **Version:** Version 2\n",
		"- **Approved by:** Anna Approver\n", "- **Content hash (SHA-256):** " + d.Version.Hash + "\n",
		"## Organizational controls (5.1 to 5.37)\n", "## Physical controls (7.1 to 7.14)\n", "## Technological controls (8.1 to 8.34)\n",
		"| Control | Title | Applicable | Reasons | Justification | Status | Owner |\n",
		`| 5.1 | Policies for information security | yes | Risk treatment; Contractual | Policies \| standards<br>are approved by the board \| yearly. | Not started | Dana Scully |` + "\n",
	} {
		if !strings.Contains(md, want) {
			t.Errorf("markdown lacks %q", want)
		}
	}
	// Every table row has as many cell separators as the header: no pipe or newline broke a row.
	rows := 0
	for _, line := range strings.Split(md, "\n") {
		if strings.HasPrefix(line, "| ") && !strings.HasPrefix(line, "| Controls") && !strings.HasPrefix(line, "| Control ") && !strings.HasPrefix(line, "| ---") {
			if line == "" {
				continue
			}
			rows++
			if n := strings.Count(line, "|") - strings.Count(line, `\|`); n != 8 && !strings.HasPrefix(line, "| 93 ") {
				t.Errorf("row with %d cell separators: %s", n, line)
			}
		}
	}
	if rows != 94 { // 93 controls and the summary's row of counts
		t.Errorf("%d table rows, want 93 controls and the summary", rows)
	}
}

func TestOSCAL(t *testing.T) {
	d := sampleDoc(true)
	var buf bytes.Buffer
	if err := OSCAL(&buf, d); err != nil {
		t.Fatal(err)
	}
	if err := oscal.Validate(buf.Bytes()); err != nil {
		t.Fatalf("the SSP does not validate: %v", err)
	}
	var doc oscalTypes.OscalCompleteSchema
	if err := json.Unmarshal(buf.Bytes(), &doc); err != nil || doc.SystemSecurityPlan == nil {
		t.Fatalf("decode: %v", err)
	}
	ssp := doc.SystemSecurityPlan
	if m := ssp.Metadata; m.Version != "2" || !strings.Contains(m.Title, "Northwind Traders") || (*m.Parties)[0].Name != "Northwind Traders" ||
		(*m.Parties)[1].Name != "Anna Approver" || m.Published == nil || !m.Published.Equal(d.Version.ApprovedAt) {
		t.Errorf("metadata %+v", m)
	}
	reqs := map[string]oscalTypes.ImplementedRequirement{}
	for _, r := range ssp.ControlImplementation.ImplementedRequirements {
		reqs[r.ControlId] = r
	}
	sum, _ := isms.Summarise(d.Entries)
	if len(reqs) != sum.Applicable {
		t.Errorf("%d implemented requirements, want the %d applicable controls", len(reqs), sum.Applicable)
	}
	for _, e := range d.Entries {
		r, listed := reqs[oscal.ControlID(e.Control)]
		if applicable := e.Applicable != nil && *e.Applicable; listed != applicable {
			t.Errorf("control %s (%s) listed: %v", e.Control, e.Applicability(), listed)
		}
		if !listed {
			continue
		}
		if r.Remarks != e.Justification {
			t.Errorf("%s remarks %q, want the justification", e.Control, r.Remarks)
		}
		props := map[string][]string{}
		for _, p := range *r.Props {
			if p.Ns != oscal.NS {
				t.Errorf("%s prop %s not in praxis's namespace", e.Control, p.Name)
			}
			props[p.Name] = append(props[p.Name], p.Value)
		}
		if fmt.Sprint(props["implementation-status"]) != fmt.Sprint([]string{e.Status}) || fmt.Sprint(props["reason"]) != fmt.Sprint(e.AllReasons()) ||
			len(props["risk"]) != len(e.Risks) {
			t.Errorf("%s props %v", e.Control, props)
		}
		state := (*r.ByComponents)[0].ImplementationStatus.State
		if want := map[string]string{"not-started": "planned", "planned": "planned", "partial": "partial", "implemented": "implemented"}[e.Status]; state != want {
			t.Errorf("%s state %q, want %q", e.Control, state, want)
		}
	}
	// Deterministic: the same SoA gives the same bytes.
	var again bytes.Buffer
	if err := OSCAL(&again, d); err != nil || !bytes.Equal(again.Bytes(), buf.Bytes()) {
		t.Errorf("a second export differs (%v)", err)
	}
}

// TestOSCALInvalidWritesNothing: content that fails the schema (an id with a space is no OSCAL token) is refused
// before a byte reaches the writer.
func TestOSCALInvalidWritesNothing(t *testing.T) {
	d := sampleDoc(false)
	d.Entries[0].Control = "5 1"
	var buf bytes.Buffer
	err := OSCAL(&buf, d)
	if err == nil || !strings.Contains(err.Error(), "invalid OSCAL") {
		t.Fatalf("err = %v, want a validation error", err)
	}
	if buf.Len() != 0 {
		t.Errorf("%d bytes written before validation failed", buf.Len())
	}
}

func TestOSCALNothingApplicable(t *testing.T) {
	d := sampleDoc(false)
	for i := range d.Entries {
		d.Entries[i].Applicable = nil
	}
	var buf bytes.Buffer
	err := OSCAL(&buf, d)
	if isms.HTTPStatus(err) != 422 || buf.Len() != 0 {
		t.Fatalf("err = %v, %d bytes: want 422 and nothing written", err, buf.Len())
	}
}

// utf16Text is how fpdf writes text in a UTF-8 font: UTF-16BE, no byte order mark.
func utf16Text(s string) []byte {
	var b []byte
	for _, u := range utf16.Encode([]rune(s)) {
		b = append(b, byte(u>>8), byte(u))
	}
	return b
}

var pageRe = regexp.MustCompile(`/Type /Page\b`)

func TestPDF(t *testing.T) {
	for _, version := range []bool{true, false} {
		d := sampleDoc(version)
		var buf bytes.Buffer
		if err := writePDF(&buf, d, true); err != nil {
			t.Fatal(err)
		}
		b := buf.Bytes()
		pages := len(pageRe.FindAll(b, -1))
		if pages < 3 {
			t.Fatalf("%d pages", pages)
		}
		// Parentheses are escaped in PDF strings: look for the text around them.
		want := []string{"Northwind Traders", "Statement of Applicability", "Organizational controls ", "5.1 to 5.37",
			"Technological controls ", "8.1 to 8.34", longWord, fmt.Sprintf("page %d of %d", pages, pages), d.Hash()}
		if version {
			want = append(want, "Version 2", "Anna Approver", "28 February 2026, 09:30 UTC")
		} else {
			want = append(want, "Draft, not approved", "Open issues ")
		}
		for _, s := range want {
			if !bytes.Contains(b, utf16Text(s)) {
				t.Errorf("version %v: the PDF lacks %q", version, s)
			}
		}
		if bytes.Contains(b, utf16Text("…")) {
			t.Error("a cell was cut with an ellipsis")
		}
		if !bytes.Contains(b, []byte("/MediaBox [0 0 841.89 595.28]")) {
			t.Error("not landscape")
		}
	}
}

// extremeDoc has the longest justification allowed (ending in FINALWORD.), a 300-character word, control
// characters, emoji and three scripts in a title, and an owner name longer than its column.
func extremeDoc() Document {
	d := sampleDoc(false)
	words := strings.Fields(strings.Repeat("The board reviews this control yearly and the owner keeps evidence. ", 80))
	long := strings.Join(words, " ")
	for len([]rune(long)) > isms.MaxJustification-12 {
		words = words[:len(words)-1]
		long = strings.Join(words, " ")
	}
	d.Entries[3].Justification = long + " FINALWORD."
	d.Entries[4].Justification = strings.Repeat("x", 300)
	d.Entries[5].Title = "\x00\t<script>\U0001F600 Ünïcødé Ελληνικά Кириллица"
	d.Entries[6].OwnerName = strings.Repeat("Bartholomew-", 8)
	return d
}

// TestPDFExtremes: extreme text gives a PDF with the longest justification whole, and an empty SoA gives one too.
func TestPDFExtremes(t *testing.T) {
	var buf bytes.Buffer
	if err := writePDF(&buf, extremeDoc(), true); err != nil {
		t.Fatal(err)
	}
	if !bytes.Contains(buf.Bytes(), utf16Text("FINALWORD.")) || bytes.Contains(buf.Bytes(), utf16Text("…")) {
		t.Error("the longest justification allowed was cut")
	}
	for _, empty := range []Document{{GeneratedAt: generated}, {Org: isms.Organisation{Name: "Empty"}, Catalog: cat}} {
		if err := PDF(io.Discard, empty); err != nil {
			t.Errorf("empty document: %v", err)
		}
	}
}

func zipPart(t *testing.T, b []byte, name string) string {
	t.Helper()
	zr, err := zip.NewReader(bytes.NewReader(b), int64(len(b)))
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range zr.File {
		if f.Name == name {
			rc, err := f.Open()
			if err != nil {
				t.Fatal(err)
			}
			defer rc.Close()
			data, _ := io.ReadAll(rc)
			return string(data)
		}
	}
	t.Fatalf("no %s in the workbook", name)
	return ""
}

// TestWriteSamples writes every format of the sample SoA into $SOA_SAMPLES (skipped without it), to look at:
// SOA_SAMPLES=/tmp/soa go test ./internal/export/soa -run WriteSamples && pdftoppm -png -r 60 /tmp/soa/v2.pdf /tmp/soa/p
func TestWriteSamples(t *testing.T) {
	dir := os.Getenv("SOA_SAMPLES")
	if dir == "" {
		t.Skip("SOA_SAMPLES not set")
	}
	for name, d := range map[string]Document{"v2": sampleDoc(true), "draft": sampleDoc(false), "extreme": extremeDoc(), "empty": {GeneratedAt: generated}} {
		for ext, write := range map[string]func(io.Writer, Document) error{"xlsx": XLSX, "pdf": PDF, "md": Markdown, "json": OSCAL,
			"csv": func(w io.Writer, d Document) error { return CSV(w, d, true) }} {
			var buf bytes.Buffer
			if err := write(&buf, d); err != nil {
				t.Log(name, ext, err) // the empty SoA has no OSCAL form
				continue
			}
			if err := os.WriteFile(filepath.Join(dir, name+"."+ext), buf.Bytes(), 0o644); err != nil {
				t.Fatal(err)
			}
		}
	}
}
