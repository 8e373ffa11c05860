package main

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/charter-compliance/charter/compiler"
	"github.com/charter-compliance/charter/compiler/coverage"
)

// runCheck runs the whole program as a user would, minus os.Exit.
func runCheck(t *testing.T, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	// judge on a fixed day, not the clock or a git commit
	t.Setenv("SOURCE_DATE_EPOCH", "1772323200") // 2026-03-01
	t.Setenv("NO_COLOR", "")
	var out, errb bytes.Buffer
	code = run(args, &out, &errb)
	return code, out.String(), errb.String()
}

// checkRepo writes a small repository: standard DEMO with AC-1 and AC-2, a
// component that meets both, certification baseline (both controls) and
// charter.yaml gating on it. extra files are added or replace these.
func checkRepo(t *testing.T, extra map[string]string) string {
	t.Helper()
	files := map[string]string{
		"opencontrol.yaml": `schema_version: "1.0.0"
name: demo
components:
  - ./components/web
standards:
  - ./standards/demo.yaml
certifications:
  - ./certifications/baseline.yaml
`,
		"charter.yaml":                  "gate: [baseline]\n",
		"standards/demo.yaml":           "name: DEMO\nAC-1:\n  name: Access control policy\nAC-2:\n  name: Account management\n",
		"certifications/baseline.yaml":  "name: baseline\nstandards:\n  DEMO:\n    AC-1: {}\n    AC-2: {}\n",
		"components/web/component.yaml": webYAML("complete"),
	}
	for k, v := range extra {
		files[k] = v
	}
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
	return root
}

// webYAML is the web component with the given status for AC-2.
func webYAML(ac2 string) string {
	return `schema_version: 3.1.0
name: Web
satisfies:
  - standard_key: DEMO
    control_key: AC-1
    implementation_status: complete
    narrative:
      - text: Single sign-on guards every page.
  - standard_key: DEMO
    control_key: AC-2
    implementation_status: ` + ac2 + `
    narrative:
      - text: Accounts come from the identity provider.
`
}

func TestCheckClean(t *testing.T) {
	root := checkRepo(t, nil)
	code, out, errs := runCheck(t, "check", "-C", root)
	if code != 0 {
		t.Fatalf("exit %d\nstdout:\n%s\nstderr:\n%s", code, out, errs)
	}
	want := `demo: 5 files, 1 component, 2 satisfactions, 1 standard, 1 certification, 0 documents
0 errors, 0 warnings; judged as of 2026-03-01 (SOURCE_DATE_EPOCH)

baseline [gate]: 2 satisfied, 0 not applicable, of 2
  satisfied 2 · partial 0 · planned 0 · unknown 0 · none 0 · missing 0 · not-applicable 0

findings: 0 errors, 0 warnings
`
	if out != want {
		t.Errorf("stdout:\n%s\nwant:\n%s", out, want)
	}
	if errs != "" {
		t.Errorf("stderr: %q", errs)
	}
}

func TestCheckErrors(t *testing.T) {
	root := checkRepo(t, map[string]string{
		"components/db/component.yaml": "schema_version: 3.1.0\nname: DB\nsatisfies:\n  - standard_key: DEMO\n    control_key: AC-9\n",
		"opencontrol.yaml":             "schema_version: \"1.0.0\"\nname: demo\ncomponents: [./components/web, ./components/db]\nstandards: [./standards/demo.yaml]\ncertifications: [./certifications/baseline.yaml]\n",
	})
	code, out, errs := runCheck(t, "check", "-C", root)
	if code != 1 {
		t.Fatalf("exit %d, want 1\n%s%s", code, out, errs)
	}
	wantErr := `components/db/component.yaml:5:18: error[OC202]: satisfaction names control "AC-9", which standard DEMO does not have
 5 |     control_key: AC-9
   |                  ^
  hint: DEMO has 2 controls; check the ID against standards/demo.yaml
`
	if errs != wantErr {
		t.Errorf("stderr:\n%s\nwant:\n%s", errs, wantErr)
	}
	if !strings.Contains(out, "1 error, 0 warnings; judged as of 2026-03-01") || strings.Contains(out, "gate failed") {
		t.Errorf("stdout:\n%s", out)
	}
}

func TestCheckGateUnsatisfied(t *testing.T) {
	root := checkRepo(t, map[string]string{"components/web/component.yaml": webYAML("planned")})
	code, out, errs := runCheck(t, "check", "-C", root)
	if code != 1 {
		t.Fatalf("exit %d, want 1\n%s%s", code, out, errs)
	}
	want := `demo: 5 files, 1 component, 2 satisfactions, 1 standard, 1 certification, 0 documents
0 errors, 0 warnings; judged as of 2026-03-01 (SOURCE_DATE_EPOCH)

baseline [gate]: 1 satisfied, 0 not applicable, of 2
  satisfied 1 · partial 0 · planned 1 · unknown 0 · none 0 · missing 0 · not-applicable 0
  not satisfied (1):
    planned   DEMO AC-2 Account management

gate failed: baseline not fully satisfied

findings: 0 errors, 0 warnings
`
	if out != want {
		t.Errorf("stdout:\n%s\nwant:\n%s", out, want)
	}
	if errs != "" {
		t.Errorf("stderr: %q", errs)
	}
}

// --require adds a gate; without charter.yaml's gate the same repository
// passes. A name that is no certification is a usage error.
func TestCheckRequire(t *testing.T) {
	root := checkRepo(t, map[string]string{"components/web/component.yaml": webYAML("planned"), "charter.yaml": "organization: Demo\n"})
	if code, out, errs := runCheck(t, "check", "-C", root); code != 0 {
		t.Errorf("no gate: exit %d\n%s%s", code, out, errs)
	}
	code, out, _ := runCheck(t, "check", "-C", root, "--require", "baseline")
	if code != 1 || !strings.Contains(out, "gate failed: baseline not fully satisfied") {
		t.Errorf("--require baseline: exit %d\n%s", code, out)
	}
	code, out, errs := runCheck(t, "check", "-C", root, "--require", "basline")
	if code != 2 || out != "" || errs != "charter: no certification named \"basline\"; did you mean \"baseline\"? (have: baseline)\n" {
		t.Errorf("--require basline: exit %d\nstdout %q\nstderr %q", code, out, errs)
	}
}

func TestCheckUsageErrors(t *testing.T) {
	root := checkRepo(t, nil)
	code, out, errs := runCheck(t, "check", "-C", root, "--bogus")
	if code != 2 || !strings.Contains(errs, "charter: unknown flag --bogus") {
		t.Errorf("unknown flag: exit %d\nstdout %q\nstderr %q", code, out, errs)
	}
	code, _, errs = runCheck(t, "check", "-C", root, "--format", "xml")
	if code != 2 || !strings.Contains(errs, "--format must be one of") {
		t.Errorf("bad format: exit %d, stderr %q", code, errs)
	}
	empty := t.TempDir()
	code, out, errs = runCheck(t, "check", "-C", empty)
	if code != 2 || out != "" || !strings.HasPrefix(errs, "charter: no opencontrol.yaml in "+empty) {
		t.Errorf("no manifest: exit %d\nstdout %q\nstderr %q", code, out, errs)
	}
	code, _, errs = runCheck(t, "check", "-C", root, "--standard", filepath.Join(root, "absent.yaml"))
	if code != 2 || !strings.Contains(errs, "absent.yaml") {
		t.Errorf("missing --standard file: exit %d, stderr %q", code, errs)
	}
	code, _, errs = runCheck(t, "nosuchcommand")
	if code != 2 || !strings.Contains(errs, "unexpected argument nosuchcommand") {
		t.Errorf("unknown command: exit %d, stderr %q", code, errs)
	}
}

func TestCheckJSON(t *testing.T) {
	root := checkRepo(t, map[string]string{"components/web/component.yaml": webYAML("planned") + "    implementation_statuss: [complete]\n"})
	code, out, errs := runCheck(t, "check", "-C", root, "--format", "json")
	if code != 1 {
		t.Fatalf("exit %d, want 1 (gate fails)\n%s%s", code, out, errs)
	}
	if errs != "" {
		t.Errorf("stderr %q: JSON mode writes only stdout", errs)
	}
	var got struct {
		Root        string `json:"root"`
		AsOf        string `json:"as_of"`
		AsOfSource  string `json:"as_of_source"`
		Diagnostics []struct {
			Severity string `json:"severity"`
			Code     string `json:"code"`
			Message  string `json:"message"`
			Position struct {
				File   string `json:"file"`
				Line   int    `json:"line"`
				Column int    `json:"column"`
			} `json:"position"`
			Source string `json:"source"`
			Hint   string `json:"hint"`
		} `json:"diagnostics"`
		Errors         int      `json:"errors"`
		Warnings       int      `json:"warnings"`
		OK             bool     `json:"ok"`
		FailingGates   []string `json:"failing_gates"`
		Certifications []struct {
			Name     string         `json:"name"`
			Gate     bool           `json:"gate"`
			Total    int            `json:"total"`
			Done     int            `json:"satisfied"`
			Complete bool           `json:"complete"`
			Counts   map[string]int `json:"counts"`
			Gaps     []string       `json:"gaps"`
		} `json:"certifications"`
	}
	var fields map[string]json.RawMessage
	if err := json.Unmarshal([]byte(out), &fields); err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	var keys []string
	for k := range fields {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	if got, want := strings.Join(keys, " "), "as_of as_of_source baselined certifications diagnostics errors failing_gates ok root turned_off warnings"; got != want {
		t.Errorf("top-level fields %q, want %q", got, want)
	}
	if err := json.Unmarshal([]byte(out), &got); err != nil {
		t.Fatal(err)
	}
	// the root as seen from the working directory, never an absolute path
	wd, _ := os.Getwd()
	rel, _ := filepath.Rel(wd, root)
	if got.Root != filepath.ToSlash(rel) || got.AsOf != "2026-03-01" || got.AsOfSource != "SOURCE_DATE_EPOCH" || got.OK || got.Errors != 0 || got.Warnings != 1 {
		t.Errorf("header: root %q as_of %q (%s) ok %v errors %d warnings %d", got.Root, got.AsOf, got.AsOfSource, got.OK, got.Errors, got.Warnings)
	}
	if strings.Join(got.FailingGates, ",") != "baseline" {
		t.Errorf("failing_gates %q", got.FailingGates)
	}
	if len(got.Diagnostics) != 1 {
		t.Fatalf("diagnostics %+v", got.Diagnostics)
	}
	d := got.Diagnostics[0]
	if d.Severity != "warning" || d.Code != "OC104" || d.Position.File != "components/web/component.yaml" || d.Position.Line != 14 || d.Position.Column != 5 ||
		d.Source != "    implementation_statuss: [complete]" || d.Message != `unknown key "implementation_statuss" in a satisfaction; did you mean "implementation_status"?` {
		t.Errorf("diagnostic %+v", d)
	}
	if len(got.Certifications) != 1 {
		t.Fatalf("certifications %+v", got.Certifications)
	}
	c := got.Certifications[0]
	if c.Name != "baseline" || !c.Gate || c.Total != 2 || c.Done != 1 || c.Complete || c.Counts["planned"] != 1 || strings.Join(c.Gaps, ",") != "DEMO AC-2" {
		t.Errorf("certification %+v", c)
	}

	// a clean run says ok, with empty lists rather than nulls
	code, out, _ = runCheck(t, "check", "-C", checkRepo(t, nil), "--format", "json")
	if code != 0 || !strings.Contains(out, `"diagnostics": [],`) || !strings.Contains(out, `"failing_gates": [],`) || !strings.Contains(out, `"ok": true`) {
		t.Errorf("clean JSON: exit %d\n%s", code, out)
	}
}

// Colour only when asked or on a terminal; a buffer is no terminal.
func TestCheckColour(t *testing.T) {
	root := checkRepo(t, map[string]string{"components/web/component.yaml": webYAML("implemented")})
	for _, tc := range []struct {
		args   []string
		colour bool
	}{
		{nil, false},
		{[]string{"--color", "never"}, false},
		{[]string{"--color", "auto"}, false},
		{[]string{"--color", "always"}, true},
	} {
		code, _, errs := runCheck(t, append([]string{"check", "-C", root}, tc.args...)...)
		if code != 0 {
			t.Errorf("%v: exit %d (a guessed status is a warning)", tc.args, code)
		}
		if !strings.Contains(errs, "warning") || !strings.Contains(errs, "OC107") {
			t.Fatalf("%v: stderr %q", tc.args, errs)
		}
		if has := strings.Contains(errs, "\x1b["); has != tc.colour {
			t.Errorf("%v: colour %v, want %v:\n%q", tc.args, has, tc.colour, errs)
		}
	}
	code, _, errs := runCheck(t, "check", "-C", root, "--color", "always")
	if code != 0 || !strings.HasPrefix(errs, "\x1b[1mcomponents/web/component.yaml:11:28\x1b[0m: \x1b[1;33mwarning\x1b[0m[OC107]") {
		t.Errorf("coloured warning %q", errs)
	}
}

// --strict (or strict: true in charter.yaml) turns warnings about unknown
// keys, guessed statuses and origins into errors.
func TestCheckStrict(t *testing.T) {
	root := checkRepo(t, map[string]string{"components/web/component.yaml": webYAML("implemented")})
	if code, _, _ := runCheck(t, "check", "-C", root); code != 0 {
		t.Errorf("without --strict: exit %d", code)
	}
	code, _, errs := runCheck(t, "check", "-C", root, "--strict")
	if code != 1 || !strings.Contains(errs, "components/web/component.yaml:11:28: error[OC107]") {
		t.Errorf("--strict: exit %d, stderr %q", code, errs)
	}
	root = checkRepo(t, map[string]string{"components/web/component.yaml": webYAML("implemented"), "charter.yaml": "gate: [baseline]\nstrict: true\n"})
	if code, _, _ := runCheck(t, "check", "-C", root); code != 1 {
		t.Errorf("strict: true: exit %d", code)
	}
}

// A repository that uses a standard it does not ship passes once the
// standard is given with --standard.
func TestCheckExtraStandard(t *testing.T) {
	base := t.TempDir()
	std := filepath.Join(base, "demo.yaml")
	if err := os.WriteFile(std, []byte("name: DEMO\nAC-1:\n  name: Access control policy\nAC-2:\n  name: Account management\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	root := checkRepo(t, map[string]string{
		"opencontrol.yaml": "schema_version: \"1.0.0\"\nname: demo\ncomponents: [./components/web]\ncertifications: [./certifications/baseline.yaml]\n",
	})
	code, out, errs := runCheck(t, "check", "-C", root)
	if code != 1 || strings.Count(errs, "error[OC201]") != 1 || strings.Count(errs, "note: ") != 1 || strings.Count(errs, "error[OC203]") != 1 {
		t.Errorf("without the standard: exit %d\n%s", code, errs)
	}
	code, out, errs = runCheck(t, "check", "-C", root, "--standard", std)
	if code != 0 || errs != "" || !strings.Contains(out, "baseline [gate]: 2 satisfied, 0 not applicable, of 2") {
		t.Errorf("with --standard: exit %d\n%s%s", code, out, errs)
	}
}

func TestCheckGitHubFormat(t *testing.T) {
	root := checkRepo(t, map[string]string{"components/web/component.yaml": webYAML("implemented")})
	code, out, errs := runCheck(t, "check", "-C", root, "--format", "github")
	if code != 0 || errs != "" {
		t.Fatalf("exit %d, stderr %q", code, errs)
	}
	first, _, _ := strings.Cut(out, "\n")
	if first != `::warning file=components/web/component.yaml,line=11,col=28,title=charter OC107::implementation status "implemented" is not in the schema; read as "complete"%0Aif "complete" is meant, write it (the schemas' statuses are: complete, inherited, none, not applicable, partial, planned, unknown, unsatisfied)` {
		t.Errorf("first line %q", first)
	}
}

func TestVersion(t *testing.T) {
	code, out, errs := runCheck(t, "version")
	if code != 0 || out != "charter "+Version+"\n" || errs != "" {
		t.Errorf("exit %d, stdout %q, stderr %q", code, out, errs)
	}
}

// The JSON report is written by hand for speed; it is byte for byte what
// encoding/json writes for the same fields, with findings, failing gates
// and characters JSON escapes in the root path.
func TestCheckJSONMatchesEncodingJSON(t *testing.T) {
	base := checkRepo(t, map[string]string{"components/web/component.yaml": webYAML("planned") + "    implementation_statuss: [complete]\n"})
	root := filepath.Join(t.TempDir(), "a <&> \"b\"")
	if err := os.Rename(base, root); err != nil {
		t.Fatal(err)
	}
	for _, args := range [][]string{{"--format", "json"}, {"--format", "json", "--cert", "baseline"}, {"--format", "json", "--require", "baseline"}} {
		code, out, _ := runCheck(t, append([]string{"check", "-C", root}, args...)...)
		res, err := compiler.Check(compiler.Options{Root: root, SourceDateEpoch: "1772323200"})
		if err != nil {
			t.Fatal(err)
		}
		var names, require []string
		for i := 1; i < len(args); i += 2 {
			switch args[i-1] {
			case "--cert":
				names = append(names, args[i])
			case "--require":
				require = append(require, args[i])
			}
		}
		sel := coverage.Selection{Names: names, Gated: res.Gated(require...)}
		failing := sel.Failing(res.Coverage)
		errs, warns := res.Diagnostics.Count()
		var want bytes.Buffer
		enc := json.NewEncoder(&want)
		enc.SetIndent("", "  ")
		if err := enc.Encode(map[string]any{
			"root":           fromWd(res.Workspace.Root),
			"as_of":          res.AsOf.Format(time.DateOnly),
			"as_of_source":   string(res.AsOfSource),
			"baselined":      0,
			"turned_off":     0,
			"diagnostics":    nonNil(res.Diagnostics),
			"errors":         errs,
			"warnings":       warns,
			"certifications": coverage.JSONCertifications(res.Coverage, sel),
			"failing_gates":  nonNilStrings(failing),
			"ok":             errs == 0 && len(failing) == 0,
		}); err != nil {
			t.Fatal(err)
		}
		if code != 1 || out != want.String() {
			t.Errorf("%v: exit %d, output differs from encoding/json's:\n--- got\n%s--- want\n%s", args, code, out, want.String())
		}
	}
}

// --today decides the judging day over SOURCE_DATE_EPOCH; a malformed one is
// a usage error.
func TestCheckToday(t *testing.T) {
	root := checkRepo(t, nil)
	code, out, errs := runCheck(t, "check", "-C", root, "--today", "2031-07-04")
	if code != 0 || !strings.Contains(out, "0 errors, 0 warnings; judged as of 2031-07-04 (--today)\n") {
		t.Errorf("exit %d\nstdout:\n%s\nstderr:\n%s", code, out, errs)
	}
	code, out, errs = runCheck(t, "check", "-C", root, "--today", "July 4")
	if code != 2 || !strings.Contains(errs, `--today "July 4" is not a date`) {
		t.Errorf("malformed --today: exit %d\nstdout:\n%s\nstderr:\n%s", code, out, errs)
	}
}
