package export

import (
	"archive/zip"
	"bytes"
	"compress/flate"
	"encoding/csv"
	"fmt"
	"hash/crc32"
	"io"
	"io/fs"
	"runtime"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"
	"unicode/utf8"

	"github.com/xuri/excelize/v2"

	"github.com/charter-compliance/charter/compiler/coverage"
)

// Columns are the control matrix's columns, in order.
var Columns = []string{"standard", "control", "title", "verdict", "components", "narratives", "policies and procedures", "evidence", "open claims"}

// widths are the XLSX column widths, in characters, for Columns.
var widths = []float64{16, 12, 36, 14, 40, 80, 40, 60, 40}

// Cells is the row as the matrix's cells, one per column; a list is one
// item a line.
func (r Row) Cells() []string {
	if r.cells != nil {
		return slices.Clone(r.cells)
	}
	return r.makeCells()
}

func (r Row) makeCells() []string {
	return []string{r.Standard, r.Control, r.Title, r.Verdict.String(),
		lines(r.Components), lines(r.Narratives), lines(r.Documents), lines(r.Evidence), lines(r.Open)}
}

func lines[T fmt.Stringer](items []T) string {
	s := make([]string, len(items))
	for i, x := range items {
		s[i] = x.String()
	}
	return strings.Join(s, "\n")
}

// header is the block above the matrix: what it is and of which build.
func header(in Input, cert string) [][2]string {
	start, end := in.Info.Period()
	period := day(end)
	if !start.Equal(end) {
		period = day(start) + " to " + day(end)
	}
	commit := in.Info.Commit
	if in.Info.Dirty {
		commit += " (uncommitted changes)"
	}
	return [][2]string{
		{"control matrix", cert},
		{"version", in.Info.Version},
		{"commit", commit},
		{"judging day", day(in.Info.AsOf)},
		{"audit period", period},
		{"exported by", "charter " + in.Info.Charter},
	}
}

// WriteCSV writes one certification's control matrix as CSV: the header
// block, an empty line, the column names, then one line per criterion. A
// cell that a spreadsheet would read as a formula (one starting with =, +,
// -, @, tab or carriage return) is written with a leading apostrophe, so
// that opening the file never runs repository text.
func WriteCSV(w io.Writer, in Input, c *coverage.Certification) error {
	cw := csv.NewWriter(w)
	for _, h := range header(in, c.Cert.Name) {
		if err := cw.Write([]string{h[0], inert(h[1])}); err != nil {
			return err
		}
	}
	if err := cw.Write(nil); err != nil {
		return err
	}
	if err := cw.Write(Columns); err != nil {
		return err
	}
	for _, r := range Rows(in, c) {
		cells := r.Cells()
		for i := range cells {
			cells[i] = inert(cells[i])
		}
		if err := cw.Write(cells); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}

func inert(s string) string {
	if s != "" && strings.ContainsRune("=+-@\t\r", rune(s[0])) {
		return "'" + s
	}
	return s
}

// FileName is a certification's name made safe as a file name: letters,
// digits, '.', '-' and '_' are kept, anything else becomes '_'.
func FileName(name string) string {
	var b strings.Builder
	for _, r := range name {
		switch {
		case r >= 'a' && r <= 'z', r >= 'A' && r <= 'Z', r >= '0' && r <= '9', r == '.', r == '-', r == '_':
			b.WriteRune(r)
		default:
			b.WriteByte('_')
		}
	}
	s := strings.Trim(b.String(), ".")
	if s == "" {
		s = "_"
	}
	return s
}

// CSVFiles returns every selected certification's matrix, keyed by file
// name (FileName + ".csv").
func CSVFiles(in Input) ([]NamedFile, error) {
	in = in.memoised()
	certs, err := in.Certifications()
	if err != nil {
		return nil, err
	}
	var out []NamedFile
	for _, c := range certs {
		var b bytes.Buffer
		if err := WriteCSV(&b, in, c); err != nil {
			return nil, err
		}
		name := FileName(c.Cert.Name) + ".csv"
		for _, f := range out {
			if f.Path == name {
				return nil, fmt.Errorf("certifications %q and another share the file name %s; rename one", c.Cert.Name, name)
			}
		}
		out = append(out, NamedFile{Path: name, Data: b.Bytes()})
	}
	return out, nil
}

// NamedFile is one file an export writes, at a slash-separated path.
type NamedFile struct {
	Path string
	Data []byte
}

// sheetName makes a certification's name a valid, unique worksheet name:
// at most 31 characters, none of []:*?/\.
func sheetName(name string, used map[string]bool) string {
	clean := strings.Map(func(r rune) rune {
		if strings.ContainsRune(`[]:*?/\`, r) {
			return '_'
		}
		return r
	}, name)
	clean = strings.Trim(clean, "'")
	if clean == "" {
		clean = "certification"
	}
	base := truncate(clean, 31)
	s := base
	for n := 2; used[strings.ToLower(s)]; n++ {
		suffix := fmt.Sprintf(" (%d)", n)
		s = truncate(clean, 31-len(suffix)) + suffix
	}
	used[strings.ToLower(s)] = true
	return s
}

func truncate(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	return string([]rune(s)[:n])
}

// WriteXLSX writes the selected certifications' control matrices as one
// workbook, a sheet per certification: the header block, then the column
// names (frozen, with a filter) and a row per criterion. The workbook's
// dates are the judging day, so the same commit gives the same bytes.
func WriteXLSX(w io.Writer, in Input) error {
	in = in.memoised()
	certs, err := in.Certifications()
	if err != nil {
		return err
	}
	f := excelize.NewFile()
	defer f.Close()
	f.SetZipWriter(func(w io.Writer) excelize.ZipWriter { return &bookZip{w: w, modified: in.Info.AsOf} })
	bold, err := f.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true}})
	if err != nil {
		return err
	}
	head, err := f.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true}, Fill: excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{"DDE4EE"}},
		Alignment: &excelize.Alignment{Vertical: "top", WrapText: true}})
	if err != nil {
		return err
	}
	wrap, err := f.NewStyle(&excelize.Style{Alignment: &excelize.Alignment{Vertical: "top", WrapText: true}})
	if err != nil {
		return err
	}
	used := map[string]bool{}
	first := ""
	sheets := make([]*sheet, len(certs))
	for i, c := range certs {
		name := sheetName(c.Cert.Name, used)
		if i == 0 {
			first = name
			if err := f.SetSheetName("Sheet1", name); err != nil {
				return err
			}
		} else if _, err := f.NewSheet(name); err != nil {
			return err
		}
		sh, err := newSheet(f, name, in, c)
		if err != nil {
			return fmt.Errorf("sheet %s: %w", name, err)
		}
		sheets[i] = sh
	}
	// the sheets' rows are written side by side, each into its own
	// stream; the streams are then flushed into the book in sheet order
	errs := make([]error, len(sheets))
	each(len(sheets), func(i int) { errs[i] = sheets[i].write(bold, head, wrap) })
	for i, sh := range sheets {
		if errs[i] == nil {
			errs[i] = sh.sw.Flush()
		}
		if errs[i] != nil {
			return fmt.Errorf("sheet %s: %w", sh.name, errs[i])
		}
	}
	if first == "" { // no certification: say so rather than write an empty book
		if err := f.SetCellStr("Sheet1", "A1", "no certification selected"); err != nil {
			return err
		}
	}
	created := in.Info.AsOf
	if created.IsZero() {
		created = zipEpoch
	}
	stamp := created.UTC().Format(time.RFC3339)
	if err := f.SetDocProps(&excelize.DocProperties{
		Title:    "Control matrix",
		Subject:  strings.Join(certNames(certs), ", "),
		Creator:  "charter " + in.Info.Charter,
		Created:  stamp,
		Modified: stamp,
		Version:  in.Info.Version,
	}); err != nil {
		return err
	}
	// excelize stores the parts in a fixed (reverse sorted) order without
	// time stamps, so with fixed properties its bytes depend only on the
	// content
	_, err = f.WriteTo(w)
	return err
}

// bookZip collects the workbook's parts and, on Close, writes them as the
// bundle's zips are written (writeZip): sorted by name, deflated on every
// processor, dated the judging day. excelize writes streamed sheets in map
// order, so without sorting two workbooks of the same content could
// differ.
type bookZip struct {
	w        io.Writer
	modified time.Time
	names    []string
	parts    []*bytes.Buffer
}

func (z *bookZip) Create(name string) (io.Writer, error) {
	b := &bytes.Buffer{}
	z.names = append(z.names, name)
	z.parts = append(z.parts, b)
	return b, nil
}

// AddFS adds every regular file of fsys, at its path.
func (z *bookZip) AddFS(fsys fs.FS) error {
	return fs.WalkDir(fsys, ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil || !d.Type().IsRegular() {
			return err
		}
		data, err := fs.ReadFile(fsys, p)
		if err != nil {
			return err
		}
		w, _ := z.Create(p)
		_, err = w.Write(data)
		return err
	})
}

func (z *bookZip) Close() error {
	files := make([]NamedFile, len(z.names))
	for i, name := range z.names {
		files[i] = NamedFile{Path: name, Data: z.parts[i].Bytes()}
	}
	slices.SortStableFunc(files, func(a, b NamedFile) int { return strings.Compare(a.Path, b.Path) })
	return writeZip(z.w, files, z.modified)
}

func certNames(cs []*coverage.Certification) []string {
	out := make([]string, len(cs))
	for i, c := range cs {
		out[i] = c.Cert.Name
	}
	return out
}

// sheet is one certification's worksheet, written by excelize's stream
// writer: it writes the rows' XML as they come, with the strings inline,
// instead of building the worksheet in memory.
type sheet struct {
	name   string
	sw     *excelize.StreamWriter
	header [][2]string
	rows   []Row
	top    int // the row of the column names
}

// newSheet sets up a sheet's stream: the settings that must precede the
// rows (filter, column widths, frozen panes). It is the part that touches
// the book, so it runs one sheet at a time.
func newSheet(f *excelize.File, name string, in Input, c *coverage.Certification) (*sheet, error) {
	sh := &sheet{name: name, header: header(in, c.Cert.Name), rows: Rows(in, c)}
	sh.top = len(sh.header) + 2 // one empty row, then the column names
	last, _ := excelize.ColumnNumberToName(len(Columns))
	if err := f.AutoFilter(name, fmt.Sprintf("A%d:%s%d", sh.top, last, sh.top+len(sh.rows)), nil); err != nil {
		return nil, err
	}
	sw, err := f.NewStreamWriter(name)
	if err != nil {
		return nil, err
	}
	sh.sw = sw
	for i, wd := range widths {
		if err := sw.SetColWidth(i+1, i+1, wd); err != nil {
			return nil, err
		}
	}
	if err := sw.SetPanes(&excelize.Panes{Freeze: true, YSplit: sh.top, TopLeftCell: fmt.Sprintf("A%d", sh.top+1), ActivePane: "bottomLeft"}); err != nil {
		return nil, err
	}
	return sh, nil
}

// write streams the sheet's rows: the header block, the column names and
// a row per criterion. It touches only the sheet's own stream.
func (sh *sheet) write(bold, head, wrap int) error {
	sw := sh.sw
	for i, h := range sh.header {
		if err := sw.SetRow(fmt.Sprintf("A%d", i+1), []any{excelize.Cell{StyleID: bold, Value: h[0]}, h[1]}); err != nil {
			return err
		}
	}
	names := make([]any, len(Columns))
	for i, s := range Columns {
		names[i] = s
	}
	if err := sw.SetRow(fmt.Sprintf("A%d", sh.top), names, excelize.RowOpts{StyleID: head}); err != nil {
		return err
	}
	vals := make([]any, len(Columns))
	for i, r := range sh.rows {
		for k, s := range r.Cells() {
			vals[k] = s // strings are stored as text, never as formulas
		}
		if err := sw.SetRow(fmt.Sprintf("A%d", sh.top+1+i), vals, excelize.RowOpts{StyleID: wrap}); err != nil {
			return err
		}
	}
	return nil
}

// each calls do(0) to do(n-1) on every processor and returns when all
// have returned.
func each(n int, do func(i int)) {
	var next atomic.Int64
	var wg sync.WaitGroup
	for range min(runtime.GOMAXPROCS(0), n) {
		wg.Go(func() {
			for {
				i := int(next.Add(1)) - 1
				if i >= n {
					return
				}
				do(i)
			}
		})
	}
	wg.Wait()
}

// zipEpoch is the time stamp of a zip entry when no judging day is known:
// the earliest a zip file can state.
var zipEpoch = time.Date(1980, 1, 1, 0, 0, 0, 0, time.UTC)

// stored are the endings of files that are compressed already (a
// workbook, a PDF, images): deflating them again costs time and gains
// nothing, so the zip stores them as they are.
var stored = []string{".xlsx", ".zip", ".pdf", ".png", ".jpg", ".jpeg", ".gif", ".webp", ".woff2", ".gz"}

func isStored(path string) bool {
	p := strings.ToLower(path)
	return slices.ContainsFunc(stored, func(ext string) bool { return strings.HasSuffix(p, ext) })
}

// writeZip writes files, in the order given, as a zip archive whose every
// entry is deflated (or, when compressed already, stored), dated modified
// and has mode 0644. Entries are compressed on every processor, each on
// its own, so the bytes do not depend on how many there are.
func writeZip(w io.Writer, files []NamedFile, modified time.Time) error {
	if modified.IsZero() || modified.Before(zipEpoch) {
		modified = zipEpoch
	}
	packed := make([][]byte, len(files))
	sums := make([]uint32, len(files))
	errs := make([]error, len(files))
	var next atomic.Int64
	var wg sync.WaitGroup
	for range min(runtime.GOMAXPROCS(0), len(files)) {
		wg.Go(func() {
			var buf bytes.Buffer
			fw, _ := flate.NewWriter(&buf, flate.BestSpeed)
			for {
				i := int(next.Add(1)) - 1
				if i >= len(files) {
					return
				}
				sums[i] = crc32.ChecksumIEEE(files[i].Data)
				if isStored(files[i].Path) {
					packed[i] = files[i].Data
					continue
				}
				buf.Reset()
				fw.Reset(&buf)
				_, err := fw.Write(files[i].Data)
				if err == nil {
					err = fw.Close()
				}
				packed[i], errs[i] = bytes.Clone(buf.Bytes()), err
			}
		})
	}
	wg.Wait()
	zw := zip.NewWriter(w)
	for i, f := range files {
		if errs[i] != nil {
			return errs[i]
		}
		method := zip.Deflate
		if isStored(f.Path) {
			method = zip.Store
		}
		h := &zip.FileHeader{Name: f.Path, Method: method,
			CRC32: sums[i], CompressedSize64: uint64(len(packed[i])), UncompressedSize64: uint64(len(f.Data))}
		h.SetMode(0o644)
		h.SetModTime(modified.UTC()) //nolint:staticcheck // CreateRaw writes only the MS-DOS date, which this sets
		fw, err := zw.CreateRaw(h)
		if err != nil {
			return err
		}
		if _, err := fw.Write(packed[i]); err != nil {
			return err
		}
	}
	return zw.Close()
}
