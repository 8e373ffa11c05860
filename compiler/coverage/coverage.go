// Package coverage computes, once, the verdict for every control: the best
// implementation claim found on the status lattice (see model.Status), the
// evidence behind it, and the claims it leaves open. A not-applicable claim
// never outranks an implementation claim: a control is not applicable only
// when every claim of it is. The terminal report, the site and every export read the same
// Report, so they can never disagree.
package coverage

import (
	"fmt"
	"runtime"
	"slices"
	"strings"
	"sync"
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
	Evidence []Evidence // best first; not-applicable claims after the rest
	// Open counts the components' claims that do not close the control
	// (partial, planned, unknown or none) beside the verdict: a satisfied
	// control with open claims is "satisfied, 2 open claims".
	Open int
}

// OpenClaims returns the components' claims that do not close the control.
func (v *Verdict) OpenClaims() []Evidence {
	var out []Evidence
	for _, e := range v.Evidence {
		if e.open() {
			out = append(out, e)
		}
	}
	return out
}

func (e Evidence) open() bool { return e.Kind == FromComponent && !e.Status.Done() }

// Certification is the outcome for one certification.
type Certification struct {
	Cert     *model.Certification
	Verdicts []*Verdict // in the certification's control order
	Counts   map[model.Status]int
	// Open counts the satisfied controls that carry open claims.
	Open int
}

// Total returns the number of controls the certification requires.
func (c *Certification) Total() int { return len(c.Verdicts) }

// Satisfied returns how many controls are satisfied (not counting those
// not applicable): the N of "N satisfied, M not applicable, of T".
func (c *Certification) Satisfied() int { return c.Counts[model.Satisfied] }

// NotApplicable returns how many controls are not applicable.
func (c *Certification) NotApplicable() int { return c.Counts[model.NotApplicable] }

// Done returns how many controls are closed: satisfied or not applicable.
func (c *Certification) Done() int { return c.Satisfied() + c.NotApplicable() }

// Headline says "N satisfied, M not applicable, of T": the one vocabulary
// every output uses for a certification's result.
func (c *Certification) Headline() string {
	return Headline(c.Satisfied(), c.NotApplicable(), c.Total())
}

// Headline says "N satisfied, M not applicable, of T" for counts kept
// apart from a Certification (a diff's sides).
func Headline(satisfied, notApplicable, total int) string {
	return fmt.Sprintf("%d satisfied, %d not applicable, of %d", satisfied, notApplicable, total)
}

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
	AsOf time.Time
	// RequireClosedClaims is charter.yaml's gate_requires_closed_claims: a
	// gate fails while a satisfied control carries open claims.
	RequireClosedClaims bool
	Certifications      []*Certification // in workspace order
	verdicts            []Verdict        // one per control of every loaded standard
	index               map[Key]int32    // into verdicts
	claims              map[*model.Satisfaction]model.Status
}

// ClaimStatus is what the satisfaction s is worth as evidence on the
// judging day, as Compute judged it (model.Workspace.ClaimStatus, read once
// per satisfaction), and false for a satisfaction of another workspace.
func (r *Report) ClaimStatus(s *model.Satisfaction) (model.Status, bool) {
	st, ok := r.claims[s]
	return st, ok
}

// Verdict returns the verdict for any control of a loaded standard (status
// missing with no evidence when nothing claims it), or nil for an unknown
// control.
func (r *Report) Verdict(standard, control string) *Verdict {
	if i, ok := r.index[Key{standard, control}]; ok {
		return &r.verdicts[i]
	}
	return nil
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
	n := 0
	for _, s := range ws.Standards {
		n += len(s.Controls)
	}
	r := &Report{AsOf: asOf, RequireClosedClaims: ws.Config.GateRequiresClosedClaims, verdicts: make([]Verdict, n), index: make(map[Key]int32, n)}
	i := 0
	for _, s := range ws.Standards {
		for _, c := range s.Controls {
			k := Key{s.Name, c.ID}
			r.verdicts[i] = Verdict{Key: k, Control: c}
			r.index[k] = int32(i) // a control defined twice: the last counts
			i++
		}
	}

	// Every claim's verdict is looked up once; the evidence of all verdicts
	// then lives in one array, each verdict's part capped at its length.
	// Looking up and judging the components' claims touches every
	// satisfaction (tens of MB in a large program): runs of components are
	// judged on every processor.
	first := make([]int, len(ws.Components)+1) // each component's first claim
	sats := 0
	for ci, comp := range ws.Components {
		first[ci] = sats
		sats += len(comp.Satisfies)
	}
	first[len(ws.Components)] = sats
	claims := sats
	for _, d := range ws.Documents {
		claims += len(d.Satisfies)
	}
	target := make([]int32, claims) // the verdict of each claim, -1 for none
	judged := make([]judgement, sats)
	judge := func(from, to int) { // components [from, to)
		reasons := map[string]string{} // "status "+raw, made once per raw value
		for ci := from; ci < to; ci++ {
			comp := ws.Components[ci]
			for k, s := range comp.Satisfies {
				t := first[ci] + k
				i, ok := r.index[Key{s.StandardKey, s.ControlKey}]
				if !ok {
					i = -1 // unknown standard or control: check reports it
				}
				target[t] = i
				st, by, stale := ws.ClaimStatus(comp, s, asOf)
				judged[t] = judgement{st, componentReason(s, st, by, stale, reasons)}
			}
		}
	}
	if workers := min(runtime.GOMAXPROCS(0), len(ws.Components)); sats < 2048 || workers < 2 {
		judge(0, len(ws.Components))
	} else {
		var wg sync.WaitGroup
		next := 0
		for w := 1; w <= workers; w++ {
			from := next // about a workers-th of the claims each
			for next < len(ws.Components) && (w == workers || first[next] < sats*w/workers) {
				next++
			}
			to := next
			wg.Go(func() { judge(from, to) })
		}
		wg.Wait()
	}
	t := sats
	for _, d := range ws.Documents {
		for _, cl := range d.Satisfies {
			i, ok := r.index[Key{cl.Standard, cl.Control}]
			if !ok {
				i = -1
			}
			target[t] = i
			t++
		}
	}
	counts := make([]int32, n)
	for _, i := range target {
		if i >= 0 {
			counts[i]++
		}
	}
	evidence := make([]Evidence, claims)
	off := 0
	for i, c := range counts {
		if c > 0 {
			r.verdicts[i].Evidence = evidence[off : off : off+int(c)]
			off += int(c)
		}
	}

	t = 0
	r.claims = make(map[*model.Satisfaction]model.Status, sats)
	for _, comp := range ws.Components {
		for _, s := range comp.Satisfies {
			i := target[t]
			j := judged[t]
			r.claims[s] = j.status
			t++
			if i < 0 {
				continue
			}
			v := &r.verdicts[i]
			v.Evidence = append(v.Evidence, Evidence{Kind: FromComponent, Component: comp, Satisfaction: s, Status: j.status, Reason: j.reason})
		}
	}
	for _, d := range ws.Documents {
		for range d.Satisfies {
			i := target[t]
			t++
			if i < 0 {
				continue
			}
			v := &r.verdicts[i]
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
	for i := range r.verdicts {
		v := &r.verdicts[i]
		if len(v.Evidence) > 1 {
			slices.SortStableFunc(v.Evidence, compareEvidence)
		}
		if len(v.Evidence) > 0 {
			// not-applicable claims sort last: the first claim is the best
			// implementation claim when there is one
			v.Status = v.Evidence[0].Status
		}
		for _, e := range v.Evidence {
			if e.open() {
				v.Open++
			}
		}
	}
	for _, cert := range ws.Certifications {
		cr := &Certification{Cert: cert, Counts: map[model.Status]int{}}
		if len(cert.Controls) > 0 {
			cr.Verdicts = make([]*Verdict, 0, len(cert.Controls))
		}
		for _, cc := range cert.Controls {
			v := r.Verdict(cc.Standard, cc.Control)
			if v == nil {
				// unknown to its standard: reported by check, and a gap here
				v = &Verdict{Key: Key{cc.Standard, cc.Control}}
			}
			cr.Verdicts = append(cr.Verdicts, v)
			cr.Counts[v.Status]++
			if v.Status == model.Satisfied && v.Open > 0 {
				cr.Open++
			}
		}
		r.Certifications = append(r.Certifications, cr)
	}
	return r
}

// judgement is what a satisfaction is worth as evidence, and why.
type judgement struct {
	status model.Status
	reason string
}

// compareEvidence orders evidence best first: implementation claims by
// status, then not-applicable claims; then components before documents,
// then by name.
func compareEvidence(a, b Evidence) int {
	if an, bn := a.Status == model.NotApplicable, b.Status == model.NotApplicable; an != bn {
		if an {
			return 1
		}
		return -1
	}
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

// componentReason says why a satisfaction has status st; by is the
// verification that downgraded it, if any. reasons holds the "status <raw>"
// strings made so far, so that the thousands of satisfactions sharing a raw
// status share its reason.
func componentReason(s *model.Satisfaction, st model.Status, by *model.Covering, stale bool, reasons map[string]string) string {
	switch {
	case len(s.Statuses) == 0:
		return "no implementation status given"
	case by != nil && stale:
		return fmt.Sprintf("marked done, but verification %s of %s last ran %s, longer ago than evidence max_age allows", by.Verification.Key, by.Component.Key, by.Verification.LastRun)
	case by != nil:
		return fmt.Sprintf("marked done, but verification %s of %s failed (test_passed: false)", by.Verification.Key, by.Component.Key)
	case st == model.Partial && markedDone(s):
		if hasText(s) {
			return "marked done but its narrative is a placeholder"
		}
		return "marked done but has no narrative"
	case st == model.Unknown && s.IsNotApplicable():
		if hasText(s) {
			return "marked not applicable, but its narrative is a placeholder"
		}
		return "marked not applicable without saying why"
	case len(s.Statuses) > 1:
		return "statuses " + joinRaw(s.Statuses)
	}
	raw := s.Statuses[0].Raw
	reason, ok := reasons[raw]
	if !ok {
		reason = "status " + raw
		reasons[raw] = reason
	}
	return reason
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

// hasText reports whether any narrative has text, placeholder or not.
func hasText(s *model.Satisfaction) bool {
	for _, n := range s.Narratives {
		if strings.TrimSpace(n.Text) != "" {
			return true
		}
	}
	return false
}

// markedDone reports whether every status is complete (or not applicable),
// at least one complete: a claim that is partial only for want of a
// narrative.
func markedDone(s *model.Satisfaction) bool {
	done := false
	for _, v := range s.Statuses {
		switch v.Status {
		case model.Satisfied:
			done = true
		case model.NotApplicable:
		default:
			return false
		}
	}
	return done
}
