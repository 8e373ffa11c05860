package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/charter-compliance/charter/compiler/history/gittest"
)

// build --as-of builds the tree of the last first-parent commit on or
// before the day, judged as of that day, without touching the working tree.
func TestBuildAsOf(t *testing.T) {
	p := gittest.NewProgram(t)
	out := filepath.Join(t.TempDir(), "site")
	// the merge of #12 (2024-02-15) is the last commit on or before
	// 2024-02-20; the squash of #34 came on 2024-03-01
	code, stdout, stderr := charterBuild(t, "-C", p.Dir, "build", "--as-of", "2024-02-20", "--out", out)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	source := "--as-of: the tree of commit " + p.Merge[:10] + " of 2024-02-15"
	if !strings.Contains(stdout, "judged as of 2024-02-20 ("+source+")") {
		t.Errorf("stdout does not name the day and the commit: %q", stdout)
	}
	read := func(name string) string {
		t.Helper()
		b, err := os.ReadFile(filepath.Join(out, name))
		if err != nil {
			t.Fatal(err)
		}
		return string(b)
	}
	home := read("index.html")
	for _, want := range []string{"version v1.0.0", "judged as of 2024-02-20 (" + source + ")"} {
		if !strings.Contains(home, want) {
			t.Errorf("dashboard lacks %q", want)
		}
	}
	// the state of v1.0.0: the vpn component, CC6.1 partial, no GitHub
	if _, err := os.Stat(filepath.Join(out, "components/vpn.html")); err != nil {
		t.Errorf("the vpn component of that day has no page: %v", err)
	}
	if _, err := os.Stat(filepath.Join(out, "components/github.html")); err == nil {
		t.Errorf("the github component, added later, has a page")
	}
	if cc61 := read("standards/TSC/CC6.1.html"); !strings.Contains(cc61, `Verdict: <span class="status st-partial">partial</span>`) {
		t.Errorf("CC6.1 is not judged as it stood that day")
	}
	// history up to that commit only: the squash is not on the pages
	if strings.Contains(read("components/okta.html"), "Tighten access reviews") {
		t.Errorf("a later change is in the history of the page")
	}
	// the working tree is as it was
	if st := p.Git("status", "--porcelain"); st != "" {
		t.Errorf("the working tree changed: %q", st)
	}

	for _, tc := range []struct{ args, msg string }{
		{"--as-of 2023-12-31", "--as-of 2023-12-31: no commit of HEAD's first-parent chain is on or before that day"},
		{"--as-of 2024-13-01", `--as-of "2024-13-01" is not a date`},
		{"--as-of 2024-02-20 --since v1.0.0", "cannot be combined with --versions or --since"},
		{"--as-of 2024-02-20 --today 2024-02-21", "leave out --today"},
	} {
		code, _, stderr := charterBuild(t, append([]string{"-C", p.Dir, "build", "--out", out}, strings.Fields(tc.args)...)...)
		if code != 2 || !strings.Contains(stderr, tc.msg) {
			t.Errorf("%s: exit %d, stderr %q, want 2 and %q", tc.args, code, stderr, tc.msg)
		}
	}
}
