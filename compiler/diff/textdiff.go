package diff

import (
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

// maxEdits bounds the work of the diff: past this many edits two texts are
// treated as rewritten (everything between their common start and end is
// deleted and inserted), which keeps time and memory bounded on any input.
const maxEdits = 1000

// script compares two token sequences and returns, for each, which tokens
// are kept: the edit script of Myers' O(ND) algorithm (shortest, and with
// deletions before insertions), after trimming the common start and end.
func script(a, b []string) (keepA, keepB []bool) {
	keepA, keepB = make([]bool, len(a)), make([]bool, len(b))
	pre := 0
	for pre < len(a) && pre < len(b) && a[pre] == b[pre] {
		keepA[pre], keepB[pre] = true, true
		pre++
	}
	suf := 0
	for suf < len(a)-pre && suf < len(b)-pre && a[len(a)-1-suf] == b[len(b)-1-suf] {
		keepA[len(a)-1-suf], keepB[len(b)-1-suf] = true, true
		suf++
	}
	x0, y0 := a[pre:len(a)-suf], b[pre:len(b)-suf]
	n, m := len(x0), len(y0)
	if n == 0 || m == 0 {
		return
	}
	limit := min(n+m, maxEdits)
	off := limit + 1
	v := make([]int, 2*limit+3)
	var trace [][]int
	for d := 0; d <= limit; d++ {
		for k := -d; k <= d; k += 2 {
			var x int
			if k == -d || (k != d && v[off+k-1] < v[off+k+1]) {
				x = v[off+k+1]
			} else {
				x = v[off+k-1] + 1
			}
			y := x - k
			for x < n && y < m && x0[x] == y0[y] {
				x++
				y++
			}
			v[off+k] = x
			if x >= n && y >= m {
				trace = append(trace, append([]int(nil), v[off-d:off+d+1]...))
				backtrack(trace, n, m, keepA[pre:], keepB[pre:])
				return
			}
		}
		trace = append(trace, append([]int(nil), v[off-d:off+d+1]...))
	}
	return // too different: keep only the common start and end
}

// backtrack walks the saved frontiers from the end and marks the diagonal
// moves (kept tokens).
func backtrack(trace [][]int, n, m int, keepA, keepB []bool) {
	x, y := n, m
	for d := len(trace) - 1; d > 0; d-- {
		prev := trace[d-1] // frontier after d-1 edits, indexed k+(d-1)
		at := func(k int) int { return prev[k+d-1] }
		k := x - y
		var pk int
		if k == -d || (k != d && at(k-1) < at(k+1)) {
			pk = k + 1 // came down: an insertion
		} else {
			pk = k - 1 // came right: a deletion
		}
		px := at(pk)
		py := px - pk
		// the snake after the edit
		sx, sy := px, py
		if pk == k+1 {
			sy++
		} else {
			sx++
		}
		for x > sx && y > sy {
			x--
			y--
			keepA[x], keepB[y] = true, true
		}
		x, y = px, py
	}
	for x > 0 && y > 0 {
		x--
		y--
		keepA[x], keepB[y] = true, true
	}
}

// Words compares two texts word by word. The result, read in order, spells
// the old text from its Equal and Delete segments and the new text from its
// Equal and Insert segments. Whitespace between two changes is folded into
// them, so a rewritten phrase shows as one deletion and one insertion.
func Words(a, b string) []Segment {
	ta, tb := tokens(a), tokens(b)
	keepA, keepB := script(ta, tb)
	var segs []Segment
	add := func(op Op, s string) {
		if n := len(segs); n > 0 && segs[n-1].Op == op {
			segs[n-1].Text += s
			return
		}
		segs = append(segs, Segment{op, s})
	}
	i, j := 0, 0
	for i < len(ta) || j < len(tb) {
		switch {
		case i < len(ta) && !keepA[i]:
			add(Delete, ta[i])
			i++
		case j < len(tb) && !keepB[j]:
			add(Insert, tb[j])
			j++
		default:
			add(Equal, ta[i])
			i++
			j++
		}
	}
	return regroup(segs)
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
	keepA, keepB := script(la, lb)
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
