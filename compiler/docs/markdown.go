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

// newMarkdown configures goldmark: GFM (tables, task lists, strikethrough,
// autolinks), footnotes and heading anchors. Unless unsafe is set, raw HTML
// is shown as text rather than passed through; goldmark itself drops
// javascript:, vbscript:, file: and data: link targets in safe mode.
func newMarkdown(unsafe bool) goldmark.Markdown {
	var rendererOpts []renderer.Option
	if unsafe {
		rendererOpts = append(rendererOpts, html.WithUnsafe())
	} else {
		rendererOpts = append(rendererOpts, renderer.WithNodeRenderers(util.Prioritized(escapeRawHTML{}, 100)))
	}
	return goldmark.New(
		goldmark.WithExtensions(extension.GFM, extension.Footnote),
		goldmark.WithParserOptions(parser.WithAutoHeadingID()),
		goldmark.WithRendererOptions(rendererOpts...),
	)
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
func convert(md goldmark.Markdown, src []byte, wantText bool) (template.HTML, string, []Heading, error) {
	doc := md.Parser().Parse(text.NewReader(src))
	var headings []Heading
	var plain strings.Builder
	_ = ast.Walk(doc, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
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
	})
	var buf bytes.Buffer
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
