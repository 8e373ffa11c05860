package site_test

import (
	"strings"
	"testing"

	"github.com/charter-compliance/charter/compiler"
	"github.com/charter-compliance/charter/compiler/links"
)

// The shipped standard names its families in its controls' family_name
// (no top-level families: key, which other tools read as a control), and
// the standard's page still shows every family by name.
func TestStandardPageNamesFamiliesFromControls(t *testing.T) {
	br := build(t, "../..", compiler.BuildOptions{})
	std := page(t, br.Site, links.Standard("TSC"))
	for _, name := range []string{"Control Environment", "Logical and Physical Access Controls", "Additional Criteria for Processing Integrity", "Monitoring and Enforcement"} {
		if !strings.Contains(std, name) {
			t.Errorf("the TSC page does not name family %q", name)
		}
	}
	if strings.Contains(std, `standards/TSC/families.html`) {
		t.Error("the TSC page lists a control named families")
	}
}
