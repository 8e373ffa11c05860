package load

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/charter-compliance/charter/compiler/diag"
)

func writeFiles(t *testing.T, root string, files map[string]string) {
	t.Helper()
	for name, text := range files {
		p := filepath.Join(root, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

const depStandard = "name: STD\nX-1:\n  family: X\n  name: One\n"

// A local dependency is a directory inside the repository with its own
// opencontrol.yaml; a git dependency counts once it has been fetched into
// opencontrols/<kind>/<name>.
func TestDependencies(t *testing.T) {
	root := t.TempDir()
	writeFiles(t, root, map[string]string{
		"opencontrol.yaml": `schema_version: "1.0.0"
name: main
components: [./comp]
dependencies:
  standards:
    - url: ./vendor/std
  certifications:
    - url: https://github.com/example/certs.git
      revision: v1
`,
		"comp/component.yaml":                                "name: C\nschema_version: 3.1.0\nsatisfies:\n  - standard_key: STD\n    control_key: X-1\n    implementation_status: complete\n    narrative:\n      - text: done\n",
		"vendor/std/opencontrol.yaml":                        "schema_version: \"1.0.0\"\nname: std\nstandards: [./std.yaml]\n",
		"vendor/std/std.yaml":                                depStandard,
		"opencontrols/certifications/certs/opencontrol.yaml": "schema_version: \"1.0.0\"\nname: certs\ncertifications: [./c.yaml]\n",
		"opencontrols/certifications/certs/c.yaml":           "name: base\nstandards:\n  STD:\n    X-1: {}\n",
	})
	ws, ds, err := Load(Options{Root: root})
	if err != nil {
		t.Fatal(err)
	}
	if len(ds) != 0 {
		t.Fatalf("unexpected diagnostics: %v", ds)
	}
	if ws.DependencyLayout != LayoutCharter {
		t.Errorf("layout %q", ws.DependencyLayout)
	}
	if ws.Standard("STD") == nil || ws.Certification("base") == nil || ws.Component("comp") == nil {
		t.Fatalf("dependencies not loaded: standards %d, certifications %d", len(ws.Standards), len(ws.Certifications))
	}
	want := []string{"comp/component.yaml", "opencontrol.yaml", "opencontrols/certifications/certs/c.yaml",
		"opencontrols/certifications/certs/opencontrol.yaml", "vendor/std/opencontrol.yaml", "vendor/std/std.yaml"}
	if len(ws.Files) != len(want) {
		t.Fatalf("files %v", ws.Files)
	}
	for i, f := range ws.Files {
		if f.Path != want[i] {
			t.Errorf("file %d = %s, want %s", i, f.Path, want[i])
		}
	}
}

func TestUnfetchedAndEscapingDependencies(t *testing.T) {
	root := t.TempDir()
	writeFiles(t, root, map[string]string{
		"opencontrol.yaml": `schema_version: "1.0.0"
name: main
dependencies:
  standards:
    - url: git@github.com:example/nist.git
    - url: ../outside
`,
	})
	_, ds, err := Load(Options{Root: root})
	if err != nil {
		t.Fatal(err)
	}
	if len(ds) != 2 {
		t.Fatalf("want 2 diagnostics, got %v", ds)
	}
	if d := ds[0]; d.Code != diag.CodeRemoteDependency || d.Pos.String() != "opencontrol.yaml:5:7" ||
		d.Hint != "fetch every dependency with `compliance-masonry get` (it copies them into opencontrols/), or this one with: git clone git@github.com:example/nist.git opencontrols/standards/nist" {
		t.Errorf("remote: %s hint %q", d, d.Hint)
	}
	if d := ds[1]; d.Code != diag.CodePathEscapes || d.Pos.String() != "opencontrol.yaml:6:7" || d.Source != "    - url: ../outside" {
		t.Errorf("escape: %s source %q", d, d.Source)
	}
}

// A dependency's path: and contextdir:, and the repository's own
// opencontrol.yaml and charter.yaml, cannot lead outside the repository.
func TestDependencyAndRootFilesStayInside(t *testing.T) {
	outside := t.TempDir()
	writeFiles(t, outside, map[string]string{"opencontrol.yaml": "SECRET: [unclosed\n", "charter.yaml": "SECRET: [unclosed\n"})
	root := filepath.Join(t.TempDir(), "repo")
	writeFiles(t, root, map[string]string{
		"opencontrol.yaml": `schema_version: "1.0.0"
name: main
dependencies:
  standards:
    - url: ./dep
      path: ../../../` + filepath.Base(outside) + `/opencontrol.yaml
    - url: https://github.com/x/y
      contextdir: ../../../../outside
    - url: https://github.com/x/..
`,
		"dep/std.yaml": depStandard,
	})
	if err := os.Symlink(filepath.Join(outside, "charter.yaml"), filepath.Join(root, "charter.yaml")); err != nil {
		t.Fatal(err)
	}
	_, ds, err := Load(Options{Root: root})
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, d := range ds {
		got = append(got, d.Pos.String()+" "+string(d.Code))
		if strings.Contains(d.Source, "SECRET") || strings.Contains(d.Message, "SECRET") {
			t.Errorf("content from outside the repository leaked: %s", d)
		}
	}
	want := []string{"charter.yaml OC010", "opencontrol.yaml:5:7 OC011", "opencontrol.yaml:7:7 OC011", "opencontrol.yaml:9:7 OC011"}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("got\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}

// After `masonry get`, dependencies are files copied flat into
// opencontrols/standards/, certifications/ and components/<dir>/, with no
// manifest: they are read from there, once, whatever the number of
// dependencies. A kind whose folder is empty is still unfetched.
func TestMasonryLayout(t *testing.T) {
	files := map[string]string{
		"opencontrol.yaml": `schema_version: "1.0.0"
name: main
components: [./comp]
dependencies:
  standards:
    - url: https://github.com/example/std
    - url: https://github.com/example/std2
  certifications:
    - url: https://github.com/example/certs
  systems:
    - url: https://github.com/example/platform
`,
		"comp/component.yaml":                             "name: C\nschema_version: 3.1.0\nsatisfies:\n  - standard_key: STD\n    control_key: X-1\n    implementation_status: complete\n    narrative:\n      - text: done\n",
		"opencontrols/standards/std.yaml":                 depStandard,
		"opencontrols/standards/README.md":                "not a standard\n",
		"opencontrols/certifications/c.yml":               "name: base\nstandards:\n  STD:\n    X-1: {}\n",
		"opencontrols/components/platform/component.yaml": "name: P\nschema_version: 3.1.0\nsatisfies: []\n",
		"opencontrols/components/notes/readme.md":         "a directory without a component.yaml is not a component\n",
	}
	root := t.TempDir()
	writeFiles(t, root, files)
	ws, ds, err := Load(Options{Root: root})
	if err != nil {
		t.Fatal(err)
	}
	if len(ds) != 0 {
		t.Fatalf("unexpected diagnostics: %v", ds)
	}
	if ws.DependencyLayout != LayoutMasonry {
		t.Errorf("layout %q", ws.DependencyLayout)
	}
	if ws.Standard("STD") == nil || ws.Certification("base") == nil || len(ws.Components) != 2 {
		t.Fatalf("standards %d, certifications %d, components %d", len(ws.Standards), len(ws.Certifications), len(ws.Components))
	}
	if p := ws.Component("platform"); p == nil || !p.Fetched || p.ListedBy != "" || p.Dir != "opencontrols/components/platform" {
		t.Errorf("platform: %+v", p)
	}
	if c := ws.Component("comp"); c == nil || c.Fetched || c.ListedBy != "main" {
		t.Errorf("comp: %+v", c)
	}

	// no component fetched: the system dependency is unfetched, with the
	// commands that fetch it
	root = t.TempDir()
	delete(files, "opencontrols/components/platform/component.yaml")
	writeFiles(t, root, files)
	ws, ds, _ = Load(Options{Root: root})
	if len(ds) != 1 || ds[0].Code != diag.CodeRemoteDependency || ds[0].Pos.String() != "opencontrol.yaml:11:7" ||
		ds[0].Message != "dependency https://github.com/example/platform has not been fetched: neither opencontrols/systems/platform nor files in opencontrols/components/ exist" ||
		ds[0].Hint != "fetch every dependency with `compliance-masonry get` (it copies them into opencontrols/), or this one with: git clone https://github.com/example/platform opencontrols/systems/platform" {
		t.Errorf("diagnostics %v hint %q", ds, ds[0].Hint)
	}
	if ws.DependencyLayout != LayoutMasonry || ws.Standard("STD") == nil {
		t.Errorf("layout %q", ws.DependencyLayout)
	}

	// one dependency cloned in charter's layout, the others flat
	root = t.TempDir()
	files["opencontrols/components/platform/component.yaml"] = "name: P\nschema_version: 3.1.0\n"
	delete(files, "opencontrols/standards/std.yaml")
	files["opencontrols/standards/std/opencontrol.yaml"] = "schema_version: \"1.0.0\"\nname: std\nstandards: [./std.yaml]\n"
	files["opencontrols/standards/std/std.yaml"] = depStandard
	files["opencontrols/standards/other.yaml"] = "name: OTHER\nO-1: {}\n"
	writeFiles(t, root, files)
	ws, ds, _ = Load(Options{Root: root})
	if len(ds) != 0 || ws.DependencyLayout != LayoutBoth || ws.Standard("STD") == nil || ws.Standard("OTHER") == nil {
		t.Errorf("layout %q, standards %d, diagnostics %v", ws.DependencyLayout, len(ws.Standards), ds)
	}
}
