package history_test

import (
	"os"
	"os/exec"
	"path/filepath"
	"testing"

	"github.com/charter-compliance/charter/compiler/history"
	"github.com/charter-compliance/charter/compiler/history/gittest"
)

// OutsideGit skips git only where git would fail, and is never fooled by
// a repository above the directory, behind a symbolic link, bare, or named
// by GIT_DIR.
func TestOutsideGit(t *testing.T) {
	plain := t.TempDir()
	if !gittest.NoRepo(t, plain) {
		t.Skipf("the temporary directory %s is inside a git repository", plain)
	}
	if !history.OutsideGit(plain) {
		t.Errorf("%s: no repository, but git would be run", plain)
	}

	r := gittest.New(t)
	deep := filepath.Join(r.Dir, "a", "b")
	if err := os.MkdirAll(deep, 0o755); err != nil {
		t.Fatal(err)
	}
	link := filepath.Join(plain, "link")
	if err := os.Symlink(deep, link); err != nil {
		t.Fatal(err)
	}
	bare := t.TempDir()
	initBare := exec.Command("git", "init", "-q", "--bare", bare)
	initBare.Env = gittest.Env()
	if err := initBare.Run(); err != nil {
		t.Fatal(err)
	}
	worktree := t.TempDir() // a linked worktree or submodule: .git is a file
	if err := os.WriteFile(filepath.Join(worktree, ".git"), []byte("gitdir: "+filepath.Join(r.Dir, ".git")+"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	for name, dir := range map[string]string{"repository root": r.Dir, "below the root": deep, "symbolic link into a repository": link,
		"bare repository": bare, ".git file": worktree} {
		if gittest.NoRepo(t, dir) {
			t.Fatalf("%s: git finds no repository in %s", name, dir)
		}
		if history.OutsideGit(dir) {
			t.Errorf("%s: git would find a repository, but is skipped", name)
		}
	}

	t.Setenv("GIT_DIR", filepath.Join(r.Dir, ".git"))
	if history.OutsideGit(plain) {
		t.Error("GIT_DIR names a repository, but git is skipped")
	}
}

// Outside git, Collect says so without starting git: with no git on PATH
// the reason is still the one git's failure gives.
func TestCollectOutsideGitRunsNoGit(t *testing.T) {
	plain := t.TempDir()
	if !gittest.NoRepo(t, plain) {
		t.Skipf("the temporary directory %s is inside a git repository", plain)
	}
	t.Setenv("PATH", t.TempDir())
	h, err := history.Collect(plain, history.CollectOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if want := "the workspace is not in a git repository"; h.Available || h.Reason != want {
		t.Errorf("Collect outside git: available %v, reason %q; want unavailable, %q", h.Available, h.Reason, want)
	}
}
