package gen_test

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"

	"github.com/charter-compliance/charter/compiler"
	"github.com/charter-compliance/charter/internal/gen"
)

func nistOrSkip(t *testing.T) string {
	p := gen.DefaultNIST("../..")
	if _, err := os.Stat(p); err != nil {
		t.Skipf("NIST 800-53 rev5 standard not found at %s (set CHARTER_NIST)", p)
	}
	return p
}

// TestScale1 checks the promises the benchmarks rely on: the exact size,
// byte-identical output for the same flags, and a workspace that loads with
// no diagnostic at all.
func TestScale1(t *testing.T) {
	nist := nistOrSkip(t)
	a, b := filepath.Join(t.TempDir(), "a"), filepath.Join(t.TempDir(), "b")
	st, err := gen.Generate(gen.Options{Out: a, Scale: 1, Repo: "../..", NIST: nist})
	if err != nil {
		t.Fatal(err)
	}
	if st.Components != 70 || st.Satisfactions != 6500 || st.Documents != 30 {
		t.Fatalf("stats = %+v, want 70 components, 6500 satisfactions, 30 documents", st)
	}
	if _, err := gen.Generate(gen.Options{Out: b, Scale: 1, Repo: "../..", NIST: nist}); err != nil {
		t.Fatal(err)
	}
	files := 0
	err = filepath.WalkDir(a, func(p string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		rel, _ := filepath.Rel(a, p)
		x, _ := os.ReadFile(p)
		y, err := os.ReadFile(filepath.Join(b, rel))
		if err != nil || !bytes.Equal(x, y) {
			t.Errorf("%s differs between two runs with the same flags", rel)
		}
		files++
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if files != st.Files {
		t.Errorf("walked %d files, Generate reported %d", files, st.Files)
	}

	res, err := compiler.Check(compiler.Options{Root: a, SourceDateEpoch: gen.SourceDateEpoch})
	if err != nil {
		t.Fatal(err)
	}
	for _, d := range res.Diagnostics {
		t.Errorf("diagnostic in generated workspace: %s: %s", d.Pos, d.Message)
	}
	sats := 0
	for _, c := range res.Workspace.Components {
		sats += len(c.Satisfies)
	}
	if len(res.Workspace.Components) != 70 || sats != 6500 || len(res.Workspace.Certifications) != 12 || len(res.Workspace.Documents) != 30 {
		t.Errorf("loaded %d components, %d satisfactions, %d certifications, %d documents; want 70, 6500, 12, 30",
			len(res.Workspace.Components), sats, len(res.Workspace.Certifications), len(res.Workspace.Documents))
	}
	if c := res.Coverage.Certification("synthetic-nist-core"); c == nil || !c.Complete() || c.Total() != 60 {
		t.Errorf("gated certification synthetic-nist-core is not 60/60 satisfied: %+v", c)
	}
}

func TestRefusesNonEmptyDir(t *testing.T) {
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "keep.txt"), []byte("mine"), 0o644); err != nil {
		t.Fatal(err)
	}
	_, err := gen.Generate(gen.Options{Out: dir, Scale: 1, Repo: "../..", NIST: "unused"})
	if err == nil {
		t.Fatal("Generate wrote into a non-empty directory")
	}
	if got, _ := os.ReadFile(filepath.Join(dir, "keep.txt")); string(got) != "mine" {
		t.Errorf("keep.txt = %q after a refused run", got)
	}
}
