package model

import "strings"

// Status is a verdict on the coverage lattice:
//
//	satisfied > partial > planned > unknown > none > missing, and not-applicable apart.
//
// The zero value is Missing: no claim names the control at all. None is a
// claim that says the control is not implemented (status none). Unknown
// means a claim exists but says nothing usable of its state; it never
// counts as satisfied. NotApplicable is not on the ladder: a control is not
// applicable only when every claim of it says so, with a reason.
type Status int

const (
	Missing Status = iota // claimed by nothing
	None                  // claimed, status none
	Unknown
	Planned
	Partial
	Satisfied
	NotApplicable
)

var statusNames = [...]string{"missing", "none", "unknown", "planned", "partial", "satisfied", "not-applicable"}

func (s Status) String() string {
	if int(s) < len(statusNames) {
		return statusNames[s]
	}
	return "invalid"
}

// Meaning says what a status name means, for legends and documentation.
func (s Status) Meaning() string {
	switch s {
	case Missing:
		return "claimed by nothing"
	case None:
		return "claimed, status none (not implemented)"
	case Unknown:
		return "claimed, but the claim says nothing usable of its state"
	case Planned:
		return "planned, or a policy not yet in force"
	case Partial:
		return "partly in place"
	case Satisfied:
		return "implemented and explained"
	case NotApplicable:
		return "every claim says not applicable, each saying why"
	}
	return ""
}

// MarshalText writes the status as its name.
func (s Status) MarshalText() ([]byte, error) { return []byte(s.String()), nil }

// AllStatuses lists the statuses from best to worst, with not-applicable last.
var AllStatuses = []Status{Satisfied, Partial, Planned, Unknown, None, Missing, NotApplicable}

// Rank orders implementation statuses for "best evidence wins": higher is
// better. Not-applicable ranks with satisfied, as both close a control, but
// it never competes with an implementation claim: the verdict rules
// (Satisfaction.VerdictFor, coverage) set not-applicable claims aside first.
func (s Status) Rank() int {
	switch s {
	case Satisfied, NotApplicable:
		return 5
	case Partial:
		return 4
	case Planned:
		return 3
	case Unknown:
		return 2
	case None:
		return 1
	}
	return 0
}

// Done reports whether the status closes a control for a certification.
func (s Status) Done() bool { return s == Satisfied || s == NotApplicable }

// StatusMapping says how a written implementation status maps onto the
// lattice and whether the mapping is the schema's or charter's guess.
type StatusMapping struct {
	Status Status
	Guess  bool   // true for values outside the schema's enum
	Note   string // why the guess was made
}

// KnownStatuses maps every implementation status charter understands. All
// but one are in the enum of a component schema of opencontrol/schemas
// (3.1.1 lists complete, inherited, none, not applicable, partial, planned,
// unknown and unsatisfied; 3.2.0 keeps partial, complete, planned, none and
// not applicable), and are read in every schema version without a warning.
// "implemented", seen in real repositories, is outside every enum.
var KnownStatuses = map[string]StatusMapping{
	"complete":       {Status: Satisfied},
	"partial":        {Status: Partial},
	"planned":        {Status: Planned},
	"none":           {Status: None},
	"not applicable": {Status: NotApplicable},
	"inherited":      {Status: Satisfied},
	"unknown":        {Status: Unknown},
	"unsatisfied":    {Status: None},
	"implemented":    {Status: Satisfied, Guess: true, Note: `read as "complete"`},
}

// SchemaStatuses lists the schemas' own status values, for suggestions and
// hints, in the order 3.1.1 lists them.
var SchemaStatuses = []string{"complete", "inherited", "none", "not applicable", "partial", "planned", "unknown", "unsatisfied"}

// LookupStatus maps a written status; ok is false for unknown values.
func LookupStatus(raw string) (StatusMapping, bool) {
	m, ok := KnownStatuses[strings.ToLower(strings.TrimSpace(raw))]
	if !ok {
		m, ok = KnownStatuses[strings.ReplaceAll(strings.ToLower(strings.TrimSpace(raw)), "_", " ")]
	}
	return m, ok
}

// KnownOrigins lists the control origins the schema and real data use.
var KnownOrigins = []string{
	"service provider corporate",
	"service provider system specific",
	"service provider hybrid",
	"configured by customer",
	"provided by customer",
	"shared",
	"inherited",
}

// Verdict is VerdictFor with no control title known: a narrative that only
// repeats the title is not recognised as a placeholder. Coverage judges
// with the title; prefer its evidence statuses.
func (s *Satisfaction) Verdict() Status { return s.VerdictFor("") }

// VerdictFor is the satisfaction's own status, for a control titled title.
// Not-applicable values are set aside first: they never outrank an
// implementation status ([not applicable, none] is none), and a
// satisfaction all of whose statuses are not applicable is not applicable.
// Of the rest, one written status stands for itself; mixed statuses read
// as partial when some part is in place and another is not ([complete,
// planned]), and as the best of them when nothing is in place yet
// ([planned, none] is planned). No status is unknown. A satisfied claim
// without a narrative (placeholders such as TBD do not count) is partial,
// and a not-applicable claim that does not say why is unknown.
func (s *Satisfaction) VerdictFor(title string) Status {
	if len(s.Statuses) == 0 {
		return Unknown
	}
	st, seen := NotApplicable, false
	var worst Status
	for _, v := range s.Statuses {
		if v.Status == NotApplicable {
			continue
		}
		if !seen || v.Status.Rank() > st.Rank() {
			st = v.Status
		}
		if !seen || v.Status.Rank() < worst.Rank() {
			worst = v.Status
		}
		seen = true
	}
	if seen && st != worst && st.Rank() >= Partial.Rank() {
		st = Partial // [complete, planned]: only part is in place
	}
	if st == Satisfied && !s.HasNarrativeFor(title) {
		return Partial // claimed done but not explained: not evidence yet
	}
	if st == NotApplicable && !s.HasNarrativeFor(title) {
		return Unknown // excluded without saying why: says nothing usable
	}
	return st
}

// HasNarrative reports whether any narrative says something that is not a
// placeholder.
func (s *Satisfaction) HasNarrative() bool { return s.HasNarrativeFor("") }

// HasNarrativeFor reports whether any narrative says something that is not
// a placeholder for a control titled title (see IsPlaceholder).
func (s *Satisfaction) HasNarrativeFor(title string) bool {
	for _, n := range s.Narratives {
		if strings.TrimSpace(n.Text) != "" && !IsPlaceholder(n.Text, title) {
			return true
		}
	}
	return false
}

// IsNotApplicable reports whether any of the satisfaction's statuses is
// not applicable.
func (s *Satisfaction) IsNotApplicable() bool {
	for _, v := range s.Statuses {
		if v.Status == NotApplicable {
			return true
		}
	}
	return false
}
