package web

import (
	"net/http"
	"strconv"
	"time"

	"github.com/praxis-isms/praxis/internal/isms"
	"github.com/praxis-isms/praxis/internal/service"
)

func (h *Handler) accountRoutes() {
	h.mux.HandleFunc("GET /{$}", h.dashboard)
	h.mux.HandleFunc("GET /setup", h.setupForm)
	h.mux.HandleFunc("POST /setup", h.setup)
	h.mux.HandleFunc("GET /login", h.loginForm)
	h.mux.HandleFunc("POST /login", h.login)
	h.mux.HandleFunc("POST /logout", h.logout)
	h.mux.HandleFunc("GET /password", h.passwordForm)
	h.mux.HandleFunc("POST /password", h.changePassword)
	h.mux.HandleFunc("GET /login/code", h.codeForm)
	h.mux.HandleFunc("POST /login/code", h.loginCode)
	h.mux.HandleFunc("GET /orgs/choose", h.chooseOrg)
	h.mux.HandleFunc("POST /orgs/switch", h.switchOrg)
	h.mux.HandleFunc("GET /orgs/new", h.newOrgForm)
	h.mux.HandleFunc("POST /orgs", h.createOrg)
	h.mux.HandleFunc("GET /settings/tokens", h.tokens)
	h.mux.HandleFunc("POST /settings/tokens", h.createToken)
	h.mux.HandleFunc("POST /settings/tokens/{id}/revoke", h.revokeToken)
}

// Dashboard is the data of the home page.
type Dashboard struct {
	Org     isms.Organisation
	Members int
	People  int
	Risks   int
	// AboveAppetite counts risks above the method's acceptance threshold as they stand now (isms.Risk.CurrentScore:
	// the residual score once assessed, else the inherent one) that no one has accepted: what an auditor asks first.
	AboveAppetite  int
	OverdueActions int
	Assets         int
	RecentEvents   []isms.AuditEvent
	SoA            *isms.SoASummary // nil when it could not be read
	OverdueDocs    int              // documents in force past their review date
	NeedTraining   int              // people times courses overdue or never trained
	Corrective     service.CorrectiveCounts
	LateMetrics    int // metrics whose next measurement is late

	Methodology *MethodologyPrompt // nil unless the risk methodology waits for drafting or approval
	Staff       StaffCard          // leavers with open access, staff without screening or terms

	Readiness *isms.Readiness    // the roadmap; nil when it could not be read
	Next      []isms.LintFinding // the most serious open findings across the roadmap
}

// dashboardNext is how many findings "What to do next" shows.
const dashboardNext = 8

func (h *Handler) dashboard(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	if _, ok := service.ActorFrom(ctx); !ok {
		if need, err := h.svc.NeedsSetup(ctx); err == nil && need {
			http.Redirect(w, r, "/setup", http.StatusSeeOther)
			return
		}
		h.toLogin(w, r)
		return
	}
	var d Dashboard
	var err error
	if d.Org, err = h.svc.Organisation(ctx); err != nil {
		h.fail(w, r, err)
		return
	}
	if rd, err := h.svc.Readiness(ctx); err == nil { // one run of the checks: the roadmap and each step's next actions
		d.Readiness, d.Next = &rd, nextActions(rd, dashboardNext)
	}
	if people, err := h.svc.ListPeople(ctx, service.PersonFilter{}, service.Page{Limit: 1}); err == nil {
		d.People = people.Total
	}
	if members, err := h.svc.ListMembers(ctx, service.Page{Limit: 1}); err == nil {
		d.Members = members.Total
	}
	one := service.Page{Limit: 1}
	if l, err := h.svc.ListRisks(ctx, service.RiskFilter{}, one); err == nil {
		d.Risks = l.Total
	}
	if m, err := h.svc.RiskMethod(ctx); err == nil {
		f, _ := service.AppetiteFilter(service.RiskFilter{Accepted: "no"}, m, "above")
		if l, err := h.svc.ListRisks(ctx, f, one); err == nil {
			d.AboveAppetite = l.Total
		}
	}
	if l, err := h.svc.ListActions(ctx, service.ActionFilter{OverdueOn: h.svc.Today()}, one); err == nil {
		d.OverdueActions = l.Total
	}
	if l, err := h.svc.ListAssets(ctx, service.AssetFilter{}, one); err == nil {
		d.Assets = l.Total
	}
	if soa, err := h.svc.SoA(ctx, service.SoAFilter{}); err == nil {
		d.SoA = &soa.Summary
	}
	if n, err := h.svc.OverdueDocuments(ctx); err == nil {
		d.OverdueDocs = n
	}
	if n, err := h.svc.CountTrainingAttendance(ctx, service.AttendanceFilter{Statuses: service.OverdueStatuses}); err == nil {
		d.NeedTraining = n
	}
	if c, err := h.svc.CorrectiveSummary(ctx); err == nil {
		d.Corrective = c
	}
	if n, err := h.svc.CountLateMetrics(ctx); err == nil {
		d.LateMetrics = n
	}
	d.Methodology = h.methodologyPrompt(ctx)
	d.Staff, _ = h.staffCard(ctx)
	if events, err := h.svc.ListAudit(ctx, service.AuditFilter{}, service.Page{Limit: 8}); err == nil {
		d.RecentEvents = events.Items
	}
	h.render(w, r, http.StatusOK, "dashboard", View{Title: d.Org.Name, Nav: "home", Data: d})
}

func (h *Handler) setupForm(w http.ResponseWriter, r *http.Request) {
	if need, err := h.svc.NeedsSetup(r.Context()); err != nil || !need {
		http.Redirect(w, r, "/", http.StatusSeeOther)
		return
	}
	h.render(w, r, http.StatusOK, "setup", View{Title: "Set up praxis"})
}

func (h *Handler) setup(w http.ResponseWriter, r *http.Request) {
	if err := parseForm(w, r); err != nil {
		h.formError(w, r, "setup", View{Title: "Set up praxis"}, err)
		return
	}
	token, _, err := h.svc.Setup(r.Context(), service.SetupInput{
		OrgName: r.PostForm.Get("org_name"), OwnerName: r.PostForm.Get("owner_name"),
		Email: r.PostForm.Get("email"), Password: r.PostForm.Get("password"),
	}, client(r))
	if err != nil {
		h.formError(w, r, "setup", View{Title: "Set up praxis"}, err)
		return
	}
	h.setSessionCookie(w, token)
	h.redirect(w, r, "/", "Welcome to praxis. Your organisation is ready.")
}

func client(r *http.Request) service.Client {
	c := service.Client{IP: clientIP(r), UserAgent: r.UserAgent()}
	if d, err := r.Cookie(DeviceCookie); err == nil {
		c.Device = d.Value
	}
	return c
}

// clientIP is the connection's address. Headers such as X-Forwarded-For are not trusted: anyone can send them.
func clientIP(r *http.Request) string {
	host := r.RemoteAddr
	if i := lastColon(host); i > 0 {
		host = host[:i]
	}
	return host
}

func lastColon(s string) int {
	for i := len(s) - 1; i >= 0; i-- {
		if s[i] == ':' {
			return i
		}
		if s[i] == ']' {
			return -1
		}
	}
	return -1
}

func (h *Handler) loginForm(w http.ResponseWriter, r *http.Request) {
	if _, ok := service.ActorFrom(r.Context()); ok {
		http.Redirect(w, r, safeNext(r.URL.Query().Get("next")), http.StatusSeeOther)
		return
	}
	if need, err := h.svc.NeedsSetup(r.Context()); err == nil && need {
		http.Redirect(w, r, "/setup", http.StatusSeeOther)
		return
	}
	h.render(w, r, http.StatusOK, "login", View{Title: "Log in", Data: safeNext(r.URL.Query().Get("next"))})
}

func (h *Handler) login(w http.ResponseWriter, r *http.Request) {
	next := safeNext(r.URL.Query().Get("next"))
	v := View{Title: "Log in", Data: next}
	if err := parseForm(w, r); err != nil {
		h.formError(w, r, "login", v, err)
		return
	}
	res, err := h.svc.Authenticate(r.Context(), r.PostForm.Get("email"), r.PostForm.Get("password"), client(r))
	if err != nil {
		r.PostForm.Del("password")
		h.formError(w, r, "login", v, err)
		return
	}
	if res.Pending != "" {
		// The second step: the pending login's token rides in a short-lived cookie for the code page only.
		http.SetCookie(w, &http.Cookie{Name: pendingCookie, Value: res.Pending, Path: "/login/code", HttpOnly: true,
			Secure: h.cfg.SecureCookies, SameSite: http.SameSiteStrictMode, MaxAge: int(service.PendingLoginTTL.Seconds())})
		http.Redirect(w, r, "/login/code"+queryIf("next", r.URL.Query().Get("next")), http.StatusSeeOther)
		return
	}
	h.loggedIn(w, r, res, next)
}

// loggedIn finishes a login: the session and known-browser cookies, then where the user goes.
func (h *Handler) loggedIn(w http.ResponseWriter, r *http.Request, res service.LoginResult, next string) {
	h.setSessionCookie(w, res.Session)
	http.SetCookie(w, &http.Cookie{Name: DeviceCookie, Value: res.Device, Path: "/login", HttpOnly: true,
		Secure: h.cfg.SecureCookies, SameSite: http.SameSiteStrictMode, MaxAge: deviceCookieAge})
	switch {
	case res.Actor.MustChangePassword:
		h.redirect(w, r, "/password", "Choose a new password to replace your one-time password.")
	case res.ChooseOrg:
		http.Redirect(w, r, "/orgs/choose", http.StatusSeeOther)
	case res.Actor.MustSetUpTwoFactor:
		h.redirect(w, r, "/settings/two-factor", res.Actor.OrgName+" requires two-factor authentication: turn it on to continue.")
	default:
		http.Redirect(w, r, next, http.StatusSeeOther)
	}
}

const (
	// DeviceCookie marks a browser that has logged in before (see service.LoginResult.Device). It is sent to
	// the login pages only.
	DeviceCookie    = "praxis_device"
	deviceCookieAge = 400 * 24 * 60 * 60 // the longest browsers keep a cookie
	pendingCookie   = "praxis_pending"
)

func (h *Handler) codeForm(w http.ResponseWriter, r *http.Request) {
	if c, err := r.Cookie(pendingCookie); err != nil || c.Value == "" {
		http.Redirect(w, r, "/login", http.StatusSeeOther)
		return
	}
	h.render(w, r, http.StatusOK, "login_code", View{Title: "Two-factor code", Data: r.URL.Query().Get("next")})
}

func (h *Handler) loginCode(w http.ResponseWriter, r *http.Request) {
	v := View{Title: "Two-factor code", Data: r.URL.Query().Get("next")}
	if err := parseForm(w, r); err != nil {
		h.formError(w, r, "login_code", v, err)
		return
	}
	c, err := r.Cookie(pendingCookie)
	if err != nil {
		h.redirect(w, r, "/login", "Your login has expired: enter your password again.")
		return
	}
	res, err := h.svc.SecondFactor(r.Context(), c.Value, r.PostForm.Get("code"), client(r))
	if err != nil {
		r.PostForm.Del("code")
		h.formError(w, r, "login_code", v, err)
		return
	}
	http.SetCookie(w, &http.Cookie{Name: pendingCookie, Path: "/login/code", MaxAge: -1, HttpOnly: true, Secure: h.cfg.SecureCookies, SameSite: http.SameSiteStrictMode})
	h.loggedIn(w, r, res, safeNext(r.URL.Query().Get("next")))
}

// chooseOrg asks a user of several organisations which one to work in (login never picks one for them).
func (h *Handler) chooseOrg(w http.ResponseWriter, r *http.Request) {
	if _, ok := service.ActorFrom(r.Context()); !ok {
		h.toLogin(w, r)
		return
	}
	orgs, err := h.svc.MyOrganisations(r.Context())
	if err != nil {
		h.fail(w, r, err)
		return
	}
	if len(orgs) == 0 {
		http.Redirect(w, r, "/orgs/new", http.StatusSeeOther)
		return
	}
	h.render(w, r, http.StatusOK, "org_choose", View{Title: "Choose an organisation", Orgs: orgs})
}

func (h *Handler) logout(w http.ResponseWriter, r *http.Request) {
	if t := sessionToken(r.Context()); t != "" {
		if err := h.svc.Logout(r.Context(), t); err != nil {
			h.fail(w, r, err)
			return
		}
	}
	ClearSessionCookie(w, h.cfg.SecureCookies)
	h.redirect(w, r, "/login", "You are logged out.")
}

func (h *Handler) passwordForm(w http.ResponseWriter, r *http.Request) {
	if _, ok := service.ActorFrom(r.Context()); !ok {
		h.toLogin(w, r)
		return
	}
	h.render(w, r, http.StatusOK, "password", View{Title: "Change password", Nav: "password"})
}

func (h *Handler) changePassword(w http.ResponseWriter, r *http.Request) {
	v := View{Title: "Change password", Nav: "password"}
	if err := parseForm(w, r); err != nil {
		h.formError(w, r, "password", v, err)
		return
	}
	if r.PostForm.Get("new_password") != r.PostForm.Get("confirm_password") {
		h.formError(w, r, "password", v, isms.Invalid(isms.FieldError{Field: "confirm_password", Message: "does not match the new password"}))
		return
	}
	if err := h.svc.ChangePassword(r.Context(), r.PostForm.Get("current_password"), r.PostForm.Get("new_password")); err != nil {
		r.PostForm = nil
		h.formError(w, r, "password", v, err)
		return
	}
	h.redirect(w, r, "/", "Your password is changed. Other sessions were logged out.")
}

func (h *Handler) switchOrg(w http.ResponseWriter, r *http.Request) {
	if err := parseForm(w, r); err != nil {
		h.fail(w, r, err)
		return
	}
	a, err := h.svc.SwitchOrganisation(r.Context(), r.PostForm.Get("org"))
	if err != nil {
		h.fail(w, r, err)
		return
	}
	h.redirect(w, r, "/", "You are now working in "+a.OrgName+".")
}

func (h *Handler) newOrgForm(w http.ResponseWriter, r *http.Request) {
	if _, ok := service.ActorFrom(r.Context()); !ok {
		h.toLogin(w, r)
		return
	}
	status := http.StatusOK
	if err := h.svc.MayCreateOrganisation(r.Context()); isms.ErrorKind(err) == isms.KindForbidden {
		status = http.StatusForbidden // the page explains; fail would send a member of no organisation back here
	} else if err != nil {
		h.fail(w, r, err)
		return
	}
	h.render(w, r, status, "org_new", View{Title: "New organisation"})
}

func (h *Handler) createOrg(w http.ResponseWriter, r *http.Request) {
	v := View{Title: "New organisation"}
	if err := parseForm(w, r); err != nil {
		h.formError(w, r, "org_new", v, err)
		return
	}
	org, err := h.svc.CreateOrganisation(r.Context(), r.PostForm.Get("name"))
	if err != nil {
		h.formError(w, r, "org_new", v, err)
		return
	}
	if _, err := h.svc.SwitchOrganisation(r.Context(), org.ID); err != nil {
		h.fail(w, r, err)
		return
	}
	h.redirect(w, r, "/", org.Name+" is created and selected.")
}

// Tokens is the data of the API tokens page.
type Tokens struct {
	List        service.List[isms.APIToken]
	Pager       Pager
	Now         time.Time // to tell expired tokens
	Days        []int     // the lifetimes offered
	DefaultDays int
}

// tokenDays are the lifetimes the form offers; the API takes any number of days up to the maximum.
var tokenDays = []int{30, isms.DefaultTokenDays, isms.MaxTokenDays}

func (h *Handler) tokens(w http.ResponseWriter, r *http.Request) {
	h.renderTokens(w, r, View{})
}

func (h *Handler) renderTokens(w http.ResponseWriter, r *http.Request, v View) {
	p := page(r)
	l, err := h.svc.ListTokens(r.Context(), p)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	v.Title, v.Nav = "API tokens", "tokens"
	v.Data = Tokens{List: l, Pager: pager(r, l.Total, l.Limit, l.Offset), Now: h.svc.Now(), Days: tokenDays, DefaultDays: isms.DefaultTokenDays}
	h.render(w, r, http.StatusOK, "tokens", v)
}

func (h *Handler) createToken(w http.ResponseWriter, r *http.Request) {
	if err := parseForm(w, r); err != nil {
		h.fail(w, r, err)
		return
	}
	in := service.TokenInput{Name: r.PostForm.Get("name"), Scope: isms.TokenScope(r.PostForm.Get("scope"))}
	if d := r.PostForm.Get("expires_in_days"); d != "" {
		var err error
		if in.ExpiresInDays, err = strconv.Atoi(d); err != nil {
			in.ExpiresInDays = -1 // not a number: the service says what is allowed
		}
	}
	secret, t, err := h.svc.IssueToken(r.Context(), in)
	if err != nil {
		if isms.ErrorKind(err) == isms.KindInvalid {
			h.renderTokens(w, r, View{Error: err.Error(), Form: r.PostForm})
			return
		}
		h.fail(w, r, err)
		return
	}
	// The secret is shown on this response only, never stored in clear or put in a redirect.
	h.renderTokens(w, r, View{Secret: secret, Flash: "Token " + t.Name + " created. Copy it now: it will not be shown again."})
}

func (h *Handler) revokeToken(w http.ResponseWriter, r *http.Request) {
	if err := h.svc.RevokeToken(r.Context(), r.PathValue("id")); err != nil {
		h.fail(w, r, err)
		return
	}
	h.redirect(w, r, "/settings/tokens", "Token revoked.")
}
