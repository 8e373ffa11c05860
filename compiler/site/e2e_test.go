package site_test

import (
	"context"
	"github.com/charter-compliance/charter/compiler/export"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"

	"github.com/charter-compliance/charter/compiler"
	"github.com/charter-compliance/charter/compiler/history"
	"github.com/charter-compliance/charter/compiler/history/gittest"
)

// browser starts a fresh headless Chromium for one test.
func browser(t testing.TB) context.Context {
	t.Helper()
	bin, err := export.FindBrowser()
	if err != nil {
		skipOrFail(t, "no chromium, chromium-browser or google-chrome in PATH: the browser test needs one (apt-get install chromium)")
	}
	profile, err := os.MkdirTemp("", "charter-chromium-")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		// Chromium's helpers may still write for a moment after it exits
		for range 50 {
			if os.RemoveAll(profile) == nil {
				return
			}
			time.Sleep(100 * time.Millisecond)
		}
	})
	alloc, cancelAlloc := chromedp.NewExecAllocator(context.Background(),
		append(export.BrowserOptions(bin, profile), chromedp.WindowSize(1280, 900))...)
	ctx, cancelCtx := chromedp.NewContext(alloc)
	ctx, cancelTimeout := context.WithTimeout(ctx, 90*time.Second)
	t.Cleanup(func() { cancelTimeout(); cancelCtx(); cancelAlloc() })
	return ctx
}

// recorder keeps every console message, exception, browser log entry and
// network request of a tab.
type recorder struct {
	mu       sync.Mutex
	messages []chromedp.ConsoleMessage
	requests []string
}

func record(t *testing.T, ctx context.Context) *recorder {
	t.Helper()
	r := &recorder{}
	msgs := chromedp.Console(ctx)
	reqs := chromedp.Events(ctx, network.RequestWillBeSent)
	go func() {
		for m, err := range msgs {
			if err != nil {
				return
			}
			r.mu.Lock()
			r.messages = append(r.messages, m)
			r.mu.Unlock()
		}
	}()
	go func() {
		for ev, err := range reqs {
			if err != nil {
				return
			}
			r.mu.Lock()
			r.requests = append(r.requests, ev.Request.URL)
			r.mu.Unlock()
		}
	}()
	return r
}

// check fails the test for any console error or exception, and for any
// request that is not for a file of the site.
func (r *recorder) check(t *testing.T, siteDirs ...string) {
	t.Helper()
	time.Sleep(200 * time.Millisecond) // let the last events arrive
	r.mu.Lock()
	defer r.mu.Unlock()
	for _, m := range r.messages {
		if m.Type == chromedp.ConsoleError || m.IsException() || m.Type == chromedp.ConsoleWarning {
			t.Errorf("console %s (%s:%d): %s", m.Type, m.URL, m.Line, m.Text)
		}
	}
	if len(r.requests) == 0 {
		t.Errorf("no requests were recorded")
	}
	for _, u := range r.requests {
		ok := strings.HasPrefix(u, "data:") // the stylesheet's inline images
		for _, d := range siteDirs {
			if strings.HasPrefix(u, fileURL(d, "")) {
				ok = true
			}
		}
		if !ok {
			t.Errorf("a page requested %s, outside the site", u)
		}
	}
}

func fileURL(dir, page string) string {
	abs, err := filepath.Abs(dir)
	if err != nil {
		panic(err)
	}
	page, frag, _ := strings.Cut(page, "#")
	return (&url.URL{Scheme: "file", Path: filepath.ToSlash(abs) + "/" + page, Fragment: frag}).String()
}

func buildTo(t *testing.T, root string, h *history.History) string {
	t.Helper()
	out := filepath.Join(t.TempDir(), "site")
	br, err := compiler.Build(compiler.BuildOptions{Options: compiler.Options{Root: root, SourceDateEpoch: referenceEpoch, History: h}, Out: out})
	if err != nil || br.Refused {
		t.Fatalf("build %s: %v (refused: %v)", root, err, br != nil && br.Refused)
	}
	return out
}

func run(t *testing.T, ctx context.Context, what string, steps ...chromedp.Action[chromedp.Void]) {
	t.Helper()
	if err := chromedp.Do(ctx, steps...); err != nil {
		t.Fatalf("%s: %v", what, err)
	}
}

func eval[T any](t *testing.T, ctx context.Context, js string) T {
	t.Helper()
	v, err := chromedp.Run(ctx, chromedp.Evaluate[T](js))
	if err != nil {
		t.Fatalf("evaluating %s: %v", js, err)
	}
	return v
}

// TestBrowser drives headless Chromium over the reference site opened from
// file://: the dashboard, a criterion, search, keyboard navigation and a
// printed policy, with no console error and no request outside the site.
// With CHARTER_SCREENSHOTS=DIR it also writes the screenshots shown in the
// README.
func TestBrowser(t *testing.T) {
	ctx := browser(t)
	h, err := history.Collect("../..", history.CollectOptions{RepoURL: "https://github.com/northwind-cloud/compliance", Version: "v1.4.0"})
	if err != nil {
		t.Fatal(err)
	}
	shots := os.Getenv("CHARTER_SCREENSHOTS")
	if shots != "" {
		// the screenshots show a release, not the state of someone's checkout
		h.Label.Dirty = false
	}
	dir := buildTo(t, "../..", h)
	rec := record(t, ctx)

	// the dashboard
	run(t, ctx, "open the dashboard", chromedp.Navigate(fileURL(dir, "index.html")), chromedp.WaitVisible(".cert"))
	if title := eval[string](t, ctx, `document.title`); title != "Dashboard · Northwind Cloud, Inc." {
		t.Errorf("title %q", title)
	}
	if n := eval[int](t, ctx, `document.querySelectorAll('.hm-cells > *').length`); n != 254 {
		t.Errorf("%d heat map cells", n)
	}
	// the stylesheet applied despite the Content-Security-Policy: the
	// header has its dark background
	if bg := eval[string](t, ctx, `getComputedStyle(document.querySelector('.site-header')).backgroundColor`); bg != "rgb(16, 42, 67)" {
		t.Errorf("header background %q: style.css did not load", bg)
	}
	if shots != "" {
		screenshot(t, ctx, filepath.Join(shots, "dashboard.png"), 1280, 1400)
	}

	// follow a criterion from the heat map
	run(t, ctx, "follow CC6.1", chromedp.Click(`.heatmap a[href="standards/TSC/CC6.1.html"]`), chromedp.WaitVisible(`#implementations`))
	if loc := eval[string](t, ctx, `location.href`); loc != fileURL(dir, "standards/TSC/CC6.1.html") {
		t.Errorf("followed to %s", loc)
	}
	if h1 := eval[string](t, ctx, `document.querySelector('h1').textContent`); h1 != "CC6.1 Access security architecture" {
		t.Errorf("h1 %q", h1)
	}
	if shots != "" {
		screenshot(t, ctx, filepath.Join(shots, "criterion.png"), 1280, 1400)
	}

	// keyboard: / focuses the search box, n goes to the next criterion
	run(t, ctx, "press /", chromedp.KeyEvent("/"))
	if id := eval[string](t, ctx, `document.activeElement.id`); id != "site-search-q" {
		t.Errorf("/ focused %q", id)
	}
	run(t, ctx, "leave the box", chromedp.KeyEvent(kb.Escape))
	run(t, ctx, "press n", chromedp.KeyEvent("n"), chromedp.WaitReady(chromedp.CSS(`link[rel="prev"][href="CC6.1.html"]`)))
	if loc := eval[string](t, ctx, `location.pathname`); !strings.HasSuffix(loc, "/standards/TSC/CC6.2.html") {
		t.Errorf("n went to %s", loc)
	}

	// search from the header box for a criterion ID
	run(t, ctx, "search CC6.1", chromedp.SendKeys(`#site-search-q`, "CC6.1\r"), chromedp.WaitVisible(`#results li`))
	// search.js marks the list with the query it shows
	first, err := chromedp.Run(ctx, chromedp.Poll[string](`document.getElementById('results').dataset.query === 'CC6.1' && document.querySelector('#results li a').href`))
	if err != nil {
		t.Fatal(err)
	}
	if first != fileURL(dir, "standards/TSC/CC6.1.html") {
		t.Errorf("first result for CC6.1 is %s", first)
	}
	if v := eval[string](t, ctx, `document.getElementById('q').value`); v != "CC6.1" {
		t.Errorf("search box holds %q", v)
	}
	// and for a word that only a narrative holds
	eval[bool](t, ctx, `(() => { document.getElementById('q').value = ''; return true })()`)
	run(t, ctx, "search clickhouse", chromedp.SendKeys(`#q`, "ClickHouse KMS"))
	hrefs, err := chromedp.Run(ctx, chromedp.Poll[[]string](`document.getElementById('results').dataset.query === 'ClickHouse KMS' && [...document.querySelectorAll('#results li a')].map(x => x.getAttribute('href'))`))
	if err != nil {
		t.Fatal(err)
	}
	if !containsString(hrefs, "standards/TSC/CC6.1.html") {
		t.Errorf("searching narrative words found %v, not CC6.1", hrefs)
	}
	eval[bool](t, ctx, `(() => { document.querySelector('#results li a[href="standards/TSC/CC6.1.html"]').click(); return true })()`)
	run(t, ctx, "open a result", chromedp.WaitVisible(`#implementations`))

	// a policy on paper: no navigation chrome, the header table shown
	run(t, ctx, "open a policy", chromedp.Navigate(fileURL(dir, "documents/POL-ACCESS.html")), chromedp.WaitVisible(`.doc-header`))
	if _, err := chromedp.Call(ctx, emulation.SetEmulatedMedia, emulation.SetEmulatedMediaParams{Media: "print"}); err != nil {
		t.Fatal(err)
	}
	for sel, want := range map[string]string{
		".site-header": "none", ".site-footer": "none", ".crumbs": "none", ".toc": "none",
		".doc-header": "table", ".print-header": "block", ".doc-body": "block",
	} {
		if got := eval[string](t, ctx, `getComputedStyle(document.querySelector('`+sel+`')).display`); got != want {
			t.Errorf("printed policy: %s display %q, want %q", sel, got, want)
		}
	}
	pdf, err := chromedp.Run(ctx, chromedp.PrintToPDF())
	if err != nil || len(pdf) < 1000 || !strings.HasPrefix(string(pdf), "%PDF") {
		t.Errorf("printing the policy: %d bytes, %v", len(pdf), err)
	}
	if _, err := chromedp.Call(ctx, emulation.SetEmulatedMedia, emulation.SetEmulatedMediaParams{Media: ""}); err != nil {
		t.Fatal(err)
	}
	rec.check(t, dir)
}

// TestBrowserHostileContent opens every page of the hostile fixture and
// clicks every link in its narratives and documents: nothing runs.
func TestBrowserHostileContent(t *testing.T) {
	ctx := browser(t)
	dir := buildTo(t, "../../testdata/xss", nil)
	rec := record(t, ctx)
	pages := sitePages(t, dir)
	if len(pages) != 13 {
		t.Fatalf("%d pages, want 13", len(pages))
	}
	const pwned = `Object.keys(window).filter(k => k.startsWith('PWNED'))`
	for _, p := range pages {
		run(t, ctx, "open "+p, chromedp.Navigate(fileURL(dir, p)), chromedp.WaitReady("footer"))
		if got := eval[[]string](t, ctx, pwned); len(got) > 0 {
			t.Errorf("%s ran script: %v", p, got)
		}
	}
	// click the links the hostile Markdown made, and search for them
	for _, p := range []string{"standards/XSS/XS-1.html", "documents/POL-EVIL.html", "components/evil.html"} {
		run(t, ctx, "open "+p, chromedp.Navigate(fileURL(dir, p)), chromedp.WaitReady("footer"))
		n := eval[int](t, ctx, `document.querySelectorAll('.narratives a, .doc-body a, .prose a').length`)
		for i := range n {
			run(t, ctx, "reopen "+p, chromedp.Navigate(fileURL(dir, p)), chromedp.WaitReady("footer"))
			eval[bool](t, ctx, `(() => { const a = document.querySelectorAll('.narratives a, .doc-body a, .prose a')[`+strconv.Itoa(i)+`]; a.click(); return true })()`)
			run(t, ctx, "settle", chromedp.WaitReady("footer"))
			if got := eval[[]string](t, ctx, pwned); len(got) > 0 {
				t.Errorf("%s: link %d ran script: %v", p, i, got)
			}
		}
	}
	run(t, ctx, "search", chromedp.Navigate(fileURL(dir, "search.html#q=script")), chromedp.WaitVisible(`#results li`))
	if got := eval[[]string](t, ctx, pwned); len(got) > 0 {
		t.Errorf("search results ran script: %v", got)
	}
	if n := eval[int](t, ctx, `document.querySelectorAll('#results script, #results img, #results svg').length`); n != 0 {
		t.Errorf("search results hold %d elements made from the index", n)
	}
	rec.check(t, dir)
}

func screenshot(t *testing.T, ctx context.Context, file string, w, h int64) {
	t.Helper()
	run(t, ctx, "set the viewport", chromedp.EmulateViewport(w, h))
	buf, err := chromedp.Run(ctx, chromedp.CaptureScreenshot())
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(file, buf, 0o644); err != nil {
		t.Fatal(err)
	}
}

func containsString(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// TestBrowserVersionSwitcher drives a multi-version site: the switcher opens
// without script (a details element under the Content-Security-Policy) and
// leads to the same page in the other version, or to its home page where
// that version lacks the page; the changes page renders in the site's frame.
func TestBrowserVersionSwitcher(t *testing.T) {
	ctx := browser(t)
	p := gittest.NewProgram(t)
	dir := filepath.Join(t.TempDir(), "site")
	br, err := compiler.BuildVersions(compiler.BuildOptions{Options: compiler.Options{Root: p.Dir}, Out: dir}, compiler.VersionOptions{Versions: "v*", Since: "v1.0.0"})
	if err != nil || br.Refused {
		t.Fatalf("build: %v (refused: %v)", err, br != nil && br.Refused)
	}
	rec := record(t, ctx)
	run(t, ctx, "open okta in v1.0.0", chromedp.Navigate(fileURL(dir, "v1.0.0/components/okta.html")), chromedp.WaitVisible(`.version-switch summary`))
	if eval[bool](t, ctx, `document.querySelector('.version-list').checkVisibility()`) {
		t.Error("the version list shows before the switcher is opened")
	}
	run(t, ctx, "open the switcher", chromedp.Click(`.version-switch summary`), chromedp.WaitVisible(`.version-list`))
	run(t, ctx, "switch to v1.1.0", chromedp.Click(`.version-list a[href="../../v1.1.0/components/okta.html"]`), chromedp.WaitVisible(`.version-switch summary`))
	if loc := eval[string](t, ctx, `location.href`); loc != fileURL(dir, "v1.1.0/components/okta.html") {
		t.Errorf("switched to %s", loc)
	}
	if s := eval[string](t, ctx, `document.querySelector('.version-switch summary').textContent`); s != "version v1.1.0" {
		t.Errorf("switcher says %q", s)
	}
	// github is new in v1.1.0: the switcher leads to v1.0.0's dashboard
	run(t, ctx, "open github", chromedp.Navigate(fileURL(dir, "v1.1.0/components/github.html")), chromedp.WaitVisible(`.version-switch summary`))
	run(t, ctx, "open the switcher", chromedp.Click(`.version-switch summary`), chromedp.WaitVisible(`.version-list`))
	run(t, ctx, "switch to v1.0.0", chromedp.Click(`.version-list a[href="../../v1.0.0/index.html"]`), chromedp.WaitVisible(`.cert`))
	if loc := eval[string](t, ctx, `location.href`); loc != fileURL(dir, "v1.0.0/index.html") {
		t.Errorf("switched to %s", loc)
	}
	// the changes page, from the navigation of the latest version
	run(t, ctx, "open latest", chromedp.Navigate(fileURL(dir, "latest/index.html")), chromedp.WaitVisible(`.cert`))
	run(t, ctx, "follow Changes", chromedp.Click(`.site-nav a[href="changes.html"]`), chromedp.WaitVisible(`#changed-narratives`))
	if n := eval[int](t, ctx, `document.querySelectorAll('.word-diff del, .word-diff ins').length`); n != 5 {
		t.Errorf("%d word changes shown", n)
	}
	if bg := eval[string](t, ctx, `getComputedStyle(document.querySelector('.word-diff ins')).backgroundColor`); bg != "rgb(218, 251, 225)" {
		t.Errorf("inserted words have background %q: style.css did not apply", bg)
	}
	rec.check(t, dir)
}
