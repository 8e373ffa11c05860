package diff_test

import (
	"bytes"
	"reflect"
	"testing"
	"time"

	"github.com/charter-compliance/charter/compiler/coverage"
	"github.com/charter-compliance/charter/compiler/diff"
	"github.com/charter-compliance/charter/compiler/model"
)

var asOf = time.Date(2025, 6, 1, 0, 0, 0, 0, time.UTC)

func status(raw string, st model.Status) []model.StatusValue {
	return []model.StatusValue{{Raw: raw, Status: st}}
}

// side builds a workspace from parts and judges it.
func side(name string, certs []*model.Certification, comps []*model.Component, docs []*model.Document) diff.Side {
	ws := &model.Workspace{
		Standards: []*model.Standard{{Name: "TSC", Controls: []*model.Control{
			{Standard: "TSC", ID: "CC1.1", Name: "Integrity"},
			{Standard: "TSC", ID: "CC2.1", Name: "Information"},
			{Standard: "TSC", ID: "CC10.1", Name: "Tenth"},
		}}},
		Certifications: certs,
		Components:     comps,
		Documents:      docs,
	}
	ws.Index()
	return diff.Side{Name: name, Workspace: ws, Coverage: coverage.Compute(ws, asOf)}
}

func cert(name string, ids ...string) *model.Certification {
	c := &model.Certification{Name: name}
	for _, id := range ids {
		c.Controls = append(c.Controls, model.CertControl{Standard: "TSC", Control: id})
	}
	return c
}

func comp(key string, sats ...*model.Satisfaction) *model.Component {
	c := &model.Component{Key: key, Name: "Component " + key, File: "components/" + key + "/component.yaml"}
	for _, s := range sats {
		s.Component = key
		c.Satisfies = append(c.Satisfies, s)
	}
	return c
}

func sat(control string, st []model.StatusValue, narr ...model.Narrative) *model.Satisfaction {
	return &model.Satisfaction{StandardKey: "TSC", ControlKey: control, Statuses: st, Narratives: narr}
}

func day(s string) *time.Time {
	t, _ := time.Parse(time.DateOnly, s)
	return &t
}

func ptr(s model.Status) *model.Status { return &s }

func TestCompare(t *testing.T) {
	from := side("old",
		[]*model.Certification{cert("keep", "CC1.1", "CC2.1", "CC10.1"), cert("gone", "CC1.1")},
		[]*model.Component{
			comp("a", sat("CC1.1", status("complete", model.Satisfied), model.Narrative{Text: "First part."}, model.Narrative{Text: "Second part."})),
			comp("b", sat("CC10.1", status("complete", model.Satisfied), model.Narrative{Key: "x", Text: "Met by b."})),
		},
		[]*model.Document{{ID: "POL-1", Kind: "policy", Title: "One", File: "p/one.md", Status: "approved", Effective: day("2025-01-01"),
			Satisfies: []model.Claim{{Standard: "TSC", Control: "CC2.1"}}, Body: "same\n", BodyLine: 9}},
	)
	to := side("new",
		[]*model.Certification{cert("keep", "CC1.1", "CC2.1")},
		[]*model.Component{
			comp("a", sat("CC1.1", status("partial", model.Partial), model.Narrative{Text: "First part."}, model.Narrative{Text: "Second part, changed."})),
			comp("b", sat("CC10.1", status("complete", model.Satisfied), model.Narrative{Key: "x", Text: "Met by b."})),
		},
		[]*model.Document{{ID: "POL-1", Kind: "policy", Title: "One", File: "p/one.md", Status: "draft", Effective: day("2025-01-01"), LastReviewed: day("2025-05-01"),
			Satisfies: []model.Claim{{Standard: "TSC", Control: "CC10.1"}, {Standard: "TSC", Control: "CC2.1"}}, Body: "same\n", BodyLine: 9}},
	)
	r := diff.Compare(from, to)
	want := &diff.Report{
		From: diff.State{Name: "old", AsOf: "2025-06-01"},
		To:   diff.State{Name: "new", AsOf: "2025-06-01"},
		Certifications: []diff.CertChange{
			{Name: "gone", Change: diff.Removed, FromSatisfied: 1, FromDone: 1, FromTotal: 1, Verdicts: []diff.VerdictChange{
				{Standard: "TSC", Control: "CC1.1", Title: "Integrity", From: ptr(model.Satisfied), Change: diff.Removed},
			}},
			{Name: "keep", Change: diff.Changed, FromSatisfied: 3, FromDone: 3, FromTotal: 3, ToDone: 0, ToTotal: 2, Verdicts: []diff.VerdictChange{
				{Standard: "TSC", Control: "CC1.1", Title: "Integrity", From: ptr(model.Satisfied), To: ptr(model.Partial), Change: diff.Worsened},
				{Standard: "TSC", Control: "CC2.1", Title: "Information", From: ptr(model.Satisfied), To: ptr(model.Planned), Change: diff.Worsened},
				{Standard: "TSC", Control: "CC10.1", Title: "Tenth", From: ptr(model.Satisfied), Change: diff.Removed},
			}},
		},
		Components: []diff.CompChange{},
		Narratives: []diff.NarrChange{
			{Component: "a", Standard: "TSC", Control: "CC1.1", Change: diff.Changed,
				From: "First part.\n\nSecond part.", To: "First part.\n\nSecond part, changed.",
				Words: []diff.Segment{{Op: diff.Equal, Text: "First part.\n\nSecond part"}, {Op: diff.Insert, Text: ", changed"}, {Op: diff.Equal, Text: "."}}},
		},
		Documents: []diff.DocChange{
			{ID: "POL-1", Kind: "policy", Title: "One", File: "p/one.md", Change: diff.Changed, Fields: []diff.FieldChange{
				{Field: "status", From: "approved", To: "draft"},
				{Field: "last_reviewed", From: "", To: "2025-05-01"},
				{Field: "satisfies", From: "TSC: CC2.1", To: "TSC: CC2.1, CC10.1"},
			}},
		},
	}
	if !reflect.DeepEqual(r, want) {
		var got, exp bytes.Buffer
		diff.WriteJSON(&got, r)
		diff.WriteJSON(&exp, want)
		t.Errorf("report:\n%s\nwant:\n%s", got.String(), exp.String())
	}
	if r.Empty() {
		t.Error("Empty() on a report with changes")
	}
	same := diff.Compare(from, from)
	if !same.Empty() || same.Certifications == nil || same.Components == nil || same.Narratives == nil || same.Documents == nil {
		t.Errorf("comparing a side with itself: %+v", same)
	}
	var out bytes.Buffer
	if err := diff.WriteJSON(&out, same); err != nil {
		t.Fatal(err)
	}
	const wantJSON = `{
  "from": {
    "name": "old",
    "as_of": "2025-06-01"
  },
  "to": {
    "name": "old",
    "as_of": "2025-06-01"
  },
  "certifications": [],
  "components": [],
  "narratives": [],
  "documents": []
}
`
	if out.String() != wantJSON {
		t.Errorf("JSON of no changes:\n%s", out.String())
	}
}
