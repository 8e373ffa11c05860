package tmplbudget

import (
	htmltemplate "html/template"
	"io"
	"sync"
	texttemplate "text/template"
	"text/template/parse"
)

// ExecuteText instruments t and every template associated with it, then
// executes it once under l. t must be freshly parsed and used once.
func ExecuteText(t *texttemplate.Template, w io.Writer, data any, l Limits) error {
	var trees []*parse.Tree
	for _, x := range t.Templates() {
		trees = append(trees, x.Tree)
	}
	m := Instrument(trees).Meter(l)
	t.Funcs(m.Funcs())
	m.Start()
	return m.Result(t.Execute(m.Writer(w), data))
}

// HTMLSet executes the templates of one html/template set, each execution
// under its own budget, from any number of goroutines.
//
// A Meter is per execution but a template's functions are per set, so each
// concurrent execution runs on its own clone of the set (taken from a pool,
// escaped on its first use, bound to its own Meter). The set given to
// NewHTMLSet must not be executed or changed afterwards.
type HTMLSet struct {
	master *htmltemplate.Template
	limits Limits
	plan   *Plan
	mu     sync.Mutex // Clone locks the master's name space; serialise clones with it
	pool   sync.Pool
}

type htmlClone struct {
	t *htmltemplate.Template
	m *Meter
}

// NewHTMLSet instruments the parsed, never executed set t.
func NewHTMLSet(t *htmltemplate.Template, l Limits) *HTMLSet {
	var trees []*parse.Tree
	for _, x := range t.Templates() {
		trees = append(trees, x.Tree)
	}
	return &HTMLSet{master: t, limits: l, plan: Instrument(trees)}
}

// ExecuteTemplate is html/template's ExecuteTemplate under the set's limits.
func (s *HTMLSet) ExecuteTemplate(w io.Writer, name string, data any) error {
	c, _ := s.pool.Get().(*htmlClone)
	if c == nil {
		s.mu.Lock()
		t, err := s.master.Clone()
		s.mu.Unlock()
		if err != nil {
			return err
		}
		m := s.plan.Meter(s.limits)
		c = &htmlClone{t: t.Funcs(m.Funcs()), m: m}
	}
	defer s.pool.Put(c)
	c.m.Start()
	return c.m.Result(c.t.ExecuteTemplate(c.m.Writer(w), name, data))
}

// Lookup reports whether the set defines the named template.
func (s *HTMLSet) Lookup(name string) bool { return s.master.Lookup(name) != nil }
