package compiler

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path"
	"path/filepath"

	"github.com/charter-compliance/charter/compiler/diag"
	"github.com/charter-compliance/charter/compiler/diff"
	"github.com/charter-compliance/charter/compiler/docs"
	"github.com/charter-compliance/charter/compiler/load"
	"github.com/charter-compliance/charter/compiler/site"
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
	Versions   []Version
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
	// Refused is true when errors stopped the build: nothing was written.
	Refused bool
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
	in.Versions = siteVersions(opts.Versions)
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
	if res.Diagnostics.HasErrors() && !opts.AllowErrors {
		br.Refused = true
		return br, site.Input{}, nil
	}
	theme, err := readTheme(res)
	if err != nil {
		return br, site.Input{}, err
	}
	ws := res.Workspace
	return br, site.Input{
		Workspace:   ws,
		Coverage:    res.Coverage,
		Diagnostics: res.Diagnostics,
		AsOf:        res.AsOf,
		History:     opts.History,
		Docs:        docs.New(ws, res.Coverage, docs.Options{UnsafeHTML: ws.Config.UnsafeHTML}),
		Theme:       theme,
	}, nil
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

// siteVersions is the versions as the site shows them.
func siteVersions(vs []Version) []site.Version {
	if len(vs) == 0 {
		return nil
	}
	out := make([]site.Version, len(vs))
	for i, v := range vs {
		out[i] = site.Version{Name: v.Name, Dir: v.Dir, Commit: v.Commit, Date: v.Date, Current: v.Current, Dirty: v.Dirty, Pages: v.Pages}
	}
	return out
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
