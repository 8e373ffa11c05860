package gen

import (
	"math/rand/v2"
	"strings"
)

// The vocabulary below is charter's own invention. Sentences are assembled
// from it so that narratives read like the ones engineers write, vary in
// length and wording, and stay plain enough to be written as YAML block
// scalars without quoting.

type system struct{ key, name, role string }

var systems = []system{
	{"identity-provider", "Workforce identity provider (SSO and MFA)", "IT Operations Lead"},
	{"endpoint-fleet", "Managed laptops and mobile devices", "IT Operations Lead"},
	{"source-control", "Source control and code review", "VP Engineering"},
	{"build-pipeline", "Continuous integration and delivery pipeline", "Platform Engineering Manager"},
	{"infrastructure-code", "Infrastructure as code repositories", "Platform Engineering Manager"},
	{"cloud-accounts", "Cloud provider organisation and accounts", "Director of Platform Engineering"},
	{"kubernetes", "Production Kubernetes clusters", "Platform Engineering Manager"},
	{"service-mesh", "Service mesh and internal TLS", "Platform Engineering Manager"},
	{"api-gateway", "Public API gateway", "API Platform Lead"},
	{"web-frontend", "Customer web application", "Frontend Engineering Lead"},
	{"billing", "Billing and invoicing service", "Payments Engineering Lead"},
	{"payments-api", "Payments API", "Payments Engineering Lead"},
	{"customer-database", "Customer relational database cluster", "Data Platform Lead"},
	{"data-warehouse", "Analytics data warehouse", "Data Platform Lead"},
	{"event-stream", "Event streaming platform", "Data Platform Lead"},
	{"object-storage", "Object storage buckets", "Director of Platform Engineering"},
	{"backup-service", "Backup and restore service", "Site Reliability Lead"},
	{"logging", "Central log pipeline", "Security Operations Lead"},
	{"siem", "Security information and event management", "Security Operations Lead"},
	{"monitoring", "Metrics, alerting and on-call paging", "Site Reliability Lead"},
	{"vulnerability-scanner", "Vulnerability and container image scanning", "Security Engineering Lead"},
	{"secrets-vault", "Secrets management vault", "Security Engineering Lead"},
	{"key-management", "Key management service", "Security Engineering Lead"},
	{"email-gateway", "Email security gateway", "IT Operations Lead"},
	{"hr-system", "Human resources information system", "Head of People"},
	{"ticketing", "Ticketing and change records", "Engineering Operations Manager"},
	{"incident-response", "Incident response programme", "Head of Security"},
	{"vendor-risk", "Vendor risk management", "Compliance Manager"},
	{"governance", "Security governance and risk committee", "Head of Security"},
	{"security-training", "Security awareness training", "Compliance Manager"},
	{"physical-office", "Office facilities and badge access", "Workplace Manager"},
	{"customer-support", "Customer support tooling", "Support Operations Lead"},
	{"dns-cdn", "DNS and content delivery network", "Site Reliability Lead"},
	{"feature-flags", "Feature flag service", "Platform Engineering Manager"},
	{"privacy-office", "Privacy office and data subject requests", "Data Protection Officer"},
}

type evidence struct{ key, name, what string }

var evidences = []evidence{
	{"config-export", "Configuration export", "a weekly export of the live configuration, compared with the approved baseline and signed by the reviewer"},
	{"access-review", "Quarterly access review", "the quarterly review of every account and role, with the owner's sign-off and the tickets that removed access"},
	{"alert-rules", "Alert rules and paging history", "the alert rules in force and a sample of the pages they raised, with acknowledgement times"},
	{"restore-test", "Restore test record", "the record of the last restore test: what was restored, how long it took and who checked the data"},
	{"scan-results", "Vulnerability scan results", "the latest scan report, open findings with their owners and due dates, and the exceptions granted"},
	{"change-log", "Change records", "the change tickets of the period, each linked to its review, approval and deployment"},
	{"training-records", "Training completion records", "completion records of the assigned courses, with reminders sent to people who were late"},
	{"log-retention", "Log retention settings", "the retention and immutability settings of the log archive and a query proving old events are still present"},
	{"encryption-report", "Encryption coverage report", "a report listing every data store with its encryption setting and the key that protects it"},
	{"incident-drill", "Incident drill report", "the report of the last tabletop exercise, the gaps it found and the actions opened to close them"},
	{"dependency-audit", "Dependency audit", "the software bill of materials and the licence and vulnerability audit of third-party packages"},
	{"policy-acknowledgement", "Policy acknowledgements", "signed acknowledgements of the policies that apply to the team, collected at hire and every year"},
}

var (
	actors = []string{
		"The owning team", "The platform team", "Security engineering", "The on-call engineer",
		"Each service owner", "The change advisory group", "Automation in the delivery pipeline",
		"The compliance manager", "Site reliability engineering", "The security operations analyst",
	}
	actions = []string{
		"enforces multi-factor authentication for every administrative session",
		"reviews access grants every quarter and removes stale accounts within two business days",
		"records every production change in a ticket that links the review and the deployment",
		"keeps configuration in version control and rejects changes that skip peer review",
		"encrypts data at rest with keys held in the key management service",
		"forwards audit events to the central log pipeline, where they are kept for a year",
		"scans images and dependencies on every build and blocks releases with critical findings",
		"tests restores from backup every month and records the recovery time achieved",
		"rotates credentials automatically and alerts when a secret is older than its policy allows",
		"pages the on-call engineer when an alert fires and tracks the response in the incident tool",
		"limits network paths to the ports and peers named in the approved architecture",
		"documents the purpose of every system account and reviews it with the system owner",
		"applies operating system patches within the window the vulnerability policy sets",
		"checks new vendors against the security questionnaire before a contract is signed",
		"trains new joiners in their first week and repeats the training every year",
		"compares the live configuration with the approved baseline and reports any drift",
	}
	tails = []string{
		"across all production accounts",
		"for the systems in scope of this component",
		"as described in the runbook kept beside the code",
		"and the results are attached to the control's evidence folder",
		"with exceptions approved by the security lead and reviewed every ninety days",
		"so that auditors can sample any week of the period",
		"using the same tooling in staging and production",
		"and a dashboard shows the current state to the whole engineering organisation",
	}
	closers = []string{
		"Exceptions are recorded in the risk register and expire after ninety days.",
		"Evidence is exported each month to the audit evidence bucket, which is write-once.",
		"The control owner reviews the results and opens tickets for anything outside tolerance.",
		"Gaps found during the last review are tracked to closure in the ticketing system.",
		"This has been in place for the whole audit period without a reported failure.",
		"The procedure is rehearsed twice a year and the runbook updated after each rehearsal.",
	}
	paramTexts = []string{
		"90 days", "quarterly", "annually", "24 hours", "the Security Operations Lead",
		"five consecutive failed attempts", "15 minutes of inactivity", "AES-256", "one year", "two business days",
	}
	refNames = []string{"Runbook", "Architecture decision record", "Configuration baseline", "Team handbook page", "Dashboard"}
)

// sentence makes one sentence about a control of a component.
func sentence(r *rand.Rand, comp, control string) string {
	var b strings.Builder
	actor := pick(r, actors)
	switch r.IntN(3) {
	case 0:
		b.WriteString(actor)
	case 1:
		b.WriteString("For " + control + ", " + lowerFirst(actor))
	default:
		b.WriteString("Within " + comp + ", " + lowerFirst(actor))
	}
	b.WriteString(" " + pick(r, actions))
	if r.IntN(2) == 0 {
		b.WriteString(" " + pick(r, tails))
	}
	b.WriteString(".")
	if r.IntN(3) == 0 {
		b.WriteString(" " + pick(r, closers))
	}
	return b.String()
}

// paragraph returns text of between lo and hi characters made of whole
// sentences (lo <= hi; the sentences are shorter than hi-lo).
func paragraph(r *rand.Rand, lo, hi int, comp, control string) string {
	target := lo + r.IntN(hi-lo+1)
	var parts []string
	n := 0
	for n < target {
		s := sentence(r, comp, control)
		if n > 0 && n+1+len(s) > hi {
			if n >= lo {
				break
			}
			continue
		}
		if n > 0 {
			n++
		}
		parts = append(parts, s)
		n += len(s)
	}
	return strings.Join(parts, " ")
}

func lowerFirst(s string) string { return strings.ToLower(s[:1]) + s[1:] }

func pick[T any](r *rand.Rand, list []T) T { return list[r.IntN(len(list))] }

// wrap breaks text into lines of at most width characters at spaces.
func wrap(text string, width int) []string {
	var lines []string
	for len(text) > width {
		cut := strings.LastIndexByte(text[:width+1], ' ')
		if cut <= 0 {
			cut = strings.IndexByte(text, ' ')
			if cut < 0 {
				break
			}
		}
		lines = append(lines, text[:cut])
		text = text[cut+1:]
	}
	return append(lines, text)
}
