//go:build linux && (amd64 || arm64)

package main

import (
	"os"
	"runtime/debug"
	"strings"
	"syscall"
	"unsafe"
)

// heapHugePages is how much of the Go heap's address space charter asks
// the kernel to back with transparent huge pages. A 1× build's heap peaks
// near 50 MiB and a 10× build's near 200 MiB; address space costs nothing
// until it is touched.
const heapHugePages = 256 << 20

// heapArenaBytes is the Go runtime's heap arena size on 64-bit Linux: the
// heap is reserved in aligned arenas of this size.
const heapArenaBytes = 64 << 20

// madvHugePage is MADV_HUGEPAGE from <linux/mman.h>; package syscall does
// not name it.
const madvHugePage = 14

// useHugePages lets the Go heap fault in 2 MiB at a time instead of 4 KiB.
//
// The Go runtime maps its heap with mmap(MAP_FIXED) in 4 MiB steps and never
// asks for huge pages, so where the kernel's transparent huge pages are set
// to "madvise" (Debian's default) every 4 KiB of heap is a separate page
// fault when first written. On the virtual machines charter is measured on
// (docs/performance.md), one such fault costs 13 to 17 µs, and a 1× build
// took about 8,000 of them: a third of its wall time.
//
// So charter makes the runtime map one large block of heap, marks that
// range MADV_HUGEPAGE while none of it has been touched, and drops the
// block for the first garbage collection to free. Everything allocated
// afterwards reuses that range, where the first write to each 2 MiB is one
// fault. A 1× build goes from about 8,000 faults to about 2,200.
//
// It changes no output, only how the heap's memory is backed. It is done
// only where the kernel's huge pages are "madvise" and it does not refuse
// address space (worthHugePages); GODEBUG=disablethp=1, the Go runtime's
// own switch for this, turns it off.
func useHugePages(godebug string) {
	if godebugDisablesTHP(godebug) || !worthHugePages() {
		return
	}
	// A fresh large allocation is mapped but untouched: the runtime knows
	// new memory is zero and does not clear it. The collector is off while
	// the block is live, so that no collection can find it still in use.
	percent := debug.SetGCPercent(-1)
	block := make([]byte, heapHugePages)
	// The advice starts at the beginning of the block's heap arena, so it
	// also covers what is still free of the heap the runtime mapped before
	// main: every arena belongs to the heap, and advice over its parts not
	// yet mapped is harmless.
	end := uintptr(unsafe.Pointer(unsafe.SliceData(block))) + uintptr(len(block))
	start := uintptr(unsafe.Pointer(unsafe.SliceData(block))) &^ (heapArenaBytes - 1)
	syscall.Syscall(syscall.SYS_MADVISE, start, end-start, madvHugePage)
	block = nil
	// The block now counts as allocated heap far above the collector's
	// goal, so the next allocation starts a collection, which frees it;
	// charter's start-up runs beside that collection instead of waiting
	// for it (runtime.GC took 3 to 5 ms here).
	debug.SetGCPercent(percent)
}

// worthHugePages reports whether the kernel gives huge pages only where
// they are asked for ("madvise"; with "always" the heap has them already,
// with "never" it cannot), and does not refuse address space it cannot
// promise (vm.overcommit_memory 2, where the block would count against the
// commit limit and a refused heap mapping is fatal to a Go program).
func worthHugePages() bool {
	thp, err := os.ReadFile("/sys/kernel/mm/transparent_hugepage/enabled")
	if err != nil || !strings.Contains(string(thp), "[madvise]") {
		return false
	}
	overcommit, err := os.ReadFile("/proc/sys/vm/overcommit_memory")
	return err == nil && strings.TrimSpace(string(overcommit)) != "2"
}

// godebugDisablesTHP reports whether a GODEBUG value sets disablethp=1; as in
// the runtime, the last setting of a key wins.
func godebugDisablesTHP(godebug string) bool {
	off := false
	for _, kv := range strings.Split(godebug, ",") {
		if v, ok := strings.CutPrefix(strings.TrimSpace(kv), "disablethp="); ok {
			off = v == "1"
		}
	}
	return off
}
