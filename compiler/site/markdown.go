package site

import (
	"html/template"
	"runtime"
	"strings"
	"sync"
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
	seen := map[string]bool{}
	var srcs []string
	add := func(s string) {
		if strings.TrimSpace(s) != "" && !seen[s] {
			seen[s] = true
			srcs = append(srcs, s)
		}
	}
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
			for _, n := range s.Narratives {
				add(n.Text)
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
}

// fragment is the HTML of a Markdown text from YAML.
func (b *builder) fragment(src string) template.HTML {
	if h, ok := b.frags[src]; ok {
		return h
	}
	return b.in.Docs.Markdown(src, "")
}
