package diag

import (
	"encoding/json"
	"strings"
	"testing"
)

// hostile is text a repository could plant in a file name, a message (which
// quotes the repository) and a source line.
const hostile = "a\nb\r::error::pwned\x1b[2J\x1b]0;t\a\u009b\u202eevil\u2066x\u2069%0A,:"

func hostileList() List {
	return List{{
		Severity: Error, Code: CodeValue,
		Pos:     Pos{File: "components/" + hostile + "/component.yaml", Line: 3, Col: 20},
		Message: "unknown key " + hostile, Hint: "did you mean " + hostile,
		Source: "key: " + hostile,
		Notes:  []Note{{Pos: Pos{File: hostile, Line: 1}, Message: hostile}},
	}}
}

// noHostileBytes fails if anything that could drive a terminal or a CI
// runner survived.
func noHostileBytes(t *testing.T, format, out string) {
	t.Helper()
	for _, r := range out {
		if r < 0x20 && r != '\n' && r != '\t' || r == 0x7f || r >= 0x80 && r < 0xa0 || isBidi(r) {
			t.Errorf("%s: %U reached the output: %q", format, r, out)
		}
	}
}

func TestTextEscapesHostileInput(t *testing.T) {
	for _, color := range []bool{false, true} {
		var b strings.Builder
		if err := WriteText(&b, hostileList(), TextOptions{Color: color}); err != nil {
			t.Fatal(err)
		}
		out := b.String()
		if color {
			out = strings.NewReplacer(ansiReset, "", ansiBold, "", ansiRed, "", ansiYellow, "", ansiGreen, "", ansiCyan, "").Replace(out)
		}
		noHostileBytes(t, "text", out)
		lines := strings.Split(strings.TrimSuffix(out, "\n"), "\n")
		// the diagnostic, the source line, the caret, the hint and the note
		if len(lines) != 5 {
			t.Fatalf("color=%v: %d lines, want 5 (no line from the repository):\n%s", color, len(lines), out)
		}
		for _, l := range lines {
			if strings.Contains(l, "::") {
				t.Errorf("a line holds a workflow command marker: %q", l)
			}
		}
		if !strings.Contains(lines[0], `a\nb\r:\x3aerror:\x3apwned\x1b[2J\x1b]0;t\x07\u009b\u202eevil\u2066x\u2069`) {
			t.Errorf("the file name is not shown escaped: %q", lines[0])
		}
		// the caret sits under column 20 of the source line as printed
		src, caret := lines[1], lines[2]
		bar := strings.Index(src, "| ") + 2
		if got := strings.Index(caret, "^") - bar; got != len(Printable("key: "+hostile[:14])) {
			t.Errorf("caret at %d, want under the 20th character as printed:\n%s\n%s", got, src, caret)
		}
	}
}

func TestGitHubEscapesHostileInput(t *testing.T) {
	var b strings.Builder
	if err := WriteGitHub(&b, hostileList(), GitHubOptions{}); err != nil {
		t.Fatal(err)
	}
	out := b.String()
	noHostileBytes(t, "github", out)
	if strings.Count(out, "\n") != 2 || !strings.HasPrefix(out, "::error file=") {
		t.Fatalf("want exactly one workflow command line and the summary, got %q", out)
	}
	out, _, _ = strings.Cut(out, "\n")
	out += "\n"
	// after the command's own "::" separator nothing can end the message
	head, msg, _ := strings.Cut(strings.TrimPrefix(out, "::"), "::")
	if strings.Contains(head, "::") || strings.ContainsAny(head, "\r\n") {
		t.Errorf("properties broke out: %q", head)
	}
	for _, want := range []string{"%0A", "%0D", "%250A", `\x1b[2J`, `\u202e`} {
		if !strings.Contains(msg, want) {
			t.Errorf("message lacks %q: %q", want, msg)
		}
	}
	if !strings.Contains(head, "a%0Ab%0D%3A%3Aerror%3A%3Apwned") || !strings.Contains(head, "%2C%3A/component.yaml") {
		t.Errorf("file property not escaped: %q", head)
	}
}

func TestJSONStaysJSONWithHostileInput(t *testing.T) {
	var b strings.Builder
	if err := WriteJSON(&b, hostileList()); err != nil {
		t.Fatal(err)
	}
	noHostileBytes(t, "json", b.String())
	var back struct {
		Diagnostics []struct {
			Message  string
			Position struct{ File string }
		}
	}
	if err := json.Unmarshal([]byte(b.String()), &back); err != nil {
		t.Fatal(err)
	}
	if back.Diagnostics[0].Message != "unknown key "+hostile || back.Diagnostics[0].Position.File != hostileList()[0].Pos.File {
		t.Errorf("JSON does not carry the text exactly: %+v", back.Diagnostics[0])
	}
}
