package site

import (
	"slices"

	"github.com/charter-compliance/charter/compiler/diff"
	"github.com/charter-compliance/charter/compiler/history"
	"github.com/charter-compliance/charter/compiler/links"
	"github.com/charter-compliance/charter/compiler/model"
)

// ---- changes page (--since) ----

type changesView struct {
	From, To       changeSide
	Empty          bool
	Certifications []certChangeView
	Components     []compChangeView
	Narratives     []narrChangeView
	Documents      []docChangeView
	// Merged lists the changes of the first-parent chain since From that
	// touched the program, newest first, with who made them.
	Merged     []revisionRow
	MergedNote string
}

type changeSide struct {
	Name    string
	Version string // the version label when it differs from Name
	Commit  Link
	AsOf    string
}

type certChangeView struct {
	Link     Link
	Change   string
	Before   string // "3 satisfied, 0 not applicable, of 5", or "" on the side without it
	After    string
	Verdicts []verdictChangeView
}

type verdictChangeView struct {
	Control        Link
	Title          string
	From, To       model.Status
	HasFrom, HasTo bool // false where the certification does not require it
	Change         string
}

type compChangeView struct {
	Link   Link // no Href when removed
	Key    string
	File   string
	Change string
}

type narrChangeView struct {
	Component Link
	Control   Link
	Key       string
	Change    string
	From, To  string
	Words     []diff.Segment
}

type docChangeView struct {
	Link     Link
	Kind     string
	File     string
	FromFile string
	Change   string
	Fields   []diff.FieldChange
	Hunks    []hunkView
}

type hunkView struct {
	Header string
	Lines  []diff.Line
}

func (b *builder) changesPage(p *page) {
	r := b.in.Changes
	p.Title = "Changes since " + r.From.Name
	p.Section = "changes"
	b.crumbs(p, Link{Text: p.Title})
	v := changesView{From: b.changeSide(r.From), To: b.changeSide(r.To), Empty: r.Empty()}
	v.Merged, v.MergedNote = b.mergedSince(r.From)
	for _, c := range r.Certifications {
		cv := certChangeView{Link: Link{Text: c.Name}, Change: string(c.Change)}
		if cert := b.ws.Certification(c.Name); cert != nil {
			cv.Link = b.certLink(p, cert)
		}
		if c.Change != diff.Added {
			cv.Before = c.FromHeadline()
		}
		if c.Change != diff.Removed {
			cv.After = c.ToHeadline()
		}
		for _, vc := range c.Verdicts {
			row := verdictChangeView{Control: b.controlLink(p, vc.Standard, vc.Control), Title: vc.Title, Change: string(vc.Change)}
			row.Control.Text = vc.Standard + " " + vc.Control
			if vc.From != nil {
				row.From, row.HasFrom = *vc.From, true
			}
			if vc.To != nil {
				row.To, row.HasTo = *vc.To, true
			}
			cv.Verdicts = append(cv.Verdicts, row)
		}
		v.Certifications = append(v.Certifications, cv)
	}
	for _, c := range r.Components {
		name := c.Name
		if name == "" {
			name = c.Key
		}
		cv := compChangeView{Link: Link{Text: name}, Key: c.Key, File: c.File, Change: string(c.Change)}
		if c.Change != diff.Removed {
			cv.Link = b.componentLink(p, c.Key)
		}
		v.Components = append(v.Components, cv)
	}
	for _, n := range r.Narratives {
		nv := narrChangeView{Component: Link{Text: n.Component}, Control: b.controlLink(p, n.Standard, n.Control),
			Key: n.Key, Change: string(n.Change), From: n.From, To: n.To, Words: n.Words}
		nv.Control.Text = n.Standard + " " + n.Control
		if b.ws.Component(n.Component) != nil {
			nv.Component = b.componentLink(p, n.Component)
		}
		v.Narratives = append(v.Narratives, nv)
	}
	for _, d := range r.Documents {
		title := d.Title
		if title == "" {
			title = d.ID
		}
		dv := docChangeView{Link: Link{Text: title, Title: d.ID}, Kind: kindName(d.Kind), File: d.File, FromFile: d.FromFile,
			Change: string(d.Change), Fields: d.Fields}
		if doc := b.ws.Document(d.ID); doc != nil && d.Change != diff.Removed {
			dv.Link = b.documentLink(p, doc)
		}
		for _, h := range d.Hunks {
			dv.Hunks = append(dv.Hunks, hunkView{Header: h.Header(), Lines: h.Lines})
		}
		v.Documents = append(v.Documents, dv)
	}
	p.Data = v
}

// mergedSince lists the changes of the first-parent chain after the
// commit of from that touched the program's files, newest first, with the
// approvals the change population recorded for them.
func (b *builder) mergedSince(from diff.State) ([]revisionRow, string) {
	if !b.info.HistoryOK {
		return nil, "Who made each change is unknown: " + b.info.HistoryNote + "."
	}
	chain := b.hist.Chain()
	end := slices.IndexFunc(chain, func(c history.Change) bool { return c.Commit == from.Commit })
	if end < 0 {
		return nil, from.Name + " is not on the first-parent chain of this build, so the changes since it cannot be listed one by one."
	}
	approvals := map[string][]history.Approval{}
	for _, revs := range b.hist.Files {
		for _, r := range revs {
			if len(r.Approvals) > 0 {
				approvals[r.Commit] = r.Approvals
			}
		}
	}
	var rows []revisionRow
	for _, c := range chain[:end] {
		if len(c.Files) == 0 {
			continue
		}
		r := c.Revision
		r.Approvals = approvals[r.Commit]
		rows = append(rows, b.revisionRow(r))
	}
	if len(rows) == 0 {
		return nil, "No commit since " + from.Name + " touched the program's files."
	}
	return rows, ""
}

func (b *builder) changeSide(s diff.State) changeSide {
	cs := changeSide{Name: s.Name, AsOf: s.AsOf}
	if s.Version != s.Name {
		cs.Version = s.Version
	}
	if s.Commit != "" {
		cs.Commit = Link{Href: b.commitURL(s.Commit), Text: shortHash(s.Commit), Title: s.Commit}
	}
	return cs
}

func shortHash(h string) string { return h[:min(10, len(h))] }

// ---- versions page (--versions) ----

type versionsView struct {
	Rows []versionRow
}

type versionRow struct {
	Link   Link
	Date   string
	Commit Link
	Note   string
	Shown  bool // the version this page belongs to
}

func (b *builder) versionsPage(p *page) {
	p.Title = "Versions"
	p.Section = "versions"
	b.crumbs(p, Link{Text: "Versions"})
	from := b.in.VersionDir + "/" + p.Path
	var v versionsView
	for i := range b.in.Versions {
		ver := &b.in.Versions[i]
		v.Rows = append(v.Rows, versionRow{
			Link:   Link{Href: rel(from, ver.Dir+"/"+links.Home), Text: ver.Name},
			Date:   formatDate(ver.Date),
			Commit: Link{Href: b.commitURL(ver.Commit), Text: shortHash(ver.Commit), Title: ver.Commit},
			Note:   versionNote(ver, b.in.VersionDir),
			Shown:  ver.Dir == b.in.VersionDir,
		})
	}
	p.Data = v
}

// VersionsIndex renders the page at the root of a multi-version site,
// which lists every version (newest first) and links to latest/, the
// current tree's copy, with layouts/versions-index.html of the embedded
// theme and theme's overrides (the current tree's, as Input.Theme). The
// page uses latest/'s stylesheet.
func VersionsIndex(name, latest string, versions []Version, theme map[string]ThemeFile) ([]byte, error) {
	th, err := loadTheme(theme)
	if err != nil {
		return nil, err
	}
	type row struct {
		Link           Link
		Date, Commit   string
		Current, Dirty bool
	}
	v := struct {
		Name, Style, Latest string
		Rows                []row
	}{Name: name, Style: latest + "/" + links.Asset("style.css"), Latest: latest + "/" + links.Home}
	for _, ver := range versions {
		v.Rows = append(v.Rows, row{Link: Link{Href: ver.Dir + "/" + links.Home, Text: ver.Name}, Date: formatDate(ver.Date),
			Commit: shortHash(ver.Commit), Current: ver.Current, Dirty: ver.Dirty})
	}
	var w hw
	if err := th.index.ExecuteTemplate(&w, th.indexName, v); err != nil {
		return nil, err
	}
	return w.b, nil
}
