package main

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/charter-compliance/charter/compiler/export/ci"
	"github.com/charter-compliance/charter/compiler/history/gittest"
	"github.com/charter-compliance/charter/internal/schematest"
)

const (
	oscalSchemaFile = "../../../shared/schemas/oscal_complete_schema-1-2-2.json"
	sarifSchemaFile = "../../../shared/schemas/sarif-schema-2.1.0.json"
)

func TestExportJSONToStdout(t *testing.T) {
	dir := checkRepo(t, nil)
	code, stdout, stderr := runCheck(t, "-C", dir, "export", "--format", "json")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	schematest.Validate(t, "../../docs/export.schema.json", []byte(stdout))
	if !strings.Contains(stdout, `"judging_day": "2026-03-01"`) || !strings.Contains(stdout, `"version": "unversioned"`) {
		t.Errorf("build block missing:\n%s", stdout[:min(len(stdout), 600)])
	}
}

func TestExportFormats(t *testing.T) {
	dir := checkRepo(t, nil)
	out := t.TempDir()
	for _, tc := range []struct {
		args []string
		want []string
	}{
		{[]string{"--format", "csv", "--out", filepath.Join(out, "m.csv")}, []string{"m.csv"}},
		{[]string{"--format", "xlsx", "--out", filepath.Join(out, "m.xlsx")}, []string{"m.xlsx"}},
		{[]string{"--format", "oscal", "--out", filepath.Join(out, "oscal")}, []string{"oscal/component-definition.json", "oscal/assessment-plan.json", "oscal/assessment-results.json"}},
	} {
		code, _, stderr := runCheck(t, append([]string{"-C", dir, "export"}, tc.args...)...)
		if code != 0 {
			t.Fatalf("%v: exit %d: %s", tc.args, code, stderr)
		}
		for _, w := range tc.want {
			data, err := os.ReadFile(filepath.Join(out, w))
			if err != nil {
				t.Fatalf("%v: %v", tc.args, err)
			}
			if strings.HasPrefix(w, "oscal/") {
				schematest.Validate(t, oscalSchemaFile, data)
			}
		}
	}
	csv, _ := os.ReadFile(filepath.Join(out, "m.csv"))
	if !strings.Contains(string(csv), "control matrix,baseline\n") || !strings.Contains(string(csv), "DEMO,AC-2,Account management,satisfied,") {
		t.Errorf("csv:\n%s", csv)
	}
}

func TestExportUsageErrors(t *testing.T) {
	dir := checkRepo(t, nil)
	for args, want := range map[string]string{
		"--format xlsx":                           "give --out FILE",
		"--format oscal":                          "give --out DIR",
		"--format csv --cert nope":                `no certification named "nope"`,
		"--format json --period-start 2026":       "not a date",
		"--format json --period-start 2027-01-01": "after the judging day",
	} {
		code, _, stderr := runCheck(t, append([]string{"-C", dir, "export"}, strings.Fields(args)...)...)
		if code != exitUsage || !strings.Contains(stderr, want) {
			t.Errorf("%s: exit %d, stderr %q; want 2 and %q", args, code, stderr, want)
		}
	}
}

func TestExportRefusesErrors(t *testing.T) {
	dir := checkRepo(t, map[string]string{"components/web/component.yaml": webYAML("compleat")})
	code, stdout, stderr := runCheck(t, "-C", dir, "export", "--format", "json")
	if code != exitFindings || stdout != "" || !strings.Contains(stderr, "OC106") || !strings.Contains(stderr, "refused") {
		t.Errorf("exit %d, stdout %q, stderr %q", code, stdout, stderr)
	}
	if code, stdout, _ := runCheck(t, "-C", dir, "export", "--format", "json", "--allow-errors"); code != 0 || !strings.Contains(stdout, `"format"`) {
		t.Errorf("--allow-errors: exit %d", code)
	}
}

// checkSARIF runs check --format sarif and validates the log.
func checkSARIF(t *testing.T, dir string) (int, map[string]any) {
	t.Helper()
	code, stdout, stderr := runCheck(t, "-C", dir, "check", "--format", "sarif")
	if code == exitUsage {
		t.Fatalf("exit 2: %s", stderr)
	}
	schematest.Validate(t, sarifSchemaFile, []byte(stdout))
	var doc map[string]any
	if err := json.Unmarshal([]byte(stdout), &doc); err != nil {
		t.Fatal(err)
	}
	return code, doc
}

// In a git repository whose workspace is a subdirectory, URIs are relative
// to the repository's top level, and a finding keeps its fingerprint when
// lines are added above it.
func TestCheckSARIFInGit(t *testing.T) {
	r := gittest.New(t)
	sub := filepath.Join(r.Dir, "compliance")
	if err := os.MkdirAll(sub, 0o755); err != nil {
		t.Fatal(err)
	}
	src := checkRepo(t, map[string]string{"components/web/component.yaml": webYAML("compleat")})
	copyTree(t, src, sub)
	r.Git("add", "-A")
	r.Commit(gittest.Person{Name: "A", Email: "a@example.com"}, gittest.Day(2026, 2, 1, 12), "start")
	code, doc := checkSARIF(t, sub)
	if code != exitFindings {
		t.Errorf("exit %d, want 1 for findings", code)
	}
	res := results(doc)
	if len(res) != 1 {
		t.Fatalf("%d results", len(res))
	}
	uri := dig(res[0], "locations", 0, "physicalLocation", "artifactLocation", "uri")
	if uri != "compliance/components/web/component.yaml" {
		t.Errorf("uri %v", uri)
	}
	fp := dig(res[0], "partialFingerprints", "charterFinding/v1")
	line := dig(res[0], "locations", 0, "physicalLocation", "region", "startLine")

	// move the finding down three lines
	p := filepath.Join(sub, "components/web/component.yaml")
	data, _ := os.ReadFile(p)
	os.WriteFile(p, []byte("# one\n# two\n# three\n"+string(data)), 0o644)
	_, doc = checkSARIF(t, sub)
	res = results(doc)
	if got := dig(res[0], "locations", 0, "physicalLocation", "region", "startLine"); got != line.(float64)+3 {
		t.Errorf("line %v, want %v", got, line.(float64)+3)
	}
	if got := dig(res[0], "partialFingerprints", "charterFinding/v1"); got != fp {
		t.Errorf("fingerprint changed from %v to %v when the line moved", fp, got)
	}
}

func results(doc map[string]any) []any {
	return dig(doc, "runs", 0, "results").([]any)
}

// dig walks a decoded JSON value by keys and indexes.
func dig(v any, path ...any) any {
	for _, p := range path {
		switch k := p.(type) {
		case string:
			v = v.(map[string]any)[k]
		case int:
			v = v.([]any)[k]
		}
	}
	return v
}

func copyTree(t *testing.T, from, to string) {
	t.Helper()
	err := filepath.WalkDir(from, func(p string, d os.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(from, p)
		if d.IsDir() {
			return os.MkdirAll(filepath.Join(to, rel), 0o755)
		}
		b, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		return os.WriteFile(filepath.Join(to, rel), b, 0o644)
	})
	if err != nil {
		t.Fatal(err)
	}
}

func TestCITemplate(t *testing.T) {
	for _, tpl := range ci.Templates {
		code, stdout, stderr := runCheck(t, "ci-template", "--provider", tpl.Provider)
		if code != 0 || !bytes.Equal([]byte(stdout), tpl.Data) || !strings.Contains(stderr, tpl.Path) {
			t.Errorf("%s: exit %d, stderr %q", tpl.Provider, code, stderr)
		}
	}
	if code, _, _ := runCheck(t, "ci-template", "--provider", "jenkins"); code != exitUsage {
		t.Errorf("unknown provider: exit %d", code)
	}
}
