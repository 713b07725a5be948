package sqldb

import (
	"context"
	"strings"
	"testing"
)

func TestRedact(t *testing.T) {
	for _, c := range []struct{ text, dsn, want string }{
		{"postgres://u:s3cret@h/db", "", "postgres://u:xxxxx@h/db"},
		{"postgresql://u:s3cret@h:5432/db?sslmode=require", "", "postgresql://u:xxxxx@h:5432/db?sslmode=require"},
		{"postgres://u:p@ss@h/db", "", "postgres://u:xxxxx@h/db"},
		{"postgres://u@h/db?password=s3cret&sslmode=disable", "", "postgres://u@h/db?password=xxxxx&sslmode=disable"},
		{"postgres://h/db?sslpassword=s3cret", "", "postgres://h/db?sslpassword=xxxxx"},
		{"host=h password=s3cret dbname=db", "", "host=h password=xxxxx dbname=db"},
		{"host=h password = s3cret", "", "host=h password = xxxxx"},
		{`host=h password='s3 cr\'et' user=u`, "", "host=h password=xxxxx user=u"},
		{"PASSWORD=s3cret", "", "PASSWORD=xxxxx"},
		{"postgres://u@h/db", "", "postgres://u@h/db"},
		{"host=h user=u", "", "host=h user=u"},
		{"/var/lib/praxis/praxis.db", "", "/var/lib/praxis/praxis.db"},
		// A driver may echo the password decoded or on its own: the address's passwords go wherever they are.
		{"authentication failed for s3@cret", "postgres://u:s3%40cret@h/db", "authentication failed for xxxxx"},
		{"bad value s3cret", "host=h password=s3cret", "bad value xxxxx"},
		{"bad value s3 cr'et", `host=h password='s3 cr\'et'`, "bad value xxxxx"},
		{"connect to h: refused", "postgres://u:s3cret@h/db", "connect to h: refused"},
	} {
		if got := Redact(c.text, c.dsn); got != c.want {
			t.Errorf("Redact(%q, %q) = %q, want %q", c.text, c.dsn, got, c.want)
		}
	}
}

// Whatever fails while opening, the error names no password.
func TestOpenErrorsHidePasswords(t *testing.T) {
	for _, dsn := range []string{
		"postgres://u:s3cret@h:badport/db",
		"postgres://u:s3cret@127.0.0.1:1/db?sslmode=bogus",
		"postgres://u@127.0.0.1:1/db?password=s3cret&sslmode=bogus",
		"postgres://127.0.0.1:1/db?password=s3cret&connect_timeout=1",
		"host=h password=s3cret",
		"host=h password='s3cret'",
	} {
		_, err := Open(context.Background(), dsn, t.TempDir())
		if err == nil {
			t.Fatalf("%s opened", dsn)
		}
		if strings.Contains(err.Error(), "s3cret") {
			t.Errorf("Open(%s): %v", dsn, err)
		}
	}
}
