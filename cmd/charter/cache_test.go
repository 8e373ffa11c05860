package main

import (
	"os"
	"path/filepath"
	"testing"
)

// The decode cache never changes what charter says: the same JSON report
// without a cache, with an empty cache, with a full one, and with a cache
// whose entries are corrupt.
func TestDecodeCacheGivesIdenticalOutput(t *testing.T) {
	repos := []struct {
		name string
		args []string
	}{
		{"reference program", []string{"check", "--format", "json", "-C", "../.."}},
		{"bad input", []string{"check", "--format", "json", "-C", "../../testdata/bad/unknown-key-didyoumean"}},
		{"real data", []string{"check", "--format", "json", "--standard", "../../../shared/corpus/standards/nist-800-53-latest.yaml", "-C", "../../../shared/corpus/docker-compliance/examples/opencontrol/DockerEE-Moderate-ATO"}},
	}
	for _, r := range repos {
		t.Run(r.name, func(t *testing.T) {
			if _, err := os.Stat(r.args[len(r.args)-1]); err != nil {
				if r.name == "real data" {
					t.Skipf("the OpenControl corpus (../shared/corpus) is not available: %v", err)
				}
				t.Fatalf("fixture missing: %v", err)
			}
			cache := t.TempDir()
			t.Setenv("CHARTER_CACHE", "off")
			codeOff, want, _ := runCheck(t, r.args...)
			t.Setenv("CHARTER_CACHE", "")
			t.Setenv("CHARTER_CACHE_DIR", cache)
			for _, phase := range []string{"cold", "warm"} {
				code, got, _ := runCheck(t, r.args...)
				if code != codeOff || got != want {
					t.Fatalf("%s cache: exit %d, output differs from the uncached run (exit %d):\n%s\nwant\n%s", phase, code, codeOff, got, want)
				}
			}
			entries, _ := filepath.Glob(filepath.Join(cache, "*", "*", "*"))
			if len(entries) == 0 {
				t.Fatal("the cache holds no entries after two runs")
			}
			for _, e := range entries {
				if err := os.WriteFile(e, []byte("not gob"), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			if code, got, _ := runCheck(t, r.args...); code != codeOff || got != want {
				t.Fatalf("corrupt cache: output differs:\n%s", got)
			}
		})
	}
}
