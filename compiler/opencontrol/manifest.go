package opencontrol

import (
	"strings"

	"gopkg.in/yaml.v3"

	"github.com/charter-compliance/charter/compiler/diag"
	"github.com/charter-compliance/charter/compiler/model"
)

var (
	manifestKeys   = []string{"schema_version", "name", "metadata", "components", "standards", "certifications", "dependencies"}
	metadataKeys   = []string{"description", "maintainers"}
	dependencyKeys = []string{"certifications", "standards", "systems"}
	depEntryKeys   = []string{"url", "revision", "contextdir", "path"}
)

// Entry is a path listed by a manifest, with where it was listed.
type Entry struct {
	Path string
	Pos  diag.Pos
}

// Manifest is a decoded opencontrol.yaml with the files it lists.
type Manifest struct {
	model.Manifest
	Components     []Entry
	Standards      []Entry
	Certifications []Entry
}

// DecodeManifest decodes opencontrol.yaml.
func DecodeManifest(rel string, text []byte) (*Manifest, diag.List) {
	f := parseYAML(rel, text)
	defer f.done()
	root := f.root("", "")
	if root == nil {
		return nil, f.List
	}
	m := &Manifest{}
	m.Pos = f.Src.Pos(0, 0)
	have := map[string]bool{}
	entries := func(v *yaml.Node, field string) []Entry {
		var out []Entry
		f.list(v, field, func(item *yaml.Node) {
			if p, ok := f.str(item, field+" item"); ok && p != "" {
				out = append(out, Entry{Path: p, Pos: f.pos(item)})
			}
		})
		return out
	}
	ok := f.fields(root, "opencontrol.yaml", manifestKeys, func(key string, k, v *yaml.Node) {
		have[key] = true
		switch key {
		case "schema_version":
			raw, _ := f.str(v, key)
			if raw != "1.0.0" && raw != "1.0" {
				f.Errorf(diag.CodeSchemaVersion, v.Line, v.Column, "unknown opencontrol.yaml schema_version %q", raw).
					Hint = `charter reads schema_version "1.0.0"`
			}
			m.SchemaVersion = raw
		case "name":
			m.Name = f.requiredStr(v, "opencontrol.yaml", key)
		case "metadata":
			f.fields(v, "metadata", metadataKeys, func(key string, _, v *yaml.Node) {
				if key == "description" {
					m.Description, _ = f.str(v, key)
				} else {
					m.Maintainers = f.strList(v, key)
				}
			})
		case "components":
			m.Components = entries(v, key)
		case "standards":
			m.Standards = entries(v, key)
		case "certifications":
			m.Certifications = entries(v, key)
		case "dependencies":
			f.fields(v, "dependencies", dependencyKeys, func(kind string, _, v *yaml.Node) {
				f.list(v, "dependencies."+kind, func(item *yaml.Node) {
					d := model.Dependency{Pos: f.pos(item), Kind: kind}
					f.strFields(item, "a dependency", depEntryKeys, &d.URL, &d.Revision, &d.ContextDir, &d.Path)
					if d.URL == "" {
						f.Errorf(diag.CodeMissing, item.Line, item.Column, "dependency has no \"url\"").
							Hint = "give the git URL or a local directory of the dependency"
						return
					}
					m.Dependencies = append(m.Dependencies, d)
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
	f.required(root, "opencontrol.yaml", have, "name", "schema_version")
	return m, f.List
}

// IsRemote reports whether a dependency URL names a git remote rather than a
// directory inside the repository.
func IsRemote(url string) bool {
	if strings.Contains(url, "://") {
		return !strings.HasPrefix(url, "file://")
	}
	// scp-like syntax: git@github.com:org/repo.git
	if i := strings.IndexByte(url, ':'); i > 0 && !strings.ContainsAny(url[:i], "/\\") {
		return true
	}
	return false
}
