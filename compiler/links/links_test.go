package links_test

import (
	"path"
	"strings"
	"testing"

	"github.com/charter-compliance/charter/compiler/links"
)

func TestRel(t *testing.T) {
	for _, tc := range []struct{ from, target, want string }{
		{"index.html", "standards/TSC/index.html", "standards/TSC/index.html"},
		{"index.html", "search.html", "search.html"},
		{"standards/TSC/CC6.1.html", "components/okta.html", "../../components/okta.html"},
		{"standards/TSC/CC6.1.html", "standards/TSC/index.html", "index.html"},
		{"standards/TSC/CC6.1.html", "standards/NIST-800-53/AC-2.html", "../NIST-800-53/AC-2.html"},
		{"standards/TSC/CC6.1.html", "index.html", "../../index.html"},
		{"standards/TSC/index.html", "assets/style.css", "../../assets/style.css"},
		{"components/okta.html", "components/github.html", "github.html"},
		{"components/okta.html", "components/okta.html#verification-sso", "#verification-sso"},
		{"components/okta.html", "components/github.html#verification-scan", "github.html#verification-scan"},
		{"index.html", "components/okta.html#verification-sso", "components/okta.html#verification-sso"},
		{"documents/POL-1.html", "standards/TSC/CC1.1.html#evidence", "../standards/TSC/CC1.1.html#evidence"},
		// a page linking to itself without a fragment names itself
		{"components/okta.html", "components/okta.html", "okta.html"},
		// a shared prefix that is not a whole directory does not count
		{"standards/TSC/a.html", "standards/TSC2/a.html", "../TSC2/a.html"},
	} {
		got := links.Rel(tc.from, tc.target)
		if got != tc.want {
			t.Errorf("Rel(%q, %q) = %q, want %q", tc.from, tc.target, got, tc.want)
		}
	}
}

// Whatever the pages, following the relative link from the linking page's
// directory lands on the target.
func TestRelResolves(t *testing.T) {
	pages := []string{
		links.Home, links.Search, links.Problems, links.Standards, links.Components, links.Documents,
		links.Certifications, links.Changes, links.ChangeMgmt, links.Versions, links.Asset("app.css"),
		links.Standard("TSC"), links.Control("TSC", "CC6.1"), links.Control("NIST-800-53", "AC-2 (1)"),
		links.Component("okta"), links.Certification("soc2-security"), links.Document("POL-001"),
		"a/b/c/d.html", "a/b/x/y.html", "a/z.html",
	}
	for _, from := range pages {
		for _, to := range pages {
			for _, frag := range []string{"", "#part-a"} {
				rel := links.Rel(from, to+frag)
				if frag != "" && from == to {
					if rel != frag {
						t.Errorf("Rel(%q, %q) = %q, want the bare fragment", from, to+frag, rel)
					}
					continue
				}
				if strings.HasPrefix(rel, "/") || strings.Contains(rel, "://") {
					t.Errorf("Rel(%q, %q) = %q is not relative", from, to, rel)
				}
				got := path.Join(path.Dir(from), strings.TrimSuffix(rel, frag)) + frag
				if got != to+frag {
					t.Errorf("Rel(%q, %q) = %q resolves to %q", from, to+frag, rel, got)
				}
			}
		}
	}
}

func TestSlug(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"CC6.1", "CC6.1"},
		{"AC-2 (1)", "AC-2-1"},
		{"AC-2 (10)", "AC-2-10"},
		{"NIST-800-53", "NIST-800-53"},
		{"soc2 security", "soc2-security"},
		{"snake_case", "snake_case"},
		{"a--b", "a-b"},
		{"  padded  ", "padded"},
		{"-lead.", "lead"},
		{"../../etc/passwd", "etc-passwd"},
		{`<script>alert(1)</script>`, "script-alert-1-script"},
		{"Ünïcode", "n-code"},
		{"日本", "_"},
		{"...", "_"},
		{"", "_"},
	} {
		got := links.Slug(tc.in)
		if got != tc.want {
			t.Errorf("Slug(%q) = %q, want %q", tc.in, got, tc.want)
		}
		for _, r := range got {
			if !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '.' || r == '_' || r == '-') {
				t.Errorf("Slug(%q) = %q holds %q", tc.in, got, r)
			}
		}
		if strings.HasPrefix(got, ".") || strings.HasSuffix(got, ".") {
			t.Errorf("Slug(%q) = %q is a hidden or dot-ended file name", tc.in, got)
		}
	}
}

func TestPagePaths(t *testing.T) {
	for _, tc := range []struct{ got, want string }{
		{links.Standard("NIST-800-53"), "standards/NIST-800-53/index.html"},
		{links.Control("NIST-800-53", "AC-2 (1)"), "standards/NIST-800-53/AC-2-1~dcaa5a285e.html"},
		{links.Control("TSC", "CC6.1"), "standards/TSC/CC6.1.html"},
		{links.Component("ci-cd"), "components/ci-cd.html"},
		{links.Verification("okta", "MFA report"), "components/okta.html#verification-MFA-report"},
		{links.Certification("FedRAMP Moderate"), "certifications/FedRAMP-Moderate~8ec46f6752.html"},
		{links.Certification("soc2-security"), "certifications/soc2-security.html"},
		{links.Document("POL-001"), "documents/POL-001.html"},
		{links.Asset("search.js"), "assets/search.js"},
	} {
		if tc.got != tc.want {
			t.Errorf("got %q, want %q", tc.got, tc.want)
		}
	}
}

// Every name gives a page name that is a plain, bounded file name, and
// different names give different page names, also where Slug folds them
// together.
func TestNameIsSafeAndDistinct(t *testing.T) {
	hostile := []string{
		strings.Repeat("A", 300), strings.Repeat("A", 300) + "B", strings.Repeat("é", 300),
		"a/b", "a\\b", "/etc/passwd", "..", ".", "../x", "", " ", "-", "~", "index", "Index",
		"日本", "中国", "AC-2 (1)", "AC-2(1)", "AC-2-1", "AC 2", "AC-2", "x\u202ey", "x\u200by", "nul\x00x", "CON", "a~b",
		"e\u0301", "\u00e9", strings.Repeat("x", maxNameForTest), strings.Repeat("x", maxNameForTest+1),
	}
	seen := map[string]string{}
	for _, s := range hostile {
		n := links.Name(s)
		if n == "" || len(n) > 100 || n == "." || n == ".." || n == "index" {
			t.Errorf("Name(%q) = %q", s, n)
		}
		for _, r := range n {
			if !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '.' || r == '_' || r == '-' || r == '~') {
				t.Errorf("Name(%q) = %q holds %q", s, n, r)
			}
		}
		if strings.HasPrefix(n, ".") || strings.HasPrefix(n, "-") {
			t.Errorf("Name(%q) = %q starts with %q", s, n, n[0])
		}
		if prev, ok := seen[n]; ok {
			t.Errorf("Name(%q) = Name(%q) = %q", s, prev, n)
		}
		seen[n] = s
		if links.Name(s) != n {
			t.Errorf("Name(%q) is not deterministic", s)
		}
	}
}

const maxNameForTest = 100
