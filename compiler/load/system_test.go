package load_test

import (
	"slices"
	"strings"
	"testing"

	"github.com/charter-compliance/charter/compiler/load"
)

// The web component's covered_by entries name, with system_key, the
// platform system's db component; the platform is a git dependency.
const systemManifest = `schema_version: "1.0.0"
name: shop
components: [./web]
standards: [./demo.yaml]
dependencies:
  systems:
    - url: https://github.com/example/platform
`

const systemWeb = `name: Web
schema_version: 3.1.0
verifications:
  - {key: scan, name: Scan, type: report}
satisfies:
  - standard_key: DEMO
    control_key: AC-1
    implementation_status: complete
    narrative:
      - text: Backups of the database are restored every month.
    covered_by:
      - system_key: platform
        component_key: db
        verification_key: restore
      - system_key: shop
        component_key: web
        verification_key: scan
`

const platformDB = "name: Database\nkey: db\nschema_version: 3.1.0\nverifications:\n  - {key: restore, name: Restore test, type: report}\n"

func systemRepo(t *testing.T, files map[string]string) string {
	t.Helper()
	root := t.TempDir()
	load.WriteFiles(t, root, map[string]string{
		"opencontrol.yaml":   systemManifest,
		"demo.yaml":          "name: DEMO\nAC-1: {family: AC, name: Access}\n",
		"web/component.yaml": systemWeb,
	})
	load.WriteFiles(t, root, files)
	return root
}

// covered_by with system_key resolves against the named system's
// components, fetched in charter's layout (the system's own manifest
// names it) or in masonry's (no manifest: the fetched components are taken
// by key); system_key naming this repository is local.
func TestCoveredBySystemKeyResolves(t *testing.T) {
	for name, files := range map[string]map[string]string{
		"charter layout": {
			"opencontrols/systems/platform/opencontrol.yaml":  "schema_version: \"1.0.0\"\nname: platform\ncomponents: [./db]\n",
			"opencontrols/systems/platform/db/component.yaml": platformDB,
		},
		"masonry layout": {
			"opencontrols/components/db/component.yaml": platformDB,
		},
	} {
		t.Run(name, func(t *testing.T) {
			root := systemRepo(t, files)
			ws, l := loadAndCheck(t, root)
			if len(l) != 0 {
				t.Fatalf("diagnostics %q", briefs(l))
			}
			if db := ws.Component("db"); db == nil || !db.Fetched {
				t.Errorf("db: %+v", db)
			}
		})
	}
}

func TestCoveredBySystemKeyProblems(t *testing.T) {
	// the system is loaded, but has no such component, or no such
	// verification: errors, as for a local component
	root := systemRepo(t, map[string]string{
		"opencontrols/systems/platform/opencontrol.yaml":  "schema_version: \"1.0.0\"\nname: platform\ncomponents: [./db]\n",
		"opencontrols/systems/platform/db/component.yaml": strings.Replace(platformDB, "key: restore", "key: restores", 1),
	})
	_, l := loadAndCheck(t, root)
	checkWellFormed(t, root, l)
	if got := briefs(l); !slices.Equal(got, []string{"web/component.yaml:12:9: error[OC206]"}) {
		t.Fatalf("diagnostics %q", got)
	}
	if l[0].Message != `covered_by names verification "restore", which component db does not define; did you mean "restores"?` {
		t.Errorf("message %q", l[0].Message)
	}

	root = systemRepo(t, map[string]string{
		"opencontrols/systems/platform/opencontrol.yaml":     "schema_version: \"1.0.0\"\nname: platform\ncomponents: [./dbase]\n",
		"opencontrols/systems/platform/dbase/component.yaml": strings.Replace(platformDB, "key: db\n", "", 1),
	})
	_, l = loadAndCheck(t, root)
	if got := briefs(l); !slices.Equal(got, []string{"web/component.yaml:12:9: error[OC205]"}) {
		t.Fatalf("diagnostics %q", got)
	}
	if l[0].Message != `covered_by names component "db" of system "platform", which that system does not have` || l[0].Hint != "system platform has components dbase" {
		t.Errorf("message %q hint %q", l[0].Message, l[0].Hint)
	}

	// the system is not loaded (a dependency fetched without it, or not a
	// dependency at all): a warning, and nothing else
	root = systemRepo(t, map[string]string{
		"opencontrols/components/cache/component.yaml": "name: Cache\nschema_version: 3.1.0\n",
	})
	_, l = loadAndCheck(t, root)
	checkWellFormed(t, root, l)
	if got := briefs(l); !slices.Equal(got, []string{"web/component.yaml:12:9: warning[OC220]"}) || l.HasErrors() {
		t.Fatalf("diagnostics %q", got)
	}
	if l[0].Message != `covered_by names system "platform", which is not loaded; its component "db" and verification "restore" are not checked` {
		t.Errorf("message %q", l[0].Message)
	}
	if l[0].Source != "      - system_key: platform" {
		t.Errorf("source %q", l[0].Source)
	}
	ws, _, _ := load.Load(load.Options{Root: root})
	if ws.DependencyLayout != load.LayoutMasonry {
		t.Errorf("layout %q", ws.DependencyLayout)
	}
}
