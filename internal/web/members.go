package web

import (
	"net/http"
	"net/url"
	"strconv"

	"github.com/praxis-isms/praxis/internal/isms"
	"github.com/praxis-isms/praxis/internal/service"
)

// memberRoutes registers the members page: who may log in to this organisation, with which role.
func (h *Handler) memberRoutes() {
	h.mux.HandleFunc("GET /members", h.members)
	h.mux.HandleFunc("POST /members/invitations", h.invite)
	h.mux.HandleFunc("POST /members/invitations/{id}/revoke", h.revokeInvitation)
	h.mux.HandleFunc("GET /invite/{token}", h.invitation)
	h.mux.HandleFunc("POST /invite/{token}", h.acceptInvitation)
	h.mux.HandleFunc("POST /members/{user_id}", h.updateMember)
	h.mux.HandleFunc("POST /members/{user_id}/remove", h.removeMember)
}

// Members is the data of the members page.
type Members struct {
	List  service.List[isms.Membership]
	Pager Pager
	// Invitations are the open invitations (the first page of them).
	Invitations service.List[isms.Invitation]
	// Posted names the form whose input the page shows again after an error: "invite" for the invite form, or
	// the user id of the row whose change failed. Field errors show only inside that form.
	Posted string
	// Link is the link of the invitation just created, shown on that answer only.
	Link string
}

const membersTitle = "Members"

// membersView loads one page of members (the service decides who may see them). The forms of a row post
// to /members/... with the page's offset in the query, so that an answer to a post shows the same page, and
// the pager links point at /members.
func (h *Handler) membersView(r *http.Request, posted string) (View, error) {
	l, err := h.svc.ListMembers(r.Context(), page(r))
	if err != nil {
		return View{}, err
	}
	inv, err := h.svc.ListInvitations(r.Context(), isms.InvitationOpen, service.Page{Limit: 100})
	if err != nil {
		return View{}, err
	}
	list := r.WithContext(r.Context())
	list.URL = &url.URL{Path: "/members", RawQuery: r.URL.RawQuery}
	return View{Title: membersTitle, Nav: "members",
		Data: Members{List: l, Pager: pager(list, l.Total, l.Limit, l.Offset), Invitations: inv, Posted: posted}}, nil
}

// membersURL is the members page at the offset of r, where a post goes back to.
func membersURL(r *http.Request) string {
	if p := page(r); p.Offset > 0 {
		return "/members?offset=" + strconv.Itoa(p.Offset)
	}
	return "/members"
}

func (h *Handler) members(w http.ResponseWriter, r *http.Request) {
	v, err := h.membersView(r, "")
	if err != nil {
		h.fail(w, r, err)
		return
	}
	h.render(w, r, http.StatusOK, "members", v)
}

// memberFormError re-renders the members page with the error of the form named posted.
func (h *Handler) memberFormError(w http.ResponseWriter, r *http.Request, posted string, err error) {
	if !inputError(err) {
		h.fail(w, r, err)
		return
	}
	v, lerr := h.membersView(r, posted)
	if lerr != nil {
		h.fail(w, r, lerr)
		return
	}
	h.formError(w, r, "members", v, err)
}

func (h *Handler) invite(w http.ResponseWriter, r *http.Request) {
	if err := parseForm(w, r); err != nil {
		h.memberFormError(w, r, "invite", err)
		return
	}
	f := r.PostForm
	token, inv, err := h.svc.CreateInvitation(r.Context(), service.InviteInput{
		Email: f.Get("email"), Role: isms.Role(f.Get("role")), Approver: formBool(f.Get("approver")),
	})
	if err != nil {
		h.memberFormError(w, r, "invite", err)
		return
	}
	// The link is shown on this response only: never in a redirect, a flash cookie or a log.
	v, err := h.membersView(r, "")
	if err != nil {
		h.fail(w, r, err)
		return
	}
	d := v.Data.(Members)
	d.Link = siteURL(r, h.cfg.SecureCookies) + service.InvitationPath(token)
	v.Data = d
	v.Flash = "Invitation for " + inv.Email + " (" + string(inv.Role) + ") created. It works once, until " + inv.ExpiresAt.Format("2006-01-02 15:04 UTC") + "."
	h.render(w, r, http.StatusOK, "members", v)
}

// siteURL is the scheme and host the request came to, for links to hand on. Behind TLS offloading the
// connection is plain HTTP, but the cookies are marked secure: then the site is served over HTTPS.
func siteURL(r *http.Request, secure bool) string {
	scheme := "http"
	if r.TLS != nil || secure {
		scheme = "https"
	}
	return scheme + "://" + r.Host
}

func (h *Handler) revokeInvitation(w http.ResponseWriter, r *http.Request) {
	if err := h.svc.RevokeInvitation(r.Context(), r.PathValue("id")); err != nil {
		h.memberFormError(w, r, "", err)
		return
	}
	h.redirect(w, r, membersURL(r), "The invitation is revoked: its link no longer works.")
}

// Invite is the data of the page an invitation link opens.
type Invite struct {
	Token string
	Info  service.InvitationInfo
}

func (h *Handler) invitation(w http.ResponseWriter, r *http.Request) {
	h.renderInvitation(w, r, http.StatusOK, View{})
}

// renderInvitation shows what the link leads to, or that it does not work.
func (h *Handler) renderInvitation(w http.ResponseWriter, r *http.Request, status int, v View) {
	token := r.PathValue("token")
	info, err := h.svc.InvitationByToken(r.Context(), token)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	v.Title = "Join " + info.OrgName
	v.Data = Invite{Token: token, Info: info}
	h.render(w, r, status, "invite", v)
}

// acceptInvitation joins as the signed-in user, or creates an account from the form and joins with it.
func (h *Handler) acceptInvitation(w http.ResponseWriter, r *http.Request) {
	token := r.PathValue("token")
	if err := parseForm(w, r); err != nil {
		h.fail(w, r, err)
		return
	}
	if _, ok := service.ActorFrom(r.Context()); ok {
		a, err := h.svc.AcceptInvitation(r.Context(), token)
		if err != nil {
			h.invitationError(w, r, err)
			return
		}
		h.redirect(w, r, "/", "You joined "+a.OrgName+" as "+string(a.Role)+".")
		return
	}
	f := r.PostForm
	if f.Get("password") != f.Get("confirm_password") {
		h.invitationError(w, r, isms.Invalid(isms.FieldError{Field: "confirm_password", Message: "does not match the password"}))
		return
	}
	session, a, err := h.svc.AcceptInvitationNewAccount(r.Context(), token,
		service.NewAccountInput{Name: f.Get("name"), Email: f.Get("email"), Password: f.Get("password")}, client(r))
	if err != nil {
		h.invitationError(w, r, err)
		return
	}
	h.setSessionCookie(w, session)
	h.redirect(w, r, "/", "Welcome to "+a.OrgName+". You joined as "+string(a.Role)+".")
}

// invitationError shows the invitation page again with the error (the passwords are not sent back), or the
// error page when the link itself does not work.
func (h *Handler) invitationError(w http.ResponseWriter, r *http.Request, err error) {
	if !inputError(err) {
		h.fail(w, r, err)
		return
	}
	r.PostForm.Del("password")
	r.PostForm.Del("confirm_password")
	e, _ := isms.AsError(err)
	v := View{Form: r.PostForm, Errors: map[string]string{}, Error: e.Msg}
	for _, f := range e.Fields {
		v.Errors[f.Field] = f.Message
	}
	if len(e.Fields) > 0 {
		v.Error = "Please correct the fields marked below."
	}
	h.renderInvitation(w, r, statusOf(err), v)
}

func (h *Handler) updateMember(w http.ResponseWriter, r *http.Request) {
	userID := r.PathValue("user_id")
	if err := parseForm(w, r); err != nil {
		h.memberFormError(w, r, userID, err)
		return
	}
	f := r.PostForm
	m, err := h.svc.UpdateMember(r.Context(), userID, service.UpdateMemberInput{
		Role: isms.Role(f.Get("role")), Approver: formBool(f.Get("approver")), Version: formInt(f.Get("version")),
	})
	if err != nil {
		h.memberFormError(w, r, userID, err)
		return
	}
	msg := m.Email + " is now " + string(m.Role)
	if m.Approver {
		msg += " and an approver"
	}
	h.redirect(w, r, membersURL(r), msg+".")
}

func (h *Handler) removeMember(w http.ResponseWriter, r *http.Request) {
	userID := r.PathValue("user_id")
	if err := h.svc.RemoveMember(r.Context(), userID); err != nil {
		h.memberFormError(w, r, userID, err)
		return
	}
	if a, _ := service.ActorFrom(r.Context()); a.UserID == userID {
		h.redirect(w, r, "/", "You left the organisation.")
		return
	}
	h.redirect(w, r, membersURL(r), "The member is removed and their API tokens here are revoked.")
}

// inputError reports whether err is about the input (so the form is shown again) rather than access or a fault.
func inputError(err error) bool {
	switch isms.ErrorKind(err) {
	case isms.KindInvalid, isms.KindConflict, isms.KindTooManyRequests:
		return true
	}
	return false
}

// formBool reads an HTML checkbox: browsers send its value ("on" by default) only when it is ticked.
func formBool(v string) bool { return v != "" && v != "0" && v != "false" }

// formInt reads a number from a form; a missing or bad one is 0, which the service refuses as a stale version.
func formInt(s string) int {
	n, err := strconv.Atoi(s)
	if err != nil {
		return 0
	}
	return n
}
