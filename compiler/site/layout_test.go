package site_test

import (
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"github.com/charter-compliance/charter/compiler"
	"github.com/charter-compliance/charter/compiler/diff"
	"github.com/charter-compliance/charter/compiler/docs"
	"github.com/charter-compliance/charter/compiler/history"
	"github.com/charter-compliance/charter/compiler/site"
)

// siteInput checks a repository and returns what Build would render it
// from.
func siteInput(t *testing.T, root string, h *history.History) site.Input {
	t.Helper()
	res, err := compiler.Check(compiler.Options{Root: root, SourceDateEpoch: referenceEpoch, History: h})
	if err != nil {
		t.Fatal(err)
	}
	ws := res.Workspace
	return site.Input{Workspace: ws, Coverage: res.Coverage, Diagnostics: res.Diagnostics, AsOf: res.AsOf, History: h,
		Docs: docs.New(ws, res.Coverage, docs.Options{UnsafeHTML: ws.Config.UnsafeHTML})}
}

// everyKindInput is the reference program with a version switcher and a
// changes page: a site with a page of every layout.
func everyKindInput(t *testing.T) site.Input {
	t.Helper()
	in := siteInput(t, "../..", &history.History{Reason: "not a git repository"})
	in.Changes = &diff.Report{From: diff.State{Name: "v1"}, To: diff.State{Name: "v2"}}
	in.Versions = []site.Version{
		{Name: "v2", Dir: "v2", Current: true, Date: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)},
		{Name: "v1", Dir: "v1", Date: time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)},
	}
	in.VersionDir = "v2"
	in.ChangeManagement = &site.ChangeManagement{Problem: "not in git"}
	return in
}

// layoutKinds are the page layouts of the embedded theme: every layout but
// the frame, the partials and the versions index.
func layoutKinds(t *testing.T) []string {
	t.Helper()
	entries, err := os.ReadDir("theme/layouts")
	if err != nil {
		t.Fatal(err)
	}
	var kinds []string
	for _, e := range entries {
		switch e.Name() {
		case "base.html", "partials.html", "versions-index.html":
			continue
		}
		kinds = append(kinds, strings.TrimSuffix(e.Name(), ".html"))
	}
	if len(kinds) < 14 {
		t.Fatalf("only %d page layouts found", len(kinds))
	}
	return kinds
}

var kindOf = regexp.MustCompile(`<body class="kind-([a-z-]+)">`)

// edit returns layout text with marker put in after the first from.
func edit(t *testing.T, name, text, from, marker string) string {
	t.Helper()
	i := strings.Index(text, from)
	if i < 0 {
		t.Fatalf("%s lacks %q", name, from)
	}
	i += len(from)
	return text[:i] + marker + text[i:]
}

// editedTheme is the embedded theme with a marker in every page layout's
// "main" (edited-<kind>), in base.html's body (edited-base) and in
// partials.html's "counts" (edited-counts), and in the versions index.
func editedTheme(t *testing.T) map[string]string {
	t.Helper()
	out := map[string]string{}
	read := func(name string) string {
		data, err := os.ReadFile(filepath.Join("theme/layouts", name))
		if err != nil {
			t.Fatal(err)
		}
		return string(data)
	}
	for _, kind := range layoutKinds(t) {
		name := kind + ".html"
		out[name] = edit(t, name, read(name), `{{define "main" -}}`, `<p class="edited-`+kind+`">edited</p>`)
	}
	out["base.html"] = edit(t, "base.html", read("base.html"), `<body class="kind-{{.Kind}}">`, `<p class="edited-base">edited</p>`)
	out["partials.html"] = edit(t, "partials.html", read("partials.html"), `{{define "counts" -}}`, `<i class="edited-counts"></i>`)
	out["versions-index.html"] = edit(t, "versions-index.html", read("versions-index.html"), `<main id="main">`, `<p class="edited-index">edited</p>`)
	return out
}

// checkEdited requires every page of s to carry the markers of editedTheme
// for base.html and its own layout, and no other layout's.
func checkEdited(t *testing.T, s *site.Site, kinds []string) {
	t.Helper()
	seen := map[string]int{}
	for _, f := range s.Files {
		if !strings.HasSuffix(f.Path, ".html") {
			continue
		}
		text := string(f.Data)
		m := kindOf.FindStringSubmatch(text)
		if m == nil {
			t.Errorf("%s: no body class naming its layout", f.Path)
			continue
		}
		kind := m[1]
		seen[kind]++
		if !strings.Contains(text, `<p class="edited-base">edited</p>`) {
			t.Errorf("%s: the edit of base.html is not on the page", f.Path)
		}
		for _, k := range kinds {
			has := strings.Contains(text, `<p class="edited-`+k+`">edited</p>`)
			if has != (k == kind) {
				t.Errorf("%s (layout %s): edit of %s.html on the page: %v", f.Path, kind, k, has)
			}
		}
	}
	for _, k := range kinds {
		if seen[k] == 0 {
			t.Errorf("no page of layout %s", k)
		}
	}
	for _, p := range []string{"index.html", "standards/TSC/index.html", "components/okta.html", "certifications/soc2-security.html"} {
		if !strings.Contains(string(s.Get(p)), `<i class="edited-counts"></i>`) {
			t.Errorf("%s: the edit of partials.html's counts is not on the page", p)
		}
	}
}

// Editing an embedded layout changes every page it renders, and nothing
// else: no page kind is written by anything but its layout, framed by
// base.html.
func TestEditingEmbeddedLayoutsChangesTheSite(t *testing.T) {
	kinds := layoutKinds(t)
	edited := editedTheme(t)
	src := fstest.MapFS{}
	err := fs.WalkDir(os.DirFS("."), "theme", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		data, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		if text, ok := edited[path.Base(p)]; ok && path.Dir(p) == "theme/layouts" {
			data = []byte(text)
		}
		src[p] = &fstest.MapFile{Data: data}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	in := everyKindInput(t)
	plain, _, err := site.Render(in)
	if err != nil {
		t.Fatal(err)
	}
	restore := site.SetThemeSource(src)
	defer restore()
	s, _, err := site.Render(in)
	if err != nil {
		t.Fatal(err)
	}
	checkEdited(t, s, kinds)
	index, err := site.VersionsIndex("Org", "latest", in.Versions, nil)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(index), `<p class="edited-index">edited</p>`) {
		t.Error("the edit of versions-index.html is not on the versions index")
	}
	restore()
	again, _, err := site.Render(in)
	if err != nil {
		t.Fatal(err)
	}
	for i, f := range plain.Files {
		if string(f.Data) != string(again.Files[i].Data) {
			t.Errorf("%s differs after the embedded theme is restored", f.Path)
		}
	}
}

// A theme overriding every layout with the same edits changes the site in
// the same way.
func TestThemeOverridesEveryPage(t *testing.T) {
	kinds := layoutKinds(t)
	in := everyKindInput(t)
	in.Theme = map[string]site.ThemeFile{}
	for name, text := range editedTheme(t) {
		in.Theme["layouts/"+name] = site.ThemeFile{Source: "theme/layouts/" + name, Data: []byte(text)}
	}
	s, _, err := site.Render(in)
	if err != nil {
		t.Fatal(err)
	}
	checkEdited(t, s, kinds)
	index, err := site.VersionsIndex("Org", "latest", in.Versions, in.Theme)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(index), `<p class="edited-index">edited</p>`) {
		t.Error("the override of versions-index.html is not on the versions index")
	}
	// one layout alone: only its pages change
	one := everyKindInput(t)
	one.Theme = map[string]site.ThemeFile{"layouts/control.html": in.Theme["layouts/control.html"]}
	s, _, err = site.Render(one)
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, f := range s.Files {
		if !strings.HasSuffix(f.Path, ".html") {
			continue
		}
		isControl := strings.Contains(string(f.Data), `<body class="kind-control">`)
		if has := strings.Contains(string(f.Data), `<p class="edited-control">edited</p>`); has != isControl {
			t.Errorf("%s: override of control.html on the page: %v", f.Path, has)
		}
		if isControl {
			n++
		}
	}
	if n < 50 {
		t.Errorf("only %d criterion pages", n)
	}
}

// Every page and the versions index carry the one Content-Security-Policy.
func TestOneContentSecurityPolicy(t *testing.T) {
	in := everyKindInput(t)
	s, _, err := site.Render(in)
	if err != nil {
		t.Fatal(err)
	}
	meta := `<meta http-equiv="Content-Security-Policy" content="` + site.CSP + `">`
	for _, f := range s.Files {
		if strings.HasSuffix(f.Path, ".html") && strings.Count(string(f.Data), "Content-Security-Policy") != 1 || strings.HasSuffix(f.Path, ".html") && !strings.Contains(string(f.Data), meta) {
			t.Errorf("%s: not exactly the one policy", f.Path)
		}
	}
	index, err := site.VersionsIndex("Org <&>", "latest", in.Versions, nil)
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{meta, "<title>Versions · Org &lt;&amp;&gt;</title>", `href="latest/assets/style.css"`, `<a href="v2/index.html">v2</a> <span class="muted">(latest)</span>`, `<a href="v1/index.html">v1</a></td>`} {
		if !strings.Contains(string(index), want) {
			t.Errorf("versions index lacks %s:\n%s", want, index)
		}
	}
}

// A component that satisfies a criterion twice gets two anchors on each
// side, numbered in file order, and each links to the other's.
func TestDuplicateSatisfactionAnchors(t *testing.T) {
	dir := themedRepo(t, nil)
	replaceIn(t, filepath.Join(dir, "components/backups/component.yaml"), `  - standard_key: TSC
    control_key: CC9.1
`, `  - standard_key: TSC
    control_key: CC9.1
    narrative:
      - text: The first of two.
    implementation_status: partial
  - standard_key: TSC
    control_key: CC9.1
`)
	br := build(t, dir, compiler.BuildOptions{AllowErrors: true})
	comp := page(t, br.Site, "components/backups.html")
	ctrl := page(t, br.Site, "standards/TSC/CC9.1.html")
	for _, want := range []string{`<tr id="sat-TSC-CC9.1">`, `<tr id="sat-TSC-CC9.1-2">`, `href="../standards/TSC/CC9.1.html#impl-backups"`, `href="../standards/TSC/CC9.1.html#impl-backups-2"`} {
		if !strings.Contains(comp, want) {
			t.Errorf("component page lacks %s", want)
		}
	}
	for _, want := range []string{`id="impl-backups"`, `id="impl-backups-2"`, `href="../../components/backups.html#sat-TSC-CC9.1"`, `href="../../components/backups.html#sat-TSC-CC9.1-2"`} {
		if !strings.Contains(ctrl, want) {
			t.Errorf("criterion page lacks %s", want)
		}
	}
}
