// Package benchcpu reports the processor time a benchmark spends, beside
// the wall time: on a machine shared with other work, wall time measures
// the machine's load as much as the code.
package benchcpu

import (
	"syscall"
	"testing"
	"time"
)

func used() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// Start begins measuring; call the returned function after the loop to
// report cpu-ms/op, the process's user and system time per iteration.
func Start(b *testing.B) (stop func()) {
	start := used()
	return func() {
		if b.N > 0 {
			b.ReportMetric(float64(used()-start)/float64(time.Millisecond)/float64(b.N), "cpu-ms/op")
		}
	}
}
