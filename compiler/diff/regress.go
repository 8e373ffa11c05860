package diff

import (
	"fmt"
	"strings"

	"github.com/charter-compliance/charter/compiler/coverage"
	"github.com/charter-compliance/charter/compiler/diag"
	"github.com/charter-compliance/charter/compiler/model"
)

// Regression is a criterion whose verdict is worse on the To side of a
// report than on its From side, with the evidence that changed.
type Regression struct {
	Standard string `json:"standard"`
	Control  string `json:"control"`
	Title    string `json:"title,omitempty"`
	// Certifications names, in name order, the certifications that
	// require the criterion on both sides.
	Certifications []string       `json:"certifications"`
	From           model.Status   `json:"from"`
	To             model.Status   `json:"to"`
	Evidence       []EvidenceDiff `json:"evidence"`
	// Pos is where the To side states the criterion: its best remaining
	// evidence, else where a certification requires it.
	Pos diag.Pos `json:"position"`
}

// EvidenceDiff is one piece of a criterion's evidence (a component's
// satisfaction or a document's claim) whose status or reason differs
// between the sides, or that exists on one side only.
type EvidenceDiff struct {
	Kind string `json:"kind"` // component or document
	Key  string `json:"key"`  // component key or document id
	Name string `json:"name,omitempty"`
	// From and To are the evidence's status on each side; nil where it
	// does not exist.
	From       *model.Status `json:"from"`
	To         *model.Status `json:"to"`
	FromReason string        `json:"from_reason,omitempty"`
	ToReason   string        `json:"to_reason,omitempty"`
	Pos        diag.Pos      `json:"position"`                // on the To side; zero for removed evidence
	FromPos    diag.Pos      `json:"from_position,omitempty"` // on the From side; zero for new evidence
}

// Regressions lists the criteria whose verdict moved down the status
// lattice from one side to the other, in (standard, control) order. It
// reads the certification changes of Compare's report r, so a criterion
// counts only where a certification requires it on both sides: one that a
// certification newly requires, or no longer does, has no earlier verdict
// to fall from.
func Regressions(r *Report, from, to Side) []Regression {
	byKey := map[coverage.Key]*Regression{}
	for _, c := range r.Certifications {
		for _, vc := range c.Verdicts {
			if vc.Change != Worsened {
				continue
			}
			k := coverage.Key{Standard: vc.Standard, ID: vc.Control}
			if g := byKey[k]; g != nil {
				g.Certifications = append(g.Certifications, c.Name)
				continue
			}
			byKey[k] = &Regression{Standard: vc.Standard, Control: vc.Control, Title: vc.Title,
				Certifications: []string{c.Name}, From: *vc.From, To: *vc.To}
		}
	}
	out := make([]Regression, 0, len(byKey))
	for _, k := range sortedKeys(setOfKeys(byKey), compareKeys) {
		g := byKey[k]
		a, b := from.Coverage.Verdict(k.Standard, k.ID), to.Coverage.Verdict(k.Standard, k.ID)
		g.Evidence = evidenceDiffs(a, b)
		g.Pos = position(to.Workspace, b, g.Certifications)
		out = append(out, *g)
	}
	return out
}

func setOfKeys(m map[coverage.Key]*Regression) map[coverage.Key]bool {
	s := make(map[coverage.Key]bool, len(m))
	for k := range m {
		s[k] = true
	}
	return s
}

// evidenceID names a piece of evidence across both sides.
type evidenceID struct{ kind, key string }

func idOf(e coverage.Evidence) evidenceID {
	if e.Kind == coverage.FromComponent {
		return evidenceID{"component", e.Component.Key}
	}
	return evidenceID{"document", e.Document.ID}
}

func nameOf(e coverage.Evidence) string {
	if e.Kind == coverage.FromComponent {
		return e.Component.Name
	}
	return e.Document.Title
}

// evidencePos is where the evidence states its claim of the criterion.
func evidencePos(e coverage.Evidence, k coverage.Key) diag.Pos {
	if e.Kind == coverage.FromComponent {
		return e.Satisfaction.Pos
	}
	for _, cl := range e.Document.Satisfies {
		if cl.Standard == k.Standard && cl.Control == k.ID {
			return cl.Pos
		}
	}
	return e.Document.Pos
}

func evidenceDiffs(a, b *coverage.Verdict) []EvidenceDiff {
	type pair struct{ from, to *coverage.Evidence }
	pairs := map[evidenceID]*pair{}
	var order []evidenceID
	add := func(v *coverage.Verdict, to bool) {
		if v == nil {
			return
		}
		for i := range v.Evidence {
			e := &v.Evidence[i]
			id := idOf(*e)
			p := pairs[id]
			if p == nil {
				p = &pair{}
				pairs[id] = p
				order = append(order, id)
			}
			if to {
				p.to = e
			} else {
				p.from = e
			}
		}
	}
	add(b, true) // the To side's evidence first, best first
	add(a, false)
	out := []EvidenceDiff{}
	for _, id := range order {
		p := pairs[id]
		d := EvidenceDiff{Kind: id.kind, Key: id.key}
		if p.from != nil {
			s := p.from.Status
			d.From, d.FromReason, d.Name = &s, p.from.Reason, nameOf(*p.from)
			d.FromPos = evidencePos(*p.from, a.Key)
		}
		if p.to != nil {
			s := p.to.Status
			d.To, d.ToReason, d.Name = &s, p.to.Reason, nameOf(*p.to)
			d.Pos = evidencePos(*p.to, b.Key)
		}
		if p.from != nil && p.to != nil && *d.From == *d.To && d.FromReason == d.ToReason {
			continue // unchanged
		}
		out = append(out, d)
	}
	return out
}

// position is where a regression is reported: the To side's best evidence
// of the criterion, else the first certification's entry for it, else that
// certification's file.
func position(ws *model.Workspace, v *coverage.Verdict, certs []string) diag.Pos {
	if v != nil && len(v.Evidence) > 0 {
		return evidencePos(v.Evidence[0], v.Key)
	}
	for _, name := range certs {
		if c := ws.Certification(name); c != nil {
			for _, cc := range c.Controls {
				if v != nil && cc.Standard == v.Standard && cc.Control == v.ID {
					return cc.Pos
				}
			}
			return c.Pos
		}
	}
	return diag.Pos{}
}

// Diagnostic is the regression as check reports it, under code: the
// criterion's old and new verdict, and a note for each piece of evidence
// that changed, at the place it is written now (evidence that is gone is
// noted at the regression, saying where it was at base).
func (g Regression) Diagnostic(code diag.Code, base string) diag.Diagnostic {
	what := g.Standard + " " + g.Control
	if g.Title != "" {
		what += " (" + g.Title + ")"
	}
	d := diag.Diagnostic{Severity: diag.Error, Code: code, Pos: g.Pos,
		Message: fmt.Sprintf("%s regressed against %s: %s → %s, required by %s", what, base, g.From, g.To, strings.Join(g.Certifications, ", ")),
		Hint:    fmt.Sprintf("restore or improve the evidence the notes name, so that the verdict is %s again", g.From)}
	for _, e := range g.Evidence {
		pos := e.Pos
		if pos.File == "" {
			pos = g.Pos
		}
		d.Notes = append(d.Notes, diag.Note{Pos: pos, Message: e.Describe(base)})
	}
	if len(g.Evidence) == 0 {
		d.Notes = append(d.Notes, diag.Note{Pos: g.Pos, Message: "no single claim changed: the verdict follows from how the claims combine"})
	}
	return d
}

// Describe says how one piece of evidence changed since base.
func (e EvidenceDiff) Describe(base string) string {
	who := e.Kind + " " + e.Key
	if e.Name != "" && e.Name != e.Key {
		who += " (" + e.Name + ")"
	}
	switch {
	case e.To == nil:
		s := fmt.Sprintf("%s no longer claims it; at %s it was %s%s", who, base, e.From, reason(e.FromReason))
		if e.FromPos.File != "" {
			s += ", in " + e.FromPos.String()
		}
		return s
	case e.From == nil:
		return fmt.Sprintf("%s claims it anew: %s%s", who, e.To, reason(e.ToReason))
	case *e.From == *e.To:
		return fmt.Sprintf("%s: %s%s; at %s%s", who, e.To, reason(e.ToReason), base, reason(e.FromReason))
	}
	s := fmt.Sprintf("%s: %s → %s%s", who, e.From, e.To, reason(e.ToReason))
	if e.FromReason != "" && e.FromReason != e.ToReason {
		s += "; at " + base + reason(e.FromReason)
	}
	return s
}

func reason(r string) string {
	if r == "" {
		return ""
	}
	return " (" + r + ")"
}
