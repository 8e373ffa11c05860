package export_test

import (
	"archive/zip"
	"bytes"
	"encoding/csv"
	"encoding/json"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"github.com/charter-compliance/charter/compiler"
	"github.com/charter-compliance/charter/compiler/export"
	"github.com/charter-compliance/charter/internal/schematest"
)

const oscalSchema = "../../../shared/schemas/oscal_complete_schema-1-2-2.json"

// demoFiles is a small repository with one of everything the exports show:
// a control met by a component with two keyed narratives and passing
// evidence, one partly met with failing evidence, one met only by an
// approved policy, one planned, one that nothing claims, and a draft
// procedure.
var demoFiles = map[string]string{
	"opencontrol.yaml": `schema_version: "1.0.0"
name: demo
components:
  - ./components/web
  - ./components/db
standards:
  - ./standards/demo.yaml
certifications:
  - ./certifications/baseline.yaml
  - ./certifications/extra.yaml
`,
	"charter.yaml":                    "gate: [baseline]\ndocuments: [docs]\n",
	"standards/demo.yaml":             "name: DEMO\nAC-1:\n  name: Access control policy\nAC-2:\n  name: Account management\nAC-2 (1):\n  name: Automated account management\n1.10:\n  name: Numbered control\nSC-7:\n  name: Boundary protection\n",
	"certifications/baseline.yaml":    "name: baseline\nstandards:\n  DEMO:\n    AC-1: {}\n    AC-2: {}\n    AC-2 (1): {}\n    1.10: {}\n    SC-7: {}\n",
	"certifications/extra.yaml":       "name: extra/cert\nstandards:\n  DEMO:\n    AC-2: {}\n",
	"components/web/reports/scan.txt": "0 findings\n",
	"components/web/component.yaml": `name: Web application
key: web
schema_version: 3.1.0
verifications:
  - key: login-tests
    name: Login integration tests
    path: https://ci.example/login
    type: URL
    description: The CI suite that signs in with every role.
    test_passed: true
    last_run: "2026-02-20"
  - key: scan
    name: Boundary scan
    path: reports/scan.txt
    type: FILE
    test_passed: false
    last_run: "2026-01-01"
satisfies:
  - standard_key: DEMO
    control_key: AC-2
    narrative:
      - key: a
        text: Accounts are created from the HR system.
      - key: b
        text: "=HYPERLINK(\"http://evil\") accounts are reviewed quarterly."
    implementation_statuses: [complete]
    covered_by:
      - verification_key: login-tests
  - standard_key: DEMO
    control_key: SC-7
    narrative:
      - text: Only the load balancer is exposed.
    implementation_statuses: [complete, planned]
    covered_by:
      - verification_key: scan
  - standard_key: DEMO
    control_key: AC-2 (1)
    narrative:
      - text: Automation is being built.
    implementation_statuses: [planned]
`,
	"components/db/component.yaml": `name: Database
key: db
schema_version: 3.1.0
satisfies:
  - standard_key: DEMO
    control_key: AC-2
    narrative:
      - text: Database accounts come from the directory.
    implementation_statuses: [partial]
    covered_by:
      - component_key: web
        verification_key: login-tests
`,
	"docs/access.md": `---
id: POL-1
title: Access control policy
kind: policy
owner: CISO
approvers: [CEO]
status: approved
effective: 2026-01-15
review_cycle: annual
last_reviewed: 2026-01-15
satisfies:
  DEMO: [AC-1]
---
# Access control

Everyone gets least privilege.
`,
	"docs/onboarding.md": `---
id: PRO-1
title: Onboarding procedure
kind: procedure
owner: IT
status: draft
satisfies:
  DEMO: [AC-2]
---
# Onboarding
`,
}

func writeFiles(t testing.TB, dir string, files map[string]string) {
	t.Helper()
	for name, text := range files {
		p := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

var judgingDay = time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC)

// demo checks the demo repository and returns the exports' input.
func demo(t testing.TB) export.Input {
	t.Helper()
	dir := t.TempDir()
	writeFiles(t, dir, demoFiles)
	res, err := compiler.Check(compiler.Options{Root: dir, SourceDateEpoch: "1772323200"})
	if err != nil {
		t.Fatal(err)
	}
	if res.Diagnostics.HasErrors() {
		t.Fatalf("demo repository has errors: %v", res.Diagnostics)
	}
	return export.Input{Result: res, Info: export.Info{Charter: "test", Version: "v1.2.0", Commit: strings.Repeat("ab", 20),
		AsOf: res.AsOf, AsOfSource: string(res.AsOfSource), PeriodStart: time.Date(2025, 9, 1, 0, 0, 0, 0, time.UTC)}}
}

func TestRows(t *testing.T) {
	in := demo(t)
	if !in.Info.AsOf.Equal(judgingDay) {
		t.Fatalf("judging day %v", in.Info.AsOf)
	}
	rows := export.Rows(in, in.Result.Coverage.Certification("baseline"))
	byID := map[string]export.Row{}
	for _, r := range rows {
		byID[r.Control] = r
	}
	ac2 := byID["AC-2"]
	if ac2.Verdict.String() != "satisfied" || len(ac2.Components) != 2 || ac2.Components[0].Key != "web" {
		t.Errorf("AC-2: %+v", ac2)
	}
	if len(ac2.Narratives) != 3 || ac2.Narratives[0].Key != "a" {
		t.Errorf("AC-2 narratives: %+v", ac2.Narratives)
	}
	// web's and db's claims share one verification: listed once
	if len(ac2.Evidence) != 1 || ac2.Evidence[0].Result != export.Passed || *ac2.Evidence[0].AgeDays != 9 {
		t.Errorf("AC-2 evidence: %+v", ac2.Evidence)
	}
	if got := ac2.Evidence[0].String(); got != "web/login-tests (Login integration tests): passed, last run 2026-02-20, 9 days before the judging day; https://ci.example/login" {
		t.Errorf("evidence cell %q", got)
	}
	// db is partial and the procedure a draft: both stay open
	if len(ac2.Open) != 2 || ac2.Open[0].Key != "db" || ac2.Open[1].Key != "PRO-1" {
		t.Errorf("AC-2 open claims: %+v", ac2.Open)
	}
	if r := byID["AC-1"]; r.Verdict.String() != "satisfied" || len(r.Documents) != 1 || r.Documents[0].Key != "POL-1" || len(r.Components) != 0 {
		t.Errorf("AC-1: %+v", r)
	}
	if r := byID["SC-7"]; r.Verdict.String() != "partial" || r.Evidence[0].Result != export.Failed {
		t.Errorf("SC-7: %+v", r)
	}
	if r := byID["1.10"]; r.Verdict.String() != "missing" || len(r.Components)+len(r.Documents)+len(r.Evidence) != 0 {
		t.Errorf("1.10: %+v", r)
	}
}

func TestCSV(t *testing.T) {
	in := demo(t)
	files, err := export.CSVFiles(in)
	if err != nil {
		t.Fatal(err)
	}
	if len(files) != 2 || files[0].Path != "baseline.csv" || files[1].Path != "extra_cert.csv" {
		t.Fatalf("files %v", names(files))
	}
	recs, err := readCSV(files[0].Data)
	if err != nil {
		t.Fatal(err)
	}
	head := map[string]string{}
	for _, r := range recs[:6] {
		head[r[0]] = r[1]
	}
	if head["control matrix"] != "baseline" || head["version"] != "v1.2.0" || head["commit"] != strings.Repeat("ab", 20) ||
		head["judging day"] != "2026-03-01" || head["audit period"] != "2025-09-01 to 2026-03-01" {
		t.Errorf("header block %v", head)
	}
	// the empty line between header block and table is not a record
	if strings.Join(recs[6], "|") != strings.Join(export.Columns, "|") {
		t.Errorf("column row %v", recs[6])
	}
	if len(recs) != 7+5 {
		t.Fatalf("%d records, want 7 + 5 criteria", len(recs))
	}
	ac2 := recs[9]
	if ac2[1] != "AC-2" || ac2[3] != "satisfied" || !strings.Contains(ac2[5], "web b: =HYPERLINK") {
		t.Errorf("AC-2 record %q", ac2)
	}
	// a cell that starts like a formula is made inert
	if !strings.HasPrefix(inertCell(t, in), "'=") {
		t.Errorf("formula-like cell not neutralised")
	}
}

// inertCell is the CSV cell of a control titled like a formula.
func inertCell(t *testing.T, in export.Input) string {
	in.Result.Workspace.Standards[0].Controls[0].Name = "=1+1"
	defer func() { in.Result.Workspace.Standards[0].Controls[0].Name = "Access control policy" }()
	var b bytes.Buffer
	if err := export.WriteCSV(&b, in, in.Result.Coverage.Certification("baseline")); err != nil {
		t.Fatal(err)
	}
	recs, err := readCSV(b.Bytes())
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range recs[7:] {
		if r[1] == in.Result.Workspace.Standards[0].Controls[0].ID {
			return r[2]
		}
	}
	t.Fatal("control not found")
	return ""
}

func readCSV(data []byte) ([][]string, error) {
	r := csv.NewReader(bytes.NewReader(data))
	r.FieldsPerRecord = -1
	return r.ReadAll()
}

func names(fs []export.NamedFile) []string {
	var out []string
	for _, f := range fs {
		out = append(out, f.Path)
	}
	return out
}

func TestXLSX(t *testing.T) {
	in := demo(t)
	var a, b bytes.Buffer
	if err := export.WriteXLSX(&a, in); err != nil {
		t.Fatal(err)
	}
	if err := export.WriteXLSX(&b, demo(t)); err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(a.Bytes(), b.Bytes()) {
		t.Error("two exports of the same repository differ")
	}
	f, err := excelize.OpenReader(bytes.NewReader(a.Bytes()))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if got := strings.Join(f.GetSheetList(), "|"); got != "baseline|extra_cert" {
		t.Errorf("sheets %s", got)
	}
	rows, err := f.GetRows("baseline")
	if err != nil {
		t.Fatal(err)
	}
	if rows[3][1] != "2026-03-01" || rows[7][0] != "standard" || rows[10][1] != "AC-2" || rows[10][3] != "satisfied" {
		t.Errorf("rows %q", rows[:10])
	}
	// a narrative that looks like a formula is stored as text
	if formula, _ := f.GetCellFormula("baseline", "F11"); formula != "" {
		t.Errorf("cell stored as formula %q", formula)
	}
	panes, err := f.GetPanes("baseline")
	if err != nil || !panes.Freeze || panes.YSplit != 8 {
		t.Errorf("panes %+v %v", panes, err)
	}
	if w, _ := f.GetColWidth("baseline", "F"); w != 80 {
		t.Errorf("narratives column width %v", w)
	}
	props, err := f.GetDocProps()
	if err != nil || props.Created != "2026-03-01T00:00:00Z" || props.Modified != "2026-03-01T00:00:00Z" {
		t.Errorf("doc props %+v %v", props, err)
	}
	sheet := zipEntry(t, a.Bytes(), "xl/worksheets/sheet1.xml")
	if !strings.Contains(sheet, `<autoFilter ref="$A$8:$I$13"`) {
		t.Errorf("no filter over the table: %s", sheet)
	}
}

func zipEntry(t *testing.T, data []byte, name string) string {
	t.Helper()
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range zr.File {
		if f.Name == name {
			rc, err := f.Open()
			if err != nil {
				t.Fatal(err)
			}
			defer rc.Close()
			b, err := io.ReadAll(rc)
			if err != nil {
				t.Fatal(err)
			}
			return string(b)
		}
	}
	t.Fatalf("%s not in archive", name)
	return ""
}

func TestJSONConformsToSchema(t *testing.T) {
	in := demo(t)
	var b bytes.Buffer
	if err := export.WriteJSON(&b, in); err != nil {
		t.Fatal(err)
	}
	schematest.Validate(t, "../../docs/export.schema.json", b.Bytes())
	var doc struct {
		Certifications []struct {
			Name     string         `json:"name"`
			Counts   map[string]int `json:"counts"`
			Controls []struct {
				Verdict string `json:"verdict"`
				Open    int    `json:"open_claims"`
			} `json:"controls"`
		} `json:"certifications"`
		Components []struct {
			Verifications []struct {
				Result  string `json:"result"`
				AgeDays int    `json:"age_days"`
			} `json:"verifications"`
		} `json:"components"`
	}
	if err := json.Unmarshal(b.Bytes(), &doc); err != nil {
		t.Fatal(err)
	}
	c := doc.Certifications[0]
	if c.Name != "baseline" || c.Counts["satisfied"] != 2 || c.Counts["missing"] != 1 || c.Controls[2].Open != 2 {
		t.Errorf("baseline %+v", c)
	}
	if v := doc.Components[1].Verifications; len(v) != 2 || v[0].Result != "passed" || v[1].Result != "failed" || v[1].AgeDays != 59 {
		t.Errorf("web's verifications %+v", v)
	}
	// the schema is not a formality: a broken document fails it
	broken := bytes.Replace(b.Bytes(), []byte(`"result": "passed"`), []byte(`"result": "green"`), 1)
	if schematest.Invalid(t, "../../docs/export.schema.json", broken) == nil {
		t.Error("schema accepted an unknown verification result")
	}
}

func TestCertSelection(t *testing.T) {
	in := demo(t)
	in.Certs = []string{"extra/cert"}
	cs, err := in.Certifications()
	if err != nil || len(cs) != 1 || cs[0].Cert.Name != "extra/cert" {
		t.Fatalf("%v %v", cs, err)
	}
	in.Certs = []string{"baselin"}
	if _, err := in.Certifications(); err == nil || !strings.Contains(err.Error(), `did you mean "baseline"`) {
		t.Errorf("unknown certification: %v", err)
	}
}

var uuidRE = regexp.MustCompile(`"uuid": "([0-9a-f-]{36})"`)

func TestOSCAL(t *testing.T) {
	in := demo(t)
	files, err := export.OSCALFiles(in)
	if err != nil {
		t.Fatal(err)
	}
	again, err := export.OSCALFiles(demo(t))
	if err != nil {
		t.Fatal(err)
	}
	for i, f := range files {
		schematest.Validate(t, oscalSchema, f.Data)
		if !bytes.Equal(f.Data, again[i].Data) {
			t.Errorf("%s differs between two exports", f.Path)
		}
		seen := map[string]bool{}
		for _, m := range uuidRE.FindAllStringSubmatch(string(f.Data), -1) {
			if seen[m[1]] {
				t.Errorf("%s: uuid %s used twice", f.Path, m[1])
			}
			seen[m[1]] = true
			if m[1][14] != '5' {
				t.Errorf("%s: uuid %s is not version 5", f.Path, m[1])
			}
		}
	}
	cd := string(files[0].Data)
	for _, want := range []string{`"type": "policy"`, `"type": "process-procedure"`, `"control-id": "ac-2.1"`,
		`"statement-id": "ac-2_smt.a"`, `"statement-id": "ac-2_smt.b"`, `"source": "standards/demo.yaml"`, `"oscal-version": "1.2.2"`} {
		if !strings.Contains(cd, want) {
			t.Errorf("component definition lacks %s", want)
		}
	}
	var ar struct {
		AR struct {
			ImportAP struct{ Href string } `json:"import-ap"`
			Results  []struct {
				Title    string
				Start    string
				End      string
				Findings []struct {
					Title  string
					Target struct {
						TargetID string `json:"target-id"`
						Status   struct{ State string }
					}
					Related []struct {
						UUID string `json:"observation-uuid"`
					} `json:"related-observations"`
				}
				Observations []struct {
					UUID      string
					Collected string
				}
			}
		} `json:"assessment-results"`
	}
	if err := json.Unmarshal(files[2].Data, &ar); err != nil {
		t.Fatal(err)
	}
	if ar.AR.ImportAP.Href != export.AssessmentPlanFile || len(ar.AR.Results) != 2 {
		t.Fatalf("assessment results %+v", ar.AR)
	}
	r := ar.AR.Results[0]
	if r.Title != "baseline" || r.Start != "2025-09-01T00:00:00Z" || r.End != "2026-03-01T00:00:00Z" {
		t.Errorf("result %s %s..%s", r.Title, r.Start, r.End)
	}
	states := map[string]string{}
	for _, f := range r.Findings {
		states[f.Target.TargetID] = f.Target.Status.State
	}
	if states["ac-1"] != "satisfied" || states["ac-2"] != "satisfied" || states["sc-7"] != "not-satisfied" || states["_1.10"] != "not-satisfied" {
		t.Errorf("finding states %v", states)
	}
	if len(r.Observations) != 2 || r.Observations[0].Collected != "2026-02-20T00:00:00Z" || r.Findings[2].Related[0].UUID != r.Observations[0].UUID {
		t.Errorf("observations %+v, AC-2 related %+v", r.Observations, r.Findings[2].Related)
	}
}

func TestToken(t *testing.T) {
	for in, want := range map[string]string{"AC-2 (1)": "ac-2.1", "CC6.1": "cc6.1", "1.10": "_1.10", "A.5:1 x": "a.5_1_x", "": "_"} {
		if got := export.Token(in); got != want {
			t.Errorf("Token(%q) = %q, want %q", in, got, want)
		}
	}
}

// The bundle's bytes do not depend on how many processors compress it.
func TestBundleSameOnAnyGOMAXPROCS(t *testing.T) {
	in := demo(t)
	files, err := export.Exports(in)
	if err != nil {
		t.Fatal(err)
	}
	var one, many bytes.Buffer
	prev := runtime.GOMAXPROCS(1)
	err = export.WriteBundle(&one, in, files)
	runtime.GOMAXPROCS(max(prev, 4))
	if err == nil {
		err = export.WriteBundle(&many, in, files)
	}
	runtime.GOMAXPROCS(prev)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(one.Bytes(), many.Bytes()) {
		t.Error("bundle differs between GOMAXPROCS=1 and more")
	}
	v, err := export.VerifyBundle(bytes.NewReader(one.Bytes()), int64(one.Len()))
	if err != nil || !v.OK() || len(v.Manifest.Files) != len(files)+1 {
		t.Errorf("verify: %+v %v", v, err)
	}
}
