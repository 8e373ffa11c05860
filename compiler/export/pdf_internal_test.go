package export

import (
	"strings"
	"testing"
	"time"
)

// The running header and footer are HTML templates: repository text in
// them is escaped, never markup.
func TestRunningEscapes(t *testing.T) {
	in := Input{Info: Info{Version: `v1 <script>alert(1)</script>`, AsOf: time.Date(2024, 3, 1, 0, 0, 0, 0, time.UTC), Dirty: true}}
	hf := running(in, `POL-X · <img src=x onerror="alert(1)">`)
	for _, s := range []string{hf.header, hf.footer} {
		if strings.Contains(s, "<script") || strings.Contains(s, "<img") {
			t.Errorf("markup from the repository in a template: %s", s)
		}
	}
	for _, want := range []string{"POL-X · &lt;img src=x onerror=&#34;alert(1)&#34;&gt;", "version v1 &lt;script&gt;alert(1)&lt;/script&gt; (uncommitted changes)"} {
		if !strings.Contains(hf.header, want) {
			t.Errorf("header lacks %q: %s", want, hf.header)
		}
	}
	if !strings.Contains(hf.footer, "judged as of 2024-03-01") || !strings.Contains(hf.footer, `<span class="pageNumber"></span> of <span class="totalPages"></span>`) {
		t.Errorf("footer %s", hf.footer)
	}
}
