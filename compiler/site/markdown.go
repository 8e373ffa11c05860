package site

import (
	"html/template"
	"runtime"
	"strings"
	"sync"

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
	out := make([]template.HTML, len(srcs))
	var wg sync.WaitGroup
	next := make(chan int, 64)
	for range max(1, min(runtime.GOMAXPROCS(0), len(srcs))) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range next {
				out[i] = b.in.Docs.Markdown(srcs[i], "")
			}
		}()
	}
	for i := range srcs {
		next <- i
	}
	close(next)
	wg.Wait()
	b.frags = make(map[string]template.HTML, len(srcs))
	for i, s := range srcs {
		b.frags[s] = out[i]
	}
	b.narrs = make(map[*model.Narrative]template.HTML, len(narrs))
	for _, n := range narrs {
		b.narrs[n.n] = out[n.src]
	}
}

// narrative is the HTML of a narrative: fragment(n.Text), found by the
// narrative rather than by hashing its text.
func (b *builder) narrative(n *model.Narrative) template.HTML {
	if h, ok := b.narrs[n]; ok {
		return h
	}
	return b.fragment(n.Text)
}

// fragment is the HTML of a Markdown text from YAML.
func (b *builder) fragment(src string) template.HTML {
	if h, ok := b.frags[src]; ok {
		return h
	}
	return b.in.Docs.Markdown(src, "")
}
