package export

import (
	"io"

	"github.com/charter-compliance/charter/compiler/coverage"
	"github.com/charter-compliance/charter/compiler/model"
)

// JSONFormat names the JSON export's shape; docs/export.schema.json
// describes it. It changes only when a change would break a reader.
const JSONFormat = "charter-export/1"

// The JSON export's types. Their fields follow docs/export.schema.json;
// statuses are written by name (model.Status's String).
type (
	jsonDoc struct {
		Format         string             `json:"format"`
		Build          jsonBuild          `json:"build"`
		Repository     jsonRepo           `json:"repository"`
		Standards      []jsonStd          `json:"standards"`
		Components     []jsonComp         `json:"components"`
		Documents      []jsonDocu         `json:"documents"`
		Certifications []jsonCert         `json:"certifications"`
		Files          []model.SourceFile `json:"files"`
	}
	jsonBuild struct {
		Charter     string `json:"charter"`
		Version     string `json:"version"`
		Commit      string `json:"commit,omitempty"`
		Dirty       bool   `json:"dirty"`
		JudgingDay  string `json:"judging_day,omitempty"`
		DaySource   string `json:"judging_day_source"`
		PeriodStart string `json:"period_start,omitempty"`
		PeriodEnd   string `json:"period_end,omitempty"`
	}
	jsonRepo struct {
		Name          string   `json:"name"`
		Description   string   `json:"description,omitempty"`
		Organization  string   `json:"organization,omitempty"`
		RepositoryURL string   `json:"repository_url,omitempty"`
		Gate          []string `json:"gate"`
	}
	jsonStd struct {
		Name     string            `json:"name"`
		File     string            `json:"file"`
		Families map[string]string `json:"families,omitempty"`
		Controls []jsonControl     `json:"controls"`
	}
	jsonControl struct {
		ID          string `json:"id"`
		Family      string `json:"family,omitempty"`
		Name        string `json:"name,omitempty"`
		Description string `json:"description,omitempty"`
		Verdict     string `json:"verdict"`
	}
	jsonComp struct {
		Key                   string      `json:"key"`
		Name                  string      `json:"name,omitempty"`
		File                  string      `json:"file"`
		System                string      `json:"system,omitempty"`
		ResponsibleRole       string      `json:"responsible_role,omitempty"`
		DocumentationComplete bool        `json:"documentation_complete"`
		References            []jsonRef   `json:"references"`
		Verifications         []jsonVerif `json:"verifications"`
		Satisfies             []jsonSat   `json:"satisfies"`
	}
	jsonRef struct {
		Name string `json:"name,omitempty"`
		Path string `json:"path,omitempty"`
		Type string `json:"type,omitempty"`
	}
	jsonVerif struct {
		Key         string `json:"key"`
		Name        string `json:"name,omitempty"`
		Path        string `json:"path,omitempty"`
		Type        string `json:"type,omitempty"`
		Description string `json:"description,omitempty"`
		Result      string `json:"result"`
		LastRun     string `json:"last_run,omitempty"`
		AgeDays     *int   `json:"age_days,omitempty"`
	}
	jsonSat struct {
		Standard   string          `json:"standard"`
		Control    string          `json:"control"`
		Line       int             `json:"line,omitempty"`
		Verdict    string          `json:"verdict"`
		Statuses   []string        `json:"implementation_statuses"`
		Origins    []string        `json:"control_origins"`
		Narratives []jsonNarrative `json:"narratives"`
		Parameters []jsonNarrative `json:"parameters"`
		CoveredBy  []jsonCovered   `json:"covered_by"`
	}
	jsonNarrative struct {
		Key  string `json:"key,omitempty"`
		Text string `json:"text"`
	}
	jsonCovered struct {
		System       string `json:"system_key,omitempty"`
		Component    string `json:"component_key,omitempty"`
		Verification string `json:"verification_key"`
	}
	jsonDocu struct {
		ID           string      `json:"id"`
		Title        string      `json:"title,omitempty"`
		Kind         string      `json:"kind"`
		File         string      `json:"file"`
		Owner        string      `json:"owner,omitempty"`
		Approvers    []string    `json:"approvers"`
		Status       string      `json:"status"`
		Effective    string      `json:"effective,omitempty"`
		ReviewCycle  string      `json:"review_cycle,omitempty"`
		LastReviewed string      `json:"last_reviewed,omitempty"`
		InForce      bool        `json:"in_force"`
		Satisfies    []jsonClaim `json:"satisfies"`
	}
	jsonClaim struct {
		Standard string `json:"standard"`
		Control  string `json:"control"`
	}
	jsonCert struct {
		Name     string         `json:"name"`
		File     string         `json:"file"`
		Gate     bool           `json:"gate"`
		Total    int            `json:"total"`
		Done     int            `json:"done"`
		Complete bool           `json:"complete"`
		Counts   map[string]int `json:"counts"`
		Controls []jsonVerdict  `json:"controls"`
	}
	jsonVerdict struct {
		Standard string         `json:"standard"`
		Control  string         `json:"control"`
		Title    string         `json:"title,omitempty"`
		Verdict  string         `json:"verdict"`
		Evidence []jsonEvidence `json:"evidence"`
		Open     int            `json:"open_claims"`
	}
	jsonEvidence struct {
		Kind      string `json:"kind"`
		Status    string `json:"status"`
		Component string `json:"component,omitempty"`
		Document  string `json:"document,omitempty"`
		Reason    string `json:"reason"`
	}
)

// WriteJSON writes the whole model and its coverage as one indented JSON
// document (docs/export.schema.json). Certifications follow the selection;
// standards, components and documents are always complete.
func WriteJSON(w io.Writer, in Input) error {
	certs, err := in.Certifications()
	if err != nil {
		return err
	}
	res := in.Result
	ws := res.Workspace
	start, end := in.Info.Period()
	doc := jsonDoc{
		Format: JSONFormat,
		Build: jsonBuild{Charter: in.Info.Charter, Version: in.Info.Version, Commit: in.Info.Commit, Dirty: in.Info.Dirty,
			JudgingDay: day(in.Info.AsOf), DaySource: in.Info.AsOfSource, PeriodStart: day(start), PeriodEnd: day(end)},
		Repository: jsonRepo{Name: ws.Manifest.Name, Description: ws.Manifest.Description, Organization: ws.Config.Organization,
			RepositoryURL: ws.Config.RepositoryURL, Gate: []string{}},
		Standards:      []jsonStd{},
		Components:     []jsonComp{},
		Documents:      []jsonDocu{},
		Certifications: []jsonCert{},
		Files:          nonNilSlice(ws.Files),
	}
	gated := res.Gated()
	for _, g := range ws.Config.Gate {
		doc.Repository.Gate = append(doc.Repository.Gate, g.Name)
	}
	for _, s := range ws.Standards {
		js := jsonStd{Name: s.Name, File: s.File, Families: s.Families, Controls: []jsonControl{}}
		for _, c := range s.Controls {
			jc := jsonControl{ID: c.ID, Family: c.Family, Name: c.Name, Description: c.Description, Verdict: model.Missing.String()}
			if v := res.Coverage.Verdict(s.Name, c.ID); v != nil {
				jc.Verdict = v.Status.String()
			}
			js.Controls = append(js.Controls, jc)
		}
		doc.Standards = append(doc.Standards, js)
	}
	for _, c := range ws.Components {
		doc.Components = append(doc.Components, component(in, c))
	}
	for _, d := range ws.Documents {
		jd := jsonDocu{ID: d.ID, Title: d.Title, Kind: d.Kind, File: d.File, Owner: d.Owner, Approvers: nonNilSlice(d.Approvers),
			Status: d.Status, ReviewCycle: d.ReviewCycle, InForce: d.InForce(in.Info.AsOf), Satisfies: []jsonClaim{}}
		if d.Effective != nil {
			jd.Effective = day(*d.Effective)
		}
		if d.LastReviewed != nil {
			jd.LastReviewed = day(*d.LastReviewed)
		}
		for _, cl := range d.Satisfies {
			jd.Satisfies = append(jd.Satisfies, jsonClaim{Standard: cl.Standard, Control: cl.Control})
		}
		doc.Documents = append(doc.Documents, jd)
	}
	for _, c := range certs {
		jc := jsonCert{Name: c.Cert.Name, File: c.Cert.File, Gate: gated[c.Cert.Name], Total: c.Total(), Done: c.Done(),
			Complete: c.Complete(), Counts: map[string]int{}, Controls: []jsonVerdict{}}
		for st, n := range c.Counts {
			if n > 0 {
				jc.Counts[st.String()] = n
			}
		}
		for _, v := range c.Verdicts {
			jc.Controls = append(jc.Controls, verdict(v))
		}
		doc.Certifications = append(doc.Certifications, jc)
	}
	data, err := marshal(doc)
	if err != nil {
		return err
	}
	_, err = w.Write(data)
	return err
}

func component(in Input, c *model.Component) jsonComp {
	jc := jsonComp{Key: c.Key, Name: c.Name, File: c.File, System: c.System, ResponsibleRole: c.ResponsibleRole,
		DocumentationComplete: c.DocumentationComplete, References: []jsonRef{}, Verifications: []jsonVerif{}, Satisfies: []jsonSat{}}
	for _, r := range c.References {
		jc.References = append(jc.References, jsonRef{Name: r.Name, Path: r.Path, Type: r.Type})
	}
	for i := range c.Verifications {
		ev := evidenceOf(c.Key, &c.Verifications[i], in.Info.AsOf)
		jc.Verifications = append(jc.Verifications, jsonVerif{Key: ev.Key, Name: ev.Name, Path: ev.Path, Type: ev.Type,
			Description: ev.Description, Result: string(ev.Result), LastRun: ev.LastRun, AgeDays: ev.AgeDays})
	}
	for _, s := range c.Satisfies {
		js := jsonSat{Standard: s.StandardKey, Control: s.ControlKey, Line: s.Pos.Line, Verdict: s.Verdict().String(),
			Statuses: []string{}, Origins: []string{}, Narratives: []jsonNarrative{}, Parameters: []jsonNarrative{}, CoveredBy: []jsonCovered{}}
		for _, st := range s.Statuses {
			js.Statuses = append(js.Statuses, st.Raw)
		}
		for _, o := range s.Origins {
			js.Origins = append(js.Origins, o.Value)
		}
		for _, n := range s.Narratives {
			js.Narratives = append(js.Narratives, jsonNarrative{Key: n.Key, Text: n.Text})
		}
		for _, p := range s.Parameters {
			js.Parameters = append(js.Parameters, jsonNarrative{Key: p.Key, Text: p.Text})
		}
		for _, cb := range s.CoveredBy {
			js.CoveredBy = append(js.CoveredBy, jsonCovered{System: cb.SystemKey, Component: cb.ComponentKey, Verification: cb.VerificationKey})
		}
		jc.Satisfies = append(jc.Satisfies, js)
	}
	return jc
}

func verdict(v *coverage.Verdict) jsonVerdict {
	jv := jsonVerdict{Standard: v.Standard, Control: v.ID, Verdict: v.Status.String(), Evidence: []jsonEvidence{}}
	if v.Control != nil {
		jv.Title = v.Control.Name
	}
	for _, e := range v.Evidence {
		je := jsonEvidence{Kind: string(e.Kind), Status: e.Status.String(), Reason: e.Reason}
		if e.Kind == coverage.FromComponent {
			je.Component = e.Component.Key
		} else {
			je.Document = e.Document.ID
		}
		if !e.Status.Done() {
			jv.Open++
		}
		jv.Evidence = append(jv.Evidence, je)
	}
	return jv
}

func nonNilSlice[T any](s []T) []T {
	if s == nil {
		return []T{}
	}
	return s
}
