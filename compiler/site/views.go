package site

import (
	"html/template"
	"slices"
	"strconv"
	"strings"
	"sync"

	"github.com/charter-compliance/charter/compiler/coverage"
	"github.com/charter-compliance/charter/compiler/docs"
	"github.com/charter-compliance/charter/compiler/links"
	"github.com/charter-compliance/charter/compiler/model"
)

// This file turns the workspace into the data each layout renders. Every
// href is computed here, relative to the page, from compiler/links.

func (b *builder) controlPaged(std, id string) bool {
	c := b.ws.Control(std, id)
	return c != nil && b.ctrlPath[c] != ""
}

func (b *builder) componentPaged(key string) bool {
	_, ok := b.compPath[key]
	return ok
}

func (b *builder) documentPaged(d *model.Document) bool { return b.paged[d] }

// controlLink links a control by "ID Name", or names it when it has no page.
func (b *builder) controlLink(p *page, std, id string) Link {
	return b.controlLinkTo(p, b.ws.Control(std, id), id)
}

// controlLinkTo is controlLink for c, the control found for id (nil when
// there is none).
func (b *builder) controlLinkTo(p *page, c *model.Control, id string) Link {
	l := Link{Text: id}
	if c != nil {
		l.Title = c.Name
		if path := b.ctrlPath[c]; path != "" {
			l.Href = p.Rel(path)
		}
	}
	return l
}

func (b *builder) componentLink(p *page, key string) Link {
	c := b.ws.Component(key)
	if c == nil {
		return Link{Text: key}
	}
	l := Link{Text: componentName(c)}
	if path, ok := b.compPath[key]; ok {
		l.Href = p.Rel(path)
	}
	return l
}

func (b *builder) documentLink(p *page, d *model.Document) Link {
	l := Link{Text: docTitle(d), Title: d.ID}
	if path := b.docPath[d]; path != "" {
		l.Href = p.Rel(path)
	}
	return l
}

func componentName(c *model.Component) string {
	if c.Name != "" {
		return c.Name
	}
	return c.Key
}

func docTitle(d *model.Document) string {
	if d.Title != "" {
		return d.Title
	}
	if d.ID != "" {
		return d.ID
	}
	return d.File
}

func (b *builder) crumbs(p *page, items ...Link) {
	p.Crumbs = append([]Link{p.link(links.Home, "Dashboard")}, items...)
}

// ---- criterion (control) page ----

type controlView struct {
	Standard        Link
	ID              string
	Name            string
	Family          string
	Description     template.HTML
	Status          model.Status
	Open            string          // "2 open claims", or ""
	OpenClaims      []openClaimView // the claims that leave it open
	Evidence        []evidenceView
	Implementations []implView
	Documents       []docClaimView
	Certifications  []Link
	EvidenceRows    template.HTML // Evidence as table rows
	RequiredBy      template.HTML // Certifications as a list of links
	LastChanged     string
	LastChangedNote string
	Source          string
}

// implView is one implementation of a criterion, shown on its page as a
// card (.Card): the component, its status, and the satisfaction's facts
// and narratives.
type implView struct {
	b       *builder
	p       *page
	ref     cardRef
	verdict *coverage.Verdict // the criterion's
}

// Card is the implementation's card.
func (v implView) Card() template.HTML {
	return fragmentHTML(func(w *hw) { v.b.writeCard(w, v.p, &v.ref, v.verdict) })
}

// Anchor is the card's id on the page.
func (v implView) Anchor() string { return v.ref.anchor }

type evidenceView struct {
	Link   Link
	Kind   string
	Status model.Status
	Reason string
}

type docClaimView struct {
	Link      Link
	ID        string
	Kind      string
	Status    string
	Effective string
	Counts    model.Status
	Reason    string
}

// satView is one satisfaction, shown on its control's page and on its
// component's page.
type satView struct {
	Anchor     string // id on this page
	Target     string // href of the same satisfaction on the other page
	Component  Link
	Control    Link
	Title      string
	Role       string
	Status     model.Status
	Reason     string
	Statuses   []writtenStatus
	Origins    []string
	Narratives []narrativeView
	Params     []paramView
	CoveredBy  []coveredView
	References []refView
	Known      bool          // the control exists in a loaded standard
	Full       bool          // narratives, parameters and references are filled in
	Body       template.HTML // with Full, the facts and narratives as the card of a criterion's page shows them
}

type writtenStatus struct {
	Raw    string
	Status model.Status
	Note   string
}

type narrativeView struct {
	Key  string
	Text string // rendered as fragment renders it
}

type paramView struct{ Key, Text string }

type coveredView struct {
	Link Link
	Note string
}

func (b *builder) implAnchor(component string, n int) string {
	a := "impl-" + b.slug(component)
	if n > 1 {
		a += "-" + strconv.Itoa(n)
	}
	return a
}

func (b *builder) satAnchor(std, id string, n int) string {
	a := "sat-" + b.slug(std) + "-" + b.slug(id)
	if n > 1 {
		a += "-" + strconv.Itoa(n)
	}
	return a
}

// satisfaction builds the view of one satisfaction; narratives,
// parameters and references only when full.
// verdict is the control's verdict, as b.cov.Verdict gives it.
func (b *builder) satisfaction(p *page, comp *model.Component, s *model.Satisfaction, verdict *coverage.Verdict, full bool) satView {
	ctrl := b.ws.Control(s.StandardKey, s.ControlKey)
	v := satView{
		Component: b.componentLink(p, comp.Key),
		Control:   b.controlLinkTo(p, ctrl, s.ControlKey),
		Role:      comp.ResponsibleRole,
		Status:    b.claimStatus(comp, s),
		Known:     ctrl != nil,
		Reason:    reasonOf(verdict, s),
		Full:      full,
	}
	if ctrl != nil {
		v.Title = ctrl.Name
	}
	if len(s.Statuses) > 0 {
		v.Statuses = make([]writtenStatus, len(s.Statuses))
		for i, st := range s.Statuses {
			ws := writtenStatus{Raw: st.Raw, Status: st.Status}
			if m, ok := model.LookupStatus(st.Raw); ok && m.Guess {
				ws.Note = m.Note
			} else if !ok {
				ws.Note = "not a known status"
			}
			v.Statuses[i] = ws
		}
	}
	if len(s.Origins) > 0 {
		v.Origins = make([]string, len(s.Origins))
		for i, o := range s.Origins {
			v.Origins[i] = o.Value
		}
	}
	if len(s.CoveredBy) > 0 {
		v.CoveredBy = make([]coveredView, len(s.CoveredBy))
		for i, cb := range s.CoveredBy {
			v.CoveredBy[i] = b.coveredBy(p, comp, cb)
		}
	}
	if !full {
		return v
	}
	if len(s.Narratives) > 0 {
		v.Narratives = make([]narrativeView, len(s.Narratives))
		for i, n := range s.Narratives {
			v.Narratives[i] = narrativeView{Key: n.Key, Text: n.Text}
		}
	}
	for _, pr := range s.Parameters {
		v.Params = append(v.Params, paramView{pr.Key, pr.Text})
	}
	for _, r := range s.References {
		v.References = append(v.References, b.reference(r.Name, r.Type, r.Path, comp.Dir))
	}
	return v
}

func reasonOf(v *coverage.Verdict, s *model.Satisfaction) string {
	if v == nil {
		return ""
	}
	for _, e := range v.Evidence {
		if e.Satisfaction == s {
			return e.Reason
		}
	}
	return ""
}

func (b *builder) coveredBy(p *page, comp *model.Component, cb model.CoveredBy) coveredView {
	key := cb.ComponentKey
	if key == "" {
		key = comp.Key
	}
	target := b.ws.Component(key)
	if target == nil {
		return coveredView{Link: Link{Text: key + " / " + cb.VerificationKey}, Note: "no component " + key}
	}
	ver := target.Verification(cb.VerificationKey)
	if ver == nil {
		return coveredView{Link: Link{Text: cb.VerificationKey}, Note: componentName(target) + " has no verification " + cb.VerificationKey}
	}
	name := ver.Name
	if name == "" {
		name = ver.Key
	}
	l := Link{Text: name, Title: ver.Key}
	if path, ok := b.verPath[ver]; ok {
		l.Href = p.Rel(path)
	}
	cv := coveredView{Link: l}
	if key != comp.Key {
		cv.Note = "evidence of " + componentName(target)
	}
	return cv
}

func (b *builder) controlPage(p *page, s *model.Standard, i int) {
	c := s.Controls[i]
	v := b.cov.Verdict(s.Name, c.ID)
	p.Title = c.ID + " " + c.Name
	p.Section = "standards"
	b.crumbs(p, p.link(links.Standards, "Standards"), p.link(b.stdPath[s], s.Name), Link{Text: c.ID})
	for j := i - 1; j >= 0; j-- {
		if pc := s.Controls[j]; b.controlPaged(s.Name, pc.ID) {
			l := b.controlLink(p, s.Name, pc.ID)
			p.Prev = &l
			break
		}
	}
	for j := i + 1; j < len(s.Controls); j++ {
		if nc := s.Controls[j]; b.controlPaged(s.Name, nc.ID) {
			l := b.controlLink(p, s.Name, nc.ID)
			p.Next = &l
			break
		}
	}
	cv := controlView{
		Standard: p.link(b.stdPath[s], s.Name),
		ID:       c.ID,
		Name:     c.Name,
		Status:   v.Status,
		Open:     openNote(v),
		Source:   s.File,
	}
	cv.OpenClaims = b.openClaims(p, v)
	if c.Family != "" {
		_, cv.Family = familyOf(b.ws, v)
	}
	if strings.TrimSpace(c.Description) != "" {
		cv.Description = b.fragment(p, c.Description)
	}
	next := 0
	if i+1 < len(s.Controls) {
		next = s.Controls[i+1].Pos.Line
	}
	parts := []bannerPart{controlLines(s.File, c.Pos.Line, next)}
	files := make([]string, 0, len(v.Evidence))
	counts := map[string]int{}
	cv.Evidence = make([]evidenceView, 0, len(v.Evidence))
	for _, e := range v.Evidence {
		switch e.Kind {
		case coverage.FromComponent:
			counts[e.Component.Key]++
			anchor := b.implAnchor(e.Component.Key, counts[e.Component.Key])
			target := "" // the satisfaction on its component's page
			if path, ok := b.compPath[e.Component.Key]; ok {
				target = path + "#" + b.satAnchor(s.Name, c.ID, b.satIndex(e.Component, e.Satisfaction))
			}
			cv.Implementations = append(cv.Implementations, implView{b: b, p: p, verdict: v,
				ref: cardRef{comp: e.Component, sat: e.Satisfaction, anchor: anchor, target: target}})
			cv.Evidence = append(cv.Evidence, evidenceView{Link: Link{Href: "#" + anchor, Text: componentName(e.Component)}, Kind: "component", Status: e.Status, Reason: e.Reason})
			files = append(files, e.Component.File)
			if len(b.problems.byFile[e.Component.File]) > 0 {
				parts = append(parts, satisfactionLines(e.Component, v.Key))
			}
		case coverage.FromDocument:
			d := e.Document
			cv.Documents = append(cv.Documents, docClaimView{Link: b.documentLink(p, d), ID: d.ID, Kind: d.Kind, Status: d.Status, Effective: datePtr(d.Effective), Counts: e.Status, Reason: e.Reason})
			cv.Evidence = append(cv.Evidence, evidenceView{Link: b.documentLink(p, d), Kind: kindName(d.Kind), Status: e.Status, Reason: e.Reason})
			files = append(files, d.File)
		}
	}
	for _, cert := range b.certsOf[v.Key] {
		cv.Certifications = append(cv.Certifications, b.certLink(p, cert))
	}
	cv.EvidenceRows = evidenceRowsHTML(cv.Evidence)
	cv.RequiredBy = linkList(cv.Certifications)
	slices.Sort(files)
	files = slices.Compact(files)
	cv.LastChanged, cv.LastChangedNote = b.lastChanged(files)
	p.Banner = b.banner(p, parts...)
	p.Data = cv
}

// satIndex is the 1-based count of satisfactions of the same control in the
// component up to s, to tell duplicates apart.
func (b *builder) satIndex(comp *model.Component, s *model.Satisfaction) int {
	d := b.dups[comp]
	d.once.Do(func() {
		seen := make(map[coverage.Key]int, len(comp.Satisfies))
		twice := false
		for _, x := range comp.Satisfies {
			k := coverage.Key{Standard: x.StandardKey, ID: x.ControlKey}
			seen[k]++
			twice = twice || seen[k] > 1
		}
		if !twice {
			return
		}
		clear(seen)
		d.nth = make(map[*model.Satisfaction]int, len(comp.Satisfies))
		for _, x := range comp.Satisfies {
			k := coverage.Key{Standard: x.StandardKey, ID: x.ControlKey}
			seen[k]++
			d.nth[x] = seen[k]
		}
	})
	if d.nth == nil {
		return 1
	}
	return d.nth[s]
}

// dupSats numbers a component's satisfactions when a page first needs it;
// nth stays nil when the component satisfies no criterion twice.
type dupSats struct {
	once sync.Once
	nth  map[*model.Satisfaction]int
}

func kindName(kind string) string {
	if kind == "" {
		return "document"
	}
	return kind
}

func (b *builder) certLink(p *page, c *model.Certification) Link {
	l := Link{Text: c.Name}
	if path := b.certPath[c]; path != "" {
		l.Href = p.Rel(path)
	}
	return l
}

// ---- component page ----

type componentView struct {
	Name                  string
	Key                   string
	System                string
	Role                  string
	SchemaVersion         string
	DocumentationComplete bool
	File                  refView
	References            []refView
	Verifications         []verificationView
	Groups                []satGroup
	Counts                []statusCount
	Total                 int
	Revisions             revisionsView
}

// satGroup is a component's satisfactions of one standard: a table
// (.Table), and below it in full the satisfactions whose criterion has no
// page.
type satGroup struct {
	Standard Link
	Full     []satView

	b    *builder
	p    *page
	comp *model.Component
	rows []satRow // in the table's order
}

// Table is the group's satisfactions as a table, each linking to its
// narratives.
func (g satGroup) Table() template.HTML {
	return fragmentHTML(func(w *hw) { g.b.writeSatisfactionRows(w, g.p, g.comp, g.rows) })
}

type verificationView struct {
	Anchor      string
	Key         string
	Name        string
	Type        string
	Description template.HTML
	Ref         refView
	File        template.HTML // the published evidence file, with its SHA-256
	Result      string
	LastRun     string
	UsedBy      []Link
}

func (b *builder) componentPage(p *page, c *model.Component) {
	p.Title = componentName(c)
	p.Section = "components"
	b.crumbs(p, p.link(links.Components, "Components"), Link{Text: componentName(c)})
	cv := componentView{
		Name: componentName(c), Key: c.Key, System: c.System, Role: c.ResponsibleRole,
		SchemaVersion: c.SchemaVersion, DocumentationComplete: c.DocumentationComplete,
		File:      refView{Name: c.File, Path: c.File, Href: b.repoFileURL(c.File)},
		Revisions: b.revisions(c.File),
		Total:     len(c.Satisfies),
	}
	for _, r := range c.References {
		cv.References = append(cv.References, b.reference(r.Name, r.Type, r.Path, c.Dir))
	}
	for i := range c.Verifications {
		ver := &c.Verifications[i]
		vv := verificationView{
			Anchor: "verification-" + links.Slug(ver.Key), Key: ver.Key, Name: ver.Name, Type: ver.Type,
			Ref: b.reference(ver.Path, ver.Type, ver.Path, c.Dir), LastRun: ver.LastRun,
		}
		if vv.Name == "" {
			vv.Name = ver.Key
		}
		if b.in.Evidence[ver] != nil {
			vv.File = fragmentHTML(func(w *hw) { b.writeEvidenceFile(w, p, ver) })
		}
		if strings.TrimSpace(ver.Description) != "" {
			vv.Description = b.fragment(p, ver.Description)
		}
		if ver.TestPassed != nil {
			vv.Result = "failed"
			if *ver.TestPassed {
				vv.Result = "passed"
			}
		}
		for _, k := range b.covered[verRef{c.Key, ver.Key}] {
			vv.UsedBy = append(vv.UsedBy, b.controlLink(p, k.Standard, k.ID))
		}
		cv.Verifications = append(cv.Verifications, vv)
	}
	counts := map[model.Status]int{}
	groups := map[string]int{}
	seen := map[coverage.Key]int{}
	for _, s := range c.Satisfies {
		k := coverage.Key{Standard: s.StandardKey, ID: s.ControlKey}
		seen[k]++
		// the narratives live on the criterion's page; a satisfaction of a
		// criterion without a page shows them here instead
		ctrl := b.ws.Control(s.StandardKey, s.ControlKey)
		full := ctrl == nil || b.ctrlPath[ctrl] == ""
		anchor := b.satAnchor(s.StandardKey, s.ControlKey, seen[k])
		counts[b.claimStatus(c, s)]++
		gi, ok := groups[s.StandardKey]
		if !ok {
			gi = len(cv.Groups)
			groups[s.StandardKey] = gi
			l := Link{Text: s.StandardKey}
			if path := b.stdPath[b.ws.Standard(s.StandardKey)]; path != "" {
				l.Href = p.Rel(path)
			}
			cv.Groups = append(cv.Groups, satGroup{Standard: l, b: b, p: p, comp: c})
		}
		cv.Groups[gi].rows = append(cv.Groups[gi].rows, satRow{sat: s, ctrl: ctrl, anchor: anchor, nth: seen[k], full: full})
	}
	for gi := range cv.Groups {
		g := &cv.Groups[gi]
		slices.SortStableFunc(g.rows, func(x, y satRow) int { return model.CompareIDs(x.sat.ControlKey, y.sat.ControlKey) })
		for _, r := range g.rows {
			if !r.full {
				continue
			}
			sv := b.satisfaction(p, c, r.sat, b.cov.Verdict(r.sat.StandardKey, r.sat.ControlKey), true)
			sv.Anchor = r.anchor
			sv.Body = fragmentHTML(func(w *hw) { b.writeSatisfactionOf(w, p, c, r.sat, sv.Status, sv.Reason, true) })
			g.Full = append(g.Full, sv)
		}
	}
	cv.Counts = countsOf(counts)
	p.Banner = b.banner(p, wholeFile(c.File))
	p.Data = cv
}

// ---- policy and procedure page ----

type documentView struct {
	ID                 string
	Title              string
	Kind               string
	Owner              string
	Approvers          []string
	Status             string
	InForce            bool
	StatusNote         string
	Effective          string
	ReviewCycle        string
	LastReviewed       string
	LastReviewedSource string
	NextReview         string
	Overdue            bool
	Description        string
	Satisfies          []claimView
	Body               template.HTML
	Contents           []docs.Heading
	Revisions          revisionsView
	File               refView
}

type claimView struct {
	Link   Link
	Name   string
	Status model.Status
}

func (b *builder) documentPage(p *page, d *model.Document) {
	p.Title = docTitle(d)
	p.Section = "documents"
	b.crumbs(p, p.link(links.Documents, "Policies & procedures"), Link{Text: d.ID})
	dv := documentView{
		ID: d.ID, Title: docTitle(d), Kind: kindName(d.Kind), Owner: d.Owner, Approvers: d.Approvers,
		Status: d.Status, InForce: d.InForce(b.in.AsOf), Effective: datePtr(d.Effective),
		ReviewCycle: d.ReviewCycle, Description: d.Description,
		Revisions: b.revisions(d.File),
		File:      refView{Name: d.File, Path: d.File, Href: b.repoFileURL(d.File)},
	}
	switch {
	case dv.InForce:
		dv.StatusNote = "in force"
	case d.Status == "approved":
		dv.StatusNote = "approved, not yet in force"
	case d.Status == "draft":
		dv.StatusNote = "draft: not in force"
	default:
		dv.StatusNote = "status unknown: not in force"
	}
	dv.LastReviewed, dv.LastReviewedSource = lastReviewed(d, b.hist)
	if next := nextReview(d, b.hist); next != nil {
		dv.NextReview = datePtr(next)
		dv.Overdue = !b.in.AsOf.IsZero() && next.Before(b.in.AsOf)
	}
	for _, cl := range d.Satisfies {
		cv := claimView{Link: b.controlLink(p, cl.Standard, cl.Control)}
		cv.Link.Text = cl.Standard + " " + cl.Control
		if c := b.ws.Control(cl.Standard, cl.Control); c != nil {
			cv.Name = c.Name
		}
		if v := b.cov.Verdict(cl.Standard, cl.Control); v != nil {
			cv.Status = v.Status
		}
		dv.Satisfies = append(dv.Satisfies, cv)
	}
	r := b.docOut[d]
	dv.Body = dropTitle(r, dv.Title)
	for _, h := range r.Headings {
		if h.Level == 2 && h.ID != "" {
			dv.Contents = append(dv.Contents, h)
		}
	}
	if len(dv.Contents) < 3 {
		dv.Contents = nil
	}
	p.Banner = b.banner(p, wholeFile(d.File))
	p.Data = dv
}

// ---- standard page ----

type standardView struct {
	Name           string
	Families       []familyRows
	Counts         []statusCount
	Total          int
	Certifications []Link
	Source         string
	Revisions      revisionsView
}

// familyRows is the criteria of one family of a standard or certification,
// shown as a table (.Table), with their evidence on a standard's page.
type familyRows struct {
	Anchor string
	Code   string
	Name   string

	b        *builder
	p        *page
	verdicts []*coverage.Verdict
	evidence bool
}

// Table is the family's criteria as a table.
func (f familyRows) Table() template.HTML { return f.b.controlTable(f.p, f.verdicts, f.evidence) }

// controlTable is a table of criteria with their status, and their
// evidence when evidence is set.
func (b *builder) controlTable(p *page, vs []*coverage.Verdict, evidence bool) template.HTML {
	return fragmentHTML(func(w *hw) { b.writeControlRows(w, p, vs, evidence) })
}

type controlRow struct {
	Link     Link
	Name     string
	Status   model.Status
	Open     string // "2 open claims", or ""
	Evidence []Link
	Known    bool
}

func (b *builder) controlRow(p *page, v *coverage.Verdict) controlRow {
	r := controlRow{Link: b.controlLink(p, v.Standard, v.ID), Status: v.Status, Open: openNote(v), Known: v.Control != nil}
	if v.Control != nil {
		r.Name = v.Control.Name
	}
	for _, e := range v.Evidence {
		if e.Kind == coverage.FromComponent {
			r.Evidence = append(r.Evidence, b.componentLink(p, e.Component.Key))
		} else {
			l := b.documentLink(p, e.Document)
			l.Text = e.Document.ID
			r.Evidence = append(r.Evidence, l)
		}
	}
	return r
}

func (b *builder) standardPage(p *page, s *model.Standard) {
	p.Title = "Standard " + s.Name
	p.Section = "standards"
	b.crumbs(p, p.link(links.Standards, "Standards"), Link{Text: s.Name})
	sv := standardView{Name: s.Name, Total: len(s.Controls), Source: s.File, Revisions: b.revisions(s.File)}
	counts := map[model.Status]int{}
	byFam := map[string]int{}
	for _, c := range s.Controls {
		v := b.cov.Verdict(s.Name, c.ID)
		counts[v.Status]++
		code, name := familyOf(b.ws, v)
		fi, ok := byFam[code]
		if !ok {
			fi = len(sv.Families)
			byFam[code] = fi
			sv.Families = append(sv.Families, familyRows{Anchor: "family-" + links.Slug(code), Code: code, Name: name, b: b, p: p, evidence: true})
		}
		sv.Families[fi].verdicts = append(sv.Families[fi].verdicts, v)
	}
	sv.Counts = countsOf(counts)
	for _, cert := range b.ws.Certifications {
		for _, cc := range cert.Controls {
			if cc.Standard == s.Name {
				sv.Certifications = append(sv.Certifications, b.certLink(p, cert))
				break
			}
		}
	}
	p.Banner = b.banner(p, wholeFile(s.File))
	p.Data = sv
}

// ---- certification page ----

type certView struct {
	Name     string
	Gated    bool
	Headline *headline
	// Open lists the satisfied criteria that carry open claims;
	// RequireClosed is charter.yaml's gate_requires_closed_claims.
	Open          []openRow
	RequireClosed bool
	Counts        []statusCount
	Bar           *barView
	Families      []familyRows
	Source        string
	Revisions     revisionsView

	b    *builder
	p    *page
	cr   *coverage.Certification
	gaps []*coverage.Verdict
}

// Heatmap is the certification's heat map: a square per criterion.
func (v certView) Heatmap() template.HTML {
	if v.cr == nil {
		return ""
	}
	return v.b.heatmapHTML(v.p, v.cr)
}

// GapTable is the table of the criteria not yet closed, with their
// evidence; empty when there are none.
func (v certView) GapTable() template.HTML {
	if len(v.gaps) == 0 {
		return ""
	}
	return v.b.controlTable(v.p, v.gaps, true)
}

func (b *builder) gated(name string) bool {
	for _, g := range b.ws.Config.Gate {
		if g.Name == name {
			return true
		}
	}
	return false
}

func (b *builder) certificationPage(p *page, c *model.Certification) {
	cr := b.cov.Certification(c.Name)
	p.Title = "Certification " + c.Name
	p.Section = "certifications"
	b.crumbs(p, p.link(links.Certifications, "Certifications"), Link{Text: c.Name})
	cv := certView{Name: c.Name, Gated: b.gated(c.Name), RequireClosed: b.cov.RequireClosedClaims, Source: c.File, Revisions: b.revisions(c.File), b: b, p: p}
	if cr != nil {
		h := headlineOf(cr)
		cv.Headline = &h
		cv.Open = b.openRows(p, cr)
		cv.Counts = countsOf(cr.Counts)
		cv.Bar = bar(cr.Counts, cr.Total(), c.Name+": "+h.Text)
		cv.cr = cr
		byFam := map[string]int{}
		for _, v := range cr.Verdicts {
			code, name := familyOf(b.ws, v)
			key := v.Standard + "\x00" + code
			fi, ok := byFam[key]
			if !ok {
				fi = len(cv.Families)
				byFam[key] = fi
				cv.Families = append(cv.Families, familyRows{Anchor: "family-" + links.Slug(code), Code: code, Name: name, b: b, p: p})
			}
			cv.Families[fi].verdicts = append(cv.Families[fi].verdicts, v)
			if !v.Status.Done() {
				cv.gaps = append(cv.gaps, v)
			}
		}
	}
	p.Banner = b.banner(p, wholeFile(c.File))
	p.Data = cv
}

// ---- home ----

type homeView struct {
	Description string
	Certs       []certCard
	Standards   int
	Controls    int
	Components  int
	Sats        int
	Policies    int
	Procedures  int
	Overdue     []Link
	Drafts      []Link
	Source      []refView
}

// homeGaps is how many gaps of a certification the dashboard lists, and
// how many of its satisfied criteria with open claims; all of both are on
// the certification's page.
const homeGaps = 40

type certCard struct {
	Link     Link
	Gated    bool
	Headline headline
	Open     []openRow // the first satisfied criteria with open claims
	OpenN    int       // how many there are
	Counts   []statusCount
	Bar      *barView
	Gaps     []controlRow // the first gaps; all are on the certification's page
	GapsN    int

	b  *builder
	p  *page
	cr *coverage.Certification
}

// Heatmap is the certification's heat map: a square per criterion.
func (c certCard) Heatmap() template.HTML {
	if c.cr == nil {
		return ""
	}
	return c.b.heatmapHTML(c.p, c.cr)
}

// certCard is a certification's summary, as the dashboard and the
// certifications page show it.
func (b *builder) certCard(p *page, cr *coverage.Certification) certCard {
	h := headlineOf(cr)
	return certCard{Link: b.certLink(p, cr.Cert), Gated: b.gated(cr.Cert.Name), Headline: h, Counts: countsOf(cr.Counts),
		Bar: bar(cr.Counts, cr.Total(), cr.Cert.Name+": "+h.Text), b: b, p: p, cr: cr}
}

func (b *builder) homePage(p *page) {
	p.Title = "Dashboard"
	p.Section = "home"
	hv := homeView{Description: b.ws.Manifest.Description, Standards: len(b.ws.Standards), Components: len(b.ws.Components)}
	for _, s := range b.ws.Standards {
		hv.Controls += len(s.Controls)
	}
	for _, c := range b.ws.Components {
		hv.Sats += len(c.Satisfies)
	}
	// the certifications a gate requires first: they decide whether check passes
	certs := slices.Clone(b.cov.Certifications)
	slices.SortStableFunc(certs, func(x, y *coverage.Certification) int {
		gx, gy := b.gated(x.Cert.Name), b.gated(y.Cert.Name)
		switch {
		case gx && !gy:
			return -1
		case gy && !gx:
			return 1
		}
		return 0
	})
	for _, cr := range certs {
		card := b.certCard(p, cr)
		card.Open, card.OpenN = b.openRowsUpTo(p, cr, homeGaps)
		gaps := cr.Gaps()
		card.GapsN = len(gaps)
		for _, v := range gaps[:min(len(gaps), homeGaps)] {
			card.Gaps = append(card.Gaps, b.controlRow(p, v))
		}
		hv.Certs = append(hv.Certs, card)
	}
	for _, d := range b.ws.Documents {
		switch d.Kind {
		case "procedure":
			hv.Procedures++
		default:
			hv.Policies++
		}
		if d.Status != "approved" {
			hv.Drafts = append(hv.Drafts, b.documentLink(p, d))
		}
		if next := nextReview(d, b.hist); next != nil && !b.in.AsOf.IsZero() && next.Before(b.in.AsOf) {
			hv.Overdue = append(hv.Overdue, b.documentLink(p, d))
		}
	}
	p.Banner = b.banner(p, wholeFile("opencontrol.yaml"), wholeFile("charter.yaml"))
	p.Data = hv
}

// ---- index pages ----

type standardsView struct{ Rows []standardRow }

type standardRow struct {
	Link     Link
	Controls int
	Families int
	Counts   []statusCount
	Bar      *barView
}

func (b *builder) standardsPage(p *page) {
	p.Title = "Standards"
	p.Section = "standards"
	b.crumbs(p, Link{Text: "Standards"})
	var v standardsView
	for _, s := range b.ws.Standards {
		counts := map[model.Status]int{}
		fams := map[string]bool{}
		for _, c := range s.Controls {
			counts[b.cov.Verdict(s.Name, c.ID).Status]++
			fams[c.Family] = true
		}
		l := Link{Text: s.Name}
		if b.paged[s] {
			l.Href = p.Rel(links.Standard(s.Name))
		}
		v.Rows = append(v.Rows, standardRow{Link: l, Controls: len(s.Controls), Families: len(fams), Counts: countsOf(counts),
			Bar: bar(counts, len(s.Controls), s.Name)})
	}
	p.Data = v
}

type componentsView struct{ Rows []componentRow }

type componentRow struct {
	Link          Link
	Key           string
	Role          string
	Satisfactions int
	Verifications int
	Counts        []statusCount
}

func (b *builder) componentsPage(p *page) {
	p.Title = "Components"
	p.Section = "components"
	b.crumbs(p, Link{Text: "Components"})
	var v componentsView
	for _, c := range b.ws.Components {
		counts := map[model.Status]int{}
		for _, s := range c.Satisfies {
			counts[b.claimStatus(c, s)]++
		}
		v.Rows = append(v.Rows, componentRow{Link: b.componentLink(p, c.Key), Key: c.Key, Role: c.ResponsibleRole,
			Satisfactions: len(c.Satisfies), Verifications: len(c.Verifications), Counts: countsOf(counts)})
	}
	p.Data = v
}

type documentsView struct {
	Policies   []documentRow
	Procedures []documentRow
}

type documentRow struct {
	Link       Link
	ID         string
	Owner      string
	Status     string
	InForce    bool
	Effective  string
	NextReview string
	Overdue    bool
	Claims     int
}

func (b *builder) documentsPage(p *page) {
	p.Title = "Policies & procedures"
	p.Section = "documents"
	b.crumbs(p, Link{Text: "Policies & procedures"})
	var v documentsView
	for _, d := range b.ws.Documents {
		row := documentRow{Link: b.documentLink(p, d), ID: d.ID, Owner: d.Owner, Status: d.Status,
			InForce: d.InForce(b.in.AsOf), Effective: datePtr(d.Effective), Claims: len(d.Satisfies)}
		if next := nextReview(d, b.hist); next != nil {
			row.NextReview = datePtr(next)
			row.Overdue = !b.in.AsOf.IsZero() && next.Before(b.in.AsOf)
		}
		if d.Kind == "procedure" {
			v.Procedures = append(v.Procedures, row)
		} else {
			v.Policies = append(v.Policies, row)
		}
	}
	p.Data = v
}

type certificationsView struct{ Rows []certCard }

func (b *builder) certificationsPage(p *page) {
	p.Title = "Certifications"
	p.Section = "certifications"
	b.crumbs(p, Link{Text: "Certifications"})
	var v certificationsView
	for _, cr := range b.cov.Certifications {
		v.Rows = append(v.Rows, b.certCard(p, cr))
	}
	p.Data = v
}

func (b *builder) searchPage(p *page) {
	p.Title = "Search"
	p.Section = "search"
	b.crumbs(p, Link{Text: "Search"})
}

// dropTitle removes a leading level-1 heading that repeats the document's
// title: the page header already shows it.
func dropTitle(r docs.Rendered, title string) template.HTML {
	body := string(r.HTML)
	if len(r.Headings) == 0 || r.Headings[0].Level != 1 || strings.TrimSpace(r.Headings[0].Text) != strings.TrimSpace(title) || !strings.HasPrefix(body, "<h1") {
		return r.HTML
	}
	end := strings.Index(body, "</h1>")
	if end < 0 {
		return r.HTML
	}
	return template.HTML(strings.TrimLeft(body[end+len("</h1>"):], "\n"))
}
