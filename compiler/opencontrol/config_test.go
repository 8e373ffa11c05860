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
