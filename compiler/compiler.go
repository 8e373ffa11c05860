// Package compiler is the face of charter's pipeline: load a repository,
// check it, and compute coverage, once, for every later step to share.
package compiler

import (
	"fmt"
	"path/filepath"
	"strings"
	"time"

	"github.com/charter-compliance/charter/compiler/changes"
	"github.com/charter-compliance/charter/compiler/check"
	"github.com/charter-compliance/charter/compiler/coverage"
	"github.com/charter-compliance/charter/compiler/diag"
	"github.com/charter-compliance/charter/compiler/docs"
	"github.com/charter-compliance/charter/compiler/history"
	"github.com/charter-compliance/charter/compiler/load"
	"github.com/charter-compliance/charter/compiler/model"
)

// Options configure a run.
type Options struct {
	Root           string
	ExtraStandards []string
	Strict         bool // unknown keys are errors, not warnings
	// SourceDateEpoch is the value of the SOURCE_DATE_EPOCH variable, if any.
	SourceDateEpoch string
	// Today is --today's YYYY-MM-DD, if given: the judging day, before
	// SOURCE_DATE_EPOCH and git. See JudgingDay.
	Today string
	// History gives the version label and revision tables of a build, and
	// the last commit date of documents that state no last_reviewed. When
	// nil, Check reads it from git only if a document needs it; nil (or not
	// Available) makes pages say that history is unavailable.
	History *history.History
	// GitRoot is the git repository Root was read from when Root is a
	// snapshot of an older commit outside git (build --as-of); empty means
	// Root itself.
	GitRoot string
}

// Result is everything a run knows.
type Result struct {
	Workspace   *model.Workspace
	Diagnostics diag.List
	Coverage    *coverage.Report
	AsOf        time.Time
	AsOfSource  history.DateSource
	// TurnedOff counts the findings charter.yaml's diagnostics turned off.
	TurnedOff int
	// Changes is the change-management test of the audit period; nil
	// when charter.yaml sets none.
	Changes *changes.Tested
}

// Failing counts the errors that fail the run: the repository's own, and
// its fetched dependencies' when charter.yaml's dependencies says so.
func (r *Result) Failing() int {
	return r.Diagnostics.Failing(r.Workspace.Config.Dependencies.FailOnErrors)
}

// StrictCodes are the warnings --strict turns into errors.
var StrictCodes = []diag.Code{diag.CodeUnknownKey, diag.CodeStatusGuess, diag.CodeOrigin, diag.CodeEmptyText}

// Check loads, checks and judges the repository. The error is non-nil only
// when there is nothing to load or the build date is malformed.
func Check(opts Options) (*Result, error) {
	today, err := parseToday(opts.Today)
	if err != nil {
		return nil, err
	}
	// When the judging day is HEAD's commit date, git runs while the
	// repository loads.
	type date struct {
		t   time.Time
		src history.DateSource
		err error
	}
	var gitDate chan date
	if !today.IsZero() {
		// --today decides: git is not asked
	} else if h := opts.History; h != nil && h.Available && !h.Date.IsZero() && opts.SourceDateEpoch == "" {
		// the build already read git: its commit date is HEAD's
	} else if strings.TrimSpace(opts.SourceDateEpoch) == "" {
		gitDate = make(chan date, 1)
		go func() {
			root := opts.Root
			if root == "" {
				root = "."
			}
			var d date
			if abs, err := filepath.Abs(root); err != nil {
				d.err = err
			} else if history.OutsideGit(abs) {
				d.src = history.DateUnknown // what BuildDate says when git fails
			} else {
				d.t, d.src, d.err = history.BuildDate(abs, "")
			}
			gitDate <- d
		}()
	}
	ws, diags, err := load.Load(load.Options{Root: opts.Root, ExtraStandards: opts.ExtraStandards})
	var d date
	if gitDate != nil {
		d = <-gitDate
	}
	if err != nil {
		return nil, err
	}
	var asOf time.Time
	var src history.DateSource
	if !today.IsZero() {
		asOf, src = today, history.DateFromFlag
	} else if h := opts.History; h != nil && h.Available && !h.Date.IsZero() && opts.SourceDateEpoch == "" {
		asOf, src = h.Date, history.DateFromGit
	} else if gitDate != nil {
		if d.err != nil {
			return nil, d.err
		}
		asOf, src = d.t, d.src
	} else if asOf, src, err = history.BuildDate(ws.Root, opts.SourceDateEpoch); err != nil {
		return nil, err
	}
	if asOf.IsZero() {
		// outside git with no --today and no SOURCE_DATE_EPOCH: today's
		// date, said so; a document's own dates never set the day
		asOf, src = clockDay(), history.DateFromClock
	}
	reviewed := func(d *model.Document) *time.Time { return d.LastReviewed }
	if needsGitReviewDates(ws) {
		h := opts.History
		if h == nil && !history.OutsideGit(ws.Root) {
			h, _ = history.Collect(ws.Root, history.CollectOptions{RepoURL: ws.Config.RepositoryURL})
		}
		if h != nil && h.Available {
			reviewed = func(d *model.Document) *time.Time { t, _ := h.LastReviewed(d); return t }
		}
	}
	// The change-management test sets the result of change-management
	// verifications, which coverage reads.
	changeDiags, tested := changes.Check(ws, opts.History, opts.GitRoot)
	diags = append(diags, changeDiags...)
	// The cross-file checks need no coverage: they run beside it and the
	// template validation that reads it. All three only read the workspace.
	checked := make(chan diag.List, 1)
	go func() { checked <- check.RunWith(ws, asOf, reviewed) }()
	cov := coverage.Compute(ws, asOf)
	docDiags := docs.Validate(ws, cov)
	diags = append(diags, <-checked...)
	diags = append(diags, docDiags...)
	if opts.Strict || ws.Config.Strict {
		diags = diags.Promote(StrictCodes...)
	}
	diags, off := settle(ws, diags)
	return &Result{
		Workspace:   ws,
		Diagnostics: diags,
		Coverage:    cov,
		AsOf:        asOf,
		AsOfSource:  src,
		TurnedOff:   off,
		Changes:     tested,
	}, nil
}

// settle applies charter.yaml's diagnostics settings to diags, counting
// those turned off, and marks the findings in fetched dependencies.
func settle(ws *model.Workspace, diags diag.List) (diag.List, int) {
	var off int
	if set := ws.Config.Diagnostics; len(set) > 0 {
		sev := make(map[diag.Code]diag.Severity, len(set))
		for _, s := range set {
			sev[s.Code] = s.Severity
		}
		diags, off = diags.Reclassify(sev)
	}
	diags.MarkDependencies(load.DepsDir)
	diags.Sort()
	return diags, off
}

// needsGitReviewDates reports whether an approved document with a review
// cycle states no last_reviewed date, so that git must say when it was last
// changed.
func needsGitReviewDates(ws *model.Workspace) bool {
	for _, d := range ws.Documents {
		if d.Status == "approved" && d.ReviewCycle != "" && d.LastReviewed == nil {
			return true
		}
	}
	return false
}

// clockDay is today's date in UTC, the judging day of last resort.
var clockDay = func() time.Time {
	y, m, d := time.Now().UTC().Date()
	return time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
}

// parseToday reads --today's YYYY-MM-DD; zero when not given.
func parseToday(s string) (time.Time, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return time.Time{}, nil
	}
	t, err := time.Parse(time.DateOnly, s)
	if err != nil {
		return time.Time{}, fmt.Errorf("--today %q is not a date: write YYYY-MM-DD, such as 2026-03-01", s)
	}
	return t, nil
}

// Gated returns the certifications that must be complete for a run to pass:
// those charter.yaml gates on, plus extra names.
func (r *Result) Gated(extra ...string) map[string]bool {
	g := map[string]bool{}
	for _, ref := range r.Workspace.Config.Gate {
		g[ref.Name] = true
	}
	for _, n := range extra {
		g[n] = true
	}
	return g
}
