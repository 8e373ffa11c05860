package site

import (
	"fmt"
	"slices"
	"sort"

	"github.com/charter-compliance/charter/compiler/coverage"
	"github.com/charter-compliance/charter/compiler/diag"
	"github.com/charter-compliance/charter/compiler/links"
	"github.com/charter-compliance/charter/compiler/model"
)

// problemIndex groups diagnostics by file, for the Problems page and for the
// banners on pages built from files with errors.
type problemIndex struct {
	files  []string // in order
	byFile map[string]diag.List
}

func newProblemIndex(all diag.List) *problemIndex {
	p := &problemIndex{byFile: map[string]diag.List{}}
	for _, d := range all {
		f := d.Pos.File
		if _, ok := p.byFile[f]; !ok {
			p.files = append(p.files, f)
		}
		p.byFile[f] = append(p.byFile[f], d)
	}
	sort.Strings(p.files)
	return p
}

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
