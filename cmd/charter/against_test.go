package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/charter-compliance/charter/compiler/history/gittest"
)

// v1.0.0 → v1.1.0 of the test program: CC6.1 improves (partial →
// satisfied), CC8.1 falls (satisfied → planned: vpn is replaced by
// github's planned claim, and PRO-DEPLOY is approved but not yet in force).
func TestCheckAgainstListsExactlyTheRegressions(t *testing.T) {
	p := gittest.NewProgram(t)
	code, out, errs := runCharter(t, "-C", p.Dir, "check", "--against", "v1.0.0")
	if code != 1 {
		t.Fatalf("exit %d, want 1; stderr:\n%s", code, errs)
	}
	if n := strings.Count(errs, "error[OC601]"); n != 1 {
		t.Errorf("%d OC601 errors, want 1:\n%s", n, errs)
	}
	for _, want := range []string{
		"components/github/component.yaml:5:5: error[OC601]: TSC CC8.1 (Change management) regressed against v1.0.0: satisfied → planned, required by soc2-security",
		"note: components/github/component.yaml:5:5: component github (GitHub) claims it anew: planned (status planned)",
		"component vpn (Legacy VPN) no longer claims it; at v1.0.0 it was satisfied (status complete), in components/vpn/component.yaml:5:5",
		"document PRO-DEPLOY (Deploy a Change): planned (approved but not yet effective); at v1.0.0 (draft: not in force)",
	} {
		if !strings.Contains(errs, want) {
			t.Errorf("stderr lacks %q:\n%s", want, errs)
		}
	}
	if strings.Contains(errs, "CC6.1") {
		t.Errorf("an improved criterion is reported:\n%s", errs)
	}
	if !strings.Contains(out, "against v1.0.0 ("+p.Merge[:12]+"): 1 criterion regressed\n  TSC CC8.1: satisfied → planned\n") {
		t.Errorf("summary:\n%s", out)
	}
}

func TestCheckAgainstSameRevisionPasses(t *testing.T) {
	p := gittest.NewProgram(t)
	code, out, errs := runCharter(t, "-C", p.Dir, "check", "--against", "HEAD")
	if code != 0 || strings.Contains(errs, "OC601") {
		t.Fatalf("exit %d; stderr:\n%s", code, errs)
	}
	if !strings.Contains(out, "against HEAD ("+p.Squash[:12]+"): no criterion regressed") {
		t.Errorf("summary:\n%s", out)
	}
}

// An uncommitted edit of the working tree is compared with the commit.
func TestCheckAgainstWorkingTreeEdit(t *testing.T) {
	p := gittest.NewProgram(t)
	file := filepath.Join(p.Dir, "components/okta/component.yaml")
	data, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	edited := strings.Replace(string(data), "    implementation_status: complete\n  - standard_key: TSC\n    control_key: CC6.2",
		"    implementation_status: partial\n  - standard_key: TSC\n    control_key: CC6.2", 1)
	if edited == string(data) {
		t.Fatal("the program's okta component changed; update the test")
	}
	if err := os.WriteFile(file, []byte(edited), 0o644); err != nil {
		t.Fatal(err)
	}
	code, out, errs := runCharter(t, "-C", p.Dir, "check", "--against", "HEAD", "--format", "json")
	if code != 1 {
		t.Fatalf("exit %d, want 1; stderr:\n%s", code, errs)
	}
	var rep struct {
		Against struct {
			Ref         string `json:"ref"`
			Commit      string `json:"commit"`
			Regressions []struct {
				Standard, Control, From, To string
				Evidence                    []struct {
					Kind, Key, From, To string
				}
			} `json:"regressions"`
		} `json:"against"`
		Diagnostics []struct {
			Code    string `json:"code"`
			Message string `json:"message"`
		} `json:"diagnostics"`
	}
	if err := json.Unmarshal([]byte(out), &rep); err != nil {
		t.Fatalf("%v:\n%s", err, out)
	}
	a := rep.Against
	if a.Ref != "HEAD" || a.Commit != p.Squash || len(a.Regressions) != 1 {
		t.Fatalf("against %+v", a)
	}
	g := a.Regressions[0]
	if g.Control != "CC6.1" || g.From != "satisfied" || g.To != "partial" || len(g.Evidence) != 1 ||
		g.Evidence[0].Key != "okta" || g.Evidence[0].From != "satisfied" || g.Evidence[0].To != "partial" {
		t.Errorf("regression %+v", g)
	}
	found := false
	for _, d := range rep.Diagnostics {
		found = found || d.Code == "OC601" && strings.Contains(d.Message, "TSC CC6.1")
	}
	if !found {
		t.Errorf("no OC601 diagnostic in %+v", rep.Diagnostics)
	}

	// the same finding as a GitHub annotation and as a SARIF result
	_, gh, _ := runCharter(t, "-C", p.Dir, "check", "--against", "HEAD", "--format", "github")
	if !strings.Contains(gh, "::error file=components/okta/component.yaml,line=5,") || !strings.Contains(gh, "OC601") {
		t.Errorf("github output:\n%s", gh)
	}
	_, sarif, _ := runCharter(t, "-C", p.Dir, "check", "--against", "HEAD", "--format", "sarif")
	if !strings.Contains(sarif, `"ruleId": "OC601"`) {
		t.Errorf("sarif output lacks OC601:\n%.2000s", sarif)
	}
}

func TestCheckAgainstUnknownRevision(t *testing.T) {
	p := gittest.NewProgram(t)
	code, _, errs := runCharter(t, "-C", p.Dir, "check", "--against", "no-such-branch")
	if code != 2 || !strings.Contains(errs, "--against no-such-branch") {
		t.Errorf("exit %d, stderr:\n%s", code, errs)
	}
}
