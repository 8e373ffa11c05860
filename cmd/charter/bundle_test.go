package main

import (
	"archive/zip"
	"bytes"
	"encoding/json"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/charter-compliance/charter/compiler/history/gittest"
)

// gitDemo commits the small check repository into a real git repository.
func gitDemo(t *testing.T) (dir, commit string) {
	t.Helper()
	r := gittest.New(t)
	copyTree(t, checkRepo(t, nil), r.Dir)
	r.Git("add", "-A")
	commit = r.Commit(gittest.Person{Name: "A", Email: "a@example.com"}, gittest.Day(2026, 2, 1, 12), "start")
	r.Tag("v1.0.0", gittest.Person{Name: "A", Email: "a@example.com"}, gittest.Day(2026, 2, 1, 12), "audit")
	return r.Dir, strings.TrimSpace(commit)
}

func bundle(t *testing.T, dir, out string) {
	t.Helper()
	var o, e bytes.Buffer
	if code := run([]string{"-C", dir, "bundle", "--out", out}, &o, &e); code != 0 {
		t.Fatalf("bundle: exit %d: %s", code, e.String())
	}
}

func TestBundleIsDeterministicAndVerifies(t *testing.T) {
	t.Setenv("SOURCE_DATE_EPOCH", "") // the judging day comes from git
	dir, commit := gitDemo(t)
	a, b := filepath.Join(t.TempDir(), "a.zip"), filepath.Join(t.TempDir(), "b.zip")
	bundle(t, dir, a)
	t.Chdir(t.TempDir()) // another working directory changes nothing
	bundle(t, dir, b)
	x, _ := os.ReadFile(a)
	y, _ := os.ReadFile(b)
	if !bytes.Equal(x, y) {
		t.Fatal("two bundles of the same commit differ")
	}
	zr, err := zip.NewReader(bytes.NewReader(x), int64(len(x)))
	if err != nil {
		t.Fatal(err)
	}
	names := map[string]bool{}
	for _, f := range zr.File {
		names[f.Name] = true
		if !f.Modified.Equal(gittest.Day(2026, 2, 1, 12)) {
			t.Errorf("%s dated %v", f.Name, f.Modified)
		}
	}
	for _, want := range []string{"manifest.json", "README.txt", "site/index.html", "export/charter.json", "export/control-matrix.xlsx",
		"export/csv/baseline.csv", "export/oscal/assessment-results.json", "export/check.sarif"} {
		if !names[want] {
			t.Errorf("bundle lacks %s", want)
		}
	}
	var mm map[string]any
	rc, _ := zr.Open("manifest.json")
	json.NewDecoder(rc).Decode(&mm)
	rc.Close()
	if mm["version"] != "v1.0.0" || mm["commit"] != commit || mm["judging_day"] != "2026-02-01" {
		t.Errorf("manifest %v %v %v", mm["version"], mm["commit"], mm["judging_day"])
	}

	code, stdout, _ := runCharter(t, "bundle", "--verify", a)
	if code != 0 || !strings.Contains(stdout, "is intact") {
		t.Errorf("verify: exit %d: %s", code, stdout)
	}
}

func TestBundleVerifyNamesEveryChange(t *testing.T) {
	t.Setenv("SOURCE_DATE_EPOCH", "1772323200")
	dir := checkRepo(t, nil)
	good := filepath.Join(t.TempDir(), "good.zip")
	bundle(t, dir, good)
	data, _ := os.ReadFile(good)
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		t.Fatal(err)
	}
	var b bytes.Buffer
	zw := zip.NewWriter(&b)
	for _, f := range zr.File {
		if f.Name == "export/csv/baseline.csv" {
			continue // removed
		}
		rc, _ := f.Open()
		content, _ := io.ReadAll(rc)
		rc.Close()
		if f.Name == "README.txt" {
			content = append(content, "edited\n"...)
		}
		w, _ := zw.Create(f.Name)
		w.Write(content)
	}
	w, _ := zw.Create("site/extra.html")
	w.Write([]byte("<p>hello</p>"))
	zw.Close()
	bad := filepath.Join(t.TempDir(), "bad.zip")
	os.WriteFile(bad, b.Bytes(), 0o644)
	code, stdout, _ := runCharter(t, "bundle", "--verify", bad)
	want := "altered: README.txt\nadded: site/extra.html\nremoved: export/csv/baseline.csv\n"
	if code != exitFindings || !strings.HasPrefix(stdout, want) || !strings.Contains(stdout, "3 differences") {
		t.Errorf("exit %d, stdout\n%s\nwant it to start with\n%s", code, stdout, want)
	}
	notZip := filepath.Join(t.TempDir(), "x.zip")
	os.WriteFile(notZip, []byte("not a zip"), 0o644)
	if code, _, stderr := runCharter(t, "bundle", "--verify", notZip); code != exitFindings || !strings.Contains(stderr, "not a zip archive") {
		t.Errorf("not a zip: exit %d, %s", code, stderr)
	}
}
