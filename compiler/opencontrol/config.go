package opencontrol

import (
	"gopkg.in/yaml.v3"

	"github.com/charter-compliance/charter/compiler/diag"
	"github.com/charter-compliance/charter/compiler/model"
)

var configKeys = []string{"organization", "gate", "documents", "repository_url", "versions", "unsafe_html", "theme", "strict", "gate_requires_closed_claims", "evidence"}

var evidenceKeys = []string{"max_age", "stale"}

// DefaultDocuments is where policies and procedures live when charter.yaml
// says nothing.
var DefaultDocuments = []string{"templates"}

// DecodeConfig decodes charter.yaml, charter's own settings.
func DecodeConfig(rel string, text []byte) (model.Config, diag.List) {
	cfg := model.Config{Pos: diag.Pos{File: rel}, Present: true, Documents: DefaultDocuments}
	f := parseYAML(rel, text)
	defer f.done()
	root := f.root("", "")
	if root == nil {
		return cfg, f.List
	}
	f.fields(root, "charter.yaml", configKeys, func(key string, _, v *yaml.Node) {
		switch key {
		case "organization":
			cfg.Organization, _ = f.str(v, key)
		case "gate":
			cfg.Gate = nil
			for _, n := range f.strOrList(v, key) {
				cfg.Gate = append(cfg.Gate, model.Ref{Name: n.Value, Pos: f.pos(n)})
			}
		case "documents":
			var dirs []string
			for _, n := range f.strOrList(v, key) {
				dirs = append(dirs, n.Value)
			}
			cfg.Documents = dirs
			cfg.DocumentsPos = f.pos(v)
		case "repository_url":
			cfg.RepositoryURL, _ = f.str(v, key)
		case "versions":
			cfg.Versions, _ = f.str(v, key)
		case "unsafe_html":
			cfg.UnsafeHTML, _ = f.boolean(v, key)
		case "theme":
			cfg.Theme, _ = f.str(v, key)
		case "strict":
			cfg.Strict, _ = f.boolean(v, key)
		case "gate_requires_closed_claims":
			cfg.GateRequiresClosedClaims, _ = f.boolean(v, key)
		case "evidence":
			cfg.Evidence = f.evidence(v)
		}
	})
	if f.blown {
		// the alias budget ran out: use none of the half-read settings
		return model.Config{Pos: cfg.Pos, Present: true, Documents: DefaultDocuments}, f.List
	}
	return cfg, f.List
}

// evidence decodes charter.yaml's evidence: {max_age: 90d, stale: warn|downgrade}.
func (f *yamlFile) evidence(n *yaml.Node) model.EvidenceConfig {
	ev := model.EvidenceConfig{Pos: f.pos(n)}
	f.fields(n, "evidence", evidenceKeys, func(key string, _, v *yaml.Node) {
		s, ok := f.str(v, key)
		if !ok {
			return
		}
		switch key {
		case "max_age":
			age, ok := model.ParseAge(s)
			if !ok {
				f.Errorf(diag.CodeValue, v.Line, v.Column, "evidence max_age %q is not an age", s).
					Hint = "write a number of days, weeks, months or years: 90d, 12w, 6m, 1y"
				return
			}
			ev.MaxAge, ev.MaxAgePos = age, f.pos(v)
		case "stale":
			switch s {
			case "warn":
			case "downgrade":
				ev.Downgrade = true
			default:
				f.Errorf(diag.CodeValue, v.Line, v.Column, "evidence stale %q is not warn or downgrade", s).
					Hint = "stale: warn reports old verifications; stale: downgrade also counts what they cover as partial"
			}
		}
	})
	return ev
}
