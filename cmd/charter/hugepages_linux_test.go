//go:build linux && (amd64 || arm64)

package main

import (
	"bufio"
	"fmt"
	"os"
	"runtime"
	"strings"
	"testing"
	"unsafe"
)

func TestGodebugDisablesTHP(t *testing.T) {
	for _, c := range []struct {
		godebug string
		off     bool
	}{
		{"", false},
		{"disablethp=1", true},
		{"disablethp=0", false},
		{"gctrace=1, disablethp=1", true},
		{"disablethp=1,disablethp=0", false},
		{"xdisablethp=1", false},
	} {
		if got := godebugDisablesTHP(c.godebug); got != c.off {
			t.Errorf("godebugDisablesTHP(%q) = %v, want %v", c.godebug, got, c.off)
		}
	}
}

// TestHugePagesReachTheHeap checks the mechanism useHugePages relies on:
// once the next collection has freed its block, heap memory the program allocates lies in a mapping the kernel
// has marked for huge pages ("hg" in /proc/self/smaps). It fails if a Go
// release starts placing new allocations elsewhere.
func TestHugePagesReachTheHeap(t *testing.T) {
	if _, err := os.Stat("/proc/self/smaps"); err != nil {
		t.Skip("no /proc/self/smaps")
	}
	if godebugDisablesTHP(os.Getenv("GODEBUG")) {
		t.Skip("GODEBUG disables huge pages")
	}
	if !worthHugePages() {
		t.Skip("transparent huge pages are not \"madvise\" here, or overcommit is strict: charter leaves the heap alone")
	}
	useHugePages("")
	// the collection charter's next allocations start, run to its end
	runtime.GC()
	// Larger than what is left of the heap mapped before the test ran.
	buf := make([]byte, 8<<20)
	addr := uintptr(unsafe.Pointer(unsafe.SliceData(buf)))
	flags, err := vmFlags(addr)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(" "+flags+" ", " hg ") {
		t.Fatalf("an 8 MiB allocation at %#x lies in a mapping with VmFlags %q, want hg (MADV_HUGEPAGE)", addr, flags)
	}
	buf[0] = 1
}

// vmFlags returns the VmFlags line of the mapping holding addr.
func vmFlags(addr uintptr) (string, error) {
	f, err := os.Open("/proc/self/smaps")
	if err != nil {
		return "", err
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	in := false
	for sc.Scan() {
		line := sc.Text()
		// A mapping starts with "lo-hi perms offset dev inode [path]".
		var lo, hi uintptr
		if fields := strings.Fields(line); len(fields) >= 5 {
			if n, _ := fmt.Sscanf(fields[0], "%x-%x", &lo, &hi); n == 2 {
				in = lo <= addr && addr < hi
				continue
			}
		}
		if v, ok := strings.CutPrefix(line, "VmFlags:"); ok && in {
			return strings.TrimSpace(v), nil
		}
	}
	if err := sc.Err(); err != nil {
		return "", err
	}
	return "", fmt.Errorf("no mapping holds %#x", addr)
}
