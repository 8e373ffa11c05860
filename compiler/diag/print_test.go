package diag_test

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"

	"github.com/charter-compliance/charter/compiler/diag"
)

// sample holds one diagnostic of each shape the printer distinguishes:
// a caret after a tab, a caret after multi-byte text, a whole-file
// position, a line without a column, and hints and notes.
func sample() diag.List {
	return diag.List{
		{
			Severity: diag.Warning, Code: diag.CodeUnknownKey,
			Message: `unknown key "implementation_statuss" in a satisfaction; did you mean "implementation_status"?`,
			Pos:     diag.Pos{File: "components/github/component.yaml", Line: 14, Col: 5},
			Source:  "    implementation_statuss: [complete]",
			Hint:    `rename it to "implementation_status"; charter ignores keys it does not know`,
		},
		{
			Severity: diag.Error, Code: diag.CodeTab,
			Message: "tab character used for indentation",
			Pos:     diag.Pos{File: "c.yaml", Line: 4, Col: 3},
			Source:  "\t\t- key: a",
		},
		{
			Severity: diag.Error, Code: diag.CodeEncoding,
			Message: "file is not valid UTF-8",
			Pos:     diag.Pos{File: "d.yaml", Line: 2, Col: 13},
			Source:  "name: Café \uFFFD x",
		},
		{
			Severity: diag.Error, Code: diag.CodeDupStandard,
			Message: `standard name "DEMO" is defined twice; only the first is used`,
			Pos:     diag.Pos{File: "standards/b.yaml", Line: 1, Col: 7},
			Source:  "name: DEMO",
			Notes:   []diag.Note{{Pos: diag.Pos{File: "standards/a.yaml", Line: 1, Col: 7}, Message: "first defined here"}},
		},
		{
			Severity: diag.Error, Code: diag.CodeEmpty,
			Message: "file is empty: it holds no YAML document",
			Pos:     diag.Pos{File: "components/web/component.yaml"},
			Hint:    "add the file's content, or remove it from opencontrol.yaml",
		},
		{
			Severity: diag.Error, Code: diag.CodeMissing,
			Message: "no column",
			Pos:     diag.Pos{File: "e.yaml", Line: 120},
			Source:  "x: y",
		},
	}
}

func TestWriteTextPlain(t *testing.T) {
	var b bytes.Buffer
	if err := diag.WriteText(&b, sample(), diag.TextOptions{}); err != nil {
		t.Fatal(err)
	}
	want := `components/github/component.yaml:14:5: warning[OC104]: unknown key "implementation_statuss" in a satisfaction; did you mean "implementation_status"?
 14 |     implementation_statuss: [complete]
    |     ^
  hint: rename it to "implementation_status"; charter ignores keys it does not know
c.yaml:4:3: error[OC008]: tab character used for indentation
 4 |         - key: a
   |         ^
d.yaml:2:13: error[OC003]: file is not valid UTF-8
 2 | name: Café ` + "\uFFFD" + ` x
   |             ^
standards/b.yaml:1:7: error[OC208]: standard name "DEMO" is defined twice; only the first is used
 1 | name: DEMO
   |       ^
  note: standards/a.yaml:1:7: first defined here
components/web/component.yaml: error[OC006]: file is empty: it holds no YAML document
  hint: add the file's content, or remove it from opencontrol.yaml
e.yaml:120: error[OC101]: no column
 120 | x: y
`
	if got := b.String(); got != want {
		t.Errorf("text output differs\n--- got\n%s--- want\n%s", got, want)
	}
	if strings.Contains(b.String(), "\x1b") {
		t.Error("plain output contains an escape sequence")
	}
}

// The caret sits under the column's character whatever precedes it: tabs
// (shown as four spaces), multi-byte runes and replacement characters
// each count as the one column yaml.v3 counts them as.
func TestCaretColumn(t *testing.T) {
	for _, tc := range []struct {
		source string
		col    int
		shown  string // the source line as printed
		under  string // the character the caret must sit under
	}{
		{"abc", 1, "abc", "a"},
		{"abc", 3, "abc", "c"},
		{"\tkey: v", 2, "    key: v", "k"},
		{"  \t key: v", 5, "       key: v", "k"},
		{"é: ü", 4, "é: ü", "ü"},
		{"日本: x", 5, "日本: x", "x"},
		{"a\uFFFDb", 3, "a\uFFFDb", "b"},
		{"ab", 5, "ab", ""}, // past the end: the caret still moves right
	} {
		var b bytes.Buffer
		d := diag.Diagnostic{Severity: diag.Error, Code: diag.CodeSyntax, Message: "m", Pos: diag.Pos{File: "f", Line: 1, Col: tc.col}, Source: tc.source}
		if err := diag.WriteText(&b, diag.List{d}, diag.TextOptions{}); err != nil {
			t.Fatal(err)
		}
		lines := strings.Split(b.String(), "\n")
		if len(lines) != 4 {
			t.Fatalf("%q: want 3 lines, got %q", tc.source, b.String())
		}
		src, caret := strings.TrimPrefix(lines[1], " 1 | "), strings.TrimPrefix(lines[2], "   | ")
		if src != tc.shown {
			t.Errorf("%q: source shown as %q, want %q", tc.source, src, tc.shown)
		}
		indent := strings.TrimSuffix(caret, "^")
		if strings.Trim(indent, " ") != "" || !strings.HasSuffix(caret, "^") {
			t.Fatalf("%q: caret line %q", tc.source, caret)
		}
		runes := []rune(src)
		n := len([]rune(indent))
		got := ""
		if n < len(runes) {
			got = string(runes[n])
		}
		if got != tc.under {
			t.Errorf("%q col %d: caret under %q, want %q (caret line %q)", tc.source, tc.col, got, tc.under, caret)
		}
	}
}

func TestWriteTextColour(t *testing.T) {
	var b bytes.Buffer
	l := sample()[3:5]
	if err := diag.WriteText(&b, l, diag.TextOptions{Color: true}); err != nil {
		t.Fatal(err)
	}
	const (
		bold, red, green, cyan, reset = "\x1b[1m", "\x1b[1;31m", "\x1b[32m", "\x1b[36m", "\x1b[0m"
	)
	want := bold + "standards/b.yaml:1:7" + reset + ": " + red + "error" + reset + `[OC208]: standard name "DEMO" is defined twice; only the first is used` + "\n" +
		" 1 | name: DEMO\n" +
		"   |       " + green + "^" + reset + "\n" +
		"  note: standards/a.yaml:1:7: first defined here\n" +
		bold + "components/web/component.yaml" + reset + ": " + red + "error" + reset + "[OC006]: file is empty: it holds no YAML document\n" +
		"  " + cyan + "hint:" + reset + " add the file's content, or remove it from opencontrol.yaml\n"
	if got := b.String(); got != want {
		t.Errorf("coloured output differs\n got %q\nwant %q", got, want)
	}
	b.Reset()
	if err := diag.WriteText(&b, sample()[:1], diag.TextOptions{Color: true}); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(b.String(), "\x1b[1;33mwarning\x1b[0m[OC104]") {
		t.Errorf("warning not yellow: %q", b.String())
	}
}

func TestWriteTextEmpty(t *testing.T) {
	var b bytes.Buffer
	if err := diag.WriteText(&b, nil, diag.TextOptions{Color: true}); err != nil {
		t.Fatal(err)
	}
	if b.Len() != 0 {
		t.Errorf("no diagnostics printed %q", b.String())
	}
}

func TestWriteJSON(t *testing.T) {
	var b bytes.Buffer
	if err := diag.WriteJSON(&b, sample()[3:5]); err != nil {
		t.Fatal(err)
	}
	want := `{
  "diagnostics": [
    {
      "severity": "error",
      "code": "OC208",
      "message": "standard name \"DEMO\" is defined twice; only the first is used",
      "position": {
        "file": "standards/b.yaml",
        "line": 1,
        "column": 7
      },
      "source": "name: DEMO",
      "notes": [
        {
          "position": {
            "file": "standards/a.yaml",
            "line": 1,
            "column": 7
          },
          "message": "first defined here"
        }
      ]
    },
    {
      "severity": "error",
      "code": "OC006",
      "message": "file is empty: it holds no YAML document",
      "position": {
        "file": "components/web/component.yaml"
      },
      "hint": "add the file's content, or remove it from opencontrol.yaml"
    }
  ],
  "errors": 2,
  "warnings": 0
}
`
	if got := b.String(); got != want {
		t.Errorf("JSON differs\n--- got\n%s--- want\n%s", got, want)
	}

	// The shape a consumer decodes: counts agree with the list, and an empty
	// run still has a list, not null.
	b.Reset()
	if err := diag.WriteJSON(&b, sample()); err != nil {
		t.Fatal(err)
	}
	var rep struct {
		Diagnostics []struct {
			Severity string `json:"severity"`
			Code     string `json:"code"`
			Position struct {
				File   string `json:"file"`
				Line   int    `json:"line"`
				Column int    `json:"column"`
			} `json:"position"`
		} `json:"diagnostics"`
		Errors   int `json:"errors"`
		Warnings int `json:"warnings"`
	}
	if err := json.Unmarshal(b.Bytes(), &rep); err != nil {
		t.Fatal(err)
	}
	if len(rep.Diagnostics) != 6 || rep.Errors != 5 || rep.Warnings != 1 {
		t.Errorf("got %d diagnostics, %d errors, %d warnings; want 6, 5, 1", len(rep.Diagnostics), rep.Errors, rep.Warnings)
	}
	if d := rep.Diagnostics[0]; d.Severity != "warning" || d.Code != "OC104" || d.Position.File != "components/github/component.yaml" || d.Position.Line != 14 || d.Position.Column != 5 {
		t.Errorf("first diagnostic decoded as %+v", d)
	}
	b.Reset()
	if err := diag.WriteJSON(&b, nil); err != nil {
		t.Fatal(err)
	}
	if got, want := b.String(), "{\n  \"diagnostics\": [],\n  \"errors\": 0,\n  \"warnings\": 0\n}\n"; got != want {
		t.Errorf("empty report %q, want %q", got, want)
	}
}

func TestPosString(t *testing.T) {
	for _, tc := range []struct {
		pos  diag.Pos
		want string
	}{
		{diag.Pos{}, "<command line>"},
		{diag.Pos{File: "a.yaml"}, "a.yaml"},
		{diag.Pos{File: "a.yaml", Line: 3}, "a.yaml:3"},
		{diag.Pos{File: "a.yaml", Line: 3, Col: 9}, "a.yaml:3:9"},
	} {
		if got := tc.pos.String(); got != tc.want {
			t.Errorf("%#v.String() = %q, want %q", tc.pos, got, tc.want)
		}
	}
}

// Sorting makes output independent of the order parallel work finished in:
// by file, line, column, then code, then message.
func TestListSortCountPromote(t *testing.T) {
	l := diag.List{
		{Severity: diag.Warning, Code: diag.CodeUnknownKey, Message: "b", Pos: diag.Pos{File: "b.yaml", Line: 2, Col: 1}},
		{Severity: diag.Error, Code: diag.CodeType, Message: "z", Pos: diag.Pos{File: "a.yaml", Line: 10, Col: 1}},
		{Severity: diag.Warning, Code: diag.CodeOrigin, Message: "a", Pos: diag.Pos{File: "a.yaml", Line: 9, Col: 4}},
		{Severity: diag.Error, Code: diag.CodeMissing, Message: "y", Pos: diag.Pos{File: "a.yaml", Line: 9, Col: 4}},
		{Severity: diag.Error, Code: diag.CodeMissing, Message: "x", Pos: diag.Pos{File: "a.yaml", Line: 9, Col: 4}},
		{Severity: diag.Error, Code: diag.CodeEmpty, Message: "whole file", Pos: diag.Pos{File: "a.yaml"}},
	}
	l.Sort()
	var got []string
	for _, d := range l {
		got = append(got, d.String())
	}
	want := []string{
		"a.yaml: error[OC006]: whole file",
		"a.yaml:9:4: error[OC101]: x",
		"a.yaml:9:4: error[OC101]: y",
		"a.yaml:9:4: warning[OC108]: a",
		"a.yaml:10:1: error[OC102]: z",
		"b.yaml:2:1: warning[OC104]: b",
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("sorted:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	if e, w := l.Count(); e != 4 || w != 2 {
		t.Errorf("Count = %d, %d; want 4, 2", e, w)
	}
	if !l.HasErrors() || (diag.List{l[3]}).HasErrors() {
		t.Error("HasErrors wrong")
	}
	p := l.Promote(diag.CodeUnknownKey)
	if e, w := p.Count(); e != 5 || w != 1 {
		t.Errorf("after Promote: %d errors, %d warnings; want 5, 1", e, w)
	}
	if l[5].Severity != diag.Warning {
		t.Error("Promote changed the original list")
	}
}

func TestSourceLine(t *testing.T) {
	long := strings.Repeat("x", 300)
	s := diag.NewSource("f.yaml", []byte("one\r\ntwo\n\nfour "+long+"\nbad \xff\xfe byte\nlast\rcr\u0085nel\u2028ls\u2029ps\n\r\n"))
	for _, tc := range []struct {
		n    int
		want string
	}{
		{0, ""},
		{1, "one"},
		{2, "two"},
		{3, ""},
		{4, ("four " + long)[:240]},
		{5, "bad \uFFFD byte"},
		{6, "last"},
		// yaml.v3 also breaks lines at a lone CR, NEL, LS and PS
		{7, "cr"},
		{8, "nel"},
		{9, "ls"},
		{10, "ps"},
		{11, ""},
		{12, ""},
		{13, ""},
	} {
		if got := s.Line(tc.n); got != tc.want {
			t.Errorf("Line(%d) = %q, want %q", tc.n, got, tc.want)
		}
	}
	var nilSource *diag.Source
	if nilSource.Line(1) != "" {
		t.Error("nil source has a line")
	}
	bag := diag.Bag{Src: s}
	bag.Errorf(diag.CodeType, 2, 1, "%s must be %s", "x", "y").Hint = "h"
	bag.Warnf(diag.CodeUnknownKey, 6, 2, "w")
	want := diag.List{
		{Severity: diag.Error, Code: diag.CodeType, Message: "x must be y", Pos: diag.Pos{File: "f.yaml", Line: 2, Col: 1}, Source: "two", Hint: "h"},
		{Severity: diag.Warning, Code: diag.CodeUnknownKey, Message: "w", Pos: diag.Pos{File: "f.yaml", Line: 6, Col: 2}, Source: "last"},
	}
	gotJSON, _ := json.Marshal(bag.List)
	wantJSON, _ := json.Marshal(want)
	if !bytes.Equal(gotJSON, wantJSON) {
		t.Errorf("bag holds %s\nwant %s", gotJSON, wantJSON)
	}
}
