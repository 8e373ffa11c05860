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
	ws, diags, err := load.Load(load.Options{Root: opts.Root, ExtraStandards: opts.ExtraStandards})
	if err != nil {
		return nil, err
	}
	asOf, src, err := history.BuildDate(ws.Root, opts.SourceDateEpoch)
	if err != nil {
		return nil, err
	}
	if asOf.IsZero() {
		asOf = latestDocumentDate(ws)
	}
	cov := coverage.Compute(ws, asOf)
	diags = append(diags, check.Run(ws, asOf)...)
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
