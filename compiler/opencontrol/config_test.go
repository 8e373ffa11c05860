package opencontrol

import (
	"reflect"
	"strings"
	"testing"

	"github.com/charter-compliance/charter/compiler/diag"
	"github.com/charter-compliance/charter/compiler/model"
)

func TestDecodeConfigChangeManagement(t *testing.T) {
	cfg, ds := DecodeConfig("charter.yaml", []byte(`organization: Acme
audit_period:
  from: 2025-01-01
  to: v2.0.0
change_management:
  branch: main
  require_pull_request: true
  min_approvals: 2
  approval_on_head: false
  require_recorded_reviews: yes
  exceptions:
    - commit: 4be1f2a9c0
      reason: emergency key rotation
      approved_by: CISO
`))
	if len(ds) != 0 {
		t.Fatalf("diagnostics: %v", ds)
	}
	wantPeriod := &model.AuditPeriod{Pos: diag.Pos{File: "charter.yaml", Line: 3, Col: 3}, From: "2025-01-01", To: "v2.0.0",
		FromPos: diag.Pos{File: "charter.yaml", Line: 3, Col: 9}, ToPos: diag.Pos{File: "charter.yaml", Line: 4, Col: 7}}
	if !reflect.DeepEqual(cfg.AuditPeriod, wantPeriod) {
		t.Errorf("audit_period %+v, want %+v", cfg.AuditPeriod, wantPeriod)
	}
	want := &model.ChangeManagement{Pos: diag.Pos{File: "charter.yaml", Line: 6, Col: 3}, Branch: "main", RequirePullRequest: true, MinApprovals: 2,
		IndependentApproval: true, ApprovalOnHead: false, RequireRecordedReviews: true,
		Exceptions: []model.ChangeException{{Pos: diag.Pos{File: "charter.yaml", Line: 12, Col: 7}, Commit: "4be1f2a9c0", Reason: "emergency key rotation", ApprovedBy: "CISO"}}}
	if !reflect.DeepEqual(cfg.ChangeManagement, want) {
		t.Errorf("change_management\n got %+v\nwant %+v", cfg.ChangeManagement, want)
	}
}

func TestDecodeConfigChangeManagementErrors(t *testing.T) {
	for text, msg := range map[string]string{
		"change_management:\n  min_approvals: -1\n":                                                    "charter.yaml:2:18: error[OC102]: change_management.min_approvals must be a whole number of 0 or more",
		"change_management:\n  min_aprovals: 1\n":                                                      `unknown key "min_aprovals" in change_management; did you mean "min_approvals"?`,
		"change_management:\n  exceptions:\n    - commit: abc1234\n":                                   `charter.yaml:3:7: error[OC101]: the exception has no "reason"`,
		"change_management:\n  exceptions:\n    - commit: ''\n      reason: x\n      approved_by: y\n": `the exception has an empty "commit"`,
		"audit_period: 2025\n": "audit_period must be a mapping",
	} {
		_, ds := DecodeConfig("charter.yaml", []byte(text))
		var got []string
		for _, d := range ds {
			got = append(got, d.String())
		}
		if !strings.Contains(strings.Join(got, "\n"), msg) {
			t.Errorf("%q: diagnostics %q, want %q", text, got, msg)
		}
	}
}

func TestDecodeConfigDiagnostics(t *testing.T) {
	cfg, ds := DecodeConfig("charter.yaml", []byte(`diagnostics:
  OC104: {severity: off, reason: legacy keys from the old tool}
  OC307:
    severity: error
    reason: reviews are overdue only by mistake
dependencies:
  fail_on_errors: true
`))
	if len(ds) != 0 {
		t.Fatalf("diagnostics: %v", ds)
	}
	want := []model.DiagnosticSetting{
		{Pos: diag.Pos{File: "charter.yaml", Line: 2, Col: 3}, Code: diag.CodeUnknownKey, Severity: diag.Off, Reason: "legacy keys from the old tool"},
		{Pos: diag.Pos{File: "charter.yaml", Line: 3, Col: 3}, Code: diag.CodeDocReview, Severity: diag.Error, Reason: "reviews are overdue only by mistake"},
	}
	if !reflect.DeepEqual(cfg.Diagnostics, want) {
		t.Errorf("diagnostics\n got %+v\nwant %+v", cfg.Diagnostics, want)
	}
	if !cfg.Dependencies.FailOnErrors {
		t.Error("dependencies.fail_on_errors not read")
	}
}

func TestDecodeConfigDiagnosticsErrors(t *testing.T) {
	for text, msg := range map[string]string{
		"diagnostics:\n  OC104: {severity: off}\n":              `charter.yaml:2:10: error[OC101]: diagnostics.OC104 has no "reason"`,
		"diagnostics:\n  OC104: {severity: off, reason: ' '}\n": `diagnostics.OC104 has an empty "reason"`,
		"diagnostics:\n  OC104: {severity: loud, reason: x}\n":  `charter.yaml:2:21: error[OC109]: diagnostics.OC104 severity "loud" is not error, warning or off`,
		"diagnostics:\n  oc104: {severity: off, reason: x}\n":   `charter.yaml:2:3: error[OC109]: diagnostics names code "oc104", which charter does not have; did you mean "OC104"?`,
		"diagnostics:\n  OC14: {severity: off, reason: x}\n":    `did you mean "OC104"?`,
		"diagnostics:\n  OC104: off\n":                          `diagnostics.OC104 must be a mapping`,
		"dependencies:\n  fail_on_error: true\n":                `unknown key "fail_on_error" in dependencies; did you mean "fail_on_errors"?`,
	} {
		cfg, ds := DecodeConfig("charter.yaml", []byte(text))
		var got []string
		for _, d := range ds {
			got = append(got, d.String())
		}
		if !strings.Contains(strings.Join(got, "\n"), msg) {
			t.Errorf("%q: diagnostics %q, want %q", text, got, msg)
		}
		if len(cfg.Diagnostics) != 0 {
			t.Errorf("%q: a broken setting was kept: %+v", text, cfg.Diagnostics)
		}
	}
}
