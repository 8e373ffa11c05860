package main

import (
	"fmt"
	"os"
	"path/filepath"

	"github.com/charter-compliance/charter/compiler"
	"github.com/charter-compliance/charter/compiler/diag"
)

// BuildCmd renders the auditors' site.
type BuildCmd struct {
	Out         string   `name:"out" short:"o" placeholder:"DIR" type:"path" help:"Write the site to DIR (default: site/ in the repository root). DIR is replaced atomically, and only if charter wrote it."`
	AllowErrors bool     `name:"allow-errors" help:"Build even when check reports errors: the site gets a Problems page and banners on affected pages."`
	Strict      bool     `help:"Treat unknown keys, guessed statuses and unknown control origins as errors."`
	Standard    []string `name:"standard" placeholder:"FILE" type:"existingfile" help:"Load an extra standard file, for repositories that use a standard they do not ship (repeatable)."`
	Version     string   `name:"version" placeholder:"LABEL" help:"Name this build LABEL instead of the git tag at HEAD, git describe or the short commit."`
	Versions    string   `name:"versions" placeholder:"PATTERN" help:"Also build every git tag matching PATTERN (e.g. 'v*'; default: charter.yaml's versions) into OUT/<tag>/, the current tree into OUT/<version>/ and OUT/latest/, with a versions index."`
	Since       string   `name:"since" placeholder:"REF" help:"Add a \"Changes since REF\" page comparing the git revision REF (e.g. the last audit's tag) with this build."`
	AsOf        string   `name:"as-of" placeholder:"DATE" help:"Build the site as the repository stood on DATE (YYYY-MM-DD): from the last commit of HEAD's first-parent chain on or before DATE, read from git (the working tree is not touched), judged as of DATE. Not with --versions, --since or --today."`
	Today       string   `name:"today" placeholder:"DATE" help:"Judge the repository as of DATE (YYYY-MM-DD); default: SOURCE_DATE_EPOCH, else the HEAD commit's date, else (outside git) today's date in UTC."`
}

func (c *BuildCmd) Run(g *Globals) error {
	res, err := compiler.BuildVersions(compiler.BuildOptions{
		Options: compiler.Options{
			Root:            g.Root,
			ExtraStandards:  c.Standard,
			Strict:          c.Strict,
			SourceDateEpoch: os.Getenv("SOURCE_DATE_EPOCH"),
			Today:           c.Today,
		},
		Out:         c.Out,
		AllowErrors: c.AllowErrors,
	}, compiler.VersionOptions{Version: c.Version, Versions: c.Versions, Since: c.Since, AsOf: c.AsOf})
	if res != nil {
		if werr := diag.WriteText(g.Stderr, res.Diagnostics, diag.TextOptions{Color: g.colour(g.Stderr)}); werr != nil {
			return werr
		}
	}
	if err != nil {
		// a target charter did not write, a held lock or a failed write: a
		// usage or internal failure, exit 2, not a finding
		return err
	}
	errs, warns := res.Diagnostics.Count()
	if res.Refused {
		fmt.Fprintf(g.Stderr, "charter: build refused: %d %s, %d %s; nothing was written. Fix the errors, or pass --allow-errors to build a site that lists them.\n",
			errs, plural(errs, "error", "errors"), warns, plural(warns, "warning", "warnings"))
		return errFindings
	}
	out := res.Out
	if rel, err := filepath.Rel(mustGetwd(), out); err == nil && !filepath.IsAbs(rel) && len(rel) < len(out) {
		out = rel
	}
	fmt.Fprintf(g.Stdout, "wrote %d pages (%d files) to %s; %d %s, %d %s; judged as of %s (%s)\n",
		res.Site.Pages(), len(res.Site.Files), out, errs, plural(errs, "error", "errors"), warns, plural(warns, "warning", "warnings"), dateOrNone(res.AsOf), res.AsOfSource)
	return nil
}

func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}

// fromWd is path p relative to the working directory, with forward
// slashes, so that a report names the repository without the machine's
// absolute path; p itself when it has no relative form (another volume).
func fromWd(p string) string {
	rel, err := filepath.Rel(mustGetwd(), p)
	if err != nil {
		return p
	}
	return filepath.ToSlash(rel)
}

func mustGetwd() string {
	wd, err := os.Getwd()
	if err != nil {
		return ""
	}
	return wd
}
