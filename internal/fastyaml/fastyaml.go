// Package fastyaml parses the block-style YAML that OpenControl files are
// written in into yaml.v3 node trees, several times faster than yaml.v3.
//
// It covers the subset real OpenControl data uses: block mappings and
// sequences (also a sequence at its key's indentation), plain scalars on one
// line, single- and double-quoted scalars on one line, literal and folded
// block scalars with chomping and indentation indicators, one-line flow
// sequences of scalars, empty flow mappings, comments, and documents
// separated by ---. For anything else (anchors, aliases, tags, multi-line
// plain or quoted scalars, flow mappings, complex keys, tabs in
// indentation, CR line breaks, directives, and every kind of syntax error)
// Parse reports false and the caller parses the text with yaml.v3, which
// then also writes the error message. Parse therefore never has to be right
// about anything it does not fully understand.
//
// Where Parse succeeds, each node's Kind, Style, Tag, Value, Line, Column and
// Content equal what yaml.v3 produces for the same text; a differential test
// and a fuzz target hold it to that. Comments are not kept: nothing in
// charter reads them.
package fastyaml

import (
	"bytes"
	"encoding/binary"
	"errors"
	"io"
	"strconv"
	"strings"
	"sync"
	"time"
	"unicode/utf8"

	"gopkg.in/yaml.v3"
)

// maxDepth bounds nesting; deeper documents go to yaml.v3.
const maxDepth = 100

// maxKey is the longest key Parse accepts; yaml.v3 stops treating a plain
// scalar as a possible key after 1024 characters.
const maxKey = 1000

// ParseReusing is Parse with the nodes' memory taken from a pool of
// earlier parses: call release once nothing refers to the nodes any more,
// and the next parse reuses that memory instead of faulting in fresh pages.
// Strings in the nodes stay valid after release; the nodes do not.
func ParseReusing(text []byte) (docs []*yaml.Node, release func(), ok bool) {
	p := pool.Get().(*parser)
	release = func() { p.reset(); pool.Put(p) }
	if docs, ok = p.parse(text); !ok {
		release()
		return nil, nil, false
	}
	return docs, release, true
}

var pool = sync.Pool{New: func() any { return new(parser) }}

// ParseV3 parses text with a yaml.v3 Decoder, keeping each document's root
// unless the document is empty: what Parse is held to, and what reads the
// texts Parse declines.
func ParseV3(text []byte) ([]*yaml.Node, error) {
	var docs []*yaml.Node
	dec := yaml.NewDecoder(bytes.NewReader(text))
	for {
		var doc yaml.Node
		err := dec.Decode(&doc)
		if errors.Is(err, io.EOF) {
			return docs, nil
		}
		if err != nil {
			return nil, err
		}
		if len(doc.Content) == 0 {
			continue
		}
		if n := doc.Content[0]; n.Kind == yaml.ScalarNode && n.Tag == "!!null" && n.Value == "" {
			continue // an empty document, as after a trailing ---
		}
		docs = append(docs, doc.Content[0])
	}
}

// Parse parses every document of text and returns the root node of each
// document that holds something, as ParseV3 would. ok is false when the
// text uses YAML that Parse leaves to yaml.v3, or is not valid YAML; when
// ok is true, text is valid UTF-8 and holds at least one document.
func Parse(text []byte) (docs []*yaml.Node, ok bool) {
	return new(parser).parse(text)
}

func (p *parser) parse(text []byte) (docs []*yaml.Node, ok bool) {
	plain, ascii := plainText(text)
	if !plain {
		return nil, false
	}
	p.reset()
	p.src, p.ascii = string(text), ascii
	defer func() {
		if r := recover(); r != nil {
			if r != errBail {
				panic(r)
			}
			docs, ok = nil, false
		}
	}()
	docs = p.stream()
	return docs, len(docs) > 0
}

// bailout is the panic value that abandons a parse.
type bailout struct{}

var errBail = &bailout{}

func bail() { panic(errBail) }

// plainText reports whether text is free of what Parse does not handle
// anywhere: a byte order mark, CR, the Unicode line breaks YAML 1.1 knows
// (NEL, LS, PS), and characters YAML does not allow in a stream.
// ascii says whether it holds only ASCII characters.
func plainText(text []byte) (plain, ascii bool) {
	const ones, high = 0x0101010101010101, 0x8080808080808080
	ascii = true
	for i := 0; i < len(text); {
		// skip eight bytes at a time while none is below 0x20 or above
		// 0x7e (exact bit tricks; line breaks send a word to the loop below)
		for i+8 <= len(text) {
			w := binary.LittleEndian.Uint64(text[i:])
			if ((w-0x20*ones)&^w|(w+ones|w))&high != 0 {
				break
			}
			i += 8
		}
		for end := min(i+8, len(text)); i < end; {
			c := text[i]
			if !special[c] {
				i++
				continue
			}
			if c < utf8.RuneSelf {
				return false, false // a control character
			}
			ascii = false
			r, w := utf8.DecodeRune(text[i:])
			switch {
			case r == utf8.RuneError && w == 1:
				return false, false
			case r <= 0x9f, r == 0x2028, r == 0x2029, r == 0xfeff, r == 0xfffe, r == 0xffff:
				// C1 controls (with NEL), line and paragraph separators, BOM
				return false, false
			}
			i += w
		}
	}
	return true, ascii
}

// special marks the bytes plainText looks at: control characters other
// than tab and line feed, DEL, and the bytes of non-ASCII characters.
var special = func() (t [256]bool) {
	for c := range 256 {
		t[c] = (c < 0x20 && c != '\n' && c != '\t') || c >= 0x7f
	}
	return t
}()

type parser struct {
	src   string
	ascii bool // src has only ASCII characters: columns are byte offsets
	i     int  // current offset
	ls    int  // offset of the current line's start
	line  int  // current line, from 1
	ind   int  // indentation of the content line at i; eof or docMark
	depth int

	// Nodes and Content slices are carved from chunks, which a parser
	// reused after reset fills again from the first.
	nodes      []yaml.Node // the chunk being filled
	nodeChunks [][]yaml.Node
	nc         int // index of nodes in nodeChunks
	ptrs       []*yaml.Node
	ptrChunks  [][]*yaml.Node
	pc         int
	kids       []*yaml.Node // children of the collections being read
	buf        []byte       // scratch space for block scalars
}

const (
	eof     = -1
	docMark = -2 // a line starting with --- or ...
)

// reset readies the parser for another text, reusing its chunks.
func (p *parser) reset() {
	p.src, p.i, p.ls, p.line, p.ind, p.depth = "", 0, 0, 0, 0, 0
	p.nodes, p.nc = nil, -1
	p.ptrs, p.pc = nil, -1
	clear(p.kids)
	p.kids = p.kids[:0]
}

func (p *parser) node(kind yaml.Kind, style yaml.Style, tag, value string, line, col int) *yaml.Node {
	if len(p.nodes) == cap(p.nodes) {
		p.nc++
		if p.nc == len(p.nodeChunks) {
			p.nodeChunks = append(p.nodeChunks, make([]yaml.Node, 0, 256))
		}
		p.nodes = p.nodeChunks[p.nc][:0]
	}
	// fields one by one: copying a whole Node into the chunk costs a bulk
	// write barrier while the collector runs
	p.nodes = p.nodes[:len(p.nodes)+1]
	n := &p.nodes[len(p.nodes)-1]
	n.Kind, n.Style, n.Tag, n.Value, n.Line, n.Column, n.Content = kind, style, tag, value, line, col, nil
	return n
}

// collect returns the children pushed since mark as a Content slice.
func (p *parser) collect(mark int) []*yaml.Node {
	n := len(p.kids) - mark
	if n > cap(p.ptrs)-len(p.ptrs) {
		p.pc++
		if p.pc == len(p.ptrChunks) {
			p.ptrChunks = append(p.ptrChunks, nil)
		}
		if cap(p.ptrChunks[p.pc]) < n {
			p.ptrChunks[p.pc] = make([]*yaml.Node, 0, max(1024, n))
		}
		p.ptrs = p.ptrChunks[p.pc][:0]
	}
	start := len(p.ptrs)
	p.ptrs = append(p.ptrs, p.kids[mark:]...)
	clear(p.kids[mark:])
	p.kids = p.kids[:mark]
	return p.ptrs[start:len(p.ptrs):len(p.ptrs)]
}

// col is the 1-based column of offset i on the current line, counted in
// characters as yaml.v3 counts them.
func (p *parser) col(i int) int {
	if p.ascii {
		return i - p.ls + 1
	}
	s := p.src[p.ls:i]
	for j := 0; j < len(s); j++ {
		if s[j] >= utf8.RuneSelf {
			return utf8.RuneCountInString(s) + 1
		}
	}
	return len(s) + 1
}

// stream reads the documents.
func (p *parser) stream() []*yaml.Node {
	var docs []*yaml.Node
	p.line = 1
	p.first()
	for p.ind != eof {
		if p.ind == docMark {
			if p.src[p.i] == '.' {
				bail() // "..." document end markers are rare; yaml.v3 reads them
			}
			p.i += 3
			p.restOfLine()
			p.next()
			continue
		}
		if p.src[p.i] == '%' {
			bail()
		}
		root := p.block(-1)
		if root.Kind == yaml.ScalarNode {
			bail() // a document that is one scalar
		}
		docs = append(docs, root)
		if p.ind >= 0 {
			bail() // content left of the root node: a syntax error
		}
	}
	return docs
}

// first positions the parser at the first content line of the text.
func (p *parser) first() {
	p.i, p.ls = 0, 0
	p.skipBlank()
}

// next moves past the end of the current line to the next content line,
// setting ind.
func (p *parser) next() {
	j := strings.IndexByte(p.src[p.i:], '\n')
	if j < 0 {
		p.i = len(p.src)
		p.ind = eof
		return
	}
	p.i += j + 1
	p.ls = p.i
	p.line++
	p.skipBlank()
}

// skipBlank skips blank and comment lines from the start of a line (at
// p.i == p.ls), leaving p.i at the first character of a content line.
func (p *parser) skipBlank() {
	s := p.src
	for {
		i := p.ls
		for i < len(s) && s[i] == ' ' {
			i++
		}
		if i == len(s) {
			p.i, p.ind = i, eof
			return
		}
		switch s[i] {
		case '\t':
			bail()
		case '\n', '#':
			j := strings.IndexByte(s[i:], '\n')
			if j < 0 {
				p.i, p.ind = len(s), eof
				return
			}
			p.ls = i + j + 1
			p.line++
			continue
		}
		p.i = i
		p.ind = i - p.ls
		if p.ind == 0 && i+3 <= len(s) && (s[i:i+3] == "---" || s[i:i+3] == "...") && blankz(s, i+3) {
			p.ind = docMark
		}
		return
	}
}

// blankz reports whether offset i is a space, a line break or the end.
func blankz(s string, i int) bool {
	return i >= len(s) || s[i] == ' ' || s[i] == '\n' || s[i] == '\t'
}

// restOfLine checks that only spaces and a comment follow on the line.
func (p *parser) restOfLine() {
	s := p.src
	i := p.i
	for i < len(s) && s[i] == ' ' {
		i++
	}
	if i < len(s) && s[i] != '\n' && (s[i] != '#' || i == p.ls || s[i-1] != ' ') {
		bail()
	}
	p.i = i
}

// spaces skips spaces on the current line.
func (p *parser) spaces() {
	for p.i < len(p.src) && p.src[p.i] == ' ' {
		p.i++
	}
	if p.i < len(p.src) && p.src[p.i] == '\t' {
		bail()
	}
}

// atEOL reports whether the current line ends (or a comment starts) at p.i,
// after at least one space when it is a comment.
func (p *parser) atEOL() bool {
	if p.i >= len(p.src) || p.src[p.i] == '\n' {
		return true
	}
	return p.src[p.i] == '#' && p.i > p.ls && p.src[p.i-1] == ' '
}

// enter and leave bracket reading a nested node; documents nested deeper
// than maxDepth go to yaml.v3.
func (p *parser) enter() {
	if p.depth++; p.depth > maxDepth {
		bail()
	}
}

func (p *parser) leave() { p.depth-- }

// block reads the block node that starts at p.i, a content line's first
// character, inside a collection indented parent (-1 for the root). It
// returns with the parser at the next content line.
func (p *parser) block(parent int) *yaml.Node {
	p.enter()
	defer p.leave()
	c := p.ind
	s := p.src
	if s[p.i] == '-' && blankz(s, p.i+1) {
		return p.sequence(c, false)
	}
	return p.inline(parent, c)
}

// inline reads a node that starts at p.i in the middle or at the start of
// a line: a mapping whose first key is there (indented c, in columns), or
// a scalar or flow collection.
func (p *parser) inline(parent, c int) *yaml.Node {
	s := p.src
	line, col := p.line, p.col(p.i)
	switch s[p.i] {
	case '|', '>':
		return p.blockScalar(parent, line, col)
	case '[':
		n := p.flowSeq(line, col)
		p.spaces()
		if p.i < len(s) && s[p.i] == ':' {
			bail() // a flow collection as a key
		}
		p.restOfLine()
		p.next()
		return n
	case '{':
		if !strings.HasPrefix(s[p.i:], "{}") {
			bail()
		}
		p.i += 2
		n := p.node(yaml.MappingNode, yaml.FlowStyle, "!!map", "", line, col)
		p.spaces()
		if p.i < len(s) && s[p.i] == ':' {
			bail()
		}
		p.restOfLine()
		p.next()
		return n
	}
	k, isKey := p.scalar(line, col)
	if !isKey {
		p.restOfLine()
		p.next()
		return k
	}
	return p.mapping(c, k)
}

// scalar reads a one-line plain or quoted scalar at p.i and says whether a
// ": " follows it, making it a key (p.i is then after the colon).
func (p *parser) scalar(line, col int) (n *yaml.Node, isKey bool) {
	s := p.src
	start := p.i
	switch c := s[start]; c {
	case '"', '\'':
		var v string
		if c == '"' {
			v = p.doubleQuoted()
		} else {
			v = p.singleQuoted()
		}
		style := yaml.DoubleQuotedStyle
		if c == '\'' {
			style = yaml.SingleQuotedStyle
		}
		n = p.node(yaml.ScalarNode, style, "!!str", v, line, col)
		p.spaces()
		if p.i < len(s) && s[p.i] == ':' && blankz(s, p.i+1) {
			if p.i-start > maxKey {
				bail()
			}
			p.i++
			return n, true
		}
		return n, false
	case '-', '?', ':':
		if blankz(s, start+1) {
			bail()
		}
	case ',', '[', ']', '{', '}', '#', '&', '*', '!', '|', '>', '%', '@', '`':
		bail()
	}
	end := start
	i := start
	for i < len(s) {
		c := s[i]
		if c == '\n' {
			break
		}
		if c == ':' && blankz(s, i+1) {
			if i-start > maxKey {
				bail()
			}
			v := s[start:end]
			p.i = i + 1
			return p.node(yaml.ScalarNode, 0, plainTag(v), v, line, col), true
		}
		if c == '\t' {
			bail()
		}
		if c == '#' && s[i-1] == ' ' {
			break
		}
		i++
		if c != ' ' {
			end = i
		}
	}
	v := s[start:end]
	p.i = end
	return p.node(yaml.ScalarNode, 0, plainTag(v), v, line, col), false
}

// mapping reads a block mapping indented c whose first key k has been read
// (p.i is after its colon).
func (p *parser) mapping(c int, k *yaml.Node) *yaml.Node {
	m := p.node(yaml.MappingNode, 0, "!!map", "", k.Line, k.Column)
	mark := len(p.kids)
	for {
		p.kids = append(p.kids, k, p.value(c))
		if p.ind != c {
			if p.ind > c {
				bail() // more indented: a continuation line or a syntax error
			}
			break
		}
		s := p.src
		if s[p.i] == '-' && blankz(s, p.i+1) {
			bail() // a list entry among keys
		}
		var isKey bool
		k, isKey = p.scalar(p.line, p.col(p.i))
		if !isKey {
			bail() // a line that is not a key
		}
	}
	m.Content = p.collect(mark)
	return m
}

// value reads a mapping value after its key's colon in a mapping indented c.
func (p *parser) value(c int) *yaml.Node {
	line, col := p.line, p.col(p.i)
	p.spaces()
	s := p.src
	if p.atEOL() {
		p.restOfLine()
		p.next()
		switch {
		case p.ind > c:
			return p.block(c)
		case p.ind == c && s[p.i] == '-' && blankz(s, p.i+1):
			p.enter()
			defer p.leave()
			return p.sequence(c, true)
		}
		return p.node(yaml.ScalarNode, 0, "!!null", "", line, col)
	}
	if s[p.i] == '-' && blankz(s, p.i+1) {
		bail() // a list entry on its key's line
	}
	p.enter()
	defer p.leave()
	n := p.inline(c, c)
	if n.Kind == yaml.MappingNode && n.Style == 0 {
		bail() // "a: b: c"
	}
	return n
}

// sequence reads a block sequence whose entries start at column c (0-based);
// indentless is a sequence at its key's indentation, which ends at the first
// line there that is not an entry.
func (p *parser) sequence(c int, indentless bool) *yaml.Node {
	s := p.src
	n := p.node(yaml.SequenceNode, 0, "!!seq", "", p.line, c+1)
	mark := len(p.kids)
	for {
		// p.i is at the entry's "-"
		line, col := p.line, p.col(p.i+1)
		p.i++
		p.spaces()
		var item *yaml.Node
		if p.atEOL() {
			p.restOfLine()
			p.next()
			if p.ind > c {
				item = p.block(c)
			} else {
				item = p.node(yaml.ScalarNode, 0, "!!null", "", line, col)
			}
		} else {
			if s[p.i] == '-' && blankz(s, p.i+1) {
				bail() // "- - x"
			}
			p.enter()
			item = p.inline(c, p.i-p.ls)
			p.leave()
		}
		p.kids = append(p.kids, item)
		if p.ind == c && s[p.i] == '-' && blankz(s, p.i+1) {
			continue
		}
		if p.ind < c || (p.ind == c && indentless) {
			break
		}
		bail()
	}
	n.Content = p.collect(mark)
	return n
}

// flowSeq reads a flow sequence of scalars on one line, at p.i's "[".
func (p *parser) flowSeq(line, col int) *yaml.Node {
	s := p.src
	n := p.node(yaml.SequenceNode, yaml.FlowStyle, "!!seq", "", line, col)
	mark := len(p.kids)
	p.i++
	p.spaces()
	if p.i < len(s) && s[p.i] == ']' {
		p.i++
		n.Content = p.collect(mark)
		return n
	}
	for {
		if p.i >= len(s) {
			bail()
		}
		ln, cl := p.line, p.col(p.i)
		var item *yaml.Node
		switch c := s[p.i]; c {
		case '"':
			item = p.node(yaml.ScalarNode, yaml.DoubleQuotedStyle, "!!str", p.doubleQuoted(), ln, cl)
		case '\'':
			item = p.node(yaml.ScalarNode, yaml.SingleQuotedStyle, "!!str", p.singleQuoted(), ln, cl)
		default:
			item = p.flowPlain(ln, cl)
		}
		p.kids = append(p.kids, item)
		p.spaces()
		if p.i >= len(s) {
			bail()
		}
		switch s[p.i] {
		case ',':
			p.i++
			p.spaces()
			if p.i < len(s) && s[p.i] == ']' {
				bail() // a trailing comma
			}
			continue
		case ']':
			p.i++
			n.Content = p.collect(mark)
			return n
		}
		bail()
	}
}

// flowPlain reads a plain scalar inside a flow sequence.
func (p *parser) flowPlain(line, col int) *yaml.Node {
	s := p.src
	start := p.i
	switch c := s[start]; c {
	case '-', '?', ':':
		if blankz(s, start+1) {
			bail()
		}
	case ',', '[', ']', '{', '}', '#', '&', '*', '!', '|', '>', '%', '@', '`', '"', '\'', '\n':
		bail()
	}
	end := start
	i := start
loop:
	for i < len(s) {
		switch c := s[i]; c {
		case '\n', ',', ']':
			break loop
		case '[', '{', '}', '\t', '?':
			bail()
		case ':':
			bail() // a key inside a flow sequence
		case '#':
			if s[i-1] == ' ' {
				bail()
			}
		}
		i++
		if s[i-1] != ' ' {
			end = i
		}
	}
	if i >= len(s) || s[i] == '\n' {
		bail() // the sequence goes on past the line
	}
	v := s[start:end]
	p.i = end
	return p.node(yaml.ScalarNode, 0, plainTag(v), v, line, col)
}

// singleQuoted reads a one-line single-quoted scalar at p.i.
func (p *parser) singleQuoted() string {
	s := p.src
	i := p.i + 1
	var b []byte
	start := i
	for {
		if i >= len(s) || s[i] == '\n' {
			bail()
		}
		if s[i] == '\'' {
			if i+1 < len(s) && s[i+1] == '\'' {
				b = append(b, s[start:i+1]...)
				i += 2
				start = i
				continue
			}
			break
		}
		i++
	}
	p.i = i + 1
	if b == nil {
		return s[start:i]
	}
	return string(append(b, s[start:i]...))
}

// doubleQuoted reads a one-line double-quoted scalar at p.i.
func (p *parser) doubleQuoted() string {
	s := p.src
	i := p.i + 1
	start := i
	var b []byte
	for {
		if i >= len(s) || s[i] == '\n' {
			bail()
		}
		c := s[i]
		if c == '"' {
			break
		}
		if c != '\\' {
			i++
			continue
		}
		b = append(b, s[start:i]...)
		if i+1 >= len(s) {
			bail()
		}
		e := s[i+1]
		i += 2
		switch e {
		case '0':
			b = append(b, 0)
		case 'a':
			b = append(b, '\a')
		case 'b':
			b = append(b, '\b')
		case 't', '\t':
			b = append(b, '\t')
		case 'n':
			b = append(b, '\n')
		case 'v':
			b = append(b, '\v')
		case 'f':
			b = append(b, '\f')
		case 'r':
			b = append(b, '\r')
		case 'e':
			b = append(b, 0x1b)
		case ' ', '"', '\\':
			b = append(b, e)
		case 'N':
			b = utf8.AppendRune(b, 0x85)
		case '_':
			b = utf8.AppendRune(b, 0xa0)
		case 'L':
			b = utf8.AppendRune(b, 0x2028)
		case 'P':
			b = utf8.AppendRune(b, 0x2029)
		case 'x', 'u', 'U':
			w := 2
			if e == 'u' {
				w = 4
			} else if e == 'U' {
				w = 8
			}
			if i+w > len(s) {
				bail()
			}
			v, err := strconv.ParseUint(s[i:i+w], 16, 32)
			if err != nil || strings.ContainsAny(s[i:i+w], "+-_") || (v >= 0xd800 && v <= 0xdfff) || v > 0x10ffff {
				bail()
			}
			b = utf8.AppendRune(b, rune(v))
			i += w
		default:
			bail() // an unknown escape, or a line continuation
		}
		start = i
	}
	p.i = i + 1
	if b == nil {
		return s[start:i]
	}
	return string(append(b, s[start:i]...))
}

// blockScalar reads a literal (|) or folded (>) scalar whose indicator is
// at p.i, inside a collection indented parent.
func (p *parser) blockScalar(parent, line, col int) *yaml.Node {
	s := p.src
	literal := s[p.i] == '|'
	p.i++
	chomp, incr := 0, 0
	for k := 0; k < 2 && p.i < len(s); k++ {
		switch c := s[p.i]; {
		case (c == '-' || c == '+') && chomp == 0:
			chomp = 1
			if c == '-' {
				chomp = -1
			}
			p.i++
		case c >= '1' && c <= '9' && incr == 0:
			incr = int(c - '0')
			p.i++
		case c == '0':
			bail()
		}
	}
	if p.i < len(s) && s[p.i] != ' ' && s[p.i] != '\n' {
		bail()
	}
	p.restOfLine()
	if j := strings.IndexByte(s[p.i:], '\n'); j >= 0 {
		p.i += j + 1 // past a comment and the line break
	} else {
		p.i = len(s)
	}
	p.ls = p.i
	p.line++

	indent := 0
	if incr > 0 {
		indent = incr
		if parent >= 0 {
			indent = parent + incr
		}
	}
	out := p.buf[:0]    // the scalar's text, built in the parser's scratch buffer
	var trailing []byte // line breaks of empty lines not yet written
	breaks := func() {
		// empty lines before the next content line, as yaml.v3 reads them
		maxIndent := 0
		for {
			i := p.ls
			for i < len(s) && s[i] == ' ' && (indent == 0 || i-p.ls < indent) {
				i++
			}
			maxIndent = max(maxIndent, i-p.ls)
			if i < len(s) && s[i] == '\t' && (indent == 0 || i-p.ls < indent) {
				bail()
			}
			if i >= len(s) || s[i] != '\n' {
				p.i = i
				break
			}
			trailing = append(trailing, '\n')
			p.ls = i + 1
			p.line++
		}
		if indent == 0 {
			indent = max(maxIndent, parent+1, 1)
		}
	}
	breaks()
	if p.i-p.ls < indent && p.i < len(s) && s[p.i] != '\n' {
		bail() // an empty block scalar followed by content
	}
	leadingBreak := false
	leadingBlank := false
	first := true
	for p.i-p.ls == indent && p.i < len(s) {
		trailingBlank := s[p.i] == ' ' || s[p.i] == '\t'
		if !literal && !first && !leadingBlank && !trailingBlank && leadingBreak {
			if len(trailing) == 0 {
				out = append(out, ' ')
			}
		} else if leadingBreak {
			out = append(out, '\n')
		}
		out = append(out, trailing...)
		trailing = trailing[:0]
		leadingBlank = trailingBlank
		first = false
		j := strings.IndexByte(s[p.i:], '\n')
		if j < 0 {
			out = append(out, s[p.i:]...)
			p.i = len(s)
			leadingBreak = false
			break
		}
		out = append(out, s[p.i:p.i+j]...)
		p.i += j + 1
		p.ls = p.i
		p.line++
		leadingBreak = true
		breaks()
	}
	if chomp != -1 && leadingBreak {
		out = append(out, '\n')
	}
	if chomp == 1 {
		out = append(out, trailing...)
	}
	style := yaml.LiteralStyle
	if !literal {
		style = yaml.FoldedStyle
	}
	n := p.node(yaml.ScalarNode, style, "!!str", string(out), line, col)
	p.buf = out
	// the parser is now at the first line that is not part of the scalar
	p.settle()
	return n
}

// settle sets ind for the line at p.ls after a block scalar, skipping
// blank and comment lines.
func (p *parser) settle() {
	if p.i >= len(p.src) {
		p.ind = eof
		return
	}
	p.skipBlank()
}

// plainTag is the tag yaml.v3 resolves an untagged plain scalar to.
func plainTag(v string) string {
	if v == "" {
		return "!!null"
	}
	switch c := v[0]; {
	case c == '+' || c == '-' || (c >= '0' && c <= '9'):
		return numberTag(v)
	case c == '.':
		switch v {
		case ".nan", ".NaN", ".NAN", ".inf", ".Inf", ".INF":
			return "!!float"
		}
		if _, err := strconv.ParseFloat(v, 64); err == nil {
			return "!!float"
		}
		return "!!str"
	case c == '~' || c == 'n' || c == 'N':
		switch v {
		case "~", "null", "Null", "NULL":
			return "!!null"
		}
	case c == 't' || c == 'T' || c == 'f' || c == 'F':
		switch v {
		case "true", "True", "TRUE", "false", "False", "FALSE":
			return "!!bool"
		}
	case c == '<':
		if v == "<<" {
			return "!!merge"
		}
	}
	return "!!str"
}

// timestampLayouts are the forms yaml.v3 reads as timestamps.
var timestampLayouts = []string{
	"2006-1-2T15:4:5.999999999Z07:00",
	"2006-1-2t15:4:5.999999999Z07:00",
	"2006-1-2 15:4:5.999999999",
	"2006-1-2",
}

// numberTag resolves a plain scalar that starts with a sign or a digit.
func numberTag(v string) string {
	switch v {
	case "+.inf", "+.Inf", "+.INF", "-.inf", "-.Inf", "-.INF":
		return "!!float"
	}
	if len(v) > 4 && v[4] == '-' && isDigits(v[:4]) {
		for _, l := range timestampLayouts {
			if _, err := time.Parse(l, v); err == nil {
				return "!!timestamp"
			}
		}
	}
	plain := strings.ReplaceAll(v, "_", "")
	if _, err := strconv.ParseInt(plain, 0, 64); err == nil {
		return "!!int"
	}
	if _, err := strconv.ParseUint(plain, 0, 64); err == nil {
		return "!!int"
	}
	if yamlFloat(plain) {
		if _, err := strconv.ParseFloat(plain, 64); err == nil {
			return "!!float"
		}
	}
	for _, pre := range []struct {
		prefix string
		base   int
	}{{"0b", 2}, {"-0b", 2}, {"0o", 8}, {"-0o", 8}} {
		if !strings.HasPrefix(plain, pre.prefix) {
			continue
		}
		digits := plain[len(pre.prefix):]
		if pre.prefix[0] == '-' {
			digits = "-" + digits
			if _, err := strconv.ParseInt(digits, pre.base, 64); err == nil {
				return "!!int"
			}
			continue
		}
		if _, err := strconv.ParseInt(digits, pre.base, 64); err == nil {
			return "!!int"
		}
		if _, err := strconv.ParseUint(digits, pre.base, 64); err == nil {
			return "!!int"
		}
	}
	return "!!str"
}

func isDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// yamlFloat matches [-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?
func yamlFloat(s string) bool {
	i := 0
	if i < len(s) && (s[i] == '-' || s[i] == '+') {
		i++
	}
	digits := func() int {
		j := i
		for i < len(s) && s[i] >= '0' && s[i] <= '9' {
			i++
		}
		return i - j
	}
	if i < len(s) && s[i] == '.' {
		i++
		if digits() == 0 {
			return false
		}
	} else {
		if digits() == 0 {
			return false
		}
		if i < len(s) && s[i] == '.' {
			i++
			digits()
		}
	}
	if i < len(s) && (s[i] == 'e' || s[i] == 'E') {
		i++
		if i < len(s) && (s[i] == '-' || s[i] == '+') {
			i++
		}
		if digits() == 0 {
			return false
		}
	}
	return i == len(s)
}
