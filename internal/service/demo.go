package service

import (
	"context"
	"fmt"
	"time"

	"github.com/praxis-isms/praxis/internal/auth"
	"github.com/praxis-isms/praxis/internal/isms"
	"github.com/praxis-isms/praxis/internal/store"
)

// The sample organisation: a fictional 120-person software company on its way to certification.
const (
	DemoOrgSlug  = "northwind-analytics-ltd"
	DemoOrgName  = "Northwind Analytics Ltd"
	DemoPassword = "praxis-demo-2026"
)

// DemoLogin is one account of the sample organisation.
type DemoLogin struct {
	Email string    `json:"email"`
	Name  string    `json:"name"`
	Role  isms.Role `json:"role"`
	Org   string    `json:"org"` // the organisation's name
}

// demoMember is an account of a sample organisation with the person it is in the staff list.
type demoMember struct {
	DemoLogin
	approver bool
	title    string
	dept     string
}

var demoMembers = []demoMember{
	{DemoLogin{"maya@northwind.example", "Maya Patel", isms.RoleOwner, DemoOrgName}, true, "Chief Executive Officer", "Leadership"},
	{DemoLogin{"daniel@northwind.example", "Daniel Kim", isms.RoleAdmin, DemoOrgName}, false, "Chief Information Security Officer", "Security"},
	{DemoLogin{"sofia@northwind.example", "Sofia Rossi", isms.RoleEditor, DemoOrgName}, false, "Head of Engineering", "Engineering"},
	{DemoLogin{"tom@northwind.example", "Tom Becker", isms.RoleAuditor, DemoOrgName}, false, "Internal Auditor", "Finance"},
	{DemoLogin{"lena@northwind.example", "Lena Novak", isms.RoleViewer, DemoOrgName}, false, "HR Manager", "People"},
}

var demoStaff = []PersonInput{
	{Name: "Aisha Bello", Email: "aisha@northwind.example", JobTitle: "Senior Backend Engineer", Department: "Engineering", StartDate: "2021-03-01"},
	{Name: "Jonas Weber", Email: "jonas@northwind.example", JobTitle: "Site Reliability Engineer", Department: "Engineering", StartDate: "2022-06-13"},
	{Name: "Priya Nair", Email: "priya@northwind.example", JobTitle: "Frontend Engineer", Department: "Engineering", StartDate: "2023-01-09"},
	{Name: "Carlos Mendes", Email: "carlos@northwind.example", JobTitle: "IT Administrator", Department: "IT", StartDate: "2020-09-21"},
	{Name: "Hannah Schmidt", Email: "hannah@northwind.example", JobTitle: "Data Protection Officer", Department: "Legal", StartDate: "2022-02-01"},
	{Name: "Oliver Grant", Email: "oliver@northwind.example", JobTitle: "Customer Success Lead", Department: "Customer Success", StartDate: "2021-11-15"},
	{Name: "Mei Chen", Email: "mei@northwind.example", JobTitle: "Data Scientist", Department: "Data", StartDate: "2024-04-02"},
	{Name: "Samuel Okafor", Email: "samuel@northwind.example", JobTitle: "Office and Facilities Manager", Department: "Operations", StartDate: "2019-07-01"},
	{Name: "Elena Petrova", Email: "elena@northwind.example", JobTitle: "Finance Controller", Department: "Finance", StartDate: "2020-01-06"},
	{Name: "Lucas Martin", Email: "lucas@northwind.example", JobTitle: "Sales Director", Department: "Sales", StartDate: "2023-09-18"},
}

// Demo creates the sample organisation if it is missing. It reports whether it created it and the logins.
// The sample is written as it would have grown: set up about seven months ago, its risks first assessed then
// and reassessed after treatment, so that risk pages show a history over time.
func (s *Service) Demo(ctx context.Context) (created bool, logins []DemoLogin, err error) {
	past, clock := s.inThePast(demoStartDays)
	return past.demo(ctx, clock)
}

// inThePast is the service on the clock of a sample written from days ago: the sample's steps move it on.
func (s *Service) inThePast(days int) (*Service, *demoClock) {
	today := s.now()
	clock := &demoClock{today: today, t: today.AddDate(0, 0, -days)}
	past := *s
	past.cfg.Now = clock.now
	return &past, clock
}

// demoStartDays is how many days ago the sample organisation was set up.
const demoStartDays = 210

// demoClock is the clock the sample is written with: the demo moves it on, phase by phase.
type demoClock struct {
	today time.Time // the real day, for due dates
	t     time.Time
}

func (c *demoClock) now() time.Time { return c.t }

// daysAgo moves the clock to n days before today (same time of day).
func (c *demoClock) daysAgo(n int) { c.t = c.today.AddDate(0, 0, -n) }

// hoursAgo moves the clock on to h hours before now; never back, so that a step written after another stays
// after it in the audit trail whatever the steps before it took.
func (c *demoClock) hoursAgo(h int) {
	if t := c.today.Add(-time.Duration(h) * time.Hour); t.After(c.t) {
		c.t = t
		return
	}
	c.t = c.t.Add(time.Minute)
}

// The steps of clauses 7 to 10 come last, in this order, each from its own hour of the last day and a half.
const (
	demoStaffHours         = 36
	demoEvidenceHours      = 32
	demoTasksHours         = 28
	demoTrainingHours      = 24
	demoAuditsHours        = 20
	demoReviewsHours       = 12
	demoPerformanceHours   = 5
	demoCertificationHours = 3
	demoLintAckHours       = 2 // last: the acknowledgement of a finding the steps before left
)

func (s *Service) demo(ctx context.Context, clock *demoClock) (bool, []DemoLogin, error) {
	ctx, logins, created, err := s.demoOrg(ctx, DemoOrgName, DemoOrgSlug, demoMembers)
	if err != nil || !created {
		return false, logins, err
	}
	for _, p := range demoStaff {
		if _, err := s.AddPerson(ctx, p); err != nil {
			return false, nil, fmt.Errorf("demo person %s: %w", p.Name, err)
		}
	}
	if err := s.demoLeaverJoins(ctx); err != nil {
		return false, nil, err
	}
	members := map[string]Actor{}
	for _, m := range demoMembers {
		a, err := s.OperatorActor(ctx, DemoOrgSlug, m.Email)
		if err != nil {
			return false, nil, err
		}
		members[m.Email] = a
	}
	if err := s.demoLinkMembers(ctx, members); err != nil {
		return false, nil, err
	}
	if err := s.demoDocsFirst(ctx, members, clock); err != nil {
		return false, nil, err
	}
	if err := s.demoContext(ctx, members, clock); err != nil {
		return false, nil, err
	}
	if err := s.demoRiskRegister(ctx, members, clock); err != nil {
		return false, nil, err
	}
	if err := s.demoSoA(ctx, members, clock); err != nil {
		return false, nil, err
	}
	if err := s.demoDocsSecond(ctx, members, clock); err != nil {
		return false, nil, err
	}
	if err := s.demoLeadership(ctx, members, clock); err != nil {
		return false, nil, err
	}
	if err := s.demoPolicySet(ctx, members, clock); err != nil {
		return false, nil, err
	}
	if err := s.demoScopeChange(ctx, members, clock); err != nil {
		return false, nil, err
	}
	if err := s.demoSecurity(ctx, members, clock); err != nil {
		return false, nil, err
	}
	if err := s.demoStaffRecords(ctx, members, clock); err != nil {
		return false, nil, err
	}
	if err := s.demoEvidence(ctx, members, clock); err != nil {
		return false, nil, err
	}
	if err := s.demoTaskList(ctx, members, clock); err != nil {
		return false, nil, err
	}
	if err := s.demoTraining(ctx, members, clock); err != nil {
		return false, nil, err
	}
	if err := s.demoAuditProgramme(ctx, members, clock); err != nil {
		return false, nil, err
	}
	if err := s.demoReviews(ctx, members, clock); err != nil {
		return false, nil, err
	}
	if err := s.demoPerformance(ctx, members, clock); err != nil {
		return false, nil, err
	}
	if err := s.demoCertification(ctx, members, clock); err != nil {
		return false, nil, err
	}
	if err := s.demoLintAcks(ctx, members, clock); err != nil {
		return false, nil, err
	}
	return true, logins, nil
}

// demoOrg creates a sample organisation, its members' accounts (all with DemoPassword) and their entries in the
// staff list, unless an organisation with its slug exists already (created false). The first member is the
// owner: the context returned acts as them.
func (s *Service) demoOrg(ctx context.Context, name, slug string, members []demoMember) (_ context.Context, logins []DemoLogin, created bool, err error) {
	for _, m := range members {
		logins = append(logins, m.DemoLogin)
	}
	owner, created, err := s.demoAccounts(ctx, name, slug, members)
	if err != nil || !created {
		return ctx, logins, false, err
	}
	ctx = WithActor(ctx, owner)
	for _, m := range members {
		if _, err := s.AddPerson(ctx, PersonInput{Name: m.Name, Email: m.Email, JobTitle: m.title, Department: m.dept}); err != nil {
			return ctx, nil, false, fmt.Errorf("sample person %s: %w", m.Name, err)
		}
	}
	return ctx, logins, true, nil
}

// demoAccounts creates the organisation and the accounts of demoOrg.
func (s *Service) demoAccounts(ctx context.Context, name, slug string, members []demoMember) (owner Actor, created bool, err error) {
	err = s.store.Read(ctx, func(tx *store.Tx) error {
		_, err := tx.OrgBySlug(ctx, slug)
		return err
	})
	if err == nil {
		return owner, false, nil
	}
	if isms.ErrorKind(err) != isms.KindNotFound {
		return owner, false, err
	}
	hash, err := auth.HashPassword(DemoPassword, s.cfg.PasswordParams)
	if err != nil {
		return owner, false, err
	}
	// Accounts first, then everything else through the same use cases a person would call, so the sample
	// has an audit trail like a real one.
	err = s.store.Write(ctx, func(tx *store.Tx) error {
		for i, m := range members {
			u, err := tx.UserByEmail(ctx, m.Email)
			if isms.ErrorKind(err) == isms.KindNotFound {
				u = isms.User{ID: store.NewID(), Email: m.Email, Name: m.Name, PasswordHash: hash, CreatedAt: s.now()}
				err = tx.CreateUser(ctx, u)
			}
			if err != nil {
				return err
			}
			if i == 0 {
				org, err := s.createOrg(ctx, tx, name, u, "cli")
				if err != nil {
					return err
				}
				if org.Slug != slug {
					return fmt.Errorf("sample organisation %s got slug %q", name, org.Slug)
				}
				owner = Actor{UserID: u.ID, Email: u.Email, Name: u.Name, OrgID: org.ID, OrgSlug: org.Slug, OrgName: org.Name, Role: isms.RoleOwner, Approver: true, Via: "cli"}
				continue
			}
			mem := isms.Membership{OrgID: owner.OrgID, UserID: u.ID, Email: u.Email, Name: u.Name, Role: m.Role, Approver: m.approver, CreatedAt: s.now(), Version: 1}
			if err := tx.AddMembership(ctx, mem); err != nil {
				return err
			}
			if err := s.audit(ctx, tx, owner, "add", "member", u.ID, u.Email, nil, mem); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return owner, false, fmt.Errorf("create the accounts of %s: %w", name, err)
	}
	return owner, true, nil
}
