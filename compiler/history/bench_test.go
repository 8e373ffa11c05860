package history_test

import (
	"bufio"
	"fmt"
	"os"
	"path/filepath"
	"testing"

	"github.com/charter-compliance/charter/compiler/history"
	"github.com/charter-compliance/charter/compiler/history/gittest"
)

// benchRepoVersion names the generated repository; change it when the
// generator changes so a stale cache is not reused.
const benchRepoVersion = "history-bench-v1"

const (
	benchFiles   = 1000
	benchCommits = 10000
)

// benchRepo returns a repository of 1,000 files and 10,000 commits, made
// with git fast-import and cached under the system's temporary directory.
// Every 25th commit on main merges a three-commit pull request branch; every
// 40th renames a file; squash-style subjects name pull requests too.
func benchRepo(b *testing.B) string {
	return gittest.Imported(b, filepath.Join(os.TempDir(), "charter-"+benchRepoVersion), genStream)
}

func genStream(w *bufio.Writer) {
	names := make([]string, benchFiles)
	for i := range names {
		names[i] = fmt.Sprintf("components/c%02d/file%03d.yaml", i/50, i%50)
	}
	version := make([]int, benchFiles)
	seed := uint32(1)
	rnd := func(n int) int {
		seed = seed*1664525 + 1013904223
		return int(seed>>8) % n
	}
	authors := []string{"Alice Adams <alice@example.com>", "Bob Brown <bob@example.com>", "Carol Chen <carol@example.com>"}
	when := 1600000000
	mark := 0
	content := func(i int) string {
		return fmt.Sprintf("key: f%d\nversion: %d\nnarrative: >-\n  File %d, revision %d, says what the control does.\n", i, version[i], i, version[i])
	}
	modify := func(i int) {
		version[i]++
		c := content(i)
		fmt.Fprintf(w, "M 100644 inline %s\ndata %d\n%s\n", names[i], len(c), c)
	}
	header := func(ref, msg string) int {
		mark++
		when += 60
		who := authors[mark%len(authors)]
		fmt.Fprintf(w, "commit %s\nmark :%d\nauthor %s %d +0000\ncommitter %s %d +0000\ndata %d\n%s\n", ref, mark, who, when, who, when, len(msg), msg)
		return mark
	}
	commits := 0
	// the first commit adds every file
	header("refs/heads/main", "Initial import")
	for i := range names {
		modify(i)
	}
	commits++
	mainTip := mark
	pr := 0
	for commits < benchCommits {
		switch {
		case commits%25 == 0 && commits+4 <= benchCommits:
			pr++
			var touched []int
			prev := mainTip
			for k := range 3 {
				header("refs/heads/pr", fmt.Sprintf("Work on change %d, part %d", pr, k+1))
				fmt.Fprintf(w, "from :%d\n", prev)
				i := rnd(benchFiles)
				touched = append(touched, i)
				modify(i)
				prev = mark
			}
			header("refs/heads/main", fmt.Sprintf("Merge pull request #%d from acme/change-%d\n\nChange %d", pr, pr, pr))
			fmt.Fprintf(w, "from :%d\nmerge :%d\n", mainTip, prev)
			for _, i := range touched {
				c := content(i)
				fmt.Fprintf(w, "M 100644 inline %s\ndata %d\n%s\n", names[i], len(c), c)
			}
			mainTip = mark
			commits += 4
		case commits%40 == 1:
			i := rnd(benchFiles)
			old := names[i]
			names[i] = fmt.Sprintf("components/c%02d/renamed%d.yaml", i/50, commits)
			header("refs/heads/main", fmt.Sprintf("Rename %s", old))
			fmt.Fprintf(w, "from :%d\nR %s %s\n", mainTip, old, names[i])
			mainTip = mark
			commits++
		default:
			pr++
			header("refs/heads/main", fmt.Sprintf("Update controls (#%d)", pr))
			fmt.Fprintf(w, "from :%d\n", mainTip)
			for range 1 + rnd(3) {
				modify(rnd(benchFiles))
			}
			mainTip = mark
			commits++
		}
	}
}

// BenchmarkCollect reads the history of 1,000 files over 10,000 commits.
func BenchmarkCollect(b *testing.B) {
	dir := benchRepo(b)
	var h *history.History
	for b.Loop() {
		var err error
		h, err = history.Collect(dir, history.CollectOptions{RepoURL: "https://github.com/acme/compliance"})
		if err != nil {
			b.Fatal(err)
		}
	}
	if !h.Available {
		b.Fatal(h.Reason)
	}
	revs := 0
	for _, r := range h.Files {
		revs += len(r)
	}
	b.ReportMetric(float64(len(h.Files)), "files")
	b.ReportMetric(float64(revs), "revisions")
}
