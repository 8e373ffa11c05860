package diag_test

import (
	"testing"

	"github.com/charter-compliance/charter/compiler/diag"
)

var satisfactionKeys = []string{"standard_key", "control_key", "narrative", "implementation_status", "covered_by", "parameters", "control_origin", "implementation_statuses", "control_origins", "references"}

func TestSuggest(t *testing.T) {
	for _, tc := range []struct {
		word       string
		candidates []string
		want       string
	}{
		// one edit: the nearer key wins, even when another is also close
		{"implementation_statuss", satisfactionKeys, "implementation_status"},
		// real typo from docker/compliance DTR: two edits from the plural
		{"implementation_statuess", satisfactionKeys, "implementation_statuses"},
		{"standard_keys", satisfactionKeys, "standard_key"},
		{"controlkey", satisfactionKeys, "control_key"},
		{"covered-by", satisfactionKeys, "covered_by"},
		// neighbours swapped count as one edit
		{"nmae", []string{"name", "key"}, "name"},
		{"DMEO", []string{"DEMO", "TSC"}, "DEMO"},
		{"NIST-801-53", []string{"NIST-800-53", "PCI-DSS"}, "NIST-800-53"},
		// ASCII case does not count
		{"NAME", []string{"name"}, "name"},
		{"Narrative", satisfactionKeys, "narrative"},
		// long words (more than 10 runes) may be three edits away
		{"implementaton_stats", satisfactionKeys, "implementation_status"},
		// ties go to the alphabetically first candidate
		{"AC-3", []string{"AC-2", "AC-1"}, "AC-1"},
		// short words (3 runes or fewer) allow a single edit
		{"kye", []string{"key"}, "key"},
		{"ky", []string{"key"}, "key"},

		// too far
		{"description", satisfactionKeys, ""},
		{"satisfy", []string{"id", "title", "satisfies", "status"}, ""},
		{"ab", []string{"cd"}, ""},
		{"xyz", []string{"key"}, ""},
		{"implementation", satisfactionKeys, ""},
		{"lol", []string{"name", "key", "system"}, ""},
		{"anything", nil, ""},
		{"", []string{"name"}, ""},
	} {
		if got := diag.Suggest(tc.word, tc.candidates); got != tc.want {
			t.Errorf("Suggest(%q) = %q, want %q", tc.word, got, tc.want)
		}
	}
}

func TestDidYouMean(t *testing.T) {
	if got, want := diag.DidYouMean("nmae", []string{"name"}), `did you mean "name"?`; got != want {
		t.Errorf("DidYouMean = %q, want %q", got, want)
	}
	if got := diag.DidYouMean("zzzz", []string{"name"}); got != "" {
		t.Errorf("DidYouMean with nothing close = %q, want empty", got)
	}
}

func TestEveryCodeHasADescription(t *testing.T) {
	for _, c := range []diag.Code{diag.CodeRead, diag.CodeSyntax, diag.CodeEncoding, diag.CodeTooLarge, diag.CodeAliases,
		diag.CodeEmpty, diag.CodeDuplicate, diag.CodeTab, diag.CodeExtraDocs, diag.CodeSymlink, diag.CodePathEscapes,
		diag.CodeNotFound, diag.CodeMissing, diag.CodeType, diag.CodeSchemaVersion, diag.CodeUnknownKey, diag.CodeEmptyText,
		diag.CodeStatus, diag.CodeStatusGuess, diag.CodeOrigin, diag.CodeValue, diag.CodeUnknownStandard,
		diag.CodeUnknownControl, diag.CodeCertStandard, diag.CodeCertControl, diag.CodeCoveredComponent,
		diag.CodeCoveredVerification, diag.CodeDupComponent, diag.CodeDupStandard, diag.CodeDupSatisfaction,
		diag.CodeRemoteDependency, diag.CodeDupCertification, diag.CodeDupNarrativeKey, diag.CodeDupVerification,
		diag.CodeGateUnknown, diag.CodeFrontMatter, diag.CodeDocDate, diag.CodeDocOwner, diag.CodeDocApprover,
		diag.CodeDocDuplicate, diag.CodeDocTemplate, diag.CodeDocReview, diag.CodeDocClaim, diag.CodeDocNotInForce} {
		if diag.Description[c] == "" {
			t.Errorf("%s has no description", c)
		}
	}
}
