package site

import (
	"html"
	"html/template"
	"slices"
	"strconv"
	"strings"
	"sync"

	"github.com/charter-compliance/charter/compiler/coverage"
	"github.com/charter-compliance/charter/compiler/links"
	"github.com/charter-compliance/charter/compiler/model"
)

// Every page is an html/template layout of the theme. The fragments that
// repeat hundreds of times on a page (implementation cards, criterion and
// satisfaction tables, heat map cells, links and status badges) are written
// here, in Go, and the layouts call them (link, status and ref, and methods
// of the views such as .Card, .Table and .Heatmap), because html/template
// spends about a microsecond and a half per action and a large site has
// millions of them. Each fragment is written once, here, and only here. The
// rules that keep this as safe as the templates:
//
//   - markup is written only from constants in the Go code (raw);
//   - every string that came from the repository goes through text or
//     attr, which escape it with html.EscapeString;
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

// text writes s escaped for HTML text or a quoted attribute value, by
// html.EscapeString (& < > " ').
func (w *hw) text(s string) { w.b = append(w.b, html.EscapeString(s)...) }

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

// scratch holds the buffers fragments are written in before they become
// template.HTML, so that a fragment costs one allocation, its own size.
var scratch = sync.Pool{New: func() any { return new(hw) }}

// fragmentHTML returns what write writes, as HTML for a layout.
func fragmentHTML(write func(w *hw)) template.HTML {
	w := scratch.Get().(*hw)
	w.b = w.b[:0]
	write(w)
	h := w.html()
	if cap(w.b) <= 1<<20 {
		scratch.Put(w)
	}
	return h
}

// href makes a link target safe to write: relative paths and fragments as
// charter makes them, or absolute http, https and mailto URLs.
func href(s string) string {
	if s == "" || !links.SafeTarget(s) {
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

func (w *hw) status(st model.Status) { w.raw(string(statusHTML(st))) }

// statusHTML is a status badge.
func statusHTML(st model.Status) template.HTML {
	if s, ok := statusBadges[st]; ok {
		return template.HTML(s)
	}
	return template.HTML(`<span class="status">` + html.EscapeString(st.String()) + "</span>")
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

// evidenceRowsHTML is the body of a criterion's evidence table.
func evidenceRowsHTML(rows []evidenceView) template.HTML {
	return fragmentHTML(func(w *hw) { writeEvidenceRows(w, rows) })
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
	return fragmentHTML(func(w *hw) {
		for i, l := range ls {
			if i > 0 {
				w.raw(", ")
			}
			w.link(l)
		}
	})
}

// rel writes what rel(from, target) returns, escaped for an attribute
// value, without making the string. target is a site path made by
// compiler/links (slug characters and slashes, perhaps a #fragment), so
// href would leave the result as it is.
func (w *hw) rel(from, target string) {
	frag := ""
	if i := strings.IndexByte(target, '#'); i >= 0 {
		target, frag = target[:i], target[i:]
	}
	if target == from && frag != "" {
		w.text(frag)
		return
	}
	dirEnd := strings.LastIndexByte(from, '/') + 1
	common := 0
	for i := 0; i < dirEnd && i < len(target) && from[i] == target[i]; i++ {
		if from[i] == '/' {
			common = i + 1
		}
	}
	for range strings.Count(from[common:dirEnd], "/") {
		w.raw("../")
	}
	w.text(target[common:])
	w.text(frag)
}

// linkTo writes what link writes for Link{Href: rel(from, target), Text:
// text, Title: title}, with no Href when target is "".
func (w *hw) linkTo(from, target, text, title string) {
	if target == "" {
		w.link(Link{Text: text, Title: title})
		return
	}
	w.raw(`<a href="`)
	w.rel(from, target)
	w.raw(`"`)
	if title != "" {
		w.attr("title", title)
	}
	w.raw(">")
	w.text(text)
	w.raw("</a>")
}

// mutedParens writes what muted("(" + s + ")") writes.
func (w *hw) mutedParens(s string) {
	w.raw(`<span class="muted">(`)
	w.text(s)
	w.raw(")</span>")
}

// cardRef is one implementation card of a criterion's page: the
// satisfaction, its anchor there, and the site path of the same
// satisfaction on its component's page ("" without one).
type cardRef struct {
	comp           *model.Component
	sat            *model.Satisfaction
	anchor, target string
}

// writeCard writes one implementation on a criterion's page p, whose
// verdict is v: the component, its status and the satisfaction's body.
func (b *builder) writeCard(w *hw, p *page, c *cardRef, v *coverage.Verdict) {
	w.raw(`<section class="card implementation" id="`)
	w.text(c.anchor)
	w.raw("\">\n  <h3>")
	b.writeComponentLink(w, p, c.comp.Key)
	w.raw(" ")
	st := b.claimStatus(c.comp, c.sat)
	w.status(st)
	w.raw("</h3>\n")
	b.writeSatisfactionOf(w, p, c.comp, c.sat, st, reasonOf(v, c.sat), true)
	if c.target != "" {
		w.raw(`<p class="more">`)
		w.linkTo(p.Path, c.target, "This satisfaction on the component's page", "")
		w.raw("</p>\n")
	}
	w.raw("</section>\n")
}

// Cards is the cards of every implementation of the criterion, in order:
// what {{range .Implementations}}{{.Card}}{{end}} writes, in one action
// instead of two per card.
func (v controlView) Cards() template.HTML {
	if len(v.Implementations) == 0 {
		return ""
	}
	return fragmentHTML(func(w *hw) {
		for i := range v.Implementations {
			c := &v.Implementations[i]
			c.b.writeCard(w, c.p, &c.ref, c.verdict)
		}
	})
}

// writeComponentLink writes what link writes for componentLink(p, key).
func (b *builder) writeComponentLink(w *hw, p *page, key string) {
	c := b.ws.Component(key)
	if c == nil {
		w.text(key)
		return
	}
	w.linkTo(p.Path, b.compPath[key], componentName(c), "")
}

// writeSatisfactionOf writes the body of an implementation card: status,
// origin, role, parameters, evidence, references and the narratives by key
// (parameters, references and narratives only when full); st is the
// satisfaction's status (claimStatus) and reason why it counts so.
func (b *builder) writeSatisfactionOf(w *hw, p *page, comp *model.Component, s *model.Satisfaction, st model.Status, reason string, full bool) {
	w.raw(`<dl class="facts">` + "\n<dt>Implementation status</dt>\n<dd>")
	for i, sv := range s.Statuses {
		if i > 0 {
			w.raw(", ")
		}
		w.raw("<code>")
		w.text(sv.Raw)
		w.raw("</code>")
		if m, ok := lookupStatus(sv.Raw); ok && m.Guess {
			w.raw(" ")
			w.mutedParens(m.Note)
		} else if !ok {
			w.raw(" ")
			w.mutedParens("not a known status")
		}
	}
	if len(s.Statuses) == 0 {
		w.muted("not given")
	}
	if reason != "" {
		w.raw(" — counts as ")
		w.status(st)
		w.raw(" ")
		w.mutedParens(reason)
	}
	w.raw("</dd>\n<dt>Control origin</dt>\n<dd>")
	if len(s.Origins) > 0 {
		writeOrigins(w, s.Origins)
	} else {
		w.muted("not given")
	}
	w.raw("</dd>\n<dt>Responsible role</dt>\n<dd>")
	if comp.ResponsibleRole != "" {
		w.text(comp.ResponsibleRole)
	} else {
		w.muted("not given")
	}
	w.raw("</dd>")
	if full && len(s.Parameters) > 0 {
		w.raw("\n<dt>Parameters</dt>\n<dd><dl class=\"params\">")
		for _, pr := range s.Parameters {
			w.raw("<dt><code>")
			w.text(pr.Key)
			w.raw("</code></dt><dd>")
			w.text(pr.Text)
			w.raw("</dd>")
		}
		w.raw("</dl></dd>")
	}
	if len(s.CoveredBy) > 0 {
		w.raw("\n<dt>Covered by</dt>\n<dd><ul class=\"plain\">")
		for _, cb := range s.CoveredBy {
			w.raw("<li>")
			b.writeCoveredBy(w, p, comp, cb, true)
			w.raw("</li>")
		}
		w.raw("</ul></dd>")
	}
	if full && len(s.References) > 0 {
		w.raw("\n<dt>References</dt>\n<dd><ul class=\"plain\">")
		for _, r := range s.References {
			w.raw("<li>")
			w.ref(b.reference(r.Name, r.Type, r.Path, comp.Dir))
			w.raw("</li>")
		}
		w.raw("</ul></dd>")
	}
	w.raw("\n</dl>\n")
	if !full || len(s.Narratives) == 0 {
		w.raw(`<p class="muted">No narrative.</p>` + "\n")
		return
	}
	w.raw(`<div class="narratives">` + "\n")
	for i := range s.Narratives {
		n := &s.Narratives[i]
		w.raw(`<section class="narrative"><h4 class="narrative-key">Narrative`)
		if n.Key != "" {
			w.raw(" ")
			w.text(n.Key)
		}
		w.raw("</h4>\n")
		if strings.TrimSpace(n.Text) != "" {
			w.raw(string(b.narrative(p, n)))
		} else {
			w.raw(`<p class="muted">(empty)</p>`)
		}
		w.raw("</section>\n")
	}
	w.raw("</div>\n")
}

// lookupStatus is model.LookupStatus, without its normalizing when the
// status is written as the schema spells it.
func lookupStatus(raw string) (model.StatusMapping, bool) {
	if m, ok := model.KnownStatuses[raw]; ok {
		return m, true
	}
	return model.LookupStatus(raw)
}

// writeOrigins writes what text(strings.Join(origins, ", ")) writes.
func writeOrigins(w *hw, origins []model.Origin) {
	for i, o := range origins {
		if i > 0 {
			w.raw(", ")
		}
		w.text(o.Value)
	}
}

// writeCoveredBy writes the link of coveredBy(p, comp, cb), and its note
// when note is set.
func (b *builder) writeCoveredBy(w *hw, p *page, comp *model.Component, cb model.CoveredBy, note bool) {
	key := cb.ComponentKey
	if key == "" {
		key = comp.Key
	}
	target := b.ws.Component(key)
	if target == nil {
		w.text(key)
		w.raw(" / ")
		w.text(cb.VerificationKey)
		if note {
			w.raw(" ")
			w.raw(`<span class="muted">(no component `)
			w.text(key)
			w.raw(")</span>")
		}
		return
	}
	ver := target.Verification(cb.VerificationKey)
	if ver == nil {
		w.text(cb.VerificationKey)
		if note {
			w.raw(" ")
			w.raw(`<span class="muted">(`)
			w.text(componentName(target))
			w.raw(" has no verification ")
			w.text(cb.VerificationKey)
			w.raw(")</span>")
		}
		return
	}
	name := ver.Name
	if name == "" {
		name = ver.Key
	}
	w.linkTo(p.Path, b.verPath[ver], name, ver.Key)
	if note && b.in.Evidence[ver] != nil {
		w.raw(" — ")
		b.writeEvidenceFile(w, p, ver)
	}
	if note && key != comp.Key {
		w.raw(" ")
		w.raw(`<span class="muted">(evidence of `)
		w.text(componentName(target))
		w.raw(")</span>")
	}
}

// writeSatisfactionRows writes the table of rows, the satisfactions of one
// standard of component c, in their order on the page: each row's criterion,
// status, origins, covering verifications and a link to its narratives.
func (b *builder) writeSatisfactionRows(w *hw, p *page, c *model.Component, rows []satRow) {
	w.raw(`<div class="table-wrap"><table class="satisfactions">` + "\n" +
		`<thead><tr><th scope="col">Criterion</th><th scope="col">Title</th><th scope="col">Status</th><th scope="col">Control origin</th><th scope="col">Covered by</th><th scope="col">Narrative</th></tr></thead>` + "\n<tbody>\n")
	for i := range rows {
		r := &rows[i]
		s, ctrl := r.sat, r.ctrl
		w.raw(`<tr id="`)
		w.text(r.anchor)
		w.raw(`"><td class="nowrap">`)
		ctrlPath := ""
		if ctrl != nil {
			ctrlPath = b.ctrlPath[ctrl]
			w.linkTo(p.Path, ctrlPath, s.ControlKey, ctrl.Name)
		} else {
			w.text(s.ControlKey)
		}
		w.raw("</td><td>")
		if ctrl != nil {
			w.text(ctrl.Name)
		} else {
			w.raw(" ")
			w.muted("(not defined by its standard)")
		}
		w.raw("</td><td>")
		w.status(b.claimStatus(c, s))
		w.raw("</td><td>")
		if len(s.Origins) > 0 {
			writeOrigins(w, s.Origins)
		} else {
			w.muted("–")
		}
		w.raw("</td><td>")
		if len(s.CoveredBy) > 0 {
			for j, cb := range s.CoveredBy {
				if j > 0 {
					w.raw(", ")
				}
				b.writeCoveredBy(w, p, c, cb, false)
			}
		} else {
			w.muted("–")
		}
		w.raw(`</td><td class="nowrap">`)
		switch {
		case ctrlPath != "":
			w.raw(`<a href="`)
			w.rel(p.Path, ctrlPath)
			w.raw("#impl-")
			w.text(b.slug(c.Key))
			if r.nth > 1 {
				w.raw("-")
				w.int(r.nth)
			}
			w.raw(`">read</a>`)
		case r.full:
			w.raw(`<a href="#`)
			w.text(r.anchor)
			w.raw(`-full">read</a>`)
		}
		w.raw("</td></tr>\n")
	}
	w.raw("</tbody></table></div>")
}

// satRow is one satisfaction of a component's page: its anchor there,
// which of the component's satisfactions of its criterion it is (1, 2, …),
// and whether it is shown in full below the table (its criterion has no
// page).
type satRow struct {
	sat    *model.Satisfaction
	ctrl   *model.Control // b.ws.Control of its keys
	anchor string
	nth    int
	full   bool
}

// writeControlLink writes what link writes for controlLink(p, std, id).
func (b *builder) writeControlLink(w *hw, p *page, std, id string) {
	c := b.ws.Control(std, id)
	if c == nil {
		w.text(id)
		return
	}
	w.linkTo(p.Path, b.ctrlPath[c], id, c.Name)
}

// writeControlRows writes a table of the criteria of the verdicts vs: link,
// title, status and, when evidence is set, the evidence behind each.
func (b *builder) writeControlRows(w *hw, p *page, vs []*coverage.Verdict, evidence bool) {
	w.raw(`<div class="table-wrap"><table class="controls">` + "\n" + `<thead><tr><th scope="col">Criterion</th><th scope="col">Title</th><th scope="col">Status</th>`)
	if evidence {
		w.raw(`<th scope="col">Evidence</th>`)
	}
	w.raw("</tr></thead>\n<tbody>\n")
	for _, v := range vs {
		w.raw(`<tr><td class="nowrap">`)
		b.writeControlLink(w, p, v.Standard, v.ID)
		w.raw("</td><td>")
		if v.Control != nil {
			w.text(v.Control.Name)
		} else {
			w.raw(" ")
			w.muted("(not defined by its standard)")
		}
		w.raw("</td><td>")
		w.status(v.Status)
		writeOpen(w, v)
		if evidence {
			w.raw("</td><td>")
			if len(v.Evidence) == 0 {
				w.muted("none")
			}
			for i, e := range v.Evidence {
				if i > 0 {
					w.raw(", ")
				}
				if e.Kind == coverage.FromComponent {
					b.writeComponentLink(w, p, e.Component.Key)
					continue
				}
				d := e.Document
				w.linkTo(p.Path, b.docPath[d], d.ID, d.ID)
			}
		}
		w.raw("</td></tr>\n")
	}
	w.raw("</tbody></table></div>")
}
