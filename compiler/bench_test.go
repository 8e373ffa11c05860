package compiler_test

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/charter-compliance/charter/compiler"
	"github.com/charter-compliance/charter/internal/gen"
)

// BenchmarkCheck1x runs the whole check pipeline (load, cross-file checks,
// coverage) on the scale-1 synthetic workspace, generated once before the
// timed loop.
func BenchmarkCheck1x(b *testing.B) {
	nist := gen.DefaultNIST("..")
	if _, err := os.Stat(nist); err != nil {
		b.Skipf("NIST 800-53 rev5 standard not found at %s (set CHARTER_NIST)", nist)
	}
	dir := filepath.Join(b.TempDir(), "ws")
	st, err := gen.Generate(gen.Options{Out: dir, Scale: 1, Repo: "..", NIST: nist})
	if err != nil {
		b.Fatal(err)
	}
	b.SetBytes(st.Bytes)
	b.ReportAllocs()
	for b.Loop() {
		res, err := compiler.Check(compiler.Options{Root: dir, SourceDateEpoch: gen.SourceDateEpoch})
		if err != nil {
			b.Fatal(err)
		}
		if len(res.Diagnostics) != 0 || len(res.Coverage.Certifications) != 12 {
			b.Fatalf("check found %d diagnostics and %d certifications, want none and 12", len(res.Diagnostics), len(res.Coverage.Certifications))
		}
	}
}
