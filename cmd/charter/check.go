package main

import (
	"encoding/json"
	"fmt"
	"os"
	"slices"
	"strings"
	"time"

	"github.com/charter-compliance/charter/compiler"
	"github.com/charter-compliance/charter/compiler/coverage"
	"github.com/charter-compliance/charter/compiler/diag"
)

// CheckCmd validates the repository and reports coverage.
type CheckCmd struct {
	Cert     []string `name:"cert" placeholder:"NAME" help:"Report only this certification (repeatable)."`
	Require  []string `name:"require" placeholder:"NAME" help:"Also fail unless this certification is fully satisfied (repeatable; charter.yaml's gate always applies)."`
	Format   string   `enum:"text,json,github" default:"text" help:"Output format: text, json, or github (workflow commands that annotate a pull request, then the text summary)."`
	Strict   bool     `help:"Treat unknown keys, guessed statuses and unknown control origins as errors."`
	Standard []string `name:"standard" placeholder:"FILE" type:"existingfile" help:"Load an extra standard file, for repositories that use a standard they do not ship (repeatable)."`
}

func (c *CheckCmd) Run(g *Globals) error {
	res, err := compiler.Check(compiler.Options{
		Root:            g.Root,
		ExtraStandards:  c.Standard,
		Strict:          c.Strict,
		SourceDateEpoch: os.Getenv("SOURCE_DATE_EPOCH"),
		CacheDir:        g.cacheDir(),
	})
	if err != nil {
		return err
	}
	for _, name := range append(slices.Clone(c.Cert), c.Require...) {
		if res.Workspace.Certification(name) == nil {
			var names []string
			for _, x := range res.Workspace.Certifications {
				names = append(names, x.Name)
			}
			hint := ""
			if s := diag.Suggest(name, names); s != "" {
				hint = fmt.Sprintf("; did you mean %q?", s)
			}
			return fmt.Errorf("no certification named %q%s (have: %s)", name, hint, strings.Join(names, ", "))
		}
	}
	sel := coverage.Selection{Names: c.Cert, Gated: res.Gated(c.Require...)}
	failing := sel.Failing(res.Coverage)
	errs, warns := res.Diagnostics.Count()

	switch c.Format {
	case "json":
		out := map[string]any{
			"root":           res.Workspace.Root,
			"as_of":          res.AsOf.Format(time.DateOnly),
			"as_of_source":   string(res.AsOfSource),
			"diagnostics":    nonNil(res.Diagnostics),
			"errors":         errs,
			"warnings":       warns,
			"certifications": coverage.JSONCertifications(res.Coverage, sel),
			"failing_gates":  nonNilStrings(failing),
			"ok":             errs == 0 && len(failing) == 0,
		}
		enc := json.NewEncoder(g.Stdout)
		enc.SetIndent("", "  ")
		if err := enc.Encode(out); err != nil {
			return err
		}
	default:
		if c.Format == "github" {
			if err := diag.WriteGitHub(g.Stdout, res.Diagnostics); err != nil {
				return err
			}
		} else if err := diag.WriteText(g.Stderr, res.Diagnostics, diag.TextOptions{Color: g.colour(g.Stderr)}); err != nil {
			return err
		}
		ws := res.Workspace
		sats := 0
		for _, comp := range ws.Components {
			sats += len(comp.Satisfies)
		}
		fmt.Fprintf(g.Stdout, "%s: %d files, %d components, %d satisfactions, %d standards, %d certifications, %d documents\n",
			displayName(ws.Manifest.Name), len(ws.Files), len(ws.Components), sats, len(ws.Standards), len(ws.Certifications), len(ws.Documents))
		fmt.Fprintf(g.Stdout, "%d errors, %d warnings; judged as of %s (%s)\n", errs, warns, dateOrNone(res.AsOf), res.AsOfSource)
		if err := coverage.WriteText(g.Stdout, res.Coverage, sel); err != nil {
			return err
		}
		if len(failing) > 0 {
			fmt.Fprintf(g.Stdout, "\ngate failed: %s not fully satisfied\n", strings.Join(failing, ", "))
		}
	}
	if errs > 0 || len(failing) > 0 {
		return errFindings
	}
	return nil
}

func displayName(n string) string {
	if n == "" {
		return "(unnamed repository)"
	}
	return n
}

func dateOrNone(t time.Time) string {
	if t.IsZero() {
		return "no date"
	}
	return t.Format(time.DateOnly)
}

func nonNil(l diag.List) diag.List {
	if l == nil {
		return diag.List{}
	}
	return l
}

func nonNilStrings(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}
