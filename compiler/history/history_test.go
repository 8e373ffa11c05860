package history_test

import (
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/charter-compliance/charter/compiler/history"
	"github.com/charter-compliance/charter/compiler/history/gittest"
	"github.com/charter-compliance/charter/compiler/model"
)

var (
	alice = gittest.Person{Name: "Alice Adams", Email: "alice@example.com"}
	bob   = gittest.Person{Name: "Bob Brown", Email: "bob@example.com"}
	carol = gittest.Person{Name: "Carol Chen", Email: "carol@example.com"}
	dave  = gittest.Person{Name: "Dave Diaz", Email: "dave@example.com"}
)

const accessPolicy = `---
id: POL-ACCESS
title: Access Control Policy
---

# Access Control Policy

1. Access is granted on the principle of least privilege.
2. Every account belongs to one named person.
3. Access is reviewed every quarter by the system owner.
4. Leavers lose access on their last day.
5. Administrators use multi-factor authentication.
`

// program is a small history with every case the collector must handle: several authors, a merge
// commit naming a pull request, a squash merge, a rename inside the merged branch, two tags.
type program struct {
	repo                           *gittest.Repo
	c1, c2, f1, f2, c3, m1, c4, c5 string
}

var programs struct {
	sync.Mutex
	dir  string
	made map[string]*program
}

func TestMain(m *testing.M) {
	code := m.Run()
	if programs.dir != "" {
		os.RemoveAll(programs.dir)
	}
	os.Exit(code)
}

// newProgram returns a fresh copy of the program's repository, with the
// workspace in directory prefix. Commits are fully determined by their
// authors, dates and contents, so every copy has the same hashes; each is
// built once and copied.
func newProgram(t *testing.T, prefix string) *program {
	t.Helper()
	programs.Lock()
	defer programs.Unlock()
	if programs.made == nil {
		dir, err := os.MkdirTemp("", "charter-history-test-")
		if err != nil {
			t.Fatal(err)
		}
		programs.dir, programs.made = dir, map[string]*program{}
	}
	tpl := programs.made[prefix]
	if tpl == nil {
		dir := filepath.Join(programs.dir, strconv.Itoa(len(programs.made)))
		if err := os.Mkdir(dir, 0o755); err != nil {
			t.Fatal(err)
		}
		tpl = buildProgram(&gittest.Repo{T: t, Dir: dir}, prefix)
		programs.made[prefix] = tpl
	}
	p := *tpl
	p.repo = &gittest.Repo{T: t, Dir: t.TempDir()}
	if err := os.CopyFS(p.repo.Dir, os.DirFS(tpl.repo.Dir)); err != nil {
		t.Fatal(err)
	}
	return &p
}

func buildProgram(r *gittest.Repo, prefix string) *program {
	r.Git("init", "-q", "-b", "main")
	p := &program{repo: r}
	w := func(rel, content string) { r.Write(prefix+rel, content) }
	w("opencontrol.yaml", "name: test\n")
	w("policies/access.md", accessPolicy)
	w("components/okta/component.yaml", "key: okta\n")
	if prefix != "" {
		r.Write("README.md", "outside the workspace\n")
	}
	p.c1 = r.Commit(alice, gittest.Day(2024, 1, 2, 9), "Add access policy")
	w("components/okta/component.yaml", "key: okta\nname: Okta\n")
	if prefix != "" {
		r.Write("README.md", "still outside\n")
	}
	p.c2 = r.Commit(bob, gittest.Day(2024, 2, 3, 10), "Describe MFA")

	r.Git("checkout", "-q", "-b", "feature")
	w("policies/access.md", strings.Replace(accessPolicy, "multi-factor authentication.", "hardware security keys.", 1))
	p.f1 = r.Commit(carol, gittest.Day(2024, 2, 10, 11), "Require hardware keys")
	r.Git("mv", prefix+"policies/access.md", prefix+"policies/access-control.md")
	p.f2 = r.Commit(carol, gittest.Day(2024, 2, 11, 12), "Rename access policy")

	r.Git("checkout", "-q", "main")
	w("policies/backup.md", "# Backup Policy\n\nBack up daily.\n")
	p.c3 = r.Commit(bob, gittest.Day(2024, 2, 12, 13), "Add backup policy")
	p.m1 = r.Merge("feature", dave, gittest.Day(2024, 2, 15, 14), "Merge pull request #12 from acme/feature", "Require hardware keys for admins")
	r.Tag("v1.0.0", dave, gittest.Day(2024, 2, 15, 15), "")

	w("policies/access-control.md", strings.Replace(accessPolicy, "every quarter", "every month", 1))
	w("components/okta/component.yaml", "key: okta\nname: Okta\nresponsible_role: IT\n")
	p.c4 = r.Commit(alice, gittest.Day(2024, 3, 1, 16), "Tighten access reviews (#34)")
	r.Tag("v1.1.0", alice, gittest.Day(2024, 3, 1, 17), "Release 1.1.0")

	w("policies/backup.md", "# Backup Policy\n\nBack up every day.\n")
	p.c5 = r.Commit(bob, gittest.Day(2024, 3, 5, 18), "Fix typo")
	return p
}

func rev(commit string, date time.Time, who gittest.Person, subject string) history.Revision {
	return history.Revision{Commit: commit, Date: date, Author: who.Name, Email: who.Email, Subject: subject,
		Authors: []history.Person{{Name: who.Name, Email: who.Email}}, MergedBy: who.Name}
}

func (p *program) want(url string) map[string][]history.Revision {
	c1 := rev(p.c1, gittest.Day(2024, 1, 2, 9), alice, "Add access policy")
	c2 := rev(p.c2, gittest.Day(2024, 2, 3, 10), bob, "Describe MFA")
	c3 := rev(p.c3, gittest.Day(2024, 2, 12, 13), bob, "Add backup policy")
	m1 := rev(p.m1, gittest.Day(2024, 2, 15, 14), dave, "Merge pull request #12 from acme/feature")
	m1.Title, m1.PR = "Require hardware keys for admins", 12
	m1.Authors = []history.Person{{Name: carol.Name, Email: carol.Email}} // the merge brought Carol's two commits
	c4 := rev(p.c4, gittest.Day(2024, 3, 1, 16), alice, "Tighten access reviews (#34)")
	c4.PR = 34
	c5 := rev(p.c5, gittest.Day(2024, 3, 5, 18), bob, "Fix typo")
	if url != "" {
		m1.PRURL = url + "/pull/12"
		c4.PRURL = url + "/pull/34"
	}
	return map[string][]history.Revision{
		"opencontrol.yaml":               {c1},
		"policies/access-control.md":     {c4, m1, c1},
		"components/okta/component.yaml": {c4, c2, c1},
		"policies/backup.md":             {c5, c3},
	}
}

func assertFiles(t *testing.T, got, want map[string][]history.Revision) {
	t.Helper()
	for _, k := range sortedKeys(want) {
		if !reflect.DeepEqual(got[k], want[k]) {
			t.Errorf("history of %s:\n got %s\nwant %s", k, show(got[k]), show(want[k]))
		}
	}
	if !slices.Equal(sortedKeys(got), sortedKeys(want)) {
		t.Errorf("files with history: got %q, want %q", sortedKeys(got), sortedKeys(want))
	}
}

func sortedKeys[V any](m map[string]V) []string {
	var ks []string
	for k := range m {
		ks = append(ks, k)
	}
	slices.Sort(ks)
	return ks
}

func show(revs []history.Revision) string {
	var b strings.Builder
	for _, r := range revs {
		b.WriteString("\n  " + r.Short() + " " + r.Date.Format(time.RFC3339) + " " + r.Author + " <" + r.Email + "> " + r.Subject)
		if r.PR != 0 {
			b.WriteString(" PR " + r.PRURL + " " + r.Title)
		}
	}
	return b.String()
}

func TestCollectHistory(t *testing.T) {
	t.Parallel()
	p := newProgram(t, "")
	h, err := history.Collect(p.repo.Dir, history.CollectOptions{RepoURL: "https://github.com/acme/compliance.git"})
	if err != nil {
		t.Fatal(err)
	}
	if !h.Available || h.Reason != "" || h.Shallow {
		t.Fatalf("Available=%v Reason=%q Shallow=%v", h.Available, h.Reason, h.Shallow)
	}
	assertFiles(t, h.Files, p.want("https://github.com/acme/compliance"))
	wantLabel := history.Label{Version: "v1.1.0-1-g" + p.c5[:10], Commit: p.c5}
	if h.Label != wantLabel {
		t.Errorf("label = %+v, want %+v", h.Label, wantLabel)
	}
	if want := gittest.Day(2024, 3, 5, 18); !h.Date.Equal(want) || h.Date.Location() != time.UTC {
		t.Errorf("date = %v, want %v", h.Date, want)
	}
	if last := h.Last("policies/backup.md", "policies/access-control.md"); last == nil || last.Commit != p.c5 {
		t.Errorf("Last = %+v, want %s", last, p.c5)
	}
	if last := h.Last("opencontrol.yaml", "no/such/file"); last == nil || last.Commit != p.c1 {
		t.Errorf("Last = %+v, want %s", last, p.c1)
	}
	if h.Last("no/such/file") != nil {
		t.Error("Last of an unknown file is not nil")
	}
}

func TestCollectWithoutRepoURLHasNoLinks(t *testing.T) {
	t.Parallel()
	p := newProgram(t, "")
	h, err := history.Collect(p.repo.Dir, history.CollectOptions{})
	if err != nil {
		t.Fatal(err)
	}
	assertFiles(t, h.Files, p.want(""))
}

// The workspace may be a directory of a larger repository: paths are
// relative to it, and files outside it have no history.
func TestCollectWorkspaceInSubdirectory(t *testing.T) {
	t.Parallel()
	p := newProgram(t, "compliance/soc2/")
	h, err := history.Collect(filepath.Join(p.repo.Dir, "compliance", "soc2"), history.CollectOptions{RepoURL: "https://github.com/acme/mono/"})
	if err != nil {
		t.Fatal(err)
	}
	assertFiles(t, h.Files, p.want("https://github.com/acme/mono"))
}

func TestCollectAtTag(t *testing.T) {
	t.Parallel()
	p := newProgram(t, "")
	for _, tc := range []struct {
		rev, version, commit string
		access               []string
	}{
		{"v1.0.0", "v1.0.0", p.m1, []string{p.m1, p.c1}},
		{"v1.1.0", "v1.1.0", p.c4, []string{p.c4, p.m1, p.c1}},
		{p.c2[:12], p.c2[:10], p.c2, nil}, // no tag before it: the short commit
		{p.c3, p.c3[:10], p.c3, nil},
	} {
		h, err := history.Collect(p.repo.Dir, history.CollectOptions{Rev: tc.rev})
		if err != nil {
			t.Fatalf("%s: %v", tc.rev, err)
		}
		if want := (history.Label{Version: tc.version, Commit: tc.commit}); h.Label != want {
			t.Errorf("%s: label %+v, want %+v", tc.rev, h.Label, want)
		}
		var got []string
		for _, r := range h.For("policies/access-control.md") {
			got = append(got, r.Commit)
		}
		if !slices.Equal(got, tc.access) {
			t.Errorf("%s: access-control.md revisions %q, want %q", tc.rev, got, tc.access)
		}
	}
	// before the rename, the policy has its old name
	h, _ := history.Collect(p.repo.Dir, history.CollectOptions{Rev: p.c3})
	var got []string
	for _, r := range h.For("policies/access.md") {
		got = append(got, r.Subject)
	}
	if want := []string{"Add access policy"}; !slices.Equal(got, want) {
		t.Errorf("access.md at c3: %q, want %q", got, want)
	}
}

func TestCollectBadRev(t *testing.T) {
	t.Parallel()
	p := newProgram(t, "")
	for _, bad := range []string{"v9.9.9", "--all", "main..feature"} {
		_, err := history.Collect(p.repo.Dir, history.CollectOptions{Rev: bad})
		if !errors.Is(err, history.ErrBadRev) {
			t.Errorf("Collect(%q) error = %v, want ErrBadRev", bad, err)
		}
	}
}

func sources(paths ...string) func(string) bool {
	return func(p string) bool { return slices.Contains(paths, p) }
}

func TestLabel(t *testing.T) {
	t.Parallel()
	p := newProgram(t, "")
	r := p.repo
	collect := func(opts history.CollectOptions) history.Label {
		t.Helper()
		h, err := history.Collect(r.Dir, opts)
		if err != nil {
			t.Fatal(err)
		}
		return h.Label
	}
	describe := "v1.1.0-1-g" + p.c5[:10]
	// an untracked file that is not a source file does not count
	r.Write("notes.txt", "scratch\n")
	if got, want := collect(history.CollectOptions{IsSource: sources("opencontrol.yaml")}), (history.Label{Version: describe, Commit: p.c5}); got != want {
		t.Errorf("untracked non-source: %+v, want %+v", got, want)
	}
	// an untracked source file does
	r.Write("policies/new.md", "# New\n")
	got := collect(history.CollectOptions{IsSource: sources("opencontrol.yaml", "policies/new.md")})
	if want := (history.Label{Version: describe, Commit: p.c5, Dirty: true}); got != want {
		t.Errorf("untracked source: %+v, want %+v", got, want)
	}
	if got.String() != describe+" (uncommitted changes)" {
		t.Errorf("String() = %q", got.String())
	}
	r.Remove("policies/new.md")
	// a modified tracked file does, and --version overrides the name but
	// not the dirt
	r.Write("policies/backup.md", "# Backup Policy\n\nchanged\n")
	if got, want := collect(history.CollectOptions{Version: "2024-Q1"}), (history.Label{Version: "2024-Q1", Commit: p.c5, Dirty: true}); got != want {
		t.Errorf("modified: %+v, want %+v", got, want)
	}
	// a staged change too
	r.Git("add", "policies/backup.md")
	if got, want := collect(history.CollectOptions{}), (history.Label{Version: describe, Commit: p.c5, Dirty: true}); got != want {
		t.Errorf("staged: %+v, want %+v", got, want)
	}
	// a named revision is never dirty
	if got, want := collect(history.CollectOptions{Rev: "HEAD"}), (history.Label{Version: describe, Commit: p.c5}); got != want {
		t.Errorf("Rev HEAD: %+v, want %+v", got, want)
	}
	r.Git("reset", "-q", "--hard")
	// exactly at a tag, the label is the tag
	r.Git("checkout", "-q", "v1.1.0")
	got = collect(history.CollectOptions{})
	if want := (history.Label{Version: "v1.1.0", Commit: p.c4}); got != want {
		t.Errorf("at tag: %+v, want %+v", got, want)
	}
	if got.Short() != p.c4[:10] {
		t.Errorf("Short() = %q", got.Short())
	}
}

// Changes outside a workspace that is a subdirectory do not make it dirty.
func TestLabelDirtyOnlyInsideWorkspace(t *testing.T) {
	t.Parallel()
	p := newProgram(t, "compliance/")
	p.repo.Write("README.md", "edited outside\n")
	h, err := history.Collect(filepath.Join(p.repo.Dir, "compliance"), history.CollectOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if h.Label.Dirty {
		t.Error("a change outside the workspace marked it dirty")
	}
	p.repo.Write("compliance/new.md", "# New\n")
	p.repo.Write("new.md", "# New, outside\n")
	h, _ = history.Collect(filepath.Join(p.repo.Dir, "compliance"), history.CollectOptions{IsSource: sources("new.md")})
	if !h.Label.Dirty {
		t.Error("an untracked source file (named relative to the workspace) did not mark it dirty")
	}
	p.repo.Remove("compliance/new.md")
	h, _ = history.Collect(filepath.Join(p.repo.Dir, "compliance"), history.CollectOptions{IsSource: sources("new.md")})
	if h.Label.Dirty {
		t.Error("an untracked file outside the workspace marked it dirty")
	}
	p.repo.Write("compliance/opencontrol.yaml", "name: edited\n")
	h, _ = history.Collect(filepath.Join(p.repo.Dir, "compliance"), history.CollectOptions{})
	if !h.Label.Dirty {
		t.Error("a change inside the workspace did not mark it dirty")
	}
}

func TestLabelWithoutTags(t *testing.T) {
	t.Parallel()
	r := gittest.New(t)
	r.Write("opencontrol.yaml", "name: x\n")
	c := r.Commit(alice, gittest.Day(2025, 5, 6, 7), "Start")
	h, err := history.Collect(r.Dir, history.CollectOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if want := (history.Label{Version: c[:10], Commit: c}); h.Label != want {
		t.Errorf("label %+v, want %+v", h.Label, want)
	}
}

func TestCollectOutsideGit(t *testing.T) {
	dir := t.TempDir()
	t.Setenv("GIT_CEILING_DIRECTORIES", filepath.Dir(dir))
	h, err := history.Collect(dir, history.CollectOptions{Version: "2026.1"})
	if err != nil {
		t.Fatal(err)
	}
	if h.Available || h.Reason != "the workspace is not in a git repository" || h.Files != nil {
		t.Errorf("Available=%v Reason=%q Files=%v", h.Available, h.Reason, h.Files)
	}
	if want := (history.Label{Version: "2026.1"}); h.Label != want {
		t.Errorf("label %+v, want %+v", h.Label, want)
	}
	h, _ = history.Collect(dir, history.CollectOptions{})
	if h.Label.Version != history.Unversioned || h.For("x") != nil || h.Last("x") != nil {
		t.Errorf("label %+v", h.Label)
	}
	if _, err := history.Collect(dir, history.CollectOptions{Rev: "v1"}); err == nil {
		t.Error("a named revision outside git is not an error")
	}
}

func TestCollectWithoutGit(t *testing.T) {
	p := newProgram(t, "")
	t.Setenv("PATH", t.TempDir())
	h, err := history.Collect(p.repo.Dir, history.CollectOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if h.Available || h.Reason != "git is not installed" {
		t.Errorf("Available=%v Reason=%q", h.Available, h.Reason)
	}
}

func TestCollectNoCommits(t *testing.T) {
	t.Parallel()
	r := gittest.New(t)
	h, err := history.Collect(r.Dir, history.CollectOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if h.Available || h.Reason != "the git repository has no commits yet" || h.Label.Version != history.Unversioned {
		t.Errorf("Available=%v Reason=%q Label=%+v", h.Available, h.Reason, h.Label)
	}
}

func TestCollectShallow(t *testing.T) {
	t.Parallel()
	p := newProgram(t, "")
	clone := t.TempDir()
	c := gittest.Repo{T: t, Dir: clone}
	c.Git("clone", "-q", "--depth=2", "file://"+p.repo.Dir, clone)
	h, err := history.Collect(clone, history.CollectOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if !h.Shallow || !h.Available {
		t.Fatalf("Shallow=%v Available=%v", h.Shallow, h.Available)
	}
	var got []string
	for _, k := range sortedKeys(h.Files) {
		for _, r := range h.Files[k] {
			got = append(got, k+" "+r.Subject)
		}
	}
	// the oldest commit of a shallow clone appears to add every file
	want := []string{
		"components/okta/component.yaml Tighten access reviews (#34)",
		"opencontrol.yaml Tighten access reviews (#34)",
		"policies/access-control.md Tighten access reviews (#34)",
		"policies/backup.md Fix typo",
		"policies/backup.md Tighten access reviews (#34)",
	}
	if !slices.Equal(got, want) {
		t.Errorf("shallow history:\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}

// Deleting a file and creating another with the same name later starts a
// new history; renaming a file away and reusing its name too.
func TestCollectDeleteAndReuseName(t *testing.T) {
	t.Parallel()
	r := gittest.New(t)
	r.Write("a.md", accessPolicy)
	r.Write("b.md", "# B\n")
	c1 := r.Commit(alice, gittest.Day(2024, 1, 1, 0), "one")
	r.Remove("b.md")
	c2 := r.Commit(alice, gittest.Day(2024, 1, 2, 0), "drop b")
	r.Write("b.md", "# A different B\n")
	c3 := r.Commit(bob, gittest.Day(2024, 1, 3, 0), "new b")
	r.Git("mv", "a.md", "c.md")
	c4 := r.Commit(bob, gittest.Day(2024, 1, 4, 0), "a becomes c")
	r.Write("a.md", "# A new A\n")
	c5 := r.Commit(carol, gittest.Day(2024, 1, 5, 0), "new a")
	h, err := history.Collect(r.Dir, history.CollectOptions{})
	if err != nil {
		t.Fatal(err)
	}
	commits := func(p string) []string {
		var out []string
		for _, x := range h.For(p) {
			out = append(out, x.Commit)
		}
		return out
	}
	for _, tc := range []struct {
		path string
		want []string
	}{
		{"a.md", []string{c5}},
		{"b.md", []string{c3}},
		{"c.md", []string{c4, c1}},
	} {
		if got := commits(tc.path); !slices.Equal(got, tc.want) {
			t.Errorf("%s: %q, want %q", tc.path, got, tc.want)
		}
	}
	_ = c2
}

func TestPullRequest(t *testing.T) {
	t.Parallel()
	for subject, want := range map[string]int{
		"Merge pull request #123 from org/branch":        123,
		"Merge pull request #7 from acme/fix (#8)":       7,
		"Tighten access reviews (#34)":                   34,
		"Tighten access reviews (#34)  ":                 34,
		"Revert \"Tighten access reviews (#34)\"":        0,
		"Fix #12 in the access policy":                   0,
		"Merge branch 'main' into feature":               0,
		"Merge pull request from nowhere":                0,
		"Update policy (#99999999999999999999999999999)": 0,
	} {
		if got := history.PullRequest(subject); got != want {
			t.Errorf("PullRequest(%q) = %d, want %d", subject, got, want)
		}
	}
}

func TestLastReviewed(t *testing.T) {
	t.Parallel()
	p := newProgram(t, "")
	h, err := history.Collect(p.repo.Dir, history.CollectOptions{})
	if err != nil {
		t.Fatal(err)
	}
	fm := time.Date(2024, 1, 15, 0, 0, 0, 0, time.UTC)
	for _, tc := range []struct {
		doc  model.Document
		want string
		src  history.ReviewSource
	}{
		{model.Document{File: "policies/access-control.md", LastReviewed: &fm}, "2024-01-15", history.ReviewedFrontMatter},
		{model.Document{File: "policies/access-control.md"}, "2024-03-01", history.ReviewedGit},
		{model.Document{File: "policies/unknown.md"}, "", history.ReviewedUnknown},
	} {
		got, src := h.LastReviewed(&tc.doc)
		s := ""
		if got != nil {
			s = got.Format(time.RFC3339)
			if !strings.HasSuffix(s, "T00:00:00Z") {
				t.Errorf("%s: not a day: %s", tc.doc.File, s)
			}
			s = got.Format(time.DateOnly)
		}
		if s != tc.want || src != tc.src {
			t.Errorf("%s: %q from %s, want %q from %s", tc.doc.File, s, src, tc.want, tc.src)
		}
	}
}

func TestSnapshot(t *testing.T) {
	t.Parallel()
	p := newProgram(t, "ws/")
	r := p.repo
	r.Write("ws/policies/backup.md", "uncommitted\n")
	r.Git("add", "ws/policies/backup.md")
	statusBefore := r.Git("status", "--porcelain") // refreshes the index
	index, _ := os.ReadFile(filepath.Join(r.Dir, ".git", "index"))

	dest := t.TempDir()
	c, err := history.Snapshot(filepath.Join(r.Dir, "ws"), "v1.0.0", dest)
	if err != nil {
		t.Fatal(err)
	}
	if c.Hash != p.m1 || !c.Date.Equal(gittest.Day(2024, 2, 15, 14)) {
		t.Errorf("commit %+v", c)
	}
	got := map[string]string{}
	filepath.WalkDir(dest, func(path string, d os.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			b, _ := os.ReadFile(path)
			rel, _ := filepath.Rel(dest, path)
			got[filepath.ToSlash(rel)] = string(b)
		}
		return nil
	})
	want := map[string]string{
		"opencontrol.yaml":               "name: test\n",
		"components/okta/component.yaml": "key: okta\nname: Okta\n",
		"policies/access-control.md":     strings.Replace(accessPolicy, "multi-factor authentication.", "hardware security keys.", 1),
		"policies/backup.md":             "# Backup Policy\n\nBack up daily.\n",
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("snapshot files:\n%v\nwant\n%v", sortedKeys(got), sortedKeys(want))
	}
	index2, _ := os.ReadFile(filepath.Join(r.Dir, ".git", "index"))
	if string(index) != string(index2) || r.Git("--no-optional-locks", "status", "--porcelain") != statusBefore {
		t.Error("Snapshot changed the index or the working tree")
	}
	if b, _ := os.ReadFile(filepath.Join(r.Dir, "ws", "policies", "backup.md")); string(b) != "uncommitted\n" {
		t.Errorf("working tree file changed: %q", b)
	}
	if _, err := history.Snapshot(filepath.Join(r.Dir, "ws"), "nope", t.TempDir()); !errors.Is(err, history.ErrBadRev) {
		t.Errorf("bad rev: %v", err)
	}
	sub := t.TempDir()
	if _, err := history.Snapshot(filepath.Join(r.Dir, "ws", "policies"), p.c1, sub); err != nil {
		t.Errorf("subdirectory: %v", err)
	}
	if b, err := os.ReadFile(filepath.Join(sub, "access.md")); err != nil || string(b) != accessPolicy {
		t.Errorf("subdirectory snapshot: %q %v", b, err)
	}
}

func TestSnapshotKeepsModesAndSymlinks(t *testing.T) {
	t.Parallel()
	r := gittest.New(t)
	r.Write("run.sh", "#!/bin/sh\n")
	os.Chmod(filepath.Join(r.Dir, "run.sh"), 0o755)
	r.Write("docs/a.md", "A\n")
	if err := os.Symlink("docs/a.md", filepath.Join(r.Dir, "link.md")); err != nil {
		t.Fatal(err)
	}
	r.Commit(alice, gittest.Day(2024, 1, 1, 0), "files")
	dest := t.TempDir()
	if _, err := history.Snapshot(r.Dir, "HEAD", dest); err != nil {
		t.Fatal(err)
	}
	if info, err := os.Stat(filepath.Join(dest, "run.sh")); err != nil || info.Mode().Perm()&0o100 == 0 {
		t.Errorf("run.sh mode: %v %v", info, err)
	}
	if target, err := os.Readlink(filepath.Join(dest, "link.md")); err != nil || target != "docs/a.md" {
		t.Errorf("link.md: %q %v", target, err)
	}
}

func TestBuildDate(t *testing.T) {
	p := newProgram(t, "")
	d, src, err := history.BuildDate(p.repo.Dir, "")
	if err != nil || src != history.DateFromGit || !d.Equal(gittest.Day(2024, 3, 5, 18)) {
		t.Errorf("git: %v %s %v", d, src, err)
	}
	d, src, err = history.BuildDate(p.repo.Dir, "1700000000")
	if err != nil || src != history.DateFromEpoch || !d.Equal(time.Unix(1700000000, 0)) || d.Location() != time.UTC {
		t.Errorf("epoch: %v %s %v", d, src, err)
	}
	if _, _, err := history.BuildDate(p.repo.Dir, "yesterday"); err == nil || err.Error() != `SOURCE_DATE_EPOCH="yesterday" is not a number of seconds` {
		t.Errorf("bad epoch: %v", err)
	}
	dir := t.TempDir()
	t.Setenv("GIT_CEILING_DIRECTORIES", filepath.Dir(dir))
	d, src, err = history.BuildDate(dir, "")
	if err != nil || src != history.DateUnknown || !d.IsZero() {
		t.Errorf("outside git: %v %s %v", d, src, err)
	}
}

func TestTags(t *testing.T) {
	t.Parallel()
	p := newProgram(t, "")
	r := p.repo
	r.Tag("v1.10.0", dave, gittest.Day(2024, 4, 1, 0), "Ten")
	r.Tag("v1.2.0", dave, gittest.Day(2024, 4, 1, 0), "")
	r.Tag("other", dave, gittest.Day(2024, 4, 1, 0), "")
	tags, err := history.Tags(r.Dir, "v*")
	if err != nil {
		t.Fatal(err)
	}
	c5 := history.Commit{Hash: p.c5, Date: gittest.Day(2024, 3, 5, 18)}
	want := []history.Tag{
		{Name: "v1.0.0", Commit: history.Commit{Hash: p.m1, Date: gittest.Day(2024, 2, 15, 14)}},
		// an annotated tag stands for its commit, dated by the commit
		{Name: "v1.1.0", Commit: history.Commit{Hash: p.c4, Date: gittest.Day(2024, 3, 1, 16)}},
		{Name: "v1.2.0", Commit: c5},
		{Name: "v1.10.0", Commit: c5},
	}
	if !reflect.DeepEqual(tags, want) {
		t.Errorf("Tags:\n got %+v\nwant %+v", tags, want)
	}
	if tags, err := history.Tags(r.Dir, "release-*"); err != nil || tags != nil {
		t.Errorf("no match: %v %v", tags, err)
	}
	if _, err := history.Tags(r.Dir, "--sort=x"); err == nil {
		t.Error("an option as pattern is accepted")
	}
}

// The history at an older commit of the chain, derived from a newer one,
// is exactly what reading up to that commit gives.
func TestHistoryAt(t *testing.T) {
	t.Parallel()
	p := newProgram(t, "")
	h, err := history.Collect(p.repo.Dir, history.CollectOptions{RepoURL: "https://github.com/acme/compliance"})
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []string{p.c5, p.c4, p.m1, p.c3, p.c2, p.c1} {
		at, ok := h.At(c, "old")
		want, err := history.Collect(p.repo.Dir, history.CollectOptions{Rev: c, Version: "old", RepoURL: "https://github.com/acme/compliance"})
		if err != nil || !ok {
			t.Fatalf("%s: ok=%v err=%v", c, ok, err)
		}
		if !reflect.DeepEqual(at, want) {
			t.Errorf("At(%s) differs from Collect at it", c[:10])
			assertFiles(t, at.Files, want.Files)
		}
	}
	if _, ok := h.At(p.f1, "side"); ok {
		t.Error("a commit of a merged branch is not on the first-parent chain")
	}
	var none *history.History
	if _, ok := none.At(p.c1, "x"); ok {
		t.Error("nil history")
	}
}

func dirFiles(t *testing.T, dir string) map[string]string {
	t.Helper()
	got := map[string]string{}
	err := filepath.WalkDir(dir, func(path string, d os.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(dir, path)
		rel = filepath.ToSlash(rel)
		switch {
		case d.IsDir():
			if entries, _ := os.ReadDir(path); len(entries) == 0 && path != dir {
				got[rel+"/"] = "(empty directory)"
			}
		case d.Type()&os.ModeSymlink != 0:
			target, _ := os.Readlink(path)
			got[rel] = "-> " + target
		default:
			b, _ := os.ReadFile(path)
			info, _ := d.Info()
			got[rel] = info.Mode().Perm().String() + " " + string(b)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return got
}

// Switching one directory from version to version leaves exactly what a
// fresh snapshot of each version holds, whatever changed between them:
// renames, files becoming directories and back, modes, symbolic links.
func TestSnapshotDirSwitch(t *testing.T) {
	t.Parallel()
	r := gittest.New(t)
	r.Write("x", "a file\n")
	r.Write("keep/a.md", "A\n")
	r.Write("old/deep/b.md", "B\n")
	v1 := r.Commit(alice, gittest.Day(2024, 1, 1, 0), "one")
	r.Remove("x")
	r.Write("x/inside.md", "now a directory\n")
	r.Git("rm", "-q", "-r", "old")
	r.Write("keep/a.md", "A changed\n")
	r.Write("run.sh", "#!/bin/sh\n")
	os.Chmod(filepath.Join(r.Dir, "run.sh"), 0o755)
	os.Symlink("keep/a.md", filepath.Join(r.Dir, "link.md"))
	v2 := r.Commit(bob, gittest.Day(2024, 1, 2, 0), "two")
	os.Chmod(filepath.Join(r.Dir, "run.sh"), 0o644)
	r.Remove("link.md")
	r.Write("link.md", "a file again\n")
	v3 := r.Commit(carol, gittest.Day(2024, 1, 3, 0), "three")

	fresh := map[string]map[string]string{}
	for _, v := range []string{v1, v2, v3} {
		dir := t.TempDir()
		if _, err := history.Snapshot(r.Dir, v, dir); err != nil {
			t.Fatal(err)
		}
		fresh[v] = dirFiles(t, dir)
	}
	if len(fresh[v1]) != 3 || len(fresh[v2]) != 4 || len(fresh[v3]) != 4 {
		t.Fatalf("fresh snapshots: %v", fresh)
	}
	dir := t.TempDir()
	s, err := history.NewSnapshotDir(r.Dir, dir)
	if err != nil {
		t.Fatal(err)
	}
	for i, v := range []string{v1, v2, v3, v1, v3, v2, v2, v1} {
		c, err := s.Switch(v)
		if err != nil || c.Hash != v {
			t.Fatalf("step %d: %v %v", i, c, err)
		}
		if got := dirFiles(t, dir); !reflect.DeepEqual(got, fresh[v]) {
			t.Errorf("step %d (%s):\n got %v\nwant %v", i, v[:7], got, fresh[v])
		}
	}
}

// The chain names every first-parent change with what it brought in: a
// merge's branch commits (M^1..M^2), co-authors from trailers, and no
// merger for a commit github.com committed.
func TestChain(t *testing.T) {
	t.Parallel()
	p := newProgram(t, "")
	r := p.repo
	r.Git("checkout", "-q", "-b", "pair")
	r.Write("policies/backup.md", "# Backup Policy\n\nBack up hourly.\n")
	pair := r.Commit(carol, gittest.Day(2024, 3, 6, 9), "Back up hourly", "Co-authored-by: Erin Evans <erin@example.com>\nCo-authored-by: Carol Chen <CAROL@example.com>")
	r.Git("checkout", "-q", "main")
	r.Git("merge", "-q", "--squash", "pair")
	squash := r.CommitBy(bob, gittest.Person{Name: "GitHub", Email: "noreply@github.com"}, gittest.Day(2024, 3, 7, 9), "Back up hourly (#40)")
	h, err := history.Collect(r.Dir, history.CollectOptions{})
	if err != nil {
		t.Fatal(err)
	}
	chain := h.Chain()
	var got []string
	for _, c := range chain {
		got = append(got, c.Commit)
	}
	if want := []string{squash, p.c5, p.c4, p.m1, p.c3, p.c2, p.c1}; !slices.Equal(got, want) {
		t.Fatalf("chain %q, want %q", got, want)
	}
	sq := chain[0]
	if sq.MergedBy != "" || sq.PR != 40 || sq.PullRequestTitle() != "Back up hourly" ||
		!reflect.DeepEqual(sq.Authors, []history.Person{{Name: bob.Name, Email: bob.Email}}) {
		t.Errorf("squash %+v", sq.Revision)
	}
	m := chain[3]
	var brought []string
	for _, b := range m.Brought {
		brought = append(brought, b.Hash)
	}
	if !slices.Equal(brought, []string{p.f1, p.f2}) || m.MergedBy != dave.Name ||
		!slices.Equal(m.Files, []string{"policies/access-control.md", "policies/access.md"}) {
		t.Errorf("merge brought %q, merged by %q, files %q", brought, m.MergedBy, m.Files)
	}
	// the co-authors of a commit that is its own change
	r.Git("reset", "-q", "--hard", pair)
	h, _ = history.Collect(r.Dir, history.CollectOptions{})
	c := h.Chain()[0]
	want := []history.Person{{Name: carol.Name, Email: carol.Email}, {Name: "Erin Evans", Email: "erin@example.com"}}
	if !reflect.DeepEqual(c.Authors, want) || c.MergedBy != carol.Name {
		t.Errorf("co-authored commit: authors %+v merged by %q", c.Authors, c.MergedBy)
	}
	if got, ok := h.Lookup(p.f2); !ok || got.Author.Name != carol.Name || got.Subject != "Rename access policy" {
		t.Errorf("Lookup(f2) = %+v, %v", got, ok)
	}
}
