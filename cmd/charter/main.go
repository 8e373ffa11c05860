// Command charter compiles an OpenControl compliance repository: it checks
// it, computes SOC 2 coverage and builds the auditors' site.
package main

import (
	"errors"
	"fmt"
	"io"
	"os"

	"github.com/alecthomas/kong"

	"github.com/charter-compliance/charter/compiler/diag"
)

// Exit codes are stable: scripts and CI depend on them.
const (
	exitOK       = 0
	exitFindings = 1
	exitUsage    = 2
)

// Globals are flags every command takes.
type Globals struct {
	Root   string    `short:"C" default:"." help:"Repository root: the directory holding opencontrol.yaml." type:"path"`
	Color  string    `enum:"auto,always,never" default:"auto" help:"Colour diagnostics: auto (only on a terminal), always or never."`
	Stdout io.Writer `kong:"-"`
	Stderr io.Writer `kong:"-"`
}

// CLI is charter's command line.
type CLI struct {
	Globals
	Check CheckCmd `cmd:"" help:"Validate every file, compute coverage and report; exit 1 on errors or gaps in gated certifications."`
	// cmd/charter/baseline.go
	Baseline BaselineCmd `cmd:"" help:"Write the findings check reports now to a baseline file, for check --baseline to fail only on new ones."`
	Build    BuildCmd    `cmd:"" help:"Render the auditors' site (default site/); refuses on errors unless --allow-errors."`
	Diff     DiffCmd     `cmd:"" help:"Compare two revisions (FROM..TO, or FROM and the working tree): verdicts, narratives, policies and procedures, components."`
	Changes  ChangesCmd  `cmd:"" help:"List every change of the audit period: pull request, authors, who merged it, approvals, what it touched, rollbacks, findings."`
	Record   RecordCmd   `cmd:"" help:"Record a merged pull request's reviews in the review ledger (git notes), from the CI's event payload."`
	Version  VersionCmd  `cmd:"" help:"Print charter's version."`

	// artifacts for auditors and CI (cmd/charter/export.go, bundle.go)
	Export     ExportCmd     `cmd:"" help:"Write the control matrix (csv, xlsx), the whole model (json) or OSCAL for auditors and GRC tools."`
	Bundle     BundleCmd     `cmd:"" help:"Zip the site and every export with a SHA-256 manifest for the auditor; --verify checks one."`
	CITemplate CITemplateCmd `cmd:"" name:"ci-template" help:"Print the GitHub Actions or GitLab CI configuration that runs charter."`
}

// findings is returned by a command that ran fine but found problems: the
// report has been printed; the process exits 1.
var errFindings = errors.New("findings")

func main() {
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}

// run parses args and runs a command, returning the exit code. It is the
// whole program minus os.Exit, so tests can drive it.
func run(args []string, stdout, stderr io.Writer) (code int) {
	var cli CLI
	cli.Stdout, cli.Stderr = stdout, stderr
	exited := false
	parser, err := kong.New(&cli,
		kong.Name("charter"),
		kong.Description("charter compiles an OpenControl compliance repository: it checks every file, computes honest SOC 2 coverage and builds a static site for auditors."),
		kong.UsageOnError(),
		kong.Writers(stdout, stderr),
		kong.Exit(func(c int) {
			exited = true
			code = c
			if c != 0 {
				code = exitUsage
			}
			panic(exitPanic{})
		}),
	)
	if err != nil {
		fmt.Fprintf(stderr, "charter: internal error: %v\n", err)
		return exitUsage
	}
	defer func() {
		if r := recover(); r != nil {
			if _, ok := r.(exitPanic); ok && exited {
				return
			}
			fmt.Fprintf(stderr, "charter: internal error: %v\n", r)
			code = exitUsage
		}
	}()
	ctx, err := parser.Parse(args)
	if err != nil {
		usageAnnotation(args, stdout, err)
		// an error can carry repository text (a ref, a file name, git's
		// own message): escaped, it never becomes a terminal sequence
		fmt.Fprintf(stderr, "charter: %s\n", diag.PrintableText(err.Error()))
		if ctx != nil {
			_ = ctx.PrintUsage(true)
		}
		return exitUsage
	}
	if err := ctx.Run(&cli.Globals); err != nil {
		if errors.Is(err, errFindings) {
			return exitFindings
		}
		usageAnnotation(args, stdout, err)
		// an error can carry repository text (a ref, a file name, git's
		// own message): escaped, it never becomes a terminal sequence
		fmt.Fprintf(stderr, "charter: %s\n", diag.PrintableText(err.Error()))
		return exitUsage
	}
	return exitOK
}

// usageAnnotation writes a usage error as a GitHub annotation too when the
// command line asks for --format github, so that the failure shows on the
// pull request and not only in the log.
func usageAnnotation(args []string, stdout io.Writer, err error) {
	for i, a := range args {
		if a == "--" {
			return
		}
		if a == "--format=github" || a == "--format" && i+1 < len(args) && args[i+1] == "github" {
			io.WriteString(stdout, diag.GitHubError("charter: "+err.Error()))
			return
		}
	}
}

type exitPanic struct{}

// VersionCmd prints the version.
type VersionCmd struct{}

// Version is set at link time (-ldflags "-X main.Version=...").
var Version = "dev"

func (VersionCmd) Run(g *Globals) error {
	fmt.Fprintf(g.Stdout, "charter %s\n", Version)
	return nil
}

// colour decides whether to colour output written to w.
func (g *Globals) colour(w io.Writer) bool {
	switch g.Color {
	case "always":
		return true
	case "never":
		return false
	}
	if os.Getenv("NO_COLOR") != "" {
		return false
	}
	f, ok := w.(*os.File)
	if !ok {
		return false
	}
	info, err := f.Stat()
	return err == nil && info.Mode()&os.ModeCharDevice != 0
}
