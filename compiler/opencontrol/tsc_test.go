package opencontrol_test

import (
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"testing"

	"gopkg.in/yaml.v3"

	"github.com/charter-compliance/charter/compiler/model"
	"github.com/charter-compliance/charter/compiler/opencontrol"
)

// masonryControls reads a standard the way compliance-masonry does: plain
// yaml.v3 into a map, unknown fields ignored, every top-level key but name
// a control.
func masonryControls(t *testing.T, path string) []string {
	t.Helper()
	text, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var doc map[string]any
	if err := yaml.Unmarshal(text, &doc); err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	var ids []string
	for k, v := range doc {
		if k == "name" {
			continue
		}
		if _, ok := v.(map[string]any); !ok {
			t.Errorf("%s: top-level key %q is not a control's mapping: %T", path, k, v)
		}
		ids = append(ids, k)
	}
	slices.SortFunc(ids, model.CompareIDs)
	return ids
}

// The shipped SOC 2 standard is pure OpenControl: read as masonry reads
// it, its controls are exactly the 61 criteria, the ones charter reads,
// and (when the corpus is there) the ones the AICPA-worded standard lists.
func TestShippedTSCIsPureOpenControl(t *testing.T) {
	path := filepath.Join("..", "..", "standards", "TSC.yaml")
	ids := masonryControls(t, path)
	if len(ids) != 61 {
		t.Fatalf("masonry would read %d controls, want 61: %q", len(ids), ids)
	}
	criterion := regexp.MustCompile(`^(CC[1-9]|A1|C1|PI1|P[1-8])\.[1-9][0-9]?$`)
	for _, id := range ids {
		if !criterion.MatchString(id) {
			t.Errorf("%q is not a Trust Services Criterion", id)
		}
	}
	text, _ := os.ReadFile(path)
	s, l := opencontrol.DecodeStandard("standards/TSC.yaml", text)
	if s == nil || len(l) != 0 {
		t.Fatalf("charter's decode: %q", briefs(l))
	}
	if got := s.ControlIDs(); !slices.Equal(got, ids) {
		t.Errorf("charter reads %q\nmasonry reads %q", got, ids)
	}
	// every family is named, from its controls
	for _, c := range s.Controls {
		if c.Family == "" || s.Families[c.Family] == "" {
			t.Errorf("%s: family %q has no name", c.ID, c.Family)
		}
	}
	if len(s.Families) != 20 {
		t.Errorf("%d families named, want 20: %v", len(s.Families), s.Families)
	}
	aicpa := filepath.Join("..", "..", "..", "shared", "corpus", "standards", "tsc-2017.yaml")
	if _, err := os.Stat(aicpa); err != nil {
		t.Logf("corpus standard not available: %v", err)
		return
	}
	if want := masonryControls(t, aicpa); !slices.Equal(ids, want) {
		t.Errorf("shipped criteria %q\ndiffer from the corpus's %q", ids, want)
	}
}
