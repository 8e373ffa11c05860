package load_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/charter-compliance/charter/compiler/check"
	"github.com/charter-compliance/charter/compiler/coverage"
	"github.com/charter-compliance/charter/compiler/diag"
	"github.com/charter-compliance/charter/compiler/load"
	"github.com/charter-compliance/charter/compiler/model"
	"github.com/charter-compliance/charter/compiler/opencontrol"
)

// asOf is the day every fixture is judged on, so that review and
// effective dates give the same answer on any day the tests run.
var asOf = time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC)

const badDir = "../../testdata/bad"

// loadAndCheck loads a repository and runs the cross-file checks, the way
// compiler.Check does minus the git date.
func loadAndCheck(t *testing.T, root string, extra ...string) (*model.Workspace, diag.List) {
	t.Helper()
	ws, l, err := load.Load(load.Options{Root: root, ExtraStandards: extra})
	if err != nil {
		t.Fatalf("load %s: %v", root, err)
	}
	l = append(l, check.Run(ws, asOf)...)
	l.Sort()
	return ws, l
}

// brief renders a diagnostic as the part the tables below assert:
// position, severity and code.
func brief(d diag.Diagnostic) string {
	return fmt.Sprintf("%s: %s[%s]", d.Pos, d.Severity, d.Code)
}

func briefs(l diag.List) []string {
	out := []string{}
	for _, d := range l {
		out = append(out, brief(d))
	}
	return out
}

// checkWellFormed asserts what every diagnostic owes its reader: a known
// code, a message, a file, a position inside that file, and the source
// line it names, copied exactly.
func checkWellFormed(t *testing.T, root string, l diag.List) {
	t.Helper()
	files := map[string][]string{}
	lines := func(rel string) []string {
		if ls, ok := files[rel]; ok {
			return ls
		}
		p := rel
		if !filepath.IsAbs(p) {
			p = filepath.Join(root, filepath.FromSlash(rel))
		}
		text, err := os.ReadFile(p)
		if err != nil {
			files[rel] = nil
			return nil
		}
		// the line breaks of YAML (and diag.Source): LF, CRLF, CR, NEL, LS, PS
		ls := regexp.MustCompile("\r\n|[\r\n\u0085\u2028\u2029]").Split(strings.ToValidUTF8(string(text), "\uFFFD"), -1)
		files[rel] = ls
		return ls
	}
	checkPos := func(what string, p diag.Pos) {
		if p.File == "" || p.Line < 0 || p.Col < 0 || (p.Line == 0 && p.Col != 0) {
			t.Errorf("%s: bad position %#v", what, p)
			return
		}
		if p.Line == 0 {
			return
		}
		ls := lines(p.File)
		if ls == nil {
			t.Errorf("%s: %s cannot be read", what, p.File)
			return
		}
		if p.Line > len(ls) {
			t.Errorf("%s: line %d past the end of %s (%d lines)", what, p.Line, p.File, len(ls))
			return
		}
		if n := utf8.RuneCountInString(ls[p.Line-1]); p.Col > n+1 {
			t.Errorf("%s: column %d past the end of line %d (%d characters)", what, p.Col, p.Line, n)
		}
	}
	for _, d := range l {
		what := brief(d)
		if _, ok := diag.Description[d.Code]; !ok {
			t.Errorf("%s: unknown code", what)
		}
		if d.Severity != diag.Error && d.Severity != diag.Warning {
			t.Errorf("%s: severity %d", what, d.Severity)
		}
		if strings.TrimSpace(d.Message) == "" {
			t.Errorf("%s: no message", what)
		}
		checkPos(what, d.Pos)
		if d.Pos.Line > 0 {
			if ls := lines(d.Pos.File); ls != nil && d.Pos.Line <= len(ls) && d.Source != ls[d.Pos.Line-1] {
				t.Errorf("%s: source %q, but line %d is %q", what, d.Source, d.Pos.Line, ls[d.Pos.Line-1])
			}
		} else if d.Source != "" {
			t.Errorf("%s: source %q for a whole-file position", what, d.Source)
		}
		for _, n := range d.Notes {
			checkPos(what+" note", n.Pos)
		}
	}
}

// badCases is one entry per directory of testdata/bad: the exact list of
// diagnostics, in printing order, and for some the exact wording and what
// still loaded.
var badCases = []struct {
	dir    string
	want   []string
	detail func(t *testing.T, ws *model.Workspace, l diag.List)
}{
	// --- broken YAML ---
	{dir: "yaml-unclosed-flow", want: []string{
		// the flow mapping opened on line 4 runs into the end of the file
		"components/web/component.yaml:4:3: error[OC002]",
	}, detail: func(t *testing.T, ws *model.Workspace, l diag.List) {
		wantText(t, l[0], `invalid YAML: did not find expected ',' or '}'`, "fix the YAML syntax; a YAML linter shows the structure")
		if len(ws.Components) != 0 {
			t.Error("a component that does not parse was loaded")
		}
	}},
	{dir: "yaml-bad-indent", want: []string{
		// line 6 is indented one space less than its siblings; yaml.v3 names
		// line 3 (the list's start, counted from 0) but the fault is line 6
		"components/web/component.yaml:6:4: error[OC002]",
	}, detail: func(t *testing.T, ws *model.Workspace, l diag.List) {
		wantText(t, l[0], `invalid YAML: did not find expected '-' indicator`, "check the indentation of this line against its siblings")
		if l[0].Source != "   implementation_status: complete" {
			t.Errorf("source %q", l[0].Source)
		}
	}},
	{dir: "yaml-unterminated-quote", want: []string{
		"components/web/component.yaml:2:1: error[OC002]",
	}},
	{dir: "yaml-colon-in-value", want: []string{
		"components/web/component.yaml:7:7: error[OC002]",
	}, detail: func(t *testing.T, ws *model.Workspace, l diag.List) {
		wantText(t, l[0], "invalid YAML: mapping values are not allowed in this context", `a value containing ": " must be quoted, or a key is indented wrongly`)
	}},
	{dir: "yaml-tab-indent", want: []string{
		"components/web/component.yaml:4:1: error[OC008]",
	}, detail: func(t *testing.T, ws *model.Workspace, l diag.List) {
		wantText(t, l[0], "tab character used for indentation", "YAML indents with spaces only; replace the tab with spaces")
	}},
	{dir: "multi-document", want: []string{
		"components/web/component.yaml:9:1: error[OC009]",
	}, detail: func(t *testing.T, ws *model.Workspace, l diag.List) {
		wantText(t, l[0], "component file holds 2 YAML documents; charter reads only the first, so what follows the --- at line 9 is ignored, 1 satisfaction with it", "put each component in its own directory with its own component.yaml")
		// the first document still counts
		if len(ws.Components) != 1 || ws.Components[0].Name != "Web" || len(ws.Components[0].Satisfies) != 1 || ws.Components[0].Satisfies[0].ControlKey != "AC-1" {
			t.Errorf("components %+v", ws.Components)
		}
	}},
	{dir: "file-empty", want: []string{
		"components/web/component.yaml: error[OC006]",
	}, detail: func(t *testing.T, ws *model.Workspace, l diag.List) {
		wantText(t, l[0], "file is empty: it holds no YAML document", "add the file's content, or remove it from opencontrol.yaml")
	}},
	{dir: "file-comments-only", want: []string{
		"components/web/component.yaml: error[OC006]",
	}},
	{dir: "non-utf8", want: []string{
		// byte 0xE9 (Latin-1 é) is the tenth character of line 2
		"components/web/component.yaml:2:10: error[OC003]",
	}, detail: func(t *testing.T, ws *model.Workspace, l diag.List) {
		wantText(t, l[0], "file is not valid UTF-8", "save the file as UTF-8 (for example: iconv -f latin1 -t utf-8)")
		if l[0].Source != "name: Caf\uFFFD tier" {
			t.Errorf("source %q", l[0].Source)
		}
	}},
	{dir: "alias-billion-laughs", want: []string{
		"components/web/component.yaml:6:1: warning[OC104]",
		// text: *i is a list of lists, reported where the anchored list is
		"components/web/component.yaml:15:5: error[OC102]",
		"components/web/component.yaml:21:9: warning[OC105]",
	}, detail: func(t *testing.T, ws *model.Workspace, l diag.List) {
		wantText(t, l[1], "text must be a string, found a list", "")
	}},
	{dir: "alias-quadratic", want: []string{
		// the 10,001st dereference: 99 in the first satisfaction, then 100
		// per *s, so the 100th *s stops in its narrative's line 22
		"components/web/component.yaml:22:11: error[OC005]",
	}, detail: func(t *testing.T, ws *model.Workspace, l diag.List) {
		wantText(t, l[0], "YAML aliases expand more than 10000 times; stopped reading the file", "write the values out instead of nesting aliases")
		if len(ws.Components) != 0 {
			t.Errorf("a half-read component was loaded with %d satisfactions", len(ws.Components[0].Satisfies))
		}
	}},

	// --- wrong types ---
	{dir: "type-string-for-list", want: []string{
		"components/web/component.yaml:3:12: error[OC102]",
	}, detail: func(t *testing.T, ws *model.Workspace, l diag.List) {
		wantText(t, l[0], "satisfies must be a list, found a string", "")
	}},
	{dir: "type-list-for-mapping", want: []string{
		"components/web/component.yaml:4:5: error[OC102]",
	}, detail: func(t *testing.T, ws *model.Workspace, l diag.List) {
		wantText(t, l[0], "a satisfaction must be a mapping, found a list", "")
	}},
	{dir: "type-mapping-for-string", want: []string{
		"components/web/component.yaml:3:3: error[OC102]",
	}, detail: func(t *testing.T, ws *model.Workspace, l diag.List) {
		wantText(t, l[0], "name must be a string, found a mapping", "")
	}},
	{dir: "type-number-for-list", want: []string{
		"components/web/component.yaml:3:12: error[OC102]",
	}, detail: func(t *testing.T, ws *model.Workspace, l diag.List) {
		wantText(t, l[0], "satisfies must be a list, found a number", "")
	}},
	{dir: "config-wrong-types", want: []string{
		"charter.yaml:1:15: error[OC102]",  // organization: a list
		"charter.yaml:2:7: error[OC102]",   // gate: a mapping
		"charter.yaml:3:9: error[OC102]",   // strict: maybe
		"charter.yaml:4:1: warning[OC104]", // gates -> gate
	}},
	{dir: "cert-wrong-shape", want: []string{
		"certifications/controls-as-list.yaml:3:9: error[OC102]",
		"certifications/list.yaml:2:12: error[OC102]",
	}},
	{dir: "standard-wrong-shape", want: []string{
		"standards/demo.yaml:5:3: warning[OC104]", // title
		"standards/demo.yaml:6:7: error[OC102]",   // AC-2: a string
		"standards/demo.yaml:8:9: error[OC102]",   // name: a list
		"standards/list.yaml:1:1: error[OC102]",   // the whole file is a list
	}},
	{dir: "narrative-wrong-shape", want: []string{
		"components/web/component.yaml:8:9: error[OC102]",     // a list item
		"components/web/component.yaml:9:9: error[OC102]",     // a string item
		"components/web/component.yaml:14:16: warning[OC102]", // the 2.0.0 string form in 3.1.0
	}, detail: func(t *testing.T, ws *model.Workspace, l diag.List) {
		s := ws.Components[0].Satisfies
		if len(s) != 2 || len(s[0].Narratives) != 1 || s[0].Narratives[0].Text != "Enforced by the web tier." || len(s[1].Narratives) != 1 {
			t.Errorf("narratives read: %+v", s)
		}
	}},

	// --- missing and empty required fields ---
	{dir: "missing-component-name", want: []string{
		"components/web/component.yaml:1:1: error[OC101]",
	}, detail: func(t *testing.T, ws *model.Workspace, l diag.List) {
		wantText(t, l[0], `the component has no "name"`, "add name: <value>")
	}},
	{dir: "missing-standard-key", want: []string{
		"components/web/component.yaml:4:5: error[OC101]",
	}, detail: func(t *testing.T, ws *model.Workspace, l diag.List) {
		wantText(t, l[0], `a satisfaction has no "standard_key"`, "add standard_key: <value>")
	}},
	{dir: "missing-control-key", want: []string{
		"components/web/component.yaml:4:5: error[OC101]",
	}},
	{dir: "missing-manifest-name", want: []string{
		"opencontrol.yaml:1:1: error[OC101]",
	}, detail: func(t *testing.T, ws *model.Workspace, l diag.List) {
		wantText(t, l[0], `opencontrol.yaml has no "name"`, "add name: <value>")
	}},
	{dir: "empty-required-values", want: []string{
		"components/web/component.yaml:2:7: error[OC101]",   // name: ""
		"components/web/component.yaml:4:18: error[OC101]",  // standard_key: (null)
		"components/web/component.yaml:10:18: error[OC101]", // control_key: " "
	}, detail: func(t *testing.T, ws *model.Workspace, l diag.List) {
		wantText(t, l[1], `a satisfaction has an empty "standard_key"`, "give standard_key a value")
		if len(ws.Components) != 1 || len(ws.Components[0].Satisfies) != 0 {
			t.Errorf("satisfactions without a standard or control were kept")
		}
	}},

	// --- versions ---
	{dir: "component-schema-version", want: []string{
		"components/web/component.yaml:1:17: error[OC103]",
	}, detail: func(t *testing.T, ws *model.Workspace, l diag.List) {
		wantText(t, l[0], `unknown component schema_version "4.0.0"; the component is not loaded`, "charter reads the versions opencontrol/schemas defines: 2.0.0, 3.0.0, 3.1.0, 3.1.1, 3.2.0")
		if len(ws.Components) != 0 {
			t.Error("the component was loaded")
		}
	}},
	{dir: "manifest-schema-version", want: []string{
		"opencontrol.yaml:1:17: error[OC103]",
	}, detail: func(t *testing.T, ws *model.Workspace, l diag.List) {
		wantText(t, l[0], `unknown opencontrol.yaml schema_version "2.0.0"`, `charter reads schema_version "1.0.0"`)
	}},
	{dir: "schema-version-mismatch", want: []string{
		// schema_version 2.0 (a float) reads as 2.0.0; newer keys still count
		"components/web/component.yaml:3:1: warning[OC104]",
		"components/web/component.yaml:7:5: warning[OC104]",
		"components/web/component.yaml:8:5: warning[OC104]",
	}, detail: func(t *testing.T, ws *model.Workspace, l diag.List) {
		wantText(t, l[1], `"implementation_statuses" belongs to component schema 3.1.0, but this component declares 2.0.0`, "raise schema_version to 3.1.0 (charter reads the key anyway)")
		c := ws.Components[0]
		if c.SchemaVersion != "2.0.0" || c.ResponsibleRole != "Platform team" || c.Satisfies[0].Verdict() != model.Satisfied || c.Satisfies[0].Origins[0].Value != "shared" {
			t.Errorf("component %+v", c)
		}
	}},

	// --- unknown keys and values ---
	{dir: "unknown-key-didyoumean", want: []string{
		"components/web/component.yaml:6:5: warning[OC104]",
	}, detail: func(t *testing.T, ws *model.Workspace, l diag.List) {
		wantText(t, l[0], `unknown key "implementation_statuss" in a satisfaction; did you mean "implementation_status"?`,
			`rename it to "implementation_status"; charter ignores keys it does not know`)
		// the misspelt status is ignored, so the claim says nothing of its state
		if v := ws.Components[0].Satisfies[0].Verdict(); v != model.Unknown {
			t.Errorf("verdict %s, want unknown", v)
		}
	}},
	{dir: "status-unknown", want: []string{
		"components/web/component.yaml:6:28: error[OC106]",
	}, detail: func(t *testing.T, ws *model.Workspace, l diag.List) {
		wantText(t, l[0], `unknown implementation status "completed"; counted as unknown; did you mean "complete"?`,
			"the component schemas' statuses are: complete, inherited, none, not applicable, partial, planned, unknown, unsatisfied")
		if v := ws.Components[0].Satisfies[0].Verdict(); v != model.Unknown {
			t.Errorf("verdict %s, want unknown", v)
		}
	}},
	{dir: "status-guess", want: []string{
		"components/web/component.yaml:6:28: warning[OC107]",
	}, detail: func(t *testing.T, ws *model.Workspace, l diag.List) {
		wantText(t, l[0], `implementation status "implemented" is not in the schema; read as "complete"`,
			`if "complete" is meant, write it (the schemas' statuses are: complete, inherited, none, not applicable, partial, planned, unknown, unsatisfied)`)
		if v := ws.Components[0].Satisfies[0].Verdict(); v != model.Satisfied {
			t.Errorf("verdict %s, want satisfied", v)
		}
	}},
	// Every status of the newest component schemas (3.1.1 and 3.2.0) is
	// read in any version without a warning, and maps onto the lattice.
	{dir: "status-schema-values", detail: func(t *testing.T, ws *model.Workspace, l diag.List) {
		want := []model.Status{model.NotApplicable, model.Unknown, model.None, model.Satisfied}
		for i, s := range ws.Components[0].Satisfies {
			if v := s.Verdict(); v != want[i] {
				t.Errorf("%s: verdict %s, want %s", s.ControlKey, v, want[i])
			}
		}
	}},
	{dir: "component-schema-3.1.1", detail: func(t *testing.T, ws *model.Workspace, l diag.List) {
		c := ws.Components[0]
		if c.SchemaVersion != "3.1.1" || len(c.Satisfies) != 2 || c.Satisfies[0].Verdict() != model.NotApplicable ||
			c.Satisfies[1].Verdict() != model.Satisfied || c.Satisfies[0].Origins[0].Value != "inherited" {
			t.Errorf("component %+v", c)
		}
	}},
	// 3.2.0 has only the plural implementation_statuses and control_origins:
	// the singular keys are read, with a warning each.
	{dir: "component-schema-3.2", want: []string{
		"components/web/component.yaml:6:5: warning[OC104]",
		"components/web/component.yaml:7:5: warning[OC104]",
	}, detail: func(t *testing.T, ws *model.Workspace, l diag.List) {
		wantText(t, l[0], `component schema 3.2.0 has no "implementation_status"; this component declares 3.2.0`,
			"write it as a list under implementation_statuses (charter reads the key anyway)")
		wantText(t, l[1], `component schema 3.2.0 has no "control_origin"; this component declares 3.2.0`,
			"write it as a list under control_origins (charter reads the key anyway)")
		c := ws.Components[0]
		if c.SchemaVersion != "3.2.0" || c.Satisfies[0].Verdict() != model.Satisfied || c.Satisfies[1].Verdict() != model.NotApplicable ||
			c.Satisfies[0].Origins[0].Value != "shared" {
			t.Errorf("component %+v", c)
		}
	}},
	{dir: "origin-unknown", want: []string{
		"components/web/component.yaml:9:9: warning[OC108]",
	}, detail: func(t *testing.T, ws *model.Workspace, l diag.List) {
		wantText(t, l[0], `unknown control origin "service provider corprate"; did you mean "service provider corporate"?`,
			"known origins: service provider corporate, service provider system specific, service provider hybrid, configured by customer, provided by customer, shared, inherited")
	}},
	{dir: "narrative-empty", want: []string{
		"components/web/component.yaml:8:9: warning[OC105]",
	}, detail: func(t *testing.T, ws *model.Workspace, l diag.List) {
		wantText(t, l[0], `narrative "a" for DEMO AC-1 is empty`, "write the text, or remove the empty item")
		if v := ws.Components[0].Satisfies[0].Verdict(); v != model.Partial {
			t.Errorf("complete without a narrative: verdict %s, want partial", v)
		}
	}},
	{dir: "yaml11-booleans", want: []string{}, detail: func(t *testing.T, ws *model.Workspace, l diag.List) {
		// YAML 1.1 read ON, yes and NO as booleans; where charter expects a
		// string they stay the strings written.
		c := ws.Component("NO")
		if c == nil || c.Name != "yes" || !c.DocumentationComplete {
			t.Fatalf("component %+v", ws.Components)
		}
		s := c.Satisfies
		if len(s) != 2 || s[0].ControlKey != "ON" || s[0].Narratives[0].Key != "y" || s[0].Narratives[0].Text != "on" || s[1].ControlKey != "OFF" || s[1].Narratives[0].Text != "off" {
			t.Errorf("satisfactions %+v %+v", s[0], s[1])
		}
		std := ws.Standard("SWITCHES")
		if got := std.ControlIDs(); !slices.Equal(got, []string{"OFF", "ON"}) {
			t.Errorf("controls %q", got)
		}
		if on := std.Control("ON"); on.Family != "yes" || on.Name != "no" {
			t.Errorf("control ON: %+v", on)
		}
		if cert := coverage.Compute(ws, asOf).Certification("Y"); !cert.Complete() || cert.Total() != 2 {
			t.Errorf("certification Y: %d of %d", cert.Done(), cert.Total())
		}
	}},

	// --- references between files ---
	{dir: "sat-unknown-standard", want: []string{
		"components/web/component.yaml:9:19: error[OC201]",
		"components/web/component.yaml:14:19: error[OC201]",
	}, detail: func(t *testing.T, ws *model.Workspace, l diag.List) {
		wantText(t, l[0], `satisfaction names standard "DMEO", which is not loaded; did you mean "DEMO"?`, "")
		wantText(t, l[1], `satisfaction names standard "ISO-27001", which is not loaded`,
			"list the standard's file under standards: in opencontrol.yaml (or give it with --standard FILE)")
	}},
	{dir: "sat-unknown-control", want: []string{
		"components/web/component.yaml:5:18: error[OC202]",
		"components/web/component.yaml:10:18: error[OC202]",
		"components/web/component.yaml:15:18: error[OC202]",
	}, detail: func(t *testing.T, ws *model.Workspace, l diag.List) {
		// AC-3 is one edit from AC-1 and AC-2 but a different control
		wantText(t, l[0], `satisfaction names control "AC-3", which standard DEMO does not have`, "DEMO has 2 controls; check the ID against standards/demo.yaml")
		wantText(t, l[1], `satisfaction names control "ac-2", which standard DEMO does not have; did you mean "AC-2"?`, "")
	}},
	{dir: "cert-unknown-standard", want: []string{
		// reported once for the standard, at its key
		"certifications/baseline.yaml:5:3: error[OC203]",
	}},
	{dir: "cert-unknown-control", want: []string{
		"certifications/baseline.yaml:5:5: error[OC204]", // AC-2 (1)
		"certifications/baseline.yaml:6:5: error[OC204]", // AC-9
	}},
	{dir: "coveredby-unknown-component", want: []string{
		"components/web/component.yaml:10:9: error[OC205]",
	}, detail: func(t *testing.T, ws *model.Workspace, l diag.List) {
		wantText(t, l[0], `covered_by names component "database", which does not exist`, "list the component's directory under components: in opencontrol.yaml")
	}},
	{dir: "coveredby-unknown-verification", want: []string{
		"components/web/component.yaml:13:9: error[OC206]", // its own: login-tset
		"components/web/component.yaml:14:9: error[OC206]", // db's: backup-drill
	}, detail: func(t *testing.T, ws *model.Workspace, l diag.List) {
		wantText(t, l[0], `covered_by names verification "login-tset", which component web does not define; did you mean "login-test"?`, "")
		wantText(t, l[1], `covered_by names verification "backup-drill", which component db does not define`, "add it under verifications: in components/db/component.yaml")
	}},
	{dir: "gate-unknown-cert", want: []string{
		"charter.yaml:2:18: error[OC214]",
		"charter.yaml:2:27: error[OC214]",
	}, detail: func(t *testing.T, ws *model.Workspace, l diag.List) {
		wantText(t, l[0], `charter.yaml gates on certification "basline", which is not loaded; did you mean "baseline"?`, "")
	}},

	// --- duplicates ---
	{dir: "dup-component-key", want: []string{
		"components/web2/component.yaml:3:6: error[OC207]",
	}, detail: func(t *testing.T, ws *model.Workspace, l diag.List) {
		wantText(t, l[0], `component key "web" is used by two components; only the first is used`, "give one of them a different key: with key: in component.yaml")
		wantNotes(t, l[0], "components/web/component.yaml: first defined here")
		if len(ws.Components) != 1 || ws.Components[0].Name != "Web" {
			t.Errorf("components %+v", ws.Components)
		}
	}},
	{dir: "dup-standard-name", want: []string{
		"standards/demo.yaml:1:7: error[OC208]",
	}, detail: func(t *testing.T, ws *model.Workspace, l diag.List) {
		// the first in path order wins: demo-copy.yaml sorts before demo.yaml
		wantNotes(t, l[0], "standards/demo-copy.yaml:1:7: first defined here")
		if len(ws.Standards) != 1 || ws.Standards[0].File != "standards/demo-copy.yaml" {
			t.Errorf("standards %+v", ws.Standards)
		}
	}},
	{dir: "dup-satisfaction", want: []string{
		"components/web/component.yaml:15:18: error[OC209]",
	}, detail: func(t *testing.T, ws *model.Workspace, l diag.List) {
		wantText(t, l[0], "component web satisfies DEMO AC-1 twice", "merge the two entries into one, with several keyed narratives")
		wantNotes(t, l[0], "components/web/component.yaml:5:18: first satisfied here")
	}},
	{dir: "dup-mapping-key", want: []string{
		"components/web/component.yaml:9:5: error[OC007]",
	}, detail: func(t *testing.T, ws *model.Workspace, l diag.List) {
		wantText(t, l[0], `key "implementation_status" appears twice in a satisfaction; the first is at line 6`, "remove one of them or merge their values")
		wantNotes(t, l[0], "components/web/component.yaml:6:5: first defined here")
		// the first value counts
		if st := ws.Components[0].Satisfies[0].Statuses; len(st) != 1 || st[0].Raw != "complete" {
			t.Errorf("statuses %+v", st)
		}
	}},
	{dir: "dup-verification-key", want: []string{
		"components/web/component.yaml:6:10: error[OC213]",
	}, detail: func(t *testing.T, ws *model.Workspace, l diag.List) {
		wantNotes(t, l[0], "components/web/component.yaml:4:10: first used here")
	}},
	{dir: "dup-narrative-key", want: []string{
		"components/web/component.yaml:10:14: error[OC212]",
	}, detail: func(t *testing.T, ws *model.Workspace, l diag.List) {
		wantText(t, l[0], `narrative key "a" appears twice in DEMO AC-1`, "")
		wantNotes(t, l[0], "components/web/component.yaml:8:14: first used here")
	}},

	// --- paths ---
	{dir: "path-dotdot", want: []string{
		"opencontrol.yaml:4:5: error[OC011]",
		"opencontrol.yaml:6:5: error[OC011]",
	}, detail: func(t *testing.T, ws *model.Workspace, l diag.List) {
		wantText(t, l[0], `path "./components/../../outside" leaves the repository`, "move the file into the repository, or vendor the dependency")
		if len(ws.Standards) != 0 {
			t.Error("a standard outside the repository was read")
		}
	}},
	{dir: "path-absolute", want: []string{
		"opencontrol.yaml:4:5: error[OC011]",
		"opencontrol.yaml:6:5: error[OC011]", // C:/ counts as absolute on every system
	}, detail: func(t *testing.T, ws *model.Workspace, l diag.List) {
		wantText(t, l[0], `absolute path "/etc/passwd" is not allowed: paths must stay inside the repository`, "write paths relative to the file that lists them")
	}},
	{dir: "component-dir-without-file", want: []string{
		"opencontrol.yaml:4:5: error[OC012]",
	}, detail: func(t *testing.T, ws *model.Workspace, l diag.List) {
		wantText(t, l[0], "component directory components/web has no component.yaml", "each component directory holds a component.yaml")
	}},
	{dir: "manifest-missing-files", want: []string{
		"opencontrol.yaml:4:5: error[OC012]",
		"opencontrol.yaml:6:5: error[OC012]",
		"opencontrol.yaml:8:5: error[OC012]", // a directory listed as a certification file
	}, detail: func(t *testing.T, ws *model.Workspace, l diag.List) {
		wantText(t, l[2], `"certifications" is not a file`, "")
	}},
	{dir: "dep-unfetched", want: []string{
		"opencontrol.yaml:5:7: error[OC210]",
		"opencontrol.yaml:8:7: error[OC210]",
	}, detail: func(t *testing.T, ws *model.Workspace, l diag.List) {
		wantText(t, l[0], "dependency https://github.com/opencontrol/NIST-800-53-Standards has not been fetched: neither opencontrols/standards/NIST-800-53-Standards nor files in opencontrols/standards/ exist",
			"fetch every dependency with `compliance-masonry get` (it copies them into opencontrols/), or this one with: git clone https://github.com/opencontrol/NIST-800-53-Standards opencontrols/standards/NIST-800-53-Standards && git -C opencontrols/standards/NIST-800-53-Standards checkout master")
		wantText(t, l[1], "dependency git@github.com:opencontrol/FedRAMP-Certifications.git has not been fetched: neither opencontrols/certifications/FedRAMP-Certifications nor files in opencontrols/certifications/ exist",
			"fetch every dependency with `compliance-masonry get` (it copies them into opencontrols/), or this one with: git clone git@github.com:opencontrol/FedRAMP-Certifications.git opencontrols/certifications/FedRAMP-Certifications")
		if ws.DependencyLayout != "" {
			t.Errorf("layout %q with nothing fetched", ws.DependencyLayout)
		}
	}},
	{dir: "dependency-no-url", want: []string{
		"opencontrol.yaml:5:7: error[OC101]",
		"opencontrol.yaml:7:12: error[OC102]",
		"opencontrol.yaml:8:3: warning[OC104]",
	}},

	// --- policies and procedures ---
	{dir: "fm-missing", want: []string{
		"templates/access.md:1:1: error[OC301]",
	}, detail: func(t *testing.T, ws *model.Workspace, l diag.List) {
		wantText(t, l[0], "document has no front matter", "start the file with a YAML block between two --- lines: id, title, kind, owner, status, satisfies")
	}},
	{dir: "fm-unclosed", want: []string{
		"templates/access.md:1:1: error[OC301]",
	}, detail: func(t *testing.T, ws *model.Workspace, l diag.List) {
		wantText(t, l[0], "front matter is never closed", "end the front matter with a line holding only ---, before the Markdown starts")
	}},
	{dir: "fm-yaml-error", want: []string{
		// the line number is the file's, not the front matter's
		"templates/access.md:3:1: error[OC002]",
	}},
	{dir: "fm-bad-date", want: []string{
		"templates/access.md:8:12: error[OC302]",
		"templates/access.md:9:16: error[OC302]",
	}, detail: func(t *testing.T, ws *model.Workspace, l diag.List) {
		wantText(t, l[0], `effective "2025-13-01" is not a date`, "write dates as YYYY-MM-DD, for example 2026-03-01")
		if d := ws.Documents[0]; d.Effective != nil || d.InForce(asOf) {
			t.Error("a document with a bad effective date is in force")
		}
	}},
	{dir: "fm-approved-unowned", want: []string{
		"templates/access.md:2:1: error[OC303]",
		"templates/access.md:2:1: error[OC304]",
	}, detail: func(t *testing.T, ws *model.Workspace, l diag.List) {
		wantText(t, l[0], "approved document POL-AC has no owner", "add owner: <role or person accountable for it>")
		wantText(t, l[1], "approved document POL-AC has no approvers", "add approvers: [<who approved it>]")
	}},
	{dir: "fm-bad-values", want: []string{
		"templates/access.md:4:7: error[OC109]",
		"templates/access.md:7:9: error[OC109]",
		"templates/access.md:8:15: error[OC109]",
	}, detail: func(t *testing.T, ws *model.Workspace, l diag.List) {
		wantText(t, l[0], `kind "polcy" is not one of policy, procedure; did you mean "policy"?`, "")
	}},
	{dir: "fm-unknown-key", want: []string{
		"templates/access.md:9:1: warning[OC104]",
		"templates/access.md:10:1: warning[OC104]",
	}, detail: func(t *testing.T, ws *model.Workspace, l diag.List) {
		wantText(t, l[0], `unknown key "reviewers" in the front matter`,
			"known keys: id, title, kind, owner, approvers, status, effective, review_cycle, last_reviewed, satisfies, description")
	}},
	{dir: "fm-unknown-claim", want: []string{
		"templates/access.md:10:16: error[OC308]", // DEMO AC-7
		"templates/access.md:11:8: error[OC308]",  // TSC is not loaded
	}, detail: func(t *testing.T, ws *model.Workspace, l diag.List) {
		wantText(t, l[0], `document POL-AC names control "AC-7", which standard DEMO does not have`, "DEMO has 2 controls; check the ID against standards/demo.yaml")
	}},
	{dir: "fm-duplicate-id", want: []string{
		"templates/accounts.md:2:5: error[OC305]",
	}, detail: func(t *testing.T, ws *model.Workspace, l diag.List) {
		wantNotes(t, l[0], "templates/access.md:2:5: first defined here")
		if len(ws.Documents) != 1 || ws.Documents[0].File != "templates/access.md" {
			t.Errorf("documents %+v", ws.Documents)
		}
	}},
	{dir: "fm-not-in-force", want: []string{
		"templates/access.md:8:12: warning[OC309]",
		"templates/access.md:10:16: warning[OC307]",
	}, detail: func(t *testing.T, ws *model.Workspace, l diag.List) {
		wantText(t, l[0], "POL-AC takes effect on 2026-06-01, after 2026-03-01", "it counts toward coverage from that day on")
		wantText(t, l[1], "POL-AC was due for its annual review on 2025-12-01 (last reviewed 2024-12-01)", "review the document, then update last_reviewed")
	}},
}

func wantText(t *testing.T, d diag.Diagnostic, message, hint string) {
	t.Helper()
	if d.Message != message {
		t.Errorf("%s: message\n got %q\nwant %q", brief(d), d.Message, message)
	}
	if d.Hint != hint {
		t.Errorf("%s: hint\n got %q\nwant %q", brief(d), d.Hint, hint)
	}
}

func wantNotes(t *testing.T, d diag.Diagnostic, notes ...string) {
	t.Helper()
	var got []string
	for _, n := range d.Notes {
		got = append(got, n.Pos.String()+": "+n.Message)
	}
	if !slices.Equal(got, notes) {
		t.Errorf("%s: notes %q, want %q", brief(d), got, notes)
	}
}

func TestBadInputs(t *testing.T) {
	for _, tc := range badCases {
		t.Run(tc.dir, func(t *testing.T) {
			root := filepath.Join(badDir, tc.dir)
			ws, l := loadAndCheck(t, root)
			if got := briefs(l); !slices.Equal(got, tc.want) {
				t.Fatalf("diagnostics:\n\t%s\nwant:\n\t%s\n\nfull:\n%s", strings.Join(got, "\n\t"), strings.Join(tc.want, "\n\t"), text(l))
			}
			checkWellFormed(t, root, l)
			if tc.detail != nil {
				tc.detail(t, ws, l)
			}
			// Loading is parallel; the result must not depend on it.
			ws2, l2 := loadAndCheck(t, root)
			if a, b := jsonOf(t, l), jsonOf(t, l2); a != b {
				t.Errorf("second load differs:\n%s\n%s", a, b)
			}
			if len(ws.Files) != len(ws2.Files) || len(ws.Components) != len(ws2.Components) {
				t.Error("second load read different files")
			}
		})
	}
}

// Every fixture directory has a table entry, and every entry a directory.
func TestBadInputsAllListed(t *testing.T) {
	entries, err := os.ReadDir(badDir)
	if err != nil {
		t.Fatal(err)
	}
	listed := map[string]bool{}
	for _, tc := range badCases {
		if listed[tc.dir] {
			t.Errorf("%s listed twice", tc.dir)
		}
		listed[tc.dir] = true
	}
	for _, e := range entries {
		if !listed[e.Name()] {
			t.Errorf("testdata/bad/%s has no entry in badCases", e.Name())
		}
		delete(listed, e.Name())
	}
	for dir := range listed {
		t.Errorf("badCases lists %s, which testdata/bad lacks", dir)
	}
	if len(entries) < 35 {
		t.Errorf("only %d fixtures", len(entries))
	}
}

func text(l diag.List) string {
	var b strings.Builder
	_ = diag.WriteText(&b, l, diag.TextOptions{})
	return b.String()
}

func jsonOf(t *testing.T, v any) string {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// writeTree creates files under root; a value starting with "->" makes a
// symbolic link to the rest of it instead.
func writeTree(t *testing.T, root string, files map[string]string) {
	t.Helper()
	for name, content := range files {
		p := filepath.Join(root, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if target, ok := strings.CutPrefix(content, "->"); ok {
			if err := os.Symlink(target, p); err != nil {
				t.Fatal(err)
			}
			continue
		}
		if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

const demoStandard = "name: DEMO\nAC-1:\n  family: AC\n  name: Access control policy\n"

const webComponent = `schema_version: 3.1.0
name: Web
satisfies:
  - standard_key: DEMO
    control_key: AC-1
    implementation_status: complete
    narrative:
      - text: The web tier enforces the access policy.
`

// A 50 MB standard and a policy one byte over the limit are refused by
// size before they are read. The policy is valid, so without the limit it
// would load cleanly; the standard is a sparse file (a valid head, then
// zeros), which keeps the test fast.
func TestTooLargeFiles(t *testing.T) {
	root := t.TempDir()
	writeTree(t, root, map[string]string{
		"opencontrol.yaml":    "schema_version: \"1.0.0\"\nname: big\nstandards:\n  - ./standards/big.yaml\n  - ./standards/demo.yaml\n",
		"standards/demo.yaml": demoStandard,
		"standards/big.yaml":  "name: BIG\nX-1:\n  name: One\n",
	})
	if err := os.Truncate(filepath.Join(root, "standards", "big.yaml"), 50<<20); err != nil {
		t.Fatal(err)
	}
	head := "---\nid: POL-BIG\ntitle: Big\nkind: policy\nstatus: draft\n---\n"
	line := "All work and no play makes a long policy.\n"
	doc := append([]byte(head), bytes.Repeat([]byte(line), (opencontrol.MaxFileSize-len(head))/len(line)+1)...)
	doc = doc[:opencontrol.MaxFileSize+1]
	if err := os.MkdirAll(filepath.Join(root, "templates"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(root, "templates", "huge.md"), doc, 0o644); err != nil {
		t.Fatal(err)
	}
	ws, l := loadAndCheck(t, root)
	want := []string{
		"standards/big.yaml: error[OC004]",
		"templates/huge.md: error[OC004]",
	}
	if got := briefs(l); !slices.Equal(got, want) {
		t.Fatalf("diagnostics %q, want %q\n%s", got, want, text(l))
	}
	wantText(t, l[0], "file is 52428800 bytes, more than the 16777216 byte limit", "split it into several files, or check that it is the file you meant to list")
	wantText(t, l[1], "file is 16777217 bytes, more than the 16777216 byte limit", "split it into several files, or check that it is the file you meant to list")
	checkWellFormed(t, root, l)
	if len(ws.Standards) != 1 || ws.Standards[0].Name != "DEMO" || len(ws.Documents) != 0 {
		t.Errorf("loaded %d standards, %d documents", len(ws.Standards), len(ws.Documents))
	}
}

// Symbolic links may point anywhere inside the repository, never out of it:
// not for a component directory, a component.yaml, a standard or a policy.
func TestSymlinksOutOfTheRepository(t *testing.T) {
	base := t.TempDir()
	outside := filepath.Join(base, "outside")
	writeTree(t, outside, map[string]string{
		"comp/component.yaml": webComponent,
		"secret.yaml":         demoStandard,
		"secret.md":           "---\nid: POL-X\ntitle: X\nkind: policy\nstatus: draft\n---\n",
	})
	root := filepath.Join(base, "repo")
	writeTree(t, root, map[string]string{
		"opencontrol.yaml": `schema_version: "1.0.0"
name: links
components:
  - ./components/real
  - ./components/alias
  - ./components/escape
  - ./components/file-escape
standards:
  - ./standards/demo.yaml
  - ./standards/escape.yaml
`,
		"components/real/component.yaml":        webComponent,
		"components/alias":                      "->real",
		"components/escape":                     "->" + filepath.Join(outside, "comp"),
		"components/file-escape/component.yaml": "->" + filepath.Join(outside, "comp", "component.yaml"),
		"standards/demo.yaml":                   "->../standards-src/demo.yaml",
		"standards-src/demo.yaml":               demoStandard,
		"standards/escape.yaml":                 "->../../outside/secret.yaml",
		"templates/inside.md":                   "---\nid: POL-1\ntitle: One\nkind: policy\nstatus: draft\n---\n",
		"templates/escape.md":                   "->" + filepath.Join(outside, "secret.md"),
	})
	ws, l := loadAndCheck(t, root)
	want := []string{
		// components/alias -> real is inside: it loads, and its key (the
		// directory name "alias") differs from real's, so it is no duplicate
		"opencontrol.yaml:6:5: error[OC010]",  // components/escape
		"opencontrol.yaml:7:5: error[OC010]",  // components/file-escape/component.yaml
		"opencontrol.yaml:10:5: error[OC010]", // standards/escape.yaml
		"templates/escape.md: error[OC010]",
	}
	if got := briefs(l); !slices.Equal(got, want) {
		t.Fatalf("diagnostics:\n\t%s\nwant:\n\t%s\n%s", strings.Join(got, "\n\t"), strings.Join(want, "\n\t"), text(l))
	}
	checkWellFormed(t, root, l)
	// the link's target as the repository wrote it, not a resolved path
	wantText(t, l[0], fmt.Sprintf("%q is a symbolic link to %q, outside the repository", "components/escape", filepath.Join(outside, "comp")),
		"replace the symbolic link with the file itself (links must be relative and stay inside the repository)")
	var keys []string
	for _, c := range ws.Components {
		keys = append(keys, c.Key)
	}
	if !slices.Equal(keys, []string{"alias", "real"}) {
		t.Errorf("components %q", keys)
	}
	if len(ws.Standards) != 1 || len(ws.Documents) != 1 || ws.Documents[0].ID != "POL-1" {
		t.Errorf("%d standards, %d documents", len(ws.Standards), len(ws.Documents))
	}
	for _, f := range ws.Files {
		if strings.Contains(f.Path, "escape") {
			t.Errorf("read %s", f.Path)
		}
	}
}

// No opencontrol.yaml is no repository: an error, not a diagnostic.
func TestNoManifest(t *testing.T) {
	root := t.TempDir()
	_, _, err := load.Load(load.Options{Root: root})
	if err == nil || !strings.Contains(err.Error(), "no opencontrol.yaml in ") {
		t.Errorf("err = %v", err)
	}
	if _, _, err := load.Load(load.Options{Root: filepath.Join(root, "absent")}); err == nil {
		t.Error("a missing root loaded")
	}
}
