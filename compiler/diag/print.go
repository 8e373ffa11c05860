package diag

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"strings"
	"unicode/utf8"
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
		for i, n := range d.Notes {
			if i == TextNotes && len(d.Notes) > TextNotes+1 {
				fmt.Fprintf(&b, "  note: and %d more (--format json lists them all)\n", len(d.Notes)-i)
				break
			}
			fmt.Fprintf(&b, "  note: %s: %s\n", Printable(n.Pos.String()), Printable(n.Message))
		}
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// TextNotes is how many notes of one diagnostic the text printer shows;
// JSON and SARIF keep them all.
const TextNotes = 10

// expandTabs shows tabs as four spaces so the caret lines up.
func expandTabs(s string) string { return strings.ReplaceAll(s, "\t", "    ") }

// caretIndent returns the spaces that put a caret under the 1-based column
// col of line, where col counts characters (as yaml.v3 does), as the line
// is printed: tabs expanded and escaped characters as wide as their escape.
func caretIndent(line string, col int) string {
	n, cut := 0, len(line)
	for i := range line {
		if n == col-1 {
			cut = i
			break
		}
		n++
	}
	width := utf8.RuneCountInString(Printable(expandTabs(line[:cut])))
	return strings.Repeat(" ", width+max(0, col-1-n)) // past the end: as many as asked
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

// WriteJSON prints diagnostics as one indented JSON document. encoding/json
// escapes C0 controls; C1 controls and bidirectional formatting characters,
// which it leaves raw, are written as \u escapes too (they can only occur
// inside strings, so the document means the same), in case it is read on
// a terminal.
func WriteJSON(w io.Writer, l List) error {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetIndent("", "  ")
	if err := enc.Encode(NewJSONReport(l)); err != nil {
		return err
	}
	out := b.String()
	if strings.IndexFunc(out, jsonRaw) >= 0 {
		var e strings.Builder
		for _, r := range out {
			if jsonRaw(r) {
				fmt.Fprintf(&e, `\u%04x`, r)
			} else {
				e.WriteRune(r)
			}
		}
		out = e.String()
	}
	_, err := io.WriteString(w, out)
	return err
}

func jsonRaw(r rune) bool { return r >= 0x80 && r < 0xa0 || isBidi(r) }

// GitHubOptions configure WriteGitHub.
type GitHubOptions struct {
	// Prefix is the workspace's directory relative to the top level of the
	// git repository, "" or ending in "/": GitHub matches annotations to a
	// pull request's files by their path from the top level.
	Prefix string
	// Limit is the most annotations of each severity written; 0 means
	// GitHubLimit. The summary annotation says how many were left out.
	Limit int
}

// GitHubLimit is how many annotations of one severity WriteGitHub writes
// by default: GitHub shows only the first few of a step anyway.
const GitHubLimit = 50

// WriteGitHub prints diagnostics as GitHub Actions workflow commands, which
// GitHub shows as annotations on the pull request's changed lines: at most
// Limit of each severity, then one summary annotation (an error when there
// are errors, else a notice) with the totals.
func WriteGitHub(w io.Writer, l List, o GitHubOptions) error {
	limit := o.Limit
	if limit <= 0 {
		limit = GitHubLimit
	}
	var b strings.Builder
	written := map[Severity]int{}
	left := 0
	for _, d := range l {
		if written[d.Severity] == limit {
			left++
			continue
		}
		written[d.Severity]++
		level := "warning"
		if d.Severity == Error {
			level = "error"
		}
		msg := d.Message
		if d.Hint != "" {
			msg += "\n" + d.Hint
		}
		if d.Pos.IsValid() {
			fmt.Fprintf(&b, "::%s file=%s", level, GitHubProperty(o.Prefix+strings.TrimPrefix(d.Pos.File, "./")))
			if d.Pos.Line > 0 {
				fmt.Fprintf(&b, ",line=%d", d.Pos.Line)
				if d.Pos.Col > 0 {
					fmt.Fprintf(&b, ",col=%d", d.Pos.Col)
				}
			}
			b.WriteString(",")
		} else {
			fmt.Fprintf(&b, "::%s ", level)
		}
		fmt.Fprintf(&b, "title=%s::%s\n", GitHubProperty("charter "+string(d.Code)), GitHubData(msg))
	}
	level := "notice"
	if l.HasErrors() {
		level = "error"
	}
	summary := "charter: " + l.Summary()
	if left > 0 {
		summary += fmt.Sprintf(" (%d not annotated: at most %d of each severity are; the log lists them all)", left, limit)
	}
	fmt.Fprintf(&b, "::%s title=%s::%s\n", level, GitHubProperty("charter summary"), GitHubData(summary))
	_, err := io.WriteString(w, b.String())
	return err
}

// GitHubError is a usage error as a GitHub annotation.
func GitHubError(msg string) string {
	return fmt.Sprintf("::error title=%s::%s\n", GitHubProperty("charter"), GitHubData(msg))
}
