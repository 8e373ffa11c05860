package changes

import (
	"github.com/charter-compliance/charter/compiler/diag"
	"github.com/charter-compliance/charter/compiler/history"
	"github.com/charter-compliance/charter/compiler/model"
)

// Tested is the change-management test of a run: the population of the
// audit period, or why there is none.
type Tested struct {
	Population *Population // nil when the test could not run
	Problem    string      // why it could not, for pages that show the population
}

// Check is what `charter check` and `charter build` add when charter.yaml
// sets an audit_period: every change of the period that breaks
// change_management. It also sets the verdict of the period on every
// verification of type change-management, so it runs before coverage: a
// satisfaction covered by one is judged on the test, not on the claim.
//
// h, when available, is the history the run already read, and gitRoot the
// repository it was read from (the workspace may be a snapshot of an older
// commit outside git); the population is then built from h with no second
// git pass. With h nil, Check reads the history itself.
//
// When the test cannot run, the verifications have not passed: outside git
// there is no population to test (a warning: a tarball of the repository can
// still be checked), and a period that cannot be read is an error (OC507).
func Check(ws *model.Workspace, h *history.History, gitRoot string) (diag.List, *Tested) {
	p := ws.Config.AuditPeriod
	if p == nil {
		return nil, nil
	}
	if gitRoot == "" {
		gitRoot = ws.Root
	}
	if history.OutsideGit(gitRoot) {
		ApplyVerifications(ws, Verdict{Reason: "no git history to test"})
		return diag.List{{Severity: diag.Warning, Code: diag.CodeChangePeriod, Pos: p.Pos,
				Message: "audit_period is set but the repository is not in git: the change population cannot be tested, so change-management verifications count as not passed",
				Hint:    "run charter in a clone of the repository (with its full history and refs/notes/charter fetched)"}},
			&Tested{Problem: "the repository is not in git, so there is no history to read the changes from."}
	}
	var pop *Population
	var err error
	rules := ws.Config.ChangeManagement
	snapshot := gitRoot != ws.Root
	if h != nil && h.Available && (rules == nil || rules.Branch == "" || snapshot) {
		// the run's history is HEAD's chain, which is the population's; a
		// snapshot's history is the chain up to the commit it was read at
		pop, err = Build(h, Options{Root: gitRoot, Period: ConfiguredPeriod(ws.Config), Rules: rules, Workspace: ws})
	} else {
		pop, _, err = Collect(ws, ConfiguredPeriod(ws.Config))
	}
	if err != nil {
		ApplyVerifications(ws, Verdict{Reason: err.Error()})
		return diag.List{{Severity: diag.Error, Code: diag.CodeChangePeriod, Pos: p.Pos, Message: "audit_period: " + err.Error(),
			Hint: "give dates as YYYY-MM-DD or revisions of the branch's first-parent chain"}}, &Tested{Problem: err.Error()}
	}
	verdict := Verify(pop)
	ApplyVerifications(ws, verdict)
	ds := Diagnostics(pop, rules)
	if pop.Total == 0 {
		ds = append(ds, diag.Diagnostic{Severity: diag.Warning, Code: diag.CodeChangePeriod, Pos: p.Pos,
			Message: "the audit period has no changes on the branch: " + verdict.Reason + ", so change-management verifications count as not passed",
			Hint:    "once changes of the period are merged (with their reviews recorded by charter record), the test judges them"})
	}
	return ds, &Tested{Population: pop}
}
