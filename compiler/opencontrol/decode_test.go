package opencontrol_test

import (
	"bytes"
	"fmt"
	"maps"
	"slices"
	"strings"
	"testing"

	"github.com/charter-compliance/charter/compiler/diag"
	"github.com/charter-compliance/charter/compiler/opencontrol"
)

func briefs(l diag.List) []string {
	out := []string{}
	for _, d := range l {
		out = append(out, fmt.Sprintf("%s: %s[%s] %s", d.Pos, d.Severity, d.Code, d.Message))
	}
	return out
}

// Syntax errors point at the line of the offending token, whatever line
// yaml.v3 names (the enclosing construct's, counted from 0 for parser
// errors, or none at all).
func TestSyntaxErrorLines(t *testing.T) {
	for _, tc := range []struct {
		name, text, want string
	}{
		{"parser error, context on line 1", "name: Web\nsatisfies:\n  - standard_key: A\n    control_key: B\n   narrative: x\n",
			"c.yaml:5:4: error[OC002] invalid YAML: did not find expected '-' indicator"},
		{"parser error inside a nested mapping", "name: Web\nsatisfies:\n  - standard_key: A\n    control_key: B\n    narrative:\n      - text: a\n     key: b\n",
			"c.yaml:7:6: error[OC002] invalid YAML: did not find expected key"},
		{"parser error on line 1 (no line given)", "[a, b\n",
			"c.yaml:1:1: error[OC002] invalid YAML: did not find expected ',' or ']'"},
		{"unclosed flow mapping", "name: Web\nsatisfies: [\n  {standard_key: A\n",
			"c.yaml:3:3: error[OC002] invalid YAML: did not find expected ',' or '}'"},
		{"scanner error", "name: Web\nsystem: a: b\n",
			"c.yaml:2:1: error[OC002] invalid YAML: mapping values are not allowed in this context"},
		{"unterminated quote: its start", "name: Web\nsystem: \"open\nsatisfies: []\n",
			"c.yaml:2:1: error[OC002] invalid YAML: found unexpected end of stream"},
		{"unknown anchor (no line given)", "name: Web\nsatisfies: []\nsystem: *nowhere\n",
			"c.yaml:3:1: error[OC002] invalid YAML: unknown anchor 'nowhere' referenced"},
		{"tab in indentation", "name: Web\nsatisfies:\n\t- standard_key: A\n",
			"c.yaml:3:1: error[OC008] tab character used for indentation"},
		{"old Mac line endings", "name: Web\rsatisfies:\r  - standard_key: A\r    control_key: B\r   narrative: x\r",
			"c.yaml:5:4: error[OC002] invalid YAML: did not find expected '-' indicator"},
		{"a line separator inside a value breaks the line", "name: Web\u2028more\nsystem: x\n",
			"c.yaml:2:1: error[OC002] invalid YAML: could not find expected ':'"},
	} {
		_, l := opencontrol.DecodeComponent("c.yaml", "c", []byte(tc.text))
		if got := briefs(l); len(got) != 1 || got[0] != tc.want {
			t.Errorf("%s:\n got %q\nwant %q", tc.name, got, tc.want)
		}
	}
}

func TestTooLargeInMemory(t *testing.T) {
	text := append([]byte("name: BIG\n"), bytes.Repeat([]byte("#\n"), opencontrol.MaxFileSize/2)...)
	for name, decode := range map[string]func() diag.List{
		"component": func() diag.List { _, l := opencontrol.DecodeComponent("c.yaml", "c", text); return l },
		"standard":  func() diag.List { _, l := opencontrol.DecodeStandard("c.yaml", text); return l },
		"document":  func() diag.List { _, l := opencontrol.DecodeDocument("c.yaml", text); return l },
	} {
		want := []string{fmt.Sprintf("c.yaml: error[OC004] file is %d bytes, more than the 16777216 byte limit", len(text))}
		if got := briefs(decode()); !slices.Equal(got, want) {
			t.Errorf("%s: %q", name, got)
		}
	}
}

func TestEmptyDocuments(t *testing.T) {
	for _, text := range []string{"", "\n\n", "# only a comment\n", "---\n", "---\n...\n", "# a\n---\n# b\n---\n"} {
		c, l := opencontrol.DecodeComponent("c.yaml", "c", []byte(text))
		if got := briefs(l); c != nil || !slices.Equal(got, []string{"c.yaml: error[OC006] file is empty: it holds no YAML document"}) {
			t.Errorf("%q: %v %q", text, c, got)
		}
	}
	// a trailing --- starts no second document
	c, l := opencontrol.DecodeComponent("c.yaml", "c", []byte("schema_version: 3.1.0\nname: Web\n---\n"))
	if c == nil || len(l) != 0 {
		t.Errorf("trailing ---: %q", briefs(l))
	}
	_, l = opencontrol.DecodeComponent("c.yaml", "c", []byte("schema_version: 3.1.0\nname: Web\n---\nname: Other\n"))
	if got := briefs(l); !slices.Equal(got, []string{"c.yaml:3:1: error[OC009] component file holds 2 YAML documents; charter reads only the first, so what follows the --- at line 3 is ignored"}) {
		t.Errorf("second document: %q", got)
	}
}

// OC009 is on the "---", counts what is lost, and tells a stray separator
// (the rest of one file cut off) from a second thing of the kind.
func TestExtraDocumentsLost(t *testing.T) {
	stray := "schema_version: 3.1.0\nname: Web\nsatisfies:\n  - standard_key: S\n    control_key: C-1\n\n--- # oops\n\nreferences: []\nverifications: []\n"
	_, l := opencontrol.DecodeComponent("c.yaml", "c", []byte(stray))
	if len(l) != 1 || l[0].Pos.Line != 7 || l[0].Source != "--- # oops" || !strings.Contains(l[0].Hint, "stray separator") {
		t.Errorf("stray ---: %q %q", briefs(l), l[0].Hint)
	}
	comp := "schema_version: 3.1.0\nname: Web\nsatisfies: []\n---\nname: Worker\nsatisfies:\n  - {standard_key: S, control_key: C-1}\n  - {standard_key: S, control_key: C-2}\n"
	_, l = opencontrol.DecodeComponent("c.yaml", "c", []byte(comp))
	if len(l) != 1 || !strings.HasSuffix(l[0].Message, "at line 4 is ignored, 2 satisfactions with it") || !strings.Contains(l[0].Hint, "its own directory") {
		t.Errorf("second component: %q %q", briefs(l), l[0].Hint)
	}
	std := "name: S\nC-1: {name: One}\n---\nC-2: {name: Two}\nC-3: {name: Three}\n"
	_, l = opencontrol.DecodeStandard("s.yaml", []byte(std))
	if len(l) != 1 || l[0].Pos.Line != 3 || !strings.HasSuffix(l[0].Message, "2 controls with it") || !strings.Contains(l[0].Hint, "delete that line") {
		t.Errorf("standard: %q %q", briefs(l), l[0].Hint)
	}
}

func TestComponentVersionsAndKeys(t *testing.T) {
	for _, tc := range []struct{ written, want string }{
		{"2.0", "2.0.0"}, {`"2.0.0"`, "2.0.0"}, {"3.0.0", "3.0.0"}, {"3.0", "3.0.0"}, {"3.1.0", "3.1.0"}, {" 3.1 ", "3.1.0"},
	} {
		c, l := opencontrol.DecodeComponent("components/web/component.yaml", "components/web", []byte("schema_version: "+tc.written+"\nname: Web\n"))
		if c == nil || c.SchemaVersion != tc.want || len(l) != 0 {
			t.Errorf("schema_version %s: %+v %q", tc.written, c, briefs(l))
			continue
		}
		// the key defaults to the directory's name
		if c.Key != "web" || c.KeyPos.File != "components/web/component.yaml" {
			t.Errorf("key %q at %v", c.Key, c.KeyPos)
		}
	}
	c, l := opencontrol.DecodeComponent("c.yaml", "dir", []byte("name: Web\nkey: front-end\n"))
	if c == nil || c.SchemaVersion != "3.1.0" || c.Key != "front-end" || c.KeyPos.Line != 2 || c.KeyPos.Col != 6 {
		t.Errorf("component %+v", c)
	}
	if got := briefs(l); !slices.Equal(got, []string{"c.yaml:1:1: error[OC101] component has no schema_version; reading it as 3.1.0"}) {
		t.Errorf("no schema_version: %q", got)
	}
}

func TestDocumentBodyAndPositions(t *testing.T) {
	text := "\xef\xbb\xbf---\r\nid: POL-1\r\ntitle: One\r\nkind: policy\r\nstatus: draft\r\nsatisfies:\r\n  TSC: [CC1.1, CC1.2]\r\n  NIST: AC-2\r\n---\r\n# One\r\n\r\nBody.\r\n"
	d, l := opencontrol.DecodeDocument("templates/one.md", []byte(text))
	if d == nil || len(l) != 0 {
		t.Fatalf("document %+v, diagnostics %q", d, briefs(l))
	}
	if d.BodyLine != 10 || d.Body != "# One\r\n\r\nBody.\r\n" {
		t.Errorf("body line %d, body %q", d.BodyLine, d.Body)
	}
	var claims []string
	for _, c := range d.Satisfies {
		claims = append(claims, fmt.Sprintf("%s %s @%d:%d", c.Standard, c.Control, c.Pos.Line, c.Pos.Col))
	}
	if want := []string{"TSC CC1.1 @7:9", "TSC CC1.2 @7:16", "NIST AC-2 @8:9"}; !slices.Equal(claims, want) {
		t.Errorf("claims %q, want %q", claims, want)
	}
	if p := d.FieldPos["kind"]; p.Line != 4 || p.Col != 7 {
		t.Errorf("kind at %v", p)
	}
}

func TestIsRemote(t *testing.T) {
	for url, want := range map[string]bool{
		"https://github.com/opencontrol/NIST-800-53-Standards": true,
		"git@github.com:opencontrol/certs.git":                 true,
		"ssh://git@example.com/x.git":                          true,
		"file://vendor/std":                                    false,
		"./vendor/std":                                         false,
		"vendor/std":                                           false,
		"../outside":                                           false,
	} {
		if got := opencontrol.IsRemote(url); got != want {
			t.Errorf("IsRemote(%q) = %v, want %v", url, got, want)
		}
	}
}

// A standard's controls come out in natural order whatever the file's
// order, and the controls' family_name names their families.
func TestStandardOrderAndFamilies(t *testing.T) {
	text := "name: S\nAC-10: {name: ten, family: AC}\nAC-2 (1): {family: AC, family_name: Access Control}\nAC-2: {}\nAC-1:\n"
	s, l := opencontrol.DecodeStandard("s.yaml", []byte(text))
	if s == nil || len(l) != 0 {
		t.Fatalf("%+v %q", s, briefs(l))
	}
	if got := s.ControlIDs(); !slices.Equal(got, []string{"AC-1", "AC-2", "AC-2 (1)", "AC-10"}) {
		t.Errorf("controls %q", got)
	}
	if !maps.Equal(s.Families, map[string]string{"AC": "Access Control"}) || s.Pos.Line != 1 || s.Pos.Col != 7 {
		t.Errorf("families %v, pos %v", s.Families, s.Pos)
	}
	if c := s.Control("AC-10"); c == nil || c.Name != "ten" || c.Standard != "S" || c.Pos.Line != 2 {
		t.Errorf("AC-10: %+v", c)
	}
	if strings.Join(briefs(l), "") != "" {
		t.Error("diagnostics")
	}
}

// Two controls naming one family differently: the first name is kept, the
// second reported with the first's place. A family_name without a family
// code names nothing.
func TestStandardFamilyNameConflicts(t *testing.T) {
	text := "name: S\nAC-1: {family: AC, family_name: Access Control}\nAC-2: {family: AC, family_name: Access}\nAU-1: {family_name: Audit}\n"
	s, l := opencontrol.DecodeStandard("s.yaml", []byte(text))
	want := []string{
		`s.yaml:3:33: warning[OC109] control AC-2 names family AC "Access", but an earlier control named it "Access Control"; the first name is used`,
		`s.yaml:4:21: warning[OC101] control AU-1 names a family ("Audit") but has no family code`,
	}
	if s == nil || !slices.Equal(briefs(l), want) {
		t.Fatalf("diagnostics %q, want %q", briefs(l), want)
	}
	if len(l[0].Notes) != 1 || l[0].Notes[0].Pos.String() != "s.yaml:2:33" {
		t.Errorf("conflict notes %v", l[0].Notes)
	}
	if !maps.Equal(s.Families, map[string]string{"AC": "Access Control"}) {
		t.Errorf("families %v", s.Families)
	}
}

// charter's old top-level families: is what every other OpenControl tool
// makes of it, a control, and is reported once.
func TestStandardOldFamiliesKey(t *testing.T) {
	text := "name: S\nfamilies:\n  AC: Access Control\nAC-1: {family: AC}\n"
	s, l := opencontrol.DecodeStandard("s.yaml", []byte(text))
	if s == nil || !slices.Equal(briefs(l), []string{`s.yaml:2:1: warning[OC104] top-level "families" is a control to every OpenControl tool, and so to charter; its family names are not read`}) {
		t.Fatalf("diagnostics %q", briefs(l))
	}
	if got := s.ControlIDs(); !slices.Equal(got, []string{"AC-1", "families"}) || len(s.Families) != 0 {
		t.Errorf("controls %q, families %v", got, s.Families)
	}
}
