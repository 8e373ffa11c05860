package diag

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"

	"github.com/charter-compliance/charter/internal/schematest"
)

const sarifSchema = "../../../shared/schemas/sarif-schema-2.1.0.json"

type sarifDoc struct {
	Runs []struct {
		Tool struct {
			Driver struct {
				Rules []struct {
					ID   string
					Help struct{ Text string }
				}
			}
		}
		Results []struct {
			RuleID    string
			RuleIndex int
			Level     string
			Message   struct{ Text string }
			Locations []struct {
				PhysicalLocation struct {
					ArtifactLocation struct{ URI string }
					Region           *struct{ StartLine, StartColumn int }
				}
			}
			PartialFingerprints map[string]string
		}
	}
}

func writeSARIF(t *testing.T, l List, o SARIFOptions) ([]byte, sarifDoc) {
	t.Helper()
	var b bytes.Buffer
	if err := WriteSARIF(&b, l, o); err != nil {
		t.Fatal(err)
	}
	schematest.Validate(t, sarifSchema, b.Bytes())
	var doc sarifDoc
	if err := json.Unmarshal(b.Bytes(), &doc); err != nil {
		t.Fatal(err)
	}
	return b.Bytes(), doc
}

func TestSARIF(t *testing.T) {
	l := List{
		{Severity: Error, Code: CodeUnknownControl, Message: `control "CC9.9" is not in TSC (line 3)`, Hint: "check the ID",
			Pos: Pos{File: "components/my app/component.yaml", Line: 14, Col: 5}, Source: "    control_key: CC9.9",
			Notes: []Note{{Pos: Pos{File: "standards/TSC.yaml", Line: 1}, Message: "TSC is defined here"}}},
		{Severity: Warning, Code: CodeEmpty, Message: "file is empty", Pos: Pos{File: "x.yaml"}},
		{Severity: Error, Code: CodeRead, Message: "no repository", Pos: Pos{}},
	}
	_, doc := writeSARIF(t, l, SARIFOptions{ToolVersion: "1.0", URIPrefix: "compliance/"})
	run := doc.Runs[0]
	if len(run.Tool.Driver.Rules) != len(Description) {
		t.Errorf("%d rules for %d codes", len(run.Tool.Driver.Rules), len(Description))
	}
	for _, r := range run.Tool.Driver.Rules {
		if !strings.Contains(r.Help.Text, Description[Code(r.ID)]) {
			t.Errorf("rule %s help %q lacks its description", r.ID, r.Help.Text)
		}
	}
	if len(run.Results) != 3 {
		t.Fatalf("%d results", len(run.Results))
	}
	r := run.Results[0]
	if run.Tool.Driver.Rules[r.RuleIndex].ID != "OC202" || r.Level != "error" || r.Message.Text != "control \"CC9.9\" is not in TSC (line 3)\nhint: check the ID" {
		t.Errorf("result %+v", r)
	}
	loc := r.Locations[0].PhysicalLocation
	if loc.ArtifactLocation.URI != "compliance/components/my%20app/component.yaml" || loc.Region.StartLine != 14 || loc.Region.StartColumn != 5 {
		t.Errorf("location %+v", loc)
	}
	if run.Results[1].Level != "warning" || run.Results[1].Locations[0].PhysicalLocation.Region != nil {
		t.Errorf("whole-file result %+v", run.Results[1])
	}
	if len(run.Results[2].Locations) != 0 {
		t.Errorf("a command-line problem has a location: %+v", run.Results[2].Locations)
	}
}

// A finding keeps its fingerprint when lines above it are added; another
// finding, or the same finding on a changed line, does not share it.
func TestSARIFFingerprints(t *testing.T) {
	d := Diagnostic{Severity: Error, Code: CodeUnknownKey, Message: `unknown key "x" at 3:5`, Pos: Pos{File: "a.yaml", Line: 3, Col: 5}, Source: "  x: 1"}
	moved := d
	moved.Pos.Line, moved.Message, moved.Source = 9, `unknown key "x" at 9:5`, "    x: 1"
	if Fingerprint(d, "") != Fingerprint(moved, "") {
		t.Error("fingerprint changed when the line moved")
	}
	other := d
	other.Source = "  y: 1"
	if Fingerprint(d, "") == Fingerprint(other, "") {
		t.Error("different lines share a fingerprint")
	}
	if Fingerprint(d, "") == Fingerprint(d, "sub/") {
		t.Error("different files share a fingerprint")
	}
	twice := d
	twice.Pos.Line = 7
	_, doc := writeSARIF(t, List{d, twice}, SARIFOptions{})
	a, b := doc.Runs[0].Results[0].PartialFingerprints[FingerprintKey], doc.Runs[0].Results[1].PartialFingerprints[FingerprintKey]
	if a == b || b != a+":2" {
		t.Errorf("repeated finding fingerprints %q and %q", a, b)
	}
}

func TestSARIFEmpty(t *testing.T) {
	data, doc := writeSARIF(t, nil, SARIFOptions{ToolVersion: "dev"})
	if len(doc.Runs) != 1 || doc.Runs[0].Results == nil && !bytes.Contains(data, []byte(`"results": []`)) {
		t.Errorf("empty log %s", data)
	}
	if schematest.Invalid(t, sarifSchema, bytes.Replace(data, []byte(`"2.1.0"`), []byte(`"2.0"`), 1)) == nil {
		t.Error("the SARIF schema accepted version 2.0: the validation proves nothing")
	}
}
