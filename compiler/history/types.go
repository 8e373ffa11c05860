package history

import "time"

// Revision is one commit that touched a source file.
type Revision struct {
	Commit  string    `json:"commit"`
	Date    time.Time `json:"date"` // committer date, UTC
	Author  string    `json:"author"`
	Email   string    `json:"email,omitempty"`
	Subject string    `json:"subject"`
	PR      int       `json:"pull_request,omitempty"` // 0 when none was found
	PRURL   string    `json:"pull_request_url,omitempty"`
}

// Short is the abbreviated commit hash.
func (r Revision) Short() string {
	if len(r.Commit) > 10 {
		return r.Commit[:10]
	}
	return r.Commit
}

// Label names a build: the tag at HEAD, else `git describe`, else the short
// commit; Dirty marks uncommitted changes.
type Label struct {
	Version string `json:"version"`
	Commit  string `json:"commit,omitempty"`
	Dirty   bool   `json:"dirty,omitempty"`
}

// String is the label as shown on every page.
func (l Label) String() string {
	if l.Dirty {
		return l.Version + " (uncommitted changes)"
	}
	return l.Version
}

// History is what git knows about the repository's source files.
type History struct {
	// Available is false outside a git repository (or without git); Reason
	// then says why, and pages say that history is unavailable.
	Available bool
	Reason    string
	Label     Label
	// Files maps a path relative to the workspace root to its revisions,
	// newest first. Renamed files carry the history of their old names.
	Files map[string][]Revision
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
