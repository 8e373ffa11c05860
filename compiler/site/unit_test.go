package site

import (
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"

	"github.com/charter-compliance/charter/compiler/history"
	"github.com/charter-compliance/charter/compiler/links"
)

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
