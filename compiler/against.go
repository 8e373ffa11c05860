package compiler

import (
	"time"

	"github.com/charter-compliance/charter/compiler/diag"
	"github.com/charter-compliance/charter/compiler/diff"
	"github.com/charter-compliance/charter/compiler/history"
)

// Against is the working tree's coverage compared with a git revision's.
type Against struct {
	Ref         string         // the revision as given
	Commit      history.Commit // what it names
	AsOf        time.Time      // the day both sides were judged on
	Report      *diff.Report
	Regressions []diff.Regression
	// Diagnostics holds one error (diag.CodeRegressed) per regression.
	Diagnostics diag.List
}

// CheckAgainst compares cur, the check of the working tree at root, with
// the repository at the git revision ref (for example a pull request's
// base) and lists every criterion whose verdict is worse now. Both sides
// are judged on cur's judging day, so that only changes to the repository
// count, never the days that passed since ref was committed (evidence that
// ages past max_age in the meantime is check's own finding, OC404). opts
// are the options cur was checked with.
func CheckAgainst(cur *Result, root, ref string, opts Options) (*Against, error) {
	opts.Today = cur.AsOf.Format(time.DateOnly)
	opts.History = nil
	base, commit, err := CheckAt(root, ref, opts)
	if err != nil {
		return nil, err
	}
	from := diff.Side{Name: ref, Commit: commit.Hash, Workspace: base.Workspace, Coverage: base.Coverage}
	to := diff.Side{Name: "working tree", Workspace: cur.Workspace, Coverage: cur.Coverage}
	rep := diff.Compare(from, to)
	a := &Against{Ref: ref, Commit: commit, AsOf: cur.AsOf, Report: rep, Regressions: diff.Regressions(rep, from, to)}
	for _, g := range a.Regressions {
		a.Diagnostics = append(a.Diagnostics, g.Diagnostic(diag.CodeRegressed, ref))
	}
	return a, nil
}
