package diff

import (
	"math"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Op is one kind of edit.
type Op string

const (
	Equal  Op = "="
	Delete Op = "-"
	Insert Op = "+"
)

// Segment is a run of text that is kept, deleted or inserted.
type Segment struct {
	Op   Op     `json:"op"`
	Text string `json:"text"`
}

// Line is one line of a hunk.
type Line struct {
	Op   Op     `json:"op"`
	Text string `json:"text"`
}

// Hunk is a group of changed lines with context, as in a unified diff.
// Line numbers are 1-based and refer to the whole file.
type Hunk struct {
	FromLine  int    `json:"from_line"`
	FromCount int    `json:"from_count"`
	ToLine    int    `json:"to_line"`
	ToCount   int    `json:"to_count"`
	Lines     []Line `json:"lines"`
}

// Header is the hunk's "@@ -a,b +c,d @@" line.
func (h Hunk) Header() string {
	return "@@ -" + span(h.FromLine, h.FromCount) + " +" + span(h.ToLine, h.ToCount) + " @@"
}

func span(line, count int) string {
	if count == 1 {
		return strconv.Itoa(line)
	}
	return strconv.Itoa(line) + "," + strconv.Itoa(count)
}

// The work of one comparison is bounded: the diagonals visited and tokens
// compared by the edit-script search, which does O((N+M)·D) of them for D
// edits, at about 10 ns each. A 200,000-word narrative (800,000 tokens
// with the spaces) with a few dozen changed words needs a few million; a
// rewritten one would need about 10^11 and stops at the word budget, then
// at the line budget, within a second.
const (
	wordWork = 40_000_000
	lineWork = 10_000_000
)

// script compares two token sequences and returns, for each, which tokens
// are kept: the edit script of Myers' O(ND) algorithm in its linear-space
// form, after trimming the common start and end. ok is false when the
// comparison would take more than work; then only the common start and
// end are kept.
func script(a, b []string, work int) (keepA, keepB []bool, ok bool) {
	// compare small integers, not strings: one id per distinct token
	ids := map[string]int32{}
	intern := func(toks []string) []int32 {
		out := make([]int32, len(toks))
		for i, t := range toks {
			id, seen := ids[t]
			if !seen {
				id = int32(len(ids))
				ids[t] = id
			}
			out[i] = id
		}
		return out
	}
	m := &myers{a: intern(a), b: intern(b), keepA: make([]bool, len(a)), keepB: make([]bool, len(b)), work: work}
	if size := len(a) + len(b) + 4; size <= work {
		m.fwd, m.rev = make([]int, size), make([]int, size)
		if m.compare(0, len(a), 0, len(b)) {
			return m.keepA, m.keepB, true
		}
	}
	// too different: keep only the common start and end
	clear(m.keepA)
	clear(m.keepB)
	m.work = math.MaxInt
	m.trim(0, len(a), 0, len(b))
	return m.keepA, m.keepB, false
}

// myers holds one comparison: the sequences, what is kept so far, the two
// frontiers of the middle search (reused at every level) and the work
// left.
type myers struct {
	a, b         []int32
	keepA, keepB []bool
	fwd, rev     []int
	work         int
}

// trim marks the common start and end of a[a0:a1] and b[b0:b1] kept and
// returns what lies between.
func (m *myers) trim(a0, a1, b0, b1 int) (int, int, int, int) {
	for a0 < a1 && b0 < b1 && m.a[a0] == m.b[b0] {
		m.keepA[a0], m.keepB[b0] = true, true
		a0, b0 = a0+1, b0+1
	}
	for a0 < a1 && b0 < b1 && m.a[a1-1] == m.b[b1-1] {
		a1, b1 = a1-1, b1-1
		m.keepA[a1], m.keepB[b1] = true, true
	}
	return a0, a1, b0, b1
}

// compare finds a shortest edit script of a[a0:a1] into b[b0:b1]: it cuts
// the problem at a point of a shortest path found by searching from both
// ends at once, and solves the halves. It reports false when out of work.
func (m *myers) compare(a0, a1, b0, b1 int) bool {
	a0, a1, b0, b1 = m.trim(a0, a1, b0, b1)
	if a0 == a1 || b0 == b1 {
		return true // only deletions or only insertions
	}
	x, y, split, ok := m.middle(a0, a1, b0, b1)
	if !ok {
		return false
	}
	if !split {
		return true // nothing in common: all deleted and inserted
	}
	return m.compare(a0, x, b0, y) && m.compare(x, a1, y, b1)
}

// middle returns a point (x, y) on a shortest edit path of a[a0:a1] into
// b[b0:b1], both non-empty and differing in their first and last tokens.
//
// Diagonal k holds the points with x-y = k, counted from (a0, b0) for the
// search from the start and from (a1, b1) backwards for the search from
// the end, where forward diagonal k is backward diagonal delta-k. fwd[k]
// is how far along k a path with d edits gets from the start, rev[k] the
// same from the end. The first d at which the two frontiers overlap on a
// diagonal gives the length of a shortest path, and the forward point
// there lies on one (Myers 1986, "An O(ND) difference algorithm", lemma
// 3). The overlap is checked after the forward step when delta is odd and
// after the backward one when it is even. A frontier that leaves the
// rectangle narrows the diagonals searched from then on.
func (m *myers) middle(a0, a1, b0, b1 int) (x, y int, split, ok bool) {
	n, mm := a1-a0, b1-b0
	delta := n - mm
	odd := delta%2 != 0
	maxD := (n + mm + 1) / 2
	off := maxD + 1
	size := 2*maxD + 3
	fwd, rev := m.fwd[:size], m.rev[:size]
	for i := range fwd {
		fwd[i], rev[i] = -1, -1
	}
	m.work -= size
	fwd[off+1], rev[off+1] = 0, 0
	// diagonals skipped at the low and high end of each search
	fLo, fHi, rLo, rHi := 0, 0, 0, 0
	for d := 0; d < maxD; d++ {
		if m.work < 0 {
			return 0, 0, false, false
		}
		for k := -d + fLo; k <= d-fHi; k += 2 {
			i := off + k
			px := fwd[i-1] + 1 // right from k-1: a deletion
			if k == -d || (k != d && fwd[i-1] < fwd[i+1]) {
				px = fwd[i+1] // down from k+1: an insertion
			}
			px0 := px
			py := px - k
			for px < n && py < mm && m.a[a0+px] == m.b[b0+py] {
				px, py = px+1, py+1
			}
			fwd[i] = px
			m.work -= 1 + px - px0
			switch {
			case px > n:
				fHi += 2 // off the right edge
			case py > mm:
				fLo += 2 // off the bottom edge
			case odd:
				if j := off + delta - k; j >= 0 && j < size && rev[j] != -1 && px >= n-rev[j] {
					return a0 + px, b0 + py, true, true
				}
			}
		}
		for k := -d + rLo; k <= d-rHi; k += 2 {
			i := off + k
			px := rev[i-1] + 1
			if k == -d || (k != d && rev[i-1] < rev[i+1]) {
				px = rev[i+1]
			}
			px0 := px
			py := px - k
			for px < n && py < mm && m.a[a1-1-px] == m.b[b1-1-py] {
				px, py = px+1, py+1
			}
			rev[i] = px
			m.work -= 1 + px - px0
			switch {
			case px > n:
				rHi += 2
			case py > mm:
				rLo += 2
			case !odd:
				if j := off + delta - k; j >= 0 && j < size && fwd[j] != -1 && fwd[j] >= n-px {
					fx := fwd[j]
					return a0 + fx, b0 + fx - (delta - k), true, true
				}
			}
		}
	}
	return 0, 0, false, true
}

// Words compares two texts word by word. The result, read in order, spells
// the old text from its Equal and Delete segments and the new text from its
// Equal and Insert segments. Whitespace between two changes is folded into
// them, so a rewritten phrase shows as one deletion and one insertion.
//
// Texts too different to compare word by word within wordWork (a rewritten
// long narrative) are compared line by line instead, and byLine says so;
// past that too, everything between their common first and last lines is
// one deletion and one insertion.
func Words(a, b string) (segs []Segment, byLine bool) {
	ta, tb := tokens(a), tokens(b)
	keepA, keepB, ok := script(ta, tb, wordWork)
	if !ok {
		ta, tb = lineTokens(a), lineTokens(b)
		keepA, keepB, _ = script(ta, tb, lineWork)
		byLine = true
	}
	// tokens are consecutive substrings of their text, so a run of one
	// kind of edit is one substring: track its byte span
	var pa, pb int // byte offsets of ta[i] and tb[j]
	add := func(op Op, text string, at, n int) {
		if k := len(segs); k > 0 && segs[k-1].Op == op {
			segs[k-1].Text = text[at-len(segs[k-1].Text) : at+n]
			return
		}
		segs = append(segs, Segment{op, text[at : at+n]})
	}
	i, j := 0, 0
	for i < len(ta) || j < len(tb) {
		switch {
		case i < len(ta) && !keepA[i]:
			add(Delete, a, pa, len(ta[i]))
			pa += len(ta[i])
			i++
		case j < len(tb) && !keepB[j]:
			add(Insert, b, pb, len(tb[j]))
			pb += len(tb[j])
			j++
		default:
			add(Equal, a, pa, len(ta[i]))
			pa += len(ta[i])
			pb += len(tb[j])
			i++
			j++
		}
	}
	return regroup(segs), byLine
}

// lineTokens splits text into lines, each with its line end.
func lineTokens(s string) []string {
	lines := strings.SplitAfter(s, "\n")
	if lines[len(lines)-1] == "" {
		lines = lines[:len(lines)-1]
	}
	return lines
}

// regroup folds whitespace-only Equal segments lying between changes into
// the changes, and orders each run of changes as one deletion then one
// insertion.
func regroup(segs []Segment) []Segment {
	var out []Segment
	i := 0
	for i < len(segs) {
		if segs[i].Op == Equal {
			out = append(out, segs[i])
			i++
			continue
		}
		j := i
		for j < len(segs) {
			if s := segs[j]; s.Op == Equal && (strings.TrimSpace(s.Text) != "" || j+1 >= len(segs)) {
				break
			}
			j++
		}
		var del, ins strings.Builder
		for _, s := range segs[i:j] {
			if s.Op != Insert {
				del.WriteString(s.Text)
			}
			if s.Op != Delete {
				ins.WriteString(s.Text)
			}
		}
		if del.Len() > 0 {
			out = append(out, Segment{Delete, del.String()})
		}
		if ins.Len() > 0 {
			out = append(out, Segment{Insert, ins.String()})
		}
		i = j
	}
	return out
}

// tokens splits text into words (letters, digits and marks), runs of
// whitespace, and single other characters.
func tokens(s string) []string {
	var out []string
	for len(s) > 0 {
		r, n := utf8.DecodeRuneInString(s)
		end := n
		switch {
		case isWord(r):
			for end < len(s) {
				r, n := utf8.DecodeRuneInString(s[end:])
				if !isWord(r) {
					break
				}
				end += n
			}
		case unicode.IsSpace(r):
			for end < len(s) {
				r, n := utf8.DecodeRuneInString(s[end:])
				if !unicode.IsSpace(r) {
					break
				}
				end += n
			}
		}
		out = append(out, s[:end])
		s = s[end:]
	}
	return out
}

func isWord(r rune) bool {
	return unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.IsMark(r) || r == '_'
}

// splitLines splits text into lines without their line ends. A final line
// end does not start another line.
func splitLines(s string) []string {
	if s == "" {
		return nil
	}
	lines := strings.Split(strings.TrimSuffix(s, "\n"), "\n")
	for i, l := range lines {
		lines[i] = strings.TrimSuffix(l, "\r")
	}
	return lines
}

// Lines compares two texts line by line and returns hunks with context
// lines of unchanged text around each change. firstA and firstB are the file
// line numbers of the texts' first lines.
func Lines(a, b string, firstA, firstB, context int) []Hunk {
	la, lb := splitLines(a), splitLines(b)
	keepA, keepB, _ := script(la, lb, wordWork) // past it: one change between the common start and end
	// the edit script as one sequence of lines
	type edit struct {
		op   Op
		text string
		ai   int // index in a (for Equal and Delete)
		bi   int // index in b (for Equal and Insert)
	}
	var edits []edit
	i, j := 0, 0
	for i < len(la) || j < len(lb) {
		switch {
		case i < len(la) && !keepA[i]:
			edits = append(edits, edit{Delete, la[i], i, j})
			i++
		case j < len(lb) && !keepB[j]:
			edits = append(edits, edit{Insert, lb[j], i, j})
			j++
		default:
			edits = append(edits, edit{Equal, la[i], i, j})
			i++
			j++
		}
	}
	var hunks []Hunk
	for k := 0; k < len(edits); {
		if edits[k].op == Equal {
			k++
			continue
		}
		// a hunk starts context lines before the change and runs until
		// more than 2*context unchanged lines follow a change
		start := max(k-context, 0)
		end := k
		for end < len(edits) {
			if edits[end].op != Equal {
				end++
				continue
			}
			run := end
			for run < len(edits) && edits[run].op == Equal {
				run++
			}
			if run == len(edits) || run-end > 2*context {
				end = min(end+context, len(edits))
				break
			}
			end = run
		}
		h := Hunk{FromLine: firstA + edits[start].ai, ToLine: firstB + edits[start].bi}
		for _, e := range edits[start:end] {
			h.Lines = append(h.Lines, Line{e.op, e.text})
			if e.op != Insert {
				h.FromCount++
			}
			if e.op != Delete {
				h.ToCount++
			}
		}
		// as in unified diffs, an empty side names the line before it
		if h.FromCount == 0 {
			h.FromLine--
		}
		if h.ToCount == 0 {
			h.ToLine--
		}
		hunks = append(hunks, h)
		k = end
	}
	return hunks
}
