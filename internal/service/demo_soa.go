package service

import (
	"context"
	"fmt"

	"github.com/praxis-isms/praxis/internal/isms"
)

// The sample SoA: Northwind is remote-first, with a few rented desks in a London co-working building and its
// whole platform at one cloud provider, so the physical controls about rooms, secure areas, utilities and
// cabling are excluded; every control a risk of the register names is applicable.

// demoSoAEntry is a decision written out for one control.
type demoSoAEntry struct {
	applicable    bool
	justification string
	status        string
	reasons       []string
	owner         string // email
}

// demoExcluded are the controls Northwind leaves out, each with its reason in our own words.
var demoExcluded = map[string]string{
	"7.3": "We rent open desks in a serviced co-working building in London. There are no lockable rooms or facilities of our own, " +
		"and no servers or customer data are kept on site.",
	"7.4": "The building operator runs reception and cameras for the whole building. Apart from laptops, which leave with their users " +
		"every evening, nothing of ours is on site to watch.",
	"7.6":  "There are no secure areas to work in: production runs entirely at our cloud provider, whose data centres we rely on through the supplier agreement (see 5.23).",
	"7.11": "We run no server rooms or on-premises systems that depend on power or cooling we control; the cloud provider and the building operator supply both.",
	"7.12": "The only cabling we could protect is the co-working building's, which its operator owns. Our traffic is encrypted end to end over networks we do not own.",
	"8.30": "All our software is written by employed engineers; no development is contracted out. We will revisit this if we engage an agency.",
}

// demoDecisions are the controls with a decision of their own; the others take a theme's wording (demoDefault).
var demoDecisions = map[string]demoSoAEntry{
	"5.1": {true, "The policy set is approved by the CEO and reviewed every year; every other control hangs off it.", isms.SoAImplemented,
		[]string{isms.ReasonBusiness, isms.ReasonBestPractice}, "maya@northwind.example"},
	"5.7": {true, "We follow advisories for the cloud services and libraries we depend on, to patch before an exploit spreads.", isms.SoAPlanned,
		[]string{isms.ReasonBestPractice}, "daniel@northwind.example"},
	"5.23": {true, "The whole platform runs at one public cloud provider: how we choose, configure and leave cloud services decides most of our exposure.",
		isms.SoAPartial, []string{isms.ReasonBusiness, isms.ReasonContractual}, "jonas@northwind.example"},
	"5.31": {true, "Customer contracts and UK and EU data protection law set obligations that we track in a register of requirements.", isms.SoAImplemented,
		[]string{isms.ReasonLegal, isms.ReasonContractual}, "hannah@northwind.example"},
	"5.34": {true, "We process personal data of our customers' end users as a processor under the GDPR.", isms.SoAImplemented,
		[]string{isms.ReasonLegal, isms.ReasonContractual}, "hannah@northwind.example"},
	"6.7": {true, "Most staff work from home most days: remote working is how Northwind operates, not an exception.", isms.SoAImplemented,
		[]string{isms.ReasonBusiness}, "lena@northwind.example"},
	"7.1": {true, "Even a small office has a perimeter: the building's reception and badge gates, which we check with the operator every year.", isms.SoAImplemented,
		[]string{isms.ReasonBestPractice}, "samuel@northwind.example"},
	"7.7": {true, "Laptops are used at home, on trains and in a shared office; screen locks and a clear desk keep customer data from passing eyes.",
		isms.SoAImplemented, []string{isms.ReasonBestPractice}, "samuel@northwind.example"},
	"8.11": {true, "Analysts work on copies of production data; masking keeps personal data out of notebooks and test systems.", isms.SoAPlanned,
		[]string{isms.ReasonLegal}, "mei@northwind.example"},
	"8.16": {true, "We must notice attacks on the platform soon enough to meet the 24-hour breach notice our customer contracts promise.", isms.SoAPartial,
		[]string{isms.ReasonContractual}, "jonas@northwind.example"},
	"8.28": {true, "Our product is software we write ourselves, and flaws in it are the highest-scored risk in the register.", isms.SoAPartial,
		[]string{isms.ReasonBusiness, isms.ReasonContractual}, "sofia@northwind.example"},
}

// demoWording is how Northwind justifies the other controls of each theme, varied from control to control.
var demoWording = map[string][]string{
	"organizational": {
		"Needed to run security in a company of 120: without it, who does what would rest on good will.",
		"Customers ask about this in every security questionnaire, and it is normal practice for a SaaS provider.",
		"Part of how we govern suppliers, incidents and information across a team spread over several countries.",
	},
	"people": {
		"Everyone who joins, works at or leaves Northwind is covered; people are our widest attack surface.",
		"Our employment contracts rely on it, and customers who trust our staff with their data expect it.",
	},
	"physical": {
		"Laptops and a few rented desks are our whole physical footprint, and this control protects them.",
		"Staff carry customer data on laptops wherever they work, so the equipment itself must be looked after.",
		"Cheap to do for a company of our size, and our customers' auditors expect to see it.",
	},
	"technological": {
		"The platform and the laptops that reach it need this to keep customer data confidential and available.",
		"A basic safeguard for a cloud-hosted product, tested every year by our customers' auditors.",
		"Engineering already works this way; the control makes the practice consistent and leaves evidence.",
	},
}

// demoThemeOwner is who owns a theme's controls unless a decision names someone else.
var demoThemeOwner = map[string][]string{
	"organizational": {"daniel@northwind.example"},
	"people":         {"lena@northwind.example"},
	"physical":       {"samuel@northwind.example"},
	"technological":  {"carlos@northwind.example", "jonas@northwind.example"},
}

// demoDecision is the decision for entry e, the i-th control of the catalog.
func demoDecision(i int, e isms.SoAEntry) demoSoAEntry {
	if why, ok := demoExcluded[e.Control]; ok && len(e.Risks) == 0 {
		return demoSoAEntry{justification: why, reasons: []string{}, owner: demoThemeOwner[e.Theme][0]}
	}
	if d, ok := demoDecisions[e.Control]; ok {
		return d
	}
	words := demoWording[e.Theme]
	d := demoSoAEntry{applicable: true, justification: words[i%len(words)], status: isms.SoAImplemented,
		owner: demoThemeOwner[e.Theme][i%len(demoThemeOwner[e.Theme])]}
	switch {
	case i%9 == 4:
		d.status = isms.SoAPlanned
	case i%5 == 2:
		d.status = isms.SoAPartial
	}
	if len(e.Risks) > 0 {
		d.justification = fmt.Sprintf("Chosen to treat %s in the risk register. %s", RefList(e.Risks), d.justification)
	}
	d.reasons = [][]string{{isms.ReasonBusiness}, {isms.ReasonBestPractice}, {isms.ReasonContractual, isms.ReasonBusiness}, {}}[i%4]
	if len(e.Risks) == 0 && len(d.reasons) == 0 {
		d.reasons = []string{isms.ReasonBestPractice}
	}
	return d
}

// demoSoA writes the sample SoA as it grew: completed by the CISO and approved by the CEO as version 1, a
// change approved as version 2 (monitoring in place, threat intelligence started), then a few draft edits.
func (s *Service) demoSoA(ctx context.Context, members map[string]Actor, clock *demoClock) error {
	ciso := WithActor(ctx, members["daniel@northwind.example"])
	clock.daysAgo(25)
	v, err := s.SoA(ciso, SoAFilter{})
	if err != nil {
		return err
	}
	for i, e := range v.Entries {
		d := demoDecision(i, e)
		in := SoAInput{Applicable: &d.applicable, Justification: d.justification, Status: d.status, Reasons: d.reasons, Owner: d.owner, Version: e.Version}
		if _, err := s.SetSoAEntry(ciso, e.Control, in); err != nil {
			return fmt.Errorf("demo SoA %s: %w", e.Control, err)
		}
	}
	clock.daysAgo(24)
	if _, err := s.ApproveSoA(ctx, "First Statement of Applicability, approved with the risk treatment plan."); err != nil {
		return fmt.Errorf("demo SoA version 1: %w", err)
	}
	edit := func(control, fields string) error {
		en, err := s.SoAEntry(ciso, control)
		if err != nil {
			return err
		}
		var in SoAInput
		if err := in.UnmarshalJSON([]byte(fields)); err != nil {
			return err
		}
		in.Version = en.Version
		if _, err := s.SetSoAEntry(ciso, control, in); err != nil {
			return fmt.Errorf("demo SoA edit of %s: %w", control, err)
		}
		return nil
	}
	clock.daysAgo(12)
	for _, c := range [][2]string{
		{"8.16", `{"status": "implemented", "notes": "Alerts from the cloud provider's logs reach the on-call engineer since the start of the quarter."}`},
		{"5.7", `{"status": "partial", "notes": "Subscribed to the advisories of our cloud provider and main libraries; triage is weekly."}`},
		{"6.7", `{"justification": "Most staff work from home most days and some travel with their laptops: remote working is how Northwind operates, not an exception."}`},
	} {
		if err := edit(c[0], c[1]); err != nil {
			return err
		}
	}
	clock.daysAgo(11)
	if _, err := s.ApproveSoA(ctx, "Monitoring in place, threat intelligence started, remote working wording updated."); err != nil {
		return fmt.Errorf("demo SoA version 2: %w", err)
	}
	clock.daysAgo(8)
	for _, c := range [][2]string{
		{"8.11", `{"status": "partial", "notes": "Masked copies for the analytics sandbox; the test systems follow next."}`},
		{"5.21", `{"notes": "Review of the ICT supply chain to come with the software bill of materials work."}`},
		{"7.10", `{"owner": "carlos@northwind.example"}`},
	} {
		if err := edit(c[0], c[1]); err != nil {
			return err
		}
	}
	return nil
}
