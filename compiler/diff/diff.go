// Package diff compares two states of a compliance repository, usually two
// git revisions: per certification the criteria whose verdict changed,
// narratives added, removed or reworded (word by word), policies and
// procedures changed (front matter fields and a line diff of the text), and
// components added or removed. It reads two loaded workspaces and their
// coverage; loading them is the caller's job.
package diff

import (
	"cmp"
	"slices"
	"strings"
	"time"

	"github.com/charter-compliance/charter/compiler/coverage"
	"github.com/charter-compliance/charter/compiler/model"
)

// Side is one state of the repository.
type Side struct {
	// Name says which state this is: a git revision as given ("v1.0.0"),
	// or "working tree".
	Name string
	// Version is its version label (history.Label.String()), and Commit
	// its full commit hash when it is a commit.
	Version   string
	Commit    string
	Workspace *model.Workspace
	Coverage  *coverage.Report
}

// Change says what happened to a thing.
type Change string

const (
	Added    Change = "added"
	Removed  Change = "removed"
	Changed  Change = "changed"
	Improved Change = "improved" // a verdict moved up the lattice
	Worsened Change = "worsened" // a verdict moved down
)

// Report is everything that changed from one side to the other. Each list
// is in a fixed order and empty (never nil) when nothing changed.
type Report struct {
	From           State        `json:"from"`
	To             State        `json:"to"`
	Certifications []CertChange `json:"certifications"`
	Components     []CompChange `json:"components"`
	Narratives     []NarrChange `json:"narratives"`
	Documents      []DocChange  `json:"documents"`
}

// State describes one side in a report.
type State struct {
	Name    string `json:"name"`
	Version string `json:"version,omitempty"`
	Commit  string `json:"commit,omitempty"`
	AsOf    string `json:"as_of,omitempty"` // the day coverage was judged on, YYYY-MM-DD
}

// Empty reports whether nothing changed.
func (r *Report) Empty() bool {
	return len(r.Certifications) == 0 && len(r.Components) == 0 && len(r.Narratives) == 0 && len(r.Documents) == 0
}

// CertChange is a certification whose criteria's verdicts changed, or that
// was added or removed.
type CertChange struct {
	Name   string `json:"name"`
	Change Change `json:"change"` // added, removed or changed
	// Satisfied, NotApplicable and Total count the satisfied, the not
	// applicable and the required criteria on each side (0 on the side
	// where the certification does not exist); Done is the first two
	// together, the criteria closed.
	FromSatisfied     int             `json:"from_satisfied"`
	FromNotApplicable int             `json:"from_not_applicable"`
	FromDone          int             `json:"from_done"`
	FromTotal         int             `json:"from_total"`
	ToSatisfied       int             `json:"to_satisfied"`
	ToNotApplicable   int             `json:"to_not_applicable"`
	ToDone            int             `json:"to_done"`
	ToTotal           int             `json:"to_total"`
	Verdicts          []VerdictChange `json:"verdicts"`
}

// FromHeadline is the old side's "N satisfied, M not applicable, of T".
func (c *CertChange) FromHeadline() string {
	return coverage.Headline(c.FromSatisfied, c.FromNotApplicable, c.FromTotal)
}

// ToHeadline is the new side's "N satisfied, M not applicable, of T".
func (c *CertChange) ToHeadline() string {
	return coverage.Headline(c.ToSatisfied, c.ToNotApplicable, c.ToTotal)
}

// VerdictChange is one criterion whose verdict differs.
type VerdictChange struct {
	Standard string `json:"standard"`
	Control  string `json:"control"`
	Title    string `json:"title,omitempty"`
	// From and To are the verdicts; a criterion the certification did not
	// (or no longer does) require has none on that side.
	From   *model.Status `json:"from"`
	To     *model.Status `json:"to"`
	Change Change        `json:"change"` // improved, worsened, added or removed
}

// CompChange is a component added or removed.
type CompChange struct {
	Key    string `json:"key"`
	Name   string `json:"name"`
	File   string `json:"file"`
	Change Change `json:"change"`
}

// NarrChange is one narrative of a satisfaction that was added, removed or
// changed. Key is the narrative's key ("" for an unkeyed narrative).
type NarrChange struct {
	Component string    `json:"component"`
	Standard  string    `json:"standard"`
	Control   string    `json:"control"`
	Key       string    `json:"key"`
	Change    Change    `json:"change"`
	From      string    `json:"from,omitempty"`
	To        string    `json:"to,omitempty"`
	Words     []Segment `json:"words,omitempty"` // for changed narratives
	// ByLine says Words compares whole lines: the texts were too different
	// to compare word by word.
	ByLine bool `json:"by_line,omitempty"`
}

// DocChange is a policy or procedure added, removed or changed.
type DocChange struct {
	ID       string        `json:"id"`
	Kind     string        `json:"kind"`
	Title    string        `json:"title"`
	File     string        `json:"file"`
	FromFile string        `json:"from_file,omitempty"` // when the file moved
	Change   Change        `json:"change"`
	Fields   []FieldChange `json:"fields,omitempty"`
	Hunks    []Hunk        `json:"hunks,omitempty"` // line diff of the Markdown text
}

// FieldChange is one front matter field whose value changed; an absent
// value is "".
type FieldChange struct {
	Field string `json:"field"`
	From  string `json:"from"`
	To    string `json:"to"`
}

// Context is the number of unchanged lines shown around a changed line.
const Context = 3

// Compare reports what changed from one side to the other.
func Compare(from, to Side) *Report {
	r := &Report{
		From:           state(from),
		To:             state(to),
		Certifications: certifications(from, to),
		Components:     components(from.Workspace, to.Workspace),
		Narratives:     narratives(from.Workspace, to.Workspace),
		Documents:      documents(from.Workspace, to.Workspace),
	}
	return r
}

func state(s Side) State {
	st := State{Name: s.Name, Version: s.Version, Commit: s.Commit}
	if s.Coverage != nil && !s.Coverage.AsOf.IsZero() {
		st.AsOf = s.Coverage.AsOf.Format(time.DateOnly)
	}
	return st
}

func certifications(from, to Side) []CertChange {
	out := []CertChange{}
	names := map[string]bool{}
	for _, s := range []Side{from, to} {
		for _, c := range s.Coverage.Certifications {
			names[c.Cert.Name] = true
		}
	}
	for _, name := range sortedKeys(names, strings.Compare) {
		a, b := from.Coverage.Certification(name), to.Coverage.Certification(name)
		ch := CertChange{Name: name, Change: Changed, Verdicts: []VerdictChange{}}
		va, vb := map[coverage.Key]*coverage.Verdict{}, map[coverage.Key]*coverage.Verdict{}
		if a != nil {
			ch.FromSatisfied, ch.FromNotApplicable, ch.FromDone, ch.FromTotal = a.Satisfied(), a.NotApplicable(), a.Done(), a.Total()
			for _, v := range a.Verdicts {
				va[v.Key] = v
			}
		} else {
			ch.Change = Added
		}
		if b != nil {
			ch.ToSatisfied, ch.ToNotApplicable, ch.ToDone, ch.ToTotal = b.Satisfied(), b.NotApplicable(), b.Done(), b.Total()
			for _, v := range b.Verdicts {
				vb[v.Key] = v
			}
		} else {
			ch.Change = Removed
		}
		keys := map[coverage.Key]bool{}
		for k := range va {
			keys[k] = true
		}
		for k := range vb {
			keys[k] = true
		}
		for _, k := range sortedKeys(keys, compareKeys) {
			x, y := va[k], vb[k]
			vc := VerdictChange{Standard: k.Standard, Control: k.ID}
			switch {
			case x == nil:
				vc.To, vc.Change = status(y), Added
			case y == nil:
				vc.From, vc.Change = status(x), Removed
			case x.Status == y.Status:
				continue
			default:
				vc.From, vc.To = status(x), status(y)
				vc.Change = Improved
				if y.Status.Rank() < x.Status.Rank() {
					vc.Change = Worsened
				}
			}
			vc.Title = controlTitle(to.Workspace, k)
			if vc.Title == "" {
				vc.Title = controlTitle(from.Workspace, k)
			}
			ch.Verdicts = append(ch.Verdicts, vc)
		}
		if ch.Change != Changed || len(ch.Verdicts) > 0 {
			out = append(out, ch)
		}
	}
	return out
}

func status(v *coverage.Verdict) *model.Status {
	s := v.Status
	return &s
}

func controlTitle(ws *model.Workspace, k coverage.Key) string {
	if c := ws.Control(k.Standard, k.ID); c != nil {
		return c.Name
	}
	return ""
}

func compareKeys(a, b coverage.Key) int {
	if c := strings.Compare(a.Standard, b.Standard); c != 0 {
		return c
	}
	if c := model.CompareIDs(a.ID, b.ID); c != 0 {
		return c
	}
	return strings.Compare(a.ID, b.ID)
}

func compareIDs(a, b string) int {
	if c := model.CompareIDs(a, b); c != 0 {
		return c
	}
	return strings.Compare(a, b)
}

func sortedKeys[K comparable](m map[K]bool, cmp func(a, b K) int) []K {
	ks := make([]K, 0, len(m))
	for k := range m {
		ks = append(ks, k)
	}
	slices.SortFunc(ks, cmp)
	return ks
}

func components(from, to *model.Workspace) []CompChange {
	out := []CompChange{}
	for _, c := range from.Components {
		if to.Component(c.Key) == nil {
			out = append(out, CompChange{Key: c.Key, Name: c.Name, File: c.File, Change: Removed})
		}
	}
	for _, c := range to.Components {
		if from.Component(c.Key) == nil {
			out = append(out, CompChange{Key: c.Key, Name: c.Name, File: c.File, Change: Added})
		}
	}
	slices.SortStableFunc(out, func(a, b CompChange) int { return compareIDs(a.Key, b.Key) })
	return out
}

// narrKey names one narrative across both sides.
type narrKey struct {
	component, standard, control, key string
}

// narrativeTexts maps every narrative of a workspace to its text. A
// component that claims the same control twice, or repeats a key, has the
// texts joined by a blank line in file order.
func narrativeTexts(ws *model.Workspace) map[narrKey]string {
	m := map[narrKey]string{}
	for _, c := range ws.Components {
		for _, s := range c.Satisfies {
			for _, n := range s.Narratives {
				k := narrKey{c.Key, s.StandardKey, s.ControlKey, n.Key}
				text := strings.TrimSpace(n.Text)
				if prev, ok := m[k]; ok {
					text = prev + "\n\n" + text
				}
				m[k] = text
			}
		}
	}
	return m
}

func narratives(from, to *model.Workspace) []NarrChange {
	out := []NarrChange{}
	a, b := narrativeTexts(from), narrativeTexts(to)
	keys := map[narrKey]bool{}
	for k := range a {
		keys[k] = true
	}
	for k := range b {
		keys[k] = true
	}
	for _, k := range sortedKeys(keys, compareNarr) {
		x, inA := a[k]
		y, inB := b[k]
		nc := NarrChange{Component: k.component, Standard: k.standard, Control: k.control, Key: k.key, From: x, To: y}
		switch {
		case !inA:
			nc.Change = Added
		case !inB:
			nc.Change = Removed
		case x == y:
			continue
		default:
			nc.Change = Changed
			nc.Words, nc.ByLine = Words(x, y)
		}
		out = append(out, nc)
	}
	return out
}

func compareNarr(a, b narrKey) int {
	return cmp.Or(
		compareIDs(a.component, b.component),
		strings.Compare(a.standard, b.standard),
		compareIDs(a.control, b.control),
		compareIDs(a.key, b.key),
	)
}

func documents(from, to *model.Workspace) []DocChange {
	out := []DocChange{}
	for _, d := range from.Documents {
		if to.Document(d.ID) == nil {
			out = append(out, DocChange{ID: d.ID, Kind: d.Kind, Title: d.Title, File: d.File, Change: Removed})
		}
	}
	for _, d := range to.Documents {
		old := from.Document(d.ID)
		if old == nil {
			out = append(out, DocChange{ID: d.ID, Kind: d.Kind, Title: d.Title, File: d.File, Change: Added})
			continue
		}
		dc := DocChange{ID: d.ID, Kind: d.Kind, Title: d.Title, File: d.File, Change: Changed}
		if old.File != d.File {
			dc.FromFile = old.File
		}
		dc.Fields = fieldChanges(old, d)
		if old.Body != d.Body {
			dc.Hunks = Lines(old.Body, d.Body, max(old.BodyLine, 1), max(d.BodyLine, 1), Context)
		}
		if dc.FromFile != "" || len(dc.Fields) > 0 || len(dc.Hunks) > 0 {
			out = append(out, dc)
		}
	}
	slices.SortStableFunc(out, func(a, b DocChange) int { return compareIDs(a.ID, b.ID) })
	return out
}

// fieldChanges lists the front matter fields that differ, in the order the
// front matter documents them.
func fieldChanges(a, b *model.Document) []FieldChange {
	var out []FieldChange
	for _, f := range []struct {
		name string
		get  func(*model.Document) string
	}{
		{"title", func(d *model.Document) string { return d.Title }},
		{"kind", func(d *model.Document) string { return d.Kind }},
		{"owner", func(d *model.Document) string { return d.Owner }},
		{"approvers", func(d *model.Document) string { return strings.Join(d.Approvers, ", ") }},
		{"status", func(d *model.Document) string { return d.Status }},
		{"effective", func(d *model.Document) string { return day(d.Effective) }},
		{"review_cycle", func(d *model.Document) string { return d.ReviewCycle }},
		{"last_reviewed", func(d *model.Document) string { return day(d.LastReviewed) }},
		{"satisfies", claims},
		{"description", func(d *model.Document) string { return d.Description }},
	} {
		if x, y := f.get(a), f.get(b); x != y {
			out = append(out, FieldChange{Field: f.name, From: x, To: y})
		}
	}
	return out
}

func day(t *time.Time) string {
	if t == nil {
		return ""
	}
	return t.Format(time.DateOnly)
}

// claims writes a document's claims as "TSC: CC6.1, CC6.2; ISO: A.5",
// standards in name order and controls in natural order.
func claims(d *model.Document) string {
	by := map[string][]string{}
	for _, c := range d.Satisfies {
		by[c.Standard] = append(by[c.Standard], c.Control)
	}
	var parts []string
	for _, std := range sortedKeys(setOf(by), strings.Compare) {
		ids := slices.Clone(by[std])
		slices.SortFunc(ids, compareIDs)
		parts = append(parts, std+": "+strings.Join(slices.Compact(ids), ", "))
	}
	return strings.Join(parts, "; ")
}

func setOf[V any](m map[string]V) map[string]bool {
	s := make(map[string]bool, len(m))
	for k := range m {
		s[k] = true
	}
	return s
}
