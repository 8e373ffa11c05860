// Package versions builds multi-version sites: it plans a version per git
// tag, reads each old version from git objects into one directory, renders
// every version into its own directory of one site (the current tree also
// at latest/) and writes the versions index at the root. Checking a tree is
// the pipeline's work: the compiler package hands it in as a function, so
// this package never loads a repository itself.
package versions

import (
	"fmt"
	"os"
	"slices"
	"strings"

	"github.com/charter-compliance/charter/compiler/diag"
	"github.com/charter-compliance/charter/compiler/history"
	"github.com/charter-compliance/charter/compiler/links"
	"github.com/charter-compliance/charter/compiler/site"
)

// Latest is the directory of a multi-version site that holds the current
// tree's build.
const Latest = "latest"

// Plan names the directory of every version: the current tree first, then
// the tags, newest first. A clean current tree at a matching tag is that
// tag's version (built once, from the working tree) unless override (a
// --version label) is set.
func Plan(h *history.History, tags []history.Tag, override bool) ([]site.Version, error) {
	cur := site.Version{Name: h.Label.Version, Commit: h.Label.Commit, Date: h.Date, Current: true, Dirty: h.Label.Dirty}
	var olds []site.Version
	for _, t := range slices.Backward(tags) {
		if t.Hash == cur.Commit && !cur.Dirty && !override {
			cur.Name = t.Name
			continue
		}
		olds = append(olds, site.Version{Name: t.Name, Commit: t.Hash, Date: t.Date})
	}
	cur.Dir = links.Slug(cur.Name)
	if cur.Dirty {
		cur.Dir += "-dirty"
	}
	all := append([]site.Version{cur}, olds...)
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

// Prepare checks the tree read into dir, the old version v, for rendering:
// judged as of v's date, with the version's history, and with its errors
// (an old version cannot be fixed any more).
type Prepare func(dir string, v site.Version, hist *history.History) (site.Input, error)

// Olds is the directory old versions are read into from git, switched from
// one version to the next.
type Olds struct {
	tmp      string
	dir      *history.SnapshotDir
	versions []site.Version
	first    chan error // the first version's snapshot, read in the background
}

// OpenOlds starts reading the first of versions (the old ones, in order)
// from the repository at root, in the background; Close removes the
// directory.
func OpenOlds(root string, versions []site.Version) (*Olds, error) {
	tmp, err := os.MkdirTemp("", "charter-version-")
	if err != nil {
		return nil, err
	}
	dir, err := history.NewSnapshotDir(root, tmp)
	if err != nil {
		os.RemoveAll(tmp)
		return nil, err
	}
	o := &Olds{tmp: tmp, dir: dir, versions: versions, first: make(chan error, 1)}
	go func() {
		_, err := dir.Switch(versions[0].Commit)
		o.first <- err
	}()
	return o, nil
}

// Inputs reads and prepares every old version in turn. The history of a
// version on the current chain h is derived from h; others need their own
// git pass.
func (o *Olds) Inputs(root string, h *history.History, repoURL string, prepare Prepare) ([]site.Input, error) {
	var ins []site.Input
	for i, v := range o.versions {
		if err := o.at(i, v); err != nil {
			return nil, fmt.Errorf("version %s: %w", v.Name, err)
		}
		hist, ok := h.At(v.Commit, v.Name)
		if !ok {
			var err error
			hist, err = history.Collect(root, history.CollectOptions{Rev: v.Commit, Version: v.Name, RepoURL: repoURL})
			if err != nil {
				return nil, fmt.Errorf("version %s: %w", v.Name, err)
			}
		}
		in, err := prepare(o.tmp, v, hist)
		if err != nil {
			return nil, err
		}
		ins = append(ins, in)
	}
	return ins, nil
}

// at makes the directory hold version i (in order: the first was read in
// the background).
func (o *Olds) at(i int, v site.Version) error {
	if i == 0 {
		err := <-o.first
		o.first = nil
		return err
	}
	_, err := o.dir.Switch(v.Commit)
	return err
}

// Close waits for the background read and removes the directory.
func (o *Olds) Close() {
	if o.first != nil {
		<-o.first
	}
	os.RemoveAll(o.tmp)
}

// Link gives every version's input the list of versions and its own
// directory, and every version the pages it has, for the switcher: every
// version is checked before any is rendered, since each page links to the
// same page in the other versions.
func Link(ins []site.Input, versions []site.Version) {
	for i := range ins {
		ins[i].Versions, ins[i].VersionDir = versions, versions[i].Dir
	}
	for i := range ins {
		versions[i].Pages = site.PagePaths(ins[i])
	}
}

// Render writes the multi-version site into dir: each version in its
// directory, the current one (ins[0]) also at latest/, the versions index
// at the root; atomically, like a single site. It returns the files
// written (without content) and the problems found rendering the current
// version; only those can refuse the build, and then nothing is written
// and the Site is nil.
func Render(dir, name string, ins []site.Input, versions []site.Version, refuse func(diag.List) bool) (*site.Site, diag.List, error) {
	index, err := versionsIndex(name, versions, themeOf(ins))
	if err != nil {
		return nil, nil, err
	}
	st, err := site.NewStage(dir)
	if err != nil {
		return nil, nil, err
	}
	committed := false
	defer func() {
		if !committed {
			st.Discard()
		}
	}()
	var files []site.File
	var current diag.List
	for i := range ins {
		prefixes := []string{versions[i].Dir}
		var refuseThis func(diag.List) bool
		if i == 0 {
			prefixes = append(prefixes, Latest)
			refuseThis = refuse
		}
		s, more, err := st.Render(ins[i], prefixes, refuseThis)
		if err != nil {
			return nil, nil, fmt.Errorf("version %s: %w", versions[i].Name, err)
		}
		if i == 0 {
			if current = more; s == nil {
				return nil, current, nil
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
		return nil, nil, err
	}
	if err := st.Commit(); err != nil {
		return nil, nil, err
	}
	committed = true
	files = append(files, site.File{Path: links.Home}, site.File{Path: site.Marker})
	sortFiles(files)
	return &site.Site{Files: files}, current, nil
}

// RenderInMemory is Render without writing: the whole multi-version site,
// with content. The Site is nil when refuse refuses the current version's
// problems.
func RenderInMemory(name string, ins []site.Input, versions []site.Version, refuse func(diag.List) bool) (*site.Site, diag.List, error) {
	index, err := versionsIndex(name, versions, themeOf(ins))
	if err != nil {
		return nil, nil, err
	}
	var files []site.File
	var marker []byte
	var current diag.List
	for i := range ins {
		s, more, err := site.Render(ins[i])
		if err != nil {
			return nil, nil, fmt.Errorf("version %s: %w", versions[i].Name, err)
		}
		prefixes := []string{versions[i].Dir}
		if i == 0 {
			if current = more; refuse != nil && refuse(more) {
				return nil, current, nil
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
	return &site.Site{Files: files}, current, nil
}

func sortFiles(files []site.File) {
	slices.SortFunc(files, func(a, b site.File) int { return strings.Compare(a.Path, b.Path) })
}

// versionsIndex is the page at the root of a multi-version site, rendered
// by the site's versions-index layout (which the theme may override).
func versionsIndex(name string, versions []site.Version, theme map[string]site.ThemeFile) ([]byte, error) {
	return site.VersionsIndex(name, Latest, versions, theme)
}

// themeOf is the theme of the current version, the first input.
func themeOf(ins []site.Input) map[string]site.ThemeFile {
	if len(ins) == 0 {
		return nil
	}
	return ins[0].Theme
}
