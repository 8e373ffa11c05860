package main

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/charter-compliance/charter/compiler"
	"github.com/charter-compliance/charter/compiler/diag"
	"github.com/charter-compliance/charter/compiler/export"
	"github.com/charter-compliance/charter/compiler/export/ci"
	"github.com/charter-compliance/charter/compiler/history"
)

// ExportCmd writes the control matrix, the model or OSCAL.
type ExportCmd struct {
	Format      string   `enum:"csv,xlsx,json,oscal," default:"" help:"What to write: csv or xlsx (the control matrix), json (the whole model and coverage) or oscal (component definition, assessment plan and results)."`
	PDF         bool     `name:"pdf" help:"Instead, print every policy and procedure to PDF, and all of them in one document with a table of contents, through headless Chromium (into --out DIR, default pdf)."`
	Cert        []string `name:"cert" placeholder:"NAME" help:"Export only this certification (repeatable; default: all)."`
	Out         string   `name:"out" short:"o" placeholder:"PATH" type:"path" help:"Write to PATH: a file for json, xlsx and a single certification's csv; a directory for oscal and for csv of several certifications. Default: standard output (json, csv of one certification)."`
	PeriodStart string   `name:"period-start" placeholder:"YYYY-MM-DD" help:"First day of the audit period (default: the judging day alone)."`
	AllowErrors bool     `name:"allow-errors" help:"Export even when check reports errors."`
	Standard    []string `name:"standard" placeholder:"FILE" type:"existingfile" help:"Load an extra standard file (repeatable)."`
}

func (c *ExportCmd) Run(g *Globals) error {
	switch {
	case c.PDF && c.Format != "":
		return fmt.Errorf("give --format or --pdf, not both")
	case c.PDF:
		return c.pdf(g)
	case c.Format == "":
		return fmt.Errorf("give --format csv, xlsx, json or oscal, or --pdf")
	}
	in, err := exportInput(g, c.Standard, c.AllowErrors, c.Cert, c.PeriodStart)
	if err != nil {
		return err
	}
	certs, err := in.Certifications()
	if err != nil {
		return err
	}
	switch c.Format {
	case "json":
		var b bytes.Buffer
		if err := export.WriteJSON(&b, in); err != nil {
			return err
		}
		return writeOut(g, c.Out, b.Bytes())
	case "xlsx":
		if c.Out == "" {
			return errors.New("xlsx is a binary file: give --out FILE")
		}
		var b bytes.Buffer
		if err := export.WriteXLSX(&b, in); err != nil {
			return err
		}
		return writeOut(g, c.Out, b.Bytes())
	case "csv":
		if len(certs) == 1 && !isDir(c.Out) {
			var b bytes.Buffer
			if err := export.WriteCSV(&b, in, certs[0]); err != nil {
				return err
			}
			return writeOut(g, c.Out, b.Bytes())
		}
		if c.Out == "" {
			return fmt.Errorf("%d certifications make %d CSV files: give --out DIR, or --cert NAME for one", len(certs), len(certs))
		}
		files, err := export.CSVFiles(in)
		if err != nil {
			return err
		}
		return writeDir(g, c.Out, files)
	default: // oscal
		if c.Out == "" {
			return fmt.Errorf("oscal writes %s, %s and %s: give --out DIR", export.ComponentDefinitionFile, export.AssessmentPlanFile, export.AssessmentResultsFile)
		}
		files, err := export.OSCALFiles(in)
		if err != nil {
			return err
		}
		return writeDir(g, c.Out, files)
	}
}

// pdf prints the policies and procedures from the site, built in memory.
func (c *ExportCmd) pdf(g *Globals) error {
	bin, err := export.FindBrowser()
	if err != nil {
		return err
	}
	in, br, err := buildInput(g, c.Standard, c.AllowErrors, c.PeriodStart)
	if err != nil {
		return err
	}
	p, err := export.NewPrinter(bin)
	if err != nil {
		return err
	}
	defer p.Close()
	files, err := p.PDFs(in, builtSite(br))
	if err != nil {
		return err
	}
	out := c.Out
	if out == "" {
		out = "pdf"
	}
	return writeDir(g, out, files)
}

// exportInput checks the repository and says which build the exports
// describe. With errors and no allowErrors it prints them and refuses.
func exportInput(g *Globals, standards []string, allowErrors bool, certs []string, periodStart string) (export.Input, error) {
	var start time.Time
	if periodStart != "" {
		var err error
		if start, err = time.Parse(time.DateOnly, periodStart); err != nil {
			return export.Input{}, fmt.Errorf("--period-start %q is not a date: write YYYY-MM-DD", periodStart)
		}
	}
	res, err := compiler.Check(compiler.Options{
		Root:            g.Root,
		ExtraStandards:  standards,
		SourceDateEpoch: os.Getenv("SOURCE_DATE_EPOCH"),
	})
	if err != nil {
		return export.Input{}, err
	}
	in, err := inputOf(res, certs, start)
	if err != nil {
		return in, err
	}
	return in, refuseErrors(g, res.Diagnostics, allowErrors)
}

// inputOf is the exports' input for a checked repository.
func inputOf(res *compiler.Result, certs []string, periodStart time.Time) (export.Input, error) {
	if !periodStart.IsZero() && periodStart.After(res.AsOf) {
		return export.Input{}, fmt.Errorf("--period-start %s is after the judging day %s", periodStart.Format(time.DateOnly), dateOrNone(res.AsOf))
	}
	label, err := history.LabelOf(res.Workspace.Root, history.CollectOptions{})
	if err != nil {
		return export.Input{}, err
	}
	return export.Input{Result: res, Certs: certs, Info: export.Info{
		Charter: Version, Version: label.Version, Commit: label.Commit, Dirty: label.Dirty,
		AsOf: res.AsOf, AsOfSource: string(res.AsOfSource), PeriodStart: periodStart,
	}}, nil
}

// refuseErrors prints the diagnostics when there are errors and, unless
// allowed, refuses: an export of a broken repository would present a
// misread as the truth.
func refuseErrors(g *Globals, l diag.List, allow bool) error {
	if !l.HasErrors() {
		return nil
	}
	if err := diag.WriteText(g.Stderr, l, diag.TextOptions{Color: g.colour(g.Stderr)}); err != nil {
		return err
	}
	if allow {
		return nil
	}
	errs, _ := l.Count()
	fmt.Fprintf(g.Stderr, "charter: refused: %d %s; nothing was written. Fix them, or pass --allow-errors.\n", errs, plural(errs, "error", "errors"))
	return errFindings
}

func isDir(p string) bool {
	info, err := os.Stat(p)
	return p != "" && err == nil && info.IsDir()
}

// writeOut writes data to the file out, or to standard output when out is
// empty or "-".
func writeOut(g *Globals, out string, data []byte) error {
	if out == "" || out == "-" {
		_, err := g.Stdout.Write(data)
		return err
	}
	if err := writeFile(out, data); err != nil {
		return err
	}
	fmt.Fprintf(g.Stderr, "wrote %s\n", out)
	return nil
}

// writeDir writes files into the directory dir, creating it.
func writeDir(g *Globals, dir string, files []export.NamedFile) error {
	for _, f := range files {
		if err := writeFile(filepath.Join(dir, filepath.FromSlash(f.Path)), f.Data); err != nil {
			return err
		}
	}
	fmt.Fprintf(g.Stderr, "wrote %d %s to %s\n", len(files), plural(len(files), "file", "files"), dir)
	return nil
}

// writeFile replaces path with data through a temporary file beside it,
// so that a failed write never leaves half a file.
func writeFile(path string, data []byte) error {
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return err
	}
	tmp, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".*")
	if err != nil {
		return err
	}
	_, werr := tmp.Write(data)
	cerr := tmp.Close()
	if werr == nil {
		werr = cerr
	}
	if werr == nil {
		werr = os.Chmod(tmp.Name(), 0o644)
	}
	if werr == nil {
		werr = os.Rename(tmp.Name(), path)
	}
	if werr != nil {
		os.Remove(tmp.Name())
		var pe *fs.PathError
		if errors.As(werr, &pe) {
			return fmt.Errorf("writing %s: %v", path, pe.Err)
		}
		return fmt.Errorf("writing %s: %v", path, werr)
	}
	return nil
}

// CITemplateCmd prints a CI configuration that runs charter.
type CITemplateCmd struct {
	Provider string `enum:"github,gitlab" required:"" help:"github (GitHub Actions) or gitlab (GitLab CI)."`
}

func (c *CITemplateCmd) Run(g *Globals) error {
	tpl, ok := ci.Lookup(c.Provider)
	if !ok {
		return fmt.Errorf("no template for %q", c.Provider)
	}
	fmt.Fprintf(g.Stderr, "# save as %s\n", tpl.Path)
	_, err := io.Copy(g.Stdout, bytes.NewReader(tpl.Data))
	return err
}

// sarifPrefix is the workspace's directory relative to the top level of
// its git repository ("" outside git or at the top).
func sarifPrefix(root string) string {
	if history.OutsideGit(root) {
		return ""
	}
	out, err := history.Git(root, "rev-parse", "--show-prefix")
	if err != nil {
		return ""
	}
	return strings.TrimSpace(string(out))
}

// writeSARIF writes check's diagnostics as SARIF to w.
func writeSARIF(w io.Writer, res *compiler.Result) error {
	return diag.WriteSARIF(w, res.Diagnostics, diag.SARIFOptions{ToolVersion: Version, URIPrefix: sarifPrefix(res.Workspace.Root)})
}
