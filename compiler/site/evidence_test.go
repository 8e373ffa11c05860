package site_test

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/charter-compliance/charter/compiler"
	"github.com/charter-compliance/charter/compiler/diag"
	"github.com/charter-compliance/charter/compiler/site"
)

// evidenceRepo writes a repository whose verifications name local files:
// a screenshot beside the component, the same file again from the root, an
// HTML report that tries to run script, a file over the size limit, a
// symbolic link that leads out of the repository and a directory.
func evidenceRepo(t *testing.T) (root string, png, report []byte) {
	t.Helper()
	root = t.TempDir()
	png = append([]byte("\x89PNG\r\n\x1a\n"), bytes.Repeat([]byte{7}, 300)...)
	report = []byte("<html><script>window.PWNED_EVIDENCE=1</script><p>scan clean</p></html>\n")
	outside := filepath.Join(t.TempDir(), "secret.txt")
	files := map[string][]byte{
		"opencontrol.yaml": []byte("schema_version: \"1.0.0\"\nname: ev\ncomponents:\n  - ./components/app\nstandards:\n  - ./standards/S.yaml\n"),
		"standards/S.yaml": []byte("name: S\nS-1:\n  family: S\n  name: One\nS-2:\n  family: S\n  name: Two\n"),
		"components/app/component.yaml": []byte(`name: App
key: app
schema_version: 3.1.0
verifications:
  - key: shot
    name: Screenshot
    path: shot.png
  - key: again
    name: The same screenshot
    path: components/app/shot.png
  - key: scan
    name: Scan report
    path: reports/scan report.html
  - key: big
    name: Huge dump
    path: big.bin
  - key: leak
    name: Outside
    path: leak.txt
  - key: folder
    name: A folder
    path: reports
satisfies:
  - standard_key: S
    control_key: S-1
    implementation_status: complete
    covered_by:
      - verification_key: shot
      - verification_key: scan
    narrative:
      - text: Done.
  - standard_key: S
    control_key: S-2
    implementation_status: complete
    covered_by:
      - verification_key: big
    narrative:
      - text: Done too.
`),
		"components/app/shot.png":                 png,
		"components/app/reports/scan report.html": report,
		"components/app/big.bin":                  bytes.Repeat([]byte("x"), site.MaxEvidenceFile*6/5),
	}
	for name, data := range files {
		p := filepath.Join(root, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	if err := os.WriteFile(outside, []byte("not for the site"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(outside, filepath.Join(root, "components/app/leak.txt")); err != nil {
		t.Skipf("no symbolic links here: %v", err)
	}
	return root, png, report
}

func sha(b []byte) string {
	s := sha256.Sum256(b)
	return hex.EncodeToString(s[:])
}

// Evidence files are published through the stage, each once, under a name
// that never runs script; they are linked with their SHA-256 from the
// component page and the criterion page; what cannot be published is a
// positioned diagnostic and a note on the page.
func TestEvidenceFilesArePublished(t *testing.T) {
	root, png, report := evidenceRepo(t)
	out := filepath.Join(t.TempDir(), "site")
	br, err := compiler.Build(compiler.BuildOptions{Options: compiler.Options{Root: root, SourceDateEpoch: referenceEpoch}, Out: out, AllowErrors: true})
	if err != nil {
		t.Fatal(err)
	}
	pngPath := "evidence/" + sha(png)[:16] + "/shot.png"
	reportPath := "evidence/" + sha(report)[:16] + "/scan-report.html.txt"
	for p, want := range map[string][]byte{pngPath: png, reportPath: report} {
		got, err := os.ReadFile(filepath.Join(out, filepath.FromSlash(p)))
		if err != nil || !bytes.Equal(got, want) {
			t.Errorf("%s: %v, %d bytes; want the file itself", p, err, len(got))
		}
	}
	var published []string
	_ = filepath.WalkDir(filepath.Join(out, "evidence"), func(p string, d os.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			rel, _ := filepath.Rel(out, p)
			published = append(published, filepath.ToSlash(rel))
		}
		return nil
	})
	if len(published) != 2 {
		t.Errorf("published %v; want the screenshot and the report, once each", published)
	}
	// the listing of the build names them, and nothing else is new
	listed := 0
	for _, f := range br.Site.Files {
		if strings.HasPrefix(f.Path, "evidence/") {
			listed++
		}
	}
	if listed != 2 {
		t.Errorf("the site lists %d evidence files, want 2", listed)
	}

	var tooLarge, symlink *diag.Diagnostic
	for i, d := range br.Diagnostics {
		switch d.Code {
		case diag.CodeEvidenceTooLarge:
			tooLarge = &br.Diagnostics[i]
		case diag.CodeSymlink:
			symlink = &br.Diagnostics[i]
		}
	}
	if tooLarge == nil || tooLarge.Severity != diag.Warning || tooLarge.Pos.String() != "components/app/component.yaml:16:11" ||
		!strings.Contains(tooLarge.Message, `"components/app/big.bin"`) || tooLarge.Hint == "" {
		t.Errorf("too large: %+v", tooLarge)
	}
	if symlink == nil || symlink.Severity != diag.Error || symlink.Pos.String() != "components/app/component.yaml:19:11" ||
		!strings.Contains(symlink.Message, "outside the repository") {
		t.Errorf("escaping link: %+v", symlink)
	}
	for _, d := range br.Diagnostics {
		if strings.Contains(d.Message, "folder") || strings.Contains(d.Message, `"components/app/reports"`) {
			t.Errorf("a directory of evidence is not a problem: %s", d)
		}
	}

	comp := readPage(t, out, "components/app.html")
	for _, want := range []string{
		`<a href="../` + pngPath + `">shot.png</a> <span class="muted">(308 bytes)</span> <span class="sha256">SHA-256 <code>` + sha(png) + `</code></span>`,
		`<a href="../` + reportPath + `">scan report.html</a>`,
		`big.bin <span class="muted">(not published: 12.0 MB, more than the 10.0 MB limit for one file)</span>`,
	} {
		if !strings.Contains(comp, want) {
			t.Errorf("component page lacks %q", want)
		}
	}
	if n := strings.Count(comp, `href="../`+pngPath+`"`); n != 2 {
		t.Errorf("component page links the screenshot %d times, want 2 (both verifications name it)", n)
	}
	if strings.Contains(comp, "leak.txt</a>") || strings.Contains(comp, "not for the site") {
		t.Errorf("the file behind the escaping link is linked")
	}
	ctrl := readPage(t, out, "standards/S/S-1.html")
	for _, want := range []string{`href="../../` + pngPath + `"`, `href="../../` + reportPath + `"`, sha(report)} {
		if !strings.Contains(ctrl, want) {
			t.Errorf("criterion page lacks %q", want)
		}
	}
}

// A published name keeps only a passive extension.
func TestEvidenceNamesAreInert(t *testing.T) {
	root, _, _ := evidenceRepo(t)
	names := map[string]string{
		"page.svg": "page.svg.txt", "a.xhtml": "a.xhtml.txt", "x.HTM": "x.HTM.txt", "run.js": "run.js.txt",
		"scan.PDF": "scan.PDF", "log.txt": "log.txt", "data.csv": "data.csv", "noext": "noext.txt",
	}
	yaml := "name: App\nkey: app\nschema_version: 3.1.0\nverifications:\n"
	i := 0
	for name := range names {
		if err := os.WriteFile(filepath.Join(root, "components/app", name), []byte(name), 0o644); err != nil {
			t.Fatal(err)
		}
		yaml += "  - key: v" + string(rune('a'+i)) + "\n    path: " + name + "\n"
		i++
	}
	if err := os.WriteFile(filepath.Join(root, "components/app/component.yaml"), []byte(yaml), 0o644); err != nil {
		t.Fatal(err)
	}
	br := build(t, root, compiler.BuildOptions{})
	safe := regexp.MustCompile(`^evidence/[0-9a-f]{16}/[A-Za-z0-9._-]+$`)
	found := map[string]bool{}
	for _, f := range br.Site.Files {
		if !strings.HasPrefix(f.Path, "evidence/") {
			continue
		}
		if !safe.MatchString(f.Path) {
			t.Errorf("unsafe published name %s", f.Path)
		}
		found[f.Path[len("evidence/")+17:]] = true
		if want := sha(f.Data)[:16]; !strings.HasPrefix(f.Path, "evidence/"+want+"/") {
			t.Errorf("%s is not under its hash %s", f.Path, want)
		}
	}
	for from, to := range names {
		if !found[to] {
			t.Errorf("%s: want it published as %s, have %v", from, to, found)
		}
	}
}

func readPage(t *testing.T, dir, p string) string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(dir, filepath.FromSlash(p)))
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}
