package compiler

import (
	"errors"
	"fmt"
	"os"
	"path"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/charter-compliance/charter/compiler/diag"
	"github.com/charter-compliance/charter/compiler/diff"
	"github.com/charter-compliance/charter/compiler/history"
	"github.com/charter-compliance/charter/compiler/links"
	"github.com/charter-compliance/charter/compiler/load"
	"github.com/charter-compliance/charter/compiler/model"
	"github.com/charter-compliance/charter/compiler/opencontrol"
	"github.com/charter-compliance/charter/compiler/site"
)

// CheckAt loads, checks and judges the repository at root as it was at the
// git revision rev, read from git objects into a temporary directory (the
// working tree and index are never touched). Coverage is judged as of the
// revision's commit date, so an old state is seen as it was on its own day.
// The returned Result's Workspace.Root is that temporary directory, already
// removed: everything the pipeline needs is in memory.
func CheckAt(root, rev string, opts Options) (*Result, history.Commit, error) {
	tmp, err := os.MkdirTemp("", "charter-rev-")
	if err != nil {
		return nil, history.Commit{}, err
	}
	defer os.RemoveAll(tmp)
	commit, err := history.Snapshot(root, rev, tmp)
	if err != nil {
		return nil, commit, err
	}
	opts.Root = tmp
	opts.SourceDateEpoch = epoch(commit.Date)
	res, err := Check(opts)
	if err != nil {
		return nil, commit, revError(err, root, rev)
	}
	res.AsOfSource = history.DateFromRev
	return res, commit, nil
}

func epoch(t time.Time) string { return strconv.FormatInt(t.Unix(), 10) }

func revError(err error, root, rev string) error {
	if errors.Is(err, load.ErrNoManifest) {
		if abs, aerr := filepath.Abs(root); aerr == nil {
			root = abs
		}
		return fmt.Errorf("%w at %s: %s held no %s then", load.ErrNoManifest, rev, root, load.ManifestName)
	}
	return fmt.Errorf("at %s: %w", rev, err)
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
}

// Latest is the directory of a multi-version site that holds the current
// tree's build.
const Latest = "latest"

// BuildVersions is Build with git: it reads the history of the current tree
// (one git log pass; outside git the pages say history is unavailable), and
// with VersionOptions builds old versions and a Changes page. Old versions
// are built with their errors (they cannot be fixed any more); only the
// current tree's errors refuse the build. The result describes the current
// tree's build; its Site holds every file written.
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
	var versions []Version
	if pattern != "" {
		tags, err := history.Tags(abs, pattern)
		if err != nil {
			return nil, err
		}
		if versions, err = planVersions(h, tags, v.Version != ""); err != nil {
			return nil, err
		}
	}
	// Old versions are read from git into one directory, switched from one
	// version to the next; the first is read while the current tree builds.
	var olds *oldVersions
	if len(versions) > 1 {
		if olds, err = prepareOlds(abs, versions[1:]); err != nil {
			return nil, err
		}
		defer olds.close()
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
	// every version is checked before any is rendered: the switcher on each
	// page links to the same page in the other versions, so every version's
	// pages must be known
	ins := []site.Input{in}
	for i, ver := range versions[1:] {
		if err := olds.at(i, ver); err != nil {
			return br, fmt.Errorf("version %s: %w", ver.Name, err)
		}
		oin, err := prepareOld(olds.tmp, abs, ver, h, opts, cfg.RepositoryURL)
		if err != nil {
			return br, err
		}
		ins = append(ins, oin)
	}
	svs := siteVersions(versions)
	for i := range ins {
		ins[i].Versions, ins[i].VersionDir = svs, versions[i].Dir
	}
	for i := range ins {
		svs[i].Pages = site.PagePaths(ins[i])
	}
	index, err := versionsIndex(siteName(br.Workspace), versions, in.Theme)
	if err != nil {
		return br, err
	}
	if opts.NoWrite {
		return br, renderVersionsInMemory(br, ins, versions, index, opts)
	}
	return br, renderVersions(br, ins, versions, index, opts)
}

// prepareOld checks one old version, read into dir, for rendering: judged
// as of its commit date, with its own settings, theme and history, and
// with its errors (it cannot be fixed any more).
func prepareOld(dir, root string, v Version, h *history.History, opts BuildOptions, repoURL string) (site.Input, error) {
	// history of a version on the current chain is derived from the current
	// history; others need their own pass
	hist, ok := h.At(v.Commit, v.Name)
	if !ok {
		var err error
		hist, err = history.Collect(root, history.CollectOptions{Rev: v.Commit, Version: v.Name, RepoURL: repoURL})
		if err != nil {
			return site.Input{}, fmt.Errorf("version %s: %w", v.Name, err)
		}
	}
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

// renderVersions writes the multi-version site: each version in its
// directory, the current one also at latest/, the versions index at the
// root; atomically, like a single site. Only the current version's
// rendering problems can refuse the build.
func renderVersions(br *BuildResult, ins []site.Input, versions []Version, index []byte, opts BuildOptions) (err error) {
	st, err := site.NewStage(br.Out)
	if err != nil {
		return err
	}
	committed := false
	defer func() {
		if !committed {
			st.Discard()
		}
	}()
	var files []site.File
	for i := range ins {
		prefixes := []string{versions[i].Dir}
		var refuse func(diag.List) bool
		if i == 0 {
			prefixes = append(prefixes, Latest)
			refuse = refuser(opts)
		}
		s, more, err := st.Render(ins[i], prefixes, refuse)
		if err != nil {
			return fmt.Errorf("version %s: %w", versions[i].Name, err)
		}
		if i == 0 {
			if addRenderDiags(br, more, opts); br.Refused {
				return nil
			}
		}
		ins[i] = site.Input{} // let it go
		for _, pre := range prefixes {
			for _, f := range s.Files {
				files = append(files, site.File{Path: pre + "/" + f.Path})
			}
		}
	}
	if err := st.Add(site.File{Path: links.Home, Data: index}); err != nil {
		return err
	}
	if err := st.Commit(); err != nil {
		return err
	}
	committed = true
	files = append(files, site.File{Path: links.Home}, site.File{Path: site.Marker})
	sortFiles(files)
	br.Site = &site.Site{Files: files}
	return nil
}

// renderVersionsInMemory is renderVersions for NoWrite: the whole
// multi-version site in br.Site.
func renderVersionsInMemory(br *BuildResult, ins []site.Input, versions []Version, index []byte, opts BuildOptions) error {
	var files []site.File
	var marker []byte
	for i := range ins {
		s, more, err := site.Render(ins[i])
		if err != nil {
			return fmt.Errorf("version %s: %w", versions[i].Name, err)
		}
		prefixes := []string{versions[i].Dir}
		if i == 0 {
			if addRenderDiags(br, more, opts); br.Refused {
				return nil
			}
			prefixes = append(prefixes, Latest)
			marker = s.Get(site.Marker)
		}
		ins[i] = site.Input{}
		for _, pre := range prefixes {
			for _, f := range s.Files {
				if f.Path != site.Marker {
					files = append(files, site.File{Path: pre + "/" + f.Path, Data: f.Data})
				}
			}
		}
	}
	files = append(files, site.File{Path: links.Home, Data: index}, site.File{Path: site.Marker, Data: marker})
	sortFiles(files)
	br.Site = &site.Site{Files: files}
	return nil
}

// readConfig reads charter.yaml for what history needs before the
// workspace is loaded (its problems are reported by the load itself).
func readConfig(root string) model.Config {
	text, err := os.ReadFile(filepath.Join(root, load.ConfigName))
	if err != nil || len(text) > opencontrol.MaxFileSize {
		return model.Config{}
	}
	cfg, _ := opencontrol.DecodeConfig(load.ConfigName, text)
	return cfg
}

// sourceFiles tells, before the workspace is loaded, whether a path
// (relative to root) is one the build reads: the manifest, charter.yaml,
// anything in a component directory or in fetched dependencies, the
// standards and certifications the manifest lists, Markdown in the
// documents directories, and theme overrides. It decides whether an
// untracked file makes the tree dirty.
func sourceFiles(root string, cfg model.Config) func(string) bool {
	exact := map[string]bool{load.ManifestName: true, load.ConfigName: true}
	dirs := []string{load.DepsDir + "/"}
	theme := cfg.Theme
	if theme == "" {
		theme = DefaultThemeDir
	}
	dirs = append(dirs, dirPrefix(theme))
	if text, err := os.ReadFile(filepath.Join(root, load.ManifestName)); err == nil && len(text) <= opencontrol.MaxFileSize {
		if m, _ := opencontrol.DecodeManifest(load.ManifestName, text); m != nil {
			for _, e := range m.Components {
				dirs = append(dirs, dirPrefix(e.Path))
			}
			for _, e := range append(m.Standards, m.Certifications...) {
				exact[cleanRel(e.Path)] = true
			}
		}
	}
	docs := cfg.Documents
	if !cfg.Present {
		docs = opencontrol.DefaultDocuments
	}
	var docDirs []string
	for _, d := range docs {
		docDirs = append(docDirs, dirPrefix(d))
	}
	return func(rel string) bool {
		if exact[rel] {
			return true
		}
		for _, d := range dirs {
			if strings.HasPrefix(rel, d) {
				return true
			}
		}
		if strings.HasSuffix(rel, ".md") && !strings.EqualFold(path.Base(rel), "README.md") {
			for _, d := range docDirs {
				if strings.HasPrefix(rel, d) {
					return true
				}
			}
		}
		return false
	}
}

func cleanRel(p string) string {
	return strings.TrimPrefix(path.Clean("/"+filepath.ToSlash(strings.TrimSpace(p))), "/")
}

// dirPrefix is the prefix of every path inside directory p ("" for the
// root itself).
func dirPrefix(p string) string {
	if c := cleanRel(p); c != "" {
		return c + "/"
	}
	return ""
}

// changesReport compares the revision since with the current build, for
// the "Changes since" page.
func changesReport(br *BuildResult, h *history.History, root, since string, opts Options) (*diff.Report, error) {
	from, commit, err := CheckAt(root, since, opts)
	if err != nil {
		return nil, err
	}
	label, err := history.LabelOf(root, history.CollectOptions{Rev: commit.Hash})
	if err != nil {
		return nil, err
	}
	cur := br.Result
	return diff.Compare(
		diff.Side{Name: since, Version: label.Version, Commit: commit.Hash, Workspace: from.Workspace, Coverage: from.Coverage},
		diff.Side{Name: h.Label.Version, Version: h.Label.String(), Commit: h.Label.Commit, Workspace: cur.Workspace, Coverage: cur.Coverage},
	), nil
}

func sortFiles(files []site.File) {
	slices.SortFunc(files, func(a, b site.File) int { return strings.Compare(a.Path, b.Path) })
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

// Version is one version of a multi-version site.
type Version struct {
	Name    string    // the tag, or the current tree's version label
	Dir     string    // its directory under the site root
	Commit  string    // full hash
	Date    time.Time // committer date
	Current bool      // the current tree, also at latest/
	Dirty   bool      // the current tree has uncommitted changes
	// Pages are the site-root paths of the version's pages, sorted, for the
	// version switcher (see site.Version); nil when not known.
	Pages []string
}

// planVersions names the directory of every version: the current tree
// first, then the tags, newest first. A clean current tree at a matching
// tag is that tag's version (built once, from the working tree).
func planVersions(h *history.History, tags []history.Tag, override bool) ([]Version, error) {
	cur := Version{Name: h.Label.Version, Commit: h.Label.Commit, Date: h.Date, Current: true, Dirty: h.Label.Dirty}
	var olds []Version
	for _, t := range slices.Backward(tags) {
		if t.Hash == cur.Commit && !cur.Dirty && !override {
			cur.Name = t.Name
			continue
		}
		olds = append(olds, Version{Name: t.Name, Commit: t.Hash, Date: t.Date})
	}
	cur.Dir = links.Slug(cur.Name)
	if cur.Dirty {
		cur.Dir += "-dirty"
	}
	all := append([]Version{cur}, olds...)
	taken := map[string]string{Latest: "the latest version", "index.html": "the versions index", site.Marker: "the site marker"}
	for i := range all {
		if i > 0 {
			all[i].Dir = links.Slug(all[i].Name)
		}
		if prev, ok := taken[all[i].Dir]; ok {
			return nil, fmt.Errorf("version %q would be written to %s/, the place of %s; rename the tag or narrow the --versions pattern", all[i].Name, all[i].Dir, prev)
		}
		taken[all[i].Dir] = fmt.Sprintf("version %q", all[i].Name)
	}
	return all, nil
}

// oldVersions is the directory old versions are built from.
type oldVersions struct {
	tmp   string
	dir   *history.SnapshotDir
	first chan error // the first version's snapshot, read in the background
}

func prepareOlds(root string, versions []Version) (*oldVersions, error) {
	tmp, err := os.MkdirTemp("", "charter-version-")
	if err != nil {
		return nil, err
	}
	dir, err := history.NewSnapshotDir(root, tmp)
	if err != nil {
		os.RemoveAll(tmp)
		return nil, err
	}
	o := &oldVersions{tmp: tmp, dir: dir, first: make(chan error, 1)}
	go func() {
		_, err := dir.Switch(versions[0].Commit)
		o.first <- err
	}()
	return o, nil
}

// at makes the directory hold version i (in order: the first was read
// in the background).
func (o *oldVersions) at(i int, v Version) error {
	if i == 0 {
		err := <-o.first
		o.first = nil
		return err
	}
	_, err := o.dir.Switch(v.Commit)
	return err
}

func (o *oldVersions) close() {
	if o.first != nil {
		<-o.first
	}
	os.RemoveAll(o.tmp)
}

// versionsIndex is the page at the root of a multi-version site, in the
// current tree's theme.
func versionsIndex(name string, versions []Version, theme map[string]site.ThemeFile) ([]byte, error) {
	return site.VersionsIndex(name, Latest, siteVersions(versions), theme)
}
