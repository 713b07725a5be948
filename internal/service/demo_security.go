package service

import (
	"context"
	"fmt"
	"time"

	"github.com/praxis-isms/praxis/internal/isms"
	"github.com/praxis-isms/praxis/internal/store"
)

// demoSecurity gives the sample organisation what its owner sees on the Security and Members pages: a week of
// sign-ins from the office and from home, a mistyped password, somebody trying an address that has no account,
// and an invitation for a new starter that has not been accepted yet.
func (s *Service) demoSecurity(ctx context.Context, members map[string]Actor, clock *demoClock) error {
	office := Client{IP: "203.0.113.10", UserAgent: "Mozilla/5.0 (Macintosh) Firefox/140.0"}
	home := Client{IP: "198.51.100.24", UserAgent: "Mozilla/5.0 (Windows NT 10.0) Chrome/150.0"}
	unknown := Client{IP: "192.0.2.77", UserAgent: "python-requests/2.32"}
	type login struct {
		daysAgo int
		minutes int // after the start of that day's clock, so a mistyped password comes before its retry
		email   string
		kind    string
		c       Client
		detail  string
	}
	logins := []login{
		{6, 0, "daniel@northwind.example", isms.EventLogin, office, ""},
		{6, 25, "maya@northwind.example", isms.EventLogin, office, ""},
		{5, 10, "lena@northwind.example", isms.EventLoginFailed, home, ""},
		{5, 11, "lena@northwind.example", isms.EventLogin, home, ""},
		{4, 5, "sofia@northwind.example", isms.EventLogin, office, ""},
		{3, 40, "tom@northwind.example", isms.EventLogin, office, ""},
		{2, 200, "admin@northwind.example", isms.EventLoginFailed, unknown, "unknown email"},
		{1, 15, "daniel@northwind.example", isms.EventLogin, home, ""},
	}
	err := s.store.Write(ctx, func(tx *store.Tx) error {
		for _, l := range logins {
			clock.daysAgo(l.daysAgo)
			clock.t = clock.t.Add(time.Duration(l.minutes) * time.Minute)
			if err := s.addEvent(ctx, tx, l.kind, members[l.email].UserID, l.email, l.c, l.detail); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("demo security events: %w", err)
	}
	clock.daysAgo(2)
	if _, _, err := s.CreateInvitation(WithActor(ctx, members["daniel@northwind.example"]),
		InviteInput{Email: "new.analyst@northwind.example", Role: isms.RoleViewer}); err != nil {
		return fmt.Errorf("demo invitation: %w", err)
	}
	return nil
}
