package site_test

import (
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/charter-compliance/charter/compiler"
	"github.com/charter-compliance/charter/compiler/docs"
	"github.com/charter-compliance/charter/compiler/site"
	"github.com/charter-compliance/charter/internal/gen"
)

// benchWorkspace generates the synthetic workspace at the given scale once
// per benchmark (see cmd/charter-gen).
func benchWorkspace(b *testing.B, scale int) *compiler.Result {
	b.Helper()
	nist := gen.DefaultNIST("../..")
	if _, err := os.Stat(nist); err != nil {
		b.Skipf("NIST 800-53 rev5 not found (%v); set CHARTER_NIST", err)
	}
	dir := filepath.Join(b.TempDir(), "ws")
	if _, err := gen.Generate(gen.Options{Out: dir, Scale: scale, Repo: "../..", NIST: nist}); err != nil {
		b.Fatal(err)
	}
	res, err := compiler.Check(compiler.Options{Root: dir, SourceDateEpoch: "1767225600"})
	if err != nil {
		b.Fatal(err)
	}
	return res
}

func benchRender(b *testing.B, scale int) {
	res := benchWorkspace(b, scale)
	in := site.Input{Workspace: res.Workspace, Coverage: res.Coverage, Diagnostics: res.Diagnostics, AsOf: res.AsOf,
		Docs: docs.New(res.Workspace, res.Coverage, docs.Options{})}
	var pages int
	cpu := startCPU()
	for b.Loop() {
		s, _, err := site.Render(in)
		if err != nil {
			b.Fatal(err)
		}
		pages = s.Pages()
	}
	cpu.report(b)
	b.ReportMetric(float64(b.Elapsed().Microseconds())/float64(b.N)/float64(pages), "µs/page")
}

// benchBuild runs the whole of `charter build` (load, check, render, write)
// on the synthetic workspace; each iteration replaces the previous site,
// as a rebuild does.
func benchBuild(b *testing.B, scale int) {
	nist := gen.DefaultNIST("../..")
	if _, err := os.Stat(nist); err != nil {
		b.Skipf("NIST 800-53 rev5 not found (%v); set CHARTER_NIST", err)
	}
	dir := filepath.Join(b.TempDir(), "ws")
	if _, err := gen.Generate(gen.Options{Out: dir, Scale: scale, Repo: "../..", NIST: nist}); err != nil {
		b.Fatal(err)
	}
	out := filepath.Join(b.TempDir(), "site")
	var pages int
	cpu := startCPU()
	for b.Loop() {
		br, err := compiler.Build(compiler.BuildOptions{Options: compiler.Options{Root: dir, SourceDateEpoch: "1767225600"}, Out: out})
		if err != nil || br.Refused {
			b.Fatal(err, br.Refused)
		}
		pages = br.Site.Pages()
	}
	cpu.report(b)
	b.ReportMetric(float64(b.Elapsed().Microseconds())/float64(b.N)/float64(pages), "µs/page")
}

// cpuMeter measures the process's CPU time over a benchmark's loop: with
// two cores shared with other work, CPU time per operation compares two
// versions more steadily than wall time.
type cpuMeter struct {
	start time.Duration
	ok    bool
}

func startCPU() cpuMeter {
	t, ok := processCPU()
	return cpuMeter{t, ok}
}

// report adds the CPU milliseconds per operation (all goroutines, user and
// system) as the metric cpu-ms/op.
func (m cpuMeter) report(b *testing.B) {
	if t, ok := processCPU(); ok && m.ok && b.N > 0 {
		b.ReportMetric(float64((t-m.start).Microseconds())/1000/float64(b.N), "cpu-ms/op")
	}
}

// BenchmarkBuild1x is `charter build` on the 1× workspace, in process.
func BenchmarkBuild1x(b *testing.B) { benchBuild(b, 1) }

// BenchmarkBuild10x is `charter build` on the 10× workspace, in process.
func BenchmarkBuild10x(b *testing.B) { benchBuild(b, 10) }

// BenchmarkRender1x renders the 1× synthetic workspace (70 components,
// 6,500 satisfactions) in memory.
func BenchmarkRender1x(b *testing.B) { benchRender(b, 1) }

// BenchmarkRender10x renders the 10× workspace: time per page should stay
// roughly what it is at 1×.
func BenchmarkRender10x(b *testing.B) { benchRender(b, 10) }
