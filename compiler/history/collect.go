package history

import (
	"bytes"
	"errors"
	"fmt"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"time"
)

// CollectOptions say what history to read.
type CollectOptions struct {
	// RepoURL is the repository's web address (charter.yaml's
	// repository_url). When set, pull request numbers link to
	// RepoURL/pull/N.
	RepoURL string
	// Rev is the commit to read history up to: a tag, branch or hash. Empty
	// means HEAD, and then the working tree is also checked for
	// uncommitted changes; a named Rev is never dirty.
	Rev string
	// Version, when set, replaces the version label git would give
	// (--version).
	Version string
	// IsSource reports whether a path (relative to root, with forward
	// slashes) is read by the build. An untracked file for which it is true
	// marks the tree dirty: the build reads it, but no commit holds it.
	// When nil, untracked files never count.
	IsSource func(rel string) bool
}

// ErrBadRev is wrapped by Collect's error when opts.Rev names no commit.
var ErrBadRev = errors.New("unknown revision")

// Collect reads the history of every file of the workspace at root from one
// `git log` pass, and the version label of the build.
//
// Outside a git repository, without git, or in a repository with no commits,
// the history is unavailable (Available false, Reason says why) and the error
// is nil: a build never fails for want of history. The error is non-nil only
// when opts.Rev names no commit.
func Collect(root string, opts CollectOptions) (*History, error) {
	h := &History{Label: Label{Version: opts.Version}}
	if h.Label.Version == "" {
		h.Label.Version = Unversioned
	}
	repo, err := openRepo(root)
	if err != nil {
		if opts.Rev != "" {
			return nil, err
		}
		h.Reason = err.Error()
		return h, nil
	}
	rev := opts.Rev
	if rev == "" {
		rev = "HEAD"
	}
	commit, err := repo.hash(rev)
	if err != nil {
		if opts.Rev != "" {
			return nil, err
		}
		h.Reason = "the git repository has no commits yet"
		return h, nil
	}
	h.Shallow = repo.shallow

	// The log is the long job; the label and the dirty check run beside it.
	var wg sync.WaitGroup
	var g *graph
	var changes map[string][]change
	var logErr error
	wg.Go(func() { g, changes, logErr = repo.log(commit) })
	var version string
	var dirty bool
	wg.Go(func() { version = repo.describe(commit) })
	if opts.Rev == "" {
		wg.Go(func() { dirty = repo.dirty(opts) })
	}
	wg.Wait()
	if logErr != nil {
		h.Reason = logErr.Error()
		return h, nil
	}
	repoURL := strings.TrimSuffix(strings.TrimRight(opts.RepoURL, "/"), ".git")
	revs := make(map[string]Revision, len(g.chain))
	commits := make([]logCommit, len(g.chain))
	for i, c := range g.chain {
		rev := g.revision(c, repoURL)
		revs[c.Hash] = rev
		commits[i] = logCommit{rev: rev, changes: changes[c.Hash]}
	}
	if len(g.chain) == 0 || g.chain[0].Hash != commit {
		h.Reason = fmt.Sprintf("git log did not start at commit %s", commit)
		return h, nil
	}
	h.Available = true
	h.Date = g.chain[0].Date
	h.Files = replay(commits, repo.prefix)
	h.commits, h.prefix, h.graph, h.revs = commits, repo.prefix, g, revs
	h.Label = Label{Version: version, Commit: commit, Dirty: dirty}
	if opts.Version != "" {
		h.Label.Version = opts.Version
	}
	return h, nil
}

// LabelOf returns only the version label Collect would give, without
// reading history. Outside git the label is opts.Version, or Unversioned;
// the error is non-nil only when opts.Rev names no commit.
func LabelOf(root string, opts CollectOptions) (Label, error) {
	l := Label{Version: opts.Version}
	if l.Version == "" {
		l.Version = Unversioned
	}
	repo, err := openRepo(root)
	if err != nil {
		if opts.Rev != "" {
			return l, err
		}
		return l, nil
	}
	rev := opts.Rev
	if rev == "" {
		rev = "HEAD"
	}
	commit, err := repo.hash(rev)
	if err != nil {
		if opts.Rev != "" {
			return l, err
		}
		return l, nil
	}
	var wg sync.WaitGroup
	var version string
	wg.Go(func() { version = repo.describe(commit) })
	if opts.Rev == "" {
		l.Dirty = repo.dirty(opts)
	}
	wg.Wait()
	l.Commit = commit
	if opts.Version == "" {
		l.Version = version
	}
	return l, nil
}

// At returns the history as it was at an older commit of the first-parent
// chain this history was read along, named version: the same revisions a
// Collect with that Rev would give, derived without running git. ok is
// false when the commit is not on the chain (a tag on another branch, say);
// then Collect it.
func (h *History) At(commit, version string) (at *History, ok bool) {
	if h == nil || !h.Available {
		return nil, false
	}
	for i, lc := range h.commits {
		if lc.rev.Commit == commit {
			g := h.graph.at(commit)
			revs := make(map[string]Revision, len(g.chain))
			for _, c := range g.chain {
				revs[c.Hash] = h.revs[c.Hash]
			}
			return &History{
				Available: true,
				Label:     Label{Version: version, Commit: commit},
				Date:      lc.rev.Date,
				Shallow:   h.Shallow,
				Files:     replay(h.commits[i:], h.prefix),
				commits:   h.commits[i:],
				prefix:    h.prefix,
				graph:     g,
				revs:      revs,
			}, true
		}
	}
	return nil, false
}

// repo is a git repository and where the workspace sits inside it.
type repo struct {
	top     string // the repository's top-level directory
	prefix  string // the workspace's directory relative to top, "" or ending in "/"
	shallow bool
}

// openRepo finds the git repository holding root.
func openRepo(root string) (*repo, error) {
	abs, err := filepath.Abs(root)
	if err != nil {
		return nil, err
	}
	// The reason reaches the site: it names no directory of the machine.
	if OutsideGit(abs) {
		return nil, errors.New("the workspace is not in a git repository")
	}
	if _, err := exec.LookPath("git"); err != nil {
		return nil, errors.New("git is not installed")
	}
	out, err := Git(abs, "rev-parse", "--show-toplevel", "--show-prefix", "--is-shallow-repository")
	if err != nil {
		msg := err.Error()
		if strings.Contains(msg, "not a git repository") {
			return nil, errors.New("the workspace is not in a git repository")
		}
		return nil, fmt.Errorf("cannot read the git repository: %v", err)
	}
	lines := strings.Split(strings.TrimSuffix(string(out), "\n"), "\n")
	if len(lines) != 3 {
		return nil, fmt.Errorf("cannot read the git repository: unexpected output of git rev-parse: %q", out)
	}
	if lines[0] == "" {
		return nil, fmt.Errorf("%s is inside a git directory, not a working tree", abs)
	}
	return &repo{top: lines[0], prefix: lines[1], shallow: lines[2] == "true"}, nil
}

// resolve returns the full hash and committer date of the commit rev names.
func (r *repo) resolve(rev string) (string, time.Time, error) {
	hash, err := r.hash(rev)
	if err != nil {
		return "", time.Time{}, err
	}
	out, err := Git(r.top, "show", "-s", "--format=%ct", hash)
	if err != nil {
		return "", time.Time{}, fmt.Errorf("%w %q: %v", ErrBadRev, rev, err)
	}
	n, err := strconv.ParseInt(strings.TrimSpace(string(out)), 10, 64)
	if err != nil {
		return "", time.Time{}, fmt.Errorf("%w %q: unexpected output of git show: %q", ErrBadRev, rev, out)
	}
	return hash, time.Unix(n, 0).UTC(), nil
}

// hash returns the full hash of the commit rev names.
func (r *repo) hash(rev string) (string, error) {
	if rev == "" || strings.HasPrefix(rev, "-") || strings.ContainsAny(rev, "\x00\n") {
		return "", fmt.Errorf("%w %q", ErrBadRev, rev)
	}
	out, err := Git(r.top, "rev-parse", "--verify", "--quiet", rev+"^{commit}")
	hash := strings.TrimSpace(string(out))
	if err != nil || hash == "" {
		return "", fmt.Errorf("%w %q: not a tag, branch or commit of the git repository at %s", ErrBadRev, rev, r.top)
	}
	return hash, nil
}

// describe names a commit: the tag on it, else the nearest tag plus the
// number of commits since and the short hash, else the short hash.
func (r *repo) describe(commit string) string {
	out, err := Git(r.top, "describe", "--tags", "--always", "--abbrev=10", commit)
	if v := strings.TrimSpace(string(out)); err == nil && v != "" {
		return v
	}
	return commit[:min(10, len(commit))]
}

// dirty reports whether the workspace's part of the working tree or index
// differs from HEAD, or holds an untracked source file (see
// CollectOptions.IsSource). It takes no optional locks, so it never rewrites
// the user's index.
func (r *repo) dirty(opts CollectOptions) bool {
	args := []string{"--no-optional-locks", "--literal-pathspecs", "status", "--porcelain=v1", "-z", "--untracked-files=all", "--ignore-submodules=none"}
	if r.prefix != "" {
		args = append(args, "--", r.prefix)
	}
	out, err := Git(r.top, args...)
	if err != nil {
		return false
	}
	source := untrackedSource(r.prefix, opts)
	for len(out) > 0 {
		entry, rest, _ := bytes.Cut(out, []byte{0})
		out = rest
		if len(entry) < 4 {
			continue
		}
		xy, name := string(entry[:2]), string(entry[3:])
		switch {
		case xy == "??":
			if source(name) {
				return true
			}
		case xy == "!!":
		default:
			return true
		}
		if xy[0] == 'R' || xy[0] == 'C' {
			_, out, _ = bytes.Cut(out, []byte{0}) // the old name
		}
	}
	return false
}

// untrackedSource says whether an untracked file (a path relative to the
// repository's top) would be read by the build.
func untrackedSource(prefix string, opts CollectOptions) func(string) bool {
	return func(p string) bool {
		rel, ok := strings.CutPrefix(p, prefix)
		return ok && opts.IsSource != nil && opts.IsSource(rel)
	}
}

var (
	mergePR  = regexp.MustCompile(`^Merge pull request #([0-9]+) from `)
	squashPR = regexp.MustCompile(`\(#([0-9]+)\)\s*$`)
)

// PullRequest returns the pull request number a commit subject names: a
// GitHub merge commit ("Merge pull request #123 from org/branch") or a
// squash merge ("Tighten access reviews (#123)"); 0 when none.
func PullRequest(subject string) int {
	m := mergePR.FindStringSubmatch(subject)
	if m == nil {
		m = squashPR.FindStringSubmatch(subject)
	}
	if m == nil {
		return 0
	}
	n, err := strconv.Atoi(m[1])
	if err != nil {
		return 0
	}
	return n
}

// dead marks a path whose older commits belong to another file: it was
// created (or renamed into) at a newer commit.
const dead = "\x00"

// change is one entry of a commit's name-status list.
type change struct {
	status   byte
	old, new string // old only for renames and copies
}

// logCommit is one commit of the first-parent chain with what it changed.
type logCommit struct {
	rev     Revision
	changes []change
}

// replay turns commits (newest first) into revisions per workspace-relative
// path. A rename carries the history of the old path over to the file's
// name in the newest commit.
func replay(commits []logCommit, prefix string) map[string][]Revision {
	files := map[string][]Revision{}
	// alias maps a repository path, as named in older commits, to the
	// newest path of the file (or dead).
	alias := map[string]string{}
	current := func(p string) string {
		if a, ok := alias[p]; ok {
			return a
		}
		return p
	}
	seen := map[string]bool{}
	for _, lc := range commits {
		// resolve every name against the state before this commit's renames
		clear(seen)
		for _, c := range lc.changes {
			p := current(c.new)
			if p == dead || seen[p] {
				continue
			}
			seen[p] = true
			if rel, ok := strings.CutPrefix(p, prefix); ok {
				files[rel] = append(files[rel], lc.rev)
			}
		}
		for _, c := range lc.changes {
			switch c.status {
			case 'A', 'C':
				alias[c.new] = dead
			case 'R':
				to := current(c.new)
				alias[c.new] = dead
				alias[c.old] = to
			}
		}
	}
	return files
}

// isStatus reports whether tok is a name-status letter with an optional
// similarity score, such as M or R097.
func isStatus(tok string) bool {
	if len(tok) == 0 || !strings.ContainsRune("AMDTRCUXB", rune(tok[0])) {
		return false
	}
	for _, c := range []byte(tok[1:]) {
		if c < '0' || c > '9' {
			return false
		}
	}
	return true
}

func firstLine(s string) string {
	for _, l := range strings.Split(s, "\n") {
		if l = strings.TrimSpace(l); l != "" {
			return l
		}
	}
	return ""
}
