package service

import (
	"context"
	"fmt"
	"time"
)

// demoCertificationHours is when the certification step runs: after the steps of clauses 7 to 10.

// demoCertificationAudits are Northwind's certification audits, relative to today: the body is chosen, Stage 1
// is planned about five weeks ahead and Stage 2 about three months ahead, so the sample is preparing for
// certification and the reminder of the Stage 1 audit is on the dashboard.
var demoCertificationAudits = []struct {
	in              CertificationInput
	startIn, length int // days from today to the start, days the audit lasts
}{
	{CertificationInput{Kind: "stage-1", Body: "Meridian Assurance Ltd", LeadAuditor: "Ruth Adeyemi",
		Notes: "Remote review of the documented ISMS, then one day on site: scope, risk method, SoA, policies, internal audit and management review."}, 35, 2},
	{CertificationInput{Kind: "stage-2", Body: "Meridian Assurance Ltd", LeadAuditor: "Ruth Adeyemi",
		Notes: "Three days on site at the London office and the data platform team; sampling of controls from the SoA."}, 91, 3},
}

// demoCertification plans the certification audits, as the CISO.
func (s *Service) demoCertification(ctx context.Context, members map[string]Actor, clock *demoClock) error {
	ciso := WithActor(ctx, members["daniel@northwind.example"])
	clock.hoursAgo(demoCertificationHours)
	for _, d := range demoCertificationAudits {
		clock.minutes(2)
		in := d.in
		in.PlannedStart = clock.today.AddDate(0, 0, d.startIn).Format(time.DateOnly)
		in.PlannedEnd = clock.today.AddDate(0, 0, d.startIn+d.length-1).Format(time.DateOnly)
		if _, err := s.AddCertification(ciso, in); err != nil {
			return fmt.Errorf("demo certification audit %s: %w", in.Kind, err)
		}
	}
	return nil
}
