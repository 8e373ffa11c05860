//go:build unix

package site_test

import (
	"syscall"
	"testing"
)

// withUmask sets the process's umask for the rest of the test. No test in
// this package runs in parallel, so no other test creates files meanwhile.
func withUmask(t *testing.T, mask int) {
	old := syscall.Umask(mask)
	t.Cleanup(func() { syscall.Umask(old) })
}
