package main

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"slices"
	"strings"
	"time"

	"github.com/charter-compliance/charter/compiler"
	"github.com/charter-compliance/charter/compiler/coverage"
	"github.com/charter-compliance/charter/compiler/diag"
	"github.com/charter-compliance/charter/compiler/load"
)

// CheckCmd validates the repository and reports coverage.
type CheckCmd struct {
	Cert     []string `name:"cert" placeholder:"NAME" help:"Report only this certification (repeatable)."`
	Require  []string `name:"require" placeholder:"NAME" help:"Also fail unless this certification is fully satisfied (repeatable; charter.yaml's gate always applies)."`
	Format   string   `enum:"text,json,github,sarif" default:"text" help:"Output format: text, json, github (workflow commands that annotate a pull request, then the text summary), or sarif (SARIF 2.1.0 for code scanning)."`
	Strict   bool     `help:"Treat unknown keys, guessed statuses and unknown control origins as errors."`
	Standard []string `name:"standard" placeholder:"FILE" type:"existingfile" help:"Load an extra standard file, for repositories that use a standard they do not ship (repeatable)."`
	Today    string   `name:"today" placeholder:"DATE" help:"Judge the repository as of DATE (YYYY-MM-DD); default: SOURCE_DATE_EPOCH, else the HEAD commit's date, else (outside git) today's date in UTC."`
	Against  string   `name:"against" placeholder:"REF" help:"Also fail (OC601) when any criterion's verdict is worse than at the git revision REF, for example a pull request's base; both are judged on the same day."`
	Baseline string   `name:"baseline" placeholder:"FILE" type:"existingfile" help:"Fail only on findings not in FILE, a baseline written by charter baseline; the findings it holds are not shown."`
}

// checkOptions are the options check and baseline share.
func checkOptions(g *Globals, strict bool, standards []string, today string) compiler.Options {
	return compiler.Options{
		Root:            g.Root,
		ExtraStandards:  standards,
		Strict:          strict,
		SourceDateEpoch: os.Getenv("SOURCE_DATE_EPOCH"),
		Today:           today,
	}
}

func (c *CheckCmd) Run(g *Globals) error {
	var base *diag.Baseline
	if c.Baseline != "" {
		data, err := os.ReadFile(c.Baseline)
		if err != nil {
			return err
		}
		b, err := diag.ReadBaseline(c.Baseline, data)
		if err != nil {
			return err
		}
		base = &b
	}
	opts := checkOptions(g, c.Strict, c.Standard, c.Today)
	res, err := compiler.Check(opts)
	if err != nil {
		return err
	}
	against, err := checkAgainst(res, g.Root, c.Against, opts)
	if err != nil {
		return err
	}
	baselined := 0
	var prefix string
	if base != nil || c.Format == "github" {
		prefix = sarifPrefix(res.Workspace.Root)
	}
	if base != nil {
		res.Diagnostics, baselined = base.Filter(res.Diagnostics, prefix)
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
	own, deps := res.Diagnostics.Split()
	errs, warns := own.Count()

	switch c.Format {
	case "sarif":
		if err := writeSARIF(g.Stdout, res); err != nil {
			return err
		}
	case "json":
		if err := writeJSONReport(g.Stdout, res, sel, failing, baselined, against); err != nil {
			return err
		}
	default:
		if c.Format == "github" {
			if err := diag.WriteGitHub(g.Stdout, own, diag.GitHubOptions{Prefix: prefix}); err != nil {
				return err
			}
		} else {
			opts := diag.TextOptions{Color: g.colour(g.Stderr)}
			if err := diag.WriteText(g.Stderr, own, opts); err != nil {
				return err
			}
			if len(deps) > 0 {
				fmt.Fprintf(g.Stderr, "\nfindings in fetched dependencies (%s/), %s:\n", load.DepsDir, depsRule(res))
				if err := diag.WriteText(g.Stderr, deps, opts); err != nil {
					return err
				}
			}
		}
		ws := res.Workspace
		sats := 0
		for _, comp := range ws.Components {
			sats += len(comp.Satisfies)
		}
		fmt.Fprintf(g.Stdout, "%s: %s, %s, %s, %s, %s, %s\n", displayName(ws.Manifest.Name),
			count(len(ws.Files), "file"), count(len(ws.Components), "component"), count(sats, "satisfaction"),
			count(len(ws.Standards), "standard"), count(len(ws.Certifications), "certification"), count(len(ws.Documents), "document"))
		fmt.Fprintf(g.Stdout, "%s, %s; judged as of %s (%s)\n", count(errs, "error"), count(warns, "warning"), dateOrNone(res.AsOf), res.AsOfSource)
		if ws.DependencyLayout != "" {
			fmt.Fprintf(g.Stdout, "dependencies: %s\n", ws.DependencyLayout)
		}
		if err := coverage.WriteText(g.Stdout, res.Coverage, sel); err != nil {
			return err
		}
		writeAgainstText(g.Stdout, against)
		if len(failing) > 0 {
			fmt.Fprintf(g.Stdout, "\ngate failed: %s not fully satisfied\n", diag.Printable(strings.Join(failing, ", ")))
		}
		writeFindingsSummary(g.Stdout, res, own, deps, baselined)
	}
	if res.Failing() > 0 || len(failing) > 0 {
		return errFindings
	}
	return nil
}

// depsRule says whether dependencies' errors fail check.
func depsRule(res *compiler.Result) string {
	if res.Workspace.Config.Dependencies.FailOnErrors {
		return "whose errors fail check (charter.yaml: dependencies: fail_on_errors: true)"
	}
	return "which do not fail check (charter.yaml's dependencies: fail_on_errors: true makes them)"
}

// writeFindingsSummary ends the text report: the findings per code, the
// dependencies' apart, and what the baseline and charter.yaml's
// diagnostics kept out of the report.
func writeFindingsSummary(w io.Writer, res *compiler.Result, own, deps diag.List, baselined int) {
	fmt.Fprintf(w, "\nfindings: %s\n", own.Summary())
	if len(deps) > 0 {
		fmt.Fprintf(w, "findings in dependencies (%s/): %s\n", load.DepsDir, deps.Summary())
	}
	if baselined > 0 {
		fmt.Fprintf(w, "baseline: %s suppressed\n", count(baselined, "baselined finding"))
	}
	if res.TurnedOff > 0 {
		fmt.Fprintf(w, "charter.yaml diagnostics: %s turned off\n", count(res.TurnedOff, "finding"))
	}
}

// writeJSONReport writes check's JSON report: one object whose members are,
// in encoding/json's order (sorted), against (with --against), as_of, as_of_source, baselined,
// certifications, diagnostics (a dependency's marked "dependency": true),
// errors, failing_gates, ok, root, turned_off and warnings, indented by
// two spaces. The certifications, megabytes for a large program, are
// streamed; the rest is encoding/json's.
func writeJSONReport(w io.Writer, res *compiler.Result, sel coverage.Selection, failing []string, baselined int, against *compiler.Against) error {
	errs, warns := res.Diagnostics.Count()
	bw := bufio.NewWriterSize(w, 64<<10)
	member := func(name string, v any, last bool) error {
		data, err := json.MarshalIndent(v, "  ", "  ")
		if err != nil {
			return err
		}
		bw.WriteString(`  "` + name + `": `)
		bw.Write(data)
		if !last {
			bw.WriteString(",\n")
		}
		return nil
	}
	bw.WriteString("{\n")
	if against != nil {
		if err := member("against", againstJSON(against), false); err != nil {
			return err
		}
	}
	if err := member("as_of", res.AsOf.Format(time.DateOnly), false); err != nil {
		return err
	}
	if err := member("as_of_source", string(res.AsOfSource), false); err != nil {
		return err
	}
	if err := member("baselined", baselined, false); err != nil {
		return err
	}
	bw.WriteString(`  "certifications": `)
	if err := coverage.WriteJSONCertifications(bw, res.Coverage, sel, 1); err != nil {
		return err
	}
	bw.WriteString(",\n")
	for _, m := range []struct {
		name string
		v    any
	}{
		{"diagnostics", nonNil(res.Diagnostics)},
		{"errors", errs},
		{"failing_gates", nonNilStrings(failing)},
		{"ok", res.Failing() == 0 && len(failing) == 0},
		{"root", fromWd(res.Workspace.Root)},
		{"turned_off", res.TurnedOff},
	} {
		if err := member(m.name, m.v, false); err != nil {
			return err
		}
	}
	if err := member("warnings", warns, true); err != nil {
		return err
	}
	bw.WriteString("\n}\n")
	return bw.Flush()
}

// count says "1 file", "2 files".
func count(n int, noun string) string {
	if n == 1 {
		return "1 " + noun
	}
	return fmt.Sprintf("%d %ss", n, noun)
}

func displayName(n string) string {
	if n == "" {
		return "(unnamed repository)"
	}
	return diag.Printable(n)
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
