package load

import (
	"encoding/binary"
	"errors"
	"slices"
	"time"

	"github.com/charter-compliance/charter/compiler/diag"
	"github.com/charter-compliance/charter/compiler/model"
)

// The decode cache's format: a compact, hand-written binary encoding of the
// model values one file decodes into. Reading it back slices every string
// out of one string holding the whole entry, so a cache hit costs a few
// allocations per struct and none per string; gob, tried first, allocated
// per field and spent most of a warm check in page faults.
//
// codec_test.go fills every field of every encoded type by reflection and
// checks the round trip, so a field added to the model cannot be forgotten
// here unnoticed.

type encoder struct {
	buf  []byte
	file string // the last position's file, written once per run
}

func (e *encoder) uint(v uint64) { e.buf = binary.AppendUvarint(e.buf, v) }
func (e *encoder) int(v int)     { e.buf = binary.AppendVarint(e.buf, int64(v)) }
func (e *encoder) str(s string)  { e.uint(uint64(len(s))); e.buf = append(e.buf, s...) }
func (e *encoder) bool(b bool) {
	if b {
		e.buf = append(e.buf, 1)
	} else {
		e.buf = append(e.buf, 0)
	}
}

func (e *encoder) pos(p diag.Pos) {
	if p.File == e.file {
		e.uint(0)
	} else {
		e.uint(1)
		e.str(p.File)
		e.file = p.File
	}
	e.int(p.Line)
	e.int(p.Col)
}

func (e *encoder) strs(list []string) {
	e.uint(uint64(len(list)))
	for _, s := range list {
		e.str(s)
	}
}

func (e *encoder) time(t *time.Time) {
	e.bool(t != nil)
	if t != nil {
		e.int(int(t.Unix()))
		e.int(t.Nanosecond())
	}
}

type decoder struct {
	s    string
	off  int
	file string
	err  error
}

var errCorrupt = errors.New("corrupt cache entry")

func (d *decoder) fail() {
	if d.err == nil {
		d.err = errCorrupt
	}
	d.off = len(d.s)
}

// uint reads an unsigned varint (the encoding of binary.AppendUvarint).
func (d *decoder) uint() uint64 {
	var v uint64
	for shift := uint(0); shift < 64; shift += 7 {
		if d.off >= len(d.s) {
			break
		}
		b := d.s[d.off]
		d.off++
		v |= uint64(b&0x7f) << shift
		if b < 0x80 {
			return v
		}
	}
	d.fail()
	return 0
}

// int reads a signed varint (the zig-zag encoding of binary.AppendVarint).
func (d *decoder) int() int {
	u := d.uint()
	v := int64(u >> 1)
	if u&1 != 0 {
		v = ^v
	}
	return int(v)
}

// count reads a length, refusing one larger than the bytes left (each item
// takes at least one byte), so a corrupt entry cannot ask for huge slices.
func (d *decoder) count() int {
	n := d.uint()
	if n > uint64(len(d.s)-d.off) {
		d.fail()
		return 0
	}
	return int(n)
}

func (d *decoder) str() string {
	n := d.count()
	if d.err != nil {
		return ""
	}
	s := d.s[d.off : d.off+n]
	d.off += n
	return s
}

func (d *decoder) bool() bool {
	if d.off >= len(d.s) {
		d.fail()
		return false
	}
	b := d.s[d.off]
	d.off++
	if b > 1 {
		d.fail()
	}
	return b == 1
}

func (d *decoder) pos() diag.Pos {
	switch d.uint() {
	case 0:
	case 1:
		d.file = d.str()
	default:
		d.fail()
	}
	return diag.Pos{File: d.file, Line: d.int(), Col: d.int()}
}

func (d *decoder) strs() []string {
	n := d.count()
	if n == 0 {
		return nil
	}
	out := make([]string, n)
	for i := range out {
		out[i] = d.str()
	}
	return out
}

func (d *decoder) time() *time.Time {
	if !d.bool() {
		return nil
	}
	sec := d.int()
	t := time.Unix(int64(sec), int64(d.int())).UTC()
	return &t
}

// list decodes n items with f into a slice (nil when empty, as decoders
// leave absent lists).
func list[T any](d *decoder, f func() T) []T {
	n := d.count()
	if n == 0 || d.err != nil {
		return nil
	}
	out := make([]T, n)
	for i := range out {
		out[i] = f()
	}
	return out
}

func putList[T any](e *encoder, items []T, f func(T)) {
	e.uint(uint64(len(items)))
	for _, it := range items {
		f(it)
	}
}

// Entry kinds.
const (
	entryNone byte = iota
	entryComponent
	entryStandard
	entryCertification
	entryDocument
)

func encodeEntry(r result) []byte { return appendEntry(make([]byte, 0, 4096), r) }

// appendEntry appends r's encoding to buf, so that a writer can reuse one
// buffer for every entry instead of growing a fresh one each time.
func appendEntry(buf []byte, r result) []byte {
	e := &encoder{buf: buf}
	switch {
	case r.comp != nil:
		e.buf = append(e.buf, entryComponent)
		e.component(r.comp)
	case r.std != nil:
		e.buf = append(e.buf, entryStandard)
		e.standard(r.std)
	case r.cert != nil:
		e.buf = append(e.buf, entryCertification)
		e.certification(r.cert)
	case r.doc != nil:
		e.buf = append(e.buf, entryDocument)
		e.document(r.doc)
	default:
		e.buf = append(e.buf, entryNone)
	}
	putList(e, r.diags, e.diagnostic)
	return e.buf
}

func decodeEntry(data string) (result, error) {
	var r result
	if data == "" {
		return r, errCorrupt
	}
	d := &decoder{s: data, off: 1}
	switch data[0] {
	case entryNone:
	case entryComponent:
		r.comp = d.component()
	case entryStandard:
		r.std = d.standard()
	case entryCertification:
		r.cert = d.certification()
	case entryDocument:
		r.doc = d.document()
	default:
		return result{}, errCorrupt
	}
	r.diags = list(d, d.diagnostic)
	if d.err != nil || d.off != len(d.s) {
		return result{}, errCorrupt
	}
	return r, nil
}

func (e *encoder) diagnostic(x diag.Diagnostic) {
	e.int(int(x.Severity))
	e.str(string(x.Code))
	e.str(x.Message)
	e.pos(x.Pos)
	e.str(x.Source)
	e.str(x.Hint)
	putList(e, x.Notes, func(n diag.Note) { e.pos(n.Pos); e.str(n.Message) })
}

func (d *decoder) diagnostic() diag.Diagnostic {
	return diag.Diagnostic{
		Severity: diag.Severity(d.int()),
		Code:     diag.Code(d.str()),
		Message:  d.str(),
		Pos:      d.pos(),
		Source:   d.str(),
		Hint:     d.str(),
		Notes:    list(d, func() diag.Note { return diag.Note{Pos: d.pos(), Message: d.str()} }),
	}
}

func (e *encoder) reference(r model.Reference) {
	e.pos(r.Pos)
	e.str(r.Name)
	e.str(r.Path)
	e.pos(r.PathPos)
	e.str(r.Type)
}
func (d *decoder) reference() model.Reference {
	return model.Reference{Pos: d.pos(), Name: d.str(), Path: d.str(), PathPos: d.pos(), Type: d.str()}
}

func (e *encoder) component(c *model.Component) {
	e.pos(c.Pos)
	e.str(c.File)
	e.str(c.Dir)
	e.str(c.Key)
	e.pos(c.KeyPos)
	e.str(c.Name)
	e.str(c.System)
	e.str(c.SchemaVersion)
	e.str(c.ResponsibleRole)
	e.bool(c.DocumentationComplete)
	putList(e, c.References, e.reference)
	putList(e, c.Verifications, func(v model.Verification) {
		e.pos(v.Pos)
		e.str(v.Key)
		e.str(v.Name)
		e.str(v.Path)
		e.str(v.Type)
		e.str(v.Description)
		e.bool(v.TestPassed != nil)
		if v.TestPassed != nil {
			e.bool(*v.TestPassed)
		}
		e.str(v.LastRun)
		e.pos(v.PathPos)
		e.pos(v.TestPassedPos)
		e.pos(v.LastRunPos)
	})
	// the satisfactions, preceded by the total length of each kind of list
	// in them, so that the decoder allocates each kind once per component
	var totals [6]int
	for _, s := range c.Satisfies {
		totals[0] += len(s.Narratives)
		totals[1] += len(s.Statuses)
		totals[2] += len(s.Origins)
		totals[3] += len(s.Parameters)
		totals[4] += len(s.CoveredBy)
		totals[5] += len(s.References)
	}
	e.uint(uint64(len(c.Satisfies)))
	for _, n := range totals {
		e.uint(uint64(n))
	}
	for _, s := range c.Satisfies {
		e.satisfaction(s)
	}
}

func (d *decoder) component() *model.Component {
	c := &model.Component{
		Pos: d.pos(), File: d.str(), Dir: d.str(), Key: d.str(), KeyPos: d.pos(), Name: d.str(), System: d.str(),
		SchemaVersion: d.str(), ResponsibleRole: d.str(), DocumentationComplete: d.bool(),
	}
	c.References = list(d, d.reference)
	c.Verifications = list(d, func() model.Verification {
		v := model.Verification{Pos: d.pos(), Key: d.str(), Name: d.str(), Path: d.str(), Type: d.str(), Description: d.str()}
		if d.bool() {
			b := d.bool()
			v.TestPassed = &b
		}
		v.LastRun = d.str()
		v.PathPos, v.TestPassedPos, v.LastRunPos = d.pos(), d.pos(), d.pos()
		return v
	})
	if n := d.count(); n > 0 && d.err == nil {
		var sl satSlabs
		sl.narratives = newSlab[model.Narrative](d)
		sl.statuses = newSlab[model.StatusValue](d)
		sl.origins = newSlab[model.Origin](d)
		sl.parameters = newSlab[model.Parameter](d)
		sl.coveredBy = newSlab[model.CoveredBy](d)
		sl.references = newSlab[model.Reference](d)
		sats := make([]model.Satisfaction, n)
		c.Satisfies = make([]*model.Satisfaction, n)
		for i := range sats {
			d.satisfaction(&sats[i], &sl)
			c.Satisfies[i] = &sats[i]
		}
		if len(sl.narratives.free)+len(sl.statuses.free)+len(sl.origins.free)+len(sl.parameters.free)+
			len(sl.coveredBy.free)+len(sl.references.free) != 0 {
			d.fail()
		}
	}
	return c
}

// slab hands out consecutive parts of one allocation: a component's
// thousands of short lists cost one allocation per kind of list, not one
// each.
type slab[T any] struct{ free []T }

// newSlab reads the total length of the lists to come and allocates it.
func newSlab[T any](d *decoder) slab[T] {
	n := d.count()
	if n == 0 || d.err != nil {
		return slab[T]{}
	}
	return slab[T]{make([]T, n)}
}

// listIn is list, taking the items' space from s. A list is capped at its
// length, so appending to it never overwrites the next one.
func listIn[T any](d *decoder, s *slab[T], f func() T) []T {
	n := d.count()
	if n == 0 || d.err != nil {
		return nil
	}
	if n > len(s.free) {
		d.fail()
		return nil
	}
	out := s.free[:n:n]
	s.free = s.free[n:]
	for i := range out {
		out[i] = f()
	}
	return out
}

// satSlabs are the slabs of one component's satisfactions.
type satSlabs struct {
	narratives slab[model.Narrative]
	statuses   slab[model.StatusValue]
	origins    slab[model.Origin]
	parameters slab[model.Parameter]
	coveredBy  slab[model.CoveredBy]
	references slab[model.Reference]
}

func (e *encoder) satisfaction(s *model.Satisfaction) {
	e.pos(s.Pos)
	e.str(s.Component)
	e.str(s.StandardKey)
	e.pos(s.StandardPos)
	e.str(s.ControlKey)
	e.pos(s.ControlPos)
	putList(e, s.Narratives, func(n model.Narrative) { e.pos(n.Pos); e.str(n.Key); e.str(n.Text) })
	putList(e, s.Statuses, func(v model.StatusValue) { e.pos(v.Pos); e.str(v.Raw); e.int(int(v.Status)) })
	putList(e, s.Origins, func(o model.Origin) { e.pos(o.Pos); e.str(o.Value) })
	putList(e, s.Parameters, func(p model.Parameter) { e.pos(p.Pos); e.str(p.Key); e.str(p.Text) })
	putList(e, s.CoveredBy, func(c model.CoveredBy) {
		e.pos(c.Pos)
		e.str(c.SystemKey)
		e.str(c.ComponentKey)
		e.str(c.VerificationKey)
	})
	putList(e, s.References, e.reference)
}

func (d *decoder) satisfaction(s *model.Satisfaction, sl *satSlabs) {
	*s = model.Satisfaction{Pos: d.pos(), Component: d.str(), StandardKey: d.str(), StandardPos: d.pos(), ControlKey: d.str(), ControlPos: d.pos()}
	s.Narratives = listIn(d, &sl.narratives, func() model.Narrative { return model.Narrative{Pos: d.pos(), Key: d.str(), Text: d.str()} })
	s.Statuses = listIn(d, &sl.statuses, func() model.StatusValue {
		return model.StatusValue{Pos: d.pos(), Raw: d.str(), Status: model.Status(d.int())}
	})
	s.Origins = listIn(d, &sl.origins, func() model.Origin { return model.Origin{Pos: d.pos(), Value: d.str()} })
	s.Parameters = listIn(d, &sl.parameters, func() model.Parameter { return model.Parameter{Pos: d.pos(), Key: d.str(), Text: d.str()} })
	s.CoveredBy = listIn(d, &sl.coveredBy, func() model.CoveredBy {
		return model.CoveredBy{Pos: d.pos(), SystemKey: d.str(), ComponentKey: d.str(), VerificationKey: d.str()}
	})
	s.References = listIn(d, &sl.references, d.reference)
}

func (e *encoder) standard(s *model.Standard) {
	e.pos(s.Pos)
	e.str(s.File)
	e.str(s.Name)
	e.bool(s.Families != nil)
	if s.Families != nil {
		// map order is random: write the pairs sorted, so entries are stable
		keys := make([]string, 0, len(s.Families))
		for k := range s.Families {
			keys = append(keys, k)
		}
		slices.Sort(keys)
		putList(e, keys, func(k string) { e.str(k); e.str(s.Families[k]) })
	}
	putList(e, s.Controls, func(c *model.Control) {
		e.pos(c.Pos)
		e.str(c.Standard)
		e.str(c.ID)
		e.str(c.Family)
		e.str(c.Name)
		e.str(c.Description)
	})
}

func (d *decoder) standard() *model.Standard {
	s := &model.Standard{Pos: d.pos(), File: d.str(), Name: d.str()}
	if d.bool() {
		n := d.count()
		s.Families = make(map[string]string, n)
		for range n {
			k := d.str()
			s.Families[k] = d.str()
		}
	}
	// the controls live in one array, as a component's satisfactions do
	if n := d.count(); n > 0 && d.err == nil {
		controls := make([]model.Control, n)
		s.Controls = make([]*model.Control, n)
		for i := range controls {
			controls[i] = model.Control{Pos: d.pos(), Standard: d.str(), ID: d.str(), Family: d.str(), Name: d.str(), Description: d.str()}
			s.Controls[i] = &controls[i]
		}
	}
	return s
}

func (e *encoder) certification(c *model.Certification) {
	e.pos(c.Pos)
	e.str(c.File)
	e.str(c.Name)
	putList(e, c.Controls, func(x model.CertControl) { e.pos(x.Pos); e.str(x.Standard); e.str(x.Control) })
}

func (d *decoder) certification() *model.Certification {
	c := &model.Certification{Pos: d.pos(), File: d.str(), Name: d.str()}
	c.Controls = list(d, func() model.CertControl {
		return model.CertControl{Pos: d.pos(), Standard: d.str(), Control: d.str()}
	})
	return c
}

func (e *encoder) document(x *model.Document) {
	e.pos(x.Pos)
	e.str(x.File)
	e.str(x.ID)
	e.str(x.Title)
	e.str(x.Kind)
	e.str(x.Owner)
	e.strs(x.Approvers)
	e.str(x.Status)
	e.time(x.Effective)
	e.str(x.ReviewCycle)
	e.time(x.LastReviewed)
	putList(e, x.Satisfies, func(c model.Claim) { e.pos(c.Pos); e.str(c.Standard); e.str(c.Control) })
	e.str(x.Description)
	e.str(x.Body)
	e.int(x.BodyLine)
	e.bool(x.FieldPos != nil)
	if x.FieldPos != nil {
		keys := make([]string, 0, len(x.FieldPos))
		for k := range x.FieldPos {
			keys = append(keys, k)
		}
		slices.Sort(keys)
		putList(e, keys, func(k string) { e.str(k); e.pos(x.FieldPos[k]) })
	}
}

func (d *decoder) document() *model.Document {
	x := &model.Document{Pos: d.pos(), File: d.str(), ID: d.str(), Title: d.str(), Kind: d.str(), Owner: d.str(),
		Approvers: d.strs(), Status: d.str(), Effective: d.time(), ReviewCycle: d.str(), LastReviewed: d.time()}
	x.Satisfies = list(d, func() model.Claim { return model.Claim{Pos: d.pos(), Standard: d.str(), Control: d.str()} })
	x.Description = d.str()
	x.Body = d.str()
	x.BodyLine = d.int()
	if d.bool() {
		n := d.count()
		x.FieldPos = make(map[string]diag.Pos, n)
		for range n {
			k := d.str()
			x.FieldPos[k] = d.pos()
		}
	}
	return x
}
