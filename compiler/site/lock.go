package site

import (
	"crypto/rand"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"time"
)

// Two builds into one target take turns: each holds a lock file beside the
// target, .OUT.charter-lock, from before it looks at the target until its
// site is swapped in or discarded. The lock is a file created with O_EXCL
// (portable, unlike flock) holding "pid host nonce". A build that finds it
// held waits, up to lockWait, and then fails naming the lock and its
// holder. A lock whose holder was killed is stale: it names this host and a
// process that no longer exists (or, empty, is older than a few seconds:
// its holder died between creating and filling it). A stale lock is taken
// over by renaming it to a name of the taker's own and checking that what
// was renamed is still the stale lock; if it is not (another taker was
// quicker and already holds a fresh lock), it is linked back.

// lockWait is how long a build waits for another build of the same target.
var lockWait = 5 * time.Minute

// lockPoll is how often a waiting build looks at the lock again.
const lockPoll = 25 * time.Millisecond

// lockSuffix ends the name of the lock file.
const lockSuffix = ".charter-lock"

// LockPath is the lock file of target dir.
func LockPath(dir string) string {
	return filepath.Join(filepath.Dir(dir), "."+filepath.Base(dir)+lockSuffix)
}

type lock struct {
	path, token string
}

// holder is what a lock file says.
type holder struct {
	pid  int
	host string
}

func parseHolder(b []byte) (holder, bool) {
	f := strings.Fields(string(b))
	if len(f) != 3 {
		return holder{}, false
	}
	pid, err := strconv.Atoi(f[0])
	if err != nil || pid <= 0 {
		return holder{}, false
	}
	return holder{pid: pid, host: f[1]}, true
}

func hostname() string {
	h, err := os.Hostname()
	if err != nil || h == "" || strings.ContainsAny(h, " \t\n") {
		return "unknown-host"
	}
	return h
}

// acquireLock takes the lock of target dir, waiting up to wait for another
// build to release it.
func acquireLock(dir string, wait time.Duration) (*lock, error) {
	l := &lock{path: LockPath(dir), token: fmt.Sprintf("%d %s %s\n", os.Getpid(), hostname(), rand.Text())}
	deadline := time.Now().Add(wait)
	for {
		f, err := os.OpenFile(l.path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
		if err == nil {
			_, werr := f.WriteString(l.token)
			if cerr := f.Close(); werr == nil {
				werr = cerr
			}
			if werr != nil {
				os.Remove(l.path)
				return nil, fmt.Errorf("writing the lock %s: %w", l.path, werr)
			}
			return l, nil
		}
		if !errors.Is(err, fs.ErrExist) {
			return nil, fmt.Errorf("taking the lock %s: %w", l.path, err)
		}
		held, err := os.ReadFile(l.path)
		if errors.Is(err, fs.ErrNotExist) {
			continue // released meanwhile
		}
		if err != nil {
			return nil, fmt.Errorf("reading the lock %s: %w", l.path, err)
		}
		if stale(l.path, held) {
			takeOver(l.path, held)
			continue
		}
		if time.Now().After(deadline) {
			who := "another charter build"
			if h, ok := parseHolder(held); ok {
				who = fmt.Sprintf("another charter build (pid %d on %s)", h.pid, h.host)
			}
			return nil, fmt.Errorf("%s is writing %s and holds the lock %s; gave up after waiting %v. If no charter build is running, remove %s", who, dir, l.path, wait, l.path)
		}
		time.Sleep(lockPoll)
	}
}

// stale reports whether the lock file at p, holding held, was left by a
// process that is gone.
func stale(p string, held []byte) bool {
	h, ok := parseHolder(held)
	if !ok {
		info, err := os.Stat(p)
		return err == nil && time.Since(info.ModTime()) > 5*time.Second
	}
	return h.host == hostname() && h.pid != os.Getpid() && !processAlive(h.pid)
}

// processAlive reports whether a process with this id exists. On Unix a
// signal 0 says so (a process of another user answers EPERM: it exists);
// elsewhere finding the process does.
func processAlive(pid int) bool {
	p, err := os.FindProcess(pid)
	if err != nil {
		return false
	}
	defer p.Release()
	return !errors.Is(p.Signal(syscall.Signal(0)), os.ErrProcessDone)
}

// takeOver removes the stale lock at p that held held.
func takeOver(p string, held []byte) {
	mine := p + ".stale-" + rand.Text()
	if os.Rename(p, mine) != nil {
		return // another taker moved it first
	}
	got, err := os.ReadFile(mine)
	if err == nil && string(got) != string(held) {
		os.Link(mine, p) // a fresh lock: give it back
	}
	os.Remove(mine)
}

// release removes the lock if it is still this build's.
func (l *lock) release() {
	if l == nil {
		return
	}
	if b, err := os.ReadFile(l.path); err == nil && string(b) == l.token {
		os.Remove(l.path)
	}
}
