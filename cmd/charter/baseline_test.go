package main

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/charter-compliance/charter/compiler/history/gittest"
)

// brokenWeb has an unknown key (a warning) and a control the standard
// lacks (an error).
func brokenWeb(above string) string {
	return "schema_version: 3.1.0\nname: Web\n" + above + "satisfies:\n" +
		"  - standard_key: DEMO\n    control_key: AC-1\n    implementation_status: complete\n    narrative:\n      - text: SSO.\n    implementation_statuss: [complete]\n" +
		"  - standard_key: DEMO\n    control_key: AC-2\n    implementation_status: complete\n    narrative:\n      - text: IdP.\n" +
		"  - standard_key: DEMO\n    control_key: AC-9\n    implementation_status: complete\n    narrative:\n      - text: Other.\n"
}

// charter baseline records today's findings; check --baseline then passes,
// still passes when the findings' lines move, and fails on a new one only.
func TestBaselineAdoption(t *testing.T) {
	root := checkRepo(t, map[string]string{"components/web/component.yaml": brokenWeb("")})
	if code, _, _ := runCheck(t, "check", "-C", root); code != 1 {
		t.Fatalf("without a baseline: exit %d, want 1", code)
	}
	code, out, errs := runCheck(t, "baseline", "-C", root)
	file := filepath.Join(root, "charter-baseline.json")
	if code != 0 || !strings.Contains(out, "2 findings (1 error, 1 warning: OC202 ×1, OC104 ×1)") {
		t.Fatalf("baseline: exit %d\n%s%s", code, out, errs)
	}
	first, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	if code, _, _ := runCheck(t, "baseline", "-C", root, "--out", file); code != 0 {
		t.Fatal("second baseline failed")
	}
	if again, _ := os.ReadFile(file); string(again) != string(first) {
		t.Errorf("two baselines of one tree differ:\n%s\n%s", first, again)
	}
	code, out, errs = runCheck(t, "check", "-C", root, "--baseline", file)
	if code != 0 || errs != "" || !strings.Contains(out, "findings: 0 errors, 0 warnings\nbaseline: 2 baselined findings suppressed\n") {
		t.Errorf("with the baseline: exit %d\n%s%s", code, out, errs)
	}
	// lines added above move every finding
	write(t, root, "components/web/component.yaml", brokenWeb("description: |\n  The web tier.\n  Two lines.\n"))
	if code, out, errs := runCheck(t, "check", "-C", root, "--baseline", file); code != 0 {
		t.Errorf("after the lines moved: exit %d\n%s%s", code, out, errs)
	}
	// a new finding fails, and is the only one shown
	write(t, root, "components/web/component.yaml", strings.Replace(brokenWeb(""), "control_key: AC-2", "control_key: AC-8", 1))
	code, out, errs = runCheck(t, "check", "-C", root, "--baseline", file)
	if code != 1 || strings.Count(errs, "error[OC202]") != 1 || !strings.Contains(errs, `"AC-8"`) || strings.Contains(errs, "OC104") ||
		!strings.Contains(out, "baseline: 2 baselined findings suppressed") {
		t.Errorf("a new finding: exit %d\n%s%s", code, out, errs)
	}
	write(t, root, "bad.json", `{"version": 2, "findings": []}`)
	if code, _, errs := runCheck(t, "check", "-C", root, "--baseline", filepath.Join(root, "bad.json")); code != 2 || !strings.Contains(errs, "has version 2") {
		t.Errorf("a baseline of another version: exit %d %s", code, errs)
	}
}

func write(t *testing.T, root, rel, text string) {
	t.Helper()
	if err := os.WriteFile(filepath.Join(root, filepath.FromSlash(rel)), []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
}

// charter.yaml's diagnostics turns a code off or up, after --strict.
func TestCheckDiagnosticsSettings(t *testing.T) {
	root := checkRepo(t, map[string]string{
		"components/web/component.yaml": webYAML("implemented") + "    implementation_statuss: [complete]\n",
		"charter.yaml":                  "gate: [baseline]\ndiagnostics:\n  OC104: {severity: off, reason: keys of the old tool}\n",
	})
	code, out, errs := runCheck(t, "check", "-C", root, "--strict")
	if code != 1 || strings.Contains(errs, "OC104") || !strings.Contains(errs, "error[OC107]") ||
		!strings.Contains(out, "findings: 1 error, 0 warnings: OC107 ×1\ncharter.yaml diagnostics: 1 finding turned off\n") {
		t.Errorf("OC104 off: exit %d\n%s%s", code, out, errs)
	}
	write(t, root, "charter.yaml", "gate: [baseline]\ndiagnostics:\n  OC104: {severity: off, reason: old keys}\n  OC107: {severity: warning, reason: we mean complete}\n")
	if code, out, errs := runCheck(t, "check", "-C", root, "--strict"); code != 0 || !strings.Contains(errs, "warning[OC107]") {
		t.Errorf("OC107 set back to a warning after --strict: exit %d\n%s%s", code, out, errs)
	}
	write(t, root, "charter.yaml", "diagnostics:\n  OC1O4: {severity: off, reason: typo}\n")
	if code, _, errs := runCheck(t, "check", "-C", root); code != 1 || !strings.Contains(errs, `charter.yaml:2:3: error[OC109]: diagnostics names code "OC1O4", which charter does not have; did you mean "OC104"?`) {
		t.Errorf("unknown code: exit %d\n%s", code, errs)
	}
}

// Findings in a fetched dependency's files are reported apart and do not
// fail check unless charter.yaml's dependencies says so.
func TestCheckDependencyFindings(t *testing.T) {
	dep := "schema_version: 3.1.0\nname: Vendor\nkey: vendor\nsatisfies:\n  - standard_key: DEMO\n    control_key: AC-7\n    implementation_status: complete\n    narrative:\n      - text: theirs\n"
	root := checkRepo(t, map[string]string{
		"opencontrol.yaml": "schema_version: \"1.0.0\"\nname: demo\ncomponents: [./components/web, ./opencontrols/components/vendor]\nstandards: [./standards/demo.yaml]\ncertifications: [./certifications/baseline.yaml]\n",
		"opencontrols/components/vendor/component.yaml": dep,
	})
	code, out, errs := runCheck(t, "check", "-C", root)
	if code != 0 || !strings.HasPrefix(errs, "\nfindings in fetched dependencies (opencontrols/), which do not fail check") ||
		!strings.Contains(errs, "opencontrols/components/vendor/component.yaml:6:18: error[OC202]") ||
		!strings.Contains(out, "findings: 0 errors, 0 warnings\nfindings in dependencies (opencontrols/): 1 error, 0 warnings: OC202 ×1\n") {
		t.Errorf("exit %d\n%s%s", code, out, errs)
	}
	code, out, _ = runCheck(t, "check", "-C", root, "--format", "json")
	var rep struct {
		OK          bool
		Diagnostics []struct{ Dependency bool }
	}
	if err := json.Unmarshal([]byte(out), &rep); err != nil || code != 0 || !rep.OK || len(rep.Diagnostics) != 1 || !rep.Diagnostics[0].Dependency {
		t.Errorf("json: exit %d, %+v, %v", code, rep, err)
	}
	write(t, root, "charter.yaml", "gate: [baseline]\ndependencies:\n  fail_on_errors: true\n")
	if code, _, errs := runCheck(t, "check", "-C", root); code != 1 || !strings.Contains(errs, "whose errors fail check") {
		t.Errorf("fail_on_errors: exit %d\n%s", code, errs)
	}
}

// --format github names files from the git top level when the program
// lives in a subdirectory, writes at most 50 annotations of a severity and
// one summary; usage errors are annotations too.
func TestCheckGitHubAtScale(t *testing.T) {
	r := gittest.New(t)
	var web strings.Builder
	web.WriteString(webYAML("complete"))
	for i := range 60 {
		fmt.Fprintf(&web, "    unknown_%d: x\n", i)
	}
	src := checkRepo(t, map[string]string{"components/web/component.yaml": web.String()})
	program := filepath.Join(r.Dir, "program")
	if err := os.CopyFS(program, os.DirFS(src)); err != nil {
		t.Fatal(err)
	}
	code, out, _ := runCheck(t, "check", "-C", program, "--format", "github")
	lines := strings.Split(out, "\n")
	warnings, summary := 0, ""
	for _, l := range lines {
		if strings.HasPrefix(l, "::warning ") {
			warnings++
			if !strings.HasPrefix(l, "::warning file=program/components/web/component.yaml,line=") {
				t.Errorf("annotation not relative to the top level: %s", l)
			}
		}
		if strings.HasPrefix(l, "::notice title=charter summary::") {
			summary = l
		}
	}
	if code != 0 || warnings != 50 || !strings.Contains(summary, "0 errors, 60 warnings: OC104 ×60 (10 not annotated") {
		t.Errorf("exit %d, %d warnings, summary %q\n%s", code, warnings, summary, out)
	}
	empty := t.TempDir()
	code, out, _ = runCheck(t, "check", "-C", empty, "--format", "github")
	if code != 2 || !strings.HasPrefix(out, "::error title=charter::charter: no opencontrol.yaml in") {
		t.Errorf("no opencontrol.yaml: exit %d, stdout %q", code, out)
	}
	code, out, _ = runCheck(t, "check", "--format=github", "--no-such-flag")
	if code != 2 || !strings.HasPrefix(out, "::error title=charter::charter: unknown flag --no-such-flag") {
		t.Errorf("bad flag: exit %d, stdout %q", code, out)
	}
}

// A repository git refuses to read (it belongs to another user) is said to
// be that, with the command that trusts it, not taken for one without
// history.
func TestCheckDubiousOwnership(t *testing.T) {
	r := gittest.New(t)
	src := checkRepo(t, nil)
	if err := os.CopyFS(r.Dir, os.DirFS(src)); err != nil {
		t.Fatal(err)
	}
	r.Git("add", "-A")
	r.Commit(gittest.Person{Name: "A", Email: "a@example.com"}, gittest.Day(2026, 2, 1, 12), "start")
	t.Setenv("SOURCE_DATE_EPOCH", "")
	t.Setenv("GIT_TEST_ASSUME_DIFFERENT_OWNER", "1") // git's own switch for this check
	var out, errb strings.Builder
	code := run([]string{"check", "-C", r.Dir}, &out, &errb)
	if code != 2 || !strings.Contains(errb.String(), "git refuses to read the repository at ") ||
		!strings.Contains(errb.String(), "dubious ownership") || !strings.Contains(errb.String(), "git config --global --add safe.directory ") ||
		strings.Contains(out.String(), "no git history") {
		t.Errorf("exit %d\nstdout:\n%s\nstderr:\n%s", code, out.String(), errb.String())
	}
}
