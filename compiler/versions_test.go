package compiler_test

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

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
	mustContain(t, "v1.1.0 component page", current["components/okta.html"], "Tighten access reviews (#34)", "https://github.com/acme/mini/pull/34", "https://github.com/acme/mini/pull/12")
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
	if strings.Contains(files["v1.1.0/documents/PRO-NEW.html"], "within a week") || strings.Contains(files["v1.1.0/index.html"], "uncommitted") {
		t.Error("the v1.1.0 build saw the working tree")
	}
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
	mustContain(t, "changes.html", page,
		"<title>Changes since v1.0.0 · Mini Corp</title>",
		`<p class="lead">From <strong>v1.0.0</strong> (`+p.Merge[:10]+`, as of 2024-02-15) to <strong>v1.1.0</strong> (`+p.Squash[:10]+`, as of 2024-03-01).</p>`,
		`<tr><td class="nowrap"><a href="standards/TSC/CC8.1.html">TSC CC8.1</a></td><td>Change management</td>
<td><span class="status st-satisfied">satisfied</span></td>
<td><span class="status st-planned">planned</span></td>
<td>worsened</td></tr>`,
		`<p class="prose">Okta is the single identity provider. Every user signs in with <del>multi-factor authentication</del><ins>a hardware security key</ins>.</p>`,
		`<li><ins><a href="components/github.html">GitHub</a></ins> <span class="muted">(github, added)</span></li>`,
		`<dt>owner</dt><dd><del>IT Lead</del> → <ins>Security Lead</ins></dd>`,
		"<del>-2. Access is reviewed every quarter.</del>\n<ins>+2. Access is reviewed every month.</ins>\n",
		`<link rel="stylesheet" href="assets/style.css">`)
	if strings.Contains(page, "<script") {
		t.Error("the changes page has a script")
	}
	// with versions, the page is part of the current version (and latest)
	out2 := filepath.Join(t.TempDir(), "site")
	build(t, p.Dir, out2, compiler.VersionOptions{Versions: "v*", Since: "v1.0.0"})
	files2 := readTree(t, out2)
	if files2["latest/changes.html"] != page || files2["v1.1.0/changes.html"] != page || files2["v1.0.0/changes.html"] != "" {
		t.Error("the changes page is not exactly in the current version")
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
	mustContain(t, "index.html", readFile(t, filepath.Join(out, "index.html")), "history unavailable: "+dir+" is not in a git repository")
	_, err = compiler.BuildVersions(compiler.BuildOptions{Options: compiler.Options{Root: dir}, Out: out}, compiler.VersionOptions{Versions: "v*"})
	if err == nil || err.Error() != "--versions needs git history, which is unavailable: "+dir+" is not in a git repository" {
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
