package export_test

import (
	"bytes"
	"io"
	"os"
	"path/filepath"
	"testing"

	"github.com/charter-compliance/charter/compiler"
	"github.com/charter-compliance/charter/compiler/export"
	"github.com/charter-compliance/charter/internal/benchcpu"
	"github.com/charter-compliance/charter/internal/gen"
)

// bench1x checks the scale-1 synthetic workspace once, for the export
// benchmarks to time the exports alone.
func bench1x(b *testing.B) export.Input {
	b.Helper()
	nist := gen.DefaultNIST("../..")
	if _, err := os.Stat(nist); err != nil {
		b.Skipf("NIST 800-53 rev5 standard not found at %s (set CHARTER_NIST)", nist)
	}
	dir := filepath.Join(b.TempDir(), "ws")
	if _, err := gen.Generate(gen.Options{Out: dir, Scale: 1, Repo: "../..", NIST: nist}); err != nil {
		b.Fatal(err)
	}
	res, err := compiler.Check(compiler.Options{Root: dir, SourceDateEpoch: gen.SourceDateEpoch})
	if err != nil {
		b.Fatal(err)
	}
	return export.Input{Result: res, Info: export.Info{Charter: "bench", Version: "v1", AsOf: res.AsOf, AsOfSource: string(res.AsOfSource)}}
}

// BenchmarkExport1x times each export of every certification of the
// scale-1 workspace (12 certifications, 6,500 satisfactions), given the
// checked repository; charter export adds one check (BenchmarkCheck1x).
func BenchmarkExport1x(b *testing.B) {
	in := bench1x(b)
	for _, f := range []struct {
		name string
		run  func() error
	}{
		{"csv", func() error { _, err := export.CSVFiles(in); return err }},
		{"xlsx", func() error { return export.WriteXLSX(io.Discard, in) }},
		{"json", func() error { return export.WriteJSON(io.Discard, in) }},
		{"oscal", func() error { _, err := export.OSCALFiles(in); return err }},
		{"all", func() error { _, err := export.Exports(in); return err }},
	} {
		b.Run(f.name, func(b *testing.B) {
			b.ReportAllocs()
			defer benchcpu.Start(b)()
			for b.Loop() {
				if err := f.run(); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkWriteBundle1x times zipping the exports with a manifest.
func BenchmarkWriteBundle1x(b *testing.B) {
	in := bench1x(b)
	files, err := export.Exports(in)
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	defer benchcpu.Start(b)()
	for b.Loop() {
		var buf bytes.Buffer
		if err := export.WriteBundle(&buf, in, files); err != nil {
			b.Fatal(err)
		}
	}
}
