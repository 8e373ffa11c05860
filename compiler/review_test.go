package compiler_test

import (
	"strconv"
	"testing"
	"time"

	"github.com/charter-compliance/charter/compiler"
	"github.com/charter-compliance/charter/compiler/diag"
	"github.com/charter-compliance/charter/compiler/history/gittest"
)

// A document without last_reviewed is judged by the date of the last commit
// that touched it.
func TestReviewDateFromGit(t *testing.T) {
	r := gittest.New(t)
	r.Write("opencontrol.yaml", "schema_version: \"1.0.0\"\nname: r\nstandards: [./s.yaml]\n")
	r.Write("s.yaml", "name: S\nX-1:\n  name: One\n")
	r.Write("templates/p.md", "---\nid: POL-1\ntitle: P\nkind: policy\nowner: CTO\napprovers: [CEO]\nstatus: approved\neffective: 2023-01-01\nreview_cycle: annual\nsatisfies:\n  S: [X-1]\n---\nText.\n")
	me := gittest.Person{Name: "Ann", Email: "ann@example.com"}
	r.Commit(me, time.Date(2024, 1, 10, 12, 0, 0, 0, time.UTC), "Adopt the policy")
	r.Write("README.txt", "unrelated\n")
	r.Commit(me, time.Date(2025, 5, 1, 12, 0, 0, 0, time.UTC), "Unrelated change")

	judge := func(day time.Time) diag.List {
		res, err := compiler.Check(compiler.Options{Root: r.Dir, SourceDateEpoch: strconv.FormatInt(day.Unix(), 10)})
		if err != nil {
			t.Fatal(err)
		}
		return res.Diagnostics
	}
	ds := judge(time.Date(2025, 6, 1, 0, 0, 0, 0, time.UTC))
	if len(ds) != 1 {
		t.Fatalf("want one diagnostic, got %v", ds)
	}
	want := "POL-1 was due for its annual review on 2025-01-10 (last reviewed 2024-01-10, the date of the last commit to the file)"
	if d := ds[0]; d.Code != diag.CodeDocReview || d.Pos.String() != "templates/p.md:9:15" || d.Message != want {
		t.Errorf("got %s %q", d, d.Message)
	}
	if ds := judge(time.Date(2024, 12, 1, 0, 0, 0, 0, time.UTC)); len(ds) != 0 {
		t.Errorf("within the cycle: %v", ds)
	}
	// a touch of the file counts as its review
	r.Write("templates/p.md", "---\nid: POL-1\ntitle: P\nkind: policy\nowner: CTO\napprovers: [CEO]\nstatus: approved\neffective: 2023-01-01\nreview_cycle: annual\nsatisfies:\n  S: [X-1]\n---\nText, reviewed.\n")
	r.Commit(me, time.Date(2025, 5, 20, 12, 0, 0, 0, time.UTC), "Review the policy")
	if ds := judge(time.Date(2025, 6, 1, 0, 0, 0, 0, time.UTC)); len(ds) != 0 {
		t.Errorf("after the review commit: %v", ds)
	}
}
