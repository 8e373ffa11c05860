package site

import (
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
)

// The search index (assets/search-index.js) is inverted: the pages (group,
// ID, title, path, summary and status), the sorted list of every distinct
// word of the site, and per word the pages it occurs on. A word that occurs
// on many pages costs a byte or two per page instead of its whole spelling,
// so the index stays a small part of the site while every word of every
// narrative and document stays searchable.
//
// The script assigns window.CHARTER_INDEX = {"groups": [[kind, label,
// base, ext], ...], "statuses": [...], "pages": [[group, id, title, path,
// summary, status], ...], "words": [...], "posts": [...]}. A group is the
// pages of one kind (and, for criteria, one standard: the label) in one
// directory; a page's site-root path is base+path+ext, so the directory and
// ".html" are written once per group rather than once per page. status
// indexes statuses (criteria only; -1 for other pages). The summary is
// plain text: the start of a description with its Markdown syntax removed.
// posts[i] lists the pages word i occurs on, in increasing order, as the
// gaps between page numbers (the first counted from -1), each written in
// base 32: leading digits from postMore, the last from postLast (see
// search.js).

const (
	postLast = "abcdefghijklmnopqrstuvwxyz012345"
	postMore = "ABCDEFGHIJKLMNOPQRSTUVWXYZ6789!~"
)

// indexPage is one page of the index with the texts its words come from;
// the summary is made from sum[0] (plain text) and sum[1] (Markdown) by the
// tokenizing workers.
type indexPage struct {
	kind, label, id, title, path, summary, status string
	sum                                           [2]string
	texts                                         []string
}

// searchIndex builds assets/search-index.js: a script that assigns the
// index to a global, so that search works from file:// where fetch does not.
func (b *builder) searchIndex() ([]byte, error) {
	pages := b.indexPages()
	// tokenize the pages in parallel, each worker with its own vocabulary
	workers := max(1, min(runtime.GOMAXPROCS(0), len(pages)))
	vocabs := make([]*vocab, workers)
	owner := make([]int, len(pages)) // the worker that read each page
	// the page's distinct words, by the worker's ids: span[i] of the
	// worker's flat list
	flat := make([][]int32, workers)
	span := make([][2]int, len(pages))
	// room for a new word on its page in every sixteen bytes of text: at
	// 1x the pages hold one in every 18
	textBytes := 0
	for i := range pages {
		for _, t := range pages[i].texts {
			textBytes += len(t)
		}
	}
	for w := range flat {
		flat[w] = make([]int32, 0, textBytes/16/workers+64)
	}
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
				if pages[i].sum != [2]string{} {
					pages[i].summary = summary(pages[i].sum[0] + b.plainText(pages[i].sum[1]))
				}
				from := len(flat[w])
				for _, t := range pages[i].texts {
					flat[w] = v.add(t, flat[w])
				}
				owner[i], span[i] = w, [2]int{from, len(flat[w])}
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
	var posts []string
	remap := make([][]int32, workers)
	for w, v := range vocabs {
		remap[w] = make([]int32, len(v.words))
		for id, word := range v.words {
			remap[w][id] = global[word]
		}
	}
	// the postings of all words in one string: sized in a first pass,
	// written in a second
	start := make([]int, len(sorted)+1) // of word g's postings; then the end
	last := make([]int, len(sorted))    // the last page a word was found on
	for pass := range 2 {
		for g := range last {
			last[g] = -1
		}
		var buf []byte
		var at []int
		if pass == 1 {
			for g := range sorted {
				start[g+1] += start[g]
			}
			buf = make([]byte, start[len(sorted)])
			at = slices.Clone(start[:len(sorted)])
		}
		for i := range pages {
			w := owner[i]
			for _, id := range flat[w][span[i][0]:span[i][1]] {
				g := remap[w][id]
				if pass == 0 {
					start[g+1] += gapLen(i - last[g])
				} else {
					at[g] = putGap(buf, at[g], i-last[g])
				}
				last[g] = i
			}
		}
		if pass == 1 {
			all := string(buf)
			posts = make([]string, len(sorted))
			for g := range sorted {
				posts[g] = all[start[g]:start[g+1]]
			}
		}
	}
	groups, statuses, rows := indexRows(pages)
	data, err := json.Marshal(searchIndexJSON{Groups: groups, Statuses: statuses, Pages: rows, Words: sorted, Posts: posts})
	if err != nil {
		return nil, err
	}
	out := make([]byte, 0, len(searchIndexHead)+len(data)+2)
	out = append(out, searchIndexHead...)
	out = append(out, data...)
	return append(out, ";\n"...), nil
}

// indexRows groups the pages by kind, label and directory, and lists the
// statuses, in the order they first occur.
func indexRows(pages []indexPage) (groups [][4]string, statuses []string, rows []indexRow) {
	group := map[[4]string]int{}
	status := map[string]int{}
	rows = make([]indexRow, len(pages))
	for i, p := range pages {
		dir, name := "", p.path
		if j := strings.LastIndexByte(name, '/'); j >= 0 {
			dir, name = name[:j+1], name[j+1:]
		}
		ext := ""
		if base, ok := strings.CutSuffix(name, ".html"); ok {
			name, ext = base, ".html"
		}
		key := [4]string{p.kind, p.label, dir, ext}
		g, ok := group[key]
		if !ok {
			g = len(groups)
			group[key] = g
			groups = append(groups, key)
		}
		st := -1
		if p.status != "" {
			if st, ok = status[p.status]; !ok {
				st = len(statuses)
				status[p.status] = st
				statuses = append(statuses, p.status)
			}
		}
		rows[i] = indexRow{group: g, id: p.id, title: p.title, path: name, summary: p.summary, status: st}
	}
	return groups, statuses, rows
}

// indexRow is one page as the index holds it: a JSON array.
type indexRow struct {
	group, status            int
	id, title, path, summary string
}

func (r indexRow) MarshalJSON() ([]byte, error) {
	return json.Marshal([6]any{r.group, r.id, r.title, r.path, r.summary, r.status})
}

// searchIndexHead starts the search index script.
const searchIndexHead = "/* charter search index: generated, do not edit. */\nwindow.CHARTER_INDEX = "

// searchIndexJSON is the index as the script holds it.
type searchIndexJSON struct {
	Groups   [][4]string `json:"groups"`
	Statuses []string    `json:"statuses"`
	Pages    []indexRow  `json:"pages"`
	Words    []string    `json:"words"`
	Posts    []string    `json:"posts"`
}

// appendGap writes a gap between page numbers (at least 1) in base 32.
func appendGap(dst []byte, n int) []byte {
	k := gapLen(n)
	dst = slices.Grow(dst, k)[:len(dst)+k]
	putGap(dst, len(dst)-k, n)
	return dst
}

// gapLen is the number of base-32 digits of n.
func gapLen(n int) int {
	k := 1
	for n /= 32; n > 0; n /= 32 {
		k++
	}
	return k
}

// putGap writes n in base 32 at buf[at:] (leading digits from postMore,
// the last from postLast) and returns where it ends.
func putGap(buf []byte, at, n int) int {
	end := at + gapLen(n)
	i := end - 1
	buf[i] = postLast[n%32]
	for n /= 32; n > 0; n /= 32 {
		i--
		buf[i] = postMore[n%32]
	}
	return end
}

// indexPages lists the pages of the index and the texts whose words make
// them found: IDs, titles, descriptions, every narrative and parameter of a
// criterion's implementations, and the whole text of each policy and
// procedure.
func (b *builder) indexPages() []indexPage {
	pages := make([]indexPage, 0, len(b.jobs))
	add := func(path, kind, id, title string, sum [2]string, texts ...string) *indexPage {
		pages = append(pages, indexPage{kind: kind, id: id, title: title, path: path, sum: sum, texts: texts})
		return &pages[len(pages)-1]
	}
	for _, s := range b.ws.Standards {
		if !b.paged[s] {
			continue
		}
		texts := []string{s.Name}
		for _, code := range slices.Sorted(maps.Keys(s.Families)) {
			texts = append(texts, code, s.Families[code])
		}
		add(b.stdPath[s], "standard", s.Name, "Standard "+s.Name, [2]string{}, texts...)
		for _, c := range s.Controls {
			path := b.ctrlPath[b.ws.Control(s.Name, c.ID)]
			if path == "" {
				continue
			}
			v := b.cov.Verdict(s.Name, c.ID)
			n := 5
			for _, e := range v.Evidence {
				if e.Satisfaction != nil {
					n += 1 + len(e.Satisfaction.Narratives) + 2*len(e.Satisfaction.Parameters)
				}
			}
			texts := make([]string, 5, n)
			texts[0], texts[1], texts[2], texts[3], texts[4] = c.ID, c.Family, c.Name, s.Families[c.Family], c.Description
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
			p := add(path, "criterion", c.ID, c.Name, [2]string{"", c.Description}, texts...)
			p.label, p.status = s.Name, v.Status.String()
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
		add(b.compPath[c.Key], "component", c.Key, componentName(c),
			[2]string{plural(len(c.Satisfies), "1 satisfaction", strconv.Itoa(len(c.Satisfies))+" satisfactions") + " · ", c.ResponsibleRole}, texts...)
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
		sum := [2]string{"", d.Description}
		if d.Description == "" {
			sum = [2]string{text, ""}
		}
		add(b.docPath[d], kindName(d.Kind), d.ID, docTitle(d), sum, texts...)
	}
	for _, c := range b.ws.Certifications {
		if !b.paged[c] {
			continue
		}
		add(b.certPath[c], "certification", c.Name, "Certification "+c.Name, [2]string{strconv.Itoa(len(c.Controls)) + " criteria"}, c.Name)
	}
	return pages
}

// vocab reads the words of pages. A word is a run of letters and digits,
// with inner dots, hyphens and underscores kept so that IDs such as cc6.1
// and ac-2 survive; words are lower case. Each distinct word gets an id.
//
// The index reads every narrative and document of the site, so words are
// found with a hash table of its own: an ASCII word (nearly all of them) is
// hashed and compared in lower case as it stands in the text, and only a
// new word is copied.
type vocab struct {
	words  []string
	hashes []uint64 // per id, the hash of the word
	seen   []int32  // per id, the last page (counted from 1) it was found on
	slots  []int32  // open addressing by hash: id+1, or 0 for a free slot
	page   int32    // the page being read
}

func newVocab() *vocab { return &vocab{slots: make([]int32, 4096)} }

// Byte classes of the tokenizer.
const (
	wordSep      = iota // ends a word
	wordAlnum           // ASCII letter or digit
	wordInner           // . - _ : inside a word only
	wordNonASCII        // the first byte of a multi-byte rune
)

var wordClass = func() (c [256]uint8) {
	for b := range 256 {
		switch {
		case b >= 'a' && b <= 'z' || b >= 'A' && b <= 'Z' || b >= '0' && b <= '9':
			c[b] = wordAlnum
		case b == '.' || b == '-' || b == '_':
			c[b] = wordInner
		case b >= utf8.RuneSelf:
			c[b] = wordNonASCII
		}
	}
	return c
}()

var lowerASCII = func() (l [256]byte) {
	for b := range 256 {
		l[b] = byte(b)
		if b >= 'A' && b <= 'Z' {
			l[b] = byte(b) + 'a' - 'A'
		}
	}
	return l
}()

func isWordRune(r rune) bool { return unicode.IsLetter(r) || unicode.IsDigit(r) }

// add reads s and appends to ids the words not yet found on this page.
func (v *vocab) add(s string, ids []int32) []int32 {
	for i := 0; i < len(s); {
		switch wordClass[s[i]] {
		case wordSep, wordInner:
			i++
			continue
		case wordNonASCII:
			r, size := utf8.DecodeRuneInString(s[i:])
			if !isWordRune(r) {
				i += size
				continue
			}
		}
		// the hash of the word in lower case, up to its last letter or
		// digit, made as it is read (ASCII words only)
		start, ascii := i, true
		var h, hEnd uint64 = fnvOffset, 0
	word:
		for i < len(s) {
			switch c := s[i]; wordClass[c] {
			case wordAlnum:
				h = (h ^ uint64(lowerASCII[c])) * fnvPrime
				hEnd = h
				i++
			case wordInner:
				h = (h ^ uint64(c)) * fnvPrime
				i++
			case wordNonASCII:
				r, size := utf8.DecodeRuneInString(s[i:])
				if !isWordRune(r) {
					break word
				}
				ascii = false
				i += size
			default:
				break word
			}
		}
		end := i
		for wordClass[s[end-1]] == wordInner {
			end--
		}
		ids = v.word(s[start:end], ascii, hEnd, ids)
	}
	return ids
}

const (
	fnvOffset = 14695981039346656037
	fnvPrime  = 1099511628211
)

// word finds or adds one word and appends its id to ids if it is new on
// this page. When ascii (tok has no multi-byte rune) h is the FNV-1a hash
// of tok in lower case; otherwise word lowers and hashes tok itself.
func (v *vocab) word(tok string, ascii bool, h uint64, ids []int32) []int32 {
	if !ascii {
		tok = strings.ToLower(tok)
		h = fnvOffset
		for i := 0; i < len(tok); i++ {
			h = (h ^ uint64(tok[i])) * fnvPrime
		}
	}
	mask := uint64(len(v.slots) - 1)
	j := h & mask
	for {
		id := v.slots[j] - 1
		if id < 0 {
			break
		}
		if v.hashes[id] == h && sameWord(v.words[id], tok, ascii) {
			if v.seen[id] == v.page {
				return ids
			}
			v.seen[id] = v.page
			return append(ids, id)
		}
		j = (j + 1) & mask
	}
	if ascii {
		b := make([]byte, len(tok))
		for i := 0; i < len(tok); i++ {
			b[i] = lowerASCII[tok[i]]
		}
		tok = string(b)
	}
	id := int32(len(v.words))
	v.words = append(v.words, tok)
	v.hashes = append(v.hashes, h)
	v.seen = append(v.seen, v.page)
	v.slots[j] = id + 1
	if 2*len(v.words) > len(v.slots) {
		v.rehash()
	}
	return append(ids, id)
}

// sameWord reports whether the word w (lower case) is tok, which is
// compared in lower case when ascii.
func sameWord(w, tok string, ascii bool) bool {
	if len(w) != len(tok) {
		return false
	}
	if !ascii {
		return w == tok
	}
	for i := 0; i < len(tok); i++ {
		if lowerASCII[tok[i]] != w[i] {
			return false
		}
	}
	return true
}

// rehash doubles the table.
func (v *vocab) rehash() {
	v.slots = make([]int32, 2*len(v.slots))
	mask := uint64(len(v.slots) - 1)
	for id, h := range v.hashes {
		j := h & mask
		for v.slots[j] != 0 {
			j = (j + 1) & mask
		}
		v.slots[j] = int32(id) + 1
	}
}

// plainText is the start of a Markdown text without its syntax: enough
// for a summary. Only the first summaryMarkdown bytes (to the end of their
// line) are read, so a long description costs no more than a short one.
func (b *builder) plainText(md string) string {
	if md == "" {
		return ""
	}
	if len(md) > summaryMarkdown {
		if j := strings.IndexByte(md[summaryMarkdown:], '\n'); j >= 0 {
			md = md[:summaryMarkdown+j]
		}
	}
	return b.in.Docs.PlainText(md)
}

// summaryMarkdown is how much of a Markdown text plainText reads: the
// summary keeps 180 characters, and Markdown syntax rarely doubles a text.
const summaryMarkdown = 720

// summary is the first words of a text, about a line's worth.
func summary(s string) string {
	const limit = 180
	// the words joined by single spaces, up to the first limit+1 runes: all
	// that decides the result
	var b strings.Builder
	n := 0
	for f := range strings.FieldsSeq(s) {
		if n > 0 {
			b.WriteByte(' ')
			n++
		}
		b.WriteString(f)
		if n += utf8.RuneCountInString(f); n > limit {
			break
		}
	}
	s = b.String()
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
