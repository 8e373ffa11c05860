package changes

import (
	"fmt"
	"regexp"
	"slices"
	"strings"
	"time"

	"github.com/charter-compliance/charter/compiler/diag"
	"github.com/charter-compliance/charter/compiler/history"
	"github.com/charter-compliance/charter/compiler/model"
)

// revertsLine starts the line git revert writes; revertsRE reads the
// commit from it.
const revertsLine = "This reverts commit "

var revertsRE = regexp.MustCompile(`(?m)^` + revertsLine + `([0-9a-f]{40})\b`)

// Finding is one rule a change breaks.
type Finding struct {
	Code    diag.Code `json:"code"`
	Rule    string    `json:"rule"` // the change_management key
	Message string    `json:"message"`
}

// ExceptionUse is an exception of charter.yaml and the change it excuses.
type ExceptionUse struct {
	Commit     string   `json:"commit"` // the change's full hash
	Reason     string   `json:"reason"`
	ApprovedBy string   `json:"approved_by"`
	Pos        diag.Pos `json:"position"`
}

// effective is the rules approvals are judged by: the given ones, else the
// defaults (independent approval on the final head).
func effective(r *model.ChangeManagement) *model.ChangeManagement {
	if r != nil {
		return r
	}
	return &model.ChangeManagement{IndependentApproval: true, ApprovalOnHead: true}
}

// approvals lists the recorded approvals of a pull request: for each
// reviewer, their last decisive review (approved, changes requested,
// dismissed; comments change nothing) if it approved. Each says whether it
// counts: given by someone other than the author, on the final head, no
// later than the merge.
func approvals(rec *Record, rules *model.ChangeManagement, landed time.Time) []history.Approval {
	out := []history.Approval{}
	if rec == nil {
		return out
	}
	merged := landed
	if rec.MergedAt != nil {
		merged = *rec.MergedAt
	}
	// each reviewer's last decisive review, in the order they first gave one
	var last []Review
	for _, rv := range rec.Reviews {
		switch rv.State {
		case "APPROVED", "CHANGES_REQUESTED", "DISMISSED":
		default:
			continue
		}
		i := slices.IndexFunc(last, func(l Review) bool { return l.User == rv.User })
		switch {
		case i < 0:
			last = append(last, rv)
		case !rv.SubmittedAt.Before(last[i].SubmittedAt):
			last[i] = rv
		}
	}
	for _, rv := range last {
		if rv.State != "APPROVED" {
			continue
		}
		a := history.Approval{By: rv.User, Commit: rv.Commit, At: rv.SubmittedAt, Counts: true}
		switch {
		case rv.SubmittedAt.After(merged):
			a.Counts, a.Why = false, "given after the merge"
		case rules.IndependentApproval && strings.EqualFold(rv.User, rec.Author):
			a.Counts, a.Why = false, "the pull request's author approved it (independent_approval)"
		case rules.ApprovalOnHead && rv.Commit != rec.Head:
			a.Counts, a.Why = false, fmt.Sprintf("stale: it approved %s, not the final head %s (approval_on_head)", short(rv.Commit), short(rec.Head))
		}
		out = append(out, a)
	}
	return out
}

// judge lists the rules a change breaks.
func judge(c *Change, rec *Record, rules *model.ChangeManagement) []Finding {
	out := []Finding{}
	if c.PR == 0 {
		if rules.RequirePullRequest {
			out = append(out, Finding{Code: diag.CodeChangeNoPR, Rule: "require_pull_request",
				Message: "reached the branch without a pull request (a direct push, or a merge that names none and has no recorded review)"})
		}
		return out
	}
	if rec == nil {
		if rules.RequireRecordedReviews {
			out = append(out, Finding{Code: diag.CodeChangeUnrecorded, Rule: "require_recorded_reviews",
				Message: fmt.Sprintf("pull request #%d has no recorded reviews in the review ledger (charter record did not run for it)", c.PR)})
		}
		return out
	}
	counted, self, stale := 0, 0, 0
	for _, a := range c.Approvals {
		switch {
		case a.Counts:
			counted++
		case strings.Contains(a.Why, "independent_approval"):
			self++
		case strings.Contains(a.Why, "approval_on_head"):
			stale++
		}
	}
	if counted >= rules.MinApprovals {
		return out
	}
	need := fmt.Sprintf("%d of the %d required approvals count", counted, rules.MinApprovals)
	switch {
	case self > 0 && counted+self >= rules.MinApprovals:
		out = append(out, Finding{Code: diag.CodeChangeSelfApproved, Rule: "independent_approval",
			Message: fmt.Sprintf("pull request #%d was approved by its own author %s: %s", c.PR, rec.Author, need)})
	case stale > 0 && counted+stale >= rules.MinApprovals:
		out = append(out, Finding{Code: diag.CodeChangeStaleApproval, Rule: "approval_on_head",
			Message: fmt.Sprintf("pull request #%d was approved on an earlier commit, not its final head %s: %s", c.PR, short(rec.Head), need)})
	default:
		out = append(out, Finding{Code: diag.CodeChangeUnapproved, Rule: "min_approvals",
			Message: fmt.Sprintf("pull request #%d: %s", c.PR, need)})
	}
	return out
}

// applyExceptions attaches each exception to the change it names (a full
// or abbreviated hash of a commit of the branch; a commit a merge brought
// in names that merge). An exception naming no commit of the branch is an
// error: it would excuse nothing and hide a typo.
func applyExceptions(pop *Population, rules *model.ChangeManagement, owner map[string]string) ([]ExceptionUse, error) {
	uses := []ExceptionUse{}
	for _, e := range rules.Exceptions {
		want := strings.ToLower(strings.TrimSpace(e.Commit))
		if len(want) < 7 {
			return nil, fmt.Errorf("%s: exception commit %q is too short to name one commit; give at least 7 hex digits", e.Pos, e.Commit)
		}
		var hits []string
		for h, o := range owner {
			if strings.HasPrefix(h, want) && !slices.Contains(hits, o) {
				hits = append(hits, o)
			}
		}
		switch len(hits) {
		case 0:
			return nil, fmt.Errorf("%s: exception commit %q is not a commit of the branch; check the hash (git log --first-parent)", e.Pos, e.Commit)
		case 1:
		default:
			slices.Sort(hits)
			return nil, fmt.Errorf("%s: exception commit %q names %d changes (%s); give more hex digits", e.Pos, e.Commit, len(hits), strings.Join(hits, ", "))
		}
		u := ExceptionUse{Commit: hits[0], Reason: e.Reason, ApprovedBy: e.ApprovedBy, Pos: e.Pos}
		for i := range pop.Changes {
			if pop.Changes[i].Commit == u.Commit {
				pop.Changes[i].Exception = &u
				uses = append(uses, u)
			}
		}
	}
	return uses, nil
}

// Diagnostics reports every finding of the population at the position of
// charter.yaml's change_management, naming the commit and the rule: an
// error for a violation, a warning for a finding an exception excuses (it
// is listed, not hidden).
func Diagnostics(pop *Population, rules *model.ChangeManagement) diag.List {
	var out diag.List
	if rules == nil {
		return out
	}
	for _, c := range pop.Changes {
		for _, f := range c.Findings {
			d := diag.Diagnostic{Severity: diag.Error, Code: f.Code, Pos: rules.Pos,
				Message: fmt.Sprintf("change %s (%s) breaks %s: %s", c.Short(), c.Date.Format(time.DateOnly), f.Rule, f.Message)}
			if c.Exception != nil {
				d.Severity = diag.Warning
				d.Message = "excepted: " + d.Message
				d.Notes = []diag.Note{{Pos: c.Exception.Pos, Message: fmt.Sprintf("exception approved by %s: %s", c.Exception.ApprovedBy, c.Exception.Reason)}}
			} else {
				d.Hint = hints[f.Code]
			}
			out = append(out, d)
		}
	}
	for _, p := range pop.Problems {
		out = append(out, diag.Diagnostic{Severity: diag.Warning, Code: diag.CodeChangeLedger, Pos: rules.Pos, Message: "review ledger: " + p,
			Hint: "the note was not written by charter record, or by a newer charter; records are append-only, so add a correct one"})
	}
	return out
}

var hints = map[diag.Code]string{
	diag.CodeChangeNoPR:          "merge every change through a pull request (branch protection), or list it under change_management.exceptions with its reason and approver",
	diag.CodeChangeUnapproved:    "require approving reviews before merge (branch protection), or list the change under change_management.exceptions",
	diag.CodeChangeSelfApproved:  "an approval counts only from someone other than the pull request's author",
	diag.CodeChangeStaleApproval: "dismiss stale approvals when new commits are pushed, so the approved head is the merged one",
	diag.CodeChangeUnrecorded:    "run charter record when pull requests merge (.github/workflows/record.yml), or list the change under change_management.exceptions",
}

// VerificationType is the built-in verification type whose result is the
// change-management test of the audit period.
const VerificationType = "change-management"

// Verdict is the result of the change-management test for the period.
type Verdict struct {
	Passed bool
	Reason string
}

// Verify is the change-management test: it passes only when the period has
// changes and none of them breaks a rule that no exception excuses. A period
// with no changes (one that has not begun, say) has tested nothing, so it
// does not pass.
func Verify(pop *Population) Verdict {
	if pop.Total == 0 {
		return Verdict{Reason: "the period has no changes, so no change was tested"}
	}
	if pop.Violations == 0 {
		return Verdict{Passed: true, Reason: fmt.Sprintf("all %d changes of the period follow change_management (%d excepted)", pop.Total, len(pop.Exceptions))}
	}
	return Verdict{Reason: fmt.Sprintf("%d of %d changes of the period break change_management", pop.Violations, pop.Total)}
}

// ApplyVerifications sets the result of every verification of type
// change-management in the workspace to the verdict, so that coverage
// judges a satisfaction covered by one on the test, not the claim.
func ApplyVerifications(ws *model.Workspace, v Verdict) int {
	n := 0
	for _, comp := range ws.Components {
		for i := range comp.Verifications {
			if comp.Verifications[i].Type == VerificationType {
				passed := v.Passed
				comp.Verifications[i].TestPassed = &passed
				n++
			}
		}
	}
	return n
}
