package load_test

import (
	"os"
	"path/filepath"
	"strconv"
	"testing"

	"github.com/charter-compliance/charter/compiler/load"
	"github.com/charter-compliance/charter/internal/gen"
)

// benchWorkspace generates the scale-1 synthetic workspace (70 components,
// 6,500 satisfactions, NIST 800-53 rev5 and TSC) once, before the timed
// loop, and sets bytes/op to its size, so MB/s is the loader's throughput.
func benchWorkspace(b *testing.B) (string, gen.Stats) {
	b.Helper()
	nist := gen.DefaultNIST("../..")
	if _, err := os.Stat(nist); err != nil {
		b.Skipf("NIST 800-53 rev5 standard not found at %s (set CHARTER_NIST)", nist)
	}
	dir := filepath.Join(b.TempDir(), "ws")
	st, err := gen.Generate(gen.Options{Out: dir, Scale: 1, Repo: "../..", NIST: nist})
	if err != nil {
		b.Fatal(err)
	}
	b.SetBytes(st.Bytes)
	b.ReportAllocs()
	return dir, st
}

// loadAll loads dir and fails unless it holds every component and no
// diagnostic.
func loadAll(b *testing.B, dir string, st gen.Stats, cache *load.Cache) {
	b.Helper()
	ws, diags, err := load.Load(load.Options{Root: dir, Cache: cache})
	if err != nil {
		b.Fatal(err)
	}
	if len(diags) != 0 || len(ws.Components) != st.Components {
		b.Fatalf("loaded %d components with %d diagnostics, want %d and none", len(ws.Components), len(diags), st.Components)
	}
}

// BenchmarkLoad1x loads the scale-1 workspace with no decode cache.
func BenchmarkLoad1x(b *testing.B) {
	dir, st := benchWorkspace(b)
	for b.Loop() {
		loadAll(b, dir, st, nil)
	}
}

// BenchmarkLoadWarm1x loads the scale-1 workspace with a decode cache that
// already holds every file: the path of a developer's second and later
// runs.
func BenchmarkLoadWarm1x(b *testing.B) {
	dir, st := benchWorkspace(b)
	cacheDir := b.TempDir()
	loadAll(b, dir, st, load.OpenCache(cacheDir))
	for b.Loop() {
		loadAll(b, dir, st, load.OpenCache(cacheDir))
	}
}

// BenchmarkLoadFirst1x loads the scale-1 workspace into an empty decode
// cache: the first run on a fresh CI machine, which decodes every file and
// writes every entry.
func BenchmarkLoadFirst1x(b *testing.B) {
	dir, st := benchWorkspace(b)
	caches := b.TempDir()
	i := 0
	for b.Loop() {
		i++
		loadAll(b, dir, st, load.OpenCache(filepath.Join(caches, strconv.Itoa(i))))
	}
}
