package main

import (
	"encoding/csv"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/charter-compliance/charter/compiler/history/gittest"
)

// changeRules is the program's charter.yaml with change management rules,
// written to the working tree (the population comes from git, the rules
// from the tree at hand).
const changeRules = `organization: Mini Corp
documents: [policies, procedures]
repository_url: https://github.com/acme/mini
audit_period:
  from: 2024-01-01
change_management:
  branch: main
  require_pull_request: true
  min_approvals: 1
  require_recorded_reviews: true
  exceptions:
    - commit: FIRST
      reason: the program's first commit, before review was set up
      approved_by: CISO
`

func changesProgram(t *testing.T) *gittest.Program {
	p := gittest.NewProgram(t)
	p.Write("charter.yaml", strings.Replace(changeRules, "FIRST", p.First[:12], 1))
	gittest.SetEnv(t) // record runs git notes
	return p
}

func TestChangesCommand(t *testing.T) {
	p := changesProgram(t)
	code, out, errs := runCheck(t, "changes", "-C", p.Dir, "--format", "json")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	var rep struct {
		From, To string
		Total    int
		Changes  []struct {
			Commit     string
			PR         *int
			Title      string
			Authors    []struct{ Name, Email string }
			MergedBy   string `json:"merged_by"`
			Components []string
			Findings   []struct{ Code, Rule string }
		}
	}
	if err := json.Unmarshal([]byte(out), &rep); err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	if rep.From != "2024-01-01" || rep.To != "" || rep.Total != 3 || len(rep.Changes) != 3 {
		t.Fatalf("report %+v", rep)
	}
	first, merge, squash := rep.Changes[0], rep.Changes[1], rep.Changes[2]
	if first.Commit != p.First || first.PR != nil || len(first.Findings) != 1 || first.Findings[0].Code != "OC501" {
		t.Errorf("first change %+v", first)
	}
	if merge.Commit != p.Merge || merge.PR == nil || *merge.PR != 12 || merge.Title != "Name Okta the single identity provider" ||
		len(merge.Authors) != 1 || merge.Authors[0].Name != "Carol Chen" || merge.MergedBy != "Dave Diaz" ||
		strings.Join(merge.Components, ",") != "okta" || len(merge.Findings) != 1 || merge.Findings[0].Code != "OC505" {
		t.Errorf("merge %+v", merge)
	}
	if squash.PR == nil || *squash.PR != 34 || squash.Title != "Tighten access reviews" || squash.Authors[0].Name != "Alice Adams" {
		t.Errorf("squash %+v", squash)
	}

	// --check: the unrecorded pull requests fail; the excepted first
	// commit is listed as a warning
	code, _, errs = runCheck(t, "changes", "-C", p.Dir, "--check", "--color", "never")
	if code != 1 || strings.Count(errs, "error[OC505]") != 2 || !strings.Contains(errs, "warning[OC501]: excepted: change "+p.First[:10]) ||
		!strings.Contains(errs, "charter.yaml:7:3") {
		t.Errorf("--check: exit %d\n%s", code, errs)
	}

	// recording #12 clears it
	dir := t.TempDir()
	event := filepath.Join(dir, "event.json")
	reviews := filepath.Join(dir, "reviews.json")
	head := p.Git("rev-parse", p.Merge+"^2")
	os.WriteFile(event, []byte(`{"action":"closed","pull_request":{"number":12,"title":"Name Okta the single identity provider","merged":true,
"merge_commit_sha":"`+p.Merge+`","head":{"sha":"`+head+`"},"user":{"login":"carol"},"merged_by":{"login":"dave"},"merged_at":"2024-02-15T14:00:00Z"}}`), 0o644)
	os.WriteFile(reviews, []byte(`[{"user":{"login":"bob"},"state":"APPROVED","commit_id":"`+head+`","submitted_at":"2024-02-14T09:00:00Z"}]`), 0o644)
	code, out, errs = runCheck(t, "record", "-C", p.Dir, "--event", event, "--reviews", reviews)
	if code != 0 || !strings.Contains(out, "recorded pull request #12 on "+p.Merge+": 1 review") {
		t.Fatalf("record: exit %d\n%s%s", code, out, errs)
	}
	if code, out, _ = runCheck(t, "record", "-C", p.Dir, "--event", event, "--reviews", reviews); code != 0 || !strings.Contains(out, "already recorded") {
		t.Errorf("record again: exit %d %s", code, out)
	}
	code, out, errs = runCheck(t, "changes", "-C", p.Dir, "--check", "--format", "csv")
	rows, err := csv.NewReader(strings.NewReader(out)).ReadAll()
	if err != nil || len(rows) != 4 || rows[0][0] != "commit" || rows[0][9] != "findings" {
		t.Fatalf("csv %v: %q", err, rows)
	}
	if rows[2][2] != "12" || rows[2][5] != "dave" || !strings.HasPrefix(rows[2][6], "bob on "+head[:10]) || rows[2][9] != "" {
		t.Errorf("recorded #12 row %q", rows[2])
	}
	if code != 1 || strings.Count(errs, "OC505") != 1 {
		t.Errorf("--check after recording #12: exit %d\n%s", code, errs)
	}

	// charter check judges the audit period too
	code, _, errs = runCheck(t, "check", "-C", p.Dir, "--color", "never")
	if code != 1 || !strings.Contains(errs, "error[OC505]: change "+p.Squash[:10]) {
		t.Errorf("check: exit %d\n%s", code, errs)
	}

	// a reproducible sample, its seed and method printed
	_, a, _ := runCheck(t, "changes", "-C", p.Dir, "--sample", "2", "--seed", "audit")
	_, b, _ := runCheck(t, "changes", "-C", p.Dir, "--sample", "2", "--seed", "audit")
	if a != b || !strings.Contains(a, `sample of 2 of 3 changes (requested size), seed "audit": rank every change by the SHA-256`) {
		t.Errorf("sample:\n%s\nthen\n%s", a, b)
	}
}

func TestChangesCommandUsage(t *testing.T) {
	p := changesProgram(t)
	for _, tc := range []struct {
		args []string
		msg  string
	}{
		{[]string{"changes", "--sample", "3"}, "--sample needs --seed"},
		{[]string{"changes", "--sample", "x", "--seed", "s"}, `--sample "x"`},
		{[]string{"changes", "--from", "no-such-tag"}, `from "no-such-tag"`},
		{[]string{"record", "--event", "charter.yaml"}, "invalid JSON"},
	} {
		code, _, errs := runCheck(t, append(tc.args, "-C", p.Dir)...)
		if tc.args[0] == "record" {
			code, _, errs = runCheck(t, "record", "-C", p.Dir, "--event", filepath.Join(p.Dir, "charter.yaml"))
		}
		if code != 2 || !strings.Contains(errs, tc.msg) {
			t.Errorf("%q: exit %d, %s; want %q", tc.args, code, errs, tc.msg)
		}
	}
}
