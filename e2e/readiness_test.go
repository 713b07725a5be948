package e2e

import (
	"testing"
	"time"

	"github.com/praxis-isms/praxis/internal/testutil"
)

// TestReadinessAcknowledge: the owner of a new organisation sees the roadmap on the dashboard, opens Readiness
// from the menu, acknowledges the missing scope until a day with a reason, sees who, why and until when, and
// withdraws it again.
func TestReadinessAcknowledge(t *testing.T) {
	t.Parallel()
	srv, b := start(t)
	testutil.NewOrg(t, srv.Svc, "Acme")
	b.login("owner@acme.example", testutil.Password)
	b.open("/")
	shows(b, "main", "Roadmap to certification")
	shows(b, "main", "There is no ISMS scope statement")
	b.follow("nav.main-nav", "Readiness")
	b.expectPath("/readiness")

	row := `tr[data-finding="scope-missing 4.3"]`
	until := srv.Clock.Now().AddDate(0, 0, 20).Format(time.DateOnly)
	b.fillIn(row, "Reason", "Scope workshop with the board next week")
	b.fillIn(row, "Until", until)
	b.pressIn(row, "Acknowledge")
	b.expectPath("/readiness")
	shows(b, ".flash", "is acknowledged until "+until)
	shows(b, row, "Acknowledged by Owner of Acme until "+until+": Scope workshop with the board next week")
	b.saveScreenshot("readiness-acknowledged")

	b.pressIn(row, "Withdraw")
	shows(b, ".flash", "The acknowledgement is withdrawn")
	b.field(row, "Reason")
}
