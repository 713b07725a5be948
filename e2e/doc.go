// Package e2e holds the browser tests: real headless Chromium (Debian's /usr/bin/chromium, or PRAXIS_CHROMIUM)
// driven through chromedp against the real HTTP server over a fresh database. Each test asserts what a user
// sees; on failure it saves a full-page screenshot to e2e/screenshots/<test>.png.
//
// Run them with `go test -race -count=1 ./e2e/`. Without Chromium they are skipped, unless CI is set.
package e2e
