package site_test

import (
	"strings"
	"testing"

	"github.com/charter-compliance/charter/compiler"
	"github.com/charter-compliance/charter/compiler/history"
	"github.com/charter-compliance/charter/compiler/links"
)

// verdictProgram writes a program whose claims test every rule of coverage
// the site must show as coverage judged them: a failed verification, a
// narrative that only repeats the title, two components that disagree, a
// claim of status none and a criterion nobody claims.
func verdictProgram(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	files := map[string]string{
		"opencontrol.yaml":         "schema_version: \"1.0.0\"\nname: verdicts\ncomponents: [./components/app, ./components/db]\nstandards: [./standards/S.yaml]\ncertifications: [./certifications/cert.yaml]\n",
		"standards/S.yaml":         "name: S\nC1:\n  family: C\n  name: Encrypted storage\nC2:\n  family: C\n  name: Key rotation\nC3:\n  family: C\n  name: Access reviews\nC4:\n  family: C\n  name: Logging\nC5:\n  family: C\n  name: Backups\n",
		"certifications/cert.yaml": "name: cert\nstandards:\n  S:\n    C1: {}\n    C2: {}\n    C3: {}\n    C4: {}\n    C5: {}\n",
		"components/app/component.yaml": `name: App
key: app
schema_version: 3.1.0
verifications:
  - key: scan
    name: Storage scan
    path: https://evidence.example/scan
    type: URL
    test_passed: false
satisfies:
  - standard_key: S
    control_key: C1
    narrative:
      - text: Every volume is encrypted with the platform key.
    implementation_status: complete
    covered_by:
      - verification_key: scan
  - standard_key: S
    control_key: C2
    narrative:
      - text: Key rotation
    implementation_status: complete
  - standard_key: S
    control_key: C3
    narrative:
      - text: Access is reviewed every quarter by the team lead.
    implementation_status: complete
`,
		"components/db/component.yaml": `name: Database
key: db
schema_version: 3.1.0
satisfies:
  - standard_key: S
    control_key: C3
    narrative:
      - text: Database accounts will be reviewed with the rest.
    implementation_status: planned
  - standard_key: S
    control_key: C4
    narrative:
      - text: Not logged yet.
    implementation_status: none
`,
	}
	writeFiles(t, dir, files)
	return dir
}

func TestSiteShowsCoverageSemantics(t *testing.T) {
	dir := verdictProgram(t)
	br, err := compiler.Build(compiler.BuildOptions{Options: compiler.Options{Root: dir, Today: "2026-05-01",
		History: &history.History{Reason: "not a git repository"}}, NoWrite: true, AllowErrors: true})
	if err != nil {
		t.Fatal(err)
	}
	comp := page(t, br.Site, "components/app.html")
	// C1 is marked complete but its verification failed; C2's narrative is
	// the criterion's title: both are partial, on the component's page too
	for _, id := range []string{"C1", "C2"} {
		row := between(t, comp, `<tr id="sat-S-`+id+`">`, "</tr>")
		if !strings.Contains(row, `<span class="status st-partial">partial</span>`) {
			t.Errorf("component page shows %s as %s, want partial (coverage's judgement)", id, row)
		}
	}
	c1 := page(t, br.Site, "standards/S/C1.html")
	if !strings.Contains(c1, `Verdict: <span class="status st-partial">partial</span>`) || strings.Contains(c1, `<h3><a href="../../components/app.html">App</a> <span class="status st-satisfied">`) {
		t.Errorf("C1's page does not judge the failed verification:\n%s", between(t, c1, "<main", "</main>"))
	}
	c3 := page(t, br.Site, "standards/S/C3.html")
	for _, want := range []string{
		`Verdict: <span class="status st-satisfied">satisfied</span> <span class="open-claims">1 open claim</span>`,
		`Open claims: <a href="../../components/db.html">Database</a> <span class="status st-planned">planned</span> <span class="muted">(status planned)</span>.`,
	} {
		if !strings.Contains(c3, want) {
			t.Errorf("C3's page lacks %q", want)
		}
	}
	if c4 := page(t, br.Site, "standards/S/C4.html"); !strings.Contains(c4, `Verdict: <span class="status st-none">none</span>`) {
		t.Errorf("C4 (claimed, status none) is not shown as none")
	}
	if c5 := page(t, br.Site, "standards/S/C5.html"); !strings.Contains(c5, `Verdict: <span class="status st-missing">missing</span>`) {
		t.Errorf("C5 (claimed by nothing) is not shown as missing")
	}
	headline := `<p class="big"><strong>1</strong> satisfied, <strong>0</strong> not applicable, of 5 <span class="muted">(20% satisfied or not applicable; 1 satisfied with open claims)</span></p>`
	cert := page(t, br.Site, "certifications/cert.html")
	home := page(t, br.Site, "index.html")
	for name, text := range map[string]string{"certification": cert, "dashboard": home} {
		if !strings.Contains(text, headline) {
			t.Errorf("%s page lacks the headline %q", name, headline)
		}
		if !strings.Contains(text, `<a href="`) || !strings.Contains(text, `C3</a> Access reviews, <span class="open-claims">1 open claim</span>: <a href=`) {
			t.Errorf("%s page does not list C3's open claim", name)
		}
		if !strings.Contains(text, `<span class="swatch st-none"></span>none <span class="muted">(claimed, status none (not implemented))</span>`) {
			t.Errorf("%s page's legend does not explain none", name)
		}
	}
	if !strings.Contains(cert, `<span class="status st-satisfied">satisfied</span> <span class="open-claims">1 open claim</span>`) {
		t.Errorf("certification table does not mark C3's open claim")
	}
	if list := page(t, br.Site, links.Certifications); !strings.Contains(list, "<td>1 satisfied, 0 not applicable, of 5 <span class=\"open-claims\">(1 with open claims)</span></td>") {
		t.Errorf("certifications page lacks the headline")
	}
	for _, f := range br.Site.Files {
		if strings.HasSuffix(f.Path, ".html") && !strings.Contains(string(f.Data), "judged as of 2026-05-01 (--today)") {
			t.Errorf("%s does not say the judging day and where it came from", f.Path)
		}
	}
}

// between returns the text of s from the first from to the next to.
func between(t *testing.T, s, from, to string) string {
	t.Helper()
	i := strings.Index(s, from)
	if i < 0 {
		t.Fatalf("no %q in the page", from)
	}
	j := strings.Index(s[i:], to)
	if j < 0 {
		return s[i:]
	}
	return s[i : i+j+len(to)]
}
