package httpserver_test

import (
	"fmt"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"
	"testing"

	"github.com/praxis-isms/praxis/internal/isms"
	"github.com/praxis-isms/praxis/internal/service"
	"github.com/praxis-isms/praxis/internal/sqldb"
	"github.com/praxis-isms/praxis/internal/testutil"
)

// The role matrix (DESIGN.md section 5) for every endpoint: each API operation and each web route, called by a
// member of each role, must be allowed or answer 403 exactly as the table says. The table must list every
// operation of the OpenAPI document and every route the web UI registers, so that a new endpoint without a
// role test fails here: add a row to routes() with the roles allowed.

// The roles of section 5, and "approver": an editor with the approver flag (top management).
var allRoles = []string{"owner", "admin", "editor", "auditor", "viewer", "approver"}

// Who may do what, by section 5 of DESIGN.md.
var (
	everyone     = allRoles                                         // read content; own tokens, password, organisations
	contentEdit  = []string{"owner", "admin", "editor", "approver"} // create and edit ISMS content
	trailReaders = []string{"owner", "admin", "auditor"}            // the audit trail
	memberRead   = []string{"owner", "admin", "auditor"}            // see members (not viewers, not editors)
	memberAdmin  = []string{"owner", "admin"}                       // manage members, others' tokens
	ownersOnly   = []string{"owner"}                                // ownership
	approvers    = []string{"owner", "approver"}                    // the approver flag (an organisation's creator has it)
)

// target is one concrete request of a route: the path with real ids and the body (JSON for the API; for the
// web UI a form, or an upload).
type target struct {
	path string
	body any
}

// route is one row of the matrix.
type route struct {
	web     bool   // a web UI route (session cookie, form) rather than an API operation
	method  string // as registered
	pattern string // as registered: the OpenAPI path for the API (without /api/v1), the mux pattern for the web
	variant string // what differs from another row of the same route (whose object, which role is granted)
	allowed []string
	// prep makes the objects one request needs (fresh for each role, so that one role's change cannot make
	// another's request fail) and returns the request. nil means the pattern itself, without a body.
	prep func(t *testing.T, m *matrix, role string) target
	// after undoes what an allowed request changed that later requests rely on.
	after func(t *testing.T, m *matrix, role string)
	// sessionOnly rows are allowed only through a browser session: through a bearer token every role gets 403.
	sessionOnly bool
	// dropsSession rows move the session elsewhere (another organisation, a new password): the next row logs in again.
	dropsSession bool
}

func (r route) name() string {
	door := "api"
	if r.web {
		door = "web"
	}
	n := door + " " + r.method + " " + r.pattern
	if r.variant != "" {
		n += " (" + r.variant + ")"
	}
	return n
}

// matrix is the organisation the matrix runs in.
type matrix struct {
	srv    *testutil.Server
	org    testutil.Org
	tokens map[string]string // bearer token per role
	// sessions holds a logged-in browser per role, working in org; a row that changes the session itself
	// (switching or creating an organisation, changing the password) drops it so that the next row logs in again.
	sessions map[string]*http.Client
	person   isms.Person            // exists from the start
	asset    isms.Asset             // exists from the start
	risk     isms.Risk              // exists from the start
	other    service.Actor          // a member outside the matrix, whose token is "another member's"
	inviter  service.Actor          // the owner of another organisation, whose invitations the roles accept
	personOf map[string]isms.Person // the person record of each role's member (a risk owner)
	seq      int
}

func newMatrix(t *testing.T) *matrix {
	t.Helper()
	srv := testutil.StartServer(t, sqldb.SQLite)
	m := &matrix{srv: srv, org: testutil.NewOrg(t, srv.Svc, "Acme"), tokens: map[string]string{},
		sessions: map[string]*http.Client{}, personOf: map[string]isms.Person{}}
	owner := m.org.Ctx("owner")
	for _, role := range allRoles {
		m.tokens[role] = token(t, srv, m.org, role)
		p, err := srv.Svc.AddPerson(owner, service.PersonInput{Name: "Person of " + role, Email: role + "@acme.example"})
		if err != nil {
			t.Fatal(err)
		}
		m.personOf[role] = p
	}
	m.person = m.newPerson(t)
	m.asset = m.newAsset(t)
	m.risk = m.newRisk(t, "")
	m.other = testutil.Join(t, srv.Svc, owner, "other@acme.example", "", isms.RoleViewer, false)
	// The other member owns another organisation (made by the operator), to which every role is invited.
	operator := m.other
	operator.Via = "cli"
	elsewhere, err := srv.Svc.CreateOrganisation(service.WithActor(t.Context(), operator), "Zz Inviting Org")
	m.ok(t, err)
	m.inviter, err = srv.Svc.OperatorActor(t.Context(), elsewhere.Slug, m.other.Email)
	m.ok(t, err)
	m.inviter.Via = "api"
	return m
}

func (m *matrix) next() int { m.seq++; return m.seq }

// completeSoA decides every undecided SoA entry, so that an approver may approve it.
func (m *matrix) completeSoA(t *testing.T) {
	t.Helper()
	set := service.SoAInput{Applicable: new(bool), Justification: "Not needed in the test organisation", Sent: service.SentOf("applicable", "justification")}
	_, err := m.srv.Svc.BulkSetSoA(m.org.Ctx("owner"), service.BulkSoAInput{Filter: service.SoAFilter{Applicable: "undecided"}, Set: set})
	if isms.ErrorKind(err) != isms.KindInvalid { // none left undecided
		m.ok(t, err)
	}
}

// soaVersion is the latest approved SoA version, approving one first when there is none.
func (m *matrix) soaVersion(t *testing.T) int {
	t.Helper()
	vs, err := m.srv.Svc.SoAVersions(m.org.Ctx("owner"))
	m.ok(t, err)
	if len(vs) > 0 {
		return vs[0].Number
	}
	m.completeSoA(t)
	v, err := m.srv.Svc.ApproveSoA(m.org.Ctx("owner"), "")
	m.ok(t, err)
	return v.Number
}

// transitioned imports a 2013 SoA once, so that the transition report has something to say.
func (m *matrix) transitioned(t *testing.T) {
	t.Helper()
	_, err := m.srv.Svc.ImportTransition(m.org.Ctx("owner"), "csv", strings.NewReader(transitionCSV), service.TransitionImportInput{Overwrite: true})
	m.ok(t, err)
}

func (m *matrix) ok(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

// newMember adds a member with role through the service, as the owner.
func (m *matrix) newMember(t *testing.T, role isms.Role) isms.Membership {
	t.Helper()
	a := testutil.Join(t, m.srv.Svc, m.org.Ctx("owner"), fmt.Sprintf("target%d@acme.example", m.next()), "", role, false)
	l, err := m.srv.Svc.ListMembers(m.org.Ctx("owner"), service.Page{Limit: 500})
	m.ok(t, err)
	for _, mem := range l.Items {
		if mem.UserID == a.UserID {
			return mem
		}
	}
	t.Fatalf("%s did not join", a.Email)
	return isms.Membership{}
}

// newInvitation creates an invitation of the matrix's organisation, as its owner.
func (m *matrix) newInvitation(t *testing.T, role isms.Role, approver bool) isms.Invitation {
	t.Helper()
	_, inv, err := m.srv.Svc.CreateInvitation(m.org.Ctx("owner"), service.InviteInput{Email: m.email(), Role: role, Approver: approver})
	m.ok(t, err)
	return inv
}

// invitationElsewhere returns the secret of a new invitation to the other organisation, which any role may accept.
func (m *matrix) invitationElsewhere(t *testing.T) string {
	t.Helper()
	token, _, err := m.srv.Svc.CreateInvitation(service.WithActor(t.Context(), m.inviter), service.InviteInput{Email: m.email(), Role: isms.RoleViewer})
	m.ok(t, err)
	return token
}

// leaveElsewhere takes role's member out of the other organisation again, so that they can accept once more.
func leaveElsewhere(t *testing.T, m *matrix, role string) {
	t.Helper()
	m.ok(t, m.srv.Svc.RemoveMember(service.WithActor(t.Context(), m.inviter), m.org.Actors[role].UserID))
}

func (m *matrix) newPerson(t *testing.T) isms.Person {
	t.Helper()
	p, err := m.srv.Svc.AddPerson(m.org.Ctx("owner"), service.PersonInput{Name: fmt.Sprintf("Target %d", m.next())})
	m.ok(t, err)
	return p
}

func (m *matrix) newAsset(t *testing.T) isms.Asset {
	t.Helper()
	a, err := m.srv.Svc.AddAsset(m.org.Ctx("owner"), service.AssetInput{Name: fmt.Sprintf("Asset %d", m.next()), Type: "software"})
	m.ok(t, err)
	return a
}

// newRisk adds a risk owned by the person of ownerRole ("" for a risk without owner).
func (m *matrix) newRisk(t *testing.T, ownerRole string) isms.Risk {
	t.Helper()
	in := service.RiskInput{Title: fmt.Sprintf("Risk %d", m.next()), Likelihood: 2, Impact: 2, Treatment: "modify", ResidualLikelihood: 1, ResidualImpact: 2}
	if ownerRole != "" {
		in.Owner = m.personOf[ownerRole].Ref
	}
	r, err := m.srv.Svc.AddRisk(m.org.Ctx("owner"), in)
	m.ok(t, err)
	return r.Risk
}

func (m *matrix) newAction(t *testing.T) (isms.Risk, isms.TreatmentAction) {
	t.Helper()
	r := m.newRisk(t, "")
	a, err := m.srv.Svc.AddAction(m.org.Ctx("owner"), r.Ref, service.ActionInput{Title: fmt.Sprintf("Action %d", m.next())})
	m.ok(t, err)
	return r, a
}

// newToken creates a token of the member with role.
func (m *matrix) newToken(t *testing.T, role string) isms.APIToken {
	t.Helper()
	_, tk, err := m.srv.Svc.CreateToken(m.org.Ctx(role), fmt.Sprintf("target %d", m.next()))
	m.ok(t, err)
	return tk
}

// othersToken creates a token of a member who is none of the roles.
func (m *matrix) othersToken(t *testing.T) isms.APIToken {
	t.Helper()
	_, tk, err := m.srv.Svc.CreateToken(service.WithActor(t.Context(), m.other), fmt.Sprintf("other %d", m.next()))
	m.ok(t, err)
	return tk
}

// method returns the risk method as an input that saves it unchanged.
func (m *matrix) method(t *testing.T) service.RiskMethodInput {
	t.Helper()
	rm, err := m.srv.Svc.RiskMethod(m.org.Ctx("owner"))
	m.ok(t, err)
	return service.RiskMethodInput{Likelihood: rm.Likelihood, Impact: rm.Impact, Scoring: rm.Scoring,
		AcceptanceThreshold: rm.AcceptanceThreshold, HighThreshold: rm.HighThreshold, Version: rm.Version}
}

// session returns a browser logged in as role and working in the matrix's organisation.
func (m *matrix) session(t *testing.T, role string) *http.Client {
	t.Helper()
	if c, ok := m.sessions[role]; ok {
		return c
	}
	c := m.srv.Login(t, role+"@acme.example", testutil.Password)
	// A member who created another organisation must still be working in this one.
	want(t, post(t, m.srv, c, "/orgs/switch", url.Values{"org": {m.org.Slug}}), http.StatusSeeOther, "select "+m.org.Slug)
	m.sessions[role] = c
	return c
}

func (m *matrix) email() string { return fmt.Sprintf("new%d@acme.example", m.next()) }

// auditCount is the length of the organisation's audit trail.
func (m *matrix) auditCount(t *testing.T) int {
	t.Helper()
	l, err := m.srv.Svc.ListAudit(m.org.Ctx("owner"), service.AuditFilter{}, service.Page{Limit: 1})
	m.ok(t, err)
	return l.Total
}

const newPassword = "a different passphrase for the matrix"

const memberPattern = "/members/{user_id}"

// prep helpers.
type prepFunc = func(t *testing.T, m *matrix, role string) target

func fixed(p string) prepFunc {
	return func(*testing.T, *matrix, string) target { return target{path: p} }
}

func withBody(p string, f func(m *matrix) any) prepFunc {
	return func(_ *testing.T, m *matrix, _ string) target { return target{path: p, body: f(m)} }
}

func memberTarget(role isms.Role, suffix string, bodyOf func(isms.Membership) any) prepFunc {
	return func(t *testing.T, m *matrix, _ string) target {
		mem := m.newMember(t, role)
		var b any
		if bodyOf != nil {
			b = bodyOf(mem)
		}
		return target{path: "/members/" + mem.UserID + suffix, body: b}
	}
}

// The files an import takes.
const (
	assetCSV  = "name,type\nImported laptop fleet,hardware\n"
	personCSV = "name,department\nImported person,Imports\n"
	riskCSV   = "title,likelihood,impact,treatment\nImported risk,2,3,modify\n"
	// transitionCSV is a 2013 SoA of one row.
	transitionCSV = "Control,Applicable,Justification,Status\nA.5.1.1,yes,Policies are required,implemented\n"
)

// methodForm is the risk method form filled with the saved method.
func methodForm(in service.RiskMethodInput) url.Values {
	f := url.Values{"scoring": {string(in.Scoring)}, "acceptance_threshold": {fmt.Sprint(in.AcceptanceThreshold)},
		"high_threshold": {fmt.Sprint(in.HighThreshold)}, "version": {fmt.Sprint(in.Version)}}
	for _, l := range in.Likelihood {
		f.Add("likelihood_label", l.Label)
		f.Add("likelihood_description", l.Description)
	}
	for _, l := range in.Impact {
		f.Add("impact_label", l.Label)
		f.Add("impact_description", l.Description)
	}
	return f
}

// routes is THE table: every API operation and every web route, with the roles allowed.
func routes() []route {
	ownToken := func(t *testing.T, m *matrix, role string) target {
		return target{path: "/tokens/" + m.newToken(t, role).ID}
	}
	othersToken := func(t *testing.T, m *matrix, _ string) target { return target{path: "/tokens/" + m.othersToken(t).ID} }
	person := func(t *testing.T, m *matrix, _ string) target { return target{path: "/people/" + m.person.Ref} }
	asset := func(t *testing.T, m *matrix, _ string) target { return target{path: "/assets/" + m.asset.Ref} }
	risk := func(t *testing.T, m *matrix, _ string) target { return target{path: "/risks/" + m.risk.Ref} }
	personUpdate := func(form bool) prepFunc {
		return func(t *testing.T, m *matrix, role string) target {
			p := m.newPerson(t)
			if form {
				return target{path: "/people/" + p.Ref, body: url.Values{"name": {"Renamed by " + role}, "version": {"1"}}}
			}
			return target{path: "/people/" + p.Ref, body: service.PersonInput{Name: "Renamed by " + role, Version: p.Version}}
		}
	}
	assetUpdate := func(form bool) prepFunc {
		return func(t *testing.T, m *matrix, role string) target {
			a := m.newAsset(t)
			if form {
				return target{path: "/assets/" + a.Ref, body: url.Values{"name": {"Renamed by " + role}, "type": {"hardware"}, "version": {fmt.Sprint(a.Version)}}}
			}
			return target{path: "/assets/" + a.Ref, body: service.AssetInput{Name: "Renamed by " + role, Type: "hardware", Version: a.Version}}
		}
	}
	assetThen := func(suffix string) prepFunc {
		return func(t *testing.T, m *matrix, _ string) target {
			return target{path: "/assets/" + m.newAsset(t).Ref + suffix}
		}
	}
	riskUpdate := func(form bool) prepFunc {
		return func(t *testing.T, m *matrix, role string) target {
			r := m.newRisk(t, "")
			if form {
				return target{path: "/risks/" + r.Ref, body: url.Values{"title": {"Reassessed by " + role}, "likelihood": {"3"}, "impact": {"3"},
					"treatment": {"modify"}, "version": {fmt.Sprint(r.Version)}}}
			}
			return target{path: "/risks/" + r.Ref, body: service.RiskInput{Title: "Reassessed by " + role, Likelihood: 3, Impact: 3,
				Treatment: "modify", Version: r.Version}}
		}
	}
	riskThen := func(suffix string) prepFunc {
		return func(t *testing.T, m *matrix, _ string) target {
			return target{path: "/risks/" + m.newRisk(t, "").Ref + suffix}
		}
	}
	// accept prepares the acceptance of a risk owned by the caller's own person record, or by nobody.
	accept := func(own, form bool) prepFunc {
		return func(t *testing.T, m *matrix, role string) target {
			owner := ""
			if own {
				owner = role
			}
			r := m.newRisk(t, owner)
			if form {
				return target{path: "/risks/" + r.Ref + "/accept", body: url.Values{"comment": {"Within appetite"}, "version": {fmt.Sprint(r.Version)}}}
			}
			return target{path: "/risks/" + r.Ref + "/accept", body: service.AcceptRiskInput{Comment: "Within appetite", Version: r.Version}}
		}
	}
	addAction := func(form bool) prepFunc {
		return func(t *testing.T, m *matrix, role string) target {
			r := m.newRisk(t, "")
			if form {
				return target{path: "/risks/" + r.Ref + "/actions", body: url.Values{"title": {"Patch by " + role}}}
			}
			return target{path: "/risks/" + r.Ref + "/actions", body: service.ActionInput{Title: "Patch by " + role}}
		}
	}
	updateAction := func(form bool) prepFunc {
		return func(t *testing.T, m *matrix, role string) target {
			r, a := m.newAction(t)
			if form {
				return target{path: "/risks/" + r.Ref + "/actions/" + a.Ref, body: url.Values{"title": {a.Title}, "status": {"in-progress"},
					"version": {fmt.Sprint(a.Version)}}}
			}
			return target{path: "/treatment-actions/" + a.Ref, body: service.ActionInput{Title: a.Title, Status: "in-progress", Version: a.Version}}
		}
	}
	setActionStatus := func(t *testing.T, m *matrix, _ string) target {
		r, a := m.newAction(t)
		return target{path: "/risks/" + r.Ref + "/actions/" + a.Ref + "/status", body: url.Values{"status": {"in-progress"}, "version": {fmt.Sprint(a.Version)}}}
	}
	setMethod := func(form bool) prepFunc {
		return func(t *testing.T, m *matrix, _ string) target {
			in := m.method(t)
			if form {
				return target{path: "/risks/method", body: methodForm(in)}
			}
			return target{path: "/risk-method", body: in}
		}
	}

	return append(documentRoutes(), []route{
		// API: accounts.
		{method: "GET", pattern: "/me", allowed: everyone},
		{method: "GET", pattern: "/organisation", allowed: everyone},
		{method: "POST", pattern: "/organisations", allowed: memberAdmin, // org_creation = owners (the default)
			prep: withBody("/organisations", func(m *matrix) any { return map[string]string{"name": fmt.Sprintf("Zz spin-off %d", m.next())} })},

		// API: members.
		{method: "GET", pattern: "/members", allowed: memberRead},
		{method: "PATCH", pattern: memberPattern, allowed: memberAdmin,
			prep: memberTarget(isms.RoleViewer, "", func(mem isms.Membership) any {
				return service.UpdateMemberInput{Role: isms.RoleEditor, Version: mem.Version}
			})},
		{method: "PATCH", pattern: memberPattern, variant: "granting the approver flag", allowed: ownersOnly,
			prep: memberTarget(isms.RoleViewer, "", func(mem isms.Membership) any {
				return service.UpdateMemberInput{Role: isms.RoleViewer, Approver: true, Version: mem.Version}
			})},
		{method: "PATCH", pattern: memberPattern, variant: "making an owner", allowed: ownersOnly,
			prep: memberTarget(isms.RoleViewer, "", func(mem isms.Membership) any {
				return service.UpdateMemberInput{Role: isms.RoleOwner, Version: mem.Version}
			})},
		{method: "PATCH", pattern: memberPattern, variant: "demoting an owner", allowed: ownersOnly,
			prep: memberTarget(isms.RoleOwner, "", func(mem isms.Membership) any {
				return service.UpdateMemberInput{Role: isms.RoleAdmin, Version: mem.Version}
			})},
		{method: "DELETE", pattern: memberPattern, allowed: memberAdmin, prep: memberTarget(isms.RoleViewer, "", nil)},
		{method: "DELETE", pattern: memberPattern, variant: "removing an owner", allowed: ownersOnly, prep: memberTarget(isms.RoleOwner, "", nil)},

		// API: invitations.
		{method: "GET", pattern: "/invitations", allowed: memberRead},
		{method: "POST", pattern: "/invitations", allowed: memberAdmin,
			prep: withBody("/invitations", func(m *matrix) any { return service.InviteInput{Email: m.email(), Role: isms.RoleViewer} })},
		{method: "POST", pattern: "/invitations", variant: "inviting an owner", allowed: ownersOnly,
			prep: withBody("/invitations", func(m *matrix) any { return service.InviteInput{Email: m.email(), Role: isms.RoleOwner} })},
		{method: "POST", pattern: "/invitations", variant: "inviting an approver", allowed: ownersOnly,
			prep: withBody("/invitations", func(m *matrix) any {
				return service.InviteInput{Email: m.email(), Role: isms.RoleEditor, Approver: true}
			})},
		{method: "DELETE", pattern: "/invitations/{id}", allowed: memberAdmin,
			prep: func(t *testing.T, m *matrix, _ string) target {
				return target{path: "/invitations/" + m.newInvitation(t, isms.RoleViewer, false).ID}
			}},
		{method: "DELETE", pattern: "/invitations/{id}", variant: "an owner's invitation", allowed: ownersOnly,
			prep: func(t *testing.T, m *matrix, _ string) target {
				return target{path: "/invitations/" + m.newInvitation(t, isms.RoleOwner, false).ID}
			}},
		{method: "POST", pattern: "/invitations/accept", allowed: everyone, sessionOnly: true, dropsSession: true, after: leaveElsewhere,
			prep: func(t *testing.T, m *matrix, _ string) target {
				return target{path: "/invitations/accept", body: map[string]string{"token": m.invitationElsewhere(t)}}
			}},

		// API: tokens.
		{method: "GET", pattern: "/tokens", allowed: everyone},
		{method: "POST", pattern: "/tokens", allowed: everyone, prep: withBody("/tokens", func(*matrix) any { return map[string]string{"name": "mine"} })},
		{method: "DELETE", pattern: "/tokens/{id}", variant: "own token", allowed: everyone, prep: ownToken},
		{method: "DELETE", pattern: "/tokens/{id}", variant: "another member's token", allowed: memberAdmin, prep: othersToken},

		// API: people.
		{method: "GET", pattern: "/people", allowed: everyone},
		{method: "GET", pattern: "/people/{ref}", allowed: everyone, prep: person},
		{method: "GET", pattern: "/people/leavers/open-access", allowed: everyone},
		{method: "POST", pattern: "/people", allowed: contentEdit,
			prep: withBody("/people", func(m *matrix) any { return service.PersonInput{Name: fmt.Sprintf("Person %d", m.next())} })},
		{method: "PUT", pattern: "/people/{ref}", allowed: contentEdit, prep: personUpdate(false)},
		{method: "PATCH", pattern: "/people/{ref}", allowed: contentEdit, prep: func(t *testing.T, m *matrix, role string) target {
			p := m.newPerson(t)
			return target{path: "/people/" + p.Ref, body: map[string]any{"job_title": "Patched by " + role, "version": p.Version}}
		}},

		// API: audit trail.
		{method: "GET", pattern: "/audit-events", allowed: trailReaders},
		{method: "GET", pattern: "/audit-events/export.csv", allowed: trailReaders},
		{method: "GET", pattern: "/audit-events/checkpoint", allowed: trailReaders},
		{method: "GET", pattern: "/auditor-pack", allowed: []string{"owner", "admin", "auditor", "approver"}},

		// API: catalog (content every member reads).
		{method: "GET", pattern: "/catalog/controls", allowed: everyone},
		{method: "GET", pattern: "/catalog/controls/{id}", allowed: everyone, prep: fixed("/catalog/controls/8.28")},
		{method: "GET", pattern: "/catalog/clauses", allowed: everyone},
		{method: "GET", pattern: "/catalog/clauses/{id}", allowed: everyone, prep: fixed("/catalog/clauses/6.1.2")},
		{method: "GET", pattern: "/catalog/mapping", allowed: everyone},
		{method: "GET", pattern: "/catalog/controls-2013/{id}", allowed: everyone, prep: fixed("/catalog/controls-2013/A.14.2.1")},
		{method: "GET", pattern: "/catalog/coverage/{key}", allowed: everyone, prep: fixed("/catalog/coverage/control_type")},
		{method: "GET", pattern: "/catalog/mandatory-documents", allowed: everyone},
		{method: "GET", pattern: "/catalog/threats", allowed: everyone},
		{method: "GET", pattern: "/catalog/export", allowed: everyone},

		// API: risk method, assets, risks, treatment.
		{method: "GET", pattern: "/risk-method", allowed: everyone},
		{method: "PUT", pattern: "/risk-method", allowed: contentEdit, prep: setMethod(false)},
		{method: "GET", pattern: "/assets", allowed: everyone},
		{method: "GET", pattern: "/assets/{ref}", allowed: everyone, prep: asset},
		{method: "GET", pattern: "/assets/export", allowed: everyone},
		{method: "POST", pattern: "/assets", allowed: contentEdit,
			prep: withBody("/assets", func(m *matrix) any {
				return service.AssetInput{Name: fmt.Sprintf("New asset %d", m.next()), Type: "service"}
			})},
		{method: "POST", pattern: "/assets/import", allowed: contentEdit,
			prep: withBody("/assets/import", func(*matrix) any { return raw{"text/csv", assetCSV} })},
		{method: "POST", pattern: "/assets/import", variant: "dry run", allowed: contentEdit,
			prep: withBody("/assets/import?dry_run=true", func(*matrix) any { return raw{"text/csv", assetCSV} })},
		{method: "GET", pattern: "/people/export", allowed: everyone},
		{method: "POST", pattern: "/people/import", allowed: contentEdit,
			prep: withBody("/people/import", func(*matrix) any { return raw{"text/csv", personCSV} })},
		{method: "PUT", pattern: "/assets/{ref}", allowed: contentEdit, prep: assetUpdate(false)},
		{method: "PATCH", pattern: "/assets/{ref}", allowed: contentEdit, prep: func(t *testing.T, m *matrix, role string) target {
			a := m.newAsset(t)
			return target{path: "/assets/" + a.Ref, body: map[string]any{"location": "Moved by " + role, "version": a.Version}}
		}},
		{method: "DELETE", pattern: "/assets/{ref}", allowed: contentEdit, prep: assetThen("")},
		{method: "GET", pattern: "/risks", allowed: everyone},
		{method: "GET", pattern: "/risks/{ref}", allowed: everyone, prep: risk},
		{method: "GET", pattern: "/risks/heatmap", allowed: everyone},
		{method: "GET", pattern: "/risks/export", allowed: everyone},
		{method: "POST", pattern: "/risks", allowed: contentEdit,
			prep: withBody("/risks", func(m *matrix) any {
				return service.RiskInput{Title: fmt.Sprintf("New risk %d", m.next()), Likelihood: 2, Impact: 4, Treatment: "modify"}
			})},
		{method: "POST", pattern: "/risks/import", allowed: contentEdit,
			prep: withBody("/risks/import", func(*matrix) any { return raw{"text/csv", riskCSV} })},
		{method: "POST", pattern: "/risks/import", variant: "dry run", allowed: contentEdit,
			prep: withBody("/risks/import?dry_run=true", func(*matrix) any { return raw{"text/csv", riskCSV} })},
		{method: "PUT", pattern: "/risks/{ref}", allowed: contentEdit, prep: riskUpdate(false)},
		{method: "PATCH", pattern: "/risks/{ref}", allowed: contentEdit, prep: func(t *testing.T, m *matrix, role string) target {
			r := m.newRisk(t, "")
			return target{path: "/risks/" + r.Ref, body: map[string]any{"impact": 2, "version": r.Version}}
		}},
		{method: "DELETE", pattern: "/risks/{ref}", allowed: contentEdit, prep: riskThen("")},
		{method: "POST", pattern: "/risks/{ref}/accept", variant: "someone else's risk", allowed: approvers, prep: accept(false, false)},
		{method: "POST", pattern: "/risks/{ref}/accept", variant: "a risk the caller owns", allowed: everyone, prep: accept(true, false)},
		{method: "GET", pattern: "/treatment-actions", allowed: everyone},
		{method: "GET", pattern: "/treatment-actions/export", allowed: everyone},
		{method: "POST", pattern: "/risks/{ref}/actions", allowed: contentEdit, prep: addAction(false)},
		{method: "PUT", pattern: "/treatment-actions/{ref}", allowed: contentEdit, prep: updateAction(false)},
		{method: "PATCH", pattern: "/treatment-actions/{ref}", allowed: contentEdit, prep: func(t *testing.T, m *matrix, _ string) target {
			_, a := m.newAction(t)
			return target{path: "/treatment-actions/" + a.Ref, body: map[string]any{"status": "done", "version": a.Version}}
		}},

		// API: Statement of Applicability.
		{method: "GET", pattern: "/soa", allowed: everyone, prep: fixed("/soa?theme=physical&applicable=undecided")},
		{method: "GET", pattern: "/soa/{control}", allowed: everyone, prep: fixed("/soa/8.28")},
		{method: "PATCH", pattern: "/soa/{control}", allowed: contentEdit, prep: func(t *testing.T, m *matrix, role string) target {
			e, err := m.srv.Svc.SoAEntry(m.org.Ctx("owner"), "5.1")
			m.ok(t, err)
			return target{path: "/soa/5.1", body: map[string]any{"notes": "Noted by " + role, "version": e.Version}}
		}},
		{method: "PATCH", pattern: "/soa", allowed: contentEdit, prep: withBody("/soa", func(m *matrix) any {
			return map[string]any{"controls": []string{"5.2", "5.3"}, "set": map[string]any{"notes": fmt.Sprintf("Bulk %d", m.next())}}
		})},
		{method: "POST", pattern: "/soa/approve", allowed: approvers, prep: func(t *testing.T, m *matrix, role string) target {
			m.completeSoA(t)
			return target{path: "/soa/approve", body: map[string]any{"comment": "Approved by " + role}}
		}},
		{method: "GET", pattern: "/soa/versions", allowed: everyone},
		{method: "GET", pattern: "/soa/export", allowed: everyone, prep: fixed("/soa/export?format=csv")},
		{method: "GET", pattern: "/soa/versions/{n}", allowed: everyone, prep: func(t *testing.T, m *matrix, _ string) target {
			return target{path: fmt.Sprintf("/soa/versions/%d", m.soaVersion(t))}
		}},
		{method: "GET", pattern: "/soa/diff", allowed: everyone, prep: func(t *testing.T, m *matrix, _ string) target {
			return target{path: fmt.Sprintf("/soa/diff?from=%d&to=draft", m.soaVersion(t))}
		}},

		// API: the 2013 to 2022 transition.
		{method: "POST", pattern: "/transition/import", allowed: contentEdit,
			prep: withBody("/transition/import?overwrite=true", func(*matrix) any { return raw{"text/csv", transitionCSV} })},
		{method: "POST", pattern: "/transition/import", variant: "dry run", allowed: contentEdit,
			prep: withBody("/transition/import?dry_run=true", func(*matrix) any { return raw{"text/csv", transitionCSV} })},
		{method: "GET", pattern: "/transition", allowed: everyone},
		{method: "GET", pattern: "/transition/report", allowed: everyone, prep: func(t *testing.T, m *matrix, _ string) target {
			m.transitioned(t)
			return target{path: "/transition/report?format=md"}
		}},

		// API: security.
		{method: "GET", pattern: "/security-events", allowed: ownersOnly},
		{method: "PUT", pattern: "/organisation/two-factor", allowed: ownersOnly,
			prep: withBody("/organisation/two-factor", func(*matrix) any { return map[string]bool{"require_two_factor": false} })},
		{method: "POST", pattern: memberPattern + "/reset-link", allowed: ownersOnly, prep: memberTarget(isms.RoleViewer, "/reset-link", nil)},

		// Web: login, two-factor and security.
		{web: true, method: "GET", pattern: "/orgs/choose", allowed: everyone},
		{web: true, method: "GET", pattern: "/settings/two-factor", allowed: everyone},
		{web: true, method: "GET", pattern: "/security", allowed: ownersOnly},
		{web: true, method: "POST", pattern: "/security/two-factor", allowed: ownersOnly,
			prep: withBody("/security/two-factor", func(*matrix) any { return url.Values{} })},
		{web: true, method: "POST", pattern: memberPattern + "/reset-link", allowed: ownersOnly, prep: memberTarget(isms.RoleViewer, "/reset-link", nil)},
		{web: true, method: "POST", pattern: "/settings/two-factor/setup", allowed: everyone},
		{web: true, method: "POST", pattern: "/settings/two-factor/confirm", allowed: everyone,
			prep: func(t *testing.T, m *matrix, role string) target {
				return target{path: "/settings/two-factor/confirm", body: url.Values{"code": {m.twoFactorCode(t, role)}}}
			}, after: twoFactorOff},
		{web: true, method: "POST", pattern: "/settings/two-factor/recovery-codes", allowed: everyone,
			prep: func(t *testing.T, m *matrix, role string) target {
				m.twoFactorOn(t, role)
				return target{path: "/settings/two-factor/recovery-codes"}
			}, after: twoFactorOff},
		{web: true, method: "POST", pattern: "/settings/two-factor/disable", allowed: everyone,
			prep: func(t *testing.T, m *matrix, role string) target {
				codes := m.twoFactorOn(t, role)
				return target{path: "/settings/two-factor/disable", body: url.Values{"password": {testutil.Password}, "code": {codes[0]}}}
			}},

		// Web: pages.
		{web: true, method: "GET", pattern: "/{$}", allowed: everyone, prep: fixed("/")},
		{web: true, method: "GET", pattern: "/password", allowed: everyone},
		{web: true, method: "GET", pattern: "/orgs/new", allowed: memberAdmin},
		{web: true, method: "GET", pattern: "/settings/tokens", allowed: everyone},
		{web: true, method: "GET", pattern: "/members", allowed: memberRead},
		{web: true, method: "GET", pattern: "/people", allowed: everyone},
		{web: true, method: "GET", pattern: "/people/{ref}", allowed: everyone, prep: person},
		{web: true, method: "GET", pattern: "/audit", allowed: trailReaders},
		{web: true, method: "GET", pattern: "/audit/export.csv", allowed: trailReaders},
		{web: true, method: "GET", pattern: "/audit/checkpoint.json", allowed: trailReaders},
		{web: true, method: "GET", pattern: "/auditor-pack", allowed: []string{"owner", "admin", "auditor", "approver"}},
		{web: true, method: "GET", pattern: "/auditor-pack.zip", allowed: []string{"owner", "admin", "auditor", "approver"}},
		{web: true, method: "GET", pattern: "/catalog", allowed: everyone},
		{web: true, method: "GET", pattern: "/catalog/{$}", allowed: everyone, prep: fixed("/catalog/")},
		{web: true, method: "GET", pattern: "/catalog/controls/{id}", allowed: everyone, prep: fixed("/catalog/controls/5.1")},
		{web: true, method: "GET", pattern: "/catalog/clauses", allowed: everyone},
		{web: true, method: "GET", pattern: "/catalog/clauses/{id}", allowed: everyone, prep: fixed("/catalog/clauses/9.2")},
		{web: true, method: "GET", pattern: "/catalog/documents", allowed: everyone},
		{web: true, method: "GET", pattern: "/catalog/mapping", allowed: everyone},
		{web: true, method: "GET", pattern: "/catalog/coverage", allowed: everyone},
		{web: true, method: "GET", pattern: "/assets", allowed: everyone},
		{web: true, method: "GET", pattern: "/assets/{ref}", allowed: everyone, prep: asset},
		{web: true, method: "GET", pattern: "/assets/import", allowed: everyone},
		{web: true, method: "GET", pattern: "/assets/suggest", allowed: everyone, prep: fixed("/assets/suggest?q=a")},
		{web: true, method: "GET", pattern: "/people/suggest", allowed: everyone, prep: fixed("/people/suggest?q=a")},
		{web: true, method: "GET", pattern: "/people/import", allowed: everyone},
		{web: true, method: "GET", pattern: "/people/export.", allowed: everyone, prep: fixed("/people/export.xlsx")},
		{web: true, method: "GET", pattern: "/assets/export.", allowed: everyone, prep: fixed("/assets/export.csv")},
		{web: true, method: "GET", pattern: "/risks", allowed: everyone},
		{web: true, method: "GET", pattern: "/risks/{ref}", allowed: everyone, prep: risk},
		{web: true, method: "GET", pattern: "/risks/new", allowed: everyone},
		{web: true, method: "GET", pattern: "/risks/heatmap", allowed: everyone},
		{web: true, method: "GET", pattern: "/risks/plan", allowed: everyone},
		{web: true, method: "GET", pattern: "/risks/method", allowed: everyone},
		{web: true, method: "GET", pattern: "/risks/import", allowed: everyone},
		{web: true, method: "GET", pattern: "/risks/export.", allowed: everyone, prep: fixed("/risks/export.csv")},
		{web: true, method: "GET", pattern: "/risks/plan/export.", allowed: everyone, prep: fixed("/risks/plan/export.csv")},
		{web: true, method: "GET", pattern: "/soa", allowed: everyone},
		{web: true, method: "GET", pattern: "/soa/{control}", allowed: everyone, prep: fixed("/soa/8.28")},
		{web: true, method: "GET", pattern: "/soa/versions", allowed: everyone},
		{web: true, method: "GET", pattern: "/soa/versions/{n}", allowed: everyone, prep: soaVersion},
		{web: true, method: "GET", pattern: "/soa/diff", allowed: everyone, prep: fixed("/soa/diff?from=draft&to=draft")},
		{web: true, method: "GET", pattern: "/transition", allowed: everyone},
		{web: true, method: "POST", pattern: "/transition/import", allowed: contentEdit,
			prep: withBody("/transition/import", func(*matrix) any {
				return upload{field: "file", filename: "soa-2013.csv", data: transitionCSV, fields: url.Values{"step": {"check"}}}
			})},
		{web: true, method: "GET", pattern: "/transition/report", allowed: everyone, prep: func(t *testing.T, m *matrix, _ string) target {
			m.transitioned(t)
			return target{path: "/transition/report?format=md"}
		}},
		{web: true, method: "GET", pattern: "/soa/export", allowed: everyone, prep: fixed("/soa/export?format=csv")},

		// Web: forms.
		{web: true, method: "POST", pattern: "/members/invitations", allowed: memberAdmin,
			prep: withBody("/members/invitations", func(m *matrix) any { return url.Values{"email": {m.email()}, "role": {"viewer"}} })},
		{web: true, method: "POST", pattern: "/members/invitations", variant: "inviting an owner", allowed: ownersOnly,
			prep: withBody("/members/invitations", func(m *matrix) any { return url.Values{"email": {m.email()}, "role": {"owner"}} })},
		{web: true, method: "POST", pattern: "/members/invitations/{id}/revoke", allowed: memberAdmin,
			prep: func(t *testing.T, m *matrix, _ string) target {
				return target{path: "/members/invitations/" + m.newInvitation(t, isms.RoleViewer, false).ID + "/revoke"}
			}},
		{web: true, method: "POST", pattern: "/invite/{token}", allowed: everyone, dropsSession: true, after: leaveElsewhere,
			prep: func(t *testing.T, m *matrix, _ string) target {
				return target{path: "/invite/" + m.invitationElsewhere(t), body: url.Values{}}
			}},
		{web: true, method: "POST", pattern: memberPattern, allowed: memberAdmin,
			prep: memberTarget(isms.RoleViewer, "", func(mem isms.Membership) any {
				return url.Values{"role": {"editor"}, "version": {fmt.Sprint(mem.Version)}}
			})},
		{web: true, method: "POST", pattern: memberPattern, variant: "granting the approver flag", allowed: ownersOnly,
			prep: memberTarget(isms.RoleViewer, "", func(mem isms.Membership) any {
				return url.Values{"role": {"viewer"}, "approver": {"on"}, "version": {fmt.Sprint(mem.Version)}}
			})},
		{web: true, method: "POST", pattern: memberPattern, variant: "demoting an owner", allowed: ownersOnly,
			prep: memberTarget(isms.RoleOwner, "", func(mem isms.Membership) any {
				return url.Values{"role": {"admin"}, "version": {fmt.Sprint(mem.Version)}}
			})},
		{web: true, method: "POST", pattern: memberPattern + "/remove", allowed: memberAdmin, prep: memberTarget(isms.RoleViewer, "/remove", nil)},
		{web: true, method: "POST", pattern: memberPattern + "/remove", variant: "removing an owner", allowed: ownersOnly,
			prep: memberTarget(isms.RoleOwner, "/remove", nil)},
		{web: true, method: "POST", pattern: "/people", allowed: contentEdit,
			prep: withBody("/people", func(m *matrix) any { return url.Values{"name": {fmt.Sprintf("Person %d", m.next())}} })},
		{web: true, method: "POST", pattern: "/people/{ref}", allowed: contentEdit, prep: personUpdate(true)},
		{web: true, method: "POST", pattern: "/settings/tokens", allowed: everyone,
			prep: withBody("/settings/tokens", func(*matrix) any { return url.Values{"name": {"from the UI"}} })},
		{web: true, method: "POST", pattern: "/settings/tokens/{id}/revoke", variant: "own token", allowed: everyone,
			prep: func(t *testing.T, m *matrix, role string) target {
				return target{path: "/settings/tokens/" + m.newToken(t, role).ID + "/revoke"}
			}},
		{web: true, method: "POST", pattern: "/settings/tokens/{id}/revoke", variant: "another member's token", allowed: memberAdmin,
			prep: func(t *testing.T, m *matrix, _ string) target {
				return target{path: "/settings/tokens/" + m.othersToken(t).ID + "/revoke"}
			}},
		{web: true, method: "POST", pattern: "/orgs", allowed: memberAdmin, dropsSession: true,
			prep: withBody("/orgs", func(m *matrix) any { return url.Values{"name": {fmt.Sprintf("Zz new %d", m.next())}} })},
		{web: true, method: "POST", pattern: "/orgs/switch", allowed: everyone, dropsSession: true,
			prep: func(_ *testing.T, m *matrix, _ string) target {
				return target{path: "/orgs/switch", body: url.Values{"org": {m.org.Slug}}}
			}},
		{web: true, method: "POST", pattern: "/password", allowed: everyone, dropsSession: true,
			prep: withBody("/password", func(*matrix) any {
				return url.Values{"current_password": {testutil.Password}, "new_password": {newPassword}, "confirm_password": {newPassword}}
			}),
			after: func(t *testing.T, m *matrix, role string) {
				a := m.org.Actors[role]
				a.Via = "web"
				if err := m.srv.Svc.ChangePassword(service.WithActor(t.Context(), a), newPassword, testutil.Password); err != nil {
					t.Fatalf("restore the password of %s: %v", role, err)
				}
			}},
		{web: true, method: "POST", pattern: "/assets", allowed: contentEdit,
			prep: withBody("/assets", func(m *matrix) any {
				return url.Values{"name": {fmt.Sprintf("Web asset %d", m.next())}, "type": {"information"}}
			})},
		{web: true, method: "POST", pattern: "/assets/import", allowed: contentEdit,
			prep: withBody("/assets/import", func(*matrix) any { return upload{field: "file", filename: "assets.csv", data: assetCSV} })},
		{web: true, method: "POST", pattern: "/people/import", allowed: contentEdit,
			prep: withBody("/people/import", func(*matrix) any { return upload{field: "file", filename: "people.csv", data: personCSV} })},
		{web: true, method: "POST", pattern: "/assets/{ref}", allowed: contentEdit, prep: assetUpdate(true)},
		{web: true, method: "POST", pattern: "/assets/{ref}/delete", allowed: contentEdit, prep: assetThen("/delete")},
		{web: true, method: "POST", pattern: "/risks", allowed: contentEdit,
			prep: withBody("/risks", func(m *matrix) any {
				return url.Values{"title": {fmt.Sprintf("Web risk %d", m.next())}, "likelihood": {"2"}, "impact": {"2"}, "treatment": {"retain"}}
			})},
		{web: true, method: "POST", pattern: "/risks/import", allowed: contentEdit,
			prep: withBody("/risks/import", func(*matrix) any { return upload{field: "file", filename: "risks.csv", data: riskCSV} })},
		{web: true, method: "POST", pattern: "/risks/method", allowed: contentEdit, prep: setMethod(true)},
		{web: true, method: "POST", pattern: "/risks/{ref}", allowed: contentEdit, prep: riskUpdate(true)},
		{web: true, method: "POST", pattern: "/risks/{ref}/delete", allowed: contentEdit, prep: riskThen("/delete")},
		{web: true, method: "POST", pattern: "/risks/{ref}/accept", variant: "someone else's risk", allowed: approvers, prep: accept(false, true)},
		{web: true, method: "POST", pattern: "/risks/{ref}/accept", variant: "a risk the caller owns", allowed: everyone, prep: accept(true, true)},
		{web: true, method: "POST", pattern: "/risks/{ref}/actions", allowed: contentEdit, prep: addAction(true)},
		{web: true, method: "POST", pattern: "/risks/{ref}/actions/{action}", allowed: contentEdit, prep: updateAction(true)},
		{web: true, method: "POST", pattern: "/risks/{ref}/actions/{action}/status", allowed: contentEdit, prep: setActionStatus},
		{web: true, method: "POST", pattern: "/soa/{control}", allowed: contentEdit, prep: func(t *testing.T, m *matrix, _ string) target {
			e, err := m.srv.Svc.SoAEntry(m.org.Ctx("owner"), "5.1")
			if err != nil {
				t.Fatal(err)
			}
			return target{path: "/soa/5.1", body: url.Values{"version": {strconv.Itoa(e.Version)}, "notes": {fmt.Sprintf("note %d", m.next())}}}
		}},
		{web: true, method: "POST", pattern: "/soa/bulk", allowed: contentEdit,
			prep: withBody("/soa/bulk", func(m *matrix) any { return url.Values{"control": {"5.2", "5.3"}, "reasons": {"legal"}} })},
		{web: true, method: "POST", pattern: "/soa/approve", allowed: approvers, prep: func(t *testing.T, m *matrix, _ string) target {
			completeSoA(t, m)
			return target{path: "/soa/approve", body: url.Values{"comment": {"matrix"}}}
		}},
	}...)
}

// webPublic are the web routes open before login, which no role changes.
var webPublic = []string{"GET /setup", "POST /setup", "GET /login", "POST /login", "POST /logout", "GET /static/", "GET /invite/{token}",
	"GET /login/code", "POST /login/code", "GET /reset/{token}", "POST /reset/{token}"}

func TestRoleMatrix(t *testing.T) {
	m := newMatrix(t)
	srv := m.srv
	table := allRoutes()

	t.Run("covers every API operation", func(t *testing.T) {
		a := call(t, nil, http.MethodGet, srv.URL+"/api/v1/openapi.json", nil)
		want(t, a, http.StatusOK, "openapi.json")
		var doc struct {
			Paths map[string]map[string]any `json:"paths"`
		}
		decode(t, a, &doc)
		registered := map[string]bool{}
		for p, item := range doc.Paths {
			for method := range item {
				switch method {
				case "get", "put", "post", "delete", "options", "head", "patch", "trace":
					registered[strings.ToUpper(method)+" "+p] = true
				}
			}
		}
		inTable := map[string]bool{}
		for _, r := range table {
			if !r.web {
				inTable[r.method+" "+r.pattern] = true
			}
		}
		compare(t, "API operation", registered, inTable)
	})

	t.Run("covers every web route", func(t *testing.T) {
		registered := webRoutes(t)
		inTable := map[string]bool{}
		for _, r := range table {
			if r.web {
				inTable[r.method+" "+r.pattern] = true
			}
		}
		for _, p := range webPublic {
			if !registered[p] {
				t.Errorf("public web route %s is no longer registered: update webPublic", p)
			}
			delete(registered, p)
		}
		compare(t, "web route", registered, inTable)
	})

	// Every format of an export passes the same access check, so each runs in its cheapest format. API reads go
	// through a bearer token; API writes also through the session, as a browser script would send them.
	for _, r := range table {
		doors := []string{"bearer", "session"}
		switch {
		case r.web:
			doors = []string{"session"}
		case r.method == http.MethodGet:
			doors = []string{"bearer"}
		}
		for _, door := range doors {
			for _, role := range allRoles {
				name := r.name() + " as " + role
				if !r.web {
					name += " via " + door
				}
				t.Run(name, func(t *testing.T) { runCell(t, m, r, door, role) })
			}
		}
	}
}

// runCell makes one request of route r as role and checks it is allowed or forbidden as the table says.
func runCell(t *testing.T, m *matrix, r route, door, role string) {
	tg := target{path: r.pattern}
	if r.prep != nil {
		tg = r.prep(t, m, role)
	}
	if strings.ContainsAny(tg.path, "{}") {
		t.Fatalf("path %s still has a placeholder: give the row a prep", tg.path)
	}
	srv := m.srv
	var a answer
	switch {
	case r.web || door == "session":
		c := m.session(t, role)
		if r.dropsSession {
			delete(m.sessions, role)
		}
		u := srv.URL + tg.path
		if !r.web {
			u = srv.URL + "/api/v1" + tg.path
		}
		a = call(t, c, r.method, u, tg.body, "Origin", srv.URL, "Sec-Fetch-Site", "same-origin")
	default:
		a = api(t, srv, m.tokens[role], r.method, tg.path, tg.body)
	}
	if slices.Contains(r.allowed, role) && (door == "session" || !r.sessionOnly) {
		switch {
		case a.Status >= 200 && a.Status < 300:
		case r.web && a.Status >= 300 && a.Status < 400:
			if loc := a.Header.Get("Location"); strings.HasPrefix(loc, "/login") || strings.HasPrefix(loc, "/password") {
				t.Fatalf("%s %s as %s: allowed, but redirected to %s", r.method, tg.path, role, loc)
			}
		default:
			t.Fatalf("%s %s as %s: allowed by the matrix, got status %d: %.300s", r.method, tg.path, role, a.Status, a)
		}
		if r.after != nil {
			r.after(t, m, role)
		}
		return
	}
	if a.Status != http.StatusForbidden {
		t.Fatalf("%s %s as %s: forbidden by the matrix, got status %d: %.300s", r.method, tg.path, role, a.Status, a)
	}
	if !r.web {
		wantProblem(t, a, http.StatusForbidden, r.name())
	}
}

// TestRoleMatrixDeniedChangesNothing checks, for every state-changing API row, that a denied request leaves
// the audit trail (and so the data: every change writes it in the same transaction) as it was.
func TestRoleMatrixDeniedChangesNothing(t *testing.T) {
	m := newMatrix(t)
	for _, r := range allRoutes() {
		if r.method == http.MethodGet || r.web {
			continue
		}
		for _, role := range allRoles {
			if slices.Contains(r.allowed, role) && !r.sessionOnly {
				continue
			}
			t.Run(r.name()+" as "+role, func(t *testing.T) {
				tg := target{path: r.pattern}
				if r.prep != nil {
					tg = r.prep(t, m, role)
				}
				before := m.auditCount(t)
				a := api(t, m.srv, m.tokens[role], r.method, tg.path, tg.body)
				want(t, a, http.StatusForbidden, r.name())
				if after := m.auditCount(t); after != before {
					t.Fatalf("a denied %s wrote %d audit event(s)", r.name(), after-before)
				}
			})
		}
	}
}

// compare fails for every registered route missing from the table, and every table row that is not registered.
func compare(t *testing.T, what string, registered, inTable map[string]bool) {
	t.Helper()
	var missing, stale []string
	for k := range registered {
		if !inTable[k] {
			missing = append(missing, k)
		}
	}
	for k := range inTable {
		if !registered[k] {
			stale = append(stale, k)
		}
	}
	sort.Strings(missing)
	sort.Strings(stale)
	for _, k := range missing {
		t.Errorf("%s %s has no row in the role matrix (rolematrix_test.go routes): add one with the roles allowed", what, k)
	}
	for _, k := range stale {
		t.Errorf("role matrix row %s is not a registered %s", k, what)
	}
	if len(registered) == 0 {
		t.Errorf("no %s found", what)
	}
}

// routeRE finds the patterns the web package registers. A pattern built in a loop ("GET /risks/export."+f)
// is found by its constant part, which the table names.
var routeRE = regexp.MustCompile(`\.Handle(?:Func)?\(\s*"([A-Z]+ /[^"]*)"`)

// webRoutes reads the routes the web package registers from its source (http.ServeMux cannot list them).
func webRoutes(t *testing.T) map[string]bool {
	t.Helper()
	files, err := filepath.Glob(filepath.Join("..", "web", "*.go"))
	if err != nil || len(files) == 0 {
		t.Fatalf("web sources: %v", err)
	}
	out := map[string]bool{}
	for _, f := range files {
		if strings.HasSuffix(f, "_test.go") {
			continue
		}
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range routeRE.FindAllStringSubmatch(string(b), -1) {
			out[m[1]] = true
		}
	}
	return out
}

// completeSoA decides every entry of the matrix organisation, so that an approver's approval succeeds.
func completeSoA(t *testing.T, m *matrix) {
	t.Helper()
	yes := true
	if _, err := m.srv.Svc.BulkSetSoA(m.org.Ctx("owner"), service.BulkSoAInput{Filter: service.SoAFilter{Applicable: "undecided"},
		Set: service.SoAInput{Applicable: &yes, Justification: "Needed.", Status: isms.SoAPlanned, Sent: service.SentOf("applicable", "justification", "status")}}); err != nil && isms.ErrorKind(err) != isms.KindInvalid {
		t.Fatal(err)
	}
}

// soaVersion is the path of an approved version of the matrix organisation's SoA, approved on first use.
func soaVersion(t *testing.T, m *matrix, _ string) target {
	if l, err := m.srv.Svc.SoAVersions(m.org.Ctx("owner")); err == nil && len(l) > 0 {
		return target{path: "/soa/versions/" + strconv.Itoa(l[0].Number)}
	}
	completeSoA(t, m)
	v, err := m.srv.Svc.ApproveSoA(m.org.Ctx("owner"), "for the matrix")
	if err != nil {
		t.Fatal(err)
	}
	return target{path: "/soa/versions/" + strconv.Itoa(v.Number)}
}
