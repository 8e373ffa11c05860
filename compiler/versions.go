package compiler

import (
	"errors"
	"fmt"
	"os"
	"strconv"

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
	opts.SourceDateEpoch = strconv.FormatInt(commit.Date.Unix(), 10)
	res, err := Check(opts)
	if errors.Is(err, load.ErrNoManifest) {
		return nil, commit, fmt.Errorf("%w at %s: %s held no %s then", load.ErrNoManifest, rev, root, load.ManifestName)
	}
	if err != nil {
		return nil, commit, fmt.Errorf("at %s: %w", rev, err)
	}
	res.AsOfSource = history.DateFromRev
	return res, commit, nil
}
