package main

import (
	"bytes"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/charter-compliance/charter/compiler/history"
)

// Outside git, the same files give the same outputs wherever they lie: two
// copies of a fixture in directories of different depths build identical
// sites, byte for byte, and the same check report, and no output names
// either directory.
func TestOutsideGitSameFilesSameSite(t *testing.T) {
	fixture, err := filepath.Abs("../../testdata/xss")
	if err != nil {
		t.Fatal(err)
	}
	var dirs, sites []string
	var reports [][]byte
	for _, sub := range []string{"a", filepath.Join("b", "deeper", "still")} {
		dir := filepath.Join(t.TempDir(), sub, "repo")
		if err := os.CopyFS(dir, os.DirFS(fixture)); err != nil {
			t.Fatal(err)
		}
		if !history.OutsideGit(dir) {
			t.Skipf("the temporary directory %s is inside a git repository", dir)
		}
		t.Chdir(dir)
		site := filepath.Join(filepath.Dir(dir), "site")
		if code, out, errs := runCheck(t, "build", "--out", site); code != 0 {
			t.Fatalf("build in %s: exit %d\n%s%s", dir, code, out, errs)
		}
		code, report, errs := runCheck(t, "check", "--format", "json")
		if code != 0 {
			t.Fatalf("check in %s: exit %d\n%s%s", dir, code, report, errs)
		}
		dirs, sites, reports = append(dirs, dir), append(sites, site), append(reports, []byte(report))
	}
	files := siteFiles(t, sites[0])
	other := siteFiles(t, sites[1])
	if len(files) < 10 {
		t.Fatalf("only %d files built", len(files))
	}
	for name, data := range files {
		if !bytes.Equal(data, other[name]) {
			t.Errorf("%s differs between the two copies", name)
		}
		delete(other, name)
	}
	for name := range other {
		t.Errorf("%s is built only from the second copy", name)
	}
	if !bytes.Equal(reports[0], reports[1]) {
		t.Errorf("the check reports differ:\n%s\n%s", reports[0], reports[1])
	}
	// no output names a directory of the machine: neither copy's, nor the
	// temporary directory they lie in
	for _, dir := range append(dirs, filepath.Dir(filepath.Dir(dirs[0]))) {
		for name, data := range files {
			if bytes.Contains(data, []byte(dir)) {
				t.Errorf("%s contains the path %s", name, dir)
			}
		}
		if bytes.Contains(reports[0], []byte(dir)) {
			t.Errorf("the check report contains the path %s", dir)
		}
	}
}

// siteFiles reads every file under dir, by slash-separated relative path.
func siteFiles(t *testing.T, dir string) map[string][]byte {
	t.Helper()
	files := map[string][]byte{}
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		data, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(dir, p)
		files[strings.ReplaceAll(rel, string(filepath.Separator), "/")] = data
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return files
}
