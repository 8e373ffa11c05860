package site

import (
	"html/template"
	"runtime"
	"strconv"
	"strings"
	"sync"

	"github.com/charter-compliance/charter/compiler/docs"
	"github.com/charter-compliance/charter/compiler/model"
)

// Narratives, control and verification descriptions and parameters' texts
// from YAML are Markdown, rendered by goldmark (through the docs renderer,
// which is safe for any input and the same for every page: a fragment's
// own links stay as written). A text is rendered once however many pages
// show it: renderFragments renders every distinct text of the site on all
// processors before the pages, and fragment looks the result up.

// renderFragments fills b.frags with the HTML of every text a page shows as
// Markdown.
func (b *builder) renderFragments() {
	seen := map[string]int{} // index in srcs
	var srcs []string
	add := func(s string) int {
		if strings.TrimSpace(s) == "" {
			return -1
		}
		i, ok := seen[s]
		if !ok {
			i = len(srcs)
			seen[s] = i
			srcs = append(srcs, s)
		}
		return i
	}
	type narrative struct {
		n   *model.Narrative
		src int
	}
	var narrs []narrative
	for _, s := range b.ws.Standards {
		for _, c := range s.Controls {
			if b.ctrlPath[c] != "" {
				add(c.Description)
			}
		}
	}
	// a satisfaction's narratives are on its criterion's page or, when that
	// has none, on its component's
	for _, c := range b.ws.Components {
		for _, v := range c.Verifications {
			add(v.Description)
		}
		for _, s := range c.Satisfies {
			for i := range s.Narratives {
				if src := add(s.Narratives[i].Text); src >= 0 {
					narrs = append(narrs, narrative{&s.Narratives[i], src})
				}
			}
		}
	}
	out := make([]fragHTML, len(srcs))
	var wg sync.WaitGroup
	next := make(chan int, 64)
	for range max(1, min(runtime.GOMAXPROCS(0), len(srcs))) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range next {
				out[i] = newFragHTML(b.in.Docs.Markdown(srcs[i], ""))
			}
		}()
	}
	for i := range srcs {
		next <- i
	}
	close(next)
	wg.Wait()
	b.frags = make(map[string]fragHTML, len(srcs))
	for i, s := range srcs {
		b.frags[s] = out[i]
	}
	b.narrs = make(map[*model.Narrative]fragHTML, len(narrs))
	for _, n := range narrs {
		b.narrs[n.n] = out[n.src]
	}
}

// fragHTML is a rendered fragment; ids is set when it makes ids (they
// begin with docs.IDMark).
type fragHTML struct {
	html template.HTML
	ids  bool
}

func newFragHTML(h template.HTML) fragHTML {
	return fragHTML{html: h, ids: strings.Contains(string(h), `id="`+docs.IDMark)}
}

// narrative is the HTML of a narrative on page p: fragment(p, n.Text),
// found by the narrative rather than by hashing its text.
func (b *builder) narrative(p *page, n *model.Narrative) template.HTML {
	h, ok := b.narrs[n]
	if !ok {
		return b.fragment(p, n.Text)
	}
	return p.show(h)
}

// fragment is the HTML of a Markdown text from YAML, on page p.
func (b *builder) fragment(p *page, src string) template.HTML {
	h, ok := b.frags[src]
	if !ok {
		h = newFragHTML(b.in.Docs.Markdown(src, ""))
	}
	return p.show(h)
}

// show is a fragment's HTML as page p shows it: the ids it makes (its
// headings and footnotes) get a prefix of their own on the page, "t1-",
// "t2-" and so on, so that two narratives with an "Overview" heading, or
// the same narrative twice, never share an id. A fragment without ids,
// nearly every one, is shown as it is.
func (p *page) show(h fragHTML) template.HTML {
	if !h.ids {
		return h.html
	}
	p.texts++
	pre := "t" + strconv.Itoa(p.texts) + "-"
	r := strings.NewReplacer(`id="`+docs.IDMark, `id="`+pre, `href="#`+docs.IDMark, `href="#`+pre)
	return template.HTML(r.Replace(string(h.html)))
}
