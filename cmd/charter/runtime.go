package main

import (
	"os"
	"runtime/debug"
)

// gcPercent and memoryLimit are the garbage collector's settings for a
// charter process, unless GOGC or GOMEMLIMIT say otherwise.
//
// charter runs for a fraction of a second and most of what it allocates
// lives until it exits (the model, the coverage, the rendered documents), so
// the default GOGC of 100 spends its collections re-marking the same live
// heap. At 400 a 1× build collects 3 times instead of 8: 0.155 → 0.135 s,
// peak RSS 48 → 57 MiB (docs/performance.md; it pays because the heap is
// backed by huge pages, see useHugePages). The soft limit keeps a very
// large repository from growing to five times its live heap before a
// collection.
const (
	gcPercent   = 400
	memoryLimit = 1 << 30
)

// tuneRuntime applies charter's garbage-collector settings and heap huge
// pages. It runs once, in main; tests that call run directly keep Go's
// defaults.
func tuneRuntime() {
	if os.Getenv("GOGC") == "" {
		debug.SetGCPercent(gcPercent)
	}
	if os.Getenv("GOMEMLIMIT") == "" {
		debug.SetMemoryLimit(memoryLimit)
	}
	useHugePages(os.Getenv("GODEBUG"))
}
