package site

import (
	"cmp"
	"fmt"
	"slices"
	"strings"

	"github.com/charter-compliance/charter/compiler/changes"
)

// ---- change management page (audit_period) ----

// changeMgmtView is the change population of the audit period: every
// change with who made and approved it, counts by finding, the exceptions
// and the auditor's sample.
type changeMgmtView struct {
	Problem    string // why there is no population
	Branch     string
	From, To   string
	Total      int
	Violations int
	Findings   []findingCount
	Exceptions []exceptionView
	Sample     *sampleView
	SampleHint string // how to draw a sample when charter.yaml sets no seed
	Rows       []changeRowView
	Problems   []string // the review ledger's problems
}

type findingCount struct {
	Code, Rule string
	N          int
}

type exceptionView struct {
	Change     Link
	Reason     string
	ApprovedBy string
	Pos        string
}

type sampleView struct {
	Seed     string
	Size, Of int
	Default  bool
	Method   string
	Rows     []Link // the sampled changes, linked to their rows
}

// changeRowView is one change of the population.
type changeRowView struct {
	Anchor    string
	Commit    Link
	Date      string
	PR        Link
	Title     string
	Authors   []string
	MergedBy  string
	Recorded  bool
	Approvals []approvalView
	Findings  []string
	Excepted  bool
	RevertOf  Link // the change this one rolls back; Text is empty when none
	Rollback  bool
	RevertBy  Link // the change that rolled this one back
	Touched   []Link
	InSample  bool
}

func changeAnchor(commit string) string { return "change-" + shortHash(commit) }

func (b *builder) changeMgmtPage(p *page) {
	p.Title = "Change management"
	p.Section = "change-management"
	b.crumbs(p, Link{Text: p.Title})
	cm := b.in.ChangeManagement
	pop := cm.Population
	if pop == nil {
		p.Data = changeMgmtView{Problem: cm.Problem}
		return
	}
	v := changeMgmtView{Branch: pop.Branch, From: orOpen(pop.From, "the first commit"), To: orOpen(pop.To, "the branch's tip"),
		Total: pop.Total, Violations: pop.Violations, Problems: pop.Problems}
	inPop := make(map[string]bool, len(pop.Changes))
	for _, c := range pop.Changes {
		inPop[c.Commit] = true
	}
	changeLink := func(commit string) Link {
		l := Link{Text: shortHash(commit), Title: commit}
		if inPop[commit] {
			l.Href = "#" + changeAnchor(commit)
		} else {
			l.Href = b.commitURL(commit)
		}
		return l
	}
	counts := map[[2]string]int{}
	for _, c := range pop.Changes {
		for _, f := range c.Findings {
			counts[[2]string{string(f.Code), f.Rule}]++
		}
	}
	for k, n := range counts {
		v.Findings = append(v.Findings, findingCount{Code: k[0], Rule: k[1], N: n})
	}
	slices.SortFunc(v.Findings, func(x, y findingCount) int { return cmp.Or(cmp.Compare(x.Code, y.Code), cmp.Compare(x.Rule, y.Rule)) })
	for _, e := range pop.Exceptions {
		v.Exceptions = append(v.Exceptions, exceptionView{Change: changeLink(e.Commit), Reason: e.Reason, ApprovedBy: e.ApprovedBy, Pos: e.Pos.String()})
	}
	sampled := map[string]bool{}
	if rules := b.ws.Config.ChangeManagement; rules != nil && rules.SampleSeed != "" {
		size := rules.SampleSize
		if size == 0 {
			size = -1 // the default size for the population
		}
		drawn := *pop
		drawn.Draw(rules.SampleSeed, size)
		s := drawn.Sample
		sv := &sampleView{Seed: s.Seed, Size: s.Size, Of: s.Of, Default: s.Default, Method: s.Method}
		for _, c := range s.Commits {
			sampled[c] = true
			sv.Rows = append(sv.Rows, changeLink(c))
		}
		v.Sample = sv
	} else if pop.Total > 0 {
		v.SampleHint = fmt.Sprintf("charter changes --sample %d --seed SEED", changes.DefaultSize(pop.Total))
	}
	for i := len(pop.Changes) - 1; i >= 0; i-- { // newest first, as every history table
		v.Rows = append(v.Rows, b.changeRow(p, &pop.Changes[i], changeLink, sampled[pop.Changes[i].Commit]))
	}
	p.Data = v
}

func (b *builder) changeRow(p *page, c *changes.Change, changeLink func(string) Link, inSample bool) changeRowView {
	r := changeRowView{Anchor: changeAnchor(c.Commit), Date: formatDate(c.Date), Title: c.Title, MergedBy: c.MergedBy,
		Recorded: c.Recorded, Rollback: c.Rollback, Excepted: c.Exception != nil, InSample: inSample,
		Commit: Link{Href: b.commitURL(c.Commit), Text: c.Short(), Title: c.Commit}}
	if c.PR > 0 {
		r.PR = Link{Href: safeURL(c.URL), Text: fmt.Sprintf("#%d", c.PR)}
	}
	for _, a := range c.Authors {
		r.Authors = append(r.Authors, a.Name)
	}
	for _, a := range c.Approvals {
		r.Approvals = append(r.Approvals, approvalView{By: a.By, At: formatDate(a.At), Counts: a.Counts, Why: a.Why,
			Commit: Link{Href: b.commitURL(a.Commit), Text: shortHash(a.Commit), Title: a.Commit}})
	}
	for _, f := range c.Findings {
		r.Findings = append(r.Findings, string(f.Code)+" "+f.Rule+": "+f.Message)
	}
	if c.RevertOf != "" {
		r.RevertOf = changeLink(c.RevertOf)
	}
	if c.RevertedBy != "" {
		r.RevertBy = changeLink(c.RevertedBy)
	}
	for _, k := range c.Components {
		r.Touched = append(r.Touched, b.componentLink(p, k))
	}
	for _, ids := range [][]string{c.Policies, c.Procedures} {
		for _, id := range ids {
			if d := b.ws.Document(id); d != nil {
				r.Touched = append(r.Touched, b.documentLink(p, d))
			} else {
				r.Touched = append(r.Touched, Link{Text: id})
			}
		}
	}
	for _, f := range c.Files {
		for _, st := range b.ws.Standards {
			if st.File == f && b.stdPath[st] != "" {
				r.Touched = append(r.Touched, p.link(b.stdPath[st], "Standard "+st.Name))
			}
		}
		for _, cert := range b.ws.Certifications {
			if cert.File == f && b.certPath[cert] != "" {
				r.Touched = append(r.Touched, p.link(b.certPath[cert], "Certification "+cert.Name))
			}
		}
	}
	for _, k := range c.Criteria {
		std, id, _ := strings.Cut(k, " ")
		l := b.controlLink(p, std, id)
		l.Text = k
		r.Touched = append(r.Touched, l)
	}
	return r
}

func orOpen(s, open string) string {
	if s == "" {
		return open
	}
	return s
}
