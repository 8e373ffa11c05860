package diag

import (
	"fmt"
	"strings"
)

// Text from the repository (file names, messages quoting it, source lines,
// names of components and controls) must reach a terminal or a CI log as
// text: never as a cursor movement, a window title, a line overwritten by a
// carriage return, text reordered by a bidirectional override, or a GitHub
// workflow command (a log line starting with "::"). These are the two
// escapers for it, one per kind of output; every printer calls them.

// Printable makes one field of text safe for a terminal: control
// characters (C0 but tab, including newline, carriage return and escape;
// DEL; C1) and bidirectional formatting characters are shown as \xNN or
// \uNNNN escapes, and "::" as ":\x3a", so a field cannot start a line, let
// alone a workflow command.
func Printable(s string) string { return terminal(s, false) }

// PrintableText is Printable for a whole block of text, whose newlines are
// the printer's own and stay.
func PrintableText(s string) string { return terminal(s, true) }

func terminal(s string, keepNewlines bool) string {
	i := strings.IndexFunc(s, func(r rune) bool { _, esc := escapeRune(r, keepNewlines); return esc })
	j := strings.Index(s, "::")
	if i < 0 && j < 0 {
		return s
	}
	var b strings.Builder
	b.Grow(len(s) + 16)
	prevColon := false
	for _, r := range s {
		if r == ':' && prevColon {
			b.WriteString(`\x3a`)
			prevColon = false
			continue
		}
		prevColon = r == ':'
		if e, esc := escapeRune(r, keepNewlines); esc {
			b.WriteString(e)
			continue
		}
		b.WriteRune(r)
	}
	return b.String()
}

// escapeRune returns the visible escape of r if r must not reach a
// terminal as it is.
func escapeRune(r rune, keepNewline bool) (string, bool) {
	switch {
	case r == '\t', r == '\n' && keepNewline:
		return "", false
	case r == '\n':
		return `\n`, true
	case r == '\r':
		return `\r`, true
	case r < 0x20 || r == 0x7f:
		return fmt.Sprintf(`\x%02x`, r), true
	case r >= 0x80 && r < 0xa0, isBidi(r):
		return fmt.Sprintf(`\u%04x`, r), true
	}
	return "", false
}

// isBidi reports the characters that change the display order of the text
// around them: the embeddings, overrides and isolates (U+202A to U+202E,
// U+2066 to U+2069) and the marks (U+200E, U+200F, U+061C).
func isBidi(r rune) bool {
	return r >= 0x202a && r <= 0x202e || r >= 0x2066 && r <= 0x2069 || r == 0x200e || r == 0x200f || r == 0x061c
}

// GitHubData escapes the message of a GitHub workflow command: as GitHub
// documents, '%', CR and LF are percent-encoded (a multi-line message stays
// one command); other control and bidirectional characters are shown as
// escapes, as on a terminal.
func GitHubData(s string) string { return github(s, false) }

// GitHubProperty escapes a workflow command's property value (file=,
// title=): GitHubData's escapes, and ':' and ',' percent-encoded too.
func GitHubProperty(s string) string { return github(s, true) }

func github(s string, property bool) string {
	var b strings.Builder
	b.Grow(len(s) + 8)
	for _, r := range s {
		switch {
		case r == '%':
			b.WriteString("%25")
		case r == '\r':
			b.WriteString("%0D")
		case r == '\n':
			b.WriteString("%0A")
		case property && r == ':':
			b.WriteString("%3A")
		case property && r == ',':
			b.WriteString("%2C")
		default:
			if e, esc := escapeRune(r, false); esc {
				b.WriteString(e)
			} else {
				b.WriteRune(r)
			}
		}
	}
	return b.String()
}
