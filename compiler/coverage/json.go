package coverage

import (
	"bufio"
	"encoding/json"
	"io"
	"strings"
)

// WriteJSONCertifications writes the selection's certifications as the JSON
// array JSONCertifications gives, indented by two spaces as a value depth
// levels deep in an indented document (depth 0 for a document of its own;
// no newline after). It streams: each certification is encoded by
// encoding/json on its own and written before the next is made, so a large
// program's report is never held in memory whole.
func WriteJSONCertifications(w io.Writer, r *Report, sel Selection, depth int) error {
	certs := sel.pick(r)
	if len(certs) == 0 {
		_, err := io.WriteString(w, "[]")
		return err
	}
	outer := strings.Repeat("  ", depth)
	inner := outer + "  "
	bw := bufio.NewWriterSize(w, 64<<10)
	bw.WriteString("[")
	for i, c := range certs {
		if i > 0 {
			bw.WriteString(",")
		}
		data, err := json.MarshalIndent(jsonCertOf(c, sel), inner, "  ")
		if err != nil {
			return err
		}
		bw.WriteString("\n" + inner)
		bw.Write(data)
	}
	bw.WriteString("\n" + outer + "]")
	return bw.Flush()
}
