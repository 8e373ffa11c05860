package site_test

import (
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/charter-compliance/charter/compiler"
	"github.com/charter-compliance/charter/compiler/site"
)

// The publishing tests kill real builds. The child is this test binary run
// again with helperEnv set: TestMain then builds the repository's own
// program into $CHARTER_TEST_OUT, judged as of $CHARTER_TEST_EPOCH, and
// exits, so the child runs exactly the code under test.
const helperEnv = "CHARTER_TEST_PUBLISH_HELPER"

func TestMain(m *testing.M) {
	if os.Getenv(helperEnv) == "1" {
		_, err := compiler.Build(compiler.BuildOptions{
			Options: compiler.Options{Root: "../..", SourceDateEpoch: os.Getenv("CHARTER_TEST_EPOCH")},
			Out:     os.Getenv("CHARTER_TEST_OUT"),
		})
		if err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(3)
		}
		os.Exit(0)
	}
	os.Exit(m.Run())
}

// helper is a child build of the repository's program into out.
func helper(out, epoch string) *exec.Cmd {
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = append(os.Environ(), helperEnv+"=1", "CHARTER_TEST_OUT="+out, "CHARTER_TEST_EPOCH="+epoch)
	return cmd
}

// referenceSites builds the repository's program as of two days into two
// directories and returns their trees, which differ.
func referenceSites(t *testing.T) (a, b map[string]string) {
	t.Helper()
	dir := t.TempDir()
	for i, epoch := range []string{referenceEpoch, "1767225600"} {
		out := filepath.Join(dir, strconv.Itoa(i))
		if _, err := compiler.Build(compiler.BuildOptions{Options: compiler.Options{Root: "../..", SourceDateEpoch: epoch}, Out: out}); err != nil {
			t.Fatal(err)
		}
	}
	a, b = readTree(t, filepath.Join(dir, "0")), readTree(t, filepath.Join(dir, "1"))
	if mapsEqual(a, b) {
		t.Fatal("the two reference sites are the same: the test could not tell them apart")
	}
	return a, b
}

// siteState says what is at dir: "a" or "b" for one of the reference
// sites, complete; "missing"; or "broken".
func siteState(t *testing.T, dir string, a, b map[string]string) string {
	t.Helper()
	if _, err := os.Lstat(dir); errors.Is(err, os.ErrNotExist) {
		return "missing"
	}
	switch got := readTree(t, dir); {
	case mapsEqual(got, a):
		return "a"
	case mapsEqual(got, b):
		return "b"
	}
	return "broken"
}

// Builds killed with SIGKILL at many moments, one after another into the
// same --out with nothing cleaned between them, always leave a complete
// site: at --out, or, when the kill fell between the swap's two renames,
// at the backup name, which the next build puts back. Every build starts
// from what the killed one before it left, so the recovery is itself
// killed at times. An uninterrupted build at the end succeeds and leaves
// nothing beside --out.
func TestKilledBuildsLeaveACompleteSite(t *testing.T) {
	a, b := referenceSites(t)
	parent := t.TempDir()
	out := filepath.Join(parent, "site")
	epochs := map[string]string{"a": referenceEpoch, "b": "1767225600"}

	if o, err := helper(out, epochs["a"]).CombinedOutput(); err != nil {
		t.Fatalf("child build: %v\n%s", err, o)
	}
	// how long a child takes, from its start to its exit, replacing a site
	var took time.Duration
	for range 3 {
		start := time.Now()
		if o, err := helper(out, epochs["a"]).CombinedOutput(); err != nil {
			t.Fatalf("child build: %v\n%s", err, o)
		}
		took = max(took, time.Since(start))
	}

	runs := 48
	if testing.Short() {
		runs = 16
	}
	seen := map[string]int{}
	for i := range runs {
		want := "ab"[i%2 : i%2+1]
		cmd := helper(out, epochs[want])
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		// from the start of the process to well past the end of a build
		time.Sleep(took * time.Duration(i) * 3 / time.Duration(2*runs))
		cmd.Process.Kill()
		cmd.Wait()
		state := siteState(t, out, a, b)
		if state == "missing" {
			backup := siteState(t, out+site.BackupSuffix, a, b)
			if backup != "a" && backup != "b" {
				t.Fatalf("run %d: --out is missing and the backup is %s", i, backup)
			}
			state = "stranded"
		}
		if state == "broken" {
			t.Fatalf("run %d: --out holds neither site whole", i)
		}
		switch state {
		case want:
			state = "replaced"
		case "stranded":
		default:
			state = "kept"
		}
		seen[state]++
	}
	t.Logf("after %d killed builds (each took up to %v): %v", runs, took, seen)
	if seen["replaced"] == 0 || seen["kept"] == 0 {
		t.Errorf("the kills never landed both before and after a swap (%v): the delays do not cover a build", seen)
	}

	if o, err := helper(out, epochs["b"]).CombinedOutput(); err != nil {
		t.Fatalf("the build after the killed ones: %v\n%s", err, o)
	}
	if got := siteState(t, out, a, b); got != "b" {
		t.Errorf("after a whole build --out is %s, want the new site", got)
	}
	if l := leftovers(t, parent, "site"); len(l) != 0 {
		t.Errorf("left behind by the killed builds: %v", l)
	}
}

// Several builds into one --out at once all succeed, one after another,
// and leave one complete site and nothing beside it.
func TestConcurrentBuildsTakeTurns(t *testing.T) {
	a, b := referenceSites(t)
	parent := t.TempDir()
	out := filepath.Join(parent, "site")
	var wg sync.WaitGroup
	errs := make([]error, 4)
	for i := range errs {
		wg.Go(func() {
			epoch := referenceEpoch
			if i%2 == 1 {
				epoch = "1767225600"
			}
			if o, err := helper(out, epoch).CombinedOutput(); err != nil {
				errs[i] = fmt.Errorf("build %d: %v\n%s", i, err, o)
			}
		})
	}
	wg.Wait()
	if err := errors.Join(errs...); err != nil {
		t.Fatal(err)
	}
	if got := siteState(t, out, a, b); got != "a" && got != "b" {
		t.Errorf("--out is %s after concurrent builds", got)
	}
	if l := leftovers(t, parent, "site"); len(l) != 0 {
		t.Errorf("left behind: %v", l)
	}
}

// A lock left by a killed build is taken over; a lock held by a live
// process makes the build wait, then fail naming the lock and its holder.
func TestLock(t *testing.T) {
	parent := t.TempDir()
	out := filepath.Join(parent, "site")
	lockPath := site.LockPath(out)
	if want := filepath.Join(parent, ".site.charter-lock"); lockPath != want {
		t.Fatalf("LockPath = %s, want %s", lockPath, want)
	}
	host, _ := os.Hostname()

	dead := exec.Command(os.Args[0], "-test.run=^$")
	if err := dead.Run(); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(lockPath, fmt.Appendf(nil, "%d %s killed\n", dead.Process.Pid, host), 0o644); err != nil {
		t.Fatal(err)
	}
	defer site.SetLockWait(200 * time.Millisecond)()
	if err := site.Write(small(map[string]string{"index.html": "x"}), out); err != nil {
		t.Fatalf("a stale lock was not taken over: %v", err)
	}
	if _, err := os.Lstat(lockPath); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("the lock is still there after the build: %v", err)
	}

	// a live holder: this very process, under another build's token
	if err := os.WriteFile(lockPath, fmt.Appendf(nil, "%d %s other\n", os.Getpid(), host), 0o644); err != nil {
		t.Fatal(err)
	}
	err := site.Write(small(map[string]string{"index.html": "y"}), out)
	if err == nil || !strings.Contains(err.Error(), lockPath) || !strings.Contains(err.Error(), fmt.Sprintf("pid %d", os.Getpid())) {
		t.Fatalf("with the lock held: err = %v, want one naming the lock and its holder", err)
	}
	if got := readTree(t, out)["index.html"]; got != "x" {
		t.Errorf("the site changed while the lock was held: index.html = %q", got)
	}
	// released: the waiting build goes ahead
	go func() {
		time.Sleep(50 * time.Millisecond)
		os.Remove(lockPath)
	}()
	if err := site.Write(small(map[string]string{"index.html": "z"}), out); err != nil {
		t.Fatalf("after the lock was released: %v", err)
	}
	if got := readTree(t, out)["index.html"]; got != "z" {
		t.Errorf("index.html = %q after the lock was released", got)
	}
}

// mkSite writes a directory as charter leaves one: files and the marker.
func mkSite(t *testing.T, dir, index string) {
	t.Helper()
	for name, data := range map[string]string{"index.html": index, site.Marker: "charter\n"} {
		if err := os.MkdirAll(dir, 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, name), []byte(data), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

// Every state a killed swap can leave is put right by the next run's
// Recover, and only charter's own leftovers are removed.
func TestRecover(t *testing.T) {
	index := func(dir string) string {
		b, err := os.ReadFile(filepath.Join(dir, "index.html"))
		if err != nil {
			return "(" + err.Error() + ")"
		}
		return string(b)
	}
	t.Run("killed between the renames", func(t *testing.T) {
		parent := t.TempDir()
		out := filepath.Join(parent, "site")
		mkSite(t, out+site.BackupSuffix, "old")
		mkSite(t, out+".tmp-123", "new")
		if err := site.Recover(out); err != nil {
			t.Fatal(err)
		}
		if got := index(out); got != "old" {
			t.Errorf("--out holds %q, want the previous site back", got)
		}
		if l := leftovers(t, parent, "site"); len(l) != 0 {
			t.Errorf("left behind: %v", l)
		}
	})
	t.Run("killed after the renames", func(t *testing.T) {
		parent := t.TempDir()
		out := filepath.Join(parent, "site")
		mkSite(t, out, "new")
		mkSite(t, out+site.BackupSuffix, "old")
		if err := site.Recover(out); err != nil {
			t.Fatal(err)
		}
		if got := index(out); got != "new" {
			t.Errorf("--out holds %q, want the new site", got)
		}
		if l := leftovers(t, parent, "site"); len(l) != 0 {
			t.Errorf("left behind: %v", l)
		}
	})
	t.Run("killed while removing the backup", func(t *testing.T) {
		// the marker goes last, so what is left has it, or is empty
		for _, marked := range []bool{true, false} {
			parent := t.TempDir()
			out := filepath.Join(parent, "site")
			mkSite(t, out, "new")
			backup := out + site.BackupSuffix
			if err := os.Mkdir(backup, 0o755); err != nil {
				t.Fatal(err)
			}
			if marked {
				mkSite(t, filepath.Join(backup, "some", "dir"), "part of the old site")
				mkSite(t, backup, "old")
			}
			if err := site.Recover(out); err != nil {
				t.Fatal(err)
			}
			if got := index(out); got != "new" {
				t.Errorf("--out holds %q", got)
			}
			if l := leftovers(t, parent, "site"); len(l) != 0 {
				t.Errorf("left behind: %v", l)
			}
		}
	})
	t.Run("killed while rendering", func(t *testing.T) {
		parent := t.TempDir()
		out := filepath.Join(parent, "site")
		mkSite(t, out, "old")
		mkSite(t, out+".tmp-456", "half")
		if err := os.Mkdir(out+".tmp-789", 0o755); err != nil { // killed before the marker
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(parent, ".site.charter-lock.stale-abc"), []byte("1 h x\n"), 0o644); err != nil {
			t.Fatal(err)
		}
		if err := site.Recover(out); err != nil {
			t.Fatal(err)
		}
		if got := index(out); got != "old" {
			t.Errorf("--out holds %q", got)
		}
		if l := leftovers(t, parent, "site"); len(l) != 0 {
			t.Errorf("left behind: %v", l)
		}
	})
	t.Run("never anything else", func(t *testing.T) {
		parent := t.TempDir()
		out := filepath.Join(parent, "site")
		mkSite(t, out, "old")
		mkSite(t, filepath.Join(parent, "other.tmp-1"), "another target's")
		mine := filepath.Join(parent, "site.tmp-notes")
		if err := os.MkdirAll(mine, 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(mine, "notes.txt"), []byte("mine"), 0o644); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(parent, "site.tmp-file"), []byte("a file"), 0o644); err != nil {
			t.Fatal(err)
		}
		if err := site.Recover(out); err != nil {
			t.Fatal(err)
		}
		if got := leftovers(t, parent, "site"); strings.Join(got, " ") != "other.tmp-1 site.tmp-file site.tmp-notes" {
			t.Errorf("beside the site: %v", got)
		}
	})
	t.Run("foreign backup and no site", func(t *testing.T) {
		parent := t.TempDir()
		out := filepath.Join(parent, "site")
		backup := out + site.BackupSuffix
		if err := os.MkdirAll(backup, 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(backup, "notes.txt"), []byte("mine"), 0o644); err != nil {
			t.Fatal(err)
		}
		err := site.Recover(out)
		if err == nil || !strings.Contains(err.Error(), backup) {
			t.Fatalf("err = %v, want one naming %s", err, backup)
		}
		if _, err := os.Lstat(out); !errors.Is(err, os.ErrNotExist) {
			t.Errorf("a directory charter did not write was moved to --out")
		}
	})
}
