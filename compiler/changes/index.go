package changes

import (
	"path"
	"slices"

	"github.com/charter-compliance/charter/compiler/model"
)

// index maps workspace files to the model objects they hold: a component's
// directory (its component.yaml and everything beside it), a policy's or
// procedure's Markdown file.
type index struct {
	compDirs map[string][]*model.Component // directory -> components in it
	compFile map[string][]*model.Component // component.yaml -> component
	docs     map[string][]*model.Document
}

func newIndex(ws *model.Workspace) *index {
	ix := &index{compDirs: map[string][]*model.Component{}, compFile: map[string][]*model.Component{}, docs: map[string][]*model.Document{}}
	if ws == nil {
		return ix
	}
	for _, c := range ws.Components {
		ix.compFile[c.File] = append(ix.compFile[c.File], c)
		if c.Dir != "" && c.Dir != "." {
			ix.compDirs[c.Dir] = append(ix.compDirs[c.Dir], c)
		}
	}
	for _, d := range ws.Documents {
		ix.docs[d.File] = append(ix.docs[d.File], d)
	}
	return ix
}

// touched returns the keys of the components, the ids of the policies and
// procedures, and the criteria ("STANDARD CONTROL": those the touched
// components satisfy and the touched documents claim) that files touch,
// each sorted and without repeats.
func (ix *index) touched(files []string) (components, policies, procedures, criteria []string) {
	comps := map[*model.Component]bool{}
	docs := map[*model.Document]bool{}
	for _, f := range files {
		for _, c := range ix.compFile[f] {
			comps[c] = true
		}
		for dir := path.Dir(f); dir != "." && dir != "/"; dir = path.Dir(dir) {
			for _, c := range ix.compDirs[dir] {
				comps[c] = true
			}
		}
		for _, d := range ix.docs[f] {
			docs[d] = true
		}
	}
	components, policies, procedures, criteria = []string{}, []string{}, []string{}, []string{}
	for c := range comps {
		components = append(components, c.Key)
		for _, s := range c.Satisfies {
			criteria = append(criteria, s.StandardKey+" "+s.ControlKey)
		}
	}
	for d := range docs {
		if d.Kind == "procedure" {
			procedures = append(procedures, d.ID)
		} else {
			policies = append(policies, d.ID)
		}
		for _, cl := range d.Satisfies {
			criteria = append(criteria, cl.Standard+" "+cl.Control)
		}
	}
	for _, s := range []*[]string{&components, &policies, &procedures, &criteria} {
		slices.SortFunc(*s, model.CompareIDs)
		*s = slices.Compact(*s)
	}
	return components, policies, procedures, criteria
}
