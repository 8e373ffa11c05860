package compiler_test

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/charter-compliance/charter/compiler"
	"github.com/charter-compliance/charter/compiler/history/gittest"
	"github.com/charter-compliance/charter/internal/gen"
)

// versionsRepoKey names the cached repository; change it when the setup
// below changes.
const versionsRepoKey = "charter-versions-bench-v1"

// versionsRepo is the 1× synthetic workspace committed to git five times,
// tagged v1.0.0 to v1.4.0 (HEAD at v1.4.0, clean), each release rewording
// one narrative. It is cached under the system's temporary directory.
func versionsRepo(b *testing.B) string {
	b.Helper()
	nist := gen.DefaultNIST("..")
	if _, err := os.Stat(nist); err != nil {
		b.Skipf("NIST 800-53 rev5 standard not found at %s (set CHARTER_NIST)", nist)
	}
	dir := filepath.Join(os.TempDir(), versionsRepoKey)
	if _, err := os.Stat(filepath.Join(dir, ".git", "charter-bench-complete")); err == nil {
		return dir
	}
	os.RemoveAll(dir)
	if _, err := gen.Generate(gen.Options{Out: dir, Scale: 1, Repo: "..", NIST: nist}); err != nil {
		b.Fatal(err)
	}
	r := &gittest.Repo{T: b, Dir: dir}
	r.Git("init", "-q", "-b", "main")
	comps, err := filepath.Glob(filepath.Join(dir, "components", "*", "component.yaml"))
	if err != nil || len(comps) < 5 {
		b.Fatalf("components: %v %v", comps, err)
	}
	for i := range 5 {
		if i > 0 {
			text, err := os.ReadFile(comps[i])
			if err != nil {
				b.Fatal(err)
			}
			edited := strings.Replace(string(text), "text: ", fmt.Sprintf("text: Release %d. ", i), 1)
			if err := os.WriteFile(comps[i], []byte(edited), 0o644); err != nil {
				b.Fatal(err)
			}
		}
		r.Commit(gittest.Alice, gittest.Day(2026, 1, 1+i, 0), fmt.Sprintf("Release %d (#%d)", i, 100+i))
		r.Git("tag", fmt.Sprintf("v1.%d.0", i))
	}
	if err := os.WriteFile(filepath.Join(dir, ".git", "charter-bench-complete"), nil, 0o644); err != nil {
		b.Fatal(err)
	}
	return dir
}

func buildOnce(b *testing.B, dir, out string, v compiler.VersionOptions) (files int, took time.Duration) {
	start := time.Now()
	br, err := compiler.BuildVersions(compiler.BuildOptions{Options: compiler.Options{Root: dir}, Out: out}, v)
	took = time.Since(start)
	if err != nil {
		b.Fatal(err)
	}
	if br.Refused {
		b.Fatal(br.Diagnostics)
	}
	return len(br.Site.Files), took
}

// BenchmarkBuildVersions1x times, in each iteration, `charter build` of the
// 1× synthetic workspace with git history and then `charter build --versions
// 'v*'` of the same repository: five tagged versions (four from git objects,
// the newest from the working tree) plus latest/. Running both in turn
// exposes them to the same load. The budget is five single builds plus
// 0.5 s; the metrics are seconds per build.
func BenchmarkBuildVersions1x(b *testing.B) {
	dir := versionsRepo(b)
	single, multi := filepath.Join(b.TempDir(), "single"), filepath.Join(b.TempDir(), "versions")
	var tSingle, tMulti time.Duration
	var files int
	for b.Loop() {
		_, t1 := buildOnce(b, dir, single, compiler.VersionOptions{})
		n, t2 := buildOnce(b, dir, multi, compiler.VersionOptions{Versions: "v*"})
		tSingle += t1
		tMulti += t2
		files = n
	}
	n := float64(b.N)
	b.ReportMetric(tSingle.Seconds()/n, "single-s")
	b.ReportMetric(tMulti.Seconds()/n, "versions-s")
	b.ReportMetric(5*tSingle.Seconds()/n+0.5, "budget-s")
	b.ReportMetric(float64(files), "files")
}
