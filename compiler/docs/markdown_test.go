package docs

import (
	"math/rand/v2"
	"strings"
	"testing"
)

// pieces are bits of Markdown that exercise the inline parsers linkify
// shares its triggers with (emphasis, strikethrough, links, code, escapes,
// entities, line breaks) and the blocks around them, without anything that
// lets linkify make a link.
var pieces = []string{
	"word", " ", "  ", "\t", "\n", "  \n", "\\\n", "\n\n", "*", "**", "_", "__", "~", "~~",
	"(", ")", "[", "]", "[x](y)", "![i](j)", "`c`", "``", "\\", "\\*", "\\(", "\\ ",
	"&amp;", "&copy;", "&#40;", "<b>", "</b>", "<!-- c -->", "# ", "## h", "- ", "1. ", "> ",
	"| a | b |\n|---|---|\n| c | d |\n", "[^1]", "[^1]: note\n", "- [ ] task\n", "```\ncode\n```\n",
	"(*x*)", "_y_(z)", "~~s~~", "a.b", "www", "http", "ftp", "mail", "é", "—",
}

func randomMarkdown(r *rand.Rand) string {
	var b strings.Builder
	for range 1 + r.IntN(40) {
		b.WriteString(pieces[r.IntN(len(pieces))])
	}
	return b.String()
}

// TestPlainMatchesLinkify proves the shortcut of markdown.forSource: on a
// text in which linkify can find nothing, goldmark without it renders the
// same bytes, for fragments and for documents (headings and plain text too).
func TestPlainMatchesLinkify(t *testing.T) {
	for _, unsafe := range []bool{false, true} {
		m := newMarkdown(unsafe)
		r := rand.New(rand.NewPCG(1, 2))
		compared := 0
		for i := range 5000 {
			src := randomMarkdown(r)
			if m.forSource([]byte(src)) == m.plain {
				comparePlain(t, m, src, i)
				compared++
			}
		}
		if compared < 2500 {
			t.Fatalf("only %d of 5000 texts went without linkify", compared)
		}
	}
}

func comparePlain(t *testing.T, m markdown, src string, i int) {
	t.Helper()
	for _, wantText := range []bool{false, true} {
		h1, p1, hd1, err1 := convert(markdown{full: m.full, plain: m.full}, []byte(src), wantText)
		h2, p2, hd2, err2 := convert(markdown{full: m.plain, plain: m.plain}, []byte(src), wantText)
		if h1 != h2 || p1 != p2 || (err1 == nil) != (err2 == nil) || len(hd1) != len(hd2) {
			t.Fatalf("case %d %q:\nwith linkify    %q %q\nwithout linkify %q %q", i, src, h1, p1, h2, p2)
		}
		for j := range hd1 {
			if hd1[j] != hd2[j] {
				t.Fatalf("case %d %q: heading %d %+v != %+v", i, src, j, hd1[j], hd2[j])
			}
		}
	}
}

// TestLinkifyStillLinks: a text with a URL, "www." or an e-mail address is
// rendered with linkify, which links it.
func TestLinkifyStillLinks(t *testing.T) {
	m := newMarkdown(false)
	for _, src := range []string{"see http://example.com now", "see https://example.com", "at www.example.com.", "mail a@example.com", "get ftp://example.com/x"} {
		out, _, _, err := convert(m, []byte(src), false)
		if err != nil || !strings.Contains(string(out), "<a href=") {
			t.Errorf("%q: %q, %v; want a link", src, out, err)
		}
	}
}

// FuzzPlainMatchesLinkify looks for a text without linkify's triggers that
// renders differently without it.
func FuzzPlainMatchesLinkify(f *testing.F) {
	for _, p := range pieces {
		f.Add(p + " x (" + p + ") *" + p + "*")
	}
	m := newMarkdown(false)
	f.Fuzz(func(t *testing.T, src string) {
		if m.forSource([]byte(src)) == m.plain {
			comparePlain(t, m, src, 0)
		}
	})
}
