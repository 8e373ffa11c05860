package site

import (
	"fmt"
	"slices"
	"sort"
	"strings"

	"github.com/charter-compliance/charter/compiler/coverage"
	"github.com/charter-compliance/charter/compiler/diag"
	"github.com/charter-compliance/charter/compiler/links"
	"github.com/charter-compliance/charter/compiler/model"
)

// problemIndex groups diagnostics by file, for the banners on pages built
// from files with errors, and by code, for the Problems page.
type problemIndex struct {
	files  []string // in order
	byFile map[string]diag.List
	codes  []diag.Code // in order
	byCode map[diag.Code]diag.List
}

// newProblemIndex indexes all, which is sorted by position
// (allDiagnostics), so each code's diagnostics come file by file.
func newProblemIndex(all diag.List) *problemIndex {
	p := &problemIndex{byFile: map[string]diag.List{}, byCode: map[diag.Code]diag.List{}}
	for _, d := range all {
		f := d.Pos.File
		if _, ok := p.byFile[f]; !ok {
			p.files = append(p.files, f)
		}
		p.byFile[f] = append(p.byFile[f], d)
		if _, ok := p.byCode[d.Code]; !ok {
			p.codes = append(p.codes, d.Code)
		}
		p.byCode[d.Code] = append(p.byCode[d.Code], d)
	}
	sort.Strings(p.files)
	slices.Sort(p.codes)
	return p
}

// ownPageAbove is the number of diagnostics of one code above which they
// are listed on a page of their own instead of on the Problems page.
const ownPageAbove = 200

// ownPage reports whether code's diagnostics have a page of their own.
func (pi *problemIndex) ownPage(code diag.Code) bool { return len(pi.byCode[code]) > ownPageAbove }

// fileAnchor is the id of a file's section on the Problems page.
func fileAnchor(file string) string {
	if file == "" {
		return "file-command-line"
	}
	return "file-" + links.Slug(file)
}

// bannerItem says that a file a page is built from has errors.
type bannerItem struct {
	File   string
	Errors int
	Link   Link
}

// errorsIn counts the errors in file whose line passes keep (nil keeps all).
func (pi *problemIndex) errorsIn(file string, keep func(line int) bool) int {
	n := 0
	for _, d := range pi.byFile[file] {
		if d.Severity == diag.Error && (keep == nil || keep(d.Pos.Line)) {
			n++
		}
	}
	return n
}

// banner builds the banner of page p from the files it shows.
func (b *builder) banner(p *page, parts ...bannerPart) []bannerItem {
	var out []bannerItem
	seen := map[string]int{}
	for _, part := range parts {
		n := b.problems.errorsIn(part.file, part.keep)
		if n == 0 {
			continue
		}
		if i, ok := seen[part.file]; ok {
			out[i].Errors += n
			continue
		}
		seen[part.file] = len(out)
		out = append(out, bannerItem{File: part.file, Errors: n, Link: p.link(links.Problems+"#"+fileAnchor(part.file), part.file)})
	}
	for i := range out {
		out[i].Link.Text = fmt.Sprintf("%s (%d %s)", out[i].File, out[i].Errors, plural(out[i].Errors, "error", "errors"))
	}
	return out
}

type bannerPart struct {
	file string
	keep func(line int) bool
}

// wholeFile is every diagnostic of a file.
func wholeFile(file string) bannerPart { return bannerPart{file: file} }

// satisfactionLines keeps the diagnostics of a component's file that fall
// inside its satisfactions of control k.
func satisfactionLines(comp *model.Component, k coverage.Key) bannerPart {
	var spans []satSpan
	return bannerPart{file: comp.File, keep: func(line int) bool {
		if spans == nil {
			spans = satSpans(comp)
		}
		for i, s := range spans {
			end := int(^uint(0) >> 1)
			if i+1 < len(spans) {
				end = spans[i+1].from
			}
			if s.key == k && line >= s.from && line < end {
				return true
			}
		}
		return false
	}}
}

// satSpan is where a satisfaction starts in its component's file.
type satSpan struct {
	from int
	key  coverage.Key
}

// satSpans lists the first line of each satisfaction of comp, in line
// order, to find the satisfaction a diagnostic falls in.
func satSpans(comp *model.Component) []satSpan {
	spans := make([]satSpan, 0, len(comp.Satisfies))
	for _, s := range comp.Satisfies {
		spans = append(spans, satSpan{from: s.Pos.Line, key: coverage.Key{Standard: s.StandardKey, ID: s.ControlKey}})
	}
	slices.SortStableFunc(spans, func(a, b satSpan) int { return a.from - b.from })
	return spans
}

// controlLines keeps the diagnostics of a standard file that fall between
// control i's line and the next control's.
func controlLines(file string, from, to int) bannerPart {
	return bannerPart{file: file, keep: func(line int) bool { return line >= from && (to == 0 || line < to) }}
}

func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}

// ---- the Problems page and the pages of codes with many problems ----

// problemsView is the Problems page (Code nil) or the page of one code.
type problemsView struct {
	Errors   int
	Warnings int
	Codes    []problemCode // every code, for the summary table
	Files    []problemFile // every file, for the summary table
	// Listed are the codes whose diagnostics this page lists: those
	// without a page of their own on the Problems page, else its code.
	Listed []problemCode
	Code   *problemCode // the code of a code's own page
	Home   Link         // the Problems page, from a code's page
}

// problemCode is one diagnostic code and what it was found in.
type problemCode struct {
	Code     string
	Meaning  string
	Anchor   string // its section on the Problems page
	Link     Link   // where its diagnostics are listed
	OwnPage  bool
	N        int
	Errors   int
	Warnings int
	Groups   []problemGroup // only where its diagnostics are listed
}

// problemGroup is the diagnostics of one code in one file.
type problemGroup struct {
	File   string
	Anchor string
	Page   *Link // the page that shows the file
	Diags  []problemRow
}

// problemFile is a row of the files table: the file's counts and where its
// diagnostics are listed, code by code. Its Anchor is where banners link.
type problemFile struct {
	File   string
	Anchor string
	Page   *Link
	N      int
	Errors int
	Codes  []Link // one per code: "OC104 (3)"
}

type problemRow struct {
	Severity string
	Code     string
	Pos      string
	Message  string
	Hint     string
	Source   string
	Caret    string
	Notes    []string
}

// planProblemPages adds a page for each code with more diagnostics than
// ownPageAbove. It runs once the diagnostics are known (after plan and
// renderDocuments); the paths live under problems/, which nothing else
// uses.
func (b *builder) planProblemPages() {
	for _, code := range b.problems.codes {
		if !b.problems.ownPage(code) {
			continue
		}
		path := links.ProblemCode(string(code))
		b.owner[path] = "the problems of code " + string(code)
		b.add(path, "problems", func(p *page) { b.problemCodePage(p, code) })
	}
}

// problemTarget is where the diagnostics of code in file are listed, as a
// site-root path with its fragment.
func (b *builder) problemTarget(code diag.Code, file string) string {
	if b.problems.ownPage(code) {
		return links.ProblemCode(string(code)) + "#" + fileAnchor(file)
	}
	return links.Problems + "#" + codeAnchor(code) + "-" + fileAnchor(file)
}

// codeAnchor is the id of a code's section on the Problems page.
func codeAnchor(code diag.Code) string { return "code-" + links.Slug(string(code)) }

func (b *builder) problemsPage(p *page) {
	p.Title = "Problems"
	p.Section = "problems"
	b.crumbs(p, Link{Text: "Problems"})
	pv := problemsView{Errors: b.info.Errors, Warnings: b.info.Warnings}
	pages := b.pagesByFile(p)
	for _, code := range b.problems.codes {
		pc := b.problemCode(p, code)
		if !pc.OwnPage {
			pc.Groups = b.problemGroups(p, code, pages, codeAnchor(code)+"-")
			pv.Listed = append(pv.Listed, pc)
		}
		pv.Codes = append(pv.Codes, pc)
	}
	for _, f := range b.problems.files {
		pf := problemFile{File: displayFile(f), Anchor: fileAnchor(f), N: len(b.problems.byFile[f]), Errors: b.problems.errorsIn(f, nil)}
		if l, ok := pages[f]; ok {
			pf.Page = &l
		}
		counts := map[diag.Code]int{}
		var codes []diag.Code
		for _, d := range b.problems.byFile[f] {
			if counts[d.Code] == 0 {
				codes = append(codes, d.Code)
			}
			counts[d.Code]++
		}
		slices.Sort(codes)
		for _, c := range codes {
			pf.Codes = append(pf.Codes, p.link(b.problemTarget(c, f), fmt.Sprintf("%s (%d)", c, counts[c])))
		}
		pv.Files = append(pv.Files, pf)
	}
	p.Data = pv
}

// problemCodePage lists the diagnostics of one code, by file.
func (b *builder) problemCodePage(p *page, code diag.Code) {
	p.Title = "Problems: " + string(code)
	p.Section = "problems"
	b.crumbs(p, Link{Text: "Problems", Href: p.Rel(links.Problems)}, Link{Text: string(code)})
	pc := b.problemCode(p, code)
	pc.Groups = b.problemGroups(p, code, b.pagesByFile(p), "")
	p.Data = problemsView{Errors: b.info.Errors, Warnings: b.info.Warnings, Listed: []problemCode{pc}, Code: &pc, Home: p.link(links.Problems, "all problems")}
}

// problemCode is code's summary as page p links to it.
func (b *builder) problemCode(p *page, code diag.Code) problemCode {
	ds := b.problems.byCode[code]
	pc := problemCode{Code: string(code), Meaning: diag.Description[code], Anchor: codeAnchor(code), OwnPage: b.problems.ownPage(code), N: len(ds)}
	for _, d := range ds {
		if d.Severity == diag.Error {
			pc.Errors++
		} else {
			pc.Warnings++
		}
	}
	if pc.OwnPage {
		pc.Link = p.link(links.ProblemCode(string(code)), string(code))
	} else {
		pc.Link = p.link(links.Problems+"#"+pc.Anchor, string(code))
	}
	return pc
}

// problemGroups is the diagnostics of code, by file in file order, each
// group's anchor prefixed with prefix.
func (b *builder) problemGroups(p *page, code diag.Code, pages map[string]Link, prefix string) []problemGroup {
	var out []problemGroup
	for _, d := range b.problems.byCode[code] {
		f := d.Pos.File
		if len(out) == 0 || out[len(out)-1].Anchor != prefix+fileAnchor(f) {
			g := problemGroup{File: displayFile(f), Anchor: prefix + fileAnchor(f)}
			if l, ok := pages[f]; ok {
				g.Page = &l
			}
			out = append(out, g)
		}
		g := &out[len(out)-1]
		g.Diags = append(g.Diags, problemRowOf(d))
	}
	return out
}

// displayFile is how the Problems page names a diagnostic's file.
func displayFile(f string) string {
	if f == "" {
		return "(command line)"
	}
	return f
}

func problemRowOf(d diag.Diagnostic) problemRow {
	row := problemRow{Severity: d.Severity.String(), Code: string(d.Code), Pos: d.Pos.String(), Message: d.Message, Hint: d.Hint, Source: d.Source}
	if d.Source != "" && d.Pos.Col > 0 {
		row.Caret = caret(d.Source, d.Pos.Col)
	}
	for _, n := range d.Notes {
		row.Notes = append(row.Notes, n.Pos.String()+": "+n.Message)
	}
	return row
}

// caret is the line under a source line pointing at a 1-based column.
func caret(line string, col int) string {
	var b strings.Builder
	n := 0
	for _, r := range line {
		n++
		if n >= col {
			break
		}
		if r == '\t' {
			b.WriteByte('\t')
		} else {
			b.WriteByte(' ')
		}
	}
	b.WriteByte('^')
	return b.String()
}

// pagesByFile maps source files to the page that shows them.
func (b *builder) pagesByFile(p *page) map[string]Link {
	m := map[string]Link{}
	for _, s := range b.ws.Standards {
		if b.paged[s] {
			m[s.File] = p.link(links.Standard(s.Name), "standard "+s.Name)
		}
	}
	for _, c := range b.ws.Components {
		if b.componentPaged(c.Key) {
			m[c.File] = p.link(links.Component(c.Key), "component "+componentName(c))
		}
	}
	for _, d := range b.ws.Documents {
		if b.documentPaged(d) {
			m[d.File] = p.link(links.Document(d.ID), docTitle(d))
		}
	}
	for _, c := range b.ws.Certifications {
		if l := b.certLink(p, c); l.Href != "" {
			m[c.File] = p.link(links.Certification(c.Name), "certification "+c.Name)
		}
	}
	m["opencontrol.yaml"] = p.link(links.Home, "the dashboard")
	m["charter.yaml"] = p.link(links.Home, "the dashboard")
	return m
}
