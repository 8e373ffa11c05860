package site_test

import (
	"strings"
	"testing"

	"github.com/charter-compliance/charter/compiler"
	"github.com/charter-compliance/charter/compiler/changes"
	"github.com/charter-compliance/charter/compiler/history/gittest"
	"github.com/charter-compliance/charter/compiler/links"
)

var (
	ada = gittest.Person{Name: "Ada", Email: "ada@example.com"}
	bo  = gittest.Person{Name: "Bo Quarterman", Email: "bo@example.com"}
)

const cmProgram = `schema_version: "1.0.0"
name: people
components: [./components/app]
standards: [./standards/S.yaml]
certifications: [./certifications/cert.yaml]
`

const cmApp = `name: App
key: app
schema_version: 3.1.0
satisfies:
  - standard_key: S
    control_key: C1
    narrative:
      - text: Every change is reviewed before it is merged.
    implementation_status: %s
`

// peopleRepo is a real repository: Ada starts the program; Bo Quarterman
// writes a change on a branch that Ada merges as pull request #42, which
// Cy approved on its head (recorded in the review ledger); then Ada pushes
// a change straight to main.
func peopleRepo(t *testing.T, charterYAML string) (r *gittest.Repo, merge, direct string) {
	t.Helper()
	gittest.SetEnv(t) // changes.Append runs git notes
	r = gittest.New(t)
	r.Write("opencontrol.yaml", cmProgram)
	r.Write("charter.yaml", charterYAML)
	r.Write("standards/S.yaml", "name: S\nC1:\n  family: C\n  name: Change control\n")
	r.Write("certifications/cert.yaml", "name: cert\nstandards:\n  S:\n    C1: {}\n")
	r.Write("components/app/component.yaml", strings.Replace(cmApp, "%s", "partial", 1))
	r.Commit(ada, gittest.Day(2026, 1, 5, 9), "Start the program")
	r.Git("checkout", "-q", "-b", "feature")
	r.Write("components/app/component.yaml", strings.Replace(cmApp, "%s", "complete", 1))
	head := r.Commit(bo, gittest.Day(2026, 2, 1, 10), "Complete change control")
	r.Git("checkout", "-q", "main")
	merge = r.Merge("feature", ada, gittest.Day(2026, 2, 3, 12), "Merge pull request #42 from acme/feature", "Complete change control for the app")
	rec := &changes.Record{Version: 1, PR: 42, Title: "Complete change control for the app", Author: "bo", MergedBy: "ada",
		MergeCommit: merge, Head: head, Reviews: []changes.Review{{User: "cy", State: "APPROVED", Commit: head, SubmittedAt: gittest.Day(2026, 2, 2, 8)}}}
	if err := changes.Append(r.Dir, rec); err != nil {
		t.Fatal(err)
	}
	r.Write("standards/S.yaml", "name: S\nC1:\n  family: C\n  name: Change control and review\n")
	direct = r.Commit(ada, gittest.Day(2026, 2, 10, 9), "Rename C1")
	return r, merge, direct
}

func TestWhoMadeEachChange(t *testing.T) {
	r, merge, direct := peopleRepo(t, "organization: People\nrepository_url: https://github.com/acme/people\n"+
		"audit_period:\n  from: 2026-02-01\n  to: 2026-12-31\n"+
		"change_management:\n  require_pull_request: true\n  min_approvals: 1\n  sample_seed: audit-2026\n")
	br, err := compiler.BuildVersions(compiler.BuildOptions{Options: compiler.Options{Root: r.Dir, Today: "2026-03-01"}, NoWrite: true, AllowErrors: true}, compiler.VersionOptions{})
	if err != nil {
		t.Fatal(err)
	}
	comp := page(t, br.Site, "components/app.html")
	row := between(t, comp, `<td>Complete change control for the app</td>`, "</tr>")
	for _, want := range []string{
		`<a href="https://github.com/acme/people/pull/42">#42</a>`,
		`<td>Bo Quarterman</td><td>Ada</td>`,
		`<td>cy <span class="muted">on <a href="https://github.com/acme/people/commit/`,
	} {
		if !strings.Contains(row, want) {
			t.Errorf("the component's history row lacks %q:\n%s", want, row)
		}
	}
	if std := page(t, br.Site, "standards/S/index.html"); !strings.Contains(std, "<td>Rename C1</td><td><span class=\"muted\">–</span></td><td>Ada</td><td>Ada</td>") {
		t.Errorf("the standard's page has no history row of the direct push")
	}
	if !strings.Contains(page(t, br.Site, "certifications/cert.html"), `<h2 id="revisions">Revision history</h2>`) {
		t.Errorf("the certification's page has no revision history")
	}

	cm := page(t, br.Site, links.ChangeMgmt)
	for _, want := range []string{
		`<strong>2</strong> changes, <strong>1</strong> violating the rules`,
		`<tr><td><code>OC501</code></td><td><code>require_pull_request</code></td><td>1</td></tr>`,
		`<tr id="change-` + merge[:10] + `"><td class="nowrap"><code><a href="https://github.com/acme/people/commit/` + merge + `"`,
		`<td><a href="https://github.com/acme/people/pull/42">#42</a></td><td>Complete change control for the app</td><td>Bo Quarterman</td><td>ada</td><td>cy <span class="muted">on `, // merged by: the recorded login
		`<a href="components/app.html">App</a>, <a href="standards/S/C1.html" title="Change control and review">S C1</a></td></tr>`,
		// a change to a standard's file links the standard
		`<td><span class="muted">–</span></td><td><a href="standards/S/index.html">Standard S</a></td></tr>`,
		`<tr id="change-` + direct[:10] + `">`,
		`drawn with the seed <code>audit-2026</code>`,
	} {
		if !strings.Contains(cm, want) {
			t.Errorf("the change management page lacks %q", want)
		}
	}
	if !strings.Contains(page(t, br.Site, links.Home), `<a href="change-management.html">Change management</a>`) {
		t.Errorf("the navigation does not link the change management page")
	}
}
