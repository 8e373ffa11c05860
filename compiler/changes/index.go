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
	holders  map[string]holders // file -> what it holds, worked out once per file
}

// holders are the components and documents one file belongs to.
type holders struct {
	comps []*model.Component
	docs  []*model.Document
}

func newIndex(ws *model.Workspace) *index {
	ix := &index{compDirs: map[string][]*model.Component{}, compFile: map[string][]*model.Component{}, docs: map[string][]*model.Document{},
		holders: map[string]holders{}}
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
	var comps []*model.Component
	var docs []*model.Document
	for _, f := range files {
		h := ix.of(f)
		for _, c := range h.comps {
			if !slices.Contains(comps, c) {
				comps = append(comps, c)
			}
		}
		for _, d := range h.docs {
			if !slices.Contains(docs, d) {
				docs = append(docs, d)
			}
		}
	}
	components, policies, procedures, criteria = []string{}, []string{}, []string{}, []string{}
	for _, c := range comps {
		components = append(components, c.Key)
		for _, s := range c.Satisfies {
			criteria = append(criteria, s.StandardKey+" "+s.ControlKey)
		}
	}
	for _, d := range docs {
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

// of is what one file belongs to: the component whose component.yaml it is,
// the components in whose directories (or their parents) it lies, and the
// documents it is.
func (ix *index) of(f string) holders {
	if h, ok := ix.holders[f]; ok {
		return h
	}
	var h holders
	h.comps = append(h.comps, ix.compFile[f]...)
	for dir := path.Dir(f); dir != "." && dir != "/"; dir = path.Dir(dir) {
		h.comps = append(h.comps, ix.compDirs[dir]...)
	}
	h.docs = ix.docs[f]
	ix.holders[f] = h
	return h
}
