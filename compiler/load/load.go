// Package load reads a compliance repository rooted at an opencontrol.yaml
// into one model.Workspace: it finds every file the manifest (and charter.yaml)
// names, refuses paths that leave the repository, decodes the files in
// parallel and assembles the result deterministically. It never prints.
package load

import (
	"errors"
	"fmt"
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
	// DepsDir is where fetched git dependencies live, in either of two
	// layouts: charter's, a clone per repository at
	// opencontrols/<kind>/<repository name>, or the flat one `masonry get`
	// writes, each dependency's files copied into opencontrols/standards/,
	// opencontrols/certifications/ and opencontrols/components/<dir>/.
	DepsDir = "opencontrols"
)

// The one-line accounts of the layouts (model.Workspace.DependencyLayout).
const (
	LayoutCharter = "read from opencontrols/<kind>/<repository> (one clone per dependency)"
	LayoutMasonry = "read from the flat opencontrols/standards, certifications and components/ that compliance-masonry get writes"
	LayoutBoth    = "read from opencontrols/<kind>/<repository> clones and from compliance-masonry get's flat opencontrols/ folders"
)

// flatDirs are the folders of masonry's layout, by dependency kind: a
// standards or certifications dependency is fetched when its folder holds a
// YAML file, a system when components/ holds a component directory.
var flatDirs = map[string]string{
	"standards":      DepsDir + "/standards",
	"certifications": DepsDir + "/certifications",
	"systems":        DepsDir + "/components",
}

// Options says what to load.
type Options struct {
	Root string // directory holding opencontrol.yaml
	// ExtraStandards are standard files given on the command line, for
	// repositories that refer to a standard they do not ship. They may lie
	// outside the repository; diagnostics name them as given.
	ExtraStandards []string
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
	r, err := os.OpenRoot(abs)
	if err != nil {
		return nil, nil, fmt.Errorf("repository root %s: %w", root, err)
	}
	defer r.Close()
	if _, err := r.Lstat(ManifestName); err != nil {
		return nil, nil, fmt.Errorf("%w in %s: run charter in a directory with an %s, or pass --root DIR", ErrNoManifest, abs, ManifestName)
	}
	l := &loader{root: r, ws: &model.Workspace{Root: abs}}
	l.run(opts)
	l.attachSources()
	l.diags.Sort()
	return l.ws, l.diags, nil
}

type loader struct {
	root *os.Root // the repository: every read goes through it
	ws   *model.Workspace

	mu    sync.Mutex
	diags diag.List
	jobs  []*job
	seen  map[string]bool // files queued, to read each once
	// manifests holds every manifest read or being read, to read each once
	manifests map[string]bool

	// discover is set when only the files are wanted (Sources): jobs are
	// listed, not read.
	discover bool
	compDirs []string // component directories listed, whether or not they hold a component.yaml
	docDirs  []string // documents directories

	// how fetched dependencies were found: charter's layout, masonry's
	byClone, byFlat bool
	flatRead        bool // masonry's folders have been queued

	// Files are decoded by workers from the moment they are queued, while
	// the manifest is still being followed.
	next    chan *job
	workers int
	wg      sync.WaitGroup
}

type job struct {
	rel  string   // path relative to root (or as given, for extra standards)
	root *os.Root // where rel is read from, when not the repository
	name string   // the file's name inside root
	kind model.FileKind
	dir  string // component directory
	// system is the name of the manifest listing a component ("" in
	// masonry's flat layout); fetched is set under opencontrols/.
	system  string
	fetched bool
	text    []byte // set by a worker once the file is read
	res     result // set by a worker
}

func (l *loader) report(ds ...diag.Diagnostic) {
	l.mu.Lock()
	l.diags = append(l.diags, ds...)
	l.mu.Unlock()
}

func (l *loader) errorAt(pos diag.Pos, code diag.Code, hint, format string, args ...any) {
	l.report(diag.Diagnostic{Severity: diag.Error, Code: code, Pos: pos, Message: fmt.Sprintf(format, args...), Hint: hint})
}

// attachSources gives every diagnostic that names a line without showing
// it (those raised outside a file's decoder: paths in the manifest,
// duplicates) the line, from the bytes already read.
func (l *loader) attachSources() {
	srcs := map[string]*diag.Source{}
	for i := range l.diags {
		d := &l.diags[i]
		if d.Pos.Line == 0 || d.Source != "" {
			continue
		}
		src, ok := srcs[d.Pos.File]
		if !ok {
			src = diag.NewSource(d.Pos.File, l.ws.Text(d.Pos.File))
			srcs[d.Pos.File] = src
		}
		d.Source = src.Line(d.Pos.Line)
	}
}

func (l *loader) run(opts Options) {
	l.next = make(chan *job, 64)
	l.find()
	var roots []*os.Root
	for _, p := range opts.ExtraStandards {
		if j := l.extraStandard(p); j != nil {
			roots = append(roots, j.root)
			l.start(j)
		}
	}
	l.decodeAll()
	for _, r := range roots {
		r.Close()
	}
	l.assemble()
}

// find reads the manifests (following dependencies) and charter.yaml, and
// queues every file they say to read.
func (l *loader) find() {
	l.seen = map[string]bool{}
	l.manifests = map[string]bool{}
	// The manifest and charter.yaml come first: they say what else to read.
	l.manifest(ManifestName, nil)
	l.ws.Config = model.Config{Documents: opencontrol.DefaultDocuments}
	if _, err := l.root.Lstat(ConfigName); !errors.Is(err, fs.ErrNotExist) {
		if text, err := ReadFile(l.root, ConfigName); err != nil {
			l.report(l.problem(l.root, diag.Pos{File: ConfigName}, ConfigName, err))
		} else {
			cfg, ds := opencontrol.DecodeConfig(ConfigName, text)
			l.ws.Config = cfg
			l.report(ds...)
			l.ws.Files = append(l.ws.Files, model.SourceFile{Path: ConfigName, Kind: model.KindConfig, Text: text})
		}
	}
	for _, dir := range l.ws.Config.Documents {
		l.documents(dir)
	}
	switch {
	case l.byClone && l.byFlat:
		l.ws.DependencyLayout = LayoutBoth
	case l.byClone:
		l.ws.DependencyLayout = LayoutCharter
	case l.byFlat:
		l.ws.DependencyLayout = LayoutMasonry
	}
}

// Sources tells whether a path (relative to the repository root dir, with
// forward slashes) is one a Load of dir reads, by the same rules and the
// same reading of the manifests (dependencies followed) and charter.yaml:
// a manifest, charter.yaml, a standard or certification listed, anything in
// a listed component directory or under opencontrols/, a document
// (IsDocument) under a documents directory, or anything under one of
// extraDirs (slash-separated, relative to dir). Only the manifests and
// charter.yaml are read; problems are left for Load to report.
func Sources(dir string, extraDirs ...string) func(rel string) bool {
	exact := map[string]bool{ManifestName: true, ConfigName: true}
	dirs := []string{DepsDir + "/"}
	var docDirs []string
	if r, err := os.OpenRoot(dir); err == nil {
		l := &loader{root: r, ws: &model.Workspace{}, discover: true}
		l.find()
		r.Close()
		for m := range l.manifests {
			exact[m] = true
		}
		for _, j := range l.jobs {
			exact[j.rel] = true
		}
		for _, d := range l.compDirs {
			dirs = append(dirs, dirPrefix(d))
		}
		for _, d := range l.docDirs {
			docDirs = append(docDirs, dirPrefix(d))
		}
	}
	for _, d := range extraDirs {
		if c := path.Clean("/" + strings.TrimSpace(d))[1:]; c != "" {
			dirs = append(dirs, c+"/")
		}
	}
	return func(rel string) bool {
		if exact[rel] {
			return true
		}
		for _, d := range dirs {
			if strings.HasPrefix(rel, d) {
				return true
			}
		}
		if IsDocument(path.Base(rel)) {
			for _, d := range docDirs {
				if strings.HasPrefix(rel, d) {
					return true
				}
			}
		}
		return false
	}
}

// dirPrefix is the prefix of every path inside the clean directory d ("" for
// the root itself).
func dirPrefix(d string) string {
	if d == "." {
		return ""
	}
	return d + "/"
}

// IsDocument tells from its name whether a file in a documents directory
// is a policy or procedure: Markdown, except README files.
func IsDocument(name string) bool {
	return strings.HasSuffix(name, ".md") && !strings.EqualFold(name, "README.md")
}

// extraStandard prepares the job of a standard file given on the command
// line, read through a root at its own directory; nil when it cannot be.
func (l *loader) extraStandard(p string) *job {
	pos := diag.Pos{File: filepath.ToSlash(p)}
	abs, err := filepath.Abs(p)
	if err == nil {
		abs, err = filepath.EvalSymlinks(abs)
	}
	if err != nil {
		l.errorAt(pos, diag.CodeNotFound, "give the path of a standard's YAML file", "standard file %s cannot be found: %v", pos.File, unwrapPath(err))
		return nil
	}
	root, err := os.OpenRoot(filepath.Dir(abs))
	if err != nil {
		l.errorAt(pos, diag.CodeRead, "", "cannot read file: %v", unwrapPath(err))
		return nil
	}
	return &job{rel: pos.File, root: root, name: filepath.Base(abs), kind: model.KindStandard}
}

// manifest reads the manifest rel (a clean path inside the repository) and
// queues the files it lists. chain is the manifests whose dependencies led
// here, outermost first.
func (l *loader) manifest(rel string, chain []string) {
	l.manifests[rel] = true
	text, err := ReadFile(l.root, rel)
	if err != nil {
		l.report(l.problem(l.root, diag.Pos{File: rel}, rel, err))
		return
	}
	m, ds := opencontrol.DecodeManifest(rel, text)
	l.report(ds...)
	l.ws.Files = append(l.ws.Files, model.SourceFile{Path: rel, Kind: model.KindManifest, Text: text})
	if m == nil {
		return
	}
	if chain == nil {
		l.ws.Manifest = m.Manifest
	} else {
		l.ws.Manifest.Dependencies = append(l.ws.Manifest.Dependencies, m.Dependencies...)
	}
	dir := path.Dir(rel)
	fetched := strings.HasPrefix(rel, DepsDir+"/")
	for _, e := range m.Components {
		p, ok := l.confine(dir, e.Path, e.Pos, true)
		if !ok {
			continue
		}
		l.compDirs = append(l.compDirs, p)
		file := path.Join(p, "component.yaml")
		absent := func() {
			l.errorAt(e.Pos, diag.CodeNotFound, "each component directory holds a component.yaml", "component directory %s has no component.yaml", p)
		}
		if l.regular(file, e.Pos, absent) {
			l.queue(job{rel: file, kind: model.KindComponent, dir: p, system: m.Name, fetched: fetched})
		}
	}
	for _, e := range m.Standards {
		if p, ok := l.confine(dir, e.Path, e.Pos, false); ok {
			l.queue(job{rel: p, kind: model.KindStandard})
		}
	}
	for _, e := range m.Certifications {
		if p, ok := l.confine(dir, e.Path, e.Pos, false); ok {
			l.queue(job{rel: p, kind: model.KindCertification})
		}
	}
	chain = append(chain, rel)
	for _, d := range m.Dependencies {
		l.dependency(dir, d, chain)
	}
}

func (l *loader) queue(j job) {
	if l.seen[j.rel] {
		return
	}
	l.seen[j.rel] = true
	l.start(&j)
}

// start hands a job to the workers, starting one more (up to GOMAXPROCS)
// if need be.
func (l *loader) start(j *job) {
	if j.root == nil {
		j.root, j.name = l.root, j.rel
	}
	l.jobs = append(l.jobs, j)
	if l.discover {
		return
	}
	if l.workers < runtime.GOMAXPROCS(0) {
		l.workers++
		l.wg.Add(1)
		go func() {
			defer l.wg.Done()
			for j := range l.next {
				l.decode(j)
			}
		}()
	}
	l.next <- j
}

// dependency follows a dependency to its manifest: a local directory inside
// the repository, or a git repository already fetched into opencontrols/.
// Each manifest is read once; one that is already on chain closes a cycle.
func (l *loader) dependency(dir string, d model.Dependency, chain []string) {
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
		if !l.exists(depDir) {
			if l.flatHas(d.Kind) {
				// masonry's layout keeps no clone: its folders hold every
				// dependency's files, read once for all of them
				l.byFlat = true
				l.readFlat()
				return
			}
			fetch := fmt.Sprintf("git clone %s %s", d.URL, depDir)
			if d.Revision != "" {
				fetch += fmt.Sprintf(" && git -C %s checkout %s", depDir, d.Revision)
			}
			l.errorAt(d.Pos, diag.CodeRemoteDependency,
				"fetch every dependency with `compliance-masonry get` (it copies them into opencontrols/), or this one with: "+fetch,
				"dependency %s has not been fetched: neither %s nor files in %s/ exist", d.URL, depDir, flatDirs[d.Kind])
			return
		}
		if _, ok := l.confine(".", depDir, d.Pos, true); !ok {
			return
		}
		l.byClone = true
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
	mrel, ok := l.inside(depDir, manifest, d.Pos)
	if !ok {
		return
	}
	if !l.exists(mrel) {
		l.errorAt(d.Pos, diag.CodeNotFound, "set path: to the dependency's manifest file", "dependency %s has no %s", d.URL, mrel)
		return
	}
	if i := slices.Index(chain, mrel); i >= 0 {
		l.errorAt(d.Pos, diag.CodeDependencyCycle, "remove the dependency that leads back: a manifest cannot depend on itself",
			"dependency %s forms a cycle: %s", d.URL, strings.Join(append(slices.Clip(chain[i:]), mrel), " -> "))
		return
	}
	if l.manifests[mrel] || !l.regular(mrel, d.Pos, nil) {
		return // already read through another dependency, or reported
	}
	l.manifest(mrel, chain)
}

// flatHas reports whether masonry's folder for a dependency kind holds
// what such a dependency leaves there: a YAML file directly in standards/
// or certifications/, a directory with a component.yaml in components/.
func (l *loader) flatHas(kind string) bool {
	entries, err := fs.ReadDir(l.root.FS(), flatDirs[kind])
	if err != nil {
		return false
	}
	for _, e := range entries {
		p := path.Join(flatDirs[kind], e.Name())
		if kind == "systems" {
			if e.IsDir() && l.exists(path.Join(p, "component.yaml")) {
				return true
			}
		} else if e.Type().IsRegular() && isYAML(e.Name()) {
			return true
		}
	}
	return false
}

func isYAML(name string) bool {
	return strings.HasSuffix(name, ".yaml") || strings.HasSuffix(name, ".yml")
}

// readFlat queues, once, every file of masonry's flat layout: the YAML
// files directly in opencontrols/standards/ and opencontrols/certifications/
// (the directories beside them are charter's clones) and the component.yaml
// of each directory in opencontrols/components/. Their system is unknown:
// masonry keeps no manifest.
func (l *loader) readFlat() {
	if l.flatRead {
		return
	}
	l.flatRead = true
	for _, kind := range []string{"standards", "certifications", "systems"} {
		dir := flatDirs[kind]
		entries, err := fs.ReadDir(l.root.FS(), dir)
		if err != nil {
			if !errors.Is(err, fs.ErrNotExist) {
				l.errorAt(diag.Pos{File: dir}, diag.CodeRead, "make the directory readable by the user running charter",
					"cannot read directory %s: %v", dir, unwrapPath(err))
			}
			continue
		}
		for _, e := range entries {
			p := path.Join(dir, e.Name())
			switch {
			case kind == "standards" && e.Type().IsRegular() && isYAML(e.Name()):
				l.queue(job{rel: p, kind: model.KindStandard})
			case kind == "certifications" && e.Type().IsRegular() && isYAML(e.Name()):
				l.queue(job{rel: p, kind: model.KindCertification})
			case kind == "systems" && e.IsDir():
				file := path.Join(p, "component.yaml")
				if !l.exists(file) {
					continue // not a component directory
				}
				l.compDirs = append(l.compDirs, p)
				if l.regular(file, diag.Pos{File: p}, nil) {
					l.queue(job{rel: file, kind: model.KindComponent, dir: p, fetched: true})
				}
			}
		}
	}
}

// documents queues every Markdown file under dir (except README files).
func (l *loader) documents(dir string) {
	pos := l.ws.Config.DocumentsPos
	if !pos.IsValid() {
		// the default directory is optional
		if !l.exists(path.Clean(dir)) {
			return
		}
		pos = diag.Pos{File: ConfigName}
	}
	p, ok := l.confine(".", dir, pos, true)
	if !ok {
		return
	}
	l.docDirs = append(l.docDirs, p)
	if l.discover {
		return
	}
	_ = fs.WalkDir(l.root.FS(), p, func(rel string, d fs.DirEntry, err error) error {
		if err != nil {
			l.errorAt(diag.Pos{File: rel}, diag.CodeRead, "make the directory readable by the user running charter",
				"cannot read directory %s: %v", rel, unwrapPath(err))
			return nil
		}
		if d.IsDir() || !IsDocument(d.Name()) {
			return nil
		}
		l.queue(job{rel: rel, kind: model.KindDocument})
		return nil
	})
}

// inside resolves p (relative to dir) to a clean path inside the
// repository, without looking at the file system. It refuses absolute
// paths and paths that climb out with ..
func (l *loader) inside(dir, p string, pos diag.Pos) (string, bool) {
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
	return rel, true
}

// confine resolves p (relative to dir) inside the repository and reports,
// at pos, a path that leaves it (by .., as an absolute path or through a
// symbolic link), names nothing, or names the wrong kind of file: not a
// directory when wantDir, else not a regular file.
func (l *loader) confine(dir, p string, pos diag.Pos, wantDir bool) (string, bool) {
	rel, ok := l.inside(dir, p, pos)
	if !ok {
		return "", false
	}
	if !wantDir {
		return rel, l.regular(rel, pos, nil)
	}
	info, err := l.root.Stat(rel)
	if err != nil {
		l.report(l.problem(l.root, pos, rel, err))
		return "", false
	}
	if !info.IsDir() {
		l.errorAt(pos, diag.CodeNotFound, "", "%q is not a directory", rel)
		return "", false
	}
	return rel, true
}

// regular reports whether rel is a regular file, and reports at pos why not
// (calling absent instead, if set, when nothing at all is there). Only its
// mode is looked at; nothing is opened.
func (l *loader) regular(rel string, pos diag.Pos, absent func()) bool {
	info, err := l.root.Stat(rel)
	switch {
	case err != nil && absent != nil && errors.Is(err, fs.ErrNotExist) && !l.exists(rel):
		absent()
	case err != nil:
		l.report(l.problem(l.root, pos, rel, err))
	case info.IsDir():
		l.errorAt(pos, diag.CodeNotFound, "", "%q is not a file", rel)
	case !info.Mode().IsRegular():
		l.report(l.problem(l.root, pos, rel, &NotRegularError{info.Mode()}))
	default:
		return true
	}
	return false
}

// exists reports whether rel names anything, even a dangling link; an
// error other than its absence counts as existing, for the reader to report.
func (l *loader) exists(rel string) bool {
	_, err := l.root.Lstat(rel)
	return !errors.Is(err, fs.ErrNotExist)
}

func (l *loader) problem(root *os.Root, pos diag.Pos, rel string, err error) diag.Diagnostic {
	return ReadProblem(root, pos, rel, err)
}

// ReadProblem turns an error reading rel (from ReadFile, or from root's
// Stat) into a diagnostic at pos. A position in the file itself calls it
// "file".
func ReadProblem(root *os.Root, pos diag.Pos, rel string, err error) diag.Diagnostic {
	d := diag.Diagnostic{Severity: diag.Error, Code: diag.CodeRead, Pos: pos}
	what := fmt.Sprintf("%q", rel)
	if pos.File == rel && pos.Line == 0 {
		what = "file"
	}
	var tooLarge *TooLargeError
	var notRegular *NotRegularError
	switch {
	case errors.As(err, &tooLarge):
		d.Code = diag.CodeTooLarge
		d.Message = fmt.Sprintf("%s is %d bytes, more than the %d byte limit", what, tooLarge.Size, tooLarge.Limit)
		d.Hint = "split it into several files, or check that it is the file you meant to list"
	case errors.As(err, &notRegular):
		d.Message = fmt.Sprintf("%s is %s, not a regular file: charter never opens one", what, describe(notRegular.Mode))
		d.Hint = "put the file itself in its place, or remove the entry"
	case errors.Is(err, fs.ErrNotExist):
		d.Code = diag.CodeNotFound
		if target, lerr := root.Readlink(filepath.FromSlash(rel)); lerr == nil {
			d.Message = fmt.Sprintf("%q is a symbolic link to %q, which does not exist", rel, target)
			d.Hint = "point the link at an existing file, or remove the entry"
		} else {
			d.Message = fmt.Sprintf("%q does not exist", rel)
			d.Hint = "check the spelling, or remove the entry"
		}
	case errors.Is(err, fs.ErrPermission):
		d.Message = fmt.Sprintf("%s cannot be read: %v", what, unwrapPath(err))
		d.Hint = "make it (and the directories above it) readable by the user running charter"
	default:
		if link, target, ok := escapingLink(root, rel); ok {
			d.Code = diag.CodeSymlink
			d.Message = fmt.Sprintf("%q is a symbolic link to %q, outside the repository", link, target)
			if link != rel {
				d.Message = fmt.Sprintf("%q leads outside the repository: %s", rel, d.Message)
			}
			d.Hint = "replace the symbolic link with the file itself (links must be relative and stay inside the repository)"
		} else {
			d.Message = fmt.Sprintf("%s cannot be read: %v", what, unwrapPath(err))
		}
	}
	return d
}

// escapingLink finds the symbolic link on the way to rel that root refuses
// to follow, and what it points to.
func escapingLink(root *os.Root, rel string) (link, target string, ok bool) {
	for i := 0; i <= len(rel); i++ {
		if i < len(rel) && rel[i] != '/' {
			continue
		}
		p := filepath.FromSlash(rel[:i])
		info, err := root.Lstat(p)
		if err != nil {
			return "", "", false
		}
		if info.Mode()&fs.ModeSymlink == 0 {
			continue
		}
		if _, err := root.Stat(p); err != nil && !errors.Is(err, fs.ErrNotExist) {
			target, err := root.Readlink(p)
			return rel[:i], target, err == nil
		}
	}
	return "", "", false
}

// unwrapPath drops the operation and path an *fs.PathError adds: the
// diagnostics name the file themselves.
func unwrapPath(err error) error {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	return err
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
		if j.text == nil {
			continue // not read
		}
		l.ws.Files = append(l.ws.Files, model.SourceFile{Path: j.rel, Kind: j.kind, Text: j.text})
		switch {
		case r.comp != nil:
			r.comp.ListedBy, r.comp.Fetched = j.system, j.fetched
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

// decode reads one file, once, and decodes its bytes, which the workspace
// keeps.
func (l *loader) decode(j *job) {
	text, err := ReadFile(j.root, j.name)
	if err != nil {
		j.res.diags = diag.List{l.problem(j.root, diag.Pos{File: j.rel}, j.name, err)}
		return
	}
	if text == nil {
		text = []byte{} // read, and empty
	}
	j.text = text
	r := &j.res
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
					Hint: hint, Notes: []diag.Note{{Pos: pp, Message: "first defined here"}}}
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
