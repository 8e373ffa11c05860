package opencontrol

import (
	"slices"

	"gopkg.in/yaml.v3"

	"github.com/charter-compliance/charter/compiler/diag"
	"github.com/charter-compliance/charter/compiler/model"
)

// controlKeys are a control's fields: OpenControl's three, and charter's
// family_name, which names the control's family. Other tools ignore unknown
// fields inside a control, so the extension lives there, never at the top
// level, where every key but name is a control.
var controlKeys = []string{"family", "name", "description", "family_name"}

// DecodeStandard decodes a standard: `name:` plus one mapping per control.
// Family names come from the controls' family_name; the first control of a
// family to name it wins, and a later control naming it differently is
// reported.
func DecodeStandard(rel string, text []byte) (*model.Standard, diag.List) {
	f := parseYAML(rel, text)
	defer f.done()
	root := f.root("standard", "put each standard in its own file and list it in opencontrol.yaml")
	if root == nil {
		return nil, f.List
	}
	s := &model.Standard{Pos: f.Src.Pos(0, 0), File: rel}
	have := map[string]bool{}
	named := map[string]*yaml.Node{} // family code -> the family_name that named it
	ok := f.fields(root, "the standard", nil, func(key string, k, v *yaml.Node) {
		if key == "name" {
			have["name"] = true
			s.Name = f.requiredStr(v, "the standard", "name")
			s.Pos = f.pos(v)
			return
		}
		c := &model.Control{Pos: f.pos(k), ID: key}
		if key == "families" {
			// charter's old extension: a control to every other tool, and so
			// to charter, but its family names are not reported key by key
			f.Warnf(diag.CodeUnknownKey, k.Line, k.Column, "top-level %q is a control to every OpenControl tool, and so to charter; its family names are not read", key).
				Hint = "name each family in its controls instead (family_name: beside family:), and remove families:"
			s.Controls = append(s.Controls, c)
			return
		}
		var familyName *yaml.Node
		f.fields(v, "control "+key, controlKeys, func(field string, _, v *yaml.Node) {
			switch field {
			case "family":
				c.Family, _ = f.str(v, "family")
			case "name":
				c.Name, _ = f.str(v, "name")
			case "description":
				c.Description, _ = f.str(v, "description")
			case "family_name":
				familyName = v
			}
		})
		if familyName != nil {
			f.familyName(s, c, familyName, named)
		}
		s.Controls = append(s.Controls, c)
	})
	if !ok {
		return nil, f.List
	}
	if f.blown {
		return nil, f.List // the alias budget ran out: the file was not read whole
	}
	f.required(root, "the standard", have, "name")
	if s.Name == "" {
		return nil, f.List
	}
	for _, c := range s.Controls {
		c.Standard = s.Name
	}
	slices.SortStableFunc(s.Controls, func(a, b *model.Control) int { return model.CompareIDs(a.ID, b.ID) })
	return s, f.List
}

// familyName records the family name a control gives its family.
func (f *yamlFile) familyName(s *model.Standard, c *model.Control, v *yaml.Node, named map[string]*yaml.Node) {
	name, ok := f.str(v, "family_name")
	if !ok || name == "" {
		return
	}
	if c.Family == "" {
		f.Warnf(diag.CodeMissing, v.Line, v.Column, "control %s names a family (%q) but has no family code", c.ID, name).
			Hint = "add family: with the family's code beside family_name:"
		return
	}
	prev, seen := named[c.Family]
	if !seen {
		if s.Families == nil {
			s.Families = map[string]string{}
		}
		s.Families[c.Family] = name
		named[c.Family] = v
		return
	}
	if s.Families[c.Family] != name {
		d := f.Warnf(diag.CodeValue, v.Line, v.Column, "control %s names family %s %q, but an earlier control named it %q; the first name is used", c.ID, c.Family, name, s.Families[c.Family])
		d.Hint = "give every control of a family the same family_name"
		d.Notes = []diag.Note{{Pos: f.pos(prev), Message: "first named here"}}
	}
}
