package site

import (
	"html/template"
	"strings"
)

// fragment renders a narrative, description or similar text from YAML as
// HTML. Most such texts are plain prose; when nothing in the text would mean
// anything to Markdown, the paragraphs are escaped directly, which gives the
// same HTML as goldmark without running the parser (rendering thousands of
// narratives is most of a large site's work). Anything else goes through
// the docs renderer, which is safe for any input.
func (b *builder) fragment(src, pagePath string) template.HTML {
	if h, ok := plainParagraphs(src); ok {
		return h
	}
	return b.in.Docs.Markdown(src, pagePath)
}

// writeFragment writes what fragment returns.
func (b *builder) writeFragment(w *hw, src, pagePath string) {
	if isPlain(src) {
		writePlain(w, src)
		return
	}
	w.raw(string(b.in.Docs.Markdown(src, pagePath)))
}

// markdownBytes are the characters that can start Markdown syntax, an
// entity or an autolink anywhere in a line.
const markdownBytes = "\\`*_[]<>&#|~@\r"

// plainParagraphs returns the text as escaped paragraphs, or false when the
// text uses anything Markdown would interpret.
func plainParagraphs(src string) (template.HTML, bool) {
	if !isPlain(src) {
		return "", false
	}
	var w hw
	w.Grow(len(src) + len(src)/16 + 16)
	writePlain(&w, src)
	return w.html(), true
}

// isPlain reports whether nothing in src means anything to Markdown.
func isPlain(src string) bool {
	if strings.ContainsAny(src, markdownBytes) || strings.Contains(src, "://") || strings.Contains(src, "www.") || strings.Contains(src, "mailto:") {
		return false
	}
	for line := range strings.SplitSeq(src, "\n") {
		if strings.TrimSpace(line) != "" && !plainLine(line) {
			return false
		}
	}
	return true
}

// writePlain writes a plain text (isPlain) as paragraphs.
func writePlain(w *hw, src string) {
	open := false
	for line := range strings.SplitSeq(src, "\n") {
		if strings.TrimSpace(line) == "" {
			if open {
				w.raw("</p>\n")
				open = false
			}
			continue
		}
		if open {
			w.raw("\n")
		} else {
			w.raw("<p>")
			open = true
		}
		w.text(strings.TrimRight(line, " "))
	}
	if open {
		w.raw("</p>\n")
	}
}

// plainLine reports whether a line is ordinary paragraph text: it does not
// start a list, quote, heading, code block, table or thematic break, and
// does not end in a hard line break.
func plainLine(line string) bool {
	if line[0] == ' ' || line[0] == '\t' || strings.HasSuffix(line, "  ") {
		return false
	}
	switch line[0] {
	case '-', '+', '=', '>', '#', '*', '_', '|', '~', '`', '<':
		return false
	}
	// ordered list items: up to nine digits then . or )
	i := 0
	for i < len(line) && i < 10 && line[i] >= '0' && line[i] <= '9' {
		i++
	}
	if i > 0 && i < len(line) && (line[i] == '.' || line[i] == ')') {
		return false
	}
	return true
}
