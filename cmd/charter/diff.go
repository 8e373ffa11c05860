package main

import (
	"fmt"
	"os"
	"strings"

	"github.com/charter-compliance/charter/compiler"
	"github.com/charter-compliance/charter/compiler/diff"
	"github.com/charter-compliance/charter/compiler/history"
)

// DiffCmd compares two states of the repository.
type DiffCmd struct {
	Range    string   `arg:"" name:"FROM..TO" help:"Two git revisions (tags, branches, commits) as FROM..TO; without ..TO (or with FROM.. alone) the working tree is compared with FROM."`
	Format   string   `enum:"text,json" default:"text" help:"Output format: text or json."`
	Strict   bool     `help:"Treat unknown keys, guessed statuses and unknown control origins as errors (as check does)."`
	Standard []string `name:"standard" placeholder:"FILE" type:"existingfile" help:"Load an extra standard file on both sides (repeatable)."`
}

// workingTree names the uncommitted side of a diff.
const workingTree = "working tree"

func (c *DiffCmd) Run(g *Globals) error {
	from, to, err := parseRange(c.Range)
	if err != nil {
		return err
	}
	opts := compiler.Options{Root: g.Root, ExtraStandards: c.Standard, Strict: c.Strict}
	fromRes, fromSide, err := c.side(g.Root, from, opts)
	if err != nil {
		return err
	}
	toRes, toSide, err := c.side(g.Root, to, opts)
	if err != nil {
		return err
	}
	for _, x := range []struct {
		name string
		res  *compiler.Result
	}{{fromSide.Name, fromRes}, {toSide.Name, toRes}} {
		if errs, _ := x.res.Diagnostics.Count(); errs > 0 {
			fmt.Fprintf(g.Stderr, "charter: note: %s has %d %s; run charter check there to see them\n", x.name, errs, plural(errs, "error", "errors"))
		}
	}
	report := diff.Compare(fromSide, toSide)
	if c.Format == "json" {
		return diff.WriteJSON(g.Stdout, report)
	}
	return diff.WriteText(g.Stdout, report, diff.TextOptions{Color: g.colour(g.Stdout)})
}

// side loads one side: a revision from git objects, or the working tree
// when rev is empty.
func (c *DiffCmd) side(root, rev string, opts compiler.Options) (*compiler.Result, diff.Side, error) {
	if rev != "" {
		res, commit, err := compiler.CheckAt(root, rev, opts)
		if err != nil {
			return nil, diff.Side{}, err
		}
		label, err := history.LabelOf(root, history.CollectOptions{Rev: commit.Hash})
		if err != nil {
			return nil, diff.Side{}, err
		}
		return res, diff.Side{Name: rev, Version: label.Version, Commit: commit.Hash, Workspace: res.Workspace, Coverage: res.Coverage}, nil
	}
	opts.SourceDateEpoch = os.Getenv("SOURCE_DATE_EPOCH")
	res, err := compiler.Check(opts)
	if err != nil {
		return nil, diff.Side{}, err
	}
	sources := map[string]bool{}
	for _, f := range res.Workspace.Files {
		sources[f.Path] = true
	}
	label, _ := history.LabelOf(root, history.CollectOptions{IsSource: func(rel string) bool { return sources[rel] }})
	return res, diff.Side{Name: workingTree, Version: label.String(), Workspace: res.Workspace, Coverage: res.Coverage}, nil
}

// parseRange splits FROM..TO; an empty TO is the working tree.
func parseRange(s string) (from, to string, err error) {
	if strings.Contains(s, "...") {
		return "", "", fmt.Errorf("%q: write FROM..TO with two dots; a symmetric difference (three dots) compares nothing charter can judge", s)
	}
	from, to, _ = strings.Cut(s, "..")
	if from == "" {
		return "", "", fmt.Errorf("%q: name the revision to compare from, as FROM..TO or FROM (for example v1.0.0..HEAD, or v1.0.0 for the working tree)", s)
	}
	if strings.Contains(to, "..") {
		return "", "", fmt.Errorf("%q: give exactly two revisions, FROM..TO", s)
	}
	return from, to, nil
}
