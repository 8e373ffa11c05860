package site_test

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/charter-compliance/charter/compiler"
	"github.com/charter-compliance/charter/compiler/links"
	"github.com/charter-compliance/charter/compiler/site"
)

var idRE = regexp.MustCompile(`\sid="([^"]*)"`)

// duplicateIDs lists the ids that a page of s has more than once, and
// fragment links that lead to no id of their page.
func duplicateIDs(t *testing.T, s *site.Site) {
	t.Helper()
	hrefRE := regexp.MustCompile(`\shref="#([^"]+)"`)
	for _, f := range s.Files {
		if !strings.HasSuffix(f.Path, ".html") {
			continue
		}
		seen := map[string]int{}
		for _, m := range idRE.FindAllStringSubmatch(string(f.Data), -1) {
			seen[m[1]]++
		}
		for id, n := range seen {
			if n > 1 {
				t.Errorf("%s: id %q %d times", f.Path, id, n)
			}
		}
		for _, m := range hrefRE.FindAllStringSubmatch(string(f.Data), -1) {
			if strings.HasPrefix(m[1], "t") && seen[m[1]] == 0 && strings.Contains(m[1], "-") {
				t.Errorf("%s: link to #%s, which the page lacks", f.Path, m[1])
			}
		}
		if strings.Contains(string(f.Data), `id="^`) || strings.Contains(string(f.Data), `href="#^`) {
			t.Errorf("%s: a fragment id kept its mark", f.Path)
		}
	}
}

// Narratives are rendered once and shown on many pages, several on one
// page: two components' narratives with the same headings and footnotes,
// and the very same narrative twice, never give a page one id twice, and
// each footnote link leads to its own note.
func TestNarrativeIDsAreUniquePerPage(t *testing.T) {
	root := t.TempDir()
	narr := "      - text: |\n          ## Overview\n\n          How it is done.[^1]\n\n          ## Evidence\n\n          [^1]: A note.\n"
	comp := func(key string) string {
		return "name: " + key + "\nkey: " + key + "\nschema_version: 3.1.0\nsatisfies:\n  - standard_key: S\n    control_key: S-1\n    implementation_status: complete\n    narrative:\n" + narr
	}
	files := map[string]string{
		"opencontrol.yaml":            "schema_version: \"1.0.0\"\nname: ids\ncomponents:\n  - ./components/a\n  - ./components/b\nstandards:\n  - ./standards/S.yaml\n",
		"standards/S.yaml":            "name: S\nS-1:\n  family: S\n  name: One\n  description: |\n    ## Overview\n\n    The control.\n",
		"components/a/component.yaml": comp("a"),
		"components/b/component.yaml": comp("b"),
	}
	for name, data := range files {
		p := filepath.Join(root, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(data), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	br := build(t, root, compiler.BuildOptions{})
	duplicateIDs(t, br.Site)
	ctrl := page(t, br.Site, links.Control("S", "S-1"))
	// the description and both narratives: three prefixes
	for _, want := range []string{`id="t1-Overview"`, `id="t2-Overview"`, `id="t3-Overview"`, `id="t3-Evidence"`, `href="#t2-fn:1"`, `id="t3-fn:1"`} {
		if !strings.Contains(ctrl, want) {
			t.Errorf("criterion page lacks %s", want)
		}
	}
}

// The public corpus, as published: no page has an id twice, and the
// narratives written line by line keep their lines (160 of its narratives
// have several lines and no blank line).
func TestCorpusIDsAndLines(t *testing.T) {
	nist := filepath.Join(corpus, "standards/nist-800-53-latest.yaml")
	if _, err := os.Stat(nist); err != nil {
		t.Skipf("shared corpus not found: %v", err)
	}
	br := build(t, filepath.Join(corpus, "cf-compliance"), compiler.BuildOptions{AllowErrors: true, Options: compiler.Options{ExtraStandards: []string{nist}}})
	duplicateIDs(t, br.Site)
	// CloudController's AC-6 narrative is two lines, each a paragraph
	var shown string
	for _, f := range br.Site.Files {
		if strings.HasPrefix(f.Path, "standards/") && strings.Contains(string(f.Data), "without deploying new code.") {
			shown = string(f.Data)
			break
		}
	}
	if shown == "" {
		t.Fatal("no criterion page shows CloudController's AC-6 narrative")
	}
	if !strings.Contains(shown, "without deploying new code.<br>\n18F uses Orgs, Spaces, and Roles") {
		i := strings.Index(shown, "without deploying new code.")
		t.Errorf("the narrative's lines were joined: %q", shown[i:i+80])
	}
}
