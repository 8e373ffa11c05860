package site

import (
	"fmt"
	"html/template"
	"unicode/utf8"

	"github.com/charter-compliance/charter/compiler/coverage"
	"github.com/charter-compliance/charter/compiler/model"
)

// The heat map is an inline SVG with one cell per criterion of a
// certification, a row per family, coloured by status. Each cell is a link
// to its criterion with a text title, so the map reads without colour and
// without a mouse. No script, no style attributes: classes only, so the
// Content-Security-Policy holds.

const (
	hmSide   = 14 // cell side
	hmPitch  = 17 // cell side plus gap
	hmPerRow = 24 // cells before a family wraps
	hmFamGap = 5  // extra space between families
)

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
	longest := 0
	for _, f := range fams {
		longest = max(longest, utf8.RuneCountInString(f.code))
	}
	labelW := min(8+longest*8, 120)
	// a family takes a row of cells per hmPerRow criteria
	y, widest := 0, 0
	for _, f := range fams {
		n := len(f.verdicts)
		widest = max(widest, labelW+(min(n, hmPerRow)-1)*hmPitch+hmSide)
		y += (n-1)/hmPerRow*hmPitch + hmPitch + hmFamGap
	}
	width := max(widest, labelW+hmSide)
	height := max(y-hmFamGap-(hmPitch-hmSide), hmSide)
	title := func() {
		w.raw("Coverage of ")
		w.text(cr.Cert.Name)
		w.raw(": ")
		w.int(cr.Satisfied())
		w.raw(" satisfied, ")
		w.int(cr.NotApplicable())
		w.raw(" not applicable, of ")
		w.int(cr.Total())
	}
	w.raw(`<figure class="heatmap">` + "\n" + `<svg viewBox="0 0 `)
	w.int(width)
	w.raw(" ")
	w.int(height)
	w.raw(`" width="`)
	w.int(width)
	w.raw(`" height="`)
	w.int(height)
	w.raw(`" role="group" aria-label="`)
	title()
	w.raw("\">\n<title>")
	title()
	w.raw("</title>\n")
	y = 0
	for _, f := range fams {
		label := f.code
		if utf8.RuneCountInString(label) > 14 {
			label = string([]rune(label)[:13]) + "…"
		}
		w.raw(`<text class="hm-family" x="0" y="`)
		w.int(y + 11)
		w.raw(`"><title>`)
		w.text(f.name)
		w.raw("</title>")
		w.text(label)
		w.raw("</text>\n")
		y += (len(f.verdicts)-1)/hmPerRow*hmPitch + hmPitch + hmFamGap
	}
	y = 0
	for _, f := range fams {
		for i, v := range f.verdicts {
			x := labelW + (i%hmPerRow)*hmPitch
			if i > 0 && i%hmPerRow == 0 {
				y += hmPitch
			}
			path := ""
			if c := b.ws.Control(v.Standard, v.ID); c != nil {
				path = b.ctrlPath[c]
			}
			if path != "" {
				w.raw(`<a href="`)
				w.rel(p.Path, path)
				w.raw(`" aria-label="`)
				writeVerdictLabel(w, v)
				w.raw(`">`)
			}
			w.raw(`<rect class="st-`)
			w.text(v.Status.String())
			w.raw(`" x="`)
			w.int(x)
			w.raw(`" y="`)
			w.int(y)
			w.raw(`" width="14" height="14" rx="2"><title>`)
			writeVerdictLabel(w, v)
			w.raw("</title></rect>")
			if path != "" {
				w.raw("</a>")
			}
			w.raw("\n")
		}
		y += hmPitch + hmFamGap
	}
	w.raw("</svg>\n</figure>")
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

// barView is a stacked bar of status counts, drawn in SVG with widths in
// thousandths so no style attribute is needed.
type barView struct {
	Title    string
	Segments []barSeg
}

type barSeg struct {
	X, W  int
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
		end := acc * 1000 / total
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
