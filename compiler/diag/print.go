package diag

import (
	"encoding/json"
	"fmt"
	"io"
	"strings"
)

// TextOptions controls the human printer.
type TextOptions struct {
	Color bool // ANSI colour; callers enable it only on a terminal
}

const (
	ansiReset  = "\x1b[0m"
	ansiBold   = "\x1b[1m"
	ansiRed    = "\x1b[1;31m"
	ansiYellow = "\x1b[1;33m"
	ansiGreen  = "\x1b[32m"
	ansiCyan   = "\x1b[36m"
)

// WriteText prints diagnostics the way compilers do:
//
//	components/github/component.yaml:14:5: error[OC104]: unknown key "x"; did you mean "y"?
//	   14 |     implementation_statuss: [complete]
//	      |     ^
//	  hint: ...
func WriteText(w io.Writer, l List, o TextOptions) error {
	paint := func(code, s string) string {
		if !o.Color {
			return s
		}
		return code + s + ansiReset
	}
	var b strings.Builder
	for _, d := range l {
		sev := paint(ansiYellow, d.Severity.String())
		if d.Severity == Error {
			sev = paint(ansiRed, d.Severity.String())
		}
		fmt.Fprintf(&b, "%s: %s[%s]: %s\n", paint(ansiBold, Printable(d.Pos.String())), sev, d.Code, Printable(d.Message))
		if d.Source != "" && d.Pos.Line > 0 {
			num := fmt.Sprintf("%d", d.Pos.Line)
			pad := strings.Repeat(" ", len(num))
			fmt.Fprintf(&b, " %s | %s\n", num, Printable(expandTabs(d.Source)))
			if d.Pos.Col > 0 {
				fmt.Fprintf(&b, " %s | %s%s\n", pad, caretIndent(d.Source, d.Pos.Col), paint(ansiGreen, "^"))
			}
		}
		if d.Hint != "" {
			fmt.Fprintf(&b, "  %s %s\n", paint(ansiCyan, "hint:"), Printable(d.Hint))
		}
		for _, n := range d.Notes {
			fmt.Fprintf(&b, "  note: %s: %s\n", Printable(n.Pos.String()), Printable(n.Message))
		}
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// expandTabs shows tabs as four spaces so the caret lines up.
func expandTabs(s string) string { return strings.ReplaceAll(s, "\t", "    ") }

// caretIndent returns the spaces that put a caret under the 1-based column
// col of line, where col counts characters (as yaml.v3 does).
func caretIndent(line string, col int) string {
	var b strings.Builder
	i := 1
	for _, r := range line {
		if i >= col {
			break
		}
		if r == '\t' {
			b.WriteString("    ")
		} else {
			b.WriteByte(' ') // U+FFFD too: Source shows bad bytes as one
		}
		i++
	}
	for ; i < col; i++ {
		b.WriteByte(' ')
	}
	return b.String()
}

// JSONReport is the machine-readable form of a run's diagnostics.
type JSONReport struct {
	Diagnostics List `json:"diagnostics"`
	Errors      int  `json:"errors"`
	Warnings    int  `json:"warnings"`
}

// NewJSONReport counts l into a report.
func NewJSONReport(l List) JSONReport {
	e, w := l.Count()
	if l == nil {
		l = List{}
	}
	return JSONReport{Diagnostics: l, Errors: e, Warnings: w}
}

// WriteJSON prints diagnostics as one indented JSON document.
func WriteJSON(w io.Writer, l List) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(NewJSONReport(l))
}

// WriteGitHub prints diagnostics as GitHub Actions workflow commands, which
// GitHub shows as annotations on the pull request's changed lines.
func WriteGitHub(w io.Writer, l List) error {
	var b strings.Builder
	for _, d := range l {
		level := "warning"
		if d.Severity == Error {
			level = "error"
		}
		msg := d.Message
		if d.Hint != "" {
			msg += "\n" + d.Hint
		}
		fmt.Fprintf(&b, "::%s file=%s", level, ghProperty(d.Pos.File))
		if d.Pos.Line > 0 {
			fmt.Fprintf(&b, ",line=%d", d.Pos.Line)
			if d.Pos.Col > 0 {
				fmt.Fprintf(&b, ",col=%d", d.Pos.Col)
			}
		}
		fmt.Fprintf(&b, ",title=%s::%s\n", ghProperty("charter "+string(d.Code)), ghData(msg))
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// ghData escapes a workflow command's message.
func ghData(s string) string {
	return strings.NewReplacer("%", "%25", "\r", "%0D", "\n", "%0A").Replace(s)
}

// ghProperty escapes a workflow command's property value.
func ghProperty(s string) string {
	return strings.NewReplacer("%", "%25", "\r", "%0D", "\n", "%0A", ":", "%3A", ",", "%2C").Replace(s)
}

// Printable makes text from a repository safe for a terminal: control
// characters other than tab and newline (which could move the cursor,
// retitle the window or clear the screen) are shown as \xNN escapes, and
// C1 controls as \u escapes.
func Printable(s string) string {
	clean := true
	for _, r := range s {
		if isControl(r) {
			clean = false
			break
		}
	}
	if clean {
		return s
	}
	var b strings.Builder
	for _, r := range s {
		if isControl(r) {
			if r < 0x80 {
				fmt.Fprintf(&b, `\x%02x`, r)
			} else {
				fmt.Fprintf(&b, `\u%04x`, r)
			}
			continue
		}
		b.WriteRune(r)
	}
	return b.String()
}

func isControl(r rune) bool {
	return (r < 0x20 && r != '\t' && r != '\n') || r == 0x7f || (r >= 0x80 && r < 0xa0)
}
