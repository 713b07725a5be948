package service

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"strings"

	"github.com/praxis-isms/praxis/internal/export/pdf"
	"github.com/praxis-isms/praxis/internal/isms"
	"github.com/praxis-isms/praxis/internal/store"
)

// lintParts write the lint report twice (JSON, PDF) from one run of the checks.
type lintParts struct {
	s      *Service
	ctx    context.Context
	report *isms.LintReport
}

func (l *lintParts) run() (isms.LintReport, error) {
	if l.report == nil {
		r, err := l.s.Lint(l.ctx)
		if err != nil {
			return r, err
		}
		l.report = &r
	}
	return *l.report, nil
}

func (l *lintParts) json(w io.Writer) error {
	r, err := l.run()
	if err != nil {
		return err
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(r)
}

func (l *lintParts) pdf(w io.Writer) error {
	r, err := l.run()
	if err != nil {
		return err
	}
	a, _ := ActorFrom(l.ctx)
	return pdf.Markdown(w, pdf.DocMeta{Organisation: a.OrgName, Title: "Lint report", Date: l.s.now(), GeneratedBy: firstNonEmpty(a.Name, a.Email)},
		lintMarkdown(r))
}

// mdText makes a line of text plain in Markdown: nothing in it is read as emphasis, code or markup.
var mdText = strings.NewReplacer(`\`, `\\`, "*", `\*`, "_", `\_`, "`", "\\`", "<", `\<`, "[", `\[`, "\r\n", " ", "\n", " ")

// lintMarkdown is the lint report in words: the counts, then each finding under its severity, most serious
// first, with its acknowledgement when it has one.
func lintMarkdown(r isms.LintReport) string {
	var b strings.Builder
	p := func(format string, args ...any) { fmt.Fprintf(&b, format, args...) }
	p("These are the findings an auditor would raise on the data as it stood on %s, each with the rule that raised it "+
		"and the clause, control or record it concerns.\n\n", r.At.UTC().Format("2 January 2006 at 15:04 UTC"))
	p("Not acknowledged: **%d major**, **%d minor**, **%d for information**. ", r.Major, r.Minor, r.Info)
	p("An acknowledged finding is one a member has stated is known and handled, with a reason, until a day.\n\n")
	if len(r.Findings) == 0 {
		p("No findings.\n")
	}
	for _, sev := range []isms.Severity{isms.Major, isms.Minor, isms.Info} {
		var these []isms.LintFinding
		for _, f := range r.Findings {
			if f.Severity == sev {
				these = append(these, f)
			}
		}
		if len(these) == 0 {
			continue
		}
		p("## %s (%d)\n\n", map[isms.Severity]string{isms.Major: "Major", isms.Minor: "Minor", isms.Info: "For information"}[sev], len(these))
		for _, f := range these {
			p("- **%s**", mdText.Replace(f.Rule))
			if f.Ref != "" {
				p(" (%s)", mdText.Replace(f.Ref))
			}
			p(": %s", mdText.Replace(f.Message))
			if k := f.Acknowledged; k != nil {
				p(" *Acknowledged by %s until %s: %s*", mdText.Replace(k.By), k.ExpiresOn, mdText.Replace(k.Reason))
			}
			p("\n")
		}
		p("\n")
	}
	return b.String()
}

// trailParts write the last twelve months of the audit trail and the check of its whole chain. The caller's
// right to them is packActor's: approvers who may not browse the trail may still hand it to an auditor.
type trailParts struct {
	s   *Service
	ctx context.Context
	a   Actor
}

func (t *trailParts) csv(w io.Writer) error {
	f := AuditFilter{From: t.s.now().AddDate(-1, 0, 0)}
	return t.s.store.Read(t.ctx, func(tx *store.Tx) error { return writeAuditCSV(t.ctx, tx, t.a.OrgID, f, w) })
}

func (t *trailParts) check(w io.Writer) error {
	var r VerifyResult
	var seq int64
	var head string
	err := t.s.store.Read(t.ctx, func(tx *store.Tx) error {
		org, err := tx.Org(t.ctx, t.a.OrgID)
		if err != nil {
			return err
		}
		if r, _, err = verifyChain(t.ctx, tx, org, isms.NewChainVerifier(t.s.cfg.Key.Audit()), 0); err != nil {
			return err
		}
		seq, head, err = tx.AuditHead(t.ctx, t.a.OrgID)
		return err
	})
	if err != nil {
		return err
	}
	result := "intact: every event links to the one before it and its keyed hash matches"
	if !r.Intact {
		result = "BROKEN at " + r.Break.String()
	}
	_, err = fmt.Fprintf(w, "Audit trail chain check: %s\r\n\r\nChecked:        %s\r\nResult:         %s\r\nEvents checked: %d\r\n"+
		"Head:           event %d, hash %s\r\nKey:            %s (the installation key the chain is keyed with)\r\n\r\n"+
		"Every event of the audit trail carries a hash of its content and of the event before it, keyed with the installation's\r\n"+
		"secret key, so that an event changed, removed or inserted afterwards breaks the chain from that event on. The check\r\n"+
		"reads the whole trail from its first event; the CSV beside this file holds the events of the last twelve months.\r\n",
		t.a.OrgName, t.s.now().Format("2 January 2006, 15:04:05 UTC"), result, r.Events, seq, head, t.s.cfg.Key.ID())
	return err
}
