package opencontrol

import (
	"fmt"
	"slices"
	"strconv"
	"strings"

	"gopkg.in/yaml.v3"

	"github.com/charter-compliance/charter/compiler/diag"
	"github.com/charter-compliance/charter/compiler/model"
)

var configKeys = []string{"organization", "gate", "documents", "repository_url", "versions", "unsafe_html", "theme", "strict", "gate_requires_closed_claims", "evidence", "audit_period", "change_management", "diagnostics", "dependencies"}

var evidenceKeys = []string{"max_age", "stale"}

var (
	diagnosticKeys       = []string{"severity", "reason"}
	configDependencyKeys = []string{"fail_on_errors"}
)

var (
	periodKeys    = []string{"from", "to"}
	changeKeys    = []string{"branch", "require_pull_request", "min_approvals", "independent_approval", "approval_on_head", "require_recorded_reviews", "exceptions", "sample_seed", "sample_size"}
	exceptionKeys = []string{"commit", "reason", "approved_by"}
)

// DefaultDocuments is where policies and procedures live when charter.yaml
// says nothing.
var DefaultDocuments = []string{"templates"}

// DecodeConfig decodes charter.yaml, charter's own settings.
func DecodeConfig(rel string, text []byte) (model.Config, diag.List) {
	cfg := model.Config{Pos: diag.Pos{File: rel}, Present: true, Documents: DefaultDocuments}
	f := parseYAML(rel, text)
	defer f.done()
	root := f.root("", "")
	if root == nil {
		return cfg, f.List
	}
	f.fields(root, "charter.yaml", configKeys, func(key string, _, v *yaml.Node) {
		switch key {
		case "organization":
			cfg.Organization, _ = f.str(v, key)
		case "gate":
			cfg.Gate = nil
			for _, n := range f.strOrList(v, key) {
				cfg.Gate = append(cfg.Gate, model.Ref{Name: n.Value, Pos: f.pos(n)})
			}
		case "documents":
			var dirs []string
			for _, n := range f.strOrList(v, key) {
				dirs = append(dirs, n.Value)
			}
			cfg.Documents = dirs
			cfg.DocumentsPos = f.pos(v)
		case "repository_url":
			cfg.RepositoryURL, _ = f.str(v, key)
		case "versions":
			cfg.Versions, _ = f.str(v, key)
		case "unsafe_html":
			cfg.UnsafeHTML, _ = f.boolean(v, key)
		case "theme":
			cfg.Theme, _ = f.str(v, key)
		case "strict":
			cfg.Strict, _ = f.boolean(v, key)
		case "gate_requires_closed_claims":
			cfg.GateRequiresClosedClaims, _ = f.boolean(v, key)
		case "evidence":
			cfg.Evidence = f.evidence(v)
		case "audit_period":
			cfg.AuditPeriod = f.auditPeriod(v)
		case "change_management":
			cfg.ChangeManagement = f.changeManagement(v)
		case "diagnostics":
			cfg.Diagnostics = f.diagnostics(v)
		case "dependencies":
			f.fields(v, "dependencies", configDependencyKeys, func(key string, _, v *yaml.Node) {
				cfg.Dependencies.FailOnErrors, _ = f.boolean(v, "dependencies."+key)
			})
		}
	})
	if f.blown {
		// the alias budget ran out: use none of the half-read settings
		return model.Config{Pos: cfg.Pos, Present: true, Documents: DefaultDocuments}, f.List
	}
	return cfg, f.List
}

// evidence decodes charter.yaml's evidence: {max_age: 90d, stale: warn|downgrade}.
func (f *yamlFile) evidence(n *yaml.Node) model.EvidenceConfig {
	ev := model.EvidenceConfig{Pos: f.pos(n)}
	f.fields(n, "evidence", evidenceKeys, func(key string, _, v *yaml.Node) {
		s, ok := f.str(v, key)
		if !ok {
			return
		}
		switch key {
		case "max_age":
			age, ok := model.ParseAge(s)
			if !ok {
				f.Errorf(diag.CodeValue, v.Line, v.Column, "evidence max_age %q is not an age", s).
					Hint = "write a number of days, weeks, months or years: 90d, 12w, 6m, 1y"
				return
			}
			ev.MaxAge, ev.MaxAgePos = age, f.pos(v)
		case "stale":
			switch s {
			case "warn":
			case "downgrade":
				ev.Downgrade = true
			default:
				f.Errorf(diag.CodeValue, v.Line, v.Column, "evidence stale %q is not warn or downgrade", s).
					Hint = "stale: warn reports old verifications; stale: downgrade also counts what they cover as partial"
			}
		}
	})
	return ev
}

// diagnostics decodes charter.yaml's diagnostics: a mapping from a code
// to {severity: error|warning|off, reason: why}. The reason is required,
// so that a code turned down says why in review.
func (f *yamlFile) diagnostics(n *yaml.Node) []model.DiagnosticSetting {
	var out []model.DiagnosticSetting
	codes := make([]string, 0, len(diag.Description))
	for c := range diag.Description {
		codes = append(codes, string(c))
	}
	slices.Sort(codes)
	f.fields(n, "diagnostics", nil, func(code string, k, v *yaml.Node) {
		if _, ok := diag.Description[diag.Code(code)]; !ok {
			d := f.Errorf(diag.CodeValue, k.Line, k.Column, "diagnostics names code %q, which charter does not have", code)
			if s := diag.SuggestID(code, codes); s != "" {
				d.Message += fmt.Sprintf("; did you mean %q?", s)
			} else if s := diag.Suggest(code, codes); s != "" {
				d.Message += fmt.Sprintf("; did you mean %q?", s)
			} else {
				d.Hint = "docs/diagnostics.md lists every code (OC001, OC104, ...)"
			}
			return
		}
		set := model.DiagnosticSetting{Pos: f.pos(k), Code: diag.Code(code)}
		have := map[string]bool{}
		ok := f.fields(v, "diagnostics."+code, diagnosticKeys, func(key string, _, v *yaml.Node) {
			have[key] = true
			switch key {
			case "severity":
				s := f.requiredStr(v, "diagnostics."+code, key)
				sev, ok := diag.ParseSeverity(s)
				if !ok && strings.TrimSpace(s) != "" {
					f.Errorf(diag.CodeValue, v.Line, v.Column, "diagnostics.%s severity %q is not error, warning or off", code, s).
						Hint = "severity: error fails check, warning reports, off hides the code"
				}
				set.Severity = sev
			case "reason":
				set.Reason = strings.TrimSpace(f.requiredStr(v, "diagnostics."+code, key))
			}
		})
		if v = f.resolve(v); !ok || v == nil || v.Kind != yaml.MappingNode {
			if ok && v != nil && v.Kind != yaml.MappingNode {
				f.typeError(v, "diagnostics."+code, "a mapping with severity and reason")
			}
			return
		}
		f.required(v, "diagnostics."+code, have, diagnosticKeys...)
		if set.Severity != 0 && set.Reason != "" {
			out = append(out, set)
		}
	})
	return out
}

// auditPeriod decodes audit_period: {from: DATE|REV, to: DATE|REV}.
func (f *yamlFile) auditPeriod(v *yaml.Node) *model.AuditPeriod {
	p := &model.AuditPeriod{Pos: f.pos(v)}
	f.fields(v, "audit_period", periodKeys, func(key string, _, v *yaml.Node) {
		s, _ := f.str(v, "audit_period."+key)
		if key == "from" {
			p.From, p.FromPos = s, f.pos(v)
		} else {
			p.To, p.ToPos = s, f.pos(v)
		}
	})
	return p
}

// changeManagement decodes change_management. Independent approval and
// approval on the head commit are on unless turned off.
func (f *yamlFile) changeManagement(v *yaml.Node) *model.ChangeManagement {
	cm := &model.ChangeManagement{Pos: f.pos(v), IndependentApproval: true, ApprovalOnHead: true}
	f.fields(v, "change_management", changeKeys, func(key string, _, v *yaml.Node) {
		field := "change_management." + key
		switch key {
		case "branch":
			cm.Branch, _ = f.str(v, field)
		case "require_pull_request":
			cm.RequirePullRequest, _ = f.boolean(v, field)
		case "min_approvals":
			cm.MinApprovals = f.count(v, field)
		case "independent_approval":
			cm.IndependentApproval, _ = f.boolean(v, field)
		case "approval_on_head":
			cm.ApprovalOnHead, _ = f.boolean(v, field)
		case "require_recorded_reviews":
			cm.RequireRecordedReviews, _ = f.boolean(v, field)
		case "sample_seed":
			cm.SampleSeed, _ = f.str(v, field)
		case "sample_size":
			cm.SampleSize = f.count(v, field)
		case "exceptions":
			f.list(v, field, func(item *yaml.Node) {
				e := model.ChangeException{Pos: f.pos(item)}
				have := map[string]bool{}
				f.fields(item, "an exception", exceptionKeys, func(key string, _, v *yaml.Node) {
					have[key] = true
					switch key {
					case "commit":
						e.Commit = f.requiredStr(v, "the exception", key)
					case "reason":
						e.Reason = f.requiredStr(v, "the exception", key)
					case "approved_by":
						e.ApprovedBy = f.requiredStr(v, "the exception", key)
					}
				})
				if item.Kind == yaml.MappingNode {
					f.required(item, "the exception", have, exceptionKeys...)
					cm.Exceptions = append(cm.Exceptions, e)
				}
			})
		}
	})
	return cm
}

// count reads a whole number of at least zero.
func (f *yamlFile) count(n *yaml.Node, field string) int {
	if n = f.resolve(n); n == nil {
		return 0
	}
	if n.Kind == yaml.ScalarNode {
		if i, err := strconv.Atoi(n.Value); err == nil && i >= 0 {
			return i
		}
	}
	f.typeError(n, field, "a whole number of 0 or more")
	return 0
}
