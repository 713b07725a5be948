package service

import (
	"context"
	"fmt"

	"github.com/praxis-isms/praxis/internal/isms"
	"github.com/praxis-isms/praxis/internal/store"
)

// The sample's contractor who has since left: their account was a member from the start and holds an API token,
// and nobody has ended either, so the people page, their page and the dashboard warn about them.
const (
	demoLeaverEmail = "ravi@northwind.example"
	demoLeaverName  = "Ravi Shah"
	demoLeftDaysAgo = 24
)

// demoLeaverJoins gives the contractor an account, a membership (as an editor, added by the owner), a person in
// the register and an API token for the data pipeline, at the start of the sample's history.
func (s *Service) demoLeaverJoins(ctx context.Context) error {
	owner, _ := ActorFrom(ctx)
	err := s.store.Write(ctx, func(tx *store.Tx) error {
		// No password anyone knows: the account is not among the sample's logins.
		u := isms.User{ID: store.NewID(), Email: demoLeaverEmail, Name: demoLeaverName, PasswordHash: "!", CreatedAt: s.now()}
		if err := tx.CreateUser(ctx, u); err != nil {
			return err
		}
		mem := isms.Membership{OrgID: owner.OrgID, UserID: u.ID, Email: u.Email, Name: u.Name, Role: isms.RoleEditor, CreatedAt: s.now(), Version: 1}
		if err := tx.AddMembership(ctx, mem); err != nil {
			return err
		}
		return s.audit(ctx, tx, owner, "add", "member", u.ID, u.Email, nil, mem)
	})
	if err != nil {
		return fmt.Errorf("demo leaver account: %w", err)
	}
	if _, err := s.AddPerson(ctx, PersonInput{Name: demoLeaverName, Email: demoLeaverEmail, JobTitle: "Contract Data Engineer", Department: "Data",
		StartDate: s.now().AddDate(0, -2, 0).Format("2006-01-02")}); err != nil {
		return fmt.Errorf("demo leaver person: %w", err)
	}
	ravi, err := s.OperatorActor(ctx, DemoOrgSlug, demoLeaverEmail)
	if err != nil {
		return err
	}
	if _, _, err := s.IssueToken(WithActor(ctx, ravi), TokenInput{Name: "data pipeline", ExpiresInDays: isms.MaxTokenDays}); err != nil {
		return fmt.Errorf("demo leaver token: %w", err)
	}
	return nil
}

// demoStaffFact is what HR recorded about one person of the sample: team, manager (by email), employment type,
// and when they were screened and signed their terms ("" when not done: two were never screened, one has not
// signed).
type demoStaffFact struct {
	email, team, manager, employment, screened, terms string
}

var demoStaffFacts = []demoStaffFact{
	{"maya@northwind.example", "Leadership", "", "employee", "2018-05-02", "2018-05-10"},
	{"daniel@northwind.example", "Security", "maya@northwind.example", "employee", "2019-02-11", "2019-02-18"},
	{"sofia@northwind.example", "Platform", "maya@northwind.example", "employee", "2019-08-20", "2019-09-02"},
	{"tom@northwind.example", "Finance", "elena@northwind.example", "employee", "2021-04-06", "2021-04-12"},
	{"lena@northwind.example", "People", "maya@northwind.example", "employee", "2020-10-01", "2020-10-05"},
	{"aisha@northwind.example", "Platform", "sofia@northwind.example", "employee", "2021-02-15", "2021-03-01"},
	{"jonas@northwind.example", "Platform", "sofia@northwind.example", "contractor", "2022-06-01", "2022-06-13"},
	{"priya@northwind.example", "Web", "sofia@northwind.example", "employee", "2022-12-19", "2023-01-09"},
	{"carlos@northwind.example", "IT", "daniel@northwind.example", "employee", "2020-09-07", "2020-09-21"},
	{"hannah@northwind.example", "Legal", "maya@northwind.example", "contractor", "2022-01-17", "2022-02-01"},
	{"oliver@northwind.example", "Customer Success", "lucas@northwind.example", "employee", "2021-11-01", ""},
	{"mei@northwind.example", "Data", "sofia@northwind.example", "contractor", "", "2024-04-02"},
	{"samuel@northwind.example", "Operations", "elena@northwind.example", "employee", "2019-06-17", "2019-07-01"},
	{"elena@northwind.example", "Finance", "maya@northwind.example", "employee", "2019-12-09", "2020-01-06"},
	{"lucas@northwind.example", "Sales", "maya@northwind.example", "employee", "", "2023-09-18"},
	{demoLeaverEmail, "Data", "sofia@northwind.example", "contractor", "", ""},
}

// demoStaffRecords records the facts of 6.1 and 6.2 for the whole staff, as HR would after a review of the files, and
// the contractor's last day, whose access is still open: the latest step of the sample.
func (s *Service) demoStaffRecords(ctx context.Context, members map[string]Actor, clock *demoClock) error {
	clock.hoursAgo(demoStaffHours)
	ciso := WithActor(ctx, members["daniel@northwind.example"])
	people, err := s.ListPeople(ctx, PersonFilter{}, Page{Limit: 100})
	if err != nil {
		return err
	}
	byEmail := map[string]isms.Person{}
	for _, p := range people.Items {
		byEmail[p.Email] = p
	}
	for _, f := range demoStaffFacts {
		p, found := byEmail[f.email]
		if !found {
			return fmt.Errorf("demo staff facts: no person %s", f.email)
		}
		in := PersonInput{Team: f.team, Manager: f.manager, Employment: f.employment, ScreenedOn: f.screened, TermsSignedOn: f.terms, Version: p.Version,
			Sent: SentOf("team", "manager", "employment", "screened_on", "terms_signed_on")}
		if f.email == demoLeaverEmail {
			in.EndDate = clock.today.AddDate(0, 0, -demoLeftDaysAgo).Format("2006-01-02")
			in.Sent["end_date"] = true
		}
		if _, err := s.PatchPerson(ciso, p.Ref, in); err != nil {
			return fmt.Errorf("demo staff facts of %s: %w", f.email, err)
		}
	}
	return nil
}
