package ci

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"

	"gopkg.in/yaml.v3"
)

// The repository uses its own templates: its copies are the same bytes.
func TestRepositoryUsesItsOwnTemplates(t *testing.T) {
	for _, tpl := range Templates {
		got, err := os.ReadFile(filepath.Join("../../..", tpl.Path))
		if err != nil {
			t.Fatalf("%s: %v", tpl.Provider, err)
		}
		if !bytes.Equal(got, tpl.Data) {
			t.Errorf("%s differs from compiler/export/ci's %s template: copy it (cp compiler/export/ci/%s.yml %s)", tpl.Path, tpl.Provider, tpl.Provider, tpl.Path)
		}
	}
}

// Each template is YAML with the jobs the documentation promises.
func TestTemplatesParse(t *testing.T) {
	for provider, jobs := range map[string][]string{"github": {"jobs"}, "gitlab": {"check", "pages"}} {
		tpl, ok := Lookup(provider)
		if !ok {
			t.Fatalf("no %s template", provider)
		}
		var doc map[string]any
		if err := yaml.Unmarshal(tpl.Data, &doc); err != nil {
			t.Fatalf("%s: %v", provider, err)
		}
		for _, j := range jobs {
			if doc[j] == nil {
				t.Errorf("%s template has no %s", provider, j)
			}
		}
	}
	gh, _ := Lookup("github")
	var doc struct {
		Jobs map[string]struct {
			Steps []map[string]any `yaml:"steps"`
		} `yaml:"jobs"`
	}
	if err := yaml.Unmarshal(gh.Data, &doc); err != nil {
		t.Fatal(err)
	}
	runs := map[string]bool{}
	for _, j := range doc.Jobs {
		for _, s := range j.Steps {
			if r, ok := s["run"].(string); ok {
				runs[r] = true
			}
			if u, ok := s["uses"].(string); ok {
				runs[u] = true
			}
		}
	}
	for _, want := range []string{`charter check --format github --against "$BASE_SHA"`, "github/codeql-action/upload-sarif@v3", "charter build --out site", "actions/deploy-pages@v4"} {
		if !runs[want] {
			t.Errorf("github template does not run %s", want)
		}
	}
	if _, ok := Lookup("jenkins"); ok {
		t.Error("Lookup found a provider that has no template")
	}
}
