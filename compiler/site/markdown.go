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
	if w.plain(src) {
		return
	}
	w.raw(string(b.in.Docs.Markdown(src, pagePath)))
}

// plainParagraphs returns the text as escaped paragraphs, or false when the
// text uses anything Markdown would interpret.
func plainParagraphs(src string) (template.HTML, bool) {
	var w hw
	w.Grow(len(src) + len(src)/16 + 16)
	if !w.plain(src) {
		return "", false
	}
	return w.html(), true
}

// markdownBytes are the characters that can start Markdown syntax, an
// entity or an autolink anywhere in a line.
const markdownBytes = "\\`*_<>&#|~@\r"

// plainClass sorts the bytes of a plain text: 1 for markdownBytes, 2 for
// those escaped in HTML (" ' NUL), 3 for the first bytes of "://", "www."
// and "mailto:", 4 for the brackets and ! (see plainBracket).
var plainClass = func() (c [256]uint8) {
	for _, b := range []byte(markdownBytes) {
		c[b] = 1
	}
	c['"'], c['\''], c[0] = 2, 2, 2
	c[':'], c['w'], c['m'] = 3, 3, 3
	c['['], c[']'], c['!'] = 4, 4, 4
	return c
}()

// plainBracket reports whether the [, ] or ! at s[0] is plain text. A
// fragment has no link reference definitions unless it writes one ("]:"),
// so brackets are text unless they make an inline link or image ("](",
// "!["), a full or collapsed reference ("]["), a footnote ("[^") or a
// definition; those go to goldmark.
func plainBracket(s string) bool {
	if len(s) < 2 {
		return true
	}
	switch s[0] {
	case '[':
		return s[1] != '^'
	case ']':
		return s[1] != '(' && s[1] != '[' && s[1] != ':'
	}
	return s[1] != '['
}

// plain writes src as paragraphs when nothing in it means anything to
// Markdown: no byte of plainClass 1, no "://", "www." or "mailto:", and only
// lines that plainLine accepts. It reports whether it did; otherwise it
// writes nothing. Lines are trimmed of trailing spaces; blank lines (as
// strings.TrimSpace sees them) separate paragraphs.
func (w *hw) plain(src string) bool {
	mark := len(w.b)
	open := false
	for more := true; more; {
		var line string
		line, src, more = strings.Cut(src, "\n")
		if strings.TrimSpace(line) == "" {
			if strings.IndexByte(line, '\r') >= 0 {
				w.b = w.b[:mark]
				return false
			}
			if open {
				w.b = append(w.b, "</p>\n"...)
				open = false
			}
			continue
		}
		if !plainLine(line) {
			w.b = w.b[:mark]
			return false
		}
		if open {
			w.b = append(w.b, '\n')
		} else {
			w.b = append(w.b, "<p>"...)
			open = true
		}
		end := len(strings.TrimRight(line, " "))
		last := 0
		for i := 0; i < len(line); i++ {
			switch plainClass[line[i]] {
			case 0:
				continue
			case 1:
				w.b = w.b[:mark]
				return false
			case 2:
				w.b = append(w.b, line[last:i]...)
				switch line[i] {
				case '"':
					w.b = append(w.b, "&#34;"...)
				case '\'':
					w.b = append(w.b, "&#39;"...)
				default:
					w.b = append(w.b, "\uFFFD"...)
				}
				last = i + 1
			case 3:
				rest := line[i:]
				if strings.HasPrefix(rest, "://") || strings.HasPrefix(rest, "www.") || strings.HasPrefix(rest, "mailto:") {
					w.b = w.b[:mark]
					return false
				}
			case 4:
				if !plainBracket(line[i:]) {
					w.b = w.b[:mark]
					return false
				}
			}
		}
		w.b = append(w.b, line[last:end]...)
	}
	if open {
		w.b = append(w.b, "</p>\n"...)
	}
	return true
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
