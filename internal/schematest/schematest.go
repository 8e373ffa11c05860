// Package schematest validates documents against JSON Schemas in tests,
// with the same validator and settings everywhere: formats are asserted,
// and the schema is read from a real file.
package schematest

import (
	"bytes"
	"os"
	"path/filepath"
	"sync"
	"testing"

	"github.com/santhosh-tekuri/jsonschema/v6"
)

var (
	mu       sync.Mutex
	compiled = map[string]*jsonschema.Schema{}
)

// Schema compiles the JSON Schema in file once per process.
func Schema(t testing.TB, file string) *jsonschema.Schema {
	t.Helper()
	abs, err := filepath.Abs(file)
	if err != nil {
		t.Fatal(err)
	}
	mu.Lock()
	defer mu.Unlock()
	if s := compiled[abs]; s != nil {
		return s
	}
	f, err := os.Open(abs)
	if err != nil {
		t.Fatalf("schema: %v", err)
	}
	defer f.Close()
	doc, err := jsonschema.UnmarshalJSON(f)
	if err != nil {
		t.Fatalf("schema %s: %v", file, err)
	}
	c := jsonschema.NewCompiler()
	c.AssertFormat()
	if err := c.AddResource(abs, doc); err != nil {
		t.Fatalf("schema %s: %v", file, err)
	}
	s, err := c.Compile(abs)
	if err != nil {
		t.Fatalf("schema %s: %v", file, err)
	}
	compiled[abs] = s
	return s
}

// Validate reports, as a test error, every way data breaks the schema in
// file.
func Validate(t testing.TB, file string, data []byte) {
	t.Helper()
	inst, err := jsonschema.UnmarshalJSON(bytes.NewReader(data))
	if err != nil {
		t.Fatalf("not JSON: %v", err)
	}
	if err := Schema(t, file).Validate(inst); err != nil {
		t.Errorf("does not conform to %s:\n%v", filepath.Base(file), err)
	}
}

// Invalid returns the validator's error for data, or nil when it
// conforms: for tests that show the schema rejects something.
func Invalid(t testing.TB, file string, data []byte) error {
	t.Helper()
	inst, err := jsonschema.UnmarshalJSON(bytes.NewReader(data))
	if err != nil {
		t.Fatalf("not JSON: %v", err)
	}
	return Schema(t, file).Validate(inst)
}
