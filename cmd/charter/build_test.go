package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func charterBuild(t *testing.T, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	var out, errb bytes.Buffer
	code = run(append([]string{"--color", "never"}, args...), &out, &errb)
	return code, out.String(), errb.String()
}

// referenceCopy copies the reference program at the repository root, so a
// test can break it or build into it.
func referenceCopy(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	for _, name := range []string{"opencontrol.yaml", "charter.yaml", "standards", "certifications", "components", "templates"} {
		err := filepath.WalkDir(filepath.Join("../..", name), func(p string, d os.DirEntry, err error) error {
			if err != nil {
				return err
			}
			rel, _ := filepath.Rel("../..", p)
			if d.IsDir() {
				return os.MkdirAll(filepath.Join(dir, rel), 0o755)
			}
			b, err := os.ReadFile(p)
			if err != nil {
				return err
			}
			return os.WriteFile(filepath.Join(dir, rel), b, 0o644)
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

func TestBuildReference(t *testing.T) {
	t.Setenv("SOURCE_DATE_EPOCH", "1795564800")
	out := filepath.Join(t.TempDir(), "site")
	code, stdout, stderr := charterBuild(t, "-C", "../..", "build", "--out", out)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	// 122 pages, the assets, the marker (with filter.js) and charter.yaml, the evidence file of github's change-management-test
	if want := "wrote 122 pages (129 files) to " + out + "; 0 errors, 2 warnings; judged as of 2026-11-25 (SOURCE_DATE_EPOCH)\n"; stdout != want {
		t.Errorf("stdout = %q, want %q", stdout, want)
	}
	if _, err := os.Stat(filepath.Join(out, "standards/TSC/CC6.1.html")); err != nil {
		t.Errorf("criterion page not written: %v", err)
	}
	// building again replaces charter's own site
	if code, _, stderr := charterBuild(t, "-C", "../..", "build", "--out", out); code != 0 {
		t.Errorf("second build: exit %d: %s", code, stderr)
	}
}

func TestBuildDefaultOut(t *testing.T) {
	t.Setenv("SOURCE_DATE_EPOCH", "1795564800")
	repo := referenceCopy(t)
	if code, _, stderr := charterBuild(t, "-C", repo, "build"); code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	if _, err := os.Stat(filepath.Join(repo, "site", "index.html")); err != nil {
		t.Errorf("default output is not site/ in the repository: %v", err)
	}
}

func TestBuildRefusesErrors(t *testing.T) {
	t.Setenv("SOURCE_DATE_EPOCH", "1795564800")
	repo := referenceCopy(t)
	file := filepath.Join(repo, "components/analytics-platform/component.yaml")
	b, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(file, bytes.Replace(b, []byte("control_key: PI1.2"), []byte("control_key: PI1.99"), 1), 0o644); err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(t.TempDir(), "site")
	code, stdout, stderr := charterBuild(t, "-C", repo, "build", "--out", out)
	if code != 1 {
		t.Fatalf("exit %d, want 1", code)
	}
	for _, want := range []string{
		`components/analytics-platform/component.yaml:58:18: error[OC202]: satisfaction names control "PI1.99", which standard TSC does not have`,
		"charter: build refused: 1 error, 2 warnings; nothing was written. Fix the errors, or pass --allow-errors to build a site that lists them.\n",
	} {
		if !strings.Contains(stderr, want) {
			t.Errorf("stderr lacks %q:\n%s", want, stderr)
		}
	}
	if stdout != "" {
		t.Errorf("stdout = %q", stdout)
	}
	if _, err := os.Stat(out); err == nil {
		t.Errorf("a refused build wrote %s", out)
	}

	code, stdout, _ = charterBuild(t, "-C", repo, "build", "--out", out, "--allow-errors")
	if code != 0 {
		t.Fatalf("--allow-errors: exit %d", code)
	}
	if !strings.Contains(stdout, "; 1 error, 2 warnings;") {
		t.Errorf("stdout = %q", stdout)
	}
	problems, err := os.ReadFile(filepath.Join(out, "problems.html"))
	if err != nil || !strings.Contains(string(problems), "OC202") {
		t.Errorf("problems page missing or without the error (%v)", err)
	}
}

// An --out that charter did not write is a usage error: exit 2, as the
// README's table says, and nothing in it is touched.
func TestBuildRefusesForeignDirectory(t *testing.T) {
	t.Setenv("SOURCE_DATE_EPOCH", "1795564800")
	out := t.TempDir()
	if err := os.WriteFile(filepath.Join(out, "thesis.tex"), []byte("years of work"), 0o644); err != nil {
		t.Fatal(err)
	}
	code, stdout, stderr := charterBuild(t, "-C", "../..", "build", "--out", out)
	if code != 2 {
		t.Fatalf("exit %d, want 2 (%s)", code, stderr)
	}
	if !strings.Contains(stderr, "charter: refusing to replace "+out+": the directory is not empty and has no .charter-site marker") || stdout != "" {
		t.Errorf("stderr = %q, stdout = %q", stderr, stdout)
	}
	if b, err := os.ReadFile(filepath.Join(out, "thesis.tex")); err != nil || string(b) != "years of work" {
		t.Errorf("the foreign directory was touched")
	}
}
