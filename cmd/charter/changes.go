package main

import (
	"fmt"
	"os"
	"strconv"

	"github.com/charter-compliance/charter/compiler"
	"github.com/charter-compliance/charter/compiler/changes"
	"github.com/charter-compliance/charter/compiler/diag"
)

// ChangesCmd lists the change population of the audit period.
type ChangesCmd struct {
	From     string   `placeholder:"REF|DATE" help:"Start of the period: a date (YYYY-MM-DD, inclusive) or a revision (exclusive, as in FROM..TO); default charter.yaml's audit_period.from, else the first commit."`
	To       string   `placeholder:"REF|DATE" help:"End of the period: a date (inclusive) or a revision (inclusive); default charter.yaml's audit_period.to, else the branch's tip."`
	Format   string   `enum:"text,json,csv" default:"text" help:"Output format: text, json or csv (one row per change, for spreadsheets)."`
	Check    bool     `help:"Report every change that breaks charter.yaml's change_management rules as a diagnostic; exit 1 when one is not excepted."`
	Sample   string   `placeholder:"N|auto" help:"List only a reproducible sample of N changes (auto: the default size for the population, see docs/changes.md); needs --seed."`
	Seed     string   `placeholder:"S" help:"The sample's seed: the same seed and population give the same sample on any machine."`
	Standard []string `name:"standard" placeholder:"FILE" type:"existingfile" help:"Load an extra standard file (repeatable)."`
}

func (c *ChangesCmd) Run(g *Globals) error {
	size := 0
	switch {
	case c.Sample == "" && c.Seed != "":
		return fmt.Errorf("--seed is given without --sample: add --sample N (or --sample auto)")
	case c.Sample == "":
	case c.Seed == "":
		return fmt.Errorf("--sample needs --seed S, so that the sample can be drawn again: the auditor usually chooses the seed")
	case c.Sample == "auto":
		size = -1
	default:
		n, err := strconv.Atoi(c.Sample)
		if err != nil || n < 1 {
			return fmt.Errorf("--sample %q: give a number of changes of 1 or more, or auto", c.Sample)
		}
		size = n
	}
	res, err := compiler.Check(compiler.Options{Root: g.Root, ExtraStandards: c.Standard, SourceDateEpoch: os.Getenv("SOURCE_DATE_EPOCH")})
	if err != nil {
		return err
	}
	ws := res.Workspace
	period := changes.ConfiguredPeriod(ws.Config)
	if c.From != "" {
		period.From = c.From
	}
	if c.To != "" {
		period.To = c.To
	}
	pop, _, err := changes.Collect(ws, period)
	if err != nil {
		return err
	}
	var found diag.List
	if c.Check {
		if ws.Config.ChangeManagement == nil {
			return fmt.Errorf("--check needs rules: add change_management to charter.yaml (see docs/changes.md)")
		}
		found = changes.Diagnostics(pop, ws.Config.ChangeManagement)
	}
	if size != 0 {
		pop.Draw(c.Seed, size)
	}
	switch c.Format {
	case "json":
		err = changes.WriteJSON(g.Stdout, pop)
	case "csv":
		err = changes.WriteCSV(g.Stdout, pop)
	default:
		err = changes.WriteText(g.Stdout, pop)
	}
	if err != nil {
		return err
	}
	if c.Check {
		if err := diag.WriteText(g.Stderr, found, diag.TextOptions{Color: g.colour(g.Stderr)}); err != nil {
			return err
		}
		if found.HasErrors() {
			return errFindings
		}
	}
	return nil
}
