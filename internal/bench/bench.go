// Package bench measures praxis the way BENCHMARKS.md reports it: it starts the real server as a child process
// on a sample (praxis demo --scale large), times its pages and API lists, sets its throughput beside a bare
// net/http handler and a plain Go insert loop on the same machine, and measures exports and an import. Every
// request goes to 127.0.0.1, and every measurement is bounded in count and time.
package bench

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"os"
	"os/exec"
	"runtime"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/praxis-isms/praxis/internal/isms"
	"github.com/praxis-isms/praxis/internal/service"
	"github.com/praxis-isms/praxis/internal/store"
)

// Config says what to measure and how long.
type Config struct {
	Exe        string   // the praxis binary the server runs from
	ServeArgs  []string // global flags for it (--data, --db), before "serve"
	ServeFlags []string // flags of serve itself (--cpuprofile)
	Svc        *service.Service
	AuditKey   []byte        // the installation's audit subkey, for the plain insert loop's keyed events
	Requests   int           // timed requests per page or list (after one warm-up)
	PerPage    time.Duration // at most this long per page or list
	Throughput time.Duration // each throughput run lasts this long
	Clients    int           // concurrent clients of the throughput runs
	ImportRows int
	Log        io.Writer // progress
	// Only names the parts to run (Parts); empty runs them all.
	Only []string
}

// Parts are the parts of a run that Config.Only may name.
var Parts = []string{"pages", "list", "create", "files"}

// runs reports whether part is to run.
func (c Config) runs(part string) bool { return len(c.Only) == 0 || slices.Contains(c.Only, part) }

// Quick is a configuration for checking the plumbing on a tiny sample in a test.
func Quick(c Config) Config {
	c.Requests, c.PerPage, c.Throughput, c.Clients, c.ImportRows = 2, time.Second, 200*time.Millisecond, 2, 50
	return c
}

// Defaults fills what c leaves out with the figures BENCHMARKS.md uses.
func Defaults(c Config) Config {
	if c.Requests == 0 {
		c.Requests = 40
	}
	if c.PerPage == 0 {
		c.PerPage = 5 * time.Second
	}
	if c.Throughput == 0 {
		c.Throughput = 5 * time.Second
	}
	if c.Clients == 0 {
		c.Clients = 4
	}
	if c.ImportRows == 0 {
		c.ImportRows = 100_000
	}
	if c.Log == nil {
		c.Log = io.Discard
	}
	return c
}

// Report is one run's figures.
type Report struct {
	When        time.Time    `json:"when"`
	Machine     Machine      `json:"machine"`
	Engine      string       `json:"engine"`
	Risks       int          `json:"risks"`
	Assets      int          `json:"assets"`
	AuditEvents int          `json:"audit_events"`
	StartMS     float64      `json:"start_to_healthz_ms"`
	IdleRSSMB   float64      `json:"idle_rss_mb"`
	PeakRSSMB   float64      `json:"peak_rss_mb"`
	Latency     []Latency    `json:"latency"`
	Throughput  []Throughput `json:"throughput"`
	Files       []FileRun    `json:"files"`
}

// Machine describes where the figures were taken.
type Machine struct {
	CPUs     int    `json:"cpus"`
	CPUModel string `json:"cpu_model"`
	MemoryMB int    `json:"memory_mb"`
	OS       string `json:"os"`
	Go       string `json:"go"`
}

// Latency is the timing of one page or list.
type Latency struct {
	Name  string  `json:"name"`
	Path  string  `json:"path"`
	N     int     `json:"n"`
	P50MS float64 `json:"p50_ms"`
	P95MS float64 `json:"p95_ms"`
	// TargetMS is the p95 the row must stay under: TargetLatencyMS, or TargetChecksMS for what runs the checks.
	TargetMS float64 `json:"target_ms"`
	Bytes    int     `json:"bytes"`
	Error    string  `json:"error,omitempty"`
}

// Throughput sets praxis beside a baseline doing the least the same work needs.
type Throughput struct {
	Name        string  `json:"name"`
	Clients     int     `json:"clients"`
	PerSec      float64 `json:"per_sec"`
	Baseline    string  `json:"baseline"`
	BaselineSec float64 `json:"baseline_per_sec"`
	Ratio       float64 `json:"ratio"`
	Target      float64 `json:"target"`
	Errors      int     `json:"errors,omitempty"`
}

// FileRun is one export or import: how long it took and the server's peak memory during it.
type FileRun struct {
	Name      string  `json:"name"`
	Rows      int     `json:"rows"`
	Bytes     int     `json:"bytes"`
	Seconds   float64 `json:"seconds"`
	PeakRSSMB float64 `json:"peak_rss_mb"`
	Error     string  `json:"error,omitempty"`
}

// Targets from issue 9.
const (
	TargetLatencyMS   = 50
	TargetChecksMS    = 500 // one run of the lint and readiness checks (issue 14), and the dashboard that runs it
	TargetListRatio   = 0.25
	TargetCreateRatio = 0.5
	TargetExportSec   = 8
	TargetExportMB    = 250
	TargetImportSec   = 10
)

// Run measures the server on the sample organisation and returns the figures.
func Run(ctx context.Context, c Config) (*Report, error) {
	c = Defaults(c)
	fx, err := prepare(ctx, c)
	if err != nil {
		return nil, err
	}
	// The import goes into an organisation of its own, dropped at the end so that runs do not grow the database.
	defer func() {
		if err := dropOrganisation(context.WithoutCancel(ctx), c.Svc.Store().DB, fx.importOrgID); err != nil {
			logf(c, "could not drop the import's organisation: %v\n", err)
		}
	}()
	rep := &Report{When: time.Now().UTC(), Machine: machine(), Engine: string(c.Svc.Store().DB.Engine), Risks: fx.risks, Assets: fx.assets, AuditEvents: fx.events}
	logf(c, "sample: %d risks, %d assets, %d audit events on %s\n", fx.risks, fx.assets, fx.events, rep.Engine)

	srv, err := startServer(ctx, c)
	if err != nil {
		return nil, err
	}
	defer srv.stop()
	rep.StartMS = ms(srv.startup)
	time.Sleep(min(time.Second, c.PerPage/4)) // let start-up garbage be collected before reading idle memory
	rep.IdleRSSMB, _ = srv.rss("VmRSS")
	logf(c, "server up in %.0f ms, %.0f MB\n", rep.StartMS, rep.IdleRSSMB)

	web, err := srv.login(service.DemoPassword, fx.ownerEmail)
	if err != nil {
		return nil, err
	}
	api := srv.tokenClient(fx.token, requestTimeout)
	if c.runs("pages") {
		for _, e := range endpoints(fx) {
			client := web
			if strings.HasPrefix(e.path, "/api/") {
				client = api
			}
			l := measure(c, client, srv.url, e)
			logf(c, "%-34s p50 %6.1f ms  p95 %6.1f ms %s\n", l.Name, l.P50MS, l.P95MS, l.Error)
			rep.Latency = append(rep.Latency, l)
		}
	}
	if c.runs("list") {
		lists, err := listThroughput(ctx, c, srv, api)
		if err != nil {
			return nil, err
		}
		rep.Throughput = append(rep.Throughput, lists...)
		for _, l := range lists {
			logf(c, "%s: %.0f/s, bare handler %.0f/s\n", l.Name, l.PerSec, l.BaselineSec)
		}
	}
	if c.runs("create") {
		create, err := createThroughput(ctx, c, srv, api, fx)
		if err != nil {
			return nil, err
		}
		rep.Throughput = append(rep.Throughput, create)
		logf(c, "API create: %.0f/s, plain inserts %.0f/s\n", create.PerSec, create.BaselineSec)
	}
	if c.runs("files") {
		for _, format := range []string{"csv", "xlsx"} {
			f := srv.fileRun(srv.tokenClient(fx.token, fileTimeout), "export risks "+format, http.MethodGet, "/api/v1/risks/export?format="+format, "", nil, fx.risks)
			logf(c, "%s: %.1f s, %.0f MB %s\n", f.Name, f.Seconds, f.PeakRSSMB, f.Error)
			rep.Files = append(rep.Files, f)
		}
		imp := srv.fileRun(srv.tokenClient(fx.importToken, fileTimeout), "import risks csv", http.MethodPost, "/api/v1/risks/import", "text/csv", importCSV(c.ImportRows), c.ImportRows)
		logf(c, "%s: %.1f s, %.0f MB %s\n", imp.Name, imp.Seconds, imp.PeakRSSMB, imp.Error)
		rep.Files = append(rep.Files, imp)
	}
	rep.PeakRSSMB = srv.peak()
	return rep, nil
}

func logf(c Config, format string, args ...any) { fmt.Fprintf(c.Log, format, args...) }

func ms(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }

// fixture is what the measured requests refer to, read before the server starts.
type fixture struct {
	ownerEmail              string
	token, importToken      string
	risks, assets, events   int
	actions                 int
	person, asset, control  string
	riskRef, assetRef       string
	deepCursor              string // keyset cursor of the register's last page by ref
	planCursor, auditCursor string // keyset cursors of the last pages of the plan and the trail
	orgID, importOrgID      string
}

// prepare reads the sample and issues the API tokens the run uses (valid one day): one for the sample
// organisation, one for a new, empty organisation the import goes into, so that runs do not grow the register.
func prepare(ctx context.Context, c Config) (fixture, error) {
	var fx fixture
	a, err := c.Svc.OperatorActor(ctx, service.DemoOrgSlug, "")
	if err != nil {
		return fx, fmt.Errorf("no sample organisation (run praxis demo --scale large first): %w", err)
	}
	ctx = service.WithActor(ctx, a)
	fx.ownerEmail, fx.orgID = a.Email, a.OrgID
	risks, err := c.Svc.ListRisks(ctx, service.RiskFilter{Sort: "-ref"}, service.Page{Limit: 1})
	if err != nil {
		return fx, err
	}
	assets, err := c.Svc.ListAssets(ctx, service.AssetFilter{Sort: "-ref"}, service.Page{Limit: 1})
	if err != nil {
		return fx, err
	}
	actions, err := c.Svc.ListActions(ctx, service.ActionFilter{}, service.Page{Limit: 1})
	if err != nil {
		return fx, err
	}
	events, err := c.Svc.ListAudit(ctx, service.AuditFilter{}, service.Page{Limit: 1})
	if err != nil {
		return fx, err
	}
	if risks.Total == 0 || assets.Total == 0 {
		return fx, errors.New("the sample organisation has no risks or assets")
	}
	fx.risks, fx.assets, fx.actions, fx.events = risks.Total, assets.Total, actions.Total, events.Total
	r := risks.Items[0]
	fx.riskRef, fx.assetRef, fx.person, fx.control = r.Ref, assets.Items[0].Ref, r.Owner, "8.8"
	if len(r.Assets) > 0 {
		fx.asset = r.Assets[0]
	}
	if before, err := c.Svc.ListRisks(ctx, service.RiskFilter{Sort: "-ref"}, service.Page{Limit: 51}); err == nil && len(before.Items) == 51 {
		last := before.Items[50] // the risk just before the last 50 by ref
		fx.deepCursor = store.Cursor{Key: last.Ref, ID: last.ID}.String()
	}
	// The rows just before the last 50 of the plan and of the trail: read once by offset, here, to time the
	// keyset deep pages the pagers' links lead to.
	if l, err := c.Svc.ListActions(ctx, service.ActionFilter{}, service.Page{Limit: 1, Offset: max(0, fx.actions-51)}); err == nil && len(l.Items) == 1 {
		fx.planCursor = store.Cursor{Key: l.Items[0].Due, ID: l.Items[0].Ref}.String()
	}
	if l, err := c.Svc.ListAudit(ctx, service.AuditFilter{}, service.Page{Limit: 1, Offset: max(0, fx.events-51)}); err == nil && len(l.Items) == 1 {
		fx.auditCursor = store.Cursor{Key: l.Items[0].Seq, ID: l.Items[0].ID}.String()
	}
	stamp := time.Now().UTC().Format("20060102-150405")
	if fx.token, _, err = c.Svc.IssueToken(ctx, service.TokenInput{Name: "bench " + stamp, ExpiresInDays: 1}); err != nil {
		return fx, err
	}
	// The sample's admin creates the import's organisation, so that the owner the pages are timed as keeps one
	// organisation (with two, every page would first ask which).
	_, logins, err := c.Svc.Demo(ctx)
	if err != nil {
		return fx, err
	}
	admin := slices.IndexFunc(logins, func(l service.DemoLogin) bool { return l.Role == isms.RoleAdmin })
	if admin < 0 {
		return fx, errors.New("the sample organisation has no admin")
	}
	aa, err := c.Svc.OperatorActor(ctx, service.DemoOrgSlug, logins[admin].Email)
	if err != nil {
		return fx, err
	}
	org, err := c.Svc.CreateOrganisation(service.WithActor(ctx, aa), "Bench import "+stamp)
	if err != nil {
		return fx, err
	}
	ia, err := c.Svc.OperatorActor(ctx, org.Slug, aa.Email)
	if err != nil {
		return fx, err
	}
	fx.importOrgID = org.ID
	fx.importToken, _, err = c.Svc.IssueToken(service.WithActor(ctx, ia), service.TokenInput{Name: "bench import", ExpiresInDays: 1})
	return fx, err
}

// endpoint is one page or list to time.
type endpoint struct{ name, path string }

// runChecks are the paths that run the lint and readiness checks, timed against TargetChecksMS.
var runChecks = map[string]bool{"/": true, "/readiness": true, "/api/v1/lint": true, "/api/v1/readiness": true}

// endpoints are the main pages and API lists: first and deep page, each sort, each filter, search.
func endpoints(fx fixture) []endpoint {
	deep := func(total int) string { return fmt.Sprint(max(0, total-50)) }
	out := []endpoint{
		{"web dashboard", "/"},
		{"web readiness", "/readiness"},
		{"api lint", "/api/v1/lint"},
		{"api readiness", "/api/v1/readiness"},
		{"web risks", "/risks"},
		{"web risks deep page", "/risks?offset=" + deep(fx.risks)},
		{"web risks deep page keyset", "/risks?after=" + fx.deepCursor + "&offset=" + deep(fx.risks)},
		{"web risks sort -score", "/risks?sort=-score"},
		{"web risks search", "/risks?q=phishing"},
		{"web risks owner", "/risks?owner=" + fx.person},
		{"web risk", "/risks/" + fx.riskRef},
		{"web heat map", "/risks/heatmap"},
		{"web treatment plan", "/risks/plan"},
		{"web plan overdue", "/risks/plan?overdue=1"},
		{"web plan deep page", "/risks/plan?offset=" + deep(fx.actions)},
		{"web plan deep page keyset", "/risks/plan?after=" + fx.planCursor + "&offset=" + deep(fx.actions)},
		{"web assets", "/assets"},
		{"web assets deep page", "/assets?offset=" + deep(fx.assets)},
		{"web asset", "/assets/" + fx.assetRef},
		{"web people", "/people"},
		{"web audit", "/audit"},
		{"web audit deep page", "/audit?offset=" + deep(fx.events)},
		{"web audit deep page keyset", "/audit?after=" + fx.auditCursor + "&offset=" + deep(fx.events)},
		{"web members", "/members"},
		{"web security", "/security"},
		{"api risks", "/api/v1/risks?limit=50"},
		{"api risks deep page", "/api/v1/risks?limit=50&offset=" + deep(fx.risks)},
		{"api risks deep page keyset", "/api/v1/risks?limit=50&after=" + fx.deepCursor},
	}
	for _, s := range []string{"ref", "-ref", "title", "score", "-score", "residual", "-residual", "owner", "treatment", "-updated"} {
		out = append(out, endpoint{"api risks sort " + s, "/api/v1/risks?limit=50&sort=" + s})
	}
	out = append(out, endpoint{"api risks sort -score deep", "/api/v1/risks?limit=50&sort=-score&offset=" + deep(fx.risks)})
	for _, f := range []string{"owner=" + fx.person, "treatment=retain", "control=" + fx.control, "asset=" + fx.asset, "band=high",
		"residual_band=low", "likelihood=3&impact=4", "accepted=yes"} {
		out = append(out, endpoint{"api risks " + f, "/api/v1/risks?limit=50&" + f})
	}
	return append(out,
		endpoint{"api risks search word", "/api/v1/risks?limit=50&search=phishing"},
		endpoint{"api risks search rare", "/api/v1/risks?limit=50&search=" + url.QueryEscape("(4242)")},
		endpoint{"api risks search none", "/api/v1/risks?limit=50&search=zzzz"},
		endpoint{"api risk", "/api/v1/risks/" + fx.riskRef},
		endpoint{"api heat map", "/api/v1/risks/heatmap"},
		endpoint{"api assets", "/api/v1/assets?limit=50"},
		endpoint{"api assets deep page", "/api/v1/assets?limit=50&offset=" + deep(fx.assets)},
		endpoint{"api assets sort -name", "/api/v1/assets?limit=50&sort=-name"},
		endpoint{"api assets type", "/api/v1/assets?limit=50&type=hardware"},
		endpoint{"api assets search", "/api/v1/assets?limit=50&search=laptop"},
		endpoint{"api actions", "/api/v1/treatment-actions?limit=50"},
		endpoint{"api actions deep page", "/api/v1/treatment-actions?limit=50&offset=" + deep(fx.actions)},
		endpoint{"api actions deep page keyset", "/api/v1/treatment-actions?limit=50&after=" + fx.planCursor},
		endpoint{"api actions overdue", "/api/v1/treatment-actions?limit=50&overdue=true"},
		endpoint{"api actions status", "/api/v1/treatment-actions?limit=50&status=planned"},
		endpoint{"api people", "/api/v1/people?limit=50"},
		endpoint{"api audit", "/api/v1/audit-events?limit=50"},
		endpoint{"api audit deep page", "/api/v1/audit-events?limit=50&offset=" + deep(fx.events)},
		endpoint{"api audit deep page keyset", "/api/v1/audit-events?limit=50&after=" + fx.auditCursor},
	)
}

// measure times one warm-up and then c.Requests requests of e, one after another, stopping at c.PerPage.
func measure(c Config, client *http.Client, base string, e endpoint) Latency {
	l := Latency{Name: e.name, Path: e.path, TargetMS: TargetLatencyMS}
	if runChecks[e.path] {
		l.TargetMS = TargetChecksMS
	}
	var times []time.Duration
	deadline := time.Now().Add(c.PerPage)
	for i := 0; i <= c.Requests && time.Now().Before(deadline); i++ {
		// Read afresh: the time a list takes the first time after a change, not the API's remembered answer
		// (the list throughput sets the two side by side).
		t0 := time.Now()
		n, err := getFresh(client, base+e.path)
		d := time.Since(t0)
		if err != nil {
			l.Error = err.Error()
			break
		}
		l.Bytes = n
		// The warm-up is left out, unless it used up the time allowed: then it is the only figure there is.
		if i > 0 || !time.Now().Before(deadline) {
			times = append(times, d)
		}
	}
	l.N = len(times)
	l.P50MS, l.P95MS = ms(percentile(times, 50)), ms(percentile(times, 95))
	return l
}

func get(client *http.Client, u string) (int, error) { return fetch(client, u, "") }

// getFresh is get with Cache-Control: no-cache, which the API reads afresh instead of answering from memory.
func getFresh(client *http.Client, u string) (int, error) { return fetch(client, u, "no-cache") }

// fetch GETs u (with the Cache-Control header given, if any) and reads the answer whole: its size, or an error
// for a status other than 200.
func fetch(client *http.Client, u, cacheControl string) (int, error) {
	req, err := http.NewRequest(http.MethodGet, u, nil)
	if err != nil {
		return 0, err
	}
	if cacheControl != "" {
		req.Header.Set("Cache-Control", cacheControl)
	}
	resp, err := client.Do(req)
	if err != nil {
		return 0, err
	}
	defer resp.Body.Close()
	n, err := io.Copy(io.Discard, resp.Body)
	if resp.StatusCode != http.StatusOK {
		return int(n), fmt.Errorf("status %d", resp.StatusCode)
	}
	return int(n), err
}

// percentile is the p-th percentile of ds (nearest rank).
func percentile(ds []time.Duration, p int) time.Duration {
	if len(ds) == 0 {
		return 0
	}
	s := slices.Clone(ds)
	slices.Sort(s)
	return s[max(0, (len(s)*p+99)/100-1)]
}

// hammer runs clients workers calling do for d and returns the successful calls per second and the failures.
func hammer(clients int, d time.Duration, do func() error) (float64, int) {
	var okN, failN atomic.Int64
	stop := time.Now().Add(d)
	var wg sync.WaitGroup
	t0 := time.Now()
	for range clients {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for time.Now().Before(stop) {
				if do() != nil {
					failN.Add(1)
				} else {
					okN.Add(1)
				}
			}
		}()
	}
	wg.Wait()
	return float64(okN.Load()) / time.Since(t0).Seconds(), int(failN.Load())
}

// listThroughput sets GET /api/v1/risks?limit=50 beside a bare net/http handler serving the same bytes.
func listThroughput(ctx context.Context, c Config, srv *server, api *http.Client) ([]Throughput, error) {
	path := "/api/v1/risks?limit=50"
	resp, err := api.Get(srv.url + path)
	if err != nil {
		return nil, err
	}
	body, err := io.ReadAll(resp.Body)
	resp.Body.Close()
	if err != nil {
		return nil, err
	}
	ctype := resp.Header.Get("Content-Type")
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, err
	}
	bare := &http.Server{Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", ctype)
		w.Write(body)
	})}
	go bare.Serve(ln)
	defer bare.Shutdown(ctx)
	t := Throughput{Name: fmt.Sprintf("API list (%d KB)", len(body)/1024), Clients: c.Clients, Baseline: "bare net/http handler, same bytes", Target: TargetListRatio}
	t.PerSec, t.Errors = hammer(c.Clients, c.Throughput, func() error { _, err := get(api, srv.url+path); return err })
	bareClient := &http.Client{Transport: api.Transport}
	t.BaselineSec, _ = hammer(c.Clients, c.Throughput, func() error { _, err := get(bareClient, "http://"+ln.Addr().String()+path); return err })
	t.Ratio = t.PerSec / t.BaselineSec
	// The same list read afresh each time (Cache-Control: no-cache): what a page costs the first time after a
	// change, without the remembered answer. Beside the same baseline; the target applies to the row above.
	fresh := Throughput{Name: "API list read afresh (no-cache)", Clients: c.Clients, Baseline: t.Baseline, BaselineSec: t.BaselineSec}
	fresh.PerSec, fresh.Errors = hammer(c.Clients, c.Throughput, func() error { _, err := getFresh(api, srv.url+path); return err })
	fresh.Ratio = fresh.PerSec / fresh.BaselineSec
	return []Throughput{t, fresh}, nil
}

// createThroughput sets POST /api/v1/risks beside plain durable inserts of a risk row and a keyed audit event.
func createThroughput(ctx context.Context, c Config, srv *server, api *http.Client, fx fixture) (Throughput, error) {
	// Not a threat the timed searches look for (phishing): each run adds thousands of these risks to the sample,
	// which would otherwise make the next run's word search read them all.
	body, _ := json.Marshal(map[string]any{"title": "Benchmark risk", "threat": "Tailgating", "vulnerability": "No badge check",
		"owner": fx.person, "assets": []string{fx.assetRef}, "likelihood": 3, "impact": 4, "treatment": "modify", "controls": []string{"6.3"}})
	t := Throughput{Name: "API create risk", Clients: c.Clients, Baseline: "plain Go: risk row + keyed audit event per transaction", Target: TargetCreateRatio}
	var firstErr atomic.Value
	t.PerSec, t.Errors = hammer(c.Clients, c.Throughput, func() error {
		resp, err := api.Post(srv.url+"/api/v1/risks", "application/json", bytes.NewReader(body))
		if err != nil {
			return err
		}
		b, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != http.StatusCreated {
			err := fmt.Errorf("status %d: %s", resp.StatusCode, b)
			firstErr.CompareAndSwap(nil, err)
			return err
		}
		return nil
	})
	if t.PerSec == 0 {
		return t, fmt.Errorf("no risk created: %v", firstErr.Load())
	}
	p := &plainInserts{db: c.Svc.Store().DB, key: c.AuditKey, orgID: fx.orgID, run: time.Now().UnixNano()}
	var perr atomic.Value
	t.BaselineSec, _ = hammer(c.Clients, c.Throughput, func() error {
		err := p.insert(ctx)
		if err != nil {
			perr.CompareAndSwap(nil, err)
		}
		return err
	})
	if t.BaselineSec == 0 {
		return t, fmt.Errorf("plain inserts failed: %v", perr.Load())
	}
	t.Ratio = t.PerSec / t.BaselineSec
	return t, nil
}

// importCSV is a register of n new risks without references, owners or assets, so that it imports into an empty
// organisation.
func importCSV(n int) []byte {
	var b bytes.Buffer
	b.WriteString("title,threat,vulnerability,likelihood,impact,treatment,controls,residual_likelihood,residual_impact\n")
	for i := range n {
		fmt.Fprintf(&b, "Imported risk %d,Phishing,Staff not trained,%d,%d,modify,6.3;8.5,1,%d\n", i+1, 1+i%5, 1+(i/5)%5, 1+(i/5)%5)
	}
	return b.Bytes()
}

// server is the praxis server the bench started.
type server struct {
	cmd     *exec.Cmd
	url     string
	startup time.Duration
	out     bytes.Buffer
	exited  chan error // receives the server's exit
	peakMB  float64    // the highest VmHWM read before it was reset
}

// startServer starts praxis serve on a free loopback port and waits for its first /healthz 200.
func startServer(ctx context.Context, c Config) (*server, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, err
	}
	addr := ln.Addr().String()
	ln.Close()
	s := &server{url: "http://" + addr}
	args := append(append(slices.Clone(c.ServeArgs), "serve", "--addr", addr), c.ServeFlags...)
	s.cmd = exec.Command(c.Exe, args...)
	s.cmd.Stdout, s.cmd.Stderr = &s.out, &s.out
	t0 := time.Now()
	if err := s.cmd.Start(); err != nil {
		return nil, err
	}
	s.exited = make(chan error, 1)
	go func() { s.exited <- s.cmd.Wait() }()
	probe := &http.Client{Timeout: time.Second}
	for {
		if resp, err := probe.Get(s.url + "/healthz"); err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				s.startup = time.Since(t0)
				return s, nil
			}
		}
		select {
		case err := <-s.exited:
			return nil, fmt.Errorf("server exited: %v\n%s", err, s.out.String())
		case <-ctx.Done():
			s.cmd.Process.Kill()
			return nil, ctx.Err()
		case <-time.After(5 * time.Millisecond):
		}
		if time.Since(t0) > time.Minute {
			s.cmd.Process.Kill()
			return nil, fmt.Errorf("server not healthy after a minute:\n%s", s.out.String())
		}
	}
}

// stop interrupts the server and waits for it to finish, killing it after ten seconds.
func (s *server) stop() {
	s.cmd.Process.Signal(os.Interrupt)
	select {
	case <-s.exited:
	case <-time.After(10 * time.Second):
		s.cmd.Process.Kill()
		<-s.exited
	}
}

// rss reads a memory figure of the server (VmRSS now, VmHWM the peak) in MB, from /proc on Linux.
func (s *server) rss(field string) (float64, error) {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", s.cmd.Process.Pid))
	if err != nil {
		return 0, err
	}
	for _, line := range strings.Split(string(b), "\n") {
		if rest, ok := strings.CutPrefix(line, field+":"); ok {
			var kb float64
			fmt.Sscan(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(rest), "kB")), &kb)
			return kb / 1024, nil
		}
	}
	return 0, fmt.Errorf("no %s in /proc status", field)
}

// resetPeak starts a new peak memory measurement (Linux: writing 5 to clear_refs resets VmHWM), keeping the
// peak so far for the run's figure.
func (s *server) resetPeak() {
	s.peak()
	os.WriteFile(fmt.Sprintf("/proc/%d/clear_refs", s.cmd.Process.Pid), []byte("5"), 0)
}

// peak is the highest memory the server used in the run so far.
func (s *server) peak() float64 {
	if hwm, err := s.rss("VmHWM"); err == nil {
		s.peakMB = max(s.peakMB, hwm)
	}
	return s.peakMB
}

// login signs in through the login form and returns a client with the session cookie.
func (s *server) login(password, email string) (*http.Client, error) {
	jar, _ := cookiejar.New(nil)
	c := &http.Client{Jar: jar, Transport: transport(), Timeout: requestTimeout, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	req, _ := http.NewRequest(http.MethodPost, s.url+"/login", strings.NewReader(url.Values{"email": {email}, "password": {password}}.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Origin", s.url)
	resp, err := c.Do(req)
	if err != nil {
		return nil, err
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusSeeOther {
		return nil, fmt.Errorf("login as %s: status %d", email, resp.StatusCode)
	}
	return c, nil
}

// tokenClient sends the API token with every request.
func (s *server) tokenClient(token string, timeout time.Duration) *http.Client {
	return &http.Client{Transport: bearer{token, transport()}, Timeout: timeout}
}

// No request of the run waits longer than these.
const (
	requestTimeout = 30 * time.Second
	fileTimeout    = 5 * time.Minute
)

func transport() *http.Transport {
	t := http.DefaultTransport.(*http.Transport).Clone()
	t.MaxIdleConnsPerHost = 16
	return t
}

type bearer struct {
	token string
	next  http.RoundTripper
}

func (b bearer) RoundTrip(r *http.Request) (*http.Response, error) {
	r = r.Clone(r.Context())
	r.Header.Set("Authorization", "Bearer "+b.token)
	return b.next.RoundTrip(r)
}

// fileRun times one export or import and reads the server's peak memory during it.
func (s *server) fileRun(client *http.Client, name, method, path, ctype string, body []byte, rows int) FileRun {
	f := FileRun{Name: name, Rows: rows}
	s.resetPeak()
	req, _ := http.NewRequest(method, s.url+path, bytes.NewReader(body))
	if ctype != "" {
		req.Header.Set("Content-Type", ctype)
	}
	t0 := time.Now()
	resp, err := client.Do(req)
	if err == nil {
		var n int64
		var msg bytes.Buffer
		n, err = io.Copy(io.MultiWriter(io.Discard, &limited{&msg, 300}), resp.Body)
		resp.Body.Close()
		f.Bytes = max(int(n), len(body))
		if resp.StatusCode != http.StatusOK && resp.StatusCode != http.StatusCreated {
			err = fmt.Errorf("status %d: %s", resp.StatusCode, msg.String())
		}
	}
	f.Seconds = time.Since(t0).Seconds()
	if err != nil {
		f.Error = err.Error()
	}
	f.PeakRSSMB, _ = s.rss("VmHWM")
	s.peakMB = max(s.peakMB, f.PeakRSSMB)
	return f
}

// limited keeps the first n bytes written to it (an error answer's start).
type limited struct {
	w io.Writer
	n int
}

func (l *limited) Write(p []byte) (int, error) {
	if l.n > 0 {
		k := min(l.n, len(p))
		l.w.Write(p[:k])
		l.n -= k
	}
	return len(p), nil
}

func machine() Machine {
	m := Machine{CPUs: runtime.NumCPU(), OS: runtime.GOOS + "/" + runtime.GOARCH, Go: runtime.Version()}
	if b, err := os.ReadFile("/proc/cpuinfo"); err == nil {
		for _, line := range strings.Split(string(b), "\n") {
			if v, ok := strings.CutPrefix(line, "model name"); ok {
				m.CPUModel = strings.TrimSpace(strings.TrimPrefix(strings.TrimSpace(v), ":"))
				break
			}
		}
	}
	if b, err := os.ReadFile("/proc/meminfo"); err == nil {
		var kb int
		fmt.Sscanf(strings.TrimPrefix(strings.Split(string(b), "\n")[0], "MemTotal:"), "%d", &kb)
		m.MemoryMB = kb / 1024
	}
	return m
}
