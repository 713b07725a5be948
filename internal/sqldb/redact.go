package sqldb

import (
	"net/url"
	"regexp"
	"strings"
)

// hidden stands in for a password (the same mark net/url and the PostgreSQL driver use).
const hidden = "xxxxx"

var (
	// userinfo: scheme://user:PASSWORD@ (up to the last @ of the word, as a password may hold a raw @).
	userinfoPassword = regexp.MustCompile(`(?i)([a-z][a-z0-9+.-]*://[^:/?#@\s]*:)\S*@`)
	// password=VALUE in a URL query or a key=value DSN, the value plain or single-quoted (with \' escapes);
	// also sslpassword and the like.
	keyPassword = regexp.MustCompile(`(?i)(\w*password\s*=\s*)('(?:[^'\\]|\\.)*'?|[^\s&'"` + "`" + `]*)`)
)

// Redact hides every database password in text: in URLs (postgres://user:pw@host), in password= parameters of a
// URL query or a key=value DSN (quoted or not), and, wherever else it appears (a driver may echo it decoded),
// each password that the database address dsn carries. Messages about the database pass through it before
// anyone sees them.
func Redact(text, dsn string) string {
	text = userinfoPassword.ReplaceAllString(text, "${1}"+hidden+"@")
	text = keyPassword.ReplaceAllString(text, "${1}"+hidden)
	for _, pw := range dsnPasswords(dsn) {
		text = strings.ReplaceAll(text, pw, hidden)
	}
	return text
}

// dsnPasswords returns the passwords in dsn, raw and decoded.
func dsnPasswords(dsn string) []string {
	var out []string
	add := func(s string) {
		if s != "" && s != hidden {
			out = append(out, s)
		}
	}
	if m := userinfoPassword.FindStringSubmatch(dsn); m != nil {
		raw := strings.TrimSuffix(strings.TrimPrefix(m[0], m[1]), "@")
		add(raw)
		if dec, err := url.PathUnescape(raw); err == nil {
			add(dec)
		}
	}
	for _, m := range keyPassword.FindAllStringSubmatch(dsn, -1) {
		v := m[2]
		add(v)
		if dec, err := url.QueryUnescape(v); err == nil {
			add(dec)
		}
		if unq := strings.Trim(v, "'"); unq != v {
			add(unq)
			add(strings.ReplaceAll(unq, `\'`, `'`))
		}
	}
	return out
}
