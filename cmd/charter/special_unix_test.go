//go:build unix

package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// A named pipe among the theme's files stops the build with an error
// naming it; it is never opened, so the build does not block.
func TestThemePipeIsNotRead(t *testing.T) {
	root := checkRepo(t, nil)
	if err := os.MkdirAll(filepath.Join(root, "theme"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := syscall.Mkfifo(filepath.Join(root, "theme", "extra.css"), 0o644); err != nil {
		t.Fatal(err)
	}
	type result struct {
		code      int
		out, errs string
	}
	t.Setenv("SOURCE_DATE_EPOCH", "1772323200")
	out := filepath.Join(t.TempDir(), "site")
	done := make(chan result, 1)
	go func() {
		var stdout, stderr bytes.Buffer
		code := run([]string{"-C", root, "build", "--out", out}, &stdout, &stderr)
		done <- result{code, stdout.String(), stderr.String()}
	}()
	select {
	case r := <-done:
		if r.code != 2 || !strings.Contains(r.errs, "theme/extra.css") || !strings.Contains(r.errs, "a named pipe, not a regular file") {
			t.Errorf("exit %d, stderr %q: want 2 and an error naming theme/extra.css as a named pipe", r.code, r.errs)
		}
	case <-time.After(20 * time.Second):
		t.Fatal("the build blocked on the pipe")
	}
}
