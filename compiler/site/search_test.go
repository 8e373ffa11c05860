package site_test

import (
	"strings"
	"testing"

	"github.com/charter-compliance/charter/compiler"
)

// TestSearchIndexGroups checks the index of the search fixture without a
// browser: every criterion names its standard and status, paths rebuilt
// from the groups are pages of the site, and summaries are plain text.
func TestSearchIndexGroups(t *testing.T) {
	br := build(t, searchWorkspace(t), compiler.BuildOptions{})
	pages, _ := searchIndex(t, br.Site)
	ac2 := 0
	for _, p := range pages {
		if br.Site.Get(p[3]) == nil {
			t.Errorf("%s: no such page", p[3])
		}
		if p[0] == "criterion" && (!strings.HasPrefix(p[5], "NIST-800-53 rev") || p[6] == "") {
			t.Errorf("criterion %s: standard %q, status %q", p[1], p[5], p[6])
		}
		if p[0] != "criterion" && (p[5] != "" || p[6] != "") {
			t.Errorf("%s %s: standard %q, status %q", p[0], p[1], p[5], p[6])
		}
		if p[1] == "AC-2" {
			ac2++
			if want := "The organization: a. Identifies and selects account types; b. Assigns account managers."; p[4] != want {
				t.Errorf("AC-2 summary %q, want %q", p[4], want)
			}
		}
	}
	if ac2 != 2 {
		t.Errorf("%d AC-2 entries, want one per revision", ac2)
	}
}
