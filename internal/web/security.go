package web

import (
	"html/template"
	"net/http"

	"github.com/praxis-isms/praxis/internal/auth"
	"github.com/praxis-isms/praxis/internal/isms"
	"github.com/praxis-isms/praxis/internal/service"
)

func (h *Handler) securityRoutes() {
	h.mux.HandleFunc("GET /settings/two-factor", h.twoFactor)
	h.mux.HandleFunc("POST /settings/two-factor/setup", h.twoFactorSetup)
	h.mux.HandleFunc("POST /settings/two-factor/confirm", h.twoFactorConfirm)
	h.mux.HandleFunc("POST /settings/two-factor/recovery-codes", h.twoFactorCodes)
	h.mux.HandleFunc("POST /settings/two-factor/disable", h.twoFactorDisable)
	h.mux.HandleFunc("GET /security", h.security)
	h.mux.HandleFunc("POST /security/two-factor", h.requireTwoFactor)
	h.mux.HandleFunc("POST /members/{user_id}/reset-link", h.resetLink)
	h.mux.HandleFunc("GET /reset/{token}", h.resetForm)
	h.mux.HandleFunc("POST /reset/{token}", h.reset)
}

// TwoFactorPage is the data of the two-factor settings page.
type TwoFactorPage struct {
	Status        service.TwoFactorStatus
	Key           *auth.TOTPKey // while setting up: the secret to scan
	QR            template.URL  // the key as a PNG data: URI, which praxis made itself (html/template would refuse it)
	RecoveryCodes []string      // shown once, right after they are made
}

func (h *Handler) twoFactor(w http.ResponseWriter, r *http.Request) {
	h.renderTwoFactor(w, r, http.StatusOK, View{}, TwoFactorPage{})
}

func (h *Handler) renderTwoFactor(w http.ResponseWriter, r *http.Request, status int, v View, d TwoFactorPage) {
	st, err := h.svc.TwoFactor(r.Context())
	if err != nil {
		h.fail(w, r, err)
		return
	}
	d.Status = st
	v.Title, v.Nav, v.Data = "Two-factor authentication", "two-factor", d
	h.render(w, r, status, "two_factor", v)
}

func (h *Handler) twoFactorSetup(w http.ResponseWriter, r *http.Request) {
	key, err := h.svc.BeginTwoFactor(r.Context())
	if err != nil {
		h.fail(w, r, err)
		return
	}
	h.renderTwoFactor(w, r, http.StatusOK, View{}, setupPage(key))
}

func setupPage(key auth.TOTPKey) TwoFactorPage {
	return TwoFactorPage{Key: &key, QR: template.URL(key.QR)}
}

func (h *Handler) twoFactorConfirm(w http.ResponseWriter, r *http.Request) {
	if err := parseForm(w, r); err != nil {
		h.fail(w, r, err)
		return
	}
	codes, err := h.svc.EnableTwoFactor(r.Context(), r.PostForm.Get("code"), client(r))
	if isms.ErrorKind(err) == isms.KindInvalid {
		// The same secret again, so that the app the user just set up stays right.
		key, kerr := h.svc.BeginTwoFactor(r.Context())
		if kerr != nil {
			h.fail(w, r, kerr)
			return
		}
		h.renderTwoFactor(w, r, http.StatusUnprocessableEntity, View{Error: "That code did not match: scan the new code below and try again.",
			Errors: map[string]string{"code": "is not the current code of your app"}}, setupPage(key))
		return
	}
	if err != nil {
		h.fail(w, r, err)
		return
	}
	h.renderTwoFactor(w, r, http.StatusOK, View{Flash: "Two-factor authentication is on. Keep your recovery codes somewhere safe: they are shown only now."},
		TwoFactorPage{RecoveryCodes: codes})
}

func (h *Handler) twoFactorCodes(w http.ResponseWriter, r *http.Request) {
	codes, err := h.svc.RegenerateRecoveryCodes(r.Context())
	if err != nil {
		h.fail(w, r, err)
		return
	}
	h.renderTwoFactor(w, r, http.StatusOK, View{Flash: "New recovery codes: the old ones no longer work. They are shown only now."},
		TwoFactorPage{RecoveryCodes: codes})
}

func (h *Handler) twoFactorDisable(w http.ResponseWriter, r *http.Request) {
	if err := parseForm(w, r); err != nil {
		h.fail(w, r, err)
		return
	}
	err := h.svc.DisableTwoFactor(r.Context(), r.PostForm.Get("password"), r.PostForm.Get("code"), client(r))
	if e, ok := isms.AsError(err); ok && (e.Kind == isms.KindInvalid || e.Kind == isms.KindTooManyRequests) {
		v := View{Error: e.Msg, Errors: map[string]string{}}
		for _, f := range e.Fields {
			v.Errors[f.Field] = f.Message
		}
		h.renderTwoFactor(w, r, statusOf(err), v, TwoFactorPage{})
		return
	}
	if err != nil {
		h.fail(w, r, err)
		return
	}
	h.redirect(w, r, "/settings/two-factor", "Two-factor authentication is off.")
}

// SecurityPage is the data of the owners' security page.
type SecurityPage struct {
	Org    isms.Organisation
	Events service.List[isms.SecurityEvent]
	Pager  Pager
}

func (h *Handler) security(w http.ResponseWriter, r *http.Request) {
	l, err := h.svc.ListSecurityEvents(r.Context(), page(r))
	if err != nil {
		h.fail(w, r, err)
		return
	}
	org, err := h.svc.Organisation(r.Context())
	if err != nil {
		h.fail(w, r, err)
		return
	}
	h.render(w, r, http.StatusOK, "security", View{Title: "Security", Nav: "security",
		Data: SecurityPage{Org: org, Events: l, Pager: pager(r, l.Total, l.Limit, l.Offset)}})
}

func (h *Handler) requireTwoFactor(w http.ResponseWriter, r *http.Request) {
	if err := parseForm(w, r); err != nil {
		h.fail(w, r, err)
		return
	}
	org, err := h.svc.SetRequireTwoFactor(r.Context(), r.PostForm.Get("require_two_factor") == "on")
	if err != nil {
		h.fail(w, r, err)
		return
	}
	msg := "Two-factor authentication is optional in " + org.Name + "."
	if org.RequireTwoFactor {
		msg = "Two-factor authentication is required in " + org.Name + ": members without it are sent to set it up."
	}
	h.redirect(w, r, "/security", msg)
}

// resetLink shows an owner a one-time reset link for a member, to hand over (there is no mail server).
func (h *Handler) resetLink(w http.ResponseWriter, r *http.Request) {
	token, err := h.svc.IssueResetLink(r.Context(), r.PathValue("user_id"))
	if err != nil {
		h.fail(w, r, err)
		return
	}
	h.render(w, r, http.StatusOK, "reset_link", View{Title: "Password reset link", Nav: "members",
		Secret: absoluteURL(r, h.cfg.SecureCookies, service.ResetPath+token)})
}

// absoluteURL is path on the host the request came to.
func absoluteURL(r *http.Request, secure bool, path string) string {
	scheme := "http"
	if secure || r.TLS != nil {
		scheme = "https"
	}
	return scheme + "://" + r.Host + path
}

func (h *Handler) resetForm(w http.ResponseWriter, r *http.Request) {
	email, err := h.svc.ResetLinkEmail(r.Context(), r.PathValue("token"))
	if err != nil {
		h.fail(w, r, err)
		return
	}
	h.render(w, r, http.StatusOK, "reset", View{Title: "Set a new password", Data: email})
}

func (h *Handler) reset(w http.ResponseWriter, r *http.Request) {
	token := r.PathValue("token")
	email, err := h.svc.ResetLinkEmail(r.Context(), token)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	v := View{Title: "Set a new password", Data: email}
	if err := parseForm(w, r); err != nil {
		h.formError(w, r, "reset", v, err)
		return
	}
	if r.PostForm.Get("password") != r.PostForm.Get("confirm_password") {
		h.formError(w, r, "reset", v, isms.Invalid(isms.FieldError{Field: "confirm_password", Message: "does not match the new password"}))
		return
	}
	if err := h.svc.ResetPassword(r.Context(), token, r.PostForm.Get("password"), client(r)); err != nil {
		r.PostForm = nil
		h.formError(w, r, "reset", v, err)
		return
	}
	h.redirect(w, r, "/login", "Your password is set. Log in with it.")
}
