package model

import "strings"

// Status is a verdict on the coverage lattice:
//
//	satisfied > partial > planned > unknown > missing, with not-applicable beside.
//
// The zero value is Missing. Unknown means a claim exists but says nothing of
// its state; it never counts as satisfied.
type Status int

const (
	Missing Status = iota
	Unknown
	Planned
	Partial
	Satisfied
	NotApplicable
)

var statusNames = [...]string{"missing", "unknown", "planned", "partial", "satisfied", "not-applicable"}

func (s Status) String() string {
	if int(s) < len(statusNames) {
		return statusNames[s]
	}
	return "invalid"
}

// MarshalText writes the status as its name.
func (s Status) MarshalText() ([]byte, error) { return []byte(s.String()), nil }

// AllStatuses lists the statuses from best to worst, with not-applicable last.
var AllStatuses = []Status{Satisfied, Partial, Planned, Unknown, Missing, NotApplicable}

// Rank orders statuses for "best evidence wins": higher is better.
// Not-applicable ranks just below satisfied so that a real implementation
// always wins but a documented exclusion beats a partial one.
func (s Status) Rank() int {
	switch s {
	case Satisfied:
		return 5
	case NotApplicable:
		return 4
	case Partial:
		return 3
	case Planned:
		return 2
	case Unknown:
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

// KnownStatuses maps every implementation status charter understands. The
// first four are the schema's enum; the rest are seen in real repositories.
var KnownStatuses = map[string]StatusMapping{
	"complete":       {Status: Satisfied},
	"partial":        {Status: Partial},
	"planned":        {Status: Planned},
	"none":           {Status: Missing},
	"implemented":    {Status: Satisfied, Guess: true, Note: `read as "complete"`},
	"not applicable": {Status: NotApplicable, Guess: true, Note: `read as not-applicable; the narrative must say why`},
	"inherited":      {Status: Satisfied, Guess: true, Note: `read as "complete" with the control inherited; prefer implementation_status: complete with control_origins: [inherited]`},
	"unknown":        {Status: Unknown, Guess: true, Note: `read as unknown: it never counts as satisfied`},
	"unsatisfied":    {Status: Missing, Guess: true, Note: `read as "none"`},
}

// SchemaStatuses lists the schema's own status values, for suggestions.
var SchemaStatuses = []string{"complete", "partial", "planned", "none"}

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

// Verdict is the satisfaction's own status. One written status stands for
// itself. Mixed statuses read as partial when some part is in place and
// another is not ([complete, planned]: only part is done), as satisfied
// when every part is closed ([complete, not applicable]), and as the best
// of them when nothing is in place yet ([planned, none] is planned). No
// status is unknown, and a done status without a narrative is partial.
func (s *Satisfaction) Verdict() Status {
	if len(s.Statuses) == 0 {
		return Unknown
	}
	best, worst := s.Statuses[0].Status, s.Statuses[0].Status
	for _, v := range s.Statuses[1:] {
		if v.Status.Rank() > best.Rank() {
			best = v.Status
		}
		if v.Status.Rank() < worst.Rank() {
			worst = v.Status
		}
	}
	st := best
	if best != worst && best.Rank() >= Partial.Rank() {
		// mixed statuses such as [complete, planned]: only part is in place,
		// unless every part is closed, as in [complete, not applicable]
		st = Partial
		if best.Done() && worst.Done() {
			st = Satisfied
		}
	}
	if (st == Satisfied || st == NotApplicable) && !s.HasNarrative() {
		return Partial // claimed done but not explained: not evidence yet
	}
	return st
}

// HasNarrative reports whether any narrative says something.
func (s *Satisfaction) HasNarrative() bool {
	for _, n := range s.Narratives {
		if strings.TrimSpace(n.Text) != "" {
			return true
		}
	}
	return false
}
