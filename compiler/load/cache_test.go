package load

import (
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/charter-compliance/charter/compiler/diag"
	"github.com/charter-compliance/charter/compiler/model"
)

// Only the newest few builds' caches are kept.
func TestOpenCachePrunesOldBuilds(t *testing.T) {
	dir := t.TempDir()
	for i, name := range []string{"old1", "old2", "old3", "old4"} {
		p := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Join(p, "ab"), 0o755); err != nil {
			t.Fatal(err)
		}
		day := time.Date(2026, 1, 1+i, 0, 0, 0, 0, time.UTC)
		if err := os.Chtimes(p, day, day); err != nil {
			t.Fatal(err)
		}
	}
	c := OpenCache(dir)
	if c == nil {
		t.Fatal("no cache")
	}
	entries, _ := os.ReadDir(dir)
	var names []string
	for _, e := range entries {
		names = append(names, e.Name())
	}
	if len(names) != keepBuilds {
		t.Fatalf("kept %v, want %d directories", names, keepBuilds)
	}
	for _, gone := range []string{"old1", "old2"} {
		if _, err := os.Stat(filepath.Join(dir, gone)); err == nil {
			t.Errorf("%s should have been pruned (kept %v)", gone, names)
		}
	}
	if filepath.Dir(c.dir) != dir {
		t.Errorf("cache directory %s is not inside %s", c.dir, dir)
	}
}

// entries returns n distinct results (documents, the first with a body
// large enough that its pack is mapped rather than read) and their keys
// in cache c.
func entries(t *testing.T, c *Cache, n int) ([]string, []result) {
	t.Helper()
	var keys []string
	var rs []result
	for i := range n {
		doc := filled[*model.Document]()
		doc.ID = fmt.Sprintf("POL-%d", i)
		if i == 0 {
			doc.Body = strings.Repeat("All staff complete security awareness training. ", 1000)
		}
		j := &job{rel: fmt.Sprintf("policies/p%d.md", i), kind: model.KindDocument}
		keys = append(keys, c.key(j, []byte(doc.ID)))
		rs = append(rs, result{doc: doc, diags: diag.List{{Severity: diag.Warning, Code: diag.CodeValue, Message: doc.ID}}})
	}
	return keys, rs
}

// packs lists the pack files of cache c's build.
func packs(t *testing.T, c *Cache) []string {
	t.Helper()
	names, err := filepath.Glob(filepath.Join(c.dir, packsDir, "*.pack"))
	if err != nil {
		t.Fatal(err)
	}
	return names
}

// hits reports, for each key, whether a cache opened afresh on dir gives
// exactly the result stored under it.
func hits(t *testing.T, dir string, keys []string, want []result) []bool {
	t.Helper()
	c := OpenCache(dir)
	var got []bool
	for i, k := range keys {
		r, ok := c.get(k)
		if ok && !reflect.DeepEqual(r, want[i]) {
			t.Fatalf("entry %d differs:\n got %#v\nwant %#v", i, r, want[i])
		}
		got = append(got, ok)
	}
	return got
}

// A run writes every entry into one pack of its own; a later run reads
// them all from it, and a run with nothing to write creates no file.
func TestCacheWritesOnePackPerRun(t *testing.T) {
	dir := t.TempDir()
	c := OpenCache(dir)
	keys, rs := entries(t, c, 3)
	if got := hits(t, dir, keys, rs); !slices.Equal(got, []bool{false, false, false}) {
		t.Fatalf("hits in an empty cache: %v", got)
	}
	if p := packs(t, c); len(p) != 0 {
		t.Fatalf("opening and reading an empty cache created %v", p)
	}
	for i := range keys {
		c.put(keys[i], rs[i])
	}
	if p := packs(t, c); len(p) != 1 {
		t.Fatalf("one run wrote %d packs, want 1: %v", len(p), p)
	}
	for range 2 {
		if got := hits(t, dir, keys, rs); !slices.Equal(got, []bool{true, true, true}) {
			t.Fatalf("hits after a run: %v", got)
		}
	}
	if p := packs(t, c); len(p) != 1 {
		t.Fatalf("runs that only read made packs: %v", p)
	}
}

// A pack cut short (a crash, or a run still writing) is read up to its
// last whole record; a record whose bytes changed is a miss, and the record
// written after decoding the file again is used from then on.
func TestCacheSkipsTornAndCorruptRecords(t *testing.T) {
	dir := t.TempDir()
	c := OpenCache(dir)
	keys, rs := entries(t, c, 3)
	for i := range keys {
		c.put(keys[i], rs[i])
	}
	name := packs(t, c)[0]
	data, err := os.ReadFile(name)
	if err != nil {
		t.Fatal(err)
	}
	last := len(data) - len(encodeEntry(rs[2])) - headerSize // where the third record starts
	for _, cut := range []int{last + headerSize/2, last + headerSize, len(data) - 1} {
		if err := os.WriteFile(name, data[:cut], 0o644); err != nil {
			t.Fatal(err)
		}
		if got := hits(t, dir, keys, rs); !slices.Equal(got, []bool{true, true, false}) {
			t.Errorf("pack cut at %d of %d bytes: hits %v, want the first two", cut, len(data), got)
		}
	}

	bad := slices.Clone(data)
	bad[last-5]++ // inside the second record's data
	if err := os.WriteFile(name, bad, 0o644); err != nil {
		t.Fatal(err)
	}
	if got := hits(t, dir, keys, rs); !slices.Equal(got, []bool{true, false, true}) {
		t.Fatalf("a changed byte in the second record: hits %v", got)
	}
	OpenCache(dir).put(keys[1], rs[1])
	again := slices.DeleteFunc(packs(t, c), func(p string) bool { return p == name })
	if len(again) != 1 {
		t.Fatalf("packs besides the first: %v", again)
	}
	// packs are read in name order: try the corrupt record first and last
	for _, names := range [][2]string{{"a0.pack", "a1.pack"}, {"b1.pack", "b0.pack"}} {
		for i, p := range []*string{&name, &again[0]} {
			to := filepath.Join(filepath.Dir(*p), names[i])
			if err := os.Rename(*p, to); err != nil {
				t.Fatal(err)
			}
			*p = to
		}
		if got := hits(t, dir, keys, rs); !slices.Equal(got, []bool{true, true, true}) {
			t.Fatalf("after the second entry was written again (packs %s, %s): hits %v", names[0], names[1], got)
		}
	}

	if err := os.WriteFile(name, []byte("not a pack"), 0o644); err != nil {
		t.Fatal(err)
	}
	if got := hits(t, dir, keys, rs); !slices.Equal(got, []bool{false, true, false}) {
		t.Fatalf("a pack overwritten with other bytes: hits %v", got)
	}
}

// Once a build has more than maxPacks packs, opening it copies the smaller
// ones into one and removes them; no entry is lost.
func TestCacheMergesSmallPacks(t *testing.T) {
	dir := t.TempDir()
	keys, rs := entries(t, OpenCache(dir), maxPacks+1)
	for i := range keys {
		c := OpenCache(dir)
		c.put(keys[i], rs[i])
		if p := packs(t, c); len(p) != i+1 {
			t.Fatalf("after %d runs: %d packs", i+1, len(p))
		}
	}
	c := OpenCache(dir)
	if p := packs(t, c); len(p) != maxPacks/2+1 {
		t.Fatalf("%d packs after merging, want %d", len(p), maxPacks/2+1)
	}
	for _, key := range keys {
		if _, ok := c.get(key); !ok {
			t.Fatal("the cache that merged lost an entry")
		}
	}
	all := slices.Repeat([]bool{true}, len(keys))
	if got := hits(t, dir, keys, rs); !slices.Equal(got, all) {
		t.Fatalf("hits after merging: %v", got)
	}
	if p := packs(t, c); len(p) != maxPacks/2+1 {
		t.Fatalf("%d packs after reading the merged cache, want %d", len(p), maxPacks/2+1)
	}
}

// Two processes (here two caches) filling one cache directory at once each
// write a pack of their own, and every entry of both is read back.
func TestCacheConcurrentWriters(t *testing.T) {
	dir := t.TempDir()
	a, b := OpenCache(dir), OpenCache(dir)
	keys, rs := entries(t, a, 40)
	var wg sync.WaitGroup
	for w, c := range []*Cache{a, b, a, b} {
		wg.Go(func() {
			for i := w; i < len(keys); i += 4 {
				c.put(keys[i], rs[i])
			}
		})
	}
	wg.Wait()
	if p := packs(t, a); len(p) != 2 {
		t.Fatalf("two writers made %d packs, want 2", len(p))
	}
	if got := hits(t, dir, keys, rs); !slices.Equal(got, slices.Repeat([]bool{true}, len(keys))) {
		t.Fatalf("hits after two concurrent writers: %v", got)
	}
}
