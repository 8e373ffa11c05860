package site

import (
	"bytes"
	"encoding/json"
	"maps"
	"slices"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/charter-compliance/charter/compiler/links"
)

// indexEntry is one page in the search index. Field names are short: the
// index ships with the site as a script and its size matters.
type indexEntry struct {
	Kind    string `json:"k"`
	ID      string `json:"i"`
	Title   string `json:"t"`
	URL     string `json:"u"` // site-root path; the script makes it relative
	Summary string `json:"s,omitempty"`
	Words   string `json:"w"` // the page's distinct words, lower case, space separated
}

// searchIndex builds assets/search-index.js: a script that assigns the
// index to a global, so that search works from file:// where fetch does not.
func (b *builder) searchIndex() []byte {
	var entries []indexEntry
	add := func(path string, e indexEntry) {
		if b.owner[path] == "" {
			return
		}
		e.URL = path
		entries = append(entries, e)
	}
	for _, s := range b.ws.Standards {
		if !b.paged[s] {
			continue
		}
		w := newWords()
		w.add(s.Name)
		for _, code := range slices.Sorted(maps.Keys(s.Families)) {
			w.add(code + " " + s.Families[code])
		}
		add(links.Standard(s.Name), indexEntry{Kind: "standard", ID: s.Name, Title: "Standard " + s.Name, Words: w.text()})
		for _, c := range s.Controls {
			if !b.controlPaged(s.Name, c.ID) {
				continue
			}
			w := newWords()
			w.add(c.ID + " " + c.Family + " " + c.Name + " " + s.Families[c.Family] + " " + c.Description)
			v := b.cov.Verdict(s.Name, c.ID)
			for _, e := range v.Evidence {
				if e.Satisfaction != nil {
					w.add(componentName(e.Component))
					for _, n := range e.Satisfaction.Narratives {
						w.add(n.Text)
					}
					for _, p := range e.Satisfaction.Parameters {
						w.add(p.Key + " " + p.Text)
					}
				}
			}
			add(links.Control(s.Name, c.ID), indexEntry{Kind: "criterion", ID: c.ID, Title: c.Name,
				Summary: summary(v.Status.String() + " · " + c.Description), Words: w.text()})
		}
	}
	for _, c := range b.ws.Components {
		if !b.componentPaged(c.Key) {
			continue
		}
		w := newWords()
		w.add(c.Key + " " + c.Name + " " + c.System + " " + c.ResponsibleRole)
		for _, r := range c.References {
			w.add(r.Name)
		}
		for _, v := range c.Verifications {
			w.add(v.Key + " " + v.Name + " " + v.Description)
		}
		for _, s := range c.Satisfies {
			w.add(s.ControlKey)
		}
		add(links.Component(c.Key), indexEntry{Kind: "component", ID: c.Key, Title: componentName(c),
			Summary: summary(plural(len(c.Satisfies), "1 satisfaction", strconv.Itoa(len(c.Satisfies))+" satisfactions") + " · " + c.ResponsibleRole), Words: w.text()})
	}
	for _, d := range b.ws.Documents {
		if !b.documentPaged(d) {
			continue
		}
		w := newWords()
		w.add(d.ID + " " + d.Title + " " + d.Owner + " " + d.Description)
		for _, cl := range d.Satisfies {
			w.add(cl.Control)
		}
		text := b.docOut[d].Text
		w.add(text)
		sum := d.Description
		if sum == "" {
			sum = text
		}
		add(links.Document(d.ID), indexEntry{Kind: kindName(d.Kind), ID: d.ID, Title: docTitle(d), Summary: summary(sum), Words: w.text()})
	}
	for _, c := range b.ws.Certifications {
		if b.certLink(&page{Path: links.Home}, c).Href == "" {
			continue
		}
		w := newWords()
		w.add(c.Name)
		add(links.Certification(c.Name), indexEntry{Kind: "certification", ID: c.Name, Title: "Certification " + c.Name,
			Summary: summary(strconv.Itoa(len(c.Controls)) + " criteria"), Words: w.text()})
	}
	var buf bytes.Buffer
	buf.WriteString("/* charter search index: generated, do not edit. */\nwindow.CHARTER_INDEX = ")
	enc := json.NewEncoder(&buf)
	if err := enc.Encode(entries); err != nil {
		// entries hold only strings; encoding cannot fail
		panic(err)
	}
	if entries == nil {
		buf.Truncate(buf.Len() - len("null\n"))
		buf.WriteString("[]\n")
	}
	buf.Truncate(buf.Len() - 1)
	buf.WriteString(";\n")
	return buf.Bytes()
}

// words collects the distinct words of a page, in order of first
// appearance. A word is a run of letters and digits, with inner dots,
// hyphens and underscores kept so that IDs such as cc6.1 and ac-2 survive.
type words struct {
	seen map[string]struct{}
	out  []byte
	buf  []byte
}

func newWords() *words { return &words{seen: make(map[string]struct{}, 64)} }

// add tokenizes s. ASCII is handled byte by byte without allocating; other
// text goes through the Unicode tables.
func (w *words) add(s string) {
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
				w.flush(s, start, i)
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
			w.flush(s, start, i)
			start = -1
		}
		i += size
	}
	w.flush(s, start, len(s))
}

func (w *words) flush(s string, start, end int) {
	if start < 0 {
		return
	}
	for end > start && (s[end-1] == '.' || s[end-1] == '-' || s[end-1] == '_') {
		end--
	}
	tok := s[start:end]
	w.buf = w.buf[:0]
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
		w.buf = append(w.buf, c)
	}
	if !ascii {
		w.buf = append(w.buf[:0], strings.ToLower(tok)...)
	}
	if _, ok := w.seen[string(w.buf)]; ok {
		return
	}
	w.seen[string(w.buf)] = struct{}{}
	if len(w.out) > 0 {
		w.out = append(w.out, ' ')
	}
	w.out = append(w.out, w.buf...)
}

func (w *words) text() string { return string(w.out) }

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
