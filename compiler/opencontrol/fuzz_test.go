package opencontrol_test

import (
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/charter-compliance/charter/compiler/diag"
	"github.com/charter-compliance/charter/compiler/model"
	"github.com/charter-compliance/charter/compiler/opencontrol"
)

// seeds adds every file under the given directories (relative to the
// repository root) whose name matches one of the patterns: the bad-input
// fixtures and the reference program's own files.
func seeds(f *testing.F, patterns []string, dirs ...string) {
	f.Helper()
	n := 0
	for _, dir := range dirs {
		root := filepath.Join("..", "..", filepath.FromSlash(dir))
		err := filepath.WalkDir(root, func(p string, d os.DirEntry, err error) error {
			if err != nil || d.IsDir() || d.Type()&os.ModeSymlink != 0 {
				return err
			}
			for _, pat := range patterns {
				if ok, _ := filepath.Match(pat, d.Name()); ok {
					text, err := os.ReadFile(p)
					if err != nil {
						return err
					}
					f.Add(text)
					n++
					break
				}
			}
			return nil
		})
		if err != nil {
			f.Fatal(err)
		}
	}
	if n < 10 {
		f.Fatalf("only %d seeds found", n)
	}
}

// checkDiags asserts what the fuzzers promise: every diagnostic names the
// file, a line and column inside it (or the whole file), a known code, a
// message, and the text of the line it names.
func checkDiags(t *testing.T, rel string, text []byte, l diag.List) {
	t.Helper()
	lines := lineBreak.Split(string(text), -1)
	for _, d := range l {
		if d.Pos.File != rel {
			t.Errorf("%s: file %q, want %q", d, d.Pos.File, rel)
		}
		if d.Pos.Line < 0 || d.Pos.Col < 0 || (d.Pos.Line == 0 && d.Pos.Col != 0) {
			t.Errorf("%s: position %+v", d, d.Pos)
		}
		if _, ok := diag.Description[d.Code]; !ok {
			t.Errorf("%s: unknown code", d)
		}
		if d.Severity != diag.Error && d.Severity != diag.Warning {
			t.Errorf("%s: severity %d", d, d.Severity)
		}
		if strings.TrimSpace(d.Message) == "" {
			t.Errorf("%s: empty message", d)
		}
		if d.Pos.Line > len(lines) {
			t.Errorf("%s: line past the end (%d lines)", d, len(lines))
			continue
		}
		if d.Pos.Line > 0 {
			line := lines[d.Pos.Line-1]
			if n := utf8.RuneCountInString(line); d.Pos.Col > n+1 { // an invalid byte counts as one
				t.Errorf("%s: column past the end of the line (%d characters)", d, n)
			}
			if want := cut(line); d.Source != want {
				t.Errorf("%s: source %q, want %q", d, d.Source, want)
			}
		}
		for _, n := range d.Notes {
			if n.Pos.File != rel || n.Pos.Line < 0 || n.Pos.Line > len(lines) {
				t.Errorf("%s: note at %+v", d, n.Pos)
			}
		}
	}
}

// lineBreak matches what yaml.v3 counts as a line break (and diag.Source
// with it): LF, CRLF, a lone CR, NEL, LS and PS.
var lineBreak = regexp.MustCompile("\r\n|[\r\n\u0085\u2028\u2029]")

// cut is what diag.Source shows of a line: its first 240 bytes, with
// bytes that are not UTF-8 shown as U+FFFD.
func cut(line string) string {
	if len(line) > 240 {
		line = line[:240]
	}
	return strings.ToValidUTF8(line, "\uFFFD")
}

func same(t *testing.T, what string, a, b any) {
	t.Helper()
	ja, _ := json.Marshal(a)
	jb, _ := json.Marshal(b)
	if string(ja) != string(jb) {
		t.Errorf("%s differs between two decodes of the same input", what)
	}
}

func FuzzDecodeComponent(f *testing.F) {
	seeds(f, []string{"component.yaml"}, "testdata/bad", "components")
	f.Fuzz(func(t *testing.T, text []byte) {
		const rel = "components/web/component.yaml"
		c, l := opencontrol.DecodeComponent(rel, "components/web", text)
		checkDiags(t, rel, text, l)
		_, l2 := opencontrol.DecodeComponent(rel, "components/web", text)
		same(t, "diagnostics", l, l2)
		if c == nil {
			if !l.HasErrors() {
				t.Errorf("no component and no error: %v", l)
			}
			return
		}
		if c.Key == "" || c.File != rel || c.Dir != "components/web" {
			t.Errorf("component key %q, file %q, dir %q", c.Key, c.File, c.Dir)
		}
		if !slices.Contains(opencontrol.ComponentVersions, c.SchemaVersion) {
			t.Errorf("schema version %q", c.SchemaVersion)
		}
		for _, s := range c.Satisfies {
			if strings.TrimSpace(s.StandardKey) == "" || strings.TrimSpace(s.ControlKey) == "" || s.Component != c.Key {
				t.Errorf("satisfaction %+v", s)
			}
			for _, st := range s.Statuses {
				if st.Raw == "" {
					t.Errorf("empty status kept in %s %s", s.StandardKey, s.ControlKey)
				}
			}
			_ = s.Verdict()
		}
	})
}

func FuzzDecodeStandard(f *testing.F) {
	seeds(f, []string{"*.yaml"}, "testdata/bad", "standards")
	f.Fuzz(func(t *testing.T, text []byte) {
		const rel = "standards/x.yaml"
		s, l := opencontrol.DecodeStandard(rel, text)
		checkDiags(t, rel, text, l)
		_, l2 := opencontrol.DecodeStandard(rel, text)
		same(t, "diagnostics", l, l2)
		if s == nil {
			if !l.HasErrors() {
				t.Errorf("no standard and no error: %v", l)
			}
			return
		}
		if strings.TrimSpace(s.Name) == "" && !l.HasErrors() {
			t.Error("a nameless standard without an error")
		}
		for i, c := range s.Controls {
			if c.Standard != s.Name {
				t.Errorf("control %q of %q says standard %q", c.ID, s.Name, c.Standard)
			}
			if i > 0 && model.CompareIDs(s.Controls[i-1].ID, c.ID) > 0 {
				t.Errorf("controls out of order: %q before %q", s.Controls[i-1].ID, c.ID)
			}
		}
	})
}

func FuzzDecodeDocument(f *testing.F) {
	seeds(f, []string{"*.md"}, "testdata/bad", "templates")
	f.Fuzz(func(t *testing.T, text []byte) {
		const rel = "templates/x.md"
		d, l := opencontrol.DecodeDocument(rel, text)
		checkDiags(t, rel, text, l)
		_, l2 := opencontrol.DecodeDocument(rel, text)
		same(t, "diagnostics", l, l2)
		if d == nil {
			if !l.HasErrors() {
				t.Errorf("no document and no error: %v", l)
			}
			return
		}
		if strings.TrimSpace(d.ID) == "" {
			t.Error("a document without an id")
		}
		if d.BodyLine < 2 || !strings.HasSuffix(string(text), d.Body) {
			t.Errorf("body starts on line %d and is not the end of the file", d.BodyLine)
		}
		for key, p := range d.FieldPos {
			if p.File != rel || p.Line < 1 {
				t.Errorf("field %s at %+v", key, p)
			}
		}
	})
}
