package export

import (
	"bytes"
	"crypto/sha1"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"net/url"
	"strings"
	"time"
	"unicode"

	"github.com/charter-compliance/charter/compiler/changes"
	"github.com/charter-compliance/charter/compiler/coverage"
	"github.com/charter-compliance/charter/compiler/diag"
	"github.com/charter-compliance/charter/compiler/model"
)

// OSCALVersion is the OSCAL version the OSCAL exports conform to.
const OSCALVersion = "1.2.2"

// The OSCAL files' names, as the assessment results and plan refer to
// each other.
const (
	ComponentDefinitionFile = "component-definition.json"
	AssessmentPlanFile      = "assessment-plan.json"
	AssessmentResultsFile   = "assessment-results.json"
)

// oscalNS qualifies the properties charter adds (OSCAL's own names carry no
// namespace).
const oscalNS = "urn:charter:oscal"

// uuidNamespace is the namespace of every UUID charter derives (version 5,
// RFC 9562 section 5.5): it is itself the version-5 UUID of "charter" in
// the URL namespace.
var uuidNamespace = nameUUID([16]byte{0x6b, 0xa7, 0xb8, 0x11, 0x9d, 0xad, 0x11, 0xd1, 0x80, 0xb4, 0x00, 0xc0, 0x4f, 0xd4, 0x30, 0xc8}, "charter")

// nameUUID is the version-5 UUID of name in namespace ns.
func nameUUID(ns [16]byte, name string) [16]byte {
	return uuidOf(append(ns[:], name...))
}

// uuidOf is the version-5 UUID whose SHA-1 input (namespace, then name)
// is b.
func uuidOf(b []byte) [16]byte {
	sum := sha1.Sum(b)
	var u [16]byte
	copy(u[:], sum[:])
	u[6] = u[6]&0x0f | 0x50 // version 5
	u[8] = u[8]&0x3f | 0x80 // RFC 4122 variant
	return u
}

func formatUUID(u [16]byte) string {
	var b [36]byte
	hex.Encode(b[0:8], u[0:4])
	b[8] = '-'
	hex.Encode(b[9:13], u[4:6])
	b[13] = '-'
	hex.Encode(b[14:18], u[6:8])
	b[18] = '-'
	hex.Encode(b[19:23], u[8:10])
	b[23] = '-'
	hex.Encode(b[24:], u[10:])
	return string(b[:])
}

// ids derives an export's UUIDs from keys: the same repository and key
// always give the same UUID, so that re-exports diff cleanly.
type ids struct{ repo string }

func (x ids) of(parts ...string) string {
	// the name is repo and parts joined by NULs, written once after the
	// namespace into a buffer on the stack when it fits
	var buf [256]byte
	b := append(append(buf[:0], uuidNamespace[:]...), x.repo...)
	for _, p := range parts {
		b = append(append(b, 0), p...)
	}
	return formatUUID(uuidOf(b))
}

// Token makes an identifier an OSCAL token (an XML NCName): "AC-2 (1)"
// becomes "ac-2.1" as in NIST's OSCAL catalogues, other characters that a
// token cannot hold become '_', and a token that would start with a digit,
// '.' or '-' is prefixed with '_'. The result is lower case.
func Token(id string) string {
	s := strings.ToLower(strings.TrimSpace(id))
	s = strings.ReplaceAll(s, " (", ".")
	s = strings.ReplaceAll(s, "(", ".")
	s = strings.ReplaceAll(s, ")", "")
	var b strings.Builder
	for _, r := range s {
		switch {
		case unicode.IsLetter(r), unicode.IsDigit(r) && r < 0x80, r == '.', r == '-', r == '_':
			b.WriteRune(r)
		default:
			b.WriteByte('_')
		}
	}
	t := b.String()
	if t == "" {
		return "_"
	}
	if r := rune(t[0]); !unicode.IsLetter(r) && r != '_' {
		t = "_" + t
	}
	return t
}

// line makes text an OSCAL one-line string: whitespace runs become one
// space and the ends are trimmed; empty text becomes alt.
func line(s, alt string) string {
	if !oneLine(s) {
		s = strings.Join(strings.Fields(s), " ")
	}
	if s == "" {
		return alt
	}
	return s
}

// oneLine reports whether s is a line already: ASCII with no whitespace
// but single spaces between words. Other text is left to line's general
// case.
func oneLine(s string) bool {
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c >= 0x80, c < ' ':
			return false
		case c == ' ' && (i == 0 || i == len(s)-1 || s[i+1] == ' '):
			return false
		}
	}
	return true
}

// stamp is a day as an OSCAL date-time: midnight UTC, or the earliest
// time OSCAL's pattern allows when the day is unknown.
func stamp(t time.Time) string {
	if t.IsZero() {
		t = time.Date(1900, 1, 1, 0, 0, 0, 0, time.UTC)
	}
	return t.UTC().Format(time.RFC3339)
}

// The OSCAL shapes charter writes; see the OSCAL 1.2 JSON reference.
type (
	oscalMetadata struct {
		Title        string      `json:"title"`
		LastModified string      `json:"last-modified"`
		Version      string      `json:"version"`
		OSCALVersion string      `json:"oscal-version"`
		Props        []oscalProp `json:"props,omitempty"`
		Remarks      string      `json:"remarks,omitempty"`
	}
	oscalProp struct {
		Name  string `json:"name"`
		NS    string `json:"ns,omitempty"`
		Value string `json:"value"`
	}
	oscalLink struct {
		Href string `json:"href"`
		Rel  string `json:"rel,omitempty"`
		Text string `json:"text,omitempty"`
	}
	oscalComponent struct {
		UUID                   string              `json:"uuid"`
		Type                   string              `json:"type"`
		Title                  string              `json:"title"`
		Description            string              `json:"description"`
		Props                  []oscalProp         `json:"props,omitempty"`
		Links                  []oscalLink         `json:"links,omitempty"`
		ControlImplementations []oscalControlImpls `json:"control-implementations,omitempty"`
	}
	oscalControlImpls struct {
		UUID                    string                 `json:"uuid"`
		Source                  string                 `json:"source"`
		Description             string                 `json:"description"`
		ImplementedRequirements []oscalImplementedReqt `json:"implemented-requirements"`
	}
	oscalImplementedReqt struct {
		UUID        string           `json:"uuid"`
		ControlID   string           `json:"control-id"`
		Description string           `json:"description"`
		Props       []oscalProp      `json:"props,omitempty"`
		Links       []oscalLink      `json:"links,omitempty"`
		Statements  []oscalStatement `json:"statements,omitempty"`
	}
	oscalStatement struct {
		StatementID string `json:"statement-id"`
		UUID        string `json:"uuid"`
		Description string `json:"description"`
	}
)

// ComponentDefinition writes the OSCAL component-definition: every
// component becomes an OSCAL component (type service), every policy one of
// type policy and every procedure one of type process-procedure. Each has a
// control implementation per standard it claims, with one implemented
// requirement per control and, for components, a statement per narrative
// key.
func ComponentDefinition(in Input) ([]byte, error) {
	ws := in.Result.Workspace
	x := ids{ws.Manifest.Name}
	var comps []oscalComponent
	for _, c := range ws.Components {
		oc := oscalComponent{UUID: x.of("component", c.Key), Type: "service", Title: line(c.Name, c.Key),
			Description: line(c.Name, c.Key) + " (OpenControl component " + c.Key + ", " + c.File + ").",
			Props:       []oscalProp{{Name: "component-key", NS: oscalNS, Value: line(c.Key, "_")}}}
		if c.ResponsibleRole != "" {
			oc.Props = append(oc.Props, oscalProp{Name: "responsible-role", NS: oscalNS, Value: line(c.ResponsibleRole, "_")})
		}
		for _, r := range c.References {
			if l, ok := link(r.Path, r.Name); ok {
				oc.Links = append(oc.Links, l)
			}
		}
		impls := map[string]*oscalControlImpls{}
		var order []string
		for _, s := range c.Satisfies {
			ci := impls[s.StandardKey]
			if ci == nil {
				ci = &oscalControlImpls{UUID: x.of("control-implementation", c.Key, s.StandardKey), Source: standardSource(ws, s.StandardKey),
					Description: line(c.Name, c.Key) + " implements controls of " + line(s.StandardKey, "a standard") + "."}
				impls[s.StandardKey] = ci
				order = append(order, s.StandardKey)
			}
			ci.ImplementedRequirements = append(ci.ImplementedRequirements, requirement(x, c, s))
		}
		for _, std := range order {
			oc.ControlImplementations = append(oc.ControlImplementations, *impls[std])
		}
		comps = append(comps, oc)
	}
	for _, d := range ws.Documents {
		comps = append(comps, documentComponent(x, in, d))
	}
	name := line(ws.Manifest.Name, "OpenControl repository")
	var doc struct {
		Def struct {
			UUID       string           `json:"uuid"`
			Metadata   oscalMetadata    `json:"metadata"`
			Components []oscalComponent `json:"components,omitempty"`
		} `json:"component-definition"`
	}
	doc.Def.UUID = x.of("component-definition")
	doc.Def.Metadata = metadata(in, name+": components, policies and procedures")
	doc.Def.Components = comps
	return marshal(doc)
}

func requirement(x ids, c *model.Component, s *model.Satisfaction) oscalImplementedReqt {
	var raw []string
	for _, st := range s.Statuses {
		raw = append(raw, st.Raw)
	}
	// the verdict, the control's token and its label are each used more
	// than once below: made once
	verdict := s.Verdict().String()
	token := Token(s.ControlKey)
	label := line(s.ControlKey, "_")
	desc := line(c.Name, c.Key) + " claims " + line(s.StandardKey, "?") + " " + line(s.ControlKey, "?") + "; verdict " + verdict
	if len(raw) > 0 {
		desc += " (implementation status " + strings.Join(raw, ", ") + ")"
	}
	r := oscalImplementedReqt{UUID: x.of("implemented-requirement", c.Key, s.StandardKey, s.ControlKey), ControlID: token,
		Description: desc + ".",
		Props:       []oscalProp{{Name: "label", Value: label}, {Name: "verdict", NS: oscalNS, Value: verdict}}}
	for _, st := range s.Statuses {
		r.Props = append(r.Props, oscalProp{Name: "implementation-status", NS: oscalNS, Value: line(st.Raw, "_")})
	}
	for _, o := range s.Origins {
		r.Props = append(r.Props, oscalProp{Name: "control-origin", NS: oscalNS, Value: line(o.Value, "_")})
	}
	seen := map[string]int{}
	for _, n := range s.Narratives {
		text := strings.TrimSpace(n.Text)
		if text == "" {
			continue
		}
		sid := token + "_smt"
		if n.Key != "" {
			sid += "." + strings.TrimPrefix(Token(n.Key), "_")
		}
		seen[sid]++
		key := n.Key
		if k := seen[sid]; k > 1 { // a repeated narrative key (check reports it)
			sid = fmt.Sprintf("%s_%d", sid, k)
			key = fmt.Sprintf("%s#%d", n.Key, k)
		}
		r.Statements = append(r.Statements, oscalStatement{StatementID: sid,
			UUID: x.of("statement", c.Key, s.StandardKey, s.ControlKey, key), Description: text})
	}
	return r
}

func documentComponent(x ids, in Input, d *model.Document) oscalComponent {
	ws := in.Result.Workspace
	typ := "policy"
	if d.Kind == "procedure" {
		typ = "process-procedure"
	}
	title := line(d.Title, d.ID)
	desc := line(d.Description, "")
	if desc == "" {
		desc = fmt.Sprintf("The %s %s (%s).", line(d.Kind, "document"), title, d.File)
	}
	oc := oscalComponent{UUID: x.of("document", d.ID), Type: typ, Title: title, Description: desc,
		Props: []oscalProp{{Name: "document-id", NS: oscalNS, Value: line(d.ID, "_")}, {Name: "document-status", NS: oscalNS, Value: line(d.Status, "unknown")}}}
	if d.Effective != nil {
		oc.Props = append(oc.Props, oscalProp{Name: "effective", NS: oscalNS, Value: day(*d.Effective)})
	}
	if l, ok := link(d.File, ""); ok {
		oc.Links = append(oc.Links, l)
	}
	impls := map[string]*oscalControlImpls{}
	var order []string
	for _, cl := range d.Satisfies {
		ci := impls[cl.Standard]
		if ci == nil {
			ci = &oscalControlImpls{UUID: x.of("document-control-implementation", d.ID, cl.Standard), Source: standardSource(ws, cl.Standard),
				Description: title + " addresses controls of " + line(cl.Standard, "a standard") + "."}
			impls[cl.Standard] = ci
			order = append(order, cl.Standard)
		}
		reason := documentReason(in, d, cl)
		ci.ImplementedRequirements = append(ci.ImplementedRequirements, oscalImplementedReqt{
			UUID: x.of("document-requirement", d.ID, cl.Standard, cl.Control), ControlID: Token(cl.Control),
			Description: fmt.Sprintf("%s claims %s %s: %s.", title, line(cl.Standard, "?"), line(cl.Control, "?"), reason),
			Props:       []oscalProp{{Name: "label", Value: line(cl.Control, "_")}}})
	}
	for _, std := range order {
		oc.ControlImplementations = append(oc.ControlImplementations, *impls[std])
	}
	return oc
}

// documentReason is what coverage made of a document's claim.
func documentReason(in Input, d *model.Document, cl model.Claim) string {
	if v := in.Result.Coverage.Verdict(cl.Standard, cl.Control); v != nil {
		for _, e := range v.Evidence {
			if e.Kind == coverage.FromDocument && e.Document == d {
				return e.Status.String() + ", " + e.Reason
			}
		}
	}
	return "the control is not in a loaded standard"
}

// standardSource names the standard a control implementation draws on:
// its file in the repository.
func standardSource(ws *model.Workspace, name string) string {
	if s := ws.Standard(name); s != nil && s.File != "" {
		return (&url.URL{Path: s.File}).String()
	}
	return "#" + Token(name)
}

// link makes a reference a link when its path is a URL or a relative path.
func link(p, text string) (oscalLink, bool) {
	p = strings.TrimSpace(p)
	if p == "" {
		return oscalLink{}, false
	}
	u, err := url.Parse(p)
	if err != nil {
		u = &url.URL{Path: p}
	}
	return oscalLink{Href: u.String(), Rel: "reference", Text: line(text, "")}, true
}

func metadata(in Input, title string) oscalMetadata {
	m := oscalMetadata{Title: title, LastModified: stamp(in.Info.AsOf), Version: line(in.Info.Version, "unversioned"), OSCALVersion: OSCALVersion}
	if in.Info.Commit != "" {
		m.Props = append(m.Props, oscalProp{Name: "commit", NS: oscalNS, Value: in.Info.Commit})
	}
	m.Props = append(m.Props, oscalProp{Name: "generator", NS: oscalNS, Value: line("charter "+in.Info.Charter, "charter")})
	return m
}

// The assessment plan's and results' shapes.
type (
	oscalHref struct {
		Href    string `json:"href"`
		Remarks string `json:"remarks,omitempty"`
	}
	oscalControlRef struct {
		ControlID string `json:"control-id"`
	}
	oscalControlSelection struct {
		Description     string            `json:"description,omitempty"`
		IncludeControls []oscalControlRef `json:"include-controls,omitempty"`
		ExcludeControls []oscalControlRef `json:"exclude-controls,omitempty"`
	}
	oscalReviewedControls struct {
		Description       string                  `json:"description"`
		ControlSelections []oscalControlSelection `json:"control-selections"`
	}
	oscalResult struct {
		UUID             string                `json:"uuid"`
		Title            string                `json:"title"`
		Description      string                `json:"description"`
		Start            string                `json:"start"`
		End              string                `json:"end"`
		ReviewedControls oscalReviewedControls `json:"reviewed-controls"`
		Observations     []oscalObservation    `json:"observations,omitempty"`
		Findings         []oscalFinding        `json:"findings,omitempty"`
	}
	oscalFinding struct {
		UUID                string                `json:"uuid"`
		Title               string                `json:"title"`
		Description         string                `json:"description"`
		Props               []oscalProp           `json:"props,omitempty"`
		Target              oscalTarget           `json:"target"`
		RelatedObservations []oscalRelatedObsUUID `json:"related-observations,omitempty"`
	}
	oscalTarget struct {
		Type     string `json:"type"`
		TargetID string `json:"target-id"`
		Status   struct {
			State string `json:"state"`
		} `json:"status"`
	}
	oscalRelatedObsUUID struct {
		ObservationUUID string `json:"observation-uuid"`
	}
	oscalObservation struct {
		UUID             string          `json:"uuid"`
		Title            string          `json:"title"`
		Description      string          `json:"description"`
		Props            []oscalProp     `json:"props,omitempty"`
		Methods          []string        `json:"methods"`
		RelevantEvidence []oscalEvidence `json:"relevant-evidence,omitempty"`
		Collected        string          `json:"collected"`
		Remarks          string          `json:"remarks,omitempty"`
	}
	oscalEvidence struct {
		Href        string `json:"href,omitempty"`
		Description string `json:"description"`
	}
)

// AssessmentPlan writes the minimal OSCAL assessment plan the assessment
// results import: charter's automated review of every selected control.
// charter keeps no system security plan, so the plan's import-ssp points
// at the component definition, which holds what an SSP would.
func AssessmentPlan(in Input) ([]byte, error) {
	certs, err := in.Certifications()
	if err != nil {
		return nil, err
	}
	x := ids{in.Result.Workspace.Manifest.Name}
	var doc struct {
		Plan struct {
			UUID             string                `json:"uuid"`
			Metadata         oscalMetadata         `json:"metadata"`
			ImportSSP        oscalHref             `json:"import-ssp"`
			ReviewedControls oscalReviewedControls `json:"reviewed-controls"`
		} `json:"assessment-plan"`
	}
	doc.Plan.UUID = x.of("assessment-plan")
	doc.Plan.Metadata = metadata(in, line(in.Result.Workspace.Manifest.Name, "OpenControl repository")+": automated assessment plan")
	doc.Plan.ImportSSP = oscalHref{Href: ComponentDefinitionFile,
		Remarks: "charter keeps no system security plan; the component definition holds the implementation statements."}
	doc.Plan.ReviewedControls = reviewedControls(certs, "Every control the selected certifications require, judged by charter from the repository on the judging day.")
	return marshal(doc)
}

func reviewedControls(certs []*coverage.Certification, desc string) oscalReviewedControls {
	var sel []oscalControlRef
	seen := map[string]bool{}
	for _, c := range certs {
		for _, v := range c.Verdicts {
			t := Token(v.ID)
			if !seen[t] {
				seen[t] = true
				sel = append(sel, oscalControlRef{ControlID: t})
			}
		}
	}
	cs := oscalControlSelection{IncludeControls: sel}
	if len(sel) == 0 {
		cs = oscalControlSelection{Description: "no control is selected", ExcludeControls: []oscalControlRef{{ControlID: "_none"}}}
	}
	return oscalReviewedControls{Description: desc, ControlSelections: []oscalControlSelection{cs}}
}

// AssessmentResults writes the OSCAL assessment results for the audit
// period: a result per selected certification whose findings are its
// controls, satisfied when the verdict closes the control and
// not-satisfied otherwise, each related to the observations of the
// verifications behind it.
func AssessmentResults(in Input) ([]byte, error) {
	in = in.memoised()
	certs, err := in.Certifications()
	if err != nil {
		return nil, err
	}
	ws := in.Result.Workspace
	x := ids{ws.Manifest.Name}
	start, end := in.Info.Period()
	var results []oscalResult
	for _, c := range certs {
		res := oscalResult{
			UUID:  x.of("result", c.Cert.Name),
			Title: line(c.Cert.Name, "certification"),
			Description: fmt.Sprintf("charter's judgement of %s on %s: %s.",
				line(c.Cert.Name, "the certification"), day(in.Info.AsOf), c.Headline()),
			Start:            stamp(start),
			End:              stamp(end),
			ReviewedControls: reviewedControls([]*coverage.Certification{c}, "The controls "+line(c.Cert.Name, "the certification")+" requires."),
		}
		observed := map[string]bool{}
		// the change-management test of the period is one observation,
		// related to every finding a change-management verification covers
		tested := in.Result.Changes
		changeTest := x.of("change-management-test", c.Cert.Name)
		for _, r := range Rows(in, c) {
			var related []oscalRelatedObsUUID
			bearsOnChanges := false
			for _, ev := range r.Evidence {
				id := x.of("observation", c.Cert.Name, ev.Component, ev.Key)
				related = append(related, oscalRelatedObsUUID{ObservationUUID: id})
				if !observed[id] {
					observed[id] = true
					res.Observations = append(res.Observations, observation(id, ev, in.Info.AsOf))
				}
				bearsOnChanges = bearsOnChanges || ev.Type == changes.VerificationType
			}
			if tested != nil && bearsOnChanges {
				related = append(related, oscalRelatedObsUUID{ObservationUUID: changeTest})
			}
			title := line(r.Standard+" "+r.Control, "control")
			if r.Title != "" {
				title += ": " + line(r.Title, "")
			}
			f := oscalFinding{
				UUID:                x.of("finding", c.Cert.Name, r.Standard, r.Control),
				Title:               title,
				Description:         findingText(r),
				Props:               []oscalProp{{Name: "verdict", NS: oscalNS, Value: r.Verdict.String()}, {Name: "label", Value: line(r.Control, "_")}},
				Target:              oscalTarget{Type: "objective-id", TargetID: Token(r.Control)},
				RelatedObservations: related,
			}
			f.Target.Status.State = "not-satisfied"
			if r.Verdict.Done() {
				f.Target.Status.State = "satisfied"
			}
			res.Findings = append(res.Findings, f)
		}
		if tested != nil {
			res.Observations = append(res.Observations, changeObservation(changeTest, tested, in.Info.AsOf))
		}
		results = append(results, res)
	}
	if len(results) == 0 {
		return nil, fmt.Errorf("no certification to assess: assessment results need at least one")
	}
	var doc struct {
		Results struct {
			UUID     string        `json:"uuid"`
			Metadata oscalMetadata `json:"metadata"`
			ImportAP oscalHref     `json:"import-ap"`
			Results  []oscalResult `json:"results"`
		} `json:"assessment-results"`
	}
	doc.Results.UUID = x.of("assessment-results")
	doc.Results.Metadata = metadata(in, line(ws.Manifest.Name, "OpenControl repository")+": assessment results")
	doc.Results.ImportAP = oscalHref{Href: AssessmentPlanFile}
	doc.Results.Results = results
	return marshal(doc)
}

func findingText(r Row) string {
	var b strings.Builder
	fmt.Fprintf(&b, "Verdict: %s.", r.Verdict)
	if len(r.Components)+len(r.Documents) == 0 {
		b.WriteString(" Nothing claims this control.")
	}
	for _, cl := range r.Components {
		b.WriteString("\n\n- " + cl.String())
	}
	for _, cl := range r.Documents {
		b.WriteString("\n\n- " + cl.String())
	}
	return b.String()
}

func observation(id string, ev Evidence, asOf time.Time) oscalObservation {
	collected := asOf
	if ev.Ran != nil {
		collected = *ev.Ran
	}
	desc := ev.Description
	if desc == "" {
		desc = line(ev.Name, ev.Key)
	}
	o := oscalObservation{
		UUID:        id,
		Title:       line(ev.Name, ev.Key),
		Description: desc,
		Methods:     []string{"TEST"},
		Collected:   stamp(collected),
		Props: []oscalProp{{Name: "verification", NS: oscalNS, Value: line(ev.Component+"/"+ev.Key, "_")},
			{Name: "result", NS: oscalNS, Value: string(ev.Result)}},
	}
	if l, ok := link(ev.Path, ""); ok {
		o.RelevantEvidence = []oscalEvidence{{Href: l.Href, Description: line(ev.Name, ev.Key)}}
	}
	return o
}

// changeObservation is charter's change-management test of the audit
// period (charter.yaml's audit_period and change_management) as an
// observation: its result, why, and every finding of the population
// (OC501 to OC507) as relevant evidence, linking the pull request when
// there is one.
func changeObservation(id string, t *changes.Tested, asOf time.Time) oscalObservation {
	var verdict changes.Verdict
	var evidence []oscalEvidence
	remarks := ""
	props := []oscalProp{{Name: "verification-type", NS: oscalNS, Value: changes.VerificationType}}
	if p := t.Population; p != nil {
		verdict = changes.Verify(p)
		remarks = fmt.Sprintf("The population is the first-parent chain of %s from %s to %s (charter.yaml's audit_period).",
			line(p.Branch, "HEAD"), line(p.From, "its start"), line(p.To, "HEAD"))
		props = append(props, oscalProp{Name: "changes", NS: oscalNS, Value: fmt.Sprint(p.Total)},
			oscalProp{Name: "violations", NS: oscalNS, Value: fmt.Sprint(p.Violations)})
		for _, c := range p.Changes {
			for _, f := range c.Findings {
				e := oscalEvidence{Description: line(fmt.Sprintf("%s: change %s (%s, %s) breaks %s: %s", f.Code,
					c.Short(), c.Date.UTC().Format(time.DateOnly), line(c.Title, "untitled"), f.Rule, f.Message), "_")}
				if c.Exception != nil {
					e.Description += line(fmt.Sprintf(" Excepted: %s (approved by %s).", c.Exception.Reason, c.Exception.ApprovedBy), "")
				}
				if c.URL != "" {
					if l, ok := link(c.URL, ""); ok {
						e.Href = l.Href
					}
				}
				evidence = append(evidence, e)
			}
		}
		for _, problem := range p.Problems {
			evidence = append(evidence, oscalEvidence{Description: line(fmt.Sprintf("%s review ledger: %s", diag.CodeChangeLedger, problem), "_")})
		}
	} else {
		verdict = changes.Verdict{Reason: "the test could not run: " + line(t.Problem, "no reason given")}
		evidence = append(evidence, oscalEvidence{Description: line(fmt.Sprintf("%s %s", diag.CodeChangePeriod, t.Problem), "_")})
	}
	result := Failed
	if verdict.Passed {
		result = Passed
	}
	props = append(props, oscalProp{Name: "result", NS: oscalNS, Value: string(result)})
	return oscalObservation{
		UUID:  id,
		Title: "Change-management test of the audit period",
		Description: fmt.Sprintf("charter's test of every change of the audit period against charter.yaml's change_management: %s. %s.",
			result, line(verdict.Reason, "no reason given")),
		Props:            props,
		Methods:          []string{"TEST"},
		RelevantEvidence: evidence,
		Collected:        stamp(asOf),
		Remarks:          remarks,
	}
}

// marshal is v as indented JSON, HTML characters left as they are. It
// encodes compactly and indents in one pass into a buffer sized for the
// result, rather than growing one as it goes.
func marshal(v any) ([]byte, error) {
	var compact bytes.Buffer
	enc := json.NewEncoder(&compact)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return nil, err
	}
	var b bytes.Buffer
	if err := json.Indent(&b, compact.Bytes(), "", "  "); err != nil {
		return nil, err
	}
	return b.Bytes(), nil
}

// oscalFiles are the OSCAL documents, by file name.
var oscalFiles = []struct {
	name string
	make func(Input) ([]byte, error)
}{{ComponentDefinitionFile, ComponentDefinition}, {AssessmentPlanFile, AssessmentPlan}, {AssessmentResultsFile, AssessmentResults}}

// OSCALFiles returns the three OSCAL documents by file name, made side by
// side.
func OSCALFiles(in Input) ([]NamedFile, error) {
	in = in.memoised()
	out := make([]NamedFile, len(oscalFiles))
	errs := make([]error, len(oscalFiles))
	each(len(oscalFiles), func(i int) {
		f := oscalFiles[i]
		out[i].Path = f.name
		if out[i].Data, errs[i] = f.make(in); errs[i] != nil {
			errs[i] = fmt.Errorf("%s: %w", f.name, errs[i])
		}
	})
	for _, err := range errs {
		if err != nil {
			return nil, err
		}
	}
	return out, nil
}
