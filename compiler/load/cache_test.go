package load

import (
	"os"
	"path/filepath"
	"testing"
	"time"
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
