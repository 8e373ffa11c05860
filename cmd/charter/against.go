package main

import (
	"fmt"
	"io"
	"time"

	"github.com/charter-compliance/charter/compiler"
	"github.com/charter-compliance/charter/compiler/diag"
	"github.com/charter-compliance/charter/compiler/diff"
)

// checkAgainst runs check --against: it compares res with the revision
// ref and adds a diagnostic per regressed criterion to res. An empty ref
// does nothing.
func checkAgainst(res *compiler.Result, root, ref string, opts compiler.Options) (*compiler.Against, error) {
	if ref == "" {
		return nil, nil
	}
	a, err := compiler.CheckAgainst(res, root, ref, opts)
	if err != nil {
		return nil, fmt.Errorf("--against %s: %w", ref, err)
	}
	res.Diagnostics = append(res.Diagnostics, a.Diagnostics...)
	res.Diagnostics.Sort()
	return a, nil
}

// writeAgainstText ends check's text summary with the comparison.
func writeAgainstText(w io.Writer, a *compiler.Against) {
	if a == nil {
		return
	}
	at := diag.Printable(a.Ref)
	if a.Commit.Hash != "" && len(a.Commit.Hash) >= 12 {
		at += " (" + a.Commit.Hash[:12] + ")"
	}
	if len(a.Regressions) == 0 {
		fmt.Fprintf(w, "\nagainst %s: no criterion regressed\n", at)
		return
	}
	fmt.Fprintf(w, "\nagainst %s: %d %s regressed\n", at, len(a.Regressions), plural(len(a.Regressions), "criterion", "criteria"))
	for _, g := range a.Regressions {
		fmt.Fprintf(w, "  %s %s: %s → %s\n", diag.Printable(g.Standard), diag.Printable(g.Control), g.From, g.To)
	}
}

// againstJSON is the comparison in check's JSON report.
func againstJSON(a *compiler.Against) any {
	return struct {
		Ref         string            `json:"ref"`
		Commit      string            `json:"commit"`
		AsOf        string            `json:"as_of"`
		Regressions []diff.Regression `json:"regressions"`
	}{a.Ref, a.Commit.Hash, a.AsOf.Format(time.DateOnly), append([]diff.Regression{}, a.Regressions...)}
}
