package web

import "testing"

// Every target a user can hand to a redirect (login's next, a form's back) either stays on this site as it
// is or becomes "/".
func TestSafeNext(t *testing.T) {
	for _, c := range []struct{ in, want string }{
		{"/risks", "/risks"},
		{"/risks?search=laptop&sort=-score", "/risks?search=laptop&sort=-score"},
		{"/risks/R-001#actions", "/risks/R-001#actions"},
		{"/search?q=Z%C3%BCrich", "/search?q=Z%C3%BCrich"},
		{"", "/"},
		{"/\t/evil.example", "/"},   // ?next=/%09/evil.example: browsers drop the tab
		{"/\n/evil.example", "/"},   // %0a
		{"/\r\n/evil.example", "/"}, // %0d%0a
		{"/%09/evil.example", "/"},  // encoded once more: decodes to a tab in the path
		{"/%0a/evil.example", "/"},
		{"//evil.example", "/"},
		{"///evil.example", "/"},
		{"/\\evil.example", "/"},
		{"\\/evil.example", "/"},
		{"/risks\\..\\..\\evil", "/"},
		{"/%2F%2Fevil.example", "/"},
		{"/%2f/evil.example", "/"},
		{"/%5Cevil.example", "/"},
		{"javascript:alert(1)", "/"},
		{"JavaScript:/alert(1)", "/"},
		{"https://evil.example", "/"},
		{"https:/evil.example", "/"},
		{"evil.example", "/"},
		{" /risks", "/"},
		{"/ /evil.example", "/"},
		{"/\u3000/evil.example", "/"},      // ideographic space
		{"/\u2215\u2215evil.example", "/"}, // division slashes
		{"/\uff0f\uff0fevil.example", "/"}, // fullwidth solidus
		{"/\x00/evil.example", "/"},
		{"/\x7f/evil.example", "/"},
		{"/risks/" + string(make([]byte, 3000)), "/"},
	} {
		if got := safeNext(c.in); got != c.want {
			t.Errorf("safeNext(%q) = %q, want %q", c.in, got, c.want)
		}
	}
}
