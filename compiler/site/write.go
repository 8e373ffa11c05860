package site

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"strings"
)

// Publishing. A site is written into a stage directory beside the target,
// OUT.tmp-<random>, and swapped in by renames, each atomic, while a lock
// file beside the target (.OUT.charter-lock, see lock.go) is held. The
// swap of a target that exists is two renames:
//
//	1. OUT -> OUT.tmp-backup   (the previous site, moved aside)
//	2. OUT.tmp-<random> -> OUT (the new site, moved in)
//	3. OUT.tmp-backup is removed
//
// No portable call exchanges two directories at once, so between 1 and 2
// there is no directory at OUT. A process killed at any moment therefore
// leaves one of these states, and the next run, before anything else and
// under the lock, puts each right (recover):
//
//	OUT, no backup          the old or the new site is in place; stages are leftovers
//	no OUT, backup          killed between 1 and 2: the backup is renamed back to OUT
//	OUT and backup          killed after 2: the backup is the old site and is removed
//
// Every directory charter creates beside the target holds the marker file
// from the moment it is created, so the next run removes the leftovers of
// killed runs (OUT.tmp-* holding a marker, or empty) and never anything
// else.

// ErrNotOurs is returned when the target is a non-empty directory (or a
// file) that charter did not write.
var ErrNotOurs = errors.New("not a site charter wrote")

// backupSuffix names the previous site while it is moved aside; tmpInfix
// starts the name of every directory charter makes beside the target.
const (
	tmpInfix     = ".tmp-"
	backupSuffix = tmpInfix + "backup"
)

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
		return fmt.Errorf("refusing to replace %s: it is not a directory (%w); remove it or choose another --out", dir, ErrNotOurs)
	}
	if hasMarker(dir) {
		return nil
	}
	if empty, err := isEmptyDir(dir); err != nil || empty {
		return err
	}
	return fmt.Errorf("refusing to replace %s: the directory is not empty and has no %s marker, so charter did not write it (%w); remove it or choose another --out", dir, Marker, ErrNotOurs)
}

// hasMarker reports whether dir holds the marker as a regular file.
func hasMarker(dir string) bool {
	m, err := os.Lstat(filepath.Join(dir, Marker))
	return err == nil && m.Mode().IsRegular()
}

func isEmptyDir(dir string) (bool, error) {
	f, err := os.Open(dir)
	if err != nil {
		return false, err
	}
	defer f.Close()
	names, err := f.Readdirnames(1)
	if len(names) == 0 && (err == nil || errors.Is(err, io.EOF)) {
		return true, nil
	}
	if err != nil && !errors.Is(err, io.EOF) {
		return false, err
	}
	return false, nil
}

// Write puts the site at dir atomically, as a Stage does: on any failure
// whatever was at dir is left as it was.
func Write(s *Site, dir string) (err error) {
	for _, f := range s.Files {
		if err := validPath(f.Path); err != nil {
			return err
		}
	}
	st, err := NewStage(dir)
	if err != nil {
		return err
	}
	defer func() {
		if err != nil {
			st.Discard()
		}
	}()
	for _, f := range s.Files {
		if f.Path == Marker {
			continue // the stage has its own
		}
		if err := st.Add(f); err != nil {
			return err
		}
	}
	return st.Commit()
}

// validPath refuses paths that are not plain, relative and inside the site.
func validPath(p string) error {
	if p == "" || path.IsAbs(p) || path.Clean(p) != p || p == "." || p == ".." || strings.HasPrefix(p, "../") || strings.Contains(p, "\\") {
		return fmt.Errorf("site file %q: not a plain relative path", p)
	}
	return nil
}

// Recover puts right what a killed run left beside dir (see the states
// above) and removes its leftovers. The caller holds dir's lock.
func Recover(dir string) error {
	backup := dir + backupSuffix
	if _, err := os.Lstat(backup); err == nil {
		if _, err := os.Lstat(dir); errors.Is(err, fs.ErrNotExist) {
			// killed between the two renames: the previous site comes back
			if CheckTarget(backup) != nil {
				return fmt.Errorf("%s is missing and %s is not a site charter wrote; move one of them away", dir, backup)
			}
			if err := os.Rename(backup, dir); err != nil {
				return fmt.Errorf("restoring the previous site from %s: %w", backup, err)
			}
		} else if err != nil {
			return err
		}
	}
	return removeLeftovers(dir)
}

// removeLeftovers removes the directories named dir.tmp-* that charter made
// (they hold the marker) or that are empty, and stale locks a killed build
// was taking over; the backup is removed only once dir exists, so it is
// never the only copy of a site.
func removeLeftovers(dir string) error {
	parent, base := filepath.Split(dir)
	if parent == "" {
		parent = "."
	}
	ents, err := os.ReadDir(parent)
	if errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	if err != nil {
		return err
	}
	_, dirErr := os.Lstat(dir)
	staleLock := filepath.Base(LockPath(dir)) + ".stale-"
	for _, e := range ents {
		if e.Type().IsRegular() && strings.HasPrefix(e.Name(), staleLock) {
			os.Remove(filepath.Join(parent, e.Name())) // a lock taken over by a killed build
			continue
		}
		if !e.IsDir() || !strings.HasPrefix(e.Name(), base+tmpInfix) {
			continue
		}
		p := filepath.Join(parent, e.Name())
		if p == dir+backupSuffix && dirErr != nil {
			continue
		}
		if hasMarker(p) {
			if err := removeSite(p); err != nil {
				return fmt.Errorf("removing %s, left by an earlier build: %w", p, err)
			}
		} else {
			os.Remove(p) // only succeeds when empty
		}
	}
	return nil
}

// makeTemp creates the stage directory beside dir, with the marker in it.
func makeTemp(dir string) (string, error) {
	tmp, err := os.MkdirTemp(filepath.Dir(dir), filepath.Base(dir)+tmpInfix)
	if err != nil {
		return "", err
	}
	if err := os.Chmod(tmp, 0o755); err != nil {
		os.Remove(tmp)
		return "", err
	}
	if err := os.WriteFile(filepath.Join(tmp, Marker), []byte(markerText), 0o644); err != nil {
		os.RemoveAll(tmp)
		return "", err
	}
	return tmp, nil
}

// swap moves the stage tmp to dir by the renames described above. If the
// second rename fails the previous site is put back.
func swap(tmp, dir string) error {
	if _, err := os.Lstat(dir); errors.Is(err, fs.ErrNotExist) {
		return os.Rename(tmp, dir)
	}
	backup := dir + backupSuffix
	if _, err := os.Lstat(backup); err == nil {
		return fmt.Errorf("cannot move the previous site aside: %s exists and charter did not write it; move it away", backup)
	}
	if err := os.Rename(dir, backup); err != nil {
		return fmt.Errorf("moving the previous site aside: %w", err)
	}
	if err := os.Rename(tmp, dir); err != nil {
		if rerr := os.Rename(backup, dir); rerr != nil {
			return fmt.Errorf("installing the new site: %v; restoring the previous site from %s also failed: %v", err, backup, rerr)
		}
		return fmt.Errorf("installing the new site: %w", err)
	}
	return removeSite(backup)
}

// removeSite removes a directory charter made, its marker last: a process
// killed while removing it leaves either a directory that still has the
// marker or an empty one, both recognised as leftovers by the next run.
func removeSite(dir string) error {
	ents, err := os.ReadDir(dir)
	if err != nil {
		return err
	}
	for _, e := range ents {
		if e.Name() != Marker {
			if err := os.RemoveAll(filepath.Join(dir, e.Name())); err != nil {
				return err
			}
		}
	}
	if err := os.Remove(filepath.Join(dir, Marker)); err != nil && !errors.Is(err, fs.ErrNotExist) {
		return err
	}
	return os.Remove(dir)
}
