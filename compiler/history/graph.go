package history

import (
	"cmp"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"
)

// NotesRef is the git notes ref that holds the review ledger (written by
// `charter record`, read by compiler/changes with Notes).
const NotesRef = "refs/notes/charter"

// logFormat describes every commit of the graph: hash, parents, author,
// committer, committer date, subject and body, each field ended by NUL;
// \x01 starts a commit. With -z the name-status list that follows is
// NUL-separated too, so no path or message can be mistaken for structure.
// (Co-authored-by trailers are read from the body here: git's
// %(trailers) costs the walk a third more.)
const logFormat = "%x01%H%x00%P%x00%aN%x00%aE%x00%cN%x00%cE%x00%ct%x00%s%x00%b%x00"

const logFields = 9

// GraphCommit is one commit of the repository's graph, on the first-parent
// chain or on a branch a merge brought in.
type GraphCommit struct {
	Hash      string    `json:"commit"`
	Parents   []string  `json:"parents,omitempty"`
	Author    Person    `json:"author"`
	Committer Person    `json:"committer"`
	Date      time.Time `json:"date"` // committer date, UTC
	Subject   string    `json:"subject"`
	Body      string    `json:"body,omitempty"`
	CoAuthors []Person  `json:"co_authors,omitempty"` // from Co-authored-by trailers
}

// Change is one commit of the first-parent chain with what it brought.
type Change struct {
	Revision
	Parents []string
	Body    string
	// Files are the workspace-relative paths the change touched compared
	// with its first parent (both names of a rename), sorted. Paths outside
	// the workspace's directory are not listed.
	Files []string
	// Brought are, for a merge commit, the commits of M^1..M^2 (every
	// commit reachable from its other parents and not from its first),
	// oldest first; empty for any other commit.
	Brought []GraphCommit
}

// graph is every commit reachable from the tip, read by one `git log`.
type graph struct {
	nodes   map[string]*GraphCommit
	chain   []*GraphCommit            // the first-parent chain from the tip, newest first
	brought map[string][]*GraphCommit // merge commit -> what it brought in, oldest first
}

// gitHubIdentity is the committer of merges, squashes and rebases made on
// github.com: it names no person.
const gitHubIdentity = "noreply@github.com"

// logArgs is the git command line of the one history pass from commit: a
// walk of every commit reachable from it, each with who made it, its
// parents and message, and the files it changed relative to its first
// parent. With a workspace below the repository's top (prefix), the
// name-status lists are limited to it, while --full-history --sparse keep
// every commit in the walk, so the graph stays whole.
func logArgs(commit, prefix string) []string {
	args := []string{"--literal-pathspecs", "log", "--full-history", "--sparse", "--diff-merges=first-parent",
		"--name-status", "-M", "-z", "--no-color", "--no-relative", "--no-ext-diff", "--no-textconv",
		"--format=" + logFormat, commit, "--"}
	if prefix != "" {
		args = append(args, prefix)
	}
	return args
}

// log reads all history in one git process (see logArgs); the number of
// git processes does not depend on the number of commits, files or
// merges. changes are what each commit changed compared with its first
// parent (for a merge, everything its branch brought in), by hash; only the
// chain's are used.
func (r *repo) log(commit string) (g *graph, changes map[string][]change, err error) {
	out, err := Git(r.top, logArgs(commit, r.prefix)...)
	if err != nil {
		return nil, nil, err
	}
	return parseLog(out, commit)
}

// parseLog reads the history pass's output and works out, in memory, the
// first-parent chain from tip and what each of its merges brought in.
func parseLog(raw []byte, tip string) (*graph, map[string][]change, error) {
	// One string for the whole output: every field is a substring of it.
	out := string(raw)
	n := strings.Count(out, "\x01") // at least the number of commits
	g := &graph{nodes: make(map[string]*GraphCommit, n), brought: map[string][]*GraphCommit{}}
	byCommit := make(map[string][]change, n)
	all := make([]GraphCommit, 0, n) // never grows past n: pointers into it stay valid
	var changes []change
	pos := 0
	next := func() (string, bool) {
		if pos >= len(out) {
			return "", false
		}
		tok := out[pos:]
		if i := strings.IndexByte(tok, 0); i >= 0 {
			tok, pos = tok[:i], pos+i+1
		} else {
			pos = len(out)
		}
		return tok, true
	}
	var cur *GraphCommit
	start := 0 // where cur's changes begin in changes
	flush := func() {
		if cur != nil && len(changes) > start {
			byCommit[cur.Hash] = changes[start:len(changes):len(changes)]
		}
		start = len(changes)
	}
	var f [logFields]string
	for {
		tok, ok := next()
		if !ok {
			break
		}
		tok = strings.TrimLeft(tok, "\n")
		if tok == "" {
			continue
		}
		if tok[0] == 1 {
			flush()
			f[0] = tok[1:]
			for i := 1; i < len(f); i++ {
				if f[i], ok = next(); !ok {
					return nil, nil, fmt.Errorf("git log output ends inside commit %s", f[0])
				}
			}
			sec, err := strconv.ParseInt(f[6], 10, 64)
			if err != nil {
				return nil, nil, fmt.Errorf("git log: commit %s has date %q", f[0], f[6])
			}
			all = append(all, GraphCommit{
				Hash: f[0], Parents: strings.Fields(f[1]),
				Author: Person{Name: f[2], Email: f[3]}, Committer: Person{Name: f[4], Email: f[5]},
				Date: time.Unix(sec, 0).UTC(), Subject: f[7], Body: f[8], CoAuthors: coAuthors(f[8]),
			})
			cur = &all[len(all)-1]
			g.nodes[cur.Hash] = cur
			continue
		}
		if cur == nil || !isStatus(tok) {
			return nil, nil, fmt.Errorf("git log: unexpected %q", tok[:min(len(tok), 40)])
		}
		c := change{status: tok[0]}
		if c.new, ok = next(); !ok {
			return nil, nil, fmt.Errorf("git log output ends inside commit %s", cur.Hash)
		}
		if c.status == 'R' || c.status == 'C' {
			c.old = c.new
			if c.new, ok = next(); !ok {
				return nil, nil, fmt.Errorf("git log output ends inside commit %s", cur.Hash)
			}
		}
		changes = append(changes, c)
	}
	flush()
	for c := g.nodes[tip]; c != nil; {
		g.chain = append(g.chain, c)
		if len(c.Parents) == 0 {
			break
		}
		c = g.nodes[c.Parents[0]]
	}
	// Oldest first, seen holds every ancestor of the chain commit before:
	// what a merge's other parents reach beyond it is what it brought in.
	// Each commit is visited once for the whole chain.
	seen := make(map[string]bool, len(g.nodes))
	var stack []string
	for i := len(g.chain) - 1; i >= 0; i-- {
		c := g.chain[i]
		seen[c.Hash] = true
		if len(c.Parents) < 2 {
			continue
		}
		var got []*GraphCommit
		stack = append(stack[:0], c.Parents[1:]...)
		for len(stack) > 0 {
			h := stack[len(stack)-1]
			stack = stack[:len(stack)-1]
			n := g.nodes[h]
			if seen[h] || n == nil { // n is nil past a shallow clone's edge
				continue
			}
			seen[h] = true
			got = append(got, n)
			stack = append(stack, n.Parents...)
		}
		slices.SortFunc(got, func(a, b *GraphCommit) int {
			return cmp.Or(a.Date.Compare(b.Date), cmp.Compare(a.Hash, b.Hash))
		})
		g.brought[c.Hash] = got
	}
	return g, byCommit, nil
}

// at is the graph as it stood at tip, a commit of the chain: what is
// reachable from it, and the chain from it on.
func (g *graph) at(tip string) *graph {
	i := slices.IndexFunc(g.chain, func(c *GraphCommit) bool { return c.Hash == tip })
	if i < 0 {
		return &graph{nodes: map[string]*GraphCommit{}, brought: map[string][]*GraphCommit{}}
	}
	at := &graph{nodes: map[string]*GraphCommit{}, chain: g.chain[i:], brought: map[string][]*GraphCommit{}}
	stack := []string{tip}
	for len(stack) > 0 {
		h := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		n := g.nodes[h]
		if n == nil || at.nodes[h] != nil {
			continue
		}
		at.nodes[h] = n
		stack = append(stack, n.Parents...)
	}
	for _, c := range at.chain {
		if b, ok := g.brought[c.Hash]; ok {
			at.brought[c.Hash] = b
		}
	}
	return at
}

// coAuthors reads the Co-authored-by trailers of a commit message's body:
// lines of its last paragraph "Co-authored-by: Name <email>", the key in
// any case, as GitHub writes and reads them.
func coAuthors(body string) []Person {
	body = strings.TrimRight(body, "\n")
	if i := strings.LastIndex(body, "\n\n"); i >= 0 {
		body = body[i+2:]
	}
	const key = "co-authored-by:"
	var out []Person
	for line := range strings.Lines(body) {
		line = strings.TrimSuffix(line, "\n")
		if len(line) > len(key) && strings.EqualFold(line[:len(key)], key) {
			if p, ok := parsePerson(line[len(key):]); ok {
				out = append(out, p)
			}
		}
	}
	return out
}

// parsePerson reads "Name <email>" (a trailer's value).
func parsePerson(s string) (Person, bool) {
	s = strings.TrimSpace(s)
	if s == "" {
		return Person{}, false
	}
	if i := strings.LastIndexByte(s, '<'); i >= 0 && strings.HasSuffix(s, ">") {
		return Person{Name: strings.TrimSpace(s[:i]), Email: strings.TrimSpace(s[i+1 : len(s)-1])}, true
	}
	return Person{Name: s}, true
}

// revision describes a chain commit for history rows: who wrote it, who
// merged it, and the pull request its subject names.
func (g *graph) revision(c *GraphCommit, repoURL string) Revision {
	rev := Revision{Commit: c.Hash, Date: c.Date, Author: c.Author.Name, Email: c.Author.Email, Subject: c.Subject}
	if rev.PR = PullRequest(rev.Subject); rev.PR != 0 {
		if mergePR.MatchString(rev.Subject) {
			rev.Title = firstLine(c.Body)
		}
		if repoURL != "" {
			rev.PRURL = repoURL + "/pull/" + strconv.Itoa(rev.PR)
		}
	}
	var people []Person
	if len(c.Parents) > 1 {
		rev.MergedBy = c.Author.Name
		for _, b := range g.brought[c.Hash] {
			people = append(people, b.Author)
		}
		for _, b := range g.brought[c.Hash] {
			people = append(people, b.CoAuthors...)
		}
		if len(people) == 0 { // a merge that brought nothing new: its own author wrote it
			people = append(people, c.Author)
		}
	} else {
		if !strings.EqualFold(c.Committer.Email, gitHubIdentity) {
			rev.MergedBy = c.Committer.Name
		}
		people = append(append(people, c.Author), c.CoAuthors...)
	}
	seen := map[string]bool{}
	for _, p := range people {
		k := strings.ToLower(p.Email)
		if k == "" {
			k = "name:" + p.Name
		}
		if !seen[k] {
			seen[k] = true
			rev.Authors = append(rev.Authors, p)
		}
	}
	return rev
}

// Chain returns every commit of the first-parent chain the history was
// read along, newest first, with who made it, what it brought in and the
// workspace files it touched: the change population of the branch. It is
// nil when history is unavailable.
func (h *History) Chain() []Change {
	if h == nil || !h.Available || h.graph == nil {
		return nil
	}
	chain := h.graph.chain
	files := make(map[string][]string, len(h.commits))
	for _, lc := range h.commits {
		var fs []string
		for _, c := range lc.changes {
			for _, p := range []string{c.old, c.new} {
				if rel, ok := strings.CutPrefix(p, h.prefix); ok && p != "" {
					fs = append(fs, rel)
				}
			}
		}
		slices.Sort(fs)
		files[lc.rev.Commit] = slices.Compact(fs)
	}
	out := make([]Change, len(chain))
	for i, c := range chain {
		ch := Change{Revision: h.revs[c.Hash], Parents: c.Parents, Body: c.Body, Files: files[c.Hash]}
		for _, b := range h.graph.brought[c.Hash] {
			ch.Brought = append(ch.Brought, *b)
		}
		out[i] = ch
	}
	return out
}

// Lookup returns any commit of the graph the history was read from, by
// full hash.
func (h *History) Lookup(hash string) (GraphCommit, bool) {
	if h == nil || h.graph == nil {
		return GraphCommit{}, false
	}
	c, ok := h.graph.nodes[hash]
	if !ok {
		return GraphCommit{}, false
	}
	return *c, true
}
