package diag

import (
	"bytes"
	"fmt"
	"strings"
	"unicode/utf8"
)

// Source is the text of one file, used to attach the offending line to a
// diagnostic. It is safe to use from one goroutine at a time.
type Source struct {
	Path  string
	Text  []byte
	lines []int // offsets of line starts, built on first use
}

// NewSource wraps a file's contents.
func NewSource(path string, text []byte) *Source { return &Source{Path: path, Text: text} }

// Line returns the text of the 1-based line n without its line ending, or ""
// when n is out of range. Long lines are cut so a printer stays readable.
func (s *Source) Line(n int) string {
	if s == nil || n < 1 {
		return ""
	}
	if s.lines == nil {
		s.lines = append(s.lines, 0)
		for i, b := range s.Text {
			if b == '\n' {
				s.lines = append(s.lines, i+1)
			}
		}
	}
	if n > len(s.lines) {
		return ""
	}
	start := s.lines[n-1]
	end := len(s.Text)
	if n < len(s.lines) {
		end = s.lines[n] - 1
	}
	line := bytes.TrimRight(s.Text[start:end], "\r")
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
