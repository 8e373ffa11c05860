package site

import (
	"bytes"
	"fmt"
	"html/template"
	"slices"
)

// A page's table of contents is made from the page's own section headings,
// once, while the page renders: a layout writes its headings with .H2 and
// .H3, which list them on the page, and puts .Contents where the table
// goes. .Contents leaves a mark in the output that is replaced, once the
// page is rendered, by a list of every heading written with .H2 or .H3
// (nothing when the page has fewer than two sections). No script is
// involved and the table cannot disagree with the headings.

// tocEntry is one heading of a page's table of contents.
type tocEntry struct {
	level    int // 2 or 3
	id, text string
}

// contentsMark stands for the table of contents until the page is
// rendered. It holds a NUL, which html/template never lets through from
// content, so only .Contents can produce it.
const contentsMark = "\x00charter-contents\x00"

// minSections is the number of level-2 headings from which a page gets a
// table of contents.
const minSections = 2

// H2 writes a section heading <h2 id="id">text</h2>, listed in the page's
// table of contents.
func (p *page) H2(id, text string) (template.HTML, error) { return p.heading(2, id, text, nil) }

// H3 writes a subsection heading, listed under the section before it.
func (p *page) H3(id, text string) (template.HTML, error) { return p.heading(3, id, text, nil) }

// Heading writes a heading of level 2 or 3 made of several parts: text,
// numbers and links (a Link shows as a link in the heading and as its
// text in the table of contents).
func (p *page) Heading(level int, id string, parts ...any) (template.HTML, error) {
	if level != 2 && level != 3 {
		return "", fmt.Errorf("a heading listed in the table of contents has level 2 or 3, not %d", level)
	}
	return p.heading(level, id, "", parts)
}

// heading writes the heading of text, or else of parts, and lists it.
func (p *page) heading(level int, id, text string, parts []any) (template.HTML, error) {
	if id == "" {
		return "", fmt.Errorf("a heading listed in the table of contents needs an id")
	}
	var w hw
	w.b = make([]byte, 0, 2*len(id)+2*len(text)+32)
	w.raw("<h")
	w.int(level)
	w.attr("id", id)
	w.raw(">")
	if parts == nil {
		w.text(text)
	} else {
		var b []byte
		for _, part := range parts {
			switch v := part.(type) {
			case string:
				w.text(v)
				b = append(b, v...)
			case Link:
				w.link(v)
				b = append(b, v.Text...)
			case int:
				w.int(v)
				b = fmt.Append(b, v)
			default:
				return "", fmt.Errorf("a heading is made of text, numbers and links, not %T", part)
			}
		}
		text = string(b)
	}
	w.raw("</h")
	w.int(level)
	w.raw(">")
	if p.toc == nil {
		p.toc = make([]tocEntry, 0, 8)
	}
	p.toc = append(p.toc, tocEntry{level: level, id: id, text: text})
	return w.html(), nil
}

// Contents marks where the page's table of contents goes.
func (p *page) Contents() template.HTML {
	p.contents = true
	return contentsMark
}

// putContents replaces the mark .Contents left in the rendered page buf
// with the table of contents.
func (p *page) putContents(buf []byte) []byte {
	if !p.contents {
		return buf
	}
	i := bytes.Index(buf, []byte(contentsMark))
	if i < 0 {
		return buf
	}
	var w hw
	w.b = make([]byte, 0, 128+64*len(p.toc))
	p.writeContents(&w)
	return slices.Replace(buf, i, i+len(contentsMark), w.b...)
}

// writeContents writes the table of contents: the level-2 headings, each
// with its level-3 headings below it.
func (p *page) writeContents(w *hw) {
	sections := 0
	for _, e := range p.toc {
		if e.level == 2 {
			sections++
		}
	}
	if sections < minSections {
		return
	}
	w.raw(`<nav class="toc page-toc" aria-label="On this page"><h2 class="toc-title">On this page</h2>` + "\n<ol>")
	open := false // a level-3 list is open
	for i, e := range p.toc {
		if e.level == 3 && !open {
			if i == 0 {
				w.raw("<li>") // a subsection before any section
			}
			w.raw("<ol>")
			open = true
		}
		if e.level == 2 {
			if open {
				w.raw("</ol>")
				open = false
			}
			if i > 0 {
				w.raw("</li>\n")
			}
		}
		w.raw("<li><a")
		w.attr("href", "#"+e.id)
		w.raw(">")
		w.text(e.text)
		w.raw("</a>")
		if e.level == 3 {
			w.raw("</li>")
		}
	}
	if open {
		w.raw("</ol>")
	}
	w.raw("</li></ol></nav>")
}

// Anchor is the id of the group's heading on the component page.
func (g satGroup) Anchor() string { return "std-" + g.b.slug(g.Standard.Text) }
