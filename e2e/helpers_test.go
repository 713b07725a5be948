package e2e

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/cdproto/input"
	"github.com/chromedp/cdproto/log"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"

	"github.com/praxis-isms/praxis/internal/sqldb"
	"github.com/praxis-isms/praxis/internal/testutil"
)

const (
	testTimeout   = 60 * time.Second // the whole browser session of one test
	actionTimeout = 15 * time.Second // one step: a page load, a query, typing into a field
	seeTimeout    = 5 * time.Second  // how long see() waits for a text to appear
)

// chromiumPath finds the browser: PRAXIS_CHROMIUM, else Debian's /usr/bin/chromium. Without one the test is
// skipped on a developer machine and fails in CI, where scripts/test installs it.
func chromiumPath(t *testing.T) string {
	t.Helper()
	p := os.Getenv("PRAXIS_CHROMIUM")
	if p == "" {
		p = "/usr/bin/chromium"
	}
	if _, err := os.Stat(p); err != nil {
		if os.Getenv("CI") != "" {
			t.Fatalf("Chromium not found at %s (CI is set; install chromium or set PRAXIS_CHROMIUM): %v", p, err)
		}
		t.Skipf("Chromium not found at %s: browser tests skipped (install chromium or set PRAXIS_CHROMIUM)", p)
	}
	return p
}

// start runs the real server over a fresh SQLite database and opens a browser on it.
func start(t *testing.T) (*testutil.Server, *browser) {
	t.Helper()
	return startOn(t, sqldb.SQLite)
}

// startOn is start for a given engine (testutil skips PostgreSQL without PRAXIS_TEST_PG, or fails in CI).
// Chromium boots while the server starts and the test writes its fixtures; the first browser step waits for it.
func startOn(t *testing.T, engine sqldb.Engine) (*testutil.Server, *browser) {
	t.Helper()
	return startWith(t, engine, testutil.StartServer)
}

// startDemo is start on a database that holds the sample organisation already (testutil.DemoDB).
func startDemo(t *testing.T) (*testutil.Server, *browser) {
	t.Helper()
	return startWith(t, sqldb.SQLite, testutil.StartDemoServer)
}

func startWith(t *testing.T, engine sqldb.Engine, server func(testing.TB, sqldb.Engine) *testutil.Server) (*testutil.Server, *browser) {
	t.Helper()
	exe := chromiumPath(t)
	if engine == sqldb.Postgres {
		testutil.PostgresURL(t) // skip before starting a browser
	}
	b := openBrowser(t, exe)
	srv := server(t, engine)
	b.base = srv.URL
	return srv, b
}

// browser is one headless Chromium with one tab, bound to one test.
type browser struct {
	t    *testing.T
	base string
	tab  context.Context // the tab without deadline: for the screenshot after a failure

	started  chan struct{}   // closed when Chromium is up (or failed to start); then ctx and startErr are set
	ctx      context.Context // the tab, with the test's deadline
	startErr error

	mu       sync.Mutex
	dialogs  []string            // messages of the JavaScript dialogs (confirm, alert) seen so far
	dismiss  bool                // answer the next dialogs with Cancel instead of OK
	problems map[string][]string // JavaScript exceptions, console errors, CSP violations: the pages of each
}

// openBrowser starts a fresh Chromium (own profile folder) for t, stopped when t ends. If t failed, a full-page
// screenshot goes to screenshots/<test>.png first. JavaScript errors and CSP violations fail the test.
func openBrowser(t *testing.T, exe string) *browser {
	t.Helper()
	// Not t.TempDir: Chromium's helper processes may still write to the profile for a moment after it exits,
	// which would fail the test in TempDir's cleanup.
	profile, err := os.MkdirTemp("", "praxis-e2e-chromium-")
	if err != nil {
		t.Fatal(err)
	}
	opts := []chromedp.ExecAllocatorOption{
		chromedp.ExecPath(exe),
		chromedp.Headless,
		chromedp.NoSandbox,
		chromedp.DisableGPU,
		chromedp.NoFirstRun,
		chromedp.NoDefaultBrowserCheck,
		chromedp.Flag("disable-dev-shm-usage", true),
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("disable-extensions", true),
		chromedp.Flag("disable-default-apps", true),
		chromedp.Flag("disable-breakpad", true),
		chromedp.Flag("disable-crash-reporter", true),
		chromedp.Flag("password-store", "basic"),
		chromedp.Flag("use-mock-keychain", true),
		chromedp.WindowSize(1280, 900),
		chromedp.UserDataDir(profile),
	}
	allocCtx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	tab, cancelTab := chromedp.NewContext(allocCtx)
	b := &browser{t: t, tab: tab, started: make(chan struct{})}
	chromedp.ListenTarget(tab, b.onEvent)
	cancelCtx := context.CancelFunc(func() {})
	go func() {
		// The first Run starts the browser (chromedp bounds the wait for it); it must not carry a deadline, or
		// the deadline would end the browser. The test's own deadline starts once the browser is up, so that a
		// slow start on a busy machine does not eat into it.
		b.startErr = chromedp.Run(tab)
		b.ctx, cancelCtx = context.WithTimeout(tab, testTimeout)
		close(b.started)
	}()
	t.Cleanup(func() {
		<-b.started
		b.reportProblems()
		if t.Failed() && b.startErr == nil {
			b.screenshot()
		}
		cancelCtx()
		cancelTab()
		cancelAlloc()
		for i := 0; i < 50; i++ {
			if os.RemoveAll(profile) == nil {
				break
			}
			time.Sleep(100 * time.Millisecond)
		}
	})
	return b
}

// ready waits until Chromium is up.
func (b *browser) ready() {
	b.t.Helper()
	<-b.started
	if b.startErr != nil {
		b.t.Fatalf("start Chromium: %v", b.startErr)
	}
}

func (b *browser) onEvent(ev any) {
	switch ev := ev.(type) {
	case *page.EventJavascriptDialogOpening:
		b.mu.Lock()
		b.dialogs = append(b.dialogs, ev.Message)
		accept := !b.dismiss
		b.mu.Unlock()
		// Listeners must not block: answer the dialog from another goroutine.
		go chromedp.Run(b.tab, page.HandleJavaScriptDialog(accept)) //nolint:errcheck // the test sees the outcome
	case *runtime.EventExceptionThrown:
		b.problem("uncaught JavaScript exception: "+ev.ExceptionDetails.Error(), ev.ExceptionDetails.URL)
	case *runtime.EventConsoleAPICalled:
		if ev.Type == runtime.APITypeError {
			var parts []string
			for _, a := range ev.Args {
				if a.Value != nil {
					parts = append(parts, string(a.Value))
				} else {
					parts = append(parts, a.Description)
				}
			}
			b.problem("console.error: "+strings.Join(parts, " "), "")
		}
	case *log.EventEntryAdded:
		// Network errors (a 404 favicon, a 422 form answer) are ordinary; anything else at error level (a CSP
		// violation, a blocked script) is a bug a user would suffer from.
		if e := ev.Entry; e.Level == log.LevelError && e.Source != log.SourceNetwork {
			b.problem(fmt.Sprintf("%s error: %s", e.Source, e.Text), e.URL)
		}
	}
}

// problem records something the browser reported that a user would suffer from, with the page it came from.
func (b *browser) problem(msg, where string) {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.problems == nil {
		b.problems = map[string][]string{}
	}
	if !slices.Contains(b.problems[msg], where) {
		b.problems[msg] = append(b.problems[msg], where)
	}
}

// reportProblems fails the test with each distinct problem once, naming the pages it occurred on.
func (b *browser) reportProblems() {
	b.mu.Lock()
	defer b.mu.Unlock()
	msgs := slices.Sorted(maps.Keys(b.problems))
	for _, m := range msgs {
		pages := b.problems[m]
		for i, p := range pages {
			if u, err := url.Parse(p); err == nil && u.Host != "" {
				pages[i] = u.RequestURI()
			}
		}
		b.t.Errorf("the browser reported: %s\n  on: %s", m, strings.Join(pages, ", "))
	}
}

// screenshot saves the whole page to screenshots/<test>.png (relative to this package's folder, git-ignored).
func (b *browser) screenshot() {
	ctx, cancel := context.WithTimeout(b.tab, 10*time.Second)
	defer cancel()
	var buf []byte
	var loc string
	if err := chromedp.Run(ctx, chromedp.Location(&loc), chromedp.FullScreenshot(&buf, 100)); err != nil {
		b.t.Logf("no screenshot: %v", err)
		return
	}
	name := strings.Map(func(r rune) rune {
		switch {
		case r >= 'a' && r <= 'z', r >= 'A' && r <= 'Z', r >= '0' && r <= '9', r == '-', r == '_':
			return r
		}
		return '_'
	}, b.t.Name()) + ".png"
	path := filepath.Join("screenshots", name)
	if err := os.MkdirAll("screenshots", 0o755); err != nil {
		b.t.Logf("no screenshot: %v", err)
		return
	}
	if err := os.WriteFile(path, buf, 0o644); err != nil {
		b.t.Logf("no screenshot: %v", err)
		return
	}
	if abs, err := filepath.Abs(path); err == nil {
		path = abs
	}
	b.t.Logf("screenshot of %s saved to %s", loc, path)
}

// where describes the current page for a failure message: its address and the start of its text.
func (b *browser) where() string {
	ctx, cancel := context.WithTimeout(b.tab, 3*time.Second)
	defer cancel()
	var loc, text string
	_ = chromedp.Run(ctx, chromedp.Location(&loc),
		chromedp.Evaluate(`(document.querySelector("main") || document.body || {innerText: ""}).innerText`, &text))
	text = strings.Join(strings.Fields(text), " ")
	if len(text) > 600 {
		text = text[:600] + "…"
	}
	return fmt.Sprintf("\n  page: %s\n  text: %s", loc, text)
}

// run runs actions as one step, failing the test with the page it was on.
func (b *browser) run(what string, actions ...chromedp.Action) {
	b.t.Helper()
	b.ready()
	ctx, cancel := context.WithTimeout(b.ctx, actionTimeout)
	defer cancel()
	if err := chromedp.Run(ctx, actions...); err != nil {
		b.t.Fatalf("%s: %v%s", what, err, b.where())
	}
}

// navigating runs an action that loads a new page (a click on a link or a submit button) and waits for the page
// to load, returning the HTTP status of the document it ends on (after redirects).
func (b *browser) navigating(what string, action chromedp.Action) int {
	b.t.Helper()
	b.ready()
	ctx, cancel := context.WithTimeout(b.ctx, actionTimeout)
	defer cancel()
	resp, err := chromedp.RunResponse(ctx, action)
	if errors.Is(err, context.DeadlineExceeded) {
		b.t.Fatalf("%s: no page loaded within %v%s", what, actionTimeout, b.where())
	}
	if err != nil {
		b.t.Fatalf("%s: %v%s", what, err, b.where())
	}
	if resp == nil {
		return 0
	}
	return int(resp.Status)
}

// js calls the JavaScript function fn with args (encoded as JSON) in the page and stores its result in res.
func (b *browser) js(what string, res any, fn string, args ...any) {
	b.t.Helper()
	b.run(what, chromedp.Evaluate(jsCall(fn, args...), res))
}

// jsCall is the expression that calls the JavaScript function fn with args encoded as JSON.
func jsCall(fn string, args ...any) string {
	enc := make([]string, len(args))
	for i, a := range args {
		j, err := json.Marshal(a)
		if err != nil {
			panic(err)
		}
		enc[i] = string(j)
	}
	return fmt.Sprintf("(%s)(%s)", fn, strings.Join(enc, ", "))
}

// open loads a path of the server like typing it in the address bar, and returns the final HTTP status.
func (b *browser) open(path string) int {
	b.t.Helper()
	u := b.base + path
	return b.navigating("open "+path, chromedp.ActionFunc(func(ctx context.Context) error {
		_, _, errText, _, err := page.Navigate(u).Do(ctx)
		if err == nil && errText != "" {
			err = errors.New(errText)
		}
		return err
	}))
}

// disableJavaScript turns page scripts off (from the next page load on), to check that forms work without them.
func (b *browser) disableJavaScript() {
	b.t.Helper()
	b.run("disable JavaScript", emulation.SetScriptExecutionDisabled(true))
}

// url returns the address of the current page.
func (b *browser) url() *url.URL {
	b.t.Helper()
	var loc string
	b.run("read the location", chromedp.Location(&loc))
	u, err := url.Parse(loc)
	if err != nil {
		b.t.Fatal(err)
	}
	return u
}

// path returns the path and query of the current page, such as "/login?next=%2Fpeople".
func (b *browser) path() string {
	b.t.Helper()
	return b.url().RequestURI()
}

// expectPath fails unless the current page is at want (path and query).
func (b *browser) expectPath(want string) {
	b.t.Helper()
	if got := b.path(); got != want {
		b.t.Fatalf("the browser is at %s, want %s%s", got, want, b.where())
	}
}

// fieldJS finds a form control by the text of its label (exact, then without the hint, then a prefix) or by a
// CSS selector starting with "#", inside scope, and marks it so that chromedp can address it.
const fieldJS = `function(scope, label) {
  const norm = s => (s || "").replace(/\s+/g, " ").trim().toLowerCase();
  const root = scope ? document.querySelector(scope) : document;
  if (!root) return {error: "nothing on the page matches " + scope};
  let el = null;
  if (label.startsWith("#")) {
    el = root.querySelector(label);
    if (!el) return {error: "no element " + label};
  } else {
    const want = norm(label);
    const labels = [...root.querySelectorAll("label")];
    const full = l => { const c = l.cloneNode(true); c.querySelectorAll("input,select,textarea,option").forEach(x => x.remove()); return norm(c.textContent); };
    const bare = l => { const c = l.cloneNode(true); c.querySelectorAll("input,select,textarea,option,.hint").forEach(x => x.remove()); return norm(c.textContent); };
    let found = [];
    for (const match of [l => full(l) === want, l => bare(l) === want, l => full(l).startsWith(want)]) {
      found = labels.filter(match);
      if (found.length) break;
    }
    if (found.length === 0) return {error: "no label " + JSON.stringify(label) + "; labels here: " + labels.map(l => JSON.stringify(full(l))).join(", ")};
    if (found.length > 1) return {error: found.length + " labels match " + JSON.stringify(label) + ": " + found.map(l => JSON.stringify(full(l))).join(", ")};
    el = found[0].control;
    if (!el) return {error: "label " + JSON.stringify(label) + " is not tied to a form control"};
  }
  const mark = "f" + Math.random().toString(36).slice(2);
  el.setAttribute("data-e2e", mark);
  return {mark: mark, tag: el.tagName.toLowerCase(), type: (el.getAttribute("type") || "").toLowerCase()};
}`

type fieldRef struct {
	Mark  string `json:"mark"`
	Tag   string `json:"tag"`
	Type  string `json:"type"`
	Error string `json:"error"`
}

func (f fieldRef) sel() string { return `[data-e2e="` + f.Mark + `"]` }

func (b *browser) field(scope, label string) fieldRef {
	b.t.Helper()
	var f fieldRef
	b.js("find the field "+label, &f, fieldJS, scope, label)
	if f.Error != "" {
		b.t.Fatalf("find the field %q: %s%s", label, f.Error, b.where())
	}
	return f
}

// setSelectJS chooses an option by its text or value and fires the events a user's choice fires.
const setSelectJS = `function(sel, want) {
  const el = document.querySelector(sel);
  const norm = s => (s || "").replace(/\s+/g, " ").trim().toLowerCase();
  const opt = [...el.options].find(o => norm(o.textContent) === norm(want)) || [...el.options].find(o => o.value === want)
    || [...el.options].find(o => norm(o.textContent).startsWith(norm(want)));
  if (!opt) return "no option " + JSON.stringify(want) + "; options: " + [...el.options].map(o => JSON.stringify(o.textContent.trim())).join(", ");
  el.value = opt.value;
  el.dispatchEvent(new Event("input", {bubbles: true}));
  el.dispatchEvent(new Event("change", {bubbles: true}));
  return "";
}`

// fill types value into the field labelled label (or "#id") in main, or chooses the option of a select.
func (b *browser) fill(label, value string) { b.t.Helper(); b.fillIn("main", label, value) }

// fillIn is fill inside the element that scope selects ("" for the whole page).
func (b *browser) fillIn(scope, label, value string) {
	b.t.Helper()
	f := b.field(scope, label)
	switch {
	case f.Tag == "select":
		var msg string
		b.js("choose "+value+" in "+label, &msg, setSelectJS, f.sel(), value)
		if msg != "" {
			b.t.Fatalf("choose %q in %q: %s%s", value, label, msg, b.where())
		}
	case f.Tag == "input" && (f.Type == "checkbox" || f.Type == "radio"):
		b.t.Fatalf("field %q is a %s: use check", label, f.Type)
	case f.Tag == "input" && (f.Type == "date" || f.Type == "time" || f.Type == "datetime-local" || f.Type == "month" ||
		f.Type == "color" || f.Type == "range" || f.Type == "hidden"):
		var ok bool
		b.js("set "+label, &ok, `function(sel, v) { const el = document.querySelector(sel); el.value = v;
		  el.dispatchEvent(new Event("input", {bubbles: true})); el.dispatchEvent(new Event("change", {bubbles: true})); return true; }`, f.sel(), value)
	default: // entered as user input, so that the browser treats it as typed (minlength and so on)
		var ok bool
		b.js("clear "+label, &ok, `function(sel) { const el = document.querySelector(sel); el.value = ""; el.focus(); return document.activeElement === el; }`, f.sel())
		if !ok {
			b.t.Fatalf("the field %q cannot take the focus%s", label, b.where())
		}
		if value != "" {
			b.run("type into "+label, input.InsertText(value))
		}
	}
}

// check ticks or unticks the checkbox labelled label in main.
func (b *browser) check(label string, on bool) {
	b.t.Helper()
	f := b.field("main", label)
	var checked bool
	b.js("read "+label, &checked, `function(sel) { return document.querySelector(sel).checked; }`, f.sel())
	if checked != on {
		b.run("click "+label, chromedp.Click(f.sel(), chromedp.ByQuery))
	}
}

// controlJS finds a button (or a link) by its text inside scope and marks it; for a submit button it also
// checks the browser's own validation of the form, which would otherwise silently stop the submission.
const controlJS = `function(scope, text, kind) {
  const norm = s => (s || "").replace(/\s+/g, " ").trim().toLowerCase();
  const root = scope ? document.querySelector(scope) : document;
  if (!root) return {error: "nothing on the page matches " + scope};
  const want = norm(text);
  const sel = kind === "link" ? "a[href]" : "button, input[type=submit], input[type=button]";
  const els = [...root.querySelectorAll(sel)];
  const name = el => norm(el.tagName === "INPUT" ? el.value : el.textContent);
  const visible = el => norm(el.innerText || el.value);
  let found = [];
  for (const match of [el => name(el) === want, el => visible(el) === want]) {
    found = els.filter(match);
    if (found.length) break;
  }
  if (found.length === 0) return {error: "no " + kind + " " + JSON.stringify(text) + "; there are: " + els.map(e => JSON.stringify(name(e))).join(", ")};
  if (found.length > 1) return {error: found.length + " " + kind + "s " + JSON.stringify(text) + " (narrow the scope)"};
  const el = found[0];
  if (kind !== "link" && el.form && !el.form.noValidate && !el.formNoValidate && (el.type || "submit") === "submit" && !el.form.checkValidity()) {
    const bad = [...el.form.elements].filter(x => x.willValidate && !x.checkValidity());
    return {error: "the browser refuses to submit the form: " + bad.map(x => (x.name || x.id) + ": " + x.validationMessage).join("; ")};
  }
  const mark = "c" + Math.random().toString(36).slice(2);
  el.setAttribute("data-e2e", mark);
  return {mark: mark};
}`

func (b *browser) control(scope, text, kind string) string {
	b.t.Helper()
	var f fieldRef
	b.js("find the "+kind+" "+text, &f, controlJS, scope, text, kind)
	if f.Error != "" {
		b.t.Fatalf("find the %s %q: %s%s", kind, text, f.Error, b.where())
	}
	return f.sel()
}

// press clicks the button labelled text in main, waits for the page it leads to and returns its HTTP status.
func (b *browser) press(text string) int { b.t.Helper(); return b.pressIn("main", text) }

// pressIn is press inside the element that scope selects.
func (b *browser) pressIn(scope, text string) int {
	b.t.Helper()
	sel := b.control(scope, text, "button")
	return b.navigating("press "+text, chromedp.Click(sel, chromedp.ByQuery))
}

// pressCancelled clicks a button that asks for confirmation, answers Cancel, and checks that nothing was
// submitted. It returns the question asked.
func (b *browser) pressCancelled(scope, text string) string {
	b.t.Helper()
	before := b.path()
	b.mu.Lock()
	n := len(b.dialogs)
	b.dismiss = true
	b.mu.Unlock()
	defer func() { b.mu.Lock(); b.dismiss = false; b.mu.Unlock() }()
	sel := b.control(scope, text, "button")
	b.run("press "+text, chromedp.Click(sel, chromedp.ByQuery))
	var msg string
	for deadline := time.Now().Add(seeTimeout); msg == "" && time.Now().Before(deadline); time.Sleep(50 * time.Millisecond) {
		b.mu.Lock()
		if len(b.dialogs) > n {
			msg = b.dialogs[n]
		}
		b.mu.Unlock()
	}
	if msg == "" {
		b.t.Fatalf("pressing %q asked no confirmation%s", text, b.where())
	}
	time.Sleep(300 * time.Millisecond) // a submission despite Cancel would have started by now
	if after := b.path(); after != before {
		b.t.Fatalf("after Cancel the browser went from %s to %s", before, after)
	}
	return msg
}

// lastDialog returns the message of the last JavaScript dialog, or "".
func (b *browser) lastDialog() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	if len(b.dialogs) == 0 {
		return ""
	}
	return b.dialogs[len(b.dialogs)-1]
}

// follow clicks the link with text in scope ("" for the whole page) and waits for the page it leads to.
func (b *browser) follow(scope, text string) int {
	b.t.Helper()
	sel := b.control(scope, text, "link")
	return b.navigating("follow "+text, chromedp.Click(sel, chromedp.ByQuery))
}

// rowJS marks the first element matching sel whose text contains text (a table row, a list item).
const rowJS = `function(sel, text) {
  const el = [...document.querySelectorAll(sel)].find(e => e.innerText.includes(text));
  if (!el) return "";
  const mark = "r" + Math.random().toString(36).slice(2);
  el.setAttribute("data-e2e", mark);
  return '[data-e2e="' + mark + '"]';
}`

// row returns a selector for the first element matching sel (such as "table tbody tr") that shows text.
func (b *browser) row(sel, text string) string {
	b.t.Helper()
	var s string
	b.js("find "+sel+" with "+text, &s, rowJS, sel, text)
	if s == "" {
		b.t.Fatalf("no %s shows %q%s", sel, text, b.where())
	}
	return s
}

// texts returns the visible text of every element matching sel.
func (b *browser) texts(sel string) []string {
	b.t.Helper()
	var out []string
	b.js("read "+sel, &out, `function(sel) { return [...document.querySelectorAll(sel)].map(e => e.innerText.replace(/\s+/g, " ").trim()); }`, sel)
	return out
}

// text returns the visible text of the first element matching sel, failing if there is none.
func (b *browser) text(sel string) string {
	b.t.Helper()
	t := b.texts(sel)
	if len(t) == 0 {
		b.t.Fatalf("nothing matches %s%s", sel, b.where())
	}
	return t[0]
}

// count returns how many elements match sel.
func (b *browser) count(sel string) int {
	b.t.Helper()
	return len(b.texts(sel))
}

// value returns the current value of the form control matching sel.
func (b *browser) value(sel string) string {
	b.t.Helper()
	var v *string
	b.js("read the value of "+sel, &v, `function(sel) { const el = document.querySelector(sel); return el ? el.value : null; }`, sel)
	if v == nil {
		b.t.Fatalf("no form control %s%s", sel, b.where())
	}
	return *v
}

// attr returns an attribute of the first element matching sel and whether it is there.
func (b *browser) attr(sel, name string) (string, bool) {
	b.t.Helper()
	var v *string
	b.js("read "+name+" of "+sel, &v, `function(sel, name) { const el = document.querySelector(sel); return el ? el.getAttribute(name) : null; }`, sel, name)
	if v == nil {
		return "", false
	}
	return *v, true
}

// see waits (briefly) until main shows text.
func (b *browser) see(text string) { b.t.Helper(); b.seeIn("main", text) }

// seeIn waits (briefly) until the first element matching sel shows text.
func (b *browser) seeIn(sel, text string) {
	b.t.Helper()
	b.ready()
	ctx, cancel := context.WithTimeout(b.ctx, seeTimeout+time.Second)
	defer cancel()
	expr := fmt.Sprintf(`(() => { const el = document.querySelector(%s); return !!el && el.innerText.replace(/\s+/g, " ").includes(%s); })()`,
		jsString(sel), jsString(strings.Join(strings.Fields(text), " ")))
	for {
		err := chromedp.Run(ctx, chromedp.Poll(expr, nil, chromedp.WithPollingInterval(50*time.Millisecond), chromedp.WithPollingTimeout(seeTimeout)))
		// Right after a navigation chromedp may still hold the old page's JavaScript context; ask again then.
		if err != nil && strings.Contains(err.Error(), "Cannot find context with specified id") && ctx.Err() == nil {
			time.Sleep(50 * time.Millisecond)
			continue
		}
		if err != nil {
			b.t.Fatalf("%s does not show %q (%v)%s", sel, text, err, b.where())
		}
		return
	}
}

// notSee fails if main shows text now.
func (b *browser) notSee(text string) {
	b.t.Helper()
	if strings.Contains(b.text("main"), text) {
		b.t.Fatalf("the page shows %q but should not%s", text, b.where())
	}
}

func jsString(s string) string {
	j, _ := json.Marshal(s)
	return string(j)
}

// login logs in through the login form and returns the status of the page it lands on.
func (b *browser) login(email, password string) int {
	b.t.Helper()
	b.open("/login")
	b.fill("Email", email)
	b.fill("Password", password)
	return b.press("Log in")
}

// logout presses "Log out" in the header.
func (b *browser) logout() int {
	b.t.Helper()
	return b.pressIn("header", "Log out")
}
