package docs

import (
	"errors"
	"fmt"
	"html/template"
	"regexp"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	texttemplate "text/template"

	"github.com/charter-compliance/charter/compiler/coverage"
	"github.com/charter-compliance/charter/compiler/diag"
	"github.com/charter-compliance/charter/compiler/links"
	"github.com/charter-compliance/charter/compiler/model"
	"github.com/charter-compliance/charter/internal/tmplbudget"
)

// Options configure rendering.
type Options struct {
	// UnsafeHTML passes raw HTML in Markdown through (charter.yaml
	// unsafe_html). Off by default: raw HTML is shown as text.
	UnsafeHTML bool
}

// Renderer renders documents and Markdown fragments of one workspace.
type Renderer struct {
	ws  *model.Workspace
	cov *coverage.Report
	md  markdown
}

// New sets up goldmark and the template functions once.
func New(ws *model.Workspace, cov *coverage.Report, opts Options) *Renderer {
	return &Renderer{ws: ws, cov: cov, md: newMarkdown(opts.UnsafeHTML)}
}

// Rendered is a document turned into HTML.
type Rendered struct {
	HTML     template.HTML
	Text     string // plain text, for the search index
	Headings []Heading
}

// Markdown renders a fragment such as a narrative or a control description.
// Links made by the fragment itself stay as written (a link whose target is
// not relative, http, https or mailto is shown as its text); pagePath is
// accepted for symmetry with Document and future relative links.
//
// A text written line by line, with several lines and no blank line, keeps
// its lines (each line break is a hard break, and a line at the left margin
// ends a list above it); a text with blank lines is Markdown as usual. Every
// id the fragment makes (headings, footnotes) begins with IDMark, which the
// page showing it must replace to keep ids unique on the page.
func (r *Renderer) Markdown(src, pagePath string) template.HTML {
	out, err := convertFragment(r.md, []byte(src))
	if err != nil {
		return template.HTML("<p>" + template.HTMLEscapeString(src) + "</p>")
	}
	return out
}

// PlainText is the text a reader sees of a Markdown fragment, without its
// syntax, the words separated by single spaces (for search summaries).
func (r *Renderer) PlainText(src string) string {
	_, plain, _, err := convert(r.md, []byte(src))
	if err != nil {
		return strings.Join(strings.Fields(src), " ")
	}
	return plain
}

// Document expands doc's template actions and renders the Markdown to HTML
// whose links are relative to pagePath. Template errors are diagnostics at
// the document's file:line; the body is then rendered without expansion so
// the page still shows the author's text.
func (r *Renderer) Document(doc *model.Document, pagePath string) (Rendered, diag.List) {
	src, diags := r.Expand(doc, pagePath)
	html, plain, heads, err := convert(r.md, []byte(src))
	if err != nil {
		diags = append(diags, diag.Diagnostic{Severity: diag.Error, Code: diag.CodeDocTemplate, Pos: diag.Pos{File: doc.File, Line: doc.BodyLine}, Message: "cannot render Markdown: " + err.Error()})
	}
	return Rendered{HTML: html, Text: plain, Headings: heads}, diags
}

// Expand runs the document's template actions and returns Markdown. On a
// template error it returns the unexpanded body and the diagnostic.
func (r *Renderer) Expand(doc *model.Document, pagePath string) (string, diag.List) {
	if !strings.Contains(doc.Body, "{{") {
		return doc.Body, nil
	}
	f := &funcs{r: r, from: pagePath}
	t, err := texttemplate.New(doc.File).Option("missingkey=error").Funcs(f.funcMap()).Parse(doc.Body)
	if err != nil {
		return doc.Body, diag.List{templateDiag(doc, err)}
	}
	var b strings.Builder
	if err := tmplbudget.ExecuteText(t, &b, nil, tmplbudget.Documents); err != nil {
		return doc.Body, diag.List{templateDiag(doc, err)}
	}
	return b.String(), nil
}

// Validate runs every document's template actions, for `charter check`,
// on one worker per processor; the diagnostics come in document order.
func Validate(ws *model.Workspace, cov *coverage.Report) diag.List {
	r := New(ws, cov, Options{})
	found := make([]diag.List, len(ws.Documents))
	var next atomic.Int64
	var wg sync.WaitGroup
	for range min(runtime.GOMAXPROCS(0), len(ws.Documents)) {
		wg.Go(func() {
			for i := int(next.Add(1) - 1); i < len(ws.Documents); i = int(next.Add(1) - 1) {
				d := ws.Documents[i]
				_, found[i] = r.Expand(d, links.Document(d.ID))
			}
		})
	}
	wg.Wait()
	var out diag.List
	for _, ds := range found {
		out = append(out, ds...)
	}
	return out
}

// text/template errors read "template: NAME:LINE:COL: message" (exec) or
// "template: NAME:LINE: message" (parse).
var templateErrRE = regexp.MustCompile(`^template: .*?:(\d+)(?::(\d+))?: (.*)$`)

func templateDiag(doc *model.Document, err error) diag.Diagnostic {
	var le *tmplbudget.LimitError
	if errors.As(err, &le) && le.Line > 0 {
		return positioned(doc, diag.Diagnostic{Severity: diag.Error, Code: diag.CodeDocTemplate, Message: "template actions use too much: " + le.Msg,
			Hint: "a document's template actions may take a million steps and make 4 MiB; ranges multiply"}, le.Line, le.Col)
	}
	msg := err.Error()
	line, col := 0, 0
	if m := templateErrRE.FindStringSubmatch(msg); m != nil {
		line, _ = strconv.Atoi(m[1])
		if m[2] != "" {
			col, _ = strconv.Atoi(m[2])
			col++ // text/template counts columns from 0
		}
		msg = m[3]
	}
	// Exec errors carry `executing "NAME" at <call>: error calling f: why`;
	// keep the call and the reason, drop the plumbing.
	if i := strings.Index(msg, "error calling "); i >= 0 {
		call := ""
		if j := strings.Index(msg, " at <"); j >= 0 {
			if k := strings.Index(msg[j:], ">:"); k >= 0 {
				call = msg[j+5 : j+k]
			}
		}
		reason := msg[i+len("error calling "):]
		if k := strings.Index(reason, ": "); k >= 0 {
			reason = reason[k+2:]
		}
		msg = reason
		if call != "" {
			msg = fmt.Sprintf("{{ %s }}: %s", call, reason)
		}
	}
	var te *actionError
	d := diag.Diagnostic{Severity: diag.Error, Code: diag.CodeDocTemplate, Message: "template action failed: " + msg}
	if errors.As(err, &te) {
		d.Hint = te.hint
	}
	if d.Hint == "" {
		d.Hint = "template actions: org, control, satisfiers, narrative, param, component, verification, doc (see docs/content.md)"
	}
	return positioned(doc, d, line, col)
}

// positioned places d at line and col of doc's body (1-based; 0 unknown).
func positioned(doc *model.Document, d diag.Diagnostic, line, col int) diag.Diagnostic {
	fileLine := 0
	if line > 0 {
		fileLine = doc.BodyLine + line - 1
	}
	d.Pos = diag.Pos{File: doc.File, Line: fileLine, Col: col}
	d.Source = bodyLine(doc.Body, line)
	return d
}

func bodyLine(body string, n int) string {
	if n < 1 {
		return ""
	}
	lines := strings.SplitN(body, "\n", n+1)
	if n > len(lines) {
		return ""
	}
	return strings.TrimRight(lines[n-1], "\r")
}
