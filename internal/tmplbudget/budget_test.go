package tmplbudget

import (
	"errors"
	htmltemplate "html/template"
	"strings"
	"sync"
	"testing"
	texttemplate "text/template"
	"time"
)

func execText(t *testing.T, src string, data any, l Limits) (string, error) {
	t.Helper()
	tmpl, err := texttemplate.New("policies/p.md").Parse(src)
	if err != nil {
		t.Fatal(err)
	}
	var b strings.Builder
	err = ExecuteText(tmpl, &b, data, l)
	return b.String(), err
}

func limitErr(t *testing.T, err error) *LimitError {
	t.Helper()
	var le *LimitError
	if !errors.As(err, &le) {
		t.Fatalf("want a *LimitError, got %v", err)
	}
	return le
}

func TestHostileNestedIntRange(t *testing.T) {
	src := "# Policy\n\nText {{ range 100000000 }}{{ range 100000000 }}{{ end }}{{ end }}\n"
	_, err := execText(t, src, nil, Documents)
	le := limitErr(t, err)
	if le.File != "policies/p.md" || le.Line != 3 || le.Col != 15 {
		t.Errorf("position %s:%d:%d, want policies/p.md:3:15 (the outer range's value)", le.File, le.Line, le.Col)
	}
	if !strings.Contains(le.Msg, "range over 100000000 items") {
		t.Errorf("message %q does not name the range's size", le.Msg)
	}
}

func TestEmptyBodiedIntRangeAlone(t *testing.T) {
	_, err := execText(t, "{{ range 2000000 }}{{ end }}", nil, Documents)
	limitErr(t, err)
}

// Within the budget the output is exactly what the unchanged template gives.
func TestSameOutputWithinBudget(t *testing.T) {
	src := `{{ define "row" }}<{{ . }}>{{ end }}{{ range $i, $x := .Items }}{{ if $i }},{{ end }}{{ template "row" $x }}{{ range 3 }}.{{ else }}none{{ end }}{{ end }}{{ range .Empty }}x{{ else }} empty{{ end }} {{ printf "%03d" 7 }} {{ template "row" }}`
	data := map[string]any{"Items": []string{"a", "b", "c"}, "Empty": []int{}}
	plain, err := texttemplate.Must(texttemplate.New("x").Parse(src)).Clone()
	if err != nil {
		t.Fatal(err)
	}
	var want strings.Builder
	if err := plain.Execute(&want, data); err != nil {
		t.Fatal(err)
	}
	got, err := execText(t, src, data, Documents)
	if err != nil {
		t.Fatal(err)
	}
	if got != want.String() {
		t.Errorf("budgeted output\n%q\nwant\n%q", got, want.String())
	}
}

func TestNestedRangesOverLargeLists(t *testing.T) {
	list := make([]int, 5000)
	set := htmltemplate.Must(htmltemplate.New("layouts/page.html").Parse(`{{ define "page" }}<ul>{{ range .L }}{{ range $.L }}{{ range $.L }}<li>{{ . }}</li>{{ end }}{{ end }}{{ end }}</ul>{{ end }}`))
	hs := NewHTMLSet(set, Layouts)
	var b strings.Builder
	err := hs.ExecuteTemplate(&b, "page", map[string]any{"L": list})
	le := limitErr(t, err)
	if le.File != "layouts/page.html" || le.Line != 1 {
		t.Errorf("position %s:%d:%d, want layouts/page.html:1", le.File, le.Line, le.Col)
	}
	// two levels over 1,000 items pass
	set2 := htmltemplate.Must(htmltemplate.New("l").Parse(`{{ define "page" }}{{ range .L }}{{ range $.L }}{{ end }}{{ end }}ok{{ end }}`))
	b.Reset()
	if err := NewHTMLSet(set2, Layouts).ExecuteTemplate(&b, "page", map[string]any{"L": list[:1000]}); err != nil || b.String() != "ok" {
		t.Fatalf("got %q, %v", b.String(), err)
	}
}

func TestRecursionIsCharged(t *testing.T) {
	// 2^40 calls, 40 deep: the depth limit of text/template never fires
	src := `{{ define "a" }}{{ if . }}{{ template "a" (slice . 1) }}{{ template "a" (slice . 1) }}{{ end }}{{ end }}{{ template "a" "` + strings.Repeat("x", 40) + `" }}`
	_, err := execText(t, src, nil, Documents)
	le := limitErr(t, err)
	if !strings.Contains(le.Msg, `template "a"`) {
		t.Errorf("message %q does not name the template", le.Msg)
	}
}

func TestUnwrittenStringGrowthIsCharged(t *testing.T) {
	src := `{{ $a := printf "%1000000d" 1 }}` + strings.Repeat(`{{ $a = printf "%s%s" $a $a }}`, 40) + `done`
	_, err := execText(t, src, nil, Documents)
	limitErr(t, err)
}

func TestOutputCap(t *testing.T) {
	src := "head\n{{ range 100000 }}0123456789012345678901234567890123456789012345678901234567890123456789{{ end }}"
	_, err := execText(t, src, nil, Documents)
	le := limitErr(t, err)
	if le.Line != 2 || !strings.Contains(le.Msg, "bytes") {
		t.Errorf("got %v, want the byte limit at line 2", le)
	}
}

func TestChannelRefused(t *testing.T) {
	ch := make(chan int)
	close(ch)
	_, err := execText(t, "{{ range . }}{{ end }}", ch, Documents)
	limitErr(t, err)
}

type slow struct{}

func (slow) Wait() string { time.Sleep(20 * time.Millisecond); return "" }

func TestDeadline(t *testing.T) {
	l := Documents
	l.Time = 100 * time.Millisecond
	_, err := execText(t, "{{ range 1000 }}{{ $.Wait }}{{ range 1 }}{{ end }}{{ end }}", slow{}, l)
	le := limitErr(t, err)
	if !strings.Contains(le.Msg, "longer than") {
		t.Errorf("got %v, want the time limit", le)
	}
}

// Each execution has its own budget, also when many run at once.
func TestHTMLSetBudgetPerExecution(t *testing.T) {
	l := Limits{Steps: 1000, Bytes: 1 << 20, Time: time.Minute}
	hs := NewHTMLSet(htmltemplate.Must(htmltemplate.New("x").Parse(`{{ range . }}<b>{{ . }}</b>{{ end }}`)), l)
	var wg sync.WaitGroup
	errs := make([]error, 40)
	for i := range errs {
		wg.Go(func() {
			n := 100 // 100 items x weight 4 each: 400 steps per run, 40 runs
			if i == 7 {
				n = 2000
			}
			var b strings.Builder
			errs[i] = hs.ExecuteTemplate(&b, "x", make([]int, n))
		})
	}
	wg.Wait()
	for i, err := range errs {
		if (err != nil) != (i == 7) {
			t.Errorf("run %d: %v", i, err)
		}
	}
}
