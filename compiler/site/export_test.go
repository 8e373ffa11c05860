package site

import "time"

// SetLockWait makes builds wait d for a held lock, until the test ends.
func SetLockWait(d time.Duration) (restore func()) {
	old := lockWait
	lockWait = d
	return func() { lockWait = old }
}

// BackupSuffix names the previous site while a swap moves it aside.
const BackupSuffix = backupSuffix
