package export

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"html"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"time"

	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"

	"github.com/charter-compliance/charter/compiler/links"
	"github.com/charter-compliance/charter/compiler/model"
)

// Browsers are the headless browsers charter prints with, in the order it
// looks for them on PATH.
var Browsers = []string{"chromium", "chromium-browser", "google-chrome", "google-chrome-stable"}

// ErrNoBrowser says that no browser of Browsers is installed.
var ErrNoBrowser = errors.New(`printing PDFs needs headless Chromium, and none of chromium, chromium-browser, google-chrome or google-chrome-stable is on PATH.
Install it, then run the command again:
  Debian, Ubuntu:  sudo apt-get install chromium
  macOS:           brew install --cask chromium
  Fedora:          sudo dnf install chromium`)

// FindBrowser returns the path of the first of Browsers on PATH, or
// ErrNoBrowser.
func FindBrowser() (string, error) {
	for _, name := range Browsers {
		if p, err := exec.LookPath(name); err == nil {
			return p, nil
		}
	}
	return "", ErrNoBrowser
}

// CombinedPDF is the file name of the document that holds every policy
// and procedure, after a table of contents.
const CombinedPDF = "policies-and-procedures.pdf"

// Printer is a headless browser kept running between prints.
type Printer struct {
	ctx     context.Context
	cancel  func()
	profile string
}

// NewPrinter starts the browser at bin headless, with a fresh profile.
func NewPrinter(bin string) (*Printer, error) {
	profile, err := os.MkdirTemp("", "charter-chromium-")
	if err != nil {
		return nil, err
	}
	alloc, cancelAlloc := chromedp.NewExecAllocator(context.Background(),
		chromedp.ExecPath(bin),
		chromedp.Headless,
		chromedp.NoSandbox,
		chromedp.DisableGPU,
		chromedp.NoFirstRun,
		chromedp.NoDefaultBrowserCheck,
		chromedp.UserDataDir(profile),
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("disable-extensions", true),
	)
	ctx, cancelCtx := chromedp.NewContext(alloc)
	p := &Printer{ctx: ctx, profile: profile, cancel: func() { cancelCtx(); cancelAlloc() }}
	// start the browser now, so that a broken installation fails here; the
	// page may fetch nothing from the network, only the site's own files
	_, err = chromedp.Call(ctx, network.Enable, network.EnableParams{})
	if err == nil {
		_, err = chromedp.Call(ctx, network.SetBlockedURLs, network.SetBlockedURLsParams{URLPatterns: []*network.BlockPattern{
			{URLPattern: "http://*:*/*", Block: true}, {URLPattern: "https://*:*/*", Block: true}}})
	}
	if err == nil {
		_, err = chromedp.Call(ctx, emulation.SetEmulatedMedia, emulation.SetEmulatedMediaParams{Media: "print"})
	}
	if err != nil {
		p.Close()
		return nil, fmt.Errorf("starting %s: %w", bin, err)
	}
	return p, nil
}

// Close stops the browser and removes its profile.
func (p *Printer) Close() {
	p.cancel()
	// the browser's helpers may still write for a moment after it exits
	for range 50 {
		if os.RemoveAll(p.profile) == nil {
			return
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// PDFs prints every policy and procedure of in from the site (its files at
// their site paths), each to FileName(id).pdf, and all of them after a
// table of contents to CombinedPDF. Every page has a running header (the
// document's id and title, the version) and footer (the judging day, and
// "page X of Y"). The site is written to a temporary directory and opened
// from file://; nothing is fetched from the network.
func (p *Printer) PDFs(in Input, site []NamedFile) ([]NamedFile, error) {
	ws := in.Result.Workspace
	if len(ws.Documents) == 0 {
		return nil, errors.New("the repository has no policy or procedure to print")
	}
	dir, err := os.MkdirTemp("", "charter-pdf-")
	if err != nil {
		return nil, err
	}
	defer os.RemoveAll(dir)
	for _, f := range site {
		if !validEntry(f.Path) {
			return nil, fmt.Errorf("site file %q cannot be written", f.Path)
		}
		path := filepath.Join(dir, filepath.FromSlash(f.Path))
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			return nil, err
		}
		if err := os.WriteFile(path, f.Data, 0o644); err != nil {
			return nil, err
		}
	}
	var out []NamedFile
	var articles []string
	names := map[string]string{CombinedPDF: "the combined document"}
	for _, d := range ws.Documents {
		name := FileName(d.ID) + ".pdf"
		if other, ok := names[name]; ok {
			return nil, fmt.Errorf("document %s and %s share the file name %s; rename one", d.ID, other, name)
		}
		names[name] = d.ID
		data, article, err := p.print(fileURL(dir, links.Document(d.ID)), "", running(in, d.ID+" · "+line(d.Title, d.ID)))
		if err != nil {
			return nil, fmt.Errorf("printing %s (%s): %w", d.ID, d.File, err)
		}
		out = append(out, NamedFile{Path: name, Data: data})
		articles = append(articles, article)
	}
	script, err := combineScript(ws.Documents, articles)
	if err != nil {
		return nil, err
	}
	data, _, err := p.print(fileURL(dir, links.Documents), script,
		running(in, line(ws.Manifest.Name, "Policies and procedures")+" · policies and procedures"))
	if err != nil {
		return nil, fmt.Errorf("printing %s: %w", CombinedPDF, err)
	}
	return append(out, NamedFile{Path: CombinedPDF, Data: data}), nil
}

func fileURL(dir, rel string) string {
	return (&url.URL{Scheme: "file", Path: filepath.ToSlash(filepath.Join(dir, filepath.FromSlash(rel)))}).String()
}

// headerFooter is a PDF's running header and footer, as Chromium's
// templates.
type headerFooter struct{ header, footer string }

// running makes the header (what, the version) and footer (the judging
// day, page X of Y) of every printed page. Repository text is escaped: the
// templates are HTML.
func running(in Input, what string) headerFooter {
	const style = `<div style="font-family: sans-serif; font-size: 8pt; color: #333; width: 100%; margin: 0 12mm; display: flex; justify-content: space-between;">`
	version := line(in.Info.Version, "unversioned")
	if in.Info.Dirty {
		version += " (uncommitted changes)"
	}
	return headerFooter{
		header: style + "<span>" + html.EscapeString(what) + "</span><span>version " + html.EscapeString(version) + "</span></div>",
		footer: style + "<span>judged as of " + html.EscapeString(line(day(in.Info.AsOf), "an unknown date")) + "</span>" +
			`<span>page <span class="pageNumber"></span> of <span class="totalPages"></span></span></div>`,
	}
}

// print opens url, runs script (if any) and prints the page. It returns
// the PDF and the page's article (its main content) as HTML.
func (p *Printer) print(url, script string, hf headerFooter) ([]byte, string, error) {
	ctx, cancel := context.WithTimeout(p.ctx, 60*time.Second)
	defer cancel()
	if err := chromedp.Do(ctx, chromedp.Navigate(url), chromedp.WaitReady("body")); err != nil {
		return nil, "", err
	}
	if script != "" {
		if _, err := chromedp.Run(ctx, chromedp.Evaluate[bool](script)); err != nil {
			return nil, "", err
		}
	}
	article, err := chromedp.Run(ctx, chromedp.Evaluate[string](`(document.querySelector('main article') || document.querySelector('main') || document.body).outerHTML`))
	if err != nil {
		return nil, "", err
	}
	top, bottom, side := 0.8, 0.8, 0.6 // inches: room for the header and footer
	yes, no := true, false
	pdf, err := chromedp.Run(ctx, chromedp.PrintToPDF(func(pp *page.PrintToPDFParams) {
		*pp = page.PrintToPDFParams{
			DisplayHeaderFooter: &yes, PrintBackground: &no, PreferCSSPageSize: &no,
			PaperWidth: 8.27, PaperHeight: 11.69, // A4
			MarginTop: &top, MarginBottom: &bottom, MarginLeft: &side, MarginRight: &side,
			HeaderTemplate: hf.header, FooterTemplate: hf.footer,
			GenerateDocumentOutline: &yes,
		}
	}))
	return pdf, article, err
}

// combineScript turns the documents index, opened in the browser, into
// the combined document: after the index (the table of contents, whose
// links to the documents become links within the document) comes each
// document's article, as the site rendered it, each from a new sheet. The
// articles are data to the script (JSON strings, parsed by DOMParser,
// which runs nothing), never code.
func combineScript(docs []*model.Document, articles []string) (string, error) {
	type part struct {
		Href string `json:"href"`
		HTML string `json:"html"`
	}
	parts := make([]part, len(docs))
	for i, d := range docs {
		parts[i] = part{Href: links.Rel(links.Documents, links.Document(d.ID)), HTML: articles[i]}
	}
	data, err := json.Marshal(parts)
	if err != nil {
		return "", err
	}
	return `(() => {
  const parts = ` + string(data) + `;
  const main = document.querySelector('main') || document.body;
  const anchors = [...main.querySelectorAll('a[href]')];
  parts.forEach((p, i) => {
    const doc = new DOMParser().parseFromString(p.html, 'text/html');
    const article = document.importNode(doc.body.firstElementChild, true);
    const id = 'part-' + (i + 1);
    article.id = id;
    article.classList.add('print-part');
    for (const a of anchors) {
      if (a.getAttribute('href') === p.href) a.setAttribute('href', '#' + id);
    }
    main.appendChild(article);
  });
  return true;
})()`, nil
}
