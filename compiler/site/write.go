package site

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"slices"
	"strings"
)

// ErrNotOurs is returned when the target is a non-empty directory (or a
// file) that charter did not write.
var ErrNotOurs = errors.New("not a site charter wrote")

// CheckTarget reports whether the site may be written to dir: it does not
// exist, is an empty directory, or holds a site charter wrote (it has the
// marker file). Build calls it before rendering so it can refuse early.
func CheckTarget(dir string) error {
	info, err := os.Lstat(dir)
	if errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	if err != nil {
		return err
	}
	if !info.IsDir() {
		return fmt.Errorf("refusing to replace %s: it is not a directory (%w)", dir, ErrNotOurs)
	}
	if m, err := os.Lstat(filepath.Join(dir, Marker)); err == nil && m.Mode().IsRegular() {
		return nil
	}
	f, err := os.Open(dir)
	if err != nil {
		return err
	}
	defer f.Close()
	names, err := f.Readdirnames(1)
	if len(names) == 0 && (err == nil || errors.Is(err, io.EOF)) {
		return nil
	}
	return fmt.Errorf("refusing to replace %s: the directory is not empty and has no %s marker, so charter did not write it (%w); remove it or choose another --out", dir, Marker, ErrNotOurs)
}

// Write puts the site at dir atomically: it writes a temporary directory
// beside dir, then swaps it in. On any failure the temporary directory is
// removed and whatever was at dir is left as it was.
func Write(s *Site, dir string) (err error) {
	dir = filepath.Clean(dir)
	if err := CheckTarget(dir); err != nil {
		return err
	}
	for _, f := range s.Files {
		if err := validPath(f.Path); err != nil {
			return err
		}
	}
	tmp, err := makeTemp(dir)
	if err != nil {
		return err
	}
	defer func() {
		if err != nil {
			os.RemoveAll(tmp)
		}
	}()
	if err := writeFiles(s, tmp); err != nil {
		return err
	}
	return swap(tmp, dir)
}

// validPath refuses paths that are not plain, relative and inside the site.
func validPath(p string) error {
	if p == "" || path.IsAbs(p) || path.Clean(p) != p || p == "." || p == ".." || strings.HasPrefix(p, "../") || strings.Contains(p, "\\") {
		return fmt.Errorf("site file %q: not a plain relative path", p)
	}
	return nil
}

// makeTemp creates the temporary directory beside dir that a site is
// written to before it is swapped in.
func makeTemp(dir string) (string, error) {
	parent, base := filepath.Dir(dir), filepath.Base(dir)
	if err := os.MkdirAll(parent, 0o755); err != nil {
		return "", err
	}
	tmp, err := os.MkdirTemp(parent, base+".tmp-")
	if err != nil {
		return "", err
	}
	if err := os.Chmod(tmp, 0o755); err != nil {
		os.RemoveAll(tmp)
		return "", err
	}
	return tmp, nil
}

// makeDirs creates the directories that the files at paths need under root.
func makeDirs(root string, paths []string) error {
	var dirs []string
	for _, p := range paths {
		if d := path.Dir(p); d != "." {
			dirs = append(dirs, d)
		}
	}
	slices.Sort(dirs)
	dirs = slices.Compact(dirs)
	for _, d := range dirs {
		if err := os.MkdirAll(filepath.Join(root, filepath.FromSlash(d)), 0o755); err != nil {
			return err
		}
	}
	return nil
}

func writeFiles(s *Site, tmp string) error {
	// directories first, then the files one at a time: concurrent creation
	// in one directory only contends for its lock (see Stage.Render)
	paths := make([]string, len(s.Files))
	for i, f := range s.Files {
		paths[i] = f.Path
	}
	if err := makeDirs(tmp, paths); err != nil {
		return err
	}
	for _, f := range s.Files {
		if err := writeFile(filepath.Join(tmp, filepath.FromSlash(f.Path)), f.Data); err != nil {
			return err
		}
	}
	return nil
}

// swap moves tmp to dir: the old dir is renamed aside, tmp renamed in, and
// the old tree removed. If the second rename fails the old dir is put back.
func swap(tmp, dir string) error {
	if _, err := os.Lstat(dir); errors.Is(err, fs.ErrNotExist) {
		return os.Rename(tmp, dir)
	}
	old := tmp + ".old"
	if err := os.Rename(dir, old); err != nil {
		return fmt.Errorf("moving the previous site aside: %w", err)
	}
	if err := os.Rename(tmp, dir); err != nil {
		if rerr := os.Rename(old, dir); rerr != nil {
			return fmt.Errorf("installing the new site: %v; restoring the previous site from %s also failed: %v", err, old, rerr)
		}
		return fmt.Errorf("installing the new site: %w", err)
	}
	return os.RemoveAll(old)
}
