package diff

import (
	"encoding/json"
	"fmt"
	"io"
	"strings"

	"github.com/charter-compliance/charter/compiler/diag"
	"github.com/charter-compliance/charter/compiler/model"
)

// TextOptions control the terminal printer.
type TextOptions struct {
	Color bool // ANSI colour; callers enable it only on a terminal
}

const (
	// Colours are written as private-use placeholders and turned into ANSI
	// sequences only after the text from the repository has had its own
	// control characters escaped (see finish).
	ansiReset = "\ue000"
	ansiBold  = "\ue001"
	ansiRed   = "\ue002"
	ansiGreen = "\ue003"
	ansiCyan  = "\ue004"
)

// WriteText prints the report for a terminal: one section per kind of
// change, + for added, - for removed, ~ for changed; word changes as
// [-old-]{+new+} (or in colour), document text as unified diff hunks.
func WriteText(w io.Writer, r *Report, o TextOptions) error {
	p := printer{color: o.Color}
	b := &p.b
	fmt.Fprintf(b, "Changes from %s to %s\n", p.bold(describe(r.From)), p.bold(describe(r.To)))
	if r.Empty() {
		b.WriteString("\nNo changes.\n")
		_, err := io.WriteString(w, finish(b.String()))
		return err
	}
	if len(r.Certifications) > 0 {
		p.section("Certifications")
		for _, c := range r.Certifications {
			switch c.Change {
			case Added:
				fmt.Fprintf(b, "  %s %s: added, %s\n", p.paint(ansiGreen, "+"), c.Name, c.ToHeadline())
			case Removed:
				fmt.Fprintf(b, "  %s %s: removed (had %s)\n", p.paint(ansiRed, "-"), c.Name, c.FromHeadline())
				continue
			default:
				fmt.Fprintf(b, "  ~ %s: %s → %s\n", c.Name, c.FromHeadline(), c.ToHeadline())
			}
			if c.Change == Added {
				continue
			}
			width := 0
			for _, v := range c.Verdicts {
				width = max(width, len(v.Standard)+1+len(v.Control))
			}
			for _, v := range c.Verdicts {
				id := v.Standard + " " + v.Control
				fmt.Fprintf(b, "      %-*s  %s  %s\n", width, id, p.verdict(v), v.Title)
			}
		}
	}
	if len(r.Components) > 0 {
		p.section("Components")
		for _, c := range r.Components {
			fmt.Fprintf(b, "  %s %s  %s (%s)\n", p.mark(c.Change), c.Key, c.Name, c.File)
		}
	}
	if len(r.Narratives) > 0 {
		p.section("Narratives")
		for _, n := range r.Narratives {
			name := n.Component + "  " + n.Standard + " " + n.Control
			if n.Key != "" {
				name += "  (" + n.Key + ")"
			}
			fmt.Fprintf(b, "  %s %s\n", p.mark(n.Change), name)
			switch n.Change {
			case Added:
				p.block(n.To, ansiGreen)
			case Removed:
				p.block(n.From, ansiRed)
			default:
				if n.ByLine {
					b.WriteString("      (rewritten too much to compare word by word: compared line by line)\n")
				}
				p.words(n.Words)
			}
		}
	}
	if len(r.Documents) > 0 {
		p.section("Policies and procedures")
		for _, d := range r.Documents {
			file := d.File
			if d.FromFile != "" {
				file = d.FromFile + " → " + d.File
			}
			fmt.Fprintf(b, "  %s %s  %s (%s)\n", p.mark(d.Change), d.ID, d.Title, file)
			for _, f := range d.Fields {
				fmt.Fprintf(b, "      %s: %s → %s\n", f.Field, orNone(f.From), orNone(f.To))
			}
			for _, h := range d.Hunks {
				fmt.Fprintf(b, "      %s\n", p.paint(ansiCyan, h.Header()))
				for _, l := range h.Lines {
					switch l.Op {
					case Delete:
						fmt.Fprintf(b, "      %s\n", p.paint(ansiRed, "-"+l.Text))
					case Insert:
						fmt.Fprintf(b, "      %s\n", p.paint(ansiGreen, "+"+l.Text))
					default:
						fmt.Fprintf(b, "       %s\n", l.Text)
					}
				}
			}
		}
	}
	_, err := io.WriteString(w, finish(b.String()))
	return err
}

// WriteJSON writes the report as indented JSON.
func WriteJSON(w io.Writer, r *Report) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(r)
}

// describe names a side for a heading: "v1.0.0 (0123456789, as of
// 2024-02-15)" or "working tree (v1.1.0-1-g… (uncommitted changes), as of …)".
func describe(s State) string {
	if e := extras(s); e != "" {
		return s.Name + " (" + e + ")"
	}
	return s.Name
}

// extras is what describe adds to a side's name: its version label unless
// the name says it, its short commit unless the name or label shows it,
// and the judging day.
func extras(s State) string {
	var extra []string
	short := s.Commit[:min(10, len(s.Commit))]
	bareHash := s.Version != "" && strings.HasPrefix(s.Commit, s.Version)
	if s.Version != "" && s.Version != s.Name && !bareHash {
		extra = append(extra, s.Version)
	}
	if s.Commit != "" && !strings.HasPrefix(s.Commit, s.Name) && (bareHash || !strings.Contains(s.Version, short)) {
		extra = append(extra, short)
	}
	if s.AsOf != "" {
		extra = append(extra, "as of "+s.AsOf)
	}
	return strings.Join(extra, ", ")
}

func orNone(s string) string {
	if s == "" {
		return "(none)"
	}
	return s
}

type printer struct {
	b     strings.Builder
	color bool
}

// colours turns the placeholders into ANSI sequences.
var colours = strings.NewReplacer(ansiReset, "\x1b[0m", ansiBold, "\x1b[1m", ansiRed, "\x1b[31m", ansiGreen, "\x1b[32m", ansiCyan, "\x1b[36m")

// finish makes the report safe for a terminal: control characters from the
// repository's text become visible escapes, then the colours go in. (A
// placeholder character written in the repository itself can at most
// become a colour change.)
func finish(s string) string { return colours.Replace(diag.PrintableText(s)) }

func (p *printer) paint(code, s string) string {
	if !p.color || s == "" {
		return s
	}
	return code + s + ansiReset
}

func (p *printer) bold(s string) string { return p.paint(ansiBold, s) }

func (p *printer) section(title string) {
	p.b.WriteString("\n" + p.bold(title) + "\n")
}

func (p *printer) mark(c Change) string {
	switch c {
	case Added:
		return p.paint(ansiGreen, "+")
	case Removed:
		return p.paint(ansiRed, "-")
	}
	return "~"
}

func (p *printer) verdict(v VerdictChange) string {
	name := func(s *model.Status) string {
		if s == nil {
			return "(not required)"
		}
		return s.String()
	}
	text := name(v.From) + " → " + name(v.To)
	switch v.Change {
	case Improved, Added:
		return p.paint(ansiGreen, text)
	case Worsened, Removed:
		return p.paint(ansiRed, text)
	}
	return text
}

// block prints a whole text, indented, each line marked as added or
// removed.
func (p *printer) block(text, code string) {
	sign := "+"
	if code == ansiRed {
		sign = "-"
	}
	for _, l := range splitLines(text) {
		p.b.WriteString("      " + p.paint(code, sign+" "+l) + "\n")
	}
}

// words prints a word diff, wrapped at the text's own line breaks and
// indented.
func (p *printer) words(segs []Segment) {
	var line strings.Builder
	line.WriteString("      ")
	for _, s := range segs {
		parts := strings.Split(s.Text, "\n")
		for i, part := range parts {
			if i > 0 {
				p.b.WriteString(strings.TrimRight(line.String(), " ") + "\n")
				line.Reset()
				line.WriteString("      ")
			}
			if part == "" {
				continue
			}
			switch {
			case s.Op == Delete && p.color:
				line.WriteString(ansiRed + part + ansiReset)
			case s.Op == Delete:
				line.WriteString("[-" + part + "-]")
			case s.Op == Insert && p.color:
				line.WriteString(ansiGreen + part + ansiReset)
			case s.Op == Insert:
				line.WriteString("{+" + part + "+}")
			default:
				line.WriteString(part)
			}
		}
	}
	p.b.WriteString(strings.TrimRight(line.String(), " ") + "\n")
}
