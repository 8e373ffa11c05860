package diag

import (
	"bytes"
	"cmp"
	"encoding/json"
	"fmt"
	"io"
	"slices"
)

// BaselineVersion is the format of the baseline file charter writes.
const BaselineVersion = 1

// Baseline lists findings a repository has accepted for now, so that a
// check fails only on new ones. A finding is known by its code, its file
// and its fingerprint (see Fingerprints), which does not change when lines
// above it are added or removed.
type Baseline struct {
	Version  int             `json:"version"`
	Findings []BaselineEntry `json:"findings"`
}

// BaselineEntry is one accepted finding. Severity and Message are for the
// reader; matching ignores them.
type BaselineEntry struct {
	Code        Code     `json:"code"`
	File        string   `json:"file"`
	Fingerprint string   `json:"fingerprint"`
	Severity    Severity `json:"severity"`
	Message     string   `json:"message"`
}

func (e BaselineEntry) key() string { return string(e.Code) + "\x00" + e.File + "\x00" + e.Fingerprint }

// NewBaseline records every finding of l; prefix is as Fingerprints'.
func NewBaseline(l List, prefix string) Baseline {
	fps := Fingerprints(l, prefix)
	b := Baseline{Version: BaselineVersion, Findings: make([]BaselineEntry, len(l))}
	for i, d := range l {
		b.Findings[i] = BaselineEntry{Code: d.Code, File: d.Pos.File, Fingerprint: fps[i], Severity: d.Severity, Message: d.Message}
	}
	slices.SortFunc(b.Findings, func(x, y BaselineEntry) int {
		return cmp.Or(cmp.Compare(x.File, y.File), cmp.Compare(x.Code, y.Code), cmp.Compare(x.Fingerprint, y.Fingerprint))
	})
	return b
}

// Write writes the baseline as indented JSON, sorted by file, code and
// fingerprint, so that two runs on one tree write the same bytes.
func (b Baseline) Write(w io.Writer) error {
	if b.Findings == nil {
		b.Findings = []BaselineEntry{}
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(b)
}

// ReadBaseline reads a baseline file; name is for messages.
func ReadBaseline(name string, data []byte) (Baseline, error) {
	var b Baseline
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&b); err != nil {
		return Baseline{}, fmt.Errorf("baseline %s is not a charter baseline: %v; write one with `charter baseline --out %s`", name, err, name)
	}
	if b.Version != BaselineVersion {
		return Baseline{}, fmt.Errorf("baseline %s has version %d; this charter reads version %d: write it again with `charter baseline --out %s`", name, b.Version, BaselineVersion, name)
	}
	return b, nil
}

// UnmarshalText reads a severity word, for baseline files.
func (s *Severity) UnmarshalText(text []byte) error {
	v, ok := ParseSeverity(string(text))
	if !ok {
		return fmt.Errorf("severity %q is not error, warning or off", text)
	}
	*s = v
	return nil
}

// Filter returns the findings of l the baseline does not hold, and how
// many it held. prefix is as Fingerprints'.
func (b Baseline) Filter(l List, prefix string) (List, int) {
	known := make(map[string]bool, len(b.Findings))
	for _, e := range b.Findings {
		known[e.key()] = true
	}
	fps := Fingerprints(l, prefix)
	out := make(List, 0, len(l))
	for i, d := range l {
		if known[BaselineEntry{Code: d.Code, File: d.Pos.File, Fingerprint: fps[i]}.key()] {
			continue
		}
		out = append(out, d)
	}
	return out, len(l) - len(out)
}
