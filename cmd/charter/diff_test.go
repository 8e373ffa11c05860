package main

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/charter-compliance/charter/compiler/history/gittest"
)

func runCharter(t *testing.T, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	var out, errb bytes.Buffer
	code = run(args, &out, &errb)
	return code, out.String(), errb.String()
}

const wantDiffText = `Changes from v1.0.0 (MERGE, as of 2024-02-15) to v1.1.0 (SQUASH, as of 2024-03-01)

Certifications
  + soc2-availability: added, 0 satisfied, 0 not applicable, of 1
  ~ soc2-security: 2 satisfied, 0 not applicable, of 3 → 2 satisfied, 0 not applicable, of 3
      TSC CC6.1  partial → satisfied  Logical access security
      TSC CC8.1  satisfied → planned  Change management

Components
  + github  GitHub (components/github/component.yaml)
  - vpn  Legacy VPN (components/vpn/component.yaml)

Narratives
  + github  TSC CC8.1
      + Branch protection will require one approving review.
  ~ okta  TSC CC6.1  (a)
      Okta is the single identity provider. Every user signs in with [-multi-factor authentication-]{+a hardware security key+}.
  + okta  TSC CC6.1  (b)
      + Sessions expire after twelve hours.
  - vpn  TSC CC8.1
      - Changes to the VPN configuration are reviewed by a second engineer.

Policies and procedures
  ~ POL-ACCESS  Access Control Policy (policies/access.md → policies/access-control.md)
      owner: IT Lead → Security Lead
      @@ -14,5 +14,5 @@
       # Access Control Policy
       
       1. Access follows least privilege.
      -2. Access is reviewed every quarter.
      +2. Access is reviewed every month.
       3. Leavers lose access on their last day.
  - POL-OLD  Old Remote Access Policy (policies/old.md)
  ~ PRO-DEPLOY  Deploy a Change (procedures/deploy.md)
      approvers: (none) → CTO
      status: draft → approved
  + PRO-NEW  Review Access (procedures/new.md)
`

func TestDiffText(t *testing.T) {
	p := gittest.NewProgram(t)
	code, out, errs := runCharter(t, "-C", p.Dir, "diff", "v1.0.0..v1.1.0")
	if code != 0 || errs != "" {
		t.Fatalf("exit %d, stderr:\n%s", code, errs)
	}
	want := strings.NewReplacer("MERGE", p.Merge[:10], "SQUASH", p.Squash[:10]).Replace(wantDiffText)
	if out != want {
		t.Errorf("output:\n%s\nwant:\n%s", out, want)
	}
	// --color=always paints the same report
	_, colored, _ := runCharter(t, "-C", p.Dir, "--color=always", "diff", "v1.0.0..v1.1.0")
	if !strings.Contains(colored, "\x1b[31mmulti-factor authentication\x1b[0m\x1b[32ma hardware security key\x1b[0m") {
		t.Errorf("colour output lacks the painted word diff:\n%q", colored)
	}
	if stripANSI(colored) != strings.NewReplacer("[-multi-factor authentication-]{+a hardware security key+}", "multi-factor authenticationa hardware security key").Replace(want) {
		t.Errorf("colour output differs from plain output beyond colour:\n%s", stripANSI(colored))
	}
}

func stripANSI(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if s[i] == 0x1b {
			for i < len(s) && s[i] != 'm' {
				i++
			}
			continue
		}
		b.WriteByte(s[i])
	}
	return b.String()
}

func TestDiffWorkingTree(t *testing.T) {
	p := gittest.NewProgram(t)
	p.Write("components/github/component.yaml", strings.Replace(readFile(t, filepath.Join(p.Dir, "components/github/component.yaml")),
		"implementation_status: planned", "implementation_status: complete", 1))
	for _, args := range [][]string{{"diff", "v1.1.0"}, {"diff", "v1.1.0.."}} {
		code, out, errs := runCharter(t, append([]string{"-C", p.Dir}, args...)...)
		if code != 0 || errs != "" {
			t.Fatalf("%v: exit %d, stderr:\n%s", args, code, errs)
		}
		// the working tree is judged as of HEAD's date
		want := "Changes from v1.1.0 (" + p.Squash[:10] + ", as of 2024-03-01) to working tree (v1.1.0 (uncommitted changes), as of 2024-03-01)\n\n" +
			"Certifications\n  ~ soc2-security: 2 satisfied, 0 not applicable, of 3 → 3 satisfied, 0 not applicable, of 3\n      TSC CC8.1  planned → satisfied  Change management\n"
		if out != want {
			t.Errorf("%v: output:\n%s\nwant:\n%s", args, out, want)
		}
	}
	code, out, _ := runCharter(t, "-C", p.Dir, "diff", "v1.1.0..HEAD")
	if want := "Changes from v1.1.0 (" + p.Squash[:10] + ", as of 2024-03-01) to HEAD (v1.1.0, " + p.Squash[:10] + ", as of 2024-03-01)\n\nNo changes.\n"; code != 0 || out != want {
		t.Errorf("exit %d, output:\n%s\nwant:\n%s", code, out, want)
	}
}

func readFile(t *testing.T, path string) string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func TestDiffJSON(t *testing.T) {
	p := gittest.NewProgram(t)
	code, out, errs := runCharter(t, "-C", p.Dir, "diff", "--format=json", "v1.0.0..v1.1.0")
	if code != 0 || errs != "" {
		t.Fatalf("exit %d, stderr:\n%s", code, errs)
	}
	type side struct {
		Name, Version, Commit string
		AsOf                  string `json:"as_of"`
	}
	var r struct {
		From, To       side
		Certifications []struct {
			Name, Change string
			FromTotal    int  `json:"from_total"`
			ToTotal      int  `json:"to_total"`
			FromSat      int  `json:"from_satisfied"`
			ToSat        int  `json:"to_satisfied"`
			FromNA       *int `json:"from_not_applicable"`
			ToNA         *int `json:"to_not_applicable"`
			Verdicts     []struct{ Standard, Control, Title, From, To, Change string }
		}
		Narratives []struct {
			Component, Control, Key, Change string
			Words                           []struct{ Op, Text string }
		}
		Documents []struct {
			ID, File, Change string
			FromFile         string `json:"from_file"`
			Hunks            []struct {
				FromLine  int `json:"from_line"`
				FromCount int `json:"from_count"`
				Lines     []struct{ Op, Text string }
			}
		}
	}
	if err := json.Unmarshal([]byte(out), &r); err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	if r.From.Name != "v1.0.0" || r.From.Version != "v1.0.0" || r.From.Commit != p.Merge || r.From.AsOf != "2024-02-15" ||
		r.To.Name != "v1.1.0" || r.To.Commit != p.Squash || r.To.AsOf != "2024-03-01" {
		t.Errorf("sides: %+v %+v", r.From, r.To)
	}
	if len(r.Certifications) != 2 || r.Certifications[1].Name != "soc2-security" || len(r.Certifications[1].Verdicts) != 2 {
		t.Fatalf("certifications: %+v", r.Certifications)
	}
	if c := r.Certifications[1]; c.FromSat != 2 || c.ToSat != 2 || c.FromNA == nil || *c.FromNA != 0 || c.ToNA == nil || *c.ToNA != 0 {
		t.Errorf("soc2-security's satisfied and not applicable counts: %+v", c)
	}
	if v := r.Certifications[1].Verdicts[1]; v.Control != "CC8.1" || v.From != "satisfied" || v.To != "planned" || v.Change != "worsened" {
		t.Errorf("CC8.1: %+v", v)
	}
	if c := r.Certifications[0]; c.Change != "added" || c.ToTotal != 1 || len(c.Verdicts) != 1 || c.Verdicts[0].From != "" || c.Verdicts[0].To != "missing" || c.Verdicts[0].Change != "added" {
		t.Errorf("soc2-availability: %+v", c)
	}
	var words []string
	for _, w := range r.Narratives[1].Words {
		words = append(words, w.Op+w.Text)
	}
	if got := strings.Join(words, "|"); got != "=Okta is the single identity provider. Every user signs in with |-multi-factor authentication|+a hardware security key|=." {
		t.Errorf("word diff: %s", got)
	}
	d := r.Documents[0]
	if d.ID != "POL-ACCESS" || d.FromFile != "policies/access.md" || d.File != "policies/access-control.md" || len(d.Hunks) != 1 || d.Hunks[0].FromLine != 14 || d.Hunks[0].FromCount != 5 || len(d.Hunks[0].Lines) != 6 {
		t.Errorf("POL-ACCESS: %+v", d)
	}
}

func TestDiffBadRevisions(t *testing.T) {
	p := gittest.NewProgram(t)
	for _, tc := range []struct {
		arg, msg string
	}{
		{"v9.9.9..v1.1.0", `charter: unknown revision "v9.9.9": not a tag, branch or commit of the git repository at ` + p.Dir + "\n"},
		{"v1.0.0..nope", `charter: unknown revision "nope": not a tag, branch or commit of the git repository at ` + p.Dir + "\n"},
		{"..v1.0.0", `charter: "..v1.0.0": name the revision to compare from, as FROM..TO or FROM (for example v1.0.0..HEAD, or v1.0.0 for the working tree)` + "\n"},
		{"v1.0.0...v1.1.0", `charter: "v1.0.0...v1.1.0": write FROM..TO with two dots; a symmetric difference (three dots) compares nothing charter can judge` + "\n"},
		{"--all", ""},
	} {
		code, out, errs := runCharter(t, "-C", p.Dir, "diff", tc.arg)
		if code != 2 || out != "" || (tc.msg != "" && errs != tc.msg) {
			t.Errorf("%s: exit %d, stdout %q, stderr:\n%s", tc.arg, code, out, errs)
		}
	}
	// outside git
	dir := t.TempDir()
	t.Setenv("GIT_CEILING_DIRECTORIES", filepath.Dir(dir))
	os.WriteFile(filepath.Join(dir, "opencontrol.yaml"), []byte("name: x\n"), 0o644)
	code, _, errs := runCharter(t, "-C", dir, "diff", "v1.0.0")
	if code != 2 || errs != "charter: the workspace is not in a git repository\n" {
		t.Errorf("outside git: exit %d, stderr %q", code, errs)
	}
}
