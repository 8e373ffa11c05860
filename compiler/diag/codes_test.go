package diag

import (
	"os"
	"strings"
	"testing"
)

// Every code is described and documented, so users can look it up.
func TestEveryCodeIsDocumented(t *testing.T) {
	doc, err := os.ReadFile("../../docs/diagnostics.md")
	if err != nil {
		t.Fatal(err)
	}
	if len(Description) < 40 {
		t.Fatalf("only %d codes described", len(Description))
	}
	for code, meaning := range Description {
		if meaning == "" {
			t.Errorf("%s has no description", code)
		}
		if !strings.Contains(string(doc), "| "+string(code)+" |") {
			t.Errorf("docs/diagnostics.md does not list %s", code)
		}
	}
}

func TestSuggestID(t *testing.T) {
	ids := []string{"AC-2", "AC-2 (1)", "AC-3", "CC6.1", "1.10", "11.0"}
	for in, want := range map[string]string{
		"ac-2":    "AC-2",
		"AC-2(1)": "AC-2 (1)",
		"AC-02":   "AC-2",
		"cc6.1":   "CC6.1",
		"CC6.1":   "", // already exact
		"AC-4":    "", // one edit away is another control, not a typo
		"CC9.9":   "",
		"1.1.0":   "",
	} {
		if got := SuggestID(in, ids); got != want {
			t.Errorf("SuggestID(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestWriteGitHub(t *testing.T) {
	var b strings.Builder
	l := List{
		{Severity: Error, Code: CodeUnknownControl, Message: "control \"CC9.9\" 100%", Hint: "check it", Pos: Pos{File: "components/a,b/component.yaml", Line: 3, Col: 7}},
		{Severity: Warning, Code: CodeEmpty, Message: "file is empty", Pos: Pos{File: "x.yaml"}},
	}
	if err := WriteGitHub(&b, l, GitHubOptions{Prefix: "program/"}); err != nil {
		t.Fatal(err)
	}
	want := "::error file=program/components/a%2Cb/component.yaml,line=3,col=7,title=charter OC202::control \"CC9.9\" 100%25%0Acheck it\n" +
		"::warning file=program/x.yaml,title=charter OC006::file is empty\n" +
		"::error title=charter summary::charter: 1 error, 1 warning: OC202 ×1, OC006 ×1\n"
	if b.String() != want {
		t.Errorf("got\n%s\nwant\n%s", b.String(), want)
	}
}

// At most Limit annotations of each severity, then one summary with the
// totals and how many were left out.
func TestWriteGitHubLimit(t *testing.T) {
	var l List
	for i := range 7 {
		l = append(l, Diagnostic{Severity: Warning, Code: CodeUnknownKey, Message: "w", Pos: Pos{File: "a.yaml", Line: i + 1}})
	}
	l = append(l, Diagnostic{Severity: Error, Code: CodeValue, Message: "e", Pos: Pos{File: "a.yaml", Line: 9}})
	var b strings.Builder
	if err := WriteGitHub(&b, l, GitHubOptions{Limit: 3}); err != nil {
		t.Fatal(err)
	}
	out := b.String()
	if n := strings.Count(out, "::warning "); n != 3 {
		t.Errorf("%d warning annotations, want 3:\n%s", n, out)
	}
	if n := strings.Count(out, "::error "); n != 2 {
		t.Errorf("%d error annotations (one finding, one summary), want 2:\n%s", n, out)
	}
	last := out[strings.LastIndex(strings.TrimSuffix(out, "\n"), "\n")+1:]
	if want := "::error title=charter summary::charter: 1 error, 7 warnings: OC109 ×1, OC104 ×7 (4 not annotated: at most 3 of each severity are; the log lists them all)\n"; last != want {
		t.Errorf("summary %q, want %q", last, want)
	}
	b.Reset()
	_ = WriteGitHub(&b, nil, GitHubOptions{})
	if b.String() != "::notice title=charter summary::charter: 0 errors, 0 warnings\n" {
		t.Errorf("clean summary %q", b.String())
	}
}

func TestPrintableNeutralisesTerminalControls(t *testing.T) {
	for in, want := range map[string]string{
		"plain\ttext\n":         `plain	text\n`,
		"\x1b]0;pwned\a\x1b[2J": `\x1b]0;pwned\x07\x1b[2J`,
		"del\x7f c1\u009b":      `del\x7f c1\u009b`,
		"ünïcode ✓":             "ünïcode ✓",
	} {
		if got := Printable(in); got != want {
			t.Errorf("Printable(%q) = %q, want %q", in, got, want)
		}
	}
	if got := PrintableText("two\nlines::\r\n"); got != `two
lines:\x3a\r
` {
		t.Errorf("PrintableText kept or lost the wrong things: %q", got)
	}
	var b strings.Builder
	_ = WriteText(&b, List{{Severity: Error, Code: CodeValue, Message: "name \x1b[2J", Pos: Pos{File: "a.yaml", Line: 1, Col: 1}, Source: "name: \"\x1b[2J\""}}, TextOptions{})
	if strings.ContainsRune(b.String(), 0x1b) {
		t.Errorf("escape character reached the terminal: %q", b.String())
	}
}
