// Package model is charter's typed picture of a compliance repository: the
// Workspace that load builds once and every later step reads. Every value
// that came from a file keeps its position so that later steps can report
// problems precisely. Nothing here decodes or prints.
package model

import (
	"slices"
	"strings"
	"time"

	"github.com/charter-compliance/charter/compiler/diag"
)

// Workspace is one loaded repository.
type Workspace struct {
	Root     string // absolute path of the directory holding opencontrol.yaml
	Manifest Manifest
	Config   Config

	Standards      []*Standard      // sorted by name
	Certifications []*Certification // sorted by name
	Components     []*Component     // sorted by key
	Documents      []*Document      // policies and procedures, sorted by id

	// DependencyLayout says, in one line, how the git dependencies were
	// found under opencontrols/: charter's layout, the flat one
	// compliance-masonry get writes, or both. Empty when no git dependency
	// was read.
	DependencyLayout string

	// Files lists every source file that was read, relative to Root with
	// forward slashes (standards given on the command line as given),
	// sorted by path, with its kind and bytes.
	Files []SourceFile

	standards      map[string]*Standard
	components     map[string]*Component
	certifications map[string]*Certification
	documents      map[string]*Document
}

// SourceFile is one input file.
type SourceFile struct {
	Path string   `json:"path"`
	Kind FileKind `json:"kind"`
	// Text is the file's bytes as load read them (and decoded them), kept
	// so that later steps show source lines without reading files again.
	Text []byte `json:"-"`
}

// Text returns the bytes of the source file at path (as in Files), or nil
// when no such file was read.
func (w *Workspace) Text(path string) []byte {
	i, ok := slices.BinarySearchFunc(w.Files, path, func(f SourceFile, p string) int { return strings.Compare(f.Path, p) })
	if !ok {
		return nil
	}
	return w.Files[i].Text
}

// FileKind names what a source file holds.
type FileKind string

const (
	KindManifest      FileKind = "manifest"
	KindConfig        FileKind = "config"
	KindStandard      FileKind = "standard"
	KindCertification FileKind = "certification"
	KindComponent     FileKind = "component"
	KindDocument      FileKind = "document"
)

// Index builds the lookup maps. Load calls it once; later steps only read.
func (w *Workspace) Index() {
	w.standards = make(map[string]*Standard, len(w.Standards))
	for _, s := range w.Standards {
		if _, dup := w.standards[s.Name]; !dup {
			w.standards[s.Name] = s
		}
		s.index()
	}
	w.components = make(map[string]*Component, len(w.Components))
	for _, c := range w.Components {
		if _, dup := w.components[c.Key]; !dup {
			w.components[c.Key] = c
		}
	}
	w.certifications = make(map[string]*Certification, len(w.Certifications))
	for _, c := range w.Certifications {
		if _, dup := w.certifications[c.Name]; !dup {
			w.certifications[c.Name] = c
		}
	}
	w.documents = make(map[string]*Document, len(w.Documents))
	for _, d := range w.Documents {
		if _, dup := w.documents[d.ID]; !dup {
			w.documents[d.ID] = d
		}
	}
}

// Standard returns the standard with the given name, or nil.
func (w *Workspace) Standard(name string) *Standard { return w.standards[name] }

// Component returns the component with the given key, or nil.
func (w *Workspace) Component(key string) *Component { return w.components[key] }

// Certification returns the certification with the given name, or nil.
func (w *Workspace) Certification(name string) *Certification { return w.certifications[name] }

// Document returns the policy or procedure with the given id, or nil.
func (w *Workspace) Document(id string) *Document { return w.documents[id] }

// Control looks up a control by standard name and control ID.
func (w *Workspace) Control(standard, id string) *Control {
	if s := w.Standard(standard); s != nil {
		return s.Control(id)
	}
	return nil
}

// Manifest is opencontrol.yaml.
type Manifest struct {
	Pos           diag.Pos
	Name          string
	SchemaVersion string
	Description   string
	Maintainers   []string
	Dependencies  []Dependency
}

// Dependency is an entry of the manifest's dependencies section.
type Dependency struct {
	Pos        diag.Pos
	Kind       string // certifications, standards or systems
	URL        string
	Revision   string
	ContextDir string
	Path       string
}

// Config is charter.yaml, charter's own settings beside opencontrol.yaml.
type Config struct {
	Pos           diag.Pos
	Present       bool
	Organization  string
	Gate          []Ref    // certifications that must be fully satisfied
	Documents     []string // directories of policies and procedures
	DocumentsPos  diag.Pos // where charter.yaml set them; zero when defaulted
	RepositoryURL string
	Versions      string
	UnsafeHTML    bool
	Theme         string
	Strict        bool
	// GateRequiresClosedClaims makes a gated certification fail while a
	// satisfied control has open claims (another component's partial,
	// planned, none or unknown claim of it). Default false.
	GateRequiresClosedClaims bool
	Evidence                 EvidenceConfig // how verifications' ages are judged
	// AuditPeriod is audit_period, the observation period of the change
	// population; nil when charter.yaml sets none.
	AuditPeriod *AuditPeriod
	// ChangeManagement is change_management, the rules every change of
	// the period must follow; nil when charter.yaml sets none.
	ChangeManagement *ChangeManagement
	// Diagnostics are charter.yaml's diagnostics: the severity it gives a
	// code, applied after --strict.
	Diagnostics []DiagnosticSetting
	// Dependencies is charter.yaml's dependencies: how findings in fetched
	// dependencies count.
	Dependencies DependencyConfig
}

// DiagnosticSetting is one code's entry under charter.yaml's diagnostics.
type DiagnosticSetting struct {
	Pos      diag.Pos // the code's key
	Code     diag.Code
	Severity diag.Severity // diag.Error, diag.Warning or diag.Off
	Reason   string
}

// DependencyConfig is charter.yaml's dependencies.
type DependencyConfig struct {
	// FailOnErrors makes errors in fetched dependencies' files fail check,
	// as the repository's own do. Default false.
	FailOnErrors bool
}

// AuditPeriod is charter.yaml's audit_period: {from: …, to: …}. Each end
// is a date (YYYY-MM-DD) or a git revision, as written; empty when left
// out (from the first commit, to the branch's tip).
type AuditPeriod struct {
	Pos      diag.Pos
	From, To string
	FromPos  diag.Pos
	ToPos    diag.Pos
}

// ChangeManagement is charter.yaml's change_management: the rules a
// change on the branch must follow.
type ChangeManagement struct {
	Pos diag.Pos
	// Branch is the branch whose first-parent chain is the population;
	// empty means HEAD's.
	Branch string
	// RequirePullRequest: every change must come from a pull request.
	RequirePullRequest bool
	// MinApprovals is the number of approvals that must count.
	MinApprovals int
	// IndependentApproval (default true): an approval by the pull
	// request's author never counts.
	IndependentApproval bool
	// ApprovalOnHead (default true): an approval counts only when it was
	// given on the pull request's final head commit; an earlier one is
	// stale.
	ApprovalOnHead bool
	// RequireRecordedReviews: a pull request with no record in the review
	// ledger is a violation. When false, approvals are judged only where
	// reviews were recorded.
	RequireRecordedReviews bool
	Exceptions             []ChangeException
	// SampleSeed, when set, makes the site's Change management page show
	// the auditor's sample drawn with it (changes.Population.Draw), of
	// SampleSize changes, or the default size when SampleSize is 0.
	SampleSeed string
	SampleSize int
}

// ChangeException excuses one change from the rules (an emergency change):
// its findings are still listed, marked as excepted.
type ChangeException struct {
	Pos        diag.Pos
	Commit     string // a full or abbreviated hash
	Reason     string
	ApprovedBy string
}

// Ref is a name written somewhere, with where it was written.
type Ref struct {
	Name string
	Pos  diag.Pos
}

// Standard is a catalogue of controls, such as TSC or NIST-800-53.
type Standard struct {
	Pos      diag.Pos
	File     string
	Name     string
	Families map[string]string // family code -> family name, from the controls' family_name (charter extension)
	Controls []*Control        // in natural ID order
	byID     map[string]*Control
}

func (s *Standard) index() {
	s.byID = make(map[string]*Control, len(s.Controls))
	for _, c := range s.Controls {
		s.byID[c.ID] = c
	}
}

// Control returns the control with the given ID, or nil.
func (s *Standard) Control(id string) *Control {
	if s.byID == nil {
		s.index()
	}
	return s.byID[id]
}

// ControlIDs returns the IDs of all controls, in order.
func (s *Standard) ControlIDs() []string {
	ids := make([]string, len(s.Controls))
	for i, c := range s.Controls {
		ids[i] = c.ID
	}
	return ids
}

// Control is one requirement of a standard.
type Control struct {
	Pos         diag.Pos
	Standard    string
	ID          string
	Family      string
	Name        string
	Description string
}

// Certification is a baseline: the controls a system must satisfy.
type Certification struct {
	Pos      diag.Pos
	File     string
	Name     string
	Controls []CertControl // in (standard, natural control ID) order
}

// CertControl is one control a certification requires.
type CertControl struct {
	Pos         diag.Pos // the control's key
	StandardPos diag.Pos // the standard's key it is listed under
	Standard    string
	Control     string
}

// Component is a part of the system that satisfies controls.
type Component struct {
	Pos           diag.Pos
	File          string // component.yaml, relative to the workspace root
	Dir           string // its directory, relative to the workspace root
	Key           string
	KeyPos        diag.Pos
	Name          string
	System        string
	SchemaVersion string
	// ListedBy is the name of the manifest (the system) that lists the
	// component; empty when it was read from compliance-masonry's flat
	// opencontrols/components/, which keeps no manifest.
	ListedBy string
	// Fetched is set for a component of a fetched git dependency (read
	// from opencontrols/).
	Fetched               bool
	ResponsibleRole       string
	DocumentationComplete bool
	References            []Reference
	Verifications         []Verification
	Satisfies             []*Satisfaction
}

// Verification returns the verification with the given key, or nil.
func (c *Component) Verification(key string) *Verification {
	for i := range c.Verifications {
		if c.Verifications[i].Key == key {
			return &c.Verifications[i]
		}
	}
	return nil
}

// Reference is a link to supporting material.
type Reference struct {
	Pos     diag.Pos
	Name    string
	Path    string
	PathPos diag.Pos // the path value; zero when no path is given
	Type    string
}

// Verification is evidence that a control works.
type Verification struct {
	Pos         diag.Pos
	Key         string
	Name        string
	Path        string
	Type        string
	Description string
	TestPassed  *bool
	LastRun     string
	// where the path, test_passed and last_run values were written
	PathPos, TestPassedPos, LastRunPos diag.Pos
}

// Satisfaction is a component's claim that it implements one control.
type Satisfaction struct {
	Pos         diag.Pos
	Component   string // key of the owning component
	StandardKey string
	StandardPos diag.Pos
	ControlKey  string
	ControlPos  diag.Pos
	Narratives  []Narrative
	Statuses    []StatusValue // implementation_status and implementation_statuses, in order
	Origins     []Origin      // control_origin and control_origins
	Parameters  []Parameter
	CoveredBy   []CoveredBy
	References  []Reference
}

// Narrative is one keyed part of a satisfaction's explanation.
type Narrative struct {
	Pos  diag.Pos
	Key  string
	Text string
}

// StatusValue is an implementation status as written, with its meaning.
type StatusValue struct {
	Pos    diag.Pos
	Raw    string
	Status Status
}

// Origin is a control origin as written.
type Origin struct {
	Pos   diag.Pos
	Value string
}

// Parameter is a named value of a control's implementation.
type Parameter struct {
	Pos  diag.Pos
	Key  string
	Text string
}

// CoveredBy links a satisfaction to evidence in (maybe another) component.
type CoveredBy struct {
	Pos             diag.Pos
	SystemKey       string
	ComponentKey    string
	VerificationKey string
}

// Document is a policy or procedure written in Markdown with front matter.
type Document struct {
	Pos          diag.Pos // the file
	File         string   // relative to the workspace root
	ID           string
	Title        string
	Kind         string // policy or procedure
	Owner        string
	Approvers    []string
	Status       string // draft or approved
	Effective    *time.Time
	ReviewCycle  string
	LastReviewed *time.Time
	Satisfies    []Claim
	Description  string
	Body         string // Markdown after the front matter, template actions unexecuted
	BodyLine     int    // 1-based line of the file where Body starts
	FieldPos     map[string]diag.Pos
}

// Claim is a document's claim of one control.
type Claim struct {
	Pos      diag.Pos
	Standard string
	Control  string
}

// InForce reports whether the document counts as evidence on the given day:
// approved and effective on or before it.
func (d *Document) InForce(asOf time.Time) bool {
	return d.Status == "approved" && d.Effective != nil && !d.Effective.After(asOf)
}

// ReviewMonths is the number of months in each review cycle.
var ReviewMonths = map[string]int{"monthly": 1, "quarterly": 3, "semiannual": 6, "annual": 12}

// NextReview returns when the document is due for review, or nil when its
// last review date or cycle is unknown. lastFromGit is used when the front
// matter gives no last_reviewed date.
func (d *Document) NextReview(lastFromGit *time.Time) *time.Time {
	last := d.LastReviewed
	if last == nil {
		last = lastFromGit
	}
	m, ok := ReviewMonths[d.ReviewCycle]
	if last == nil || !ok {
		return nil
	}
	t := last.AddDate(0, m, 0)
	return &t
}
