//go:build unix

package site_test

import (
	"syscall"
	"time"
)

// processCPU is the CPU time the test process has used so far, user and
// system: on a shared machine it moves much less than wall time does.
func processCPU() (time.Duration, bool) {
	var ru syscall.Rusage
	if syscall.Getrusage(syscall.RUSAGE_SELF, &ru) != nil {
		return 0, false
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano()), true
}
