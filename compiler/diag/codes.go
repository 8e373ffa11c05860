package diag

// Code is a stable diagnostic code. Codes never change meaning once shipped;
// tools and CI configurations may match on them.
type Code string

// File and YAML level problems.
const (
	CodeRead        Code = "OC001" // the file cannot be read
	CodeSyntax      Code = "OC002" // YAML syntax error
	CodeEncoding    Code = "OC003" // the file is not UTF-8
	CodeTooLarge    Code = "OC004" // the file exceeds the size limit
	CodeAliases     Code = "OC005" // YAML aliases expand beyond the limit
	CodeEmpty       Code = "OC006" // the file holds no YAML document
	CodeDuplicate   Code = "OC007" // a mapping key appears twice
	CodeTab         Code = "OC008" // a tab used for indentation
	CodeExtraDocs   Code = "OC009" // more YAML documents than the file kind allows
	CodeSymlink     Code = "OC010" // a symbolic link leads outside the repository
	CodePathEscapes Code = "OC011" // a path from YAML leaves the repository
	CodeNotFound    Code = "OC012" // a path from YAML names nothing
)

// Schema problems: the shape of a single file.
const (
	CodeMissing         Code = "OC101" // a required field is missing
	CodeType            Code = "OC102" // a value has the wrong type
	CodeSchemaVersion   Code = "OC103" // unknown schema_version
	CodeUnknownKey      Code = "OC104" // a key the schema does not define
	CodeEmptyText       Code = "OC105" // an empty narrative
	CodeStatus          Code = "OC106" // an implementation status outside the known set
	CodeStatusGuess     Code = "OC107" // a status charter maps by a guess
	CodeOrigin          Code = "OC108" // a control origin outside the known set
	CodeValue           Code = "OC109" // a value of the right type but not allowed
	CodeMixedNarratives Code = "OC110" // keyed and unkeyed narratives in one satisfaction
)

// Reference problems: links between files.
const (
	CodeUnknownStandard     Code = "OC201" // a satisfaction names an unknown standard
	CodeUnknownControl      Code = "OC202" // a satisfaction names a control its standard lacks
	CodeCertStandard        Code = "OC203" // a certification names an unknown standard
	CodeCertControl         Code = "OC204" // a certification names a control its standard lacks
	CodeCoveredComponent    Code = "OC205" // covered_by names an unknown component
	CodeCoveredVerification Code = "OC206" // covered_by names an unknown verification
	CodeDupComponent        Code = "OC207" // two components share a key
	CodeDupStandard         Code = "OC208" // two standards share a name
	CodeDupSatisfaction     Code = "OC209" // a component satisfies a control twice
	CodeRemoteDependency    Code = "OC210" // a git dependency that has not been fetched
	CodeDupCertification    Code = "OC211" // two certifications share a name
	CodeDupNarrativeKey     Code = "OC212" // two narratives of one satisfaction share a key
	CodeDupVerification     Code = "OC213" // two verifications of one component share a key
	CodeGateUnknown         Code = "OC214" // charter.yaml gates a certification that does not exist
	CodeDependencyCycle     Code = "OC215" // dependencies lead back to a manifest that lists them
	CodeDupParameterKey     Code = "OC216" // two parameters of one satisfaction share a key
	// OC220 leaves room for the 21x codes of other reference problems.
	CodeCoveredSystem Code = "OC220" // covered_by names a system that is not loaded
)

// Policy and procedure problems.
const (
	CodeFrontMatter   Code = "OC301" // missing or malformed front matter
	CodeDocDate       Code = "OC302" // a date that is not YYYY-MM-DD
	CodeDocOwner      Code = "OC303" // an approved document without an owner
	CodeDocApprover   Code = "OC304" // an approved document without approvers
	CodeDocDuplicate  Code = "OC305" // two documents share an id
	CodeDocTemplate   Code = "OC306" // a template action fails
	CodeDocReview     Code = "OC307" // a document is past its review date
	CodeDocClaim      Code = "OC308" // a document claims an unknown standard or control
	CodeDocNotInForce Code = "OC309" // an approved document whose effective date lies ahead
)

// Evidence problems: claims that do not hold up.
const (
	CodeNAWithoutReason  Code = "OC401" // a not-applicable claim that does not say why
	CodePlaceholder      Code = "OC402" // a narrative that is a placeholder (TBD, TODO, the control's title)
	CodeFailedTest       Code = "OC403" // a verification whose test did not pass
	CodeStaleEvidence    Code = "OC404" // a verification last run longer ago than evidence max_age
	CodeEvidenceNotFound Code = "OC405" // a local path of a verification or reference names nothing
	CodeLastRunDate      Code = "OC406" // a last_run that is not a date, so its age cannot be judged
	CodeEvidenceTooLarge Code = "OC407" // a verification's evidence file too large to publish on the site
)

// Change management problems: charter.yaml's change_management rules
// broken by a change of the audit period (see docs/changes.md).
const (
	CodeChangeNoPR          Code = "OC501" // a change reached the branch without a pull request
	CodeChangeUnapproved    Code = "OC502" // fewer approvals count than min_approvals
	CodeChangeSelfApproved  Code = "OC503" // only the pull request's author approved it
	CodeChangeStaleApproval Code = "OC504" // the approval was of an earlier head commit
	CodeChangeUnrecorded    Code = "OC505" // no recorded reviews for the pull request
	CodeChangeLedger        Code = "OC506" // a review ledger note cannot be read
	CodeChangePeriod        Code = "OC507" // the audit period or change rules cannot be applied
)

// Coverage against a base: check --against REF.
const (
	CodeRegressed Code = "OC601" // a criterion's verdict is worse than at the base revision
)

// Description gives a one-line meaning for every code, for `charter codes`
// and documentation.
var Description = map[Code]string{
	CodeRead:                "the file cannot be read",
	CodeSyntax:              "YAML syntax error",
	CodeEncoding:            "the file is not valid UTF-8",
	CodeTooLarge:            "the file exceeds the size limit",
	CodeAliases:             "YAML aliases expand beyond the limit",
	CodeEmpty:               "the file holds no YAML document",
	CodeDuplicate:           "a mapping key appears twice",
	CodeTab:                 "a tab is used for indentation",
	CodeExtraDocs:           "more YAML documents than the file kind allows",
	CodeSymlink:             "a symbolic link leads outside the repository",
	CodePathEscapes:         "a path leaves the repository",
	CodeNotFound:            "a path names nothing",
	CodeMissing:             "a required field is missing",
	CodeType:                "a value has the wrong type",
	CodeSchemaVersion:       "unknown schema_version",
	CodeUnknownKey:          "a key the schema does not define",
	CodeEmptyText:           "an empty narrative",
	CodeStatus:              "an implementation status outside the known set",
	CodeStatusGuess:         "an implementation status charter maps by a guess",
	CodeOrigin:              "a control origin outside the known set",
	CodeValue:               "a value that is not allowed",
	CodeMixedNarratives:     "keyed and unkeyed narratives in one satisfaction",
	CodeUnknownStandard:     "a satisfaction names an unknown standard",
	CodeUnknownControl:      "a satisfaction names a control its standard does not have",
	CodeCertStandard:        "a certification names an unknown standard",
	CodeCertControl:         "a certification names a control its standard does not have",
	CodeCoveredComponent:    "covered_by names an unknown component",
	CodeCoveredVerification: "covered_by names an unknown verification",
	CodeDupComponent:        "two components share a key",
	CodeDupStandard:         "two standards share a name",
	CodeDupSatisfaction:     "a component satisfies the same control twice",
	CodeRemoteDependency:    "a git dependency has not been fetched",
	CodeDupCertification:    "two certifications share a name",
	CodeDupNarrativeKey:     "two narratives of one satisfaction share a key",
	CodeDupVerification:     "two verifications of one component share a key",
	CodeGateUnknown:         "charter.yaml gates a certification that does not exist",
	CodeDependencyCycle:     "dependencies lead back to a manifest that lists them",
	CodeDupParameterKey:     "two parameters of one satisfaction share a key",
	CodeCoveredSystem:       "covered_by names a system that is not loaded",
	CodeFrontMatter:         "missing or malformed front matter",
	CodeDocDate:             "a date that is not YYYY-MM-DD",
	CodeDocOwner:            "an approved document has no owner",
	CodeDocApprover:         "an approved document has no approvers",
	CodeDocDuplicate:        "two documents share an id",
	CodeDocTemplate:         "a template action fails",
	CodeDocReview:           "a document is past its review date",
	CodeDocClaim:            "a document claims an unknown standard or control",
	CodeDocNotInForce:       "an approved document whose effective date has not been reached",
	CodeNAWithoutReason:     "a not-applicable claim that does not say why",
	CodePlaceholder:         "a narrative that is a placeholder, not an explanation",
	CodeFailedTest:          "a verification whose test did not pass",
	CodeStaleEvidence:       "a verification last run longer ago than evidence max_age allows",
	CodeEvidenceNotFound:    "a local path of a verification or reference names nothing in the repository",
	CodeLastRunDate:         "a verification's last_run is not a date",
	CodeEvidenceTooLarge:    "a verification's evidence file is too large to publish on the site",
	CodeChangeNoPR:          "a change reached the branch without a pull request",
	CodeChangeUnapproved:    "fewer approvals count than change_management's min_approvals",
	CodeChangeSelfApproved:  "a pull request approved only by its own author",
	CodeChangeStaleApproval: "an approval of an earlier head commit, not the merged one",
	CodeChangeUnrecorded:    "a pull request whose reviews were not recorded",
	CodeChangeLedger:        "a review ledger note cannot be read",
	CodeChangePeriod:        "the audit period or the change_management rules cannot be applied",
	CodeRegressed:           "a criterion's verdict is worse than at the revision check --against compares with",
}
