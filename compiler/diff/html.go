package diff

import (
	"html/template"
	"io"

	"github.com/charter-compliance/charter/compiler/links"
	"github.com/charter-compliance/charter/compiler/model"
)

// HTMLOptions place the Changes page in a site.
type HTMLOptions struct {
	SiteName string // the organisation, for the title
	Version  string // the version label of the site the page belongs to
	// Path is the page's site-root path (links.Changes); links to the
	// stylesheet and to criteria, components and documents are relative
	// to it.
	Path string
}

// WriteHTML writes the report as the site's "Changes since FROM" page: a
// self-contained page that uses the site's stylesheet, links every criterion,
// component and document that still exists to its page, and runs no script.
// Every value is escaped by html/template.
func WriteHTML(w io.Writer, r *Report, o HTMLOptions) error {
	rel := func(target string) string { return links.Rel(o.Path, target) }
	t, err := changesTemplate.Clone()
	if err != nil {
		return err
	}
	t.Funcs(template.FuncMap{
		"asset":     func(name string) string { return rel(links.Asset(name)) },
		"control":   func(std, id string) string { return rel(links.Control(std, id)) },
		"component": func(key string) string { return rel(links.Component(key)) },
		"document":  func(id string) string { return rel(links.Document(id)) },
		"home":      func() string { return rel(links.Home) },
	})
	return t.Execute(w, struct {
		R *Report
		O HTMLOptions
	}{r, o})
}

// changesTemplate is parsed once; WriteHTML binds the link functions to
// the page's place in the site.
var changesTemplate = template.Must(template.New("changes").Funcs(template.FuncMap{
	"asset":     func(string) string { return "" },
	"control":   func(string, string) string { return "" },
	"component": func(string) string { return "" },
	"document":  func(string) string { return "" },
	"home":      func() string { return "" },
	"extras":    extras,
	"status": func(s *model.Status) string {
		if s == nil {
			return ""
		}
		return s.String()
	},
}).Parse(changesPage))

const changesPage = `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'self'; img-src 'self' data:; base-uri 'none'; form-action 'none'">
<meta name="referrer" content="no-referrer">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Changes since {{.R.From.Name}} · {{.O.SiteName}}</title>
<link rel="stylesheet" href="{{asset "style.css"}}">
</head>
<body class="kind-changes">
<header class="site-header">
  <div class="bar">
    <a class="brand" href="{{home}}">{{.O.SiteName}}</a>
    {{- with .O.Version}}
    <span class="version">version {{.}}</span>{{end}}
  </div>
</header>
<main id="main">
<div class="page-head">
<h1>Changes since {{.R.From.Name}}</h1>
<p class="lead">From <strong>{{.R.From.Name}}</strong>{{with extras .R.From}} ({{.}}){{end}} to <strong>{{.R.To.Name}}</strong>{{with extras .R.To}} ({{.}}){{end}}.</p>
</div>
{{- if .R.Empty}}
<p>Nothing changed.</p>
{{- end}}
{{- with .R.Certifications}}
<section id="certifications">
<h2>Certifications</h2>
{{- range .}}
<h3>{{.Name}} <span class="muted">({{.Change}})</span></h3>
<p>{{if ne .Change "added"}}{{.FromDone}} of {{.FromTotal}} criteria done{{end}}{{if eq .Change "changed"}} → {{end}}{{if ne .Change "removed"}}{{.ToDone}} of {{.ToTotal}} criteria done{{end}}</p>
{{- if .Verdicts}}
<div class="table-wrap"><table>
<thead><tr><th scope="col">Criterion</th><th scope="col">Title</th><th scope="col">Before</th><th scope="col">After</th><th scope="col">Change</th></tr></thead>
<tbody>
{{- range .Verdicts}}
<tr><td class="nowrap"><a href="{{control .Standard .Control}}">{{.Standard}} {{.Control}}</a></td><td>{{.Title}}</td>
<td>{{with status .From}}<span class="status st-{{.}}">{{.}}</span>{{else}}<span class="muted">not required</span>{{end}}</td>
<td>{{with status .To}}<span class="status st-{{.}}">{{.}}</span>{{else}}<span class="muted">not required</span>{{end}}</td>
<td>{{.Change}}</td></tr>
{{- end}}
</tbody></table></div>
{{- end}}
{{- end}}
</section>
{{- end}}
{{- with .R.Components}}
<section id="components">
<h2>Components</h2>
<ul>
{{- range .}}
<li>{{if eq .Change "removed"}}<del>{{.Name}}</del> <span class="muted">({{.Key}}, removed)</span>{{else}}<ins><a href="{{component .Key}}">{{.Name}}</a></ins> <span class="muted">({{.Key}}, added)</span>{{end}}</li>
{{- end}}
</ul>
</section>
{{- end}}
{{- with .R.Narratives}}
<section id="narratives">
<h2>Narratives</h2>
{{- range .}}
<div class="card">
<h3>{{.Component}} · <a href="{{control .Standard .Control}}">{{.Standard}} {{.Control}}</a>{{with .Key}} <span class="narrative-key">{{.}}</span>{{end}} <span class="muted">({{.Change}})</span></h3>
{{- if eq .Change "added"}}
<p class="prose"><ins>{{.To}}</ins></p>
{{- else if eq .Change "removed"}}
<p class="prose"><del>{{.From}}</del></p>
{{- else}}
<p class="prose">{{range .Words}}{{if eq .Op "-"}}<del>{{.Text}}</del>{{else if eq .Op "+"}}<ins>{{.Text}}</ins>{{else}}{{.Text}}{{end}}{{end}}</p>
{{- end}}
</div>
{{- end}}
</section>
{{- end}}
{{- with .R.Documents}}
<section id="documents">
<h2>Policies and procedures</h2>
{{- range .}}
<div class="card">
<h3>{{if eq .Change "removed"}}<del>{{.ID}} {{.Title}}</del>{{else}}<a href="{{document .ID}}">{{.ID}} {{.Title}}</a>{{end}} <span class="muted">({{.Change}})</span></h3>
<p class="muted">{{with .FromFile}}{{.}} → {{end}}{{.File}}</p>
{{- with .Fields}}
<dl class="facts">
{{- range .}}
<dt>{{.Field}}</dt><dd>{{with .From}}<del>{{.}}</del>{{else}}<span class="muted">none</span>{{end}} → {{with .To}}<ins>{{.}}</ins>{{else}}<span class="muted">none</span>{{end}}</dd>
{{- end}}
</dl>
{{- end}}
{{- range .Hunks}}
<pre class="source"><code>{{.Header}}
{{range .Lines}}{{if eq .Op "-"}}<del>-{{.Text}}</del>{{else if eq .Op "+"}}<ins>+{{.Text}}</ins>{{else}} {{.Text}}{{end}}
{{end}}</code></pre>
{{- end}}
</div>
{{- end}}
</section>
{{- end}}
</main>
</body>
</html>
`
