//go:build !unix

package site_test

import "testing"

// withUmask does nothing where there is no umask.
func withUmask(*testing.T, int) {}
