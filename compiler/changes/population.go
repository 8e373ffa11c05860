// Package changes turns the first-parent history of a branch into the
// change population of an audit period: one record per change with who
// wrote it, who merged it, the pull request and its recorded approvals, the
// files and model objects it touched, whether it is a rollback, and what it
// violates of charter.yaml's change_management rules. It also keeps the
// review ledger (`charter record`) and draws reproducible samples.
package changes

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/charter-compliance/charter/compiler/history"
	"github.com/charter-compliance/charter/compiler/model"
)

// Period is the observation period as written: each end a date
// (YYYY-MM-DD, or an RFC 3339 time) or a git revision; "" leaves it open.
// A date is inclusive (the whole day, UTC); a revision From is exclusive
// and a revision To inclusive, as in git's FROM..TO.
type Period struct {
	From, To string
}

// Options say which population to build and how to judge it.
type Options struct {
	// Root is the workspace directory; revisions of the period are
	// resolved in its git repository.
	Root   string
	Period Period
	// Rules are charter.yaml's change_management; nil judges nothing
	// (approvals are still listed, with the default rules' view of which
	// count).
	Rules *model.ChangeManagement
	// Workspace maps files to the components, policies, procedures and
	// criteria they hold; nil maps nothing.
	Workspace *model.Workspace
	// Ledger is the review ledger of the repository at Root when the caller
	// has read it (ReadLedger); nil reads it.
	Ledger *Ledger
}

// Population is every change of the period, oldest first.
type Population struct {
	Branch string `json:"branch,omitempty"` // the revision whose chain was read
	From   string `json:"from"`
	To     string `json:"to"`
	Total  int    `json:"total"`
	// Violations counts changes with a finding no exception excuses.
	Violations int            `json:"violations"`
	Exceptions []ExceptionUse `json:"exceptions"`
	Sample     *Sample        `json:"sample,omitempty"`
	Changes    []Change       `json:"changes"`
	// Problems are review-ledger notes that could not be read.
	Problems []string `json:"problems,omitempty"`
}

// Change is one change of the population.
type Change struct {
	Commit string    `json:"commit"`
	Date   time.Time `json:"date"` // when it reached the branch (committer date)
	// PR is the pull request number, 0 (JSON null) when none; URL links
	// it when charter.yaml's repository_url is set.
	PR      int    `json:"pr"`
	URL     string `json:"url,omitempty"`
	Title   string `json:"title"` // the pull request's title, else the subject
	Subject string `json:"subject"`
	// PRAuthor is the pull request's author (a login) when recorded.
	PRAuthor string           `json:"pr_author,omitempty"`
	Authors  []history.Person `json:"authors"`
	MergedBy string           `json:"merged_by"`
	// Recorded is true when the review ledger holds the pull request's
	// reviews.
	Recorded   bool               `json:"recorded"`
	Approvals  []history.Approval `json:"approvals"`
	Files      []string           `json:"files"`
	Components []string           `json:"components"`
	Policies   []string           `json:"policies"`
	Procedures []string           `json:"procedures"`
	Criteria   []string           `json:"criteria"` // "STANDARD CONTROL"
	// Rollback is true for a revert; RevertOf is then the commit of the
	// change it reverts (the stated commit when it is not on the chain).
	Rollback   bool          `json:"rollback"`
	RevertOf   string        `json:"revert_of"`
	RevertedBy string        `json:"reverted_by,omitempty"`
	Findings   []Finding     `json:"findings"`
	Exception  *ExceptionUse `json:"exception,omitempty"`
}

// Violating reports whether the change breaks a rule no exception excuses.
func (c *Change) Violating() bool {
	return c.Exception == nil && len(c.Findings) > 0
}

// Short is the abbreviated commit.
func (c *Change) Short() string { return short(c.Commit) }

// Build makes the population of the period from a history read along the
// branch (history.Collect with Rev the branch).
func Build(h *history.History, opts Options) (*Population, error) {
	if h == nil || !h.Available {
		reason := "no history"
		if h != nil {
			reason = h.Reason
		}
		return nil, fmt.Errorf("the change population needs git history: %s", reason)
	}
	chain := h.Chain()
	slices.Reverse(chain) // oldest first
	lo, hi, err := bounds(opts.Root, chain, opts.Period)
	if err != nil {
		return nil, err
	}
	ledger := opts.Ledger
	if ledger == nil {
		if ledger, err = ReadLedger(opts.Root); err != nil {
			return nil, err
		}
	}
	pop := &Population{Branch: h.Label.Version, From: opts.Period.From, To: opts.Period.To, Exceptions: []ExceptionUse{}, Problems: ledger.ProblemsOf(chain)}
	ix := newIndex(opts.Workspace)
	rules := opts.Rules
	// owner maps every commit of the chain and of what merges brought in
	// to the change that put it on the branch, for reverts.
	owner := make(map[string]string, len(chain))
	for _, c := range chain {
		owner[c.Commit] = c.Commit
		for _, b := range c.Brought {
			owner[b.Hash] = c.Commit
		}
	}
	byCommit := make(map[string]int, hi-lo)
	if hi > lo {
		pop.Changes = make([]Change, 0, hi-lo)
	}
	for _, hc := range chain[lo:hi] {
		title := hc.PullRequestTitle()
		c := Change{Commit: hc.Commit, Date: hc.Date, PR: hc.PR, URL: hc.PRURL, Title: title, Subject: hc.Subject,
			Authors: nonNil(hc.Authors), MergedBy: hc.MergedBy, Files: nonNil(hc.Files), Findings: []Finding{}}
		if c.Title == "" {
			c.Title = c.Subject
		}
		rec := ledger.Lookup(hc.Commit)
		if rec != nil {
			c.Recorded, c.PRAuthor = true, rec.Author
			if c.PR == 0 { // a rebase merge carries no marker: the record names it
				c.PR, c.Title = rec.PR, rec.Title
			}
			if rec.MergedBy != "" {
				c.MergedBy = rec.MergedBy
			}
		}
		c.Components, c.Policies, c.Procedures, c.Criteria = ix.touched(c.Files)
		c.Rollback, c.RevertOf = revertOf(hc, title, owner)
		c.Approvals = approvals(rec, effective(rules), hc.Date)
		if rules != nil {
			c.Findings = judge(&c, rec, rules)
		}
		byCommit[c.Commit] = len(pop.Changes)
		pop.Changes = append(pop.Changes, c)
	}
	for i := range pop.Changes {
		if r := pop.Changes[i].RevertOf; r != "" {
			if j, ok := byCommit[r]; ok && pop.Changes[j].RevertedBy == "" {
				pop.Changes[j].RevertedBy = pop.Changes[i].Commit
			}
		}
	}
	if rules != nil {
		uses, err := applyExceptions(pop, rules, owner)
		if err != nil {
			return nil, err
		}
		pop.Exceptions = uses
	}
	pop.Total = len(pop.Changes)
	for i := range pop.Changes {
		if pop.Changes[i].Violating() {
			pop.Violations++
		}
	}
	return pop, nil
}

// bounds finds the part [lo, hi) of the chain (oldest first) the period
// covers.
func bounds(root string, chain []history.Change, p Period) (lo, hi int, err error) {
	lo, hi = 0, len(chain)
	at := func(rev, which string) (int, error) {
		c, err := history.Resolve(root, rev)
		if err != nil {
			return 0, fmt.Errorf("%s %q: %w", which, rev, err)
		}
		i := slices.IndexFunc(chain, func(x history.Change) bool { return x.Commit == c.Hash })
		if i < 0 {
			return 0, fmt.Errorf("%s %q: commit %s is not on the branch's first-parent chain, so it bounds no period of it; name a commit of the branch or a date", which, rev, short(c.Hash))
		}
		return i, nil
	}
	if p.From != "" {
		if t, ok := parseDate(p.From, false); ok {
			lo = firstFrom(chain, func(c history.Change) bool { return !c.Date.Before(t) })
		} else if i, err := at(p.From, "from"); err != nil {
			return 0, 0, err
		} else {
			lo = i + 1
		}
	}
	if p.To != "" {
		if t, ok := parseDate(p.To, true); ok {
			hi = firstFrom(chain, func(c history.Change) bool { return !c.Date.Before(t) })
		} else if i, err := at(p.To, "to"); err != nil {
			return 0, 0, err
		} else {
			hi = i + 1
		}
	}
	if hi < lo {
		return 0, 0, errors.New("the period ends before it starts: to is earlier than from")
	}
	return lo, hi, nil
}

// firstFrom is the first index of the chain (oldest first) from which ok
// holds, else len(chain). Committer dates along a chain are not always
// ordered (clocks drift), so this scans rather than bisects.
func firstFrom(chain []history.Change, ok func(history.Change) bool) int {
	for i, c := range chain {
		if ok(c) {
			return i
		}
	}
	return len(chain)
}

// parseDate reads a period end written as a date or a time. For the end of
// a period a date means the end of that day: the instant returned is the
// first one after the period.
func parseDate(s string, end bool) (time.Time, bool) {
	if t, err := time.Parse(time.DateOnly, s); err == nil {
		if end {
			t = t.AddDate(0, 0, 1)
		}
		return t, true
	}
	if t, err := time.Parse(time.RFC3339, s); err == nil {
		if end {
			t = t.Add(time.Second)
		}
		return t.UTC(), true
	}
	return time.Time{}, false
}

// revertOf says whether a change is a rollback and which change it
// reverts: a "Revert "…"" subject or pull request title (title), or a
// "This reverts commit X" line in its message or in a commit it brought
// in.
func revertOf(c history.Change, title string, owner map[string]string) (bool, string) {
	rollback := strings.HasPrefix(c.Subject, `Revert "`) || strings.HasPrefix(title, `Revert "`)
	for i := -1; i < len(c.Brought); i++ {
		subject, body := c.Subject, c.Body
		if i >= 0 {
			subject, body = c.Brought[i].Subject, c.Brought[i].Body
		}
		if strings.HasPrefix(subject, `Revert "`) {
			rollback = true
		}
		if !strings.Contains(subject, revertsLine) && !strings.Contains(body, revertsLine) {
			continue // most messages: no need to run the expression
		}
		if h := revertsRE.FindStringSubmatch(subject + "\n" + body); h != nil {
			if o, ok := owner[h[1]]; ok {
				return true, o
			}
			return true, h[1]
		}
	}
	return rollback, ""
}

func nonNil[T any](s []T) []T {
	if s == nil {
		return []T{}
	}
	return s
}

// Collect reads the history of the branch charter.yaml's change_management
// names (HEAD's when none) in one pass and builds the population of the
// period, judged by those rules. It returns the history too, for pages.
func Collect(ws *model.Workspace, period Period) (*Population, *history.History, error) {
	rules := ws.Config.ChangeManagement
	rev := ""
	if rules != nil {
		rev = rules.Branch
	}
	// the ledger is read beside the history pass
	var ledger *Ledger
	var ledgerErr error
	var wg sync.WaitGroup
	wg.Go(func() { ledger, ledgerErr = ReadLedger(ws.Root) })
	h, err := history.Collect(ws.Root, history.CollectOptions{Rev: rev, RepoURL: ws.Config.RepositoryURL})
	if err != nil && rev != "" {
		// a CI checkout often has only the remote-tracking branch
		var err2 error
		if h, err2 = history.Collect(ws.Root, history.CollectOptions{Rev: "origin/" + rev, RepoURL: ws.Config.RepositoryURL}); err2 != nil {
			err = fmt.Errorf("%s: change_management.branch %q: %w (nor is origin/%s known; fetch it)", rules.Pos, rev, err, rev)
		} else {
			err, rev = nil, "origin/"+rev
		}
	}
	wg.Wait()
	if err != nil {
		return nil, nil, err
	}
	if ledgerErr != nil && h.Available {
		return nil, nil, ledgerErr
	}
	pop, err := Build(h, Options{Root: ws.Root, Period: period, Rules: rules, Workspace: ws, Ledger: ledger})
	if err != nil {
		return nil, nil, err
	}
	if rev != "" {
		pop.Branch = rev
	}
	return pop, h, nil
}

// ConfiguredPeriod is charter.yaml's audit_period, or an open period.
func ConfiguredPeriod(cfg model.Config) Period {
	if p := cfg.AuditPeriod; p != nil {
		return Period{From: p.From, To: p.To}
	}
	return Period{}
}
