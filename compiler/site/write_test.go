package site_test

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/charter-compliance/charter/compiler"
	"github.com/charter-compliance/charter/compiler/site"
)

func small(pages map[string]string) *site.Site {
	s := &site.Site{}
	for p, d := range pages {
		s.Files = append(s.Files, site.File{Path: p, Data: []byte(d)})
	}
	s.Files = append(s.Files, site.File{Path: site.Marker, Data: []byte("charter\n")})
	return s
}

// leftovers lists what is beside the target besides the target itself:
// temporary and backup directories must never be left behind.
func leftovers(t *testing.T, parent, target string) []string {
	t.Helper()
	ents, err := os.ReadDir(parent)
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, e := range ents {
		if e.Name() != target {
			out = append(out, e.Name())
		}
	}
	return out
}

func TestWriteReplacesItsOwnSite(t *testing.T) {
	parent := t.TempDir()
	dir := filepath.Join(parent, "site")
	if err := site.Write(small(map[string]string{"index.html": "one", "a/b.html": "b", "old.html": "old"}), dir); err != nil {
		t.Fatal(err)
	}
	if err := site.Write(small(map[string]string{"index.html": "two", "a/c.html": "c"}), dir); err != nil {
		t.Fatal(err)
	}
	got := readTree(t, dir)
	if _, ok := got[site.Marker]; !ok {
		t.Errorf("no %s in the site", site.Marker)
	}
	delete(got, site.Marker)
	want := map[string]string{"index.html": "two", "a/c.html": "c"}
	if !mapsEqual(got, want) {
		t.Errorf("site after the second write = %v, want %v", got, want)
	}
	if l := leftovers(t, parent, "site"); len(l) != 0 {
		t.Errorf("left behind: %v", l)
	}
	info, err := os.Stat(dir)
	if err != nil || info.Mode().Perm() != 0o755 {
		t.Errorf("site directory mode %v (%v), want 0755", info.Mode().Perm(), err)
	}
}

func TestWriteRefusesForeignDirectory(t *testing.T) {
	parent := t.TempDir()
	dir := filepath.Join(parent, "docs")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "important.txt"), []byte("keep me"), 0o644); err != nil {
		t.Fatal(err)
	}
	err := site.Write(small(map[string]string{"index.html": "x"}), dir)
	if !errors.Is(err, site.ErrNotOurs) || !strings.Contains(err.Error(), "has no .charter-site marker") {
		t.Fatalf("err = %v, want a refusal", err)
	}
	if got := readTree(t, dir); !mapsEqual(got, map[string]string{"important.txt": "keep me"}) {
		t.Errorf("foreign directory changed: %v", got)
	}
	if l := leftovers(t, parent, "docs"); len(l) != 0 {
		t.Errorf("left behind: %v", l)
	}

	file := filepath.Join(parent, "file")
	if err := os.WriteFile(file, []byte("x"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := site.Write(small(nil), file); !errors.Is(err, site.ErrNotOurs) {
		t.Errorf("writing over a file: err = %v", err)
	}

	// an empty directory is fine
	empty := filepath.Join(parent, "empty")
	if err := os.Mkdir(empty, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := site.Write(small(map[string]string{"index.html": "x"}), empty); err != nil {
		t.Errorf("writing into an empty directory: %v", err)
	}
}

func TestFailedWriteLeavesPreviousSite(t *testing.T) {
	parent := t.TempDir()
	dir := filepath.Join(parent, "site")
	first := small(map[string]string{"index.html": "first", "x/y.html": "y"})
	if err := site.Write(first, dir); err != nil {
		t.Fatal(err)
	}
	before := readTree(t, dir)
	for name, bad := range map[string]*site.Site{
		// a path that is a file and a directory at once fails while writing
		"file and directory": small(map[string]string{"index.html": "second", "a": "file", "a/b.html": "under a file"}),
		// paths that would leave the site are refused before anything is written
		"escaping path": small(map[string]string{"../outside.html": "x"}),
		"absolute path": small(map[string]string{"/etc/passwd": "x"}),
	} {
		if err := site.Write(bad, dir); err == nil {
			t.Errorf("%s: write succeeded", name)
		}
		if got := readTree(t, dir); !mapsEqual(got, before) {
			t.Errorf("%s: previous site changed: %v", name, got)
		}
		if l := leftovers(t, parent, "site"); len(l) != 0 {
			t.Errorf("%s: left behind: %v", name, l)
		}
	}
	if _, err := os.Stat(filepath.Join(parent, "outside.html")); err == nil {
		t.Errorf("a file was written outside the site")
	}
}

func TestCheckTarget(t *testing.T) {
	parent := t.TempDir()
	if err := site.CheckTarget(filepath.Join(parent, "missing")); err != nil {
		t.Errorf("missing target: %v", err)
	}
	ours := filepath.Join(parent, "ours")
	if err := site.Write(small(map[string]string{"index.html": "x"}), ours); err != nil {
		t.Fatal(err)
	}
	if err := site.CheckTarget(ours); err != nil {
		t.Errorf("charter's own site: %v", err)
	}
	// a marker that is a directory does not count
	fake := filepath.Join(parent, "fake")
	if err := os.MkdirAll(filepath.Join(fake, site.Marker), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := site.CheckTarget(fake); !errors.Is(err, site.ErrNotOurs) {
		t.Errorf("directory with a marker directory: %v", err)
	}
}

// A build that fails halfway through rendering (a theme layout that fails
// on the standards index, rendered after other pages were written) leaves
// the previous site as it was, and no temporary directory behind.
func TestFailedRenderLeavesPreviousSite(t *testing.T) {
	parent := t.TempDir()
	out := filepath.Join(parent, "site")
	if _, err := compiler.Build(compiler.BuildOptions{Options: compiler.Options{Root: "../..", SourceDateEpoch: referenceEpoch}, Out: out}); err != nil {
		t.Fatal(err)
	}
	before := readTree(t, out)
	dir := themedRepo(t, map[string]string{"theme/layouts/component.html": "{{define \"main\"}}{{.Data.Nope}}{{end}}"})
	_, err := compiler.Build(compiler.BuildOptions{Options: compiler.Options{Root: dir, SourceDateEpoch: referenceEpoch}, Out: out})
	if err == nil || !strings.Contains(err.Error(), "theme/layouts/component.html:1") {
		t.Fatalf("err = %v", err)
	}
	if after := readTree(t, out); !mapsEqual(before, after) {
		t.Errorf("the previous site changed")
	}
	if l := leftovers(t, parent, "site"); len(l) != 0 {
		t.Errorf("left behind: %v", l)
	}
}

// Rendering straight to disk gives the same files as rendering in memory.
func TestRenderToMatchesRender(t *testing.T) {
	mem := build(t, "../..", compiler.BuildOptions{}).Site
	out := filepath.Join(t.TempDir(), "site")
	br, err := compiler.Build(compiler.BuildOptions{Options: compiler.Options{Root: "../..", SourceDateEpoch: referenceEpoch}, Out: out})
	if err != nil {
		t.Fatal(err)
	}
	disk := readTree(t, out)
	if len(disk) != len(mem.Files) || len(br.Site.Files) != len(mem.Files) {
		t.Fatalf("%d files on disk, %d listed, %d in memory", len(disk), len(br.Site.Files), len(mem.Files))
	}
	for i, f := range mem.Files {
		if disk[f.Path] != string(f.Data) {
			t.Errorf("%s differs", f.Path)
		}
		if br.Site.Files[i].Path != f.Path || br.Site.Files[i].Data != nil {
			t.Errorf("listed file %d: %q with %d bytes", i, br.Site.Files[i].Path, len(br.Site.Files[i].Data))
		}
	}
}

// A rebuild over a site charter wrote, in which a file was edited, made a
// symbolic link or given another mode, gives the same tree as a build into
// an empty directory, modes included, and never changes what a symbolic
// link in the previous site pointed to. The umask is not the usual 022, so
// that the mode files get is not 0644.
func TestRebuildOverEditedSite(t *testing.T) {
	withUmask(t, 0o027)
	parent := t.TempDir()
	out := filepath.Join(parent, "site")
	opts := compiler.BuildOptions{Options: compiler.Options{Root: "../..", SourceDateEpoch: referenceEpoch}, Out: out}
	if _, err := compiler.Build(opts); err != nil {
		t.Fatal(err)
	}
	edited, linked, chmodded := filepath.Join(out, "index.html"), filepath.Join(out, "search.html"), filepath.Join(out, "problems.html")
	if err := os.WriteFile(edited, []byte("edited by hand"), 0o644); err != nil {
		t.Fatal(err)
	}
	// a symbolic link to a file outside the site with the very bytes the
	// page will have: linking it would put a symbolic link in the new site
	same, err := os.ReadFile(linked)
	if err != nil {
		t.Fatal(err)
	}
	outside := filepath.Join(parent, "outside.html")
	if err := os.WriteFile(outside, same, 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Remove(linked); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(outside, linked); err != nil {
		t.Fatal(err)
	}
	if err := os.Chmod(chmodded, 0o600); err != nil {
		t.Fatal(err)
	}

	if _, err := compiler.Build(opts); err != nil {
		t.Fatal(err)
	}
	fresh := filepath.Join(parent, "fresh")
	opts.Out = fresh
	if _, err := compiler.Build(opts); err != nil {
		t.Fatal(err)
	}
	if got, want := readTree(t, out), readTree(t, fresh); !mapsEqual(got, want) {
		t.Fatal("the rebuilt site differs from a site built into an empty directory")
	}
	err = filepath.WalkDir(out, func(p string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		info, err := os.Lstat(p)
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(out, p)
		want, err := os.Lstat(filepath.Join(fresh, rel))
		if err != nil {
			return err
		}
		if !info.Mode().IsRegular() || info.Mode() != want.Mode() {
			t.Errorf("%s: mode %v, want a regular file with mode %v as in a fresh build", p, info.Mode(), want.Mode())
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if b, err := os.ReadFile(outside); err != nil || !bytes.Equal(b, same) {
		t.Errorf("the file the symbolic link pointed to changed (%v)", err)
	}
	if l := leftovers(t, parent, "site"); len(l) != 2 { // outside.html and fresh
		t.Errorf("beside the site: %v", l)
	}
}
