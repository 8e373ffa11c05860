package links_test

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/charter-compliance/charter/compiler"
	"github.com/charter-compliance/charter/compiler/links"
)

// hostileIDs cannot be file names as they are.
var hostileIDs = []string{
	strings.Repeat("AC", 150), // 300 characters
	"AC/1", "../AC-2", "..", "日本", "中国", "AC 3", "AC-3", "index", "x\u202ey", "e\u0301",
}

// A workspace whose controls have hostile IDs checks and builds without a
// diagnostic about page names, and every control has its page on disk.
func TestHostileControlIDsCheckAndBuild(t *testing.T) {
	root := t.TempDir()
	write := func(name, text string) {
		t.Helper()
		p := filepath.Join(root, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write("opencontrol.yaml", "schema_version: \"1.0.0\"\nname: hostile-ids\ncomponents:\n  - ./components/app\nstandards:\n  - ./standards/odd.yaml\n")
	var std, comp strings.Builder
	std.WriteString("name: Odd std/..\n")
	comp.WriteString("name: App\nkey: app\nschema_version: 3.1.0\nsatisfies:\n")
	for _, id := range hostileIDs {
		fmt.Fprintf(&std, "%q:\n  family: F\n  name: Control\n  description: A control.\n", id)
		fmt.Fprintf(&comp, "  - standard_key: Odd std/..\n    control_key: %q\n    implementation_status: complete\n    narrative:\n      - text: Done.\n", id)
	}
	write("standards/odd.yaml", std.String())
	write("components/app/component.yaml", comp.String())

	opts := compiler.Options{Root: root, SourceDateEpoch: "1767225600"}
	res, err := compiler.Check(opts)
	if err != nil {
		t.Fatal(err)
	}
	if e, w := res.Diagnostics.Count(); e+w != 0 {
		t.Fatalf("check: %v", res.Diagnostics)
	}
	out := filepath.Join(t.TempDir(), "site")
	br, err := compiler.Build(compiler.BuildOptions{Options: opts, Out: out})
	if err != nil {
		t.Fatal(err)
	}
	if br.Refused || len(br.Diagnostics) != len(res.Diagnostics) {
		t.Fatalf("build found what check did not: %v", br.Diagnostics)
	}
	for _, id := range hostileIDs {
		p := filepath.Join(out, filepath.FromSlash(links.Control("Odd std/..", id)))
		if rel, err := filepath.Rel(out, p); err != nil || strings.HasPrefix(rel, "..") {
			t.Fatalf("the page of %q lies outside the site: %s", id, p)
		}
		data, err := os.ReadFile(p)
		if err != nil {
			t.Errorf("control %q: %v", id, err)
			continue
		}
		if !strings.Contains(string(data), "Control") {
			t.Errorf("control %q: the page lacks the control", id)
		}
	}
}
