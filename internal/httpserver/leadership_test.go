package httpserver_test

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/praxis-isms/praxis/internal/isms"
	"github.com/praxis-isms/praxis/internal/service"
	"github.com/praxis-isms/praxis/internal/sqldb"
	"github.com/praxis-isms/praxis/internal/testutil"
)

// allRoutes is the role matrix: the rows of the roles, commitments and objectives registers, then routes() (whose
// last rows end sessions and tokens).
func allRoutes() []route {
	var all []route
	for _, rows := range [][]route{
		leadershipRoutes(),
		contextRoutes(),
		taskRoutes(),
		rowImportRoutes(),
		evidenceRoutes(),
		trainingRoutes(),
		auditRoutes(),
		correctiveRoutes(),
		certificationRoutes(),
		performanceRoutes(),
		lintRoutes(),
		routes(), // last: its final rows end sessions and tokens
	} {
		all = append(all, rows...)
	}
	return all
}

// registerRows are the matrix rows of a register edited through the kit, in the API and the web UI: list,
// export, show, add, update (PUT and form), PATCH and delete. add makes a fresh row as the owner and returns its
// reference; body is a valid whole input (what a web form posts too) of the given version.
func registerRows(path string, add func(t *testing.T, m *matrix) string, body func(m *matrix, version int) map[string]any) []route {
	fresh := func(suffix string) prepFunc {
		return func(t *testing.T, m *matrix, _ string) target { return target{path: path + "/" + add(t, m) + suffix} }
	}
	write := func(form bool) prepFunc {
		return func(t *testing.T, m *matrix, _ string) target {
			ref := add(t, m)
			b := body(m, 1)
			if !form {
				return target{path: path + "/" + ref, body: b}
			}
			f := url.Values{}
			for k, v := range b {
				f.Set(k, fmt.Sprint(v))
			}
			f.Set("version", "1")
			return target{path: path + "/" + ref, body: f}
		}
	}
	add0 := func(form bool) prepFunc {
		return func(_ *testing.T, m *matrix, _ string) target {
			b := body(m, 0)
			delete(b, "version")
			if !form {
				return target{path: path, body: b}
			}
			f := url.Values{}
			for k, v := range b {
				f.Set(k, fmt.Sprint(v))
			}
			return target{path: path, body: f}
		}
	}
	return []route{
		{method: "GET", pattern: path, allowed: everyone},
		{method: "GET", pattern: path + "/export", allowed: everyone},
		{method: "GET", pattern: path + "/{ref}", allowed: everyone, prep: fresh("")},
		{method: "POST", pattern: path, allowed: contentEdit, prep: add0(false)},
		{method: "PUT", pattern: path + "/{ref}", allowed: contentEdit, prep: write(false)},
		{method: "PATCH", pattern: path + "/{ref}", allowed: contentEdit, prep: func(t *testing.T, m *matrix, role string) target {
			return target{path: path + "/" + add(t, m), body: map[string]any{"notes": "Patched by " + role, "version": 1}}
		}},
		{method: "DELETE", pattern: path + "/{ref}", allowed: contentEdit, prep: fresh("")},
		{web: true, method: "GET", pattern: path, allowed: everyone},
		{web: true, method: "GET", pattern: path + "/export.", allowed: everyone, prep: fixed(path + "/export.csv")},
		{web: true, method: "GET", pattern: path + "/{ref}", allowed: everyone, prep: fresh("")},
		{web: true, method: "POST", pattern: path, allowed: contentEdit, prep: add0(true)},
		{web: true, method: "POST", pattern: path + "/{ref}", allowed: contentEdit, prep: write(true)},
		{web: true, method: "POST", pattern: path + "/{ref}/delete", allowed: contentEdit, prep: fresh("/delete")},
	}
}

func leadershipRoutes() []route {
	var rows []route
	rows = append(rows, registerRows("/roles", func(t *testing.T, m *matrix) string {
		r, err := m.srv.Svc.AddRole(m.org.Ctx("owner"), service.RoleInput{Name: fmt.Sprintf("Role %d", m.next()), Person: m.person.Ref})
		m.ok(t, err)
		return r.Ref
	}, func(m *matrix, version int) map[string]any {
		return map[string]any{"name": fmt.Sprintf("Role %d", m.next()), "kind": "other", "person": m.person.Ref, "version": version}
	})...)
	rows = append(rows, registerRows("/commitments", func(t *testing.T, m *matrix) string {
		c, err := m.srv.Svc.AddCommitment(m.org.Ctx("owner"), service.CommitmentInput{Title: fmt.Sprintf("Commitment %d", m.next()), Date: "2026-02-01"})
		m.ok(t, err)
		return c.Ref
	}, func(m *matrix, version int) map[string]any {
		return map[string]any{"title": fmt.Sprintf("Commitment %d", m.next()), "date": "2026-02-02", "person": m.person.Ref, "version": version}
	})...)
	rows = append(rows, registerRows("/objectives", func(t *testing.T, m *matrix) string {
		o, err := m.srv.Svc.AddObjective(m.org.Ctx("owner"), service.ObjectiveInput{Title: fmt.Sprintf("Objective %d", m.next()), Risks: []string{m.risk.Ref}})
		m.ok(t, err)
		return o.Ref
	}, func(m *matrix, version int) map[string]any {
		return map[string]any{"title": fmt.Sprintf("Objective %d", m.next()), "status": "on-track", "owner": m.person.Ref, "version": version}
	})...)
	return rows
}

// leadershipTenants are the rows of the roles, commitments and objectives registers in the isolation test: A has
// RL-001, LC-001 and OBJ-001; B has two of each (so the second refs exist only in B), each saying Bravo.
type leadershipTenants struct {
	bRoles       []isms.ISMSRole
	bCommitments []isms.Commitment
	bObjectives  []isms.Objective
}

// addLeadershipTenants adds those rows, and B's ids to the secrets no answer to A may hold.
func addLeadershipTenants(t *testing.T, x *tenants) leadershipTenants {
	t.Helper()
	svc := x.srv.Svc
	var l leadershipTenants
	_, err := svc.AddRole(x.a.Ctx("editor"), service.RoleInput{Name: "Alpha sponsor", Kind: "sponsor", Person: x.aPerson.Ref})
	noErr(t, err)
	_, err = svc.AddCommitment(x.a.Ctx("editor"), service.CommitmentInput{Title: "Alpha budget", Date: "2026-01-05", Person: x.aPerson.Ref})
	noErr(t, err)
	_, err = svc.AddObjective(x.a.Ctx("editor"), service.ObjectiveInput{Title: "Alpha objective", Owner: x.aPerson.Ref, Risks: []string{x.aRisk.Ref}})
	noErr(t, err)
	for i := range 2 {
		r, err := svc.AddRole(x.b.Ctx("editor"), service.RoleInput{Name: fmt.Sprintf("Bravo role %d", i), Kind: "isms-owner", Person: x.bPeople[i].Ref,
			Responsibilities: "Bravo duties"})
		noErr(t, err)
		c, err := svc.AddCommitment(x.b.Ctx("editor"), service.CommitmentInput{Title: fmt.Sprintf("Bravo budget %d", i), Date: "2026-01-06",
			Person: x.bPeople[i].Ref, Evidence: "Bravo minutes"})
		noErr(t, err)
		o, err := svc.AddObjective(x.b.Ctx("editor"), service.ObjectiveInput{Title: fmt.Sprintf("Bravo objective %d", i), Owner: x.bPeople[i].Ref,
			Risks: []string{x.bRisks[i].Ref}, Due: "2020-01-01", Policy: "Bravo policy"})
		noErr(t, err)
		l.bRoles, l.bCommitments, l.bObjectives = append(l.bRoles, r), append(l.bCommitments, c), append(l.bObjectives, o)
		x.secrets = append(x.secrets, r.ID, c.ID, o.ID)
	}
	return l
}

func noErr(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

// paths are B's second rows, by id and by the reference only B has.
func (l leadershipTenants) paths() []string {
	var out []string
	for _, p := range []struct{ base, id, ref string }{{"/roles/", l.bRoles[1].ID, l.bRoles[1].Ref},
		{"/commitments/", l.bCommitments[1].ID, l.bCommitments[1].Ref}, {"/objectives/", l.bObjectives[1].ID, l.bObjectives[1].Ref}} {
		out = append(out, p.base+p.id, p.base+p.ref)
	}
	return out
}

// leadershipReads are the API and web reads of these registers that A makes in the isolation tests: each must
// answer A's own rows only (the paths are the same in both doors, the web's exports end in .csv).
func leadershipReads(web bool) []string {
	export := "/export"
	if web {
		export = "/export.csv"
	}
	var out []string
	for base, own := range map[string]string{"/roles": "RL-001", "/commitments": "LC-001", "/objectives": "OBJ-001"} {
		out = append(out, base, base+export, base+"/"+own)
		if !web { // (a web page shows the search text itself)
			out = append(out, base+"?search=bravo")
		} else {
			out = append(out, base+"/import")
		}
	}
	return append(out, "/roles?kind=isms-owner", "/objectives?overdue=true", "/objectives?overdue=1", "/objectives?owner=P-002")
}

// leadershipSnapshot adds B's rows, read through B's token, to the snapshot that must not change.
func leadershipSnapshot(t *testing.T, x *tenants, out map[string]string) {
	t.Helper()
	for _, p := range append(x.lead.paths(), "/roles?limit=500", "/commitments?limit=500", "/objectives?limit=500") {
		a := api(t, x.srv, x.bTok, http.MethodGet, p, nil)
		want(t, a, http.StatusOK, "B reads "+p)
		out[p] = string(a.Body)
	}
}

// A can neither read, change nor delete B's roles, commitments and objectives (by id, or by a reference only B
// has), in the API or the web UI; nor name B's people or risks in its own rows. B's rows stay as they were.
func TestIsolationLeadership(t *testing.T) {
	for _, engine := range testutil.Engines {
		t.Run(string(engine), func(t *testing.T) {
			x := setupTenants(t, engine)
			srv := x.srv
			c := srv.Login(t, x.a.Actors["admin"].Email, testutil.Password)
			bodies := map[string]map[string]any{
				"/roles/":       {"name": "Hijacked", "version": 1},
				"/commitments/": {"title": "Hijacked", "date": "2026-01-01", "version": 1},
				"/objectives/":  {"title": "Hijacked", "version": 1},
			}
			for _, p := range x.lead.paths() {
				base := p[:strings.LastIndex(p, "/")+1]
				for _, method := range []string{http.MethodGet, http.MethodPut, http.MethodPatch, http.MethodDelete} {
					var body any
					if method != http.MethodGet && method != http.MethodDelete {
						body = bodies[base]
					}
					a := api(t, srv, x.aTok, method, p, body)
					wantProblem(t, a, http.StatusNotFound, "A: "+method+" "+p)
					x.clean(t, "A: "+method+" "+p, a, strings.Split(p, "/")...)
				}
				a := call(t, c, http.MethodGet, srv.URL+p, nil)
				want(t, a, http.StatusNotFound, "A's admin GET "+p)
				x.clean(t, "web GET "+p, a, strings.Split(p, "/")...)
				form := url.Values{"version": {"1"}}
				for k, v := range bodies[base] {
					form.Set(k, fmt.Sprint(v))
				}
				for _, suffix := range []string{"", "/delete"} {
					a := post(t, srv, c, p+suffix, form)
					want(t, a, http.StatusNotFound, "A's admin POST "+p+suffix)
					x.clean(t, "web POST "+p+suffix, a, strings.Split(p, "/")...)
				}
			}
			bp := x.bPeople[2]
			for _, link := range []struct{ path string }{{"/roles"}, {"/commitments"}, {"/objectives"}} {
				for _, who := range []string{bp.ID, bp.Ref, bp.Email} {
					body := map[string]any{"name": "Cross link", "title": "Cross link", "date": "2026-01-01", "person": who, "owner": who}
					a := api(t, srv, x.aTok, http.MethodPost, link.path, body)
					wantProblem(t, a, http.StatusUnprocessableEntity, "A links B's person into "+link.path)
					x.clean(t, "A links B's person into "+link.path, a, who)
				}
			}
			a := api(t, srv, x.aTok, http.MethodPost, "/objectives", map[string]any{"title": "Cross link", "risks": []string{x.bRisks[1].Ref, x.bRisks[1].ID}})
			wantProblem(t, a, http.StatusUnprocessableEntity, "A links B's risk into an objective")
			x.clean(t, "A links B's risk", a, x.bRisks[1].ID)
			x.unchanged(t)
		})
	}
}

// Through the API: an objective is added with its risks, changed by PATCH with the version read; a stale or
// missing version and an unknown risk are problems (409, 422) naming the cause, and the role list carries the
// warnings about the owner and the sponsor.
func TestLeadershipAPI(t *testing.T) {
	srv := testutil.StartServer(t, sqldb.SQLite)
	org := testutil.NewOrg(t, srv.Svc, "Acme")
	tok := token(t, srv, org, "editor")
	want(t, api(t, srv, tok, http.MethodPost, "/risks", service.RiskInput{Title: "Phishing", Likelihood: 2, Impact: 2, Treatment: "retain"}),
		http.StatusCreated, "add a risk")
	a := api(t, srv, tok, http.MethodPost, "/objectives", map[string]any{"title": "Fewer clicks", "risks": []string{"R-001"}, "due": "2000-01-01"})
	want(t, a, http.StatusCreated, "add an objective")
	var o struct {
		isms.Objective
		Overdue bool `json:"overdue"`
	}
	decode(t, a, &o)
	if o.Ref != "OBJ-001" || !o.Overdue || len(o.Risks) != 1 {
		t.Fatalf("added: %s", a)
	}
	want(t, api(t, srv, tok, http.MethodPatch, "/objectives/OBJ-001", map[string]any{"status": "achieved", "version": 1}), http.StatusOK, "patch")
	p := wantProblem(t, api(t, srv, tok, http.MethodPatch, "/objectives/OBJ-001", map[string]any{"status": "missed", "version": 1}),
		http.StatusConflict, "stale patch")
	if !strings.Contains(p.Detail, "OBJ-001") {
		t.Errorf("stale patch: %+v", p)
	}
	wantProblem(t, api(t, srv, tok, http.MethodPatch, "/objectives/OBJ-001", map[string]any{"status": "missed"}), http.StatusUnprocessableEntity, "no version")
	a = api(t, srv, tok, http.MethodPatch, "/objectives/OBJ-001", map[string]any{"risks": []string{"R-404"}, "version": 2})
	wantProblem(t, a, http.StatusUnprocessableEntity, "unknown risk")
	if !strings.Contains(string(a.Body), `no risk \"R-404\"`) {
		t.Errorf("unknown risk: %s", a)
	}
	a = api(t, srv, tok, http.MethodGet, "/objectives/OBJ-001", nil)
	decode(t, a, &o)
	if o.Status != "achieved" || o.Overdue || o.Version != 2 {
		t.Fatalf("after refused changes: %s", a)
	}
	var roles service.RoleList
	decode(t, api(t, srv, tok, http.MethodGet, "/roles", nil), &roles)
	if len(roles.Warnings) != 2 {
		t.Fatalf("roles of a new organisation: warnings %q", roles.Warnings)
	}
}
