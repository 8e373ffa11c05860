package main

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"

	"github.com/charter-compliance/charter/compiler"
	"github.com/charter-compliance/charter/compiler/diag"
)

// BaselineCmd writes the baseline `check --baseline` reads: every finding
// check reports now, so that a repository can adopt check in CI and fail
// only on new findings.
type BaselineCmd struct {
	Out      string   `name:"out" placeholder:"FILE" type:"path" help:"Write the baseline to FILE (default: charter-baseline.json in the repository root, -C); - writes it to standard output."`
	Strict   bool     `help:"As check --strict: the baseline holds what check --strict reports."`
	Standard []string `name:"standard" placeholder:"FILE" type:"existingfile" help:"As check --standard (repeatable)."`
	Today    string   `name:"today" placeholder:"DATE" help:"As check --today."`
}

// BaselineFile is the baseline's name in the repository root by default.
const BaselineFile = "charter-baseline.json"

func (c *BaselineCmd) Run(g *Globals) error {
	res, err := compiler.Check(checkOptions(g, c.Strict, c.Standard, c.Today))
	if err != nil {
		return err
	}
	return writeBaseline(g, res, c.Out)
}

func writeBaseline(g *Globals, res *compiler.Result, out string) error {
	var b bytes.Buffer
	if err := diag.NewBaseline(res.Diagnostics, sarifPrefix(res.Workspace.Root)).Write(&b); err != nil {
		return err
	}
	if out == "-" {
		_, err := g.Stdout.Write(b.Bytes())
		return err
	}
	if out == "" {
		out = filepath.Join(res.Workspace.Root, BaselineFile)
	}
	if err := os.WriteFile(out, b.Bytes(), 0o644); err != nil {
		return err
	}
	fmt.Fprintf(g.Stdout, "wrote %s: %s (%s)\n", diag.Printable(fromWd(out)), count(len(res.Diagnostics), "finding"), res.Diagnostics.Summary())
	return nil
}
