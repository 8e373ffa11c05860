package load_test

import (
	"os"
	"path/filepath"
	"strconv"
	"testing"

	"github.com/charter-compliance/charter/compiler/load"
	"github.com/charter-compliance/charter/internal/gen"
)

// BenchmarkLoad1x loads the scale-1 synthetic workspace (70 components,
// 6,500 satisfactions, NIST 800-53 rev5 and TSC). The workspace is
// generated once, before the timed loop. Bytes/op is the workspace's size,
// so MB/s is the loader's throughput.
func BenchmarkLoad1x(b *testing.B) {
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
	for b.Loop() {
		ws, diags, err := load.Load(load.Options{Root: dir})
		if err != nil {
			b.Fatal(err)
		}
		if len(diags) != 0 || len(ws.Components) != st.Components {
			b.Fatalf("loaded %d components with %d diagnostics, want %d and none", len(ws.Components), len(diags), st.Components)
		}
	}
}

// BenchmarkLoadWarm1x loads the scale-1 synthetic workspace with a decode
// cache that already holds every file: the path of a developer's second
// and later runs.
func BenchmarkLoadWarm1x(b *testing.B) {
	nist := gen.DefaultNIST("../..")
	if _, err := os.Stat(nist); err != nil {
		b.Skipf("NIST 800-53 rev5 standard not found at %s (set CHARTER_NIST)", nist)
	}
	dir := filepath.Join(b.TempDir(), "ws")
	st, err := gen.Generate(gen.Options{Out: dir, Scale: 1, Repo: "../..", NIST: nist})
	if err != nil {
		b.Fatal(err)
	}
	cacheDir := b.TempDir()
	if _, _, err := load.Load(load.Options{Root: dir, Cache: load.OpenCache(cacheDir)}); err != nil {
		b.Fatal(err)
	}
	b.SetBytes(st.Bytes)
	b.ReportAllocs()
	for b.Loop() {
		ws, diags, err := load.Load(load.Options{Root: dir, Cache: load.OpenCache(cacheDir)})
		if err != nil {
			b.Fatal(err)
		}
		if len(diags) != 0 || len(ws.Components) != st.Components {
			b.Fatalf("loaded %d components with %d diagnostics, want %d and none", len(ws.Components), len(diags), st.Components)
		}
	}
}

// BenchmarkLoadFirst1x loads the scale-1 synthetic workspace into an empty
// decode cache: the first run on a fresh CI machine, which decodes every
// file and writes every entry.
func BenchmarkLoadFirst1x(b *testing.B) {
	nist := gen.DefaultNIST("../..")
	if _, err := os.Stat(nist); err != nil {
		b.Skipf("NIST 800-53 rev5 standard not found at %s (set CHARTER_NIST)", nist)
	}
	dir := filepath.Join(b.TempDir(), "ws")
	st, err := gen.Generate(gen.Options{Out: dir, Scale: 1, Repo: "../..", NIST: nist})
	if err != nil {
		b.Fatal(err)
	}
	caches := b.TempDir()
	b.SetBytes(st.Bytes)
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		i++
		cache := load.OpenCache(filepath.Join(caches, strconv.Itoa(i)))
		ws, diags, err := load.Load(load.Options{Root: dir, Cache: cache})
		if err != nil {
			b.Fatal(err)
		}
		if len(diags) != 0 || len(ws.Components) != st.Components {
			b.Fatalf("loaded %d components with %d diagnostics, want %d and none", len(ws.Components), len(diags), st.Components)
		}
	}
}
