package diag

import (
	"os"
	"strings"
	"testing"
)

// Every code is described and documented, so users can look it up.
func TestEveryCodeIsDocumented(t *testing.T) {
	doc, err := os.ReadFile("../../docs/diagnostics.md")
	if err != nil {
		t.Fatal(err)
	}
	if len(Description) < 40 {
		t.Fatalf("only %d codes described", len(Description))
	}
	for code, meaning := range Description {
		if meaning == "" {
			t.Errorf("%s has no description", code)
		}
		if !strings.Contains(string(doc), "| "+string(code)+" |") {
			t.Errorf("docs/diagnostics.md does not list %s", code)
		}
	}
}
