// Package coverage computes, once, the verdict for every control: the best
// evidence found on the status lattice (see model.Status), and the evidence
// behind it. The terminal report, the site and every export read the same
// Report, so they can never disagree.
package coverage

import (
	"slices"
	"time"

	"github.com/charter-compliance/charter/compiler/model"
)

// EvidenceKind says where evidence comes from.
type EvidenceKind string

const (
	FromComponent EvidenceKind = "component"
	FromDocument  EvidenceKind = "document"
)

// Evidence is one claim that a control is met, and what it is worth.
type Evidence struct {
	Kind         EvidenceKind
	Status       model.Status
	Component    *model.Component    // for FromComponent
	Satisfaction *model.Satisfaction // for FromComponent
	Document     *model.Document     // for FromDocument
	Reason       string              // why the evidence has this status
}

// Key names a control across standards: the same ID in two standards never
// collides.
type Key struct{ Standard, ID string }

// Verdict is the outcome for one control.
type Verdict struct {
	Key
	Control  *model.Control // nil when the standard does not define it
	Status   model.Status
	Evidence []Evidence // best first
}

// Certification is the outcome for one certification.
type Certification struct {
	Cert     *model.Certification
	Verdicts []*Verdict // in the certification's control order
	Counts   map[model.Status]int
}

// Total returns the number of controls the certification requires.
func (c *Certification) Total() int { return len(c.Verdicts) }

// Done returns how many controls are satisfied or not applicable.
func (c *Certification) Done() int { return c.Counts[model.Satisfied] + c.Counts[model.NotApplicable] }

// Complete reports whether every control is closed.
func (c *Certification) Complete() bool { return c.Done() == c.Total() }

// Gaps returns the verdicts that are not closed.
func (c *Certification) Gaps() []*Verdict {
	var out []*Verdict
	for _, v := range c.Verdicts {
		if !v.Status.Done() {
			out = append(out, v)
		}
	}
	return out
}

// Report is coverage for a whole workspace.
type Report struct {
	AsOf           time.Time
	Certifications []*Certification // in workspace order
	verdicts       map[Key]*Verdict
}

// Verdict returns the verdict for any control of a loaded standard (status
// missing with no evidence when nothing claims it), or nil for an unknown
// control.
func (r *Report) Verdict(standard, control string) *Verdict {
	return r.verdicts[Key{standard, control}]
}

// Certification returns the result for the named certification, or nil.
func (r *Report) Certification(name string) *Certification {
	for _, c := range r.Certifications {
		if c.Cert.Name == name {
			return c
		}
	}
	return nil
}

// Compute judges every control of ws on the day asOf (documents count only
// when in force on that day).
func Compute(ws *model.Workspace, asOf time.Time) *Report {
	r := &Report{AsOf: asOf, verdicts: map[Key]*Verdict{}}
	for _, s := range ws.Standards {
		for _, c := range s.Controls {
			r.verdicts[Key{s.Name, c.ID}] = &Verdict{Key: Key{s.Name, c.ID}, Control: c}
		}
	}
	for _, comp := range ws.Components {
		for _, s := range comp.Satisfies {
			v := r.verdicts[Key{s.StandardKey, s.ControlKey}]
			if v == nil {
				continue // unknown standard or control: check reports it
			}
			e := Evidence{Kind: FromComponent, Component: comp, Satisfaction: s, Status: s.Verdict()}
			e.Reason = componentReason(s, e.Status)
			v.Evidence = append(v.Evidence, e)
		}
	}
	for _, d := range ws.Documents {
		for _, cl := range d.Satisfies {
			v := r.verdicts[Key{cl.Standard, cl.Control}]
			if v == nil {
				continue
			}
			e := Evidence{Kind: FromDocument, Document: d}
			switch {
			case d.InForce(asOf):
				e.Status, e.Reason = model.Satisfied, "approved and in force"
			case d.Status == "approved":
				e.Status, e.Reason = model.Planned, "approved but not yet effective"
			default:
				e.Status, e.Reason = model.Planned, "draft: not in force"
			}
			v.Evidence = append(v.Evidence, e)
		}
	}
	for _, v := range r.verdicts {
		slices.SortStableFunc(v.Evidence, func(a, b Evidence) int {
			if a.Status.Rank() != b.Status.Rank() {
				return b.Status.Rank() - a.Status.Rank()
			}
			if a.Kind != b.Kind {
				if a.Kind == FromComponent {
					return -1
				}
				return 1
			}
			return compareNames(a, b)
		})
		if len(v.Evidence) > 0 {
			v.Status = v.Evidence[0].Status
		}
	}
	for _, cert := range ws.Certifications {
		cr := &Certification{Cert: cert, Counts: map[model.Status]int{}}
		for _, cc := range cert.Controls {
			v := r.verdicts[Key{cc.Standard, cc.Control}]
			if v == nil {
				// unknown to its standard: reported by check, and a gap here
				v = &Verdict{Key: Key{cc.Standard, cc.Control}}
			}
			cr.Verdicts = append(cr.Verdicts, v)
			cr.Counts[v.Status]++
		}
		r.Certifications = append(r.Certifications, cr)
	}
	return r
}

func compareNames(a, b Evidence) int {
	an, bn := evidenceName(a), evidenceName(b)
	switch {
	case an < bn:
		return -1
	case an > bn:
		return 1
	}
	return 0
}

func evidenceName(e Evidence) string {
	if e.Kind == FromComponent {
		return e.Component.Key
	}
	return e.Document.ID
}

func componentReason(s *model.Satisfaction, st model.Status) string {
	switch {
	case len(s.Statuses) == 0:
		return "no implementation status given"
	case !s.HasNarrative() && st == model.Partial:
		return "marked done but has no narrative"
	case len(s.Statuses) > 1:
		return "statuses " + joinRaw(s.Statuses)
	}
	return "status " + s.Statuses[0].Raw
}

func joinRaw(vs []model.StatusValue) string {
	out := ""
	for i, v := range vs {
		if i > 0 {
			out += ", "
		}
		out += v.Raw
	}
	return out
}
