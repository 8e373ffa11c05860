// Package export turns one run's model and coverage into artifacts an
// auditor takes away: a control matrix (CSV, XLSX), the whole model as JSON,
// OSCAL component-definition and assessment-results, and a verifiable zip
// bundle of all of them with the site. Every export reads the same
// compiler.Result, so none can disagree with the site or with check, and
// every export is deterministic: the same commit gives the same bytes.
package export

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/charter-compliance/charter/compiler"
	"github.com/charter-compliance/charter/compiler/coverage"
	"github.com/charter-compliance/charter/compiler/diag"
	"github.com/charter-compliance/charter/compiler/model"
)

// Info says which build an export describes.
type Info struct {
	Charter    string    // charter's own version
	Version    string    // the repository's version label (tag, describe or short commit)
	Commit     string    // full commit hash; empty outside git
	Dirty      bool      // uncommitted changes in the build's sources
	AsOf       time.Time // the judging day
	AsOfSource string    // where the judging day came from
	// PeriodStart is the first day of the audit period; zero means the
	// assessment is of the judging day alone.
	PeriodStart time.Time
}

// Period returns the audit period: PeriodStart (or the judging day) to the
// judging day.
func (i Info) Period() (start, end time.Time) {
	start = i.PeriodStart
	if start.IsZero() || start.After(i.AsOf) {
		start = i.AsOf
	}
	return start, i.AsOf
}

// Input is what every export reads.
type Input struct {
	Result *compiler.Result
	Info   Info
	// Certs selects certifications by name; empty means all of them.
	Certs []string

	rows map[*coverage.Verdict]Row // every selected certification's rows, when memoised
}

// memoised returns in with the matrix rows of every selected
// certification made (side by side) and kept, so that a control that
// several certifications require, or several exports show, is gathered
// once. The memo is only read afterwards, so exports of a memoised input
// may run at the same time.
func (in Input) memoised() Input {
	if in.rows != nil {
		return in
	}
	certs, err := in.Certifications()
	if err != nil {
		return in // the export reports the error
	}
	var verdicts []*coverage.Verdict
	seen := map[*coverage.Verdict]bool{}
	for _, c := range certs {
		for _, v := range c.Verdicts {
			if !seen[v] {
				seen[v] = true
				verdicts = append(verdicts, v)
			}
		}
	}
	rows := make([]Row, len(verdicts))
	ws := in.Result.Workspace
	each(len(verdicts), func(i int) {
		rows[i] = row(ws, in.Info.AsOf, verdicts[i])
		rows[i].cells = rows[i].makeCells()
	})
	in.rows = make(map[*coverage.Verdict]Row, len(verdicts))
	for i, v := range verdicts {
		in.rows[v] = rows[i]
	}
	return in
}

// Certifications returns the selected certifications' coverage, in
// workspace order. An unknown name is an error that lists the names there
// are.
func (in Input) Certifications() ([]*coverage.Certification, error) {
	cov := in.Result.Coverage
	if len(in.Certs) == 0 {
		return cov.Certifications, nil
	}
	var out []*coverage.Certification
	for _, c := range cov.Certifications {
		if slices.Contains(in.Certs, c.Cert.Name) {
			out = append(out, c)
		}
	}
	for _, name := range in.Certs {
		if cov.Certification(name) == nil {
			var names []string
			for _, c := range cov.Certifications {
				names = append(names, c.Cert.Name)
			}
			hint := ""
			if s := diag.Suggest(name, names); s != "" {
				hint = fmt.Sprintf("; did you mean %q?", s)
			}
			return nil, fmt.Errorf("no certification named %q%s (have: %s)", name, hint, strings.Join(names, ", "))
		}
	}
	return out, nil
}

// Row is one criterion of a certification's control matrix.
type Row struct {
	Standard   string
	Control    string
	Title      string
	Verdict    model.Status
	Components []Claim    // components that claim the control, best first
	Narratives []Text     // the components' narratives
	Documents  []Claim    // policies and procedures that claim the control
	Evidence   []Evidence // verifications the components' claims are covered by
	Open       []Claim    // claims that do not close the control

	cells []string // Cells, when made ahead
}

// Claim is one piece of coverage evidence as the matrix shows it.
type Claim struct {
	Kind     coverage.EvidenceKind
	Key      string // component key or document id
	Name     string // component name or document title
	DocKind  string // policy or procedure, for documents
	Status   model.Status
	Statuses []string // implementation statuses as written, for components
	Reason   string
}

// Text is one keyed narrative of one component.
type Text struct {
	Component string
	Key       string
	Text      string
}

// Evidence is one verification that backs a claim, with its result and
// age on the judging day.
type Evidence struct {
	Component   string // the component that holds the verification
	Key         string
	Name        string
	Path        string
	Type        string
	Description string
	Result      Result
	LastRun     string     // as written
	Ran         *time.Time // LastRun read as a date, when it is one
	AgeDays     *int       // days from Ran to the judging day
}

// Result is what a verification's test_passed says.
type Result string

const (
	Passed      Result = "passed"
	Failed      Result = "failed"
	NotRecorded Result = "not recorded"
)

// Rows returns the control matrix of one certification, in the
// certification's control order.
func Rows(in Input, c *coverage.Certification) []Row {
	ws := in.Result.Workspace
	rows := make([]Row, 0, len(c.Verdicts))
	for _, v := range c.Verdicts {
		r, ok := in.rows[v]
		if !ok {
			r = row(ws, in.Info.AsOf, v)
		}
		rows = append(rows, r)
	}
	return rows
}

func row(ws *model.Workspace, asOf time.Time, v *coverage.Verdict) Row {
	r := Row{Standard: v.Standard, Control: v.ID, Verdict: v.Status}
	if v.Control != nil {
		r.Title = v.Control.Name
	}
	seen := map[[2]string]bool{}
	for _, e := range v.Evidence {
		cl := claimOf(e)
		if e.Kind == coverage.FromComponent {
			r.Components = append(r.Components, cl)
			for _, n := range e.Satisfaction.Narratives {
				if strings.TrimSpace(n.Text) != "" {
					r.Narratives = append(r.Narratives, Text{Component: e.Component.Key, Key: n.Key, Text: strings.TrimSpace(n.Text)})
				}
			}
			for _, ev := range Verifications(ws, e.Component, e.Satisfaction, asOf) {
				k := [2]string{ev.Component, ev.Key}
				if !seen[k] {
					seen[k] = true
					r.Evidence = append(r.Evidence, ev)
				}
			}
		} else {
			r.Documents = append(r.Documents, cl)
		}
		if !e.Status.Done() {
			r.Open = append(r.Open, cl)
		}
	}
	return r
}

func claimOf(e coverage.Evidence) Claim {
	cl := Claim{Kind: e.Kind, Status: e.Status, Reason: e.Reason}
	if e.Kind == coverage.FromComponent {
		cl.Key, cl.Name = e.Component.Key, e.Component.Name
		for _, s := range e.Satisfaction.Statuses {
			cl.Statuses = append(cl.Statuses, s.Raw)
		}
	} else {
		cl.Key, cl.Name, cl.DocKind = e.Document.ID, e.Document.Title, e.Document.Kind
	}
	return cl
}

// Verifications returns the verifications a satisfaction of comp is
// covered by, in covered_by order. A covered_by entry that names no known
// component or verification is left out (check reports it).
func Verifications(ws *model.Workspace, comp *model.Component, s *model.Satisfaction, asOf time.Time) []Evidence {
	var out []Evidence
	for _, cb := range s.CoveredBy {
		owner := comp
		if cb.ComponentKey != "" {
			owner = ws.Component(cb.ComponentKey)
		}
		if owner == nil {
			continue
		}
		v := owner.Verification(cb.VerificationKey)
		if v == nil {
			continue
		}
		out = append(out, evidenceOf(owner.Key, v, asOf))
	}
	return out
}

func evidenceOf(component string, v *model.Verification, asOf time.Time) Evidence {
	ev := Evidence{Component: component, Key: v.Key, Name: v.Name, Path: v.Path, Type: v.Type,
		Description: strings.TrimSpace(v.Description), Result: NotRecorded, LastRun: v.LastRun}
	if v.TestPassed != nil {
		ev.Result = Failed
		if *v.TestPassed {
			ev.Result = Passed
		}
	}
	if t, ok := parseDay(v.LastRun); ok {
		ev.Ran = &t
		if !asOf.IsZero() {
			days := int(asOf.Sub(t).Hours() / 24)
			ev.AgeDays = &days
		}
	}
	return ev
}

// parseDay reads a last_run value: a date, or a date and time.
func parseDay(s string) (time.Time, bool) {
	s = strings.TrimSpace(s)
	if s == "" { // never run: no layout would read it
		return time.Time{}, false
	}
	for _, layout := range []string{time.DateOnly, time.RFC3339, "2006-01-02 15:04:05", "2006-01-02T15:04:05"} {
		if t, err := time.Parse(layout, s); err == nil {
			return t.UTC(), true
		}
	}
	return time.Time{}, false
}

// String is a claim as one line of a matrix cell.
func (c Claim) String() string {
	var b strings.Builder
	b.WriteString(c.Key)
	if c.Name != "" && c.Name != c.Key {
		b.WriteString(" (" + c.Name + ")")
	}
	b.WriteString(": " + c.Status.String())
	if c.Reason != "" {
		b.WriteString("; " + c.Reason)
	}
	return b.String()
}

// String is a narrative as a matrix cell shows it.
func (t Text) String() string {
	if t.Key == "" {
		return t.Component + ": " + t.Text
	}
	return t.Component + " " + t.Key + ": " + t.Text
}

// String is a verification as one line of a matrix cell.
func (e Evidence) String() string {
	var b strings.Builder
	b.WriteString(e.Component + "/" + e.Key)
	if e.Name != "" {
		b.WriteString(" (" + e.Name + ")")
	}
	b.WriteString(": " + string(e.Result))
	switch {
	case e.AgeDays != nil && *e.AgeDays < 0:
		b.WriteString(", last run " + e.Ran.Format(time.DateOnly) + ", after the judging day")
	case e.AgeDays != nil:
		b.WriteString(", last run " + e.Ran.Format(time.DateOnly) + ", " + days(*e.AgeDays) + " before the judging day")
	case e.Ran != nil:
		b.WriteString(", last run " + e.Ran.Format(time.DateOnly))
	case e.LastRun != "":
		b.WriteString(", last run " + e.LastRun)
	default:
		b.WriteString(", never run")
	}
	if e.Path != "" {
		b.WriteString("; " + e.Path)
	}
	return b.String()
}

func days(n int) string {
	if n == 1 {
		return "1 day"
	}
	return strconv.Itoa(n) + " days"
}

// day formats a date as the exports write it, or "" for none.
func day(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.UTC().Format(time.DateOnly)
}
