package service

import (
	"strconv"
	"strings"
	"time"

	"github.com/praxis-isms/praxis/internal/isms"
	"github.com/praxis-isms/praxis/internal/store"
)

// The list columns of the risk register and the treatment plan. Assets and people declare theirs in their
// register (store.Assets.ListColumns); the risk and action tables of the store are declared over their stored
// rows, so the columns of the rows the service hands out are declared here, in the same form.

// RiskListColumns are the columns of the risk list in a table.
var RiskListColumns = []store.ListColumn[isms.Risk]{
	{Header: "ref", Value: func(r *isms.Risk) string { return r.Ref }},
	{Header: "title", Width: 50, Value: func(r *isms.Risk) string { return r.Title }},
	{Header: "owner", Value: func(r *isms.Risk) string { return r.OwnerName }},
	{Header: "l", Value: func(r *isms.Risk) string { return strconv.Itoa(r.Likelihood) }},
	{Header: "i", Value: func(r *isms.Risk) string { return strconv.Itoa(r.Impact) }},
	{Header: "score", Value: func(r *isms.Risk) string { return strconv.Itoa(r.Score) }},
	{Header: "treatment", Value: func(r *isms.Risk) string { return string(r.Treatment) }},
	{Header: "controls", Value: func(r *isms.Risk) string { return strings.Join(r.Controls, ",") }},
	{Header: "rl", Value: func(r *isms.Risk) string { return store.IntCell(r.ResidualLikelihood) }},
	{Header: "ri", Value: func(r *isms.Risk) string { return store.IntCell(r.ResidualImpact) }},
	{Header: "residual", Value: func(r *isms.Risk) string { return store.IntCell(r.ResidualScore) }},
	{Header: "accepted", Value: func(r *isms.Risk) string {
		if r.AcceptedAt == nil {
			return ""
		}
		return r.AcceptedAt.Format(time.DateOnly)
	}},
}

// ActionView is a treatment action as the API and the CLI show it, with whether it is overdue today.
type ActionView struct {
	isms.TreatmentAction
	Overdue bool `json:"overdue" doc:"Open and past its due date"`
}

// ActionViews marks each action overdue or not on the day today (YYYY-MM-DD).
func ActionViews(list []isms.TreatmentAction, today string) []ActionView {
	out := make([]ActionView, len(list))
	for i, t := range list {
		out[i] = ActionView{TreatmentAction: t, Overdue: t.Overdue(today)}
	}
	return out
}

// ActionListColumns are the columns of the treatment plan in a table.
var ActionListColumns = []store.ListColumn[ActionView]{
	{Header: "ref", Value: func(a *ActionView) string { return a.Ref }},
	{Header: "risk", Value: func(a *ActionView) string { return a.RiskRef }},
	{Header: "title", Value: func(a *ActionView) string { return a.Title }},
	{Header: "owner", Value: func(a *ActionView) string { return a.OwnerName }},
	{Header: "due", Value: func(a *ActionView) string { return a.Due }},
	{Header: "status", Value: func(a *ActionView) string { return a.Status }},
	{Header: "overdue", Value: func(a *ActionView) string {
		if a.Overdue {
			return "yes"
		}
		return "no"
	}},
}
