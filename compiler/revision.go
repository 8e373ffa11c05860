package compiler

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/charter-compliance/charter/compiler/diff"
	"github.com/charter-compliance/charter/compiler/history"
	"github.com/charter-compliance/charter/compiler/load"
)

// CheckAt loads, checks and judges the repository at root as it was at the
// git revision rev, read from git objects into a temporary directory (the
// working tree and index are never touched). Coverage is judged as of the
// revision's commit date, so an old state is seen as it was on its own day.
// The returned Result's Workspace.Root is that temporary directory, already
// removed: everything the pipeline needs is in memory.
func CheckAt(root, rev string, opts Options) (*Result, history.Commit, error) {
	tmp, err := os.MkdirTemp("", "charter-rev-")
	if err != nil {
		return nil, history.Commit{}, err
	}
	defer os.RemoveAll(tmp)
	commit, err := history.Snapshot(root, rev, tmp)
	if err != nil {
		return nil, commit, err
	}
	opts.Root = tmp
	opts.SourceDateEpoch = epoch(commit.Date)
	res, err := Check(opts)
	if err != nil {
		return nil, commit, revError(err, root, rev)
	}
	res.AsOfSource = history.DateFromRev
	return res, commit, nil
}

func epoch(t time.Time) string { return strconv.FormatInt(t.Unix(), 10) }

func revError(err error, root, rev string) error {
	if errors.Is(err, load.ErrNoManifest) {
		if abs, aerr := filepath.Abs(root); aerr == nil {
			root = abs
		}
		return fmt.Errorf("%w at %s: %s held no %s then", load.ErrNoManifest, rev, root, load.ManifestName)
	}
	return fmt.Errorf("at %s: %w", rev, err)
}

// changesReport compares the revision since with the current build, for
// the "Changes since" page.
func changesReport(br *BuildResult, h *history.History, root, since string, opts Options) (*diff.Report, error) {
	from, commit, err := CheckAt(root, since, opts)
	if err != nil {
		return nil, err
	}
	label, err := history.LabelOf(root, history.CollectOptions{Rev: commit.Hash})
	if err != nil {
		return nil, err
	}
	cur := br.Result
	return diff.Compare(
		diff.Side{Name: since, Version: label.Version, Commit: commit.Hash, Workspace: from.Workspace, Coverage: from.Coverage},
		diff.Side{Name: h.Label.Version, Version: h.Label.String(), Commit: h.Label.Commit, Workspace: cur.Workspace, Coverage: cur.Coverage},
	), nil
}

// AsOfCommit is the last commit of h's first-parent chain on or before
// day (a UTC date): the one whose committer date falls before the end of
// that day, walking the chain from its tip. ok is false when the chain has
// none.
func AsOfCommit(h *history.History, day time.Time) (c history.Change, ok bool) {
	end := day.AddDate(0, 0, 1)
	for _, c := range h.Chain() { // newest first
		if c.Date.Before(end) {
			return c, true
		}
	}
	return history.Change{}, false
}

// buildAsOf builds the site as the repository stood on v.AsOf: the tree of
// AsOfCommit, read from git objects into a temporary directory (the working
// tree is never touched), with its own settings, theme and history up to
// that commit, judged as of that day.
func buildAsOf(opts BuildOptions, v VersionOptions, root, out string) (*BuildResult, error) {
	if v.Versions != "" || v.Since != "" {
		return nil, fmt.Errorf("--as-of builds one past state of the repository: it cannot be combined with --versions or --since")
	}
	if strings.TrimSpace(opts.Today) != "" {
		return nil, fmt.Errorf("--as-of sets the judging day itself: leave out --today")
	}
	day, err := time.Parse(time.DateOnly, strings.TrimSpace(v.AsOf))
	if err != nil {
		return nil, fmt.Errorf("--as-of %q is not a date: write YYYY-MM-DD, such as 2026-03-01", v.AsOf)
	}
	h := opts.History
	if !h.Available {
		return nil, fmt.Errorf("--as-of needs git history, which is unavailable: %s", h.Reason)
	}
	c, ok := AsOfCommit(h, day)
	if !ok {
		return nil, fmt.Errorf("--as-of %s: no commit of HEAD's first-parent chain is on or before that day", v.AsOf)
	}
	label, err := history.LabelOf(root, history.CollectOptions{Rev: c.Commit, Version: v.Version})
	if err != nil {
		return nil, err
	}
	at, ok := h.At(c.Commit, label.Version)
	if !ok {
		return nil, fmt.Errorf("--as-of %s: commit %s is not on the chain history read", v.AsOf, c.Short())
	}
	tmp, err := os.MkdirTemp("", "charter-asof-")
	if err != nil {
		return nil, err
	}
	defer os.RemoveAll(tmp)
	if _, err := history.Snapshot(root, c.Commit, tmp); err != nil {
		return nil, err
	}
	o := opts
	o.Root, o.Out, o.History, o.GitRoot = tmp, out, at, root
	o.Today, o.SourceDateEpoch = day.Format(time.DateOnly), ""
	br, in, err := prepareBuild(o)
	if err != nil {
		return br, revError(err, root, c.Short())
	}
	br.Out = out
	br.Commit = c.Commit
	br.AsOfSource = history.DateSource(fmt.Sprintf("--as-of: the tree of commit %s of %s", c.Short(), c.Date.Format(time.DateOnly)))
	if br.Refused {
		return br, nil
	}
	in.AsOfSource = string(br.AsOfSource)
	return br, renderSite(br, in, o)
}
