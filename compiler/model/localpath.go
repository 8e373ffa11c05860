package model

import (
	"net/url"
	"path"
	"path/filepath"
	"strings"
)

// IsURL reports whether p, a path of evidence from YAML, is a URL
// (scheme:// or a scheme such as mailto:) rather than a path; a drive
// letter (C:) is not a scheme.
func IsURL(p string) bool {
	if strings.HasPrefix(p, "//") {
		return true
	}
	u, err := url.Parse(p)
	return err == nil && len(u.Scheme) > 1
}

// LocalPaths says where the local evidence path p (a verification's or a
// reference's path:) of a component in directory dir is looked for, as
// repository-relative paths: beside the component, then from the
// repository root (once when they are the same). Absolute reports an
// absolute p, escapes a p that leaves the repository both ways; a URL or
// an empty p is not local and has no paths.
func LocalPaths(dir, p string) (beside, fromRoot string, absolute, escapes bool) {
	p = strings.TrimSpace(p)
	if p == "" || IsURL(p) {
		return "", "", false, false
	}
	if path.IsAbs(p) || filepath.IsAbs(p) {
		return "", "", true, false
	}
	beside = path.Clean(path.Join(dir, p))
	fromRoot = path.Clean(p)
	return beside, fromRoot, false, leaves(beside) && leaves(fromRoot)
}

// Leaves reports whether a cleaned repository-relative path climbs out of
// the repository.
func leaves(rel string) bool { return rel == ".." || strings.HasPrefix(rel, "../") }

// Candidates is the paths of LocalPaths that stay inside the repository,
// in the order they are looked for.
func Candidates(beside, fromRoot string) []string {
	var out []string
	for _, rel := range []string{beside, fromRoot} {
		if rel != "" && !leaves(rel) && (len(out) == 0 || out[0] != rel) {
			out = append(out, rel)
		}
	}
	return out
}
