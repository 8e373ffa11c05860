package site_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/charter-compliance/charter/compiler"
	"github.com/charter-compliance/charter/compiler/docs"
	"github.com/charter-compliance/charter/compiler/history"
	"github.com/charter-compliance/charter/compiler/site"
	"github.com/charter-compliance/charter/internal/gen"
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

// embeddedLayouts is every layout of the embedded theme as an override of
// itself: it sends every page down the template path.
func embeddedLayouts(t *testing.T) map[string]site.ThemeFile {
	t.Helper()
	entries, err := os.ReadDir("theme/layouts")
	if err != nil {
		t.Fatal(err)
	}
	over := map[string]site.ThemeFile{}
	for _, e := range entries {
		data, err := os.ReadFile(filepath.Join("theme/layouts", e.Name()))
		if err != nil {
			t.Fatal(err)
		}
		over["layouts/"+e.Name()] = site.ThemeFile{Source: "theme/layouts/" + e.Name(), Data: data}
	}
	if len(over) < 10 {
		t.Fatalf("only %d layouts found", len(over))
	}
	return over
}

// sameBothWays renders in with the layouts written in Go and with the
// embedded templates, and requires the same files, byte for byte.
func sameBothWays(t *testing.T, in site.Input) {
	t.Helper()
	native, _, err := site.Render(in)
	if err != nil {
		t.Fatal(err)
	}
	in.Theme = embeddedLayouts(t)
	tmpl, _, err := site.Render(in)
	if err != nil {
		t.Fatal(err)
	}
	if len(native.Files) != len(tmpl.Files) {
		t.Fatalf("%d files in Go, %d with templates", len(native.Files), len(tmpl.Files))
	}
	bad := 0
	for i, f := range native.Files {
		g := tmpl.Files[i]
		if f.Path != g.Path {
			t.Fatalf("file %d is %s in Go, %s with templates", i, f.Path, g.Path)
		}
		if string(f.Data) == string(g.Data) {
			continue
		}
		a, b := string(f.Data), string(g.Data)
		at := 0
		for at < len(a) && at < len(b) && a[at] == b[at] {
			at++
		}
		from := max(0, at-120)
		t.Errorf("%s differs at byte %d:\nGo:       %q\ntemplate: %q", f.Path, at, a[from:min(len(a), at+120)], b[from:min(len(b), at+120)])
		if bad++; bad == 5 {
			t.FailNow()
		}
	}
}

// The layouts written in Go (native.go) write what their templates write.
func TestNativeMatchesTemplates(t *testing.T) {
	day := func(d int) time.Time { return time.Date(2026, 10, d, 12, 0, 0, 0, time.UTC) }
	h := &history.History{
		Available: true,
		Shallow:   true,
		Label:     history.Label{Version: "v2.1.0+meta", Commit: "0123456789abcdef0123456789abcdef01234567"},
		Files: map[string][]history.Revision{
			"components/okta/component.yaml": {
				{Commit: "1111111111aaaaaaaaaa1111111111aaaaaaaaaa", Date: day(20), Author: "Ada <Admin> & 'co'+", Subject: `Require "FastPass"`, PR: 42, PRURL: "https://github.com/northwind-cloud/compliance/pull/42"},
				{Commit: "2222222222bbbbbbbbbb2222222222bbbbbbbbbb", Date: day(2), Author: "Grace", Subject: "Add Okta"},
			},
			"components/aws/component.yaml":        {{Commit: "3333333333cccccccccc3333333333cccccccccc", Date: day(9), Author: "Linus", Subject: "AWS"}},
			"templates/policies/access-control.md": {{Commit: "4444444444dddddddddd4444444444dddddddddd", Date: day(25), Author: "Ken", Subject: "Review access policy"}},
		},
	}
	t.Run("reference", func(t *testing.T) { sameBothWays(t, siteInput(t, "../..", h)) })
	t.Run("no-history", func(t *testing.T) {
		sameBothWays(t, siteInput(t, "../..", &history.History{Reason: "not a git repository"}))
	})
	t.Run("versions", func(t *testing.T) {
		in := siteInput(t, "../..", h)
		in.Versions = []site.Version{
			{Name: "v2.1.0", Dir: "v2.1.0", Current: true, Dirty: true, Pages: site.PagePaths(in)},
			{Name: "v1 <old>", Dir: "v1", Pages: []string{"index.html"}},
		}
		in.VersionDir = "v2.1.0"
		sameBothWays(t, in)
	})
	t.Run("errors", func(t *testing.T) { sameBothWays(t, siteInput(t, brokenRepo(t), nil)) })
	t.Run("dangling", func(t *testing.T) {
		// covered_by naming a component and a verification that do not
		// exist, and another component's verification
		dir := brokenRepo(t)
		replaceIn(t, filepath.Join(dir, "components/backups/component.yaml"), `      - component_key: backups
        verification_key: dr-exercise`, `      - component_key: nosuch
        verification_key: dr-exercise
      - component_key: backups
        verification_key: nosuch-check
      - component_key: monitoring
        verification_key: siem-triage
      - verification_key: restore-test`)
		// a description that Markdown renders as nothing, and ones for each
		// fast path and for goldmark
		replaceIn(t, filepath.Join(dir, "standards/TSC.yaml"), `  name: Ethical tone from leadership
  description: >-`, `  name: Ethical tone from leadership
  description: "[a]: https://example.com/a"
  x-old: >-`)
		replaceIn(t, filepath.Join(dir, "standards/TSC.yaml"), `  name: Board oversight of controls
  description: >-`, `  name: Board oversight of controls
  description: " - a. Review [Assignment: frequency]:\n   - 1. Minutes;\n   - 2. Reports.\n - b. *Emphasis* here.\n"
  x-old: >-`)
		sameBothWays(t, siteInput(t, dir, nil))
	})
	t.Run("hostile", func(t *testing.T) { sameBothWays(t, siteInput(t, "../../testdata/xss", nil)) })
	t.Run("corpus", func(t *testing.T) {
		// the corpus certifications with the NIST standard: hundreds of gaps per
		// certification
		nist := filepath.Join(corpus, "standards/nist-800-53-latest.yaml")
		if _, err := os.Stat(nist); err != nil {
			t.Skipf("shared corpus not found: %v", err)
		}
		res, err := compiler.Check(compiler.Options{Root: filepath.Join(corpus, "certifications"), SourceDateEpoch: referenceEpoch, ExtraStandards: []string{nist}})
		if err != nil {
			t.Fatal(err)
		}
		sameBothWays(t, site.Input{Workspace: res.Workspace, Coverage: res.Coverage, Diagnostics: res.Diagnostics, AsOf: res.AsOf,
			Docs: docs.New(res.Workspace, res.Coverage, docs.Options{})})
	})
	t.Run("synthetic", func(t *testing.T) {
		nist := gen.DefaultNIST("../..")
		if _, err := os.Stat(nist); err != nil {
			t.Skipf("NIST 800-53 rev5 not found (%v); set CHARTER_NIST", err)
		}
		dir := filepath.Join(t.TempDir(), "ws")
		if _, err := gen.Generate(gen.Options{Out: dir, Scale: 1, Repo: "../..", NIST: nist}); err != nil {
			t.Fatal(err)
		}
		sameBothWays(t, siteInput(t, dir, nil))
	})
}

// Overriding base.html or partials.html sends the layouts written in Go
// back to their templates, since those use both.
func TestNativeYieldsToOverrides(t *testing.T) {
	for _, tc := range []struct{ file, from, to, page, want string }{
		{"base.html", `<main id="main" tabindex="-1">`, `<main id="main" tabindex="-1" class="mine">`, "standards/TSC/CC6.1.html", `class="mine"`},
		{"partials.html", `aria-label="Status colours"`, `aria-label="Status colours (mine)"`, "index.html", "Status colours (mine)"},
		{"partials.html", `<h2 id="revisions">Revision history</h2>`, `<h2 id="revisions">Changes (mine)</h2>`, "components/okta.html", "Changes (mine)"},
	} {
		data, err := os.ReadFile(filepath.Join("theme/layouts", tc.file))
		if err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(string(data), tc.from) {
			t.Fatalf("%s lacks %q", tc.file, tc.from)
		}
		dir := themedRepo(t, map[string]string{"theme/layouts/" + tc.file: strings.Replace(string(data), tc.from, tc.to, 1)})
		br := build(t, dir, compiler.BuildOptions{})
		if !strings.Contains(page(t, br.Site, tc.page), tc.want) {
			t.Errorf("overriding %s does not change %s", tc.file, tc.page)
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
