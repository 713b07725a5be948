package service_test

import (
	"sync"
	"testing"

	"github.com/praxis-isms/praxis/internal/catalog"
	"github.com/praxis-isms/praxis/internal/isms"
	"github.com/praxis-isms/praxis/internal/service"
	"github.com/praxis-isms/praxis/internal/testutil"
)

// Excluding a control while someone links a risk to it, at the same moment, many times over: whichever write
// comes second is refused, so no control ends up excluded while a risk treats it, on either engine. The exclusion
// runs one entry at a time and in bulk, the link by adding a risk and by changing one.
func TestExcludingAndLinkingAtOnceKeepTheRule(t *testing.T) {
	eachEngine(t, func(t *testing.T, e *env) {
		o := testutil.NewOrg(t, e.svc, "Racing")
		editor := o.Ctx("editor")
		existing, err := e.svc.AddRisk(editor, service.RiskInput{Title: "Linked later", Likelihood: 2, Impact: 2, Treatment: "modify", Controls: []string{"5.1"}})
		ok(t, err)
		controls := catalog.MustLoad().Controls()[1:41]
		var excluded, linked int
		for i, c := range controls {
			var exclude, link error
			var wg sync.WaitGroup
			start := make(chan struct{})
			wg.Add(2)
			go func() {
				defer wg.Done()
				<-start
				if i%2 == 0 {
					_, exclude = e.svc.SetSoAEntry(editor, c.ID, service.SoAInput{Applicable: new(bool), Justification: "Not for us", Version: 1})
				} else {
					_, exclude = e.svc.BulkSetSoA(editor, service.BulkSoAInput{Controls: []string{c.ID},
						Set: service.SoAInput{Applicable: new(bool), Justification: "Not for us"}})
				}
			}()
			go func() {
				defer wg.Done()
				<-start
				if i%3 == 0 {
					r, err := e.svc.Risk(editor, existing.Ref)
					if err == nil {
						_, err = e.svc.PatchRisk(editor, r.Ref, service.RiskInput{Controls: append(r.Controls, c.ID), Version: r.Version,
							Sent: service.SentOf("controls", "version")})
					}
					link = err
				} else {
					_, link = e.svc.AddRisk(editor, service.RiskInput{Title: "Risk for " + c.ID, Likelihood: 3, Impact: 3, Treatment: "modify", Controls: []string{c.ID}})
				}
			}()
			close(start)
			wg.Wait()
			for _, err := range []error{exclude, link} {
				if err != nil && isms.ErrorKind(err) != isms.KindInvalid && isms.ErrorKind(err) != isms.KindConflict {
					t.Fatalf("control %s: %v", c.ID, err)
				}
			}
			if exclude == nil {
				excluded++
			}
			if link == nil {
				linked++
			}
			en, err := e.svc.SoAEntry(o.Ctx("viewer"), c.ID)
			ok(t, err)
			if en.Excluded() && len(en.Risks) > 0 {
				t.Errorf("control %s is excluded while it treats %v (exclusion error %v, link error %v)", c.ID, en.Risks, exclude, link)
			}
		}
		t.Logf("%d exclusions and %d links won out of %d races", excluded, linked, len(controls))
	})
}
