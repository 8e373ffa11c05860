package coverage

import (
	"encoding/json"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/charter-compliance/charter/compiler/diag"
	"github.com/charter-compliance/charter/compiler/model"
)

// Selection picks certifications for a report and says which gate.
type Selection struct {
	Names []string        // empty: all
	Gated map[string]bool // certifications that must be complete
}

func (s Selection) pick(r *Report) []*Certification {
	if len(s.Names) == 0 {
		return r.Certifications
	}
	var out []*Certification
	for _, c := range r.Certifications {
		for _, n := range s.Names {
			if c.Cert.Name == n {
				out = append(out, c)
				break
			}
		}
	}
	return out
}

// Failing returns the gated certifications among the selection that are
// not complete, or, when charter.yaml sets gate_requires_closed_claims,
// that have a satisfied control with open claims.
func (s Selection) Failing(r *Report) []string {
	var out []string
	for _, c := range s.pick(r) {
		if s.Gated[c.Cert.Name] && (!c.Complete() || (r.RequireClosedClaims && c.Open > 0)) {
			out = append(out, c.Cert.Name)
		}
	}
	return out
}

// WriteText prints one summary block per certification.
func WriteText(w io.Writer, r *Report, sel Selection) error {
	var b strings.Builder
	legend := false
	for _, c := range sel.pick(r) {
		gate := ""
		if sel.Gated[c.Cert.Name] {
			gate = " [gate]"
			if r.RequireClosedClaims {
				gate = " [gate: every claim closed]"
			}
		}
		fmt.Fprintf(&b, "\n%s%s: %s", c.Cert.Name, gate, c.Headline())
		if c.Open > 0 {
			fmt.Fprintf(&b, "; %s with open claims", plural(c.Open, "satisfied control", "satisfied controls"))
		}
		legend = legend || c.Counts[model.Missing] > 0 || c.Counts[model.None] > 0
		b.WriteString("\n  ")
		for i, st := range model.AllStatuses {
			if i > 0 {
				b.WriteString(" · ")
			}
			fmt.Fprintf(&b, "%s %d", st, c.Counts[st])
		}
		b.WriteString("\n")
		if c.Open > 0 {
			fmt.Fprintf(&b, "  satisfied, with open claims (%d):\n", c.Open)
			for _, v := range c.Verdicts {
				if v.Status != model.Satisfied || v.Open == 0 {
					continue
				}
				fmt.Fprintf(&b, "    %s %s%s: satisfied, %s\n", v.Standard, v.ID, titleOf(v), plural(v.Open, "open claim", "open claims"))
				for _, e := range v.OpenClaims() {
					fmt.Fprintf(&b, "      %-9s %s (%s)\n", e.Status, e.Component.Key, e.Reason)
				}
			}
		}
		gaps := c.Gaps()
		if len(gaps) > 0 {
			fmt.Fprintf(&b, "  not satisfied (%d):\n", len(gaps))
			for _, v := range gaps {
				fmt.Fprintf(&b, "    %-9s %s %s%s\n", v.Status, v.Standard, v.ID, titleOf(v))
			}
		}
	}
	if legend {
		fmt.Fprintf(&b, "\n%s: %s · %s: %s\n", model.Missing, model.Missing.Meaning(), model.None, model.None.Meaning())
	}
	_, err := io.WriteString(w, diag.PrintableText(b.String()))
	return err
}

func titleOf(v *Verdict) string {
	if v.Control != nil && v.Control.Name != "" {
		return " " + v.Control.Name
	}
	return ""
}

func plural(n int, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return fmt.Sprintf("%d %s", n, many)
}

// Control0 returns the control ID (a helper for printing).
func (v *Verdict) Control0() string { return v.ID }

// JSON shapes for machine consumers. Field names are part of charter's
// stable interface.
type jsonEvidence struct {
	Kind       EvidenceKind `json:"kind"`
	Status     model.Status `json:"status"`
	Component  string       `json:"component,omitempty"`
	Document   string       `json:"document,omitempty"`
	File       string       `json:"file"`
	Line       int          `json:"line,omitempty"`
	Narratives []string     `json:"narrative_keys,omitempty"`
	Statuses   []string     `json:"implementation_statuses,omitempty"`
	Origins    []string     `json:"control_origins,omitempty"`
	Reason     string       `json:"reason"`
}

type jsonVerdict struct {
	Standard string         `json:"standard"`
	Control  string         `json:"control"`
	Title    string         `json:"title,omitempty"`
	Status   model.Status   `json:"status"`
	Open     int            `json:"open_claims,omitempty"`
	Evidence []jsonEvidence `json:"evidence"`
}

type jsonCert struct {
	Name     string         `json:"name"`
	Gate     bool           `json:"gate"`
	Total    int            `json:"total"`
	Done     int            `json:"satisfied"` // not counting not applicable, as counts.satisfied
	NA       int            `json:"not_applicable"`
	Open     int            `json:"open_claims"` // satisfied controls with open claims
	Complete bool           `json:"complete"`
	Counts   map[string]int `json:"counts"`
	Gaps     []string       `json:"gaps"`
	Controls []jsonVerdict  `json:"controls"`
}

// JSONCertifications converts the selection for embedding in a larger JSON
// document.
func JSONCertifications(r *Report, sel Selection) any {
	out := []jsonCert{}
	for _, c := range sel.pick(r) {
		out = append(out, jsonCertOf(c, sel))
	}
	return out
}

// jsonCertOf is one certification of JSONCertifications.
func jsonCertOf(c *Certification, sel Selection) jsonCert {
	jc := jsonCert{Name: c.Cert.Name, Gate: sel.Gated[c.Cert.Name], Total: c.Total(), Done: c.Satisfied(), NA: c.NotApplicable(), Open: c.Open, Complete: c.Complete(), Counts: map[string]int{}, Gaps: []string{}}
	for _, st := range model.AllStatuses {
		jc.Counts[st.String()] = c.Counts[st]
	}
	for _, v := range c.Verdicts {
		if !v.Status.Done() {
			jc.Gaps = append(jc.Gaps, v.Standard+" "+v.ID)
		}
		jc.Controls = append(jc.Controls, jsonVerdictOf(v))
	}
	return jc
}

func jsonVerdictOf(v *Verdict) jsonVerdict {
	jv := jsonVerdict{Standard: v.Standard, Control: v.ID, Status: v.Status, Open: v.Open, Evidence: []jsonEvidence{}}
	if v.Control != nil {
		jv.Title = v.Control.Name
	}
	for _, e := range v.Evidence {
		je := jsonEvidence{Kind: e.Kind, Status: e.Status, Reason: e.Reason}
		if e.Kind == FromComponent {
			je.Component = e.Component.Key
			je.File = e.Satisfaction.Pos.File
			je.Line = e.Satisfaction.Pos.Line
			for _, n := range e.Satisfaction.Narratives {
				je.Narratives = append(je.Narratives, n.Key)
			}
			for _, s := range e.Satisfaction.Statuses {
				je.Statuses = append(je.Statuses, s.Raw)
			}
			for _, o := range e.Satisfaction.Origins {
				je.Origins = append(je.Origins, o.Value)
			}
		} else {
			je.Document = e.Document.ID
			je.File = e.Document.File
		}
		jv.Evidence = append(jv.Evidence, je)
	}
	return jv
}

// WriteJSON writes the selection's coverage as JSON.
func WriteJSON(w io.Writer, r *Report, sel Selection) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(map[string]any{"as_of": r.AsOf.Format(time.DateOnly), "certifications": JSONCertifications(r, sel)})
}
