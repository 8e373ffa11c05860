package opencontrol

import (
	"bytes"
	"fmt"
	"strings"
	"time"

	"gopkg.in/yaml.v3"

	"github.com/charter-compliance/charter/compiler/diag"
	"github.com/charter-compliance/charter/compiler/model"
)

// FrontMatterKeys are the fields of a policy's or procedure's front matter.
var FrontMatterKeys = []string{"id", "title", "kind", "owner", "approvers", "status", "effective", "review_cycle", "last_reviewed", "satisfies", "description"}

var (
	docKinds    = []string{"policy", "procedure"}
	docStatuses = []string{"draft", "approved"}
	reviewCycle = []string{"monthly", "quarterly", "semiannual", "annual"}
)

// DecodeDocument reads a Markdown policy or procedure: YAML front matter
// between two `---` lines, then the Markdown body.
func DecodeDocument(rel string, text []byte) (*model.Document, diag.List) {
	src := diag.NewSource(rel, text)
	bag := diag.Bag{Src: src}
	if len(text) > MaxFileSize {
		bag.Errorf(diag.CodeTooLarge, 0, 0, "file is %d bytes, more than the %d byte limit", len(text), MaxFileSize)
		return nil, bag.List
	}
	text = bytes.TrimPrefix(text, []byte("\xef\xbb\xbf"))
	fmEnd, bodyStart, bodyLine, ok := splitFrontMatter(text)
	if !ok {
		if opensFrontMatter(text) {
			bag.Errorf(diag.CodeFrontMatter, 1, 1, "front matter is never closed").
				Hint = "end the front matter with a line holding only ---, before the Markdown starts"
			return nil, bag.List
		}
		bag.Errorf(diag.CodeFrontMatter, 1, 1, "document has no front matter").
			Hint = "start the file with a YAML block between two --- lines: id, title, kind, owner, status, satisfies"
		return nil, bag.List
	}
	// Parse the front matter with its real line numbers: blank out the
	// opening --- so that YAML line 1 is file line 1.
	fm := make([]byte, fmEnd)
	copy(fm, text[:fmEnd])
	copy(fm, "   ")
	f := parseYAML(rel, fm)
	defer f.done()
	f.Src = src
	for i := range f.List {
		f.List[i].Source = src.Line(f.List[i].Pos.Line)
	}
	if len(f.docs) == 0 {
		for i := range f.List {
			if f.List[i].Code == diag.CodeEmpty {
				f.List[i].Code = diag.CodeFrontMatter
				f.List[i].Message = "front matter is empty"
				f.List[i].Hint = "give at least id, title, kind, owner, status and satisfies"
			}
		}
		return nil, f.List
	}
	d := &model.Document{Pos: diag.Pos{File: rel}, File: rel, FieldPos: map[string]diag.Pos{}}
	d.Body = string(text[bodyStart:])
	d.BodyLine = bodyLine
	root := f.resolve(f.docs[0])
	if root == nil {
		return nil, f.List
	}
	have := map[string]bool{}
	date := func(v *yaml.Node, key string) *time.Time {
		raw, ok := f.str(v, key)
		if !ok || raw == "" {
			return nil
		}
		t, err := time.Parse(time.DateOnly, raw)
		if err != nil {
			f.Errorf(diag.CodeDocDate, v.Line, v.Column, "%s %q is not a date", key, raw).
				Hint = "write dates as YYYY-MM-DD, for example 2026-03-01"
			return nil
		}
		return &t
	}
	oneOf := func(v *yaml.Node, key string, allowed []string) string {
		raw, ok := f.str(v, key)
		if !ok {
			return ""
		}
		if !contains(allowed, raw) {
			e := f.Errorf(diag.CodeValue, v.Line, v.Column, "%s %q is not one of %s", key, raw, strings.Join(allowed, ", "))
			if s := diag.Suggest(raw, allowed); s != "" {
				e.Message += fmt.Sprintf("; did you mean %q?", s)
			}
			return ""
		}
		return raw
	}
	okMap := f.fields(root, "the front matter", FrontMatterKeys, func(key string, k, v *yaml.Node) {
		have[key] = true
		d.FieldPos[key] = f.pos(v)
		switch key {
		case "id":
			d.ID = f.requiredStr(v, "the front matter", key)
		case "title":
			d.Title = f.requiredStr(v, "the front matter", key)
		case "kind":
			d.Kind = oneOf(v, key, docKinds)
		case "owner":
			d.Owner, _ = f.str(v, key)
		case "approvers":
			for _, n := range f.strOrList(v, key) {
				d.Approvers = append(d.Approvers, n.Value)
			}
		case "status":
			d.Status = oneOf(v, key, docStatuses)
		case "effective":
			d.Effective = date(v, key)
		case "review_cycle":
			d.ReviewCycle = oneOf(v, key, reviewCycle)
		case "last_reviewed":
			d.LastReviewed = date(v, key)
		case "description":
			d.Description, _ = f.str(v, key)
		case "satisfies":
			f.fields(v, "satisfies", nil, func(std string, _, v *yaml.Node) {
				for _, n := range f.strOrList(v, "satisfies."+std) {
					d.Satisfies = append(d.Satisfies, model.Claim{Pos: f.pos(n), Standard: std, Control: n.Value})
				}
			})
		}
	})
	if !okMap {
		return nil, f.List
	}
	if f.blown {
		return nil, f.List // the alias budget ran out: the file was not read whole
	}
	f.required(root, "the front matter", have, "id", "title", "kind", "status")
	if d.ID == "" {
		return nil, f.List
	}
	if d.Status == "approved" {
		if strings.TrimSpace(d.Owner) == "" {
			f.Errorf(diag.CodeDocOwner, root.Line, root.Column, "approved document %s has no owner", d.ID).
				Hint = "add owner: <role or person accountable for it>"
		}
		if len(d.Approvers) == 0 {
			f.Errorf(diag.CodeDocApprover, root.Line, root.Column, "approved document %s has no approvers", d.ID).
				Hint = "add approvers: [<who approved it>]"
		}
		if d.Effective == nil && have["effective"] == false {
			f.Errorf(diag.CodeMissing, root.Line, root.Column, "approved document %s has no effective date; it does not count as evidence", d.ID).
				Hint = "add effective: YYYY-MM-DD"
		}
	}
	return d, f.List
}

// splitFrontMatter finds the YAML between an opening "---" line and the next
// "---" (or "...") line. It returns the offset where the closing line
// starts, where the body starts, and the body's 1-based line number.
func splitFrontMatter(text []byte) (fmEnd, bodyStart, bodyLine int, ok bool) {
	if !opensFrontMatter(text) {
		return 0, 0, 0, false
	}
	off := bytes.IndexByte(text, '\n') + 1
	line := 2
	for off < len(text) {
		end := bytes.IndexByte(text[off:], '\n')
		var cur []byte
		next := len(text)
		if end < 0 {
			cur = text[off:]
		} else {
			cur = text[off : off+end]
			next = off + end + 1
		}
		cur = bytes.TrimRight(cur, "\r ")
		if bytes.Equal(cur, []byte("---")) || bytes.Equal(cur, []byte("...")) {
			return off, next, line + 1, true
		}
		off = next
		line++
	}
	return 0, 0, 0, false
}

func opensFrontMatter(text []byte) bool {
	return bytes.HasPrefix(text, []byte("---\n")) || bytes.HasPrefix(text, []byte("---\r\n"))
}
