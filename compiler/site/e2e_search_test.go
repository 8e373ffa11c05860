package site_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"
)

// searchWorkspace writes a workspace whose IDs trip a naive search: two
// revisions of one standard that both have AC-2 "Account Management", its
// enhancements AC-2 (1) and AC-2 (10), and the look-alikes AC-20, AC-20 (1),
// AC-21 (1) and AC-24 (1); Markdown descriptions; a component whose
// narrative alone holds the word "ClickHouse"; and 60 criteria per
// revision that mention "rotation", more than one page of results.
func searchWorkspace(t *testing.T) string {
	t.Helper()
	root := t.TempDir()
	files := map[string]string{}
	write := func(name, text string) { files[name] = text }
	write("opencontrol.yaml", `schema_version: "1.0.0"
name: search-fixture
components:
  - ./components/db
standards:
  - ./standards/rev4.yaml
  - ./standards/rev5.yaml
`)
	for _, rev := range []string{"rev4", "rev5"} {
		var b strings.Builder
		fmt.Fprintf(&b, "name: NIST-800-53 %s\n", rev)
		control := func(id, name, desc string) {
			fmt.Fprintf(&b, "%q:\n  family: %s\n  name: %s\n  description: |\n", id, id[:2], name)
			for line := range strings.SplitSeq(desc, "\n") {
				fmt.Fprintf(&b, "    %s\n", line)
			}
		}
		control("AC-2", "Account Management", "The organization:\n\n- **a.** Identifies and selects *account* types;\n- b. Assigns [account managers](https://example.com/am).")
		control("AC-2 (1)", "Automated System Account Management", "Employ `automated` mechanisms to support account management.")
		control("AC-2 (10)", "Shared and Group Account Credential Change", "Change shared and group account credentials when members leave.")
		control("AC-20", "Use of External Systems", "Establish terms for external systems.")
		control("AC-20 (1)", "Limits on Authorized Use", "Permit authorized use of external systems.")
		control("AC-21 (1)", "Automated Decision Support", "Employ automated decision support for sharing.")
		control("AC-24 (1)", "Transmit Access Authorization Information", "Transmit access authorization information.")
		for i := range 60 {
			control(fmt.Sprintf("SC-%d", 100+i), fmt.Sprintf("Key Handling %d", i), fmt.Sprintf("Key rotation rule %d of the organization.", i))
		}
		write("standards/"+rev+".yaml", b.String())
	}
	write("components/db/component.yaml", `name: Database
key: db
schema_version: 3.1.0
responsible_role: Data team
satisfies:
  - standard_key: NIST-800-53 rev5
    control_key: AC-2 (1)
    implementation_status: complete
    narrative:
      - text: Accounts of the ClickHouse cluster are created by Terraform.
`)
	writeFiles(t, root, files)
	return root
}

// writeFiles writes files (by slash-separated path) under dir.
func writeFiles(t *testing.T, dir string, files map[string]string) {
	t.Helper()
	for name, text := range files {
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

// searchResult is one result as the page shows it: its link, text, label,
// status, the texts of its marks and its snippet.
type searchResult struct {
	Href   string   `json:"href"`
	Text   string   `json:"text"`
	Kind   string   `json:"kind"`
	Status string   `json:"status"`
	Marks  []string `json:"marks"`
	Snip   string   `json:"snip"`
}

// readResults reads the results of the search page.
const readResults = `[...document.querySelectorAll('#results li')].map(li => ({
	href: li.querySelector('a').getAttribute('href'),
	text: li.querySelector('a').textContent,
	kind: li.querySelector('.kind').textContent,
	status: (li.querySelector('.result-status') || {textContent: ''}).textContent,
	marks: [...li.querySelectorAll('mark')].map(m => m.textContent),
	snip: (li.querySelector('p') || {textContent: ''}).textContent,
}))`

// TestBrowserSearch opens the search page from file:// and checks the
// order of ID queries, the standard and kind labels, the snippets and
// their highlights, the keyboard and the results past the first page.
func TestBrowserSearch(t *testing.T) {
	axe := loadAxe(t)
	ctx := browser(t)
	dir := buildTo(t, searchWorkspace(t), nil)
	rec := record(t, ctx)
	open := func(q string) []searchResult {
		t.Helper()
		run(t, ctx, "search "+q, chromedp.Navigate(fileURL(dir, "search.html#q="+q)))
		if _, err := chromedp.Run(ctx, chromedp.Poll[bool](`document.getElementById('results').dataset.query === `+jsString(q))); err != nil {
			t.Fatalf("search %s: %v", q, err)
		}
		return eval[[]searchResult](t, ctx, readResults)
	}
	ids := func(rs []searchResult, n int) []string {
		var out []string
		for _, r := range rs[:min(n, len(rs))] {
			out = append(out, strings.SplitN(r.Text, " ", 3)[0]+" "+r.Kind)
		}
		return out
	}

	// the exact ID first (once per standard), then the IDs it starts, then
	// the look-alikes; the parent AC-2 after all of them
	rs := open("AC-2 (1)")
	got := ids(rs, 4)
	want := []string{"AC-2 NIST-800-53 rev4", "AC-2 NIST-800-53 rev5", "AC-2 NIST-800-53 rev4", "AC-2 NIST-800-53 rev5"}
	if !slices.Equal(got, want) {
		t.Errorf("AC-2 (1): first results %q, want %q", got, want)
	}
	for i, prefix := range []string{"AC-2 (1) ", "AC-2 (1) ", "AC-2 (10) ", "AC-2 (10) "} {
		if i >= len(rs) || !strings.HasPrefix(rs[i].Text, prefix) {
			t.Errorf("AC-2 (1): result %d is %+v, want %s…", i, rs, prefix)
		}
	}
	// the same query spelled without spaces, in lower case
	if rs2 := open("ac-2(1)"); len(rs2) < 2 || rs2[0].Href != rs[0].Href || rs2[1].Href != rs[1].Href {
		t.Errorf("ac-2(1) ranks differently from AC-2 (1): %+v", rs2)
	}

	// AC-2: the criterion, its enhancements, then AC-20 and the others
	rs = open("AC-2")
	var order []string
	for _, r := range rs {
		order = append(order, strings.SplitN(r.Text, " ", 2)[0]+" "+idPart(r.Text))
	}
	wantOrder := []string{"AC-2 ", "AC-2 ", "AC-2 (1)", "AC-2 (1)", "AC-2 (10)", "AC-2 (10)"}
	if len(order) < 6 || !slices.Equal(order[:6], wantOrder) {
		t.Errorf("AC-2: results in the order %q, want %q first", order, wantOrder)
	}
	for _, r := range rs[min(6, len(rs)):min(14, len(rs))] {
		if !strings.HasPrefix(r.Text, "AC-2") {
			t.Errorf("AC-2: after its enhancements comes %q, not an ID starting AC-2", r.Text)
		}
	}

	// identical titles of two standards are told apart by their labels;
	// the snippet is plain text with the matched words marked
	rs = open("account management")
	var labels []string
	for _, r := range rs {
		if strings.HasPrefix(r.Text, "AC-2 Account Management") {
			labels = append(labels, r.Kind)
			if strings.ContainsAny(r.Snip, "*[]`") || strings.Contains(r.Snip, "- b.") {
				t.Errorf("AC-2 snippet leaks Markdown: %q", r.Snip)
			}
			if !strings.Contains(r.Snip, "Identifies and selects account types") {
				t.Errorf("AC-2 snippet %q", r.Snip)
			}
			if r.Status != "missing" {
				t.Errorf("AC-2 status %q", r.Status)
			}
			wantMarks := []string{"Account", "Management", "account", "account"}
			if !slices.Equal(r.Marks, wantMarks) {
				t.Errorf("AC-2 marks %q, want %q", r.Marks, wantMarks)
			}
		}
	}
	slices.Sort(labels)
	if !slices.Equal(labels, []string{"NIST-800-53 rev4", "NIST-800-53 rev5"}) {
		t.Errorf("the two AC-2 Account Management results are labelled %q", labels)
	}
	// every mark is a mark element holding text only; nothing else is made
	if n := eval[int](t, ctx, `document.querySelectorAll('#results li *:not(a):not(span):not(p):not(mark)').length + document.querySelectorAll('#results mark *').length`); n != 0 {
		t.Errorf("%d unexpected elements in the results", n)
	}

	// a word only a narrative holds finds the criterion it satisfies,
	// labelled with its standard, and says where the word is
	rs = open("clickhouse")
	if len(rs) != 1 || rs[0].Kind != "NIST-800-53 rev5" || !strings.HasPrefix(rs[0].Text, "AC-2 (1) ") || !slices.Equal(rs[0].Marks, []string{"clickhouse"}) {
		t.Errorf("clickhouse found %+v", rs)
	}
	if where := eval[string](t, ctx, `document.querySelector('#results .result-where').textContent`); where != "In the page\u2019s text: clickhouse" {
		t.Errorf("clickhouse: %q", where)
	}

	// the keyboard: Down enters the list, Up returns to the box, Enter
	// opens the first result
	rs = open("AC-2 (1)")
	focused := func() string {
		return eval[string](t, ctx, `document.activeElement.id || document.activeElement.getAttribute('href')`)
	}
	if f := focused(); f != "q" {
		t.Errorf("the search page opens with %q focused", f)
	}
	run(t, ctx, "down", chromedp.KeyEvent(kb.ArrowDown))
	if f := focused(); f != rs[0].Href {
		t.Errorf("Down from the box focused %q, want %q", f, rs[0].Href)
	}
	run(t, ctx, "down", chromedp.KeyEvent(kb.ArrowDown))
	if f := focused(); f != rs[1].Href {
		t.Errorf("Down focused %q, want %q", f, rs[1].Href)
	}
	run(t, ctx, "end", chromedp.KeyEvent(kb.End))
	if f := focused(); f != rs[len(rs)-1].Href {
		t.Errorf("End focused %q, want %q", f, rs[len(rs)-1].Href)
	}
	run(t, ctx, "home, up", chromedp.KeyEvent(kb.Home), chromedp.KeyEvent(kb.ArrowUp))
	if f := focused(); f != "q" {
		t.Errorf("Up from the first result focused %q, not the box", f)
	}
	run(t, ctx, "down, enter", chromedp.KeyEvent(kb.ArrowDown), chromedp.KeyEvent(kb.ArrowDown), chromedp.KeyEvent(kb.Enter))
	if loc := waitLeft(t, ctx); loc != fileURL(dir, rs[1].Href) {
		t.Errorf("Enter on the second result opened %s, want %s", loc, rs[1].Href)
	}
	open("AC-2 (1)")
	run(t, ctx, "enter in the box", chromedp.Focus(`#q`), chromedp.KeyEvent(kb.Enter))
	if loc := waitLeft(t, ctx); loc != fileURL(dir, rs[0].Href) {
		t.Errorf("Enter in the box opened %s, want the first result %s", loc, rs[0].Href)
	}

	// past the first page: 120 criteria mention rotation, 50 at a time
	rs = open("rotation")
	if len(rs) != 50 {
		t.Errorf("rotation: %d results on the first page, want 50", len(rs))
	}
	status := eval[string](t, ctx, `document.getElementById('search-status').textContent`)
	if !strings.HasPrefix(status, "120 pages match; showing the first 50.") {
		t.Errorf("status %q", status)
	}
	for _, want := range []int{100, 120} {
		if hidden := eval[bool](t, ctx, `document.getElementById('search-more').hidden`); hidden {
			t.Fatalf("no more button with %d results shown", len(rs))
		}
		run(t, ctx, "show more", chromedp.Click(`#search-more`))
		if n := eval[int](t, ctx, `document.querySelectorAll('#results li').length`); n != want {
			t.Errorf("after show more: %d results, want %d", n, want)
		}
		// the first new result has the focus, for the keyboard
		if f, w := focused(), eval[string](t, ctx, `document.querySelectorAll('#results a.result')[`+fmt.Sprint(len(rs))+`].getAttribute('href')`); f != w {
			t.Errorf("after show more the focus is on %q, want %q", f, w)
		}
		rs = eval[[]searchResult](t, ctx, readResults)
	}
	if !eval[bool](t, ctx, `document.getElementById('search-more').hidden`) {
		t.Errorf("the more button stays with every result shown")
	}
	seen := map[string]bool{}
	for _, r := range rs {
		if seen[r.Href] {
			t.Errorf("%s listed twice", r.Href)
		}
		seen[r.Href] = true
	}
	rec.check(t, dir)

	// the results, their marks and the more button pass axe-core (after
	// the recorder: axe reads the stylesheets, which the policy refuses)
	open("rotation")
	for _, v := range axeRun(t, ctx, axe) {
		t.Errorf("search results: %s (%s, %d nodes): %s", v.ID, v.Impact, len(v.Nodes), v.Help)
	}
}

// waitLeft waits until the tab has left the search page and loaded the
// next, and returns its address.
func waitLeft(t *testing.T, ctx context.Context) string {
	t.Helper()
	for range 100 {
		// evaluating fails while the tab is between pages
		loc, err := chromedp.Run(ctx, chromedp.Evaluate[string](`document.readyState === 'complete' && !document.getElementById('q') ? location.href : ''`))
		if err == nil && loc != "" {
			return loc
		}
		time.Sleep(100 * time.Millisecond)
	}
	t.Fatal("the search page stays open")
	return ""
}

// idPart is the "(n)" of an enhancement's ID in a result's text, or "".
func idPart(text string) string {
	if _, rest, ok := strings.Cut(text, " ("); ok && strings.Contains(rest, ")") && strings.IndexByte(rest, ')') <= 3 {
		return "(" + rest[:strings.IndexByte(rest, ')')+1]
	}
	return ""
}

// jsString is s as a JavaScript string literal.
func jsString(s string) string {
	return "'" + strings.NewReplacer(`\`, `\\`, `'`, `\'`).Replace(s) + "'"
}

// TestBrowserSearchCorpus searches the public corpus assembled into one
// workspace (scripts/corpus-workspace.sh), which has five revisions of
// NIST 800-53: "AC-2 (1)" lists the AC-2 (1) of every revision first,
// each labelled with its standard.
func TestBrowserSearchCorpus(t *testing.T) {
	out := corpusSite(t)
	ctx := browser(t)
	run(t, ctx, "search", chromedp.Navigate(fileURL(out, "search.html#q=AC-2 (1)")), chromedp.WaitVisible(`#results li`))
	rs := eval[[]searchResult](t, ctx, readResults)
	exact := 0
	for exact < len(rs) && strings.HasPrefix(rs[exact].Text, "AC-2 (1) ") {
		exact++
	}
	if exact < 3 {
		t.Fatalf("AC-2 (1) on the corpus: %d exact matches first, then %+v", exact, rs[exact:min(len(rs), exact+3)])
	}
	labels := map[string]bool{}
	for _, r := range rs[:exact] {
		if labels[r.Kind] {
			t.Errorf("two AC-2 (1) results labelled %q", r.Kind)
		}
		labels[r.Kind] = true
	}
	for _, r := range rs[exact:] {
		if strings.HasPrefix(r.Text, "AC-2 (1) ") {
			t.Errorf("an AC-2 (1) result after another ID: %+v", r)
		}
	}
}
