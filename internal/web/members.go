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
	h.mux.HandleFunc("POST /members", h.addMember)
	h.mux.HandleFunc("POST /members/{user_id}", h.updateMember)
	h.mux.HandleFunc("POST /members/{user_id}/remove", h.removeMember)
}

// Members is the data of the members page.
type Members struct {
	List  service.List[isms.Membership]
	Pager Pager
	// Posted names the form whose input the page shows again after an error: "add" for the add form, or the
	// user id of the row whose change failed. Field errors show only inside that form.
	Posted string
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
	list := r.WithContext(r.Context())
	list.URL = &url.URL{Path: "/members", RawQuery: r.URL.RawQuery}
	return View{Title: membersTitle, Nav: "members",
		Data: Members{List: l, Pager: pager(list, l.Total, l.Limit, l.Offset), Posted: posted}}, nil
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

func (h *Handler) addMember(w http.ResponseWriter, r *http.Request) {
	if err := parseForm(w, r); err != nil {
		h.memberFormError(w, r, "add", err)
		return
	}
	f := r.PostForm
	m, password, err := h.svc.AddMember(r.Context(), service.AddMemberInput{
		Email: f.Get("email"), Name: f.Get("name"), Role: isms.Role(f.Get("role")), Approver: formBool(f.Get("approver")),
	})
	if err != nil {
		h.memberFormError(w, r, "add", err)
		return
	}
	if password == "" {
		h.redirect(w, r, membersURL(r), m.Email+" is now a member ("+string(m.Role)+"). They log in with their existing password.")
		return
	}
	// The one-time password is shown on this response only: never in a redirect, a flash cookie or a log.
	v, err := h.membersView(r, "")
	if err != nil {
		h.fail(w, r, err)
		return
	}
	v.Secret = password
	v.Flash = m.Email + " is now a member (" + string(m.Role) + ")."
	v.Form = nil
	h.render(w, r, http.StatusOK, "members", v)
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
