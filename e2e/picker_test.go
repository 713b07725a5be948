package e2e

import (
	"fmt"
	"net/http"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/praxis-isms/praxis/internal/service"
	"github.com/praxis-isms/praxis/internal/testutil"
)

// TestOwnerSearchField: with more people than a drop-down lists, the asset's owner is a text field. The editor
// types part of a name, picks the suggestion the server offers and saves: the asset now has that owner.
func TestOwnerSearchField(t *testing.T) {
	t.Parallel()
	srv, b := start(t)
	org := testutil.NewOrg(t, srv.Svc, "Acme")
	ctx := org.Ctx("editor")
	for i := range 300 {
		if _, err := srv.Svc.AddPerson(ctx, service.PersonInput{Name: fmt.Sprintf("Person %03d", i)}); err != nil {
			t.Fatal(err)
		}
	}
	zelda, err := srv.Svc.AddPerson(ctx, service.PersonInput{Name: "Zelda Quartermaine", Email: "zelda@acme.example"})
	if err != nil {
		t.Fatal(err)
	}
	asset, err := srv.Svc.AddAsset(ctx, service.AssetInput{Name: "Payroll server", Type: "hardware"})
	if err != nil {
		t.Fatal(err)
	}

	b.login("editor@acme.example", testutil.Password)
	b.open("/assets/" + asset.Ref)
	if f := b.field("main", "Owner"); f.Tag != "input" {
		t.Fatalf("with 301 people the owner is a %s, want a text field", f.Tag)
	}
	b.fill("Owner", "quarter")
	want := zelda.Ref
	var offered string
	b.run("wait for the suggestions", chromedp.Poll(`(() => { const o = document.querySelector("#owner-suggestions option");
	  return o ? o.value + " " + o.label : null; })()`, &offered, chromedp.WithPollingTimeout(5*time.Second)))
	if offered != want+" Zelda Quartermaine ("+want+")" {
		t.Fatalf("the field suggests %q, want Zelda Quartermaine (%s)", offered, want)
	}
	// Choosing an entry of a datalist puts its value into the field, as here (the list is the browser's own
	// pop-up, which a script cannot click).
	var ok bool
	b.js("pick the suggestion", &ok, `function() { const f = document.querySelector("#owner");
	  f.value = document.querySelector("#owner-suggestions option").value; f.dispatchEvent(new Event("change", {bubbles: true})); return true; }`)
	if status := b.press("Save " + asset.Ref); status != http.StatusOK {
		t.Errorf("saving lands on a page with status %d", status)
	}
	shows(b, ".flash", asset.Ref+" Payroll server is saved.")
	got, err := srv.Svc.Asset(ctx, asset.Ref)
	if err != nil || got.Owner != zelda.Ref {
		t.Fatalf("after saving the owner is %q (%v), want %s", got.Owner, err, zelda.Ref)
	}

	// A new risk's assets are a check list (no Ctrl-click) with a filter box that hides what does not match.
	if _, err := srv.Svc.AddAsset(ctx, service.AssetInput{Name: "Laptop fleet", Type: "hardware"}); err != nil {
		t.Fatal(err)
	}
	b.open("/risks/new")
	b.fill("#assets-filter", "payroll")
	var shown []string
	b.js("read the listed assets", &shown, `function() { return [...document.querySelectorAll("#assets-list label.check")].filter(l => l.offsetParent !== null).map(l => l.textContent.trim()); }`)
	if len(shown) != 1 || shown[0] != asset.Ref+" Payroll server" {
		t.Fatalf("filtered by %q the assets listed are %q", "payroll", shown)
	}
	b.check(asset.Ref+" Payroll server", true)
}
