package load

import (
	"cmp"
	"crypto/rand"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"errors"
	"fmt"
	"hash/crc32"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"sync"
	"time"
	"unsafe"
)

// The decode cache keeps what decoding a file produced (its model value and
// its diagnostics), keyed by a hash of the file's bytes, its path and kind,
// and the identity of the charter binary. Decoding YAML is most of a
// check's time; a file that has not changed since the last run is not
// decoded again. A hit gives exactly what decoding would, so output never
// depends on the cache; anything unreadable is treated as a miss.
//
// Entries live in pack files, not one file per entry: on a fresh machine
// (a CI runner) every run starts with an empty cache, and creating a file
// and its directory per source file cost more than the decoding it saves
// (on ext4, 0.1 to 0.3 ms per new inode). A run appends every entry it
// decodes to one pack of its own, created when the first entry is written.
// A pack is a magic string followed by records:
//
//	key [32]byte | length uint32 | crc of the data | crc of the 40 bytes before | data
//
// (little-endian, CRC-32C). Records are only ever appended, and a record
// is used only when both of its checksums hold, so a pack another process
// is still writing, or one cut short by a crash, is read up to its last
// whole record: no temporary file and rename are needed. Packs are mapped
// into memory when large enough, and the bytes of a written record never
// change, so decoded strings may point into them for the rest of the process.
//
// Each run with misses adds a pack; when a build has more than maxPacks,
// opening the cache copies the records of the smaller half into the new
// pack and removes them, so a warm run opens a handful of files at most.

// cacheFormat changes whenever the cached shape changes.
const cacheFormat = "charter-decode-v6"

// packMagic starts every pack file.
const packMagic = "charter-pack-v5\n"

const (
	keySize    = sha256.Size
	headerSize = keySize + 4 + 4 + 4
	// maxPacks is how many packs a build's cache may hold before opening
	// it merges the smaller ones.
	maxPacks = 8
	// packsDir is the subdirectory of a build's cache holding its packs.
	packsDir = "packs"
)

// mapMinSize is the smallest pack worth a mapping of its own (see
// entry_mmap.go); the headers of one that large are read with pread.
const mapMinSize = 16 << 10

var castagnoli = crc32.MakeTable(crc32.Castagnoli)

// Cache is a directory of decoded files.
type Cache struct {
	dir  string // this build's directory
	salt []byte
	// index holds each key's first record; dups its later ones, tried when
	// the first fails its checksum. Both are read-only once OpenCache
	// returns.
	index map[string]record
	dups  map[string][]record

	mu     sync.Mutex
	pack   *os.File // this run's pack, once an entry has been written
	failed bool     // creating or writing the pack failed: write no more
}

// record is one entry read from a pack.
type record struct {
	data []byte
	crc  uint32
}

func (r record) valid() bool { return crc32.Checksum(r.data, castagnoli) == r.crc }

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
	if os.MkdirAll(filepath.Join(own, packsDir), 0o755) != nil {
		return nil
	}
	_ = os.Chtimes(own, time.Time{}, time.Now()) // mark it as the newest in use
	prune(dir, own)
	c := &Cache{dir: own, salt: salt, index: map[string]record{}}
	c.readPacks()
	return c
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

// pack is one pack file read at open.
type pack struct {
	path    string
	size    int64
	records []string // keys, in file order
}

// readPacks indexes every pack of this build, and merges the smaller ones
// when there are more than maxPacks.
func (c *Cache) readPacks() {
	dir := filepath.Join(c.dir, packsDir)
	entries, err := os.ReadDir(dir)
	if err != nil {
		return
	}
	var packs []pack
	for _, e := range entries {
		if !e.Type().IsRegular() || !strings.HasSuffix(e.Name(), ".pack") {
			continue
		}
		p := pack{path: filepath.Join(dir, e.Name())}
		data, release, err := readEntry(p.path)
		if err != nil {
			continue // removed by a merge in another process since listed
		}
		p.size = int64(len(data))
		var at io.ReaderAt
		if len(data) >= mapMinSize {
			if f, err := os.Open(p.path); err == nil {
				at = f
				defer f.Close()
			}
		}
		p.records = c.scan(data, at)
		if len(p.records) == 0 {
			release()
		}
		packs = append(packs, p)
	}
	if len(packs) > maxPacks {
		c.merge(packs)
	}
}

// scan adds the whole records of one pack's data to the index and returns
// their keys. It stops at the first record whose header is cut short or
// fails its checksum; a record's data is checked when it is used.
//
// With at, the headers are read from it (the pack file) rather than from
// data. Reading a header through a mapping faults in the pages around it,
// and the cache holds every repository's entries that this charter binary
// decoded: a warm 1× build whose cache also held the 10× workspace paged in
// 42 MB of records it never used. One pread per record costs about a
// microsecond.
func (c *Cache) scan(data []byte, at io.ReaderAt) []string {
	if !strings.HasPrefix(unsafe.String(unsafe.SliceData(data), len(data)), packMagic) {
		return nil
	}
	var keys []string
	var hbuf [headerSize]byte
	for off := len(packMagic); len(data)-off >= headerSize; {
		h := data[off : off+headerSize]
		if at != nil {
			if _, err := at.ReadAt(hbuf[:], int64(off)); err != nil {
				break
			}
			h = hbuf[:]
		}
		n := int(binary.LittleEndian.Uint32(h[keySize:]))
		if crc32.Checksum(h[:headerSize-4], castagnoli) != binary.LittleEndian.Uint32(h[headerSize-4:]) || n > len(data)-off-headerSize {
			break
		}
		key := string(h[:keySize])
		rec := record{data: data[off+headerSize : off+headerSize+n : off+headerSize+n], crc: binary.LittleEndian.Uint32(h[keySize+4:])}
		// The same key twice: a file decoded by two runs at once, or again
		// after its first record turned out corrupt.
		if _, ok := c.index[key]; !ok {
			c.index[key] = rec
		} else {
			if c.dups == nil {
				c.dups = map[string][]record{}
			}
			c.dups[key] = append(c.dups[key], rec)
		}
		keys = append(keys, key)
		off += headerSize + n
	}
	return keys
}

// merge copies the records of the smaller packs (all but maxPacks/2 of
// them) into this run's pack and removes them. Only records whose data
// holds are copied, each key once. Another process merging at the same
// time only makes duplicates; one still reading a removed pack keeps its
// mapping, and one that finds it gone decodes those files afresh.
func (c *Cache) merge(packs []pack) {
	slices.SortFunc(packs, func(a, b pack) int { return cmp.Or(cmp.Compare(a.size, b.size), strings.Compare(a.path, b.path)) })
	small := packs[:len(packs)-maxPacks/2]
	copied := map[string]bool{}
	var buf []byte
	for _, p := range small {
		for _, key := range p.records {
			if copied[key] {
				continue
			}
			rec, ok := c.lookup(key)
			if !ok {
				continue
			}
			copied[key] = true
			buf = appendHeader(buf[:0], key, rec.data)
			buf = append(buf, rec.data...)
			if !c.write(buf) {
				return // keep the packs: nothing in them is lost
			}
		}
	}
	for _, p := range small {
		os.Remove(p.path)
	}
}

// appendHeader appends the header of a record of data under key.
func appendHeader(buf []byte, key string, data []byte) []byte {
	start := len(buf)
	buf = append(buf, key...)
	buf = binary.LittleEndian.AppendUint32(buf, uint32(len(data)))
	buf = binary.LittleEndian.AppendUint32(buf, crc32.Checksum(data, castagnoli))
	return binary.LittleEndian.AppendUint32(buf, crc32.Checksum(buf[start:], castagnoli))
}

// write appends one record to this run's pack, creating the pack first if
// need be. It reports whether the record was written whole.
func (c *Cache) write(rec []byte) bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.failed {
		return false
	}
	if c.pack == nil {
		f, err := createPack(filepath.Join(c.dir, packsDir))
		if err != nil {
			c.failed = true
			return false
		}
		c.pack = f
	}
	// A failed write may leave part of a record, which readers skip; but
	// nothing may follow it.
	if _, err := c.pack.Write(rec); err != nil {
		c.failed = true
		return false
	}
	return true
}

// createPack creates a pack under a fresh random name. The file is opened
// for appending records and stays open until the process ends (or the
// Cache is collected).
func createPack(dir string) (*os.File, error) {
	for range 3 {
		var id [8]byte
		rand.Read(id[:])
		f, err := os.OpenFile(filepath.Join(dir, hex.EncodeToString(id[:])+".pack"), os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
		if errors.Is(err, fs.ErrExist) {
			continue
		}
		if err != nil {
			return nil, err
		}
		if _, err := f.WriteString(packMagic); err != nil {
			f.Close()
			return nil, err
		}
		return f, nil
	}
	return nil, fs.ErrExist
}

func (c *Cache) key(j *job, text []byte) string {
	h := sha256.New()
	h.Write(c.salt)
	fmt.Fprintf(h, "\x00%s\x00%s\x00%s\x00", j.kind, j.rel, j.dir)
	h.Write(text)
	var sum [keySize]byte
	return string(h.Sum(sum[:0]))
}

// lookup returns the first record under key whose data holds.
func (c *Cache) lookup(key string) (record, bool) {
	if rec, ok := c.index[key]; !ok || rec.valid() {
		return rec, ok
	}
	for _, rec := range c.dups[key] {
		if rec.valid() {
			return rec, true
		}
	}
	return record{}, false
}

func (c *Cache) get(key string) (result, bool) {
	rec, ok := c.lookup(key)
	if !ok || len(rec.data) == 0 {
		return result{}, false
	}
	// The decoded strings are slices of the pack, which nothing writes
	// again: viewing it as a string saves copying every entry.
	r, err := decodeEntry(unsafe.String(&rec.data[0], len(rec.data)))
	if err != nil {
		return result{}, false
	}
	return r, true
}

// entryBufs holds buffers for encoding entries, reused across files.
var entryBufs = sync.Pool{New: func() any { return new([]byte) }}

// put appends an entry to this run's pack.
func (c *Cache) put(key string, r result) {
	if len(key) != keySize {
		return
	}
	bp := entryBufs.Get().(*[]byte)
	buf := append((*bp)[:0], make([]byte, headerSize)...)
	buf = appendEntry(buf, r)
	if data := buf[headerSize:]; int64(len(data)) <= 1<<31 {
		appendHeader(buf[:0], key, data)
		c.write(buf)
	}
	*bp = buf
	entryBufs.Put(bp)
}
