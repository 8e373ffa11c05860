package compiler

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/charter-compliance/charter/compiler/history"
	"github.com/charter-compliance/charter/compiler/history/gittest"
)

// Outside git, with no --today and no SOURCE_DATE_EPOCH, the judging day
// is today's date (UTC), and says so: never a date a document states (this
// one's last_reviewed is in 2099); --today sets it.
func TestCheckOutsideGitDate(t *testing.T) {
	dir := t.TempDir()
	if !gittest.NoRepo(t, dir) {
		t.Skipf("the temporary directory %s is inside a git repository", dir)
	}
	files := map[string]string{
		"opencontrol.yaml": "schema_version: \"1.0.0\"\nname: r\nstandards: [./s.yaml]\n",
		"s.yaml":           "name: S\nX-1:\n  name: One\n",
		"templates/p.md":   "---\nid: POL-1\ntitle: P\nkind: policy\nowner: CTO\napprovers: [CEO]\nstatus: approved\neffective: 2023-01-01\nlast_reviewed: 2099-03-05\nreview_cycle: annual\nsatisfies:\n  S: [X-1]\n---\nText.\n",
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
	before := clockDay()
	res, err := Check(Options{Root: dir})
	if err != nil {
		t.Fatal(err)
	}
	if after := clockDay(); (!res.AsOf.Equal(before) && !res.AsOf.Equal(after)) || res.AsOfSource != history.DateFromClock {
		t.Errorf("judged as of %s (%s), want today %s (%s)", res.AsOf, res.AsOfSource, before, history.DateFromClock)
	}
	res, err = Check(Options{Root: dir, Today: "2024-03-05", SourceDateEpoch: "1"})
	if err != nil {
		t.Fatal(err)
	}
	if want := time.Date(2024, 3, 5, 0, 0, 0, 0, time.UTC); !res.AsOf.Equal(want) || res.AsOfSource != history.DateFromFlag {
		t.Errorf("with --today: judged as of %s (%s), want %s (%s)", res.AsOf, res.AsOfSource, want, history.DateFromFlag)
	}
	if _, err := Check(Options{Root: dir, Today: "2024-3-5"}); err == nil || !strings.Contains(err.Error(), "YYYY-MM-DD") {
		t.Errorf("a malformed --today: %v", err)
	}
}
