// Package check finds the problems that only show across files: references
// to unknown standards, controls, components and verifications, duplicate
// satisfactions, certification gates that name nothing, and documents whose
// claims or review dates are wrong. It is a pure function of the Workspace.
package check

import (
	"fmt"
	"slices"
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
	found   map[string]evidenceState // evidence paths looked up, relative to the root
	// stdNames is every standard name the workspace mentions, sorted
	// (seenStandards), made on first use.
	stdNames []string
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

// unknownStandard reports a name that is not a loaded standard, with a
// suggestion when one is close.
func (c *checker) unknownStandard(code diag.Code, pos diag.Pos, name, what string) {
	c.suggestStandard(c.add(diag.Error, code, pos, "", "%s names standard %q, which is not loaded", what, name), name)
}

func (c *checker) unknownControl(code diag.Code, pos diag.Pos, std *model.Standard, id, what string) {
	d := c.add(diag.Error, code, pos, "", "%s names control %q, which standard %s does not have", what, id, std.Name)
	if s := diag.SuggestID(id, std.ControlIDs()); s != "" {
		d.Message += fmt.Sprintf("; did you mean %q?", s)
	} else {
		d.Hint = fmt.Sprintf("%s has %d controls; check the ID against %s", std.Name, len(std.Controls), std.File)
	}
}

// cascade gathers the uses of one missing name (a standard that is not
// loaded, a component that does not exist), so that they are one error at
// the first use with the others as notes, not one error each.
type cascade struct {
	name  string
	first diag.Pos
	rest  []diag.Pos
}

type cascades struct {
	by    map[string]*cascade
	order []*cascade
}

func (cs *cascades) add(name string, pos diag.Pos) {
	if cs.by == nil {
		cs.by = map[string]*cascade{}
	}
	k := cs.by[name]
	if k == nil {
		k = &cascade{name: name, first: pos}
		cs.by[name] = k
		cs.order = append(cs.order, k)
		return
	}
	if pos.Compare(k.first) < 0 {
		k.first, pos = pos, k.first
	}
	k.rest = append(k.rest, pos)
}

// report adds one diagnostic per missing name at its first use, counting
// and listing the other uses as notes; message and decorate make the
// diagnostic's text and hint.
func (cs *cascades) report(c *checker, code diag.Code, message func(name string) string, decorate func(d *diag.Diagnostic, name string)) {
	for _, k := range cs.order {
		d := c.add(diag.Error, code, k.first, "", "%s", message(k.name))
		if n := len(k.rest); n > 0 {
			slices.SortFunc(k.rest, diag.Pos.Compare)
			files := map[string]bool{k.first.File: true}
			for _, p := range k.rest {
				files[p.File] = true
			}
			d.Message += fmt.Sprintf(" (and %d more uses in %s; one error for all)", n, count(len(files), "file"))
			d.Notes = make([]diag.Note, n)
			for i, p := range k.rest {
				d.Notes[i] = diag.Note{Pos: p, Message: "also named here"}
			}
		}
		decorate(d, k.name)
	}
}

func count(n int, noun string) string {
	if n == 1 {
		return "1 " + noun
	}
	return fmt.Sprintf("%d %ss", n, noun)
}

// seenStandards is every standard name the workspace mentions: the loaded
// standards' and those certifications, satisfactions and documents name,
// for a did-you-mean.
func (c *checker) seenStandards() []string {
	if c.stdNames != nil {
		return c.stdNames
	}
	seen := map[string]bool{}
	var names []string
	note := func(n string) {
		if n != "" && !seen[n] {
			seen[n] = true
			names = append(names, n)
		}
	}
	for _, s := range c.ws.Standards {
		note(s.Name)
	}
	for _, cert := range c.ws.Certifications {
		for _, cc := range cert.Controls {
			note(cc.Standard)
		}
	}
	for _, comp := range c.ws.Components {
		for _, s := range comp.Satisfies {
			note(s.StandardKey)
		}
	}
	for _, d := range c.ws.Documents {
		for _, cl := range d.Satisfies {
			note(cl.Standard)
		}
	}
	slices.Sort(names)
	c.stdNames = names
	return names
}

// suggestStandard decorates an unknown-standard error with the closest
// other standard name seen, or a hint on loading it.
func (c *checker) suggestStandard(d *diag.Diagnostic, name string) {
	names := slices.DeleteFunc(slices.Clone(c.seenStandards()), func(n string) bool { return n == name })
	if s := diag.Suggest(name, names); s != "" {
		d.Message += fmt.Sprintf("; did you mean %q?", s)
	} else {
		d.Hint = "list the standard's file under standards: in opencontrol.yaml (or give it with --standard FILE)"
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
	var stds, comps cascades
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
				stds.add(s.StandardKey, s.StandardPos)
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
			c.parameters(s)
			c.mixedNarratives(s)
			for _, cb := range s.CoveredBy {
				c.coveredBy(comp, cb, &comps)
			}
		}
	}
	stds.report(c, diag.CodeUnknownStandard,
		func(name string) string {
			return fmt.Sprintf("satisfaction names standard %q, which is not loaded", name)
		},
		c.suggestStandard)
	comps.report(c, diag.CodeCoveredComponent,
		func(name string) string {
			return fmt.Sprintf("covered_by names component %q, which does not exist", name)
		},
		func(d *diag.Diagnostic, name string) {
			keys := make([]string, len(c.ws.Components))
			for i, x := range c.ws.Components {
				keys[i] = x.Key
			}
			if s := diag.Suggest(name, keys); s != "" {
				d.Message += fmt.Sprintf("; did you mean %q?", s)
			} else {
				d.Hint = "list the component's directory under components: in opencontrol.yaml"
			}
		})
}

// parameters reports two parameters of one satisfaction with one key:
// only one of them can be the control's value.
func (c *checker) parameters(s *model.Satisfaction) {
	if len(s.Parameters) < 2 {
		return
	}
	first := make(map[string]diag.Pos, len(s.Parameters))
	for _, p := range s.Parameters {
		if p.Key == "" {
			continue
		}
		if prev, dup := first[p.Key]; dup {
			d := c.add(diag.Error, diag.CodeDupParameterKey, p.Pos, "give each parameter its own key, or merge the two into one text",
				"parameter key %q appears twice in %s %s", p.Key, s.StandardKey, s.ControlKey)
			d.Notes = []diag.Note{{Pos: prev, Message: "first given here"}}
			continue
		}
		first[p.Key] = p.Pos
	}
}

// mixedNarratives reports a satisfaction whose narratives are keyed and unkeyed
// at once: the unkeyed one belongs to no part of the control, and tools
// disagree on where to show it.
func (c *checker) mixedNarratives(s *model.Satisfaction) {
	if len(s.Narratives) < 2 {
		return
	}
	var keyed, unkeyed *model.Narrative
	for i := range s.Narratives {
		n := &s.Narratives[i]
		if n.Key == "" && unkeyed == nil {
			unkeyed = n
		} else if n.Key != "" && keyed == nil {
			keyed = n
		}
	}
	if keyed == nil || unkeyed == nil {
		return
	}
	d := c.add(diag.Warning, diag.CodeMixedNarratives, unkeyed.Pos, "give every narrative a key (the part of the control it explains), or merge them into one unkeyed narrative",
		"%s %s mixes keyed and unkeyed narratives", s.StandardKey, s.ControlKey)
	d.Notes = []diag.Note{{Pos: keyed.Pos, Message: fmt.Sprintf("narrative keyed %q", keyed.Key)}}
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

func (c *checker) coveredBy(comp *model.Component, cb model.CoveredBy, missing *cascades) {
	target := comp
	if cb.SystemKey != "" && cb.SystemKey != comp.ListedBy {
		// another system's component: look in that system's components
		if target = c.systemComponent(cb); target == nil {
			return
		}
	} else if cb.ComponentKey != "" && cb.ComponentKey != comp.Key {
		target = c.ws.Component(cb.ComponentKey)
		if target == nil {
			missing.add(cb.ComponentKey, cb.Pos)
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
					pos := cc.StandardPos
					if !pos.IsValid() {
						pos = cc.Pos
					}
					c.unknownStandard(diag.CodeCertStandard, pos, cc.Standard, "certification "+cert.Name)
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
