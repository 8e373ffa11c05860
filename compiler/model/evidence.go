package model

import (
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/charter-compliance/charter/compiler/diag"
)

// placeholders are narratives that stand in for one: alone, or followed by
// punctuation and more words ("TODO: describe the firewall").
var placeholders = []string{"tbd", "tbc", "todo", "to do", "fixme", "coming soon", "to be determined", "to be written", "placeholder"}

// IsPlaceholder reports whether a narrative text says nothing: a marker
// such as TBD, TODO or "coming soon" (alone or followed by punctuation),
// lorem ipsum filler, or the control's own title repeated. The comparison
// is case-insensitive and ignores surrounding space and trailing
// punctuation. title may be empty. It allocates nothing: it runs on every
// narrative of a program.
func IsPlaceholder(text, title string) bool {
	t := trimPunct(text)
	if t == "" {
		return false // empty, not a placeholder: reported as such
	}
	if hasPrefixFold(t, "lorem ipsum") {
		return true
	}
	if title != "" && strings.EqualFold(t, trimPunct(title)) {
		return true
	}
	for _, p := range placeholders {
		if !hasPrefixFold(t, p) {
			continue
		}
		rest := strings.TrimSpace(t[len(p):])
		if rest == "" {
			return true
		}
		if r, _ := utf8.DecodeRuneInString(rest); unicode.IsPunct(r) || unicode.IsSymbol(r) {
			return true
		}
	}
	return false
}

func hasPrefixFold(s, prefix string) bool {
	return len(s) >= len(prefix) && strings.EqualFold(s[:len(prefix)], prefix)
}

// trimPunct trims surrounding space and trailing punctuation.
func trimPunct(s string) string {
	return strings.TrimRightFunc(strings.TrimSpace(s), func(r rune) bool { return unicode.IsPunct(r) || unicode.IsSpace(r) })
}

// EvidenceConfig is charter.yaml's evidence: section, how verifications'
// ages are judged.
type EvidenceConfig struct {
	Pos       diag.Pos
	MaxAge    Age      // zero: ages are not judged
	MaxAgePos diag.Pos // where max_age was written
	Downgrade bool     // stale: downgrade (default warn)
}

// Age is a span of calendar time: days, weeks, months or years.
type Age struct {
	N    int
	Unit byte // 'd', 'w', 'm' or 'y'
}

// IsZero reports whether no age was set.
func (a Age) IsZero() bool { return a.N == 0 }

// Before returns the day a span of a before asOf: evidence last run
// before that day is stale.
func (a Age) Before(asOf time.Time) time.Time {
	switch a.Unit {
	case 'w':
		return asOf.AddDate(0, 0, -7*a.N)
	case 'm':
		return asOf.AddDate(0, -a.N, 0)
	case 'y':
		return asOf.AddDate(-a.N, 0, 0)
	}
	return asOf.AddDate(0, 0, -a.N)
}

func (a Age) String() string {
	if a.IsZero() {
		return ""
	}
	return strconv.Itoa(a.N) + string(a.Unit)
}

// ParseAge reads "90d", "12w", "6m" or "1y" (a bare number is days).
func ParseAge(s string) (Age, bool) {
	s = strings.TrimSpace(strings.ToLower(s))
	unit := byte('d')
	if s != "" && strings.IndexByte("dwmy", s[len(s)-1]) >= 0 {
		unit, s = s[len(s)-1], s[:len(s)-1]
	}
	if s == "" || len(s) > 6 {
		return Age{}, false
	}
	n := 0
	for _, r := range s {
		if r < '0' || r > '9' {
			return Age{}, false
		}
		n = n*10 + int(r-'0')
	}
	if n == 0 {
		return Age{}, false
	}
	return Age{N: n, Unit: unit}, true
}

// Failed reports whether the verification says its test did not pass.
func (v *Verification) Failed() bool { return v.TestPassed != nil && !*v.TestPassed }

// LastRunDate reads last_run: a date (YYYY-MM-DD) or an RFC 3339 time, in
// UTC. ok is false when it is absent or unreadable.
func (v *Verification) LastRunDate() (t time.Time, ok bool) {
	s := strings.TrimSpace(v.LastRun)
	if s == "" {
		return time.Time{}, false
	}
	if t, err := time.Parse(time.RFC3339, s); err == nil {
		return t.UTC(), true
	}
	if len(s) >= 10 {
		if t, err := time.Parse(time.DateOnly, s[:10]); err == nil && (len(s) == 10 || s[10] == 'T' || s[10] == ' ') {
			return t, true
		}
	}
	return time.Time{}, false
}

// Stale reports whether the verification last ran before the window cfg
// sets, judged on asOf. A verification with no readable last_run, or a
// configuration with no max_age, is never stale.
func (cfg EvidenceConfig) Stale(v *Verification, asOf time.Time) bool {
	if cfg.MaxAge.IsZero() || asOf.IsZero() {
		return false
	}
	t, ok := v.LastRunDate()
	return ok && t.Before(cfg.MaxAge.Before(asOf))
}

// Covering is a verification a satisfaction's covered_by names, resolved.
type Covering struct {
	Component    *Component
	Verification *Verification
	Pos          diag.Pos // the covered_by entry
}

// covering resolves one covered_by entry of a satisfaction of comp; v is
// nil when it names nothing loaded.
func (w *Workspace) covering(comp *Component, cb CoveredBy) (target *Component, v *Verification) {
	target = comp
	if cb.ComponentKey != "" && cb.ComponentKey != comp.Key {
		target = w.Component(cb.ComponentKey)
	}
	if target == nil || cb.VerificationKey == "" {
		return target, nil
	}
	return target, target.Verification(cb.VerificationKey)
}

// ClaimStatus is what the satisfaction s of comp is worth as evidence on
// asOf: its VerdictFor the control's title, then, when that is satisfied,
// partial if a verification covering it failed (test_passed: false), or if
// one is stale and charter.yaml's evidence says stale: downgrade. by is
// the verification that downgraded it, nil when none did. Coverage and
// check both judge claims here, so they cannot disagree.
func (w *Workspace) ClaimStatus(comp *Component, s *Satisfaction, asOf time.Time) (st Status, by *Covering, stale bool) {
	title := ""
	if c := w.Control(s.StandardKey, s.ControlKey); c != nil {
		title = c.Name
	}
	st = s.VerdictFor(title)
	if st != Satisfied || len(s.CoveredBy) == 0 {
		return st, nil, false
	}
	// no allocation unless a verification downgrades the claim: this runs
	// for every satisfaction with covered_by, twice (coverage and check)
	var old *Covering
	for _, cb := range s.CoveredBy {
		target, v := w.covering(comp, cb)
		if v == nil {
			continue
		}
		if v.Failed() {
			return Partial, &Covering{Component: target, Verification: v, Pos: cb.Pos}, false
		}
		if old == nil && w.Config.Evidence.Downgrade && w.Config.Evidence.Stale(v, asOf) {
			old = &Covering{Component: target, Verification: v, Pos: cb.Pos}
		}
	}
	if old != nil {
		return Partial, old, true
	}
	return st, nil, false
}
