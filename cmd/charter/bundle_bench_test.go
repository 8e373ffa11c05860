package main

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"

	"github.com/charter-compliance/charter/internal/benchcpu"
	"github.com/charter-compliance/charter/internal/gen"
)

// BenchmarkBundle1x runs `charter bundle` end to end on the scale-1
// synthetic workspace: check, render the site in memory, every export,
// the SARIF and the zip.
func BenchmarkBundle1x(b *testing.B) {
	nist := gen.DefaultNIST("../..")
	if _, err := os.Stat(nist); err != nil {
		b.Skipf("NIST 800-53 rev5 standard not found at %s (set CHARTER_NIST)", nist)
	}
	dir := filepath.Join(b.TempDir(), "ws")
	if _, err := gen.Generate(gen.Options{Out: dir, Scale: 1, Repo: "../..", NIST: nist}); err != nil {
		b.Fatal(err)
	}
	b.Setenv("SOURCE_DATE_EPOCH", gen.SourceDateEpoch)
	out := filepath.Join(b.TempDir(), "bundle.zip")
	defer benchcpu.Start(b)()
	for b.Loop() {
		var o, e bytes.Buffer
		if code := run([]string{"-C", dir, "bundle", "--out", out}, &o, &e); code != 0 {
			b.Fatalf("exit %d: %s", code, e.String())
		}
	}
}
