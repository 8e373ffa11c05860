package fastyaml

import (
	"os"
	"testing"

	"github.com/charter-compliance/charter/internal/gen"
)

// benchFiles generates the synthetic 1x workspace once and reads its YAML.
func benchFiles(b *testing.B) ([][]byte, int64) {
	b.Helper()
	nist := gen.DefaultNIST("../..")
	if _, err := os.Stat(nist); err != nil {
		b.Skipf("NIST 800-53 rev5 not found: %v", err)
	}
	dir := b.TempDir()
	if _, err := gen.Generate(gen.Options{Out: dir, Scale: 1, Repo: "../..", NIST: nist}); err != nil {
		b.Fatal(err)
	}
	var texts [][]byte
	var size int64
	for _, f := range yamlFiles(b, dir) {
		text, err := os.ReadFile(f)
		if err != nil {
			b.Fatal(err)
		}
		texts = append(texts, text)
		size += int64(len(text))
	}
	return texts, size
}

// BenchmarkParse1x reads every YAML file of the synthetic 1x workspace
// (about 7 MB) on one goroutine, reusing node memory as charter does.
func BenchmarkParse1x(b *testing.B) {
	texts, size := benchFiles(b)
	b.SetBytes(size)
	for b.Loop() {
		for _, t := range texts {
			_, release, ok := ParseReusing(t)
			if !ok {
				b.Fatal("declined a synthetic file")
			}
			release()
		}
	}
}

// BenchmarkYAMLv31x reads the same files with yaml.v3, for comparison.
func BenchmarkYAMLv31x(b *testing.B) {
	texts, size := benchFiles(b)
	b.SetBytes(size)
	for b.Loop() {
		for _, t := range texts {
			if _, err := ParseV3(t); err != nil {
				b.Fatal(err)
			}
		}
	}
}
