package opencontrol

import (
	"gopkg.in/yaml.v3"

	"github.com/charter-compliance/charter/compiler/diag"
	"github.com/charter-compliance/charter/compiler/model"
)

var configKeys = []string{"organization", "gate", "documents", "repository_url", "versions", "unsafe_html", "theme", "strict"}

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
		}
	})
	if f.blown {
		// the alias budget ran out: use none of the half-read settings
		return model.Config{Pos: cfg.Pos, Present: true, Documents: DefaultDocuments}, f.List
	}
	return cfg, f.List
}
