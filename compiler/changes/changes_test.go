package changes_test

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/charter-compliance/charter/compiler/changes"
	"github.com/charter-compliance/charter/compiler/diag"
	"github.com/charter-compliance/charter/compiler/history"
	"github.com/charter-compliance/charter/compiler/history/gittest"
	"github.com/charter-compliance/charter/compiler/model"
)

var (
	alice  = gittest.Alice
	bob    = gittest.Bob
	carol  = gittest.Carol
	dave   = gittest.Dave
	github = gittest.Person{Name: "GitHub", Email: "noreply@github.com"}
)

// team is the repository of a small team through one quarter: every way a
// change reaches main, and every way its approval can fall short.
type team struct {
	*gittest.Repo
	c1, f1, f2, m12, s13, g1, g2, m14, rb, hotfix, rv, m15, s16 string
}

func newTeam(t *testing.T) *team {
	gittest.SetEnv(t) // changes.Append runs git notes
	r := gittest.New(t)
	tm := &team{Repo: r}
	day := func(d, h int) time.Time { return gittest.Day(2024, time.Month(2+(d-1)/28), 1+(d-1)%28, h) }
	r.Write("components/okta/component.yaml", "key: okta\n")
	r.Write("policies/access.md", "# Access\n\nLeast privilege.\n")
	r.Write("procedures/backup.md", "# Backup\n\nDaily.\n")
	tm.c1 = r.Commit(alice, gittest.Day(2024, 1, 10, 9), "Start the program")

	// #12: a merge commit of two authors' commits, one with a co-author
	r.Git("checkout", "-q", "-b", "feature")
	r.Write("components/okta/component.yaml", "key: okta\nname: Okta\n")
	tm.f1 = r.Commit(carol, day(2, 9), "Name Okta")
	r.Write("components/okta/component.yaml", "key: okta\nname: Okta\nresponsible_role: IT\n")
	tm.f2 = r.Commit(bob, day(3, 9), "Name the owner", "Co-authored-by: Erin Evans <erin@example.com>")
	r.Git("checkout", "-q", "main")
	tm.m12 = r.Merge("feature", dave, day(4, 10), "Merge pull request #12 from acme/feature", "Name Okta the single identity provider")

	// #13: a squash merge on github.com, approved only by its author
	r.Git("checkout", "-q", "-b", "tighten")
	r.Write("policies/access.md", "# Access\n\nLeast privilege, reviewed monthly.\n")
	r.Commit(alice, day(5, 9), "Review monthly")
	r.Git("checkout", "-q", "main")
	tm.s13 = tm.squash("tighten", alice, day(6, 10), "Tighten access reviews (#13)")

	// #14: approved on its first head, then changed
	r.Git("checkout", "-q", "-b", "backup")
	r.Write("procedures/backup.md", "# Backup\n\nDaily, kept 30 days.\n")
	tm.g1 = r.Commit(bob, day(7, 9), "Keep backups 30 days")
	r.Write("procedures/backup.md", "# Backup\n\nDaily, kept 35 days.\n")
	tm.g2 = r.Commit(bob, day(8, 9), "Keep backups 35 days")
	r.Git("checkout", "-q", "main")
	tm.m14 = r.Merge("backup", carol, day(9, 10), "Merge pull request #14 from acme/backup", "Keep backups longer")

	// a rebase merge on github.com: no marker, no record
	r.Write("docs/logging.md", "Logs go to the SIEM.\n")
	tm.rb = r.CommitBy(carol, github, day(10, 10), "Add logging note")

	// an emergency direct push
	r.Write("components/okta/keys.txt", "rotated\n")
	tm.hotfix = r.Commit(dave, day(11, 3), "Rotate the signing key")

	// #15: the rollback of #13, through a pull request
	r.Git("checkout", "-q", "-b", "revert-13")
	r.GitEnv(gittest.DateEnv(bob, bob, day(12, 9)), "revert", "--no-edit", tm.s13)
	tm.rv = r.Git("rev-parse", "HEAD")
	r.Git("checkout", "-q", "main")
	tm.m15 = r.Merge("revert-13", dave, day(13, 10), "Merge pull request #15 from acme/revert-13", `Revert "Tighten access reviews (#13)"`)

	// #16: squashed, but nobody recorded its reviews
	r.Write("procedures/release.md", "# Release\n")
	tm.s16 = r.CommitBy(carol, github, day(14, 10), "Document the release (#16)")
	return tm
}

// squash merges branch into main as github.com's squash merge does.
func (tm *team) squash(branch string, author gittest.Person, when time.Time, subject string) string {
	tm.Git("merge", "-q", "--squash", branch)
	return tm.CommitBy(author, github, when, subject)
}

type review struct {
	User, State, Commit string
	At                  time.Time
}

// record writes the event and reviews files CI would have, in GitHub's
// shapes (testdata/pull_request_event.json), and runs changes.Append.
func (tm *team) record(t *testing.T, pr int, title, author, merger, merge, head string, reviews ...review) error {
	t.Helper()
	dir := t.TempDir()
	tpl, err := os.ReadFile("testdata/pull_request_event.json")
	if err != nil {
		t.Fatal(err)
	}
	quoted, _ := json.Marshal(title)
	ev := strings.NewReplacer("PR_NUMBER", strconv.Itoa(pr), `"PR_TITLE"`, string(quoted), "PR_AUTHOR", author, "PR_MERGER", merger,
		"MERGED_AT", "2024-12-31T00:00:00Z", "MERGE_SHA", merge, "HEAD_SHA", head, "BASE_SHA", tm.c1).Replace(string(tpl))
	evFile := filepath.Join(dir, "event.json")
	if err := os.WriteFile(evFile, []byte(ev), 0o644); err != nil {
		t.Fatal(err)
	}
	var api []map[string]any
	for _, rv := range reviews {
		api = append(api, map[string]any{"user": map[string]string{"login": rv.User}, "state": rv.State, "commit_id": rv.Commit,
			"submitted_at": rv.At.Format(time.RFC3339), "body": ""})
	}
	data, _ := json.Marshal(api)
	rvFile := filepath.Join(dir, "reviews.json")
	if err := os.WriteFile(rvFile, data, 0o644); err != nil {
		t.Fatal(err)
	}
	rec, err := changes.ReadRecord(evFile, rvFile)
	if err != nil {
		t.Fatal(err)
	}
	return changes.Append(tm.Dir, rec)
}

func (tm *team) recordAll(t *testing.T) {
	t.Helper()
	at := func(d int) time.Time { return gittest.Day(2024, 2, d, 8) }
	for _, err := range []error{
		tm.record(t, 12, "Name Okta the single identity provider", "carol", "dave", tm.m12, tm.f2,
			review{"erin", "COMMENTED", tm.f1, at(3)}, review{"dave", "CHANGES_REQUESTED", tm.f1, at(3)}, review{"dave", "APPROVED", tm.f2, at(4)}),
		tm.record(t, 13, "Tighten access reviews", "alice", "bob", tm.s13, tm.Git("rev-parse", "tighten"),
			review{"alice", "APPROVED", tm.Git("rev-parse", "tighten"), at(6)}),
		tm.record(t, 14, "Keep backups longer", "bob", "carol", tm.m14, tm.g2,
			review{"carol", "APPROVED", tm.g1, at(7)}),
		tm.record(t, 15, `Revert "Tighten access reviews (#13)"`, "bob", "dave", tm.m15, tm.rv,
			review{"carol", "APPROVED", tm.rv, at(13)}),
	} {
		if err != nil {
			t.Fatal(err)
		}
	}
}

var rules = &model.ChangeManagement{
	Pos: diag.Pos{File: "charter.yaml", Line: 9, Col: 3}, Branch: "main",
	RequirePullRequest: true, MinApprovals: 1, IndependentApproval: true, ApprovalOnHead: true, RequireRecordedReviews: true,
}

func workspace() *model.Workspace {
	ws := &model.Workspace{
		Components: []*model.Component{{Key: "okta", File: "components/okta/component.yaml", Dir: "components/okta",
			Satisfies: []*model.Satisfaction{{StandardKey: "TSC", ControlKey: "CC6.1"}, {StandardKey: "TSC", ControlKey: "CC10.1"}}}},
		Documents: []*model.Document{
			{ID: "POL-ACCESS", Kind: "policy", File: "policies/access.md", Satisfies: []model.Claim{{Standard: "TSC", Control: "CC6.2"}}},
			{ID: "PRO-BACKUP", Kind: "procedure", File: "procedures/backup.md"},
		},
	}
	ws.Index()
	return ws
}

func build(t *testing.T, tm *team, p changes.Period, r *model.ChangeManagement) *changes.Population {
	t.Helper()
	h, err := history.Collect(tm.Dir, history.CollectOptions{Rev: "main", RepoURL: "https://github.com/acme/compliance"})
	if err != nil {
		t.Fatal(err)
	}
	pop, err := changes.Build(h, changes.Options{Root: tm.Dir, Period: p, Rules: r, Workspace: workspace()})
	if err != nil {
		t.Fatal(err)
	}
	return pop
}

func people(ps ...gittest.Person) []history.Person {
	out := []history.Person{}
	for _, p := range ps {
		out = append(out, history.Person{Name: p.Name, Email: p.Email})
	}
	return out
}

func codes(c changes.Change) []diag.Code {
	out := []diag.Code{}
	for _, f := range c.Findings {
		out = append(out, f.Code)
	}
	return out
}

func TestPopulation(t *testing.T) {
	tm := newTeam(t)
	tm.recordAll(t)
	r := *rules
	r.Exceptions = []model.ChangeException{{Pos: diag.Pos{File: "charter.yaml", Line: 15, Col: 7}, Commit: tm.hotfix[:8], Reason: "key leaked; rotated at 03:00", ApprovedBy: "ciso"}}
	pop := build(t, tm, changes.Period{From: "2024-02-01"}, &r)

	type want struct {
		commit   string
		pr       int
		title    string
		authors  []history.Person
		mergedBy string
		approved []string // "by counts|why-prefix"
		files    []string
		touched  [4][]string
		revertOf string
		codes    []diag.Code
		excepted bool
	}
	none := []string{}
	wants := []want{
		{tm.m12, 12, "Name Okta the single identity provider", append(people(carol, bob), history.Person{Name: "Erin Evans", Email: "erin@example.com"}), "dave",
			[]string{"dave true"}, []string{"components/okta/component.yaml"}, [4][]string{{"okta"}, none, none, {"TSC CC6.1", "TSC CC10.1"}}, "", []diag.Code{}, false},
		{tm.s13, 13, "Tighten access reviews", people(alice), "bob",
			[]string{"alice false the pull request's author"}, []string{"policies/access.md"}, [4][]string{none, {"POL-ACCESS"}, none, {"TSC CC6.2"}}, "", []diag.Code{diag.CodeChangeSelfApproved}, false},
		{tm.m14, 14, "Keep backups longer", people(bob), "carol",
			[]string{"carol false stale"}, []string{"procedures/backup.md"}, [4][]string{none, none, {"PRO-BACKUP"}, none}, "", []diag.Code{diag.CodeChangeStaleApproval}, false},
		{tm.rb, 0, "Add logging note", people(carol), "",
			[]string{}, []string{"docs/logging.md"}, [4][]string{none, none, none, none}, "", []diag.Code{diag.CodeChangeNoPR}, false},
		{tm.hotfix, 0, "Rotate the signing key", people(dave), "Dave Diaz",
			[]string{}, []string{"components/okta/keys.txt"}, [4][]string{{"okta"}, none, none, {"TSC CC6.1", "TSC CC10.1"}}, "", []diag.Code{diag.CodeChangeNoPR}, true},
		{tm.m15, 15, `Revert "Tighten access reviews (#13)"`, people(bob), "dave",
			[]string{"carol true"}, []string{"policies/access.md"}, [4][]string{none, {"POL-ACCESS"}, none, {"TSC CC6.2"}}, tm.s13, []diag.Code{}, false},
		{tm.s16, 16, "Document the release", people(carol), "",
			[]string{}, []string{"procedures/release.md"}, [4][]string{none, none, none, none}, "", []diag.Code{diag.CodeChangeUnrecorded}, false},
	}
	if pop.Total != len(wants) || len(pop.Changes) != len(wants) {
		t.Fatalf("total %d, %d changes; want %d", pop.Total, len(pop.Changes), len(wants))
	}
	for i, w := range wants {
		c := pop.Changes[i]
		if c.Commit != w.commit || c.PR != w.pr || c.Title != w.title || c.MergedBy != w.mergedBy {
			t.Errorf("change %d = %s #%d %q merged by %q; want %s #%d %q merged by %q", i, c.Short(), c.PR, c.Title, c.MergedBy, w.commit[:10], w.pr, w.title, w.mergedBy)
		}
		if !reflect.DeepEqual(c.Authors, w.authors) {
			t.Errorf("%s authors %v, want %v", w.title, c.Authors, w.authors)
		}
		got := []string{}
		for _, a := range c.Approvals {
			got = append(got, a.By+" "+strconv.FormatBool(a.Counts)+" "+a.Why)
		}
		if len(got) != len(w.approved) {
			t.Errorf("%s approvals %q, want %q", w.title, got, w.approved)
		}
		for j := range min(len(got), len(w.approved)) {
			if !strings.HasPrefix(got[j], w.approved[j]) {
				t.Errorf("%s approval %q, want %q…", w.title, got[j], w.approved[j])
			}
		}
		if !reflect.DeepEqual(c.Files, w.files) {
			t.Errorf("%s files %q, want %q", w.title, c.Files, w.files)
		}
		if touched := [4][]string{c.Components, c.Policies, c.Procedures, c.Criteria}; !reflect.DeepEqual(touched, w.touched) {
			t.Errorf("%s touched %q, want %q", w.title, touched, w.touched)
		}
		if c.RevertOf != w.revertOf || c.Rollback != (w.revertOf != "") {
			t.Errorf("%s rollback %v of %q, want %q", w.title, c.Rollback, c.RevertOf, w.revertOf)
		}
		if !reflect.DeepEqual(codes(c), w.codes) {
			t.Errorf("%s findings %v, want %v", w.title, c.Findings, w.codes)
		}
		if (c.Exception != nil) != w.excepted {
			t.Errorf("%s exception %+v, want %v", w.title, c.Exception, w.excepted)
		}
	}
	if pop.Changes[1].RevertedBy != tm.m15 {
		t.Errorf("#13 reverted by %q, want %s", pop.Changes[1].RevertedBy, tm.m15)
	}
	if pop.Violations != 4 || len(pop.Exceptions) != 1 || pop.Exceptions[0].Commit != tm.hotfix {
		t.Errorf("violations %d, exceptions %+v", pop.Violations, pop.Exceptions)
	}
	if v := changes.Verify(pop); v.Passed {
		t.Errorf("verdict %+v with 4 violations", v)
	}

	// the diagnostics name the commit and the rule; the exception is a
	// warning, listed with who approved it
	ds := changes.Diagnostics(pop, &r)
	errs, warns := ds.Count()
	if errs != 4 || warns != 1 {
		t.Fatalf("diagnostics %d errors %d warnings: %v", errs, warns, ds)
	}
	for _, d := range ds {
		if d.Pos != r.Pos {
			t.Errorf("%v at %v, want change_management's position", d, d.Pos)
		}
	}
	if d := ds[0]; d.Code != diag.CodeChangeSelfApproved || !strings.Contains(d.Message, tm.s13[:10]) || !strings.Contains(d.Message, "independent_approval") {
		t.Errorf("first diagnostic %v", d)
	}
	var excepted *diag.Diagnostic
	for i := range ds {
		if ds[i].Severity == diag.Warning {
			excepted = &ds[i]
		}
	}
	if excepted == nil || !strings.Contains(excepted.Message, tm.hotfix[:10]) || len(excepted.Notes) != 1 || !strings.Contains(excepted.Notes[0].Message, "ciso") {
		t.Errorf("excepted diagnostic %+v", excepted)
	}
}

func TestPeriodBounds(t *testing.T) {
	tm := newTeam(t)
	for _, tc := range []struct {
		p    changes.Period
		want []string
	}{
		{changes.Period{}, []string{tm.c1, tm.m12, tm.s13, tm.m14, tm.rb, tm.hotfix, tm.m15, tm.s16}},
		{changes.Period{From: tm.c1, To: tm.m14}, []string{tm.m12, tm.s13, tm.m14}},
		{changes.Period{From: "2024-02-06", To: "2024-02-10"}, []string{tm.s13, tm.m14, tm.rb}},
		{changes.Period{From: "2024-02-05T00:00:00Z", To: "2024-02-05T23:00:00Z"}, []string{}},
		{changes.Period{To: "2024-01-31"}, []string{tm.c1}},
	} {
		pop := build(t, tm, tc.p, nil)
		got := []string{}
		for _, c := range pop.Changes {
			got = append(got, c.Commit)
			if len(c.Findings) != 0 {
				t.Errorf("%+v: findings without rules: %v", tc.p, c.Findings)
			}
		}
		if !reflect.DeepEqual(got, tc.want) {
			t.Errorf("%+v: %d changes %q, want %q", tc.p, len(got), got, tc.want)
		}
	}
	h, _ := history.Collect(tm.Dir, history.CollectOptions{Rev: "main"})
	for p, msg := range map[changes.Period]string{
		{From: "v9"}:                    "unknown revision",
		{From: tm.f1}:                   "not on the branch's first-parent chain",
		{From: "2024-03-01", To: tm.c1}: "ends before it starts",
	} {
		if _, err := changes.Build(h, changes.Options{Root: tm.Dir, Period: p}); err == nil || !strings.Contains(err.Error(), msg) {
			t.Errorf("%+v: error %v, want %q", p, err, msg)
		}
	}
}

// A note that is not a record is a problem of the ledger; the population
// lists those of its branch's commits, oldest first, whatever the period.
func TestLedgerProblems(t *testing.T) {
	tm := newTeam(t)
	tm.recordAll(t)
	note := func(commit, text string) { tm.Git("notes", "--ref="+history.NotesRef, "add", "-m", text, commit) }
	note(tm.hotfix, "not a record")
	note(tm.c1, `{"version":2,"pr":1}`)
	note(tm.f1, "on a branch commit") // not a change of main
	tm.Git("notes", "--ref="+history.NotesRef, "append", "-m", "{}", tm.m12)

	l, err := changes.ReadLedger(tm.Dir)
	if err != nil {
		t.Fatal(err)
	}
	if l.Len() != 4 || l.Lookup(tm.m12) == nil || l.Lookup(tm.m12).PR != 12 || l.Lookup(tm.hotfix) != nil {
		t.Errorf("ledger: %d records, m12 %+v", l.Len(), l.Lookup(tm.m12))
	}
	if len(l.Problems) != 4 || !slices.IsSorted(l.Problems) {
		t.Errorf("ledger problems: %q", l.Problems)
	}
	pop := build(t, tm, changes.Period{From: "2024-02-06"}, rules)
	want := []string{
		"note on commit " + tm.c1 + ": line 1: record version 2, charter reads version 1",
		"note on commit " + tm.m12 + ": line 3: record version 0, charter reads version 1",
		"note on commit " + tm.hotfix + ": line 1: invalid character 'o' in literal null (expecting 'u')",
	}
	if !reflect.DeepEqual(pop.Problems, want) {
		t.Errorf("population problems:\n got %q\nwant %q", pop.Problems, want)
	}
}

func TestRecordRefusesWhatDoesNotMatch(t *testing.T) {
	tm := newTeam(t)
	head := tm.Git("rev-parse", "tighten")
	for _, tc := range []struct {
		name        string
		merge, head string
		msg         string
	}{
		{"unknown merge commit", strings.Repeat("ab", 20), tm.f2, "is not in the repository"},
		{"head is not the merged parent", tm.m12, tm.f1, "merged " + tm.f2[:10] + ", not the pull request's head " + tm.f1[:10]},
		{"squash of other content", tm.s13, tm.f1, "does not hold the content of head"},
		{"root commit", tm.c1, tm.f1, "root commit"},
	} {
		err := tm.record(t, 99, "x", "bob", "dave", tc.merge, tc.head)
		if err == nil || !strings.Contains(err.Error(), tc.msg) {
			t.Errorf("%s: error %v, want %q", tc.name, err, tc.msg)
		}
	}
	if out := tm.Git("notes", "--ref=charter", "list"); out != "" {
		t.Fatalf("a refused record left notes: %q", out)
	}
	self := review{"alice", "APPROVED", head, gittest.Day(2024, 2, 5, 9)}
	if err := tm.record(t, 13, "Tighten", "alice", "bob", tm.s13, head, self); err != nil {
		t.Fatal(err)
	}
	if err := tm.record(t, 13, "Tighten", "alice", "bob", tm.s13, head, self); !errors.Is(err, changes.ErrAlreadyRecorded) {
		t.Errorf("the same record twice: %v", err)
	}
	if err := tm.record(t, 21, "Other", "alice", "bob", tm.s13, head); err == nil || !strings.Contains(err.Error(), "already holds the record of pull request #13") {
		t.Errorf("another pull request on the same commit: %v", err)
	}
	// a later run with a new review appends; nothing is rewritten
	before := tm.Git("notes", "--ref=charter", "show", tm.s13)
	if err := tm.record(t, 13, "Tighten", "alice", "bob", tm.s13, head, review{"carol", "APPROVED", head, gittest.Day(2024, 2, 6, 9)}); err != nil {
		t.Fatal(err)
	}
	after := tm.Git("notes", "--ref=charter", "show", tm.s13)
	if !strings.HasPrefix(after, before) || strings.Count(after, `"pr":13`) != 2 {
		t.Errorf("note was not appended to:\nbefore %s\nafter %s", before, after)
	}
	if n := tm.Git("rev-list", "--count", history.NotesRef); n != "2" {
		t.Errorf("notes ref has %s commits, want 2 (one per append)", n)
	}
	pop := build(t, tm, changes.Period{From: tm.m12, To: tm.s13}, rules)
	if c := pop.Changes[0]; len(c.Approvals) != 2 || c.Approvals[0].Counts || !c.Approvals[1].Counts || len(c.Findings) != 0 {
		t.Errorf("merged records: approvals %+v findings %v", c.Approvals, c.Findings)
	}
}

func TestReadRecordFixtures(t *testing.T) {
	dir := t.TempDir()
	tpl, _ := os.ReadFile("testdata/pull_request_event.json")
	ev := strings.NewReplacer("PR_NUMBER", "12", "PR_TITLE", "Name Okta", "PR_AUTHOR", "carol", "PR_MERGER", "dave", "MERGED_AT", "2024-02-15T14:00:00Z",
		"MERGE_SHA", strings.Repeat("3", 40), "HEAD_SHA", strings.Repeat("2", 40), "BASE_SHA", strings.Repeat("1", 40)).Replace(string(tpl))
	evFile := filepath.Join(dir, "event.json")
	os.WriteFile(evFile, []byte(ev), 0o644)
	rec, err := changes.ReadRecord(evFile, "testdata/reviews.json")
	if err != nil {
		t.Fatal(err)
	}
	merged := gittest.Day(2024, 2, 15, 14)
	want := &changes.Record{Version: 1, PR: 12, Title: "Name Okta", Author: "carol", MergedBy: "dave", MergeCommit: strings.Repeat("3", 40),
		Head: strings.Repeat("2", 40), MergedAt: &merged, Reviews: []changes.Review{
			{User: "erin", State: "COMMENTED", Commit: strings.Repeat("1", 40), SubmittedAt: gittest.Day(2024, 2, 14, 10)},
			{User: "dave", State: "CHANGES_REQUESTED", Commit: strings.Repeat("1", 40), SubmittedAt: gittest.Day(2024, 2, 14, 11)},
			{User: "dave", State: "APPROVED", Commit: strings.Repeat("2", 40), SubmittedAt: gittest.Day(2024, 2, 15, 8).Add(30 * time.Minute)},
		}}
	if !reflect.DeepEqual(rec, want) {
		t.Errorf("record\n got %+v\nwant %+v", rec, want)
	}
	for body, msg := range map[string]string{
		`{"pull_request": {"number": 3, "merged": false}}`:                           "is not merged",
		`{"action": "closed"}`:                                                       `no "pull_request" object`,
		"{\n  \"pull_request\": {\"number\": 3,,}}":                                  "event.json:2:32: invalid JSON",
		`{"pull_request": {"number": "3"}}`:                                          "event.json:1:31: pull_request.number must be int",
		`{"pull_request": {"number": 3, "merged": true, "merge_commit_sha": "abc"}}`: "is not a full commit hash",
	} {
		os.WriteFile(evFile, []byte(body), 0o644)
		if _, err := changes.ReadRecord(evFile, ""); err == nil || !strings.Contains(err.Error(), msg) {
			t.Errorf("%s: error %v, want %q", body, err, msg)
		}
	}
}

func TestSample(t *testing.T) {
	tm := newTeam(t)
	pop := build(t, tm, changes.Period{}, nil)
	pop.Draw("audit-2024", 3)
	s := pop.Sample
	// the sample is fixed by the seed and the commits alone: these are the
	// three of the eight whose SHA-256("audit-2024\x00"+hash) rank lowest
	// (the commits' hashes are fixed: gittest fixes authors and dates),
	// the documented method worked by hand:
	//   printf 'audit-2024\0%s' HASH | sha256sum
	want := []string{tm.rb, tm.m15, tm.s16}
	var keys []string
	for _, c := range []string{tm.c1, tm.m12, tm.s13, tm.m14, tm.rb, tm.hotfix, tm.m15, tm.s16} {
		sum := sha256.Sum256([]byte("audit-2024\x00" + c))
		keys = append(keys, hex.EncodeToString(sum[:])+" "+c)
	}
	slices.Sort(keys)
	for _, k := range keys[:3] {
		if _, c, _ := strings.Cut(k, " "); !slices.Contains(want, c) {
			t.Errorf("by the documented method %s is in the sample", c)
		}
	}
	if !reflect.DeepEqual(s.Commits, want) || len(pop.Changes) != 3 || s.Of != 8 || s.Size != 3 || s.Default {
		t.Errorf("sample %+v, want %q", s, want)
	}
	again := build(t, tm, changes.Period{}, nil)
	again.Draw("audit-2024", 3)
	if !reflect.DeepEqual(again.Sample, s) {
		t.Errorf("the same seed drew %q, then %q", s.Commits, again.Sample.Commits)
	}
	other := build(t, tm, changes.Period{}, nil)
	other.Draw("audit-2025", 3)
	if reflect.DeepEqual(other.Sample.Commits, s.Commits) {
		t.Errorf("another seed drew the same sample %q", s.Commits)
	}
	all := build(t, tm, changes.Period{}, nil)
	all.Draw("x", -1)
	if all.Sample.Size != 5 || !all.Sample.Default || len(all.Changes) != 5 {
		t.Errorf("default sample of 8: %+v", all.Sample)
	}
	for n, size := range map[int]int{0: 0, 1: 1, 5: 5, 6: 5, 12: 5, 13: 10, 52: 10, 53: 20, 250: 20, 251: 25, 100000: 25} {
		if got := changes.DefaultSize(n); got != size {
			t.Errorf("DefaultSize(%d) = %d, want %d", n, got, size)
		}
	}
}
