// Package docs turns policies and procedures into HTML: it runs the template
// actions that pull live data from the OpenConrol YAML into a document, then
// renders the Markdown with goldmark. goldmark and the template functions are
// set up once per Renderer, which is safe for concurrent use.
package docs

import (
	"bufio"
	"bytes"
	"html/template"
	"strconv"
	"strings"
	"sync"

	"github.com/charter-compliance/charter/compiler/links"

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
// strikethrough, autolinks), footnotes and heading anchors, in two
// variants: doc for policies and procedures (one per page, ids as goldmark
// makes them) and frag for the short texts from YAML that many pages show
// (narratives, descriptions: see Markdown for their ids and line breaks).
// Unless unsafe is set, raw HTML is shown as text rather than passed
// through. In both modes a link, image or autolink whose target is not
// relative, http, https or mailto (links.SafeTarget) is shown as its text,
// not as a link that goes nowhere (safeLinks).
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
	doc, frag variant
}

// variant is one configuration of goldmark with and without linkify.
type variant struct {
	full, plain goldmark.Markdown
}

func newMarkdown(unsafe bool) markdown {
	fragNotes := extension.NewFootnote(extension.WithFootnoteIDPrefix(IDMark))
	return markdown{
		doc: variant{
			full:  newGoldmark(unsafe, extension.Footnote, extension.GFM),
			plain: newGoldmark(unsafe, extension.Footnote, extension.Table, extension.Strikethrough, extension.TaskList),
		},
		frag: variant{
			full:  newGoldmark(unsafe, fragNotes, extension.GFM),
			plain: newGoldmark(unsafe, fragNotes, extension.Table, extension.Strikethrough, extension.TaskList),
		},
	}
}

// newGoldmark is goldmark with the given footnote and GFM extensions and
// heading anchors.
func newGoldmark(unsafe bool, footnotes goldmark.Extender, gfm ...goldmark.Extender) goldmark.Markdown {
	var htmlOpts []html.Option
	var rendererOpts []renderer.Option
	if unsafe {
		htmlOpts = append(htmlOpts, html.WithUnsafe())
		rendererOpts = append(rendererOpts, html.WithUnsafe())
	} else {
		rendererOpts = append(rendererOpts, renderer.WithNodeRenderers(util.Prioritized(escapeRawHTML{}, 100)))
	}
	rendererOpts = append(rendererOpts, renderer.WithNodeRenderers(util.Prioritized(newSafeLinks(htmlOpts), 100)))
	return goldmark.New(
		goldmark.WithExtensions(append(gfm, footnotes)...),
		goldmark.WithParserOptions(parser.WithAutoHeadingID()),
		goldmark.WithRendererOptions(rendererOpts...),
	)
}

// linkifyTriggers are what the linkify extension needs to see in a text
// before it can make a link: a URL's scheme, "www." or an e-mail's "@".
var linkifyTriggers = [][]byte{[]byte("http:"), []byte("https:"), []byte("ftp:"), []byte("www."), []byte("@")}

// forSource is the goldmark of v that renders src.
func (m variant) forSource(src []byte) goldmark.Markdown {
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

// IDMark begins every id that a fragment (Markdown) makes, for its
// headings and footnotes, and so every fragment link to one: the HTML has
// `id="` + IDMark and `href="#` + IDMark only there. A fragment is rendered
// once and shown on many pages, some of which show several fragments, so
// the page that shows it replaces the mark with a prefix of its own (see
// site's page.show). A slug (links.Slug) never holds a '^', and goldmark
// writes it percent-encoded in a link the text makes.
const IDMark = "^"

// fragmentIDs makes the ids of a fragment's headings: IDMark, then the
// heading's slug (links.Slug), numbered from the second use of a slug.
type fragmentIDs struct{ used map[string]bool }

func (f *fragmentIDs) Generate(value []byte, _ ast.NodeKind) []byte {
	base := IDMark + links.Slug(string(value))
	id := base
	for i := 2; f.used[id]; i++ {
		id = base + "-" + strconv.Itoa(i)
	}
	f.Put([]byte(id))
	return []byte(id)
}

func (f *fragmentIDs) Put(value []byte) {
	if f.used == nil {
		f.used = map[string]bool{}
	}
	f.used[string(value)] = true
}

// convert renders a document's Markdown, collecting headings and plain text
// on the way.
func convert(m markdown, src []byte) (template.HTML, string, []Heading, error) {
	md := m.doc.forSource(src)
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
			plain.Write(n.Value(src))
			if n.SoftLineBreak() || n.HardLineBreak() {
				plain.WriteByte(' ')
			}
		}
		// a block (heading, paragraph, list item, table cell) starts a new
		// word: "# Policy" then "Requirements" is not "PolicyRequirements"
		if n.Type() == ast.TypeBlock && plain.Len() > 0 {
			plain.WriteByte(' ')
		}
		return ast.WalkContinue, nil
	}
	_ = ast.Walk(doc, walk)
	out, err := renderHTML(md, src, doc)
	if err != nil {
		return "", "", nil, err
	}
	return out, strings.Join(strings.Fields(plain.String()), " "), headings, nil
}

// convertFragment renders a fragment: a text from YAML. Its ids begin with
// IDMark. A text written line by line (see byLines) keeps its lines: each
// line break is a hard break, and a line at the left margin after a list
// item ends the list instead of continuing its last item.
func convertFragment(m markdown, src []byte) (template.HTML, error) {
	lines := byLines(src)
	if lines {
		src = endListsAtMargin(src)
	}
	md := m.frag.forSource(src)
	doc := md.Parser().Parse(text.NewReader(src), parser.WithContext(parser.NewContext(parser.WithIDs(&fragmentIDs{}))))
	if lines {
		_ = ast.Walk(doc, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
			if t, ok := n.(*ast.Text); ok && entering && t.SoftLineBreak() {
				t.SetSoftLineBreak(false)
				t.SetHardLineBreak(true)
			}
			return ast.WalkContinue, nil
		})
	}
	return renderHTML(md, src, doc)
}

// byLines reports whether a text from YAML is written line by line: it has
// several lines and no blank line between them. Such a text (a list of
// "EC2:" lines, say, or sentences one per line) means each line break; a
// text with blank lines separates its paragraphs by them, as Markdown does,
// and its single line breaks only wrap.
func byLines(src []byte) bool {
	body := bytes.Trim(src, "\n")
	if bytes.IndexByte(body, '\n') < 0 {
		return false
	}
	for line := range bytes.Lines(body) {
		if len(bytes.TrimSpace(line)) == 0 {
			return false
		}
	}
	return true
}

// endListsAtMargin puts a blank line before each line that starts at the
// left margin, follows a list item (or its indented continuation) and is
// not itself a list item, outside fenced code: Markdown would otherwise
// take it as the last item's continuation ("lazy" line), so "- a" then
// "IAM:" would become one item "a IAM:".
func endListsAtMargin(src []byte) []byte {
	var out []byte
	inList, fence := false, false
	for line := range bytes.Lines(src) {
		trimmed := bytes.TrimLeft(line, " \t")
		isFence := bytes.HasPrefix(trimmed, []byte("```")) || bytes.HasPrefix(trimmed, []byte("~~~"))
		switch {
		case fence:
			fence = !isFence // inside fenced code, until its closing fence
		case isListItem(line):
			inList = true
		case inList && len(trimmed) == len(line):
			out = append(out, '\n')
			inList = false
			fence = isFence
		default:
			fence = isFence
		}
		out = append(out, line...)
	}
	return out
}

// isListItem reports whether a line starts a list item: at most three
// spaces, then "-", "+" or "*", or one to nine digits and "." or ")", then a
// blank or the end of the line.
func isListItem(line []byte) bool {
	i := 0
	for i < len(line) && i < 3 && line[i] == ' ' {
		i++
	}
	rest := line[i:]
	if len(rest) > 0 && (rest[0] == '-' || rest[0] == '+' || rest[0] == '*') {
		rest = rest[1:]
	} else {
		d := 0
		for d < len(rest) && d < 9 && rest[d] >= '0' && rest[d] <= '9' {
			d++
		}
		if d == 0 || d == len(rest) || (rest[d] != '.' && rest[d] != ')') {
			return false
		}
		rest = rest[d+1:]
	}
	return len(rest) == 0 || rest[0] == ' ' || rest[0] == '\t' || rest[0] == '\n' || rest[0] == '\r'
}

// renderHTML writes doc to HTML through one of the pooled writers.
func renderHTML(md goldmark.Markdown, src []byte, doc ast.Node) (template.HTML, error) {
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
		return "", err
	}
	return template.HTML(buf.String()), nil
}

// safeLinks renders a link, image or autolink whose target is not safe
// (links.SafeTarget, on the target as goldmark would write it) as its
// text, and every other by goldmark's own HTML renderer.
type safeLinks struct {
	link, image, auto renderer.NodeRendererFunc
}

// captured collects the functions a node renderer registers.
type captured map[ast.NodeKind]renderer.NodeRendererFunc

func (c captured) Register(k ast.NodeKind, f renderer.NodeRendererFunc) { c[k] = f }

func newSafeLinks(opts []html.Option) safeLinks {
	c := captured{}
	html.NewRenderer(opts...).RegisterFuncs(c)
	return safeLinks{link: c[ast.KindLink], image: c[ast.KindImage], auto: c[ast.KindAutoLink]}
}

func safeDest(dest []byte) bool {
	return links.SafeTarget(string(util.URLEscape(dest, true)))
}

func (s safeLinks) RegisterFuncs(reg renderer.NodeRendererFuncRegisterer) {
	reg.Register(ast.KindLink, func(w util.BufWriter, src []byte, n ast.Node, entering bool) (ast.WalkStatus, error) {
		if safeDest(n.(*ast.Link).Destination) {
			return s.link(w, src, n, entering)
		}
		return ast.WalkContinue, nil // the text, without the link
	})
	reg.Register(ast.KindImage, func(w util.BufWriter, src []byte, n ast.Node, entering bool) (ast.WalkStatus, error) {
		if safeDest(n.(*ast.Image).Destination) {
			return s.image(w, src, n, entering)
		}
		return ast.WalkContinue, nil // the description, as text
	})
	reg.Register(ast.KindAutoLink, func(w util.BufWriter, src []byte, n ast.Node, entering bool) (ast.WalkStatus, error) {
		a := n.(*ast.AutoLink)
		if a.AutoLinkType == ast.AutoLinkEmail || safeDest(a.URL(src)) {
			return s.auto(w, src, n, entering)
		}
		if entering {
			_, _ = w.WriteString(template.HTMLEscapeString(string(a.Label(src))))
		}
		return ast.WalkSkipChildren, nil
	})
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
