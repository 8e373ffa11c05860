package fastyaml

import (
	"fmt"
	"io/fs"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode/utf8"

	"gopkg.in/yaml.v3"

	"github.com/charter-compliance/charter/internal/gen"
)

// diffNodes describes the first difference between two trees in what
// charter reads of a node, or returns "".
func diffNodes(path string, a, b *yaml.Node) string {
	if a.Kind != b.Kind || a.Style != b.Style || a.Tag != b.Tag || a.Value != b.Value || a.Line != b.Line || a.Column != b.Column {
		return fmt.Sprintf("%s: fastyaml {kind %d style %d tag %s value %q at %d:%d}, yaml.v3 {kind %d style %d tag %s value %q at %d:%d}",
			path, a.Kind, a.Style, a.Tag, a.Value, a.Line, a.Column, b.Kind, b.Style, b.Tag, b.Value, b.Line, b.Column)
	}
	if len(a.Content) != len(b.Content) {
		return fmt.Sprintf("%s (line %d): fastyaml has %d children, yaml.v3 %d", path, a.Line, len(a.Content), len(b.Content))
	}
	for i := range a.Content {
		if d := diffNodes(fmt.Sprintf("%s/%d", path, i), a.Content[i], b.Content[i]); d != "" {
			return d
		}
	}
	return ""
}

// agree checks Parse against yaml.v3 on text: where Parse succeeds, yaml.v3
// must succeed with the same trees. It reports whether Parse succeeded.
func agree(t *testing.T, name string, text []byte) bool {
	t.Helper()
	got, ok := Parse(text)
	if !ok {
		return false
	}
	want, err := ParseV3(text)
	if err != nil {
		t.Errorf("%s: fastyaml accepted text yaml.v3 rejects (%v)", name, err)
		return true
	}
	if len(got) != len(want) {
		t.Errorf("%s: fastyaml read %d documents, yaml.v3 %d", name, len(got), len(want))
		return true
	}
	for i := range got {
		if d := diffNodes(fmt.Sprintf("doc%d", i), got[i], want[i]); d != "" {
			t.Errorf("%s: %s", name, d)
			return true
		}
	}
	return true
}

// snippets cover each construct Parse reads, and some it must leave to
// yaml.v3; they also seed the fuzz target.
var snippets = []string{
	"a: 1\nb: two\nc:\nd: ~\n",
	"a: b # comment\n# full line\n  # indented comment\nc: 'it''s'\n",
	"list:\n- a\n- b\n-\n- c: d\n  e: f\nnext: x\n",
	"list:\n  - a\n  -   b\n  - - nested\n",
	"- x\n- y: 1\n  z:\n    - 2\n",
	"text: |\n  line one\n\n  line three\n   indented\nafter: 1\n",
	"text: |-\n  stripped\n\n\nafter: 1\n",
	"text: |+\n  kept\n\n\nafter: 1\n",
	"text: >\n  folded\n  lines\n\n  para\n    more\n  back\nafter: 1\n",
	"text: >-\n  a\n  b\n",
	"text: |2\n    two extra\n  base\n",
	"a:\n  b: |1\n   x\n",
	"text: |\n\n  after blank\n",
	"text: |\n     \n  more spaces first\n",
	"flow: [a, b, 'c', \"d\"]\nempty: []\nmap: {}\nsp: [ a , b ]\n",
	"n: [1, 2.5, true, null, 2024-01-02]\n",
	"q: \"esc \\\" \\\\ \\n \\t \\u00e9 \\x41 \\U0001F600\"\n",
	"num: 012\nf: 1e3\nh: 0x1F\nb: 0b101\no: 0o17\nneg: -0b11\nu: 1_000\ninf: -.inf\nnan: .NaN\ndot: .5\nd: 2001-12-14t21:59:43.10-05:00\n",
	"v: 3.1.0\nw: 2.0\nx: yes\ny: No\nz: <<\n",
	"ü: wert\nkey: ä ö ü\n- bad\n",
	"---\na: 1\n---\n---\nb: 2\n...\n",
	"--- # c\n- 1\n",
	"a: &x 1\nb: *x\n",
	"a: !!str 1\n",
	"a: b: c\n",
	"a:\n  b\n  c\n",
	"a: \"multi\n  line\"\n",
	"a:\tb\n",
	"\ta: b\n",
	"a: b\r\nc: d\r\n",
	"? complex\n: key\n",
	"a: [b, {c: d}]\n",
	"a: {b: c}\n",
	"a:\n- b\n c\n",
	"a: 1\n  b: 2\n",
	"  a: 1\nb: 2\n",
	"a: |\n  x\n\tb\n",
	"a: |0\n  x\n",
	"'quoted key': v\n\"dq\": w\n",
	"a: 'x' # c\nb: \"y\" # c\n",
	"a: x#y\nb: x #y\n",
	"- a\n- b\n  - c\n",
	"%YAML 1.2\n---\na: 1\n",
	"a: -\n",
	"a: - b\n",
	"a:\n-\n- x\nb: 1\n",
	"a: [a,b,]\n",
	"text: |\n  last line without break",
	"text: >+\n  kept\n\n",
	"just a scalar\n",
	"a:\n  # only a comment\nb: 1\n",
	"k: v   \n",
	"a: |\n  x\n# comment at zero\nb: 1\n",
	"a: | # why\n  x\nb: >- # folded\n  y\n  z\n",
	"f: >\n  a\n  \tb\n  c\n\n\n  d\n   e\n  f\n",
	"a  : b\n'c' : d\n",
	"ü: [a, 'ä', b]\n- x\n",
	"- ä: x\n  ö: [1, 2]\n  ü: |\n    text\n- b\n",
	"a: \"x: y\"\nb: 'p # q'\n",
	"a:\n  - b:\n    - c\n    - d\n    e: f\n  - g\n",
	"a: |\n  x\n    # not a comment\n  y\n",
	"a: |\n  x\n \n  y\n",
	"a: >\n\n  x\n",
	"---\n---\na: 1\n",
	"a:\n\n\n  b: c\n",
	"- a:\n  - x\n  b: y\n- c\n",
	"a: |\n",
	"a: |\nb: 1\n",
	"a:    >-   \n    x\n",
	"a: [x]  # c\nb: []\n",
}

func TestSnippets(t *testing.T) {
	accepted := 0
	for i, s := range snippets {
		if agree(t, fmt.Sprintf("snippet %d %q", i, s), []byte(s)) {
			accepted++
		}
	}
	// most snippets are meant to be read; the rest are meant to be left to
	// yaml.v3, which agree cannot see: both counts are pinned
	if accepted != 42 {
		t.Errorf("fastyaml read %d of %d snippets, want 42", accepted, len(snippets))
	}
}

// TestLeavesToYAMLv3 pins constructs Parse must not read itself.
func TestLeavesToYAMLv3(t *testing.T) {
	for _, s := range []string{
		"a: &x 1\nb: *x\n", "a: !!str 1\n", "a: b: c\n", "a:\n  b\n  c\n", "a:\tb\n", "\ta: b\n",
		"a: b\r\nc: d\r\n", "? complex\n: key\n", "a: {b: c}\n", "a: 1\n  b: 2\n", "a: |0\n  x\n",
		"%YAML 1.2\n---\na: 1\n", "just a scalar\n", "\ufeffa: 1\n", "a: \x01\n", "a: \xff\n",
		"a: \"\\/\"\n", // YAML 1.2's escaped slash, which yaml.v3 (YAML 1.1) rejects
	} {
		if _, ok := Parse([]byte(s)); ok {
			t.Errorf("Parse(%q) read it; it should leave it to yaml.v3", s)
		}
	}
	// nesting deeper than maxDepth
	var deep strings.Builder
	for i := range maxDepth + 1 {
		deep.WriteString(strings.Repeat(" ", i) + "a:\n")
	}
	if _, ok := Parse([]byte(deep.String())); ok {
		t.Errorf("Parse read %d nested mappings; deeper than %d goes to yaml.v3", maxDepth+1, maxDepth)
	}
	var shallow strings.Builder
	for i := range maxDepth / 2 {
		shallow.WriteString(strings.Repeat(" ", i) + "a:\n")
	}
	if !agree(t, "shallow nesting", []byte(shallow.String())) {
		t.Errorf("Parse declined %d nested mappings", maxDepth/2)
	}
}

// yamlFiles lists the YAML files under dir.
func yamlFiles(t testing.TB, dir string) []string {
	var out []string
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if !d.IsDir() && (strings.HasSuffix(p, ".yaml") || strings.HasSuffix(p, ".yml")) {
			out = append(out, p)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// TestReferenceProgram: every YAML file of the repository's own program
// takes the fast path and agrees with yaml.v3.
func TestReferenceProgram(t *testing.T) {
	var files []string
	for _, d := range []string{"standards", "certifications", "components"} {
		files = append(files, yamlFiles(t, filepath.Join("../..", d))...)
	}
	files = append(files, "../../opencontrol.yaml", "../../charter.yaml")
	if len(files) < 20 {
		t.Fatalf("found only %d files", len(files))
	}
	for _, f := range files {
		text, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		if !agree(t, f, text) {
			t.Errorf("%s: fastyaml left it to yaml.v3", f)
		}
	}
}

// TestFixturesAndCorpus: on the bad-input fixtures and the real-data corpus
// Parse may decline, but never disagrees.
func TestFixturesAndCorpus(t *testing.T) {
	files := yamlFiles(t, "../../testdata")
	corpus := "../../../shared/corpus"
	if _, err := os.Stat(corpus); err == nil {
		files = append(files, yamlFiles(t, corpus)...)
	}
	read := 0
	for _, f := range files {
		text, err := os.ReadFile(f)
		if err != nil {
			continue // symlinks made by other tests
		}
		if agree(t, f, text) {
			read++
		}
	}
	t.Logf("fastyaml read %d of %d files", read, len(files))
}

// TestSynthetic: the generated benchmark workspace takes the fast path.
func TestSynthetic(t *testing.T) {
	nist := gen.DefaultNIST("../..")
	if _, err := os.Stat(nist); err != nil {
		t.Skipf("NIST 800-53 rev5 not found: %v", err)
	}
	dir := t.TempDir()
	if _, err := gen.Generate(gen.Options{Out: dir, Scale: 1, Repo: "../..", NIST: nist}); err != nil {
		t.Fatal(err)
	}
	for i, f := range yamlFiles(t, dir) {
		if i%7 != 0 && !strings.Contains(f, "standards") {
			continue // a sample keeps the test quick
		}
		text, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		if !agree(t, f, text) {
			t.Errorf("%s: fastyaml left it to yaml.v3", f)
		}
	}
}

func FuzzParse(f *testing.F) {
	for _, s := range snippets {
		f.Add([]byte(s))
	}
	for _, p := range []string{"../../components", "../../standards", "../../certifications"} {
		for _, file := range yamlFiles(f, p) {
			if text, err := os.ReadFile(file); err == nil && len(text) < 4096 {
				f.Add(text)
			}
		}
	}
	f.Fuzz(func(t *testing.T, text []byte) {
		agree(t, "input", text)
	})
}

// TestReuse: a parser reused from the pool gives the same trees as a fresh
// one, file after file, whatever the previous file left in its chunks.
func TestReuse(t *testing.T) {
	var files []string
	for _, d := range []string{"components", "standards", "certifications"} {
		files = append(files, yamlFiles(t, filepath.Join("../..", d))...)
	}
	var texts [][]byte
	for _, f := range files {
		text, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		texts = append(texts, text)
	}
	for _, s := range snippets {
		texts = append(texts, []byte(s))
	}
	for round := range 2 {
		for i, text := range texts {
			got, release, ok := ParseReusing(text)
			if !ok {
				continue
			}
			want, werr := ParseV3(text)
			if werr != nil {
				t.Fatalf("round %d text %d: read text yaml.v3 rejects: %v", round, i, werr)
			}
			if len(got) != len(want) {
				t.Fatalf("round %d text %d: %d documents, yaml.v3 %d", round, i, len(got), len(want))
			}
			for j := range got {
				if d := diffNodes(fmt.Sprintf("doc%d", j), got[j], want[j]); d != "" {
					t.Fatalf("round %d text %d: %s", round, i, d)
				}
			}
			release()
		}
	}
}

// TestPlainText compares the word-at-a-time prescan with a rune-by-rune
// reading of the same rules, on random texts rich in the bytes it treats
// specially, at every alignment.
func TestPlainText(t *testing.T) {
	reference := func(text []byte) (plain, ascii bool) {
		ascii = true
		for i := 0; i < len(text); {
			r, w := utf8.DecodeRune(text[i:])
			switch {
			case r == utf8.RuneError && w == 1:
				return false, false
			case r < 0x20 && r != '\n' && r != '\t', r == 0x7f:
				return false, false
			case r >= 0x80 && r <= 0x9f, r == 0x2028, r == 0x2029, r == 0xfeff, r == 0xfffe, r == 0xffff:
				return false, false
			}
			if r >= utf8.RuneSelf {
				ascii = false
			}
			i += w
		}
		return true, ascii
	}
	rng := rand.New(rand.NewPCG(3, 4))
	pieces := []string{"a", "key: value", " ", "\n", "\t", "\x00", "\x1f", "\x7f", "~", "é", "日", "\u2028", "\u0085", "\ufeff", "\xff", "\xc3", "\U0001F600"}
	for range 20000 {
		var b []byte
		for range rng.IntN(40) {
			if rng.IntN(4) == 0 {
				b = append(b, pieces[rng.IntN(len(pieces))]...)
			} else {
				b = append(b, "plain text, no specials"[:rng.IntN(23)+1]...)
			}
		}
		gp, ga := plainText(b)
		wp, wa := reference(b)
		if gp != wp || (gp && ga != wa) {
			t.Fatalf("plainText(%q) = %v, %v; want %v, %v", b, gp, ga, wp, wa)
		}
	}
}

// TestEscapes tries every ASCII character after a backslash in a
// double-quoted scalar, and the numeric escapes with good and bad digits:
// fastyaml must read each as yaml.v3 does or leave it to yaml.v3.
func TestEscapes(t *testing.T) {
	read := 0
	for e := range 128 {
		for _, tail := range []string{"", "41", "e9x", "00e9", "D800", "0001F600", "zz", "+1", "_1"} {
			text := fmt.Sprintf("a: \"x\\%c%s\"\n", e, tail)
			if agree(t, fmt.Sprintf("%q", text), []byte(text)) {
				read++
			}
		}
	}
	if read < 150 {
		t.Errorf("fastyaml read only %d of the escape texts", read)
	}
}
