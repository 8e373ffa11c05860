package history

import (
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

	commits []logCommit // the first-parent chain as read, newest first, for At
	prefix  string      // the workspace's directory in the repository
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
