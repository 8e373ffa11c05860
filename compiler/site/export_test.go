package site

import "io/fs"

// SetThemeSource makes the site read its embedded theme from src, as if
// charter had been built with those files, until the returned function is
// called.
func SetThemeSource(src fs.FS) (restore func()) {
	old := themeSource
	themeSource = src
	return func() { themeSource = old }
}
