package site

import (
	"fmt"
	"net/url"
	"path"
	"strings"
	"time"

	"github.com/charter-compliance/charter/compiler/history"
	"github.com/charter-compliance/charter/compiler/model"
)

// safeURL returns s when it is an absolute http, https or mailto URL, and ""
// otherwise. Everything a repository writes that becomes an href outside the
// site passes through it; html/template would also defuse javascript: URLs,
// but a link that cannot work should not be a link at all.
func safeURL(s string) string {
	s = strings.TrimSpace(s)
	u, err := url.Parse(s)
	if err != nil || u.Scheme == "" {
		return ""
	}
	switch strings.ToLower(u.Scheme) {
	case "http", "https":
		if u.Host == "" {
			return ""
		}
		return s
	case "mailto":
		return s
	}
	return ""
}

// refView is a reference or a verification's path: a name, and a link when
// the path leads somewhere a browser can go.
type refView struct {
	Name string
	Type string
	Path string
	Href string
	Note string // why a path is not linked
}

// reference turns a path from YAML into a view. Absolute web links stay as
// they are; paths inside the repository link to the repository's web view
// when charter.yaml gives repository_url; anything else is shown as text.
func (b *builder) reference(name, typ, p, baseDir string) refView {
	r := refView{Name: name, Type: typ, Path: p}
	if r.Name == "" {
		r.Name = p
	}
	p = strings.TrimSpace(p)
	if p == "" {
		return r
	}
	if u, err := url.Parse(p); err != nil || u.Scheme != "" {
		r.Href = safeURL(p)
		if r.Href == "" {
			r.Note = "not linked: only http, https and mailto links are followed"
		}
		return r
	}
	rel := path.Clean(path.Join(baseDir, strings.TrimPrefix(p, "./")))
	if strings.HasPrefix(p, "/") || rel == ".." || strings.HasPrefix(rel, "../") {
		r.Note = "not linked: the path leaves the repository"
		return r
	}
	r.Href = b.repoFileURL(rel)
	return r
}

// repoFileURL links a repository file on the repository's web view, at the
// built commit when history knows it.
func (b *builder) repoFileURL(rel string) string {
	base := b.info.RepositoryURL
	if base == "" || rel == "" {
		return ""
	}
	ref := "HEAD"
	if b.hist != nil && b.hist.Available && b.hist.Label.Commit != "" {
		ref = b.hist.Label.Commit
	}
	segs := strings.Split(rel, "/")
	for i, s := range segs {
		segs[i] = url.PathEscape(s)
	}
	return strings.TrimRight(base, "/") + "/blob/" + url.PathEscape(ref) + "/" + strings.Join(segs, "/")
}

func (b *builder) commitURL(commit string) string {
	if b.info.RepositoryURL == "" || commit == "" {
		return ""
	}
	return strings.TrimRight(b.info.RepositoryURL, "/") + "/commit/" + url.PathEscape(commit)
}

// revisionsView is the revision history of one source file.
type revisionsView struct {
	Available bool
	Note      string
	Shallow   string // a warning that history is cut short (a shallow clone)
	Rows      []revisionRow
}

// shallowNote warns that history is truncated; "" when it is complete.
func (b *builder) shallowNote() string {
	if b.hist == nil || !b.hist.Available || !b.hist.Shallow {
		return ""
	}
	return "History is truncated: the repository is a shallow clone, so the oldest commit shown stands for all earlier ones and first dates may be too late. Fetch the full history (fetch-depth: 0) for exact dates."
}

// revisionRow is one change on the first-parent chain: what it was (the
// pull request's number and title, else the subject), who wrote it (the
// authors of the commits it brought in, co-authors included), who merged
// it, and the approvals recorded for it.
type revisionRow struct {
	Date      string
	Subject   string
	PR        Link // "#42", linked when the pull request's address is known
	Authors   []string
	MergedBy  string
	Approvals []approvalView
	Commit    Link
}

// approvalView is one recorded approval of a change's pull request.
type approvalView struct {
	By     string
	Commit Link   // the head commit approved
	At     string // the day it was given
	Counts bool
	Why    string // why it does not count
}

func (b *builder) revisionRow(r history.Revision) revisionRow {
	row := revisionRow{Date: formatDate(r.Date), Subject: r.Summary(), MergedBy: r.MergedBy,
		Commit: Link{Href: b.commitURL(r.Commit), Text: r.Short(), Title: r.Commit}}
	if t := r.PullRequestTitle(); t != "" {
		row.Subject = t
	}
	if r.PR > 0 {
		row.PR = Link{Href: safeURL(r.PRURL), Text: fmt.Sprintf("#%d", r.PR)}
	}
	for _, p := range r.Authors {
		row.Authors = append(row.Authors, p.Name)
	}
	if len(row.Authors) == 0 && r.Author != "" {
		row.Authors = []string{r.Author}
	}
	for _, a := range r.Approvals {
		row.Approvals = append(row.Approvals, approvalView{By: a.By, At: formatDate(a.At), Counts: a.Counts, Why: a.Why,
			Commit: Link{Href: b.commitURL(a.Commit), Text: shortHash(a.Commit), Title: a.Commit}})
	}
	return row
}

func (b *builder) revisions(file string) revisionsView {
	if !b.info.HistoryOK {
		return revisionsView{Note: "Revision history is unavailable (" + strings.TrimPrefix(b.info.HistoryNote, "history unavailable: ") + ")."}
	}
	v := revisionsView{Available: true, Shallow: b.shallowNote()}
	for _, r := range b.hist.For(file) {
		v.Rows = append(v.Rows, b.revisionRow(r))
	}
	if len(v.Rows) == 0 {
		v.Note = "No commit touches " + file + " yet: the file is new or uncommitted."
	}
	return v
}

// lastChanged is the date of the newest commit to any of files.
func (b *builder) lastChanged(files []string) (date, note string) {
	if !b.info.HistoryOK {
		return "", "evidence history unavailable"
	}
	if r := b.hist.Last(files...); r != nil {
		if b.hist.Shallow {
			return formatDate(r.Date), "history truncated: shallow clone"
		}
		return formatDate(r.Date), ""
	}
	if len(files) == 0 {
		return "", "no evidence yet"
	}
	return "", "evidence not yet committed"
}

// lastReviewed is a document's last review: front matter first, else the
// newest commit to its file.
func lastReviewed(d *model.Document, h *history.History) (date, source string) {
	if d.LastReviewed != nil {
		return datePtr(d.LastReviewed), "front matter"
	}
	if h != nil && h.Available {
		if r := h.Last(d.File); r != nil {
			return formatDate(r.Date), "last commit"
		}
	}
	return "", ""
}

// nextReview is when a document is due for review (see lastReviewed).
func nextReview(d *model.Document, h *history.History) *time.Time {
	var fromGit *time.Time
	if h != nil && h.Available {
		if r := h.Last(d.File); r != nil {
			t := r.Date
			fromGit = &t
		}
	}
	return d.NextReview(fromGit)
}
