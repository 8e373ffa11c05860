package versions

import (
	"strings"
	"testing"
	"time"

	"github.com/charter-compliance/charter/compiler/history"
)

func tag(name, hash string, day int) history.Tag {
	return history.Tag{Name: name, Commit: history.Commit{Hash: hash, Date: time.Date(2025, 1, day, 0, 0, 0, 0, time.UTC)}}
}

func dirs(t *testing.T, h *history.History, tags []history.Tag, override bool) string {
	t.Helper()
	vs, err := Plan(h, tags, override)
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, v := range vs {
		out = append(out, v.Name+"="+v.Dir)
	}
	return strings.Join(out, " ")
}

// The current tree comes first; a clean tree at a matching tag is that
// tag's version, built once, unless --version names it; a dirty tree gets
// a directory of its own; old versions follow newest first.
func TestPlan(t *testing.T) {
	tags := []history.Tag{tag("v1.0", "aaa", 1), tag("v1.1", "bbb", 2)}
	clean := &history.History{Label: history.Label{Version: "bbb1234", Commit: "bbb"}}
	if got, want := dirs(t, clean, tags, false), "v1.1=v1.1 v1.0=v1.0"; got != want {
		t.Errorf("clean at a tag: %s, want %s", got, want)
	}
	if got, want := dirs(t, clean, tags, true), "bbb1234=bbb1234 v1.1=v1.1 v1.0=v1.0"; got != want {
		t.Errorf("with --version: %s, want %s", got, want)
	}
	dirty := &history.History{Label: history.Label{Version: "v1.1", Commit: "bbb", Dirty: true}}
	if got, want := dirs(t, dirty, tags, false), "v1.1=v1.1-dirty v1.1=v1.1 v1.0=v1.0"; got != want {
		t.Errorf("dirty at a tag: %s, want %s", got, want)
	}
}

// A tag whose directory is the place of something else is refused with a
// message naming both.
func TestPlanClash(t *testing.T) {
	h := &history.History{Label: history.Label{Version: "ccc", Commit: "ccc"}}
	for _, name := range []string{Latest, "index.html"} {
		_, err := Plan(h, []history.Tag{tag(name, "aaa", 1)}, false)
		if err == nil || !strings.Contains(err.Error(), name+"/") || !strings.Contains(err.Error(), "rename the tag") {
			t.Errorf("tag %q: err = %v", name, err)
		}
	}
}
