package jsonstr

import (
	"encoding/json"
	"math/rand/v2"
	"testing"
)

// Append quotes as encoding/json does, byte for byte.
func TestAppend(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 8))
	texts := []string{"", "plain", `quote " and back \ slash`, "<script>&amp;</script>", "tab\tnl\nret\rbs\bff\f", "\x00\x01\x1f\x7f",
		"naïve café 日本", "\u2028\u2029", "\xff\xfe bad", "a\xc3", "€\xe2\x82"}
	for range 2000 {
		b := make([]byte, rng.IntN(24))
		for i := range b {
			b[i] = byte(rng.IntN(256))
		}
		texts = append(texts, string(b))
	}
	for _, s := range texts {
		want, err := json.Marshal(s)
		if err != nil {
			t.Fatal(err)
		}
		if got := Append(nil, s); string(got) != string(want) {
			t.Fatalf("%q: got %s, want %s", s, got, want)
		}
	}
}
