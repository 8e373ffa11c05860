package site_test

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"

	"github.com/charter-compliance/charter/compiler"
	"github.com/charter-compliance/charter/internal/gen"
)

// tocCheck is the script that compares a page's table of contents with its
// section headings: the headings of main's sections (not those of
// narratives and documents inside .prose), in document order, against the
// table's links, and says whether every link's target is such a heading.
const tocCheck = `(() => {
  const heads = [...document.querySelectorAll('main h2[id], main h3[id]')]
    .filter(h => !h.closest('.prose, .page-toc, .problem-file h3, .card'))
    .filter(h => h.tagName === 'H2' || h.closest('#sat-groups, #all-criteria'));
  const toc = document.querySelector('main nav.page-toc');
  const links = toc ? [...toc.querySelectorAll('a')].map(a => a.getAttribute('href')) : [];
  return {
    heads: heads.map(h => '#' + h.id),
    links: links,
    targets: links.every(l => { const t = document.getElementById(l.slice(1)); return t && /^H[23]$/.test(t.tagName); }),
    first: toc ? toc.compareDocumentPosition(heads[0]) === Node.DOCUMENT_POSITION_FOLLOWING : false,
  };
})()`

type tocResult struct {
	Heads   []string `json:"heads"`
	Links   []string `json:"links"`
	Targets bool     `json:"targets"`
	First   bool     `json:"first"`
}

// TestBrowserContents opens one page of each kind with sections and checks
// that its table of contents lists exactly its section headings, in order,
// before them, and that following an entry reaches its section.
func TestBrowserContents(t *testing.T) {
	ctx := browser(t)
	dir := buildTo(t, "../..", nil)
	rec := record(t, ctx)
	for _, page := range []string{
		"index.html", "components/aws.html", "standards/TSC/index.html", "standards/TSC/CC6.1.html",
		"certifications/soc2-security.html", "problems.html", "documents/index.html", "change-management.html",
	} {
		run(t, ctx, "open "+page, chromedp.Navigate(fileURL(dir, page)), chromedp.WaitReady("body"))
		r := eval[tocResult](t, ctx, tocCheck)
		if len(r.Heads) < 2 {
			t.Errorf("%s: only %d sections; the test needs a page with sections", page, len(r.Heads))
			continue
		}
		if !slices.Equal(r.Heads, r.Links) {
			t.Errorf("%s: table of contents %v, section headings %v", page, r.Links, r.Heads)
		}
		if !r.Targets {
			t.Errorf("%s: a table of contents entry leads to no heading", page)
		}
		if !r.First {
			t.Errorf("%s: the table of contents does not come before the sections", page)
		}
	}
	// following the last entry of a standard's table scrolls to its section
	run(t, ctx, "open TSC", chromedp.Navigate(fileURL(dir, "standards/TSC/index.html")), chromedp.WaitVisible("nav.page-toc"))
	run(t, ctx, "follow PI1", chromedp.Click(`nav.page-toc a[href="#family-PI1"]`))
	if top := eval[float64](t, ctx, `document.getElementById('family-PI1').getBoundingClientRect().top`); top < 0 || top > 100 {
		t.Errorf("after following #family-PI1 its heading is %v px from the top", top)
	}
	if hash := eval[string](t, ctx, `location.hash`); hash != "#family-PI1" {
		t.Errorf("location.hash %q", hash)
	}
	// a page with one section has no table
	run(t, ctx, "open the components", chromedp.Navigate(fileURL(dir, "components/index.html")), chromedp.WaitReady("body"))
	if n := eval[int](t, ctx, `document.querySelectorAll('nav.page-toc').length`); n != 0 {
		t.Errorf("the components index has %d tables of contents", n)
	}
	rec.check(t, dir)
}

// filterState is what a filter box shows: the rows and groups left, the
// count it announces, whether it is visible.
const filterState = `(() => {
  const box = document.querySelector('.table-filter');
  const scope = document.getElementById(box.dataset.filterScope);
  const rows = [...scope.querySelectorAll('tbody tr')];
  const groups = [...scope.querySelectorAll('.filter-group')];
  return {
    visible: !box.hidden && box.getBoundingClientRect().height > 0,
    rows: rows.length,
    shown: rows.filter(r => r.getBoundingClientRect().height > 0).map(r => r.querySelector('td').textContent.trim()),
    groups: groups.filter(g => g.getBoundingClientRect().height > 0).length,
    count: box.querySelector('.filter-count').textContent,
  };
})()`

type filterResult struct {
	Visible bool     `json:"visible"`
	Rows    int      `json:"rows"`
	Shown   []string `json:"shown"`
	Groups  int      `json:"groups"`
	Count   string   `json:"count"`
}

// TestBrowserFilter types into the filter boxes of a standard's page and a
// component's, and checks that without script the boxes stay hidden and
// every row shows.
func TestBrowserFilter(t *testing.T) {
	ctx := browser(t)
	dir := buildTo(t, "../..", nil)
	rec := record(t, ctx)
	filter := func(page, text string) filterResult {
		t.Helper()
		run(t, ctx, "filter "+page+" by "+text, chromedp.Navigate(fileURL(dir, page)), chromedp.WaitVisible(".table-filter input"),
			chromedp.SendKeys(".table-filter input", text))
		return eval[filterResult](t, ctx, filterState)
	}

	// TSC: 61 criteria in 20 families
	r := filter("standards/TSC/index.html", "cc6.1")
	if r.Rows != 61 || !slices.Equal(r.Shown, []string{"CC6.1"}) || r.Groups != 1 || r.Count != "1 of 61 rows shown." {
		t.Errorf("filtering TSC by cc6.1: %+v", r)
	}
	// every word must match, in any order, titles and statuses included
	r = filter("standards/TSC/index.html", "SECURITY access")
	if len(r.Shown) == 0 || len(r.Shown) == r.Rows || !slices.Contains(r.Shown, "CC6.1") {
		t.Errorf("filtering TSC by words of CC6.1's title: %+v", r)
	}
	r = filter("standards/TSC/index.html", "zzz-nothing")
	if len(r.Shown) != 0 || r.Groups != 0 || r.Count != "No row matches." {
		t.Errorf("filtering TSC by a word no row holds: %+v", r)
	}
	// Escape empties the box and shows every row again
	run(t, ctx, "press Escape", chromedp.KeyEvent(kb.Escape))
	r = eval[filterResult](t, ctx, filterState)
	if len(r.Shown) != 61 || r.Groups != 20 || r.Count != "" {
		t.Errorf("after Escape: %d rows, %d groups shown, count %q", len(r.Shown), r.Groups, r.Count)
	}
	if v := eval[string](t, ctx, `document.querySelector('.table-filter input').value`); v != "" {
		t.Errorf("after Escape the box holds %q", v)
	}
	// the family tables of the page have the same columns
	lefts := eval[[][]float64](t, ctx, `[...document.querySelectorAll('#families table')].map(t => [...t.querySelectorAll('thead th')].map(th => Math.round(th.getBoundingClientRect().left)))`)
	for i, l := range lefts {
		if !slices.Equal(l, lefts[0]) {
			t.Errorf("family table %d has its columns at %v, the first at %v", i, l, lefts[0])
		}
	}

	// a component of the synthetic workspace: about 90 satisfactions of NIST
	gdir := syntheticSite(t)
	r2 := func(text string) filterResult {
		t.Helper()
		run(t, ctx, "filter a component by "+text, chromedp.Navigate(fileURL(gdir, "components/api-gateway-01.html")), chromedp.WaitVisible(".table-filter input"),
			chromedp.SendKeys(".table-filter input", text))
		return eval[filterResult](t, ctx, filterState)
	}
	all := r2("")
	if all.Rows <= 20 || len(all.Shown) != all.Rows {
		t.Fatalf("api-gateway-01 shows %d of %d satisfactions with an empty filter", len(all.Shown), all.Rows)
	}
	ac := r2("ac-")
	if len(ac.Shown) == 0 || len(ac.Shown) == ac.Rows {
		t.Errorf("filtering api-gateway-01 by ac- left %d of %d rows", len(ac.Shown), ac.Rows)
	}
	for _, id := range ac.Shown {
		if !strings.HasPrefix(id, "AC-") {
			t.Errorf("filtering by ac- left %s", id)
		}
	}

	// without script: no box, every row
	if _, err := chromedp.Call(ctx, emulation.SetScriptExecutionDisabled, emulation.SetScriptExecutionDisabledParams{Value: true}); err != nil {
		t.Fatal(err)
	}
	run(t, ctx, "open TSC without script", chromedp.Navigate(fileURL(dir, "standards/TSC/index.html")), chromedp.WaitReady("body"))
	r = eval[filterResult](t, ctx, filterState)
	if r.Visible || len(r.Shown) != 61 {
		t.Errorf("without script: box visible %v, %d of 61 rows shown", r.Visible, len(r.Shown))
	}
	rec.check(t, dir, gdir)
}

// syntheticSite builds the 1× synthetic workspace (cmd/charter-gen) into a
// site directory.
func syntheticSite(t *testing.T) string {
	t.Helper()
	nist := gen.DefaultNIST("../..")
	if _, err := os.Stat(nist); err != nil {
		t.Skipf("NIST 800-53 rev5 not found (%v); set CHARTER_NIST", err)
	}
	ws := filepath.Join(t.TempDir(), "ws")
	if _, err := gen.Generate(gen.Options{Out: ws, Scale: 1, Repo: "../..", NIST: nist}); err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(t.TempDir(), "site")
	br, err := compiler.Build(compiler.BuildOptions{Options: compiler.Options{Root: ws, SourceDateEpoch: referenceEpoch}, Out: out})
	if err != nil || br.Refused {
		t.Fatalf("build the synthetic workspace: %v (refused: %v)", err, br != nil && br.Refused)
	}
	return out
}
