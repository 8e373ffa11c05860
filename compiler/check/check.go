// Package check finds the problems that only show across files: references
// to unknown standards, controls, components and verifications, duplicate
// satisfactions, certification gates that name nothing, and documents whose
// claims or review dates are wrong. It is a pure function of the Workspace.
package check

import (
	"fmt"
	"strings"
	"time"

	"github.com/charter-compliance/charter/compiler/diag"
	"github.com/charter-compliance/charter/compiler/model"
)

// Run returns the cross-file diagnostics of ws. asOf is the day the
// repository is judged on (from git or SOURCE_DATE_EPOCH, never the clock).
func Run(ws *model.Workspace, asOf time.Time) diag.List {
	return RunWith(ws, asOf, nil)
}

// RunWith is Run with a source for documents' last review dates (the front
// matter's, else git's); nil reads the front matter only.
func RunWith(ws *model.Workspace, asOf time.Time, lastReviewed func(*model.Document) *time.Time) diag.List {
	if lastReviewed == nil {
		lastReviewed = func(d *model.Document) *time.Time { return d.LastReviewed }
	}
	c := &checker{ws: ws, sources: map[string]*diag.Source{}}
	c.satisfactions()
	c.certifications()
	c.gate()
	c.documents(asOf, lastReviewed)
	c.evidence(asOf)
	c.list.Sort()
	return c.list
}

type checker struct {
	ws      *model.Workspace
	list    diag.List
	sources map[string]*diag.Source
	found   map[string]bool // evidence paths looked up, relative to the root
}

func (c *checker) add(sev diag.Severity, code diag.Code, pos diag.Pos, hint, format string, args ...any) *diag.Diagnostic {
	c.list = append(c.list, diag.Diagnostic{Severity: sev, Code: code, Pos: pos, Message: fmt.Sprintf(format, args...), Hint: hint, Source: c.line(pos)})
	return &c.list[len(c.list)-1]
}

// line gives the source line of a position, from the bytes the workspace
// kept when it was loaded (a file's lines are indexed only when there is
// something to report in it).
func (c *checker) line(pos diag.Pos) string {
	if pos.Line == 0 {
		return ""
	}
	src, ok := c.sources[pos.File]
	if !ok {
		src = diag.NewSource(pos.File, c.ws.Text(pos.File))
		c.sources[pos.File] = src
	}
	return src.Line(pos.Line)
}

func (c *checker) standardNames() []string {
	names := make([]string, len(c.ws.Standards))
	for i, s := range c.ws.Standards {
		names[i] = s.Name
	}
	return names
}

// unknownStandard reports a name that is not a loaded standard, with a
// suggestion when one is close.
func (c *checker) unknownStandard(code diag.Code, pos diag.Pos, name, what string) {
	d := c.add(diag.Error, code, pos, "", "%s names standard %q, which is not loaded", what, name)
	if s := diag.Suggest(name, c.standardNames()); s != "" {
		d.Message += fmt.Sprintf("; did you mean %q?", s)
	} else {
		d.Hint = "list the standard's file under standards: in opencontrol.yaml (or give it with --standard FILE)"
	}
}

func (c *checker) unknownControl(code diag.Code, pos diag.Pos, std *model.Standard, id, what string) {
	d := c.add(diag.Error, code, pos, "", "%s names control %q, which standard %s does not have", what, id, std.Name)
	if s := diag.SuggestID(id, std.ControlIDs()); s != "" {
		d.Message += fmt.Sprintf("; did you mean %q?", s)
	} else {
		d.Hint = fmt.Sprintf("%s has %d controls; check the ID against %s", std.Name, len(std.Controls), std.File)
	}
}

func (c *checker) satisfactions() {
	// When component keys are unique (as load leaves them), a satisfaction
	// can only repeat one of its own component's, so one small map serves,
	// emptied per component.
	type triple struct{ comp, std, ctl string }
	var seen map[triple]diag.Pos
	room := 0 // the size seen was made for
	perComponent := uniqueKeys(c.ws.Components)
	var std *model.Standard // the last satisfaction's: most share it
	for _, comp := range c.ws.Components {
		if seen == nil || (perComponent && len(comp.Satisfies) > room) {
			room = len(comp.Satisfies)
			seen = make(map[triple]diag.Pos, room)
		} else if perComponent {
			clear(seen)
		}
		for _, s := range comp.Satisfies {
			if std == nil || std.Name != s.StandardKey {
				std = c.ws.Standard(s.StandardKey)
			}
			if std == nil {
				c.unknownStandard(diag.CodeUnknownStandard, s.StandardPos, s.StandardKey, "satisfaction")
			} else if std.Control(s.ControlKey) == nil {
				c.unknownControl(diag.CodeUnknownControl, s.ControlPos, std, s.ControlKey, "satisfaction")
			}
			t := triple{comp.Key, s.StandardKey, s.ControlKey}
			if prev, dup := seen[t]; dup {
				d := c.add(diag.Error, diag.CodeDupSatisfaction, s.ControlPos, "merge the two entries into one, with several keyed narratives",
					"component %s satisfies %s %s twice", comp.Key, s.StandardKey, s.ControlKey)
				d.Notes = []diag.Note{{Pos: prev, Message: "first satisfied here"}}
			} else {
				seen[t] = s.ControlPos
			}
			for _, cb := range s.CoveredBy {
				c.coveredBy(comp, cb)
			}
		}
	}
}

func uniqueKeys(comps []*model.Component) bool {
	keys := make(map[string]bool, len(comps))
	for _, comp := range comps {
		if keys[comp.Key] {
			return false
		}
		keys[comp.Key] = true
	}
	return true
}

func (c *checker) coveredBy(comp *model.Component, cb model.CoveredBy) {
	target := comp
	if cb.SystemKey != "" && cb.SystemKey != comp.ListedBy {
		// another system's component: look in that system's components
		if target = c.systemComponent(cb); target == nil {
			return
		}
	} else if cb.ComponentKey != "" && cb.ComponentKey != comp.Key {
		target = c.ws.Component(cb.ComponentKey)
		if target == nil {
			keys := make([]string, len(c.ws.Components))
			for i, x := range c.ws.Components {
				keys[i] = x.Key
			}
			d := c.add(diag.Error, diag.CodeCoveredComponent, cb.Pos, "", "covered_by names component %q, which does not exist", cb.ComponentKey)
			if s := diag.Suggest(cb.ComponentKey, keys); s != "" {
				d.Message += fmt.Sprintf("; did you mean %q?", s)
			} else {
				d.Hint = "list the component's directory under components: in opencontrol.yaml"
			}
			return
		}
	}
	if cb.VerificationKey == "" || target.Verification(cb.VerificationKey) != nil {
		return
	}
	keys := make([]string, len(target.Verifications))
	for i, v := range target.Verifications {
		keys[i] = v.Key
	}
	d := c.add(diag.Error, diag.CodeCoveredVerification, cb.Pos, "", "covered_by names verification %q, which component %s does not define", cb.VerificationKey, target.Key)
	if s := diag.Suggest(cb.VerificationKey, keys); s != "" {
		d.Message += fmt.Sprintf("; did you mean %q?", s)
	} else {
		d.Hint = fmt.Sprintf("add it under verifications: in %s", target.File)
	}
}

// systemComponent finds the component a covered_by entry with system_key
// names. A system's components are those its manifest lists, or that say
// system: with its name; compliance-masonry's flat layout keeps no
// manifest, so a fetched component of no known system is taken by its key.
// nil when there is nothing to check against (reported: a system that is
// not loaded is a warning, an unknown component of a loaded system an
// error).
func (c *checker) systemComponent(cb model.CoveredBy) *model.Component {
	var of, flat []*model.Component
	for _, x := range c.ws.Components {
		switch {
		case x.ListedBy == cb.SystemKey || x.System == cb.SystemKey:
			of = append(of, x)
		case x.Fetched && x.ListedBy == "":
			flat = append(flat, x)
		}
	}
	find := func(in []*model.Component) *model.Component {
		for _, x := range in {
			if x.Key == cb.ComponentKey {
				return x
			}
		}
		return nil
	}
	if len(of) == 0 {
		if x := find(flat); x != nil && cb.ComponentKey != "" {
			return x
		}
		c.add(diag.Warning, diag.CodeCoveredSystem, cb.Pos,
			"list the system under dependencies: systems: in opencontrol.yaml and fetch it (compliance-masonry get), or drop system_key if the component is this repository's",
			"covered_by names system %q, which is not loaded; its component %q and verification %q are not checked", cb.SystemKey, cb.ComponentKey, cb.VerificationKey)
		return nil
	}
	if x := find(of); x != nil {
		return x
	}
	keys := make([]string, len(of))
	for i, x := range of {
		keys[i] = x.Key
	}
	d := c.add(diag.Error, diag.CodeCoveredComponent, cb.Pos, "", "covered_by names component %q of system %q, which that system does not have", cb.ComponentKey, cb.SystemKey)
	if s := diag.Suggest(cb.ComponentKey, keys); s != "" {
		d.Message += fmt.Sprintf("; did you mean %q?", s)
	} else {
		d.Hint = fmt.Sprintf("system %s has components %s", cb.SystemKey, strings.Join(keys, ", "))
	}
	return nil
}

func (c *checker) certifications() {
	for _, cert := range c.ws.Certifications {
		reported := map[string]bool{}
		for _, cc := range cert.Controls {
			std := c.ws.Standard(cc.Standard)
			if std == nil {
				if !reported[cc.Standard] {
					reported[cc.Standard] = true
					c.unknownStandard(diag.CodeCertStandard, cc.Pos, cc.Standard, "certification "+cert.Name)
				}
				continue
			}
			if std.Control(cc.Control) == nil {
				c.unknownControl(diag.CodeCertControl, cc.Pos, std, cc.Control, "certification "+cert.Name)
			}
		}
	}
}

func (c *checker) gate() {
	names := make([]string, len(c.ws.Certifications))
	for i, x := range c.ws.Certifications {
		names[i] = x.Name
	}
	for _, g := range c.ws.Config.Gate {
		if c.ws.Certification(g.Name) == nil {
			d := c.add(diag.Error, diag.CodeGateUnknown, g.Pos, "", "charter.yaml gates on certification %q, which is not loaded", g.Name)
			if s := diag.Suggest(g.Name, names); s != "" {
				d.Message += fmt.Sprintf("; did you mean %q?", s)
			} else {
				d.Hint = "list the certification under certifications: in opencontrol.yaml"
			}
		}
	}
}

func (c *checker) documents(asOf time.Time, lastReviewed func(*model.Document) *time.Time) {
	for _, d := range c.ws.Documents {
		for _, cl := range d.Satisfies {
			std := c.ws.Standard(cl.Standard)
			if std == nil {
				c.unknownStandard(diag.CodeDocClaim, cl.Pos, cl.Standard, "document "+d.ID)
				continue
			}
			if std.Control(cl.Control) == nil {
				c.unknownControl(diag.CodeDocClaim, cl.Pos, std, cl.Control, "document "+d.ID)
			}
		}
		if d.Status != "approved" || asOf.IsZero() {
			continue
		}
		if d.Effective != nil && d.Effective.After(asOf) {
			c.add(diag.Warning, diag.CodeDocNotInForce, d.FieldPos["effective"], "it counts toward coverage from that day on",
				"%s takes effect on %s, after %s", d.ID, d.Effective.Format(time.DateOnly), asOf.Format(time.DateOnly))
		}
		last := lastReviewed(d)
		if last == nil {
			continue
		}
		if next := d.NextReview(last); next != nil && next.Before(asOf) {
			pos, hint, from := d.FieldPos["last_reviewed"], "review the document, then update last_reviewed", ""
			if d.LastReviewed == nil {
				pos, hint, from = d.FieldPos["review_cycle"], "review the document, then set last_reviewed: YYYY-MM-DD", ", the date of the last commit to the file"
			}
			c.add(diag.Warning, diag.CodeDocReview, pos, hint,
				"%s was due for its %s review on %s (last reviewed %s%s)", d.ID, d.ReviewCycle, next.Format(time.DateOnly), last.Format(time.DateOnly), from)
		}
	}
}
