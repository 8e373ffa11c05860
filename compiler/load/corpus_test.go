package load_test

import (
	"os"
	"path"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/charter-compliance/charter/compiler/coverage"
	"github.com/charter-compliance/charter/compiler/diag"
	"github.com/charter-compliance/charter/compiler/load"
	"github.com/charter-compliance/charter/compiler/model"
	"github.com/charter-compliance/charter/compiler/opencontrol"
)

// corpusDir finds /work/shared/corpus beside the repository: real
// OpenControl repositories, read-only, never copied into this one.
func corpusDir(t *testing.T) string {
	t.Helper()
	dir, err := filepath.Abs(filepath.Join("..", "..", "..", "shared", "corpus"))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(dir, "standards", "nist-800-53-latest.yaml")); err != nil {
		t.Skipf("real-data corpus not found at %s (it lives beside the repository as ../shared/corpus): %v", dir, err)
	}
	return dir
}

// The numbers below were verified by reading the files: component and
// satisfaction counts by listing the manifests' components and counting
// their satisfies entries (by hand for the small repositories, with grep and
// a separate PyYAML script for the large ones), and every diagnostic count
// by finding its cause in the file, as the comments say.
var corpusCases = []struct {
	dir            string
	needsNIST      bool // refers to NIST-800-53 without shipping it
	files          int
	components     int
	satisfactions  int
	standards      int
	certifications int
	codes          map[diag.Code]int
	spot           []spot // diagnostics checked one by one
}{
	{
		dir: "freedonia-compliance",
		// 6 files: opencontrol.yaml, 3 component.yaml, FRIST-800-53.yaml and
		// FredRAMP-low.yaml; standards/NIST-SP-800-53-rev4.yaml and
		// certifications/fisma-low-impact.yaml sit in the tree but the
		// manifest does not list them, and markdowns/ is not a documents dir.
		files: 6,
		// AU_policy (AU-1, AU-2), AWS_core (PE-2), AWS_implementation (AU-2,
		// SC-1, SC-7): 2 + 1 + 3 satisfactions, all against FRIST-800-53.
		components: 3, satisfactions: 6, standards: 1, certifications: 1,
		codes: map[diag.Code]int{
			// AU_policy line 11: implementation_status: implemented (not in the enum)
			diag.CodeStatusGuess: 1,
		},
		spot: []spot{{"components/AU_policy/component.yaml:11:26: warning[OC107]", `implementation status "implemented" is not in the schema; read as "complete"`}},
	},
	{
		dir: "aws-compliance", needsNIST: true,
		// manifest + 6 components + the NIST standard given as an extra
		files: 8,
		// CloudFormation 2, EC2 1, IAM 11, MultiFactor 3, S3 1, VPC 4 = 22;
		// schema_version 2.0 (a float), single-string narratives, every
		// control_key present in nist-800-53-latest.yaml: no diagnostics.
		components: 6, satisfactions: 22, standards: 1, certifications: 0,
		codes: map[diag.Code]int{},
	},
	{
		dir: "cf-compliance", needsNIST: true,
		files: 9, // manifest + 7 components + NIST
		// ApplicationSecurityGroups 4, BOSH 3, CloudController 9, DEA 2,
		// Loggregator 3, UAA 26, Warden 1 = 48
		components: 7, satisfactions: 48, standards: 1, certifications: 0,
		codes: map[diag.Code]int{
			// UAA line 54: covered_by: [{verification_key: POLICY_DOC}] but UAA's
			// verifications define no POLICY_DOC (masonry never checked this)
			diag.CodeCoveredVerification: 1,
			// verifications whose path: names a BDD/*.feature file the corpus
			// copy does not hold (it kept YAML and Markdown only):
			// ApplicationSecurityGroups line 74, CloudController lines 134,
			// 143 and 166, UAA line 258
			diag.CodeEvidenceNotFound: 5,
		},
		spot: []spot{
			{"UAA/component.yaml:54:5: error[OC206]", `covered_by names verification "POLICY_DOC", which component UAA does not define`},
			{"UAA/component.yaml:258:9: error[OC405]", `verification Account_Lockout_Tests path "BDD/UAA.feature" names nothing in the repository (looked for UAA/BDD/UAA.feature or BDD/UAA.feature)`},
		},
	},
	{
		dir: "docker-compliance", needsNIST: true,
		files: 7, // manifest + the 5 components it lists (Engine-EE, DSS, DTR, eNZi, UCP) + NIST
		// Engine-EE 57, DSS 6, DTR 58, eNZi 38, UCP 64 = 223 (the 17
		// components under examples/ are a second system with its own
		// manifest, below)
		components: 5, satisfactions: 223, standards: 1, certifications: 0,
		codes: map[diag.Code]int{
			// DTR line 554: the misspelt key implementation_statuess
			diag.CodeUnknownKey: 1,
			// control_origins outside the known set: 102 items "Docker EE system"
			// (grep: DSS 0, DTR 31, Engine-EE 24, UCP 33, eNZi 14) and 3 items
			// "service provide hybrid" (a typo of "service provider hybrid")
			diag.CodeOrigin: 105,
		},
		spot: []spot{
			{"opencontrol/components/DTR/component.yaml:554:5: warning[OC104]", `unknown key "implementation_statuess" in a satisfaction; did you mean "implementation_statuses"?`},
			{"opencontrol/components/DTR/component.yaml:69:9: warning[OC108]", `unknown control origin "Docker EE system"`},
		},
	},
	{
		dir: "docker-compliance/examples/opencontrol/DockerEE-Moderate-ATO", needsNIST: true,
		files: 19, // manifest + 17 policies/* components + NIST
		// AC 36, AT 5, AU 18, CA 17, CM 9, CP 23, IA 26, IR 18, MA 11, MP 10,
		// PE 20, PL 2, PS 9, RA 2, SA 23, SC 32, SI 28 = 289 (duplicates and
		// the NIST-801-53 entry included: check reports them, load keeps them)
		components: 17, satisfactions: 289, standards: 1, certifications: 0,
		codes: map[diag.Code]int{
			// the three git dependencies (NIST standards, FedRAMP certifications,
			// docker/compliance) at lines 27, 30, 33, never fetched
			diag.CodeRemoteDependency: 3,
			// CP-4 (line 84) writes `narrative:` three times (lines 87, 91, 95),
			// once per part; masonry kept only the last
			diag.CodeDuplicate: 2,
			// SA-9 (1) (line 171): standard_key NIST-801-53
			diag.CodeUnknownStandard: 1,
			// CA satisfies CA-2 (2) at lines 43 and 59, CA-2 (3) at 17 and 67
			diag.CodeDupSatisfaction: 2,
		},
		spot: []spot{
			{"opencontrol.yaml:27:7: error[OC210]", "dependency https://github.com/opencontrol/NIST-800-53-Standards has not been fetched: neither opencontrols/standards/NIST-800-53-Standards nor files in opencontrols/standards/ exist"},
			{"policies/CA/component.yaml:59:18: error[OC209]", "component CA satisfies NIST-800-53 CA-2 (2) twice"},
			{"policies/CA/component.yaml:67:18: error[OC209]", "component CA satisfies NIST-800-53 CA-2 (3) twice"},
			{"policies/CP/component.yaml:91:5: error[OC007]", `key "narrative" appears twice in a satisfaction; the first is at line 87`},
			{"policies/CP/component.yaml:95:5: error[OC007]", `key "narrative" appears twice in a satisfaction; the first is at line 87`},
			{"policies/SA/component.yaml:171:19: error[OC201]", `satisfaction names standard "NIST-801-53", which is not loaded; did you mean "NIST-800-53"?`},
		},
	},
	{
		dir: "certifications", needsNIST: true,
		files:      13, // manifest + 11 baselines + NIST
		components: 0, satisfactions: 0, standards: 1, certifications: 11,
		codes: map[diag.Code]int{
			// controls the baselines name that nist-800-53-latest.yaml lacks:
			// 144 = 36 rev4 Appendix J privacy controls (AP, AR, DI, DM, IP,
			//   SE, TR, UL families) in each of dhs-4300a and icd-503-{low,
			//   moderate,high}; no NIST file in the corpus has them
			// 8 = DHS 4300A's PE-7 (1), PE-7 (2), SA-5 (6), SA-6 (1) and
			//   SC-9 (1)-(4): enhancements of controls withdrawn in rev4
			// 1 = FedRAMP High's IA-6 (8) (line 206): IA-6 has no enhancements
			diag.CodeCertControl: 153,
		},
		spot: []spot{
			{"fedramp-high.yaml:206:5: error[OC204]", `certification FedRAMP High names control "IA-6 (8)", which standard NIST-800-53 does not have`},
		},
	},
	{
		// ships NIST-800-53 itself (nist-800-53-latest.yaml), so no extra
		dir:   "standards",
		files: 7, // manifest + 6 standards
		// NIST-800-53, NIST-800-53 rev3, NIST-800-53 rev4, NIST-800-53 rev5,
		// PCI-DSS-Standards and TSC: six distinct names, no duplicate
		components: 0, satisfactions: 0, standards: 6, certifications: 0,
		codes: map[diag.Code]int{},
	},
}

type spot struct{ brief, message string }

func TestCorpus(t *testing.T) {
	corpus := corpusDir(t)
	nist := filepath.Join(corpus, "standards", "nist-800-53-latest.yaml")
	for _, tc := range corpusCases {
		t.Run(tc.dir, func(t *testing.T) {
			root := filepath.Join(corpus, filepath.FromSlash(tc.dir))
			var extra []string
			if tc.needsNIST {
				extra = []string{nist}
			}
			ws, l := loadAndCheck(t, root, extra...)
			sats := 0
			for _, c := range ws.Components {
				sats += len(c.Satisfies)
			}
			if len(ws.Files) != tc.files || len(ws.Components) != tc.components || sats != tc.satisfactions ||
				len(ws.Standards) != tc.standards || len(ws.Certifications) != tc.certifications || len(ws.Documents) != 0 {
				t.Errorf("loaded %d files, %d components, %d satisfactions, %d standards, %d certifications, %d documents; want %d, %d, %d, %d, %d, 0",
					len(ws.Files), len(ws.Components), sats, len(ws.Standards), len(ws.Certifications), len(ws.Documents),
					tc.files, tc.components, tc.satisfactions, tc.standards, tc.certifications)
			}
			got := map[diag.Code]int{}
			for _, d := range l {
				got[d.Code]++
			}
			for _, code := range sortedCodes(got, tc.codes) {
				if got[code] != tc.codes[code] {
					t.Errorf("%s: %d diagnostics, want %d", code, got[code], tc.codes[code])
				}
			}
			checkWellFormed(t, root, l)
			for _, s := range tc.spot {
				found := false
				for _, d := range l {
					if brief(d) == s.brief {
						found = true
						if d.Message != s.message {
							t.Errorf("%s: message %q, want %q", s.brief, d.Message, s.message)
						}
					}
				}
				if !found {
					t.Errorf("no diagnostic %s", s.brief)
				}
			}
			if !tc.needsNIST {
				return
			}
			// Without the standard every reference to it is reported (each
			// satisfaction's as an OC201 or a note of the one OC201 for its
			// name, one per certification), controls cannot be checked, and
			// nothing else changes.
			_, bare := loadAndCheck(t, root)
			want := map[diag.Code]int{}
			for code, n := range tc.codes {
				if code != diag.CodeCertControl && code != diag.CodeUnknownStandard {
					want[code] = n
				}
			}
			if tc.certifications > 0 {
				want[diag.CodeCertStandard] = tc.certifications
			} else {
				want[diag.CodeUnknownStandard] = tc.satisfactions
			}
			gotBare := map[diag.Code]int{}
			for _, d := range bare {
				gotBare[d.Code]++
				if d.Code == diag.CodeUnknownStandard {
					gotBare[d.Code] += len(d.Notes) // the other uses of the name
				}
				if d.Code == diag.CodeUnknownStandard || d.Code == diag.CodeCertStandard {
					if w := quoted(d.Message); w != "NIST-800-53" && w != "NIST-801-53" {
						t.Errorf("%s: %s", brief(d), d.Message)
					}
				}
			}
			for _, code := range sortedCodes(gotBare, want) {
				if gotBare[code] != want[code] {
					t.Errorf("without NIST: %s: %d diagnostics, want %d", code, gotBare[code], want[code])
				}
			}
		})
	}
}

// quoted returns the first double-quoted word of a message.
func quoted(s string) string {
	_, rest, _ := strings.Cut(s, `"`)
	word, _, _ := strings.Cut(rest, `"`)
	return word
}

func sortedCodes(maps ...map[diag.Code]int) []diag.Code {
	var out []diag.Code
	for _, m := range maps {
		for c := range m {
			if !slices.Contains(out, c) {
				out = append(out, c)
			}
		}
	}
	slices.Sort(out)
	return out
}

// Coverage on real data: freedonia's FredRAMP-low needs five FRIST-800-53
// controls; AU-1 (AU_policy, "implemented" with a narrative) and PE-2
// (AWS_core, complete, inherited from AWS) are met; AU-2, SC-1 and SC-7 are
// claimed only with implementation_status: none, so their verdict is none
// (claimed, not implemented), not missing (claimed by nothing). The FedRAMP
// and FISMA baselines have nothing to satisfy them in their own repository:
// every control is missing.
func TestCorpusCoverage(t *testing.T) {
	corpus := corpusDir(t)
	ws, _ := loadAndCheck(t, filepath.Join(corpus, "freedonia-compliance"))
	r := coverage.Compute(ws, asOf)
	c := r.Certification("FredRAMP-low")
	if c == nil {
		t.Fatal("no FredRAMP-low")
	}
	var got []string
	for _, v := range c.Verdicts {
		got = append(got, v.ID+"="+v.Status.String())
	}
	want := []string{"AU-1=satisfied", "AU-2=none", "PE-2=satisfied", "SC-1=none", "SC-7=none"}
	if !slices.Equal(got, want) {
		t.Errorf("FredRAMP-low: %q, want %q", got, want)
	}
	if c.Headline() != "2 satisfied, 0 not applicable, of 5" || c.Counts[model.None] != 3 || c.Counts[model.Missing] != 0 {
		t.Errorf("FredRAMP-low: %s; %d none, %d missing", c.Headline(), c.Counts[model.None], c.Counts[model.Missing])
	}
	if v := r.Verdict("FRIST-800-53", "AU-2"); len(v.Evidence) != 2 || v.Evidence[0].Status != model.None {
		t.Errorf("AU-2 evidence: %+v", v.Evidence)
	}

	ws, _ = loadAndCheck(t, filepath.Join(corpus, "certifications"), filepath.Join(corpus, "standards", "nist-800-53-latest.yaml"))
	r = coverage.Compute(ws, asOf)
	// totals are the number of control keys under standards.NIST-800-53 in
	// each file; unknown controls stay in the total, as gaps
	for name, total := range map[string]int{
		"FedRAMP Low": 125, "FedRAMP Moderate": 325, "FedRAMP High": 417, "FedRAMP Tailored": 126,
		"FISMA Low Impact": 120, "FISMA Moderate Impact": 244, "FISMA High Impact": 325,
		"ICD 503 L-L-L": 174, "ICD 503 M-M-M": 314, "ICD 503 H-H-H": 397, "DHS 4300A": 966,
	} {
		c := r.Certification(name)
		if c == nil {
			t.Errorf("no certification %q", name)
			continue
		}
		if c.Total() != total || c.Counts[model.Missing] != total {
			t.Errorf("%s: %d controls, %d missing; want %d, all missing", name, c.Total(), c.Counts[model.Missing], total)
		}
	}
}

// copyTree copies the regular files under src to dst.
func copyTree(t *testing.T, src, dst string) {
	t.Helper()
	err := filepath.WalkDir(src, func(p string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		rel, _ := filepath.Rel(src, p)
		data, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		out := filepath.Join(dst, rel)
		if err := os.MkdirAll(filepath.Dir(out), 0o755); err != nil {
			return err
		}
		return os.WriteFile(out, data, 0o644)
	})
	if err != nil {
		t.Fatal(err)
	}
}

// masonryGet does what `compliance-masonry get` does with one fetched
// dependency (here a corpus repository): it reads the dependency's
// manifest and copies the files it lists flat into dst/opencontrols/:
// standards/<file>, certifications/<file>, components/<dir>/.
func masonryGet(t *testing.T, dep, dst string) {
	t.Helper()
	text, err := os.ReadFile(filepath.Join(dep, "opencontrol.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	m, l := opencontrol.DecodeManifest("opencontrol.yaml", text)
	if m == nil || l.HasErrors() {
		t.Fatalf("%s: %v", dep, l)
	}
	flat := filepath.Join(dst, "opencontrols")
	for _, set := range []struct {
		dir     string
		entries []opencontrol.Entry
	}{{"standards", m.Standards}, {"certifications", m.Certifications}} {
		for _, e := range set.entries {
			data, err := os.ReadFile(filepath.Join(dep, filepath.FromSlash(e.Path)))
			if err != nil {
				t.Fatal(err)
			}
			writeFile(t, filepath.Join(flat, set.dir, path.Base(e.Path)), data)
		}
	}
	for _, e := range m.Components {
		copyTree(t, filepath.Join(dep, filepath.FromSlash(e.Path)), filepath.Join(flat, "components", path.Base(e.Path)))
	}
}

func writeFile(t *testing.T, p string, data []byte) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(p, data, 0o644); err != nil {
		t.Fatal(err)
	}
}

// The Docker EE moderate ATO depends on the NIST standards, the FedRAMP
// certifications and the docker/compliance system, all git repositories.
// After `masonry get` (done here from the corpus copies of those three
// repositories) they are read from the flat opencontrols/ folders: no
// OC210, and what is left is what each repository has on its own.
func TestCorpusMasonryLayout(t *testing.T) {
	corpus := corpusDir(t)
	root := t.TempDir()
	copyTree(t, filepath.Join(corpus, "docker-compliance", "examples", "opencontrol", "DockerEE-Moderate-ATO"), root)
	for _, dep := range []string{"standards", "certifications", "docker-compliance"} {
		masonryGet(t, filepath.Join(corpus, dep), root)
	}
	ws, l := loadAndCheck(t, root)
	if ws.DependencyLayout != load.LayoutMasonry {
		t.Errorf("layout %q", ws.DependencyLayout)
	}
	got := map[diag.Code]int{}
	for _, d := range l {
		got[d.Code]++
	}
	want := map[diag.Code]int{
		// the ATO's own, as in TestCorpus without the OC210s
		diag.CodeDuplicate: 2, diag.CodeUnknownStandard: 1, diag.CodeDupSatisfaction: 2,
		// docker/compliance's five components, as in TestCorpus
		diag.CodeUnknownKey: 1, diag.CodeOrigin: 105,
		// the FedRAMP and other baselines against nist-800-53-latest, as in
		// TestCorpus's certifications case
		diag.CodeCertControl: 153,
	}
	for _, code := range sortedCodes(got, want) {
		if got[code] != want[code] {
			t.Errorf("%s: %d diagnostics, want %d", code, got[code], want[code])
		}
	}
	checkWellFormed(t, root, l)
	// 17 policies of the ATO and docker/compliance's 5; 6 standards; 11
	// certifications
	if len(ws.Components) != 22 || len(ws.Standards) != 6 || len(ws.Certifications) != 11 {
		t.Errorf("%d components, %d standards, %d certifications", len(ws.Components), len(ws.Standards), len(ws.Certifications))
	}
	for _, c := range ws.Components {
		fetched := strings.HasPrefix(c.Dir, "opencontrols/components/")
		if c.Fetched != fetched || (c.ListedBy == "") != fetched {
			t.Errorf("%s: fetched %v, listed by %q", c.Dir, c.Fetched, c.ListedBy)
		}
	}
}
