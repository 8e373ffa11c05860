package load_test

import (
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/charter-compliance/charter/compiler/diag"
	"github.com/charter-compliance/charter/compiler/load"
	"github.com/charter-compliance/charter/compiler/model"
)

// loadWithin loads root, failing the test (instead of hanging it) when the
// load does not return within a generous bound: a load that blocks on a
// pipe never returns at all.
func loadWithin(t *testing.T, root string) (*model.Workspace, diag.List) {
	t.Helper()
	type res struct {
		ws  *model.Workspace
		l   diag.List
		err error
	}
	done := make(chan res, 1)
	go func() {
		ws, l, err := load.Load(load.Options{Root: root})
		done <- res{ws, l, err}
	}()
	select {
	case r := <-done:
		if r.err != nil {
			t.Fatalf("load %s: %v", root, r.err)
		}
		return r.ws, r.l
	case <-time.After(20 * time.Second):
		t.Fatalf("load %s did not return: it blocked", root)
		return nil, nil
	}
}

// A manifest that lists the repository itself as a dependency, forty
// times, reads its manifest once and reports each entry once, as a cycle.
func TestDependencyOnItself(t *testing.T) {
	root := t.TempDir()
	var b strings.Builder
	b.WriteString("schema_version: \"1.0.0\"\nname: self\nstandards: [./std.yaml]\ndependencies:\n  standards:\n")
	for range 40 {
		b.WriteString("    - url: ./\n")
	}
	writeTree(t, root, map[string]string{"opencontrol.yaml": b.String(), "std.yaml": demoStandard})
	ws, l := loadWithin(t, root)
	if len(l) != 40 {
		t.Fatalf("%d diagnostics, want 40 (one per entry):\n%s", len(l), text(l))
	}
	for i, d := range l {
		if want := fmt.Sprintf("opencontrol.yaml:%d:7: error[OC215]", 6+i); brief(d) != want {
			t.Errorf("diagnostic %d is %s, want %s", i, brief(d), want)
		}
		wantText(t, d, "dependency ./ forms a cycle: opencontrol.yaml -> opencontrol.yaml",
			"remove the dependency that leads back: a manifest cannot depend on itself")
	}
	checkWellFormed(t, root, l)
	if len(ws.Files) != 2 || len(ws.Standards) != 1 {
		t.Errorf("files %v, %d standards", ws.Files, len(ws.Standards))
	}
}

// Two local dependencies that name each other are followed once each: one
// error, at the entry that closes the loop, naming the chain. A diamond
// (two dependencies sharing a third) is no error, and the shared one is
// read once.
func TestDependencyCycleAndDiamond(t *testing.T) {
	root := t.TempDir()
	manifest := func(name, std string, deps ...string) string {
		s := fmt.Sprintf("schema_version: \"1.0.0\"\nname: %s\n", name)
		if std != "" {
			s += "standards: [./" + std + "]\n"
		}
		if len(deps) > 0 {
			s += "dependencies:\n  standards:\n"
			for _, d := range deps {
				s += "    - url: " + d + "\n"
			}
		}
		return s
	}
	writeTree(t, root, map[string]string{
		"opencontrol.yaml":               manifest("main", "", "./vendor/a", "./vendor/c"),
		"vendor/a/opencontrol.yaml":      manifest("a", "a.yaml", "../b", "../shared"),
		"vendor/a/a.yaml":                "name: A\nA-1:\n  name: One\n",
		"vendor/b/opencontrol.yaml":      manifest("b", "b.yaml", "../a"),
		"vendor/b/b.yaml":                "name: B\nB-1:\n  name: One\n",
		"vendor/c/opencontrol.yaml":      manifest("c", "", "../shared"),
		"vendor/shared/opencontrol.yaml": manifest("shared", "s.yaml"),
		"vendor/shared/s.yaml":           "name: S\nS-1:\n  name: One\n",
	})
	ws, l := loadWithin(t, root)
	if got, want := briefs(l), []string{"vendor/b/opencontrol.yaml:6:7: error[OC215]"}; !slices.Equal(got, want) {
		t.Fatalf("diagnostics %q, want %q\n%s", got, want, text(l))
	}
	wantText(t, l[0], "dependency ../a forms a cycle: vendor/a/opencontrol.yaml -> vendor/b/opencontrol.yaml -> vendor/a/opencontrol.yaml",
		"remove the dependency that leads back: a manifest cannot depend on itself")
	checkWellFormed(t, root, l)
	var names []string
	for _, s := range ws.Standards {
		names = append(names, s.Name)
	}
	if !slices.Equal(names, []string{"A", "B", "S"}) {
		t.Errorf("standards %q", names)
	}
	var manifests []string
	for _, f := range ws.Files {
		if f.Kind == model.KindManifest {
			manifests = append(manifests, f.Path)
		}
	}
	if want := []string{"opencontrol.yaml", "vendor/a/opencontrol.yaml", "vendor/b/opencontrol.yaml", "vendor/c/opencontrol.yaml", "vendor/shared/opencontrol.yaml"}; !slices.Equal(manifests, want) {
		t.Errorf("manifests read %q, want each once: %q", manifests, want)
	}
}

// A component directory that cannot be read is not one without a
// component.yaml: the message says what went wrong. Running as root, every
// directory is readable, so the test then uses what root cannot read
// either: a component.yaml that is a dangling link.
func TestUnreadableComponent(t *testing.T) {
	root := t.TempDir()
	writeTree(t, root, map[string]string{
		"opencontrol.yaml": `schema_version: "1.0.0"
name: unreadable
components:
  - ./components/locked
  - ./components/dangling
  - ./components/empty
`,
		"components/locked/component.yaml":   webComponent,
		"components/dangling/component.yaml": "->gone.yaml",
		"components/empty/.keep":             "",
	})
	locked := filepath.Join(root, "components", "locked")
	want := []string{
		"opencontrol.yaml:4:5: error[OC001]", // locked
		"opencontrol.yaml:5:5: error[OC012]", // dangling
		"opencontrol.yaml:6:5: error[OC012]", // empty
	}
	asRoot := os.Geteuid() == 0
	if asRoot {
		want = want[1:]
	} else {
		if err := os.Chmod(locked, 0); err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { os.Chmod(locked, 0o755) })
	}
	_, l := loadWithin(t, root)
	if got := briefs(l); !slices.Equal(got, want) {
		t.Fatalf("diagnostics %q, want %q\n%s", got, want, text(l))
	}
	checkWellFormed(t, root, l)
	if !asRoot {
		wantText(t, l[0], `"components/locked/component.yaml" cannot be read: permission denied`,
			"make it (and the directories above it) readable by the user running charter")
		l = l[1:]
	}
	wantText(t, l[0], `"components/dangling/component.yaml" is a symbolic link to "gone.yaml", which does not exist`,
		"point the link at an existing file, or remove the entry")
	wantText(t, l[1], "component directory components/empty has no component.yaml", "each component directory holds a component.yaml")
}

// An unreadable directory among the documents is reported, not skipped.
func TestUnreadableDocumentsDirectory(t *testing.T) {
	if os.Geteuid() == 0 {
		t.Skip("running as root: every directory is readable (TestSpecialFilesAreNotRead and TestUnreadableComponent cover what root cannot read)")
	}
	root := t.TempDir()
	writeTree(t, root, map[string]string{
		"opencontrol.yaml":           "schema_version: \"1.0.0\"\nname: docs\n",
		"templates/locked/policy.md": "---\nid: POL-1\ntitle: One\nkind: policy\nstatus: draft\n---\n",
	})
	locked := filepath.Join(root, "templates", "locked")
	if err := os.Chmod(locked, 0); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.Chmod(locked, 0o755) })
	_, l := loadWithin(t, root)
	if got, want := briefs(l), []string{"templates/locked: error[OC001]"}; !slices.Equal(got, want) {
		t.Fatalf("diagnostics %q, want %q\n%s", got, want, text(l))
	}
	wantText(t, l[0], "cannot read directory templates/locked: permission denied", "make the directory readable by the user running charter")
}

// load.Sources names what Load reads, dependencies included.
func TestSources(t *testing.T) {
	root := t.TempDir()
	writeTree(t, root, map[string]string{
		"opencontrol.yaml": `schema_version: "1.0.0"
name: main
components: [./components/web]
standards: [./standards/demo.yaml]
dependencies:
  standards:
    - url: ./vendor/std
`,
		"components/web/component.yaml": webComponent,
		"standards/demo.yaml":           demoStandard,
		"vendor/std/opencontrol.yaml":   "schema_version: \"1.0.0\"\nname: std\nstandards: [./std.yaml]\n",
		"vendor/std/std.yaml":           depStandard,
		"templates/p.md":                "---\nid: POL-1\ntitle: One\nkind: policy\nstatus: draft\n---\n",
	})
	ws, l := loadWithin(t, root)
	if len(l) != 0 {
		t.Fatalf("diagnostics:\n%s", text(l))
	}
	is := load.Sources(root, "themes/mine")
	for _, f := range ws.Files {
		if !is(f.Path) {
			t.Errorf("Load read %s, which Sources does not count", f.Path)
		}
	}
	for p, want := range map[string]bool{
		"charter.yaml":               true,
		"components/web/notes.txt":   true, // anything in a component directory
		"opencontrols/x/y.yaml":      true,
		"templates/new/q.md":         true,
		"templates/README.md":        false,
		"templates/q.txt":            false,
		"themes/mine/layouts/a.html": true,
		"vendor/std/other.yaml":      false,
		"standards/other.yaml":       false,
		"README.md":                  false,
	} {
		if got := is(p); got != want {
			t.Errorf("Sources(%s) = %v, want %v", p, got, want)
		}
	}
}

const depStandard = "name: STD\nX-1:\n  family: X\n  name: One\n"
