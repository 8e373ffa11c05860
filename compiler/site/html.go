package site

import (
	"html/template"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"github.com/charter-compliance/charter/compiler/model"
)

// The page structure is html/template; the fragments that repeat hundreds
// of times on a page (implementation cards, criterion tables, heat map
// cells) are written here, because html/template spends about a microsecond
// and a half per action and a large site has millions of them. (The most
// frequent layouts are written in Go as a whole when not overridden: see
// native.go and direct.go, which follow the same rules.) The rules that keep
// this as safe as the templates:
//
//   - markup is written only from constants in the Go code (raw);
//   - every string that came from the repository goes through text or
//     attr, which escape & < > " ' (or tt, url and frag, which escape as
//     html/template does where a layout's template would print it);
//   - every href goes through href, which passes only relative links and
//     http, https and mailto URLs, and replaces anything else with "#";
//     links between the site's own pages, made from compiler/links paths,
//     may instead be written by rel, which href would leave unchanged.
//
// hw appends to a byte slice, so that a page can be written into a buffer
// its worker reuses from page to page.
type hw struct{ b []byte }

func (w *hw) raw(s string) { w.b = append(w.b, s...) }

// Grow makes room for n more bytes.
func (w *hw) Grow(n int) { w.b = slices.Grow(w.b, n) }

// Write and WriteString let html/template execute into the writer.
func (w *hw) Write(p []byte) (int, error) {
	w.b = append(w.b, p...)
	return len(p), nil
}

func (w *hw) WriteString(s string) (int, error) {
	w.b = append(w.b, s...)
	return len(s), nil
}

// text writes s escaped as template.HTMLEscape does (& < > " ' and NUL),
// copying the runs between special bytes as they are.
func (w *hw) text(s string) {
	last := 0
	for i := 0; i < len(s); i++ {
		if k := textEscapes[s[i]]; k != 0 {
			w.b = append(w.b, s[last:i]...)
			w.b = append(w.b, textReplacements[k]...)
			last = i + 1
		}
	}
	w.b = append(w.b, s[last:]...)
}

// textEscapes indexes textReplacements by byte; 0 is a byte written as is.
var textEscapes = [256]uint8{'&': 1, '<': 2, '>': 3, '"': 4, '\'': 5, 0: 6}

var textReplacements = [...]string{1: "&amp;", 2: "&lt;", 3: "&gt;", 4: "&#34;", 5: "&#39;", 6: "\uFFFD", 7: "&#43;"}

func (w *hw) int(n int) { w.b = strconv.AppendInt(w.b, int64(n), 10) }

// attr writes ` name="value"` with the value escaped.
func (w *hw) attr(name, value string) {
	w.b = append(w.b, ' ')
	w.b = append(w.b, name...)
	w.b = append(w.b, `="`...)
	w.text(value)
	w.b = append(w.b, '"')
}

func (w *hw) html() template.HTML { return template.HTML(w.b) }

// href makes a link target safe to write: relative paths and fragments as
// charter makes them, or absolute http, https and mailto URLs.
func href(s string) string {
	if s == "" {
		return "#"
	}
	if i := strings.IndexAny(s, ":/?#"); i >= 0 && s[i] == ':' {
		// has a scheme
		u, err := url.Parse(s)
		if err != nil {
			return "#"
		}
		switch strings.ToLower(u.Scheme) {
		case "http", "https", "mailto":
			return s
		}
		return "#"
	}
	return s
}

// link writes a link, or plain text when it has no target.
func (w *hw) link(l Link) {
	if l.Href == "" {
		if l.Title != "" {
			w.raw("<span")
			w.attr("title", l.Title)
			w.raw(">")
			w.text(l.Text)
			w.raw("</span>")
			return
		}
		w.text(l.Text)
		return
	}
	w.raw("<a")
	w.attr("href", href(l.Href))
	if l.Title != "" {
		w.attr("title", l.Title)
	}
	w.raw(">")
	w.text(l.Text)
	w.raw("</a>")
}

// links writes a comma-separated list, or a muted dash.
func (w *hw) links(ls []Link, none string) {
	if len(ls) == 0 {
		w.muted(none)
		return
	}
	for i, l := range ls {
		if i > 0 {
			w.raw(", ")
		}
		w.link(l)
	}
}

func (w *hw) muted(s string) {
	w.raw(`<span class="muted">`)
	w.text(s)
	w.raw("</span>")
}

var statusBadges = func() map[model.Status]string {
	m := map[model.Status]string{}
	for _, st := range model.AllStatuses {
		m[st] = `<span class="status st-` + st.String() + `">` + st.String() + `</span>`
	}
	return m
}()

func (w *hw) status(st model.Status) {
	if s, ok := statusBadges[st]; ok {
		w.raw(s)
		return
	}
	w.raw(`<span class="status">`)
	w.text(st.String())
	w.raw("</span>")
}

// ref writes a reference: a link when it has a safe target, its path and
// type beside it.
func (w *hw) ref(r refView) {
	w.link(Link{Href: r.Href, Text: r.Name})
	if r.Path != "" && r.Path != r.Name {
		w.raw(` <code class="path">`)
		w.text(r.Path)
		w.raw("</code>")
	}
	if r.Type != "" {
		w.raw(" ")
		w.muted("(" + r.Type + ")")
	}
	if r.Note != "" {
		w.raw(" ")
		w.muted("— " + r.Note)
	}
}

// controlTableHTML is a table of criteria with status and evidence.
func controlTableHTML(rows []controlRow, evidence bool) template.HTML {
	var w hw
	w.Grow(len(rows) * 160)
	writeControlTable(&w, rows, evidence)
	return w.html()
}

func writeControlTable(w *hw, rows []controlRow, evidence bool) {
	w.raw(`<div class="table-wrap"><table class="controls">` + "\n" + `<thead><tr><th scope="col">Criterion</th><th scope="col">Title</th><th scope="col">Status</th>`)
	if evidence {
		w.raw(`<th scope="col">Evidence</th>`)
	}
	w.raw("</tr></thead>\n<tbody>\n")
	for i := range rows {
		r := &rows[i]
		w.raw(`<tr><td class="nowrap">`)
		w.link(r.Link)
		w.raw("</td><td>")
		w.text(r.Name)
		if !r.Known {
			w.raw(" ")
			w.muted("(not defined by its standard)")
		}
		w.raw("</td><td>")
		w.status(r.Status)
		if evidence {
			w.raw("</td><td>")
			w.links(r.Evidence, "none")
		}
		w.raw("</td></tr>\n")
	}
	w.raw("</tbody></table></div>")
}

// satisfactionTableHTML lists a component's satisfactions of one standard;
// the narratives are a link away, on the criterion's page (or below, in a
// full card, when the criterion has no page).
func satisfactionTableHTML(items []satView) template.HTML {
	var w hw
	w.Grow(len(items) * 400)
	writeSatisfactionTable(&w, items)
	return w.html()
}

func writeSatisfactionTable(w *hw, items []satView) {
	w.raw(`<div class="table-wrap"><table class="satisfactions">` + "\n" +
		`<thead><tr><th scope="col">Criterion</th><th scope="col">Title</th><th scope="col">Status</th><th scope="col">Control origin</th><th scope="col">Covered by</th><th scope="col">Narrative</th></tr></thead>` + "\n<tbody>\n")
	for i := range items {
		v := &items[i]
		w.raw("<tr")
		w.attr("id", v.Anchor)
		w.raw(`><td class="nowrap">`)
		w.link(v.Control)
		w.raw("</td><td>")
		w.text(v.Title)
		if !v.Known {
			w.raw(" ")
			w.muted("(not defined by its standard)")
		}
		w.raw("</td><td>")
		w.status(v.Status)
		w.raw("</td><td>")
		if len(v.Origins) > 0 {
			w.text(strings.Join(v.Origins, ", "))
		} else {
			w.muted("–")
		}
		w.raw("</td><td>")
		cov := make([]Link, len(v.CoveredBy))
		for j, c := range v.CoveredBy {
			cov[j] = c.Link
		}
		w.links(cov, "–")
		w.raw(`</td><td class="nowrap">`)
		switch {
		case v.Target != "":
			w.link(Link{Href: v.Target, Text: "read"})
		case v.Full:
			w.link(Link{Href: "#" + v.Anchor + "-full", Text: "read"})
		}
		w.raw("</td></tr>\n")
	}
	w.raw("</tbody></table></div>")
}

// evidenceRowsHTML is the body of a criterion's evidence table.
func evidenceRowsHTML(rows []evidenceView) template.HTML {
	var w hw
	w.Grow(len(rows) * 200)
	writeEvidenceRows(&w, rows)
	return w.html()
}

func writeEvidenceRows(w *hw, rows []evidenceView) {
	for i := range rows {
		e := &rows[i]
		w.raw("<tr><td>")
		w.link(e.Link)
		w.raw("</td><td>")
		w.text(e.Kind)
		w.raw("</td><td>")
		w.status(e.Status)
		w.raw("</td><td>")
		w.text(e.Reason)
		w.raw("</td></tr>\n")
	}
}

// linkList is links separated by commas.
func linkList(ls []Link) template.HTML {
	var w hw
	for i, l := range ls {
		if i > 0 {
			w.raw(", ")
		}
		w.link(l)
	}
	return w.html()
}
