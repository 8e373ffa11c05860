package opencontrol

import (
	"fmt"
	"strings"

	"gopkg.in/yaml.v3"

	"github.com/charter-compliance/charter/compiler/diag"
	"github.com/charter-compliance/charter/compiler/model"
)

// Component schema versions charter reads, normalised: every version
// opencontrol/schemas defines in kwalify/component. "2.0" is what YAML
// makes of an unquoted 2.0.
var componentVersions = map[string]string{
	"2.0": "2.0.0", "2.0.0": "2.0.0",
	"3.0": "3.0.0", "3.0.0": "3.0.0",
	"3.1": "3.1.0", "3.1.0": "3.1.0",
	"3.1.1": "3.1.1",
	"3.2":   "3.2.0", "3.2.0": "3.2.0",
}

// ComponentVersions lists the component schema versions charter reads, for
// messages.
var ComponentVersions = []string{"2.0.0", "3.0.0", "3.1.0", "3.1.1", "3.2.0"}

// LatestComponentVersion is assumed when a component names none: the
// version most real repositories write (3.1.1 and 3.2.0 are read too).
const LatestComponentVersion = "3.1.0"

var (
	componentKeys20 = []string{"name", "key", "system", "schema_version", "documentation_complete", "references", "verifications", "satisfies"}
	componentKeys3x = append(componentKeys20[:len(componentKeys20):len(componentKeys20)], "responsible_role")

	satisfyKeys20 = []string{"standard_key", "control_key", "narrative", "implementation_status", "covered_by", "parameters", "control_origin"}
	satisfyKeys31 = append(satisfyKeys20[:len(satisfyKeys20):len(satisfyKeys20)], "implementation_statuses", "control_origins", "references")
	// 3.2.0 drops the singular implementation_status and control_origin
	// (3.1.1 marks them for deprecation).
	satisfyKeys32 = []string{"standard_key", "control_key", "narrative", "covered_by", "parameters", "implementation_statuses", "control_origins", "references"}

	referenceKeys    = []string{"name", "path", "type"}
	verificationKeys = []string{"key", "name", "path", "type", "description", "test_passed", "last_run"}
	coveredByKeys    = []string{"system_key", "component_key", "verification_key"}
	parameterKeys    = []string{"key", "text"}
	narrativeKeys    = []string{"key", "text"}
)

// keysAddedIn says which version introduced a key, for better messages when
// a component uses a key newer than its schema_version.
var keysAddedIn = map[string]string{
	"responsible_role":        "3.0.0",
	"implementation_statuses": "3.1.0",
	"control_origins":         "3.1.0",
	"references":              "3.1.0",
}

// keysRemovedIn says which version dropped a key, and what replaces it.
var keysRemovedIn = map[string][2]string{
	"implementation_status": {"3.2.0", "implementation_statuses"},
	"control_origin":        {"3.2.0", "control_origins"},
}

// DecodeComponent decodes a component.yaml. rel is the file's path relative
// to the workspace root; dir is its directory (the default key).
func DecodeComponent(rel, dir string, text []byte) (*model.Component, diag.List) {
	f := parseYAML(rel, text)
	defer f.done()
	root := f.root("component", "put each component in its own directory with its own component.yaml")
	if root == nil {
		return nil, f.List
	}
	if root.Kind != yaml.MappingNode {
		f.typeError(root, "a component", "a mapping")
		return nil, f.List
	}
	c := &model.Component{Pos: f.Src.Pos(0, 0), File: rel, Dir: dir}

	// Read the schema version first: it decides which keys are allowed.
	version := ""
	for i := 0; i+1 < len(root.Content); i += 2 {
		if root.Content[i].Value == "schema_version" {
			v := f.resolve(root.Content[i+1])
			if v == nil {
				return nil, f.List
			}
			raw, _ := f.str(v, "schema_version")
			norm, ok := componentVersions[strings.TrimSpace(raw)]
			if !ok {
				d := f.Errorf(diag.CodeSchemaVersion, v.Line, v.Column, "unknown component schema_version %q; the component is not loaded", raw)
				d.Hint = "charter reads the versions opencontrol/schemas defines: " + strings.Join(ComponentVersions, ", ")
				return nil, f.List
			}
			version = norm
		}
	}
	if version == "" {
		f.Errorf(diag.CodeMissing, root.Line, root.Column, "component has no schema_version; reading it as %s", LatestComponentVersion).
			Hint = "add schema_version: " + LatestComponentVersion
		version = LatestComponentVersion
	}
	c.SchemaVersion = version

	keys, satKeys := componentKeys3x, satisfyKeys31
	switch version {
	case "2.0.0":
		keys, satKeys = componentKeys20, satisfyKeys20
	case "3.0.0":
		satKeys = satisfyKeys20
	case "3.2.0":
		satKeys = satisfyKeys32
	}
	// Keys of a newer (or, for 3.2.0, an older) schema are read anyway,
	// with a warning.
	keys = withNewer(f, keys, componentKeys3x, version)
	satKeys = withNewer(f, satKeys, satisfyKeys31, version)

	have := map[string]bool{}
	f.fields(root, "the component", keys, func(key string, k, v *yaml.Node) {
		have[key] = true
		switch key {
		case "name":
			c.Name = f.requiredStr(v, "the component", "name")
		case "key":
			c.Key, _ = f.str(v, "key")
			c.KeyPos = f.pos(v)
		case "system":
			c.System, _ = f.str(v, "system")
		case "responsible_role":
			if version == "2.0.0" {
				f.checkVersionKey(k, version)
			}
			c.ResponsibleRole, _ = f.str(v, "responsible_role")
		case "documentation_complete":
			c.DocumentationComplete, _ = f.boolean(v, "documentation_complete")
		case "references":
			c.References = f.references(v)
		case "verifications":
			c.Verifications = f.verifications(v)
		case "satisfies":
			f.list(v, "satisfies", func(item *yaml.Node) {
				if s := f.satisfaction(item, version, satKeys); s != nil {
					c.Satisfies = append(c.Satisfies, s)
				}
			})
		}
	})
	if f.blown {
		return nil, f.List // the alias budget ran out: the file was not read whole
	}
	f.required(root, "the component", have, "name")
	if c.Key == "" {
		c.Key = pathBase(dir)
		c.KeyPos = c.Pos
	}
	for _, s := range c.Satisfies {
		s.Component = c.Key
	}
	return c, f.List
}

// withNewer extends allowed keys by those of later schema versions, and
// remembers to warn when one is used.
func withNewer(f *yamlFile, allowed, all []string, version string) []string {
	out := allowed
	for _, k := range all {
		if !contains(allowed, k) {
			out = append(out[:len(out):len(out)], k)
		}
	}
	return out
}

func (f *yamlFile) checkVersionKey(k *yaml.Node, version string) {
	if since, ok := keysAddedIn[k.Value]; ok && version < since {
		f.Warnf(diag.CodeUnknownKey, k.Line, k.Column, "%q belongs to component schema %s, but this component declares %s", k.Value, since, version).
			Hint = "raise schema_version to " + since + " (charter reads the key anyway)"
	}
	if gone, ok := keysRemovedIn[k.Value]; ok && version >= gone[0] {
		f.Warnf(diag.CodeUnknownKey, k.Line, k.Column, "component schema %s has no %q; this component declares %s", gone[0], k.Value, version).
			Hint = fmt.Sprintf("write it as a list under %s (charter reads the key anyway)", gone[1])
	}
}

func pathBase(dir string) string {
	dir = strings.TrimRight(dir, "/")
	if i := strings.LastIndexByte(dir, '/'); i >= 0 {
		return dir[i+1:]
	}
	return dir
}

func (f *yamlFile) satisfaction(n *yaml.Node, version string, keys []string) *model.Satisfaction {
	s := &model.Satisfaction{Pos: f.pos(n)}
	have := map[string]bool{}
	ok := f.fields(n, "a satisfaction", keys, func(key string, k, v *yaml.Node) {
		have[key] = true
		if version != "3.1.0" && version != "3.1.1" {
			f.checkVersionKey(k, version)
		}
		switch key {
		case "standard_key":
			s.StandardKey = f.requiredStr(v, "a satisfaction", "standard_key")
			s.StandardPos = f.pos(v)
		case "control_key":
			s.ControlKey = f.requiredStr(v, "a satisfaction", "control_key")
			s.ControlPos = f.pos(v)
		case "narrative":
			f.narratives(s, v, version)
		case "implementation_status":
			f.eachValue(v, key, false, func(n *yaml.Node, raw string) { s.Statuses = append(s.Statuses, f.status(n, raw)) })
		case "implementation_statuses":
			f.eachValue(v, key, true, func(n *yaml.Node, raw string) { s.Statuses = append(s.Statuses, f.status(n, raw)) })
		case "control_origin":
			f.eachValue(v, key, false, func(n *yaml.Node, raw string) { s.Origins = append(s.Origins, f.origin(n, raw)) })
		case "control_origins":
			f.eachValue(v, key, true, func(n *yaml.Node, raw string) { s.Origins = append(s.Origins, f.origin(n, raw)) })
		case "parameters":
			f.list(v, "parameters", func(item *yaml.Node) {
				p := model.Parameter{Pos: f.pos(item)}
				f.strFields(item, "a parameter", parameterKeys, &p.Key, &p.Text)
				s.Parameters = append(s.Parameters, p)
			})
		case "covered_by":
			f.list(v, "covered_by", func(item *yaml.Node) {
				cb := model.CoveredBy{Pos: f.pos(item)}
				f.strFields(item, "a covered_by entry", coveredByKeys, &cb.SystemKey, &cb.ComponentKey, &cb.VerificationKey)
				if cb.VerificationKey == "" {
					f.Errorf(diag.CodeMissing, item.Line, item.Column, "covered_by entry has no \"verification_key\"").
						Hint = "name the verification (evidence) that covers this control"
				}
				s.CoveredBy = append(s.CoveredBy, cb)
			})
		case "references":
			s.References = f.references(v)
		}
	})
	if !ok {
		return nil
	}
	f.required(n, "a satisfaction", have, "standard_key", "control_key")
	if strings.TrimSpace(s.StandardKey) == "" || strings.TrimSpace(s.ControlKey) == "" {
		return nil
	}
	if !s.HasNarrative() && !have["narrative"] {
		for _, st := range s.Statuses {
			if st.Status == model.Satisfied {
				f.Warnf(diag.CodeEmptyText, n.Line, n.Column, "%s %s is marked %q but has no narrative; it counts as partial", s.StandardKey, s.ControlKey, st.Raw).
					Hint = "add a narrative that says how the control is met"
				break
			}
		}
	}
	return s
}

// narratives reads 2.0.0's single string or 3.x's list of {key, text}.
// Either form is accepted in any version (real repositories mix them) but a
// form that does not match the declared version is reported.
func (f *yamlFile) narratives(s *model.Satisfaction, v *yaml.Node, version string) {
	if v = f.resolve(v); v == nil {
		return
	}
	switch v.Kind {
	case yaml.ScalarNode:
		text, _ := f.str(v, "narrative")
		if version != "2.0.0" && v.Tag != "!!null" {
			f.Warnf(diag.CodeType, v.Line, v.Column, "narrative is a single string, the component schema 2.0.0 form; schema %s expects a list of {key, text}", version).
				Hint = "write it as:\n      narrative:\n        - text: ..."
		}
		if strings.TrimSpace(text) == "" {
			f.Warnf(diag.CodeEmptyText, v.Line, v.Column, "narrative for %s %s is empty", s.StandardKey, s.ControlKey).
				Hint = "say how the control is met, or remove the satisfaction"
			return
		}
		s.Narratives = append(s.Narratives, model.Narrative{Pos: f.pos(v), Text: text})
	case yaml.SequenceNode:
		seen := map[string]*yaml.Node{}
		f.list(v, "narrative", func(item *yaml.Node) {
			nar := model.Narrative{Pos: f.pos(item)}
			var keyNode *yaml.Node
			if item.Kind == yaml.ScalarNode {
				f.typeError(item, "narrative item", "a mapping with key and text")
				return
			}
			if !f.fields(item, "a narrative", narrativeKeys, func(key string, _, v *yaml.Node) {
				if key == "key" {
					nar.Key, _ = f.str(v, "key")
					keyNode = v
				} else {
					nar.Text, _ = f.str(v, "text")
				}
			}) {
				return // not a mapping: reported as such, not also as empty
			}
			if nar.Key != "" {
				if prev, dup := seen[nar.Key]; dup {
					d := f.Errorf(diag.CodeDupNarrativeKey, keyNode.Line, keyNode.Column, "narrative key %q appears twice in %s %s", nar.Key, s.StandardKey, s.ControlKey)
					d.Notes = []diag.Note{{Pos: f.pos(prev), Message: "first used here"}}
				} else {
					seen[nar.Key] = keyNode
				}
			}
			if strings.TrimSpace(nar.Text) == "" {
				f.Warnf(diag.CodeEmptyText, item.Line, item.Column, "narrative %sfor %s %s is empty", keyPart(nar.Key), s.StandardKey, s.ControlKey).
					Hint = "write the text, or remove the empty item"
				return
			}
			s.Narratives = append(s.Narratives, nar)
		})
	default:
		f.typeError(v, "narrative", "a list of {key, text}")
	}
}

// eachValue calls fn for the non-empty string value of field, or for each
// non-empty item when field is a list (the plural 3.1.0 keys).
func (f *yamlFile) eachValue(v *yaml.Node, field string, isList bool, fn func(n *yaml.Node, raw string)) {
	if !isList {
		if v = f.resolve(v); v != nil {
			if raw, ok := f.str(v, field); ok && raw != "" {
				fn(v, raw)
			}
		}
		return
	}
	f.list(v, field, func(item *yaml.Node) {
		if raw, ok := f.str(item, field+" item"); ok && raw != "" {
			fn(item, raw)
		}
	})
}

func keyPart(k string) string {
	if k == "" {
		return ""
	}
	return fmt.Sprintf("%q ", k)
}

func (f *yamlFile) status(n *yaml.Node, raw string) model.StatusValue {
	sv := model.StatusValue{Pos: f.pos(n), Raw: raw}
	m, ok := model.LookupStatus(raw)
	if !ok {
		d := f.Errorf(diag.CodeStatus, n.Line, n.Column, "unknown implementation status %q; counted as unknown", raw)
		if s := diag.Suggest(raw, model.SchemaStatuses); s != "" {
			d.Message += fmt.Sprintf("; did you mean %q?", s)
		}
		d.Hint = "the component schemas' statuses are: " + strings.Join(model.SchemaStatuses, ", ")
		sv.Status = model.Unknown
		return sv
	}
	if m.Guess {
		f.Warnf(diag.CodeStatusGuess, n.Line, n.Column, "implementation status %q is not in the schema; %s", raw, m.Note).
			Hint = fmt.Sprintf("if %q is meant, write it (the schemas' statuses are: %s)", schemaWord(m.Status), strings.Join(model.SchemaStatuses, ", "))
	}
	sv.Status = m.Status
	return sv
}

// schemaWord is the first of the schemas' statuses that means st.
func schemaWord(st model.Status) string {
	for _, w := range model.SchemaStatuses {
		if m, _ := model.LookupStatus(w); m.Status == st {
			return w
		}
	}
	return st.String()
}

func (f *yamlFile) origin(n *yaml.Node, raw string) model.Origin {
	if !contains(model.KnownOrigins, strings.ToLower(strings.TrimSpace(raw))) {
		d := f.Warnf(diag.CodeOrigin, n.Line, n.Column, "unknown control origin %q", raw)
		if s := diag.Suggest(raw, model.KnownOrigins); s != "" {
			d.Message += fmt.Sprintf("; did you mean %q?", s)
		}
		d.Hint = "known origins: " + strings.Join(model.KnownOrigins, ", ")
	}
	return model.Origin{Pos: f.pos(n), Value: raw}
}

func (f *yamlFile) references(v *yaml.Node) []model.Reference {
	var out []model.Reference
	f.list(v, "references", func(item *yaml.Node) {
		r := model.Reference{Pos: f.pos(item)}
		f.fields(item, "a reference", referenceKeys, func(key string, _, v *yaml.Node) {
			switch key {
			case "name":
				r.Name, _ = f.str(v, key)
			case "path":
				r.Path, _ = f.str(v, key)
				r.PathPos = f.pos(v)
			case "type":
				r.Type, _ = f.str(v, key)
			}
		})
		out = append(out, r)
	})
	return out
}

func (f *yamlFile) verifications(v *yaml.Node) []model.Verification {
	var out []model.Verification
	seen := map[string]*yaml.Node{}
	f.list(v, "verifications", func(item *yaml.Node) {
		r := model.Verification{Pos: f.pos(item)}
		var keyNode *yaml.Node
		f.fields(item, "a verification", verificationKeys, func(key string, _, v *yaml.Node) {
			switch key {
			case "key":
				r.Key, _ = f.str(v, key)
				keyNode = v
			case "name":
				r.Name, _ = f.str(v, key)
			case "path":
				r.Path, _ = f.str(v, key)
				r.PathPos = f.pos(v)
			case "type":
				r.Type, _ = f.str(v, key)
			case "description":
				r.Description, _ = f.str(v, key)
			case "test_passed":
				if b, ok := f.boolean(v, key); ok {
					r.TestPassed = &b
				}
				r.TestPassedPos = f.pos(v)
			case "last_run":
				r.LastRun, _ = f.str(v, key)
				r.LastRunPos = f.pos(v)
			}
		})
		if r.Key == "" {
			f.Errorf(diag.CodeMissing, item.Line, item.Column, "verification has no \"key\"").
				Hint = "give it a key so that covered_by entries can name it"
		} else if prev, dup := seen[r.Key]; dup {
			d := f.Errorf(diag.CodeDupVerification, keyNode.Line, keyNode.Column, "verification key %q appears twice in this component", r.Key)
			d.Notes = []diag.Note{{Pos: f.pos(prev), Message: "first used here"}}
		} else {
			seen[r.Key] = keyNode
		}
		out = append(out, r)
	})
	return out
}
