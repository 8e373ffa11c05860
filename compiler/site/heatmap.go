package site

import (
	"fmt"
	"unicode/utf8"

	"github.com/charter-compliance/charter/compiler/coverage"
	"github.com/charter-compliance/charter/compiler/links"
	"github.com/charter-compliance/charter/compiler/model"
)

// heatmapView is an inline SVG with one cell per criterion of a
// certification, a row per family, coloured by status. Each cell is a link
// to its criterion with a text title, so the map reads without colour and
// without a mouse. No script, no style attributes: classes only, so the
// Content-Security-Policy holds.
type heatmapView struct {
	Title    string
	Width    int
	Height   int
	Families []hmFamily
	Cells    []hmCell
	Cell     int
}

type hmFamily struct {
	Label string // the family code, as drawn
	Name  string // the family's full name, as its title
	Y     int    // baseline of the label
}

type hmCell struct {
	X, Y  int
	Href  string
	Class string
	Label string
}

const (
	hmSide   = 14 // cell side
	hmPitch  = 17 // cell side plus gap
	hmPerRow = 24 // cells before a family wraps
	hmFamGap = 5  // extra space between families
)

// heatmap draws the certification's verdicts for page p.
func (b *builder) heatmap(p *page, cr *coverage.Certification) *heatmapView {
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
	h := &heatmapView{Title: fmt.Sprintf("Coverage of %s: %d of %d criteria closed", cr.Cert.Name, cr.Done(), cr.Total()), Cell: hmSide}
	y := 0
	widest := 0
	for _, f := range fams {
		label := f.code
		if utf8.RuneCountInString(label) > 14 {
			label = string([]rune(label)[:13]) + "…"
		}
		h.Families = append(h.Families, hmFamily{Label: label, Name: f.name, Y: y + 11})
		for i, v := range f.verdicts {
			x := labelW + (i%hmPerRow)*hmPitch
			if i > 0 && i%hmPerRow == 0 {
				y += hmPitch
			}
			widest = max(widest, x+hmSide)
			c := hmCell{X: x, Y: y, Class: "st-" + v.Status.String(), Label: verdictLabel(v)}
			if b.controlPaged(v.Standard, v.ID) {
				c.Href = p.Rel(links.Control(v.Standard, v.ID))
			}
			h.Cells = append(h.Cells, c)
		}
		y += hmPitch + hmFamGap
	}
	h.Width = max(widest, labelW+hmSide)
	h.Height = max(y-hmFamGap-(hmPitch-hmSide), hmSide)
	return h
}

func verdictLabel(v *coverage.Verdict) string {
	s := v.ID
	if v.Control != nil && v.Control.Name != "" {
		s += " " + v.Control.Name
	}
	if v.Control == nil {
		s += " (not defined by " + v.Standard + ")"
	}
	return s + ": " + v.Status.String()
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
