package coverage

import (
	"io"
	"slices"
	"strconv"

	"github.com/charter-compliance/charter/compiler/model"
	"github.com/charter-compliance/charter/internal/jsonstr"
)

// WriteJSONCertifications writes the selection's certifications as the JSON
// array JSONCertifications gives, byte for byte as encoding/json writes it
// with two-space indentation when the array is a value depth levels deep in
// an indented document (depth 0 for a document of its own; no newline
// after). It streams: a large program's report is megabytes, which
// encoding/json would build twice in memory (compact, then indented) from
// values allocated for the purpose.
func WriteJSONCertifications(w io.Writer, r *Report, sel Selection, depth int) error {
	j := &jsonWriter{w: w, buf: make([]byte, 0, 64<<10)}
	certs := sel.pick(r)
	if len(certs) == 0 {
		j.raw("[]")
		return j.flush()
	}
	names := make([]string, len(model.AllStatuses)) // the counts' keys, sorted as a map's
	for i, st := range model.AllStatuses {
		names[i] = st.String()
	}
	order := make([]int, len(names))
	for i := range order {
		order[i] = i
	}
	slices.SortFunc(order, func(a, b int) int {
		switch {
		case names[a] < names[b]:
			return -1
		case names[a] > names[b]:
			return 1
		}
		return 0
	})

	j.raw("[")
	for i, c := range certs {
		j.item(i, depth+1)
		j.raw("{")
		j.key(depth+2, "name", true)
		j.str(c.Cert.Name)
		j.key(depth+2, "gate", false)
		j.bool(sel.Gated[c.Cert.Name])
		j.key(depth+2, "total", false)
		j.int(c.Total())
		j.key(depth+2, "satisfied", false)
		j.int(c.Satisfied())
		j.key(depth+2, "not_applicable", false)
		j.int(c.NotApplicable())
		j.key(depth+2, "open_claims", false)
		j.int(c.Open)
		j.key(depth+2, "complete", false)
		j.bool(c.Complete())
		j.key(depth+2, "counts", false)
		if len(order) == 0 {
			j.raw("{}")
		} else {
			j.raw("{")
			for k, o := range order {
				j.key(depth+3, names[o], k == 0)
				j.int(c.Counts[model.AllStatuses[o]])
			}
			j.end(depth+2, '}')
		}
		j.key(depth+2, "gaps", false)
		gaps := 0
		for _, v := range c.Verdicts {
			if v.Status.Done() {
				continue
			}
			if gaps == 0 {
				j.raw("[")
			}
			j.item(gaps, depth+3)
			j.buf = jsonstr.Append(j.buf, v.Standard+" "+v.ID)
			gaps++
		}
		if gaps == 0 {
			j.raw("[]")
		} else {
			j.end(depth+2, ']')
		}
		j.key(depth+2, "controls", false)
		if len(c.Verdicts) == 0 {
			j.raw("null") // JSONCertifications leaves the list nil
		} else {
			j.raw("[")
			for k, v := range c.Verdicts {
				j.item(k, depth+3)
				j.verdict(v, depth+3)
				if err := j.maybeFlush(); err != nil {
					return err
				}
			}
			j.end(depth+2, ']')
		}
		j.end(depth+1, '}')
	}
	j.end(depth, ']')
	return j.flush()
}

// verdict writes one element of a certification's controls.
func (j *jsonWriter) verdict(v *Verdict, depth int) {
	j.raw("{")
	j.key(depth+1, "standard", true)
	j.str(v.Standard)
	j.key(depth+1, "control", false)
	j.str(v.ID)
	if v.Control != nil && v.Control.Name != "" {
		j.key(depth+1, "title", false)
		j.str(v.Control.Name)
	}
	j.key(depth+1, "status", false)
	j.str(v.Status.String())
	if v.Open > 0 {
		j.key(depth+1, "open_claims", false)
		j.int(v.Open)
	}
	j.key(depth+1, "evidence", false)
	if len(v.Evidence) == 0 {
		j.raw("[]")
	} else {
		j.raw("[")
		for i, e := range v.Evidence {
			j.item(i, depth+2)
			j.evidence(e, depth+2)
		}
		j.end(depth+1, ']')
	}
	j.end(depth, '}')
}

// evidence writes one piece of evidence, the fields of jsonEvidence.
func (j *jsonWriter) evidence(e Evidence, depth int) {
	j.raw("{")
	j.key(depth+1, "kind", true)
	j.str(string(e.Kind))
	j.key(depth+1, "status", false)
	j.str(e.Status.String())
	if e.Kind == FromComponent {
		s := e.Satisfaction
		if e.Component.Key != "" {
			j.key(depth+1, "component", false)
			j.str(e.Component.Key)
		}
		j.key(depth+1, "file", false)
		j.str(s.Pos.File)
		if s.Pos.Line != 0 {
			j.key(depth+1, "line", false)
			j.int(s.Pos.Line)
		}
		j.strList(depth+1, "narrative_keys", len(s.Narratives), func(i int) string { return s.Narratives[i].Key })
		j.strList(depth+1, "implementation_statuses", len(s.Statuses), func(i int) string { return s.Statuses[i].Raw })
		j.strList(depth+1, "control_origins", len(s.Origins), func(i int) string { return s.Origins[i].Value })
	} else {
		if e.Document.ID != "" {
			j.key(depth+1, "document", false)
			j.str(e.Document.ID)
		}
		j.key(depth+1, "file", false)
		j.str(e.Document.File)
	}
	j.key(depth+1, "reason", false)
	j.str(e.Reason)
	j.end(depth, '}')
}

// jsonWriter writes indented JSON into a buffer it flushes to w.
type jsonWriter struct {
	w   io.Writer
	buf []byte
	err error
}

// strList writes the key name and a list of n strings, item(i) each, at
// depth; nothing when the list is empty (encoding/json's omitempty).
func (j *jsonWriter) strList(depth int, name string, n int, item func(i int) string) {
	if n == 0 {
		return
	}
	j.key(depth, name, false)
	j.raw("[")
	for i := range n {
		j.item(i, depth+1)
		j.str(item(i))
	}
	j.end(depth, ']')
}

func (j *jsonWriter) raw(s string) { j.buf = append(j.buf, s...) }
func (j *jsonWriter) str(s string) { j.buf = jsonstr.Append(j.buf, s) }
func (j *jsonWriter) int(n int)    { j.buf = strconv.AppendInt(j.buf, int64(n), 10) }
func (j *jsonWriter) bool(b bool)  { j.buf = strconv.AppendBool(j.buf, b) }

// newline starts a line indented depth levels.
func (j *jsonWriter) newline(depth int) {
	j.buf = append(j.buf, '\n')
	for range depth {
		j.buf = append(j.buf, ' ', ' ')
	}
}

// item starts the i-th element of an array whose elements are depth levels
// deep.
func (j *jsonWriter) item(i, depth int) {
	if i > 0 {
		j.buf = append(j.buf, ',')
	}
	j.newline(depth)
}

// key starts a member of an object whose members are depth levels deep.
func (j *jsonWriter) key(depth int, name string, first bool) {
	if !first {
		j.buf = append(j.buf, ',')
	}
	j.newline(depth)
	j.buf = jsonstr.Append(j.buf, name)
	j.buf = append(j.buf, ':', ' ')
}

// end closes a non-empty object or array that is depth levels deep.
func (j *jsonWriter) end(depth int, c byte) {
	j.newline(depth)
	j.buf = append(j.buf, c)
}

func (j *jsonWriter) maybeFlush() error {
	if len(j.buf) >= 48<<10 {
		return j.flush()
	}
	return nil
}

func (j *jsonWriter) flush() error {
	if j.err == nil && len(j.buf) > 0 {
		_, j.err = j.w.Write(j.buf)
	}
	j.buf = j.buf[:0]
	return j.err
}
