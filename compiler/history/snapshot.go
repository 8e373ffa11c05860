package history

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/charter-compliance/charter/compiler/model"
)

// Commit is a resolved revision.
type Commit struct {
	Hash string
	Date time.Time // committer date, UTC
}

// Resolve returns the commit rev names in the git repository holding root.
// The error wraps ErrBadRev when rev names no commit, and says so plainly.
func Resolve(root, rev string) (Commit, error) {
	r, err := openRepo(root)
	if err != nil {
		return Commit{}, err
	}
	hash, date, err := r.resolve(rev)
	return Commit{Hash: hash, Date: date}, err
}

// Snapshot writes the workspace at root as it was at rev into dest, an
// existing empty directory, and returns the commit. It reads git objects
// only (one ls-tree and one cat-file --batch process): the user's working
// tree, index and refs are never touched, no filters or export attributes
// apply, and submodules are left out. The workspace's place in the
// repository is kept: dest receives what root's directory held at rev.
func Snapshot(root, rev, dest string) (Commit, error) {
	s, err := NewSnapshotDir(root, dest)
	if err != nil {
		return Commit{}, err
	}
	return s.Switch(rev)
}

// SnapshotDir is a directory that holds the workspace at one revision after
// another, as Snapshot writes it. Switching rewrites only the files that
// differ, so stepping through neighbouring versions is cheap.
type SnapshotDir struct {
	repo  *repo
	root  string
	dir   string
	files map[string]treeEntry // what dir holds, by workspace-relative path
}

// NewSnapshotDir prepares dir, an existing empty directory, to hold
// snapshots of the workspace at root.
func NewSnapshotDir(root, dir string) (*SnapshotDir, error) {
	r, err := openRepo(root)
	if err != nil {
		return nil, err
	}
	return &SnapshotDir{repo: r, root: root, dir: dir, files: map[string]treeEntry{}}, nil
}

// Switch makes the directory hold the workspace at rev: files that rev does
// not have are removed (with directories left empty), changed ones
// rewritten, the rest left alone.
func (s *SnapshotDir) Switch(rev string) (Commit, error) {
	r := s.repo
	hash, date, err := r.resolve(rev)
	if err != nil {
		return Commit{}, err
	}
	c := Commit{Hash: hash, Date: date}
	args := []string{"--literal-pathspecs", "ls-tree", "-r", "-z", "--full-name", hash, "--"}
	if r.prefix != "" {
		args = append(args, r.prefix)
	}
	out, err := Git(r.top, args...)
	if err != nil {
		return c, err
	}
	want := map[string]treeEntry{}
	for _, rec := range bytes.Split(out, []byte{0}) {
		if len(rec) == 0 {
			continue
		}
		meta, name, ok := bytes.Cut(rec, []byte{'\t'})
		f := strings.Fields(string(meta))
		if !ok || len(f) != 3 {
			return c, fmt.Errorf("git ls-tree: unexpected entry %q", rec)
		}
		if f[1] != "blob" {
			continue // submodules
		}
		rel, ok := strings.CutPrefix(string(name), r.prefix)
		if !ok || !safeRel(rel) {
			return c, fmt.Errorf("%s at %s: refusing to write %q outside the snapshot", s.root, rev, name)
		}
		want[rel] = treeEntry{mode: f[0], hash: f[2], rel: rel}
	}
	if len(want) == 0 {
		return c, fmt.Errorf("%s holds no files at %s", displayPrefix(r.prefix), rev)
	}
	// remove what goes or changes, then write what is new or changed
	var write []treeEntry
	var gone []string
	for rel, e := range s.files {
		if w, ok := want[rel]; !ok || w != e {
			gone = append(gone, rel)
		}
	}
	slices.Sort(gone)
	for _, rel := range slices.Backward(gone) {
		full := filepath.Join(s.dir, filepath.FromSlash(rel))
		if err := os.Remove(full); err != nil && !errors.Is(err, fs.ErrNotExist) {
			return c, err
		}
		delete(s.files, rel)
		if _, keep := want[rel]; !keep {
			removeEmptyParents(s.dir, full)
		}
	}
	for rel, e := range want {
		if _, ok := s.files[rel]; !ok {
			write = append(write, e)
		}
	}
	slices.SortFunc(write, func(a, b treeEntry) int { return strings.Compare(a.rel, b.rel) })
	if err := writeBlobs(r.top, s.dir, write); err != nil {
		s.files = map[string]treeEntry{} // unknown state: the next switch rewrites all
		return c, err
	}
	s.files = want
	return c, nil
}

// removeEmptyParents removes the directories above file, up to dir, that
// have become empty.
func removeEmptyParents(dir, file string) {
	for p := filepath.Dir(file); p != dir && strings.HasPrefix(p, dir); p = filepath.Dir(p) {
		if os.Remove(p) != nil {
			return
		}
	}
}

type treeEntry struct {
	mode, hash, rel string
}

func displayPrefix(p string) string {
	if p == "" {
		return "the repository"
	}
	return strings.TrimSuffix(p, "/")
}

// safeRel accepts a slash path that stays below its root.
func safeRel(p string) bool {
	if p == "" || strings.HasPrefix(p, "/") || path.Clean(p) != p {
		return false
	}
	for _, part := range strings.Split(p, "/") {
		if part == ".." || part == "." || strings.EqualFold(part, ".git") {
			return false
		}
	}
	return true
}

// writeBlobs streams the entries' contents from one git cat-file --batch and
// writes them under dest from a few goroutines (file creation, not reading,
// is the slow part).
func writeBlobs(top, dest string, entries []treeEntry) error {
	type file struct {
		entry treeEntry
		data  []byte
	}
	files := make(chan file, 64)
	var (
		wg       sync.WaitGroup
		mu       sync.Mutex
		firstErr error
		dirs     sync.Map
	)
	fail := func(err error) {
		mu.Lock()
		if firstErr == nil {
			firstErr = err
		}
		mu.Unlock()
	}
	for range 4 {
		wg.Go(func() {
			for f := range files {
				if err := writeEntry(dest, f.entry, f.data, &dirs); err != nil {
					fail(err)
				}
			}
		})
	}
	hashes := make([]string, len(entries))
	for i, e := range entries {
		hashes[i] = e.hash
	}
	err := catBlobs(top, hashes, func(i int, data []byte) {
		files <- file{entries[i], data}
	})
	close(files)
	wg.Wait()
	if err != nil {
		return err
	}
	return firstErr
}

// catBlobs reads the blobs hashes name from one git cat-file --batch, in
// order, handing each to got with its index.
func catBlobs(top string, hashes []string, got func(i int, data []byte)) error {
	// --buffer: every request is written before the answers are needed, so
	// git need not flush after each one
	cmd := gitCommand(top, "cat-file", "--batch", "--buffer")
	stdin, err := cmd.StdinPipe()
	if err != nil {
		return err
	}
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		return err
	}
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	if err := cmd.Start(); err != nil {
		return err
	}
	go func() {
		w := bufio.NewWriter(stdin)
		for _, h := range hashes {
			w.WriteString(h)
			w.WriteByte('\n')
		}
		w.Flush()
		stdin.Close()
	}()
	br := bufio.NewReaderSize(stdout, 1<<16)
	var readErr error
	for i, h := range hashes {
		data, err := readBlob(br, h)
		if err != nil {
			readErr = err
			break
		}
		got(i, data)
	}
	if readErr != nil {
		_, _ = io.Copy(io.Discard, stdout)
	}
	waitErr := cmd.Wait()
	switch {
	case readErr != nil:
		return fmt.Errorf("git cat-file: %v %s", readErr, strings.TrimSpace(stderr.String()))
	case waitErr != nil:
		return fmt.Errorf("git cat-file: %v: %s", waitErr, strings.TrimSpace(stderr.String()))
	}
	return nil
}

// Notes reads the notes under NotesRef in the git repository holding root
// and hands each to got with the full hash of the commit it annotates, in
// the order of the notes tree: one `git notes list` and one `git cat-file
// --batch` for all of them, whatever their number, and no walk of history.
// got runs while git still reads the next notes. A repository without the
// ref has none.
func Notes(root string, got func(commit string, note []byte)) error {
	out, err := Git(root, "notes", "--ref="+NotesRef, "list")
	if err != nil {
		return fmt.Errorf("cannot list the notes of %s: %v", NotesRef, err)
	}
	var blobs, commits []string
	for line := range strings.Lines(string(out)) {
		blob, commit, ok := strings.Cut(strings.TrimSuffix(line, "\n"), " ")
		if !ok {
			return fmt.Errorf("git notes list: unexpected line %q", line)
		}
		blobs, commits = append(blobs, blob), append(commits, commit)
	}
	if len(blobs) == 0 {
		return nil
	}
	if err := catBlobs(root, blobs, func(i int, data []byte) { got(commits[i], data) }); err != nil {
		return fmt.Errorf("cannot read the notes of %s: %v", NotesRef, err)
	}
	return nil
}

// readBlob reads one answer of git cat-file --batch: "<hash> blob <size>\n",
// the content, "\n".
func readBlob(br *bufio.Reader, hash string) ([]byte, error) {
	header, err := br.ReadString('\n')
	if err != nil {
		return nil, err
	}
	f := strings.Fields(header)
	if len(f) != 3 || f[0] != hash || f[1] != "blob" {
		return nil, fmt.Errorf("unexpected answer %q for %s", strings.TrimSpace(header), hash)
	}
	n, err := strconv.Atoi(f[2])
	if err != nil || n < 0 {
		return nil, fmt.Errorf("unexpected size in %q", strings.TrimSpace(header))
	}
	data := make([]byte, n+1)
	if _, err := io.ReadFull(br, data); err != nil {
		return nil, err
	}
	if data[n] != '\n' {
		return nil, errors.New("blob not followed by a newline")
	}
	return data[:n], nil
}

func writeEntry(dest string, e treeEntry, data []byte, dirs *sync.Map) error {
	full := filepath.Join(dest, filepath.FromSlash(e.rel))
	dir := filepath.Dir(full)
	if _, ok := dirs.Load(dir); !ok {
		if err := os.MkdirAll(dir, 0o755); err != nil {
			return err
		}
		dirs.Store(dir, true)
	}
	switch e.mode {
	case "120000":
		return os.Symlink(string(data), full)
	case "100755":
		return os.WriteFile(full, data, 0o755)
	}
	return os.WriteFile(full, data, 0o644)
}

// Tag is a git tag and the commit it points to.
type Tag struct {
	Name string
	Commit
}

// Tags lists the tags of the repository holding root whose names match
// pattern (a shell glob as git tag --list takes it, such as "v*"), in
// version order: runs of digits compare as numbers, so v1.2.0 comes before
// v1.10.0. The error is non-nil outside a git repository.
func Tags(root, pattern string) ([]Tag, error) {
	r, err := openRepo(root)
	if err != nil {
		return nil, err
	}
	if pattern == "" || strings.HasPrefix(pattern, "-") {
		return nil, fmt.Errorf("%q is not a tag pattern", pattern)
	}
	out, err := Git(r.top, "tag", "--list", "--format=%(refname:strip=2)%00%(*objectname)%00%(objectname)%00%(*committerdate:unix)%00%(committerdate:unix)", pattern)
	if err != nil {
		return nil, err
	}
	var tags []Tag
	for _, line := range strings.Split(strings.TrimSpace(string(out)), "\n") {
		f := strings.Split(line, "\x00")
		if len(f) != 5 {
			continue
		}
		// an annotated tag's commit is its target (*objectname); a
		// lightweight tag points at the commit itself
		hash, sec := f[1], f[3]
		if hash == "" {
			hash, sec = f[2], f[4]
		}
		n, err := strconv.ParseInt(sec, 10, 64)
		if err != nil {
			continue // a tag of a tree or blob: nothing to build
		}
		tags = append(tags, Tag{Name: f[0], Commit: Commit{Hash: hash, Date: time.Unix(n, 0).UTC()}})
	}
	slices.SortFunc(tags, func(a, b Tag) int {
		if c := model.CompareIDs(a.Name, b.Name); c != 0 {
			return c
		}
		return strings.Compare(a.Name, b.Name)
	})
	return tags, nil
}
