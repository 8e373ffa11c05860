package site

import (
	"io/fs"
	"time"
)

// SetLockWait makes builds wait d for a held lock, until the test ends.
func SetLockWait(d time.Duration) (restore func()) {
	old := lockWait
	lockWait = d
	return func() { lockWait = old }
}

// BackupSuffix names the previous site while a swap moves it aside.
const BackupSuffix = backupSuffix

// SetThemeSource makes the site read its embedded theme from src, as if
// charter had been built with those files, until the returned function is
// called.
func SetThemeSource(src fs.FS) (restore func()) {
	old := themeSource
	themeSource = src
	return func() { themeSource = old }
}
