package load

import (
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"syscall"

	"github.com/charter-compliance/charter/compiler/opencontrol"
)

// Every read of a repository file goes through an os.Root opened at the
// repository's root: the one definition of "inside the repository". A root
// refuses absolute paths, paths that climb out with .., and symbolic links
// that lead out (or are absolute), on every step of the path, so a file
// cannot leave the repository between a check and its use.

// NotRegularError is what ReadFile's *fs.PathError holds for a path that
// names something other than a regular file (a directory, named pipe,
// socket or device), which is never opened.
type NotRegularError struct{ Mode fs.FileMode }

func (e *NotRegularError) Error() string {
	return describe(e.Mode) + ", not a regular file"
}

// describe names the kind of file mode m is, for messages: "a directory",
// "a named pipe" and so on.
func describe(m fs.FileMode) string {
	switch {
	case m.IsDir():
		return "a directory"
	case m&fs.ModeSymlink != 0:
		return "a symbolic link"
	case m&fs.ModeNamedPipe != 0:
		return "a named pipe"
	case m&fs.ModeSocket != 0:
		return "a socket"
	case m&fs.ModeCharDevice != 0:
		return "a character device"
	case m&fs.ModeDevice != 0:
		return "a device"
	case m.IsRegular():
		return "a regular file"
	}
	return "a special file"
}

// TooLargeError is what ReadFile's *fs.PathError holds for a file over
// its limit (opencontrol.MaxFileSize), which is refused before anything is
// read.
type TooLargeError struct{ Size, Limit int64 }

func (e *TooLargeError) Error() string {
	return fmt.Sprintf("%d bytes, more than the %d byte limit", e.Size, e.Limit)
}

// ReadFile reads the regular file name (slash-separated, relative to root)
// in one pass into a buffer of its size. It looks at the file's mode before
// opening it, and opens nothing but a regular file, so a named pipe, socket
// or device never blocks a run; files over opencontrol.MaxFileSize are
// refused unread. Errors are *fs.PathError, holding os.Root's reason, a
// *NotRegularError or a *TooLargeError.
func ReadFile(root *os.Root, name string) ([]byte, error) {
	return ReadFileLimit(root, name, opencontrol.MaxFileSize)
}

// ReadFileLimit is ReadFile with a size limit of its own.
func ReadFileLimit(root *os.Root, name string, limit int64) ([]byte, error) {
	fail := func(err error) error { return &fs.PathError{Op: "read", Path: name, Err: err} }
	info, err := root.Stat(filepath.FromSlash(name))
	if err != nil {
		return nil, err
	}
	if !info.Mode().IsRegular() {
		return nil, fail(&NotRegularError{info.Mode()})
	}
	if info.Size() > limit {
		return nil, fail(&TooLargeError{info.Size(), limit})
	}
	// O_NONBLOCK: should the file be swapped for a pipe since Stat, opening
	// it still returns at once, and the check below refuses it.
	f, err := root.OpenFile(filepath.FromSlash(name), os.O_RDONLY|syscall.O_NONBLOCK, 0)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	now, err := f.Stat()
	if err != nil {
		return nil, err
	}
	if !now.Mode().IsRegular() {
		return nil, fail(&NotRegularError{now.Mode()})
	}
	// one byte more than the size, so that the end is seen without growing
	buf := make([]byte, 0, now.Size()+1)
	for {
		n, err := f.Read(buf[len(buf):cap(buf)])
		buf = buf[:len(buf)+n]
		if err == io.EOF {
			return buf, nil
		}
		if err != nil {
			return nil, fail(err)
		}
		if int64(len(buf)) > limit {
			return nil, fail(&TooLargeError{int64(len(buf)), limit}) // grown since Stat
		}
		if len(buf) == cap(buf) {
			buf = append(buf, 0)[:len(buf)]
		}
	}
}
