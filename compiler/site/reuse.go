package site

import (
	"os"
	"path/filepath"
)

// A build that replaces a site charter wrote links every file whose bytes
// are those of the same file in the previous site, instead of writing it
// again. The new site is the same either way; but a linked file costs no
// new inode and no data written, and removing the previous site afterwards
// only drops a name from an inode the new site keeps. On ext4 without a
// journal, where a new inode first skips every inode freed in the last
// minute, writing 1,376 fresh files after deleting 1,376 old ones is most
// of a rebuild's time (docs/performance.md).
//
// Only a regular file (not a symbolic link) with the mode this build gives
// its files and exactly the new bytes is linked, so the previous site's
// files are never changed and a file someone edited or chmodded in it is
// written afresh. The mode is 0644 less the umask; rather than change the
// process's umask to read it, the stage learns it from the first file it
// writes.

// putFile writes data to rel in the stage, or links the previous site's
// identical file there. The caller holds st.writing.
func (st *Stage) putFile(rel string, data []byte) error {
	dst := filepath.Join(st.tmp, filepath.FromSlash(rel))
	if st.prev != "" && st.mode != 0 {
		old := filepath.Join(st.prev, filepath.FromSlash(rel))
		if sameBytes(old, data, st.mode, &st.cmp) && os.Link(old, dst) == nil {
			return nil
		}
	}
	if err := writeFile(dst, data); err != nil {
		return err
	}
	if st.prev != "" && st.mode == 0 {
		if info, err := os.Lstat(dst); err == nil {
			st.mode = info.Mode().Perm()
		}
	}
	return nil
}
