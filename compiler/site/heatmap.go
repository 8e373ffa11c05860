package site

import (
	"fmt"
	"html/template"
	"unicode/utf8"

	"github.com/charter-compliance/charter/compiler/coverage"
	"github.com/charter-compliance/charter/compiler/model"
)

// The heat map is a grid with one square per criterion of a certification,
// a row per family. Each square is a link to its criterion whose title names
// the criterion and its verdict; the stylesheet gives it its status's colour
// and shape (.st-*), so the map reads without colour, in greyscale and
// without a mouse. The squares wrap to the width of the screen and grow to
// touch size on phones. charter.js makes the map one tab stop with arrow
// keys inside; without script every square is a link in the tab order. No
// style attributes: classes only, so the Content-Security-Policy holds.

// heatmapHTML draws the certification's verdicts for page p.
func (b *builder) heatmapHTML(p *page, cr *coverage.Certification) template.HTML {
	return fragmentHTML(func(w *hw) { b.writeHeatmap(w, p, cr) })
}

// writeHeatmap writes what heatmapHTML returns.
func (b *builder) writeHeatmap(w *hw, p *page, cr *coverage.Certification) {
	type fam struct {
		code, name string
		verdicts   []*coverage.Verdict
	}
	var fams []*fam
	byKey := map[string]*fam{}
	for _, v := range cr.Verdicts {
		code, name := familyOf(b.ws, v)
		key := v.Standard + "\x00" + code
		f := byKey[key]
		if f == nil {
			f = &fam{code: code, name: name}
			byKey[key] = f
			fams = append(fams, f)
		}
		f.verdicts = append(f.verdicts, v)
	}
	w.raw(`<figure class="heatmap">` + "\n" + `<div class="hm" role="group" aria-label="Coverage of `)
	w.text(cr.Cert.Name)
	w.raw(": ")
	w.int(cr.Satisfied())
	w.raw(" satisfied, ")
	w.int(cr.NotApplicable())
	w.raw(" not applicable, of ")
	w.int(cr.Total())
	w.raw("\">\n")
	for _, f := range fams {
		label := f.code
		if utf8.RuneCountInString(label) > 14 {
			label = string([]rune(label)[:13]) + "…"
		}
		w.raw(`<span class="hm-family" title="`)
		w.text(f.name)
		w.raw(`">`)
		w.text(label)
		w.raw(`</span><span class="hm-cells">`)
		for _, v := range f.verdicts {
			path := ""
			if c := b.ws.Control(v.Standard, v.ID); c != nil {
				path = b.ctrlPath[c]
			}
			if path != "" {
				w.raw(`<a class="st-`)
				w.text(v.Status.String())
				w.raw(`" href="`)
				w.rel(p.Path, path)
				w.raw(`" title="`)
				writeVerdictLabel(w, v)
				w.raw(`"></a>`)
			} else {
				w.raw(`<span class="st-`)
				w.text(v.Status.String())
				w.raw(`" role="img" title="`)
				writeVerdictLabel(w, v)
				w.raw(`"></span>`)
			}
		}
		w.raw("</span>\n")
	}
	w.raw(`</div>` + "\n" + `<figcaption class="hm-keys muted" hidden>Tab to the map, then move with the arrow keys, Home and End; Enter opens the criterion. <span class="hm-focus" aria-hidden="true"></span></figcaption>` + "\n</figure>")
}

// writeVerdictLabel writes a criterion's ID, title and status, escaped.
func writeVerdictLabel(w *hw, v *coverage.Verdict) {
	w.text(v.ID)
	if v.Control != nil && v.Control.Name != "" {
		w.raw(" ")
		w.text(v.Control.Name)
	}
	if v.Control == nil {
		w.raw(" (not defined by ")
		w.text(v.Standard)
		w.raw(")")
	}
	w.raw(": ")
	w.text(v.Status.String())
}

// familyOf returns a verdict's family code and name.
func familyOf(ws *model.Workspace, v *coverage.Verdict) (code, name string) {
	if v.Control == nil {
		return "?", "criteria not defined by their standard"
	}
	code = v.Control.Family
	if code == "" {
		return "—", "no family"
	}
	if s := ws.Standard(v.Standard); s != nil {
		name = s.Families[code]
	}
	if name == "" {
		name = code
	} else {
		name = code + " " + name
	}
	return code, name
}

// barView is a stacked bar of status counts. Its segments' widths are
// whole percents, each a class of the stylesheet (.tally > .w1 to .w100), so no
// style attribute is needed; a segment too small to round to 1% is left
// out of the bar (the counts beside it still name it).
type barView struct {
	Title    string
	Segments []barSeg
}

type barSeg struct {
	X, W  int // percent of the bar
	Class string
	Label string
}

func bar(counts map[model.Status]int, total int, title string) *barView {
	bv := &barView{Title: title}
	if total == 0 {
		return bv
	}
	acc, x := 0, 0
	for _, st := range model.AllStatuses {
		n := counts[st]
		if n == 0 {
			continue
		}
		acc += n
		end := (acc*100 + total/2) / total
		if end == x {
			continue
		}
		bv.Segments = append(bv.Segments, barSeg{X: x, W: end - x, Class: "st-" + st.String(), Label: fmt.Sprintf("%s: %d", st, n)})
		x = end
	}
	return bv
}

// statusCount is one status and how many criteria have it.
type statusCount struct {
	Status model.Status
	N      int
}

func countsOf(counts map[model.Status]int) []statusCount {
	var out []statusCount
	for _, st := range model.AllStatuses {
		if n := counts[st]; n > 0 {
			out = append(out, statusCount{st, n})
		}
	}
	return out
}

func percent(done, total int) string {
	if total == 0 {
		return "–"
	}
	return fmt.Sprintf("%d%%", done*100/total)
}
