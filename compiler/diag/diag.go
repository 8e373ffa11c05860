// Package diag defines charter's diagnostics: a severity, a stable code, a
// message, a position in a source file, and a hint. Every problem charter
// finds in a repository becomes a Diagnostic; nothing in the pipeline prints
// or exits on its own.
package diag

import (
	"cmp"
	"fmt"
	"slices"
)

// Pos is a position in a source file. Line and Col are 1-based; a zero Line
// means the position names the whole file.
type Pos struct {
	File string `json:"file"`
	Line int    `json:"line,omitempty"`
	Col  int    `json:"column,omitempty"`
}

func (p Pos) String() string {
	switch {
	case p.File == "":
		return "<command line>"
	case p.Line == 0:
		return p.File
	case p.Col == 0:
		return fmt.Sprintf("%s:%d", p.File, p.Line)
	}
	return fmt.Sprintf("%s:%d:%d", p.File, p.Line, p.Col)
}

// IsValid reports whether the position names a file.
func (p Pos) IsValid() bool { return p.File != "" }

// Compare orders positions by file, line and column.
func (p Pos) Compare(q Pos) int {
	if c := cmp.Compare(p.File, q.File); c != 0 {
		return c
	}
	if c := cmp.Compare(p.Line, q.Line); c != 0 {
		return c
	}
	return cmp.Compare(p.Col, q.Col)
}

// Severity says how bad a diagnostic is.
type Severity int

const (
	Warning Severity = iota + 1
	Error
	// Off is the severity charter.yaml's diagnostics: gives a code that is
	// not to be reported; Reclassify drops such diagnostics.
	Off Severity = -1
)

func (s Severity) String() string {
	switch s {
	case Error:
		return "error"
	case Off:
		return "off"
	}
	return "warning"
}

// ParseSeverity reads "error", "warning" or "off".
func ParseSeverity(s string) (Severity, bool) {
	switch s {
	case "error":
		return Error, true
	case "warning":
		return Warning, true
	case "off":
		return Off, true
	}
	return 0, false
}

// MarshalText lets Severity print as a word in JSON.
func (s Severity) MarshalText() ([]byte, error) { return []byte(s.String()), nil }

// Note points at a second place that explains the first, such as the earlier
// definition of a duplicate.
type Note struct {
	Pos     Pos    `json:"position"`
	Message string `json:"message"`
}

// Diagnostic is one problem found in the input.
type Diagnostic struct {
	Severity Severity `json:"severity"`
	Code     Code     `json:"code"`
	Message  string   `json:"message"`
	Pos      Pos      `json:"position"`
	// Source is the text of the line Pos names, without its newline, so a
	// printer can show it with a caret under the column.
	Source string `json:"source,omitempty"`
	Hint   string `json:"hint,omitempty"`
	Notes  []Note `json:"notes,omitempty"`
	// Dependency marks a finding in a fetched dependency's files (see
	// MarkDependencies): reported apart, and not failing a check unless
	// charter.yaml says so.
	Dependency bool `json:"dependency,omitempty"`
}

func (d Diagnostic) String() string {
	return fmt.Sprintf("%s: %s[%s]: %s", d.Pos, d.Severity, d.Code, d.Message)
}

// List is a collection of diagnostics.
type List []Diagnostic

// Sort orders diagnostics by position, then code, then message, so output
// never depends on the order in which parallel work finished.
func (l List) Sort() {
	slices.SortStableFunc(l, func(a, b Diagnostic) int {
		if c := a.Pos.Compare(b.Pos); c != 0 {
			return c
		}
		if c := cmp.Compare(a.Code, b.Code); c != 0 {
			return c
		}
		return cmp.Compare(a.Message, b.Message)
	})
}

// Count returns the number of errors and warnings.
func (l List) Count() (errors, warnings int) {
	for _, d := range l {
		if d.Severity == Error {
			errors++
		} else {
			warnings++
		}
	}
	return
}

// HasErrors reports whether any diagnostic is an error.
func (l List) HasErrors() bool {
	e, _ := l.Count()
	return e > 0
}

// Failing counts the errors that fail a run: every error of the
// repository's own files, and those of dependencies when withDeps.
func (l List) Failing(withDeps bool) int {
	n := 0
	for _, d := range l {
		if d.Severity == Error && (withDeps || !d.Dependency) {
			n++
		}
	}
	return n
}

// Promote returns a copy of l in which warnings with the given codes become
// errors (used by --strict).
func (l List) Promote(codes ...Code) List {
	out := slices.Clone(l)
	for i := range out {
		if out[i].Severity == Warning && slices.Contains(codes, out[i].Code) {
			out[i].Severity = Error
		}
	}
	return out
}
