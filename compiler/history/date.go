// Package history reads what git knows about the repository: the date and
// version label of a build, and the revision history of every source file.
package history

import (
	"bytes"
	"fmt"
	"io"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"time"
)

// DateSource says where a build date came from.
type DateSource string

const (
	DateFromEpoch DateSource = "SOURCE_DATE_EPOCH"
	DateFromGit   DateSource = "git HEAD commit"
	DateFromRev   DateSource = "commit date of the revision"
	DateUnknown   DateSource = "no git history and no SOURCE_DATE_EPOCH"
	DateFromFlag  DateSource = "--today"
	DateFromClock DateSource = "today's date (UTC): no --today, no SOURCE_DATE_EPOCH and no git history"
)

// BuildDate returns the day a build is judged on: SOURCE_DATE_EPOCH when
// set, else the committer date of HEAD. It never reads the clock. The time
// is in UTC. Outside a git repository with no SOURCE_DATE_EPOCH the date is
// zero and the source says so.
func BuildDate(root, sourceDateEpoch string) (time.Time, DateSource, error) {
	if s := strings.TrimSpace(sourceDateEpoch); s != "" {
		sec, err := strconv.ParseInt(s, 10, 64)
		if err != nil {
			return time.Time{}, DateUnknown, fmt.Errorf("SOURCE_DATE_EPOCH=%q is not a number of seconds", s)
		}
		return time.Unix(sec, 0).UTC(), DateFromEpoch, nil
	}
	out, err := Git(root, "log", "-1", "--format=%ct")
	if err != nil {
		if refused := Refused(err); refused != nil {
			return time.Time{}, DateUnknown, refused
		}
		return time.Time{}, DateUnknown, nil
	}
	if len(bytes.TrimSpace(out)) == 0 {
		return time.Time{}, DateUnknown, nil
	}
	sec, err := strconv.ParseInt(string(bytes.TrimSpace(out)), 10, 64)
	if err != nil {
		return time.Time{}, DateUnknown, nil
	}
	return time.Unix(sec, 0).UTC(), DateFromGit, nil
}

// Refused returns, for a git error that is git refusing to read a
// repository owned by another user ("dubious ownership"), an error that
// says so and how to trust it; else nil. Such a repository has history,
// which git will not show: it must not pass for one without.
func Refused(err error) error {
	msg := err.Error()
	if !strings.Contains(msg, "dubious ownership") {
		return nil
	}
	dir := ""
	if _, after, ok := strings.Cut(msg, "dubious ownership in repository at '"); ok {
		dir, _, _ = strings.Cut(after, "'")
	}
	if dir == "" {
		dir = "DIR"
	}
	return fmt.Errorf("git refuses to read the repository at %s: it belongs to another user (git's \"dubious ownership\" check), so its history and dates cannot be used; if you trust it, run: git config --global --add safe.directory %s", dir, dir)
}

// Git runs git in dir with a clean, predictable environment and returns its
// standard output.
func Git(dir string, args ...string) ([]byte, error) {
	return GitInput(dir, nil, args...)
}

// gitCommand prepares git in dir: C locale, no pager, no prompts, no
// signature checks, unquoted paths. The caller sets up its streams.
func gitCommand(dir string, args ...string) *exec.Cmd {
	cmd := exec.Command("git", append([]string{"-c", "core.quotepath=off", "-c", "log.showSignature=false"}, args...)...)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "GIT_TERMINAL_PROMPT=0", "LC_ALL=C", "GIT_PAGER=cat")
	return cmd
}

// GitInput is Git with stdin as the command's standard input.
func GitInput(dir string, stdin io.Reader, args ...string) ([]byte, error) {
	cmd := gitCommand(dir, args...)
	cmd.Stdin = stdin
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		return out, fmt.Errorf("git %s: %v: %s", strings.Join(args, " "), err, strings.TrimSpace(stderr.String()))
	}
	return out, nil
}
