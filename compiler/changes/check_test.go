package changes

import (
	"strings"
	"testing"

	"github.com/charter-compliance/charter/compiler/diag"
	"github.com/charter-compliance/charter/compiler/history"
	"github.com/charter-compliance/charter/compiler/history/gittest"
	"github.com/charter-compliance/charter/compiler/model"
)

// Outside git an audit period cannot be tested: Check says so, and a
// change-management verification that claimed to pass counts as not passed.
func TestCheckOutsideGit(t *testing.T) {
	dir := t.TempDir()
	if !gittest.NoRepo(t, dir) {
		t.Skip("the temporary directory is inside a git repository")
	}
	passed := true
	comp := &model.Component{Key: "github", Verifications: []model.Verification{
		{Key: "cm", Type: VerificationType, TestPassed: &passed},
		{Key: "other", Type: "automated", TestPassed: &passed},
	}}
	ws := &model.Workspace{Root: dir, Components: []*model.Component{comp},
		Config: model.Config{AuditPeriod: &model.AuditPeriod{Pos: diag.Pos{File: "charter.yaml", Line: 3, Col: 1}, From: "2027-01-01"}}}
	ds, tested := Check(ws, nil, "")
	if len(ds) != 1 || ds[0].Code != diag.CodeChangePeriod || ds[0].Severity != diag.Warning || ds[0].Pos.Line != 3 {
		t.Fatalf("diagnostics = %v, want one OC507 warning at charter.yaml:3", ds)
	}
	if tested == nil || tested.Population != nil || tested.Problem == "" {
		t.Errorf("tested = %+v, want no population and the reason", tested)
	}
	if v := comp.Verifications[0].TestPassed; v == nil || *v {
		t.Errorf("change-management verification still passes outside git")
	}
	if v := comp.Verifications[1].TestPassed; v == nil || !*v {
		t.Errorf("another verification's result was changed")
	}
	// with no audit period there is nothing to test and nothing changes
	ws.Config.AuditPeriod = nil
	comp.Verifications[0].TestPassed = &passed
	if ds, tested := Check(ws, nil, ""); len(ds) != 0 || tested != nil || !*comp.Verifications[0].TestPassed {
		t.Errorf("no audit period: %v", ds)
	}
}

// A snapshot of an older commit (build --as-of) lies outside git: Check
// builds the population from the history it is given and resolves the
// period in the repository the snapshot came from, even when the rules
// name a branch.
func TestCheckSnapshot(t *testing.T) {
	r := gittest.New(t)
	r.Write("a.txt", "one\n")
	r.Commit(gittest.Alice, gittest.Day(2027, 3, 1, 10), "First change")
	r.Write("a.txt", "two\n")
	r.Commit(gittest.Bob, gittest.Day(2027, 3, 2, 10), "Second change")
	h, err := history.Collect(r.Dir, history.CollectOptions{})
	if err != nil || !h.Available {
		t.Fatalf("history: %v", err)
	}
	snapshot := t.TempDir()
	if !gittest.NoRepo(t, snapshot) {
		t.Skip("the temporary directory is inside a git repository")
	}
	ws := &model.Workspace{Root: snapshot, Config: model.Config{
		AuditPeriod:      &model.AuditPeriod{Pos: diag.Pos{File: "charter.yaml", Line: 1, Col: 1}, From: "2027-01-01", To: "2027-12-31"},
		ChangeManagement: &model.ChangeManagement{Branch: "main", RequirePullRequest: true, IndependentApproval: true, ApprovalOnHead: true},
	}}
	ds, tested := Check(ws, h, r.Dir)
	if tested == nil || tested.Population == nil {
		t.Fatalf("no population: %+v, %v", tested, ds)
	}
	if tested.Population.Total != 2 || len(ds) != 2 || ds[0].Code != diag.CodeChangeNoPR || ds[1].Code != diag.CodeChangeNoPR {
		t.Errorf("population of %d, diagnostics %v; want 2 direct pushes, each OC501", tested.Population.Total, ds)
	}
}

// A period with no changes (one that has not begun) has tested nothing: the
// change-management verification does not pass, and a warning says why.
func TestCheckEmptyPeriod(t *testing.T) {
	r := gittest.New(t)
	r.Write("a.txt", "one\n")
	r.Commit(gittest.Alice, gittest.Day(2026, 3, 1, 10), "Before the period")
	passed := true
	comp := &model.Component{Key: "github", Verifications: []model.Verification{{Key: "cm", Type: VerificationType, TestPassed: &passed}}}
	ws := &model.Workspace{Root: r.Dir, Components: []*model.Component{comp}, Config: model.Config{
		AuditPeriod: &model.AuditPeriod{Pos: diag.Pos{File: "charter.yaml", Line: 2, Col: 1}, From: "2027-01-01", To: "2027-12-31"},
	}}
	ds, tested := Check(ws, nil, "")
	if tested == nil || tested.Population == nil || tested.Population.Total != 0 {
		t.Fatalf("tested = %+v", tested)
	}
	if len(ds) != 1 || ds[0].Code != diag.CodeChangePeriod || ds[0].Severity != diag.Warning || !strings.Contains(ds[0].Message, "no change was tested") {
		t.Errorf("diagnostics = %v, want one OC507 warning saying nothing was tested", ds)
	}
	if v := comp.Verifications[0].TestPassed; v == nil || *v {
		t.Errorf("the verification passes on an empty period")
	}
}
