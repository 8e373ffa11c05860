// Package site renders a checked workspace into a static HTML site for
// auditors: a page graph held in memory (dashboard, standards, criteria,
// components, policies and procedures, certifications, search, problems),
// rendered in parallel from one parsed template set, and written to disk
// atomically. It never reads the repository: everything comes in through
// Input.
package site

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"path"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/charter-compliance/charter/compiler/changes"
	"github.com/charter-compliance/charter/compiler/coverage"
	"github.com/charter-compliance/charter/compiler/diag"
	"github.com/charter-compliance/charter/compiler/diff"
	"github.com/charter-compliance/charter/compiler/docs"
	"github.com/charter-compliance/charter/compiler/history"
	"github.com/charter-compliance/charter/compiler/links"
	"github.com/charter-compliance/charter/compiler/model"
)

// Input is everything a site is rendered from.
type Input struct {
	Workspace   *model.Workspace
	Coverage    *coverage.Report
	Diagnostics diag.List // what check found; listed on the Problems page
	AsOf        time.Time // the judging day; the only date not taken from history
	AsOfSource  string    // where the judging day came from (compiler.Result.AsOfSource)
	// History gives the version label and revisions; nil or !Available
	// makes pages say that history is unavailable.
	History *history.History
	Docs    *docs.Renderer
	// Theme holds the repository's overrides of the embedded theme, keyed
	// by theme-relative path such as "layouts/control.html" or
	// "assets/style.css".
	Theme map[string]ThemeFile
	// Versions lists every version of a multi-version site, newest first,
	// and VersionDir is the directory (under the multi-version site's root)
	// of the version being rendered. With Versions, every page carries a
	// version switcher and the site gets a versions page (links.Versions).
	Versions   []Version
	VersionDir string
	// Changes, when set, adds the "Changes since" page (links.Changes) and
	// its entry in the navigation.
	Changes *diff.Report
	// ChangeManagement is set when charter.yaml sets audit_period: it adds
	// the "Change management" page (links.ChangeMgmt) with its entry in the
	// navigation.
	ChangeManagement *ChangeManagement
	// Evidence holds the local files of verifications that the site
	// publishes (ReadEvidence); a verification without one has no entry.
	Evidence map[*model.Verification]*EvidenceFile
}

// ChangeManagement is the change population of the audit period, or why
// there is none.
type ChangeManagement struct {
	Population *changes.Population // nil when it could not be read
	Problem    string              // why Population is nil
}

// Version is one version of a multi-version site, as the switcher and the
// versions page show it.
type Version struct {
	Name    string    // the tag, or the current tree's version label
	Dir     string    // its directory under the multi-version site's root
	Commit  string    // full hash
	Date    time.Time // committer date
	Current bool      // built from the current tree (and also at latest/)
	Dirty   bool      // the current tree had uncommitted changes
	// Pages are the site-root paths of the version's pages (PagePaths),
	// sorted. The switcher links a page to the same page in another version
	// when that version has it, and to that version's home page otherwise;
	// nil means the pages are not known, and every link goes to the home
	// page.
	Pages []string
}

// has reports whether the version has a page at path.
func (v *Version) has(path string) bool {
	_, ok := slices.BinarySearch(v.Pages, path)
	return ok
}

// ThemeFile is one file of a theme override.
type ThemeFile struct {
	Source string // where it came from, for error messages (repository-relative)
	Data   []byte
}

// Site is a rendered site: every file, sorted by path.
type Site struct {
	Files []File
}

// File is one output file; Path is slash-separated and relative to the
// site root.
type File struct {
	Path string
	Data []byte
}

// Get returns the content of the file at path, or nil.
func (s *Site) Get(path string) []byte {
	i, ok := slices.BinarySearchFunc(s.Files, path, func(f File, p string) int { return strings.Compare(f.Path, p) })
	if !ok {
		return nil
	}
	return s.Files[i].Data
}

// Pages returns the number of HTML pages.
func (s *Site) Pages() int {
	n := 0
	for _, f := range s.Files {
		if strings.HasSuffix(f.Path, ".html") {
			n++
		}
	}
	return n
}

// PagePaths returns the site-root paths of the pages Render would write,
// sorted, without rendering anything.
func PagePaths(in Input) []string {
	b := newBuilder(in, nil)
	b.plan()
	var paths []string
	for _, j := range b.jobs {
		if j.raw == nil {
			paths = append(paths, j.path)
		}
	}
	slices.Sort(paths)
	return paths
}

// Marker is written at the root of every site charter writes, so that
// charter knows it may replace the directory.
const Marker = ".charter-site"

// markerText is the marker's content; it holds no date so that two builds
// stay byte-identical.
const markerText = "This directory was written by charter build and is replaced by the next build.\n"

// Render builds the whole site in memory. The diagnostics are problems
// found while rendering (template actions in documents, page names that
// collide) that check did not already report; the error is non-nil only
// when the theme is broken (an override that does not parse or execute).
func Render(in Input) (*Site, diag.List, error) {
	b, err := prepare(in)
	if err != nil {
		return nil, nil, err
	}
	keep := func(f File) (File, error) { return File{Path: f.Path, Data: bytes.Clone(f.Data)}, nil }
	files, err := b.renderAll(keep, runtime.GOMAXPROCS(0), true)
	if err != nil {
		return nil, nil, err
	}
	return &Site{Files: files}, b.newDiags, nil
}

// RenderTo renders the site straight into dir: each page is written to a
// temporary directory beside dir as soon as it is rendered, so a large site
// never sits in memory whole, and writing overlaps rendering. Then the
// temporary directory is swapped in, as Write does; on any failure it is
// removed and dir is left as it was. The returned Site lists the files
// written, without their content (Data is nil).
//
// If refuse is set and returns true for the diagnostics rendering found,
// nothing is swapped in: RenderTo removes what it wrote and returns a nil
// Site with those diagnostics.
func RenderTo(in Input, dir string, refuse func(diag.List) bool) (s *Site, diags diag.List, err error) {
	st, err := NewStage(dir)
	if err != nil {
		return nil, nil, err
	}
	defer func() {
		if s == nil {
			st.Discard()
		}
	}()
	s, diags, err = st.Render(in, []string{""}, refuse)
	if err != nil || s == nil {
		return nil, diags, err
	}
	if err := st.Commit(); err != nil {
		return nil, nil, err
	}
	s.Files = append(s.Files, File{Path: Marker})
	slices.SortFunc(s.Files, func(a, b File) int { return strings.Compare(a.Path, b.Path) })
	return s, diags, nil
}

// Stage is a site being written: a temporary directory beside its target
// that one site, or several under their own directories (the versions of a
// multi-version site), are rendered into and that Commit swaps in. A stage
// holds its target's lock from NewStage until Commit or Discard (see
// write.go and lock.go).
type Stage struct {
	dir, tmp string
	lock     *lock
	mu       sync.Mutex
	made     map[string]bool // directories created so far
}

// NewStage takes the lock of dir, puts right what a killed build left
// there (Recover), checks that dir may be replaced (CheckTarget) and
// creates the temporary directory beside it. The caller must Commit or
// Discard the stage.
func NewStage(dir string) (st *Stage, err error) {
	dir = filepath.Clean(dir)
	if err := os.MkdirAll(filepath.Dir(dir), 0o755); err != nil {
		return nil, err
	}
	l, err := acquireLock(dir, lockWait)
	if err != nil {
		return nil, err
	}
	defer func() {
		if err != nil {
			l.release()
		}
	}()
	if err := Recover(dir); err != nil {
		return nil, err
	}
	if err := CheckTarget(dir); err != nil {
		return nil, err
	}
	tmp, err := makeTemp(dir)
	if err != nil {
		return nil, err
	}
	return &Stage{dir: dir, tmp: tmp, lock: l, made: map[string]bool{".": true}}, nil
}

// mkdirs creates the directories the files at paths need.
func (st *Stage) mkdirs(paths []string) error {
	st.mu.Lock()
	defer st.mu.Unlock()
	for _, p := range paths {
		d := path.Dir(p)
		if st.made[d] {
			continue
		}
		if err := os.MkdirAll(filepath.Join(st.tmp, filepath.FromSlash(d)), 0o755); err != nil {
			return err
		}
		st.made[d] = true
	}
	return nil
}

// put writes one file of the stage.
func (st *Stage) put(rel string, data []byte) error {
	return os.WriteFile(filepath.Join(st.tmp, filepath.FromSlash(rel)), data, 0o644)
}

// Render renders the site into the stage: every page and asset is written
// under each of prefixes ("" for the stage's root, else a slash-separated
// directory) as soon as it is rendered. The returned Site lists the files
// of one copy, relative to the prefix, without content. If refuse returns
// true for the diagnostics rendering found, Render returns a nil Site and
// those diagnostics; what it wrote stays until Discard.
func (st *Stage) Render(in Input, prefixes []string, refuse func(diag.List) bool) (*Site, diag.List, error) {
	for _, p := range prefixes {
		if p != "" {
			if err := validPath(p); err != nil {
				return nil, nil, err
			}
		}
	}
	b, err := prepare(in)
	if err != nil {
		return nil, nil, err
	}
	var paths []string
	for _, pre := range prefixes {
		for _, j := range b.jobs {
			paths = append(paths, path.Join(pre, j.path))
		}
		for _, a := range b.theme.assets {
			paths = append(paths, path.Join(pre, links.Asset(a.name)))
		}
	}
	if err := st.mkdirs(paths); err != nil {
		return nil, nil, err
	}
	// each worker writes the page it rendered
	write := func(f File) (File, error) {
		for _, pre := range prefixes {
			if err := st.put(path.Join(pre, f.Path), f.Data); err != nil {
				return File{}, err
			}
		}
		return File{Path: f.Path}, nil
	}
	files, err := b.renderAll(write, runtime.GOMAXPROCS(0), false)
	if err != nil {
		return nil, nil, err
	}
	if refuse != nil && refuse(b.newDiags) {
		return nil, b.newDiags, nil
	}
	return &Site{Files: files}, b.newDiags, nil
}

// Add writes one more file into the stage.
func (st *Stage) Add(f File) error {
	if err := validPath(f.Path); err != nil {
		return err
	}
	if err := st.mkdirs([]string{f.Path}); err != nil {
		return err
	}
	return st.put(f.Path, f.Data)
}

// Commit swaps the stage in for its target (see write.go) and releases the
// lock. After a failed Commit the target is as it was; Discard the stage.
func (st *Stage) Commit() error {
	if err := swap(st.tmp, st.dir); err != nil {
		return err
	}
	st.tmp = ""
	st.lock.release()
	st.lock = nil
	return nil
}

// Discard removes what the stage wrote and releases the lock; the target
// is left as it was. It does nothing after Commit.
func (st *Stage) Discard() {
	if st.tmp != "" {
		removeSite(st.tmp)
		st.tmp = ""
	}
	st.lock.release()
	st.lock = nil
}

// prepare parses the theme, plans the pages and renders the documents;
// the theme is parsed beside the rest.
func prepare(in Input) (*builder, error) {
	var th *theme
	var err error
	parsed := make(chan struct{})
	go func() {
		defer close(parsed)
		th, err = loadTheme(in.Theme)
	}()
	b := newBuilder(in, nil)
	// which verification covers which controls is only read by component
	// pages: it is worked out beside the rest too
	go b.findCovered()
	b.plan()
	b.renderDocuments()
	b.renderFragments()
	b.problems = newProblemIndex(b.allDiagnostics())
	b.planProblemPages()
	<-b.coveredDone
	<-parsed
	if err != nil {
		return nil, err
	}
	b.theme = th
	return b, nil
}

// renderAll renders every page and passes it, with the theme assets (and
// with marker, the marker file), to keep; the files keep returns are sorted
// by path.
func (b *builder) renderAll(keep func(File) (File, error), workers int, marker bool) ([]File, error) {
	files, err := b.renderPages(keep, workers)
	if err != nil {
		return nil, err
	}
	var extra []File
	if marker {
		extra = append(extra, File{Path: Marker, Data: []byte(markerText)})
	}
	for _, a := range b.theme.assets {
		extra = append(extra, File{Path: links.Asset(a.name), Data: a.data})
	}
	for _, f := range extra {
		kept, err := keep(f)
		if err != nil {
			return nil, err
		}
		files = append(files, kept)
	}
	slices.SortFunc(files, func(a, b File) int { return strings.Compare(a.Path, b.Path) })
	return files, nil
}

// job is one page to render, or (with raw) one generated file.
type job struct {
	path  string
	kind  string // layout name
	build func(p *page)
	raw   func() ([]byte, error)
}

// renderPages runs every job on a pool of workers and hands each result to
// keep. The result is in job order, so it never depends on scheduling.
func (b *builder) renderPages(keep func(File) (File, error), workers int) ([]File, error) {
	out := make([]File, len(b.jobs))
	errs := make([]error, len(b.jobs))
	workers = max(1, min(workers, len(b.jobs)))
	next := make(chan int, workers)
	var wg sync.WaitGroup
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			var buf hw
			for i := range next {
				j := b.jobs[i]
				var data []byte
				if j.raw != nil {
					if data, errs[i] = j.raw(); errs[i] != nil {
						continue
					}
				} else {
					p := b.newPage(j.path, j.kind)
					j.build(p)
					buf.b = buf.b[:0]
					if err := b.theme.execute(&buf, j.kind, p); err != nil {
						errs[i] = fmt.Errorf("rendering %s: %w", j.path, err)
						continue
					}
					data = buf.b
				}
				out[i], errs[i] = keep(File{Path: j.path, Data: data})
			}
		}()
	}
	for i := range b.jobs {
		next <- i
	}
	close(next)
	wg.Wait()
	if err := errors.Join(errs...); err != nil {
		return nil, err
	}
	return out, nil
}
