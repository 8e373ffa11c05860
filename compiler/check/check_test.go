package check_test

import (
	"fmt"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"github.com/charter-compliance/charter/compiler/check"
	"github.com/charter-compliance/charter/compiler/diag"
	"github.com/charter-compliance/charter/compiler/model"
)

func briefs(l diag.List) []string {
	out := []string{}
	for _, d := range l {
		out = append(out, fmt.Sprintf("%s: %s[%s] %s | %s", d.Pos, d.Severity, d.Code, d.Message, d.Source))
	}
	return out
}

func day(s string) *time.Time {
	t, _ := time.Parse(time.DateOnly, s)
	return &t
}

// workspace builds a model by hand, as load would, with the bytes of the
// one file check quotes lines from. Root names a directory that does not
// exist: check never reads files.
func workspace(t *testing.T) *model.Workspace {
	root := filepath.Join(t.TempDir(), "absent")
	comp := "name: Web\nsatisfies:\n  - standard_key: DEMO\n    control_key: AC-1\n    covered_by:\n      - verification_key: scan\n      - component_key: db\n        verification_key: restore\n"
	at := func(line, col int) diag.Pos { return diag.Pos{File: "web/component.yaml", Line: line, Col: col} }
	std := &model.Standard{Name: "DEMO", File: "demo.yaml", Controls: []*model.Control{{Standard: "DEMO", ID: "AC-1"}}}
	web := &model.Component{Key: "web", File: "web/component.yaml", Verifications: []model.Verification{{Key: "scan"}},
		Satisfies: []*model.Satisfaction{{
			Component: "web", StandardKey: "DEMO", ControlKey: "AC-1", StandardPos: at(3, 19), ControlPos: at(4, 18),
			CoveredBy: []model.CoveredBy{{Pos: at(6, 9), VerificationKey: "scan"}, {Pos: at(7, 9), ComponentKey: "db", VerificationKey: "restore"}},
		}}}
	db := &model.Component{Key: "db", File: "db/component.yaml", Verifications: []model.Verification{{Key: "restore"}}}
	ws := &model.Workspace{
		Root:       root,
		Files:      []model.SourceFile{{Path: "web/component.yaml", Kind: model.KindComponent, Text: []byte(comp)}},
		Standards:  []*model.Standard{std},
		Components: []*model.Component{db, web},
		Documents: []*model.Document{
			{ID: "POL-1", File: "p.md", Status: "approved", Effective: day("2026-06-01"), ReviewCycle: "annual", LastReviewed: day("2024-01-01"),
				FieldPos: map[string]diag.Pos{"effective": {File: "p.md", Line: 7, Col: 12}, "last_reviewed": {File: "p.md", Line: 9, Col: 16}}},
			{ID: "POL-2", File: "q.md", Status: "draft", Effective: day("2026-06-01"), ReviewCycle: "annual", LastReviewed: day("2024-01-01"),
				FieldPos: map[string]diag.Pos{}},
		},
	}
	ws.Index()
	return ws
}

// covered_by may name the satisfaction's own component's verifications or
// another component's; both resolve here, so only the document dates speak.
func TestRunDates(t *testing.T) {
	ws := workspace(t)
	got := briefs(check.Run(ws, *day("2026-03-01")))
	want := []string{
		"p.md:7:12: warning[OC309] POL-1 takes effect on 2026-06-01, after 2026-03-01 | ",
		"p.md:9:16: warning[OC307] POL-1 was due for its annual review on 2025-01-01 (last reviewed 2024-01-01) | ",
	}
	if !slices.Equal(got, want) {
		t.Errorf("got\n%q\nwant\n%q", got, want)
	}
	// on the effective day nothing is early; a draft is never judged on dates
	got = briefs(check.Run(ws, *day("2026-06-01")))
	if !slices.Equal(got, want[1:]) {
		t.Errorf("on the day: %q", got)
	}
	// with no date known (no git, no SOURCE_DATE_EPOCH) dates are not judged
	if got := check.Run(ws, time.Time{}); len(got) != 0 {
		t.Errorf("without a date: %q", briefs(got))
	}
}

func TestRunReferences(t *testing.T) {
	ws := workspace(t)
	web := ws.Component("web")
	web.Satisfies[0].CoveredBy[0].VerificationKey = "scna"
	web.Satisfies[0].CoveredBy[1].ComponentKey = "dbb"
	web.Satisfies = append(web.Satisfies, &model.Satisfaction{Component: "web", StandardKey: "DEMO", ControlKey: "AC-1",
		StandardPos: diag.Pos{File: "web/component.yaml", Line: 3, Col: 19}, ControlPos: diag.Pos{File: "web/component.yaml", Line: 4, Col: 18}})
	got := briefs(check.Run(ws, time.Time{}))
	want := []string{
		"web/component.yaml:4:18: error[OC209] component web satisfies DEMO AC-1 twice |     control_key: AC-1",
		`web/component.yaml:6:9: error[OC206] covered_by names verification "scna", which component web does not define; did you mean "scan"? |       - verification_key: scan`,
		`web/component.yaml:7:9: error[OC205] covered_by names component "dbb", which does not exist; did you mean "db"? |       - component_key: db`,
	}
	if !slices.Equal(got, want) {
		t.Errorf("got\n%q\nwant\n%q", got, want)
	}
}
