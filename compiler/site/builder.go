package site

import (
	"bytes"
	"fmt"
	"html/template"
	"runtime"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/charter-compliance/charter/compiler/coverage"
	"github.com/charter-compliance/charter/compiler/diag"
	"github.com/charter-compliance/charter/compiler/docs"
	"github.com/charter-compliance/charter/compiler/history"
	"github.com/charter-compliance/charter/compiler/links"
	"github.com/charter-compliance/charter/compiler/model"
)

// builder holds what every page needs: the inputs, cross-reference indexes
// computed once, and the plan of pages. After plan and renderDocuments it is
// only read, so pages render concurrently.
type builder struct {
	in    Input
	ws    *model.Workspace
	cov   *coverage.Report
	hist  *history.History
	theme *theme
	info  *siteInfo

	jobs     []job
	owner    map[string]string // page path -> what it shows, to catch collisions
	paged    map[any]bool      // the standards, controls, components, documents and certifications that have a page
	newDiags diag.List

	docOut   map[*model.Document]docs.Rendered
	problems *problemIndex
	// frags holds the HTML of every Markdown text from YAML that a page
	// shows (renderFragments).
	frags map[string]fragHTML
	// narrs holds the same HTML by narrative, for the hot lookups.
	narrs map[*model.Narrative]fragHTML

	// covered maps a component's verification to the controls whose
	// satisfactions cite it in covered_by; it is ready when coveredDone is
	// closed.
	covered     map[verRef][]coverage.Key
	coveredDone chan struct{}
	// certsOf lists the certifications that require a control.
	certsOf map[coverage.Key][]*model.Certification
	// claims lists the documents that claim a control.
	claims map[coverage.Key][]*model.Document

	// dups numbers the satisfactions of each component, per criterion
	// (satIndex).
	dups map[*model.Component]*dupSats

	// ctrlPath and compPath are the page paths of the controls and
	// components that have a page; slugs holds the slug of every key, ID
	// and name, computed once (links.Slug).
	ctrlPath map[*model.Control]string
	compPath map[string]string
	stdPath  map[*model.Standard]string
	docPath  map[*model.Document]string
	certPath map[*model.Certification]string
	slugs    map[string]string
	// verPath is the page path, with its #fragment, of each verification
	// of a component that has a page (of the component ws.Component gives
	// for its key).
	verPath map[*model.Verification]string

	chrome sync.Map // chromeKey -> chromeParts
}

type verRef struct{ component, key string }

// siteInfo is shown on every page.
type siteInfo struct {
	Name          string // the organisation, else the manifest's name
	Description   string
	Version       string // the version label, or a note that history is unavailable
	HistoryOK     bool
	Versioned     bool // part of a multi-version site: pages carry a switcher
	HistoryNote   string
	AsOf          string
	AsOfSource    string // where the judging day came from
	Errors        int
	Warnings      int
	RepositoryURL string
}

func newBuilder(in Input, th *theme) *builder {
	b := &builder{
		in:          in,
		ws:          in.Workspace,
		cov:         in.Coverage,
		hist:        in.History,
		theme:       th,
		owner:       map[string]string{},
		paged:       map[any]bool{},
		docOut:      map[*model.Document]docs.Rendered{},
		covered:     map[verRef][]coverage.Key{},
		coveredDone: make(chan struct{}),
		certsOf:     map[coverage.Key][]*model.Certification{},
		claims:      map[coverage.Key][]*model.Document{},
		ctrlPath:    map[*model.Control]string{},
		compPath:    map[string]string{},
		stdPath:     map[*model.Standard]string{},
		docPath:     map[*model.Document]string{},
		certPath:    map[*model.Certification]string{},
		slugs:       map[string]string{},
		verPath:     map[*model.Verification]string{},
	}
	ws := b.ws
	for _, s := range ws.Standards {
		b.addSlug(s.Name)
		for _, c := range s.Controls {
			b.addSlug(c.ID)
		}
	}
	for _, c := range ws.Components {
		b.addSlug(c.Key)
		for _, v := range c.Verifications {
			b.addSlug(v.Key)
		}
	}
	b.dups = make(map[*model.Component]*dupSats, len(ws.Components))
	for _, c := range ws.Components {
		b.dups[c] = &dupSats{}
	}
	name := ws.Config.Organization
	if name == "" {
		name = ws.Manifest.Name
	}
	if name == "" {
		name = "Compliance program"
	}
	b.info = &siteInfo{
		Name:          name,
		Description:   ws.Manifest.Description,
		AsOf:          formatDate(in.AsOf),
		AsOfSource:    in.AsOfSource,
		RepositoryURL: safeURL(ws.Config.RepositoryURL),
	}
	b.info.Versioned = len(in.Versions) > 0
	if b.hist != nil && b.hist.Available {
		b.info.HistoryOK = true
		b.info.Version = b.hist.Label.String()
	} else {
		b.info.Version = "unknown"
		b.info.HistoryNote = "history unavailable"
		if b.hist != nil && b.hist.Reason != "" {
			b.info.HistoryNote += ": " + b.hist.Reason
		}
	}
	for _, cert := range ws.Certifications {
		for _, cc := range cert.Controls {
			k := coverage.Key{Standard: cc.Standard, ID: cc.Control}
			if !slices.Contains(b.certsOf[k], cert) {
				b.certsOf[k] = append(b.certsOf[k], cert)
			}
		}
	}
	for _, d := range ws.Documents {
		for _, cl := range d.Satisfies {
			k := coverage.Key{Standard: cl.Standard, ID: cl.Control}
			if !slices.Contains(b.claims[k], d) {
				b.claims[k] = append(b.claims[k], d)
			}
		}
	}
	return b
}

// findCovered fills covered and closes coveredDone.
func (b *builder) findCovered() {
	defer close(b.coveredDone)
	for _, comp := range b.ws.Components {
		for _, s := range comp.Satisfies {
			k := coverage.Key{Standard: s.StandardKey, ID: s.ControlKey}
			for _, cb := range s.CoveredBy {
				target := cb.ComponentKey
				if target == "" {
					target = comp.Key
				}
				r := verRef{target, cb.VerificationKey}
				if l := b.covered[r]; !slices.Contains(l, k) {
					b.covered[r] = append(l, k)
				}
			}
		}
	}
}

func (b *builder) addSlug(s string) {
	if _, ok := b.slugs[s]; !ok {
		b.slugs[s] = links.Slug(s)
	}
}

// slug is links.Slug, from the names computed in advance when it can be.
func (b *builder) slug(s string) string {
	if v, ok := b.slugs[s]; ok {
		return v
	}
	return links.Slug(s)
}

// claim reserves a page path. When two things would share a page (two
// control IDs that differ only in punctuation, say), the first keeps it and
// a warning names both.
func (b *builder) claim(path, what string, pos diag.Pos, thing any) bool {
	if prev, taken := b.owner[path]; taken {
		b.newDiags = append(b.newDiags, diag.Diagnostic{
			Severity: diag.Warning, Code: diag.CodeValue, Pos: pos,
			Message: fmt.Sprintf("%s would be written to %s, the page of %s; only the first is rendered", what, path, prev),
			Hint:    "give one of them a name that differs in letters or digits, not only in punctuation or spaces",
		})
		return false
	}
	b.owner[path] = what
	if thing != nil {
		b.paged[thing] = true
	}
	return true
}

func (b *builder) add(path, kind string, build func(p *page)) {
	b.jobs = append(b.jobs, job{path: path, kind: kind, build: build})
}

// plan lists every page of the site.
func (b *builder) plan() {
	ws := b.ws
	fixed := []struct{ path, kind string }{
		{links.Home, "home"}, {links.Search, "search"}, {links.Problems, "problems"},
		{links.Standards, "standards"}, {links.Components, "components"},
		{links.Documents, "documents"}, {links.Certifications, "certifications"},
	}
	for _, f := range fixed {
		b.claim(f.path, "the "+f.kind+" page", diag.Pos{}, nil)
	}
	// the search index is the longest single job: start it first
	b.jobs = append(b.jobs, job{path: links.Asset("search-index.js"), raw: b.searchIndex})
	b.add(links.Home, "home", b.homePage)
	b.add(links.Search, "search", b.searchPage)
	b.add(links.Problems, "problems", b.problemsPage)
	b.add(links.Standards, "standards", b.standardsPage)
	b.add(links.Components, "components", b.componentsPage)
	b.add(links.Documents, "documents", b.documentsPage)
	b.add(links.Certifications, "certifications", b.certificationsPage)
	if b.in.Changes != nil && b.claim(links.Changes, "the changes page", diag.Pos{}, nil) {
		b.add(links.Changes, "changes", b.changesPage)
	}
	if b.in.ChangeManagement != nil && b.claim(links.ChangeMgmt, "the change management page", diag.Pos{}, nil) {
		b.add(links.ChangeMgmt, "change-management", b.changeMgmtPage)
	}
	if len(b.in.Versions) > 0 && b.claim(links.Versions, "the versions page", diag.Pos{}, nil) {
		b.add(links.Versions, "versions", b.versionsPage)
	}
	for _, s := range ws.Standards {
		path := links.Standard(s.Name)
		if !b.claim(path, "standard "+s.Name, s.Pos, s) {
			continue
		}
		b.stdPath[s] = path
		b.add(path, "standard", func(p *page) { b.standardPage(p, s) })
		for i, c := range s.Controls {
			path := links.Control(s.Name, c.ID)
			if !b.claim(path, "control "+c.ID+" of "+s.Name, c.Pos, c) {
				continue
			}
			b.ctrlPath[c] = path
			b.add(path, "control", func(p *page) { b.controlPage(p, s, i) })
		}
	}
	for _, c := range ws.Components {
		path := links.Component(c.Key)
		if !b.claim(path, "component "+c.Key, c.KeyPos, c) {
			continue
		}
		b.compPath[c.Key] = path
		b.add(path, "component", func(p *page) { b.componentPage(p, c) })
	}
	for key, path := range b.compPath {
		if c := ws.Component(key); c != nil {
			for i := range c.Verifications {
				b.verPath[&c.Verifications[i]] = path + "#verification-" + b.slug(c.Verifications[i].Key)
			}
		}
	}
	for _, d := range ws.Documents {
		path := links.Document(d.ID)
		if !b.claim(path, "document "+d.ID, d.FieldPos["id"], d) {
			continue
		}
		b.docPath[d] = path
		b.add(path, "document", func(p *page) { b.documentPage(p, d) })
	}
	b.planEvidence()
	for _, c := range ws.Certifications {
		path := links.Certification(c.Name)
		if !b.claim(path, "certification "+c.Name, c.Pos, c) {
			continue
		}
		b.certPath[c] = path
		b.add(path, "certification", func(p *page) { b.certificationPage(p, c) })
	}
}

// renderDocuments runs every document's template actions and Markdown in
// parallel before the pages render, so that their diagnostics reach the
// Problems page and their text the search index.
func (b *builder) renderDocuments() {
	var paged []*model.Document
	for _, d := range b.ws.Documents {
		if b.paged[d] {
			paged = append(paged, d)
		}
	}
	out := make([]docs.Rendered, len(paged))
	ds := make([]diag.List, len(paged))
	var wg sync.WaitGroup
	next := make(chan int)
	for range max(1, min(runtime.GOMAXPROCS(0), len(paged))) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range next {
				out[i], ds[i] = b.in.Docs.Document(paged[i], links.Document(paged[i].ID))
			}
		}()
	}
	for i := range paged {
		next <- i
	}
	close(next)
	wg.Wait()
	seen := map[string]bool{}
	for _, d := range b.in.Diagnostics {
		seen[diagKey(d)] = true
	}
	for i, d := range paged {
		b.docOut[d] = out[i]
		for _, x := range ds[i] {
			if !seen[diagKey(x)] {
				seen[diagKey(x)] = true
				b.newDiags = append(b.newDiags, x)
			}
		}
	}
	b.newDiags.Sort()
}

func diagKey(d diag.Diagnostic) string {
	return d.Pos.String() + "\x00" + string(d.Code) + "\x00" + d.Message
}

// allDiagnostics is what check found plus what rendering found.
func (b *builder) allDiagnostics() diag.List {
	all := append(slices.Clone(b.in.Diagnostics), b.newDiags...)
	all.Sort()
	errs, warns := all.Count()
	b.info.Errors, b.info.Warnings = errs, warns
	return all
}

// page is the data of one page as its layout sees it.
type page struct {
	Path    string
	Kind    string
	Title   string
	Section string // the navigation item the page belongs to
	Site    *siteInfo
	Crumbs  []Link
	Banner  []bannerItem
	Prev    *Link
	Next    *Link
	Data    any

	b            *builder
	inChrome     bool       // rendering a header or footer for reuse
	toc          []tocEntry // the headings written with H2 and H3 (toc.go)
	contents     bool       // the layout placed the table of contents
	filterScript bool       // a filter box loaded filter.js (filter.go)
	texts        int        // fragments with ids shown so far (show)
}

func (b *builder) newPage(path, kind string) *page {
	return &page{Path: path, Kind: kind, Site: b.info, b: b}
}

// chromeKey says what the shared parts of a page depend on.
type chromeKey struct {
	name, kind, root, section string
	pager                     bool
}

// chromeParts is a rendered header or footer, cut where the page's own
// version switcher goes (.Switcher); cut is false when it has none.
type chromeParts struct {
	before, after string
	cut           bool
}

// switcherMark stands for the switcher while a header or footer is
// rendered for reuse. It holds a NUL, which html/template never lets
// through from content, so only .Switcher can produce it.
const switcherMark = "\x00charter-switcher\x00"

// Chrome renders the layout's "header" or "footer" template once per
// directory depth, section and pager, and reuses it: on a site of thousands
// of pages the navigation would otherwise be a good part of the work. The
// version switcher, which links to the page itself in other versions, is
// the one per-page part: it is put in where the template used .Switcher.
func (p *page) Chrome(name string) (template.HTML, error) {
	c, err := p.chromeParts(name)
	if err != nil {
		return "", err
	}
	if !c.cut {
		return template.HTML(c.before), nil
	}
	return template.HTML(c.before + string(p.Switcher()) + c.after), nil
}

func (p *page) chromeParts(name string) (chromeParts, error) {
	if name != "header" && name != "footer" {
		return chromeParts{}, fmt.Errorf("Chrome renders \"header\" or \"footer\", not %q", name)
	}
	key := chromeKey{name, p.Kind, p.Root(), p.Section, p.Prev != nil || p.Next != nil}
	v, ok := p.b.chrome.Load(key)
	if !ok {
		var buf bytes.Buffer
		p.inChrome = true
		err := p.b.theme.sets[p.Kind].ExecuteTemplate(&buf, name, p)
		p.inChrome = false
		if err != nil {
			return chromeParts{}, err
		}
		var c chromeParts
		c.before, c.after, c.cut = strings.Cut(buf.String(), switcherMark)
		v, _ = p.b.chrome.LoadOrStore(key, c)
	}
	return v.(chromeParts), nil
}

// Switcher is the version switcher of a multi-version site: a list of
// every version, each linking to this page in that version when it has
// the page and to its home page otherwise, and a link to the versions
// page. It is empty in a single site. Layouts use it in "header" or
// "footer" (where it is put in per page) or in "main".
func (p *page) Switcher() template.HTML {
	if p.inChrome {
		return switcherMark
	}
	if len(p.b.in.Versions) == 0 {
		return ""
	}
	return fragmentHTML(p.writeSwitcher)
}

// writeSwitcher writes what Switcher returns outside a header or footer
// being rendered for reuse.
func (p *page) writeSwitcher(w *hw) {
	vs := p.b.in.Versions
	if len(vs) == 0 {
		return
	}
	from := p.b.in.VersionDir + "/" + p.Path
	w.Grow(64 * (len(vs) + 1))
	w.raw(`<ul class="version-list">`)
	for i := range vs {
		v := &vs[i]
		target := p.Path
		if !v.has(target) {
			target = links.Home
		}
		w.raw("<li")
		if v.Dir == p.b.in.VersionDir {
			w.raw(` aria-current="true"`)
		}
		w.raw("><a")
		w.attr("href", rel(from, v.Dir+"/"+target))
		w.raw(">")
		w.text(v.Name)
		w.raw("</a>")
		if note := versionNote(v, p.b.in.VersionDir); note != "" {
			w.raw(" ")
			w.muted(note)
		}
		w.raw("</li>")
	}
	w.raw(`<li class="all"><a`)
	w.attr("href", p.Rel(links.Versions))
	w.raw(">All versions</a></li></ul>")
}

// versionNote says what is special about a version: the one shown, the
// latest, uncommitted changes.
func versionNote(v *Version, shown string) string {
	var notes []string
	if v.Dir == shown {
		notes = append(notes, "this version")
	}
	if v.Current {
		notes = append(notes, "latest")
	}
	if v.Dirty {
		notes = append(notes, "uncommitted changes")
	}
	if len(notes) == 0 {
		return ""
	}
	return "(" + strings.Join(notes, ", ") + ")"
}

// Link is a link as a layout renders it; Href is already relative to the
// page. An empty Href renders as plain text.
type Link struct {
	Href  string
	Text  string
	Title string
}

// Head is the stylesheet and script links of the page's head, with the
// prev and next links of a criterion.
func (p *page) Head() template.HTML {
	return fragmentHTML(p.writeHead)
}

func (p *page) writeHead(w *hw) {
	w.raw(`<link rel="stylesheet"`)
	w.attr("href", p.Asset("style.css"))
	w.raw(">")
	if p.Prev != nil {
		w.raw("\n" + `<link rel="prev"`)
		w.attr("href", href(p.Prev.Href))
		w.raw(">")
	}
	if p.Next != nil {
		w.raw("\n" + `<link rel="next"`)
		w.attr("href", href(p.Next.Href))
		w.raw(">")
	}
	w.raw("\n" + `<script`)
	w.attr("src", p.Asset("charter.js"))
	w.raw(" defer></script>")
}

// Breadcrumbs is the breadcrumb navigation of .Crumbs, or nothing.
func (p *page) Breadcrumbs() template.HTML {
	if len(p.Crumbs) == 0 {
		return ""
	}
	return fragmentHTML(p.writeBreadcrumbs)
}

func (p *page) writeBreadcrumbs(w *hw) {
	if len(p.Crumbs) == 0 {
		return
	}
	w.raw("\n" + `<nav class="crumbs" aria-label="Breadcrumb"><ol>`)
	for _, c := range p.Crumbs {
		w.raw("\n  <li>")
		if c.Href != "" {
			w.raw("<a")
			w.attr("href", href(c.Href))
			w.raw(">")
			w.text(c.Text)
			w.raw("</a>")
		} else {
			w.raw(`<span aria-current="page">`)
			w.text(c.Text)
			w.raw("</span>")
		}
		w.raw("</li>")
	}
	w.raw("\n</ol></nav>")
}

// Pager is the previous and next links at the foot of a criterion, or
// nothing.
func (p *page) Pager() template.HTML {
	if p.Prev == nil && p.Next == nil {
		return ""
	}
	return fragmentHTML(p.writePager)
}

func (p *page) writePager(w *hw) {
	if p.Prev == nil && p.Next == nil {
		return
	}
	w.raw("\n" + `<nav class="pager" aria-label="Previous and next">`)
	if l := p.Prev; l != nil {
		w.raw(`<a class="prev" rel="prev"`)
		w.attr("href", href(l.Href))
		w.raw(`><span aria-hidden="true">←</span> `)
		w.text(l.Text)
		w.raw(" ")
		w.muted(l.Title)
		w.raw("</a>")
	}
	if l := p.Next; l != nil {
		w.raw(`<a class="next" rel="next"`)
		w.attr("href", href(l.Href))
		w.raw(">")
		w.text(l.Text)
		w.raw(" ")
		w.muted(l.Title)
		w.raw(` <span aria-hidden="true">→</span></a>`)
	}
	w.raw("\n</nav>")
}

// Rel returns the link from this page to a site-root path.
func (p *page) Rel(target string) string { return rel(p.Path, target) }

// rel is links.Rel (the link from page from to target, both site-root
// paths, target perhaps with a #fragment) in one allocation: pages make
// tens of thousands of links.
func rel(from, target string) string {
	frag := ""
	if i := strings.IndexByte(target, '#'); i >= 0 {
		target, frag = target[:i], target[i:]
	}
	if target == from && frag != "" {
		return frag
	}
	dirEnd := strings.LastIndexByte(from, '/') + 1 // from's directory, with its slash
	common := 0                                    // the directories both share, with the slash
	for i := 0; i < dirEnd && i < len(target) && from[i] == target[i]; i++ {
		if from[i] == '/' {
			common = i + 1
		}
	}
	up := strings.Count(from[common:dirEnd], "/")
	if up == 0 {
		return target[common:] + frag
	}
	var b strings.Builder
	b.Grow(3*up + len(target) - common + len(frag))
	for range up {
		b.WriteString("../")
	}
	b.WriteString(target[common:])
	b.WriteString(frag)
	return b.String()
}

// Asset returns the link from this page to a theme asset.
func (p *page) Asset(name string) string { return rel(p.Path, links.Asset(name)) }

// To returns the link from this page to one of the site's fixed pages:
// home, search, problems, standards, components, documents or
// certifications. Layouts use it instead of writing paths.
func (p *page) To(name string) (string, error) {
	target, ok := map[string]string{
		"home": links.Home, "search": links.Search, "problems": links.Problems,
		"standards": links.Standards, "components": links.Components,
		"documents": links.Documents, "certifications": links.Certifications,
		"changes": links.Changes, "versions": links.Versions,
	}[name]
	if !ok {
		return "", fmt.Errorf("no fixed page %q (have home, search, problems, standards, components, documents, certifications, changes, versions)", name)
	}
	return p.Rel(target), nil
}

// Root is the relative prefix from this page to the site root ("" or
// "../" or "../../"), for scripts that build links.
func (p *page) Root() string { return strings.Repeat("../", strings.Count(p.Path, "/")) }

func (p *page) link(target, text string) Link {
	return Link{Href: rel(p.Path, target), Text: text}
}

// NavItem is an entry of the site navigation.
type NavItem struct {
	Href    string
	Text    string
	Current bool
}

// Nav is the site navigation, with the page's section marked.
func (p *page) Nav() []NavItem {
	items := []struct{ target, text, section string }{
		{links.Home, "Dashboard", "home"},
		{links.Certifications, "Certifications", "certifications"},
		{links.Standards, "Standards", "standards"},
		{links.Components, "Components", "components"},
		{links.Documents, "Policies & procedures", "documents"},
		{links.Problems, "Problems", "problems"},
		{links.Search, "Search", "search"},
	}
	if p.b.in.ChangeManagement != nil {
		items = slices.Insert(items, len(items)-2, struct{ target, text, section string }{links.ChangeMgmt, "Change management", "change-management"})
	}
	if p.b.in.Changes != nil {
		items = slices.Insert(items, len(items)-1, struct{ target, text, section string }{links.Changes, "Changes since " + p.b.in.Changes.From.Name, "changes"})
	}
	out := make([]NavItem, len(items))
	for i, it := range items {
		out[i] = NavItem{Href: p.Rel(it.target), Text: it.text, Current: p.Section == it.section}
		if it.section == "problems" && p.Site.Errors+p.Site.Warnings > 0 {
			out[i].Text = fmt.Sprintf("Problems (%d)", p.Site.Errors+p.Site.Warnings)
		}
	}
	return out
}

func formatDate(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.UTC().Format(time.DateOnly)
}

func datePtr(t *time.Time) string {
	if t == nil {
		return ""
	}
	return formatDate(*t)
}
