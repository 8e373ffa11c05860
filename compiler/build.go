package compiler

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path"
	"path/filepath"

	"github.com/charter-compliance/charter/compiler/diag"
	"github.com/charter-compliance/charter/compiler/docs"
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
	res, err := Check(opts.Options)
	if err != nil {
		return nil, err
	}
	out := opts.Out
	if out == "" {
		out = filepath.Join(res.Workspace.Root, "site")
	}
	br := &BuildResult{Result: res, Out: out}
	if !opts.NoWrite {
		if err := site.CheckTarget(out); err != nil {
			return br, err
		}
	}
	if res.Diagnostics.HasErrors() && !opts.AllowErrors {
		br.Refused = true
		return br, nil
	}
	theme, err := readTheme(res)
	if err != nil {
		return br, err
	}
	ws := res.Workspace
	in := site.Input{
		Workspace:   ws,
		Coverage:    res.Coverage,
		Diagnostics: res.Diagnostics,
		AsOf:        res.AsOf,
		History:     opts.History,
		Docs:        docs.New(ws, res.Coverage, docs.Options{UnsafeHTML: ws.Config.UnsafeHTML}),
		Theme:       theme,
	}
	// an error found only while rendering refuses the build as well
	refuse := func(more diag.List) bool { return more.HasErrors() && !opts.AllowErrors }
	var s *site.Site
	var more diag.List
	if opts.NoWrite {
		s, more, err = site.Render(in)
	} else {
		s, more, err = site.RenderTo(in, out, refuse)
	}
	if err != nil {
		return br, err
	}
	if len(more) > 0 {
		res.Diagnostics = append(res.Diagnostics, more...)
		res.Diagnostics.Sort()
	}
	if refuse(more) {
		br.Refused = true
		return br, nil
	}
	br.Site = s
	return br, nil
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
		data, err := sub.ReadFile(p)
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
