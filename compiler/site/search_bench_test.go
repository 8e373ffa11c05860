package site_test

import (
	"os"
	"os/exec"
	"path/filepath"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/charter-compliance/charter/compiler"
)

// BenchmarkSearchFirstResult is the time from opening search.html#q=AC-2 (1)
// from file:// to the first result on the screen, on the public corpus
// assembled into one workspace (scripts/corpus-workspace.sh): the index
// script is read and parsed, the query runs and the list is drawn. It
// reports the index's size too.
func BenchmarkSearchFirstResult(b *testing.B) {
	out := corpusSite(b)
	fi, err := os.Stat(filepath.Join(out, "assets", "search-index.js"))
	if err != nil {
		b.Fatal(err)
	}
	ctx := browser(b)
	url := fileURL(out, "search.html#q=AC-2 (1)")
	var total float64
	for b.Loop() {
		// the page's own clock, from the start of its navigation
		if err := chromedp.Do(ctx, chromedp.Navigate(url), chromedp.WaitVisible(`#results li`)); err != nil {
			b.Fatal(err)
		}
		ms, err := chromedp.Run(ctx, chromedp.Evaluate[float64](`performance.now()`))
		if err != nil {
			b.Fatal(err)
		}
		total += ms
		if err := chromedp.Do(ctx, chromedp.Navigate("about:blank")); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(total/float64(b.N), "ms/first-result")
	b.ReportMetric(float64(fi.Size())/1000, "index-kB")
}

// corpusSite builds the site of the public corpus assembled into one
// workspace (scripts/corpus-workspace.sh), with its errors listed, and
// returns its directory. CHARTER_CORPUS names the corpus when it is not
// ../shared/corpus beside the repository; without it the test is skipped.
func corpusSite(tb testing.TB) string {
	tb.Helper()
	corpus := os.Getenv("CHARTER_CORPUS")
	if corpus == "" {
		corpus = filepath.Join("..", "..", "..", "shared", "corpus")
	}
	if _, err := os.Stat(filepath.Join(corpus, "standards")); err != nil {
		tb.Skipf("no public corpus at %s: %v", corpus, err)
	}
	ws := filepath.Join(tb.TempDir(), "ws")
	if out, err := exec.Command("bash", "../../scripts/corpus-workspace.sh", ws, corpus).CombinedOutput(); err != nil {
		tb.Fatalf("corpus-workspace.sh: %v\n%s", err, out)
	}
	out := filepath.Join(tb.TempDir(), "site")
	br, err := compiler.Build(compiler.BuildOptions{Options: compiler.Options{Root: ws, SourceDateEpoch: referenceEpoch}, Out: out, AllowErrors: true})
	if err != nil || br.Refused {
		tb.Fatal(err, br != nil && br.Refused)
	}
	return out
}
