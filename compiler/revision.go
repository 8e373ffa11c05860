package compiler

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
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
