package diff

import (
	"math/rand/v2"
	"reflect"
	"runtime"
	"strings"
	"testing"
)

func TestWords(t *testing.T) {
	for _, tc := range []struct {
		a, b string
		want []Segment
	}{
		{"same text", "same text", []Segment{{Equal, "same text"}}},
		{"", "new words", []Segment{{Insert, "new words"}}},
		{"old words", "", []Segment{{Delete, "old words"}}},
		{
			"Access is reviewed every quarter by the owner.",
			"Access is reviewed every month by the owner.",
			[]Segment{{Equal, "Access is reviewed every "}, {Delete, "quarter"}, {Insert, "month"}, {Equal, " by the owner."}},
		},
		{
			// a rewritten phrase is one deletion and one insertion, not a
			// patchwork around the spaces
			"Admins use multi-factor authentication today.",
			"Admins use hardware security keys today.",
			[]Segment{{Equal, "Admins use "}, {Delete, "multi-factor authentication"}, {Insert, "hardware security keys"}, {Equal, " today."}},
		},
		{
			"Backups run daily.",
			"Backups run daily and are tested.",
			[]Segment{{Equal, "Backups run daily"}, {Insert, " and are tested"}, {Equal, "."}},
		},
		{
			"MFA is required.\nSSO is required.",
			"MFA is required.\nSSO is optional.",
			[]Segment{{Equal, "MFA is required.\nSSO is "}, {Delete, "required"}, {Insert, "optional"}, {Equal, "."}},
		},
		{
			"Zugriff über Okta",
			"Zugriff über Entra",
			[]Segment{{Equal, "Zugriff über "}, {Delete, "Okta"}, {Insert, "Entra"}},
		},
	} {
		if got, byLine := Words(tc.a, tc.b); byLine || !reflect.DeepEqual(got, tc.want) {
			t.Errorf("Words(%q, %q)\n got %q\nwant %q", tc.a, tc.b, got, tc.want)
		}
	}
}

// spell rebuilds both texts from a word diff.
func spell(segs []Segment) (a, b string) {
	var x, y strings.Builder
	for _, s := range segs {
		if s.Op != Insert {
			x.WriteString(s.Text)
		}
		if s.Op != Delete {
			y.WriteString(s.Text)
		}
	}
	return x.String(), y.String()
}

// Any pair of texts is spelled back exactly, and the diff is minimal enough
// that identical halves stay equal.
func TestWordsRoundTrip(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	vocab := []string{"access", "review", "MFA", "keys", "quarterly", ",", ".", " ", "  ", "\n", "owner", "é"}
	text := func() string {
		var b strings.Builder
		for range rng.IntN(40) {
			b.WriteString(vocab[rng.IntN(len(vocab))])
			if rng.IntN(3) > 0 {
				b.WriteByte(' ')
			}
		}
		return b.String()
	}
	for i := range 500 {
		a, b := text(), text()
		segs, _ := Words(a, b)
		if x, y := spell(segs); x != a || y != b {
			t.Fatalf("case %d: Words(%q, %q) spells %q, %q", i, a, b, x, y)
		}
		for j := 1; j < len(segs); j++ {
			if segs[j].Op == segs[j-1].Op {
				t.Fatalf("case %d: two %s segments in a row: %q", i, segs[j].Op, segs)
			}
		}
		if same, _ := Words(a, a); len(a) > 0 && (len(same) != 1 || same[0].Op != Equal) {
			t.Fatalf("case %d: equal texts differ: %q", i, same)
		}
	}
}

// narrative writes a text of n words in lines of about 12 words, seeded.
func narrative(seed uint64, n int) string {
	rng := rand.New(rand.NewPCG(seed, 7))
	vocab := strings.Fields("access review owner quarterly keys MFA the of and a is are every logs change approved ticket backup restore tested vendor risk incident response")
	var b strings.Builder
	for i := range n {
		b.WriteString(vocab[rng.IntN(len(vocab))])
		if i%12 == 11 {
			b.WriteString(".\n")
		} else {
			b.WriteByte(' ')
		}
	}
	return b.String()
}

// A long narrative with a few edits is still compared word by word.
func TestWordsLongNarrativeFewEdits(t *testing.T) {
	a := narrative(1, 200_000)
	b := strings.Replace(a, "quarterly", "monthly", 3)
	b = b[:len(b)/2] + "A new sentence. " + b[len(b)/2:]
	segs, byLine := Words(a, b)
	if byLine {
		t.Fatal("a few edits fell back to lines")
	}
	if x, y := spell(segs); x != a || y != b {
		t.Fatal("does not spell the texts")
	}
	changed := 0
	for _, s := range segs {
		if s.Op != Equal {
			changed += len(s.Text)
		}
	}
	if changed > 100 {
		t.Errorf("%d bytes marked changed for 4 small edits", changed)
	}
}

// A rewritten 200,000-word narrative falls back to lines within a bounded
// amount of memory, and the result still spells both texts.
func TestWordsRewriteBounded(t *testing.T) {
	a, b := narrative(1, 200_000), narrative(2, 200_000)
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	segs, byLine := Words(a, b)
	runtime.ReadMemStats(&after)
	if !byLine {
		t.Error("a rewrite was compared word by word")
	}
	if p, q := spell(segs); p != a || q != b {
		t.Fatal("does not spell the texts")
	}
	if alloc := after.TotalAlloc - before.TotalAlloc; alloc > 200<<20 {
		t.Errorf("allocated %d MB, want at most 200", alloc>>20)
	}
}

// The text printer says when it compared lines.
func TestWriteTextSaysByLine(t *testing.T) {
	segs, byLine := Words(narrative(1, 200_000), narrative(2, 200_000))
	r := &Report{Narratives: []NarrChange{{Component: "c", Standard: "S", Control: "1", Change: Changed, Words: segs, ByLine: byLine}}}
	var b strings.Builder
	if err := WriteText(&b, r, TextOptions{}); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(b.String(), "compared line by line") {
		t.Error("no note that the narrative was compared line by line")
	}
}

func BenchmarkWordsFewEdits(b *testing.B) {
	x := narrative(1, 200_000)
	y := strings.Replace(x, "quarterly", "monthly", 10)
	for b.Loop() {
		Words(x, y)
	}
}

func BenchmarkWordsRewrite(b *testing.B) {
	x, y := narrative(1, 200_000), narrative(2, 200_000)
	for b.Loop() {
		Words(x, y)
	}
}

func TestLines(t *testing.T) {
	a := "# Policy\n\n1. one\n2. two\n3. three\n4. four\n5. five\n6. six\n7. seven\n8. eight\n9. nine\n10. ten\n"
	b := "# Policy\n\n1. one\n2. TWO\n3. three\n4. four\n5. five\n6. six\n7. seven\n8. eight\n9. nine\n10. ten\n11. eleven\n"
	got := Lines(a, b, 10, 12, 3)
	want := []Hunk{
		{FromLine: 10, FromCount: 7, ToLine: 12, ToCount: 7, Lines: []Line{
			{Equal, "# Policy"}, {Equal, ""}, {Equal, "1. one"}, {Delete, "2. two"}, {Insert, "2. TWO"}, {Equal, "3. three"}, {Equal, "4. four"}, {Equal, "5. five"},
		}},
		{FromLine: 19, FromCount: 3, ToLine: 21, ToCount: 4, Lines: []Line{
			{Equal, "8. eight"}, {Equal, "9. nine"}, {Equal, "10. ten"}, {Insert, "11. eleven"},
		}},
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("Lines:\n got %+v\nwant %+v", got, want)
	}
	if h := got[0].Header(); h != "@@ -10,7 +12,7 @@" {
		t.Errorf("header %q", h)
	}
	// changes closer than twice the context share a hunk
	c := strings.Replace(b, "6. six", "6. SIX", 1)
	got = Lines(a, c, 1, 1, 3)
	if len(got) != 1 || got[0].Header() != "@@ -1,12 +1,13 @@" {
		t.Errorf("merged hunks: %d, %q", len(got), got[0].Header())
	}
	// inserting into an empty text names line 0 on the old side
	got = Lines("", "new\n", 1, 1, 3)
	if len(got) != 1 || got[0].Header() != "@@ -0,0 +1 @@" || !reflect.DeepEqual(got[0].Lines, []Line{{Insert, "new"}}) {
		t.Errorf("from empty: %+v", got)
	}
	if got := Lines(a, a, 1, 1, 3); got != nil {
		t.Errorf("equal texts: %+v", got)
	}
}

// The edit script keeps a longest common subsequence: as many tokens as
// the textbook dynamic programme finds.
func TestScriptIsMinimal(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	seq := func() []string {
		s := make([]string, rng.IntN(30))
		for i := range s {
			s[i] = string(rune('a' + rng.IntN(4)))
		}
		return s
	}
	for i := range 2000 {
		a, b := seq(), seq()
		keepA, keepB, _ := script(a, b, wordWork)
		var ka, kb []string
		for j, k := range keepA {
			if k {
				ka = append(ka, a[j])
			}
		}
		for j, k := range keepB {
			if k {
				kb = append(kb, b[j])
			}
		}
		if !reflect.DeepEqual(ka, kb) {
			t.Fatalf("case %d: kept %q of %q but %q of %q", i, ka, a, kb, b)
		}
		if want := lcs(a, b); len(ka) != want {
			t.Fatalf("case %d: kept %d tokens of %q and %q, the longest common subsequence has %d", i, len(ka), a, b, want)
		}
	}
}

func lcs(a, b []string) int {
	dp := make([][]int, len(a)+1)
	for i := range dp {
		dp[i] = make([]int, len(b)+1)
	}
	for i := len(a) - 1; i >= 0; i-- {
		for j := len(b) - 1; j >= 0; j-- {
			if a[i] == b[j] {
				dp[i][j] = dp[i+1][j+1] + 1
			} else {
				dp[i][j] = max(dp[i+1][j], dp[i][j+1])
			}
		}
	}
	return dp[0][0]
}
