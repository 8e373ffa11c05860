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
	"strings"
	"sync"
	"sync/atomic"
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
	tabs    []context.Context // documents print side by side, a tab each
	cancel  func()
	profile string
}

// printTabs is how many documents print at once. Much of a print is the
// browser waiting on itself (loading, layout, the PDF's transfer), so
// more tabs than processors still help.
const printTabs = 4

// BrowserOptions start the Chromium at bin headless, with the profile
// directory given and nothing of its own on the network (no updates, sync
// or background requests): the printer's browser, and the site's tests'.
func BrowserOptions(bin, profile string) []chromedp.ExecAllocatorOption {
	return []chromedp.ExecAllocatorOption{
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
	}
}

// NewPrinter starts the browser at bin headless, with a fresh profile.
func NewPrinter(bin string) (*Printer, error) {
	profile, err := os.MkdirTemp("", "charter-chromium-")
	if err != nil {
		return nil, err
	}
	alloc, cancelAlloc := chromedp.NewExecAllocator(context.Background(),
		append(BrowserOptions(bin, profile), chromedp.Flag("disable-extensions", true))...)
	ctx, cancelCtx := chromedp.NewContext(alloc)
	p := &Printer{ctx: ctx, profile: profile, cancel: func() { cancelCtx(); cancelAlloc() }}
	// start the browser and its tabs now, so that a broken installation
	// fails here
	for range printTabs + 1 { // the last prints the combined document
		tab := ctx
		if len(p.tabs) > 0 {
			tab, _ = chromedp.NewContext(ctx) // cancelled with the browser
		}
		if err := setUp(tab); err != nil {
			p.Close()
			return nil, fmt.Errorf("starting %s: %w", bin, err)
		}
		p.tabs = append(p.tabs, tab)
	}
	return p, nil
}

// setUp readies a tab: it prints, and may fetch nothing from the network,
// only the site's own files.
func setUp(tab context.Context) error {
	_, err := chromedp.Call(tab, network.Enable, network.EnableParams{})
	if err == nil {
		_, err = chromedp.Call(tab, network.SetBlockedURLs, network.SetBlockedURLsParams{URLPatterns: []*network.BlockPattern{
			{URLPattern: "http://*:*/*", Block: true}, {URLPattern: "https://*:*/*", Block: true}}})
	}
	if err == nil {
		_, err = chromedp.Call(tab, emulation.SetEmulatedMedia, emulation.SetEmulatedMediaParams{Media: "print"})
	}
	return err
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
		if !printed(f.Path) {
			continue
		}
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
	names := map[string]string{CombinedPDF: "the combined document"}
	for _, d := range ws.Documents {
		name := FileName(d.ID) + ".pdf"
		if other, ok := names[name]; ok {
			return nil, fmt.Errorf("documents %s and %s share the file name %s; rename one", d.ID, other, name)
		}
		names[name] = d.ID
	}
	docs := ws.Documents
	out := make([]NamedFile, len(docs))
	articles := make([]string, len(docs))
	errs := make([]error, len(docs))
	// the combined document prints as soon as every document's article is
	// read, while the documents' own PDFs are still printing
	var read sync.WaitGroup
	read.Add(len(docs))
	var combined []byte
	var combinedErr error
	var wg sync.WaitGroup
	wg.Go(func() {
		read.Wait()
		for i := range docs {
			if articles[i] == "" {
				combinedErr = errors.New("a document could not be read")
				return
			}
		}
		script, err := combineScript(docs, articles)
		if err == nil {
			combined, err = printPage(p.tabs[printTabs], fileURL(dir, links.Documents), script,
				running(in, line(ws.Manifest.Name, "Policies and procedures")+" · policies and procedures"), nil)
		}
		if err != nil {
			combinedErr = fmt.Errorf("printing %s: %w", CombinedPDF, err)
		}
	})
	var next atomic.Int64
	for _, tab := range p.tabs[:printTabs] {
		wg.Go(func() {
			for {
				i := int(next.Add(1)) - 1
				if i >= len(docs) {
					return
				}
				d := docs[i]
				once := sync.OnceFunc(read.Done)
				data, err := printPage(tab, fileURL(dir, links.Document(d.ID)), "", running(in, d.ID+" · "+line(d.Title, d.ID)),
					func(article string) { articles[i] = article; once() })
				once()
				if err != nil {
					errs[i] = fmt.Errorf("printing %s (%s): %w", d.ID, d.File, err)
				}
				out[i] = NamedFile{Path: FileName(d.ID) + ".pdf", Data: data}
			}
		})
	}
	wg.Wait()
	for _, err := range append(errs, combinedErr) {
		if err != nil {
			return nil, err
		}
	}
	return append(out, NamedFile{Path: CombinedPDF, Data: combined}), nil
}

// printed reports whether the site file at path is needed to print the
// documents: their pages and the documents index, the theme's assets and
// any file that is not a page (an image a document shows). The other
// pages are left out, as nothing printed loads them.
func printed(path string) bool {
	return strings.HasPrefix(path, "documents/") || strings.HasPrefix(path, links.Assets) || !strings.HasSuffix(path, ".html")
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

// printPage opens url, runs script (if any) and prints the page. Before
// printing it hands the page's article (its main content) as HTML to
// read, when read is not nil.
func printPage(tab context.Context, url, script string, hf headerFooter, read func(article string)) ([]byte, error) {
	ctx, cancel := context.WithTimeout(tab, 60*time.Second)
	defer cancel()
	if err := chromedp.Do(ctx, chromedp.Navigate(url), chromedp.WaitReady("body")); err != nil {
		return nil, err
	}
	if script != "" {
		if _, err := chromedp.Run(ctx, chromedp.Evaluate[bool](script)); err != nil {
			return nil, err
		}
	}
	if read != nil {
		article, err := chromedp.Run(ctx, chromedp.Evaluate[string](`(document.querySelector('main article') || document.querySelector('main') || document.body).outerHTML`))
		if err != nil {
			return nil, err
		}
		read(article)
	}
	top, bottom, side := 0.8, 0.8, 0.6 // inches: room for the header and footer
	yes, no := true, false
	return chromedp.Run(ctx, chromedp.PrintToPDF(func(pp *page.PrintToPDFParams) {
		*pp = page.PrintToPDFParams{
			DisplayHeaderFooter: &yes, PrintBackground: &no, PreferCSSPageSize: &no,
			PaperWidth: 8.27, PaperHeight: 11.69, // A4
			MarginTop: &top, MarginBottom: &bottom, MarginLeft: &side, MarginRight: &side,
			HeaderTemplate: hf.header, FooterTemplate: hf.footer,
			GenerateDocumentOutline: &yes,
		}
	}))
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
