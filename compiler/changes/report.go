package changes

import (
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"

	"github.com/charter-compliance/charter/compiler/diag"
	"github.com/charter-compliance/charter/compiler/history"
)

// WriteJSON writes the population as one indented JSON object.
func WriteJSON(w io.Writer, p *Population) error {
	type change struct {
		Change
		PR *int `json:"pr"` // null when none
	}
	out := struct {
		*Population
		Changes []change `json:"changes"`
	}{Population: p, Changes: make([]change, len(p.Changes))}
	for i, c := range p.Changes {
		out.Changes[i] = change{Change: c}
		if c.PR != 0 {
			n := c.PR
			out.Changes[i].PR = &n
		}
	}
	// MarshalIndent sizes its indented copy once, where an Encoder grows it
	// (the population of a long history is megabytes).
	data, err := json.MarshalIndent(out, "", "  ")
	if err != nil {
		return err
	}
	_, err = w.Write(append(data, '\n'))
	return err
}

// CSVHeader is the first row of WriteCSV: the JSON field names.
var CSVHeader = []string{"commit", "date", "pr", "title", "authors", "merged_by", "approvals", "files", "revert_of", "findings",
	"components", "policies", "procedures", "criteria", "rollback", "recorded", "exception"}

// WriteCSV writes one row per change with the columns of CSVHeader; lists
// are joined with "; ". A cell that a spreadsheet would take for a formula
// (it starts with =, +, -, @, a tab or a carriage return) is prefixed with
// a single quote, so repository text never runs as a formula.
func WriteCSV(w io.Writer, p *Population) error {
	cw := csv.NewWriter(w)
	if err := cw.Write(CSVHeader); err != nil {
		return err
	}
	for _, c := range p.Changes {
		pr := ""
		if c.PR != 0 {
			pr = strconv.Itoa(c.PR)
		}
		exc := ""
		if c.Exception != nil {
			exc = c.Exception.Reason + " (approved by " + c.Exception.ApprovedBy + ")"
		}
		row := []string{c.Commit, c.Date.Format(time.RFC3339), pr, c.Title, people(c.Authors), c.MergedBy,
			approvalList(c.Approvals), strings.Join(c.Files, "; "), c.RevertOf, findingList(c.Findings),
			strings.Join(c.Components, "; "), strings.Join(c.Policies, "; "), strings.Join(c.Procedures, "; "),
			strings.Join(c.Criteria, "; "), strconv.FormatBool(c.Rollback), strconv.FormatBool(c.Recorded), exc}
		for i, cell := range row {
			row[i] = cellSafe(cell)
		}
		if err := cw.Write(row); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}

func cellSafe(s string) string {
	if s != "" && strings.ContainsRune("=+-@\t\r", rune(s[0])) {
		return "'" + s
	}
	return s
}

func people(ps []history.Person) string {
	var out []string
	for _, p := range ps {
		out = append(out, p.String())
	}
	return strings.Join(out, "; ")
}

func approvalList(as []history.Approval) string {
	var out []string
	for _, a := range as {
		s := fmt.Sprintf("%s on %s at %s", a.By, short(a.Commit), a.At.Format(time.RFC3339))
		if !a.Counts {
			s += " (does not count: " + a.Why + ")"
		}
		out = append(out, s)
	}
	return strings.Join(out, "; ")
}

func findingList(fs []Finding) string {
	var out []string
	for _, f := range fs {
		out = append(out, string(f.Code)+" "+f.Rule+": "+f.Message)
	}
	return strings.Join(out, "; ")
}

// WriteText writes the population for a terminal: a summary line, then one
// block per change. Repository text is made printable (no terminal
// escapes).
func WriteText(w io.Writer, p *Population) error {
	var b strings.Builder
	period := func(s, open string) string {
		if s == "" {
			return open
		}
		return s
	}
	fmt.Fprintf(&b, "Changes to %s from %s to %s: %d, %d violating, %d excepted\n", p.Branch,
		period(p.From, "the first commit"), period(p.To, "the tip"), p.Total, p.Violations, len(p.Exceptions))
	if p.Sample != nil {
		fmt.Fprintf(&b, "%s\n", p.Sample.Describe())
	}
	for _, c := range p.Changes {
		pr := "no pull request"
		if c.PR != 0 {
			pr = "#" + strconv.Itoa(c.PR)
		}
		fmt.Fprintf(&b, "\n%s %s %s %s\n", c.Short(), c.Date.Format(time.DateOnly), pr, c.Title)
		fmt.Fprintf(&b, "  authors: %s; merged by: %s\n", orNone(people(c.Authors)), orNone(c.MergedBy))
		switch {
		case c.PR == 0:
		case !c.Recorded:
			b.WriteString("  approvals: not recorded\n")
		default:
			fmt.Fprintf(&b, "  approvals: %s\n", orNone(approvalList(c.Approvals)))
		}
		if len(c.Files) > 0 {
			fmt.Fprintf(&b, "  files: %d", len(c.Files))
			for _, x := range []struct {
				name string
				list []string
			}{{"components", c.Components}, {"policies", c.Policies}, {"procedures", c.Procedures}, {"criteria", c.Criteria}} {
				if len(x.list) > 0 {
					fmt.Fprintf(&b, "; %s: %s", x.name, strings.Join(x.list, ", "))
				}
			}
			b.WriteString("\n")
		}
		if c.Rollback {
			fmt.Fprintf(&b, "  rollback of %s\n", orNone(short(c.RevertOf)))
		}
		if c.RevertedBy != "" {
			fmt.Fprintf(&b, "  reverted by %s\n", short(c.RevertedBy))
		}
		for _, f := range c.Findings {
			fmt.Fprintf(&b, "  finding %s %s: %s\n", f.Code, f.Rule, f.Message)
		}
		if e := c.Exception; e != nil {
			fmt.Fprintf(&b, "  exception (%s): %s; approved by %s\n", e.Pos, e.Reason, e.ApprovedBy)
		}
	}
	_, err := io.WriteString(w, diag.PrintableText(b.String()))
	return err
}

func orNone(s string) string {
	if s == "" {
		return "none"
	}
	return s
}

// Annotate copies the recorded approvals of every change of the population
// onto the history's revisions, so history rows can show them.
func Annotate(h *history.History, p *Population) {
	if h == nil {
		return
	}
	byCommit := map[string][]history.Approval{}
	for _, c := range p.Changes {
		if len(c.Approvals) > 0 {
			byCommit[c.Commit] = c.Approvals
		}
	}
	for _, revs := range h.Files {
		for i := range revs {
			if a, ok := byCommit[revs[i].Commit]; ok {
				revs[i].Approvals = a
			}
		}
	}
}
