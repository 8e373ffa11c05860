package diag

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"net/url"
	"regexp"
	"slices"
	"strings"
)

// SARIFOptions configure WriteSARIF.
type SARIFOptions struct {
	ToolVersion string // charter's version
	// URIPrefix is the directory of the diagnostics' files relative to the
	// top level of the git repository, "" or ending in "/", so that every
	// URI is relative to the repository as code scanning expects.
	URIPrefix string
}

// The SARIF 2.1.0 shapes charter writes.
type (
	sarifLog struct {
		Schema  string     `json:"$schema"`
		Version string     `json:"version"`
		Runs    []sarifRun `json:"runs"`
	}
	sarifRun struct {
		Tool       sarifTool     `json:"tool"`
		ColumnKind string        `json:"columnKind"`
		Results    []sarifResult `json:"results"`
	}
	sarifTool struct {
		Driver sarifDriver `json:"driver"`
	}
	sarifDriver struct {
		Name    string      `json:"name"`
		Version string      `json:"version,omitempty"`
		Rules   []sarifRule `json:"rules"`
	}
	sarifRule struct {
		ID               string        `json:"id"`
		ShortDescription *sarifMessage `json:"shortDescription,omitempty"`
		FullDescription  *sarifMessage `json:"fullDescription,omitempty"`
		Help             *sarifHelp    `json:"help,omitempty"`
		Properties       *sarifProps   `json:"properties,omitempty"`
	}
	sarifHelp struct {
		Text     string `json:"text"`
		Markdown string `json:"markdown"`
	}
	sarifProps struct {
		Tags []string `json:"tags"`
	}
	sarifMessage struct {
		Text string `json:"text"`
	}
	sarifResult struct {
		RuleID              string            `json:"ruleId"`
		RuleIndex           int               `json:"ruleIndex"`
		Level               string            `json:"level"`
		Message             sarifMessage      `json:"message"`
		Locations           []sarifLocation   `json:"locations,omitempty"`
		RelatedLocations    []sarifLocation   `json:"relatedLocations,omitempty"`
		PartialFingerprints map[string]string `json:"partialFingerprints"`
	}
	sarifLocation struct {
		ID               *int          `json:"id,omitempty"`
		PhysicalLocation sarifPhysical `json:"physicalLocation"`
		Message          *sarifMessage `json:"message,omitempty"`
	}
	sarifPhysical struct {
		ArtifactLocation sarifArtifact `json:"artifactLocation"`
		Region           *sarifRegion  `json:"region,omitempty"`
	}
	sarifArtifact struct {
		URI string `json:"uri"`
	}
	sarifRegion struct {
		StartLine   int           `json:"startLine"`
		StartColumn int           `json:"startColumn,omitempty"`
		Snippet     *sarifMessage `json:"snippet,omitempty"`
	}
)

// FingerprintKey names charter's partial fingerprint in SARIF results.
const FingerprintKey = "charterFinding/v1"

// groups name the code ranges, as docs/diagnostics.md groups them.
var groups = map[byte]string{'0': "files and YAML syntax", '1': "the shape of one file", '2': "references between files", '3': "policies and procedures", '6': "coverage against a base revision"}

// Rules returns the SARIF rule of every code Description defines, sorted
// by code.
func rules() []sarifRule {
	codes := make([]Code, 0, len(Description))
	for c := range Description {
		codes = append(codes, c)
	}
	slices.Sort(codes)
	out := make([]sarifRule, len(codes))
	for i, c := range codes {
		out[i] = rule(c)
	}
	return out
}

func rule(c Code) sarifRule {
	meaning := Description[c]
	if meaning == "" {
		return sarifRule{ID: string(c)}
	}
	group := ""
	if len(c) >= 3 {
		group = groups[c[2]]
	}
	text := fmt.Sprintf("%s: %s.", c, meaning)
	md := fmt.Sprintf("**%s**: %s.", c, meaning)
	if group != "" {
		text += " Group: " + group + "."
		md += " Group: " + group + "."
	}
	text += " Every code is listed in docs/diagnostics.md of charter's documentation."
	md += " Every code is listed in `docs/diagnostics.md` of charter's documentation."
	r := sarifRule{ID: string(c), ShortDescription: &sarifMessage{Text: meaning}, FullDescription: &sarifMessage{Text: text},
		Help: &sarifHelp{Text: text, Markdown: md}}
	if group != "" {
		r.Properties = &sarifProps{Tags: []string{"charter", group}}
	}
	return r
}

// WriteSARIF writes diagnostics as one SARIF 2.1.0 log for code scanning:
// a rule for every code, a result for every diagnostic with its file
// relative to the repository, and a partial fingerprint that does not
// change when the finding's line moves.
func WriteSARIF(w io.Writer, l List, o SARIFOptions) error {
	rs := rules()
	index := make(map[Code]int, len(rs))
	for i, r := range rs {
		index[Code(r.ID)] = i
	}
	results := make([]sarifResult, 0, len(l))
	fps := Fingerprints(l, o.URIPrefix)
	for j, d := range l {
		i, ok := index[d.Code]
		if !ok {
			i = len(rs)
			rs = append(rs, rule(d.Code))
			index[d.Code] = i
		}
		msg := d.Message
		if d.Hint != "" {
			msg += "\nhint: " + d.Hint
		}
		r := sarifResult{RuleID: string(d.Code), RuleIndex: i, Level: d.Severity.String(), Message: sarifMessage{Text: msg}}
		if loc, ok := location(d.Pos, d.Source, o.URIPrefix); ok {
			r.Locations = []sarifLocation{loc}
		}
		for k, n := range d.Notes {
			if loc, ok := location(n.Pos, "", o.URIPrefix); ok {
				id := k + 1
				loc.ID, loc.Message = &id, &sarifMessage{Text: n.Message}
				r.RelatedLocations = append(r.RelatedLocations, loc)
			}
		}
		r.PartialFingerprints = map[string]string{FingerprintKey: fps[j]}
		results = append(results, r)
	}
	log := sarifLog{
		Schema:  "https://json.schemastore.org/sarif-2.1.0.json",
		Version: "2.1.0",
		Runs: []sarifRun{{
			Tool:       sarifTool{Driver: sarifDriver{Name: "charter", Version: o.ToolVersion, Rules: rs}},
			ColumnKind: "unicodeCodePoints", // yaml.v3 counts columns in characters
			Results:    results,
		}},
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(log)
}

// location is a position as a SARIF location; ok is false for a position
// that names no file (the command line).
func location(p Pos, source, prefix string) (sarifLocation, bool) {
	if !p.IsValid() {
		return sarifLocation{}, false
	}
	loc := sarifLocation{PhysicalLocation: sarifPhysical{ArtifactLocation: sarifArtifact{URI: RepoURI(p.File, prefix)}}}
	if p.Line > 0 {
		reg := &sarifRegion{StartLine: p.Line, StartColumn: p.Col}
		if source != "" {
			reg.Snippet = &sarifMessage{Text: source}
		}
		loc.PhysicalLocation.Region = reg
	}
	return loc, true
}

// RepoURI is a workspace-relative file as a URI relative to the
// repository's top level.
func RepoURI(file, prefix string) string {
	return (&url.URL{Path: prefix + strings.TrimPrefix(file, "./")}).String()
}

var numbers = regexp.MustCompile(`[0-9]+`)

// Fingerprint identifies a finding independently of where its line sits:
// a hash of the code, the repository-relative file, the message with every
// number taken out (messages may cite lines and columns) and the trimmed
// text of the offending line.
func Fingerprint(d Diagnostic, prefix string) string {
	h := sha256.New()
	for _, part := range []string{string(d.Code), prefix + d.Pos.File, numbers.ReplaceAllString(d.Message, "#"), strings.TrimSpace(d.Source)} {
		h.Write([]byte(part))
		h.Write([]byte{0})
	}
	return hex.EncodeToString(h.Sum(nil)[:16])
}
