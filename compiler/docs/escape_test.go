package docs

import (
	"strings"
	"testing"
)

// escapeRunes is escape written the plain way, rune by rune.
func escapeRunes(s string) string {
	var b strings.Builder
	for _, r := range s {
		switch r {
		case '\\', '`', '*', '_', '[', ']', '<', '>', '#', '|', '!', '&':
			b.WriteByte('\\')
		case '\n':
			r = ' '
		}
		b.WriteRune(r)
	}
	return b.String()
}

// escape's shortcut for plain ASCII gives what escaping rune by rune gives,
// including for text that is not valid UTF-8.
func TestEscapeShortcut(t *testing.T) {
	for _, s := range []string{"", "Access control", "CC6.1 Logical access", "a_b", "line\nbreak", "x|y", "[link](u)",
		"Zugriffsprüfung", "ends with é", "bad \xff byte", "\xc3", "tab\tand ~tilde", "R&D <team> #1 !", "back\\slash `code`"} {
		if got, want := escape(s), escapeRunes(s); got != want {
			t.Errorf("escape(%q) = %q, want %q", s, got, want)
		}
	}
	if got := escape("Access control"); got != "Access control" {
		t.Errorf("plain text changed: %q", got)
	}
	if got := escape("a_b\nc"); got != `a\_b c` {
		t.Errorf("escape(%q) = %q", "a_b\nc", got)
	}
}
