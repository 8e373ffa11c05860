package site

import (
	"strings"

	"github.com/charter-compliance/charter/compiler/links"
)

// The pages a site has by the thousand (criteria, components) and the
// heaviest few (dashboard, certifications, standards) are written here in
// Go when the theme does not override their layout: the embedded layout
// transcribed action by action, byte for byte what html/template writes from
// it, without html/template's reflective call and escaper chain per action
// and without building each large fragment as a string first. A theme that
// overrides the layout, base.html or partials.html gets the template path,
// so the theme stays overridable file by file. TestNativeMatchesTemplates
// renders the reference program, the synthetic workspace and hostile
// content both ways and requires identical bytes: a change to one of these
// layouts must be made here too.
//
// Values a template action would print go through tt (text and quoted
// attributes), url (an attribute holding a URL) or frag (a URL's fragment),
// which escape exactly as html/template does in those contexts; markup that
// the templates get from link, status and ref, and the fragments they get
// as template.HTML, are written by the same Go code as there.

// nativeMains write the "main" template of the layouts written in Go.
var nativeMains = map[string]func(b *builder, w *hw, p *page){
	"control":       (*builder).controlMain,
	"component":     (*builder).componentMain,
	"certification": (*builder).certificationMain,
	"standard":      (*builder).standardMain,
	"home":          (*builder).homeMain,
}

// tt writes s as html/template writes a value in text, in RCDATA (title)
// or in a quoted attribute that is not a URL: & < > " ' + escaped, NUL
// replaced.
func (w *hw) tt(s string) {
	last := 0
	for i := 0; i < len(s); i++ {
		if k := ttEscapes[s[i]]; k != 0 {
			w.b = append(w.b, s[last:i]...)
			w.b = append(w.b, textReplacements[k]...)
			last = i + 1
		}
	}
	w.b = append(w.b, s[last:]...)
}

// ttEscapes is textEscapes with +, which html/template escapes too.
var ttEscapes = func() [256]uint8 {
	t := textEscapes
	t['+'] = 7
	return t
}()

const lowerHex = "0123456789abcdef"

func isHexDigit(c byte) bool {
	return '0' <= c && c <= '9' || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F'
}

// url writes s as html/template writes a value that starts a quoted URL
// attribute: a scheme other than http, https or mailto becomes
// "#ZgotmplZ", bytes outside URLs are percent-encoded (valid escapes kept),
// and & and + are escaped for the attribute.
func (w *hw) url(s string) {
	if scheme, _, ok := strings.Cut(s, ":"); ok && !strings.Contains(scheme, "/") {
		if !strings.EqualFold(scheme, "http") && !strings.EqualFold(scheme, "https") && !strings.EqualFold(scheme, "mailto") {
			s = "#ZgotmplZ"
		}
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9':
			w.b = append(w.b, c)
		case strings.IndexByte("!#$*,/:;=?@[]-._~", c) >= 0:
			w.b = append(w.b, c)
		case c == '&':
			w.b = append(w.b, "&amp;"...)
		case c == '+':
			w.b = append(w.b, "&#43;"...)
		case c == '%' && i+2 < len(s) && isHexDigit(s[i+1]) && isHexDigit(s[i+2]):
			w.b = append(w.b, c)
		default:
			w.b = append(w.b, '%', lowerHex[c>>4], lowerHex[c&15])
		}
	}
}

// frag writes s as html/template writes a value after the # of a quoted
// URL attribute: everything but letters, digits and - . _ ~
// percent-encoded.
func (w *hw) frag(s string) {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || c == '-' || c == '.' || c == '_' || c == '~' {
			w.b = append(w.b, c)
			continue
		}
		w.b = append(w.b, '%', lowerHex[c>>4], lowerHex[c&15])
	}
}

// writePage writes layouts/base.html's "page" around main.
func (b *builder) writePage(w *hw, p *page, main func(b *builder, w *hw, p *page)) error {
	w.raw("<!DOCTYPE html>\n<html lang=\"en\" data-root=\"")
	w.tt(p.Root())
	w.raw("\">\n<head>\n<meta charset=\"utf-8\">\n" +
		`<meta http-equiv="Content-Security-Policy" content="default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; base-uri 'none'; form-action 'none'">` + "\n" +
		`<meta name="referrer" content="no-referrer">` + "\n" +
		`<meta name="viewport" content="width=device-width, initial-scale=1">` + "\n<title>")
	w.tt(p.Title)
	w.raw(" · ")
	w.tt(p.Site.Name)
	w.raw("</title>\n")
	p.writeHead(w)
	w.raw("\n</head>\n<body class=\"kind-")
	w.tt(p.Kind)
	w.raw("\">\n")
	if err := p.writeChrome(w, "header"); err != nil {
		return err
	}
	w.raw("\n<div class=\"print-header print-only\">")
	w.tt(p.Site.Name)
	w.raw(" · version ")
	w.tt(p.Site.Version)
	w.raw(" · judged as of ")
	if p.Site.AsOf != "" {
		w.tt(p.Site.AsOf)
	} else {
		w.raw("an unknown date")
	}
	w.raw("</div>\n<main id=\"main\" tabindex=\"-1\">")
	p.writeBreadcrumbs(w)
	if len(p.Banner) > 0 {
		w.raw("\n<div class=\"banner\" role=\"alert\">\n  <strong>This page is built from files with errors.</strong> What it shows may be incomplete or wrong until they are fixed:\n  <ul>")
		for _, it := range p.Banner {
			w.raw("<li><a href=\"")
			w.url(it.Link.Href)
			w.raw("\">")
			w.tt(it.Link.Text)
			w.raw("</a></li>")
		}
		w.raw("</ul>\n</div>")
	}
	w.raw("\n")
	main(b, w, p)
	p.writePager(w)
	w.raw("\n</main>\n")
	if err := p.writeChrome(w, "footer"); err != nil {
		return err
	}
	w.raw("\n</body>\n</html>\n")
	return nil
}

// partials.html's "counts".
func (w *hw) counts(cs []statusCount) {
	w.raw(`<ul class="counts">`)
	for _, c := range cs {
		w.raw("<li>")
		w.status(c.Status)
		w.raw(" ")
		w.int(c.N)
		w.raw("</li>")
	}
	w.raw("</ul>")
}

// partials.html's "bar".
func (w *hw) bar(v *barView) {
	if len(v.Segments) == 0 {
		return
	}
	w.raw(`<svg class="bar" viewBox="0 0 1000 14" preserveAspectRatio="none" role="img" aria-label="`)
	w.tt(v.Title)
	w.raw(`">`)
	for _, s := range v.Segments {
		w.raw(`<rect class="`)
		w.tt(s.Class)
		w.raw(`" x="`)
		w.int(s.X)
		w.raw(`" y="0" width="`)
		w.int(s.W)
		w.raw(`" height="14"><title>`)
		w.tt(s.Label)
		w.raw("</title></rect>")
	}
	w.raw("</svg>")
}

// partials.html's "legend".
const legendHTML = `<ul class="legend" aria-label="Status colours">
  <li><span class="swatch st-satisfied"></span>satisfied</li>
  <li><span class="swatch st-not-applicable"></span>not applicable</li>
  <li><span class="swatch st-partial"></span>partial</li>
  <li><span class="swatch st-planned"></span>planned</li>
  <li><span class="swatch st-unknown"></span>unknown</li>
  <li><span class="swatch st-missing"></span>missing</li>
</ul>`

// partials.html's "revisions".
func (w *hw) revisions(v *revisionsView) {
	w.raw("<section class=\"revisions\" aria-labelledby=\"revisions\">\n<h2 id=\"revisions\">Revision history</h2>")
	if len(v.Rows) > 0 {
		w.raw("\n<div class=\"table-wrap\"><table>\n<thead><tr><th scope=\"col\">Date</th><th scope=\"col\">Author</th><th scope=\"col\">Change</th><th scope=\"col\">Pull request</th><th scope=\"col\">Commit</th></tr></thead>\n<tbody>")
		for i := range v.Rows {
			r := &v.Rows[i]
			w.raw("\n<tr><td class=\"nowrap\">")
			w.tt(r.Date)
			w.raw("</td><td>")
			w.tt(r.Author)
			w.raw("</td><td>")
			w.tt(r.Subject)
			w.raw("</td><td>")
			if r.PR.Text != "" {
				w.link(r.PR)
			} else {
				w.raw(`<span class="muted">–</span>`)
			}
			w.raw("</td><td><code>")
			w.link(r.Commit)
			w.raw("</code></td></tr>")
		}
		w.raw("\n</tbody></table></div>")
	}
	if v.Note != "" {
		w.raw(`<p class="muted">`)
		w.tt(v.Note)
		w.raw("</p>")
	}
	if v.Shallow != "" {
		w.raw(`<p class="muted shallow">`)
		w.tt(v.Shallow)
		w.raw("</p>")
	}
	w.raw("\n</section>")
}

// layouts/control.html
func (b *builder) controlMain(w *hw, p *page) {
	cv := p.Data.(controlView)
	w.raw("\n<article class=\"control\">\n<header class=\"page-head\">\n  <p class=\"eyebrow\">")
	w.link(cv.Standard)
	if cv.Family != "" {
		w.raw(" · ")
		w.tt(cv.Family)
	}
	w.raw("</p>\n  <h1><span class=\"id\">")
	w.tt(cv.ID)
	w.raw("</span> ")
	w.tt(cv.Name)
	w.raw("</h1>\n  <p class=\"verdict\">Verdict: ")
	w.status(cv.Status)
	w.raw("\n    <span class=\"muted\">· ")
	if cv.LastChanged != "" {
		w.raw("evidence last changed ")
		w.tt(cv.LastChanged)
		if cv.LastChangedNote != "" {
			w.raw(" (")
			w.tt(cv.LastChangedNote)
			w.raw(")")
		}
	} else {
		w.tt(cv.LastChangedNote)
	}
	w.raw("</span></p>\n</header>\n\n<section aria-labelledby=\"description\">\n<h2 id=\"description\">Description</h2>\n")
	mark := len(w.b)
	if cv.description != "" {
		w.raw(`<div class="prose">`)
		at := len(w.b)
		if b.writeFragment(w, cv.description, p.Path); len(w.b) > at {
			w.raw("</div>")
		} else {
			w.b = w.b[:mark]
		}
	}
	if len(w.b) == mark {
		w.raw(`<p class="muted">The standard gives no description.</p>`)
	}
	if len(cv.Certifications) > 0 {
		w.raw("\n<p>Required by ")
		for i, l := range cv.Certifications {
			if i > 0 {
				w.raw(", ")
			}
			w.link(l)
		}
		w.raw(".</p>")
	} else {
		w.raw("\n<p class=\"muted\">No certification of this repository requires it.</p>")
	}
	w.raw("\n</section>\n\n<section aria-labelledby=\"evidence\">\n<h2 id=\"evidence\">Evidence behind the verdict</h2>")
	if len(cv.Evidence) > 0 {
		w.raw("\n<p>The verdict is the best evidence below. A component counts as satisfied only with a complete status and a narrative; a policy or procedure only while it is approved and in force.</p>\n" +
			"<div class=\"table-wrap\"><table>\n<thead><tr><th scope=\"col\">Evidence</th><th scope=\"col\">Kind</th><th scope=\"col\">Counts as</th><th scope=\"col\">Why</th></tr></thead>\n<tbody>\n")
		writeEvidenceRows(w, cv.Evidence)
		w.raw("</tbody></table></div>")
	} else {
		w.raw("\n<p>Nothing claims this criterion: no component satisfies it and no policy or procedure claims it, so it is <strong>missing</strong>.</p>")
	}
	w.raw("\n</section>")
	if len(cv.cards) > 0 {
		w.raw("\n<section aria-labelledby=\"implementations\">\n<h2 id=\"implementations\">Implementations</h2>\n")
		for i := range cv.cards {
			b.writeCard(w, p, &cv.cards[i], cv.verdict)
		}
		w.raw("\n</section>")
	}
	w.raw("\n\n<section aria-labelledby=\"documents\">\n<h2 id=\"documents\">Policies and procedures</h2>")
	if len(cv.Documents) > 0 {
		w.raw("\n<ul class=\"plain\">")
		for i := range cv.Documents {
			d := &cv.Documents[i]
			w.raw("\n<li>")
			w.link(d.Link)
			w.raw(` <span class="muted">`)
			w.tt(d.ID)
			w.raw(" · ")
			w.tt(d.Kind)
			w.raw(" · ")
			if d.Status != "" {
				w.tt(d.Status)
			} else {
				w.raw("no status")
			}
			if d.Effective != "" {
				w.raw(", effective ")
				w.tt(d.Effective)
			}
			w.raw("</span> — counts as ")
			w.status(d.Counts)
			w.raw(` <span class="muted">(`)
			w.tt(d.Reason)
			w.raw(")</span></li>")
		}
		w.raw("\n</ul>")
	} else {
		w.raw("\n<p class=\"muted\">No policy or procedure claims this criterion.</p>")
	}
	w.raw("\n</section>\n<p class=\"muted source\">Defined in <code>")
	w.tt(cv.Source)
	w.raw("</code>.</p>\n</article>\n")
}

// layouts/component.html
func (b *builder) componentMain(w *hw, p *page) {
	cv := p.Data.(componentView)
	w.raw("\n<article class=\"component\">\n<header class=\"page-head\">\n  <p class=\"eyebrow\">Component</p>\n  <h1>")
	w.tt(cv.Name)
	w.raw("</h1>")
	if len(cv.Counts) > 0 {
		w.counts(cv.Counts)
	}
	w.raw("\n</header>\n<dl class=\"facts\">\n  <dt>Key</dt><dd><code>")
	w.tt(cv.Key)
	w.raw("</code></dd>")
	if cv.System != "" {
		w.raw("<dt>System</dt><dd>")
		w.tt(cv.System)
		w.raw("</dd>")
	}
	w.raw("\n  <dt>Responsible role</dt><dd>")
	if cv.Role != "" {
		w.tt(cv.Role)
	} else {
		w.raw(`<span class="muted">not given</span>`)
	}
	w.raw("</dd>\n  <dt>Documentation complete</dt><dd>")
	if cv.DocumentationComplete {
		w.raw("yes")
	} else {
		w.raw("no")
	}
	w.raw("</dd>")
	if cv.SchemaVersion != "" {
		w.raw("<dt>Schema version</dt><dd>")
		w.tt(cv.SchemaVersion)
		w.raw("</dd>")
	}
	w.raw("\n  <dt>Source</dt><dd>")
	w.ref(cv.File)
	w.raw("</dd>\n</dl>")
	if len(cv.References) > 0 {
		w.raw("\n<section aria-labelledby=\"references\">\n<h2 id=\"references\">References</h2>\n<ul class=\"plain\">")
		for _, r := range cv.References {
			w.raw("<li>")
			w.ref(r)
			w.raw("</li>")
		}
		w.raw("</ul>\n</section>")
	}
	w.raw("\n\n<section aria-labelledby=\"verifications\">\n<h2 id=\"verifications\">Verifications (evidence)</h2>")
	if len(cv.Verifications) > 0 {
		for i := range cv.Verifications {
			v := &cv.Verifications[i]
			w.raw("\n<section class=\"card verification\" id=\"")
			w.tt(v.Anchor)
			w.raw("\">\n  <h3>")
			w.tt(v.Name)
			w.raw(` <code class="muted">`)
			w.tt(v.Key)
			w.raw("</code>")
			if v.Result != "" {
				w.raw(` <span class="result result-`)
				w.tt(v.Result)
				w.raw(`">test `)
				w.tt(v.Result)
				w.raw("</span>")
			}
			w.raw("</h3>")
			if v.Description != "" {
				w.raw(`<div class="prose">`)
				w.raw(string(v.Description))
				w.raw("</div>")
			}
			w.raw("\n  <dl class=\"facts\">")
			if v.Ref.Path != "" {
				w.raw("<dt>Where</dt><dd>")
				w.ref(v.Ref)
				w.raw("</dd>")
			}
			if v.LastRun != "" {
				w.raw("<dt>Last run</dt><dd>")
				w.tt(v.LastRun)
				w.raw("</dd>")
			}
			w.raw("\n    <dt>Covers</dt><dd>")
			if len(v.usedBy) > 0 {
				for i, k := range v.usedBy {
					if i > 0 {
						w.raw(", ")
					}
					b.writeControlLink(w, p, k.Standard, k.ID)
				}
			} else {
				w.raw(`<span class="muted">no satisfaction cites it</span>`)
			}
			w.raw("</dd>\n  </dl>\n</section>")
		}
	} else {
		w.raw("\n<p class=\"muted\">This component lists no verifications.</p>")
	}
	w.raw("\n</section>\n\n<section aria-labelledby=\"satisfies\">\n<h2 id=\"satisfies\">Satisfies (")
	w.int(cv.Total)
	w.raw(")</h2>")
	if len(cv.Groups) > 0 {
		for gi := range cv.Groups {
			g := &cv.Groups[gi]
			w.raw("\n<h3>Standard ")
			w.link(g.Standard)
			w.raw("</h3>\n")
			b.writeSatisfactionRows(w, p, cv.comp, g.rows)
			for i := range g.rows {
				r := &g.rows[i]
				if !r.full {
					continue
				}
				s, ctrl := r.sat, r.ctrl
				w.raw("\n<section class=\"card implementation\" id=\"")
				w.tt(r.anchor)
				w.raw("-full\">\n  <h4>")
				w.link(b.controlLinkTo(p, ctrl, s.ControlKey))
				w.raw(" ")
				if ctrl != nil {
					w.tt(ctrl.Name)
				}
				w.raw(" ")
				w.status(s.Verdict())
				if ctrl == nil {
					w.raw(` <span class="muted">(not defined by its standard)</span>`)
				}
				w.raw("</h4>\n  ")
				b.writeSatisfactionOf(w, p, cv.comp, s, s.Verdict(), reasonOf(b.cov.Verdict(s.StandardKey, s.ControlKey), s), true)
				w.raw("\n</section>")
			}
		}
	} else {
		w.raw("\n<p class=\"muted\">This component satisfies no control.</p>")
	}
	w.raw("\n</section>\n")
	w.revisions(&cv.Revisions)
	w.raw("\n</article>\n")
}

// layouts/certification.html
func (b *builder) certificationMain(w *hw, p *page) {
	cv := p.Data.(certView)
	w.raw("\n<header class=\"page-head\">\n  <p class=\"eyebrow\">Certification")
	if cv.Gated {
		w.raw(` · <span class="gate">gate</span>`)
	}
	w.raw("</p>\n  <h1>")
	w.tt(cv.Name)
	w.raw("</h1>\n  <p class=\"big\"><strong>")
	w.int(cv.Done)
	w.raw("</strong> of ")
	w.int(cv.Total)
	w.raw(" criteria closed <span class=\"muted\">(")
	w.tt(cv.Percent)
	w.raw(")</span></p>\n  ")
	if cv.Bar != nil {
		w.bar(cv.Bar)
	}
	w.raw("\n  ")
	w.counts(cv.Counts)
	if cv.Gated {
		w.raw("<p>This certification is a gate: <code>charter check</code> fails until every criterion is closed.</p>")
	}
	w.raw("\n</header>")
	if cv.cr != nil {
		w.raw("\n<section aria-labelledby=\"map\">\n<h2 id=\"map\">Heat map</h2>\n<p class=\"muted\">One square per criterion, by family. Select a square to open the criterion.</p>\n")
		b.writeHeatmap(w, p, cv.cr)
		w.raw("\n" + legendHTML + "\n</section>")
	}
	w.raw("\n<section aria-labelledby=\"gaps\">\n<h2 id=\"gaps\">Gaps</h2>")
	if len(cv.gaps) > 0 {
		w.raw("\n")
		b.writeControlRows(w, p, cv.gaps, true)
	} else {
		w.raw("\n<p>None: every criterion is satisfied or not applicable.</p>")
	}
	w.raw("\n</section>\n<section aria-labelledby=\"all\">\n<h2 id=\"all\">All criteria</h2>")
	for i := range cv.Families {
		f := &cv.Families[i]
		w.raw("\n<h3 id=\"")
		w.tt(f.Anchor)
		w.raw("\">")
		w.tt(f.Name)
		w.raw("</h3>\n")
		b.writeControlRows(w, p, f.verdicts, false)
	}
	w.raw("\n</section>\n<p class=\"muted source\">Defined in <code>")
	w.tt(cv.Source)
	w.raw("</code>.</p>\n")
}

// layouts/standard.html
func (b *builder) standardMain(w *hw, p *page) {
	sv := p.Data.(standardView)
	// a large standard's page runs to megabytes (a row per criterion, a
	// link per piece of evidence): make room once rather than grow the
	// buffer step by step
	size := 4096
	for i := range sv.Families {
		for _, v := range sv.Families[i].verdicts {
			size += 300 + 100*len(v.Evidence)
		}
	}
	w.Grow(size)
	w.raw("\n<header class=\"page-head\">\n  <p class=\"eyebrow\">Standard</p>\n  <h1>")
	w.tt(sv.Name)
	w.raw("</h1>\n  <p>")
	w.int(sv.Total)
	w.raw(" ")
	w.raw(plural(sv.Total, "control", "controls"))
	w.raw(" in ")
	w.int(len(sv.Families))
	w.raw(" ")
	w.raw(plural(len(sv.Families), "family", "families"))
	w.raw(".")
	if len(sv.Certifications) > 0 {
		w.raw(" Used by ")
		for i, l := range sv.Certifications {
			if i > 0 {
				w.raw(", ")
			}
			w.link(l)
		}
		w.raw(".")
	}
	w.raw("</p>\n  ")
	w.counts(sv.Counts)
	w.raw("\n</header>")
	if len(sv.Families) > 1 {
		w.raw("\n<nav class=\"toc\" aria-label=\"Families\">\n<h2>Families</h2>\n<ul class=\"inline\">")
		for i := range sv.Families {
			f := &sv.Families[i]
			w.raw("<li><a href=\"#")
			w.frag(f.Anchor)
			w.raw("\">")
			w.tt(f.Code)
			w.raw("</a></li>")
		}
		w.raw("</ul>\n</nav>")
	}
	for i := range sv.Families {
		f := &sv.Families[i]
		w.raw("\n<section aria-labelledby=\"")
		w.tt(f.Anchor)
		w.raw("\">\n<h2 id=\"")
		w.tt(f.Anchor)
		w.raw("\">")
		w.tt(f.Name)
		w.raw("</h2>\n")
		b.writeControlRows(w, p, f.verdicts, true)
		w.raw("\n</section>")
	}
	w.raw("\n<p class=\"muted source\">Defined in <code>")
	w.tt(sv.Source)
	w.raw("</code>.</p>\n")
}

// layouts/home.html
func (b *builder) homeMain(w *hw, p *page) {
	hv := p.Data.(homeView)
	site := p.Site
	w.raw("\n<header class=\"page-head\">\n  <p class=\"eyebrow\">Compliance dashboard</p>\n  <h1>")
	w.tt(site.Name)
	w.raw("</h1>")
	if hv.Description != "" {
		w.raw(`<p class="lead">`)
		w.tt(hv.Description)
		w.raw("</p>")
	}
	w.raw("\n  <p class=\"muted\">")
	if site.HistoryOK {
		w.raw("Version ")
		w.tt(site.Version)
	} else {
		w.raw("Version unknown (")
		w.tt(site.HistoryNote)
		w.raw(")")
	}
	w.raw(" · judged as of ")
	if site.AsOf != "" {
		w.tt(site.AsOf)
	} else {
		w.raw("an unknown date")
	}
	w.raw("</p>\n</header>\n<ul class=\"stats\">\n  <li><a href=\"")
	stat := func(target string, n int, one, many string) {
		w.url(p.Rel(target))
		w.raw("\"><strong>")
		w.int(n)
		w.raw("</strong> ")
		w.raw(plural(n, one, many))
	}
	stat(links.Certifications, len(hv.Certs), "certification", "certifications")
	w.raw("</a></li>\n  <li><a href=\"")
	// count writes ", n things" after a stat
	count := func(sep string, n int, one, many string) {
		w.raw(sep)
		w.int(n)
		w.raw(" ")
		w.raw(plural(n, one, many))
		w.raw("</a></li>\n  <li><a href=\"")
	}
	stat(links.Standards, hv.Controls, "criterion", "criteria")
	count(" in ", hv.Standards, "standard", "standards")
	stat(links.Components, hv.Components, "component", "components")
	count(", ", hv.Sats, "satisfaction", "satisfactions")
	stat(links.Documents, hv.Policies, "policy", "policies")
	count(", ", hv.Procedures, "procedure", "procedures")
	stat(links.Problems, site.Errors, "error", "errors")
	w.raw(", ")
	w.int(site.Warnings)
	w.raw(" ")
	w.raw(plural(site.Warnings, "warning", "warnings"))
	w.raw("</a></li>\n</ul>")
	if len(hv.Overdue) > 0 || len(hv.Drafts) > 0 {
		w.raw("\n<section class=\"attention\" aria-labelledby=\"attention\">\n<h2 id=\"attention\">Needs attention</h2>\n<ul class=\"plain\">")
		list := func(title string, ls []Link) {
			w.raw("<li>")
			w.raw(title)
			for i, l := range ls {
				if i > 0 {
					w.raw(", ")
				}
				w.link(l)
			}
			w.raw("</li>")
		}
		if len(hv.Overdue) > 0 {
			list("Overdue for review: ", hv.Overdue)
		}
		if len(hv.Drafts) > 0 {
			list("Drafts, not in force: ", hv.Drafts)
		}
		w.raw("\n</ul>\n</section>")
	}
	w.raw("\n<section aria-labelledby=\"coverage\">\n<h2 id=\"coverage\">Coverage by certification</h2>")
	if len(hv.Certs) > 0 {
		w.raw("\n" + legendHTML + "\n<div class=\"cards\">")
		for i := range hv.Certs {
			c := &hv.Certs[i]
			w.raw("\n<section class=\"card cert\">\n  <h3>")
			w.link(c.Link)
			if c.Gated {
				w.raw(` <span class="gate">gate</span>`)
			}
			w.raw("</h3>\n  <p class=\"big\"><strong>")
			w.int(c.Done)
			w.raw("</strong> of ")
			w.int(c.Total)
			w.raw(" closed <span class=\"muted\">(")
			w.tt(c.Percent)
			w.raw(")</span></p>\n  ")
			if c.Bar != nil {
				w.bar(c.Bar)
			}
			w.raw("\n  ")
			w.counts(c.Counts)
			w.raw("\n  ")
			b.writeHeatmap(w, p, c.cr)
			if len(c.gaps) > 0 {
				w.raw("\n  <details class=\"gaps\"")
				if c.GapsN <= 12 {
					w.raw(" open")
				}
				w.raw(">\n    <summary>")
				w.int(c.GapsN)
				w.raw(" ")
				w.raw(plural(c.GapsN, "gap", "gaps"))
				w.raw("</summary>\n    <ul class=\"plain gap-list\">")
				for _, v := range c.gaps {
					w.raw("<li>")
					w.status(v.Status)
					w.raw(" ")
					b.writeControlLink(w, p, v.Standard, v.ID)
					w.raw(" ")
					if v.Control != nil {
						w.tt(v.Control.Name)
					}
					w.raw("</li>")
				}
				w.raw("</ul>")
				if c.GapsN > len(c.gaps) {
					w.raw("<p><a href=\"")
					w.url(c.Link.Href)
					w.raw("#gaps\">All ")
					w.int(c.GapsN)
					w.raw(" gaps of ")
					w.tt(c.Link.Text)
					w.raw("</a></p>")
				}
				w.raw("\n  </details>")
			} else {
				w.raw("\n  <p class=\"done\">No gaps.</p>")
			}
			w.raw("\n</section>")
		}
		w.raw("\n</div>")
	} else {
		w.raw("\n<p class=\"muted\">The repository defines no certification; see the <a href=\"")
		w.url(p.Rel(links.Standards))
		w.raw("\">standards</a> for per-criterion verdicts.</p>")
	}
	w.raw("\n</section>\n")
}
