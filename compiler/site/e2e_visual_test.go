package site_test

import (
	"context"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"

	"github.com/charter-compliance/charter/compiler"
	"github.com/charter-compliance/charter/compiler/history/gittest"
	"github.com/charter-compliance/charter/internal/gen"
)

// The visual browser tests: status shapes, heat-map keyboard use, phone
// widths, the collapsing navigation, dark mode, the narrative measure and
// Escape on the version switcher.

// tabStopsJS counts the elements a Tab press can reach: focusable, in the
// tab order and rendered.
const tabStopsJS = `[...document.querySelectorAll('a[href], button, input, select, textarea, summary, [tabindex]')]
	.filter(e => e.tabIndex >= 0 && !e.disabled && e.checkVisibility({visibilityProperty: true})).length`

// view sets the viewport width (a phone below 600 px) and colour scheme.
func view(t *testing.T, ctx context.Context, width int64, scheme string) {
	t.Helper()
	if _, err := chromedp.Call(ctx, emulation.SetDeviceMetricsOverride, emulation.SetDeviceMetricsOverrideParams{
		Width: width, Height: 844, DeviceScaleFactor: 1, Mobile: width < 600}); err != nil {
		t.Fatal(err)
	}
	if _, err := chromedp.Call(ctx, emulation.SetEmulatedMedia, emulation.SetEmulatedMediaParams{
		Features: []*emulation.MediaFeature{{Name: "prefers-color-scheme", Value: scheme}}}); err != nil {
		t.Fatal(err)
	}
}

// sitePages lists a site's pages, relative and slash-separated.
func sitePages(t *testing.T, dir string) []string {
	t.Helper()
	var pages []string
	err := filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
		if err == nil && strings.HasSuffix(p, ".html") {
			rel, _ := filepath.Rel(dir, p)
			pages = append(pages, filepath.ToSlash(rel))
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	slices.Sort(pages)
	return pages
}

// checkPhoneWidth opens each page at 390 px and fails for any that scrolls
// sideways; it returns the widest page and its width.
func checkPhoneWidth(t *testing.T, ctx context.Context, dir string, pages []string) (string, int) {
	t.Helper()
	view(t, ctx, 390, "light")
	widest, width := "", 0
	for _, p := range pages {
		run(t, ctx, "open "+p, chromedp.Navigate(fileURL(dir, p)), chromedp.WaitReady("footer"))
		sw := eval[int](t, ctx, `document.documentElement.scrollWidth`)
		if sw > width {
			widest, width = p, sw
		}
		if iw := eval[int](t, ctx, `window.innerWidth`); sw > iw {
			culprit := eval[string](t, ctx, `(() => { let w = null; for (const e of document.querySelectorAll('main *')) { const r = e.getBoundingClientRect(); if (r.right > innerWidth + 1 && (!w || r.right > w.r)) { w = {r: r.right, d: e.tagName + '.' + e.className + ' ' + (e.textContent || '').slice(0, 60)} } } return w ? w.d : '' })()`)
			t.Errorf("%s scrolls sideways at 390 px: %d px wide (%s)", p, sw, culprit)
		}
	}
	return widest, width
}

// referenceDashboard builds the reference site and opens its dashboard
// at a desktop width in the light scheme.
func referenceDashboard(t *testing.T) (context.Context, string, *recorder) {
	t.Helper()
	ctx := browser(t)
	dir := buildTo(t, "../..", nil)
	rec := record(t, ctx)
	view(t, ctx, 1280, "light")
	run(t, ctx, "open the dashboard", chromedp.Navigate(fileURL(dir, "index.html")), chromedp.WaitVisible(".cert"))
	return ctx, dir, rec
}

// TestBrowserStatusShapes checks that every status has its own shape
// beside its colour, in the legend, the heat map, the bars and the
// badges, on screen and on paper.
func TestBrowserStatusShapes(t *testing.T) {
	ctx, dir, rec := referenceDashboard(t)
	// the legend: seven swatches, seven shapes, seven fills
	shapes := eval[[]string](t, ctx, `[...document.querySelectorAll('.legend .swatch')].map(e => getComputedStyle(e).backgroundImage.split('"), ')[0])`)
	if len(shapes) != 7 {
		t.Fatalf("the legend has %d swatches, want 7", len(shapes))
	}
	for i, s := range shapes {
		if !strings.HasPrefix(s, `url("data:image/svg+xml,`) {
			t.Errorf("swatch %d has no shape: %q", i, s)
		}
		if slices.Index(shapes, s) != i {
			t.Errorf("swatch %d has the shape of swatch %d", i, slices.Index(shapes, s))
		}
	}
	// every heat-map square, bar segment and badge mark of a status has
	// the legend's shape for it
	same := `(() => { const bad = []; const legend = {};
		for (const e of document.querySelectorAll('.legend .swatch')) legend[[...e.classList].find(c => c.startsWith('st-'))] = getComputedStyle(e).backgroundImage;
		const check = (e, style) => { const st = [...e.classList].find(c => c.startsWith('st-')); if (!legend[st] || style.backgroundImage !== legend[st]) bad.push(e.outerHTML.slice(0, 80)); };
		for (const e of document.querySelectorAll('.hm-cells > *, .tally > span')) check(e, getComputedStyle(e));
		for (const e of document.querySelectorAll('.status')) check(e, getComputedStyle(e, '::before'));
		return bad.slice(0, 5) })()`
	if bad := eval[[]string](t, ctx, same); len(bad) > 0 {
		t.Errorf("marks without their status's shape: %v", bad)
	}
	if n := eval[int](t, ctx, `document.querySelectorAll('.hm-cells > *').length + document.querySelectorAll('.tally > span').length + document.querySelectorAll('.status').length`); n < 254 {
		t.Errorf("only %d marks checked", n)
	}
	// greyscale paper keeps the fills and shapes
	if _, err := chromedp.Call(ctx, emulation.SetEmulatedMedia, emulation.SetEmulatedMediaParams{Media: "print"}); err != nil {
		t.Fatal(err)
	}
	if got := eval[string](t, ctx, `getComputedStyle(document.querySelector('.hm-cells > a')).printColorAdjust`); got != "exact" {
		t.Errorf("heat-map squares print with print-color-adjust %q, want exact", got)
	}
	if _, err := chromedp.Call(ctx, emulation.SetEmulatedMedia, emulation.SetEmulatedMediaParams{Media: ""}); err != nil {
		t.Fatal(err)
	}
	// under each simulated vision deficiency the page still renders
	// (the palette itself is checked by TestStatusPaletteDistinct)
	if dir := os.Getenv("CHARTER_SCREENSHOTS"); dir != "" {
		for _, v := range []string{"none", "deuteranopia", "protanopia", "tritanopia", "achromatopsia"} {
			if _, err := chromedp.Call(ctx, emulation.SetEmulatedVisionDeficiency, emulation.SetEmulatedVisionDeficiencyParams{Type: emulation.SetEmulatedVisionDeficiencyType(v)}); err != nil {
				t.Fatal(err)
			}
			screenshot(t, ctx, filepath.Join(dir, "heatmap-"+v+".png"), 1280, 1400)
		}
	}
	rec.check(t, dir)
}

// TestBrowserHeatmapKeyboard checks that a heat map is one tab stop with
// the arrow keys inside, a visible focus ring and touch-size squares.
func TestBrowserHeatmapKeyboard(t *testing.T) {
	ctx, dir, rec := referenceDashboard(t)
	maps := eval[int](t, ctx, `document.querySelectorAll('.hm').length`)
	cells := eval[int](t, ctx, `document.querySelectorAll('.hm-cells > a').length`)
	if maps == 0 || cells < 200 {
		t.Fatalf("%d heat maps with %d squares", maps, cells)
	}
	if n := eval[int](t, ctx, `[...document.querySelectorAll('.hm-cells > a')].filter(a => a.tabIndex >= 0).length`); n != maps {
		t.Errorf("%d heat-map squares in the tab order, want one per map (%d)", n, maps)
	}
	stops := eval[int](t, ctx, tabStopsJS)
	t.Logf("dashboard: %d tab stops, %d heat-map squares in %d maps", stops, cells, maps)
	if stops > 80 {
		t.Errorf("the dashboard has %d tab stops", stops)
	}
	// Tab into the first map, then move with the keys
	eval[bool](t, ctx, `(() => { document.querySelector('.hm').closest('.cert').querySelector('h3 a').focus(); return true })()`)
	run(t, ctx, "tab into the map", chromedp.KeyEvent(kb.Tab))
	for !eval[bool](t, ctx, `!!document.activeElement.closest('.hm')`) {
		if eval[bool](t, ctx, `!document.activeElement.closest('.cert')`) {
			t.Fatalf("Tab left the card without reaching its heat map")
		}
		run(t, ctx, "tab", chromedp.KeyEvent(kb.Tab))
	}
	first := `document.activeElement === document.querySelector('.hm .hm-cells > a')`
	if !eval[bool](t, ctx, first) {
		t.Errorf("Tab reached %s, not the map's first square", eval[string](t, ctx, `document.activeElement.title`))
	}
	ring := eval[[]string](t, ctx, `(() => { const s = getComputedStyle(document.activeElement); return [s.outlineStyle, s.outlineWidth] })()`)
	if ring[0] != "solid" || ring[1] != "3px" {
		t.Errorf("the focused square's outline is %v, want a 3px solid ring", ring)
	}
	if echo := eval[string](t, ctx, `document.querySelector('.hm-focus').textContent`); echo == "" || echo != eval[string](t, ctx, `document.activeElement.title`) {
		t.Errorf("the map does not say which square has focus: %q", echo)
	}
	run(t, ctx, "right", chromedp.KeyEvent(kb.ArrowRight))
	if !eval[bool](t, ctx, `document.activeElement === document.querySelectorAll('.hm')[0].querySelectorAll('.hm-cells > a')[1] && document.activeElement.tabIndex === 0`) {
		t.Errorf("ArrowRight did not move to the second square")
	}
	before := eval[[]float64](t, ctx, `(() => { const r = document.activeElement.getBoundingClientRect(); return [r.left + scrollX, r.top + scrollY] })()`)
	run(t, ctx, "down", chromedp.KeyEvent(kb.ArrowDown))
	after := eval[[]float64](t, ctx, `(() => { const r = document.activeElement.getBoundingClientRect(); return [r.left + scrollX, r.top + scrollY] })()`)
	if after[1] <= before[1] || after[0]-before[0] > 20 || before[0]-after[0] > 20 {
		t.Errorf("ArrowDown moved from %v to %v, not to the square below", before, after)
	}
	run(t, ctx, "up", chromedp.KeyEvent(kb.ArrowUp))
	if back := eval[[]float64](t, ctx, `(() => { const r = document.activeElement.getBoundingClientRect(); return [r.left + scrollX, r.top + scrollY] })()`); !slices.Equal(back, before) {
		t.Errorf("ArrowUp went to %v, not back to %v", back, before)
	}
	run(t, ctx, "end", chromedp.KeyEvent(kb.End))
	if !eval[bool](t, ctx, `(() => { const c = document.querySelectorAll('.hm')[0].querySelectorAll('.hm-cells > a'); return document.activeElement === c[c.length - 1] })()`) {
		t.Errorf("End did not move to the last square")
	}
	if n := eval[int](t, ctx, `[...document.querySelectorAll('.hm')[0].querySelectorAll('.hm-cells > a')].filter(a => a.tabIndex >= 0).length`); n != 1 {
		t.Errorf("after moving, %d squares of the map are in the tab order", n)
	}
	// one Tab leaves the map
	run(t, ctx, "tab out", chromedp.KeyEvent(kb.Tab))
	if eval[bool](t, ctx, `!!document.activeElement.closest('.hm')`) {
		t.Errorf("Tab stayed in the heat map")
	}
	// Enter on a square opens its criterion
	eval[bool](t, ctx, `(() => { document.querySelector('.hm-cells > a[href="standards/TSC/CC6.1.html"]').focus(); return true })()`)
	run(t, ctx, "enter", chromedp.KeyEvent(kb.Enter), chromedp.WaitVisible(`#implementations`))
	if loc := eval[string](t, ctx, `location.href`); loc != fileURL(dir, "standards/TSC/CC6.1.html") {
		t.Errorf("Enter opened %s", loc)
	}
	// touch-size squares on a phone
	view(t, ctx, 390, "light")
	run(t, ctx, "open the dashboard", chromedp.Navigate(fileURL(dir, "index.html")), chromedp.WaitVisible(".cert"))
	if size := eval[[]float64](t, ctx, `(() => { const r = document.querySelector('.hm-cells > a').getBoundingClientRect(); return [r.width, r.height] })()`); size[0] < 24 || size[1] < 24 {
		t.Errorf("heat-map squares are %v px on a phone, want at least 24", size)
	}
	rec.check(t, dir)
}

// TestBrowserPhone opens every page of the reference site at 390 px: none
// scrolls sideways, and the navigation collapses behind a Menu button that
// works without script.
func TestBrowserPhone(t *testing.T) {
	ctx := browser(t)
	dir := buildTo(t, "../..", nil)
	rec := record(t, ctx)
	pages := sitePages(t, dir)
	if len(pages) < 100 {
		t.Fatalf("%d pages", len(pages))
	}
	widest, width := checkPhoneWidth(t, ctx, dir, pages)
	t.Logf("widest of %d pages at 390 px: %s, %d px", len(pages), widest, width)

	navShown := `document.querySelector('.site-nav a').checkVisibility()`
	for _, script := range []bool{true, false} {
		if _, err := chromedp.Call(ctx, emulation.SetScriptExecutionDisabled, emulation.SetScriptExecutionDisabledParams{Value: !script}); err != nil {
			t.Fatal(err)
		}
		run(t, ctx, "open a component", chromedp.Navigate(fileURL(dir, "components/aws.html")), chromedp.WaitReady("footer"))
		if eval[bool](t, ctx, navShown) {
			t.Errorf("script %v: the navigation shows on a phone before Menu is pressed", script)
		}
		if h := eval[float64](t, ctx, `document.querySelector('.site-header').getBoundingClientRect().height`); h > 844/5 {
			t.Errorf("script %v: the header is %.0f px tall on a phone", script, h)
		}
		if shots := os.Getenv("CHARTER_SCREENSHOTS"); shots != "" && script {
			screenshot(t, ctx, filepath.Join(shots, "phone.png"), 390, 844)
		}
		run(t, ctx, "press Menu", chromedp.Click(`.nav-menu summary`))
		if !eval[bool](t, ctx, navShown) {
			t.Errorf("script %v: Menu does not show the navigation", script)
		}
		if n := eval[int](t, ctx, `document.documentElement.scrollWidth - innerWidth`); n > 0 {
			t.Errorf("script %v: the open menu makes the page %d px too wide", script, n)
		}
	}
	if _, err := chromedp.Call(ctx, emulation.SetScriptExecutionDisabled, emulation.SetScriptExecutionDisabledParams{Value: false}); err != nil {
		t.Fatal(err)
	}
	// Escape closes the menu
	run(t, ctx, "open a component", chromedp.Navigate(fileURL(dir, "components/aws.html")), chromedp.WaitReady("footer"))
	run(t, ctx, "press Menu", chromedp.Click(`.nav-menu summary`), chromedp.KeyEvent(kb.Escape))
	if eval[bool](t, ctx, navShown) {
		t.Errorf("Escape did not close the menu")
	}
	// on a wide screen the navigation is always shown, with no button
	view(t, ctx, 1280, "light")
	run(t, ctx, "open a component", chromedp.Navigate(fileURL(dir, "components/aws.html")), chromedp.WaitReady("footer"))
	if !eval[bool](t, ctx, navShown) || eval[bool](t, ctx, `document.querySelector('.nav-menu summary').checkVisibility()`) {
		t.Errorf("on a wide screen the navigation is hidden or the Menu button shown")
	}
	rec.check(t, dir)
}

// TestBrowserPhoneSynthetic opens pages of every kind of the synthetic 1×
// workspace at 390 px (every page with CHARTER_ALL_PAGES=1): none scrolls
// sideways.
func TestBrowserPhoneSynthetic(t *testing.T) {
	nist := gen.DefaultNIST("../..")
	if _, err := os.Stat(nist); err != nil {
		t.Skipf("NIST 800-53 rev5 not found (%v); set CHARTER_NIST", err)
	}
	ctx := browser(t)
	ws := filepath.Join(t.TempDir(), "ws")
	if _, err := gen.Generate(gen.Options{Out: ws, Scale: 1, Repo: "../..", NIST: nist}); err != nil {
		t.Fatal(err)
	}
	dir := filepath.Join(t.TempDir(), "site")
	br, err := compiler.Build(compiler.BuildOptions{Options: compiler.Options{Root: ws, SourceDateEpoch: referenceEpoch}, Out: dir})
	if err != nil || br.Refused {
		t.Fatalf("build: %v", err)
	}
	all := sitePages(t, dir)
	pages := all
	if os.Getenv("CHARTER_ALL_PAGES") != "1" {
		// every index page and every 25th page of each directory
		pages = nil
		seen := map[string]int{}
		for _, p := range all {
			d := filepath.Dir(p)
			if seen[d]%25 == 0 || strings.HasSuffix(p, "index.html") {
				pages = append(pages, p)
			}
			seen[d]++
		}
	}
	widest, width := checkPhoneWidth(t, ctx, dir, pages)
	t.Logf("widest of %d of %d pages at 390 px: %s, %d px", len(pages), len(all), widest, width)
}

// TestBrowserDarkMode checks that the site follows prefers-color-scheme.
func TestBrowserDarkMode(t *testing.T) {
	ctx := browser(t)
	dir := buildTo(t, "../..", nil)
	colours := `(() => { const b = getComputedStyle(document.body), a = getComputedStyle(document.querySelector('main a')), s = getComputedStyle(document.querySelector('.status.st-missing') || document.querySelector('.status'));
		return [b.backgroundColor, b.color, a.color, s.backgroundColor, s.color] })()`
	want := map[string][]string{
		"light": {"rgb(255, 255, 255)", "rgb(31, 35, 40)", "rgb(10, 88, 202)"},
		"dark":  {"rgb(13, 17, 23)", "rgb(230, 237, 243)", "rgb(108, 182, 255)"},
	}
	badge := map[string][]string{}
	for _, scheme := range []string{"light", "dark"} {
		view(t, ctx, 1280, scheme)
		run(t, ctx, "open a criterion", chromedp.Navigate(fileURL(dir, "standards/TSC/CC6.1.html")), chromedp.WaitReady("footer"))
		got := eval[[]string](t, ctx, colours)
		if !slices.Equal(got[:3], want[scheme]) {
			t.Errorf("%s: page background, text and link colours %v, want %v", scheme, got[:3], want[scheme])
		}
		badge[scheme] = got[3:]
	}
	if slices.Equal(badge["light"], badge["dark"]) {
		t.Errorf("status badges keep their light colours in dark mode: %v", badge["dark"])
	}
}

// TestBrowserNarrativeMeasure checks that narrative and document text runs
// to about 70 to 90 characters a line on a wide screen.
func TestBrowserNarrativeMeasure(t *testing.T) {
	ctx := browser(t)
	dir := buildTo(t, "../..", nil)
	view(t, ctx, 1600, "light")
	// characters per line of the longest paragraph: its width over the
	// mean width of its own characters
	measure := `(() => { let best = null;
		for (const p of document.querySelectorAll(SEL)) if (!best || p.textContent.length > best.textContent.length) best = p;
		if (!best) return 0;
		const c = document.createElement('canvas').getContext('2d'), s = getComputedStyle(best);
		c.font = s.fontWeight + ' ' + s.fontSize + ' ' + s.fontFamily;
		const text = best.textContent.replace(/\s+/g, ' ');
		if (c.measureText(text).width < 2 * best.clientWidth) return -1;
		return Math.round(best.clientWidth / (c.measureText(text).width / text.length)) })()`
	for page, sel := range map[string]string{
		"standards/TSC/CC6.1.html":  ".narratives p",
		"documents/POL-ACCESS.html": ".doc-body p",
	} {
		run(t, ctx, "open "+page, chromedp.Navigate(fileURL(dir, page)), chromedp.WaitReady("footer"))
		n := eval[int](t, ctx, strings.Replace(measure, "SEL", "'"+sel+"'", 1))
		t.Logf("%s: %d characters a line", page, n)
		if n < 65 || n > 92 {
			t.Errorf("%s: %s runs to %d characters a line, want about 70 to 90", page, sel, n)
		}
	}
}

// TestBrowserVersionSwitcherEscape checks that Escape closes the version
// switcher and returns focus to it.
func TestBrowserVersionSwitcherEscape(t *testing.T) {
	ctx := browser(t)
	p := gittest.NewProgram(t)
	dir := filepath.Join(t.TempDir(), "site")
	br, err := compiler.BuildVersions(compiler.BuildOptions{Options: compiler.Options{Root: p.Dir}, Out: dir}, compiler.VersionOptions{Versions: "v*", Since: "v1.0.0"})
	if err != nil || br.Refused {
		t.Fatalf("build: %v (refused: %v)", err, br != nil && br.Refused)
	}
	rec := record(t, ctx)
	run(t, ctx, "open okta", chromedp.Navigate(fileURL(dir, "v1.1.0/components/okta.html")), chromedp.WaitVisible(`.version-switch summary`))
	run(t, ctx, "open the switcher", chromedp.Click(`.version-switch summary`), chromedp.WaitVisible(`.version-list`))
	// into the list, then Escape
	eval[bool](t, ctx, `(() => { document.querySelector('.version-list a').focus(); return true })()`)
	run(t, ctx, "press Escape", chromedp.KeyEvent(kb.Escape))
	if eval[bool](t, ctx, `document.querySelector('.version-switch').open || document.querySelector('.version-list').checkVisibility()`) {
		t.Errorf("Escape did not close the version switcher")
	}
	if !eval[bool](t, ctx, `document.activeElement === document.querySelector('.version-switch summary')`) {
		t.Errorf("after Escape the focus is on %s, not the switcher", eval[string](t, ctx, `document.activeElement.outerHTML.slice(0, 60)`))
	}
	// Escape with the switcher closed changes nothing
	run(t, ctx, "press Escape again", chromedp.KeyEvent(kb.Escape))
	if eval[bool](t, ctx, `document.querySelector('.version-switch').open`) {
		t.Errorf("a second Escape opened the switcher")
	}
	rec.check(t, dir)
}

// TestSiteAt390 measures any built site named by CHARTER_SITE: its widest
// page at 390 px and the dashboard's tab stops (a measuring tool for large
// programs; it checks nothing of the reference site).
func TestSiteAt390(t *testing.T) {
	dir := os.Getenv("CHARTER_SITE")
	if dir == "" {
		t.Skip("set CHARTER_SITE to a built site to measure it")
	}
	pages := sitePages(t, dir)
	if n, _ := strconv.Atoi(os.Getenv("CHARTER_SITE_EVERY")); n > 1 {
		var some []string
		for i := 0; i < len(pages); i += n {
			some = append(some, pages[i])
		}
		pages = some
	}
	over, widest, width := 0, "", 0
	// a fresh browser per 100 pages, each within browser's time limit
	for start := 0; start < len(pages); start += 100 {
		t.Run(strconv.Itoa(start), func(t *testing.T) {
			ctx := browser(t)
			if start == 0 {
				view(t, ctx, 1280, "light")
				run(t, ctx, "open the dashboard", chromedp.Navigate(fileURL(dir, "index.html")), chromedp.WaitReady("footer"))
				t.Logf("dashboard: %d tab stops, %d of them heat-map squares", eval[int](t, ctx, tabStopsJS),
					eval[int](t, ctx, `[...document.querySelectorAll('.heatmap a[href]')].filter(e => e.tabIndex >= 0).length`))
			}
			view(t, ctx, 390, "light")
			for _, p := range pages[start:min(start+100, len(pages))] {
				run(t, ctx, "open "+p, chromedp.Navigate(fileURL(dir, p)), chromedp.WaitReady("footer"))
				if sw := eval[int](t, ctx, `document.documentElement.scrollWidth`); sw > 390 {
					over++
					if sw > width {
						widest, width = p, sw
					}
				}
			}
		})
	}
	t.Logf("%d of %d pages wider than 390 px; widest %s, %d px", over, len(pages), widest, width)
}
