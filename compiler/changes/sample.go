package changes

import (
	"cmp"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"slices"
)

// SampleMethod says how Draw picks, for printing beside every sample.
const SampleMethod = "rank every change by the SHA-256 of the seed, a NUL byte and the change's full commit hash (lowercase hex), smallest first; take the first N"

// Sample is a reproducible sample of a population.
type Sample struct {
	Seed   string `json:"seed"`
	Size   int    `json:"size"`
	Of     int    `json:"of"` // the population's size
	Method string `json:"method"`
	// Default is true when Size came from DefaultSize.
	Default bool     `json:"default_size"`
	Commits []string `json:"commits"` // in population order (oldest first)
}

// sizeTable is the default sample size by population size: the whole
// population while it is small, then sizes in line with common audit
// practice for a control that operates many times a day.
var sizeTable = []struct{ upTo, size int }{
	{5, -1}, // all
	{12, 5},
	{52, 10},
	{250, 20},
	{0, 25}, // any larger population
}

// DefaultSize is the sample size for a population of n changes: all of
// them up to 5; 5 up to 12; 10 up to 52; 20 up to 250; 25 beyond.
func DefaultSize(n int) int {
	for _, row := range sizeTable {
		if row.upTo == 0 || n <= row.upTo {
			if row.size < 0 {
				return n
			}
			return min(row.size, n)
		}
	}
	return n
}

// Draw picks size changes (DefaultSize when size < 0) by SampleMethod and
// keeps only them in the population, which remembers the sample. The same
// seed and population give the same sample on any machine.
func (p *Population) Draw(seed string, size int) {
	s := &Sample{Seed: seed, Size: size, Of: len(p.Changes), Method: SampleMethod, Commits: []string{}}
	if size < 0 {
		s.Size, s.Default = DefaultSize(len(p.Changes)), true
	}
	s.Size = min(s.Size, len(p.Changes))
	type ranked struct{ key, commit string }
	rank := make([]ranked, len(p.Changes))
	for i, c := range p.Changes {
		sum := sha256.Sum256([]byte(seed + "\x00" + c.Commit))
		rank[i] = ranked{hex.EncodeToString(sum[:]), c.Commit}
	}
	slices.SortFunc(rank, func(a, b ranked) int { return cmp.Or(cmp.Compare(a.key, b.key), cmp.Compare(a.commit, b.commit)) })
	picked := map[string]bool{}
	for _, r := range rank[:s.Size] {
		picked[r.commit] = true
	}
	kept := p.Changes[:0:0]
	for _, c := range p.Changes {
		if picked[c.Commit] {
			kept = append(kept, c)
			s.Commits = append(s.Commits, c.Commit)
		}
	}
	p.Changes, p.Sample = kept, s
}

// Describe says in one line what was sampled and how.
func (s *Sample) Describe() string {
	how := "requested size"
	if s.Default {
		how = "default size for the population"
	}
	return fmt.Sprintf("sample of %d of %d changes (%s), seed %q: %s", s.Size, s.Of, how, s.Seed, SampleMethod)
}
