package history

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
)

// OutsideGit reports whether dir is certainly outside any git repository,
// where git would only fail: GIT_DIR is not set, and neither dir (symbolic
// links resolved, as git sees it) nor any directory above it has a .git or
// a HEAD (a bare repository). Starting git costs 10 ms or more; where in
// doubt, git is run.
func OutsideGit(dir string) bool {
	if os.Getenv("GIT_DIR") != "" {
		return false
	}
	dir, err := filepath.EvalSymlinks(dir)
	if err != nil {
		return false
	}
	for {
		for _, name := range []string{".git", "HEAD"} {
			if _, err := os.Lstat(filepath.Join(dir, name)); !errors.Is(err, fs.ErrNotExist) {
				return false
			}
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return true
		}
		dir = parent
	}
}
