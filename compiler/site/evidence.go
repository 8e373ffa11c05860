package site

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"strings"

	"github.com/charter-compliance/charter/compiler/diag"
	"github.com/charter-compliance/charter/compiler/links"
	"github.com/charter-compliance/charter/compiler/load"
	"github.com/charter-compliance/charter/compiler/model"
)

// Evidence files. A verification whose path: names a file in the
// repository (a screenshot, a scan report) has that file published with
// the site, under evidence/, so that an auditor can open it; its component
// page and the criterion pages that cite it link to it and show its
// SHA-256. The files are read by ReadEvidence, through the repository's
// os.Root (load.ReadFileLimit: nothing outside the repository, no
// symbolic link that leads out, nothing but regular files), before the
// site renders; the site itself still reads nothing.
//
// A published file never runs script in the reader's browser: it keeps
// its extension only when that names a passive format (passiveExt), and
// otherwise gets ".txt" added, so that an .html, .svg or .xml file is
// shown as its text, from file:// and from any web server alike.

// The limits on what is published: each file, and all of them together.
const (
	MaxEvidenceFile  = 10_000_000
	MaxEvidenceTotal = 100_000_000
)

// EvidenceFile is a verification's local file as the site publishes it.
type EvidenceFile struct {
	Source string // repository-relative path
	Size   int64
	SHA256 string // hex
	Path   string // site path; "" when the file is not published
	Note   string // why it is not published
	Data   []byte
}

// passiveExt are the extensions of formats a browser shows without running
// anything in the page's origin, which a published evidence file keeps.
var passiveExt = map[string]bool{
	".png": true, ".jpg": true, ".jpeg": true, ".gif": true, ".webp": true, ".avif": true, ".bmp": true,
	".pdf": true, ".txt": true, ".log": true, ".csv": true, ".tsv": true, ".json": true, ".md": true,
	".yaml": true, ".yml": true, ".zip": true, ".gz": true, ".tgz": true, ".tar": true,
	".xlsx": true, ".xls": true, ".docx": true, ".doc": true, ".pptx": true, ".odt": true, ".ods": true,
}

// evidencePath is where the file src with the given SHA-256 is published:
// evidence/<the first 16 hex digits of its hash>/<its name as a slug>, with
// ".txt" after any extension that is not passive.
func evidencePath(src, sum string) string {
	name := links.Slug(path.Base(src))
	if !passiveExt[strings.ToLower(path.Ext(name))] {
		name += ".txt"
	}
	return "evidence/" + sum[:16] + "/" + name
}

// ReadEvidence reads the local evidence file of every verification of ws
// from root, the repository, each file once. A path that names nothing, a
// directory or a URL has no entry (check reports a path that names
// nothing, OC405). A file over MaxEvidenceFile, or one that would take the
// total past MaxEvidenceTotal, is not published: its entry has a Note, and
// a warning (OC407) says so at its path:. A file that cannot be read, or a
// symbolic link that leads out of the repository, is an error at its
// path: (load.ReadProblem).
func ReadEvidence(root *os.Root, ws *model.Workspace) (map[*model.Verification]*EvidenceFile, diag.List) {
	out := map[*model.Verification]*EvidenceFile{}
	files := map[string]*EvidenceFile{} // by source; nil when unread
	var diags diag.List
	var total int64
	for _, comp := range ws.Components {
		for i := range comp.Verifications {
			v := &comp.Verifications[i]
			beside, fromRoot, _, _ := model.LocalPaths(comp.Dir, v.Path)
			pos := v.PathPos
			if pos.Line == 0 {
				pos = v.Pos
			}
			for _, rel := range model.Candidates(beside, fromRoot) {
				if f, seen := files[rel]; seen {
					if f != nil {
						out[v] = f
					}
					break
				}
				info, err := root.Stat(filepath.FromSlash(rel))
				if errors.Is(err, fs.ErrNotExist) {
					continue // look for the next candidate (check reports none found)
				}
				if err == nil && info.IsDir() {
					files[rel] = nil // a directory of evidence is named, not published
					break
				}
				f, d := readEvidence(root, rel, pos, v, comp, &total)
				files[rel] = f
				if d != nil {
					diags = append(diags, *d)
				}
				if f != nil {
					out[v] = f
				}
				break
			}
		}
	}
	return out, diags
}

// readEvidence reads one evidence file for ReadEvidence, counting its size
// into total when it is published.
func readEvidence(root *os.Root, rel string, pos diag.Pos, v *model.Verification, comp *model.Component, total *int64) (*EvidenceFile, *diag.Diagnostic) {
	data, err := load.ReadFileLimit(root, rel, MaxEvidenceFile)
	var tooLarge *load.TooLargeError
	if errors.As(err, &tooLarge) {
		f := &EvidenceFile{Source: rel, Size: tooLarge.Size,
			Note: fmt.Sprintf("not published: %s, more than the %s limit for one file", sizeText(tooLarge.Size), sizeText(MaxEvidenceFile))}
		return f, &diag.Diagnostic{Severity: diag.Warning, Code: diag.CodeEvidenceTooLarge, Pos: pos,
			Message: fmt.Sprintf("evidence file %q of verification %s of component %s is %d bytes, more than the %d byte limit for one file: it is not copied into the site", rel, v.Key, comp.Key, tooLarge.Size, MaxEvidenceFile),
			Hint:    "publish a smaller file (a cropped screenshot, a summary of the report), or store it elsewhere and give its URL as path:"}
	}
	if err != nil {
		d := load.ReadProblem(root, pos, rel, err)
		d.Message = "evidence file of verification " + v.Key + ": " + d.Message
		return nil, &d
	}
	size := int64(len(data))
	sum := sha256.Sum256(data)
	f := &EvidenceFile{Source: rel, Size: size, SHA256: hex.EncodeToString(sum[:])}
	if *total+size > MaxEvidenceTotal {
		f.Note = fmt.Sprintf("not published: the site's evidence files would exceed %s in all", sizeText(MaxEvidenceTotal))
		return f, &diag.Diagnostic{Severity: diag.Warning, Code: diag.CodeEvidenceTooLarge, Pos: pos,
			Message: fmt.Sprintf("evidence file %q of verification %s of component %s (%d bytes) would take the site's evidence files past %d bytes in all: it is not copied into the site", rel, v.Key, comp.Key, size, MaxEvidenceTotal),
			Hint:    "publish smaller evidence files, or store the large ones elsewhere and give their URLs as path:"}
	}
	*total += size
	f.Path = evidencePath(rel, f.SHA256)
	f.Data = data
	return f, nil
}

// sizeText is a size for readers: "812 bytes", "2.4 MB".
func sizeText(n int64) string {
	switch {
	case n < 1000:
		return fmt.Sprintf("%d bytes", n)
	case n < 1000*1000:
		return fmt.Sprintf("%.1f kB", float64(n)/1000)
	}
	return fmt.Sprintf("%.1f MB", float64(n)/1000/1000)
}

// planEvidence adds a job for every published evidence file, each once.
func (b *builder) planEvidence() {
	seen := map[string]bool{}
	for _, comp := range b.ws.Components {
		for i := range comp.Verifications {
			f := b.in.Evidence[&comp.Verifications[i]]
			if f == nil || f.Path == "" || seen[f.Path] {
				continue
			}
			seen[f.Path] = true
			if !b.claim(f.Path, "evidence file "+f.Source, comp.Verifications[i].PathPos, nil) {
				continue
			}
			data := f.Data
			b.jobs = append(b.jobs, job{path: f.Path, raw: func() ([]byte, error) { return data, nil }})
		}
	}
}

// writeEvidenceFile writes, on page p, the link to a verification's
// published file with its size and SHA-256, or why it is not published;
// nothing when the verification has no local file.
func (b *builder) writeEvidenceFile(w *hw, p *page, v *model.Verification) {
	f := b.in.Evidence[v]
	if f == nil {
		return
	}
	w.raw(`<span class="evidence-file">`)
	if f.Path != "" {
		w.raw("<a")
		w.attr("href", p.Rel(f.Path))
		w.raw(">")
		w.text(path.Base(f.Source))
		w.raw("</a> ")
		w.muted("(" + sizeText(f.Size) + ")")
	} else {
		w.text(path.Base(f.Source))
		w.raw(" ")
		w.muted("(" + f.Note + ")")
	}
	if f.SHA256 != "" {
		w.raw(` <span class="sha256">SHA-256 <code>`)
		w.text(f.SHA256)
		w.raw("</code></span>")
	}
	w.raw("</span>")
}
