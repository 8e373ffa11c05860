// Command charter-gen writes a synthetic compliance workspace for
// benchmarking charter:
//
//	go run ./cmd/charter-gen -out DIR -scale N
//
// Scale 1 is 70 components and 6,500 satisfactions; scale N is N times as
// many. The same flags always give byte-identical files. The NIST 800-53
// rev5 standard is copied from -nist (default $CHARTER_NIST, else
// ../shared/corpus/standards/nist-800-53-rev5.yaml beside the repository).
package main

import (
	"flag"
	"fmt"
	"os"

	"github.com/charter-compliance/charter/internal/gen"
)

func main() {
	out := flag.String("out", "", "directory to create (must not exist, or be empty)")
	scale := flag.Int("scale", 1, "size multiplier: 70×N components, 6,500×N satisfactions")
	repo := flag.String("repo", ".", "charter repository, source of standards/TSC.yaml and certifications/soc2-*.yaml")
	nist := flag.String("nist", "", "nist-800-53-rev5.yaml from github.com/opencontrol/standards (default $CHARTER_NIST or the shared corpus)")
	flag.Parse()
	if *out == "" || flag.NArg() > 0 {
		fmt.Fprintln(os.Stderr, "usage: charter-gen -out DIR [-scale N] [-repo DIR] [-nist FILE]")
		os.Exit(2)
	}
	if *nist == "" {
		*nist = gen.DefaultNIST(*repo)
	}
	st, err := gen.Generate(gen.Options{Out: *out, Scale: *scale, Repo: *repo, NIST: *nist})
	if err != nil {
		fmt.Fprintf(os.Stderr, "charter-gen: %v\n", err)
		os.Exit(1)
	}
	fmt.Printf("%s: %d components, %d satisfactions, %d documents, %d files, %.1f MB\n",
		*out, st.Components, st.Satisfactions, st.Documents, st.Files, float64(st.Bytes)/1e6)
}
