package docs

import (
	"fmt"
	"strings"
	texttemplate "text/template"
	"unicode/utf8"

	"github.com/charter-compliance/charter/compiler/diag"
	"github.com/charter-compliance/charter/compiler/links"
	"github.com/charter-compliance/charter/compiler/model"
)

// actionError is an error from a template function, with a hint.
type actionError struct{ msg, hint string }

func (e *actionError) Error() string { return e.msg }

func fail(hint, format string, args ...any) error {
	return &actionError{msg: fmt.Sprintf(format, args...), hint: hint}
}

// funcs are the template actions of one document render. Each returns
// Markdown; links are relative to the page being rendered.
type funcs struct {
	r    *Renderer
	from string
}

func (f *funcs) funcMap() texttemplate.FuncMap {
	return texttemplate.FuncMap{
		"org":          f.org,
		"control":      f.control,
		"satisfiers":   f.satisfiers,
		"narrative":    f.narrative,
		"param":        f.param,
		"component":    f.component,
		"verification": f.verification,
		"doc":          f.doc,
	}
}

func (f *funcs) link(target string) string { return links.Rel(f.from, target) }

// org is the organisation's name from charter.yaml (else the manifest name).
func (f *funcs) org() string {
	if o := f.r.ws.Config.Organization; o != "" {
		return escape(o)
	}
	return escape(f.r.ws.Manifest.Name)
}

func (f *funcs) lookupControl(std, id string) (*model.Control, error) {
	s := f.r.ws.Standard(std)
	if s == nil {
		var names []string
		for _, x := range f.r.ws.Standards {
			names = append(names, x.Name)
		}
		return nil, fail(diag.DidYouMean(std, names), "no standard named %q", std)
	}
	c := s.Control(id)
	if c == nil {
		return nil, fail(didYouMeanID(id, s.ControlIDs()), "standard %s has no control %q", std, id)
	}
	return c, nil
}

// control links a control with its title: [CC8.1 Change management](...).
func (f *funcs) control(std, id string) (string, error) {
	c, err := f.lookupControl(std, id)
	if err != nil {
		return "", err
	}
	text := c.ID
	if c.Name != "" {
		text += " " + c.Name
	}
	return fmt.Sprintf("[%s](%s)", escape(text), f.link(links.Control(std, id))), nil
}

// satisfiers lists the components that satisfy a control, with status.
func (f *funcs) satisfiers(std, id string) (string, error) {
	if _, err := f.lookupControl(std, id); err != nil {
		return "", err
	}
	v := f.r.cov.Verdict(std, id)
	var b strings.Builder
	for _, e := range v.Evidence {
		if e.Component == nil {
			continue
		}
		fmt.Fprintf(&b, "- [%s](%s): %s\n", escape(e.Component.Name), f.link(links.Component(e.Component.Key)), e.Status)
	}
	if b.Len() == 0 {
		return "- No component satisfies " + escape(id) + " yet.\n", nil
	}
	return b.String(), nil
}

func (f *funcs) lookupComponent(key string) (*model.Component, error) {
	c := f.r.ws.Component(key)
	if c == nil {
		var keys []string
		for _, x := range f.r.ws.Components {
			keys = append(keys, x.Key)
		}
		return nil, fail(diag.DidYouMean(key, keys), "no component with key %q", key)
	}
	return c, nil
}

func (f *funcs) lookupSatisfaction(comp, std, id string) (*model.Satisfaction, error) {
	c, err := f.lookupComponent(comp)
	if err != nil {
		return nil, err
	}
	if _, err := f.lookupControl(std, id); err != nil {
		return nil, err
	}
	for _, s := range c.Satisfies {
		if s.StandardKey == std && s.ControlKey == id {
			return s, nil
		}
	}
	return nil, fail("add the satisfaction to "+c.File+", or name another component", "component %s does not satisfy %s %s", comp, std, id)
}

// narrative is a component's narrative for a control, all keys or one.
func (f *funcs) narrative(comp, std, id string, key ...string) (string, error) {
	s, err := f.lookupSatisfaction(comp, std, id)
	if err != nil {
		return "", err
	}
	if len(key) > 1 {
		return "", fail("", "narrative takes at most one narrative key, got %d", len(key))
	}
	var parts []string
	var keys []string
	for _, n := range s.Narratives {
		keys = append(keys, n.Key)
		if len(key) == 1 && n.Key != key[0] {
			continue
		}
		parts = append(parts, strings.TrimSpace(n.Text))
	}
	if len(parts) == 0 {
		if len(key) == 1 {
			return "", fail(diag.DidYouMean(key[0], keys), "%s %s of component %s has no narrative with key %q", std, id, comp, key[0])
		}
		return "", fail("write the narrative in the component", "%s %s of component %s has no narrative", std, id, comp)
	}
	return strings.Join(parts, "\n\n"), nil
}

// param is one parameter's text.
func (f *funcs) param(comp, std, id, key string) (string, error) {
	s, err := f.lookupSatisfaction(comp, std, id)
	if err != nil {
		return "", err
	}
	var keys []string
	for _, p := range s.Parameters {
		if p.Key == key {
			return escape(p.Text), nil
		}
		keys = append(keys, p.Key)
	}
	return "", fail(diag.DidYouMean(key, keys), "%s %s of component %s has no parameter %q", std, id, comp, key)
}

// component links a component by its name.
func (f *funcs) component(key string) (string, error) {
	c, err := f.lookupComponent(key)
	if err != nil {
		return "", err
	}
	return fmt.Sprintf("[%s](%s)", escape(c.Name), f.link(links.Component(key))), nil
}

// verification links a component's verification (evidence).
func (f *funcs) verification(comp, key string) (string, error) {
	c, err := f.lookupComponent(comp)
	if err != nil {
		return "", err
	}
	v := c.Verification(key)
	if v == nil {
		var keys []string
		for _, x := range c.Verifications {
			keys = append(keys, x.Key)
		}
		return "", fail(diag.DidYouMean(key, keys), "component %s has no verification %q", comp, key)
	}
	name := v.Name
	if name == "" {
		name = v.Key
	}
	return fmt.Sprintf("[%s](%s)", escape(name), f.link(links.Verification(comp, key))), nil
}

// doc links another policy or procedure by its title.
func (f *funcs) doc(id string) (string, error) {
	d := f.r.ws.Document(id)
	if d == nil {
		var ids []string
		for _, x := range f.r.ws.Documents {
			ids = append(ids, x.ID)
		}
		return "", fail(diag.DidYouMean(id, ids), "no policy or procedure with id %q", id)
	}
	title := d.Title
	if title == "" {
		title = d.ID
	}
	return fmt.Sprintf("[%s](%s)", escape(title), f.link(links.Document(id))), nil
}

// escape makes text literal in Markdown inline context.
func escape(s string) string {
	// most names need nothing: plain ASCII comes back as it is
	i := 0
	for ; i < len(s); i++ {
		if c := s[i]; c >= utf8.RuneSelf || escaped[c] {
			break
		}
	}
	if i == len(s) {
		return s
	}
	var b strings.Builder
	b.Grow(len(s) + 8)
	b.WriteString(s[:i])
	for _, r := range s[i:] {
		switch r {
		case '\\', '`', '*', '_', '[', ']', '<', '>', '#', '|', '!', '&':
			b.WriteByte('\\')
		case '\n':
			r = ' '
		}
		b.WriteRune(r)
	}
	return b.String()
}

// escaped marks the ASCII bytes escape changes.
var escaped = func() (t [utf8.RuneSelf]bool) {
	for _, c := range "\\`*_[]<>#|!&\n" {
		t[c] = true
	}
	return t
}()

func didYouMeanID(id string, ids []string) string {
	if s := diag.SuggestID(id, ids); s != "" {
		return fmt.Sprintf("did you mean %q?", s)
	}
	return ""
}
