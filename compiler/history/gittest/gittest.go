// Package gittest builds real git repositories for tests: every commit has
// a fixed author, committer and date, and no global or system git
// configuration can change the result.
package gittest

import (
	"bufio"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// Person is a commit author or committer.
type Person struct{ Name, Email string }

// Repo is a git repository in a temporary directory.
type Repo struct {
	T   testing.TB
	Dir string
}

// Env is the environment every git command of a Repo runs with.
func Env() []string {
	return append(os.Environ(),
		"GIT_CONFIG_GLOBAL=/dev/null", "GIT_CONFIG_NOSYSTEM=1", "GIT_TERMINAL_PROMPT=0", "LC_ALL=C",
		"GIT_AUTHOR_NAME=Nobody", "GIT_AUTHOR_EMAIL=nobody@example.com",
		"GIT_COMMITTER_NAME=Nobody", "GIT_COMMITTER_EMAIL=nobody@example.com")
}

// NoRepo reports whether git itself finds no repository at dir.
func NoRepo(t testing.TB, dir string) bool {
	t.Helper()
	cmd := exec.Command("git", "rev-parse", "--git-dir")
	cmd.Dir = dir
	cmd.Env = Env()
	return cmd.Run() != nil
}

// New makes an empty repository (branch main) in a new temporary directory.
func New(t testing.TB) *Repo {
	t.Helper()
	if _, err := exec.LookPath("git"); err != nil {
		t.Fatalf("git is needed for this test (.ci/run installs it): %v", err)
	}
	r := &Repo{T: t, Dir: t.TempDir()}
	r.Git("init", "-q", "-b", "main")
	return r
}

// Git runs git in the repository and returns its trimmed output.
func (r *Repo) Git(args ...string) string {
	r.T.Helper()
	return r.GitEnv(nil, args...)
}

// GitEnv runs git with extra environment variables.
func (r *Repo) GitEnv(env []string, args ...string) string {
	r.T.Helper()
	cmd := exec.Command("git", args...)
	cmd.Dir = r.Dir
	cmd.Env = append(Env(), env...)
	out, err := cmd.CombinedOutput()
	if err != nil {
		r.T.Fatalf("git %s: %v\n%s", strings.Join(args, " "), err, out)
	}
	return strings.TrimSpace(string(out))
}

// Write creates or replaces a file (slash path relative to the repository).
func (r *Repo) Write(rel, content string) {
	r.T.Helper()
	p := filepath.Join(r.Dir, filepath.FromSlash(rel))
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		r.T.Fatal(err)
	}
	if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
		r.T.Fatal(err)
	}
}

// Remove deletes a file from the working tree.
func (r *Repo) Remove(rel string) {
	r.T.Helper()
	if err := os.Remove(filepath.Join(r.Dir, filepath.FromSlash(rel))); err != nil {
		r.T.Fatal(err)
	}
}

// Commit stages everything and commits it as author, committed by the same
// person, on date; it returns the new commit's hash.
func (r *Repo) Commit(author Person, date time.Time, message ...string) string {
	r.T.Helper()
	return r.CommitBy(author, author, date, message...)
}

// CommitBy is Commit with a committer other than the author.
func (r *Repo) CommitBy(author, committer Person, date time.Time, message ...string) string {
	r.T.Helper()
	r.Git("add", "-A")
	args := []string{"commit", "-q", "--allow-empty"}
	for _, m := range message {
		args = append(args, "-m", m)
	}
	r.GitEnv(DateEnv(author, committer, date), args...)
	return r.Git("rev-parse", "HEAD")
}

// Merge merges branch into the current branch with a merge commit (never a
// fast-forward) and returns its hash.
func (r *Repo) Merge(branch string, committer Person, date time.Time, message ...string) string {
	r.T.Helper()
	args := []string{"merge", "-q", "--no-ff", branch}
	for _, m := range message {
		args = append(args, "-m", m)
	}
	r.GitEnv(DateEnv(committer, committer, date), args...)
	return r.Git("rev-parse", "HEAD")
}

// Tag makes an annotated tag at HEAD when message is given, else a
// lightweight one.
func (r *Repo) Tag(name string, tagger Person, date time.Time, message string) {
	r.T.Helper()
	if message == "" {
		r.Git("tag", name)
		return
	}
	r.GitEnv(DateEnv(tagger, tagger, date), "tag", "-a", name, "-m", message)
}

// DateEnv fixes author, committer and both dates.
func DateEnv(author, committer Person, date time.Time) []string {
	d := date.UTC().Format(time.RFC3339)
	return []string{
		"GIT_AUTHOR_NAME=" + author.Name, "GIT_AUTHOR_EMAIL=" + author.Email, "GIT_AUTHOR_DATE=" + d,
		"GIT_COMMITTER_NAME=" + committer.Name, "GIT_COMMITTER_EMAIL=" + committer.Email, "GIT_COMMITTER_DATE=" + d,
	}
}

// Day is midnight UTC of a date, plus hours.
func Day(y int, m time.Month, d, hour int) time.Time {
	return time.Date(y, m, d, hour, 0, 0, 0, time.UTC)
}

// Imported returns the repository a git fast-import stream makes, built
// once and kept at dir (under the system's temporary directory) for later
// runs: benchmarks use it for histories too long to commit one by one.
// Name dir after the generator's version, so a changed generator never
// reuses a stale repository.
func Imported(t testing.TB, dir string, stream func(w *bufio.Writer)) string {
	t.Helper()
	if _, err := os.Stat(filepath.Join(dir, ".complete")); err == nil {
		return dir
	}
	os.RemoveAll(dir)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	run := func(stdin func(w *bufio.Writer), args ...string) {
		cmd := exec.Command("git", args...)
		cmd.Dir = dir
		cmd.Env = Env()
		var pipeErr error
		if stdin != nil {
			in, err := cmd.StdinPipe()
			if err != nil {
				t.Fatal(err)
			}
			go func() {
				w := bufio.NewWriterSize(in, 1<<20)
				stdin(w)
				pipeErr = w.Flush()
				in.Close()
			}()
		}
		if out, err := cmd.CombinedOutput(); err != nil || pipeErr != nil {
			t.Fatalf("git %v: %v %v\n%s", args, err, pipeErr, out)
		}
	}
	run(nil, "init", "-q", "-b", "main")
	run(stream, "fast-import", "--quiet")
	run(nil, "reset", "-q", "--hard", "main")
	if err := os.WriteFile(filepath.Join(dir, ".complete"), nil, 0o644); err != nil {
		t.Fatal(err)
	}
	return dir
}

// SetEnv gives the test process itself Env's isolation and a committer
// identity, for code under test that runs git on its own (git notes
// commits). Tests that call it cannot run in parallel.
func SetEnv(t *testing.T) {
	t.Helper()
	for k, v := range map[string]string{
		"GIT_CONFIG_GLOBAL": "/dev/null", "GIT_CONFIG_NOSYSTEM": "1",
		"GIT_AUTHOR_NAME": "CI", "GIT_AUTHOR_EMAIL": "ci@example.com",
		"GIT_COMMITTER_NAME": "CI", "GIT_COMMITTER_EMAIL": "ci@example.com",
	} {
		t.Setenv(k, v)
	}
}
