package service

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/praxis-isms/praxis/internal/blob"
	"github.com/praxis-isms/praxis/internal/export/auditorpack"
	"github.com/praxis-isms/praxis/internal/export/table"
	"github.com/praxis-isms/praxis/internal/isms"
	"github.com/praxis-isms/praxis/internal/store"
)

// AuditorPackOptions say what a pack holds beyond the records.
type AuditorPackOptions struct {
	Files bool // the evidence files themselves, under evidence/
}

// AuditorPack is what a pack built holds, for the door to report.
type AuditorPack struct {
	Files          int               `json:"files"`
	Bytes          int64             `json:"bytes"`
	ManifestSHA256 string            `json:"manifest_sha256"` // of MANIFEST.txt, recorded in the audit trail
	Missing        []auditorpack.Gap `json:"missing"`
}

// packActor is the caller if it may build an auditor pack: owners, admins and auditors (who read the audit
// trail) and approvers. The pack carries the audit trail, and building one is recorded, so a read-only token
// is refused before anything is read.
func packActor(ctx context.Context) (Actor, error) {
	a, err := require(ctx, isms.PermReadContent)
	if err != nil {
		return a, err
	}
	if !a.Role.Can(isms.PermReadAuditTrail) && !a.Approver {
		return a, isms.Forbidden("only owners, admins, auditors and approvers may build an auditor pack: it holds the audit trail")
	}
	if a.ReadOnly {
		return a, errReadOnlyToken
	}
	return a, nil
}

// AuditorPackName is the file name of a pack built now by the caller: auditor-pack-<organisation>-<day>.zip.
func (s *Service) AuditorPackName(ctx context.Context) string {
	a, _ := ActorFrom(ctx)
	return "auditor-pack-" + firstNonEmpty(auditorpack.FileName(a.OrgSlug), "isms") + "-" + s.Today() + ".zip"
}

// packPlan is what a pack will hold, read in one transaction before its first byte is written.
type packPlan struct {
	org    isms.Organisation
	soa    int // the latest approved version, 0: none
	scope  int
	docs   []isms.Document // those with a version in force
	audit  *isms.Audit     // the latest completed internal audit
	review *isms.Review    // the latest held management review
	files  []packFile      // evidence files, when asked for
	risks  int
	plan   int // treatment actions
}

// maxPackPDFRows bounds the registers the pack also gives as PDF: the PDF is built in memory, and thousands
// of pages help no reader; the XLSX holds every row whatever the count.
const maxPackPDFRows = 5000

type packFile struct{ ref, name, sha string }

// packPart is one file of the pack, or (files set) a folder of them.
type packPart struct {
	path, what string
	write      func(io.Writer) error
	files      func(*auditorpack.Pack) error
}

// BuildAuditorPack writes the auditor pack to w as a zip, one file at a time: README.txt, the approved SoA and
// scope, the risk register and treatment plan, the documents in force, the evidence index (and with
// opts.Files the evidence files, each checked against its SHA-256), the latest internal audit report and
// management review minutes, the lint report, the last twelve months of the audit trail with the check of its
// chain, and the manifest. Each part comes from the export the register has. A part the organisation does not
// have yet is listed in README.txt and manifest.json as missing, with why. The caller's access is checked, and
// what the pack holds read, before the first byte; the building is recorded in the audit trail with the
// SHA-256 of MANIFEST.txt.
func (s *Service) BuildAuditorPack(ctx context.Context, opts AuditorPackOptions, w io.Writer) (AuditorPack, error) {
	var out AuditorPack
	a, err := packActor(ctx)
	if err != nil {
		return out, err
	}
	plan, err := s.planPack(ctx, a, opts)
	if err != nil {
		return out, err
	}
	parts, gaps := s.packParts(ctx, a, plan)
	pack := auditorpack.New(w, auditorpack.Info{Organisation: plan.org.Name, By: firstNonEmpty(a.Name, a.Email), At: s.now()})
	if err := pack.Readme(readmeParts(parts), gaps); err != nil {
		return out, err
	}
	for _, p := range parts {
		if p.files != nil {
			err = p.files(pack)
		} else {
			err = pack.Add(p.path, p.what, p.write)
		}
		if err != nil {
			return out, err
		}
	}
	if out.ManifestSHA256, err = pack.Finish(); err != nil {
		return out, err
	}
	for _, f := range pack.Files() {
		out.Files++
		out.Bytes += f.Bytes
	}
	out.Missing = gaps
	if out.Missing == nil {
		out.Missing = []auditorpack.Gap{}
	}
	err = s.store.Write(ctx, func(tx *store.Tx) error {
		return s.audit(ctx, tx, a, "export", "auditor pack", "", s.AuditorPackName(ctx), nil,
			map[string]any{"files": out.Files, "bytes": out.Bytes, "manifest_sha256": out.ManifestSHA256, "evidence_files": opts.Files, "missing": len(gaps)})
	})
	return out, err
}

// planPack reads what the pack will hold: the versions in force, the latest audit and review, and (for
// opts.Files) the evidence files, one query each.
func (s *Service) planPack(ctx context.Context, a Actor, opts AuditorPackOptions) (packPlan, error) {
	var p packPlan
	err := s.store.Read(ctx, func(tx *store.Tx) error {
		var err error
		if p.org, err = tx.Org(ctx, a.OrgID); err != nil {
			return err
		}
		if p.soa, err = tx.LastApprovedVersion(ctx, a.OrgID, soaVersions.Subject); err != nil {
			return err
		}
		if p.scope, err = tx.LastApprovedVersion(ctx, a.OrgID, scopeVersions.Subject); err != nil {
			return err
		}
		err = store.Documents.Each(ctx, tx, a.OrgID, DocumentFilter{Sort: "ref"}, func(d isms.Document) error {
			if d.Approved > 0 {
				p.docs = append(p.docs, d)
			}
			return nil
		})
		if err != nil {
			return err
		}
		one := store.Page{Limit: 1}
		if p.risks, err = tx.CountRisks(ctx, a.OrgID); err != nil {
			return err
		}
		actions, err := tx.ListActions(ctx, a.OrgID, ActionFilter{}, one)
		if err != nil {
			return err
		}
		p.plan = actions.Total
		audits, err := store.Audits.List(ctx, tx, a.OrgID, InternalAuditFilter{Status: "completed", Sort: "-planned"}, one)
		if err != nil {
			return err
		}
		if len(audits.Items) > 0 {
			p.audit = &audits.Items[0]
		}
		reviews, err := store.Reviews.List(ctx, tx, a.OrgID, ReviewFilter{Status: "held", Sort: "-date"}, one)
		if err != nil {
			return err
		}
		if len(reviews.Items) > 0 {
			p.review = &reviews.Items[0]
		}
		if !opts.Files {
			return nil
		}
		return store.Evidence.Each(ctx, tx, a.OrgID, EvidenceFilter{Kind: "file", Sort: "ref"}, func(e isms.Evidence) error {
			if e.SHA256 != "" {
				p.files = append(p.files, packFile{ref: e.Ref, name: e.Filename, sha: e.SHA256})
			}
			return nil
		})
	})
	return p, err
}

// packParts are the pack's files in order, and the gaps: the parts the organisation does not have yet.
func (s *Service) packParts(ctx context.Context, a Actor, p packPlan) ([]packPart, []auditorpack.Gap) {
	var parts []packPart
	var gaps []auditorpack.Gap
	add := func(path, what string, write func(io.Writer) error) {
		parts = append(parts, packPart{path: path, what: what, write: write})
	}
	if p.soa > 0 {
		v := p.soa
		name := fmt.Sprintf("01-statement-of-applicability-v%d", v)
		what := fmt.Sprintf("the Statement of Applicability, approved version %d", v)
		add(name+".pdf", what+" (PDF)", func(w io.Writer) error { return s.ExportSoA(ctx, &v, "pdf", w) })
		add(name+".xlsx", what+" (spreadsheet)", func(w io.Writer) error { return s.ExportSoA(ctx, &v, "xlsx", w) })
	} else {
		gaps = append(gaps, auditorpack.Gap{What: "Statement of Applicability", Why: "no version of the SoA has been approved yet"})
	}
	if p.scope > 0 {
		v := strconv.Itoa(p.scope)
		add("02-isms-scope-v"+v+".pdf", "the ISMS scope, approved version "+v, func(w io.Writer) error { return s.ExportScope(ctx, v, "pdf", w) })
	} else {
		gaps = append(gaps, auditorpack.Gap{What: "ISMS scope", Why: "no version of the scope has been approved yet"})
	}
	for _, format := range pdfUpTo(p.risks, "Risk register", "risks", &gaps) {
		add("03-risk-register."+format, "the risk register, every risk", func(w io.Writer) error { return s.ExportRisks(ctx, RiskFilter{}, format, w) })
	}
	for _, format := range pdfUpTo(p.plan, "Risk treatment plan", "treatment actions", &gaps) {
		add("04-risk-treatment-plan."+format, "the risk treatment plan, every treatment action", func(w io.Writer) error {
			return s.ExportActions(ctx, ActionFilter{}, format, w)
		})
	}
	for _, d := range p.docs {
		add(fmt.Sprintf("05-documents/%s-%s-v%d.pdf", d.Ref, auditorpack.FileName(d.Title), d.Approved),
			fmt.Sprintf("%s %s (%s), version %d in force", d.Ref, d.Title, d.Type, d.Approved),
			func(w io.Writer) error { return s.ExportDocument(ctx, d.Ref, d.Approved, "pdf", w) })
	}
	if len(p.docs) == 0 {
		gaps = append(gaps, auditorpack.Gap{What: "Policies and documents", Why: "no document of the register has an approved version in force"})
	}
	for _, format := range []string{"csv", "xlsx"} {
		add("06-evidence-index."+format, "the evidence register with the SHA-256 of every file", func(w io.Writer) error {
			return s.writeEvidenceIndex(ctx, a, format, w)
		})
	}
	if len(p.files) > 0 {
		parts = append(parts, packPart{path: "evidence/", what: fmt.Sprintf("the %d evidence files, each named by its reference and checked against its SHA-256", len(p.files)),
			files: func(pack *auditorpack.Pack) error { return s.packEvidenceFiles(ctx, pack, p.files) }})
	}
	if au := p.audit; au != nil {
		add("07-internal-audit-report-"+au.Ref+".pdf", "the report of the latest completed internal audit, "+au.Ref+" "+au.Title,
			func(w io.Writer) error { return s.WriteAuditReport(ctx, au.Ref, "pdf", w) })
	} else {
		gaps = append(gaps, auditorpack.Gap{What: "Internal audit report", Why: "no internal audit has been completed yet"})
	}
	if r := p.review; r != nil {
		add("08-management-review-minutes-"+r.Ref+".pdf", "the minutes of the latest management review held, "+r.Ref+" "+r.Title,
			func(w io.Writer) error { return s.ReviewMinutes(ctx, r.Ref, "pdf", w) })
	} else {
		gaps = append(gaps, auditorpack.Gap{What: "Management review minutes", Why: "no management review has been held yet"})
	}
	lint := &lintParts{s: s, ctx: ctx}
	add("09-lint-report.json", "the findings an auditor would raise today, as JSON", lint.json)
	add("09-lint-report.pdf", "the same findings, readable", lint.pdf)
	trail := &trailParts{s: s, ctx: ctx, a: a}
	add("10-audit-trail-last-12-months.csv", "every change of the last twelve months from the tamper-evident audit trail", trail.csv)
	add("10-audit-trail-chain-check.txt", "the check of the audit trail's hash chain: intact or where it breaks", trail.check)
	return parts, gaps
}

// evidenceIndexColumns are the evidence index's columns, in the order an auditor reads them.
var evidenceIndexColumns = []table.Column{col("ref", 9, false), col("title", 30, true), col("kind", 7, false), col("controls", 14, true),
	col("clauses", 10, true), col("collected", 11, false), col("valid_until", 11, false), col("status", 9, false),
	col("filename", 20, true), col("size", 10, false), col("sha256", 64, false)}

// writeEvidenceIndex writes the whole evidence register as csv or xlsx, streamed by keyset in one read
// transaction.
func (s *Service) writeEvidenceIndex(ctx context.Context, a Actor, format string, w io.Writer) error {
	f := EvidenceFilter{Sort: "ref", Today: s.today()}
	return s.store.Read(ctx, func(tx *store.Tx) error {
		sh := &table.Sheet{Name: "Evidence", Title: "Evidence index", Columns: evidenceIndexColumns, Rows: func(emit func(table.Row) error) error {
			return store.Evidence.Each(ctx, tx, a.OrgID, f, func(e isms.Evidence) error {
				e = s.statusOf(e)
				return emit(table.Row{e.Ref, e.Title, e.Kind, strings.Join(e.Controls, ", "), strings.Join(e.Clauses, ", "), e.CollectedAt,
					e.ValidUntil, e.Status, e.Filename, e.Size, e.SHA256})
			})
		}}
		if format == "xlsx" {
			return table.WriteXLSX(w, sh)
		}
		return table.WriteCSV(w, sh, table.CSVOptions{})
	})
}

// packEvidenceFiles streams each evidence file from the file store into the pack, checked against its SHA-256
// as it is read: a damaged or missing file stops the pack with an error naming it.
func (s *Service) packEvidenceFiles(ctx context.Context, pack *auditorpack.Pack, files []packFile) error {
	for _, f := range files {
		name := firstNonEmpty(auditorpack.FileName(f.name), "file")
		err := pack.Add("evidence/"+f.ref+"-"+name, "the file of evidence "+f.ref, func(w io.Writer) error {
			rc, err := s.openEvidenceBlob(ctx, f.ref, f.sha)
			if err != nil {
				return err
			}
			defer rc.Close()
			_, err = io.Copy(w, rc)
			if errors.Is(err, blob.ErrCorrupt) {
				return isms.Conflict("the stored file of %s no longer matches its SHA-256 %s: restore it from a backup", f.ref, f.sha)
			}
			return err
		})
		if err != nil {
			return err
		}
		if got := pack.Files()[len(pack.Files())-1].SHA256; got != f.sha {
			return isms.Conflict("the file of %s hashes to %s, not to the SHA-256 %s recorded: restore it from a backup", f.ref, got, f.sha)
		}
	}
	return nil
}

// AuditorPackContents is what a pack built now would hold and lack, for the page that offers it.
type AuditorPackContents struct {
	Parts   []auditorpack.Part
	Missing []auditorpack.Gap
}

// AuditorPackContents reads what a pack built now would hold (with the evidence files when files is set) and
// what it would lack, without building it.
func (s *Service) AuditorPackContents(ctx context.Context, files bool) (AuditorPackContents, error) {
	var out AuditorPackContents
	a, err := packActor(ctx)
	if err != nil {
		return out, err
	}
	plan, err := s.planPack(ctx, a, AuditorPackOptions{Files: files})
	if err != nil {
		return out, err
	}
	parts, gaps := s.packParts(ctx, a, plan)
	out.Parts, out.Missing = readmeParts(parts), gaps
	return out, nil
}

func readmeParts(parts []packPart) []auditorpack.Part {
	out := make([]auditorpack.Part, len(parts))
	for i, p := range parts {
		out[i] = auditorpack.Part{Path: p.path, What: p.what}
	}
	return out
}

// pdfUpTo are the formats of a register of n rows in the pack: XLSX, and PDF too up to maxPackPDFRows rows (a
// gap says why not beyond).
func pdfUpTo(n int, what, rows string, gaps *[]auditorpack.Gap) []string {
	if n <= maxPackPDFRows {
		return []string{"xlsx", "pdf"}
	}
	*gaps = append(*gaps, auditorpack.Gap{What: what + " as PDF",
		Why: fmt.Sprintf("its %d %s are more than the %d a readable PDF holds; the XLSX beside it has them all", n, rows, maxPackPDFRows)})
	return []string{"xlsx"}
}
