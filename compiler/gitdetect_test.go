package compiler

import (
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/charter-compliance/charter/compiler/history"
	"github.com/charter-compliance/charter/compiler/history/gittest"
)

// Outside git, with no SOURCE_DATE_EPOCH, the judging day comes from the
// documents, exactly as when git ran and failed.
func TestCheckOutsideGitDate(t *testing.T) {
	dir := t.TempDir()
	if !gittest.NoRepo(t, dir) {
		t.Skipf("the temporary directory %s is inside a git repository", dir)
	}
	files := map[string]string{
		"opencontrol.yaml": "schema_version: \"1.0.0\"\nname: r\nstandards: [./s.yaml]\n",
		"s.yaml":           "name: S\nX-1:\n  name: One\n",
		"templates/p.md":   "---\nid: POL-1\ntitle: P\nkind: policy\nowner: CTO\napprovers: [CEO]\nstatus: approved\neffective: 2023-01-01\nlast_reviewed: 2024-03-05\nreview_cycle: annual\nsatisfies:\n  S: [X-1]\n---\nText.\n",
	}
	for name, text := range files {
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	res, err := Check(Options{Root: dir})
	if err != nil {
		t.Fatal(err)
	}
	if want := time.Date(2024, 3, 5, 0, 0, 0, 0, time.UTC); !res.AsOf.Equal(want) || res.AsOfSource != history.DateFromDocuments {
		t.Errorf("judged as of %s (%s), want %s (%s)", res.AsOf, res.AsOfSource, want, history.DateFromDocuments)
	}
}
