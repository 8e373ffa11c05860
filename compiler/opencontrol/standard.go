package opencontrol

import (
	"slices"

	"gopkg.in/yaml.v3"

	"github.com/charter-compliance/charter/compiler/diag"
	"github.com/charter-compliance/charter/compiler/model"
)

var controlKeys = []string{"family", "name", "description"}

// DecodeStandard decodes a standard: `name:` plus one mapping per control.
// charter also reads an optional `families:` mapping of family code to name.
func DecodeStandard(rel string, text []byte) (*model.Standard, diag.List) {
	f := parseYAML(rel, text)
	defer f.done()
	root := f.root("standard", "put each standard in its own file and list it in opencontrol.yaml")
	if root == nil {
		return nil, f.List
	}
	s := &model.Standard{Pos: f.Src.Pos(0, 0), File: rel}
	have := map[string]bool{}
	ok := f.fields(root, "the standard", nil, func(key string, k, v *yaml.Node) {
		switch key {
		case "name":
			have["name"] = true
			s.Name = f.requiredStr(v, "the standard", "name")
			s.Pos = f.pos(v)
		case "families":
			if v := f.resolve(v); v != nil && v.Kind == yaml.MappingNode {
				s.Families = map[string]string{}
				f.fields(v, "families", nil, func(code string, _, v *yaml.Node) {
					s.Families[code], _ = f.str(v, "family name")
				})
				return
			}
			fallthrough
		default:
			c := &model.Control{Pos: f.pos(k), ID: key}
			f.fields(v, "control "+key, controlKeys, func(field string, _, v *yaml.Node) {
				switch field {
				case "family":
					c.Family, _ = f.str(v, "family")
				case "name":
					c.Name, _ = f.str(v, "name")
				case "description":
					c.Description, _ = f.str(v, "description")
				}
			})
			s.Controls = append(s.Controls, c)
		}
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
