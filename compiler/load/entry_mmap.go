//go:build linux || darwin || freebsd || netbsd || openbsd || dragonfly

package load

import (
	"os"
	"sync/atomic"
	"syscall"
)

// Cache entries are mapped into memory rather than read: a warm check's
// decoded strings are slices of its entries, and mapping them costs one
// page fault per 64 KB or so of the page cache instead of a fresh heap page
// and a copy per 4 KB. A mapping is never undone once its entry decodes,
// since the workspace's strings point into it for the rest of the process
// (a few MB per workspace loaded). Packs are only ever appended to, never
// rewritten in place (a merge copies records into a new pack and deletes
// the old ones, which leaves existing mappings intact), so mapped bytes
// never change.

// maxMapped bounds the mappings one process makes, far below the kernel's
// limit (65,530 on Linux) that the Go runtime's own memory needs too.
const maxMapped = 4096

var mapped atomic.Int32

// readEntry returns the bytes of the entry file name, and a function that
// gives them back once they turn out to be useless.
func readEntry(name string) (data []byte, release func(), err error) {
	f, err := os.Open(name)
	if err != nil {
		return nil, nil, err
	}
	defer f.Close()
	info, err := f.Stat()
	if err != nil {
		return nil, nil, err
	}
	size := info.Size()
	if size >= mapMinSize && size <= 1<<30 && mapped.Add(1) <= maxMapped {
		data, err := syscall.Mmap(int(f.Fd()), 0, int(size), syscall.PROT_READ, syscall.MAP_PRIVATE)
		if err == nil {
			return data, func() { syscall.Munmap(data); mapped.Add(-1) }, nil
		}
		mapped.Add(-1)
	} else if size >= mapMinSize {
		mapped.Add(-1)
	}
	data, err = readAll(f, int(size))
	return data, func() {}, err
}
