package load

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"time"
	"unsafe"
)

// The decode cache keeps what decoding a file produced (its model value and
// its diagnostics), keyed by a hash of the file's bytes, its path and kind,
// and the identity of the charter binary. Decoding YAML is most of a
// check's time; a file that has not changed since the last run is not
// decoded again. A hit gives exactly what decoding would, so output never
// depends on the cache; anything unreadable is treated as a miss.

// cacheFormat changes whenever the cached shape changes.
const cacheFormat = "charter-decode-v4"

// Cache is a directory of decoded files.
type Cache struct {
	dir  string
	salt []byte
}

// keepBuilds is how many charter builds' caches are kept side by side.
const keepBuilds = 3

// OpenCache returns a cache in dir, salted with the running executable's
// identity (path, size and modification time) so that a rebuilt charter
// never reads entries written by another build. Each build's entries live
// in their own subdirectory; all but the newest few are removed. It returns
// nil when the directory cannot be created.
func OpenCache(dir string) *Cache {
	if dir == "" {
		return nil
	}
	h := sha256.New()
	fmt.Fprintf(h, "%s\x00%s\x00", cacheFormat, runtime.Version())
	if exe, err := os.Executable(); err == nil {
		if info, err := os.Stat(exe); err == nil {
			fmt.Fprintf(h, "%s\x00%d\x00%d", exe, info.Size(), info.ModTime().UnixNano())
		}
	}
	salt := h.Sum(nil)
	own := filepath.Join(dir, hex.EncodeToString(salt[:8]))
	if os.MkdirAll(own, 0o755) != nil {
		return nil
	}
	_ = os.Chtimes(own, time.Time{}, time.Now()) // mark it as the newest in use
	prune(dir, own)
	return &Cache{dir: own, salt: salt}
}

// prune removes the caches of all but the newest keepBuilds builds. The
// times only order cache directories; they never reach any output.
func prune(dir, own string) {
	entries, err := os.ReadDir(dir)
	if err != nil || len(entries) <= keepBuilds {
		return
	}
	type build struct {
		path string
		mod  time.Time
	}
	var builds []build
	for _, e := range entries {
		if info, err := e.Info(); err == nil && e.IsDir() {
			builds = append(builds, build{filepath.Join(dir, e.Name()), info.ModTime()})
		}
	}
	slices.SortFunc(builds, func(a, b build) int { return b.mod.Compare(a.mod) })
	for i, b := range builds {
		if i >= keepBuilds && b.path != own {
			os.RemoveAll(b.path)
		}
	}
}

// DefaultCacheDir is charter's directory under the user's cache directory.
func DefaultCacheDir() string {
	d, err := os.UserCacheDir()
	if err != nil {
		return ""
	}
	return filepath.Join(d, "charter", "decoded")
}

func (c *Cache) key(j *job, text []byte) string {
	h := sha256.New()
	h.Write(c.salt)
	fmt.Fprintf(h, "\x00%s\x00%s\x00%s\x00", j.kind, j.rel, j.dir)
	h.Write(text)
	return hex.EncodeToString(h.Sum(nil))
}

func (c *Cache) path(key string) string { return filepath.Join(c.dir, key[:2], key[2:]) }

func (c *Cache) get(key string) (result, bool) {
	data, release, err := readEntry(c.path(key))
	if err != nil || len(data) == 0 {
		return result{}, false
	}
	// The decoded strings are slices of data, which nothing writes again:
	// viewing it as a string saves copying every entry.
	r, err := decodeEntry(unsafe.String(&data[0], len(data)))
	if err != nil {
		release()
		return result{}, false
	}
	return r, true
}

// put stores an entry atomically: a reader sees the whole entry or none.
func (c *Cache) put(key string, r result) {
	data := encodeEntry(r)
	p := c.path(key)
	if os.MkdirAll(filepath.Dir(p), 0o755) != nil {
		return
	}
	tmp, err := os.CreateTemp(filepath.Dir(p), ".tmp-*")
	if err != nil {
		return
	}
	_, werr := tmp.Write(data)
	cerr := tmp.Close()
	if werr != nil || cerr != nil || os.Rename(tmp.Name(), p) != nil {
		os.Remove(tmp.Name())
	}
}
