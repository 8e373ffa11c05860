package export

import (
	"archive/zip"
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"path"
	"slices"
	"strings"
)

// The bundle's fixed entries.
const (
	BundleFormat   = "charter-bundle/1"
	ManifestName   = "manifest.json"
	ReadmeFile     = "README.txt"
	JSONFile       = "export/charter.json"
	XLSXFile       = "export/control-matrix.xlsx"
	CSVDir         = "export/csv/"
	OSCALDir       = "export/oscal/"
	SARIFFile      = "export/check.sarif"
	SiteDir        = "site/"
	maxBundleEntry = 1 << 30 // a manifest entry larger than this is refused
)

// Manifest is manifest.json: what the bundle is of, and the SHA-256 of
// every other file in it.
type Manifest struct {
	Format           string         `json:"format"`
	Charter          string         `json:"charter"`
	Repository       string         `json:"repository"`
	Version          string         `json:"version"`
	Commit           string         `json:"commit,omitempty"`
	Dirty            bool           `json:"dirty"`
	JudgingDay       string         `json:"judging_day"`
	JudgingDaySource string         `json:"judging_day_source"`
	PeriodStart      string         `json:"period_start"`
	PeriodEnd        string         `json:"period_end"`
	Files            []ManifestFile `json:"files"`
}

// ManifestFile is one file of a bundle.
type ManifestFile struct {
	Path   string `json:"path"`
	Size   int64  `json:"size"`
	SHA256 string `json:"sha256"`
}

// Exports returns every export of in, at its path in a bundle: the JSON,
// the XLSX workbook, a CSV per certification and the three OSCAL files.
func Exports(in Input) ([]NamedFile, error) {
	in = in.memoised()
	// the exports only read the input, so they are made side by side
	parts := []func() ([]NamedFile, error){
		func() ([]NamedFile, error) {
			var b bytes.Buffer
			err := WriteJSON(&b, in)
			return []NamedFile{{Path: JSONFile, Data: b.Bytes()}}, err
		},
		func() ([]NamedFile, error) {
			var b bytes.Buffer
			err := WriteXLSX(&b, in)
			return []NamedFile{{Path: XLSXFile, Data: b.Bytes()}}, err
		},
		func() ([]NamedFile, error) { return under(CSVDir)(CSVFiles(in)) },
		func() ([]NamedFile, error) { return under(OSCALDir)(OSCALFiles(in)) },
	}
	made := make([][]NamedFile, len(parts))
	errs := make([]error, len(parts))
	each(len(parts), func(i int) { made[i], errs[i] = parts[i]() })
	var out []NamedFile
	for i := range parts {
		if errs[i] != nil {
			return nil, errs[i]
		}
		out = append(out, made[i]...)
	}
	return out, nil
}

// under puts files under dir.
func under(dir string) func([]NamedFile, error) ([]NamedFile, error) {
	return func(files []NamedFile, err error) ([]NamedFile, error) {
		for i := range files {
			files[i].Path = dir + files[i].Path
		}
		return files, err
	}
}

// WriteBundle writes one zip file for the auditor: files (the site and the
// exports, at their bundle paths), README.txt and manifest.json. Entries
// are sorted by path, dated the judging day and have mode 0644, so the
// same commit gives the same bytes.
func WriteBundle(w io.Writer, in Input, files []NamedFile) error {
	all := slices.Clone(files)
	all = append(all, NamedFile{Path: ReadmeFile, Data: []byte(readme(in))})
	slices.SortFunc(all, func(a, b NamedFile) int { return strings.Compare(a.Path, b.Path) })
	for i, f := range all {
		if f.Path == ManifestName || !validEntry(f.Path) {
			return fmt.Errorf("bundle: %q cannot be a bundle entry", f.Path)
		}
		if i > 0 && all[i-1].Path == f.Path {
			return fmt.Errorf("bundle: %s given twice", f.Path)
		}
	}
	start, end := in.Info.Period()
	m := Manifest{Format: BundleFormat, Charter: in.Info.Charter, Repository: in.Result.Workspace.Manifest.Name,
		Version: in.Info.Version, Commit: in.Info.Commit, Dirty: in.Info.Dirty,
		JudgingDay: day(in.Info.AsOf), JudgingDaySource: in.Info.AsOfSource, PeriodStart: day(start), PeriodEnd: day(end),
		Files: make([]ManifestFile, len(all))}
	each(len(all), func(i int) { // 85 MB at scale 1: hashed on every processor
		sum := sha256.Sum256(all[i].Data)
		m.Files[i] = ManifestFile{Path: all[i].Path, Size: int64(len(all[i].Data)), SHA256: hex.EncodeToString(sum[:])}
	})
	data, err := json.MarshalIndent(m, "", "  ")
	if err != nil {
		return err
	}
	entries := append([]NamedFile{{Path: ManifestName, Data: append(data, '\n')}}, all...)
	return writeZip(w, entries, in.Info.AsOf)
}

// validEntry reports whether p is a clean relative slash path.
func validEntry(p string) bool {
	return p != "" && !strings.HasPrefix(p, "/") && path.Clean(p) == p && p != "." && !strings.HasPrefix(p, "../") && p != ".."
}

func readme(in Input) string {
	start, end := in.Info.Period()
	commit := in.Info.Commit
	if commit == "" {
		commit = "(not built from git)"
	}
	if in.Info.Dirty {
		commit += ", with uncommitted changes"
	}
	var b strings.Builder
	fmt.Fprintf(&b, `Audit bundle of %s
%s

Version:      %s
Commit:       %s
Judging day:  %s (%s)
Audit period: %s to %s
Made by:      charter %s

This archive holds everything charter produced from the compliance
repository at the commit above, judged as of the judging day. Nothing in it
was written by hand after that.

  site/                         the documentation site; open site/index.html
                                in a browser (it works offline)
  export/control-matrix.xlsx    the control matrix, one sheet per
                                certification: each criterion's verdict, the
                                components and documents that claim it, their
                                narratives, the evidence behind them and the
                                claims still open
  export/csv/                   the same matrix as CSV, one file per
                                certification
  export/charter.json           the whole model and its coverage as JSON
                                (its schema is charter's docs/export.schema.json)
  export/oscal/                 OSCAL 1.2 component definition, assessment
                                plan and assessment results
  export/check.sarif            the findings of charter check, as SARIF 2.1.0
  manifest.json                 the SHA-256 of every other file here

To confirm that nothing was changed since the bundle was made, run

    charter bundle --verify THIS-FILE.zip

It recomputes every file's SHA-256, compares it with manifest.json and
names any file that was altered, added or removed. Two bundles made from
the same commit are identical byte for byte, so the bundle can also be
remade from the repository and compared.
`, line(in.Result.Workspace.Manifest.Name, "an OpenControl repository"), strings.Repeat("=", len("Audit bundle of ")+len(line(in.Result.Workspace.Manifest.Name, "an OpenControl repository"))),
		in.Info.Version, commit, day(in.Info.AsOf), in.Info.AsOfSource, day(start), day(end), in.Info.Charter)
	return b.String()
}

// Verification is what VerifyBundle found.
type Verification struct {
	Manifest Manifest
	Altered  []string // in the manifest, with other content
	Added    []string // in the archive, not in the manifest
	Removed  []string // in the manifest, not in the archive
}

// OK reports whether the bundle is as it was made.
func (v *Verification) OK() bool { return len(v.Altered)+len(v.Added)+len(v.Removed) == 0 }

// VerifyBundle checks a bundle against its manifest. The error is for an
// archive that cannot be read or has no readable manifest; differences are
// in the Verification.
func VerifyBundle(r io.ReaderAt, size int64) (*Verification, error) {
	zr, err := zip.NewReader(r, size)
	if err != nil {
		return nil, fmt.Errorf("not a zip archive: %w", err)
	}
	var v Verification
	var mf *zip.File
	for _, f := range zr.File {
		if f.Name == ManifestName {
			if mf != nil {
				return nil, fmt.Errorf("the archive holds %s twice", ManifestName)
			}
			mf = f
		}
	}
	if mf == nil {
		return nil, fmt.Errorf("the archive has no %s: it is not a charter bundle", ManifestName)
	}
	rc, err := mf.Open()
	if err != nil {
		return nil, fmt.Errorf("%s: %w", ManifestName, err)
	}
	err = json.NewDecoder(io.LimitReader(rc, 64<<20)).Decode(&v.Manifest)
	rc.Close()
	if err != nil {
		return nil, fmt.Errorf("%s: %w", ManifestName, err)
	}
	if v.Manifest.Format != BundleFormat {
		return nil, fmt.Errorf("%s: format %q, want %q", ManifestName, v.Manifest.Format, BundleFormat)
	}
	want := map[string]ManifestFile{}
	for _, f := range v.Manifest.Files {
		want[f.Path] = f
	}
	found := map[string]bool{}
	for _, f := range zr.File {
		if f == mf {
			continue
		}
		m, listed := want[f.Name]
		switch {
		case !listed, found[f.Name]:
			v.Added = append(v.Added, f.Name)
			continue
		}
		found[f.Name] = true
		sum, n, err := hashEntry(f)
		if err != nil || n != m.Size || sum != m.SHA256 {
			v.Altered = append(v.Altered, f.Name)
		}
	}
	for _, f := range v.Manifest.Files {
		if !found[f.Path] {
			v.Removed = append(v.Removed, f.Path)
		}
	}
	slices.Sort(v.Altered)
	slices.Sort(v.Added)
	slices.Sort(v.Removed)
	return &v, nil
}

func hashEntry(f *zip.File) (string, int64, error) {
	rc, err := f.Open()
	if err != nil {
		return "", 0, err
	}
	defer rc.Close()
	h := sha256.New()
	n, err := io.Copy(h, io.LimitReader(rc, maxBundleEntry+1))
	if err != nil {
		return "", n, err
	}
	return hex.EncodeToString(h.Sum(nil)), n, nil
}
