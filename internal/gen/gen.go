// Package gen writes synthetic compliance workspaces for charter's
// benchmarks. At scale 1 a workspace has 70 components (schema 3.1.0) with
// 6,500 satisfactions over NIST 800-53 rev5 and the repository's SOC 2
// standard, 12 certifications, an opencontrol.yaml, a charter.yaml and 30
// policies and procedures; scale N multiplies components and satisfactions
// by N. The same options always give byte-identical files, and the result
// loads without a single diagnostic.
//
// The shape follows real data: the public OpenControl repositories in
// ../shared/corpus average 550 bytes of component YAML per satisfaction
// (docker 906, cf 703, the DockerEE ATO 256), and DESIGN.md's measured
// production workspace has 4.8 MB for 6.5k satisfactions. So a satisfaction
// here has one to three keyed narratives of 120 to 400 characters, about 770
// bytes in all, and the 1x workspace is about 5 MB of component YAML.
package gen

import (
	"errors"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"

	"gopkg.in/yaml.v3"
)

const (
	ComponentsPerScale    = 70
	SatisfactionsPerScale = 6500
	// NISTName is the standard name in nist-800-53-rev5.yaml.
	NISTName = "NIST-800-53 rev5"
	// SourceDateEpoch (2026-01-01) is a judging day on which every generated
	// policy is in force and none is overdue for review.
	SourceDateEpoch = "1767225600"
	nistFile        = "nist-800-53-rev5.yaml"
)

// Options say what to generate.
type Options struct {
	Out   string // directory to create; it must not exist or be empty
	Scale int    // 1 or more
	Repo  string // charter's repository: standards/TSC.yaml and certifications/soc2-*.yaml are copied from it
	NIST  string // nist-800-53-rev5.yaml of github.com/opencontrol/standards
}

// Stats describe a generated workspace.
type Stats struct {
	Components, Satisfactions, Documents, Files int
	Bytes                                       int64
}

// DefaultNIST is where the NIST file is looked for: $CHARTER_NIST, else the
// shared corpus beside the repository.
func DefaultNIST(repo string) string {
	if p := os.Getenv("CHARTER_NIST"); p != "" {
		return p
	}
	return filepath.Join(repo, "..", "shared", "corpus", "standards", nistFile)
}

type control struct {
	std, id string
	order   int // position in the standard file
}

type comp struct {
	sys     system
	key     string
	name    string
	verifs  []evidence
	forced  []control // gated controls this component must implement completely
	written []sat
}

type sat struct {
	ctl      control
	params   []string // parameter keys
	narrKeys int
}

type generator struct {
	opts  Options
	r     *rand.Rand
	stats Stats
	nist  []control
	tsc   []control
	comps []*comp
	certs []string // certification files, relative to Out
}

// Generate writes the workspace.
func Generate(opts Options) (Stats, error) {
	if opts.Scale < 1 {
		return Stats{}, fmt.Errorf("scale must be 1 or more, not %d", opts.Scale)
	}
	if entries, err := os.ReadDir(opts.Out); err == nil && len(entries) > 0 {
		return Stats{}, fmt.Errorf("%s is not empty; charter-gen writes only into a new or empty directory", opts.Out)
	} else if err != nil && !errors.Is(err, os.ErrNotExist) {
		return Stats{}, err
	}
	g := &generator{opts: opts, r: rand.New(rand.NewPCG(uint64(opts.Scale), 0x636861727465720a))}
	nistText, err := os.ReadFile(opts.NIST)
	if err != nil {
		return Stats{}, fmt.Errorf("%w (get it from https://github.com/opencontrol/standards, or set CHARTER_NIST)", err)
	}
	tscText, err := os.ReadFile(filepath.Join(opts.Repo, "standards", "TSC.yaml"))
	if err != nil {
		return Stats{}, fmt.Errorf("%w (give the charter repository with -repo)", err)
	}
	if g.nist, err = controls(nistText, NISTName); err != nil {
		return Stats{}, fmt.Errorf("%s: %w", opts.NIST, err)
	}
	if g.tsc, err = controls(tscText, "TSC"); err != nil {
		return Stats{}, fmt.Errorf("TSC.yaml: %w", err)
	}
	steps := []func() error{
		func() error { return g.write("standards/"+nistFile, nistText) },
		func() error { return g.write("standards/TSC.yaml", tscText) },
		g.certifications,
		g.components,
		g.documents,
		g.manifest,
	}
	for _, step := range steps {
		if err := step(); err != nil {
			return Stats{}, err
		}
	}
	return g.stats, nil
}

// controls lists the control IDs of a standard file in file order.
func controls(text []byte, want string) ([]control, error) {
	var doc yaml.Node
	if err := yaml.Unmarshal(text, &doc); err != nil {
		return nil, err
	}
	if len(doc.Content) == 0 || doc.Content[0].Kind != yaml.MappingNode {
		return nil, errors.New("not a standard")
	}
	m := doc.Content[0].Content
	var out []control
	for i := 0; i+1 < len(m); i += 2 {
		switch k := m[i].Value; k {
		case "name":
			if m[i+1].Value != want {
				return nil, fmt.Errorf("standard is named %q, expected %q", m[i+1].Value, want)
			}
		case "families":
		default:
			out = append(out, control{std: want, id: k, order: len(out)})
		}
	}
	return out, nil
}

func (g *generator) write(rel string, data []byte) error {
	p := filepath.Join(g.opts.Out, filepath.FromSlash(rel))
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		return err
	}
	g.stats.Files++
	g.stats.Bytes += int64(len(data))
	return os.WriteFile(p, data, 0o644)
}

func family(id string) string { return id[:strings.IndexByte(id, '-')] }

func isBase(id string) bool { return !strings.Contains(id, "(") }

// certifications copies the SOC 2 scopes and derives six NIST baselines. The
// first, gated in charter.yaml, is implemented completely by the components.
func (g *generator) certifications() error {
	soc2, err := filepath.Glob(filepath.Join(g.opts.Repo, "certifications", "soc2-*.yaml"))
	if err != nil || len(soc2) == 0 {
		return fmt.Errorf("no certifications/soc2-*.yaml in %s", g.opts.Repo)
	}
	for _, p := range soc2 {
		text, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		rel := "certifications/" + filepath.Base(p)
		g.certs = append(g.certs, rel)
		if err := g.write(rel, text); err != nil {
			return err
		}
	}
	perFamily := map[string]int{}
	var core []control
	for _, c := range g.nist {
		if f := family(c.id); isBase(c.id) && perFamily[f] < 3 {
			perFamily[f]++
			core = append(core, c)
		}
	}
	for i, c := range core {
		cp := g.comp(i)
		cp.forced = append(cp.forced, c)
	}
	inFamilies := func(fams ...string) func(string) bool {
		return func(id string) bool { return slices.Contains(fams, family(id)) }
	}
	baselines := []struct {
		name, about string
		keep        func(string) bool
	}{
		{"synthetic-nist-core", "the first three base controls of every family; gated, and implemented completely", nil},
		{"synthetic-nist-base", "every base control, without enhancements", isBase},
		{"synthetic-nist-all", "every control and enhancement", func(string) bool { return true }},
		{"synthetic-nist-access", "the access, identity, personnel and physical families", inFamilies("AC", "IA", "PS", "PE")},
		{"synthetic-nist-operations", "the configuration, contingency, incident, maintenance and integrity families", inFamilies("CM", "CP", "IR", "MA", "SI")},
		{"synthetic-nist-risk", "the risk, assessment, programme, acquisition and supply chain families", inFamilies("RA", "CA", "PM", "SA", "SR")},
	}
	for _, bl := range baselines {
		var b strings.Builder
		fmt.Fprintf(&b, "# Synthetic baseline written by charter-gen: %s.\nname: %s\nstandards:\n  %s:\n", bl.about, bl.name, NISTName)
		for _, c := range g.nist {
			if (bl.keep == nil && slices.Contains(core, c)) || (bl.keep != nil && bl.keep(c.id)) {
				fmt.Fprintf(&b, "    %s: {}\n", c.id)
			}
		}
		rel := "certifications/" + bl.name + ".yaml"
		g.certs = append(g.certs, rel)
		if err := g.write(rel, []byte(b.String())); err != nil {
			return err
		}
	}
	return nil
}

// comp returns the i-th component, creating the skeletons (names and
// verifications) of all of them on first use.
func (g *generator) comp(i int) *comp {
	if g.comps == nil {
		n := ComponentsPerScale * g.opts.Scale
		for j := range n {
			s := systems[j%len(systems)]
			ord := j/len(systems) + 1
			c := &comp{sys: s, key: fmt.Sprintf("%s-%02d", s.key, ord), name: fmt.Sprintf("%s (unit %02d)", s.name, ord)}
			ev := slices.Clone(evidences)
			g.r.Shuffle(len(ev), func(a, b int) { ev[a], ev[b] = ev[b], ev[a] })
			c.verifs = ev[:3+g.r.IntN(4)]
			g.comps = append(g.comps, c)
		}
	}
	return g.comps[i%len(g.comps)]
}

// components spreads the satisfactions over the components: about 15% of
// each component's claims are SOC 2 criteria, the rest NIST controls.
func (g *generator) components() error {
	n := len(g.comps)
	total := SatisfactionsPerScale * g.opts.Scale
	counts := make([]int, n)
	for i := range counts {
		counts[i] = total / n
		if i < total%n {
			counts[i]++
		}
	}
	for i := 0; i+1 < n; i += 2 {
		d := g.r.IntN(31) - 15
		counts[i] += d
		counts[i+1] -= d
	}
	nistPerm := make([]int, len(g.nist))
	tscPerm := make([]int, len(g.tsc))
	for i := range nistPerm {
		nistPerm[i] = i
	}
	for i := range tscPerm {
		tscPerm[i] = i
	}
	for i, c := range g.comps {
		chosen := slices.Clone(c.forced)
		nTSC := min(counts[i]*15/100, len(g.tsc))
		chosen = append(chosen, sample(g.r, g.tsc, tscPerm, nTSC, nil)...)
		chosen = append(chosen, sample(g.r, g.nist, nistPerm, counts[i]-len(chosen), c.forced)...)
		slices.SortFunc(chosen, func(a, b control) int {
			if a.std != b.std {
				return strings.Compare(a.std, b.std)
			}
			return a.order - b.order
		})
		if err := g.write("components/"+c.key+"/component.yaml", g.component(c, chosen)); err != nil {
			return err
		}
		g.stats.Components++
		g.stats.Satisfactions += len(chosen)
	}
	return nil
}

// sample draws k controls without replacement (a partial Fisher-Yates
// shuffle of perm), skipping those in skip.
func sample(r *rand.Rand, from []control, perm []int, k int, skip []control) []control {
	var out []control
	for j := 0; len(out) < k && j < len(perm); j++ {
		x := j + r.IntN(len(perm)-j)
		perm[j], perm[x] = perm[x], perm[j]
		if c := from[perm[j]]; !slices.Contains(skip, c) {
			out = append(out, c)
		}
	}
	return out
}

var (
	statuses = []struct {
		name   string
		weight int
	}{{"complete", 72}, {"partial", 14}, {"planned", 9}, {"none", 5}}
	origins = []string{"service provider corporate", "service provider system specific", "service provider hybrid", "shared", "inherited", "configured by customer"}
)

func (g *generator) component(c *comp, chosen []control) []byte {
	r := g.r
	var b strings.Builder
	fmt.Fprintf(&b, "name: %s\nkey: %s\nsystem: synthetic-platform\nschema_version: 3.1.0\nresponsible_role: %s\ndocumentation_complete: %t\n",
		c.name, c.key, c.sys.role, r.IntN(4) != 0)
	b.WriteString("references:\n")
	for i := range 1 + r.IntN(3) {
		fmt.Fprintf(&b, "  - name: %s\n    path: https://handbook.example.com/%s/%d\n    type: URL\n", refNames[(i+len(c.key))%len(refNames)], c.key, i+1)
	}
	b.WriteString("verifications:\n")
	for _, v := range c.verifs {
		fmt.Fprintf(&b, "  - key: %s\n    name: %s for %s\n    path: https://evidence.example.com/%s/%s\n    type: URL\n    description: >-\n",
			v.key, v.name, c.name, c.key, v.key)
		block(&b, 6, "Evidence of "+v.what+". Collected for "+c.name+" by the "+strings.ToLower(c.sys.role)+".")
		if r.IntN(2) == 0 {
			fmt.Fprintf(&b, "    test_passed: true\n    last_run: \"2025-12-%02d\"\n", 1+r.IntN(28))
		}
	}
	b.WriteString("satisfies:\n")
	for _, ctl := range chosen {
		s := sat{ctl: ctl, narrKeys: 1 + r.IntN(3)}
		fmt.Fprintf(&b, "  - standard_key: %s\n    control_key: %s\n    narrative:\n", ctl.std, ctl.id)
		for k := range s.narrKeys {
			fmt.Fprintf(&b, "      - key: %c\n        text: >-\n", 'a'+k)
			block(&b, 10, paragraph(r, 120, 400, c.name, ctl.id))
		}
		status := "complete"
		if !slices.Contains(c.forced, ctl) {
			w := r.IntN(100)
			for _, st := range statuses {
				if w < st.weight {
					status = st.name
					break
				}
				w -= st.weight
			}
		}
		fmt.Fprintf(&b, "    implementation_statuses: [%s]\n", status)
		o := r.Perm(len(origins))
		if r.IntN(7) == 0 {
			fmt.Fprintf(&b, "    control_origins: [%s, %s]\n", origins[o[0]], origins[o[1]])
		} else {
			fmt.Fprintf(&b, "    control_origins: [%s]\n", origins[o[0]])
		}
		if r.IntN(4) == 0 {
			b.WriteString("    parameters:\n")
			for p := range 1 + r.IntN(2) {
				key := fmt.Sprintf("%s_prm_%d", paramStem(ctl.id), p+1)
				s.params = append(s.params, key)
				fmt.Fprintf(&b, "      - key: %s\n        text: %s\n", key, pick(r, paramTexts))
			}
		}
		if r.IntN(20) < 17 {
			b.WriteString("    covered_by:\n")
			for range 1 + r.IntN(2) {
				target := c
				if r.IntN(4) == 0 {
					target = pick(r, g.comps)
				}
				fmt.Fprintf(&b, "      - component_key: %s\n        verification_key: %s\n", target.key, pick(r, target.verifs).key)
			}
		}
		if r.IntN(10) == 0 {
			fmt.Fprintf(&b, "    references:\n      - name: %s\n        path: https://handbook.example.com/%s/controls/%s\n        type: URL\n",
				pick(r, refNames), c.key, paramStem(ctl.id))
		}
		c.written = append(c.written, s)
	}
	return []byte(b.String())
}

// paramStem turns a control ID into the lower-case stem of parameter keys:
// "AC-2 (1)" becomes "ac-2.1", "CC6.1" becomes "cc6.1".
func paramStem(id string) string {
	id = strings.NewReplacer(" (", ".", ")", "").Replace(id)
	return strings.ToLower(id)
}

// block writes text as the body of a folded block scalar.
func block(b *strings.Builder, indent int, text string) {
	pad := strings.Repeat(" ", indent)
	for _, line := range wrap(text, 110-indent) {
		b.WriteString(pad + line + "\n")
	}
}

var docTopics = []struct{ id, title string }{
	{"POL-INFOSEC", "Information Security Policy"}, {"POL-ACCESS", "Access Control Policy"},
	{"POL-ACCEPTABLE-USE", "Acceptable Use Policy"}, {"POL-ASSETS", "Asset Management Policy"},
	{"POL-BACKUP", "Backup Policy"}, {"POL-CONTINUITY", "Business Continuity Policy"},
	{"POL-CHANGE", "Change Management Policy"}, {"POL-CRYPTO", "Cryptography Policy"},
	{"POL-CLASSIFICATION", "Data Classification Policy"}, {"POL-RETENTION", "Data Retention Policy"},
	{"POL-HR", "Human Resources Security Policy"}, {"POL-INCIDENT", "Incident Response Policy"},
	{"POL-LOGGING", "Logging and Monitoring Policy"}, {"POL-NETWORK", "Network Security Policy"},
	{"POL-PHYSICAL", "Physical Security Policy"}, {"POL-PRIVACY", "Privacy Policy"},
	{"POL-RISK", "Risk Management Policy"}, {"POL-SDLC", "Secure Development Policy"},
	{"POL-VENDOR", "Vendor Management Policy"}, {"POL-VULN", "Vulnerability Management Policy"},
	{"PRO-ACCESS-REVIEW", "Quarterly Access Review"}, {"PRO-ONBOARD", "Onboarding a New Employee"},
	{"PRO-OFFBOARD", "Offboarding an Employee"}, {"PRO-DEPLOY", "Deploying a Change"},
	{"PRO-RESTORE", "Restore Test"}, {"PRO-TRIAGE", "Incident Triage"},
	{"PRO-RISK-ASSESSMENT", "Annual Risk Assessment"}, {"PRO-VENDOR-REVIEW", "Vendor Security Review"},
	{"PRO-KEY-ROTATION", "Key Rotation"}, {"PRO-LOG-REVIEW", "Weekly Log Review"},
}

// documents writes policies and procedures whose bodies use every template
// action against things that exist in the workspace.
func (g *generator) documents() error {
	r := g.r
	for i, t := range docTopics {
		kind, dir := "policy", "policies"
		if strings.HasPrefix(t.id, "PRO-") {
			kind, dir = "procedure", "procedures"
		}
		var b strings.Builder
		fmt.Fprintf(&b, "---\nid: %s\ntitle: %s\nkind: %s\nowner: %s\n", t.id, t.title, kind, pick(r, systems).role)
		if i%10 == 9 {
			b.WriteString("status: draft\neffective: 2026-02-01\nreview_cycle: annual\n")
		} else {
			fmt.Fprintf(&b, "approvers: [Head of Security, %s]\nstatus: approved\neffective: 2024-%02d-%02d\nreview_cycle: annual\nlast_reviewed: 2025-%02d-%02d\n",
				pick(r, systems).role, 1+r.IntN(12), 1+r.IntN(28), 9+r.IntN(4), 1+r.IntN(20))
		}
		claims := sample(r, g.tsc, perm(len(g.tsc)), 2+r.IntN(3), nil)
		slices.SortFunc(claims, func(a, b control) int { return a.order - b.order })
		fmt.Fprintf(&b, "satisfies:\n  TSC: [%s]\n", ids(claims))
		var nist []control
		if r.IntN(3) == 0 {
			nist = sample(r, g.nist, perm(len(g.nist)), 1+r.IntN(3), nil)
			slices.SortFunc(nist, func(a, b control) int { return a.order - b.order })
			fmt.Fprintf(&b, "  %s: [%s]\n", NISTName, ids(nist))
		}
		b.WriteString("---\n\n")
		g.body(&b, t.title, claims[0], docTopics[(i+1)%len(docTopics)].id)
		if err := g.write(dir+"/"+strings.ToLower(t.id)+".md", []byte(b.String())); err != nil {
			return err
		}
		g.stats.Documents++
	}
	return nil
}

func (g *generator) body(b *strings.Builder, title string, claim control, next string) {
	r := g.r
	c := pick(r, g.comps)
	s := pick(r, c.written)
	fmt.Fprintf(b, "# %s\n\n## Purpose\n\nThis document sets out how {{ org }} meets {{ control %q %q }}. ", title, claim.std, claim.id)
	b.WriteString(paragraph(r, 200, 600, "the platform", claim.id) + "\n\n## Rules\n\n")
	for i := range 3 + r.IntN(4) {
		fmt.Fprintf(b, "%d. %s\n", i+1, paragraph(r, 80, 400, "the platform", claim.id))
	}
	fmt.Fprintf(b, "\n## Who implements it\n\n{{ satisfiers %q %q }}\n\n", claim.std, claim.id)
	fmt.Fprintf(b, "{{ component %q }} is one example. Its account of %s reads:\n\n{{ narrative %q %q %q }}\n\n",
		c.key, s.ctl.id, c.key, s.ctl.std, s.ctl.id)
	if len(s.params) > 0 {
		fmt.Fprintf(b, "The value it uses is {{ param %q %q %q %q }}. ", c.key, s.ctl.std, s.ctl.id, s.params[0])
	}
	v := pick(r, c.verifs)
	fmt.Fprintf(b, "The evidence is {{ verification %q %q }}.\n\n## Related\n\nSee also {{ doc %q }}.\n", c.key, v.key, next)
}

func perm(n int) []int {
	p := make([]int, n)
	for i := range p {
		p[i] = i
	}
	return p
}

func ids(cs []control) string {
	out := make([]string, len(cs))
	for i, c := range cs {
		out[i] = c.id
		if strings.ContainsAny(c.id, " ()") {
			out[i] = strconv.Quote(c.id)
		}
	}
	return strings.Join(out, ", ")
}

func (g *generator) manifest() error {
	var b strings.Builder
	fmt.Fprintf(&b, "schema_version: \"1.0.0\"\nname: synthetic-scale-%d\nmetadata:\n  description: >-\n", g.opts.Scale)
	block(&b, 4, fmt.Sprintf("Synthetic workspace written by charter-gen at scale %d for benchmarks: %d components and %d satisfactions over %s and TSC.",
		g.opts.Scale, g.stats.Components, g.stats.Satisfactions, NISTName))
	b.WriteString("  maintainers:\n    - compliance@example.com\ncomponents:\n")
	for _, c := range g.comps {
		fmt.Fprintf(&b, "  - ./components/%s\n", c.key)
	}
	fmt.Fprintf(&b, "standards:\n  - ./standards/%s\n  - ./standards/TSC.yaml\ncertifications:\n", nistFile)
	for _, c := range g.certs {
		fmt.Fprintf(&b, "  - ./%s\n", c)
	}
	if err := g.write("opencontrol.yaml", []byte(b.String())); err != nil {
		return err
	}
	cfg := "# charter settings of the synthetic benchmark workspace.\norganization: Synthetic Example Co.\ngate: [synthetic-nist-core]\n" +
		"documents: [policies, procedures]\nrepository_url: https://git.example.com/synthetic/compliance\n"
	return g.write("charter.yaml", []byte(cfg))
}
