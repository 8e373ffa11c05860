package check

import (
	"os"
	"path/filepath"

	"github.com/charter-compliance/charter/compiler/diag"
)

func readSource(root, rel string) *diag.Source {
	p := rel
	if !filepath.IsAbs(p) {
		p = filepath.Join(root, filepath.FromSlash(rel))
	}
	text, _ := os.ReadFile(p)
	return diag.NewSource(rel, text)
}
