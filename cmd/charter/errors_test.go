package main

import (
	"strings"
	"testing"
)

// A command's error can carry text from the command line or the repository
// (here a revision name with an escape sequence, a carriage return and a
// bidi override): it reaches the terminal escaped, with the exit code of a
// usage error.
func TestErrorsAreEscaped(t *testing.T) {
	t.Setenv("SOURCE_DATE_EPOCH", "1795564800")
	hostile := "v1\x1b[31m\r\u202eevil"
	code, _, stderr := runCharter(t, "-C", "../..", "check", "--against", hostile)
	if code != 2 {
		t.Fatalf("exit %d, want 2: %s", code, stderr)
	}
	for _, raw := range []string{"\x1b", "\r", "\u202e"} {
		if strings.Contains(stderr, raw) {
			t.Errorf("stderr carries %q raw: %q", raw, stderr)
		}
	}
	if !strings.Contains(stderr, "charter: --against v1") {
		t.Errorf("stderr does not name the revision: %q", stderr)
	}
}
