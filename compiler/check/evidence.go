package check

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/charter-compliance/charter/compiler/diag"
	"github.com/charter-compliance/charter/compiler/model"
)

// evidence reports the claims that do not hold up: not-applicable claims
// that do not say why, placeholder narratives, verifications that failed
// or are stale (with the claims they downgrade, as model.ClaimStatus
// judges them for coverage), unreadable last_run dates, and local evidence
// paths that name nothing.
func (c *checker) evidence(asOf time.Time) {
	downgraded := map[*model.Verification][]diag.Note{}
	for _, comp := range c.ws.Components {
		for _, s := range comp.Satisfies {
			title := ""
			if ctl := c.ws.Control(s.StandardKey, s.ControlKey); ctl != nil {
				title = ctl.Name
			}
			c.narratives(s, title)
			if len(s.CoveredBy) > 0 {
				if _, by, _ := c.ws.ClaimStatus(comp, s, asOf); by != nil {
					downgraded[by.Verification] = append(downgraded[by.Verification], diag.Note{Pos: by.Pos,
						Message: fmt.Sprintf("%s %s of %s, marked complete, counts as partial", s.StandardKey, s.ControlKey, comp.Key)})
				}
			}
			for _, r := range s.References {
				c.localPath(comp, r.Path, r.PathPos, r.Pos, "reference")
			}
		}
	}
	cfg := c.ws.Config.Evidence
	for _, comp := range c.ws.Components {
		for _, r := range comp.References {
			c.localPath(comp, r.Path, r.PathPos, r.Pos, "reference")
		}
		for i := range comp.Verifications {
			v := &comp.Verifications[i]
			c.localPath(comp, v.Path, v.PathPos, v.Pos, "verification "+v.Key)
			notes := downgraded[v]
			if v.Failed() {
				d := c.add(diag.Warning, diag.CodeFailedTest, at(v.TestPassedPos, v.Pos), "fix what the test found and run it again, or mark the claims it covers partial",
					"verification %s of component %s failed (test_passed: false)%s", v.Key, comp.Key, consequence(len(notes)))
				d.Notes = notes
				continue
			}
			if cfg.MaxAge.IsZero() || strings.TrimSpace(v.LastRun) == "" {
				continue
			}
			last, ok := v.LastRunDate()
			if !ok {
				c.add(diag.Warning, diag.CodeLastRunDate, at(v.LastRunPos, v.Pos), "write last_run: YYYY-MM-DD",
					"verification %s has last_run %q, which is not a date: its age cannot be judged", v.Key, v.LastRun)
				continue
			}
			if !cfg.Stale(v, asOf) {
				continue
			}
			what := ""
			if cfg.Downgrade {
				what = consequence(len(notes))
			}
			d := c.add(diag.Warning, diag.CodeStaleEvidence, at(v.LastRunPos, v.Pos), "run the verification again and update last_run",
				"verification %s of component %s last ran on %s, before %s (evidence max_age %s, judged as of %s)%s",
				v.Key, comp.Key, last.Format(time.DateOnly), cfg.MaxAge.Before(asOf).Format(time.DateOnly), cfg.MaxAge, asOf.Format(time.DateOnly), what)
			if cfg.Downgrade {
				d.Notes = notes
			}
		}
	}
}

// consequence says how many claims a failed or stale verification
// downgrades.
func consequence(n int) string {
	switch n {
	case 0:
		return ""
	case 1:
		return ": 1 satisfaction it covers counts as partial"
	}
	return fmt.Sprintf(": %d satisfactions it covers count as partial", n)
}

// narratives reports placeholder narratives and not-applicable claims
// that do not say why.
func (c *checker) narratives(s *model.Satisfaction, title string) {
	for _, n := range s.Narratives {
		if model.IsPlaceholder(n.Text, title) {
			c.add(diag.Warning, diag.CodePlaceholder, n.Pos, "say how the control is met, or why it does not apply",
				"narrative %sfor %s %s is a placeholder (%q): it does not count as a narrative", keyPart(n.Key), s.StandardKey, s.ControlKey, excerpt(n.Text))
		}
	}
	if !s.IsNotApplicable() || s.HasNarrativeFor(title) {
		return
	}
	for _, v := range s.Statuses {
		if v.Status == model.NotApplicable {
			c.add(diag.Error, diag.CodeNAWithoutReason, at(v.Pos, s.ControlPos), "write a narrative that says why the control does not apply to this component",
				"%s %s is marked %q but does not say why: it does not count as not applicable", s.StandardKey, s.ControlKey, v.Raw)
			return
		}
	}
}

func keyPart(key string) string {
	if key == "" {
		return ""
	}
	return fmt.Sprintf("%q ", key)
}

func excerpt(s string) string {
	s = strings.TrimSpace(s)
	if r := []rune(s); len(r) > 40 {
		return string(r[:40]) + "…"
	}
	return s
}

// at is pos, or fallback when pos is unknown.
func at(pos, fallback diag.Pos) diag.Pos {
	if pos.Line == 0 {
		return fallback
	}
	return pos
}

// localPath reports a local path of evidence that leaves the repository or
// names nothing. It is looked up beside the component, then from the
// repository root; URLs are not looked up.
func (c *checker) localPath(comp *model.Component, p string, pos, fallback diag.Pos, what string) {
	beside, fromRoot, absolute, escapes := model.LocalPaths(comp.Dir, p)
	p = strings.TrimSpace(p)
	pos = at(pos, fallback)
	switch {
	case absolute:
		c.add(diag.Error, diag.CodePathEscapes, pos, "write the path relative to the component's directory or the repository root",
			"%s path %q is absolute: evidence paths must stay inside the repository", what, p)
		return
	case escapes:
		c.add(diag.Error, diag.CodePathEscapes, pos, "move the evidence into the repository, or link to it by URL",
			"%s path %q leaves the repository", what, p)
		return
	case beside == "":
		return // none, or a URL
	}
	for _, rel := range model.Candidates(beside, fromRoot) {
		switch c.lookup(rel) {
		case evidenceFound:
			return
		case evidenceEscapes:
			c.add(diag.Error, diag.CodePathEscapes, pos, "move the evidence into the repository, or link to it by URL",
				"%s path %q leads out of the repository through a symbolic link", what, p)
			return
		}
	}
	where := beside
	if where != fromRoot {
		where += " or " + fromRoot
	}
	c.add(diag.Error, diag.CodeEvidenceNotFound, pos, "commit the file, correct the path, or link to it by URL",
		"%s path %q names nothing in the repository (looked for %s)", what, p, where)
}

// evidenceState is what a local evidence path names.
type evidenceState int8

const (
	evidenceMissing evidenceState = iota
	evidenceFound
	evidenceEscapes // a symbolic link on the way leads out of the repository
)

// lookup says what rel, relative to the workspace root, names, as the
// site reads evidence: through the repository's os.Root, so a symbolic
// link that leads out is found here, not only when build publishes it.
func (c *checker) lookup(rel string) evidenceState {
	if st, seen := c.found[rel]; seen {
		return st
	}
	if c.found == nil {
		c.found = map[string]evidenceState{}
	}
	st := evidenceMissing
	if root, err := os.OpenRoot(c.ws.Root); err == nil {
		_, err := root.Stat(filepath.FromSlash(rel))
		root.Close()
		switch {
		case err == nil:
			st = evidenceFound
		case !errors.Is(err, fs.ErrNotExist):
			// outside the root: say so only when the path exists there
			if _, err := os.Stat(filepath.Join(c.ws.Root, filepath.FromSlash(rel))); err == nil {
				st = evidenceEscapes
			}
		}
	}
	c.found[rel] = st
	return st
}
