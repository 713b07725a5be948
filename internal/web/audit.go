package web

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/praxis-isms/praxis/internal/isms"
	"github.com/praxis-isms/praxis/internal/service"
)

// auditRoutes registers the audit trail: the tamper-evident record of every change, and its CSV export.
func (h *Handler) auditRoutes() {
	h.mux.HandleFunc("GET /audit", h.audit)
	h.mux.HandleFunc("GET /audit/export.csv", h.exportAudit)
	h.mux.HandleFunc("GET /audit/checkpoint.json", h.auditCheckpoint)
}

// auditCheckpoint downloads a signed checkpoint of the trail's head, for an auditor to keep.
func (h *Handler) auditCheckpoint(w http.ResponseWriter, r *http.Request) {
	c, err := h.svc.Checkpoint(r.Context())
	if err != nil {
		h.fail(w, r, err)
		return
	}
	hd := w.Header()
	hd.Set("Content-Type", "application/json")
	hd.Set("Content-Disposition", fmt.Sprintf(`attachment; filename="praxis-checkpoint-%s-%d.json"`, c.OrgSlug, c.Seq))
	hd.Set("Cache-Control", "no-store")
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	_ = enc.Encode(c)
}

// AuditQuery is the audit trail's filter as the user typed it (the GET form and the export link carry it).
type AuditQuery struct {
	Entity, Action, Actor, Ref, From, To string
}

// auditQuery reads the filter from the query string and checks its dates.
func auditQuery(r *http.Request) (AuditQuery, service.AuditFilter, error) {
	q := r.URL.Query()
	aq := AuditQuery{Entity: strings.TrimSpace(q.Get("entity")), Action: strings.TrimSpace(q.Get("action")),
		Actor: strings.TrimSpace(q.Get("actor")), Ref: strings.TrimSpace(q.Get("ref")),
		From: strings.TrimSpace(q.Get("from")), To: strings.TrimSpace(q.Get("to"))}
	f := service.AuditFilter{Entity: aq.Entity, Action: aq.Action, Actor: aq.Actor, Ref: aq.Ref}
	var p isms.Problems
	if aq.From != "" {
		d, err := time.Parse(time.DateOnly, aq.From)
		if err != nil {
			p.Add("from", "must be a date as YYYY-MM-DD")
		}
		f.From = d
	}
	if aq.To != "" {
		d, err := time.Parse(time.DateOnly, aq.To)
		if err != nil {
			p.Add("to", "must be a date as YYYY-MM-DD")
		}
		f.To = d.AddDate(0, 0, 1) // the form's "to" includes that day; the filter's To is exclusive
	}
	if err := p.Err(); err != nil {
		return aq, f, err
	}
	if !f.From.IsZero() && !f.To.IsZero() && !f.From.Before(f.To) {
		return aq, f, isms.Invalid(isms.FieldError{Field: "to", Message: "must not be before the from date"})
	}
	return aq, f, nil
}

// values encodes the filter for links, skipping empty fields.
func (q AuditQuery) values() url.Values {
	v := url.Values{}
	for k, s := range map[string]string{"entity": q.Entity, "action": q.Action, "actor": q.Actor, "ref": q.Ref, "from": q.From, "to": q.To} {
		if s != "" {
			v.Set(k, s)
		}
	}
	return v
}

// Filtered reports whether any filter is set.
func (q AuditQuery) Filtered() bool { return len(q.values()) > 0 }

// AuditRow is one event with its states pretty-printed for reading.
type AuditRow struct {
	isms.AuditEvent
	BeforeText, AfterText string
}

// AuditPage is the data of the audit trail page.
type AuditPage struct {
	Query                     AuditQuery
	Entities, Actions, Actors []string
	Rows                      []AuditRow
	Total                     int
	Pager                     Pager
	ExportURL                 string
}

func (h *Handler) audit(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	entities, actions, actors, err := h.svc.AuditFacets(ctx)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	aq, f, qerr := auditQuery(r)
	d := AuditPage{Query: aq, Entities: entities, Actions: actions, Actors: actors}
	v := View{Title: "Audit trail", Nav: "audit"}
	if qerr != nil {
		v.Data = d
		h.formError(w, r, "audit", v, qerr)
		return
	}
	items, total, pg, err := pageByKey(r, func(p service.Page) (service.List[isms.AuditEvent], error) { return h.svc.ListAudit(ctx, f, p) },
		func(sk service.Seek) (service.Keyset[isms.AuditEvent], error) {
			return h.svc.ListAuditKeyset(ctx, f, sk)
		})
	if err != nil {
		h.fail(w, r, err)
		return
	}
	d.Total, d.Pager = total, pg
	d.ExportURL = "/audit/export.csv"
	if qv := aq.values(); len(qv) > 0 {
		d.ExportURL += "?" + qv.Encode()
	}
	d.Rows = make([]AuditRow, len(items))
	for i, e := range items {
		d.Rows[i] = AuditRow{AuditEvent: e, BeforeText: prettyJSON(e.Before), AfterText: prettyJSON(e.After)}
	}
	v.Data = d
	h.render(w, r, http.StatusOK, "audit", v)
}

// prettyJSON indents a recorded state; a state that is not JSON is shown as it is.
func prettyJSON(raw json.RawMessage) string {
	if len(raw) == 0 {
		return ""
	}
	var b bytes.Buffer
	if err := json.Indent(&b, raw, "", "  "); err != nil {
		return string(raw)
	}
	return b.String()
}

// exportAudit streams the filtered trail as CSV. The service checks access before it writes a byte, and the
// download headers are set only when the first byte comes, so a refused export is an error page, not a CSV.
func (h *Handler) exportAudit(w http.ResponseWriter, r *http.Request) {
	_, f, err := auditQuery(r)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	a, _ := service.ActorFrom(r.Context())
	name := "praxis-audit-trail"
	if a.OrgSlug != "" {
		name += "-" + a.OrgSlug
	}
	cw := &csvDownload{w: w, filename: name + ".csv"}
	if err := h.svc.ExportAuditCSV(r.Context(), f, cw); err != nil {
		if !cw.started {
			h.fail(w, r, err)
			return
		}
		// Part of the file is sent: break the connection so that the download fails instead of looking complete.
		h.cfg.Logger.Error("audit export broke off", "err", err)
		panic(http.ErrAbortHandler)
	}
	if !cw.started { // nothing written at all (cannot happen: the header row is always written)
		cw.start()
	}
}

// csvDownload sets the download headers on the first write.
type csvDownload struct {
	w        http.ResponseWriter
	filename string
	started  bool
}

func (c *csvDownload) start() {
	c.started = true
	hd := c.w.Header()
	hd.Set("Content-Type", "text/csv; charset=utf-8")
	hd.Set("Content-Disposition", `attachment; filename="`+c.filename+`"`)
	hd.Set("Cache-Control", "no-store")
	c.w.WriteHeader(http.StatusOK)
}

func (c *csvDownload) Write(p []byte) (int, error) {
	if !c.started {
		c.start()
	}
	return c.w.Write(p)
}
