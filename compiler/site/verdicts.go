package site

import (
	"fmt"

	"github.com/charter-compliance/charter/compiler/coverage"
	"github.com/charter-compliance/charter/compiler/model"
)

// This file holds how the site reads coverage: a claim's status is what
// model.Workspace.ClaimStatus says (the one rule coverage and check
// share: failed or stale verifications and placeholder narratives
// included), and a certification's result is said in the one headline
// vocabulary, "N satisfied, M not applicable, of T".

// claimStatus is what the satisfaction s of comp is worth as evidence on
// the judging day, as coverage judged it (a satisfaction coverage did not
// see is judged here, by the same rule).
func (b *builder) claimStatus(comp *model.Component, s *model.Satisfaction) model.Status {
	if st, ok := b.cov.ClaimStatus(s); ok {
		return st
	}
	st, _, _ := b.ws.ClaimStatus(comp, s, b.cov.AsOf)
	return st
}

// openClaimView is one component's claim that leaves a criterion open
// beside its verdict.
type openClaimView struct {
	Component Link
	Status    model.Status
	Reason    string
}

// openClaims lists the claims of v that do not close it.
func (b *builder) openClaims(p *page, v *coverage.Verdict) []openClaimView {
	var out []openClaimView
	for _, e := range v.OpenClaims() {
		out = append(out, openClaimView{Component: b.componentLink(p, e.Component.Key), Status: e.Status, Reason: e.Reason})
	}
	return out
}

// openNote is "2 open claims", or "" for a verdict without any.
func openNote(v *coverage.Verdict) string {
	if v == nil || v.Open == 0 {
		return ""
	}
	return fmt.Sprintf("%d open %s", v.Open, plural(v.Open, "claim", "claims"))
}

// writeOpen writes ", 2 open claims" after a satisfied verdict's badge;
// nothing for a verdict without open claims.
func writeOpen(w *hw, v *coverage.Verdict) {
	if n := openNote(v); n != "" {
		w.raw(` <span class="open-claims">`)
		w.text(n)
		w.raw("</span>")
	}
}

// headline is a certification's result in the one vocabulary every
// output uses, with the satisfied criteria that carry open claims.
type headline struct {
	Satisfied     int
	NotApplicable int
	Total         int
	Open          int // satisfied criteria with open claims
	Text          string
	Percent       string // of the criteria closed (satisfied or not applicable)
}

func headlineOf(cr *coverage.Certification) headline {
	return headline{Satisfied: cr.Satisfied(), NotApplicable: cr.NotApplicable(), Total: cr.Total(), Open: cr.Open,
		Text: cr.Headline(), Percent: percent(cr.Done(), cr.Total())}
}

// openRows are the satisfied criteria of cr that carry open claims, each
// with the claims.
func (b *builder) openRows(p *page, cr *coverage.Certification) []openRow {
	out, _ := b.openRowsUpTo(p, cr, -1)
	return out
}

// openRowsUpTo is the first limit of openRows (all when limit < 0) and how
// many there are in all.
func (b *builder) openRowsUpTo(p *page, cr *coverage.Certification, limit int) ([]openRow, int) {
	var out []openRow
	n := 0
	for _, v := range cr.Verdicts {
		if v.Status == model.Satisfied && v.Open > 0 {
			if limit < 0 || n < limit {
				out = append(out, openRow{Status: v.Status, Link: b.controlLink(p, v.Standard, v.ID), Name: controlName(v), Note: openNote(v), Claims: b.openClaims(p, v)})
			}
			n++
		}
	}
	return out, n
}

// openRow is a satisfied criterion with open claims.
type openRow struct {
	Status model.Status
	Link   Link
	Name   string
	Note   string
	Claims []openClaimView
}

func controlName(v *coverage.Verdict) string {
	if v.Control != nil {
		return v.Control.Name
	}
	return ""
}

// legendRow is one verdict name with what it means.
type legendRow struct {
	Status  model.Status
	Class   string
	Meaning string
}

var legendRows = func() []legendRow {
	out := make([]legendRow, len(model.AllStatuses))
	for i, st := range model.AllStatuses {
		out[i] = legendRow{st, "st-" + st.String(), st.Meaning()}
	}
	return out
}()

// Legend is every verdict name with its colour and meaning, for the
// "legend" template: {{template "legend" $.Legend}}.
func (p *page) Legend() []legendRow { return legendRows }
