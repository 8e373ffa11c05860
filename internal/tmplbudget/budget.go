// Package tmplbudget bounds the work of executing a text/template or
// html/template whose text comes from the repository: a policy, a
// procedure or a theme layout.
//
// Neither template package has a budget, and no goroutine can stop an
// execution from outside: `{{ range 100000000 }}{{ range 100000000 }}{{ end
// }}{{ end }}` writes nothing and calls no function, so neither a capped
// writer nor a watchdog ever gets control. The design therefore makes every
// construct that repeats work pay before it runs:
//
//   - Every template node does a bounded amount of work except a range
//     (which repeats its body) and a template call (which runs another
//     tree). Instrument rewrites the parse trees once, before the first
//     execution: each range's pipeline gets a last command that receives the
//     value to range over, counts its elements (an int N counts N) and
//     charges count × the static size of the body; each tree's root starts
//     with an `if` whose condition charges the tree's size on every call.
//     Nested ranges thus charge the product of their bounds, from the
//     outermost in, before iterating: the input above is refused at the
//     outer range at once. Recursive calls charge each time.
//   - The static size counts the nodes and arguments a body can evaluate
//     once (both branches of an if), so the steps charged bound the nodes
//     executed. Ranges over channels and functions, whose length is unknown
//     ahead, are refused.
//   - Bytes are bounded by the writer, which fails past the cap, and by the
//     string-making builtins (print, printf, println, html, js, urlquery),
//     replaced by ones that charge what they make: a variable doubled by
//     printf in a straight line would otherwise build gigabytes unwritten.
//   - Time is checked at every charge and every few writes, as a backstop
//     for work the static sizes do not see (a slow method in the data).
//
// The added identifiers are bound after parsing, so a template's text
// cannot call them. Errors are *LimitError, naming the template file, line
// and column of the range or call that overran (for bytes and time: the
// last one entered).
package tmplbudget

import (
	"fmt"
	"io"
	"math"
	"reflect"
	"strconv"
	texttemplate "text/template"
	"text/template/parse"
	"time"
)

// Limits bound one execution.
type Limits struct {
	Steps int64         // template nodes, charged ahead of each range and call
	Bytes int64         // bytes written plus bytes made by the string builtins
	Time  time.Duration // wall clock from Start
}

// Documents bound a policy or procedure. Real ones charge a few hundred
// steps; a step costs about 1 µs at worst (a template call), so a runaway
// document stops within a second or two.
var Documents = Limits{Steps: 1_000_000, Bytes: 4 << 20, Time: 5 * time.Second}

// Layouts bound one page of a theme. The embedded layouts' largest page of
// the 10× workspace charges about 40,000 steps and writes 0.7 MB; the
// limits leave a hundred times that and still stop a runaway layout within
// seconds.
var Layouts = Limits{Steps: 5_000_000, Bytes: 64 << 20, Time: 5 * time.Second}

// The names of the added functions; they are not valid to call from text
// because they are bound only after parsing.
const (
	rangeFunc = "charter_budget_range"
	enterFunc = "charter_budget_enter"
)

// LimitError reports an execution that overran its limits.
type LimitError struct {
	File      string // the template's parse name
	Line, Col int    // 1-based; 0 when no range or call was entered yet
	Msg       string
}

func (e *LimitError) Error() string {
	if e.Line == 0 {
		return fmt.Sprintf("template: %s: %s", e.File, e.Msg)
	}
	return fmt.Sprintf("template: %s:%d:%d: %s", e.File, e.Line, e.Col, e.Msg)
}

// Plan is the result of instrumenting a set of trees: the places that
// charge, read-only and shared by every Meter of the set.
type Plan struct {
	sites []site
	name  string // a tree name, for errors before any charge
}

type site struct {
	tree   *parse.Tree
	node   parse.Node
	weight int64
	what   string
}

// Instrument rewrites trees in place so their executions charge a Meter.
// It must run once, after parsing and before the first execution (html/template
// escapes on first execution and cannot be changed after).
func Instrument(trees []*parse.Tree) *Plan {
	p := &Plan{}
	seen := map[*parse.Tree]bool{}
	for _, t := range trees {
		if t == nil || t.Root == nil || seen[t] {
			continue
		}
		seen[t] = true
		if p.name == "" {
			p.name = t.ParseName
		}
		p.walk(t, t.Root)
		enter := p.add(t, t.Root, max(1, weight(t.Root)), "template "+strconv.Quote(t.Name))
		cond := &parse.PipeNode{NodeType: parse.NodePipe, Pos: t.Root.Pos, Cmds: []*parse.CommandNode{call(t.Root.Pos, enterFunc, enter)}}
		guard := &parse.IfNode{BranchNode: parse.BranchNode{NodeType: parse.NodeIf, Pos: t.Root.Pos, Pipe: cond, List: &parse.ListNode{NodeType: parse.NodeList, Pos: t.Root.Pos}}}
		t.Root.Nodes = append([]parse.Node{guard}, t.Root.Nodes...)
	}
	return p
}

func (p *Plan) add(t *parse.Tree, n parse.Node, w int64, what string) int {
	p.sites = append(p.sites, site{tree: t, node: n, weight: w, what: what})
	return len(p.sites) - 1
}

// call is the command `name index`.
func call(pos parse.Pos, name string, index int) *parse.CommandNode {
	return &parse.CommandNode{NodeType: parse.NodeCommand, Pos: pos, Args: []parse.Node{
		parse.NewIdentifier(name).SetPos(pos),
		&parse.NumberNode{NodeType: parse.NodeNumber, Pos: pos, IsInt: true, IsUint: true, IsFloat: true, Int64: int64(index), Uint64: uint64(index), Float64: float64(index), Text: strconv.Itoa(index)},
	}}
}

func (p *Plan) walk(t *parse.Tree, n parse.Node) {
	switch n := n.(type) {
	case *parse.ListNode:
		if n != nil {
			for _, c := range n.Nodes {
				p.walk(t, c)
			}
		}
	case *parse.IfNode:
		p.walk(t, n.List)
		p.walk(t, n.ElseList)
	case *parse.WithNode:
		p.walk(t, n.List)
		p.walk(t, n.ElseList)
	case *parse.RangeNode:
		p.walk(t, n.List)
		p.walk(t, n.ElseList)
		// an iteration costs about as much as a node besides its body
		i := p.add(t, n, 1+weight(n.List), "range")
		n.Pipe.Cmds = append(n.Pipe.Cmds, call(n.Pipe.Pos, rangeFunc, i))
	}
}

// weight is how many nodes and arguments executing n once can evaluate,
// not counting the bodies of ranges and the trees of calls, which charge
// for themselves.
func weight(n parse.Node) int64 {
	switch n := n.(type) {
	case *parse.ListNode:
		if n == nil {
			return 0
		}
		var w int64
		for _, c := range n.Nodes {
			w += weight(c)
		}
		return w
	case *parse.IfNode:
		return 1 + pipeWeight(n.Pipe) + weight(n.List) + weight(n.ElseList)
	case *parse.WithNode:
		return 1 + pipeWeight(n.Pipe) + weight(n.List) + weight(n.ElseList)
	case *parse.RangeNode:
		return 1 + pipeWeight(n.Pipe) + weight(n.ElseList)
	case *parse.ActionNode:
		return 1 + pipeWeight(n.Pipe)
	case *parse.TemplateNode:
		return 1 + pipeWeight(n.Pipe)
	case *parse.PipeNode:
		return pipeWeight(n)
	case *parse.ChainNode:
		return 1 + weight(n.Node) + int64(len(n.Field))
	}
	return 1
}

func pipeWeight(p *parse.PipeNode) int64 {
	if p == nil {
		return 0
	}
	w := int64(len(p.Decl))
	for _, c := range p.Cmds {
		for _, a := range c.Args {
			w += weight(a)
		}
	}
	return w
}

// Meter is the budget of one execution at a time of a Plan's trees.
type Meter struct {
	plan     *Plan
	lim      Limits
	steps    int64
	bytes    int64
	writes   int
	deadline time.Time
	last     int // the site charged last, or -1
	err      *LimitError
}

// Meter makes a budget for executions of the plan's trees; bind its Funcs
// to the template (after parsing) and call Start before each execution.
func (p *Plan) Meter(l Limits) *Meter {
	return &Meter{plan: p, lim: l, last: -1}
}

// Start resets the budget for a new execution.
func (m *Meter) Start() {
	m.steps, m.bytes, m.writes, m.last, m.err = 0, 0, 0, -1, nil
	m.deadline = time.Now().Add(m.lim.Time)
}

// Funcs are the charging functions and the charged string builtins, for
// Template.Funcs of either template package.
func (m *Meter) Funcs() map[string]any {
	return map[string]any{
		rangeFunc:  m.rangeOver,
		enterFunc:  m.enter,
		"print":    func(a ...any) (string, error) { return m.made(fmt.Sprint(a...)) },
		"printf":   func(f string, a ...any) (string, error) { return m.made(fmt.Sprintf(f, a...)) },
		"println":  func(a ...any) (string, error) { return m.made(fmt.Sprintln(a...)) },
		"html":     func(a ...any) (string, error) { return m.made(texttemplate.HTMLEscaper(a...)) },
		"js":       func(a ...any) (string, error) { return m.made(texttemplate.JSEscaper(a...)) },
		"urlquery": func(a ...any) (string, error) { return m.made(texttemplate.URLQueryEscaper(a...)) },
	}
}

// Err is the limit the last execution overran, if any; a template package
// may report a write error without it (html/template wraps nothing).
func (m *Meter) Err() error {
	if m.err == nil {
		return nil
	}
	return m.err
}

func (m *Meter) fail(at int, format string, args ...any) *LimitError {
	e := &LimitError{File: m.plan.name, Msg: fmt.Sprintf(format, args...)}
	if at >= 0 {
		s := m.plan.sites[at]
		loc, _ := s.tree.ErrorContext(s.node)
		e.File = s.tree.ParseName
		// loc is "name:line:col" with a 0-based column; the name may hold colons
		if i := lastColon(loc); i > 0 {
			if j := lastColon(loc[:i]); j > 0 {
				e.Line, _ = strconv.Atoi(loc[j+1 : i])
				c, _ := strconv.Atoi(loc[i+1:])
				e.Col = c + 1
			}
		}
	}
	if m.err == nil {
		m.err = e
	}
	return e
}

func lastColon(s string) int {
	for i := len(s) - 1; i >= 0; i-- {
		if s[i] == ':' {
			return i
		}
	}
	return -1
}

func (m *Meter) charge(at int, n int64) error {
	m.last = at
	if m.err != nil {
		return m.err
	}
	if time.Now().After(m.deadline) {
		return m.fail(at, "the templates ran longer than %s; simplify the %s here", m.lim.Time, m.plan.sites[at].what)
	}
	if n > m.lim.Steps-m.steps {
		return m.fail(at, "this %s would take more than the %d template steps a page may use; range over fewer items or nest fewer ranges", m.plan.sites[at].what, m.lim.Steps)
	}
	m.steps += n
	return nil
}

func (m *Meter) enter(at int) (bool, error) {
	return false, m.charge(at, m.plan.sites[at].weight)
}

// rangeOver charges a range for its value v and hands v on unchanged.
func (m *Meter) rangeOver(at int, v any) (any, error) {
	rv := reflect.ValueOf(v)
	for rv.Kind() == reflect.Pointer || rv.Kind() == reflect.Interface {
		if rv.IsNil() {
			return v, m.charge(at, 0)
		}
		rv = rv.Elem()
	}
	var count int64
	switch rv.Kind() {
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		count = max(0, rv.Int())
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr:
		count = int64(min(rv.Uint(), math.MaxInt64))
	case reflect.Array, reflect.Slice, reflect.Map:
		count = int64(rv.Len())
	case reflect.Chan, reflect.Func:
		return nil, m.fail(at, "charter templates cannot range over a %s: its length is not known ahead", rv.Kind())
	}
	w := m.plan.sites[at].weight
	if count > 0 && w > math.MaxInt64/count {
		count, w = math.MaxInt64, 1
	}
	if err := m.charge(at, count*w); err != nil {
		if count > 1 {
			err.(*LimitError).Msg = fmt.Sprintf("range over %d items: %s", count, err.(*LimitError).Msg)
		}
		return nil, err
	}
	return v, nil
}

// made charges the bytes a builtin made.
func (m *Meter) made(s string) (string, error) {
	if err := m.addBytes(len(s)); err != nil {
		return "", err
	}
	return s, nil
}

func (m *Meter) addBytes(n int) error {
	if m.err != nil {
		return m.err
	}
	m.bytes += int64(n)
	if m.bytes > m.lim.Bytes {
		return m.fail(m.last, "the templates made more than %d bytes; range over fewer items", m.lim.Bytes)
	}
	m.writes++
	if m.writes%64 == 0 && time.Now().After(m.deadline) {
		return m.fail(m.last, "the templates ran longer than %s", m.lim.Time)
	}
	return nil
}

// Writer wraps w so that writes past the byte limit or the deadline fail.
func (m *Meter) Writer(w io.Writer) io.Writer { return &meteredWriter{m: m, w: w} }

type meteredWriter struct {
	m *Meter
	w io.Writer
}

func (w *meteredWriter) Write(b []byte) (int, error) {
	if err := w.m.addBytes(len(b)); err != nil {
		return 0, err
	}
	return w.w.Write(b)
}

// Result is the error of an execution: the first limit it overran when
// there was one (the template packages pass a write error on bare, or wrap
// a function's), else err.
func (m *Meter) Result(err error) error {
	if err != nil && m.err != nil {
		return m.err
	}
	return err
}
