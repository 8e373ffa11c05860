package main

import (
	"errors"
	"fmt"

	"github.com/charter-compliance/charter/compiler/changes"
	"github.com/charter-compliance/charter/compiler/history"
)

// RecordCmd stores the review evidence of a merged pull request in the
// review ledger (git notes under refs/notes/charter).
type RecordCmd struct {
	Event   string `required:"" placeholder:"FILE" type:"existingfile" help:"The pull_request event payload (GitHub: $GITHUB_EVENT_PATH)."`
	Reviews string `placeholder:"FILE" type:"existingfile" help:"The pull request's reviews as the API lists them (gh api repos/OWNER/REPO/pulls/N/reviews --paginate)."`
}

func (c *RecordCmd) Run(g *Globals) error {
	r, err := changes.ReadRecord(c.Event, c.Reviews)
	if err != nil {
		return err
	}
	err = changes.Append(g.Root, r)
	if errors.Is(err, changes.ErrAlreadyRecorded) {
		fmt.Fprintf(g.Stdout, "pull request #%d on %s: already recorded, nothing added\n", r.PR, r.MergeCommit)
		return nil
	}
	if err != nil {
		return err
	}
	fmt.Fprintf(g.Stdout, "recorded pull request #%d on %s: %d %s; publish with: git push origin %s\n",
		r.PR, r.MergeCommit, len(r.Reviews), plural(len(r.Reviews), "review", "reviews"), history.NotesRef)
	return nil
}
