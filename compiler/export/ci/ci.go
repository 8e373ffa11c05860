// Package ci holds charter's continuous-integration templates, the one copy
// of each: `charter ci-template` prints them, and the repository's own
// .github/workflows/charter.yml and .gitlab-ci.yml are these files (a test
// keeps them identical).
package ci

import (
	_ "embed"
	"slices"
)

//go:embed github.yml
var github []byte

//go:embed gitlab.yml
var gitlab []byte

// Template is one provider's template and where it belongs in a
// repository.
type Template struct {
	Provider string
	Path     string // where the file goes, relative to the repository root
	Data     []byte
}

// Templates lists every provider's template, by provider name.
var Templates = []Template{
	{Provider: "github", Path: ".github/workflows/charter.yml", Data: github},
	{Provider: "gitlab", Path: ".gitlab-ci.yml", Data: gitlab},
}

// Lookup returns the template of a provider.
func Lookup(provider string) (Template, bool) {
	i := slices.IndexFunc(Templates, func(t Template) bool { return t.Provider == provider })
	if i < 0 {
		return Template{}, false
	}
	return Templates[i], true
}
