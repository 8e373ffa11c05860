//go:build !unix

package site

import (
	"bytes"
	"io/fs"
	"os"
)

// writeFile is os.WriteFile(name, data, 0o644).
func writeFile(name string, data []byte) error { return os.WriteFile(name, data, 0o644) }

// sameBytes reports whether the file at name is a regular file (not a
// symbolic link) holding exactly data. Modes are not Unix modes here, so
// perm is not compared; *buf is unused.
func sameBytes(name string, data []byte, _ fs.FileMode, _ *[]byte) bool {
	info, err := os.Lstat(name)
	if err != nil || !info.Mode().IsRegular() || info.Size() != int64(len(data)) {
		return false
	}
	old, err := os.ReadFile(name)
	return err == nil && bytes.Equal(old, data)
}
