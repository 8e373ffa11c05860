package diag

import (
	"fmt"
	"strings"
	"unicode/utf8"
)

// Source is the text of one file, used to attach the offending line to a
// diagnostic. It is safe to use from one goroutine at a time.
type Source struct {
	Path   string
	Text   []byte
	starts []int // offsets of line starts, built on first use
	ends   []int // offsets of line ends (where each line's break begins)
}

// BreakAt returns the length of the line break that starts at text[i], or
// 0. Lines break where yaml.v3 (after libyaml) breaks them: at LF, CRLF and
// a lone CR, and at NEL (U+0085), LS (U+2028) and PS (U+2029), so that the
// line a YAML position names is the line Source shows.
func BreakAt(text []byte, i int) int {
	switch text[i] {
	case '\n':
		return 1
	case '\r':
		if i+1 < len(text) && text[i+1] == '\n' {
			return 2
		}
		return 1
	case 0xC2: // NEL
		if i+1 < len(text) && text[i+1] == 0x85 {
			return 2
		}
	case 0xE2: // LS, PS
		if i+2 < len(text) && text[i+1] == 0x80 && (text[i+2] == 0xA8 || text[i+2] == 0xA9) {
			return 3
		}
	}
	return 0
}

// NewSource wraps a file's contents.
func NewSource(path string, text []byte) *Source { return &Source{Path: path, Text: text} }

// Line returns the text of the 1-based line n without its line ending, or ""
// when n is out of range. Long lines are cut so a printer stays readable.
func (s *Source) Line(n int) string {
	if s == nil || n < 1 {
		return ""
	}
	if s.starts == nil {
		s.starts = append(s.starts, 0)
		for i := 0; i < len(s.Text); {
			if w := BreakAt(s.Text, i); w > 0 {
				s.ends = append(s.ends, i)
				i += w
				s.starts = append(s.starts, i)
				continue
			}
			i++
		}
		s.ends = append(s.ends, len(s.Text))
	}
	if n > len(s.starts) {
		return ""
	}
	line := s.Text[s.starts[n-1]:s.ends[n-1]]
	const max = 240
	if len(line) > max {
		line = line[:max]
	}
	if !utf8.Valid(line) {
		return strings.ToValidUTF8(string(line), "\uFFFD")
	}
	return string(line)
}

// Pos returns a position in this file.
func (s *Source) Pos(line, col int) Pos { return Pos{File: s.Path, Line: line, Col: col} }

// Bag collects the diagnostics of one file.
type Bag struct {
	Src  *Source
	List List
}

// Add records a diagnostic at line:col of the bag's file and returns it for
// further decoration (hint, notes).
func (b *Bag) Add(sev Severity, code Code, line, col int, format string, args ...any) *Diagnostic {
	b.List = append(b.List, Diagnostic{
		Severity: sev,
		Code:     code,
		Message:  fmt.Sprintf(format, args...),
		Pos:      b.Src.Pos(line, col),
		Source:   b.Src.Line(line),
	})
	return &b.List[len(b.List)-1]
}

// Errorf records an error.
func (b *Bag) Errorf(code Code, line, col int, format string, args ...any) *Diagnostic {
	return b.Add(Error, code, line, col, format, args...)
}

// Warnf records a warning.
func (b *Bag) Warnf(code Code, line, col int, format string, args ...any) *Diagnostic {
	return b.Add(Warning, code, line, col, format, args...)
}
