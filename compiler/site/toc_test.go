package site

import (
	"strings"
	"testing"
)

// The table of contents nests each page's subsections under the section
// before them, escapes what it shows and is left out with one section.
func TestContents(t *testing.T) {
	for _, c := range []struct {
		name     string
		headings func(p *page)
		want     string
	}{
		{"one section", func(p *page) { p.H2("a", "A") }, ""},
		{"one section and subsections", func(p *page) { p.H2("a", "A"); p.H3("a1", "A1"); p.H3("a2", "A2") }, ""},
		{"sections", func(p *page) { p.H2("a", "A"); p.H2("b", "B & <b>") },
			`<ol><li><a href="#a">A</a></li>` + "\n" + `<li><a href="#b">B &amp; &lt;b&gt;</a></li></ol>`},
		{"subsections between and after", func(p *page) {
			p.H2("a", "A")
			p.H3("a1", "A1")
			p.H2("b", "B")
			p.H3("b1", "B1")
			p.H3("b2", "B2")
		}, `<ol><li><a href="#a">A</a><ol><li><a href="#a1">A1</a></li></ol></li>` + "\n" +
			`<li><a href="#b">B</a><ol><li><a href="#b1">B1</a></li><li><a href="#b2">B2</a></li></ol></li></ol>`},
		{"a subsection first", func(p *page) { p.H3("x", "X"); p.H2("a", "A"); p.H2("b", "B") },
			`<ol><li><ol><li><a href="#x">X</a></li></ol></li>` + "\n" + `<li><a href="#a">A</a></li>` + "\n" + `<li><a href="#b">B</a></li></ol>`},
	} {
		t.Run(c.name, func(t *testing.T) {
			p := &page{}
			page := []byte("<main>" + string(p.Contents()) + "<h2>…</h2></main>")
			c.headings(p)
			got := string(p.putContents(page))
			if strings.Contains(got, contentsMark) {
				t.Fatalf("the mark is left in %q", got)
			}
			got = strings.TrimSuffix(strings.TrimPrefix(got, "<main>"), "<h2>…</h2></main>")
			if c.want == "" {
				if got != "" {
					t.Errorf("want no table, got %q", got)
				}
				return
			}
			want := `<nav class="toc page-toc" aria-label="On this page"><h2 class="toc-title">On this page</h2>` + "\n" + c.want + "</nav>"
			if got != want {
				t.Errorf("got  %s\nwant %s", got, want)
			}
		})
	}
	// headings are escaped too, and need an id
	p := &page{}
	if h, _ := p.Heading(2, "x\"y", "a<b ", 3, " ", Link{Text: "std", Href: "s.html"}); h != `<h2 id="x&#34;y">a&lt;b 3 <a href="s.html">std</a></h2>` {
		t.Errorf("heading %s", h)
	}
	if p.toc[0].text != "a<b 3 std" {
		t.Errorf("table of contents text %q", p.toc[0].text)
	}
	if _, err := p.H2("", "no id"); err == nil {
		t.Errorf("a heading without an id was written")
	}
	if _, err := p.Heading(4, "x", "deep"); err == nil {
		t.Errorf("a level-4 heading was listed")
	}
}
