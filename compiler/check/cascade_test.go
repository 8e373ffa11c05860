package check_test

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/charter-compliance/charter/compiler/check"
	"github.com/charter-compliance/charter/compiler/diag"
	"github.com/charter-compliance/charter/compiler/load"
	"github.com/charter-compliance/charter/compiler/model"
)

// writeProgram writes files (path -> text) into a new directory and loads it.
func writeProgram(t *testing.T, files map[string]string) (*model.Workspace, diag.List) {
	t.Helper()
	root := t.TempDir()
	for name, text := range files {
		p := filepath.Join(root, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	ws, diags, err := load.Load(load.Options{Root: root})
	if err != nil {
		t.Fatal(err)
	}
	return ws, diags
}

const cascadeManifest = "schema_version: 1.0.0\nname: cascade\ncomponents:\n  - ./components/a\n  - ./components/b\nstandards:\n  - ./standards/tsc.yaml\n"

// satisfactions writes n satisfactions of standard std, each covered by
// component cover (none when "").
func satisfactions(key, std string, n int, cover string) string {
	var b strings.Builder
	fmt.Fprintf(&b, "schema_version: 3.1.0\nname: %s\nkey: %s\nsatisfies:\n", strings.ToUpper(key), key)
	for i := range n {
		fmt.Fprintf(&b, "  - standard_key: %s\n    control_key: C-%d\n    narrative:\n      - text: done\n    implementation_status: complete\n", std, i+1)
		if cover != "" {
			fmt.Fprintf(&b, "    covered_by:\n      - component_key: %s\n        verification_key: scan\n", cover)
		}
	}
	return b.String()
}

// One standard that is not loaded, named by 50 satisfactions in two files,
// is one error at its first use with 49 notes, and a did-you-mean against
// the standards the workspace does load; so is one missing component.
func TestCascadeCollapses(t *testing.T) {
	ws, diags := writeProgram(t, map[string]string{
		"opencontrol.yaml":            cascadeManifest,
		"standards/tsc.yaml":          "name: TSC-2017\nC-1:\n  family: C\n  name: One\n",
		"components/a/component.yaml": satisfactions("a", "TSC-2071", 30, "gateway"),
		"components/b/component.yaml": satisfactions("b", "TSC-2071", 20, ""),
	})
	if errs, _ := diags.Count(); errs > 0 {
		t.Fatalf("load: %v", briefs(diags))
	}
	got := check.Run(ws, *day("2026-03-01"))
	var std, comp []diag.Diagnostic
	for _, d := range got {
		switch d.Code {
		case diag.CodeUnknownStandard:
			std = append(std, d)
		case diag.CodeCoveredComponent:
			comp = append(comp, d)
		default:
			t.Errorf("unexpected %s", d)
		}
	}
	if len(std) != 1 || len(comp) != 1 {
		t.Fatalf("%d OC201 and %d OC205 errors, want one each: %v", len(std), len(comp), briefs(got))
	}
	d := std[0]
	if d.Pos != (diag.Pos{File: "components/a/component.yaml", Line: 5, Col: 19}) || d.Source != "  - standard_key: TSC-2071" {
		t.Errorf("first use at %s %q, want components/a/component.yaml:5:19", d.Pos, d.Source)
	}
	want := `satisfaction names standard "TSC-2071", which is not loaded (and 49 more uses in 2 files; one error for all); did you mean "TSC-2017"?`
	if d.Message != want {
		t.Errorf("message\n got %s\nwant %s", d.Message, want)
	}
	if len(d.Notes) != 49 || d.Notes[0].Pos.Line != 13 || d.Notes[48].Pos.File != "components/b/component.yaml" {
		t.Errorf("%d notes, first %s, last %s", len(d.Notes), d.Notes[0].Pos, d.Notes[len(d.Notes)-1].Pos)
	}
	c := comp[0]
	if len(c.Notes) != 29 || !strings.HasPrefix(c.Message, `covered_by names component "gateway", which does not exist (and 29 more uses in 1 file; one error for all)`) {
		t.Errorf("OC205: %s with %d notes", c.Message, len(c.Notes))
	}
	if c.Hint == "" {
		t.Error("OC205 has no hint")
	}
}

// A certification's unknown standard is reported on the standard's key,
// not on its first control.
func TestCertStandardCaret(t *testing.T) {
	ws, _ := writeProgram(t, map[string]string{
		"opencontrol.yaml":   "schema_version: 1.0.0\nname: x\nstandards:\n  - ./standards/tsc.yaml\ncertifications:\n  - ./certs/base.yaml\n",
		"standards/tsc.yaml": "name: TSC\nC-1:\n  family: C\n  name: One\n",
		"certs/base.yaml":    "name: base\nstandards:\n  TSX:\n    C-1: {}\n    C-2: {}\n",
	})
	got := check.Run(ws, *day("2026-03-01"))
	if len(got) != 1 || got[0].Code != diag.CodeCertStandard || got[0].Pos != (diag.Pos{File: "certs/base.yaml", Line: 3, Col: 3}) || got[0].Source != "  TSX:" {
		t.Errorf("got %v", briefs(got))
	}
	if !strings.Contains(got[0].Message, `did you mean "TSC"?`) {
		t.Errorf("no suggestion: %s", got[0].Message)
	}
}

// Two parameters with one key, and keyed narratives beside an unkeyed one,
// are reported.
func TestParametersAndNarratives(t *testing.T) {
	comp := "schema_version: 3.1.0\nname: A\nkey: a\nsatisfies:\n" +
		"  - standard_key: TSC\n    control_key: C-1\n    implementation_status: complete\n" +
		"    narrative:\n      - text: in general\n      - key: a\n        text: part a\n" +
		"    parameters:\n      - key: p\n        text: one\n      - key: q\n        text: two\n      - key: p\n        text: three\n"
	ws, diags := writeProgram(t, map[string]string{
		"opencontrol.yaml":            "schema_version: 1.0.0\nname: x\ncomponents:\n  - ./components/a\nstandards:\n  - ./standards/tsc.yaml\n",
		"standards/tsc.yaml":          "name: TSC\nC-1:\n  family: C\n  name: One\n",
		"components/a/component.yaml": comp,
	})
	if len(diags) > 0 {
		t.Fatalf("load: %v", briefs(diags))
	}
	got := briefs(check.Run(ws, *day("2026-03-01")))
	want := []string{
		`components/a/component.yaml:9:9: warning[OC110] TSC C-1 mixes keyed and unkeyed narratives |       - text: in general`,
		`components/a/component.yaml:17:9: error[OC216] parameter key "p" appears twice in TSC C-1 |       - key: p`,
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("got\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}
