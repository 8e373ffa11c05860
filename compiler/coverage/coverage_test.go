package coverage_test

import (
	"bytes"
	"encoding/json"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/charter-compliance/charter/compiler/coverage"
	"github.com/charter-compliance/charter/compiler/diag"
	"github.com/charter-compliance/charter/compiler/model"
)

func day(s string) *time.Time {
	t, err := time.Parse(time.DateOnly, s)
	if err != nil {
		panic(err)
	}
	return &t
}

func satisfaction(std, ctl, narrative string, statuses ...string) *model.Satisfaction {
	s := &model.Satisfaction{StandardKey: std, ControlKey: ctl, Pos: diag.Pos{File: "components/x/component.yaml", Line: 7, Col: 5}}
	for _, raw := range statuses {
		m, _ := model.LookupStatus(raw)
		s.Statuses = append(s.Statuses, model.StatusValue{Raw: raw, Status: m.Status})
	}
	if narrative != "" {
		s.Narratives = []model.Narrative{{Key: "a", Text: narrative}}
	}
	return s
}

func standard(name string, ids ...string) *model.Standard {
	s := &model.Standard{Name: name, File: "standards/" + name + ".yaml"}
	for _, id := range ids {
		s.Controls = append(s.Controls, &model.Control{Standard: name, ID: id, Name: "Control " + id})
	}
	return s
}

// workspace is a small program in which every rule of Compute decides one
// control:
//
//	TSC CC1.1  partial (okta) and satisfied (github): best evidence wins -> satisfied
//	TSC CC1.2  claimed only by a draft policy -> planned
//	TSC CC1.3  claimed by an approved policy effective after asOf -> planned
//	TSC CC1.4  claimed by an approved policy in force -> satisfied
//	TSC CC1.5  complete but no narrative -> partial
//	TSC CC1.6  no status -> unknown
//	TSC CC1.7  not applicable, with a reason -> not-applicable
//	TSC CC1.8  claimed by nothing -> missing
//	TSC CC9.9  required by the certification, unknown to TSC -> missing gap
//	ISO CC1.1  same ID in another standard, status none -> none (claimed, not
//	           implemented; not "missing"): must not mix with TSC CC1.1
func workspace() *model.Workspace {
	okta := &model.Component{Key: "okta", Satisfies: []*model.Satisfaction{
		satisfaction("TSC", "CC1.1", "SSO for all staff.", "partial"),
		satisfaction("TSC", "CC1.5", "", "complete"),
		satisfaction("TSC", "CC1.6", "We think so."),
		satisfaction("TSC", "CC1.7", "No physical offices.", "not applicable"),
		satisfaction("TSC", "CC7.7", "Unknown control: ignored here, reported by check.", "complete"),
		satisfaction("NOPE", "X-1", "Unknown standard: ignored here.", "complete"),
	}}
	github := &model.Component{Key: "github", Satisfies: []*model.Satisfaction{
		satisfaction("TSC", "CC1.1", "Branch protection.", "complete"),
		satisfaction("ISO", "CC1.1", "Not started.", "none"),
	}}
	for _, c := range []*model.Component{okta, github} {
		for _, s := range c.Satisfies {
			s.Component = c.Key
		}
	}
	docs := []*model.Document{
		{ID: "POL-DRAFT", File: "templates/draft.md", Status: "draft", Effective: day("2025-01-01"),
			Satisfies: []model.Claim{{Standard: "TSC", Control: "CC1.2"}}},
		{ID: "POL-LATER", File: "templates/later.md", Status: "approved", Effective: day("2026-06-01"),
			Satisfies: []model.Claim{{Standard: "TSC", Control: "CC1.3"}}},
		{ID: "POL-NOW", File: "templates/now.md", Status: "approved", Effective: day("2026-03-01"),
			Satisfies: []model.Claim{{Standard: "TSC", Control: "CC1.4"}, {Standard: "TSC", Control: "CC1.1"}, {Standard: "TSC", Control: "CC9.9"}}},
	}
	cert := &model.Certification{Name: "soc2"}
	for _, id := range []string{"CC1.1", "CC1.2", "CC1.3", "CC1.4", "CC1.5", "CC1.6", "CC1.7", "CC1.8", "CC9.9"} {
		cert.Controls = append(cert.Controls, model.CertControl{Standard: "TSC", Control: id})
	}
	done := &model.Certification{Name: "done", Controls: []model.CertControl{{Standard: "TSC", Control: "CC1.1"}, {Standard: "TSC", Control: "CC1.7"}}}
	ws := &model.Workspace{
		Standards:      []*model.Standard{standard("ISO", "CC1.1"), standard("TSC", "CC1.1", "CC1.2", "CC1.3", "CC1.4", "CC1.5", "CC1.6", "CC1.7", "CC1.8")},
		Components:     []*model.Component{github, okta},
		Documents:      docs,
		Certifications: []*model.Certification{done, cert},
	}
	ws.Index()
	return ws
}

var asOf = *day("2026-03-01")

type evidence struct {
	name   string
	status model.Status
	reason string
}

func evidenceOf(v *coverage.Verdict) []evidence {
	var out []evidence
	for _, e := range v.Evidence {
		name := ""
		if e.Kind == coverage.FromComponent {
			name = "component " + e.Component.Key
		} else {
			name = "document " + e.Document.ID
		}
		out = append(out, evidence{name, e.Status, e.Reason})
	}
	return out
}

func TestCompute(t *testing.T) {
	r := coverage.Compute(workspace(), asOf)
	for _, tc := range []struct {
		std, id  string
		status   model.Status
		evidence []evidence
	}{
		{"TSC", "CC1.1", model.Satisfied, []evidence{
			{"component github", model.Satisfied, "status complete"},
			{"document POL-NOW", model.Satisfied, "approved and in force"},
			{"component okta", model.Partial, "status partial"},
		}},
		{"TSC", "CC1.2", model.Planned, []evidence{{"document POL-DRAFT", model.Planned, "draft: not in force"}}},
		{"TSC", "CC1.3", model.Planned, []evidence{{"document POL-LATER", model.Planned, "approved but not yet effective"}}},
		{"TSC", "CC1.4", model.Satisfied, []evidence{{"document POL-NOW", model.Satisfied, "approved and in force"}}},
		{"TSC", "CC1.5", model.Partial, []evidence{{"component okta", model.Partial, "marked done but has no narrative"}}},
		{"TSC", "CC1.6", model.Unknown, []evidence{{"component okta", model.Unknown, "no implementation status given"}}},
		{"TSC", "CC1.7", model.NotApplicable, []evidence{{"component okta", model.NotApplicable, "status not applicable"}}},
		{"TSC", "CC1.8", model.Missing, nil},
		{"ISO", "CC1.1", model.None, []evidence{{"component github", model.None, "status none"}}},
	} {
		v := r.Verdict(tc.std, tc.id)
		if v == nil {
			t.Errorf("%s %s: no verdict", tc.std, tc.id)
			continue
		}
		if v.Status != tc.status {
			t.Errorf("%s %s: status %s, want %s", tc.std, tc.id, v.Status, tc.status)
		}
		if got := evidenceOf(v); !slices.Equal(got, tc.evidence) {
			t.Errorf("%s %s: evidence\n got %v\nwant %v", tc.std, tc.id, got, tc.evidence)
		}
		if v.Control == nil || v.Control.ID != tc.id || v.Standard != tc.std {
			t.Errorf("%s %s: verdict names %+v", tc.std, tc.id, v.Key)
		}
	}
	if r.Verdict("TSC", "CC9.9") != nil || r.Verdict("TSC", "CC7.7") != nil || r.Verdict("NOPE", "X-1") != nil {
		t.Error("unknown controls have verdicts")
	}

	c := r.Certification("soc2")
	if c == nil || r.Certification("iso") != nil {
		t.Fatal("certification lookup wrong")
	}
	if c.Total() != 9 || c.Satisfied() != 2 || c.NotApplicable() != 1 || c.Done() != 3 || c.Open != 1 || c.Complete() {
		t.Errorf("soc2: total %d satisfied %d n/a %d done %d open %d complete %v; want 9, 2, 1, 3, 1, false",
			c.Total(), c.Satisfied(), c.NotApplicable(), c.Done(), c.Open, c.Complete())
	}
	if got := c.Headline(); got != "2 satisfied, 1 not applicable, of 9" {
		t.Errorf("headline %q", got)
	}
	wantCounts := map[model.Status]int{model.Satisfied: 2, model.NotApplicable: 1, model.Partial: 1, model.Planned: 2, model.Unknown: 1, model.Missing: 2}
	for _, st := range model.AllStatuses {
		if c.Counts[st] != wantCounts[st] {
			t.Errorf("soc2 counts %s = %d, want %d", st, c.Counts[st], wantCounts[st])
		}
	}
	var gaps []string
	for _, v := range c.Gaps() {
		gaps = append(gaps, v.ID+"="+v.Status.String())
	}
	if got := strings.Join(gaps, " "); got != "CC1.2=planned CC1.3=planned CC1.5=partial CC1.6=unknown CC1.8=missing CC9.9=missing" {
		t.Errorf("gaps: %s", got)
	}
	last := c.Verdicts[len(c.Verdicts)-1]
	if last.ID != "CC9.9" || last.Control != nil || len(last.Evidence) != 0 {
		t.Errorf("the unknown control is not a bare gap: %+v", last)
	}
	if d := r.Certification("done"); !d.Complete() || d.Done() != 2 || len(d.Gaps()) != 0 {
		t.Errorf("done: complete %v, done %d, gaps %d", d.Complete(), d.Done(), len(d.Gaps()))
	}
	if got := []string{r.Certifications[0].Cert.Name, r.Certifications[1].Cert.Name}; !slices.Equal(got, []string{"done", "soc2"}) {
		t.Errorf("certifications in order %q", got)
	}
}

// A document is judged on the day given, never today: the same policy
// counts on its effective date and not the day before.
func TestComputeAsOf(t *testing.T) {
	ws := workspace()
	before := coverage.Compute(ws, *day("2026-05-31")).Verdict("TSC", "CC1.3")
	on := coverage.Compute(ws, *day("2026-06-01")).Verdict("TSC", "CC1.3")
	if before.Status != model.Planned || on.Status != model.Satisfied {
		t.Errorf("POL-LATER: %s the day before, %s on the day; want planned, satisfied", before.Status, on.Status)
	}
	var zero time.Time
	if st := coverage.Compute(ws, zero).Verdict("TSC", "CC1.4").Status; st != model.Planned {
		t.Errorf("with no date known nothing is in force, got %s", st)
	}
}

func TestSelectionFailing(t *testing.T) {
	r := coverage.Compute(workspace(), asOf)
	sel := coverage.Selection{Gated: map[string]bool{"soc2": true, "done": true}}
	if got := sel.Failing(r); !slices.Equal(got, []string{"soc2"}) {
		t.Errorf("Failing = %q, want [soc2]", got)
	}
	sel.Names = []string{"done"}
	if got := sel.Failing(r); len(got) != 0 {
		t.Errorf("a gate outside the selection fails: %q", got)
	}
	if got := (coverage.Selection{}).Failing(r); len(got) != 0 {
		t.Errorf("nothing gated but %q fails", got)
	}
}

func TestWriteText(t *testing.T) {
	r := coverage.Compute(workspace(), asOf)
	var b bytes.Buffer
	if err := coverage.WriteText(&b, r, coverage.Selection{Gated: map[string]bool{"soc2": true}}); err != nil {
		t.Fatal(err)
	}
	want := `
done: 1 satisfied, 1 not applicable, of 2; 1 satisfied control with open claims
  satisfied 1 · partial 0 · planned 0 · unknown 0 · none 0 · missing 0 · not-applicable 1
  satisfied, with open claims (1):
    TSC CC1.1 Control CC1.1: satisfied, 1 open claim
      partial   okta (status partial)

soc2 [gate]: 2 satisfied, 1 not applicable, of 9; 1 satisfied control with open claims
  satisfied 2 · partial 1 · planned 2 · unknown 1 · none 0 · missing 2 · not-applicable 1
  satisfied, with open claims (1):
    TSC CC1.1 Control CC1.1: satisfied, 1 open claim
      partial   okta (status partial)
  not satisfied (6):
    planned   TSC CC1.2 Control CC1.2
    planned   TSC CC1.3 Control CC1.3
    partial   TSC CC1.5 Control CC1.5
    unknown   TSC CC1.6 Control CC1.6
    missing   TSC CC1.8 Control CC1.8
    missing   TSC CC9.9

missing: claimed by nothing · none: claimed, status none (not implemented)
`
	if b.String() != want {
		t.Errorf("text report\n--- got\n%s--- want\n%s", b.String(), want)
	}
}

func TestWriteJSON(t *testing.T) {
	r := coverage.Compute(workspace(), asOf)
	var b bytes.Buffer
	if err := coverage.WriteJSON(&b, r, coverage.Selection{Names: []string{"soc2"}, Gated: map[string]bool{"soc2": true}}); err != nil {
		t.Fatal(err)
	}
	var got struct {
		AsOf           string `json:"as_of"`
		Certifications []struct {
			Name     string         `json:"name"`
			Gate     bool           `json:"gate"`
			Total    int            `json:"total"`
			Done     int            `json:"satisfied"`
			NA       int            `json:"not_applicable"`
			Open     int            `json:"open_claims"`
			Complete bool           `json:"complete"`
			Counts   map[string]int `json:"counts"`
			Gaps     []string       `json:"gaps"`
			Controls []struct {
				Standard string `json:"standard"`
				Control  string `json:"control"`
				Title    string `json:"title"`
				Status   string `json:"status"`
				Open     int    `json:"open_claims"`
				Evidence []struct {
					Kind       string   `json:"kind"`
					Status     string   `json:"status"`
					Component  string   `json:"component"`
					Document   string   `json:"document"`
					File       string   `json:"file"`
					Line       int      `json:"line"`
					Narratives []string `json:"narrative_keys"`
					Statuses   []string `json:"implementation_statuses"`
					Reason     string   `json:"reason"`
				} `json:"evidence"`
			} `json:"controls"`
		} `json:"certifications"`
	}
	if err := json.Unmarshal(b.Bytes(), &got); err != nil {
		t.Fatalf("%v\n%s", err, b.String())
	}
	if got.AsOf != "2026-03-01" || len(got.Certifications) != 1 {
		t.Fatalf("as_of %q, %d certifications", got.AsOf, len(got.Certifications))
	}
	c := got.Certifications[0]
	if c.Name != "soc2" || !c.Gate || c.Total != 9 || c.Done != 2 || c.NA != 1 || c.Open != 1 || c.Complete || len(c.Controls) != 9 {
		t.Errorf("certification %+v", c)
	}
	if c.Counts["satisfied"] != 2 || c.Counts["not-applicable"] != 1 || c.Counts["missing"] != 2 || c.Counts["none"] != 0 || len(c.Counts) != 7 {
		t.Errorf("counts %v", c.Counts)
	}
	if strings.Join(c.Gaps, ",") != "TSC CC1.2,TSC CC1.3,TSC CC1.5,TSC CC1.6,TSC CC1.8,TSC CC9.9" {
		t.Errorf("gaps %q", c.Gaps)
	}
	first := c.Controls[0]
	// counts.satisfied and satisfied are one number: satisfied excludes not applicable
	if c.Done != c.Counts["satisfied"] || c.NA != c.Counts["not-applicable"] {
		t.Errorf("satisfied %d / counts %d, not_applicable %d / counts %d", c.Done, c.Counts["satisfied"], c.NA, c.Counts["not-applicable"])
	}
	if first.Control != "CC1.1" || first.Status != "satisfied" || first.Open != 1 || first.Title != "Control CC1.1" || len(first.Evidence) != 3 {
		t.Fatalf("CC1.1: %+v", first)
	}
	e := first.Evidence[0]
	if e.Kind != "component" || e.Component != "github" || e.File != "components/x/component.yaml" || e.Line != 7 ||
		!slices.Equal(e.Narratives, []string{"a"}) || !slices.Equal(e.Statuses, []string{"complete"}) || e.Reason != "status complete" {
		t.Errorf("component evidence %+v", e)
	}
	if d := first.Evidence[1]; d.Kind != "document" || d.Document != "POL-NOW" || d.File != "templates/now.md" || d.Status != "satisfied" {
		t.Errorf("document evidence %+v", d)
	}
	if last := c.Controls[8]; last.Control != "CC9.9" || last.Title != "" || last.Evidence == nil || len(last.Evidence) != 0 {
		t.Errorf("unknown control: %+v (evidence must be [], not null)", last)
	}
}
