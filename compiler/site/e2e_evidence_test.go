package site_test

import (
	"os"
	"path/filepath"
	"strconv"
	"testing"

	"github.com/chromedp/chromedp"
)

// TestBrowserEvidenceFiles opens, from file://, the evidence files linked
// from a component page: the screenshot is shown as an image, the HTML
// report as text without running its script, and the page, with its long
// SHA-256, does not scroll sideways on a 390 px screen.
func TestBrowserEvidenceFiles(t *testing.T) {
	ctx := browser(t)
	root, _, _ := evidenceRepo(t)
	// no escaping link here: the build must not be refused
	leak := filepath.Join(root, "components/app/leak.txt")
	if err := os.Remove(leak); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(leak, []byte("a plain file"), 0o644); err != nil {
		t.Fatal(err)
	}
	dir := buildTo(t, root, nil)
	rec := record(t, ctx)
	const comp = "components/app.html"
	run(t, ctx, "open "+comp, chromedp.Navigate(fileURL(dir, comp)), chromedp.WaitReady("footer"))
	n := eval[int](t, ctx, `document.querySelectorAll('.evidence-file a').length`)
	if n < 4 {
		t.Fatalf("%d evidence links on the component page, want the screenshot twice, the report and leak.txt", n)
	}
	for i := range n {
		run(t, ctx, "reopen "+comp, chromedp.Navigate(fileURL(dir, comp)), chromedp.WaitReady("footer"))
		name := eval[string](t, ctx, `document.querySelectorAll('.evidence-file a')[`+strconv.Itoa(i)+`].textContent`)
		eval[bool](t, ctx, `(() => { document.querySelectorAll('.evidence-file a')[`+strconv.Itoa(i)+`].click(); return true })()`)
		run(t, ctx, "open "+name, chromedp.WaitReady("body"))
		ctype := eval[string](t, ctx, `document.contentType`)
		want := map[string]string{"shot.png": "image/png", "scan report.html": "text/plain", "leak.txt": "text/plain"}[name]
		if ctype != want {
			t.Errorf("%s opens as %s, want %s", name, ctype, want)
		}
		if got := eval[[]string](t, ctx, `Object.keys(window).filter(k => k.startsWith('PWNED'))`); len(got) > 0 {
			t.Errorf("%s ran script: %v", name, got)
		}
	}
	run(t, ctx, "phone", chromedp.EmulateViewport(390, 844), chromedp.Navigate(fileURL(dir, comp)), chromedp.WaitReady("footer"))
	if w := eval[[]int](t, ctx, `[document.documentElement.scrollWidth, window.innerWidth]`); w[0] > w[1] {
		t.Errorf("the component page is %d px wide on a %d px screen", w[0], w[1])
	}
	rec.check(t, dir)
}
