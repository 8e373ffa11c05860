package opencontrol

import (
	"slices"

	"gopkg.in/yaml.v3"

	"github.com/charter-compliance/charter/compiler/diag"
	"github.com/charter-compliance/charter/compiler/model"
)

var certificationKeys = []string{"name", "standards"}

// DecodeCertification decodes a certification: `name:` plus the controls it
// requires, keyed by standard name. The controls' values carry nothing.
func DecodeCertification(rel string, text []byte) (*model.Certification, diag.List) {
	f := parseYAML(rel, text)
	defer f.done()
	root := f.root("certification", "put each certification in its own file")
	if root == nil {
		return nil, f.List
	}
	c := &model.Certification{Pos: f.Src.Pos(0, 0), File: rel}
	have := map[string]bool{}
	ok := f.fields(root, "the certification", certificationKeys, func(key string, k, v *yaml.Node) {
		have[key] = true
		switch key {
		case "name":
			c.Name = f.requiredStr(v, "the certification", "name")
			c.Pos = f.pos(v)
		case "standards":
			f.fields(v, "standards", nil, func(std string, sk, v *yaml.Node) {
				stdPos := f.pos(sk)
				f.fields(v, "standard "+std, nil, func(ctl string, k, v *yaml.Node) {
					c.Controls = append(c.Controls, model.CertControl{Pos: f.pos(k), StandardPos: stdPos, Standard: std, Control: ctl})
				})
			})
		}
	})
	if !ok {
		return nil, f.List
	}
	if f.blown {
		return nil, f.List // the alias budget ran out: the file was not read whole
	}
	f.required(root, "the certification", have, "name")
	if c.Name == "" {
		return nil, f.List
	}
	slices.SortStableFunc(c.Controls, func(a, b model.CertControl) int {
		if a.Standard != b.Standard {
			if a.Standard < b.Standard {
				return -1
			}
			return 1
		}
		return model.CompareIDs(a.Control, b.Control)
	})
	return c, f.List
}
