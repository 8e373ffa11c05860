package check_test

import (
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/charter-compliance/charter/compiler/check"
	"github.com/charter-compliance/charter/compiler/coverage"
	"github.com/charter-compliance/charter/compiler/diag"
	"github.com/charter-compliance/charter/compiler/load"
	"github.com/charter-compliance/charter/compiler/model"
	"github.com/charter-compliance/charter/compiler/opencontrol"
)

// testdata/evidence is a program in which each control tests one rule of
// the coverage semantics; the verdict and the diagnostics are both exact.
//
//	C-1  app not applicable (with a reason), firewall none  -> none
//	C-2  both not applicable, each saying why               -> not-applicable
//	C-3  not applicable with no narrative                   -> unknown, OC401
//	C-4  app complete, firewall partial                     -> satisfied, 1 open claim
//	C-5  complete, covered by a failed verification         -> partial, OC403
//	C-6  complete, covered by a stale one (stale: downgrade) -> partial, OC404
//	C-7  complete, narrative TBD                            -> partial, OC402
//	C-8  complete, narrative = the control's title          -> partial, OC402
//	C-9  claimed by nothing                                 -> missing
//	C-10 complete, covered by a fresh, passing verification  -> satisfied
//	C-11 status none                                        -> none
func loadEvidence(t *testing.T) (*model.Workspace, diag.List) {
	t.Helper()
	ws, diags, err := load.Load(load.Options{Root: "testdata/evidence"})
	if err != nil {
		t.Fatal(err)
	}
	if errs, _ := diags.Count(); errs > 0 {
		t.Fatalf("load: %v", briefs(diags))
	}
	return ws, check.Run(ws, *day("2026-03-01"))
}

func TestEvidenceVerdicts(t *testing.T) {
	ws, _ := loadEvidence(t)
	r := coverage.Compute(ws, *day("2026-03-01"))
	var got []string
	for _, c := range ws.Standard("DEMO").Controls {
		v := r.Verdict("DEMO", c.ID)
		s := fmt.Sprintf("%s=%s", c.ID, v.Status)
		if v.Open > 0 {
			s += fmt.Sprintf("+%d open", v.Open)
		}
		got = append(got, s)
	}
	want := []string{"C-1=none+1 open", "C-2=not-applicable", "C-3=unknown+1 open", "C-4=satisfied+1 open", "C-5=partial+2 open",
		"C-6=partial+1 open", "C-7=partial+1 open", "C-8=partial+1 open", "C-9=missing", "C-10=satisfied", "C-11=none+1 open"}
	if !slices.Equal(got, want) {
		t.Errorf("verdicts\n got %q\nwant %q", got, want)
	}
	reasons := map[string]string{}
	for _, id := range []string{"C-3", "C-5", "C-6", "C-7", "C-8"} {
		reasons[id] = r.Verdict("DEMO", id).Evidence[0].Reason
	}
	for id, want := range map[string]string{
		"C-3": "marked not applicable without saying why",
		"C-5": "marked done, but verification scan of app failed (test_passed: false)",
		"C-6": "marked done, but verification old of app last ran 2025-01-15, longer ago than evidence max_age allows",
		"C-7": "marked done but its narrative is a placeholder",
		"C-8": "marked done but its narrative is a placeholder",
	} {
		if reasons[id] != want {
			t.Errorf("%s: reason %q, want %q", id, reasons[id], want)
		}
	}
	cert := r.Certification("base")
	if got := cert.Headline(); got != "2 satisfied, 1 not applicable, of 11" || cert.Open != 1 {
		t.Errorf("headline %q, %d open", got, cert.Open)
	}
	sel := coverage.Selection{Gated: map[string]bool{"base": true}}
	if f := sel.Failing(r); !slices.Equal(f, []string{"base"}) {
		t.Errorf("failing %q", f)
	}
}

// Only the claims of a satisfied control decide whether a gate that
// requires closed claims passes.
func TestGateRequiresClosedClaims(t *testing.T) {
	ws, _ := loadEvidence(t)
	cert := &model.Certification{Name: "small", Controls: []model.CertControl{{Standard: "DEMO", Control: "C-2"}, {Standard: "DEMO", Control: "C-4"}, {Standard: "DEMO", Control: "C-10"}}}
	ws.Certifications = append(ws.Certifications, cert)
	ws.Index()
	sel := coverage.Selection{Names: []string{"small"}, Gated: map[string]bool{"small": true}}
	if f := sel.Failing(coverage.Compute(ws, *day("2026-03-01"))); len(f) != 0 {
		t.Errorf("by default open claims do not fail a gate: %q", f)
	}
	ws.Config.GateRequiresClosedClaims = true
	r := coverage.Compute(ws, *day("2026-03-01"))
	if f := sel.Failing(r); !slices.Equal(f, []string{"small"}) {
		t.Errorf("with gate_requires_closed_claims: failing %q, want [small]", f)
	}
	var b strings.Builder
	if err := coverage.WriteText(&b, r, sel); err != nil {
		t.Fatal(err)
	}
	want := `
small [gate: every claim closed]: 2 satisfied, 1 not applicable, of 3; 1 satisfied control with open claims
  satisfied 2 · partial 0 · planned 0 · unknown 0 · none 0 · missing 0 · not-applicable 1
  satisfied, with open claims (1):
    DEMO C-4 Control 4: satisfied, 1 open claim
      partial   firewall (status partial)
`
	if b.String() != want {
		t.Errorf("text\n%s\nwant\n%s", b.String(), want)
	}
}

func TestEvidenceDiagnostics(t *testing.T) {
	_, diags := loadEvidence(t)
	var got []string
	for _, d := range diags {
		s := fmt.Sprintf("%s: %s[%s] %s", d.Pos, d.Severity, d.Code, d.Message)
		for _, n := range d.Notes {
			s += fmt.Sprintf(" / %s: %s", n.Pos, n.Message)
		}
		got = append(got, s)
	}
	const app = "components/app/component.yaml"
	want := []string{
		app + `:6:11: error[OC405] reference path "docs/architecture.md" names nothing in the repository (looked for components/app/docs/architecture.md or docs/architecture.md)`,
		app + `:13:18: warning[OC403] verification scan of component app failed (test_passed: false): 1 satisfaction it covers counts as partial / ` + app + `:51:9: DEMO C-5 of app, marked complete, counts as partial`,
		app + `:16:11: error[OC405] verification old path "drills/restore.md" names nothing in the repository (looked for components/app/drills/restore.md or drills/restore.md)`,
		app + `:18:15: warning[OC404] verification old of component app last ran on 2025-01-15, before 2025-12-01 (evidence max_age 90d, judged as of 2026-03-01): 1 satisfaction it covers counts as partial / ` + app + `:58:9: DEMO C-6 of app, marked complete, counts as partial`,
		app + `:25:15: warning[OC406] verification vague has last_run "last spring", which is not a date: its age cannot be judged`,
		app + `:39:28: error[OC401] DEMO C-3 is marked "not applicable" but does not say why: it does not count as not applicable`,
		app + `:62:9: warning[OC402] narrative for DEMO C-7 is a placeholder ("TBD"): it does not count as a narrative`,
		app + `:67:9: warning[OC402] narrative for DEMO C-8 is a placeholder ("account management"): it does not count as a narrative`,
		`components/firewall/component.yaml:20:9: warning[OC402] narrative "b" for DEMO C-4 is a placeholder ("Coming soon."): it does not count as a narrative`,
	}
	if !slices.Equal(got, want) {
		t.Errorf("diagnostics\n got %q\nwant %q", got, want)
	}
}

// Paths that leave the repository are refused; URLs are never looked up.
func TestEvidencePathsOutside(t *testing.T) {
	ws, _ := loadEvidence(t)
	app := ws.Component("app")
	app.References = []model.Reference{
		{Path: "../../../../etc/passwd", PathPos: diag.Pos{File: app.File, Line: 6, Col: 11}},
		{Path: "/etc/passwd", PathPos: diag.Pos{File: app.File, Line: 6, Col: 11}},
		{Path: "mailto:security@example.com"},
		{Path: "//cdn.example.com/x"},
		{Path: "../../tests/scan.sh"}, // from the component: inside
	}
	var got []string
	for _, d := range check.Run(ws, *day("2026-03-01")) {
		if d.Pos.Line == 6 || d.Code == diag.CodePathEscapes {
			got = append(got, fmt.Sprintf("%s[%s] %s", d.Severity, d.Code, d.Message))
		}
	}
	want := []string{
		`error[OC011] reference path "../../../../etc/passwd" leaves the repository`,
		`error[OC011] reference path "/etc/passwd" is absolute: evidence paths must stay inside the repository`,
	}
	if !slices.Equal(got, want) {
		t.Errorf("got %q\nwant %q", got, want)
	}
}

func TestDecodeEvidenceConfig(t *testing.T) {
	cfg, diags := opencontrol.DecodeConfig("charter.yaml", []byte("gate_requires_closed_claims: true\nevidence:\n  max_age: 6m\n  stale: downgrade\n"))
	if len(diags) != 0 || !cfg.GateRequiresClosedClaims || cfg.Evidence.MaxAge != (model.Age{N: 6, Unit: 'm'}) || !cfg.Evidence.Downgrade {
		t.Errorf("config %+v, %v", cfg, briefs(diags))
	}
	cfg, diags = opencontrol.DecodeConfig("charter.yaml", []byte("evidence:\n  max_age: soon\n  stale: ignore\n"))
	want := []string{
		`charter.yaml:2:12: error[OC109] evidence max_age "soon" is not an age |   max_age: soon`,
		`charter.yaml:3:10: error[OC109] evidence stale "ignore" is not warn or downgrade |   stale: ignore`,
	}
	if got := briefs(diags); !slices.Equal(got, want) || cfg.GateRequiresClosedClaims || !cfg.Evidence.MaxAge.IsZero() {
		t.Errorf("got %q\nwant %q", got, want)
	}
}

// A local path that reaches a file outside the repository through a
// symbolic link is refused by check, as build refuses to publish it.
func TestEvidenceSymlinkOutside(t *testing.T) {
	outside := filepath.Join(t.TempDir(), "secret.txt")
	if err := os.WriteFile(outside, []byte("not evidence"), 0o644); err != nil {
		t.Fatal(err)
	}
	root := filepath.Join(t.TempDir(), "ws")
	if err := os.CopyFS(root, os.DirFS("testdata/evidence")); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(outside, filepath.Join(root, "components", "app", "leak.txt")); err != nil {
		t.Skipf("cannot make a symbolic link: %v", err)
	}
	ws, _, err := load.Load(load.Options{Root: root})
	if err != nil {
		t.Fatal(err)
	}
	app := ws.Component("app")
	app.References = []model.Reference{{Path: "leak.txt", PathPos: diag.Pos{File: app.File, Line: 6, Col: 11}}}
	var got []string
	for _, d := range check.Run(ws, *day("2026-03-01")) {
		if d.Pos.Line == 6 {
			got = append(got, fmt.Sprintf("%s[%s] %s", d.Severity, d.Code, d.Message))
		}
	}
	want := []string{`error[OC011] reference path "leak.txt" leads out of the repository through a symbolic link`}
	if !slices.Equal(got, want) {
		t.Errorf("got %q\nwant %q", got, want)
	}
}
