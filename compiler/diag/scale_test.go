package diag

import (
	"bytes"
	"strings"
	"testing"
)

func TestSummaryOrder(t *testing.T) {
	l := List{
		{Severity: Warning, Code: CodeUnknownKey}, {Severity: Error, Code: CodeUnknownStandard}, {Severity: Warning, Code: CodeUnknownKey},
		{Severity: Error, Code: CodeCertStandard}, {Severity: Warning, Code: CodeDocReview}, {Severity: Error, Code: CodeCertStandard},
	}
	want := "3 errors, 3 warnings: OC201 ×1, OC203 ×2, OC104 ×2, OC307 ×1"
	if got := l.Summary(); got != want {
		t.Errorf("Summary() = %q, want %q", got, want)
	}
	// the order is the same whatever order the findings came in
	rev := make(List, len(l))
	for i := range l {
		rev[len(l)-1-i] = l[i]
	}
	if got := rev.Summary(); got != want {
		t.Errorf("reversed: %q", got)
	}
	if got := (List{{Severity: Error, Code: CodeValue}}).Summary(); got != "1 error, 0 warnings: OC109 ×1" {
		t.Errorf("singular: %q", got)
	}
}

func TestReclassify(t *testing.T) {
	l := List{{Severity: Warning, Code: CodeUnknownKey}, {Severity: Error, Code: CodeValue}, {Severity: Warning, Code: CodeDocReview}}
	out, off := l.Reclassify(map[Code]Severity{CodeUnknownKey: Off, CodeDocReview: Error, CodeValue: Warning})
	if off != 1 || len(out) != 2 || out[0].Code != CodeValue || out[0].Severity != Warning || out[1].Severity != Error {
		t.Errorf("Reclassify: %d off, %+v", off, out)
	}
	if l[0].Code != CodeUnknownKey || l[1].Severity != Error {
		t.Error("Reclassify changed its input")
	}
}

func TestMarkDependencies(t *testing.T) {
	l := List{{Pos: Pos{File: "opencontrols/components/x/component.yaml"}}, {Pos: Pos{File: "opencontrolsx/a.yaml"}}, {Pos: Pos{File: "components/a.yaml"}}}
	l.MarkDependencies("opencontrols")
	own, deps := l.Split()
	if len(deps) != 1 || len(own) != 2 || deps[0].Pos.File != "opencontrols/components/x/component.yaml" {
		t.Errorf("own %+v deps %+v", own, deps)
	}
	l[0].Severity, l[2].Severity = Error, Error
	if l.Failing(false) != 1 || l.Failing(true) != 2 {
		t.Errorf("Failing: %d without, %d with dependencies", l.Failing(false), l.Failing(true))
	}
}

// A baseline suppresses the findings it holds even after their lines
// moved, and nothing else; it is written sorted and the same every time.
func TestBaseline(t *testing.T) {
	a := Diagnostic{Severity: Warning, Code: CodeUnknownKey, Message: `unknown key "x"`, Pos: Pos{File: "b.yaml", Line: 3, Col: 1}, Source: "x: 1"}
	b := Diagnostic{Severity: Error, Code: CodeUnknownStandard, Message: `names standard "Q"`, Pos: Pos{File: "a.yaml", Line: 8, Col: 3}, Source: "  standard_key: Q"}
	base := NewBaseline(List{a, b}, "")
	var w1, w2 bytes.Buffer
	if err := base.Write(&w1); err != nil {
		t.Fatal(err)
	}
	_ = NewBaseline(List{b, a}, "").Write(&w2)
	if w1.String() != w2.String() {
		t.Errorf("baseline depends on the findings' order:\n%s\n%s", w1.String(), w2.String())
	}
	if strings.Index(w1.String(), "a.yaml") > strings.Index(w1.String(), "b.yaml") {
		t.Errorf("baseline not sorted by file:\n%s", w1.String())
	}
	read, err := ReadBaseline("base.json", w1.Bytes())
	if err != nil {
		t.Fatal(err)
	}
	movedA, movedB := a, b
	movedA.Pos.Line, movedB.Pos.Line = 30, 80
	fresh := Diagnostic{Severity: Error, Code: CodeUnknownStandard, Message: `names standard "R"`, Pos: Pos{File: "a.yaml", Line: 9, Col: 3}, Source: "  standard_key: R"}
	again := a // the same finding a second time in its file is new
	again.Pos.Line = 40
	left, n := read.Filter(List{movedB, fresh, movedA, again}, "")
	if n != 2 || len(left) != 2 || left[0].Message != fresh.Message || left[1].Pos.Line != 40 {
		t.Errorf("Filter kept %+v, suppressed %d", left, n)
	}
	if _, err := ReadBaseline("x.json", []byte(`{"version": 9, "findings": []}`)); err == nil || !strings.Contains(err.Error(), "version 9") {
		t.Errorf("a future baseline was read: %v", err)
	}
	if _, err := ReadBaseline("x.json", []byte(`[1]`)); err == nil || !strings.Contains(err.Error(), "x.json is not a charter baseline") {
		t.Errorf("a non-baseline was read: %v", err)
	}
}

// The text printer shows the first notes of a collapsed cascade and says
// how many more there are.
func TestWriteTextCapsNotes(t *testing.T) {
	d := Diagnostic{Severity: Error, Code: CodeUnknownStandard, Message: "m", Pos: Pos{File: "a.yaml", Line: 1}}
	for i := range 49 {
		d.Notes = append(d.Notes, Note{Pos: Pos{File: "a.yaml", Line: i + 2}, Message: "also used here"})
	}
	var b strings.Builder
	_ = WriteText(&b, List{d}, TextOptions{})
	if n := strings.Count(b.String(), "note: a.yaml:"); n != TextNotes {
		t.Errorf("%d notes printed, want %d:\n%s", n, TextNotes, b.String())
	}
	if !strings.Contains(b.String(), "note: and 39 more (--format json lists them all)") {
		t.Errorf("no count of the rest:\n%s", b.String())
	}
}
