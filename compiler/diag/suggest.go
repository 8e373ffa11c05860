package diag

import "fmt"

// Suggest returns the candidate closest to word when it is close enough to
// be a likely misspelling, or "".
func Suggest(word string, candidates []string) string {
	best, bestDist := "", 1<<30
	for _, c := range candidates {
		d := distance(word, c)
		if d < bestDist || (d == bestDist && c < best) {
			best, bestDist = c, d
		}
	}
	limit := 2
	if n := len([]rune(word)); n > 10 {
		limit = 3
	} else if n <= 3 {
		limit = 1
	}
	if bestDist <= limit {
		return best
	}
	return ""
}

// DidYouMean formats a suggestion as a hint, or returns "".
func DidYouMean(word string, candidates []string) string {
	if s := Suggest(word, candidates); s != "" {
		return fmt.Sprintf("did you mean %q?", s)
	}
	return ""
}

// distance is the optimal string alignment distance (Levenshtein plus
// transposition of neighbours), case-insensitive for ASCII.
func distance(a, b string) int {
	ra, rb := []rune(lower(a)), []rune(lower(b))
	prev2 := make([]int, len(rb)+1)
	prev := make([]int, len(rb)+1)
	cur := make([]int, len(rb)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(ra); i++ {
		cur[0] = i
		for j := 1; j <= len(rb); j++ {
			cost := 1
			if ra[i-1] == rb[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
			if i > 1 && j > 1 && ra[i-1] == rb[j-2] && ra[i-2] == rb[j-1] {
				cur[j] = min(cur[j], prev2[j-2]+1)
			}
		}
		prev2, prev, cur = prev, cur, prev2
	}
	return prev[len(rb)]
}

func lower(s string) string {
	b := []byte(s)
	for i, c := range b {
		if 'A' <= c && c <= 'Z' {
			b[i] = c + 'a' - 'A'
		}
	}
	return string(b)
}

// SuggestID returns the candidate that equals id once case, spaces and
// punctuation are ignored ("ac-2(1)" for "AC-2 (1)", "cc6.1" for "CC6.1"),
// or "". Identifiers one edit apart are usually different controls (AC-2
// and AC-3), so unlike Suggest it never guesses by edit distance.
func SuggestID(id string, candidates []string) string {
	want := normID(id)
	for _, c := range candidates {
		if c != id && normID(c) == want {
			return c
		}
	}
	return ""
}

func normID(s string) string {
	b := make([]byte, 0, len(s))
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case 'a' <= c && c <= 'z':
			b = append(b, c-'a'+'A')
		case 'A' <= c && c <= 'Z', '0' <= c && c <= '9':
			// drop leading zeros of a number: AC-02 is AC-2
			if c == '0' && (len(b) == 0 || !('0' <= b[len(b)-1] && b[len(b)-1] <= '9')) && i+1 < len(s) && '0' <= s[i+1] && s[i+1] <= '9' {
				continue
			}
			b = append(b, c)
		default:
			// separators matter only between two digits: 1.10 is not 11.0
			if len(b) > 0 && '0' <= b[len(b)-1] && b[len(b)-1] <= '9' && i+1 < len(s) && '0' <= s[i+1] && s[i+1] <= '9' {
				b = append(b, '.')
			}
		}
	}
	return string(b)
}
