package changes

import (
	"github.com/charter-compliance/charter/compiler/diag"
	"github.com/charter-compliance/charter/compiler/history"
	"github.com/charter-compliance/charter/compiler/model"
)

// Check is what `charter check` and `charter build` add when charter.yaml
// sets an audit_period: every change of the period that breaks
// change_management. It also sets the verdict of the period on every
// verification of type change-management, so it runs before coverage: a
// satisfaction covered by one is judged on the test, not on the claim.
//
// When the test cannot run, the verifications have not passed: outside git
// there is no population to test (a warning: a tarball of the repository can
// still be checked), and a period that cannot be read is an error (OC507).
func Check(ws *model.Workspace) diag.List {
	p := ws.Config.AuditPeriod
	if p == nil {
		return nil
	}
	if history.OutsideGit(ws.Root) {
		ApplyVerifications(ws, Verdict{Reason: "no git history to test"})
		return diag.List{{Severity: diag.Warning, Code: diag.CodeChangePeriod, Pos: p.Pos,
			Message: "audit_period is set but the repository is not in git: the change population cannot be tested, so change-management verifications count as not passed",
			Hint:    "run charter in a clone of the repository (with its full history and refs/notes/charter fetched)"}}
	}
	pop, _, err := Collect(ws, ConfiguredPeriod(ws.Config))
	if err != nil {
		ApplyVerifications(ws, Verdict{Reason: err.Error()})
		return diag.List{{Severity: diag.Error, Code: diag.CodeChangePeriod, Pos: p.Pos, Message: "audit_period: " + err.Error(),
			Hint: "give dates as YYYY-MM-DD or revisions of the branch's first-parent chain"}}
	}
	ApplyVerifications(ws, Verify(pop))
	return Diagnostics(pop, ws.Config.ChangeManagement)
}
