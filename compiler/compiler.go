// Package compiler is the face of charter's pipeline: load a repository,
// check it, and compute coverage, once, for every later step to share.
package compiler

import (
	"time"

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
	// History gives the version label and revision tables of a build, and
	// the last commit date of documents that state no last_reviewed. When
	// nil, Check reads it from git only if a document needs it; nil (or not
	// Available) makes pages say that history is unavailable.
	History *history.History
	// CacheDir, when set, keeps decoded files between runs (see
	// load.Cache); the output is the same with or without it.
	CacheDir string
}

// Result is everything a run knows.
type Result struct {
	Workspace   *model.Workspace
	Diagnostics diag.List
	Coverage    *coverage.Report
	AsOf        time.Time
	AsOfSource  history.DateSource
}

// StrictCodes are the warnings --strict turns into errors.
var StrictCodes = []diag.Code{diag.CodeUnknownKey, diag.CodeStatusGuess, diag.CodeOrigin, diag.CodeEmptyText}

// Check loads, checks and judges the repository. The error is non-nil only
// when there is nothing to load or the build date is malformed.
func Check(opts Options) (*Result, error) {
	ws, diags, err := load.Load(load.Options{Root: opts.Root, ExtraStandards: opts.ExtraStandards, Cache: load.OpenCache(opts.CacheDir)})
	if err != nil {
		return nil, err
	}
	var asOf time.Time
	var src history.DateSource
	if h := opts.History; h != nil && h.Available && !h.Date.IsZero() && opts.SourceDateEpoch == "" {
		// the build already read git: its commit date is HEAD's
		asOf, src = h.Date, history.DateFromGit
	} else if asOf, src, err = history.BuildDate(ws.Root, opts.SourceDateEpoch); err != nil {
		return nil, err
	}
	if asOf.IsZero() {
		if asOf = latestDocumentDate(ws); !asOf.IsZero() {
			src = history.DateFromDocuments
		}
	}
	cov := coverage.Compute(ws, asOf)
	reviewed := func(d *model.Document) *time.Time { return d.LastReviewed }
	if needsGitReviewDates(ws) {
		h := opts.History
		if h == nil {
			h, _ = history.Collect(ws.Root, history.CollectOptions{RepoURL: ws.Config.RepositoryURL})
		}
		if h != nil && h.Available {
			reviewed = func(d *model.Document) *time.Time { t, _ := h.LastReviewed(d); return t }
		}
	}
	diags = append(diags, check.RunWith(ws, asOf, reviewed)...)
	diags = append(diags, docs.Validate(ws, cov)...)
	if opts.Strict || ws.Config.Strict {
		diags = diags.Promote(StrictCodes...)
	}
	diags.Sort()
	return &Result{
		Workspace:   ws,
		Diagnostics: diags,
		Coverage:    cov,
		AsOf:        asOf,
		AsOfSource:  src,
	}, nil
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

// latestDocumentDate is the fallback judging day outside git: the newest
// date any document states, so that the result still depends only on the
// repository's content.
func latestDocumentDate(ws *model.Workspace) time.Time {
	var t time.Time
	for _, d := range ws.Documents {
		for _, x := range []*time.Time{d.Effective, d.LastReviewed} {
			if x != nil && x.After(t) {
				t = *x
			}
		}
	}
	return t
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
