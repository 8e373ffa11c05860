package docs

import (
	"strings"
	"testing"
	"time"

	"github.com/charter-compliance/charter/compiler/coverage"
	"github.com/charter-compliance/charter/compiler/diag"
	"github.com/charter-compliance/charter/compiler/links"
	"github.com/charter-compliance/charter/compiler/model"
	"github.com/charter-compliance/charter/compiler/opencontrol"
)

// workspace builds a small workspace from decoded YAML, the same way the
// loader does.
func workspace(t *testing.T, docs ...string) *model.Workspace {
	t.Helper()
	std, ds := opencontrol.DecodeStandard("standards/TSC.yaml", []byte(`name: TSC
CC8.1:
  family: CC8
  name: Change management
  description: Changes are authorised.
`))
	if len(ds) > 0 {
		t.Fatalf("standard: %v", ds)
	}
	comp, ds := opencontrol.DecodeComponent("components/github/component.yaml", "components/github", []byte(`name: GitHub <Enterprise>
schema_version: 3.1.0
verifications:
  - key: branch-protection
    name: Branch protection export
satisfies:
  - standard_key: TSC
    control_key: CC8.1
    implementation_statuses: [complete]
    parameters:
      - key: reviewers
        text: "2"
    narrative:
      - key: a
        text: Every pull request needs an approving review.
      - key: b
        text: Force pushes to main are blocked.
`))
	if len(ds) > 0 {
		t.Fatalf("component: %v", ds)
	}
	ws := &model.Workspace{Standards: []*model.Standard{std}, Components: []*model.Component{comp}}
	for i, text := range docs {
		d, ds := opencontrol.DecodeDocument("templates/policies/p"+string(rune('0'+i))+".md", []byte(text))
		if len(ds) > 0 {
			t.Fatalf("document %d: %v", i, ds)
		}
		ws.Documents = append(ws.Documents, d)
	}
	ws.Config.Organization = "Acme & Co"
	ws.Index()
	return ws
}

const front = `---
id: POL-A
title: Change Management Policy
kind: policy
owner: CTO
approvers: [CEO]
status: approved
effective: 2026-01-01
satisfies:
  TSC: [CC8.1]
---
`

func render(t *testing.T, body string, opts Options) (Rendered, diag.List) {
	t.Helper()
	ws := workspace(t, front+body)
	r := New(ws, coverage.Compute(ws, time.Date(2026, 6, 1, 0, 0, 0, 0, time.UTC)), opts)
	return r.Document(ws.Documents[0], links.Document("POL-A"))
}

func TestTemplateActions(t *testing.T) {
	out, ds := render(t, `# Policy

{{ org }} follows {{ control "TSC" "CC8.1" }}.

{{ satisfiers "TSC" "CC8.1" }}

{{ narrative "github" "TSC" "CC8.1" "b" }}

Reviewers: {{ param "github" "TSC" "CC8.1" "reviewers" }}; see {{ component "github" }},
{{ verification "github" "branch-protection" }} and {{ doc "POL-A" }}.
`, Options{})
	if len(ds) != 0 {
		t.Fatalf("unexpected diagnostics: %v", ds)
	}
	for _, want := range []string{
		`<h1 id="policy">Policy</h1>`,
		`Acme &amp; Co follows <a href="../standards/TSC/CC8.1.html">CC8.1 Change management</a>.`,
		`<li><a href="../components/github.html">GitHub &lt;Enterprise&gt;</a>: satisfied</li>`,
		`<p>Force pushes to main are blocked.</p>`,
		`Reviewers: 2; see <a href="../components/github.html">GitHub &lt;Enterprise&gt;</a>`,
		`<a href="../components/github.html#verification-branch-protection">Branch protection export</a>`,
		`<a href="POL-A.html">Change Management Policy</a>`,
	} {
		if !strings.Contains(string(out.HTML), want) {
			t.Errorf("rendered HTML lacks %q\n%s", want, out.HTML)
		}
	}
	if strings.Contains(string(out.HTML), "Every pull request") {
		t.Errorf("narrative key b selected, but key a's text appears")
	}
	if len(out.Headings) != 1 || out.Headings[0] != (Heading{Level: 1, ID: "policy", Text: "Policy"}) {
		t.Errorf("headings = %+v", out.Headings)
	}
	if !strings.Contains(out.Text, "Force pushes to main are blocked.") || strings.Contains(out.Text, "<") && strings.Contains(out.Text, "href") {
		t.Errorf("plain text = %q", out.Text)
	}
}

func TestTemplateErrorsNameFileLine(t *testing.T) {
	cases := []struct {
		body, msg, hint string
		line, col       int
	}{
		// front matter is 11 lines, so the body's line 1 is the file's line 12
		{"Intro.\n\n{{ component \"githb\" }}\n", `template action failed: {{ component "githb" }}: no component with key "githb"`, `did you mean "github"?`, 14, 4},
		{"{{ control \"TSC\" \"cc8.1 \" }}\n", `template action failed: {{ control "TSC" "cc8.1 " }}: standard TSC has no control "cc8.1 "`, `did you mean "CC8.1"?`, 12, 4},
		{"a\n{{ narrative \"github\" \"TSC\" \"CC8.1\" \"z\" }}\n", `template action failed: {{ narrative "github" "TSC" "CC8.1" "z" }}: TSC CC8.1 of component github has no narrative with key "z"`, "", 13, 4},
		{"x {{ nosuch }}\n", `template action failed: function "nosuch" not defined`, "template actions: org, control, satisfiers, narrative, param, component, verification, doc (see docs/content.md)", 12, 0},
		{"{{ doc \"POL-B\" }}\n", `template action failed: {{ doc "POL-B" }}: no policy or procedure with id "POL-B"`, "", 12, 4},
	}
	for _, c := range cases {
		out, ds := render(t, c.body, Options{})
		if len(ds) != 1 {
			t.Fatalf("%q: want one diagnostic, got %v", c.body, ds)
		}
		d := ds[0]
		if d.Code != diag.CodeDocTemplate || d.Message != c.msg || d.Pos.Line != c.line || d.Pos.Col != c.col || d.Pos.File != "templates/policies/p0.md" {
			t.Errorf("%q: got %s %q at %s", c.body, d.Code, d.Message, d.Pos)
		}
		if c.hint != "" && d.Hint != c.hint {
			t.Errorf("%q: hint %q, want %q", c.body, d.Hint, c.hint)
		}
		if out.HTML == "" {
			t.Errorf("%q: a template error must still render the author's text", c.body)
		}
	}
}

func TestRawHTMLIsEscapedAndUnsafeLinksDropped(t *testing.T) {
	body := "<script>alert(1)</script>\n\nInline <img src=x onerror=alert(2)> here.\n\n[click](javascript:alert(3)) [v](vbscript:msgbox) [ok](https://example.com/)\n"
	out, ds := render(t, body, Options{})
	if len(ds) != 0 {
		t.Fatal(ds)
	}
	h := string(out.HTML)
	for _, bad := range []string{"<script", "<img", "javascript:", "vbscript:"} {
		if strings.Contains(h, bad) {
			t.Errorf("output contains %q:\n%s", bad, h)
		}
	}
	for _, want := range []string{`&lt;script&gt;alert(1)&lt;/script&gt;`, `&lt;img src=x onerror=alert(2)&gt;`, `<a href="https://example.com/">ok</a>`} {
		if !strings.Contains(h, want) {
			t.Errorf("output lacks %q:\n%s", want, h)
		}
	}
	// a repository may opt in to raw HTML
	out, _ = render(t, "<b>bold</b>\n", Options{UnsafeHTML: true})
	if !strings.Contains(string(out.HTML), "<b>bold</b>") {
		t.Errorf("unsafe_html: raw HTML should pass through, got %s", out.HTML)
	}
}

func TestMarkdownFragmentIsSafe(t *testing.T) {
	ws := workspace(t)
	r := New(ws, coverage.Compute(ws, time.Time{}), Options{})
	got := string(r.Markdown("See <script>x()</script> and [me](javascript:evil()).\n\n| a | b |\n|---|---|\n| 1 | 2 |\n", links.Component("github")))
	if strings.Contains(got, "<script") || strings.Contains(got, "javascript:") {
		t.Errorf("unsafe fragment output: %s", got)
	}
	if !strings.Contains(got, "<table>") {
		t.Errorf("GFM tables should render: %s", got)
	}
}

func TestValidateReportsEveryDocument(t *testing.T) {
	ws := workspace(t, front+"{{ org }}\n", strings.Replace(front, "POL-A", "POL-B", 1)+"{{ param \"github\" \"TSC\" \"CC8.1\" \"reviewer\" }}\n")
	ds := Validate(ws, coverage.Compute(ws, time.Time{}))
	if len(ds) != 1 || ds[0].Pos.File != "templates/policies/p1.md" || ds[0].Pos.Line != 12 || !strings.Contains(ds[0].Hint, `did you mean "reviewers"?`) {
		t.Fatalf("got %v", ds)
	}
}

// A runaway template is refused at its position, by check (Validate) and
// build (Document) alike, instead of hanging either.
func TestRunawayTemplateIsAPositionedError(t *testing.T) {
	body := "Intro.\n\n{{ range 100000000 }}{{ range 100000000 }}{{ end }}{{ end }}\n"
	ws := workspace(t, front+body)
	cov := coverage.Compute(ws, time.Time{})
	check := Validate(ws, cov)
	_, build := New(ws, cov, Options{}).Document(ws.Documents[0], links.Document("POL-A"))
	for name, ds := range map[string]diag.List{"check": check, "build": build} {
		if len(ds) != 1 {
			t.Fatalf("%s: want one diagnostic, got %v", name, ds)
		}
		d := ds[0]
		if d.Pos.File != "templates/policies/p0.md" || d.Pos.Line != 14 || d.Pos.Col != 10 || d.Severity != diag.Error {
			t.Errorf("%s: got %s at %s", name, d.Message, d.Pos)
		}
		if !strings.Contains(d.Message, "range over 100000000 items") || d.Source != "{{ range 100000000 }}{{ range 100000000 }}{{ end }}{{ end }}" {
			t.Errorf("%s: message %q, source %q", name, d.Message, d.Source)
		}
	}
}

// Output is capped as well: a loop that writes passes the step budget
// but not the byte budget.
func TestTemplateOutputIsCapped(t *testing.T) {
	_, ds := render(t, "{{ range 100000 }}"+strings.Repeat("policy text ", 5)+"{{ end }}\n", Options{})
	if len(ds) != 1 || !strings.Contains(ds[0].Message, "bytes") || ds[0].Pos.Line != 12 {
		t.Fatalf("got %v", ds)
	}
}
