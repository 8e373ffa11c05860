package compiler_test

import (
	"errors"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/charter-compliance/charter/compiler"
	"github.com/charter-compliance/charter/compiler/history"
	"github.com/charter-compliance/charter/compiler/history/gittest"
)

// readTree returns every file under dir by slash path.
func readTree(t *testing.T, dir string) map[string]string {
	t.Helper()
	files := map[string]string{}
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := os.ReadFile(p)
		rel, _ := filepath.Rel(dir, p)
		files[filepath.ToSlash(rel)] = string(b)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return files
}

// subtree returns the files under prefix/, with the prefix cut off.
func subtree(files map[string]string, prefix string) map[string]string {
	out := map[string]string{}
	for p, b := range files {
		if rest, ok := strings.CutPrefix(p, prefix+"/"); ok {
			out[rest] = b
		}
	}
	return out
}

func topLevel(t *testing.T, dir string) []string {
	t.Helper()
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, e := range entries {
		names = append(names, e.Name())
	}
	return names
}

func mustContain(t *testing.T, what, text string, parts ...string) {
	t.Helper()
	for _, p := range parts {
		if !strings.Contains(text, p) {
			t.Errorf("%s lacks %q", what, p)
		}
	}
}

func build(t *testing.T, root, out string, v compiler.VersionOptions) *compiler.BuildResult {
	t.Helper()
	br, err := compiler.BuildVersions(compiler.BuildOptions{Options: compiler.Options{Root: root}, Out: out}, v)
	if err != nil {
		t.Fatal(err)
	}
	// the program's one warning: PRO-DEPLOY is approved ahead of its day
	if errs, warns := br.Diagnostics.Count(); br.Refused || errs != 0 || warns != 1 || br.Diagnostics[0].Code != "OC309" {
		t.Fatalf("refused=%v diagnostics:\n%v", br.Refused, br.Diagnostics)
	}
	return br
}

func TestBuildVersions(t *testing.T) {
	t.Parallel()
	p := gittest.NewProgram(t)
	statusBefore := p.Git("status", "--porcelain")
	index, _ := os.ReadFile(filepath.Join(p.Dir, ".git", "index"))
	out := filepath.Join(t.TempDir(), "site")
	br := build(t, p.Dir, out, compiler.VersionOptions{Versions: "v*"})
	if br.Out != out {
		t.Errorf("Out = %s", br.Out)
	}
	if got, want := topLevel(t, out), []string{".charter-site", "index.html", "latest", "v1.0.0", "v1.1.0"}; !slices.Equal(got, want) {
		t.Fatalf("site root holds %q, want %q", got, want)
	}
	files := readTree(t, out)
	latest, current, old := subtree(files, "latest"), subtree(files, "v1.1.0"), subtree(files, "v1.0.0")
	if len(latest) == 0 || len(latest) != len(current) {
		t.Fatalf("latest has %d files, v1.1.0 %d", len(latest), len(current))
	}
	for p, b := range current {
		if latest[p] != b {
			t.Errorf("latest/%s differs from v1.1.0/%s", p, p)
		}
	}
	if len(files) != 2+len(latest)+len(current)+len(old) {
		t.Errorf("%d files, not the two root files and three sites", len(files))
	}
	// each version is its own site, judged on its own day, with its own
	// components
	mustContain(t, "v1.0.0/index.html", old["index.html"], "version v1.0.0", "judged as of 2024-02-15")
	mustContain(t, "v1.1.0/index.html", current["index.html"], "version v1.1.0", "judged as of 2024-03-01")
	for _, tc := range []struct {
		files map[string]string
		page  string
		want  bool
	}{
		{old, "components/vpn.html", true}, {old, "components/github.html", false},
		{current, "components/vpn.html", false}, {current, "components/github.html", true},
		{current, "changes.html", false},
	} {
		if _, ok := tc.files[tc.page]; ok != tc.want {
			t.Errorf("%s present = %v, want %v", tc.page, ok, tc.want)
		}
	}
	// old versions carry their own history: v1.0.0 knows nothing of #34
	mustContain(t, "v1.1.0 component page", current["components/okta.html"], "<td>Tighten access reviews</td>", "https://github.com/acme/mini/pull/34", "https://github.com/acme/mini/pull/12")
	if strings.Contains(old["components/okta.html"], "#34") {
		t.Error("v1.0.0 shows a pull request merged after it")
	}
	mustContain(t, "v1.0.0 component page", old["components/okta.html"], "https://github.com/acme/mini/pull/12")
	mustContain(t, "versions index", files["index.html"],
		`<tr><td><a href="v1.1.0/index.html">v1.1.0</a> <span class="muted">(latest)</span></td><td class="nowrap">2024-03-01</td><td><code>`+p.Squash[:10]+`</code></td></tr>
<tr><td><a href="v1.0.0/index.html">v1.0.0</a></td><td class="nowrap">2024-02-15</td><td><code>`+p.Merge[:10]+`</code></td></tr>
</tbody>`, `<link rel="stylesheet" href="latest/assets/style.css">`)

	// the user's working tree and index are untouched
	index2, _ := os.ReadFile(filepath.Join(p.Dir, ".git", "index"))
	if p.Git("status", "--porcelain") != statusBefore || string(index) != string(index2) {
		t.Error("the build changed the working tree or the index")
	}
	// the same commit gives a byte-identical site
	build(t, p.Dir, out, compiler.VersionOptions{Versions: "v*"})
	again := readTree(t, out)
	if len(again) != len(files) {
		t.Fatalf("rebuild has %d files, first build %d", len(again), len(files))
	}
	for p, b := range files {
		if again[p] != b {
			t.Errorf("rebuild changed %s", p)
		}
	}
}

func TestBuildVersionsDirtyTree(t *testing.T) {
	t.Parallel()
	p := gittest.NewProgram(t)
	p.Write("procedures/new.md", strings.Replace(readFile(t, filepath.Join(p.Dir, "procedures/new.md")), "sign it off", "sign it off within a week", 1))
	out := filepath.Join(t.TempDir(), "site")
	build(t, p.Dir, out, compiler.VersionOptions{Versions: "v1.*"})
	if got, want := topLevel(t, out), []string{".charter-site", "index.html", "latest", "v1.0.0", "v1.1.0", "v1.1.0-dirty"}; !slices.Equal(got, want) {
		t.Fatalf("site root holds %q, want %q", got, want)
	}
	files := readTree(t, out)
	mustContain(t, "latest", files["latest/index.html"], "version v1.1.0 (uncommitted changes)")
	mustContain(t, "dirty", files["v1.1.0-dirty/documents/PRO-NEW.html"], "within a week")
	mustContain(t, "tag build", files["v1.1.0/index.html"], "version v1.1.0 ")
	// the switcher names the dirty build; the tag's own label does not say
	// uncommitted
	if strings.Contains(files["v1.1.0/documents/PRO-NEW.html"], "within a week") || strings.Contains(files["v1.1.0/index.html"], "version v1.1.0 (uncommitted") {
		t.Error("the v1.1.0 build saw the working tree")
	}
	mustContain(t, "switcher", files["v1.1.0/index.html"],
		`<li><a href="../v1.1.0-dirty/index.html">v1.1.0</a> <span class="muted">(latest, uncommitted changes)</span></li><li aria-current="true"><a href="index.html">v1.1.0</a> <span class="muted">(this version)</span></li>`)
	mustContain(t, "versions index", files["index.html"],
		`<tr><td><a href="v1.1.0-dirty/index.html">v1.1.0</a> <span class="muted">(latest, with uncommitted changes)</span></td><td class="nowrap">2024-03-01</td>`,
		`<tr><td><a href="v1.1.0/index.html">v1.1.0</a></td>`)
}

func TestBuildVersionOverrideAndCharterYAML(t *testing.T) {
	t.Parallel()
	p := gittest.NewProgram(t)
	p.Write("charter.yaml", readFile(t, filepath.Join(p.Dir, "charter.yaml"))+"versions: v1.0.*\n")
	p.Commit(gittest.Bob, gittest.Day(2024, 4, 2, 10), "Publish old versions")
	out := filepath.Join(t.TempDir(), "site")
	build(t, p.Dir, out, compiler.VersionOptions{Version: "2024-Q2"})
	if got, want := topLevel(t, out), []string{".charter-site", "2024-Q2", "index.html", "latest", "v1.0.0"}; !slices.Equal(got, want) {
		t.Fatalf("site root holds %q, want %q", got, want)
	}
	files := readTree(t, out)
	mustContain(t, "latest", files["latest/index.html"], "version 2024-Q2", "judged as of 2024-04-02")
	// without --version the label is git describe's
	out2 := filepath.Join(t.TempDir(), "site")
	build(t, p.Dir, out2, compiler.VersionOptions{})
	desc := "v1.1.0-1-g" + p.Git("rev-parse", "HEAD")[:10]
	if got, want := topLevel(t, out2), []string{".charter-site", "index.html", "latest", "v1.0.0", desc}; !slices.Equal(got, want) {
		t.Fatalf("site root holds %q, want %q", got, want)
	}
}

func TestBuildSince(t *testing.T) {
	t.Parallel()
	p := gittest.NewProgram(t)
	out := filepath.Join(t.TempDir(), "site")
	build(t, p.Dir, out, compiler.VersionOptions{Since: "v1.0.0"})
	files := readTree(t, out)
	if _, ok := files["latest/index.html"]; ok {
		t.Error("--since alone built a multi-version site")
	}
	page := files["changes.html"]
	commit := func(h string) string {
		return `<code><a href="https://github.com/acme/mini/commit/` + h + `" title="` + h + `">` + h[:10] + `</a></code>`
	}
	// the page is one of the site's: its layout, its navigation (the entry
	// marked current), its breadcrumbs, and the site's stylesheet and script
	mustContain(t, "changes.html merged", page, `<h2 id="merged">Changes merged since v1.0.0</h2>`,
		`<td>Tighten access reviews</td><td><a href="https://github.com/acme/mini/pull/34">#34</a></td><td>Alice Adams</td><td>Alice Adams</td>`)
	mustContain(t, "changes.html", page,
		"<title>Changes since v1.0.0 · Mini Corp</title>",
		`<link rel="stylesheet" href="assets/style.css">`,
		`<script src="assets/charter.js" defer></script>`,
		`<li><a href="changes.html" aria-current="page">Changes since v1.0.0</a></li>`,
		`<li><span aria-current="page">Changes since v1.0.0</span></li>`,
		`<p class="lead">From <strong>v1.0.0</strong> (commit `+commit(p.Merge)+`, judged as of 2024-02-15) to <strong>v1.1.0</strong> (commit `+commit(p.Squash)+`, judged as of 2024-03-01).</p>`,
		// verdicts per certification, with status badges
		`<h3><a href="certifications/soc2-availability.html">soc2-availability</a> <span class="muted">(added)</span></h3>
<p>0 satisfied, 0 not applicable, of 1</p>`,
		`<tr><td class="nowrap"><a href="standards/TSC/A1.2.html" title="Backups and recovery infrastructure">TSC A1.2</a></td><td>Backups and recovery infrastructure</td><td><span class="muted">not required</span></td><td><span class="status st-missing">missing</span></td><td class="change-added">added</td></tr>`,
		`<h3><a href="certifications/soc2-security.html">soc2-security</a> <span class="muted">(changed)</span></h3>
<p>2 satisfied, 0 not applicable, of 3 → 2 satisfied, 0 not applicable, of 3</p>`,
		`<tr><td class="nowrap"><a href="standards/TSC/CC6.1.html" title="Logical access security">TSC CC6.1</a></td><td>Logical access security</td><td><span class="status st-partial">partial</span></td><td><span class="status st-satisfied">satisfied</span></td><td class="change-improved">improved</td></tr>
<tr><td class="nowrap"><a href="standards/TSC/CC8.1.html" title="Change management">TSC CC8.1</a></td><td>Change management</td><td><span class="status st-satisfied">satisfied</span></td><td><span class="status st-planned">planned</span></td><td class="change-worsened">worsened</td></tr>
</tbody>`,
		// components: the added one linked, the removed one struck through
		`<li><ins><a href="components/github.html">GitHub</a></ins> <span class="muted">(<code>github</code>, added; components/github/component.yaml)</span></li>
<li><del>Legacy VPN</del> <span class="muted">(<code>vpn</code>, removed; components/vpn/component.yaml)</span></li>`,
		// narratives word by word
		`<h3><a href="components/okta.html">Okta</a> · <a href="standards/TSC/CC6.1.html" title="Logical access security">TSC CC6.1</a> <span class="narrative-key">narrative a</span> <span class="muted">(changed)</span></h3>
<p class="word-diff">Okta is the single identity provider. Every user signs in with <del>multi-factor authentication</del><ins>a hardware security key</ins>.</p>`,
		`<p class="word-diff"><ins>Sessions expire after twelve hours.</ins></p>`,
		`<h3>vpn · <a href="standards/TSC/CC8.1.html" title="Change management">TSC CC8.1</a> <span class="muted">(removed)</span></h3>
<p class="word-diff"><del>Changes to the VPN configuration are reviewed by a second engineer.</del></p>`,
		// documents: fields and unified hunks
		`<h3><a href="documents/POL-ACCESS.html" title="POL-ACCESS">Access Control Policy</a> <span class="muted">(policy <code>POL-ACCESS</code>, changed)</span></h3>
<p class="muted"><code>policies/access.md</code> → <code>policies/access-control.md</code></p>
<dl class="facts">
<dt>owner</dt><dd><del>IT Lead</del> → <ins>Security Lead</ins></dd>
</dl>
<pre class="source diff"><code><span class="hunk">@@ -14,5 &#43;14,5 @@</span>
 # Access Control Policy
 
 1. Access follows least privilege.
<del>-2. Access is reviewed every quarter.</del>
<ins>+2. Access is reviewed every month.</ins>
 3. Leavers lose access on their last day.
</code></pre>`,
		`<h3><del>Old Remote Access Policy</del> <span class="muted">(policy <code>POL-OLD</code>, removed)</span></h3>`,
		`<dt>approvers</dt><dd><span class="muted">none</span> → <ins>CTO</ins></dd>
<dt>status</dt><dd><del>draft</del> → <ins>approved</ins></dd>`)
	// every page of the site has the navigation entry
	for p, b := range files {
		if strings.HasSuffix(p, ".html") && !strings.Contains(b, `>Changes since v1.0.0</a></li>`) {
			t.Errorf("%s has no navigation entry for the changes page", p)
		}
	}
	// with versions, the page is part of the current version (and latest)
	out2 := filepath.Join(t.TempDir(), "site")
	build(t, p.Dir, out2, compiler.VersionOptions{Versions: "v*", Since: "v1.0.0"})
	files2 := readTree(t, out2)
	if files2["latest/changes.html"] == "" || files2["latest/changes.html"] != files2["v1.1.0/changes.html"] || files2["v1.0.0/changes.html"] != "" {
		t.Error("the changes page is not exactly in the current version")
	}
	mustContain(t, "v1.1.0/changes.html", files2["v1.1.0/changes.html"], `<p class="word-diff">Okta is the single identity provider. Every user signs in with <del>multi-factor authentication</del><ins>a hardware security key</ins>.</p>`)
	if strings.Contains(files2["v1.0.0/index.html"], "Changes since") {
		t.Error("an old version links to a changes page")
	}
}

// Narrative and document text is escaped in the changes page, in the word
// diff and in the line diff alike.
func TestBuildSinceEscapesHostileText(t *testing.T) {
	t.Parallel()
	p := gittest.NewProgram(t)
	okta := readFile(t, filepath.Join(p.Dir, "components/okta/component.yaml"))
	hostile := strings.Replace(okta, "Every user signs in with a hardware security key.",
		`Every user signs in with <script>alert(1)</script> and "><img src=x onerror=alert(2)> & more.`, 1)
	if hostile == okta {
		t.Fatal("the program's okta narrative changed; update the test")
	}
	p.Write("components/okta/component.yaml", hostile)
	policy := readFile(t, filepath.Join(p.Dir, "policies/access-control.md"))
	p.Write("policies/access-control.md", strings.Replace(policy, "3. Leavers lose access on their last day.", "3. Leavers lose access <iframe src=javascript:alert(3)>.", 1))
	p.Commit(gittest.Bob, gittest.Day(2024, 3, 5, 9), "Hostile edit")
	out := filepath.Join(t.TempDir(), "site")
	br, err := compiler.BuildVersions(compiler.BuildOptions{Options: compiler.Options{Root: p.Dir}, Out: out}, compiler.VersionOptions{Since: "v1.1.0"})
	if err != nil || br.Refused {
		t.Fatalf("%v %v", err, br.Diagnostics)
	}
	page := readFile(t, filepath.Join(out, "changes.html"))
	mustContain(t, "changes.html", page,
		`<p class="word-diff">Okta is the single identity provider. Every user signs in with <del>a hardware security key</del><ins>&lt;script&gt;alert(1)&lt;/script&gt; and &#34;&gt;&lt;img src=x onerror=alert(2)&gt; &amp; more</ins>.</p>`,
		`<del>-3. Leavers lose access on their last day.</del>
<ins>+3. Leavers lose access &lt;iframe src=javascript:alert(3)&gt;.</ins>`)
	for _, bad := range []string{"<script>alert", "<img src=x", "<iframe"} {
		if strings.Contains(page, bad) {
			t.Errorf("the changes page holds %q unescaped", bad)
		}
	}
}

func TestBuildSinceBadRevisionWritesNothing(t *testing.T) {
	t.Parallel()
	p := gittest.NewProgram(t)
	out := filepath.Join(t.TempDir(), "site")
	_, err := compiler.BuildVersions(compiler.BuildOptions{Options: compiler.Options{Root: p.Dir}, Out: out}, compiler.VersionOptions{Since: "v0.9"})
	if !errors.Is(err, history.ErrBadRev) {
		t.Errorf("error %v, want ErrBadRev", err)
	}
	if _, err := os.Stat(out); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("something was written: %v", err)
	}
}

func TestBuildVersionsDirectoryClash(t *testing.T) {
	t.Parallel()
	p := gittest.NewProgram(t)
	p.Tag("latest", gittest.Dave, gittest.Day(2024, 3, 2, 0), "")
	p.Git("tag", "release/2", "v1.0.0")
	p.Git("tag", "release-2", "v1.0.0")
	out := filepath.Join(t.TempDir(), "site")
	for _, tc := range []struct{ pattern, msg string }{
		{"latest", `version "latest" would be written to latest/, the place of the latest version; rename the tag or narrow the --versions pattern`},
		{"release*", `version "release-2" would be written to release-2/, the place of version "release/2"; rename the tag or narrow the --versions pattern`},
	} {
		_, err := compiler.BuildVersions(compiler.BuildOptions{Options: compiler.Options{Root: p.Dir}, Out: out}, compiler.VersionOptions{Versions: tc.pattern})
		if err == nil || err.Error() != tc.msg {
			t.Errorf("%s: error %v, want %s", tc.pattern, err, tc.msg)
		}
	}
}

func TestBuildOutsideGit(t *testing.T) {
	p := gittest.NewProgram(t)
	dir := t.TempDir()
	if err := os.CopyFS(dir, os.DirFS(p.Dir)); err != nil {
		t.Fatal(err)
	}
	if err := os.RemoveAll(filepath.Join(dir, ".git")); err != nil {
		t.Fatal(err)
	}
	t.Setenv("GIT_CEILING_DIRECTORIES", filepath.Dir(dir))
	out := filepath.Join(t.TempDir(), "site")
	// outside git the judging day is the newest document date, 2024-06-01
	br, err := compiler.BuildVersions(compiler.BuildOptions{Options: compiler.Options{Root: dir}, Out: out}, compiler.VersionOptions{})
	if err != nil || br.Refused || len(br.Diagnostics) != 0 {
		t.Fatalf("%v %v %v", err, br.Refused, br.Diagnostics)
	}
	mustContain(t, "index.html", readFile(t, filepath.Join(out, "index.html")), "history unavailable: the workspace is not in a git repository")
	_, err = compiler.BuildVersions(compiler.BuildOptions{Options: compiler.Options{Root: dir}, Out: out}, compiler.VersionOptions{Versions: "v*"})
	if err == nil || err.Error() != "--versions needs git history, which is unavailable: the workspace is not in a git repository" {
		t.Errorf("--versions outside git: %v", err)
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

// Untracked files make the build dirty only when the build reads them;
// the site itself, written into the repository, never does.
func TestBuildLabelCountsOnlyUntrackedSources(t *testing.T) {
	t.Parallel()
	p := gittest.NewProgram(t)
	label := func() string {
		t.Helper()
		build(t, p.Dir, "", compiler.VersionOptions{})
		page := readFile(t, filepath.Join(p.Dir, "site", "index.html"))
		if strings.Contains(page, "version v1.1.0 (uncommitted changes)") {
			return "dirty"
		}
		if strings.Contains(page, "version v1.1.0") {
			return "clean"
		}
		t.Fatal("no version label on the home page")
		return ""
	}
	p.Write("notes/todo.md", "- ask the auditor\n")
	p.Write("README.md", "# Mini\n")
	p.Write("policies/README.md", "How to write policies\n")
	if got := label(); got != "clean" {
		t.Errorf("untracked non-sources: %s", got)
	}
	if got := label(); got != "clean" {
		t.Errorf("after writing site/ into the repository: %s", got)
	}
	p.Write("components/okta/evidence.txt", "screenshot list\n")
	if got := label(); got != "dirty" {
		t.Errorf("untracked file in a component directory: %s", got)
	}
	p.Remove("components/okta/evidence.txt")
	p.Write("theme/assets/extra.css", "body{}\n")
	if got := label(); got != "dirty" {
		t.Errorf("untracked theme override: %s", got)
	}
}

var switcherRE = regexp.MustCompile(`<ul class="version-list">(.*?)</ul>`)
var hrefRE = regexp.MustCompile(`href="([^"]*)"`)

// switcher returns the targets of a page's version switcher links.
func switcher(t *testing.T, name, page string) []string {
	t.Helper()
	m := switcherRE.FindAllStringSubmatch(page, -1)
	if len(m) != 1 {
		t.Fatalf("%s has %d version switchers", name, len(m))
	}
	var hrefs []string
	for _, h := range hrefRE.FindAllStringSubmatch(m[0][1], -1) {
		hrefs = append(hrefs, h[1])
	}
	return hrefs
}

// Every page of every version carries a switcher whose links all lead to
// files of the site: the same page in another version when it has it, else
// that version's home page.
func TestBuildVersionsSwitcher(t *testing.T) {
	t.Parallel()
	p := gittest.NewProgram(t)
	out := filepath.Join(t.TempDir(), "site")
	build(t, p.Dir, out, compiler.VersionOptions{Versions: "v*", Since: "v1.0.0"})
	files := readTree(t, out)
	pages := 0
	for name, text := range files {
		if !strings.HasSuffix(name, ".html") || name == "index.html" {
			continue
		}
		pages++
		hrefs := switcher(t, name, text)
		if len(hrefs) != 3 {
			t.Errorf("%s: switcher links %q, want two versions and the versions page", name, hrefs)
		}
		for _, h := range hrefs {
			target := path.Join(path.Dir(name), h)
			if _, ok := files[target]; !ok {
				t.Errorf("%s: switcher link %s leads to %s, which does not exist", name, h, target)
			}
		}
	}
	if pages < 40 {
		t.Fatalf("only %d pages checked", pages)
	}
	for _, tc := range []struct {
		page string
		want []string
	}{
		// both versions have the page
		{"v1.0.0/components/okta.html", []string{"../../v1.1.0/components/okta.html", "okta.html", "../versions.html"}},
		{"latest/standards/TSC/CC6.1.html", []string{"CC6.1.html", "../../../v1.0.0/standards/TSC/CC6.1.html", "../../versions.html"}},
		// only one has it: the other's home page
		{"v1.1.0/components/github.html", []string{"github.html", "../../v1.0.0/index.html", "../versions.html"}},
		{"v1.0.0/components/vpn.html", []string{"../../v1.1.0/index.html", "vpn.html", "../versions.html"}},
		{"v1.1.0/changes.html", []string{"changes.html", "../v1.0.0/index.html", "versions.html"}},
		{"v1.0.0/versions.html", []string{"../v1.1.0/versions.html", "versions.html", "versions.html"}},
	} {
		if got := switcher(t, tc.page, files[tc.page]); !slices.Equal(got, tc.want) {
			t.Errorf("%s: switcher links %q, want %q", tc.page, got, tc.want)
		}
	}
	mustContain(t, "v1.0.0 switcher", files["v1.0.0/components/okta.html"],
		`<details class="version-switch"><summary class="version" title="Other versions of this site">version v1.0.0</summary><ul class="version-list"><li><a href="../../v1.1.0/components/okta.html">v1.1.0</a> <span class="muted">(latest)</span></li><li aria-current="true"><a href="okta.html">v1.0.0</a> <span class="muted">(this version)</span></li><li class="all"><a href="../versions.html">All versions</a></li></ul></details>`)
	commit := func(h string) string {
		return `<td><code><a href="https://github.com/acme/mini/commit/` + h + `" title="` + h + `">` + h[:10] + `</a></code></td></tr>`
	}
	mustContain(t, "v1.0.0/versions.html", files["v1.0.0/versions.html"],
		"<title>Versions · Mini Corp</title>",
		`<tr><td><a href="../v1.1.0/index.html">v1.1.0</a> <span class="muted">(latest)</span></td><td class="nowrap">2024-03-01</td>`+commit(p.Squash)+`
<tr aria-current="true"><td><a href="index.html">v1.0.0</a> <span class="muted">(this version)</span></td><td class="nowrap">2024-02-15</td>`+commit(p.Merge)+`
</tbody>`)
	mustContain(t, "v1.1.0/versions.html", files["v1.1.0/versions.html"],
		`<tr aria-current="true"><td><a href="index.html">v1.1.0</a> <span class="muted">(this version, latest)</span></td>`,
		`<tr><td><a href="../v1.0.0/index.html">v1.0.0</a></td>`)
	// the versions index at the root stays
	mustContain(t, "index.html", files["index.html"], `<a href="v1.1.0/index.html">v1.1.0</a>`, `<a href="v1.0.0/index.html">v1.0.0</a>`)
	// a single site has neither switcher nor versions page
	out2 := filepath.Join(t.TempDir(), "site")
	build(t, p.Dir, out2, compiler.VersionOptions{})
	single := readTree(t, out2)
	if _, ok := single["versions.html"]; ok || strings.Contains(single["components/okta.html"], "version-list") {
		t.Error("a single site has a version switcher or a versions page")
	}
}

// Revision tables show a merge commit's pull request title, and pages with
// history warn when it comes from a shallow clone.
func TestBuildRevisionSummaryAndShallowClone(t *testing.T) {
	t.Parallel()
	p := gittest.NewProgram(t)
	out := filepath.Join(t.TempDir(), "site")
	build(t, p.Dir, out, compiler.VersionOptions{})
	okta := readFile(t, filepath.Join(out, "components/okta.html"))
	mustContain(t, "okta", okta,
		// the change's author (Carol, on the branch), not only who merged it (Dave)
		`<tr><td class="nowrap">2024-02-15</td><td>Name Okta the single identity provider</td><td><a href="https://github.com/acme/mini/pull/12">#12</a></td><td>Carol Chen</td><td>Dave Diaz</td>`)
	if strings.Contains(okta, "Merge pull request") || strings.Contains(okta, "shallow") {
		t.Error("the okta page shows the merge subject or a shallow-clone warning")
	}
	clone := t.TempDir()
	c := gittest.Repo{T: t, Dir: clone}
	c.Git("clone", "-q", "--depth=1", "file://"+p.Dir, clone)
	out2 := filepath.Join(t.TempDir(), "site")
	build(t, clone, out2, compiler.VersionOptions{})
	note := `<p class="muted shallow">History is truncated: the repository is a shallow clone, so the oldest commit shown stands for all earlier ones and first dates may be too late. Fetch the full history (fetch-depth: 0) for exact dates.</p>`
	mustContain(t, "shallow okta", readFile(t, filepath.Join(out2, "components/okta.html")), note)
	mustContain(t, "shallow policy", readFile(t, filepath.Join(out2, "documents/POL-ACCESS.html")), note)
	mustContain(t, "shallow criterion", readFile(t, filepath.Join(out2, "standards/TSC/CC6.1.html")),
		`<span class="muted">· evidence last changed 2024-03-01 (history truncated: shallow clone)</span>`)
}

// A build in git is judged as of HEAD's commit date unless
// SOURCE_DATE_EPOCH is set, and a repository without commits still builds,
// judged as of today's date (never a document's).
func TestBuildJudgingDay(t *testing.T) {
	p := gittest.NewProgram(t)
	build := func(root, epoch string) *compiler.BuildResult {
		t.Helper()
		br, err := compiler.BuildVersions(compiler.BuildOptions{Options: compiler.Options{Root: root, SourceDateEpoch: epoch}, NoWrite: true}, compiler.VersionOptions{})
		if err != nil {
			t.Fatalf("build of %s: %v", root, err)
		}
		if br.Refused {
			t.Fatalf("build of %s refused: %v", root, br.Diagnostics)
		}
		return br
	}
	br := build(p.Dir, "")
	if want := gittest.Day(2024, 3, 1, 16); !br.AsOf.Equal(want) || br.AsOfSource != history.DateFromGit {
		t.Errorf("judged as of %s (%s), want HEAD's commit date %s", br.AsOf, br.AsOfSource, want)
	}
	br = build(p.Dir, "1767225600")
	if want := time.Unix(1767225600, 0).UTC(); !br.AsOf.Equal(want) || br.AsOfSource != history.DateFromEpoch {
		t.Errorf("with SOURCE_DATE_EPOCH: judged as of %s (%s), want %s", br.AsOf, br.AsOfSource, want)
	}

	empty := gittest.New(t)
	for rel, text := range readTree(t, p.Dir) {
		if !strings.HasPrefix(rel, ".git/") {
			empty.Write(rel, text)
		}
	}
	br = build(empty.Dir, "")
	if br.AsOfSource != history.DateFromClock || br.AsOf.Equal(gittest.Day(2024, 6, 1, 0)) {
		t.Errorf("without commits: judged as of %s (%s), want today's date, not the newest document date", br.AsOf, br.AsOfSource)
	}
}
