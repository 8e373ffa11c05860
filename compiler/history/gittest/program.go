package gittest

import (
	"strings"
	"testing"
)

// People who commit to the test programs.
var (
	Alice = Person{Name: "Alice Adams", Email: "alice@example.com"}
	Bob   = Person{Name: "Bob Brown", Email: "bob@example.com"}
	Carol = Person{Name: "Carol Chen", Email: "carol@example.com"}
	Dave  = Person{Name: "Dave Diaz", Email: "dave@example.com"}
)

// Program is a small compliance repository with two releases:
//
//   - v1.0.0: CC6.1 partial (okta), CC6.2 and CC8.1 satisfied (okta, vpn);
//     policies POL-ACCESS (policies/access.md) and POL-OLD, and the draft
//     procedure PRO-DEPLOY. Built from a first commit by Alice and the merge
//     of pull request #12 (Carol's branch) by Dave.
//   - v1.1.0, the squash merge "Tighten access reviews (#34)" by Alice: okta
//     completes CC6.1 (narrative a reworded, narrative b added), the vpn
//     component is replaced by github (CC8.1 only planned), the availability
//     certification (A1.2, unmet) is added, POL-ACCESS moves to
//     policies/access-control.md with a new owner and a changed line, POL-OLD
//     is removed, PRO-DEPLOY is approved (effective from June, so only
//     planned) and PRO-NEW added.
//
// The working tree is left clean at v1.1.0.
type Program struct {
	*Repo
	First, Merge, Squash string // commit hashes
}

// NewProgram builds the program in a new repository.
func NewProgram(t testing.TB) *Program {
	t.Helper()
	r := New(t)
	p := &Program{Repo: r}
	for name, text := range programV1 {
		r.Write(name, text)
	}
	p.First = r.Commit(Alice, Day(2024, 1, 10, 9), "Start the SOC 2 program")

	r.Git("checkout", "-q", "-b", "feature")
	r.Write("components/okta/component.yaml", strings.Replace(programV1["components/okta/component.yaml"],
		"Okta is the identity provider.", "Okta is the single identity provider.", 1))
	r.Commit(Carol, Day(2024, 2, 10, 11), "Name Okta the single identity provider")
	r.Git("checkout", "-q", "main")
	p.Merge = r.Merge("feature", Dave, Day(2024, 2, 15, 14), "Merge pull request #12 from acme/feature", "Name Okta the single identity provider")
	r.Tag("v1.0.0", Dave, Day(2024, 2, 15, 15), "")

	r.Git("mv", "policies/access.md", "policies/access-control.md")
	r.Remove("policies/old.md")
	r.Remove("components/vpn/component.yaml")
	for name, text := range programV2 {
		r.Write(name, text)
	}
	p.Squash = r.Commit(Alice, Day(2024, 3, 1, 16), "Tighten access reviews (#34)")
	r.Tag("v1.1.0", Alice, Day(2024, 3, 1, 17), "Release 1.1.0")
	return p
}

var programV1 = map[string]string{
	"opencontrol.yaml": `schema_version: "1.0.0"
name: mini
components:
  - ./components/okta
  - ./components/vpn
standards:
  - ./standards/TSC.yaml
certifications:
  - ./certifications/soc2-security.yaml
`,
	"charter.yaml": "organization: Mini Corp\ndocuments: [policies, procedures]\nrepository_url: https://github.com/acme/mini\n",
	"standards/TSC.yaml": `name: TSC
CC6.1:
  family: CC6
  name: Logical access security
CC6.2:
  family: CC6
  name: User registration
CC8.1:
  family: CC8
  name: Change management
A1.2:
  family: A1
  name: Backups and recovery infrastructure
`,
	"certifications/soc2-security.yaml": `name: soc2-security
standards:
  TSC:
    CC6.1: {}
    CC6.2: {}
    CC8.1: {}
`,
	"components/okta/component.yaml": `name: Okta
key: okta
schema_version: 3.1.0
satisfies:
  - standard_key: TSC
    control_key: CC6.1
    narrative:
      - key: a
        text: Okta is the identity provider. Every user signs in with multi-factor authentication.
    implementation_status: partial
  - standard_key: TSC
    control_key: CC6.2
    narrative:
      - text: Accounts are created from the HR system on the start date.
    implementation_status: complete
`,
	"components/vpn/component.yaml": `name: Legacy VPN
key: vpn
schema_version: 3.1.0
satisfies:
  - standard_key: TSC
    control_key: CC8.1
    narrative:
      - text: Changes to the VPN configuration are reviewed by a second engineer.
    implementation_status: complete
`,
	"policies/access.md": `---
id: POL-ACCESS
title: Access Control Policy
kind: policy
owner: IT Lead
approvers: [CTO]
status: approved
effective: 2024-01-01
review_cycle: annual
satisfies:
  TSC: [CC6.2]
---

# Access Control Policy

1. Access follows least privilege.
2. Access is reviewed every quarter.
3. Leavers lose access on their last day.
`,
	"policies/old.md": `---
id: POL-OLD
title: Old Remote Access Policy
kind: policy
owner: IT Lead
approvers: [CTO]
status: approved
effective: 2023-01-01
review_cycle: annual
satisfies:
  TSC: [CC6.2]
---

# Old Remote Access Policy

Remote access goes through the VPN.
`,
	"procedures/deploy.md": `---
id: PRO-DEPLOY
title: Deploy a Change
kind: procedure
owner: Engineering Manager
status: draft
effective: 2024-06-01
review_cycle: annual
satisfies:
  TSC: [CC8.1]
---

# Deploy a Change

1. Open a pull request.
2. Merge after review.
`,
}

var programV2 = map[string]string{
	"opencontrol.yaml": `schema_version: "1.0.0"
name: mini
components:
  - ./components/okta
  - ./components/github
standards:
  - ./standards/TSC.yaml
certifications:
  - ./certifications/soc2-security.yaml
  - ./certifications/soc2-availability.yaml
`,
	"certifications/soc2-availability.yaml": `name: soc2-availability
standards:
  TSC:
    A1.2: {}
`,
	"components/okta/component.yaml": `name: Okta
key: okta
schema_version: 3.1.0
satisfies:
  - standard_key: TSC
    control_key: CC6.1
    narrative:
      - key: a
        text: Okta is the single identity provider. Every user signs in with a hardware security key.
      - key: b
        text: Sessions expire after twelve hours.
    implementation_status: complete
  - standard_key: TSC
    control_key: CC6.2
    narrative:
      - text: Accounts are created from the HR system on the start date.
    implementation_status: complete
`,
	"components/github/component.yaml": `name: GitHub
key: github
schema_version: 3.1.0
satisfies:
  - standard_key: TSC
    control_key: CC8.1
    narrative:
      - text: Branch protection will require one approving review.
    implementation_status: planned
`,
	"policies/access-control.md": `---
id: POL-ACCESS
title: Access Control Policy
kind: policy
owner: Security Lead
approvers: [CTO]
status: approved
effective: 2024-01-01
review_cycle: annual
satisfies:
  TSC: [CC6.2]
---

# Access Control Policy

1. Access follows least privilege.
2. Access is reviewed every month.
3. Leavers lose access on their last day.
`,
	"procedures/deploy.md": `---
id: PRO-DEPLOY
title: Deploy a Change
kind: procedure
owner: Engineering Manager
approvers: [CTO]
status: approved
effective: 2024-06-01
review_cycle: annual
satisfies:
  TSC: [CC8.1]
---

# Deploy a Change

1. Open a pull request.
2. Merge after review.
`,
	"procedures/new.md": `---
id: PRO-NEW
title: Review Access
kind: procedure
owner: Security Lead
approvers: [CTO]
status: approved
effective: 2024-03-01
review_cycle: quarterly
satisfies:
  TSC: [CC6.2]
---

# Review Access

Export the user list and sign it off.
`,
}
