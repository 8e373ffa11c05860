package docs

import (
	"html/template"
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
			if m.doc.forSource([]byte(src)) == m.doc.plain {
				comparePlain(t, m, src, i)
				compared++
			}
		}
		if compared < 2500 {
			t.Fatalf("only %d of 5000 texts went without linkify", compared)
		}
	}
}

// only is m with one goldmark for every text of each variant: with or
// without linkify.
func only(m markdown, linkify bool) markdown {
	if linkify {
		return markdown{doc: variant{m.doc.full, m.doc.full}, frag: variant{m.frag.full, m.frag.full}}
	}
	return markdown{doc: variant{m.doc.plain, m.doc.plain}, frag: variant{m.frag.plain, m.frag.plain}}
}

func comparePlain(t *testing.T, m markdown, src string, i int) {
	t.Helper()
	f1, err1 := convertFragment(only(m, true), []byte(src))
	f2, err2 := convertFragment(only(m, false), []byte(src))
	if f1 != f2 || (err1 == nil) != (err2 == nil) {
		t.Fatalf("fragment %d %q:\nwith linkify    %q\nwithout linkify %q", i, src, f1, f2)
	}
	h1, p1, hd1, err1 := convert(only(m, true), []byte(src))
	h2, p2, hd2, err2 := convert(only(m, false), []byte(src))
	if h1 != h2 || p1 != p2 || (err1 == nil) != (err2 == nil) || len(hd1) != len(hd2) {
		t.Fatalf("case %d %q:\nwith linkify    %q %q\nwithout linkify %q %q", i, src, h1, p1, h2, p2)
	}
	for j := range hd1 {
		if hd1[j] != hd2[j] {
			t.Fatalf("case %d %q: heading %d %+v != %+v", i, src, j, hd1[j], hd2[j])
		}
	}
}

// TestLinkifyStillLinks: a text with a URL, "www." or an e-mail address is
// rendered with linkify, which links it; an ftp URL is not a target charter
// links (links.SafeTarget), so it stays text.
func TestLinkifyStillLinks(t *testing.T) {
	m := newMarkdown(false)
	for _, src := range []string{"see http://example.com now", "see https://example.com", "at www.example.com.", "mail a@example.com"} {
		out, err := convertFragment(m, []byte(src))
		if err != nil || !strings.Contains(string(out), "<a href=") {
			t.Errorf("%q: %q, %v; want a link", src, out, err)
		}
	}
	out, err := convertFragment(m, []byte("get ftp://example.com/x"))
	if err != nil || strings.Contains(string(out), "<a") || !strings.Contains(string(out), "ftp://example.com/x") {
		t.Errorf("ftp: %q, %v; want the URL as text", out, err)
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
		if m.doc.forSource([]byte(src)) == m.doc.plain {
			comparePlain(t, m, src, 0)
		}
	})
}

// Unsafe link targets are shown as their text, in documents and fragments,
// in safe and unsafe_html mode alike: never a link to "" that reloads the
// page, never a script.
func TestUnsafeLinksAreText(t *testing.T) {
	cases := []struct{ src, text string }{
		{"[click](javascript:alert(1))", "click"},
		{"[click](JavaScript:alert(1))", "click"},
		{"[click](javascript&#58;alert(1))", "click"},
		{"[click](<java\tscript:alert(1)>)", "click"},
		{"[d](data:text/html;base64,PHNjcmlwdD4=)", "d"},
		{"[v](vbscript:msgbox)", "v"},
		{"[f](file:///etc/passwd)", "f"},
		{"![pic](javascript:alert(1))", "pic"},
		{"<javascript:alert(1)>", "javascript:alert(1)"},
		{"[ref]\n\n[ref]: javascript:alert(1)", "ref"},
	}
	for _, unsafe := range []bool{false, true} {
		m := newMarkdown(unsafe)
		for _, c := range cases {
			frag, err := convertFragment(m, []byte(c.src))
			if err != nil {
				t.Fatal(err)
			}
			doc, _, _, err := convert(m, []byte(c.src))
			if err != nil {
				t.Fatal(err)
			}
			for what, out := range map[string]template.HTML{"fragment": frag, "document": doc} {
				s := string(out)
				if strings.Contains(s, "<a") || strings.Contains(s, "<img") || strings.Contains(s, "href") {
					t.Errorf("unsafe=%v %s %q: %s; want no link", unsafe, what, c.src, s)
				}
				if !strings.Contains(s, c.text) {
					t.Errorf("unsafe=%v %s %q: %s; want the text %q", unsafe, what, c.src, s, c.text)
				}
			}
		}
	}
	// safe targets stay links, with goldmark's own rendering
	m := newMarkdown(false)
	for src, want := range map[string]string{
		"[a](https://example.com/x?y=1 \"T\")": `<a href="https://example.com/x?y=1" title="T">a</a>`,
		"[a](mailto:x@example.com)":            `<a href="mailto:x@example.com">a</a>`,
		"[a](../b.html#c)":                     `<a href="../b.html#c">a</a>`,
		"[a](#top)":                            `<a href="#top">a</a>`,
		"![i](img/x.png)":                      `<img src="img/x.png" alt="i">`,
		"<https://example.com>":                `<a href="https://example.com">https://example.com</a>`,
	} {
		out, err := convertFragment(m, []byte(src))
		if err != nil || !strings.Contains(string(out), want) {
			t.Errorf("%q: %s, %v; want %s", src, out, err, want)
		}
	}
}

// Heading and footnote ids of a fragment begin with IDMark (the page
// replaces it) and are unique inside the fragment.
func TestFragmentIDs(t *testing.T) {
	m := newMarkdown(false)
	out, err := convertFragment(m, []byte("## Overview\n\ntext[^1]\n\n## Overview\n\n[^1]: note\n"))
	if err != nil {
		t.Fatal(err)
	}
	s := string(out)
	for _, want := range []string{`id="` + IDMark + `Overview"`, `id="` + IDMark + `Overview-2"`, `id="` + IDMark + `fn:1"`, `href="#` + IDMark + `fn:1"`} {
		if !strings.Contains(s, want) {
			t.Errorf("want %q in %q", want, s)
		}
	}
	if n := strings.Count(s, `id="`); n != strings.Count(s, `id="`+IDMark) {
		t.Errorf("an id without the mark: %q", s)
	}
	// a link the text makes never looks like one to a marked id
	if out, _ := convertFragment(m, []byte("[a](#^x)")); !strings.Contains(string(out), `href="#%5Ex"`) {
		t.Errorf("a written link to #^x: %q", out)
	}
	// documents keep goldmark's ids, without the mark
	doc, _, heads, _ := convert(m, []byte("## Overview\n\ntext[^1]\n\n[^1]: note\n"))
	if strings.Contains(string(doc), IDMark) || len(heads) != 1 || heads[0].ID != "overview" {
		t.Errorf("document: %q %+v", doc, heads)
	}
}

// A text from YAML written line by line keeps its lines; one with blank
// lines between paragraphs is Markdown as usual, its single line breaks
// only wrapping.
func TestFragmentLines(t *testing.T) {
	m := newMarkdown(false)
	cases := []struct{ src, want string }{
		// the list ends at "IAM:" instead of swallowing it
		{"EC2:\n- one\n- two\nIAM:\n- three", "<p>EC2:</p>\n<ul>\n<li>one</li>\n<li>two</li>\n</ul>\n<p>IAM:</p>\n<ul>\n<li>three</li>\n</ul>\n"},
		// sentences one per line stay one per line
		{"Line one.\nLine two.\nLine three.", "<p>Line one.<br>\nLine two.<br>\nLine three.</p>\n"},
		// an indented continuation stays in its item, on its own line
		{"- item\n  more\nafter", "<ul>\n<li>item<br>\nmore</li>\n</ul>\n<p>after</p>\n"},
		// fenced code is left as it is
		{"- a\n```\nx\ny\n```", "<ul>\n<li>a</li>\n</ul>\n<pre><code>x\ny\n</code></pre>\n"},
		// paragraphs separated by blank lines: wrapped lines are joined
		{"This text describes how we meet the\nrequirement.\n\nSecond paragraph.\n", "<p>This text describes how we meet the\nrequirement.</p>\n<p>Second paragraph.</p>\n"},
		// one line is one paragraph
		{"Just one line.", "<p>Just one line.</p>\n"},
	}
	for _, c := range cases {
		out, err := convertFragment(m, []byte(c.src))
		if err != nil || string(out) != c.want {
			t.Errorf("%q:\n got %q\nwant %q", c.src, out, c.want)
		}
	}
}
