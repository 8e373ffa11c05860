package site

import (
	"html/template"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"

	"github.com/charter-compliance/charter/compiler/docs"
	"github.com/charter-compliance/charter/compiler/history"
	"github.com/charter-compliance/charter/compiler/links"
	"github.com/charter-compliance/charter/compiler/model"
	"github.com/charter-compliance/charter/compiler/opencontrol"
)

// The plain-text fast path must give what goldmark gives, and must decline
// anything Markdown would interpret.
func TestPlainParagraphsMatchGoldmark(t *testing.T) {
	r := docs.New(&model.Workspace{}, nil, docs.Options{})
	for _, src := range []string{
		"One line.",
		"Two lines\nof one paragraph.",
		"First paragraph.\n\nSecond paragraph,\nwith a wrapped line.\n",
		"Quotes \"double\" and 'single', parentheses (unit 01), colons: yes; 100% sure.",
		"  \n\nLeading blank lines.",
		"Trailing space \nkept out.",
		"Unicode: naïve café, 日本語, — dashes.",
		"Time 10:30, ratio 1:2, www-like words, mail, wwwx.",
		"Blank lines\n \t \n\n\nbetween, and a last line without a newline",
		"Review [Assignment: organization-defined frequency] and [Selection: one; two].",
		"Brackets ] alone [ and [nested [brackets]] at the end]",
		"Wow! [x]! and ]! and [a]\n(b) on the next line [c]\n[d]",
	} {
		fast, ok := plainParagraphs(src)
		if !ok {
			t.Errorf("%q: fast path declined", src)
			continue
		}
		slow := r.Markdown(src, "x.html")
		if norm(string(fast)) != norm(string(slow)) {
			t.Errorf("%q:\nfast %q\nslow %q", src, fast, slow)
		}
	}
	for _, src := range []string{
		"Has *emphasis*.", "A [link](x).", "<b>raw</b>", "Tom & Jerry", "- a list", "1. ordered", "2) ordered",
		"# heading", "> quote", "    code", "a | table", "see https://example.com", "www.example.com",
		"mail me@example.com", "mailto:someone", "ftp://host/x", "ok\n \r\nblank line with a carriage return", "crlf\r\nline",
		"hard break  \nhere", "[a](b)", "[a][b]", "[a][]", "[a]: /url", "a [^1] footnote", "an ![image]", "![x](y)", "back\\slash", "under_score", "text\n===", "text\n---", "~~strike~~", "`code`",
	} {
		if _, ok := plainParagraphs(src); ok {
			t.Errorf("%q: fast path accepted Markdown", src)
		}
	}
}

// Every control description of the NIST standards in the shared corpus
// that a fast path accepts comes out as goldmark renders it: paragraphs up
// to the entity chosen for quotes, lists byte for byte.
func TestPlainMatchesGoldmarkOnNIST(t *testing.T) {
	r := docs.New(&model.Workspace{}, nil, docs.Options{})
	paragraphs, lists, total := 0, 0, 0
	for _, name := range []string{"nist-800-53-rev5.yaml", "nist-800-53-latest.yaml"} {
		data, err := os.ReadFile(filepath.Join("../../../shared/corpus/standards", name))
		if err != nil {
			t.Skipf("shared corpus not found: %v", err)
		}
		std, _ := opencontrol.DecodeStandard(name, data)
		for _, c := range std.Controls {
			total++
			slow := string(r.Markdown(c.Description, "x.html"))
			if fast, ok := plainParagraphs(c.Description); ok {
				paragraphs++
				if norm(string(fast)) != norm(slow) {
					t.Errorf("%s %s:\nfast %q\nslow %q", name, c.ID, fast, slow)
				}
				continue
			}
			var w hw
			if w.plainList(c.Description) {
				lists++
				if string(w.b) != slow {
					t.Errorf("%s %s list:\nfast %q\nslow %q", name, c.ID, w.b, slow)
				}
			}
		}
	}
	t.Logf("%d descriptions: %d plain paragraphs, %d plain lists", total, paragraphs, lists)
	if paragraphs < 1000 || lists < 250 {
		t.Errorf("the fast paths took only %d and %d descriptions", paragraphs, lists)
	}
}

// Lists of every shape, right or wrong: whatever the list fast path takes,
// it writes as goldmark does, byte for byte; and it takes the well-formed
// ones.
func TestPlainListMatchesGoldmark(t *testing.T) {
	r := docs.New(&model.Workspace{}, nil, docs.Options{})
	rng := rand.New(rand.NewPCG(5, 6))
	texts := []string{"a. Define it;", "Review [Assignment: frequency] and [Selection: one; two].", "(a) Addresses purpose", "plain",
		"1. first", "2. second", "12. twelfth", "01. zero-led", "3) paren", "1.5 percent", "[ ] task", "[x] done", "say \"hi\"", "it's",
		"- nested marker", "* star", "# hash", "a [link](x)", "x  ", "tab\t", "", " lead"}
	accepted := 0
	for range 4000 {
		var b strings.Builder
		depth := 0
		for range 1 + rng.IntN(8) {
			switch rng.IntN(4) {
			case 0:
				depth = min(depth+1, 4)
			case 1:
				depth = max(depth-1, 0)
			}
			indent := 1 + 2*depth
			if rng.IntN(20) == 0 {
				indent += rng.IntN(3) - 1
			}
			b.WriteString(strings.Repeat(" ", indent))
			if rng.IntN(30) == 0 {
				b.WriteString("-")
			} else {
				b.WriteString("- ")
			}
			b.WriteString(texts[rng.IntN(len(texts))])
			b.WriteString("\n")
		}
		src := b.String()
		var w hw
		if !w.plainList(src) {
			if len(w.b) != 0 {
				t.Fatalf("%q: declined but wrote %q", src, w.b)
			}
			continue
		}
		accepted++
		if slow := string(r.Markdown(src, "x.html")); string(w.b) != slow {
			t.Fatalf("%q:\nfast %q\nslow %q", src, w.b, slow)
		}
	}
	if accepted < 200 {
		t.Errorf("only %d lists taken", accepted)
	}
}

// norm makes goldmark's and the fast path's escaping of quotes comparable:
// both are valid, they differ only in the entity chosen.
func norm(s string) string {
	return strings.NewReplacer("&quot;", "&#34;", "&#39;", "'").Replace(s)
}

func TestHref(t *testing.T) {
	for in, want := range map[string]string{
		"../x.html":                 "../x.html",
		"#frag":                     "#frag",
		"https://example.com/a?b=c": "https://example.com/a?b=c",
		"HTTP://example.com":        "HTTP://example.com",
		"mailto:a@example.com":      "mailto:a@example.com",
		"javascript:alert(1)":       "#",
		"JaVaScRiPt:alert(1)":       "#",
		"vbscript:msgbox":           "#",
		"data:text/html,x":          "#",
		"":                          "#",
	} {
		if got := href(in); got != want {
			t.Errorf("href(%q) = %q, want %q", in, got, want)
		}
	}
	for in, want := range map[string]string{
		"https://evidence.example/x": "https://evidence.example/x",
		" http://a.example ":         "http://a.example",
		"https:///no-host":           "",
		"javascript:alert(1)":        "",
		"file:///etc/passwd":         "",
		"relative/path":              "",
	} {
		if got := safeURL(in); got != want {
			t.Errorf("safeURL(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestReferencePaths(t *testing.T) {
	b := &builder{info: &siteInfo{RepositoryURL: "https://github.com/acme/compliance"},
		hist: &history.History{Available: true, Label: history.Label{Commit: "abc123"}}}
	for _, c := range []struct{ path, href, note string }{
		{"https://example.com/doc", "https://example.com/doc", ""},
		{"./runbook.md", "https://github.com/acme/compliance/blob/abc123/components/x/runbook.md", ""},
		{"../shared/file with space.md", "https://github.com/acme/compliance/blob/abc123/components/shared/file%20with%20space.md", ""},
		{"../../../etc/passwd", "", "not linked: the path leaves the repository"},
		{"/etc/passwd", "", "not linked: the path leaves the repository"},
		{"javascript:alert(1)", "", "not linked: only http, https and mailto links are followed"},
		{"ftp://example.com/x", "", "not linked: only http, https and mailto links are followed"},
	} {
		r := b.reference("n", "URL", c.path, "components/x")
		if r.Href != c.href || r.Note != c.note {
			t.Errorf("%q: href %q note %q, want %q %q", c.path, r.Href, r.Note, c.href, c.note)
		}
	}
	b.info.RepositoryURL = ""
	if r := b.reference("n", "", "./runbook.md", "components/x"); r.Href != "" || r.Note != "" {
		t.Errorf("without repository_url a repository path is linked: %+v", r)
	}
}

func TestWords(t *testing.T) {
	v := newVocab()
	v.page = 1
	ids := v.add("CC6.1 requires MFA; see AC-2 (1), e.g. the Okta-policy... Okta again, naïve CAFÉ_menu.", nil)
	ids = v.add("okta, MFA and more", ids)
	var got []string
	for _, id := range ids {
		got = append(got, v.words[id])
	}
	if got, want := strings.Join(got, " "), "cc6.1 requires mfa see ac-2 1 e.g the okta-policy okta again naïve café_menu and more"; got != want {
		t.Errorf("words = %q\nwant    %q", got, want)
	}
	// on the next page every word counts again, with the same id
	v.page = 2
	if again := v.add("Okta", nil); len(again) != 1 || v.words[again[0]] != "okta" || !slices.Contains(ids, again[0]) {
		t.Errorf("okta on the next page: %v", again)
	}
}

// referenceWords is the tokenizer's definition, written plainly: runs of
// letters and digits with inner . - _, trailing ones dropped, lower case.
func referenceWords(s string) []string {
	var out []string
	start := -1
	flush := func(end int) {
		if start < 0 {
			return
		}
		for end > start && strings.ContainsRune(".-_", rune(s[end-1])) {
			end--
		}
		out = append(out, strings.ToLower(s[start:end]))
		start = -1
	}
	for i, r := range s {
		switch {
		case unicode.IsLetter(r) || unicode.IsDigit(r):
			if start < 0 {
				start = i
			}
		case r < utf8.RuneSelf && strings.ContainsRune(".-_", r) && start >= 0:
		default:
			flush(i)
		}
	}
	flush(len(s))
	return out
}

// The tokenizer's hash table finds every word it has seen, in any case,
// across pages and growth, as the plain definition reads them.
func TestWordsMatchReference(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	alphabet := []string{"a", "b", "Z", "q", "7", "0", ".", "-", "_", " ", ",", "\n", "é", "É", "\u212a", "İ", "ß", "—", "日", "\xff", "\x00", "x", "Y"}
	var texts []string
	for range 3000 {
		var b strings.Builder
		for range rng.IntN(40) {
			b.WriteString(alphabet[rng.IntN(len(alphabet))])
		}
		texts = append(texts, b.String())
	}
	v := newVocab()
	idOf := map[string]int32{}
	for page := range 300 {
		v.page = int32(page + 1)
		var got, want []string
		seen := map[string]bool{}
		var ids []int32
		for _, text := range texts[page*10 : page*10+10] {
			ids = v.add(text, ids)
			for _, w := range referenceWords(text) {
				if !seen[w] {
					seen[w] = true
					want = append(want, w)
				}
			}
		}
		for _, id := range ids {
			w := v.words[id]
			if prev, ok := idOf[w]; ok && prev != id {
				t.Fatalf("%q has ids %d and %d", w, prev, id)
			}
			idOf[w] = id
			got = append(got, w)
		}
		if !slices.Equal(got, want) {
			t.Fatalf("page %d: words %q\nwant %q", page, got, want)
		}
	}
	if len(v.slots) <= 4096 {
		t.Errorf("the table never grew (%d words)", len(v.words))
	}
}

// summary stops reading at the first words that decide it, and gives what
// joining every word and cutting would.
func TestSummary(t *testing.T) {
	reference := func(s string) string {
		s = strings.Join(strings.Fields(s), " ")
		if utf8.RuneCountInString(s) <= 180 {
			return s
		}
		r := []rune(s)[:180]
		cut := strings.LastIndexByte(string(r), ' ')
		if cut < 90 {
			cut = len(string(r))
		}
		return strings.TrimRight(string(r)[:cut], " ,.;:") + "…"
	}
	rng := rand.New(rand.NewPCG(3, 4))
	alphabet := []string{"a", "bc", "déf", " ", "  ", "\n", "\t", ".", ",", ";", ":", "\u00a0", "\u2003", "\xff", "日本", "word "}
	texts := []string{"", " ", "one", strings.Repeat("x", 200), strings.Repeat("ab ", 61), strings.Repeat("ab ", 59) + "abcdef", strings.Repeat("é", 179) + " z"}
	for range 2000 {
		var b strings.Builder
		for range rng.IntN(120) {
			b.WriteString(alphabet[rng.IntN(len(alphabet))])
		}
		texts = append(texts, b.String())
	}
	for _, s := range texts {
		if got, want := summary(s), reference(s); got != want {
			t.Fatalf("summary(%q) = %q, want %q", s, got, want)
		}
	}
}

func TestAppendGap(t *testing.T) {
	for n, want := range map[int]string{1: "b", 31: "5", 32: "Ba", 33: "Bb", 1023: "~5", 1024: "BAa", 32768: "BAAa"} {
		if got := string(appendGap(nil, n)); got != want {
			t.Errorf("appendGap(%d) = %q, want %q", n, got, want)
		}
	}
}

func TestCaret(t *testing.T) {
	if got := caret("\tkey: value", 7); got != "\t     ^" {
		t.Errorf("caret = %q", got)
	}
}

// rel gives exactly what links.Rel gives.
func TestRelMatchesLinks(t *testing.T) {
	paths := []string{
		links.Home, links.Search, links.Changes, links.Standards, links.Components, links.Asset("style.css"),
		links.Standard("TSC"), links.Control("TSC", "CC6.1"), links.Control("TSC", "CC6.2"), links.Control("NIST-800-53", "AC-2 (1)"),
		links.Component("okta"), links.Component("okta") + "#verification-sso", links.Certification("soc2"), links.Document("POL-1"),
		"v1.0.0/index.html", "v1.0.0/components/okta.html", "v1.1.0/components/okta.html", "latest/standards/TSC/CC6.1.html",
		"standards/TSC2/a.html", "standards/TSC/a.html#x", "a/b/c/d.html", "a/b/x/y.html", "a/z.html", "a/b.html#",
	}
	for _, from := range paths {
		from, _, _ = strings.Cut(from, "#")
		for _, to := range paths {
			for _, frag := range []string{"", "#part"} {
				if got, want := rel(from, to+frag), links.Rel(from, to+frag); got != want {
					t.Errorf("rel(%q, %q) = %q, links.Rel gives %q", from, to+frag, got, want)
				}
			}
		}
	}
}

// hw.text escapes exactly as html/template's HTMLEscapeString does.
func TestTextEscape(t *testing.T) {
	for _, s := range []string{"", "plain", `<a href="x">'&'</a>`, "nul\x00byte", "naïve <é> & \"q\"", "&&&", "end<"} {
		var w hw
		w.text(s)
		if got, want := string(w.b), template.HTMLEscapeString(s); got != want {
			t.Errorf("text(%q) = %q, want %q", s, got, want)
		}
	}
}

// tt, url and frag escape exactly as html/template does in text, in a URL
// attribute and after a URL's #.
func TestTemplateEscapers(t *testing.T) {
	tmpl := template.Must(template.New("").Parse(`<p title="{{.}}">{{.}}</p><a href="{{.}}">x</a><a href="#{{.}}">y</a>`))
	for _, s := range []string{
		"", "plain", `<a href="x">'&'</a>`, "nul\x00byte", "naïve <é> & \"q\" +1", "a b\tc\n",
		"javascript:alert(1)", "JavaScript:x", "HTTPS://ex.com/a b?c=d&e=f+g#h", "mailto:a@b.c", "ftp://x", "data:text/html,x",
		"../a/b.html#frag-1", "100%", "%41%zz%4", "%4", "a%2", "!#$&*+,/:;=?@[]", "~-._", "\x7f\x80\xff", "dir/x:y", "#ZgotmplZ",
	} {
		var want strings.Builder
		if err := tmpl.Execute(&want, s); err != nil {
			t.Fatal(err)
		}
		var w hw
		w.raw(`<p title="`)
		w.tt(s)
		w.raw(`">`)
		w.tt(s)
		w.raw(`</p><a href="`)
		w.url(s)
		w.raw(`">x</a><a href="#`)
		w.frag(s)
		w.raw(`">y</a>`)
		if got := string(w.b); got != want.String() {
			t.Errorf("%q:\n got %s\nwant %s", s, got, want.String())
		}
	}
}
