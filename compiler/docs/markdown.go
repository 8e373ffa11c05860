// Package docs turns policies and procedures into HTML: it runs the template
// actions that pull live data from the OpenConrol YAML into a document, then
// renders the Markdown with goldmark. goldmark and the template functions are
// set up once per Renderer, which is safe for concurrent use.
package docs

import (
	"bufio"
	"bytes"
	"html/template"
	"strings"
	"sync"

	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/extension"
	"github.com/yuin/goldmark/parser"
	"github.com/yuin/goldmark/renderer"
	"github.com/yuin/goldmark/renderer/html"
	"github.com/yuin/goldmark/text"
	"github.com/yuin/goldmark/util"
)

// Heading is a section heading of a rendered document.
type Heading struct {
	Level int
	ID    string
	Text  string
}

// markdown is goldmark configured for charter: GFM (tables, task lists,
// strikethrough, autolinks), footnotes and heading anchors. Unless unsafe
// is set, raw HTML is shown as text rather than passed through; goldmark
// itself drops javascript:, vbscript:, file: and data: link targets in safe
// mode.
//
// GFM's autolinks (the linkify extension) are an inline parser triggered at
// every space, '(', '*', '_' and '~', which on narratives is a third of the
// parsing. It makes a link only where the text has "http:", "https:",
// "ftp:", "www." or an "@" (an e-mail address); otherwise its only trace
// is in the blanks at the end of a line (see forSource). A text with none
// of those is parsed by the same goldmark without the extension (plain):
// the output is the same, byte for byte (TestPlainMatchesLinkify and
// FuzzPlainMatchesLinkify), and only the wasted tries are saved.
type markdown struct {
	full, plain goldmark.Markdown
}

func newMarkdown(unsafe bool) markdown {
	return markdown{
		full:  newGoldmark(unsafe, extension.GFM),
		plain: newGoldmark(unsafe, extension.Table, extension.Strikethrough, extension.TaskList),
	}
}

// newGoldmark is goldmark with the given GFM extensions, footnotes and
// heading anchors.
func newGoldmark(unsafe bool, gfm ...goldmark.Extender) goldmark.Markdown {
	var rendererOpts []renderer.Option
	if unsafe {
		rendererOpts = append(rendererOpts, html.WithUnsafe())
	} else {
		rendererOpts = append(rendererOpts, renderer.WithNodeRenderers(util.Prioritized(escapeRawHTML{}, 100)))
	}
	return goldmark.New(
		goldmark.WithExtensions(append(gfm, extension.Footnote)...),
		goldmark.WithParserOptions(parser.WithAutoHeadingID()),
		goldmark.WithRendererOptions(rendererOpts...),
	)
}

// linkifyTriggers are what the linkify extension needs to see in a text
// before it can make a link: a URL's scheme, "www." or an e-mail's "@".
var linkifyTriggers = [][]byte{[]byte("http:"), []byte("https:"), []byte("ftp:"), []byte("www."), []byte("@")}

// forSource is the goldmark that renders src.
func (m markdown) forSource(src []byte) goldmark.Markdown {
	for _, t := range linkifyTriggers {
		if bytes.Contains(src, t) {
			return m.full
		}
	}
	// linkify also splits the text at each blank it is tried at, and
	// goldmark then trims only the last piece of a line: a line ending in
	// two or more blanks (not a hard break) keeps all but one with linkify
	for len(src) > 0 {
		line := src
		if i := bytes.IndexByte(src, '\n'); i >= 0 {
			line, src = src[:i], src[i+1:]
		} else {
			src = nil
		}
		if n := len(line); n >= 2 && util.IsSpace(line[n-1]) && util.IsSpace(line[n-2]) {
			return m.full
		}
	}
	return m.plain
}

// escapeRawHTML renders raw HTML from Markdown as visible, escaped text, so
// an author sees what they wrote and a reader's browser runs nothing.
type escapeRawHTML struct{}

func (escapeRawHTML) RegisterFuncs(reg renderer.NodeRendererFuncRegisterer) {
	reg.Register(ast.KindRawHTML, func(w util.BufWriter, src []byte, n ast.Node, entering bool) (ast.WalkStatus, error) {
		if entering {
			segs := n.(*ast.RawHTML).Segments
			for i := 0; i < segs.Len(); i++ {
				s := segs.At(i)
				_, _ = w.WriteString(template.HTMLEscapeString(string(s.Value(src))))
			}
		}
		return ast.WalkSkipChildren, nil
	})
	reg.Register(ast.KindHTMLBlock, func(w util.BufWriter, src []byte, n ast.Node, entering bool) (ast.WalkStatus, error) {
		if !entering {
			return ast.WalkContinue, nil
		}
		b := n.(*ast.HTMLBlock)
		_, _ = w.WriteString(`<pre class="raw-html">`)
		lines := b.Lines()
		for i := 0; i < lines.Len(); i++ {
			s := lines.At(i)
			_, _ = w.WriteString(template.HTMLEscapeString(string(s.Value(src))))
		}
		if b.HasClosure() {
			_, _ = w.WriteString(template.HTMLEscapeString(string(b.ClosureLine.Value(src))))
		}
		_, _ = w.WriteString("</pre>\n")
		return ast.WalkSkipChildren, nil
	})
}

// writers are the buffered writers goldmark renders through (it would make
// one per call otherwise).
var writers = sync.Pool{New: func() any { return bufio.NewWriter(nil) }}

// convert renders Markdown, collecting headings and plain text on the way.
// Without wantText (a fragment) it only renders.
func convert(m markdown, src []byte, wantText bool) (template.HTML, string, []Heading, error) {
	md := m.forSource(src)
	doc := md.Parser().Parse(text.NewReader(src))
	var headings []Heading
	var plain strings.Builder
	walk := func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		if !entering {
			return ast.WalkContinue, nil
		}
		switch n := n.(type) {
		case *ast.Heading:
			id, _ := n.AttributeString("id")
			idStr := ""
			if b, ok := id.([]byte); ok {
				idStr = string(b)
			}
			headings = append(headings, Heading{Level: n.Level, ID: idStr, Text: nodeText(n, src)})
		case *ast.Text:
			if wantText {
				plain.Write(n.Value(src))
				if n.SoftLineBreak() || n.HardLineBreak() {
					plain.WriteByte(' ')
				}
			}
		}
		// a block (heading, paragraph, list item, table cell) starts a new
		// word: "# Policy" then "Requirements" is not "PolicyRequirements"
		if wantText && n.Type() == ast.TypeBlock && plain.Len() > 0 {
			plain.WriteByte(' ')
		}
		return ast.WalkContinue, nil
	}
	if wantText {
		_ = ast.Walk(doc, walk)
	}
	var buf strings.Builder
	buf.Grow(len(src) + len(src)/4)
	bw := writers.Get().(*bufio.Writer)
	bw.Reset(&buf)
	err := md.Renderer().Render(bw, src, doc)
	if err == nil {
		err = bw.Flush()
	}
	bw.Reset(nil)
	writers.Put(bw)
	if err != nil {
		return "", "", nil, err
	}
	return template.HTML(buf.String()), strings.Join(strings.Fields(plain.String()), " "), headings, nil
}

func nodeText(n ast.Node, src []byte) string {
	var b strings.Builder
	_ = ast.Walk(n, func(c ast.Node, entering bool) (ast.WalkStatus, error) {
		if t, ok := c.(*ast.Text); ok && entering {
			b.Write(t.Value(src))
		}
		return ast.WalkContinue, nil
	})
	return b.String()
}
