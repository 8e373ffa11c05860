package export_test

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/charter-compliance/charter/compiler"
	"github.com/charter-compliance/charter/compiler/export"
	"github.com/charter-compliance/charter/compiler/history/gittest"
	"github.com/charter-compliance/charter/internal/schematest"
)

// changeProgram is a repository whose CC8.1 is covered by charter's
// change-management test and whose CC6.1 is not; rules is charter.yaml's
// change_management.
func changeProgram(rules string) map[string]string {
	return map[string]string{
		"opencontrol.yaml": "schema_version: \"1.0.0\"\nname: cm\ncomponents:\n  - ./components/github\nstandards:\n  - ./standards/TSC.yaml\ncertifications:\n  - ./certifications/soc2.yaml\n",
		"charter.yaml":     "audit_period:\n  from: 2027-01-01\n  to: 2027-12-31\nchange_management:\n" + rules,
		"standards/TSC.yaml": "name: TSC\nCC6.1:\n  family: CC6\n  name: Logical access security\n" +
			"CC8.1:\n  family: CC8\n  name: Change management\n",
		"certifications/soc2.yaml": "name: soc2\nstandards:\n  TSC:\n    CC6.1: {}\n    CC8.1: {}\n",
		"components/github/component.yaml": `name: GitHub
key: github
schema_version: 3.1.0
verifications:
  - key: change-management-test
    name: Change population test of the audit period
    path: charter.yaml
    type: change-management
    description: charter's built-in test of every change of the audit period.
satisfies:
  - standard_key: TSC
    control_key: CC8.1
    narrative:
      - text: Every change is reviewed.
    implementation_statuses: [complete]
    covered_by:
      - verification_key: change-management-test
  - standard_key: TSC
    control_key: CC6.1
    narrative:
      - text: Access is through SSO.
    implementation_statuses: [complete]
`,
	}
}

type arObservation struct {
	UUID     string
	Title    string
	Props    []struct{ Name, Value string }
	Evidence []struct {
		Href        string
		Description string
	} `json:"relevant-evidence"`
}

func (o arObservation) prop(name string) string {
	for _, p := range o.Props {
		if p.Name == name {
			return p.Value
		}
	}
	return ""
}

// changeTest exports the assessment results of the program committed to
// a real git repository with the given rules, and returns the
// change-management test's observation and, by control, the observations
// each finding relates.
func changeTest(t *testing.T, rules string) (arObservation, map[string][]string) {
	t.Helper()
	r := gittest.New(t)
	for name, text := range changeProgram(rules) {
		r.Write(name, text)
	}
	commit := r.Commit(gittest.Alice, gittest.Day(2027, 3, 1, 10), "Start the program")
	res, err := compiler.Check(compiler.Options{Root: r.Dir, SourceDateEpoch: "1811808000"}) // 2027-06-01
	if err != nil {
		t.Fatal(err)
	}
	if res.Changes == nil || res.Changes.Population == nil || res.Changes.Population.Total != 1 {
		t.Fatalf("change test of the period: %+v (%v)", res.Changes, res.Diagnostics)
	}
	in := export.Input{Result: res, Info: export.Info{Charter: "test", Version: "v1", Commit: commit, AsOf: res.AsOf, AsOfSource: string(res.AsOfSource)}}
	data, err := export.AssessmentResults(in)
	if err != nil {
		t.Fatal(err)
	}
	schematest.Validate(t, oscalSchema, data)
	again, err := export.AssessmentResults(in)
	if err != nil || string(again) != string(data) {
		t.Errorf("two exports differ (%v)", err)
	}
	var ar struct {
		AR struct {
			Results []struct {
				Observations []arObservation
				Findings     []struct {
					Target struct {
						TargetID string `json:"target-id"`
					}
					Related []struct {
						UUID string `json:"observation-uuid"`
					} `json:"related-observations"`
				}
			}
		} `json:"assessment-results"`
	}
	if err := json.Unmarshal(data, &ar); err != nil {
		t.Fatal(err)
	}
	if len(ar.AR.Results) != 1 {
		t.Fatalf("%d results, want 1", len(ar.AR.Results))
	}
	result := ar.AR.Results[0]
	var test arObservation
	for _, o := range result.Observations {
		if o.prop("verification-type") == "change-management" {
			if test.UUID != "" {
				t.Errorf("two change-management test observations")
			}
			test = o
		}
	}
	if test.UUID == "" {
		t.Fatalf("no observation of the change-management test among %+v", result.Observations)
	}
	related := map[string][]string{}
	for _, f := range result.Findings {
		for _, o := range f.Related {
			related[f.Target.TargetID] = append(related[f.Target.TargetID], o.UUID)
		}
	}
	return test, related
}

// A direct push breaks require_pull_request: the change-management test's
// observation fails with the OC501 finding as its evidence, and the
// finding of CC8.1, which the test covers, relates it; CC6.1's does not.
func TestAssessmentResultsChangeTestFails(t *testing.T) {
	test, related := changeTest(t, "  require_pull_request: true\n  min_approvals: 1\n")
	if got := test.prop("result"); got != "failed" {
		t.Errorf("result %q, want failed", got)
	}
	if test.prop("changes") != "1" || test.prop("violations") != "1" {
		t.Errorf("props %+v, want 1 change, 1 violation", test.Props)
	}
	if len(test.Evidence) != 1 || !strings.HasPrefix(test.Evidence[0].Description, "OC501: change ") ||
		!strings.Contains(test.Evidence[0].Description, "require_pull_request") {
		t.Errorf("evidence %+v, want the OC501 finding of the direct push", test.Evidence)
	}
	if !contains(related["cc8.1"], test.UUID) {
		t.Errorf("CC8.1's finding relates %v, not the change test %s", related["cc8.1"], test.UUID)
	}
	if contains(related["cc6.1"], test.UUID) {
		t.Errorf("CC6.1's finding relates the change test, which does not cover it")
	}
}

// With rules the change follows, the test passes and has no findings.
func TestAssessmentResultsChangeTestPasses(t *testing.T) {
	test, related := changeTest(t, "  require_pull_request: false\n")
	if got := test.prop("result"); got != "passed" {
		t.Errorf("result %q, want passed", got)
	}
	if len(test.Evidence) != 0 {
		t.Errorf("evidence %+v, want none", test.Evidence)
	}
	if !contains(related["cc8.1"], test.UUID) {
		t.Errorf("CC8.1's finding relates %v, not the change test %s", related["cc8.1"], test.UUID)
	}
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}
