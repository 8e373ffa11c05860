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
	var w hw
	w.Grow(len(src) + len(src)/16 + 16)
	if w.plain(src) || w.plainList(src) {
		return w.html()
	}
	return b.in.Docs.Markdown(src, pagePath)
}

// writeFragment writes what fragment returns.
func (b *builder) writeFragment(w *hw, src, pagePath string) {
	if w.plain(src) || w.plainList(src) {
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
// Markdown: no byte of plainClass 1, no "://", "www." or "mailto:", no
// bracket that plainBracket refuses, and only lines that plainLine accepts.
// It reports whether it did; otherwise it writes nothing. Lines are
// trimmed of trailing spaces; blank lines (as strings.TrimSpace sees them)
// separate paragraphs. Quotes are escaped as &#34; and &#39;, where goldmark
// writes &quot; and '; a text with brackets as well as quotes goes to
// goldmark, as it did before brackets were plain, so that its page stays
// byte for byte what it was.
func (w *hw) plain(src string) bool {
	mark := len(w.b)
	open := false
	var escaped, bracket bool
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
		e, br, ok := w.plainText(line, len(strings.TrimRight(line, " ")))
		escaped, bracket = escaped || e, bracket || br
		if !ok || escaped && bracket {
			w.b = w.b[:mark]
			return false
		}
	}
	if open {
		w.b = append(w.b, "</p>\n"...)
	}
	return true
}

// plainText writes line[:end] escaped, after checking the whole line for
// Markdown as plain does. It reports whether it escaped a byte, whether the
// line has a bracket, and whether the line is plain; when it is not, what
// was written is left for the caller to take back.
func (w *hw) plainText(line string, end int) (escaped, bracket, ok bool) {
	last := 0
	for i := 0; i < len(line); i++ {
		switch plainClass[line[i]] {
		case 0:
			continue
		case 1:
			return escaped, bracket, false
		case 2:
			escaped = true
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
				return escaped, bracket, false
			}
		case 4:
			if !plainBracket(line[i:]) {
				return escaped, bracket, false
			}
			bracket = bracket || line[i] != '!'
		}
	}
	w.b = append(w.b, line[last:end]...)
	return escaped, bracket, true
}

// plainList writes src as goldmark writes it when src is a tight bullet
// list of plain one-line items, such as NIST SP 800-53 writes its control
// descriptions in: every line (but a last empty one) is "- " and its text,
// indented by up to three spaces at the top and exactly to its parent's
// text below; an item's text may open an ordered list ("2. text"), whose
// item holds that text while the bullet item holds the children. Item
// texts are plain (plainLine, plainText) without quotes, which goldmark
// escapes differently, and without a task list box. It reports whether it
// wrote; otherwise it writes nothing.
func (w *hw) plainList(src string) bool {
	type item struct {
		indent, content   int  // columns of the marker and of the text
		ordered, children bool // the text opened an ordered list; children came
	}
	var stackArr [8]item
	stack := stackArr[:0]
	mark := len(w.b)
	fail := func() bool {
		w.b = w.b[:mark]
		return false
	}
	closeItem := func(it item) {
		if it.children {
			w.b = append(w.b, "</ul>\n"...)
		}
		w.b = append(w.b, "</li>\n"...)
	}
	src = strings.TrimSuffix(src, "\n")
	for more := true; more; {
		var line string
		line, src, more = strings.Cut(src, "\n")
		n := 0
		for n < len(line) && line[n] == ' ' {
			n++
		}
		if !strings.HasPrefix(line[n:], "- ") || len(line) < n+3 {
			return fail()
		}
		text := line[n+2:]
		if last := text[len(text)-1]; last == ' ' || last == '\t' {
			return fail()
		}
		switch top := len(stack) - 1; {
		case top < 0:
			if n > 3 {
				return fail()
			}
			w.b = append(w.b, "<ul>\n"...)
		case n == stack[top].content:
			if len(stack) == len(stackArr) {
				return fail()
			}
			if !stack[top].children {
				if !stack[top].ordered {
					w.b = append(w.b, '\n')
				}
				w.b = append(w.b, "<ul>\n"...)
				stack[top].children = true
			}
		default:
			for len(stack) > 0 && stack[len(stack)-1].indent != n {
				closeItem(stack[len(stack)-1])
				stack = stack[:len(stack)-1]
			}
			if len(stack) == 0 {
				return fail()
			}
			closeItem(stack[len(stack)-1])
			stack = stack[:len(stack)-1]
		}
		it := item{indent: n, content: n + 2}
		// an ordered list marker: up to three digits, no leading zero
		d := 0
		for d < len(text) && d < 4 && text[d] >= '0' && text[d] <= '9' {
			d++
		}
		if d > 0 && d < 4 && text[0] != '0' && strings.HasPrefix(text[d:], ". ") {
			it.ordered = true
			w.b = append(w.b, "<li>\n<ol"...)
			if text[:d] != "1" {
				w.b = append(w.b, ` start="`...)
				w.b = append(w.b, text[:d]...)
				w.b = append(w.b, '"')
			}
			w.b = append(w.b, ">\n<li>"...)
			text = text[d+2:]
		} else {
			w.b = append(w.b, "<li>"...)
		}
		if !plainLine(text) || strings.HasPrefix(text, "[ ]") || strings.HasPrefix(text, "[x]") || strings.HasPrefix(text, "[X]") {
			return fail()
		}
		if escaped, _, ok := w.plainText(text, len(text)); !ok || escaped {
			return fail()
		}
		if it.ordered {
			w.b = append(w.b, "</li>\n</ol>\n"...)
		}
		stack = append(stack, it)
	}
	for i := len(stack) - 1; i >= 0; i-- {
		closeItem(stack[i])
	}
	w.b = append(w.b, "</ul>\n"...)
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
