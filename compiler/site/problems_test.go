package site_test

import (
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/charter-compliance/charter/compiler"
	"github.com/charter-compliance/charter/compiler/diag"
	"github.com/charter-compliance/charter/compiler/links"
	"github.com/charter-compliance/charter/compiler/site"
)

// problemPages is the Problems page and the pages of codes with many
// problems.
func problemPages(s *site.Site) []site.File {
	var out []site.File
	for _, f := range s.Files {
		if f.Path == links.Problems || strings.HasPrefix(f.Path, "problems/") {
			out = append(out, f)
		}
	}
	return out
}

// diagsListed counts the diagnostics the problem pages list.
func diagsListed(s *site.Site) int {
	n := 0
	for _, f := range problemPages(s) {
		n += strings.Count(string(f.Data), `<li class="diag diag-`)
	}
	return n
}

// manyProblemsRepo is brokenRepo with n unknown keys (OC104 warnings) in one
// component's file and three in another's.
func manyProblemsRepo(t *testing.T, n int) string {
	t.Helper()
	dir := brokenRepo(t)
	add := func(file string, n int) {
		path := filepath.Join(dir, file)
		data, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		var extra strings.Builder
		for i := range n {
			fmt.Fprintf(&extra, "stray_key_%d: value\n", i)
		}
		if err := os.WriteFile(path, append(data, extra.String()...), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	add("components/analytics-platform/component.yaml", n)
	add("components/aws/component.yaml", 3)
	return dir
}

func TestProblemsGroupedByCode(t *testing.T) {
	br := build(t, manyProblemsRepo(t, 250), compiler.BuildOptions{AllowErrors: true})
	counts := map[diag.Code][2]int{} // errors, warnings
	for _, d := range br.Diagnostics {
		c := counts[d.Code]
		if d.Severity == diag.Error {
			c[0]++
		} else {
			c[1]++
		}
		counts[d.Code] = c
	}
	if c := counts[diag.CodeUnknownKey]; c[1] != 253 {
		t.Fatalf("want 253 unknown-key warnings, got %v (%d diagnostics)", c, len(br.Diagnostics))
	}
	problems := page(t, br.Site, links.Problems)
	// the summary has one row per code with its counts, linking to where
	// its diagnostics are listed
	for code, c := range counts {
		href := "#code-" + string(code)
		if code == diag.CodeUnknownKey {
			href = "problems/" + string(code) + ".html"
		}
		row := regexp.MustCompile(`<tr><td class="nowrap"><a href="` + regexp.QuoteMeta(href) + `"><code>` + string(code) + `</code></a>[^\n]*<td class="num">(\d+)</td><td class="num">(\d+)</td></tr>`)
		m := row.FindStringSubmatch(problems)
		if m == nil {
			t.Errorf("no summary row for %s linking to %s", code, href)
			continue
		}
		if m[1] != fmt.Sprint(c[0]) || m[2] != fmt.Sprint(c[1]) {
			t.Errorf("%s: summary says %s errors, %s warnings; want %v", code, m[1], m[2], c)
		}
	}
	// the code with more than 200 diagnostics has its own page, grouped by
	// file; the Problems page lists the other codes' diagnostics itself
	own := page(t, br.Site, "problems/OC104.html")
	if n := strings.Count(own, `<li class="diag diag-`); n != 253 {
		t.Errorf("the OC104 page lists %d diagnostics, want 253", n)
	}
	if strings.Contains(problems, "<code>OC104</code> a key the schema does not define") || strings.Contains(problems, `id="code-OC104"`) {
		t.Errorf("the Problems page lists OC104's diagnostics as well as its own page")
	}
	for _, id := range []string{"file-components-analytics-platform-component.yaml", "file-components-aws-component.yaml"} {
		if !strings.Contains(own, `<h2 id="`+id+`">`) {
			t.Errorf("the OC104 page has no section %s", id)
		}
	}
	if !strings.Contains(own, `<a href="#file-components-aws-component.yaml">components/aws/component.yaml</a>`) {
		t.Errorf("the OC104 page's table of contents does not list its files")
	}
	for code := range counts {
		if code != diag.CodeUnknownKey && !strings.Contains(problems, `<section class="problem-code" aria-labelledby="code-`+string(code)+`">`) {
			t.Errorf("the Problems page has no section for %s", code)
		}
	}
	if n := diagsListed(br.Site); n != len(br.Diagnostics) {
		t.Errorf("the problem pages list %d diagnostics, want each of the %d once", n, len(br.Diagnostics))
	}
	// banners link to the file's row, which links to each code's list of
	// the file's diagnostics
	row := regexp.MustCompile(`<tr id="file-components-analytics-platform-component.yaml"><td><code>components/analytics-platform/component.yaml</code></td><td class="num">(\d+)</td><td class="num">2</td><td>([^\n]*)</td><td>`).FindStringSubmatch(problems)
	if row == nil {
		t.Fatalf("no file row for the analytics component")
	}
	if row[1] != "252" {
		t.Errorf("the analytics component's file has %s problems, want 252", row[1])
	}
	for _, want := range []string{
		`<a href="problems/OC104.html#file-components-analytics-platform-component.yaml">OC104 (250)</a>`,
		`<a href="#code-OC106-file-components-analytics-platform-component.yaml">OC106 (1)</a>`,
		`<a href="#code-OC202-file-components-analytics-platform-component.yaml">OC202 (1)</a>`,
	} {
		if !strings.Contains(row[2], want) {
			t.Errorf("the file row lacks %s: %s", want, row[2])
		}
	}
	checkLinks(t, br.Site, false)
}

// With no code above 200 the Problems page lists everything itself and
// there are no code pages.
func TestProblemsWithoutCodePages(t *testing.T) {
	br := build(t, manyProblemsRepo(t, 197), compiler.BuildOptions{AllowErrors: true})
	if pages := problemPages(br.Site); len(pages) != 1 {
		t.Errorf("want only the Problems page, have %d problem pages", len(pages))
	}
	if n := strings.Count(page(t, br.Site, links.Problems), `<li class="diag diag-`); n != len(br.Diagnostics) {
		t.Errorf("the Problems page lists %d diagnostics, want %d", n, len(br.Diagnostics))
	}
}
