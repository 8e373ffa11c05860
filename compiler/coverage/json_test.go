package coverage_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"

	"github.com/charter-compliance/charter/compiler/coverage"
	"github.com/charter-compliance/charter/compiler/diag"
	"github.com/charter-compliance/charter/compiler/model"
)

// awkward are strings that JSON must escape: every byte value, invalid
// UTF-8, HTML characters, the JavaScript line separators, and random bytes.
func awkward() []string {
	var all strings.Builder
	for b := range 256 {
		all.WriteByte(byte(b))
	}
	out := []string{"", "plain", all.String(), "tab\there\nnew\rline\b\f", `quote " and \ back`, "<script>&amp;</script>",
		"line\u2028sep\u2029par", "é ü 日本 🙂", "bad \xff\xfe byte", "cut \xe6\x97", "\x00\x1f\x7f"}
	rng := rand.New(rand.NewPCG(1, 2))
	for range 300 {
		b := make([]byte, rng.IntN(24))
		for i := range b {
			b[i] = byte(rng.IntN(256))
		}
		out = append(out, string(b))
	}
	return out
}

// awkwardWorkspace puts the awkward strings into every field the JSON
// report prints, and covers each optional field present and absent.
func awkwardWorkspace() *model.Workspace {
	strs := awkward()
	std := &model.Standard{Name: "S<&>", File: "s.yaml"}
	var comps []*model.Component
	var certControls []model.CertControl
	for i, s := range strs {
		id := fmt.Sprintf("C-%d%s", i, s)
		name := s
		std.Controls = append(std.Controls, &model.Control{Standard: std.Name, ID: id, Name: name})
		certControls = append(certControls, model.CertControl{Standard: std.Name, Control: id})
		if i%4 == 3 {
			continue // claimed by nothing
		}
		sat := &model.Satisfaction{StandardKey: std.Name, ControlKey: id, Pos: diag.Pos{File: "c/" + s + "/component.yaml", Line: i % 3}}
		if i%2 == 0 {
			sat.Narratives = []model.Narrative{{Key: s, Text: "done " + s}, {Key: "", Text: "more"}}
		}
		if i%3 != 0 {
			sat.Statuses = []model.StatusValue{{Raw: s, Status: model.Satisfied}, {Raw: "planned", Status: model.Planned}}
		}
		if i%5 == 0 {
			sat.Origins = []model.Origin{{Value: s}}
		}
		key := fmt.Sprintf("k%d%s", i, s)
		if i%7 == 0 {
			key = ""
		}
		comps = append(comps, &model.Component{Key: key, Satisfies: []*model.Satisfaction{sat}})
	}
	docs := []*model.Document{
		{ID: "POL<1>", File: "templates/p&.md", Status: "approved", Satisfies: []model.Claim{{Standard: std.Name, Control: std.Controls[1].ID}}},
		{ID: "", File: "templates/draft.md", Status: "draft", Satisfies: []model.Claim{{Standard: std.Name, Control: std.Controls[3].ID}}},
	}
	certControls = append(certControls, model.CertControl{Standard: std.Name, Control: "unknown\u2028"})
	ws := &model.Workspace{
		Standards:  []*model.Standard{std},
		Components: comps,
		Documents:  docs,
		Certifications: []*model.Certification{
			{Name: "all \"of\" it\n", Controls: certControls},
			{Name: "empty"},
		},
	}
	ws.Index()
	return ws
}

// WriteJSONCertifications streams exactly what encoding/json writes for
// JSONCertifications, at every depth, for every selection.
func TestWriteJSONCertificationsMatchesEncodingJSON(t *testing.T) {
	r := coverage.Compute(awkwardWorkspace(), asOf)
	r2 := coverage.Compute(workspace(), asOf)
	for _, tc := range []struct {
		r   *coverage.Report
		sel coverage.Selection
	}{
		{r, coverage.Selection{}},
		{r, coverage.Selection{Names: []string{"empty"}, Gated: map[string]bool{"empty": true}}},
		{r, coverage.Selection{Names: []string{"none such"}}},
		{r2, coverage.Selection{Gated: map[string]bool{"soc2": true}}},
	} {
		for _, depth := range []int{0, 1, 3} {
			prefix := strings.Repeat("  ", depth)
			want, err := json.MarshalIndent(coverage.JSONCertifications(tc.r, tc.sel), prefix, "  ")
			if err != nil {
				t.Fatal(err)
			}
			var got bytes.Buffer
			if err := coverage.WriteJSONCertifications(&got, tc.r, tc.sel, depth); err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(got.Bytes(), want) {
				g, w := got.String(), string(want)
				i := 0
				for i < len(g) && i < len(w) && g[i] == w[i] {
					i++
				}
				t.Fatalf("selection %v, depth %d: output differs at byte %d of %d:\n got %q\nwant %q", tc.sel.Names, depth, i, len(w),
					g[max(0, i-80):min(len(g), i+80)], w[max(0, i-80):min(len(w), i+80)])
			}
		}
	}
}

// A program large enough to be judged on several processors gets, verdict
// by verdict, the evidence a plain scan of every claim gives, in order.
func TestComputeLargeMatchesScan(t *testing.T) {
	std := standard("S")
	for i := range 400 {
		std.Controls = append(std.Controls, &model.Control{Standard: "S", ID: fmt.Sprintf("C-%d", i)})
	}
	raws := []string{"complete", "partial", "planned", "none", "not applicable", "complete"}
	var comps []*model.Component
	for c := range 50 {
		comp := &model.Component{Key: fmt.Sprintf("comp-%02d", c)}
		for k := range 40 + c%40 {
			id := fmt.Sprintf("C-%d", (c*37+k*11)%410) // some unknown to S
			narrative := ""
			if k%3 != 0 {
				narrative = "Explained."
			}
			comp.Satisfies = append(comp.Satisfies, satisfaction("S", id, narrative, raws[(c+k)%len(raws)]))
		}
		comps = append(comps, comp)
	}
	ws := &model.Workspace{Standards: []*model.Standard{std}, Components: comps,
		Documents: []*model.Document{{ID: "POL-1", Status: "approved", Satisfies: []model.Claim{{Standard: "S", Control: "C-7"}}}}}
	ws.Index()
	r := coverage.Compute(ws, asOf)
	claims := 0
	for _, c := range std.Controls {
		v := r.Verdict("S", c.ID)
		var want []string
		for _, comp := range comps {
			for _, s := range comp.Satisfies {
				if s.ControlKey == c.ID {
					reason := "status " + s.Statuses[0].Raw
					switch {
					case s.Statuses[0].Raw == "complete" && !s.HasNarrative():
						reason = "marked done but has no narrative"
					case s.Verdict() == model.Unknown:
						reason = "marked not applicable without saying why"
					}
					want = append(want, fmt.Sprintf("%s %s %s", comp.Key, s.Verdict(), reason))
				}
			}
		}
		var got []string
		for _, e := range v.Evidence {
			if e.Kind == coverage.FromComponent {
				got = append(got, fmt.Sprintf("%s %s %s", e.Component.Key, e.Status, e.Reason))
			}
		}
		slices.Sort(want)
		slices.Sort(got)
		if !slices.Equal(got, want) {
			t.Fatalf("%s: evidence %q, want %q", c.ID, got, want)
		}
		claims += len(got)
	}
	sats := 0
	for _, comp := range comps {
		sats += len(comp.Satisfies)
	}
	if sats < 2048 || claims == sats {
		t.Fatalf("%d satisfactions, %d of known controls: want at least 2,048 (judged in parallel), some unknown", sats, claims)
	}
}
