package service

import (
	"context"
	"fmt"
	"time"
)

// demoLintAckHours is when the sample's acknowledgement is made: after every other step of the sample.

// demoLintAcks has the chief executive accept the sample's changed scope for a month (the scope gained the
// analytics sandbox a few days ago): the finding stays on the readiness page with who, why and until when.
func (s *Service) demoLintAcks(ctx context.Context, members map[string]Actor, clock *demoClock) error {
	clock.hoursAgo(demoLintAckHours)
	ceo := WithActor(ctx, members["maya@northwind.example"])
	until := clock.today.AddDate(0, 1, 0).Format(time.DateOnly)
	if _, err := s.AcknowledgeFinding(ceo, "scope-changed", "", "The analytics sandbox joins the scope at the next management review, which approves the new text.", until); err != nil {
		return fmt.Errorf("demo lint acknowledgement: %w", err)
	}
	return nil
}
