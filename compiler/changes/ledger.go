package changes

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"os"
	"regexp"
	"slices"
	"strings"
	"time"

	"github.com/charter-compliance/charter/compiler/history"
)

// The review ledger is kept in git notes under history.NotesRef: one note
// per merged commit, each line of it one JSON Record. Notes live beside the
// branch, not on it, so recording never adds a commit to the population it
// documents; `charter record` only ever appends a line. See docs/changes.md.

// recordVersion is the version of the Record format.
const recordVersion = 1

// Record is the review evidence of one merged pull request, captured from
// the CI's pull_request event at merge time.
type Record struct {
	Version     int        `json:"version"`
	PR          int        `json:"pr"`
	Title       string     `json:"title"`
	Author      string     `json:"author"`    // the pull request's author (login)
	MergedBy    string     `json:"merged_by"` // who merged it (login)
	MergeCommit string     `json:"merge_commit"`
	Head        string     `json:"head"` // the pull request's final head commit
	MergedAt    *time.Time `json:"merged_at,omitempty"`
	Reviews     []Review   `json:"reviews"`
}

// Review is one review of a pull request as the hosting API returned it.
type Review struct {
	User        string    `json:"user"`
	State       string    `json:"state"` // APPROVED, CHANGES_REQUESTED, COMMENTED, DISMISSED
	Commit      string    `json:"commit"`
	SubmittedAt time.Time `json:"submitted_at"`
}

// Ledger holds the records of every commit that has one, by full commit
// hash; several records of one commit (a later run added reviews) are
// merged.
type Ledger struct {
	byCommit map[string]*Record
	problems map[string]string // commit -> why its note could not be read
	// Problems are notes that could not be read, one line each, by commit.
	Problems []string
}

// ReadLedger reads the review ledger of the git repository holding root:
// every note under history.NotesRef, read with two git processes whatever
// their number (history.Notes) and without walking history.
func ReadLedger(root string) (*Ledger, error) {
	l := &Ledger{byCommit: map[string]*Record{}, problems: map[string]string{}}
	err := history.Notes(root, func(commit string, note []byte) {
		recs, err := parseNote(bytes.TrimSpace(note))
		if err != nil {
			l.problems[commit] = fmt.Sprintf("note on commit %s: %v", commit, err)
		}
		if r := merge(recs); r != nil {
			l.byCommit[commit] = r
		}
	})
	if err != nil {
		return nil, err
	}
	for _, c := range slices.Sorted(maps.Keys(l.problems)) {
		l.Problems = append(l.Problems, l.problems[c])
	}
	return l, nil
}

// ProblemsOf are the problems of the notes of the given commits, in their
// order.
func (l *Ledger) ProblemsOf(commits []history.Change) []string {
	if l == nil || len(l.problems) == 0 {
		return nil
	}
	var out []string
	for _, c := range commits {
		if p, ok := l.problems[c.Commit]; ok {
			out = append(out, p)
		}
	}
	return out
}

// Lookup returns the record of a commit, or nil.
func (l *Ledger) Lookup(commit string) *Record {
	if l == nil {
		return nil
	}
	return l.byCommit[commit]
}

// Len is the number of commits with a record.
func (l *Ledger) Len() int {
	if l == nil {
		return 0
	}
	return len(l.byCommit)
}

// parseNote reads the JSON lines of one note; blank lines (git notes append
// separates with them) are skipped.
func parseNote(note []byte) ([]Record, error) {
	var recs []Record
	var errs []error
	i := 0
	for rest := note; len(rest) > 0; i++ {
		var line []byte
		line, rest, _ = bytes.Cut(rest, []byte{'\n'})
		if line = bytes.TrimSpace(line); len(line) == 0 {
			continue
		}
		var r Record
		if err := json.Unmarshal(line, &r); err != nil {
			errs = append(errs, fmt.Errorf("line %d: %v", i+1, err))
			continue
		}
		if r.Version != recordVersion {
			errs = append(errs, fmt.Errorf("line %d: record version %d, charter reads version %d", i+1, r.Version, recordVersion))
			continue
		}
		recs = append(recs, r)
	}
	return recs, errors.Join(errs...)
}

// merge folds the records of one commit into one: the latest record's
// fields, and every distinct review of all of them, by submission time.
// (A pull request has few reviews: a linear search finds repeats.)
func merge(recs []Record) *Record {
	if len(recs) == 0 {
		return nil
	}
	out := recs[len(recs)-1]
	out.Reviews = nil
	for _, r := range recs {
		for _, rv := range r.Reviews {
			if !slices.Contains(out.Reviews, rv) {
				out.Reviews = append(out.Reviews, rv)
			}
		}
	}
	slices.SortStableFunc(out.Reviews, func(a, b Review) int { return a.SubmittedAt.Compare(b.SubmittedAt) })
	return &out
}

// event is the part of GitHub's pull_request webhook payload a record
// needs.
type event struct {
	PullRequest *struct {
		Number         int        `json:"number"`
		Title          string     `json:"title"`
		Merged         bool       `json:"merged"`
		MergeCommitSHA string     `json:"merge_commit_sha"`
		MergedAt       *time.Time `json:"merged_at"`
		Head           struct {
			SHA string `json:"sha"`
		} `json:"head"`
		User     login  `json:"user"`
		MergedBy *login `json:"merged_by"`
	} `json:"pull_request"`
}

type login struct {
	Login string `json:"login"`
}

// apiReview is one element of GitHub's "list reviews" response.
type apiReview struct {
	User        *login    `json:"user"`
	State       string    `json:"state"`
	CommitID    string    `json:"commit_id"`
	SubmittedAt time.Time `json:"submitted_at"`
}

var hexHash = regexp.MustCompile(`^[0-9a-f]{40}([0-9a-f]{24})?$`)

// ReadRecord builds a record from the event file and, when reviewsFile is
// not "", the reviews file. Malformed input is an error naming the file
// and, for JSON syntax, the line and column.
func ReadRecord(eventFile, reviewsFile string) (*Record, error) {
	var ev event
	if err := decodeFile(eventFile, &ev); err != nil {
		return nil, err
	}
	pr := ev.PullRequest
	if pr == nil {
		return nil, fmt.Errorf("%s: no \"pull_request\" object: give the payload of a pull_request event (GITHUB_EVENT_PATH on a pull_request or pull_request_target workflow)", eventFile)
	}
	switch {
	case pr.Number <= 0:
		return nil, fmt.Errorf("%s: pull_request.number is missing", eventFile)
	case !pr.Merged:
		return nil, fmt.Errorf("%s: pull request #%d is not merged: record runs when a pull request is closed by merging (if: github.event.pull_request.merged)", eventFile, pr.Number)
	case !hexHash.MatchString(pr.MergeCommitSHA):
		return nil, fmt.Errorf("%s: pull_request.merge_commit_sha %q is not a full commit hash", eventFile, pr.MergeCommitSHA)
	case !hexHash.MatchString(pr.Head.SHA):
		return nil, fmt.Errorf("%s: pull_request.head.sha %q is not a full commit hash", eventFile, pr.Head.SHA)
	case pr.User.Login == "":
		return nil, fmt.Errorf("%s: pull_request.user.login is missing", eventFile)
	}
	r := &Record{Version: recordVersion, PR: pr.Number, Title: pr.Title, Author: pr.User.Login,
		MergeCommit: pr.MergeCommitSHA, Head: pr.Head.SHA, Reviews: []Review{}}
	if pr.MergedBy != nil {
		r.MergedBy = pr.MergedBy.Login
	}
	if pr.MergedAt != nil {
		t := pr.MergedAt.UTC()
		r.MergedAt = &t
	}
	if reviewsFile != "" {
		var rs []apiReview
		if err := decodeFile(reviewsFile, &rs); err != nil {
			return nil, err
		}
		for i, rv := range rs {
			if rv.User == nil || rv.User.Login == "" {
				return nil, fmt.Errorf("%s: review %d has no user.login", reviewsFile, i+1)
			}
			if rv.State == "PENDING" { // not submitted: not a review yet
				continue
			}
			if !hexHash.MatchString(rv.CommitID) {
				return nil, fmt.Errorf("%s: review %d (by %s) has commit_id %q, not a full commit hash", reviewsFile, i+1, rv.User.Login, rv.CommitID)
			}
			if rv.SubmittedAt.IsZero() {
				return nil, fmt.Errorf("%s: review %d (by %s) has no submitted_at", reviewsFile, i+1, rv.User.Login)
			}
			r.Reviews = append(r.Reviews, Review{User: rv.User.Login, State: rv.State, Commit: rv.CommitID, SubmittedAt: rv.SubmittedAt.UTC()})
		}
	}
	return r, nil
}

// decodeFile reads one JSON file into v; errors name file:line:col.
func decodeFile(name string, v any) error {
	data, err := os.ReadFile(name)
	if err != nil {
		return err
	}
	if err := json.Unmarshal(data, v); err != nil {
		var syn *json.SyntaxError
		var typ *json.UnmarshalTypeError
		switch {
		case errors.As(err, &syn):
			line, col := lineCol(data, syn.Offset)
			return fmt.Errorf("%s:%d:%d: invalid JSON: %v", name, line, col, syn)
		case errors.As(err, &typ):
			line, col := lineCol(data, typ.Offset)
			return fmt.Errorf("%s:%d:%d: %s must be %s, found a JSON %s", name, line, col, typ.Field, typ.Type, typ.Value)
		}
		return fmt.Errorf("%s: %v", name, err)
	}
	return nil
}

// lineCol turns the offset encoding/json reports (just after the byte at
// fault) into the 1-based line and column of that byte.
func lineCol(data []byte, off int64) (int, int) {
	off = min(max(off-1, 0), int64(len(data)))
	before := data[:off]
	line := bytes.Count(before, []byte("\n")) + 1
	return line, int(off) - (bytes.LastIndexByte(before, '\n') + 1) + 1
}

// ErrAlreadyRecorded is returned by Append when the very record is there.
var ErrAlreadyRecorded = errors.New("already recorded")

// Append checks the record against the repository at root and adds it to
// the commit's note under history.NotesRef. It never rewrites: a note is
// only ever appended to. A record is refused when its merge commit does not
// exist, when the head it names is not what the merge commit merged (the
// second parent of a merge commit; for a squash or rebase merge, a head
// whose merge onto the commit's parent gives the commit's tree), or when
// the commit already carries a record of another pull request.
func Append(root string, r *Record) error {
	if err := verify(root, r); err != nil {
		return err
	}
	line, err := json.Marshal(r)
	if err != nil {
		return err
	}
	if old, err := history.Git(root, "notes", "--ref="+history.NotesRef, "show", r.MergeCommit); err == nil {
		recs, _ := parseNote(old)
		for _, o := range recs {
			if o.PR != r.PR {
				return fmt.Errorf("commit %s already holds the record of pull request #%d; refusing to add one of #%d", r.MergeCommit, o.PR, r.PR)
			}
			if b, _ := json.Marshal(o); bytes.Equal(b, line) {
				return ErrAlreadyRecorded
			}
		}
	}
	_, err = history.GitInput(root, bytes.NewReader(append(line, '\n')), "notes", "--ref="+history.NotesRef, "append", "-F", "-", r.MergeCommit)
	return err
}

// verify checks that the record describes a commit of the repository.
func verify(root string, r *Record) error {
	out, err := history.Git(root, "rev-list", "--no-walk", "--parents", r.MergeCommit+"^{commit}", "--")
	if err != nil {
		return fmt.Errorf("pull request #%d: merge commit %s is not in the repository at %s: fetch it (actions/checkout with fetch-depth: 0) or check merge_commit_sha", r.PR, r.MergeCommit, root)
	}
	fields := strings.Fields(string(out))
	if len(fields) == 0 || fields[0] != r.MergeCommit {
		return fmt.Errorf("pull request #%d: %s does not name a commit", r.PR, r.MergeCommit)
	}
	parents := fields[1:]
	switch {
	case len(parents) >= 2:
		if parents[1] != r.Head {
			return fmt.Errorf("pull request #%d: merge commit %s merged %s, not the pull request's head %s; the record does not match the commit it claims", r.PR, short(r.MergeCommit), short(parents[1]), short(r.Head))
		}
	case len(parents) == 1:
		if _, err := history.Git(root, "cat-file", "-e", r.Head+"^{commit}"); err != nil {
			return fmt.Errorf("pull request #%d: head commit %s is not in the repository; fetch it first (git fetch origin pull/%d/head)", r.PR, short(r.Head), r.PR)
		}
		want, err := history.Git(root, "rev-parse", r.MergeCommit+"^{tree}")
		if err != nil {
			return err
		}
		got, err := history.Git(root, "merge-tree", "--write-tree", "--no-messages", parents[0], r.Head)
		tree, _, _ := strings.Cut(string(got), "\n")
		if err != nil || strings.TrimSpace(tree) != strings.TrimSpace(string(want)) {
			return fmt.Errorf("pull request #%d: commit %s does not hold the content of head %s merged onto %s; the record does not match the commit it claims", r.PR, short(r.MergeCommit), short(r.Head), short(parents[0]))
		}
	default:
		return fmt.Errorf("pull request #%d: %s is a root commit, which merges nothing", r.PR, short(r.MergeCommit))
	}
	return nil
}

func short(h string) string { return h[:min(10, len(h))] }
