package service

import (
	"context"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/praxis-isms/praxis/internal/export/pdf"
	"github.com/praxis-isms/praxis/internal/isms"
	"github.com/praxis-isms/praxis/internal/policy"
	"github.com/praxis-isms/praxis/internal/store"
)

// Documented information (clause 7.5): the document register, each document's versions and their workflow
// (draft -> in review -> approved -> retired), comparison of versions, publication to the people of the register
// and their acknowledgements.

// DocumentFilter narrows the document register.
type DocumentFilter = store.DocumentFilter

// DocumentRegister is the declaration of the document register: the doors read its filters, sorts and columns.
var DocumentRegister = store.Documents

// DocumentInput is the editable part of a document. Content and Summary, when sent (or given to AddDocument),
// change the open draft, or start a new draft version when the latest version is approved or retired; a
// change to a version in review sends it back to draft.
type DocumentInput struct {
	Title          string   `json:"title" doc:"Title"`
	Type           string   `json:"type" doc:"policy, procedure, standard, plan, record or template"`
	Owner          string   `json:"owner" doc:"Owner: a person's reference, name or email"`
	Clauses        []string `json:"clauses" doc:"ISO/IEC 27001 clauses the document serves (7.5, 5.2)"`
	Controls       []string `json:"controls" doc:"Annex A controls the document serves (5.1, 8.28)"`
	Classification string   `json:"classification" doc:"public, internal, confidential or restricted"`
	ReviewMonths   int      `json:"review_months" doc:"Review interval in months (1 to 60; 12 when not given)"`
	Content        string   `json:"content" doc:"Markdown of the draft version"`
	Summary        string   `json:"summary" doc:"What this version changes"`
	Template       string   `json:"template" doc:"New documents only: start from this policy template (its key, as the templates list names it), filled from the organisation's data"`
	Version        int      `json:"version" doc:"The version read; required for a change"`
	Sent           Sent     `json:"-"` // the fields a request carried (patch.go)
}

// UnmarshalJSON records the fields sent.
func (in *DocumentInput) UnmarshalJSON(b []byte) error {
	type plain DocumentInput
	return decodeSent(b, (*plain)(in), &in.Sent)
}

var documentRequired = []string{"title", "type"}

// check validates in and normalises its lists; owner resolution is the transaction's.
func (in *DocumentInput) check(s *Service, p *isms.Problems) {
	isms.CheckText(p, "title", in.Title, 200)
	in.Type = strings.ToLower(strings.TrimSpace(in.Type))
	if !isms.OneOf(in.Type, isms.DocumentTypes) {
		p.Add("type", "must be one of %s", strings.Join(isms.DocumentTypes, ", "))
	}
	in.Classification = strings.ToLower(strings.TrimSpace(in.Classification))
	if in.Classification != "" && !isms.OneOf(in.Classification, isms.Classifications) {
		p.Add("classification", "must be one of %s", strings.Join(isms.Classifications, ", "))
	}
	if in.ReviewMonths == 0 {
		in.ReviewMonths = 12
	}
	if in.ReviewMonths < 1 || in.ReviewMonths > 60 {
		p.Add("review_months", "must be from 1 to 60 months")
	}
	in.Controls = cleanIDs(in.Controls)
	for _, c := range in.Controls {
		if _, ok := s.cat.Control(c); !ok {
			p.Add("controls", "%q is not an ISO/IEC 27001:2022 Annex A control", c)
		}
	}
	in.Clauses = cleanIDs(in.Clauses)
	for _, c := range in.Clauses {
		if _, ok := s.cat.Clause(c); !ok {
			p.Add("clauses", "%q is not a clause of ISO/IEC 27001:2022", c)
		}
	}
	if len(in.Content) > isms.MaxDocumentContent {
		p.Add("content", "must be at most %d bytes", isms.MaxDocumentContent)
	}
	if len(in.Summary) > 2000 {
		p.Add("summary", "must be at most 2000 characters")
	}
}

// cleanIDs trims, drops empty and repeated ids (comma lists split too) and strips an "A." prefix.
func cleanIDs(ids []string) []string {
	out := []string{}
	for _, id := range ids {
		for _, part := range strings.Split(id, ",") {
			if part = controlID(part); part != "" && !slices.Contains(out, part) {
				out = append(out, part)
			}
		}
	}
	return out
}

// ListDocuments lists the document register. Overdue "yes" keeps the documents in force past their review
// date today.
func (s *Service) ListDocuments(ctx context.Context, f DocumentFilter, p Page) (List[isms.Document], error) {
	switch f.Overdue {
	case "", "no":
		f.Overdue = ""
	case "yes":
		f.Overdue = s.today()
	default:
		return List[isms.Document]{Items: []isms.Document{}}, isms.Invalid(isms.FieldError{Field: "overdue", Message: "must be yes or no"})
	}
	return readAs(ctx, s, isms.PermReadContent, func(tx *store.Tx, a Actor) (List[isms.Document], error) {
		return store.Documents.List(ctx, tx, a.OrgID, f, p)
	})
}

// today is the service's day as YYYY-MM-DD.
func (s *Service) today() string { return s.now().Format(time.DateOnly) }

// Document returns one document by reference (DOC-001) or id.
func (s *Service) Document(ctx context.Context, ref string) (isms.Document, error) {
	return readAs(ctx, s, isms.PermReadContent, func(tx *store.Tx, a Actor) (isms.Document, error) {
		return store.Documents.Get(ctx, tx, a.OrgID, ref)
	})
}

// DocumentVersions lists a document's versions, newest first, with their content.
func (s *Service) DocumentVersions(ctx context.Context, ref string) ([]isms.DocumentVersion, error) {
	return readAs(ctx, s, isms.PermReadContent, func(tx *store.Tx, a Actor) ([]isms.DocumentVersion, error) {
		d, err := store.Documents.Get(ctx, tx, a.OrgID, ref)
		if err != nil {
			return nil, err
		}
		return tx.DocumentVersions(ctx, a.OrgID, d.ID)
	})
}

// DocumentVersion returns one version of a document; number 0 is the latest.
func (s *Service) DocumentVersion(ctx context.Context, ref string, number int) (isms.DocumentVersion, error) {
	return readAs(ctx, s, isms.PermReadContent, func(tx *store.Tx, a Actor) (isms.DocumentVersion, error) {
		d, err := store.Documents.Get(ctx, tx, a.OrgID, ref)
		if err != nil {
			return isms.DocumentVersion{}, err
		}
		if number == 0 {
			number = d.Latest
		}
		return tx.DocumentVersion(ctx, a.OrgID, d.ID, d.Ref, number)
	})
}

// documentAudit is what the audit trail records of a document change: the row, and the version the change
// touched without its text (its SHA-256 stands for it).
type documentAudit struct {
	isms.Document
	Changed *versionAudit `json:"changed_version,omitempty"`
}

type versionAudit struct {
	isms.DocumentVersion
	ContentHash string `json:"content_sha256"`
}

func auditOf(d isms.Document, v *isms.DocumentVersion) documentAudit {
	out := documentAudit{Document: d}
	if v != nil {
		va := versionAudit{DocumentVersion: *v, ContentHash: isms.ContentHash([]byte(v.Content))}
		va.Content = ""
		out.Changed = &va
	}
	return out
}

// AddDocument adds a document with its first version, a draft of in.Content.
func (s *Service) AddDocument(ctx context.Context, in DocumentInput) (isms.Document, error) {
	a, err := require(ctx, isms.PermWriteContent)
	if err != nil {
		return isms.Document{}, err
	}
	if strings.TrimSpace(in.Template) != "" {
		if err := s.fromTemplate(ctx, a, &in); err != nil {
			return isms.Document{}, err
		}
	}
	var p isms.Problems
	in.check(s, &p)
	if err := p.Err(); err != nil {
		return isms.Document{}, err
	}
	var out isms.Document
	err = s.store.Write(ctx, func(tx *store.Tx) error {
		owner, err := documentOwner(ctx, tx, a, in.Owner)
		if err != nil {
			return err
		}
		now := s.stamp()
		d := isms.Document{ID: store.NewID(), Status: isms.DocDraft, Latest: 1, CreatedAt: now}
		in.apply(&d, owner, now)
		if d.Ref, err = tx.NextRef(ctx, a.OrgID, "DOC"); err != nil {
			return err
		}
		if err := refuseSecondMethodology(ctx, tx, a.OrgID, templateKey(in)); err != nil {
			return err
		}
		if err := store.Documents.Insert(ctx, tx, a.OrgID, &d); err != nil {
			return err
		}
		if err := setTemplate(ctx, tx, a.OrgID, d.ID, templateKey(in)); err != nil {
			return err
		}
		v := isms.DocumentVersion{Number: 1, Status: isms.DocDraft, Content: in.Content, Summary: strings.TrimSpace(in.Summary),
			CreatedBy: firstNonEmpty(a.Name, a.Email), CreatedAt: now}
		if v.Summary == "" {
			v.Summary = "First version"
		}
		if err := tx.InsertDocumentVersion(ctx, a.OrgID, d.ID, v); err != nil {
			return err
		}
		out = d
		return s.audit(ctx, tx, a, "create", "document", d.ID, d.Ref, nil, auditOf(d, &v))
	})
	if err != nil {
		return isms.Document{}, err
	}
	return out, nil
}

// DocumentTemplates lists the policy templates a new document may start from.
func (s *Service) DocumentTemplates(ctx context.Context) ([]policy.Template, error) {
	if _, err := require(ctx, isms.PermReadContent); err != nil {
		return nil, err
	}
	return policy.Templates(), nil
}

// fromTemplate fills a new document's input from a policy template rendered with the organisation's facts (its
// name, scope, role holders, risk method and SoA decisions): the content, and the title, type, controls and
// clauses the input leaves empty.
func (s *Service) fromTemplate(ctx context.Context, a Actor, in *DocumentInput) error {
	key := strings.TrimSpace(in.Template)
	t, ok := policy.Lookup(key)
	if !ok {
		_, err := policy.Render(key, policy.Facts{}) // names the templates there are
		return err
	}
	facts, err := s.PolicyFacts(ctx)
	if err != nil {
		return err
	}
	content, err := policy.Render(key, facts)
	if err != nil {
		return err
	}
	in.Content = content
	if strings.TrimSpace(in.Title) == "" {
		in.Title = t.Title
	}
	if strings.TrimSpace(in.Type) == "" {
		in.Type = t.Type
	}
	if len(cleanIDs(in.Controls)) == 0 {
		in.Controls = t.Controls
	}
	if len(cleanIDs(in.Clauses)) == 0 {
		in.Clauses = t.Clauses
	}
	if strings.TrimSpace(in.Summary) == "" {
		in.Summary = "Drafted from the template " + t.Key
	}
	return nil
}

// documentOwner resolves the owner a document names with one scoped query (none when it names no one).
func documentOwner(ctx context.Context, tx *store.Tx, a Actor, owner string) (store.Target, error) {
	if strings.TrimSpace(owner) == "" {
		return store.Target{}, nil
	}
	people, err := tx.Resolve(ctx, a.OrgID, store.PeopleLookup, []string{owner})
	if err != nil {
		return store.Target{}, err
	}
	var p isms.Problems
	t := resolveTarget(&p, "owner", owner, people, "person")
	return t, p.Err()
}

// apply copies a valid input's register fields onto d.
func (in DocumentInput) apply(d *isms.Document, owner store.Target, now time.Time) {
	d.Title, d.Type, d.Classification = strings.TrimSpace(in.Title), in.Type, in.Classification
	d.Clauses, d.Controls, d.ReviewMonths = in.Clauses, in.Controls, in.ReviewMonths
	d.OwnerID, d.Owner, d.OwnerName = owner.ID, owner.Ref, owner.Name
	d.UpdatedAt = now
}

// UpdateDocument changes a document as a whole (title and type required); content, when sent, changes the
// draft as DocumentInput says.
func (s *Service) UpdateDocument(ctx context.Context, ref string, in DocumentInput) (isms.Document, error) {
	if err := in.Sent.require(documentRequired...); err != nil {
		return isms.Document{}, err
	}
	return s.writeDoc(ctx, ref, in, false)
}

// PatchDocument changes the fields in.Sent names, keeping the others as saved.
func (s *Service) PatchDocument(ctx context.Context, ref string, in DocumentInput) (isms.Document, error) {
	return s.writeDoc(ctx, ref, in, true)
}

func (s *Service) writeDoc(ctx context.Context, ref string, in DocumentInput, patch bool) (isms.Document, error) {
	contentSent := in.Sent == nil || in.Sent["content"] || in.Sent["summary"]
	return s.changeDocument(ctx, isms.PermWriteContent, ref, in.Version, "update", func(tx *store.Tx, a Actor, d *isms.Document) (*isms.DocumentVersion, error) {
		sent := in.Sent
		if patch {
			in = overlay(inputOf[DocumentInput](*d), in, sent)
		}
		latest, err := tx.DocumentVersion(ctx, a.OrgID, d.ID, d.Ref, d.Latest)
		if err != nil {
			return nil, err
		}
		if patch && !sent["content"] {
			in.Content = latest.Content
		}
		if patch && !sent["summary"] && latest.Status == isms.DocDraft {
			in.Summary = latest.Summary
		}
		var p isms.Problems
		in.check(s, &p)
		if err := p.Err(); err != nil {
			return nil, err
		}
		owner, err := documentOwner(ctx, tx, a, in.Owner)
		if err != nil {
			return nil, err
		}
		now := s.stamp()
		in.apply(d, owner, now)
		if !contentSent {
			return nil, nil
		}
		return s.writeDraft(ctx, tx, a, d, latest, in.Content, strings.TrimSpace(in.Summary), now)
	})
}

// writeDraft puts content into the document's open version (a version in review goes back to draft), or into
// a new draft when the latest version is approved or retired. An unchanged open version is left alone.
func (s *Service) writeDraft(ctx context.Context, tx *store.Tx, a Actor, d *isms.Document, latest isms.DocumentVersion, content, summary string, now time.Time) (*isms.DocumentVersion, error) {
	switch latest.Status {
	case isms.DocDraft, isms.DocInReview:
		if latest.Content == content && latest.Summary == summary && latest.Status == isms.DocDraft {
			return nil, nil
		}
		latest.Content, latest.Summary, latest.Status = content, summary, isms.DocDraft
		latest.SubmittedBy, latest.SubmittedAt = "", nil
		if err := tx.SaveDocumentVersion(ctx, a.OrgID, d.ID, latest); err != nil {
			return nil, err
		}
		d.Status = isms.DocDraft
		return &latest, nil
	}
	if content == latest.Content && summary == "" {
		return nil, nil // nothing new to review: say what a new version changes to start one
	}
	v := isms.DocumentVersion{Number: d.Latest + 1, Status: isms.DocDraft, Content: content, Summary: summary,
		CreatedBy: firstNonEmpty(a.Name, a.Email), CreatedAt: now}
	if err := tx.InsertDocumentVersion(ctx, a.OrgID, d.ID, v); err != nil {
		return nil, err
	}
	d.Latest, d.Status = v.Number, isms.DocDraft
	return &v, nil
}

// changeDocument is the shape of every change of a document: the role, one transaction, the row by reference,
// the version check (missing: 422, stale: 409), fn, the save and the audit event with the version fn touched.
func (s *Service) changeDocument(ctx context.Context, perm isms.Permission, ref string, version int, action string,
	fn func(tx *store.Tx, a Actor, d *isms.Document) (*isms.DocumentVersion, error)) (isms.Document, error) {
	a, err := require(ctx, perm)
	if err != nil {
		return isms.Document{}, err
	}
	return s.changeDocumentAs(ctx, a, ref, version, action, fn)
}

func (s *Service) changeDocumentAs(ctx context.Context, a Actor, ref string, version int, action string,
	fn func(tx *store.Tx, a Actor, d *isms.Document) (*isms.DocumentVersion, error)) (isms.Document, error) {
	if version < 1 {
		return isms.Document{}, isms.VersionMismatch("document", ref, version)
	}
	var out isms.Document
	err := s.store.Write(ctx, func(tx *store.Tx) error {
		before, err := store.Documents.Get(ctx, tx, a.OrgID, ref)
		if err != nil {
			return err
		}
		if before.Version != version {
			return isms.StaleVersion("document", before.Ref)
		}
		d := before
		v, err := fn(tx, a, &d)
		if err != nil {
			return err
		}
		if err := store.Documents.Update(ctx, tx, a.OrgID, &d); err != nil {
			return err
		}
		out = d
		return s.audit(ctx, tx, a, action, "document", d.ID, d.Ref, before, auditOf(d, v))
	})
	if err != nil {
		return isms.Document{}, err
	}
	return out, nil
}

// refuseStatus is the Conflict of a workflow step from the wrong status.
func refuseStatus(d isms.Document, v isms.DocumentVersion, want string) error {
	return isms.Conflict("%s version %d is %s: %s", d.Ref, v.Number, v.Status, want)
}

// SubmitDocument sends the document's draft for review.
func (s *Service) SubmitDocument(ctx context.Context, ref string, version int) (isms.Document, error) {
	return s.changeDocument(ctx, isms.PermWriteContent, ref, version, "submit", func(tx *store.Tx, a Actor, d *isms.Document) (*isms.DocumentVersion, error) {
		v, err := tx.DocumentVersion(ctx, a.OrgID, d.ID, d.Ref, d.Latest)
		if err != nil {
			return nil, err
		}
		if v.Status != isms.DocDraft {
			return nil, refuseStatus(*d, v, "only a draft can be submitted for review")
		}
		if strings.TrimSpace(v.Content) == "" {
			return nil, isms.Invalid(isms.FieldError{Field: "content", Message: "is empty: write the document before submitting it"})
		}
		now := s.stamp()
		v.Status, v.SubmittedBy, v.SubmittedAt = isms.DocInReview, firstNonEmpty(a.Name, a.Email), &now
		if err := tx.SaveDocumentVersion(ctx, a.OrgID, d.ID, v); err != nil {
			return nil, err
		}
		d.Status, d.UpdatedAt = isms.DocInReview, now
		return &v, nil
	})
}

// ApproveDocument approves the version in review (approvers only): it becomes the version in force, immutable,
// with the approver, the date and the SHA-256 of its content; the next review falls the review interval after
// today. The version it replaces is retired, and the people that version was published to must acknowledge the
// new one.
func (s *Service) ApproveDocument(ctx context.Context, ref string, version int) (isms.Document, error) {
	a, err := require(ctx, isms.PermReadContent)
	if err != nil {
		return isms.Document{}, err
	}
	if !a.Approver {
		return isms.Document{}, isms.Forbidden("only an approver may approve a document")
	}
	return s.changeDocumentAs(ctx, a, ref, version, "approve", func(tx *store.Tx, a Actor, d *isms.Document) (*isms.DocumentVersion, error) {
		v, err := tx.DocumentVersion(ctx, a.OrgID, d.ID, d.Ref, d.Latest)
		if err != nil {
			return nil, err
		}
		if v.Status != isms.DocInReview {
			return nil, refuseStatus(*d, v, "only a version in review can be approved (submit the draft first)")
		}
		now := s.stamp()
		if d.Approved > 0 {
			prev, err := tx.DocumentVersion(ctx, a.OrgID, d.ID, d.Ref, d.Approved)
			if err != nil {
				return nil, err
			}
			prev.Status, prev.RetiredAt = isms.DocRetired, &now
			if err := tx.SaveDocumentVersion(ctx, a.OrgID, d.ID, prev); err != nil {
				return nil, err
			}
			if prev.PublishedAt != nil {
				if err := tx.CopyDocumentReaders(ctx, a.OrgID, d.ID, prev.Number, v.Number); err != nil {
					return nil, err
				}
				v.Audience, v.PublishedAt = prev.Audience, &now
			}
		}
		v.Status, v.ApprovedBy, v.ApprovedByID, v.ApprovedAt = isms.DocApproved, firstNonEmpty(a.Name, a.Email), a.UserID, &now
		v.Hash = isms.ContentHash([]byte(v.Content))
		if err := tx.SaveDocumentVersion(ctx, a.OrgID, d.ID, v); err != nil {
			return nil, err
		}
		d.Status, d.Approved, d.UpdatedAt = isms.DocApproved, v.Number, now
		d.NextReview = isms.AddMonths(now, d.ReviewMonths).Format(time.DateOnly)
		return &v, nil
	})
}

// RetireDocument withdraws a document: the version in force and any open version are retired, and nothing is
// in force any more. A new draft may bring it back later.
func (s *Service) RetireDocument(ctx context.Context, ref string, version int) (isms.Document, error) {
	return s.changeDocument(ctx, isms.PermWriteContent, ref, version, "retire", func(tx *store.Tx, a Actor, d *isms.Document) (*isms.DocumentVersion, error) {
		v, err := tx.DocumentVersion(ctx, a.OrgID, d.ID, d.Ref, d.Latest)
		if err != nil {
			return nil, err
		}
		if v.Status == isms.DocRetired {
			return nil, refuseStatus(*d, v, "the document is retired already")
		}
		now := s.stamp()
		retire := []int{v.Number}
		if d.Approved > 0 && d.Approved != v.Number {
			retire = append(retire, d.Approved)
		}
		for _, n := range retire {
			x := v
			if n != v.Number {
				if x, err = tx.DocumentVersion(ctx, a.OrgID, d.ID, d.Ref, n); err != nil {
					return nil, err
				}
			}
			x.Status, x.RetiredAt = isms.DocRetired, &now
			if err := tx.SaveDocumentVersion(ctx, a.OrgID, d.ID, x); err != nil {
				return nil, err
			}
			if n == v.Number {
				v = x
			}
		}
		d.Status, d.Approved, d.NextReview, d.UpdatedAt = isms.DocRetired, 0, "", now
		return &v, nil
	})
}

// DocumentDiff is the line diff of two versions of a document.
type DocumentDiff struct {
	Ref   string          `json:"ref"`
	From  int             `json:"from"`
	To    int             `json:"to"`
	Lines []isms.DiffLine `json:"lines"`
	Added int             `json:"added"`
	Gone  int             `json:"removed"`
}

// DiffDocument compares two versions of a document line by line (from 0: the version before to; to 0: the
// latest).
func (s *Service) DiffDocument(ctx context.Context, ref string, from, to int) (DocumentDiff, error) {
	return readAs(ctx, s, isms.PermReadContent, func(tx *store.Tx, a Actor) (DocumentDiff, error) {
		d, err := store.Documents.Get(ctx, tx, a.OrgID, ref)
		if err != nil {
			return DocumentDiff{}, err
		}
		if to == 0 {
			to = d.Latest
		}
		if from == 0 {
			from = max(to-1, 1)
		}
		out := DocumentDiff{Ref: d.Ref, From: from, To: to, Lines: []isms.DiffLine{}}
		var texts [2]string
		for i, n := range []int{from, to} {
			v, err := tx.DocumentVersion(ctx, a.OrgID, d.ID, d.Ref, n)
			if err != nil {
				return out, err
			}
			texts[i] = v.Content
		}
		out.Lines = isms.DiffLines(texts[0], texts[1])
		for _, l := range out.Lines {
			switch l.Op {
			case "+":
				out.Added++
			case "-":
				out.Gone++
			}
		}
		return out, nil
	})
}

// PublishInput names to whom the version in force is published: everyone in the register, one department,
// or named people (references, names or emails).
type PublishInput struct {
	All    bool     `json:"all" doc:"Publish to everyone in the people register"`
	Team   string   `json:"team" doc:"Publish to the people of this department"`
	People []string `json:"people" doc:"Publish to these people (references, names or emails)"`
}

// Publication is what a publication did.
type Publication struct {
	Ref      string `json:"ref"`
	Number   int    `json:"number"`
	Audience string `json:"audience"`
	Added    int    `json:"added"` // people who became readers (those already readers are not counted)
	Total    int    `json:"total"` // readers of the version now
}

// PublishDocument publishes the version in force to the people in names; each must then acknowledge having
// read it. Publishing again to more people adds them; the acknowledgements given stay.
func (s *Service) PublishDocument(ctx context.Context, ref string, in PublishInput) (Publication, error) {
	a, err := require(ctx, isms.PermWriteContent)
	if err != nil {
		return Publication{}, err
	}
	in.Team = strings.TrimSpace(in.Team)
	named := cleanList(in.People)
	chosen := 0
	for _, b := range []bool{in.All, in.Team != "", len(named) > 0} {
		if b {
			chosen++
		}
	}
	if chosen != 1 {
		return Publication{}, isms.Invalid(isms.FieldError{Field: "audience", Message: "choose one: all staff, a team (department) or named people"})
	}
	var out Publication
	err = s.store.Write(ctx, func(tx *store.Tx) error {
		d, err := store.Documents.Get(ctx, tx, a.OrgID, ref)
		if err != nil {
			return err
		}
		if d.Approved == 0 {
			return isms.Conflict("%s has no approved version in force: approve it before publishing", d.Ref)
		}
		v, err := tx.DocumentVersion(ctx, a.OrgID, d.ID, d.Ref, d.Approved)
		if err != nil {
			return err
		}
		var ids []string
		switch {
		case in.All:
			out.Audience = "all staff"
			ids, err = tx.AudiencePeople(ctx, a.OrgID, "")
		case in.Team != "":
			out.Audience = "team " + in.Team
			ids, err = tx.AudiencePeople(ctx, a.OrgID, in.Team)
			if err == nil && len(ids) == 0 {
				return isms.Invalid(isms.FieldError{Field: "team", Message: fmt.Sprintf("no one in the department %q", in.Team)})
			}
		default:
			out.Audience = "named people"
			people, rerr := tx.Resolve(ctx, a.OrgID, store.PeopleLookup, named)
			if rerr != nil {
				return rerr
			}
			var p isms.Problems
			for _, n := range named {
				if t := resolveTarget(&p, "people", n, people, "person"); t.ID != "" && !slices.Contains(ids, t.ID) {
					ids = append(ids, t.ID)
				}
			}
			err = p.Err()
		}
		if err != nil {
			return err
		}
		if out.Added, err = tx.AddDocumentReaders(ctx, a.OrgID, d.ID, v.Number, ids); err != nil {
			return err
		}
		now := s.stamp()
		if v.Audience != "" && v.Audience != out.Audience {
			v.Audience = v.Audience + "; " + out.Audience
		} else {
			v.Audience = out.Audience
		}
		v.PublishedAt = &now
		if err := tx.SaveDocumentVersion(ctx, a.OrgID, d.ID, v); err != nil {
			return err
		}
		out.Ref, out.Number, out.Audience = d.Ref, v.Number, v.Audience
		readers, err := tx.DocumentReaders(ctx, a.OrgID, d.ID, v.Number)
		if err != nil {
			return err
		}
		out.Total = len(readers)
		return s.audit(ctx, tx, a, "publish", "document", d.ID, d.Ref, nil, out)
	})
	if err != nil {
		return Publication{}, err
	}
	return out, nil
}

// cleanList trims and drops empty values.
func cleanList(l []string) []string {
	var out []string
	for _, v := range l {
		if v = strings.TrimSpace(v); v != "" {
			out = append(out, v)
		}
	}
	return out
}

// AckInput says which version someone confirms having read. Person empty: the caller, through the person of
// the register linked to their account; a person named: recorded for them by an editor (staff without an
// account). Number 0: the version in force.
type AckInput struct {
	Number int    `json:"number" doc:"Version number; 0 or left out: the version in force"`
	Person string `json:"person" doc:"The person who read it (reference, name or email); left out: yourself"`
}

// AcknowledgeDocument records that a person has read a published version. Anyone may acknowledge for
// themselves; recording it for someone else takes the right to edit ISMS content, and the record names who
// recorded it.
func (s *Service) AcknowledgeDocument(ctx context.Context, ref string, in AckInput) (isms.Acknowledgements, error) {
	a, err := require(ctx, isms.PermReadContent)
	if err != nil {
		return isms.Acknowledgements{}, err
	}
	var out isms.Acknowledgements
	err = s.store.Write(ctx, func(tx *store.Tx) error {
		d, err := store.Documents.Get(ctx, tx, a.OrgID, ref)
		if err != nil {
			return err
		}
		number := in.Number
		if number == 0 {
			number = d.Approved
		}
		if number == 0 || number != d.Approved {
			return isms.Invalid(isms.FieldError{Field: "number", Message: fmt.Sprintf("%s version %d is not the version in force", d.Ref, number)})
		}
		self, linked, err := tx.PersonOfUser(ctx, a.OrgID, a.UserID, a.Email)
		if err != nil {
			return err
		}
		who, recordedBy := self, ""
		if strings.TrimSpace(in.Person) != "" {
			people, err := tx.Resolve(ctx, a.OrgID, store.PeopleLookup, []string{in.Person})
			if err != nil {
				return err
			}
			var p isms.Problems
			who = resolveTarget(&p, "person", in.Person, people, "person")
			if err := p.Err(); err != nil {
				return err
			}
			if !linked || who.ID != self.ID {
				if !a.Role.Can(isms.PermWriteContent) {
					return isms.Forbidden("only an editor may record that someone else has read a document")
				}
				recordedBy = firstNonEmpty(a.Name, a.Email)
			}
		} else if !linked {
			return isms.Invalid(isms.FieldError{Field: "person", Message: "your account is not linked to a person of the register (same email): ask an editor to record your acknowledgement"})
		}
		if linked && who.ID == self.ID {
			if err := s.linkSelf(ctx, tx, a, self); err != nil {
				return err
			}
		}
		ok, err := tx.AcknowledgeDocument(ctx, a.OrgID, d.ID, number, who.ID, s.stamp(), recordedBy)
		if err != nil {
			return err
		}
		if !ok {
			return isms.Invalid(isms.FieldError{Field: "person", Message: fmt.Sprintf("%s version %d was not published to %s", d.Ref, number, who.Name)})
		}
		if out, err = acknowledgements(ctx, tx, a, d, number); err != nil {
			return err
		}
		return s.audit(ctx, tx, a, "acknowledge", "document", d.ID, d.Ref, nil, map[string]any{"version": number, "person": who.Ref,
			"name": who.Name, "recorded_by": recordedBy})
	})
	return out, err
}

// DocumentAcknowledgements lists who has and who has not acknowledged a version (0: the version in force, or
// else the latest).
func (s *Service) DocumentAcknowledgements(ctx context.Context, ref string, number int) (isms.Acknowledgements, error) {
	return readAs(ctx, s, isms.PermReadContent, func(tx *store.Tx, a Actor) (isms.Acknowledgements, error) {
		d, err := store.Documents.Get(ctx, tx, a.OrgID, ref)
		if err != nil {
			return isms.Acknowledgements{}, err
		}
		if number == 0 {
			number = max(d.Approved, d.Latest)
		}
		return acknowledgements(ctx, tx, a, d, number)
	})
}

func acknowledgements(ctx context.Context, tx *store.Tx, a Actor, d isms.Document, number int) (isms.Acknowledgements, error) {
	v, err := tx.DocumentVersion(ctx, a.OrgID, d.ID, d.Ref, number)
	if err != nil {
		return isms.Acknowledgements{}, err
	}
	readers, err := tx.DocumentReaders(ctx, a.OrgID, d.ID, number)
	if err != nil {
		return isms.Acknowledgements{}, err
	}
	out := isms.Acknowledgements{Number: number, Audience: v.Audience, PublishedAt: v.PublishedAt, Total: len(readers),
		Have: []isms.Acknowledgement{}, HaveNot: []isms.Acknowledgement{}}
	for _, r := range readers {
		if r.AcknowledgedAt != nil {
			out.Have = append(out.Have, r)
		} else {
			out.HaveNot = append(out.HaveNot, r)
		}
	}
	out.Done = len(out.Have)
	return out, nil
}

// OverdueDocuments counts the documents in force whose review date has passed.
func (s *Service) OverdueDocuments(ctx context.Context) (int, error) {
	return readAs(ctx, s, isms.PermReadContent, func(tx *store.Tx, a Actor) (int, error) {
		return tx.OverdueDocuments(ctx, a.OrgID, s.today())
	})
}

// MyDocumentsToRead lists the versions in force published to the caller's person that they have not yet
// acknowledged (empty when their account is not linked to a person).
func (s *Service) MyDocumentsToRead(ctx context.Context) ([]isms.Document, error) {
	return readAs(ctx, s, isms.PermReadContent, func(tx *store.Tx, a Actor) ([]isms.Document, error) {
		self, linked, err := tx.PersonOfUser(ctx, a.OrgID, a.UserID, a.Email)
		if err != nil || !linked {
			return nil, err
		}
		return tx.PendingAcknowledgements(ctx, a.OrgID, self.ID)
	})
}

// ExportDocumentMarkdown is one version (0: the latest) as Markdown: a short header block of the register's
// facts, then the content exactly as stored.
func (s *Service) ExportDocumentMarkdown(ctx context.Context, ref string, number int) (string, error) {
	type both struct {
		d isms.Document
		v isms.DocumentVersion
	}
	x, err := readAs(ctx, s, isms.PermReadContent, func(tx *store.Tx, a Actor) (both, error) {
		d, err := store.Documents.Get(ctx, tx, a.OrgID, ref)
		if err != nil {
			return both{}, err
		}
		if number == 0 {
			number = d.Latest
		}
		v, err := tx.DocumentVersion(ctx, a.OrgID, d.ID, d.Ref, number)
		return both{d, v}, err
	})
	if err != nil {
		return "", err
	}
	return documentMarkdown(x.d, x.v), nil
}

// DocumentExportFormats are the formats a version exports to.
var DocumentExportFormats = []string{"md", "pdf"}

// ExportDocument writes one version (0: the latest) as Markdown (ExportDocumentMarkdown) or as PDF: a title
// block with the reference, version, status, owner, approver, approval date and SHA-256, then the Markdown
// rendered.
func (s *Service) ExportDocument(ctx context.Context, ref string, number int, format string, w io.Writer) error {
	if !slices.Contains(DocumentExportFormats, format) {
		return isms.Invalid(isms.FieldError{Field: "format", Message: "must be md or pdf"})
	}
	type both struct {
		d isms.Document
		v isms.DocumentVersion
		a Actor
	}
	x, err := readAs(ctx, s, isms.PermReadContent, func(tx *store.Tx, a Actor) (both, error) {
		d, err := store.Documents.Get(ctx, tx, a.OrgID, ref)
		if err != nil {
			return both{}, err
		}
		if number == 0 {
			number = d.Latest
		}
		v, err := tx.DocumentVersion(ctx, a.OrgID, d.ID, d.Ref, number)
		return both{d, v, a}, err
	})
	if err != nil {
		return err
	}
	if format == "md" {
		_, err := io.WriteString(w, documentMarkdown(x.d, x.v))
		return err
	}
	meta := pdf.DocMeta{Organisation: x.a.OrgName, Title: x.d.Title, Ref: x.d.Ref, Version: x.v.Number, Status: x.v.Status, Owner: x.d.OwnerName,
		Approver: x.v.ApprovedBy, SHA256: x.v.Hash, Date: s.now(), GeneratedBy: firstNonEmpty(x.a.Name, x.a.Email)}
	if x.v.ApprovedAt != nil {
		meta.Approved = *x.v.ApprovedAt
	}
	return pdf.Markdown(w, meta, x.v.Content)
}

// documentMarkdown is the export of one version: a header block of the document's facts in an HTML comment
// (so that it renders as nothing and the content below is untouched), then the content.
func documentMarkdown(d isms.Document, v isms.DocumentVersion) string {
	var b strings.Builder
	line := func(k, val string) {
		if val != "" {
			fmt.Fprintf(&b, "%s: %s\n", k, strings.ReplaceAll(val, "--", "- -"))
		}
	}
	b.WriteString("<!--\n")
	line("document", d.Ref+" "+d.Title)
	line("type", d.Type)
	line("version", strconv.Itoa(v.Number)+" ("+v.Status+")")
	line("owner", d.OwnerName)
	line("classification", d.Classification)
	if v.ApprovedAt != nil {
		line("approved", v.ApprovedAt.Format(time.DateOnly)+" by "+v.ApprovedBy)
	}
	line("sha256", v.Hash)
	line("controls", strings.Join(d.Controls, ", "))
	line("clauses", strings.Join(d.Clauses, ", "))
	line("next review", d.NextReview)
	b.WriteString("-->\n\n")
	b.WriteString(v.Content)
	return b.String()
}
