// Package opencontrol decodes OpenControl files (opencontrol.yaml,
// components, standards, certifications) and charter.yaml into the model.
// It walks yaml.v3 node trees once, straight into model types, so every
// value keeps its position and every unknown key, wrong type and duplicate
// is reported with file:line:col.
package opencontrol

import (
	"bytes"
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"unicode/utf8"

	"gopkg.in/yaml.v3"

	"github.com/charter-compliance/charter/compiler/diag"
	"github.com/charter-compliance/charter/internal/fastyaml"
)

// MaxFileSize is the largest YAML file charter reads. Real OpenControl files
// are well under a megabyte; NIST 800-53 rev5 is 370 kB.
const MaxFileSize = 16 << 20

// maxAliasExpansions bounds how many alias dereferences one file may cause
// while it is walked, which defuses "billion laughs" documents.
const maxAliasExpansions = 10_000

// yamlFile is one parsed YAML file and the diagnostics found in it.
type yamlFile struct {
	diag.Bag
	docs    []*yaml.Node // the root content node of each document
	release func()       // gives the nodes' memory back; see done
	aliases int
	blown   bool
}

var lineRE = regexp.MustCompile(`^yaml: line (\d+): (.*)$`)

// parseYAML checks size and encoding, then parses every document of text.
// It always returns a yamlFile; on failure docs is empty and the bag says why.
func parseYAML(path string, text []byte) *yamlFile {
	f := &yamlFile{Bag: diag.Bag{Src: diag.NewSource(path, text)}}
	if len(text) > MaxFileSize {
		f.Errorf(diag.CodeTooLarge, 0, 0, "file is %d bytes, more than the %d byte limit", len(text), MaxFileSize).
			Hint = "split it into several files, or check that it is the file you meant to list"
		return f
	}
	// The block-style YAML OpenControl files are written in goes through
	// fastyaml, which reads only valid UTF-8 holding a document: the checks
	// below are for the texts it declines, which yaml.v3 reads.
	if docs, release, ok := fastyaml.ParseReusing(text); ok {
		f.docs, f.release = docs, release
		return f
	}
	if !utf8.Valid(text) {
		line, col := firstInvalidUTF8(text)
		f.Errorf(diag.CodeEncoding, line, col, "file is not valid UTF-8").
			Hint = "save the file as UTF-8 (for example: iconv -f latin1 -t utf-8)"
		return f
	}
	if !hasContent(text) {
		f.Errorf(diag.CodeEmpty, 0, 0, "file is empty: it holds no YAML document").
			Hint = "add the file's content, or remove it from opencontrol.yaml"
		return f
	}
	docs, err := fastyaml.ParseV3(text)
	if err != nil {
		f.syntaxError(err, text)
		return f
	}
	f.docs = docs
	if len(f.docs) == 0 {
		f.Errorf(diag.CodeEmpty, 0, 0, "file holds no YAML content").
			Hint = "add the file's content, or remove it from opencontrol.yaml"
	}
	return f
}

// root is the file's first document, aliases followed, or nil when the file
// holds none (the bag then says why). When what names the kind of file, a
// second document is reported, with hint saying how to split the file.
func (f *yamlFile) root(what, hint string) *yaml.Node {
	if len(f.docs) == 0 {
		return nil
	}
	if len(f.docs) > 1 && what != "" {
		f.extraDocuments(what, hint)
	}
	return f.resolve(f.docs[0])
}

// extraDocuments reports the documents after the first, at the "---" that
// starts the second, with what charter loses by ignoring them. A second
// document with a name is another thing of the kind (hint says where it
// goes); one without is the rest of the first cut off by a stray "---".
func (f *yamlFile) extraDocuments(what, hint string) {
	second := f.docs[1]
	line := documentStart(f.Src.Text, second.Line)
	lost, named := 0, false
	for _, doc := range f.docs[1:] {
		n := f.resolve(doc)
		if n == nil || n.Kind != yaml.MappingNode {
			continue
		}
		for i := 0; i+1 < len(n.Content); i += 2 {
			k, v := n.Content[i].Value, n.Content[i+1]
			switch {
			case k == "name":
				named = true
			case what == "component" && k == "satisfies" && v.Kind == yaml.SequenceNode:
				lost += len(v.Content)
			case what == "standard":
				lost++
			case what == "certification" && k == "standards" && v.Kind == yaml.MappingNode:
				for j := 1; j < len(v.Content); j += 2 {
					if v.Content[j].Kind == yaml.MappingNode {
						lost += len(v.Content[j].Content) / 2
					}
				}
			}
		}
	}
	noun := "satisfaction"
	if what != "component" {
		noun = "control"
	}
	msg := fmt.Sprintf("%s file holds %d YAML documents; charter reads only the first, so what follows the --- at line %d is ignored", what, len(f.docs), line)
	if lost > 0 {
		msg += fmt.Sprintf(", %s with it", plural(lost, noun))
	}
	if !named {
		hint = fmt.Sprintf("if the --- at line %d is a stray separator inside one %s, delete that line", line, what)
	}
	f.Errorf(diag.CodeExtraDocs, line, 1, "%s", msg).Hint = hint
}

// documentStart is the line of the "---" that begins the document whose
// first node is at line (1-based): the last such line before it, or line
// itself when the marker shares its line with content or is absent.
func documentStart(text []byte, line int) int {
	n, start := 1, 0
	found := 0
	for i := 0; i <= len(text) && n <= line; i++ {
		if i < len(text) {
			if w := diag.BreakAt(text, i); w == 0 {
				continue
			}
		}
		l := text[start:i]
		if bytes.HasPrefix(l, []byte("---")) && (len(l) == 3 || l[3] == ' ' || l[3] == '\t' || l[3] == '\r') {
			found = n
		}
		if i < len(text) {
			i += diag.BreakAt(text, i) - 1
		}
		start, n = i+1, n+1
	}
	if found == 0 {
		return line
	}
	return found
}

func plural(n int, noun string) string {
	if n == 1 {
		return "1 " + noun
	}
	return fmt.Sprintf("%d %ss", n, noun)
}

// done gives the memory of the file's nodes back for the next file to be
// parsed; a decoder calls it once it has read everything it needs, since
// the model keeps strings but no nodes.
func (f *yamlFile) done() {
	if f.release != nil {
		f.release()
		f.release, f.docs = nil, nil
	}
}

// parserErrors are yaml.v3's parser messages (the rest come from its
// scanner). A parser error names the line, counted from 0, where the
// enclosing construct began, not the line of the offending token.
var parserErrors = map[string]bool{
	"did not find expected <stream-start>":   true,
	"did not find expected <document start>": true,
	"did not find expected node content":     true,
	"did not find expected '-' indicator":    true,
	"did not find expected key":              true,
	"did not find expected ',' or ']'":       true,
	"did not find expected ',' or '}'":       true,
	"found undefined tag handle":             true,
	"found incompatible YAML document":       true,
	"found duplicate %YAML directive":        true,
	"found duplicate %TAG directive":         true,
}

// errorLine finds the line a yaml.v3 parse error is about. A scanner error
// names it, counted from 1 (the start of an unterminated quote, say, which
// is the place to look). A parser error names the line where the enclosing
// construct began, counted from 0, and an error in the first line or about
// an unknown anchor names none; for those the offending token is on the
// first line, from the construct's on, at which a prefix of the file fails
// with the very same message. Prefixes grow by doubling steps, so a big
// file costs a few re-parses, and only when it does not parse.
func errorLine(text []byte, msg string) int {
	reported, problem := 0, strings.TrimPrefix(msg, "yaml: ")
	if m := lineRE.FindStringSubmatch(msg); m != nil {
		reported, _ = strconv.Atoi(m[1])
		problem = m[2]
	}
	if reported > 0 && !parserErrors[problem] {
		return reported
	}
	var ends []int // offset just after each line
	for i := 0; i < len(text); {
		if w := diag.BreakAt(text, i); w > 0 {
			i += w
			ends = append(ends, i)
			continue
		}
		i++
	}
	if len(ends) == 0 || ends[len(ends)-1] != len(text) {
		ends = append(ends, len(text))
	}
	same := func(n int) bool { // the first n lines fail with msg
		_, err := fastyaml.ParseV3(text[:ends[n-1]])
		return err != nil && err.Error() == msg
	}
	last := len(ends)
	first := min(reported+1, last) // the construct's line, counted from 1
	if same(first) {
		return first
	}
	// gallop: lo fails differently (or parses), hi is the next try
	lo, step := first, 1
	hi := min(lo+step, last)
	for hi < last && !same(hi) {
		lo, step = hi, step*2
		hi = min(lo+step, last)
	}
	// the first line in (lo, hi] that reproduces the error; hi == last
	// always does, since it is the whole file
	for lo+1 < hi {
		mid := lo + (hi-lo)/2
		if same(mid) {
			hi = mid
		} else {
			lo = mid
		}
	}
	return hi
}

// hasContent reports whether text holds a line other than blanks, comments
// and document markers. It stops at the first such line and allocates
// nothing: it runs on every file, and most files have content on line 1.
func hasContent(text []byte) bool {
	for len(text) > 0 {
		line := text
		if i := bytes.IndexByte(text, '\n'); i >= 0 {
			line, text = text[:i], text[i+1:]
		} else {
			text = nil
		}
		t := bytes.TrimSpace(line)
		if len(t) == 0 || t[0] == '#' || bytes.Equal(t, []byte("---")) || bytes.Equal(t, []byte("...")) {
			continue
		}
		return true
	}
	return false
}

func firstInvalidUTF8(text []byte) (line, col int) {
	line, col = 1, 1
	for i := 0; i < len(text); {
		r, size := utf8.DecodeRune(text[i:])
		if r == utf8.RuneError && size <= 1 {
			return line, col
		}
		if w := diag.BreakAt(text, i); w > 0 {
			line, col = line+1, 1
			i += w
			continue
		}
		col++
		i += size
	}
	return line, col
}

// syntaxError turns a yaml.v3 parse error into a positioned diagnostic.
func (f *yamlFile) syntaxError(err error, text []byte) {
	msg := err.Error()
	line, col := errorLine(text, msg), 0
	if m := lineRE.FindStringSubmatch(msg); m != nil {
		msg = m[2]
	} else {
		msg = strings.TrimPrefix(msg, "yaml: ")
	}
	if line > 0 {
		// yaml.v3 reports no column; point at the first tab in the line's
		// indentation, else at its first non-blank character.
		src := f.Src.Line(line)
		indent := len(src) - len(strings.TrimLeft(src, " \t"))
		if tab := strings.IndexByte(src[:indent], '\t'); tab >= 0 {
			f.Errorf(diag.CodeTab, line, tab+1, "tab character used for indentation").
				Hint = "YAML indents with spaces only; replace the tab with spaces"
			return
		}
		col = indent + 1
		// a tab just before the reported line is a common culprit too
		if prev := f.Src.Line(line - 1); strings.HasPrefix(strings.TrimLeft(prev, " "), "\t") {
			f.Errorf(diag.CodeTab, line-1, strings.IndexByte(prev, '\t')+1, "tab character used for indentation").
				Hint = "YAML indents with spaces only; replace the tab with spaces"
			return
		}
	}
	d := f.Errorf(diag.CodeSyntax, line, col, "invalid YAML: %s", msg)
	switch {
	case strings.Contains(msg, "mapping values are not allowed"):
		d.Hint = "a value containing \": \" must be quoted, or a key is indented wrongly"
	case strings.Contains(msg, "did not find expected key"), strings.Contains(msg, "did not find expected '-' indicator"):
		d.Hint = "check the indentation of this line against its siblings"
	case strings.Contains(msg, "found character that cannot start any token"):
		d.Hint = "quote values that begin with characters such as @, ` or %"
	default:
		d.Hint = "fix the YAML syntax; a YAML linter shows the structure"
	}
}

// resolve follows aliases, charging each dereference to the file's budget.
// It returns nil once the budget is spent (and reports that once).
func (f *yamlFile) resolve(n *yaml.Node) *yaml.Node {
	for n != nil && n.Kind == yaml.AliasNode {
		f.aliases++
		if f.aliases > maxAliasExpansions {
			if !f.blown {
				f.blown = true
				f.Errorf(diag.CodeAliases, n.Line, n.Column, "YAML aliases expand more than %d times; stopped reading the file", maxAliasExpansions).
					Hint = "write the values out instead of nesting aliases"
			}
			return nil
		}
		n = n.Alias
	}
	return n
}

// kindName describes a node's kind for messages.
func kindName(n *yaml.Node) string {
	switch n.Kind {
	case yaml.MappingNode:
		return "a mapping"
	case yaml.SequenceNode:
		return "a list"
	case yaml.ScalarNode:
		switch n.Tag {
		case "!!null":
			return "nothing"
		case "!!int", "!!float":
			return "a number"
		case "!!bool":
			return "a boolean"
		}
		return "a string"
	}
	return "a value"
}

func (f *yamlFile) pos(n *yaml.Node) diag.Pos { return f.Src.Pos(n.Line, n.Column) }

func (f *yamlFile) typeError(n *yaml.Node, field, want string) {
	f.Errorf(diag.CodeType, n.Line, n.Column, "%s must be %s, found %s", field, want, kindName(n))
}

// fields walks a mapping: it reports a non-mapping, duplicate keys and keys
// outside known (as warnings, with a suggestion), and calls fn for every
// known key in document order. It returns false when n is not a mapping.
func (f *yamlFile) fields(n *yaml.Node, what string, known []string, fn func(key string, k, v *yaml.Node)) bool {
	if n = f.resolve(n); n == nil {
		return false
	}
	if n.Kind != yaml.MappingNode {
		if n.Tag == "!!null" {
			return true
		}
		f.typeError(n, what, "a mapping")
		return false
	}
	// Most mappings have a handful of keys: a scan of the keys before finds
	// a duplicate sooner than a map can be built; big ones get a map.
	var seen map[string]*yaml.Node
	if len(n.Content) > 32 {
		seen = make(map[string]*yaml.Node, len(n.Content)/2)
	}
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := n.Content[i], n.Content[i+1]
		if k.Kind == yaml.AliasNode || k.Kind != yaml.ScalarNode {
			f.Errorf(diag.CodeType, k.Line, k.Column, "keys of %s must be plain strings", what)
			continue
		}
		if prev := firstKey(n.Content[:i], k.Value, seen); prev != nil {
			d := f.Errorf(diag.CodeDuplicate, k.Line, k.Column, "key %q appears twice in %s; the first is at line %d", k.Value, what, prev.Line)
			d.Notes = []diag.Note{{Pos: f.pos(prev), Message: "first defined here"}}
			d.Hint = "remove one of them or merge their values"
			continue
		}
		if seen != nil {
			seen[k.Value] = k
		}
		if known != nil && !contains(known, k.Value) {
			d := f.Warnf(diag.CodeUnknownKey, k.Line, k.Column, "unknown key %q in %s", k.Value, what)
			if s := diag.Suggest(k.Value, known); s != "" {
				d.Message += fmt.Sprintf("; did you mean %q?", s)
				d.Hint = fmt.Sprintf("rename it to %q; charter ignores keys it does not know", s)
			} else {
				d.Hint = "known keys: " + strings.Join(known, ", ")
			}
			continue
		}
		fn(k.Value, k, v)
	}
	return true
}

// firstKey finds an earlier plain key named key among before, a mapping's
// keys and values so far: in seen when the mapping is big enough to have
// one, else by a scan.
func firstKey(before []*yaml.Node, key string, seen map[string]*yaml.Node) *yaml.Node {
	if seen != nil {
		return seen[key]
	}
	for i := 0; i+1 < len(before); i += 2 {
		if k := before[i]; k.Kind == yaml.ScalarNode && k.Value == key {
			return k
		}
	}
	return nil
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// strFields walks a mapping whose values are all strings, storing the value
// of known[i] into targets[i].
func (f *yamlFile) strFields(n *yaml.Node, what string, known []string, targets ...*string) bool {
	return f.fields(n, what, known, func(key string, _, v *yaml.Node) {
		for i, k := range known {
			if k == key {
				*targets[i], _ = f.str(v, key)
				return
			}
		}
	})
}

// str reads a scalar as a string. Numbers and booleans keep their written
// form (1.10 stays "1.10", ON stays "ON"); null is "".
func (f *yamlFile) str(n *yaml.Node, field string) (string, bool) {
	if n = f.resolve(n); n == nil {
		return "", false
	}
	if n.Kind != yaml.ScalarNode {
		f.typeError(n, field, "a string")
		return "", false
	}
	if n.Tag == "!!null" {
		return "", true
	}
	return n.Value, true
}

// requiredStr reads a required string field. An empty or null value is
// reported like a missing field: nothing can be keyed or found by it.
func (f *yamlFile) requiredStr(v *yaml.Node, what, field string) string {
	s, ok := f.str(v, field)
	if ok && strings.TrimSpace(s) == "" {
		f.Errorf(diag.CodeMissing, v.Line, v.Column, "%s has an empty %q", what, field).
			Hint = fmt.Sprintf("give %s a value", field)
	}
	return s
}

// boolean reads true/false (and YAML 1.1's yes/no/on/off, which real
// repositories use for booleans).
func (f *yamlFile) boolean(n *yaml.Node, field string) (bool, bool) {
	if n = f.resolve(n); n == nil {
		return false, false
	}
	if n.Kind == yaml.ScalarNode {
		switch strings.ToLower(n.Value) {
		case "true", "yes", "on":
			return true, true
		case "false", "no", "off", "":
			return false, true
		}
	}
	f.typeError(n, field, "true or false")
	return false, false
}

// list walks a sequence, calling fn for each item. A single scalar or
// mapping where a list is expected is a type error.
func (f *yamlFile) list(n *yaml.Node, field string, fn func(item *yaml.Node)) {
	if n = f.resolve(n); n == nil {
		return
	}
	if n.Kind == yaml.ScalarNode && n.Tag == "!!null" {
		return
	}
	if n.Kind != yaml.SequenceNode {
		f.typeError(n, field, "a list")
		return
	}
	for _, item := range n.Content {
		if item = f.resolve(item); item == nil {
			return
		}
		fn(item)
	}
}

// strList reads a list of strings.
func (f *yamlFile) strList(n *yaml.Node, field string) []string {
	var out []string
	f.list(n, field, func(item *yaml.Node) {
		if s, ok := f.str(item, field+" item"); ok {
			out = append(out, s)
		}
	})
	return out
}

// strOrList reads a string or a list of strings (for values such as
// charter.yaml's gate, which people write both ways).
func (f *yamlFile) strOrList(n *yaml.Node, field string) []*yaml.Node {
	if n = f.resolve(n); n == nil {
		return nil
	}
	if n.Kind == yaml.ScalarNode {
		if n.Tag == "!!null" {
			return nil
		}
		return []*yaml.Node{n}
	}
	var out []*yaml.Node
	f.list(n, field, func(item *yaml.Node) {
		if item.Kind != yaml.ScalarNode {
			f.typeError(item, field+" item", "a string")
			return
		}
		out = append(out, item)
	})
	return out
}

// required reports a missing field at the mapping's position.
func (f *yamlFile) required(n *yaml.Node, what string, have map[string]bool, fields ...string) {
	for _, name := range fields {
		if !have[name] {
			f.Errorf(diag.CodeMissing, n.Line, n.Column, "%s has no %q", what, name).
				Hint = fmt.Sprintf("add %s: <value>", name)
		}
	}
}
