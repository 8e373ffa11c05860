package site_test

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/chromedp"
)

// axeScript is axe-core, the accessibility engine the browser tests inject
// into pages. It is a test-only npm dependency: .ci/run installs it with
// `npm ci --prefix compiler/site/testdata/a11y`.
const axeScript = "testdata/a11y/node_modules/axe-core/axe.min.js"

// requireBrowser reports whether a missing browser or test dependency must
// fail the test rather than skip it: .ci/run sets CHARTER_REQUIRE_BROWSER=1,
// so CI never passes by skipping the browser tests.
func requireBrowser() bool { return os.Getenv("CHARTER_REQUIRE_BROWSER") == "1" }

// skipOrFail skips the test with why, or fails it when CI requires the
// browser tests to run.
func skipOrFail(t testing.TB, why string) {
	t.Helper()
	if requireBrowser() {
		t.Fatal(why + " (CHARTER_REQUIRE_BROWSER=1)")
	}
	t.Skip(why)
}

// axeViolation is one failed rule of an axe-core run, with the nodes that
// fail it.
type axeViolation struct {
	ID     string `json:"id"`
	Impact string `json:"impact"`
	Help   string `json:"help"`
	Nodes  []struct {
		Target []any  `json:"target"`
		HTML   string `json:"html"`
	} `json:"nodes"`
}

// loadAxe reads axe-core, skipping (or failing, in CI) when it is not
// installed.
func loadAxe(t *testing.T) string {
	t.Helper()
	b, err := os.ReadFile(axeScript)
	if err != nil {
		skipOrFail(t, "axe-core is not installed: run `npm ci --prefix compiler/site/testdata/a11y` (.ci/run does)")
	}
	return string(b)
}

// axeRun injects axe-core into the current page (through the DevTools
// protocol, so the page's Content-Security-Policy is not loosened) and
// returns the violations of the WCAG 2.x A and AA rules and best practices.
func axeRun(t *testing.T, ctx context.Context, axe string) []axeViolation {
	t.Helper()
	if _, err := chromedp.Run(ctx, chromedp.Evaluate[bool](axe+";true")); err != nil {
		t.Fatalf("injecting axe-core: %v", err)
	}
	js := `axe.run(document, {runOnly: {type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"]}, resultTypes: ["violations"]}).then(r => JSON.stringify(r.violations))`
	out, err := chromedp.Run(ctx, chromedp.Evaluate[string](js, chromedp.EvalAwaitPromise))
	if err != nil {
		t.Fatalf("running axe-core: %v", err)
	}
	var vs []axeViolation
	if err := json.Unmarshal([]byte(out), &vs); err != nil {
		t.Fatalf("reading axe-core's result: %v", err)
	}
	return vs
}

// a11yPages are one page of each kind of the reference site.
var a11yPages = []string{
	"index.html",
	"certifications/index.html",
	"certifications/soc2-security.html",
	"standards/index.html",
	"standards/TSC/index.html",
	"standards/TSC/CC6.1.html",
	"components/index.html",
	"components/aws.html",
	"documents/index.html",
	"documents/POL-ACCESS.html",
	"problems.html",
	"search.html",
	"change-management.html",
}

// TestAccessibility runs axe-core on one page of each kind of the reference
// site, in the light colour scheme at a desktop width and in the dark one
// at a phone width, and fails on any violation.
func TestAccessibility(t *testing.T) {
	axe := loadAxe(t)
	ctx := browser(t)
	dir := buildTo(t, "../..", nil)
	for _, view := range a11yViews {
		if _, err := chromedp.Call(ctx, emulation.SetEmulatedMedia, emulation.SetEmulatedMediaParams{
			Features: []*emulation.MediaFeature{{Name: "prefers-color-scheme", Value: view.scheme}}}); err != nil {
			t.Fatal(err)
		}
		if _, err := chromedp.Call(ctx, emulation.SetDeviceMetricsOverride, emulation.SetDeviceMetricsOverrideParams{
			Width: view.width, Height: 900, DeviceScaleFactor: 1, Mobile: view.width < 600}); err != nil {
			t.Fatal(err)
		}
		for _, page := range a11yPages {
			if _, err := os.Stat(filepath.Join(dir, filepath.FromSlash(page))); err != nil {
				t.Errorf("%s: the reference site has no such page: %v", page, err)
				continue
			}
			run(t, ctx, "open "+page, chromedp.Navigate(fileURL(dir, page)), chromedp.WaitReady("body"))
			for _, v := range axeRun(t, ctx, axe) {
				var where []string
				for i, n := range v.Nodes {
					if i == 3 {
						where = append(where, "…")
						break
					}
					where = append(where, n.HTML)
				}
				t.Errorf("%s (%s, %dpx): %s (%s, %d nodes): %s\n\t%s", page, view.scheme, view.width, v.ID, v.Impact, len(v.Nodes), v.Help, strings.Join(where, "\n\t"))
			}
		}
	}
}

// a11yViews are the colour schemes and widths TestAccessibility checks.
var a11yViews = []struct {
	scheme string
	width  int64
}{{"light", 1280}, {"dark", 390}}
