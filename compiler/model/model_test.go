package model_test

import (
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/charter-compliance/charter/compiler/model"
)

func TestCompareIDs(t *testing.T) {
	// Each list is in natural order; every pair must compare accordingly.
	for _, ordered := range [][]string{
		{"1.2", "1.10", "1.11", "2.1", "10.1"},
		{"AC-1", "AC-2", "AC-2 (1)", "AC-2 (2)", "AC-2 (10)", "AC-3", "AC-10", "AC-20 (3)", "AT-1"},
		{"CC1.1", "CC1.2", "CC2.1", "CC6.1", "CC6.8", "CC9.2", "CC10.1"},
		{"A.5.1", "A.9.2.1", "A.9.10", "A.12.1"},
		{"P1.1", "P4.2", "PI1.1"},
		{"1", "01", "001", "2"}, // equal numbers: fewer leading zeros first
		{"", "0", "A", "a"},
		{"x9", "x9a", "x10"},
	} {
		for i := range ordered {
			for j := range ordered {
				want := 0
				if i < j {
					want = -1
				} else if i > j {
					want = 1
				}
				if got := model.CompareIDs(ordered[i], ordered[j]); got != want {
					t.Errorf("CompareIDs(%q, %q) = %d, want %d", ordered[i], ordered[j], got, want)
				}
			}
		}
	}
	// Sorting a shuffled copy gives the natural order back.
	ids := []string{"AC-1", "AC-2", "AC-2 (1)", "AC-2 (2)", "AC-2 (10)", "AC-3", "AC-10", "AC-11", "AU-2", "AU-12"}
	shuffled := slices.Clone(ids)
	rand.New(rand.NewPCG(1, 2)).Shuffle(len(shuffled), func(i, j int) { shuffled[i], shuffled[j] = shuffled[j], shuffled[i] })
	slices.SortFunc(shuffled, model.CompareIDs)
	if !slices.Equal(shuffled, ids) {
		t.Errorf("sorted: %q\nwant:   %q", shuffled, ids)
	}
	// Numbers longer than any integer type still compare by value.
	if model.CompareIDs("X-99999999999999999999999", "X-100000000000000000000000") != -1 {
		t.Error("long digit runs compare by value")
	}
}

func sat(narrative string, statuses ...string) *model.Satisfaction {
	s := &model.Satisfaction{StandardKey: "TSC", ControlKey: "CC1.1"}
	for _, raw := range statuses {
		m, ok := model.LookupStatus(raw)
		if !ok {
			m.Status = model.Unknown
		}
		s.Statuses = append(s.Statuses, model.StatusValue{Raw: raw, Status: m.Status})
	}
	if narrative != "" {
		s.Narratives = []model.Narrative{{Text: narrative}}
	}
	return s
}

func TestVerdict(t *testing.T) {
	const why = "Okta enforces it."
	for _, tc := range []struct {
		name string
		s    *model.Satisfaction
		want model.Status
	}{
		{"complete with narrative", sat(why, "complete"), model.Satisfied},
		{"complete without narrative", sat("", "complete"), model.Partial},
		{"no status", sat(why), model.Unknown},
		{"no status, no narrative", sat(""), model.Unknown},
		{"partial", sat(why, "partial"), model.Partial},
		{"planned", sat(why, "planned"), model.Planned},
		{"none", sat(why, "none"), model.None},
		{"complete and planned", sat(why, "complete", "planned"), model.Partial},
		{"planned and complete", sat(why, "planned", "complete"), model.Partial},
		{"complete and none", sat(why, "complete", "none"), model.Partial},
		{"partial and planned", sat(why, "partial", "planned"), model.Partial},
		{"planned and none", sat(why, "planned", "none"), model.Planned},
		{"complete twice", sat(why, "complete", "complete"), model.Satisfied},
		{"complete and not applicable", sat(why, "complete", "not applicable"), model.Satisfied},
		{"not applicable and partial", sat(why, "not applicable", "partial"), model.Partial},
		{"implemented (a guess for complete)", sat(why, "implemented"), model.Satisfied},
		{"implemented without narrative", sat("", "implemented"), model.Partial},
		{"inherited", sat(why, "inherited"), model.Satisfied},
		{"not applicable with a reason", sat("Customers host no card data.", "not applicable"), model.NotApplicable},
		{"not applicable without a reason", sat("", "not applicable"), model.Unknown},
		{"not applicable with a placeholder", sat("TBD", "not applicable"), model.Unknown},
		{"not applicable and none", sat(why, "not applicable", "none"), model.None},
		{"not applicable and planned", sat(why, "not applicable", "planned"), model.Planned},
		{"not applicable twice", sat(why, "not applicable", "not applicable"), model.NotApplicable},
		{"complete with TBD", sat("TBD", "complete"), model.Partial},
		{"complete with todo and words", sat("todo: describe the firewall", "complete"), model.Partial},
		{"complete with lorem ipsum", sat("Lorem ipsum dolor sit amet.", "complete"), model.Partial},
		{"complete with coming soon", sat(" Coming soon! ", "complete"), model.Partial},
		{"a word that starts like a marker", sat("Todoist tracks every request.", "complete"), model.Satisfied},
		{"Not_Applicable spelled loosely", sat(why, "Not_Applicable"), model.NotApplicable},
		{"unknown", sat(why, "unknown"), model.Unknown},
		{"unsatisfied", sat(why, "unsatisfied"), model.None},
		{"blank narrative", sat("   ", "complete"), model.Partial},
	} {
		if got := tc.s.Verdict(); got != tc.want {
			t.Errorf("%s: Verdict() = %s, want %s", tc.name, got, tc.want)
		}
	}
}

func TestStatusLattice(t *testing.T) {
	// best to worst, as reports list them
	order := []model.Status{model.Satisfied, model.Partial, model.Planned, model.Unknown, model.None, model.Missing}
	for i := 1; i < len(order); i++ {
		if order[i-1].Rank() <= order[i].Rank() {
			t.Errorf("%s should outrank %s", order[i-1], order[i])
		}
	}
	for _, st := range model.AllStatuses {
		if st.Done() != (st == model.Satisfied || st == model.NotApplicable) {
			t.Errorf("%s.Done() = %v", st, st.Done())
		}
		b, _ := st.MarshalText()
		if string(b) != st.String() {
			t.Errorf("MarshalText(%s) = %q", st, b)
		}
	}
	if got := strings.Join(statusNames(model.AllStatuses), " "); got != "satisfied partial planned unknown none missing not-applicable" {
		t.Errorf("AllStatuses = %s", got)
	}
	if model.Status(42).String() != "invalid" {
		t.Error("out-of-range status has a name")
	}
	var zero model.Status
	if zero != model.Missing {
		t.Error("the zero status is not missing")
	}
}

func statusNames(l []model.Status) []string {
	var out []string
	for _, s := range l {
		out = append(out, s.String())
	}
	return out
}

func TestLookupStatus(t *testing.T) {
	for _, tc := range []struct {
		raw   string
		ok    bool
		st    model.Status
		guess bool
	}{
		{"complete", true, model.Satisfied, false},
		{" Complete ", true, model.Satisfied, false},
		{"partial", true, model.Partial, false},
		{"planned", true, model.Planned, false},
		{"none", true, model.None, false},
		{"implemented", true, model.Satisfied, true},
		{"not applicable", true, model.NotApplicable, false},
		{"not_applicable", true, model.NotApplicable, false},
		{"inherited", true, model.Satisfied, false},
		{"unknown", true, model.Unknown, false},
		{"unsatisfied", true, model.None, false},
		{"completed", false, model.Missing, false},
		{"", false, model.Missing, false},
	} {
		m, ok := model.LookupStatus(tc.raw)
		if ok != tc.ok || m.Status != tc.st || m.Guess != tc.guess {
			t.Errorf("LookupStatus(%q) = %+v, %v; want %s guess=%v ok=%v", tc.raw, m, ok, tc.st, tc.guess, tc.ok)
		}
		if m.Guess && m.Note == "" {
			t.Errorf("guess for %q has no note", tc.raw)
		}
	}
}

func day(s string) *time.Time {
	t, err := time.Parse(time.DateOnly, s)
	if err != nil {
		panic(err)
	}
	return &t
}

func TestDocumentInForceAndReview(t *testing.T) {
	asOf := *day("2026-03-01")
	for _, tc := range []struct {
		name string
		doc  model.Document
		want bool
	}{
		{"approved, effective before", model.Document{Status: "approved", Effective: day("2025-01-01")}, true},
		{"approved, effective that day", model.Document{Status: "approved", Effective: day("2026-03-01")}, true},
		{"approved, effective after", model.Document{Status: "approved", Effective: day("2026-03-02")}, false},
		{"approved, no effective date", model.Document{Status: "approved"}, false},
		{"draft, effective before", model.Document{Status: "draft", Effective: day("2025-01-01")}, false},
	} {
		if got := tc.doc.InForce(asOf); got != tc.want {
			t.Errorf("%s: InForce = %v, want %v", tc.name, got, tc.want)
		}
	}

	d := model.Document{ReviewCycle: "quarterly", LastReviewed: day("2025-11-30")}
	if got := d.NextReview(nil); got == nil || got.Format(time.DateOnly) != "2026-03-02" {
		t.Errorf("quarterly from 2025-11-30: next review %v, want 2026-03-02 (Go normalises Feb 30)", got)
	}
	d = model.Document{ReviewCycle: "annual"}
	if got := d.NextReview(day("2025-06-15")); got == nil || got.Format(time.DateOnly) != "2026-06-15" {
		t.Errorf("annual from git date 2025-06-15: next review %v", got)
	}
	d.LastReviewed = day("2025-01-01")
	if got := d.NextReview(day("2025-06-15")); got == nil || got.Format(time.DateOnly) != "2026-01-01" {
		t.Errorf("front matter date must win over git's: %v", got)
	}
	if (&model.Document{ReviewCycle: "annual"}).NextReview(nil) != nil {
		t.Error("next review without any last review date")
	}
	if (&model.Document{ReviewCycle: "biennial", LastReviewed: day("2025-01-01")}).NextReview(nil) != nil {
		t.Error("next review for an unknown cycle")
	}
}

func TestWorkspaceLookups(t *testing.T) {
	ac2 := &model.Control{ID: "AC-2", Standard: "NIST"}
	nist := &model.Standard{Name: "NIST", Controls: []*model.Control{{ID: "AC-1"}, ac2}}
	nistCopy := &model.Standard{Name: "NIST"}
	web := &model.Component{Key: "web", Verifications: []model.Verification{{Key: "scan"}, {Key: "pentest"}}}
	ws := &model.Workspace{
		Standards:      []*model.Standard{nist, nistCopy},
		Components:     []*model.Component{web, {Key: "web"}},
		Certifications: []*model.Certification{{Name: "low"}},
		Documents:      []*model.Document{{ID: "POL-1"}},
	}
	ws.Index()
	if ws.Standard("NIST") != nist {
		t.Error("a duplicate standard replaced the first")
	}
	if ws.Component("web") != web {
		t.Error("a duplicate component replaced the first")
	}
	if ws.Control("NIST", "AC-2") != ac2 || ws.Control("NIST", "AC-3") != nil || ws.Control("TSC", "AC-2") != nil {
		t.Error("Control lookups wrong")
	}
	if ws.Certification("low") == nil || ws.Certification("high") != nil || ws.Document("POL-1") == nil || ws.Document("POL-2") != nil {
		t.Error("certification or document lookups wrong")
	}
	if got := nist.ControlIDs(); !slices.Equal(got, []string{"AC-1", "AC-2"}) {
		t.Errorf("ControlIDs = %q", got)
	}
	if v := web.Verification("pentest"); v == nil || v.Key != "pentest" || web.Verification("audit") != nil {
		t.Error("Verification lookups wrong")
	}
	// A standard built by hand (not through Index) still finds its controls.
	fresh := &model.Standard{Name: "X", Controls: []*model.Control{{ID: "X-1"}}}
	if fresh.Control("X-1") == nil {
		t.Error("Control on an unindexed standard")
	}
}

// A narrative equal to the control's title says nothing: only VerdictFor,
// which knows the title, can tell.
func TestVerdictForTitle(t *testing.T) {
	s := sat("  account management. ", "complete")
	if got := s.VerdictFor("Account Management"); got != model.Partial {
		t.Errorf("title as narrative: %s, want partial", got)
	}
	if got := s.Verdict(); got != model.Satisfied {
		t.Errorf("without the title: %s, want satisfied", got)
	}
	for text, want := range map[string]bool{"TBD": true, "tbd.": true, "TBD - vendor": true, "TBC": true, "To do": true,
		"N/A because no cardholder data": false, "": false, "tbdx": false, "Lorem ipsum": true, "The TBD column": false} {
		if got := model.IsPlaceholder(text, ""); got != want {
			t.Errorf("IsPlaceholder(%q) = %v, want %v", text, got, want)
		}
	}
}

func TestParseAge(t *testing.T) {
	asOf := *day("2026-03-01")
	for in, want := range map[string]string{"90d": "2025-12-01", "90": "2025-12-01", "2w": "2026-02-15", "6m": "2025-09-01", "1y": "2025-03-01"} {
		a, ok := model.ParseAge(in)
		if !ok || a.Before(asOf).Format(time.DateOnly) != want {
			t.Errorf("ParseAge(%q) = %v %v: before %s, want %s", in, a, ok, a.Before(asOf).Format(time.DateOnly), want)
		}
	}
	for _, bad := range []string{"", "d", "0d", "-3d", "90 days", "1.5m", "9999999d"} {
		if _, ok := model.ParseAge(bad); ok {
			t.Errorf("ParseAge(%q) accepted", bad)
		}
	}
}

func TestVerificationDates(t *testing.T) {
	no, cfg := false, model.EvidenceConfig{MaxAge: model.Age{N: 90, Unit: 'd'}}
	asOf := *day("2026-03-01")
	for _, tc := range []struct {
		last         string
		stale, known bool
	}{{"2025-11-30", true, true}, {"2025-12-01", false, true}, {"2026-02-01T10:00:00Z", false, true}, {"2025-01-01 08:00", true, true}, {"last week", false, false}, {"", false, false}} {
		v := &model.Verification{LastRun: tc.last}
		if _, ok := v.LastRunDate(); ok != tc.known {
			t.Errorf("%q: date known %v", tc.last, ok)
		}
		if got := cfg.Stale(v, asOf); got != tc.stale {
			t.Errorf("%q: stale %v, want %v", tc.last, got, tc.stale)
		}
	}
	if (&model.Verification{TestPassed: &no}).Failed() != true || (&model.Verification{}).Failed() {
		t.Error("Failed is wrong")
	}
	if (model.EvidenceConfig{}).Stale(&model.Verification{LastRun: "1999-01-01"}, asOf) {
		t.Error("stale without max_age")
	}
}
