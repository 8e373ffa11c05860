// Package links is the one place that decides where each page of the site
// lives. Paths are slash-separated, relative to the site root, and every
// link between pages is made relative with Rel so the site works from
// file:// and under any sub-path.
package links

import (
	"crypto/sha256"
	"encoding/hex"
	"net/url"
	"path"
	"strings"
)

// Page paths. Every page is a file ending in .html.
const (
	Home           = "index.html"
	Search         = "search.html"
	Problems       = "problems.html"
	Standards      = "standards/index.html"
	Components     = "components/index.html"
	Documents      = "documents/index.html"
	Certifications = "certifications/index.html"
	Changes        = "changes.html"
	ChangeMgmt     = "change-management.html"
	Versions       = "versions.html"
	Assets         = "assets/"
)

// Standard is the page of one standard.
func Standard(name string) string { return "standards/" + Name(name) + "/index.html" }

// Control is the page of one control of a standard.
func Control(standard, id string) string {
	return "standards/" + Name(standard) + "/" + Name(id) + ".html"
}

// Component is the page of one component.
func Component(key string) string { return "components/" + Name(key) + ".html" }

// Verification is the anchor of a component's verification (evidence) on
// the component's page.
func Verification(component, key string) string {
	return Component(component) + "#verification-" + Slug(key)
}

// Certification is the page of one certification.
func Certification(name string) string { return "certifications/" + Name(name) + ".html" }

// Document is the page of one policy or procedure.
func Document(id string) string { return "documents/" + Name(id) + ".html" }

// ProblemCode is the page of the diagnostics of one code, for a code with
// too many to list on the Problems page.
func ProblemCode(code string) string { return "problems/" + Name(code) + ".html" }

// Asset is a file of the theme.
func Asset(name string) string { return Assets + name }

// Rel returns the link from page from to target, both site-root paths. A
// target may carry a #fragment.
func Rel(from, target string) string {
	frag := ""
	if i := strings.IndexByte(target, '#'); i >= 0 {
		target, frag = target[:i], target[i:]
	}
	if target == from && frag != "" {
		return frag
	}
	dir := path.Dir(from)
	// strip the common directory prefix, then climb out of the rest
	fromParts := strings.Split(dir, "/")
	if dir == "." {
		fromParts = nil
	}
	toParts := strings.Split(target, "/")
	i := 0
	for i < len(fromParts) && i < len(toParts)-1 && fromParts[i] == toParts[i] {
		i++
	}
	up := len(fromParts) - i
	return strings.Repeat("../", up) + strings.Join(toParts[i:], "/") + frag
}

// SafeTarget reports whether a link target may be written as an href: a
// relative path or #fragment (no scheme before the first '/', '?' or '#'),
// or an absolute http, https or mailto URL. Every other scheme
// (javascript:, data:, vbscript:, file:...) is refused.
func SafeTarget(s string) bool {
	i := strings.IndexAny(s, ":/?#")
	if i < 0 || s[i] != ':' {
		return true // relative
	}
	u, err := url.Parse(s)
	if err != nil {
		return false
	}
	switch strings.ToLower(u.Scheme) {
	case "http", "https", "mailto":
		return true
	}
	return false
}

// Slug turns a name into a safe file name: ASCII letters, digits, '.' and
// '_' are kept, every other run of characters becomes one '-'.
// "AC-2 (1)" becomes "AC-2-1"; "CC6.1" stays "CC6.1".
func Slug(s string) string {
	var b strings.Builder
	dash := false
	for _, r := range s {
		ok := r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '.' || r == '_' || r == '-'
		if !ok || r == '-' {
			if !dash && b.Len() > 0 {
				b.WriteByte('-')
			}
			dash = true
			continue
		}
		b.WriteRune(r)
		dash = false
	}
	out := strings.Trim(b.String(), "-.")
	if out == "" {
		out = "_"
	}
	return out
}

// maxName bounds a page name in bytes, well inside the 255 bytes file
// systems allow with ".html" after it.
const maxName = 100

// Name is the page (or directory) name of a thing named s: a file name
// that is safe on every file system, at most maxName bytes, and different
// for different s, so no two things can share a page.
//
// A name that Slug leaves as it is (letters, digits, '.', '_' and '-', no
// leading or trailing '.' or '-'), short enough, and not "index" (each
// directory's list page) is used as it is: "CC6.1", "POL-001". Any other
// gets Slug's readable form, cut to 64 bytes, then "~" and the first 10 hex
// digits of its SHA-256: "AC-2 (1)" becomes "AC-2-1~" and ten digits. No
// name of the first kind holds a '~', so the two kinds never meet, and two
// names of the second kind meet only if their hashes do (one chance in
// 10^12).
func Name(s string) string {
	slug := Slug(s)
	if slug == s && len(s) <= maxName && s != "index" {
		return s
	}
	if len(slug) > 64 {
		slug = strings.TrimRight(slug[:64], "-.")
	}
	sum := sha256.Sum256([]byte(s))
	return slug + "~" + hex.EncodeToString(sum[:5])
}
