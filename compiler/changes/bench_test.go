package changes_test

import (
	"bufio"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/charter-compliance/charter/compiler/changes"
	"github.com/charter-compliance/charter/compiler/history"
	"github.com/charter-compliance/charter/compiler/history/gittest"
	"github.com/charter-compliance/charter/compiler/load"
)

// benchVersion names the generated repositories; change it when the
// generator changes so a stale one is not reused.
const benchVersion = "changes-bench-v1"

// genRepo makes (once, cached under the temporary directory) a repository
// from a git fast-import stream.
func genRepo(b *testing.B, name string, gen func(w *bufio.Writer)) string {
	return gittest.Imported(b, filepath.Join(os.TempDir(), "charter-"+benchVersion+"-"+name), gen)
}

// stream writes fast-import commands: blobs inline, a mark per commit.
type stream struct {
	w    *bufio.Writer
	mark int
	when int
}

func (s *stream) commit(ref, who, committer, msg, from string, merge ...string) int {
	s.mark++
	s.when += 60
	fmt.Fprintf(s.w, "commit %s\nmark :%d\nauthor %s %d +0000\ncommitter %s %d +0000\ndata %d\n%s\n", ref, s.mark, who, s.when, committer, s.when, len(msg), msg)
	if from != "" {
		fmt.Fprintf(s.w, "from %s\n", from)
	}
	for _, m := range merge {
		fmt.Fprintf(s.w, "merge %s\n", m)
	}
	return s.mark
}

func (s *stream) file(path, content string) {
	fmt.Fprintf(s.w, "M 100644 inline %s\ndata %d\n%s\n", path, len(content), content)
}

// note is one recorded pull request with one approving review.
func note(pr, commit int) string {
	return fmt.Sprintf(`{"version":1,"pr":%d,"title":"Change %d","author":"alice","merged_by":"bob","merge_commit":"%040d","head":"%040d","reviews":[{"user":"carol","state":"APPROVED","commit":"%040d","submitted_at":"2020-09-13T12:00:00Z"}]}`+"\n", pr, pr, commit, commit, commit)
}

// notes writes a commit of refs/notes/charter noting each mark.
func (s *stream) notes(marks map[int]int) {
	s.mark++
	fmt.Fprintf(s.w, "commit %s\nmark :%d\ncommitter CI <ci@example.com> %d +0000\ndata 6\nrecord\n", history.NotesRef, s.mark, s.when)
	for mark := 1; mark <= s.mark; mark++ {
		if pr, ok := marks[mark]; ok {
			n := note(pr, mark)
			fmt.Fprintf(s.w, "N inline :%d\ndata %d\n%s\n", mark, len(n), n)
		}
	}
}

const (
	benchFiles      = 1000
	benchCommits    = 10000
	benchComponents = 20
)

// genProgram is a compliance repository of 20 components holding 1,000
// files over 10,000 commits: every 25th change merges a three-commit pull
// request branch, every 40th renames a file, the rest are squash merges;
// every pull request has a recorded review.
func genProgram(w *bufio.Writer) {
	s := &stream{w: w, when: 1600000000}
	authors := []string{"Alice Adams <alice@example.com>", "Bob Brown <bob@example.com>", "Carol Chen <carol@example.com>"}
	gh := "GitHub <noreply@github.com>"
	names := make([]string, benchFiles)
	version := make([]int, benchFiles)
	for i := range names {
		names[i] = fmt.Sprintf("components/c%02d/file%03d.yaml", i%benchComponents, i)
	}
	seed := uint32(1)
	rnd := func(n int) int {
		seed = seed*1664525 + 1013904223
		return int(seed>>8) % n
	}
	modify := func(i int) {
		version[i]++
		s.file(names[i], fmt.Sprintf("key: f%d\nversion: %d\n", i, version[i]))
	}
	var oc strings.Builder
	oc.WriteString("schema_version: 1.0.0\nname: bench\ncomponents:\n")
	tip := s.commit("refs/heads/main", authors[0], authors[0], "Initial import", "")
	for c := range benchComponents {
		fmt.Fprintf(&oc, "  - ./components/c%02d\n", c)
		s.file(fmt.Sprintf("components/c%02d/component.yaml", c), fmt.Sprintf("name: C%02d\nkey: c%02d\nschema_version: 3.1.0\nsatisfies: []\n", c, c))
	}
	s.file("opencontrol.yaml", oc.String())
	s.file("charter.yaml", "change_management:\n  require_pull_request: true\n  min_approvals: 1\n  require_recorded_reviews: true\n")
	for i := range names {
		modify(i)
	}
	recorded := map[int]int{}
	commits, pr := 1, 0
	for commits < benchCommits {
		switch {
		case commits%25 == 0 && commits+4 <= benchCommits:
			pr++
			prev := fmt.Sprintf(":%d", tip)
			var touched []int
			for k := range 3 {
				m := s.commit("refs/heads/pr", authors[(pr+k)%3], authors[(pr+k)%3], fmt.Sprintf("Work on change %d, part %d", pr, k+1), prev)
				i := rnd(benchFiles)
				touched = append(touched, i)
				modify(i)
				prev = fmt.Sprintf(":%d", m)
			}
			tip = s.commit("refs/heads/main", authors[pr%3], gh, fmt.Sprintf("Merge pull request #%d from acme/change-%d\n\nChange %d", pr, pr, pr), fmt.Sprintf(":%d", tip), prev)
			for _, i := range touched {
				s.file(names[i], fmt.Sprintf("key: f%d\nversion: %d\n", i, version[i]))
			}
			recorded[tip] = pr
			commits += 4
		case commits%40 == 1:
			i := rnd(benchFiles)
			old := names[i]
			names[i] = fmt.Sprintf("components/c%02d/renamed%d.yaml", i%benchComponents, commits)
			tip = s.commit("refs/heads/main", authors[commits%3], authors[commits%3], "Rename "+old, fmt.Sprintf(":%d", tip))
			fmt.Fprintf(w, "R %s %s\n", old, names[i])
			commits++
		default:
			pr++
			tip = s.commit("refs/heads/main", authors[pr%3], gh, fmt.Sprintf("Update controls (#%d)", pr), fmt.Sprintf(":%d", tip))
			for range 1 + rnd(3) {
				modify(rnd(benchFiles))
			}
			recorded[tip] = pr
			commits++
		}
	}
	s.notes(recorded)
}

// BenchmarkChanges is `charter changes --format json` over 10,000 commits
// touching 1,000 files: the workspace loaded, history read, the
// population built and judged, and JSON written.
func BenchmarkChanges(b *testing.B) {
	dir := genRepo(b, "program", genProgram)
	var pop *changes.Population
	for b.Loop() {
		ws, _, err := load.Load(load.Options{Root: dir})
		if err != nil {
			b.Fatal(err)
		}
		if pop, _, err = changes.Collect(ws, changes.Period{}); err != nil {
			b.Fatal(err)
		}
		if err := changes.WriteJSON(io.Discard, pop); err != nil {
			b.Fatal(err)
		}
	}
	recorded := 0
	for _, c := range pop.Changes {
		if c.Recorded {
			recorded++
		}
	}
	if pop.Total < 8000 || recorded < 5000 {
		b.Fatalf("population %d, %d recorded", pop.Total, recorded)
	}
	b.ReportMetric(float64(pop.Total), "changes")
	b.ReportMetric(float64(recorded), "recorded")
	b.ReportMetric(float64(pop.Violations), "violations")
}

// genReviews is 5,000 squash-merged pull requests, each with one recorded
// review, on one file.
func genReviews(w *bufio.Writer) {
	s := &stream{w: w, when: 1600000000}
	recorded := map[int]int{}
	tip := ""
	for pr := 1; pr <= 5000; pr++ {
		m := s.commit("refs/heads/main", "Alice Adams <alice@example.com>", "GitHub <noreply@github.com>", fmt.Sprintf("Change %d (#%d)", pr, pr), tip)
		s.file("notes.txt", fmt.Sprintf("%d\n", pr))
		recorded[m] = pr
		tip = fmt.Sprintf(":%d", m)
	}
	s.notes(recorded)
}

// BenchmarkRecordedReviews reads 5,000 recorded reviews: the notes read
// from git, and the ledger parsed from them.
func BenchmarkRecordedReviews(b *testing.B) {
	dir := genRepo(b, "reviews", genReviews)
	var l *changes.Ledger
	for b.Loop() {
		var err error
		if l, err = changes.ReadLedger(dir); err != nil {
			b.Fatal(err)
		}
	}
	if l.Len() != 5000 || len(l.Problems) != 0 {
		b.Fatalf("%d records, problems %q", l.Len(), l.Problems)
	}
	b.ReportMetric(float64(l.Len()), "reviews")
}
