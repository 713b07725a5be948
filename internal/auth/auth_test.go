package auth

import (
	"strings"
	"testing"
)

func TestPasswordHashRoundTrip(t *testing.T) {
	h, err := HashPassword("correct horse battery", TestParams)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(h, "$argon2id$v=19$") {
		t.Fatalf("hash %q is not PHC argon2id", h)
	}
	if ok, err := CheckPassword(h, "correct horse battery"); !ok || err != nil {
		t.Fatalf("right password rejected: %v %v", ok, err)
	}
	if ok, _ := CheckPassword(h, "correct horse batterY"); ok {
		t.Fatal("wrong password accepted")
	}
	h2, _ := HashPassword("correct horse battery", TestParams)
	if h == h2 {
		t.Fatal("two hashes of one password are equal: salt missing")
	}
	if _, err := CheckPassword("$2a$10$bcrypt", "x"); err == nil {
		t.Fatal("malformed hash accepted")
	}
}

func TestDefaultParamsAreRecorded(t *testing.T) {
	h, err := HashPassword("a long enough password", DefaultParams)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(h, "$m=19456,t=2,p=1$") {
		t.Fatalf("default parameters not in hash: %s", h)
	}
}

func TestTokens(t *testing.T) {
	tok, display := NewAPIToken()
	if !strings.HasPrefix(tok, "prx_") || len(tok) < 40 || !strings.HasPrefix(tok, display) {
		t.Fatalf("token %q display %q", tok, display)
	}
	if HashToken(tok) == HashToken(tok+"x") || len(HashToken(tok)) != 64 {
		t.Fatal("token hash not a sha256 hex")
	}
	if p := OneTimePassword(); len(p) != 20 {
		t.Fatalf("one-time password %q", p)
	}
}
