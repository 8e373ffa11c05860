package history

import (
	"strings"
	"time"

	"github.com/charter-compliance/charter/compiler/model"
)

// Revision is one commit that touched a source file.
type Revision struct {
	Commit  string    `json:"commit"`
	Date    time.Time `json:"date"` // committer date, UTC
	Author  string    `json:"author"`
	Email   string    `json:"email,omitempty"`
	Subject string    `json:"subject"`
	// Title is the pull request's title when the commit is a GitHub merge
	// commit ("Merge pull request #12 from …"), whose body's first line
	// holds it; empty otherwise.
	Title string `json:"title,omitempty"`
	PR    int    `json:"pull_request,omitempty"` // 0 when none was found
	PRURL string `json:"pull_request_url,omitempty"`
	// Authors wrote the change: for a merge commit the authors of the
	// commits it brought in (M^1..M^2, oldest first), else the commit's
	// author; then everyone a Co-authored-by trailer of those commits
	// names. Each person appears once (by e-mail address, else by name).
	Authors []Person `json:"authors,omitempty"`
	// MergedBy is who put the change on the branch: a merge commit's
	// author; for any other commit its committer, unless that is GitHub's
	// own identity (a squash or rebase merge made on github.com), which
	// names nobody: then it is empty and only a recorded review says.
	MergedBy string `json:"merged_by,omitempty"`
	// Approvals are the recorded approvals of the change's pull request,
	// filled in by changes.Annotate from the review ledger; history itself
	// leaves them empty.
	Approvals []Approval `json:"approvals,omitempty"`
}

// Person is a commit author, committer or co-author.
type Person struct {
	Name  string `json:"name"`
	Email string `json:"email,omitempty"`
}

// String is the person as git writes them: "Name <email>".
func (p Person) String() string {
	if p.Email == "" {
		return p.Name
	}
	return p.Name + " <" + p.Email + ">"
}

// Approval is one approving review of a pull request, as recorded at merge
// time (see compiler/changes).
type Approval struct {
	By     string    `json:"by"`     // the reviewer's login
	Commit string    `json:"commit"` // the head commit the reviewer approved
	At     time.Time `json:"at"`     // when the review was submitted, UTC
	// Counts is true when the approval counts under charter.yaml's
	// change_management rules; Why says otherwise why it does not.
	Counts bool   `json:"counts"`
	Why    string `json:"why,omitempty"`
}

// PullRequestTitle is the title of the change's pull request: a merge
// commit's Title, or a squash merge's subject without its "(#N)"; empty
// when the commit names no pull request.
func (r Revision) PullRequestTitle() string {
	if r.PR == 0 {
		return ""
	}
	if r.Title != "" {
		return r.Title
	}
	if m := squashPR.FindStringIndex(r.Subject); m != nil {
		return strings.TrimSpace(r.Subject[:m[0]])
	}
	return ""
}

// Short is the abbreviated commit hash.
func (r Revision) Short() string {
	if len(r.Commit) > 10 {
		return r.Commit[:10]
	}
	return r.Commit
}

// Summary is the line that best describes the change: the pull request's
// title for a merge commit that names one, else the subject.
func (r Revision) Summary() string {
	if r.Title != "" {
		return r.Title
	}
	return r.Subject
}

// Label names a build: the tag at HEAD, else `git describe`, else the short
// commit; Dirty marks uncommitted changes.
type Label struct {
	Version string `json:"version"`
	Commit  string `json:"commit,omitempty"` // full hash; empty outside git
	Dirty   bool   `json:"dirty,omitempty"`
}

// Unversioned is the version of a build made outside git without --version.
const Unversioned = "unversioned"

// String is the label as shown on every page.
func (l Label) String() string {
	if l.Dirty {
		return l.Version + " (uncommitted changes)"
	}
	return l.Version
}

// Short is the abbreviated commit hash, or "".
func (l Label) Short() string {
	if len(l.Commit) > 10 {
		return l.Commit[:10]
	}
	return l.Commit
}

// History is what git knows about the repository's source files.
type History struct {
	// Available is false outside a git repository (or without git); Reason
	// then says why, and pages say that history is unavailable.
	Available bool
	Reason    string
	Label     Label
	// Date is the committer date (UTC) of the commit the history was read
	// up to; zero when history is unavailable.
	Date time.Time
	// Shallow is true in a shallow clone: the oldest commits are missing, so
	// first revisions and "last changed" dates may be wrong.
	Shallow bool
	// Files maps a path relative to the workspace root to its revisions,
	// newest first. Renamed files carry the history of their old names.
	Files map[string][]Revision

	commits []logCommit         // the first-parent chain as read, newest first, for At
	prefix  string              // the workspace's directory in the repository
	graph   *graph              // every commit reachable from the commit Collect read from
	revs    map[string]Revision // the revision of every chain commit
}

// For returns the revisions of one file, newest first.
func (h *History) For(path string) []Revision {
	if h == nil {
		return nil
	}
	return h.Files[path]
}

// Last returns the newest revision touching any of paths, or nil.
func (h *History) Last(paths ...string) *Revision {
	var best *Revision
	for _, p := range paths {
		if revs := h.For(p); len(revs) > 0 && (best == nil || revs[0].Date.After(best.Date)) {
			r := revs[0]
			best = &r
		}
	}
	return best
}

// ReviewSource says where a document's last-reviewed date came from.
type ReviewSource string

const (
	ReviewedFrontMatter ReviewSource = "front matter"
	ReviewedGit         ReviewSource = "last commit"
	ReviewedUnknown     ReviewSource = "unknown"
)

// LastReviewed returns when a policy or procedure was last reviewed: its
// front matter's last_reviewed when given, else the day of the last commit
// that touched its file, else nil.
func (h *History) LastReviewed(d *model.Document) (*time.Time, ReviewSource) {
	if d.LastReviewed != nil {
		return d.LastReviewed, ReviewedFrontMatter
	}
	if r := h.Last(d.File); r != nil {
		y, m, day := r.Date.Date()
		t := time.Date(y, m, day, 0, 0, 0, 0, time.UTC)
		return &t, ReviewedGit
	}
	return nil, ReviewedUnknown
}
