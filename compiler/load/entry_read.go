//go:build !(linux || darwin || freebsd || netbsd || openbsd || dragonfly)

package load

import "os"

// readEntry returns the bytes of the entry file name, and a function that
// gives them back once they turn out to be useless (nothing to do where
// entries are read into memory rather than mapped).
func readEntry(name string) (data []byte, release func(), err error) {
	data, err = os.ReadFile(name)
	return data, func() {}, err
}
