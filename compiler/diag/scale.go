package diag

import (
	"cmp"
	"fmt"
	"slices"
	"strings"
)

// Summary is the closing line of a text report: the totals, then how many
// findings each code has, errors' codes first, each group by code:
//
//	3 errors, 12 warnings: OC201 ×1, OC203 ×2, OC104 ×12
func (l List) Summary() string {
	e, w := l.Count()
	head := fmt.Sprintf("%s, %s", plural(e, "error"), plural(w, "warning"))
	if len(l) == 0 {
		return head
	}
	type tally struct {
		code  Code
		worst Severity
		n     int
	}
	by := map[Code]*tally{}
	for _, d := range l {
		t := by[d.Code]
		if t == nil {
			t = &tally{code: d.Code}
			by[d.Code] = t
		}
		t.n++
		t.worst = max(t.worst, d.Severity)
	}
	ts := make([]*tally, 0, len(by))
	for _, t := range by {
		ts = append(ts, t)
	}
	slices.SortFunc(ts, func(a, b *tally) int {
		if c := cmp.Compare(b.worst, a.worst); c != 0 {
			return c
		}
		return cmp.Compare(a.code, b.code)
	})
	parts := make([]string, len(ts))
	for i, t := range ts {
		parts[i] = fmt.Sprintf("%s ×%d", t.code, t.n)
	}
	return head + ": " + strings.Join(parts, ", ")
}

func plural(n int, noun string) string {
	if n == 1 {
		return "1 " + noun
	}
	return fmt.Sprintf("%d %ss", n, noun)
}

// Reclassify returns l with the severities set gives its codes; a code set
// Off is dropped. The second result counts the dropped diagnostics.
func (l List) Reclassify(set map[Code]Severity) (List, int) {
	if len(set) == 0 {
		return l, 0
	}
	out := make(List, 0, len(l))
	off := 0
	for _, d := range l {
		if s, ok := set[d.Code]; ok {
			if s == Off {
				off++
				continue
			}
			d.Severity = s
		}
		out = append(out, d)
	}
	return out, off
}

// MarkDependencies marks the diagnostics whose file lies under dir (a
// workspace-relative directory, such as the fetched dependencies') as a
// dependency's.
func (l List) MarkDependencies(dir string) {
	prefix := strings.TrimSuffix(dir, "/") + "/"
	for i := range l {
		if strings.HasPrefix(strings.TrimPrefix(l[i].Pos.File, "./"), prefix) {
			l[i].Dependency = true
		}
	}
}

// Split separates the repository's own findings from its dependencies'.
func (l List) Split() (own, deps List) {
	for _, d := range l {
		if d.Dependency {
			deps = append(deps, d)
		} else {
			own = append(own, d)
		}
	}
	return own, deps
}

// Fingerprints returns the fingerprint of every diagnostic of l, in order:
// Fingerprint's hash, with ":2", ":3"… on the second and later findings
// that share one, so that each finding of a list has its own. SARIF's
// partial fingerprints and baselines are these.
func Fingerprints(l List, prefix string) []string {
	out := make([]string, len(l))
	seen := make(map[string]int, len(l))
	for i, d := range l {
		fp := Fingerprint(d, prefix)
		seen[fp]++
		if n := seen[fp]; n > 1 { // the same finding again in one file
			fp = fmt.Sprintf("%s:%d", fp, n)
		}
		out[i] = fp
	}
	return out
}
