package diff

import (
	"strings"
	"testing"
)

// Text from the repository cannot drive the terminal, in colour or not.
func TestWriteTextEscapesControlCharacters(t *testing.T) {
	r := &Report{
		From:       State{Name: "v1"},
		To:         State{Name: "v2"},
		Components: []CompChange{{Key: "evil", Name: "Evil\x1b]0;pwned\a\x1b[2J", File: "components/evil/component.yaml", Change: Added}},
	}
	for _, color := range []bool{false, true} {
		var b strings.Builder
		if err := WriteText(&b, r, TextOptions{Color: color}); err != nil {
			t.Fatal(err)
		}
		out := b.String()
		if strings.Contains(out, "\x1b]0;") || strings.Contains(out, "\x1b[2J") || strings.ContainsRune(out, '\a') {
			t.Errorf("color=%v: control sequence reached the output: %q", color, out)
		}
		if !strings.Contains(out, `Evil\x1b]0;pwned\x07\x1b[2J`) {
			t.Errorf("color=%v: the name is not shown escaped: %q", color, out)
		}
		if color != strings.Contains(out, "\x1b[1m") {
			t.Errorf("color=%v: colour codes present = %v: %q", color, !color, out)
		}
	}
}

// A name from the repository cannot start a line of its own, so it cannot
// become a GitHub workflow command in a CI log, nor reorder the text.
func TestWriteTextNoWorkflowCommands(t *testing.T) {
	r := &Report{
		From:       State{Name: "v1"},
		To:         State{Name: "v2"},
		Components: []CompChange{{Key: "evil", Name: "Evil\n::error file=x::pwned\r::add-mask::\u202egnp", File: "components/evil/component.yaml", Change: Added}},
	}
	var b strings.Builder
	if err := WriteText(&b, r, TextOptions{}); err != nil {
		t.Fatal(err)
	}
	for _, l := range strings.Split(b.String(), "\n") {
		if strings.Contains(l, "::") || strings.ContainsAny(l, "\r\u202e") {
			t.Errorf("line %q carries a workflow command or control", l)
		}
	}
}
