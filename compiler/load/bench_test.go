package load_test

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/charter-compliance/charter/compiler/load"
	"github.com/charter-compliance/charter/internal/gen"
)

// benchLoad generates the synthetic workspace at scale (70 components and
// 6,500 satisfactions per unit, with NIST 800-53 rev5 and TSC) once, before
// the timed loop, sets bytes/op to its size, so MB/s is the loader's
// throughput, and loads it: every file read and decoded, as on a fresh
// machine.
func benchLoad(b *testing.B, scale int) {
	nist := gen.DefaultNIST("../..")
	if _, err := os.Stat(nist); err != nil {
		b.Skipf("NIST 800-53 rev5 standard not found at %s (set CHARTER_NIST)", nist)
	}
	dir := filepath.Join(b.TempDir(), "ws")
	st, err := gen.Generate(gen.Options{Out: dir, Scale: scale, Repo: "../..", NIST: nist})
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

func BenchmarkLoad1x(b *testing.B)  { benchLoad(b, 1) }
func BenchmarkLoad10x(b *testing.B) { benchLoad(b, 10) }
