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

// BenchmarkPDF1x prints every policy and procedure of the scale-1
// workspace, and the combined document, with a browser already running
// (the warm case; charter export --pdf adds the browser's start and one
// build).
func BenchmarkPDF1x(b *testing.B) {
	bin, err := export.FindBrowser()
	if err != nil {
		b.Skip("no chromium on PATH")
	}
	nist := gen.DefaultNIST("../..")
	if _, err := os.Stat(nist); err != nil {
		b.Skipf("NIST 800-53 rev5 standard not found at %s (set CHARTER_NIST)", nist)
	}
	dir := filepath.Join(b.TempDir(), "ws")
	if _, err := gen.Generate(gen.Options{Out: dir, Scale: 1, Repo: "../..", NIST: nist}); err != nil {
		b.Fatal(err)
	}
	br, err := compiler.BuildVersions(compiler.BuildOptions{Options: compiler.Options{Root: dir, SourceDateEpoch: gen.SourceDateEpoch}, NoWrite: true, AllowErrors: true}, compiler.VersionOptions{})
	if err != nil {
		b.Fatal(err)
	}
	in := export.Input{Result: br.Result, Info: export.Info{Charter: "bench", Version: "v1", AsOf: br.Result.AsOf}}
	site := make([]export.NamedFile, len(br.Site.Files))
	for i, f := range br.Site.Files {
		site[i] = export.NamedFile{Path: f.Path, Data: f.Data}
	}
	p, err := export.NewPrinter(bin)
	if err != nil {
		b.Fatal(err)
	}
	defer p.Close()
	if _, err := p.PDFs(in, site); err != nil { // warm up
		b.Fatal(err)
	}
	b.ReportMetric(float64(len(in.Result.Workspace.Documents)), "documents")
	defer benchcpu.Start(b)()
	for b.Loop() {
		if _, err := p.PDFs(in, site); err != nil {
			b.Fatal(err)
		}
	}
}
