package site

import (
	"bytes"
	"encoding/json"
	"maps"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"unicode"
	"unicode/utf8"

	"github.com/charter-compliance/charter/compiler/links"
)

// The search index (assets/search-index.js) is inverted: the pages (kind,
// ID, title, path and summary), the sorted list of every distinct word of
// the site, and per word the pages it occurs on. A word that occurs on many
// pages costs a byte or two per page instead of its whole spelling, so the
// index stays a small part of the site while every word of every narrative
// and document stays searchable.
type searchIndexFile struct {
	// Pages are [kind, id, title, site-root path, summary].
	Pages [][5]string `json:"pages"`
	Words []string    `json:"words"`
	// Posts[i] lists the pages word i occurs on, in increasing order, as
	// the gaps between page numbers (the first counted from -1), each
	// written in base 32: leading digits from postMore, the last from
	// postLast (see search.js).
	Posts []string `json:"posts"`
}

const (
	postLast = "abcdefghijklmnopqrstuvwxyz012345"
	postMore = "ABCDEFGHIJKLMNOPQRSTUVWXYZ6789!~"
)

// indexPage is one page of the index with the texts its words come from.
type indexPage struct {
	row   [5]string
	texts []string
}

// searchIndex builds assets/search-index.js: a script that assigns the
// index to a global, so that search works from file:// where fetch does not.
func (b *builder) searchIndex() []byte {
	pages := b.indexPages()
	// tokenize the pages in parallel, each worker with its own vocabulary
	workers := max(1, min(runtime.GOMAXPROCS(0), len(pages)))
	vocabs := make([]*vocab, workers)
	owner := make([]int, len(pages))     // the worker that read each page
	words := make([][]int32, len(pages)) // the page's distinct words, by the worker's ids
	var next atomic.Int64
	var wg sync.WaitGroup
	for w := range workers {
		vocabs[w] = newVocab()
		wg.Add(1)
		go func() {
			defer wg.Done()
			v := vocabs[w]
			for {
				i := int(next.Add(1) - 1)
				if i >= len(pages) {
					return
				}
				v.page++
				var ids []int32
				for _, t := range pages[i].texts {
					ids = v.add(t, ids)
				}
				owner[i], words[i] = w, ids
			}
		}()
	}
	wg.Wait()
	// one vocabulary for the site, sorted
	all := map[string]bool{}
	for _, v := range vocabs {
		for _, w := range v.words {
			all[w] = true
		}
	}
	sorted := slices.Sorted(maps.Keys(all))
	global := make(map[string]int32, len(sorted))
	for i, w := range sorted {
		global[w] = int32(i)
	}
	remap := make([][]int32, workers)
	for w, v := range vocabs {
		remap[w] = make([]int32, len(v.words))
		for id, word := range v.words {
			remap[w][id] = global[word]
		}
	}
	posts := make([][]byte, len(sorted))
	last := make([]int, len(sorted))
	for i := range last {
		last[i] = -1
	}
	for i, ids := range words {
		for _, id := range ids {
			g := remap[owner[i]][id]
			posts[g] = appendGap(posts[g], i-last[g])
			last[g] = i
		}
	}
	f := searchIndexFile{Pages: make([][5]string, len(pages)), Words: sorted, Posts: make([]string, len(posts))}
	if f.Words == nil {
		f.Words = []string{}
	}
	for i := range pages {
		f.Pages[i] = pages[i].row
	}
	for i, p := range posts {
		f.Posts[i] = string(p)
	}
	var buf bytes.Buffer
	buf.WriteString("/* charter search index: generated, do not edit. */\nwindow.CHARTER_INDEX = ")
	if err := json.NewEncoder(&buf).Encode(f); err != nil {
		// the index holds only strings; encoding cannot fail
		panic(err)
	}
	buf.Truncate(buf.Len() - 1)
	buf.WriteString(";\n")
	return buf.Bytes()
}

// appendGap writes a gap between page numbers (at least 1) in base 32.
func appendGap(dst []byte, n int) []byte {
	var digits [8]byte
	i := len(digits) - 1
	digits[i] = postLast[n%32]
	for n /= 32; n > 0; n /= 32 {
		i--
		digits[i] = postMore[n%32]
	}
	return append(dst, digits[i:]...)
}

// indexPages lists the pages of the index and the texts whose words make
// them found: IDs, titles, descriptions, every narrative and parameter of a
// criterion's implementations, and the whole text of each policy and
// procedure.
func (b *builder) indexPages() []indexPage {
	var pages []indexPage
	add := func(path, kind, id, title, sum string, texts ...string) {
		if b.owner[path] == "" {
			return
		}
		pages = append(pages, indexPage{row: [5]string{kind, id, title, path, sum}, texts: texts})
	}
	for _, s := range b.ws.Standards {
		if !b.paged[s] {
			continue
		}
		texts := []string{s.Name}
		for _, code := range slices.Sorted(maps.Keys(s.Families)) {
			texts = append(texts, code, s.Families[code])
		}
		add(links.Standard(s.Name), "standard", s.Name, "Standard "+s.Name, "", texts...)
		for _, c := range s.Controls {
			if !b.controlPaged(s.Name, c.ID) {
				continue
			}
			texts := []string{c.ID, c.Family, c.Name, s.Families[c.Family], c.Description}
			v := b.cov.Verdict(s.Name, c.ID)
			for _, e := range v.Evidence {
				if e.Satisfaction != nil {
					texts = append(texts, componentName(e.Component))
					for _, n := range e.Satisfaction.Narratives {
						texts = append(texts, n.Text)
					}
					for _, p := range e.Satisfaction.Parameters {
						texts = append(texts, p.Key, p.Text)
					}
				}
			}
			add(links.Control(s.Name, c.ID), "criterion", c.ID, c.Name, summary(v.Status.String()+" · "+c.Description), texts...)
		}
	}
	for _, c := range b.ws.Components {
		if !b.componentPaged(c.Key) {
			continue
		}
		texts := []string{c.Key, c.Name, c.System, c.ResponsibleRole}
		for _, r := range c.References {
			texts = append(texts, r.Name)
		}
		for _, v := range c.Verifications {
			texts = append(texts, v.Key, v.Name, v.Description)
		}
		for _, s := range c.Satisfies {
			texts = append(texts, s.ControlKey)
		}
		add(links.Component(c.Key), "component", c.Key, componentName(c),
			summary(plural(len(c.Satisfies), "1 satisfaction", strconv.Itoa(len(c.Satisfies))+" satisfactions")+" · "+c.ResponsibleRole), texts...)
	}
	for _, d := range b.ws.Documents {
		if !b.documentPaged(d) {
			continue
		}
		texts := []string{d.ID, d.Title, d.Owner, d.Description}
		for _, cl := range d.Satisfies {
			texts = append(texts, cl.Control)
		}
		text := b.docOut[d].Text
		texts = append(texts, text)
		sum := d.Description
		if sum == "" {
			sum = text
		}
		add(links.Document(d.ID), kindName(d.Kind), d.ID, docTitle(d), summary(sum), texts...)
	}
	for _, c := range b.ws.Certifications {
		if !b.paged[c] {
			continue
		}
		add(links.Certification(c.Name), "certification", c.Name, "Certification "+c.Name, summary(strconv.Itoa(len(c.Controls))+" criteria"), c.Name)
	}
	return pages
}

// vocab reads the words of pages. A word is a run of letters and digits,
// with inner dots, hyphens and underscores kept so that IDs such as cc6.1
// and ac-2 survive; words are lower case. Each distinct word gets an id.
type vocab struct {
	ids   map[string]int32
	words []string
	seen  []int32 // per id, the last page (counted from 1) it was found on
	page  int32   // the page being read
	buf   []byte
}

func newVocab() *vocab { return &vocab{ids: make(map[string]int32, 1024)} }

// add reads s and appends to ids the words not yet found on this page.
// ASCII is handled byte by byte without allocating; other text goes
// through the Unicode tables.
func (v *vocab) add(s string, ids []int32) []int32 {
	start := -1
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			switch {
			case c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c >= 'A' && c <= 'Z':
				if start < 0 {
					start = i
				}
			case (c == '.' || c == '-' || c == '_') && start >= 0:
			default:
				ids = v.word(s, start, i, ids)
				start = -1
			}
			i++
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			if start < 0 {
				start = i
			}
		} else {
			ids = v.word(s, start, i, ids)
			start = -1
		}
		i += size
	}
	return v.word(s, start, len(s), ids)
}

func (v *vocab) word(s string, start, end int, ids []int32) []int32 {
	if start < 0 {
		return ids
	}
	for end > start && (s[end-1] == '.' || s[end-1] == '-' || s[end-1] == '_') {
		end--
	}
	tok := s[start:end]
	v.buf = v.buf[:0]
	ascii := true
	for i := 0; i < len(tok); i++ {
		c := tok[i]
		if c >= utf8.RuneSelf {
			ascii = false
			break
		}
		if c >= 'A' && c <= 'Z' {
			c += 'a' - 'A'
		}
		v.buf = append(v.buf, c)
	}
	if !ascii {
		v.buf = append(v.buf[:0], strings.ToLower(tok)...)
	}
	id, ok := v.ids[string(v.buf)]
	if !ok {
		id = int32(len(v.words))
		w := string(v.buf)
		v.ids[w] = id
		v.words = append(v.words, w)
		v.seen = append(v.seen, 0)
	}
	if v.seen[id] == v.page {
		return ids
	}
	v.seen[id] = v.page
	return append(ids, id)
}

// summary is the first words of a text, about a line's worth.
func summary(s string) string {
	s = strings.Join(strings.Fields(s), " ")
	const limit = 180
	if utf8.RuneCountInString(s) <= limit {
		return s
	}
	r := []rune(s)[:limit]
	cut := strings.LastIndexByte(string(r), ' ')
	if cut < limit/2 {
		cut = len(string(r))
	}
	return strings.TrimRight(string(r)[:cut], " ,.;:") + "…"
}
