//go:build unix

package load_test

import (
	"fmt"
	"net"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"

	"github.com/charter-compliance/charter/compiler/diag"
)

// special replaces the file at p with a named pipe, a socket or a device.
func special(t *testing.T, p, kind string) {
	t.Helper()
	if err := os.Remove(p); err != nil && !os.IsNotExist(err) {
		t.Fatal(err)
	}
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		t.Fatal(err)
	}
	switch kind {
	case "pipe":
		if err := syscall.Mkfifo(p, 0o644); err != nil {
			t.Fatal(err)
		}
	case "socket":
		ln, err := net.Listen("unix", p)
		if err != nil {
			t.Skipf("cannot make a socket at %s: %v", p, err)
		}
		t.Cleanup(func() { ln.Close() })
	case "device":
		// the device of /dev/zero, which never ends when read
		var st syscall.Stat_t
		if err := syscall.Stat("/dev/zero", &st); err != nil {
			t.Skipf("no /dev/zero: %v", err)
		}
		if err := syscall.Mknod(p, syscall.S_IFCHR|0o644, int(st.Rdev)); err != nil {
			t.Skipf("cannot make a device node (needs privileges): %v", err)
		}
	}
}

// A named pipe, socket or device where any input file belongs is an error
// naming the file; it is never opened, so the load never blocks.
func TestSpecialFilesAreNotRead(t *testing.T) {
	files := map[string]string{
		"opencontrol.yaml": `schema_version: "1.0.0"
name: special
components: [./components/web]
standards: [./standards/demo.yaml]
certifications: [./certifications/base.yaml]
dependencies:
  standards:
    - url: ./vendor/dep
`,
		"charter.yaml":                  "organization: Acme\n",
		"components/web/component.yaml": webComponent,
		"standards/demo.yaml":           demoStandard,
		"certifications/base.yaml":      "name: base\nstandards:\n  DEMO:\n    AC-1: {}\n",
		"templates/policy.md":           "---\nid: POL-1\ntitle: One\nkind: policy\nstatus: draft\n---\nText.\n",
		"vendor/dep/opencontrol.yaml":   "schema_version: \"1.0.0\"\nname: dep\n",
	}
	// where each file's problem is reported: at the line that lists it,
	// or at the file itself
	at := map[string]string{
		"opencontrol.yaml":              "opencontrol.yaml",
		"charter.yaml":                  "charter.yaml",
		"components/web/component.yaml": "opencontrol.yaml:3:14",
		"standards/demo.yaml":           "opencontrol.yaml:4:13",
		"certifications/base.yaml":      "opencontrol.yaml:5:18",
		"templates/policy.md":           "templates/policy.md",
		"vendor/dep/opencontrol.yaml":   "opencontrol.yaml:8:7",
	}
	for _, kind := range []string{"pipe", "socket", "device"} {
		for file := range files {
			t.Run(kind+"/"+file, func(t *testing.T) {
				// a short path: a socket's must fit in 108 bytes
				root, err := os.MkdirTemp("", "ch")
				if err != nil {
					t.Fatal(err)
				}
				t.Cleanup(func() { os.RemoveAll(root) })
				writeTree(t, root, files)
				special(t, filepath.Join(root, filepath.FromSlash(file)), kind)
				_, l := loadWithin(t, root)
				var found bool
				for _, d := range l {
					if d.Code != diag.CodeRead || d.Pos.String() != at[file] {
						continue
					}
					found = true
					name := map[string]string{"pipe": "a named pipe", "socket": "a socket", "device": "a character device"}[kind]
					if !strings.Contains(d.Message, name+", not a regular file") {
						t.Errorf("message %q does not say it is %s", d.Message, name)
					}
					if d.Pos.Line > 0 && !strings.Contains(d.Message, fmt.Sprintf("%q", file)) {
						t.Errorf("message %q does not name %s", d.Message, file)
					}
				}
				if !found {
					t.Errorf("no %s diagnostic at %s for %s:\n%s", diag.CodeRead, at[file], file, text(l))
				}
			})
		}
	}
}
