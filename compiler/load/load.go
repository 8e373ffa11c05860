// Package load reads a compliance repository rooted at an opencontrol.yaml
// into one model.Workspace: it finds every file the manifest (and charter.yaml)
// names, refuses paths that leave the repository, decodes the files in
// parallel and assembles the result deterministically. It never prints.
package load

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"sync"

	"github.com/charter-compliance/charter/compiler/diag"
	"github.com/charter-compliance/charter/compiler/model"
	"github.com/charter-compliance/charter/compiler/opencontrol"
)

// ManifestName and ConfigName are the files that root a repository.
const (
	ManifestName = "opencontrol.yaml"
	ConfigName   = "charter.yaml"
	// DepsDir is where fetched git dependencies live, as compliance-masonry
	// placed them: opencontrols/<kind>/<repository name>.
	DepsDir = "opencontrols"
)

// Options says what to load.
type Options struct {
	Root string // directory holding opencontrol.yaml
	// ExtraStandards are standard files given on the command line, for
	// repositories that refer to a standard they do not ship. They may lie
	// outside the repository; diagnostics name them as given.
	ExtraStandards []string
	// Cache, when not nil, keeps decoded files between runs.
	Cache *Cache
}

// ErrNoManifest is returned when Root holds no opencontrol.yaml.
var ErrNoManifest = errors.New("no " + ManifestName)

// Load reads the repository. The error is non-nil only when there is no
// repository to read at all (Root missing, or no opencontrol.yaml); every
// problem inside the repository is a diagnostic.
func Load(opts Options) (*model.Workspace, diag.List, error) {
	root := opts.Root
	if root == "" {
		root = "."
	}
	abs, err := filepath.Abs(root)
	if err != nil {
		return nil, nil, err
	}
	real, err := filepath.EvalSymlinks(abs)
	if err != nil {
		return nil, nil, fmt.Errorf("repository root %s: %w", root, err)
	}
	if _, err := os.Stat(filepath.Join(real, ManifestName)); err != nil {
		return nil, nil, fmt.Errorf("%w in %s: run charter in a directory with an %s, or pass --root DIR", ErrNoManifest, abs, ManifestName)
	}
	l := &loader{root: real, ws: &model.Workspace{Root: abs}, cache: opts.Cache}
	l.run(opts)
	l.diags.Sort()
	return l.ws, l.diags, nil
}

type loader struct {
	cache *Cache
	root  string // real (symlink-free) absolute root
	ws    *model.Workspace

	mu    sync.Mutex
	diags diag.List
	jobs  []*job
	seen  map[string]bool // files queued, to read each once

	// Files are decoded by workers from the moment they are queued, while
	// the manifest is still being followed.
	next    chan *job
	workers int
	wg      sync.WaitGroup
	plain   map[string]bool // directories under root known to be no symbolic link
}

type job struct {
	rel  string // path relative to root (or as given, for extra standards)
	abs  string
	kind model.FileKind
	dir  string // component directory
	pos  diag.Pos
	res  result // set by a worker
}

func (l *loader) report(ds ...diag.Diagnostic) {
	l.mu.Lock()
	l.diags = append(l.diags, ds...)
	l.mu.Unlock()
}

func (l *loader) errorAt(pos diag.Pos, code diag.Code, hint, format string, args ...any) {
	l.report(diag.Diagnostic{Severity: diag.Error, Code: code, Pos: pos, Message: fmt.Sprintf(format, args...), Hint: hint, Source: l.sourceLine(pos)})
}

// sourceLine re-reads one line of a small file for a diagnostic raised
// outside the file's decoder (rare: path problems in the manifest).
func (l *loader) sourceLine(pos diag.Pos) string {
	if pos.Line == 0 || pos.File == "" {
		return ""
	}
	text, err := os.ReadFile(filepath.Join(l.root, filepath.FromSlash(pos.File)))
	if err != nil {
		return ""
	}
	return diag.NewSource(pos.File, text).Line(pos.Line)
}

func (l *loader) run(opts Options) {
	l.seen = map[string]bool{}
	l.plain = map[string]bool{}
	l.next = make(chan *job, 64)
	// The manifest and charter.yaml come first: they say what else to read.
	l.manifest(".", 0, true)
	if _, err := os.Lstat(filepath.Join(l.root, ConfigName)); err != nil {
		l.ws.Config = model.Config{Documents: opencontrol.DefaultDocuments}
	} else if _, ok := l.confine(".", ConfigName, diag.Pos{File: ConfigName}, false); !ok {
		l.ws.Config = model.Config{Documents: opencontrol.DefaultDocuments}
	} else if text, err := os.ReadFile(filepath.Join(l.root, ConfigName)); err == nil {
		cfg, ds := opencontrol.DecodeConfig(ConfigName, text)
		l.ws.Config = cfg
		l.report(ds...)
		l.ws.Files = append(l.ws.Files, model.SourceFile{Path: ConfigName, Kind: model.KindConfig})
	} else {
		l.ws.Config = model.Config{Documents: opencontrol.DefaultDocuments}
	}
	for _, dir := range l.ws.Config.Documents {
		l.documents(dir)
	}
	for _, p := range opts.ExtraStandards {
		abs, err := filepath.Abs(p)
		if err != nil {
			continue
		}
		l.start(&job{rel: filepath.ToSlash(p), abs: abs, kind: model.KindStandard})
	}
	l.decodeAll()
	l.assemble()
}

// manifest reads an opencontrol.yaml in dir (relative to root) and queues the
// files it lists. depth guards against dependency cycles.
func (l *loader) manifest(dir string, depth int, top bool) {
	rel := path.Join(dir, ManifestName)
	if _, ok := l.confine(".", rel, diag.Pos{File: rel}, false); !ok {
		return
	}
	text, err := os.ReadFile(filepath.Join(l.root, filepath.FromSlash(rel)))
	if err != nil {
		l.errorAt(diag.Pos{File: rel}, diag.CodeRead, "", "cannot read %s: %v", rel, errors.Unwrap(err))
		return
	}
	m, ds := opencontrol.DecodeManifest(rel, text)
	l.report(ds...)
	l.ws.Files = append(l.ws.Files, model.SourceFile{Path: rel, Kind: model.KindManifest})
	if m == nil {
		return
	}
	if top {
		l.ws.Manifest = m.Manifest
	} else {
		l.ws.Manifest.Dependencies = append(l.ws.Manifest.Dependencies, m.Dependencies...)
	}
	for _, e := range m.Components {
		if p, ok := l.confine(dir, e.Path, e.Pos, true); ok {
			file := path.Join(p, "component.yaml")
			if _, err := os.Stat(filepath.Join(l.root, filepath.FromSlash(file))); err != nil {
				l.errorAt(e.Pos, diag.CodeNotFound, "each component directory holds a component.yaml", "component directory %s has no component.yaml", p)
				continue
			}
			if real, ok := l.confine(".", file, e.Pos, false); ok {
				l.queue(job{rel: real, kind: model.KindComponent, dir: p, pos: e.Pos})
			}
		}
	}
	for _, e := range m.Standards {
		if p, ok := l.confine(dir, e.Path, e.Pos, false); ok {
			l.queue(job{rel: p, kind: model.KindStandard, pos: e.Pos})
		}
	}
	for _, e := range m.Certifications {
		if p, ok := l.confine(dir, e.Path, e.Pos, false); ok {
			l.queue(job{rel: p, kind: model.KindCertification, pos: e.Pos})
		}
	}
	for _, d := range m.Dependencies {
		l.dependency(dir, d, depth)
	}
}

func (l *loader) queue(j job) {
	if l.seen[j.rel] {
		return
	}
	l.seen[j.rel] = true
	j.abs = filepath.Join(l.root, filepath.FromSlash(j.rel))
	l.start(&j)
}

// start hands a job to the workers, starting one more (up to GOMAXPROCS)
// if need be.
func (l *loader) start(j *job) {
	l.jobs = append(l.jobs, j)
	if l.workers < runtime.GOMAXPROCS(0) {
		l.workers++
		l.wg.Add(1)
		go func() {
			defer l.wg.Done()
			var buf []byte // reused for every file whose decoding is cached
			for j := range l.next {
				j.res, buf = decode(j, l.cache, buf)
			}
		}()
	}
	l.next <- j
}

// dependency loads a dependency's manifest: a local directory inside the
// repository, or a git repository already fetched into opencontrols/.
func (l *loader) dependency(dir string, d model.Dependency, depth int) {
	if depth >= 4 {
		l.errorAt(d.Pos, diag.CodeValue, "dependencies may nest at most four deep; check for a cycle", "dependency %s nests too deeply", d.URL)
		return
	}
	var depDir string
	if opencontrol.IsRemote(d.URL) {
		name := strings.TrimSuffix(path.Base(strings.TrimRight(d.URL, "/")), ".git")
		depDir = path.Join(DepsDir, d.Kind, name)
		if d.ContextDir != "" {
			depDir = path.Join(depDir, d.ContextDir)
		}
		// the clone's directory, and contextdir inside it, stay inside opencontrols/
		if base := path.Join(DepsDir, d.Kind) + "/"; name == "." || name == ".." || name == "" || !strings.HasPrefix(depDir+"/", base) || depDir+"/" == base {
			l.errorAt(d.Pos, diag.CodePathEscapes, "contextdir names a directory inside the dependency's repository",
				"dependency %s would be read from %q, outside %s", d.URL, depDir, path.Join(DepsDir, d.Kind))
			return
		}
		if _, err := os.Stat(filepath.Join(l.root, filepath.FromSlash(depDir))); err != nil {
			fetch := fmt.Sprintf("git clone %s %s", d.URL, depDir)
			if d.Revision != "" {
				fetch += fmt.Sprintf(" && git -C %s checkout %s", depDir, d.Revision)
			}
			l.errorAt(d.Pos, diag.CodeRemoteDependency,
				"fetch it with: "+fetch+" (a `charter get` command will do this)",
				"dependency %s has not been fetched: %s does not exist", d.URL, depDir)
			return
		}
	} else {
		p, ok := l.confine(dir, strings.TrimPrefix(d.URL, "file://"), d.Pos, true)
		if !ok {
			return
		}
		depDir = p
	}
	manifest := ManifestName
	if d.Path != "" {
		manifest = d.Path
	}
	mrel := path.Join(depDir, manifest)
	if _, err := os.Lstat(filepath.Join(l.root, filepath.FromSlash(mrel))); err != nil {
		l.errorAt(d.Pos, diag.CodeNotFound, "set path: to the dependency's manifest file", "dependency %s has no %s", d.URL, mrel)
		return
	}
	if _, ok := l.confine(depDir, manifest, d.Pos, false); !ok {
		return
	}
	l.manifest(path.Dir(mrel), depth+1, false)
}

// documents queues every Markdown file under dir (except README files).
func (l *loader) documents(dir string) {
	pos := l.ws.Config.DocumentsPos
	if !pos.IsValid() {
		// the default directory is optional
		if info, err := os.Stat(filepath.Join(l.root, filepath.FromSlash(dir))); err != nil || !info.IsDir() {
			return
		}
		pos = diag.Pos{File: ConfigName}
	}
	p, ok := l.confine(".", dir, pos, true)
	if !ok {
		return
	}
	base := filepath.Join(l.root, filepath.FromSlash(p))
	_ = filepath.WalkDir(base, func(file string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return nil
		}
		name := d.Name()
		if !strings.HasSuffix(name, ".md") || strings.EqualFold(name, "README.md") {
			return nil
		}
		relFile, _ := filepath.Rel(l.root, file)
		relFile = filepath.ToSlash(relFile)
		if d.Type()&fs.ModeSymlink != 0 {
			if _, ok := l.confine(".", relFile, diag.Pos{File: relFile}, false); !ok {
				return nil
			}
		}
		l.queue(job{rel: relFile, kind: model.KindDocument})
		return nil
	})
}

// confine resolves p (relative to dir) inside the repository. It refuses
// absolute paths, paths that climb out with .., and symbolic links that lead
// outside; it reports a path that names nothing.
func (l *loader) confine(dir, p string, pos diag.Pos, wantDir bool) (string, bool) {
	p = strings.TrimSpace(p)
	if filepath.IsAbs(p) || strings.HasPrefix(p, "/") || (len(p) > 1 && p[1] == ':') {
		l.errorAt(pos, diag.CodePathEscapes, "write paths relative to the file that lists them", "absolute path %q is not allowed: paths must stay inside the repository", p)
		return "", false
	}
	rel := path.Clean(path.Join(dir, filepath.ToSlash(p)))
	if rel == ".." || strings.HasPrefix(rel, "../") {
		l.errorAt(pos, diag.CodePathEscapes, "move the file into the repository, or vendor the dependency", "path %q leaves the repository", p)
		return "", false
	}
	full := filepath.Join(l.root, filepath.FromSlash(rel))
	info := l.plainInfo(rel, full)
	if info == nil {
		// a symbolic link on the way, or nothing there: resolve it fully
		resolved, err := filepath.EvalSymlinks(full)
		if err != nil {
			l.errorAt(pos, diag.CodeNotFound, "check the spelling, or remove the entry", "%q does not exist", rel)
			return "", false
		}
		if resolved != l.root && !strings.HasPrefix(resolved, l.root+string(filepath.Separator)) {
			l.errorAt(pos, diag.CodeSymlink, "replace the symbolic link with the file itself", "%q is a symbolic link to %s, outside the repository", rel, resolved)
			return "", false
		}
		if info, err = os.Stat(resolved); err != nil {
			l.errorAt(pos, diag.CodeNotFound, "", "%q cannot be read: %v", rel, err)
			return "", false
		}
	}
	if info.IsDir() != wantDir {
		want := "a file"
		if wantDir {
			want = "a directory"
		}
		l.errorAt(pos, diag.CodeNotFound, "", "%q is not %s", rel, want)
		return "", false
	}
	return rel, true
}

// plainInfo returns the file information of rel (a clean path inside the
// repository, full its absolute form) when neither it nor any directory
// above it inside the repository is a symbolic link, so that it resolves
// to itself; nil otherwise. Directories found plain are remembered: the
// manifest names many paths under the same few.
func (l *loader) plainInfo(rel, full string) fs.FileInfo {
	if rel == "." {
		rel = ""
	}
	for i := 0; i < len(rel); i++ {
		if rel[i] != '/' || l.plain[rel[:i]] {
			continue
		}
		info, err := os.Lstat(filepath.Join(l.root, filepath.FromSlash(rel[:i])))
		if err != nil || !info.IsDir() {
			return nil
		}
		l.plain[rel[:i]] = true
	}
	info, err := os.Lstat(full)
	if err != nil || info.Mode()&fs.ModeSymlink != 0 {
		return nil
	}
	if info.IsDir() {
		l.plain[rel] = true
	}
	return info
}

type result struct {
	comp  *model.Component
	std   *model.Standard
	cert  *model.Certification
	doc   *model.Document
	diags diag.List
}

// decodeAll waits for the workers to decode every queued file and collects
// the results in queue order.
func (l *loader) decodeAll() {
	close(l.next)
	l.wg.Wait()
	for _, j := range l.jobs {
		r := j.res
		l.diags = append(l.diags, r.diags...)
		l.ws.Files = append(l.ws.Files, model.SourceFile{Path: j.rel, Kind: j.kind})
		switch {
		case r.comp != nil:
			l.ws.Components = append(l.ws.Components, r.comp)
		case r.std != nil:
			l.ws.Standards = append(l.ws.Standards, r.std)
		case r.cert != nil:
			l.ws.Certifications = append(l.ws.Certifications, r.cert)
		case r.doc != nil:
			l.ws.Documents = append(l.ws.Documents, r.doc)
		}
	}
}

// decode reads and decodes one file. buf is the worker's scratch buffer: a
// file is read into it, and when the cache holds the file's decoding the
// bytes are only hashed, so the buffer is returned for the next file. A file
// that must be decoded keeps its bytes (decoders may hold on to them), and
// the worker gets no buffer back.
func decode(j *job, cache *Cache, buf []byte) (result, []byte) {
	var r result
	text, err := readFile(j.abs, buf)
	if err != nil {
		if tl, ok := err.(tooLarge); ok {
			r.diags = diag.List{{Severity: diag.Error, Code: diag.CodeTooLarge, Pos: diag.Pos{File: j.rel},
				Message: fmt.Sprintf("file is %d bytes, more than the %d byte limit", int64(tl), opencontrol.MaxFileSize),
				Hint:    "split it into several files, or check that it is the file you meant to list"}}
			return r, buf
		}
		r.diags = diag.List{{Severity: diag.Error, Code: diag.CodeRead, Pos: diag.Pos{File: j.rel}, Message: fmt.Sprintf("cannot read file: %v", errors.Unwrap(err))}}
		return r, buf
	}
	var key string
	if cache != nil {
		key = cache.key(j, text)
		if hit, ok := cache.get(key); ok {
			return hit, text[:0]
		}
		defer func() { cache.put(key, r) }()
	}
	switch j.kind {
	case model.KindComponent:
		r.comp, r.diags = opencontrol.DecodeComponent(j.rel, j.dir, text)
	case model.KindStandard:
		r.std, r.diags = opencontrol.DecodeStandard(j.rel, text)
	case model.KindCertification:
		r.cert, r.diags = opencontrol.DecodeCertification(j.rel, text)
	case model.KindDocument:
		r.doc, r.diags = opencontrol.DecodeDocument(j.rel, text)
	}
	return r, nil
}

// tooLarge is readFile's error for a file over opencontrol.MaxFileSize: its
// size.
type tooLarge int64

func (tooLarge) Error() string { return "file too large" }

// readFile reads the file at name into buf (grown as needed) and returns
// the bytes. Errors are os.ReadFile's, or tooLarge before reading anything.
func readFile(name string, buf []byte) ([]byte, error) {
	f, err := os.Open(name)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	size := 0
	if info, err := f.Stat(); err == nil {
		if info.Size() > opencontrol.MaxFileSize {
			return nil, tooLarge(info.Size())
		}
		size = int(info.Size())
	}
	return readInto(f, size, buf)
}

// readAll reads f to its end; size is its expected size.
func readAll(f *os.File, size int) ([]byte, error) { return readInto(f, size, nil) }

// readInto reads f to its end into buf, grown as needed; size is its
// expected size.
func readInto(f *os.File, size int, buf []byte) ([]byte, error) {
	// one byte more than the size, so that the end is seen without growing
	if cap(buf) < size+1 {
		buf = make([]byte, 0, size+1)
	}
	buf = buf[:0]
	for {
		n, err := f.Read(buf[len(buf):cap(buf)])
		buf = buf[:len(buf)+n]
		if err == io.EOF {
			return buf, nil
		}
		if err != nil {
			return nil, err
		}
		if len(buf) == cap(buf) {
			buf = append(buf, 0)[:len(buf)]
		}
	}
}

// assemble sorts everything into a stable order and reports duplicates,
// keeping the first definition (in path order) of each name.
func (l *loader) assemble() {
	ws := l.ws
	slices.SortFunc(ws.Files, func(a, b model.SourceFile) int { return strings.Compare(a.Path, b.Path) })
	ws.Files = slices.CompactFunc(ws.Files, func(a, b model.SourceFile) bool { return a.Path == b.Path })

	ws.Components = dedupe(l, ws.Components,
		func(c *model.Component) (string, diag.Pos) { return c.Key, c.KeyPos },
		diag.CodeDupComponent, "component key %q is used by two components", "give one of them a different key:")
	ws.Standards = dedupe(l, ws.Standards,
		func(s *model.Standard) (string, diag.Pos) { return s.Name, s.Pos },
		diag.CodeDupStandard, "standard name %q is defined twice", "remove one of the files from opencontrol.yaml, or rename one standard")
	ws.Certifications = dedupe(l, ws.Certifications,
		func(c *model.Certification) (string, diag.Pos) { return c.Name, c.Pos },
		diag.CodeDupCertification, "certification name %q is defined twice", "rename one of them")
	ws.Documents = dedupe(l, ws.Documents,
		func(d *model.Document) (string, diag.Pos) { return d.ID, d.FieldPos["id"] },
		diag.CodeDocDuplicate, "document id %q is used by two documents", "give each policy and procedure its own id")
	ws.Index()
}

// dedupe sorts items by (name, position) and drops later duplicates with a
// diagnostic naming both places.
func dedupe[T any](l *loader, items []T, name func(T) (string, diag.Pos), code diag.Code, format, hint string) []T {
	slices.SortStableFunc(items, func(a, b T) int {
		na, pa := name(a)
		nb, pb := name(b)
		if c := model.CompareIDs(na, nb); c != 0 {
			return c
		}
		if na != nb {
			return strings.Compare(na, nb)
		}
		return pa.Compare(pb)
	})
	out := items[:0]
	for _, it := range items {
		n, p := name(it)
		if len(out) > 0 {
			if prev, pp := name(out[len(out)-1]); prev == n {
				d := diag.Diagnostic{Severity: diag.Error, Code: code, Pos: p, Message: fmt.Sprintf(format, n) + "; only the first is used",
					Hint: hint, Notes: []diag.Note{{Pos: pp, Message: "first defined here"}}, Source: l.sourceLine(p)}
				if code == diag.CodeDupComponent {
					d.Hint = "give one of them a different key: with key: in component.yaml"
				}
				l.diags = append(l.diags, d)
				continue
			}
		}
		out = append(out, it)
	}
	return out
}
