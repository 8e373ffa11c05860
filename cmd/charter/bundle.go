package main

import (
	"bytes"
	"fmt"
	"os"
	"strings"
	"sync"
	"time"

	"github.com/charter-compliance/charter/compiler"
	"github.com/charter-compliance/charter/compiler/diag"
	"github.com/charter-compliance/charter/compiler/export"
)

// BundleCmd makes, or verifies, the auditor's zip.
type BundleCmd struct {
	Out         string   `name:"out" short:"o" placeholder:"FILE" type:"path" help:"Write the bundle to FILE (default: charter-bundle.zip in the current directory)."`
	Verify      string   `name:"verify" placeholder:"FILE" type:"existingfile" help:"Check the bundle FILE against its manifest instead: name every file altered, added or removed (exit 1 if any)."`
	PeriodStart string   `name:"period-start" placeholder:"YYYY-MM-DD" help:"First day of the audit period (default: the judging day alone)."`
	AllowErrors bool     `name:"allow-errors" help:"Bundle even when check reports errors: the site then lists them."`
	Standard    []string `name:"standard" placeholder:"FILE" type:"existingfile" help:"Load an extra standard file (repeatable)."`
}

func (c *BundleCmd) Run(g *Globals) error {
	if c.Verify != "" {
		return verifyBundle(g, c.Verify)
	}
	in, br, err := buildInput(g, c.Standard, c.AllowErrors, c.PeriodStart)
	if err != nil {
		return err
	}
	data, err := makeBundle(in, br)
	if err != nil {
		return err
	}
	out := c.Out
	if out == "" {
		out = "charter-bundle.zip"
	}
	if err := writeFile(out, data); err != nil {
		return err
	}
	fmt.Fprintf(g.Stdout, "wrote %s (%d bytes): the site, %s and the exports; judged as of %s\n", out, len(data), count(br.Site.Pages(), "page"), dateOrNone(in.Info.AsOf))
	return nil
}

// makeBundle is the zip of a build: its site, every export and the check's
// SARIF. The SARIF, small and made by one goroutine, is written while the
// exports are made.
func makeBundle(in export.Input, br *compiler.BuildResult) ([]byte, error) {
	var sarif bytes.Buffer
	var sarifErr error
	var wg sync.WaitGroup
	wg.Go(func() { sarifErr = writeSARIF(&sarif, br.Result) })
	files, err := export.Exports(in)
	wg.Wait()
	if err != nil {
		return nil, err
	}
	if sarifErr != nil {
		return nil, sarifErr
	}
	files = append(files, export.NamedFile{Path: export.SARIFFile, Data: sarif.Bytes()})
	for _, f := range builtSite(br) {
		files = append(files, export.NamedFile{Path: export.SiteDir + f.Path, Data: f.Data})
	}
	var b bytes.Buffer
	if err := export.WriteBundle(&b, in, files); err != nil {
		return nil, err
	}
	return b.Bytes(), nil
}

// buildInput checks the repository and renders its site in memory, once,
// for the exports that include or print it. With errors and no
// allowErrors it prints them and refuses.
func buildInput(g *Globals, standards []string, allowErrors bool, periodStart string) (export.Input, *compiler.BuildResult, error) {
	var start time.Time
	if periodStart != "" {
		var err error
		if start, err = time.Parse(time.DateOnly, periodStart); err != nil {
			return export.Input{}, nil, fmt.Errorf("--period-start %q is not a date: write YYYY-MM-DD", periodStart)
		}
	}
	br, err := compiler.BuildVersions(compiler.BuildOptions{
		Options: compiler.Options{
			Root:            g.Root,
			ExtraStandards:  standards,
			SourceDateEpoch: os.Getenv("SOURCE_DATE_EPOCH"),
		},
		NoWrite:     true,
		AllowErrors: allowErrors,
	}, compiler.VersionOptions{})
	if err != nil {
		return export.Input{}, nil, err
	}
	if br.Refused {
		return export.Input{}, nil, refuseErrors(g, br.Diagnostics, false)
	}
	if err := refuseErrors(g, br.Diagnostics, allowErrors); err != nil {
		return export.Input{}, nil, err
	}
	in, err := inputOf(br.Result, nil, start)
	return in, br, err
}

// builtSite is a build's site files at their site paths.
func builtSite(br *compiler.BuildResult) []export.NamedFile {
	out := make([]export.NamedFile, len(br.Site.Files))
	for i, f := range br.Site.Files {
		out[i] = export.NamedFile{Path: f.Path, Data: f.Data}
	}
	return out
}

func verifyBundle(g *Globals, file string) error {
	f, err := os.Open(file)
	if err != nil {
		return err
	}
	defer f.Close()
	info, err := f.Stat()
	if err != nil {
		return err
	}
	v, err := export.VerifyBundle(f, info.Size())
	if err != nil {
		fmt.Fprintf(g.Stderr, "charter: %s: %s\n", diag.Printable(file), diag.PrintableText(err.Error()))
		return errFindings
	}
	m := v.Manifest
	for _, x := range []struct {
		what  string
		files []string
	}{{"altered", v.Altered}, {"added", v.Added}, {"removed", v.Removed}} {
		for _, p := range x.files {
			fmt.Fprintf(g.Stdout, "%s: %s\n", x.what, diag.Printable(p))
		}
	}
	desc := fmt.Sprintf("%s %s", diag.Printable(m.Repository), diag.Printable(m.Version))
	if m.Commit != "" {
		desc += " (" + diag.Printable(m.Commit) + ")"
	}
	if !v.OK() {
		n := len(v.Altered) + len(v.Added) + len(v.Removed)
		fmt.Fprintf(g.Stdout, "%s does not match its manifest: %d %s of %s, judged as of %s\n", file, n, plural(n, "difference", "differences"), desc, diag.Printable(m.JudgingDay))
		return errFindings
	}
	fmt.Fprintf(g.Stdout, "%s is intact: %d files of %s, judged as of %s\n", file, len(m.Files), desc, strings.TrimSpace(diag.Printable(m.JudgingDay)))
	return nil
}
