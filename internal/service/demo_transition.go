package service

import (
	"bytes"
	"context"
	"encoding/csv"
	"fmt"
	"strings"
	"time"

	"github.com/praxis-isms/praxis/internal/isms"
)

// The second sample organisation: Harbourside Logistics Ltd, a freight forwarder whose ISMS was certified on
// ISO/IEC 27001:2013 and which brought its 2013 Statement of Applicability into praxis to move to the 2022
// edition. It shows the transition half done: the old SoA imported, four of the open decisions taken, the rest
// waiting in the workspace, and a task written against a 2013 control id that landed on its 2022 control.
const (
	DemoTransitionOrgSlug = "harbourside-logistics-ltd"
	DemoTransitionOrgName = "Harbourside Logistics Ltd"
)

var demoTransitionMembers = []demoMember{
	{DemoLogin{"grace@harbourside.example", "Grace Liu", isms.RoleOwner, DemoTransitionOrgName}, true, "Head of IT and Security", "IT"},
	{DemoLogin{"omar@harbourside.example", "Omar Haddad", isms.RoleEditor, DemoTransitionOrgName}, false, "IT Operations Manager", "IT"},
}

// demoTransitionStartDays is how many days ago Harbourside imported its 2013 SoA.
const demoTransitionStartDays = 9

// demoTransitionExcluded are the 2013 controls Harbourside excluded, with its reasons. A.8.3.3 and A.14.2.6 each
// share a 2022 control with applicable ones (7.10, 8.31), so those two come out as conflicts.
var demoTransitionExcluded = map[string]string{
	"A.8.3.3":  "We never send storage media between sites: backups go to the cloud over the network.",
	"A.11.1.5": "The server room closed when the transport management system moved to a hosted service in 2021; no secure areas remain.",
	"A.14.2.6": "We do not develop software in house: the customer tracking portal is built and run by a contracted agency (see A.14.2.7).",
}

// demoTransitionWording is how Harbourside's 2013 SoA justified the controls of each 2013 section.
var demoTransitionWording = map[string]string{
	"A.5":  "Set by the board in the information security policy and reviewed at each management review.",
	"A.6":  "Security duties across head office and six depots need named owners and clear lines.",
	"A.7":  "Drivers, warehouse and office staff all handle customers' consignment data.",
	"A.8":  "Shipment and customer data and the depot systems must be known and classified before they can be protected.",
	"A.9":  "The transport management system holds customer data that only authorised staff may reach.",
	"A.10": "Shipment data travels between depots, customers and customs over networks we do not own.",
	"A.11": "Depots and head office hold equipment and goods that must be kept from theft and damage.",
	"A.12": "The transport management system must stay up around the clock for the depots to load and dispatch.",
	"A.13": "Depots, partner carriers and customs exchange data with us every day.",
	"A.14": "Systems we buy or have built must meet our security requirements before they go live.",
	"A.15": "Carriers, warehouses and IT suppliers handle our data and run our systems.",
	"A.16": "An incident at any depot must be reported and handled the same way as one at head office.",
	"A.17": "Customers rely on deliveries going on through an outage of our systems.",
	"A.18": "Customs rules, data protection law and customer contracts bind us.",
}

// demoTransitionDecisions are the open decisions Harbourside has taken since the import, in the 2022 SoA.
var demoTransitionDecisions = []struct {
	control string
	in      SoAInput
}{
	{"5.7", SoAInput{Justification: "Freight forwarders are a common target of payment-diversion fraud; we follow our sector's alerts and the advisories of our hosting provider.",
		Status: isms.SoAPlanned, Reasons: []string{isms.ReasonBestPractice}}},
	{"5.23", SoAInput{Justification: "The transport management system and email are cloud services: how we choose, configure and leave them decides most of our exposure.",
		Status: isms.SoAPartial, Reasons: []string{isms.ReasonBusiness, isms.ReasonContractual}}},
	{"7.4", SoAInput{Justification: "Every depot yard and warehouse has cameras and an alarm watched by a security company; goods and equipment are on site around the clock.",
		Status: isms.SoAImplemented, Reasons: []string{isms.ReasonBusiness}}},
	{"8.12", SoAInput{Justification: "Customer price lists and consignment data leave by email more often than they should; we want to notice and stop it.",
		Status: isms.SoAPlanned, Reasons: []string{isms.ReasonContractual}}},
}

// DemoTransition creates the transition sample organisation if it is missing, as it would have grown over the
// last days. It reports whether it created it and the logins.
func (s *Service) DemoTransition(ctx context.Context) (created bool, logins []DemoLogin, err error) {
	past, clock := s.inThePast(demoTransitionStartDays)
	return past.demoTransition(ctx, clock)
}

func (s *Service) demoTransition(ctx context.Context, clock *demoClock) (bool, []DemoLogin, error) {
	ctx, logins, created, err := s.demoOrg(ctx, DemoTransitionOrgName, DemoTransitionOrgSlug, demoTransitionMembers)
	if err != nil || !created {
		return false, logins, err
	}
	clock.minutes(30)
	if _, err := s.ImportTransition(ctx, "csv", bytes.NewReader(s.demoSoA2013()), TransitionImportInput{}); err != nil {
		return false, nil, fmt.Errorf("transition sample import: %w", err)
	}
	clock.daysAgo(demoTransitionStartDays - 2)
	for _, d := range demoTransitionDecisions {
		clock.minutes(20)
		e, err := s.SoAEntry(ctx, d.control)
		if err != nil {
			return false, nil, err
		}
		yes := true
		in := d.in
		in.Applicable, in.Owner, in.Version = &yes, "grace@harbourside.example", e.Version
		in.Sent = SentOf("applicable", "justification", "status", "reasons", "owner")
		if _, err := s.SetSoAEntry(ctx, d.control, in); err != nil {
			return false, nil, fmt.Errorf("transition sample decision on %s: %w", d.control, err)
		}
	}
	// Omar's restore test was planned against the 2013 id out of habit; it is filed under 8.13.
	clock.daysAgo(demoTransitionStartDays - 4)
	omar, err := s.OperatorActor(ctx, DemoTransitionOrgSlug, "omar@harbourside.example")
	if err != nil {
		return false, nil, err
	}
	if _, err := s.AddTask(WithActor(ctx, omar), TaskInput{Title: "Restore the transport management system's backup into the test tenant",
		Control: "A.12.3.1", Assignee: "omar@harbourside.example", Recurrence: "quarterly",
		Due: clock.today.AddDate(0, 0, 12).Format(time.DateOnly)}); err != nil {
		return false, nil, fmt.Errorf("transition sample task: %w", err)
	}
	return true, logins, nil
}

// demoSoA2013 is Harbourside's 2013 SoA as a CSV file: every one of the 114 controls, a few excluded, the
// others implemented but for some partly done or planned.
func (s *Service) demoSoA2013() []byte {
	var b bytes.Buffer
	w := csv.NewWriter(&b)
	_ = w.Write([]string{"Control", "Title", "Applicable", "Justification", "Implementation status", "Notes"})
	for i, c := range s.cat.Controls2013() {
		section := c.ID[:strings.Index(c.ID[2:], ".")+2] // "A.12" of "A.12.3.1"
		applicable, status, why := "Yes", "Implemented", demoTransitionWording[section]
		notes := ""
		switch {
		case demoTransitionExcluded[c.ID] != "":
			applicable, status, why = "No", "", demoTransitionExcluded[c.ID]
		case i%13 == 5:
			status, notes = "Partially implemented", "Finding of the 2024 surveillance audit; action under way."
		case i%17 == 9:
			status = "Planned"
		}
		_ = w.Write([]string{c.ID, c.Title, applicable, why, status, notes})
	}
	w.Flush()
	return b.Bytes()
}
