package compiler

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path"
	"path/filepath"

	"github.com/charter-compliance/charter/compiler/changes"
	"github.com/charter-compliance/charter/compiler/diag"
	"github.com/charter-compliance/charter/compiler/diff"
	"github.com/charter-compliance/charter/compiler/docs"
	"github.com/charter-compliance/charter/compiler/history"
	"github.com/charter-compliance/charter/compiler/load"
	"github.com/charter-compliance/charter/compiler/model"
	"github.com/charter-compliance/charter/compiler/opencontrol"
	"github.com/charter-compliance/charter/compiler/site"
	"github.com/charter-compliance/charter/compiler/versions"
)

// BuildOptions configure `charter build`.
type BuildOptions struct {
	Options
	// Out is the directory the site is written to; empty means "site" under
	// the repository root.
	Out string
	// AllowErrors renders even when check reports errors; the site then has
	// a Problems page and banners on the pages built from broken files.
	AllowErrors bool
	// NoWrite renders the site in memory only (for tests and serve).
	NoWrite bool
	// Versions lists every version of a multi-version site, newest first,
	// and VersionDir is this build's directory among them: every page then
	// carries a version switcher and the site has a versions page
	// (links.Versions). BuildVersions sets them.
	Versions   []site.Version
	VersionDir string
	// Changes adds the "Changes since" page (links.Changes) with its entry
	// in the navigation. BuildVersions sets it for --since.
	Changes *diff.Report
}

// BuildResult is what a build did.
type BuildResult struct {
	*Result        // Diagnostics include problems found while rendering
	Out     string // the target directory
	// Site is the site rendered. When Build wrote it (NoWrite unset), the
	// pages went straight to disk and Site lists their paths only.
	Site *site.Site
	// Commit is the commit built from with --as-of; empty otherwise.
	Commit string
	// Refused is true when errors stopped the build: nothing was written.
	Refused bool
}

// VersionOptions say which versions a build renders and what it compares.
type VersionOptions struct {
	// Version replaces the current tree's version label (--version).
	Version string
	// Versions is a tag pattern such as "v*" (--versions, else
	// charter.yaml's versions). Each matching tag is built from git objects
	// into OUT/<tag>/, the current tree into OUT/<its version>/ and
	// OUT/latest/, and OUT/index.html lists them all.
	Versions string
	// Since is a git revision (--since), for example the last audit's tag:
	// the current version gets a "Changes since" page (links.Changes)
	// comparing it with that revision.
	Since string
	// AsOf is a day, YYYY-MM-DD (--as-of): the site is built from the tree
	// of the last commit of HEAD's first-parent chain on or before that
	// day, read from git objects, and judged as of that day. It cannot be
	// combined with Versions or Since.
	AsOf string
}

// BuildVersions is Build with git: it reads the history of the current tree
// (one git log pass; outside git the pages say history is unavailable), and
// with VersionOptions builds old versions (package versions) and a Changes
// page. Old versions are built with their errors (they cannot be fixed any
// more); only the current tree's errors refuse the build. The result
// describes the current tree's build; its Site holds every file written.
func BuildVersions(opts BuildOptions, v VersionOptions) (*BuildResult, error) {
	root := opts.Root
	if root == "" {
		root = "."
	}
	abs, err := filepath.Abs(root)
	if err != nil {
		return nil, err
	}
	cfg := readConfig(abs)
	out := opts.Out
	if out == "" {
		out = filepath.Join(abs, "site")
	}
	if opts.History == nil {
		h, err := history.Collect(abs, history.CollectOptions{RepoURL: cfg.RepositoryURL, Version: v.Version, IsSource: sourceFiles(abs, cfg)})
		if err != nil {
			return nil, err
		}
		opts.History = h
	}
	if v.AsOf != "" {
		return buildAsOf(opts, v, abs, out)
	}
	pattern := v.Versions
	if pattern == "" {
		pattern = cfg.Versions
	}
	if pattern == "" && v.Since == "" {
		return Build(opts)
	}
	h := opts.History
	if !h.Available {
		what := "--versions"
		if pattern == "" {
			what = "--since"
		}
		return nil, fmt.Errorf("%s needs git history, which is unavailable: %s", what, h.Reason)
	}
	if !opts.NoWrite {
		if err := site.CheckTarget(out); err != nil {
			return nil, err
		}
	}
	var vs []site.Version
	if pattern != "" {
		tags, err := history.Tags(abs, pattern)
		if err != nil {
			return nil, err
		}
		if vs, err = versions.Plan(h, tags, v.Version != ""); err != nil {
			return nil, err
		}
	}
	// old versions are read from git into one directory; the first is read
	// while the current tree builds
	var olds *versions.Olds
	if len(vs) > 1 {
		if olds, err = versions.OpenOlds(abs, vs[1:]); err != nil {
			return nil, err
		}
		defer olds.Close()
	}
	br, in, err := prepareBuild(opts)
	if err != nil || br.Refused {
		return br, err
	}
	br.Out = out
	if v.Since != "" {
		if in.Changes, err = changesReport(br, h, abs, v.Since, opts.Options); err != nil {
			return br, err
		}
	}
	if pattern == "" {
		return br, renderSite(br, in, opts)
	}
	ins := []site.Input{in}
	if olds != nil {
		old, err := olds.Inputs(abs, h, cfg.RepositoryURL, func(dir string, v site.Version, hist *history.History) (site.Input, error) {
			return prepareOld(dir, abs, v, hist, opts)
		})
		if err != nil {
			return br, err
		}
		ins = append(ins, old...)
	}
	versions.Link(ins, vs)
	var s *site.Site
	var more diag.List
	if opts.NoWrite {
		s, more, err = versions.RenderInMemory(siteName(br.Workspace), ins, vs, refuser(opts))
	} else {
		s, more, err = versions.Render(out, siteName(br.Workspace), ins, vs, refuser(opts))
	}
	if err != nil {
		return br, err
	}
	if addRenderDiags(br, more, opts); !br.Refused {
		br.Site = s
	}
	return br, nil
}

// prepareOld checks one old version, read into dir, for rendering: judged
// as of its commit date, with its own settings, theme and history, and
// with its errors (it cannot be fixed any more).
func prepareOld(dir, root string, v site.Version, hist *history.History, opts BuildOptions) (site.Input, error) {
	o := opts
	o.Root, o.Out, o.History = dir, "", hist
	o.SourceDateEpoch = epoch(v.Date)
	o.AllowErrors, o.NoWrite = true, true
	_, in, err := prepareBuild(o)
	if err != nil {
		return site.Input{}, revError(err, root, v.Name)
	}
	return in, nil
}

// readConfig reads charter.yaml for what history needs before the
// workspace is loaded (its problems are reported by the load itself).
func readConfig(root string) model.Config {
	r, err := os.OpenRoot(root)
	if err != nil {
		return model.Config{}
	}
	defer r.Close()
	text, err := load.ReadFile(r, load.ConfigName)
	if err != nil {
		return model.Config{}
	}
	cfg, _ := opencontrol.DecodeConfig(load.ConfigName, text)
	return cfg
}

// sourceFiles tells, before the workspace is loaded, whether a path
// (relative to root) is one the build reads: what load.Sources says the
// load reads, and theme overrides. It decides whether an untracked file
// makes the tree dirty.
func sourceFiles(root string, cfg model.Config) func(string) bool {
	theme := cfg.Theme
	if theme == "" {
		theme = DefaultThemeDir
	}
	return load.Sources(root, theme)
}

// siteName is the name the site shows: the organisation, else the
// manifest's name.
func siteName(ws *model.Workspace) string {
	if ws.Config.Organization != "" {
		return ws.Config.Organization
	}
	if ws.Manifest.Name != "" {
		return ws.Manifest.Name
	}
	return "Compliance program"
}

// DefaultThemeDir is where a repository keeps theme overrides unless
// charter.yaml says otherwise.
const DefaultThemeDir = "theme"

// Build checks the repository, renders the site in memory and writes it to
// Out atomically. With errors and no AllowErrors it writes nothing and sets
// Refused. The error is for failures that are not findings: no repository,
// a target directory charter did not write, a broken theme, a failed write.
func Build(opts BuildOptions) (*BuildResult, error) {
	br, in, err := prepareBuild(opts)
	if err != nil || br.Refused {
		return br, err
	}
	in.Versions = opts.Versions
	in.VersionDir = opts.VersionDir
	in.Changes = opts.Changes
	return br, renderSite(br, in, opts)
}

// prepareBuild checks the repository and reads its theme: everything the
// site is rendered from, in memory. Refused is set when check found errors
// and AllowErrors is not; the input is nil then.
func prepareBuild(opts BuildOptions) (*BuildResult, site.Input, error) {
	res, err := Check(opts.Options)
	if err != nil {
		return nil, site.Input{}, err
	}
	out := opts.Out
	if out == "" {
		out = filepath.Join(res.Workspace.Root, "site")
	}
	br := &BuildResult{Result: res, Out: out}
	if !opts.NoWrite {
		if err := site.CheckTarget(out); err != nil {
			return br, site.Input{}, err
		}
	}
	evidence, err := readEvidence(res)
	if err != nil {
		return br, site.Input{}, err
	}
	if res.Diagnostics.HasErrors() && !opts.AllowErrors {
		br.Refused = true
		return br, site.Input{}, nil
	}
	theme, err := readTheme(res)
	if err != nil {
		return br, site.Input{}, err
	}
	ws := res.Workspace
	cm := changeManagement(res.Changes, opts.History)
	return br, site.Input{
		Workspace:   ws,
		Coverage:    res.Coverage,
		Diagnostics: res.Diagnostics,
		AsOf:        res.AsOf,
		AsOfSource:  string(res.AsOfSource),
		History:     opts.History,
		Docs:        docs.New(ws, res.Coverage, docs.Options{UnsafeHTML: ws.Config.UnsafeHTML}),
		Theme:       theme,
		// the change population of the audit period
		ChangeManagement: cm,
		Evidence:         evidence,
	}, nil
}

// readEvidence reads the verifications' local evidence files that the site
// publishes, confined to the repository (site.ReadEvidence), and adds what
// it finds wrong to the result's diagnostics.
func readEvidence(res *Result) (map[*model.Verification]*site.EvidenceFile, error) {
	root, err := os.OpenRoot(res.Workspace.Root)
	if err != nil {
		return nil, err
	}
	defer root.Close()
	files, diags := site.ReadEvidence(root, res.Workspace)
	if len(diags) > 0 {
		diags, off := settle(res.Workspace, diags)
		res.Diagnostics = append(res.Diagnostics, diags...)
		res.Diagnostics.Sort()
		res.TurnedOff += off
	}
	return files, nil
}

// changeManagement is the "Change management" page's data: the population
// of charter.yaml's audit_period that check tested (nil without an audit
// period), whose recorded approvals are also copied onto the history's rows
// (changes.Annotate). When the population could not be read, the page says
// why (check has reported it).
func changeManagement(t *changes.Tested, h *history.History) *site.ChangeManagement {
	if t == nil {
		return nil
	}
	if t.Population == nil {
		return &site.ChangeManagement{Problem: t.Problem}
	}
	changes.Annotate(h, t.Population)
	return &site.ChangeManagement{Population: t.Population}
}

// refuser says whether the problems found while rendering refuse the build.
func refuser(opts BuildOptions) func(diag.List) bool {
	return func(more diag.List) bool { return more.HasErrors() && !opts.AllowErrors }
}

// addRenderDiags adds the problems found while rendering to the result and
// sets Refused when they refuse the build.
func addRenderDiags(br *BuildResult, more diag.List, opts BuildOptions) {
	if len(more) > 0 {
		br.Diagnostics = append(br.Diagnostics, more...)
		br.Diagnostics.Sort()
	}
	if refuser(opts)(more) {
		br.Refused = true
	}
}

// renderSite renders one site: in memory with NoWrite, else straight into
// br.Out.
func renderSite(br *BuildResult, in site.Input, opts BuildOptions) error {
	var s *site.Site
	var more diag.List
	var err error
	if opts.NoWrite {
		s, more, err = site.Render(in)
	} else {
		s, more, err = site.RenderTo(in, br.Out, refuser(opts))
	}
	if err != nil {
		return err
	}
	if addRenderDiags(br, more, opts); br.Refused {
		return nil
	}
	br.Site = s
	return nil
}

// readTheme reads the repository's theme overrides, confined to the
// repository: a path or symbolic link that leads outside is refused.
func readTheme(res *Result) (map[string]site.ThemeFile, error) {
	ws := res.Workspace
	dir := ws.Config.Theme
	explicit := dir != ""
	if !explicit {
		dir = DefaultThemeDir
	}
	dir = path.Clean(filepath.ToSlash(dir))
	root, err := os.OpenRoot(ws.Root)
	if err != nil {
		return nil, err
	}
	defer root.Close()
	info, err := root.Stat(dir)
	if errors.Is(err, fs.ErrNotExist) && !explicit {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("charter.yaml: theme directory %q: %v", dir, unwrapPath(err))
	}
	if !info.IsDir() {
		return nil, fmt.Errorf("charter.yaml: theme %q is not a directory", dir)
	}
	sub, err := root.OpenRoot(dir)
	if err != nil {
		return nil, fmt.Errorf("charter.yaml: theme directory %q: %v", dir, unwrapPath(err))
	}
	defer sub.Close()
	files := map[string]site.ThemeFile{}
	err = fs.WalkDir(sub.FS(), ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() || d.Name() == ".gitkeep" || d.Name() == "README.md" {
			return nil
		}
		data, err := load.ReadFile(sub, p)
		if err != nil {
			return fmt.Errorf("%s: %v", path.Join(dir, p), unwrapPath(err))
		}
		files[p] = site.ThemeFile{Source: path.Join(dir, p), Data: data}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("theme: %w", err)
	}
	return files, nil
}

func unwrapPath(err error) error {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	return err
}
