package site_test

import (
	"encoding/json"
	"fmt"
	"html"
	"os"
	"path"
	"path/filepath"
	"regexp"
	"runtime"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/charter-compliance/charter/compiler"
	"github.com/charter-compliance/charter/compiler/diag"
	"github.com/charter-compliance/charter/compiler/history"
	"github.com/charter-compliance/charter/compiler/links"
	"github.com/charter-compliance/charter/compiler/site"
)

// referenceEpoch is 2026-11-25: a fixed judging day for the reference
// program at the repository root.
const referenceEpoch = "1795564800"

const corpus = "../../../shared/corpus"

// build renders a repository in memory the way `charter build` does.
func build(t testing.TB, root string, opts compiler.BuildOptions) *compiler.BuildResult {
	t.Helper()
	opts.Root = root
	opts.NoWrite = true
	if opts.SourceDateEpoch == "" {
		opts.SourceDateEpoch = referenceEpoch
	}
	br, err := compiler.Build(opts)
	if err != nil {
		t.Fatalf("build %s: %v", root, err)
	}
	if br.Refused {
		t.Fatalf("build %s refused: %v", root, br.Diagnostics)
	}
	return br
}

func page(t testing.TB, s *site.Site, p string) string {
	t.Helper()
	b := s.Get(p)
	if b == nil {
		t.Fatalf("site has no %s", p)
	}
	return string(b)
}

func TestReferenceSitePages(t *testing.T) {
	br := build(t, "../..", compiler.BuildOptions{})
	s := br.Site
	ws := br.Workspace
	var want []string
	// charter.yaml sets audit_period: the Change management page
	want = append(want, links.Home, links.Search, links.Problems, links.Standards, links.Components, links.Documents, links.Certifications, links.ChangeMgmt)
	for _, st := range ws.Standards {
		want = append(want, links.Standard(st.Name))
		for _, c := range st.Controls {
			want = append(want, links.Control(st.Name, c.ID))
		}
	}
	for _, c := range ws.Components {
		want = append(want, links.Component(c.Key))
	}
	for _, d := range ws.Documents {
		want = append(want, links.Document(d.ID))
	}
	for _, c := range ws.Certifications {
		want = append(want, links.Certification(c.Name))
	}
	slices.Sort(want)
	var got []string
	for _, f := range s.Files {
		if strings.HasSuffix(f.Path, ".html") {
			got = append(got, f.Path)
		}
	}
	if !slices.Equal(got, want) {
		t.Errorf("pages:\n got %v\nwant %v", got, want)
	}
	// 8 fixed pages, 1 standard with 61 criteria, 17 components, 19
	// policies and 10 procedures, 6 certifications
	if n := s.Pages(); n != 8+1+61+17+29+6 {
		t.Errorf("%d pages, want 122", n)
	}
	for _, asset := range []string{"assets/style.css", "assets/charter.js", "assets/search.js", "assets/search-index.js", site.Marker} {
		if s.Get(asset) == nil {
			t.Errorf("no %s", asset)
		}
	}
}

var attrRE = regexp.MustCompile(`\s(href|src|action)="([^"]*)"`)

// attrValues returns the values of every attribute name="..." in text
// (charter quotes all attributes with "), unescaped. It is a plain scan:
// the link check reads every page of several large sites.
func attrValues(text, name string) []string {
	var out []string
	key := " " + name + `="`
	for {
		i := strings.Index(text, key)
		if i < 0 {
			return out
		}
		text = text[i+len(key):]
		j := strings.IndexByte(text, '"')
		if j < 0 {
			return out
		}
		out = append(out, html.UnescapeString(text[:j]))
		text = text[j:]
	}
}

// TestReferenceSiteLinks checks every link of every page: relative links
// lead to a file of the site and to an id on it; every page is reachable
// from the dashboard; every page links somewhere (no dead ends); nothing
// loads from elsewhere.
func TestReferenceSiteLinks(t *testing.T) {
	checkLinks(t, build(t, "../..", compiler.BuildOptions{}).Site, false)
}

func checkLinks(t *testing.T, s *site.Site, allowEmpty bool) {
	t.Helper()
	ids := map[string]map[string]bool{}
	for _, f := range s.Files {
		if strings.HasSuffix(f.Path, ".html") {
			m := map[string]bool{}
			for _, id := range attrValues(string(f.Data), "id") {
				m[id] = true
			}
			ids[f.Path] = m
		}
	}
	out := map[string][]string{}
	for _, f := range s.Files {
		if !strings.HasSuffix(f.Path, ".html") {
			continue
		}
		var refs [][2]string
		for _, attr := range []string{"href", "src", "action"} {
			for _, v := range attrValues(string(f.Data), attr) {
				refs = append(refs, [2]string{attr, v})
			}
		}
		for _, r := range refs {
			attr, ref := r[0], r[1]
			switch {
			case ref == "":
				if !allowEmpty {
					t.Errorf("%s: empty %s", f.Path, attr)
				}
				continue
			case strings.HasPrefix(ref, "https://") || strings.HasPrefix(ref, "http://") || strings.HasPrefix(ref, "mailto:"):
				if attr == "src" {
					t.Errorf("%s: loads %s from elsewhere", f.Path, ref)
				}
				continue
			case strings.Contains(ref, ":"):
				t.Errorf("%s: %s=%q has a scheme", f.Path, attr, ref)
				continue
			case strings.HasPrefix(ref, "/"):
				t.Errorf("%s: %s=%q is not relative", f.Path, attr, ref)
				continue
			}
			target, frag, _ := strings.Cut(ref, "#")
			if target == "" {
				target = f.Path
			} else {
				target = path.Join(path.Dir(f.Path), target)
			}
			if s.Get(target) == nil {
				t.Errorf("%s: %s=%q leads to %s, which does not exist", f.Path, attr, ref, target)
				continue
			}
			if frag != "" && !strings.HasPrefix(frag, "q=") && !ids[target][frag] {
				t.Errorf("%s: %q: %s has no id %q", f.Path, ref, target, frag)
			}
			if strings.HasSuffix(target, ".html") && target != f.Path {
				out[f.Path] = append(out[f.Path], target)
			}
		}
	}
	seen := map[string]bool{links.Home: true}
	queue := []string{links.Home}
	for len(queue) > 0 {
		p := queue[0]
		queue = queue[1:]
		for _, q := range out[p] {
			if !seen[q] {
				seen[q] = true
				queue = append(queue, q)
			}
		}
	}
	for p := range ids {
		if !seen[p] {
			t.Errorf("%s cannot be reached from the dashboard", p)
		}
		if len(out[p]) == 0 {
			t.Errorf("%s links to no other page", p)
		}
	}
}

func TestCriterionPage(t *testing.T) {
	br := build(t, "../..", compiler.BuildOptions{})
	cc61 := page(t, br.Site, "standards/TSC/CC6.1.html")
	for _, want := range []string{
		`<title>CC6.1 Access security architecture · Northwind Cloud, Inc.</title>`,
		`<h1><span class="id">CC6.1</span> Access security architecture</h1>`,
		`Verdict: <span class="status st-satisfied">satisfied</span>`,
		// evidence with the reason behind each item
		`<tr><td><a href="#impl-okta">Okta (identity provider, SSO and MFA)</a></td><td>component</td><td><span class="status st-satisfied">satisfied</span></td><td>status complete</td></tr>`,
		`<tr><td><a href="../../documents/POL-ACCESS.html" title="POL-ACCESS">Access Control Policy</a></td><td>policy</td><td><span class="status st-satisfied">satisfied</span></td><td>approved and in force</td></tr>`,
		// narratives by key, parameters, origin, role, covered_by
		`<h4 class="narrative-key">Narrative a</h4>`,
		`<dt><code>mfa-factors</code></dt><dd>Okta FastPass (with biometric) or a FIDO2 security key; SMS, voice and email factors disabled</dd>`,
		"<dt>Control origin</dt>\n<dd>service provider corporate</dd>",
		"<dt>Responsible role</dt>\n<dd>IT and Security Operations Lead</dd>",
		`<li><a href="../../components/okta.html#verification-mfa-policy" title="mfa-policy">Okta authentication policy export</a></li>`,
		// links to the component's own listing of this satisfaction
		`<a href="../../components/okta.html#sat-TSC-CC6.1">This satisfaction on the component&#39;s page</a>`,
		`<a href="../../certifications/soc2-security.html">soc2-security</a>`,
		`<link rel="prev" href="CC5.3.html">`,
		`<link rel="next" href="CC6.2.html">`,
		"evidence history unavailable",
	} {
		if !strings.Contains(cc61, want) {
			t.Errorf("CC6.1 page lacks %q", want)
		}
	}
	// a criterion nothing claims says so
	p21 := page(t, br.Site, "standards/TSC/P2.1.html")
	if !strings.Contains(p21, "Nothing claims this criterion") || !strings.Contains(p21, `<span class="status st-missing">missing</span>`) {
		t.Errorf("P2.1 page does not say that nothing claims it")
	}
}

func TestDocumentPage(t *testing.T) {
	br := build(t, "../..", compiler.BuildOptions{})
	doc := page(t, br.Site, "documents/POL-ACCESS.html")
	for _, want := range []string{
		`<tr><th scope="row">ID</th><td><code>POL-ACCESS</code></td><th scope="row">Status</th><td>approved (in force)</td></tr>`,
		`<tr><th scope="row">Owner</th><td>Head of Security</td><th scope="row">Approvers</th><td>CTO, CEO</td></tr>`,
		`<tr><th scope="row">Effective date</th><td>2024-03-01</td><th scope="row">Review cycle</th><td>annual</td></tr>`,
		`<tr><th scope="row">Last reviewed</th><td>2026-03-18 <span class="muted">(front matter)</span></td><th scope="row">Next review</th><td>2027-03-18</td></tr>`,
		`<li><a href="../standards/TSC/CC6.1.html" title="Access security architecture">TSC CC6.1</a> Access security architecture <span class="status st-satisfied">satisfied</span></li>`,
		// template actions ran: a live list of the components
		`<li><a href="../components/okta.html">Okta (identity provider, SSO and MFA)</a>: satisfied</li>`,
		`<h2 id="purpose">Purpose</h2>`,
	} {
		if !strings.Contains(doc, want) {
			t.Errorf("POL-ACCESS page lacks %q", want)
		}
	}
	// the body's own title is not repeated under the page's
	if n := strings.Count(doc, ">Access Control Policy</h1>"); n != 1 {
		t.Errorf("title appears as h1 %d times", n)
	}
	draft := page(t, br.Site, "documents/POL-PRIVACY.html")
	if !strings.Contains(draft, `<span class="not-in-force">draft: not in force</span>`) {
		t.Errorf("draft policy page does not say it is not in force")
	}
}

func TestHomeHeatMap(t *testing.T) {
	br := build(t, "../..", compiler.BuildOptions{})
	home := page(t, br.Site, links.Home)
	cert := br.Coverage.Certification("soc2-all")
	// one cell per criterion of each certification, each a link to its
	// criterion with a text title
	total := 0
	for _, c := range br.Coverage.Certifications {
		total += c.Total()
	}
	if n := strings.Count(home, `<a class="st-`) + strings.Count(home, `" role="img" title="`); n != total {
		t.Errorf("dashboard heat maps have %d cells, want %d", n, total)
	}
	if !strings.Contains(home, `<a class="st-missing" href="standards/TSC/P2.1.html" title="P2.1 Choices and consent: missing"></a>`) {
		t.Errorf("heat map cell for P2.1 missing or not linked")
	}
	if !strings.Contains(home, fmt.Sprintf(`<p class="big"><strong>%d</strong> satisfied, <strong>%d</strong> not applicable, of %d`, cert.Satisfied(), cert.NotApplicable(), cert.Total())) {
		t.Errorf("dashboard lacks soc2-all's headline %s", cert.Headline())
	}
	for _, word := range []string{" closed</strong>", " of 61 closed", "criteria done", "% closed", "criteria closed"} {
		if strings.Contains(home, word) {
			t.Errorf("dashboard still says %q: the headline is N satisfied, M not applicable, of T", word)
		}
	}
	if !strings.Contains(home, "<summary>22 gaps</summary>") {
		t.Errorf("dashboard does not list soc2-all's 22 gaps")
	}
	if strings.Contains(home, "style=") {
		t.Errorf("a style attribute would be blocked by the Content-Security-Policy")
	}
}

// searchIndex reads assets/search-index.js: the pages as [kind, id, title,
// site-root path, summary, label, status], and per page the words it is
// found by.
func searchIndex(t *testing.T, s *site.Site) (pages [][7]string, words map[string][]string) {
	t.Helper()
	js := string(page(t, s, "assets/search-index.js"))
	const prefix = "window.CHARTER_INDEX = "
	i := strings.Index(js, prefix)
	if i < 0 || !strings.HasSuffix(js, ";\n") {
		t.Fatalf("search index is not an assignment to window.CHARTER_INDEX")
	}
	var idx struct {
		Groups   [][4]string
		Statuses []string
		Pages    [][6]json.RawMessage
		Words    []string
		Posts    []string
	}
	if err := json.Unmarshal([]byte(strings.TrimSuffix(js[i+len(prefix):], ";\n")), &idx); err != nil {
		t.Fatal(err)
	}
	for _, row := range idx.Pages {
		var g, st int
		var id, title, path, sum string
		for k, v := range []any{&g, &id, &title, &path, &sum, &st} {
			if err := json.Unmarshal(row[k], v); err != nil {
				t.Fatalf("index row %s: field %d: %v", row, k, err)
			}
		}
		if g < 0 || g >= len(idx.Groups) || st < -1 || st >= len(idx.Statuses) {
			t.Fatalf("index row %s: group or status out of range", row)
		}
		grp, status := idx.Groups[g], ""
		if st >= 0 {
			status = idx.Statuses[st]
		}
		pages = append(pages, [7]string{grp[0], id, title, grp[2] + path + grp[3], sum, grp[1], status})
	}
	if len(idx.Words) != len(idx.Posts) || !slices.IsSorted(idx.Words) || len(slices.Compact(slices.Clone(idx.Words))) != len(idx.Words) {
		t.Fatalf("%d words (sorted and distinct: %v), %d posting lists", len(idx.Words), slices.IsSorted(idx.Words), len(idx.Posts))
	}
	const last, more = "abcdefghijklmnopqrstuvwxyz012345", "ABCDEFGHIJKLMNOPQRSTUVWXYZ6789!~"
	words = map[string][]string{}
	for w, post := range idx.Posts {
		pg, n := -1, 0
		for _, c := range post {
			if d := strings.IndexRune(last, c); d >= 0 {
				pg += n*32 + d
				n = 0
				if pg >= len(pages) {
					t.Fatalf("word %q: page %d of %d", idx.Words[w], pg, len(idx.Pages))
				}
				url := pages[pg][3]
				if ws := words[url]; len(ws) > 0 && ws[len(ws)-1] == idx.Words[w] {
					t.Fatalf("word %q listed twice for %s", idx.Words[w], url)
				}
				words[url] = append(words[url], idx.Words[w])
				continue
			}
			d := strings.IndexRune(more, c)
			if d < 0 {
				t.Fatalf("word %q: %q in its posting list", idx.Words[w], c)
			}
			n = n*32 + d
		}
		if n != 0 {
			t.Fatalf("word %q: posting list ends mid-number", idx.Words[w])
		}
	}
	return pages, words
}

func TestSearchIndex(t *testing.T) {
	br := build(t, "../..", compiler.BuildOptions{})
	entries, words := searchIndex(t, br.Site)
	if len(entries) != br.Site.Pages()-8 {
		t.Errorf("%d entries, want one per page except the 8 fixed pages (%d)", len(entries), br.Site.Pages()-8)
	}
	byURL := map[string]int{}
	for i, e := range entries {
		byURL[e[3]] = i
		if br.Site.Get(e[3]) == nil {
			t.Errorf("entry %s points to no page", e[3])
		}
	}
	cc61 := entries[byURL["standards/TSC/CC6.1.html"]]
	if cc61[0] != "criterion" || cc61[1] != "CC6.1" || cc61[2] != "Access security architecture" || cc61[5] != "TSC" || cc61[6] != "satisfied" || cc61[4] == "" {
		t.Errorf("CC6.1 entry = %q", cc61)
	}
	// words of the narratives are searchable, lower case
	for _, w := range []string{"cc6.1", "fastpass", "phishing-resistant", "kms"} {
		if !slices.Contains(words["standards/TSC/CC6.1.html"], w) {
			t.Errorf("CC6.1 entry lacks the word %q", w)
		}
	}
	if slices.Contains(words["standards/TSC/CC6.1.html"], "FastPass") {
		t.Errorf("words are not lower case")
	}
	pol := entries[byURL["documents/POL-ACCESS.html"]]
	if pol[0] != "policy" || !slices.Contains(words["documents/POL-ACCESS.html"], "rippling") {
		t.Errorf("POL-ACCESS entry lacks its text: %q", pol)
	}
	// headings are words of their own, not glued to the next paragraph
	if w := words["documents/POL-ACCESS.html"]; !slices.Contains(w, "purpose") || slices.Contains(w, "policypurpose") {
		t.Errorf("POL-ACCESS words run a heading into the next block: %q", w)
	}
}

func TestHistoryOnPages(t *testing.T) {
	day := func(d int) time.Time { return time.Date(2026, 10, d, 12, 0, 0, 0, time.UTC) }
	h := &history.History{
		Available: true,
		Label:     history.Label{Version: "v2.1.0", Commit: "0123456789abcdef0123456789abcdef01234567"},
		Files: map[string][]history.Revision{
			"components/okta/component.yaml": {
				{Commit: "1111111111aaaaaaaaaa1111111111aaaaaaaaaa", Date: day(20), Author: "Ada <Admin>", Subject: "Merge pull request #42 from x/y", Title: "Require FastPass", PR: 42, PRURL: "https://github.com/northwind-cloud/compliance/pull/42",
					Authors: []history.Person{{Name: "Bo <Quarterman>", Email: "bo@example.com"}, {Name: "Cy"}}, MergedBy: "Ada <Admin>",
					Approvals: []history.Approval{{By: "dee", Commit: "9999999999aaaaaaaaaa", At: day(19), Counts: true}, {By: "bo", Commit: "9999999999aaaaaaaaaa", At: day(19), Why: "the pull request's author"}}},
				{Commit: "2222222222bbbbbbbbbb2222222222bbbbbbbbbb", Date: day(2), Author: "Grace", Subject: "Add Okta"},
			},
			"components/aws/component.yaml":           {{Commit: "3333333333cccccccccc3333333333cccccccccc", Date: day(9), Author: "Linus", Subject: "AWS"}},
			"templates/policies/access-control.md":    {{Commit: "4444444444dddddddddd4444444444dddddddddd", Date: day(25), Author: "Ken", Subject: "Review access policy"}},
			"templates/policies/encryption.md":        {{Commit: "5555555555eeeeeeeeee5555555555eeeeeeeeee", Date: day(1), Author: "Ken", Subject: "Encryption"}},
			"templates/policies/data-retention.md":    {},
			"templates/procedures/access-review.md":   {{Commit: "6666666666ffffffffff6666666666ffffffffff", Date: day(3), Author: "Ken", Subject: "x"}},
			"templates/policies/vendor-management.md": {{Commit: "7777777777aaaaaaaaaa7777777777aaaaaaaaaa", Date: day(3), Author: "Ken", Subject: "y"}},
		},
	}
	br := build(t, "../..", compiler.BuildOptions{Options: compiler.Options{History: h}})
	for _, f := range br.Site.Files {
		if strings.HasSuffix(f.Path, ".html") && !strings.Contains(string(f.Data), "version v2.1.0") {
			t.Errorf("%s does not show the version label", f.Path)
		}
	}
	okta := page(t, br.Site, "components/okta.html")
	for _, want := range []string{
		`<tr><td class="nowrap">2026-10-20</td><td>Require FastPass</td><td><a href="https://github.com/northwind-cloud/compliance/pull/42">#42</a></td><td>Bo &lt;Quarterman&gt;, Cy</td><td>Ada &lt;Admin&gt;</td>` +
			`<td>dee <span class="muted">on <a href="https://github.com/northwind-cloud/compliance/commit/9999999999aaaaaaaaaa" title="9999999999aaaaaaaaaa">9999999999</a>, 2026-10-19</span>; ` +
			`bo <span class="muted">on <a href="https://github.com/northwind-cloud/compliance/commit/9999999999aaaaaaaaaa" title="9999999999aaaaaaaaaa">9999999999</a>, 2026-10-19: does not count (the pull request&#39;s author)</span></td>` +
			`<td><code><a href="https://github.com/northwind-cloud/compliance/commit/1111111111aaaaaaaaaa1111111111aaaaaaaaaa" title="1111111111aaaaaaaaaa1111111111aaaaaaaaaa">1111111111</a></code></td></tr>`,
		`<tr><td class="nowrap">2026-10-02</td><td>Add Okta</td><td><span class="muted">–</span></td><td>Grace</td><td><span class="muted">–</span></td><td><span class="muted">none recorded</span></td>`,
		// repository files link to the built commit
		`<a href="https://github.com/northwind-cloud/compliance/blob/0123456789abcdef0123456789abcdef01234567/components/okta/component.yaml">components/okta/component.yaml</a>`,
	} {
		if !strings.Contains(okta, want) {
			t.Errorf("okta page lacks %q", want)
		}
	}
	// CC6.1's evidence: aws, okta, the access and encryption policies; the
	// newest change is the access policy's
	if cc61 := page(t, br.Site, "standards/TSC/CC6.1.html"); !strings.Contains(cc61, "evidence last changed 2026-10-25") {
		t.Errorf("CC6.1 does not give the date of its newest evidence")
	}
	// last reviewed falls back to the last commit when front matter lacks it
	if doc := page(t, br.Site, "documents/POL-RETENTION.html"); !strings.Contains(doc, "No commit touches templates/policies/data-retention.md yet") {
		t.Errorf("a file without commits does not say so")
	}

	// without history, every page says so
	none := build(t, "../..", compiler.BuildOptions{Options: compiler.Options{History: &history.History{Reason: "not a git repository"}}})
	for _, f := range none.Site.Files {
		if strings.HasSuffix(f.Path, ".html") && !strings.Contains(string(f.Data), "history unavailable: not a git repository") {
			t.Errorf("%s does not say that history is unavailable", f.Path)
		}
	}
	if okta := page(t, none.Site, "components/okta.html"); !strings.Contains(okta, "Revision history is unavailable (not a git repository).") {
		t.Errorf("component page does not say its revision history is unavailable")
	}
}

// brokenRepo copies the reference program and breaks it: an unknown control
// in a satisfaction, a status outside the known set in another, a template
// action naming no component.
func brokenRepo(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	copyTree(t, "../..", dir, []string{"opencontrol.yaml", "charter.yaml", "standards", "certifications", "components", "templates"})
	file := filepath.Join(dir, "components/analytics-platform/component.yaml")
	replaceIn(t, file, "control_key: PI1.2", "control_key: PI1.99")
	replaceIn(t, file, "control_key: PI1.3\n", "control_key: PI1.3\n    implementation_status: finished\n")
	replaceIn(t, filepath.Join(dir, "templates/policies/access-control.md"), `{{ satisfiers "TSC" "CC6.1" }}`, `{{ satisfiers "TSC" "CC6.1" }} {{ component "okat" }}`)
	// The copy is not in git, where an audit period cannot be tested (a
	// warning of its own, tested in compiler/changes): these tests are about
	// the three errors above.
	replaceIn(t, filepath.Join(dir, "charter.yaml"), "audit_period:\n  from: 2027-01-01\n  to: 2027-12-31\n", "")
	return dir
}

func TestProblemsPageAndBanners(t *testing.T) {
	dir := brokenRepo(t)
	br, err := compiler.Build(compiler.BuildOptions{Options: compiler.Options{Root: dir, SourceDateEpoch: referenceEpoch}, NoWrite: true})
	if err != nil {
		t.Fatal(err)
	}
	if !br.Refused || br.Site != nil {
		t.Fatalf("a repository with errors was built without --allow-errors")
	}
	br = build(t, dir, compiler.BuildOptions{AllowErrors: true})
	errs, warns := br.Diagnostics.Count()
	if errs != 3 || warns != 0 {
		t.Fatalf("want 3 errors, got %d errors %d warnings: %v", errs, warns, br.Diagnostics)
	}
	problems := page(t, br.Site, links.Problems)
	for _, d := range br.Diagnostics {
		want := fmt.Sprintf(`<p><code class="pos">%s</code> <span class="sev sev-error">error</span> <code>%s</code> %s</p>`, d.Pos, d.Code, html.EscapeString(d.Message))
		if !strings.Contains(problems, want) {
			t.Errorf("problems page lacks %q", want)
		}
		if d.Hint != "" && !strings.Contains(problems, "Hint: "+html.EscapeString(d.Hint)) {
			t.Errorf("problems page lacks the hint %q", d.Hint)
		}
	}
	var codes []string
	for _, d := range br.Diagnostics {
		codes = append(codes, fmt.Sprintf("%s:%d %s", d.Pos.File, d.Pos.Line, d.Code))
	}
	if want := []string{
		"components/analytics-platform/component.yaml:58 " + string(diag.CodeUnknownControl),
		"components/analytics-platform/component.yaml:79 " + string(diag.CodeStatus),
		"templates/policies/access-control.md:34 " + string(diag.CodeDocTemplate),
	}; !slices.Equal(codes, want) {
		t.Fatalf("diagnostics %v, want %v", codes, want)
	}
	banner := func(p string) bool { return strings.Contains(page(t, br.Site, p), `<div class="banner" role="alert">`) }
	for p, want := range map[string]bool{
		"documents/POL-ACCESS.html":          true,  // its template action fails
		"components/analytics-platform.html": true,  // names an unknown control and status
		"standards/TSC/PI1.3.html":           true,  // its satisfaction has the bad status
		"standards/TSC/PI1.2.html":           false, // the broken satisfaction no longer names it
		"standards/TSC/PI1.4.html":           false, // analytics' satisfaction of it is fine
		"components/aws.html":                false,
	} {
		if got := banner(p); got != want {
			t.Errorf("%s: banner %v, want %v", p, got, want)
		}
	}
	comp := page(t, br.Site, "components/analytics-platform.html")
	if !strings.Contains(comp, `<a href="../problems.html#file-components-analytics-platform-component.yaml">components/analytics-platform/component.yaml (2 errors)</a>`) {
		t.Errorf("the component's banner does not link to its problems")
	}
	if !strings.Contains(page(t, br.Site, "standards/TSC/PI1.3.html"), `<a href="../../problems.html#file-components-analytics-platform-component.yaml">components/analytics-platform/component.yaml (1 error)</a>`) {
		t.Errorf("PI1.3's banner does not count the one error in its satisfaction")
	}
	if !strings.Contains(problems, `<tr id="file-components-analytics-platform-component.yaml">`) {
		t.Errorf("problems page has no row for the component's file")
	}
	// the satisfaction of the unknown control is shown in full on the
	// component page: there is no criterion page to hold its narrative
	if !strings.Contains(comp, `id="sat-TSC-PI1.99-full"`) || !strings.Contains(comp, "(not defined by its standard)") {
		t.Errorf("the component page does not show the PI1.99 satisfaction in full")
	}
	checkLinks(t, br.Site, false)
}

func TestHostileContentIsInert(t *testing.T) {
	br := build(t, "../../testdata/xss", compiler.BuildOptions{})
	scriptRE := regexp.MustCompile(`(?i)<script\b[^>]*>`)
	// charter quotes every attribute with " and escapes " inside, so tags
	// and attribute names can be read exactly with these
	tagRE := regexp.MustCompile(`<([a-zA-Z][a-zA-Z0-9]*)((?:\s+[^\s=>"/]+(?:="[^"]*")?)*)\s*/?>`)
	attrNameRE := regexp.MustCompile(`\s([^\s=>"/]+)(?:="[^"]*")?`)
	for _, f := range br.Site.Files {
		if !strings.HasSuffix(f.Path, ".html") {
			continue
		}
		text := string(f.Data)
		for _, tag := range scriptRE.FindAllString(text, -1) {
			if !regexp.MustCompile(`^<script src="(\.\./)*assets/(charter|search|search-index)\.js" defer>$`).MatchString(tag) {
				t.Errorf("%s: unexpected %s", f.Path, tag)
			}
		}
		for _, tag := range tagRE.FindAllStringSubmatch(text, -1) {
			for _, a := range attrNameRE.FindAllStringSubmatch(tag[2], -1) {
				if name := strings.ToLower(a[1]); strings.HasPrefix(name, "on") || name == "style" || name == "srcdoc" {
					t.Errorf("%s: attribute %s in %s", f.Path, name, tag[0])
				}
			}
		}
		for _, m := range attrRE.FindAllStringSubmatch(text, -1) {
			v := strings.ToLower(html.UnescapeString(m[2]))
			if strings.Contains(v, "script:") || strings.HasPrefix(v, "data:") {
				t.Errorf("%s: %s=%q", f.Path, m[1], m[2])
			}
		}
		for _, tag := range []string{"<iframe", "<svg onload", "<img src=x", "<b onclick", "<div onclick"} {
			if strings.Contains(strings.ToLower(text), tag) {
				t.Errorf("%s: raw %s", f.Path, tag)
			}
		}
	}
	xs1 := page(t, br.Site, "standards/XSS/XS-1.html")
	for _, want := range []string{
		`The narrative has a &lt;script&gt;window.PWNED_NARRATIVE=1&lt;/script&gt; tag,`,
		`Plain prose with &lt;script&gt;window.PWNED_PLAIN=1&lt;/script&gt; in the middle.`,
		`<h4 class="narrative-key">Narrative &lt;b&gt;a&lt;/b&gt;</h4>`,
		`<title>XS-1 &lt;img src=x onerror=&#34;window.PWNED_CTRLNAME=1&#34;&gt; · Evil &lt;img src=x onerror=&#34;window.PWNED_ORG=1&#34;&gt; Corp</title>`,
	} {
		if !strings.Contains(xs1, want) {
			t.Errorf("XS-1 page lacks %q", want)
		}
	}
	// a javascript: repository_url is not used for links
	if strings.Contains(page(t, br.Site, "components/evil.html"), "PWNED_REPO") {
		t.Errorf("the javascript: repository_url made it into a page")
	}
	checkLinks(t, br.Site, true)
}

// TestCorpusRepositories builds every real repository of the shared corpus
// with its errors, the way an auditor would view a legacy repository.
func TestCorpusRepositories(t *testing.T) {
	nist := filepath.Join(corpus, "standards/nist-800-53-latest.yaml")
	if _, err := os.Stat(nist); err != nil {
		t.Skipf("shared corpus not found: %v", err)
	}
	for _, repo := range []string{"freedonia-compliance", "aws-compliance", "cf-compliance", "docker-compliance", "standards", "certifications"} {
		t.Run(repo, func(t *testing.T) {
			br := build(t, filepath.Join(corpus, repo), compiler.BuildOptions{AllowErrors: true, Options: compiler.Options{ExtraStandards: []string{nist}}})
			if n := diagsListed(br.Site); n != len(br.Diagnostics) {
				t.Errorf("problem pages list %d diagnostics, want %d", n, len(br.Diagnostics))
			}
			for _, c := range br.Workspace.Components {
				if br.Site.Get(links.Component(c.Key)) == nil {
					t.Errorf("no page for component %s", c.Key)
				}
			}
			checkLinks(t, br.Site, true)
		})
	}
}

// TestNISTControlPages renders NIST SP 800-53 rev5: one page per control.
func TestNISTControlPages(t *testing.T) {
	rev5 := filepath.Join(corpus, "standards/nist-800-53-rev5.yaml")
	if _, err := os.Stat(rev5); err != nil {
		t.Skipf("shared corpus not found: %v", err)
	}
	br := build(t, filepath.Join(corpus, "freedonia-compliance"), compiler.BuildOptions{AllowErrors: true, Options: compiler.Options{ExtraStandards: []string{rev5}}})
	dir := strings.TrimSuffix(links.Standard("NIST-800-53 rev5"), "index.html")
	n := 0
	for _, f := range br.Site.Files {
		if strings.HasPrefix(f.Path, dir) && f.Path != dir+"index.html" {
			n++
		}
	}
	if n != 1189 {
		t.Errorf("%d NIST rev5 control pages, want 1189", n)
	}
	ac21 := page(t, br.Site, links.Control("NIST-800-53 rev5", "AC-2 (1)"))
	if !strings.Contains(ac21, `<h1><span class="id">AC-2 (1)</span> Automated System Account Management</h1>`) {
		t.Errorf("AC-2 (1) page lacks its heading")
	}
}

func TestDeterministic(t *testing.T) {
	old := runtime.GOMAXPROCS(1)
	defer runtime.GOMAXPROCS(old)
	one := build(t, "../..", compiler.BuildOptions{}).Site
	runtime.GOMAXPROCS(2)
	two := build(t, "../..", compiler.BuildOptions{}).Site
	runtime.GOMAXPROCS(old)
	if len(one.Files) != len(two.Files) {
		t.Fatalf("%d files, then %d", len(one.Files), len(two.Files))
	}
	for i := range one.Files {
		if one.Files[i].Path != two.Files[i].Path || string(one.Files[i].Data) != string(two.Files[i].Data) {
			t.Fatalf("%s differs between GOMAXPROCS 1 and 2", one.Files[i].Path)
		}
	}
	// and on disk: two writes give byte-identical trees
	a, b := filepath.Join(t.TempDir(), "a"), filepath.Join(t.TempDir(), "b")
	if err := site.Write(one, a); err != nil {
		t.Fatal(err)
	}
	if err := site.Write(two, b); err != nil {
		t.Fatal(err)
	}
	ta, tb := readTree(t, a), readTree(t, b)
	if len(ta) != len(one.Files) || !mapsEqual(ta, tb) {
		t.Errorf("written trees differ (%d and %d files)", len(ta), len(tb))
	}
}

func readTree(t *testing.T, dir string) map[string]string {
	t.Helper()
	out := map[string]string{}
	err := filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := os.ReadFile(p)
		rel, _ := filepath.Rel(dir, p)
		out[filepath.ToSlash(rel)] = string(b)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func mapsEqual(a, b map[string]string) bool {
	if len(a) != len(b) {
		return false
	}
	for k, v := range a {
		if w, ok := b[k]; !ok || w != v {
			return false
		}
	}
	return true
}

func copyTree(t *testing.T, from, to string, names []string) {
	t.Helper()
	for _, name := range names {
		err := filepath.WalkDir(filepath.Join(from, name), func(p string, d os.DirEntry, err error) error {
			if err != nil {
				return err
			}
			rel, _ := filepath.Rel(from, p)
			dst := filepath.Join(to, rel)
			if d.IsDir() {
				return os.MkdirAll(dst, 0o755)
			}
			b, err := os.ReadFile(p)
			if err != nil {
				return err
			}
			return os.WriteFile(dst, b, 0o644)
		})
		if err != nil {
			t.Fatal(err)
		}
	}
}

func replaceIn(t *testing.T, file, old, new string) {
	t.Helper()
	b, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(b), old) {
		t.Fatalf("%s does not contain %q", file, old)
	}
	if err := os.WriteFile(file, []byte(strings.Replace(string(b), old, new, 1)), 0o644); err != nil {
		t.Fatal(err)
	}
}
