package site

import "html/template"

// filterAbove is the number of table rows above which a page offers a
// filter box for them.
const filterAbove = 20

// Filter writes a box that filters the rows of the tables inside the
// element with id scope, for a page showing rows of what (for example
// "satisfactions"), when there are more than filterAbove rows. The box is
// hidden until theme/assets/filter.js shows it, so without script the
// page is as before; the script is loaded once, from the first box.
func (p *page) Filter(scope, what string, rows int) template.HTML {
	if rows <= filterAbove {
		return ""
	}
	var w hw
	id := "filter-" + scope
	w.raw(`<div class="table-filter" hidden`)
	w.attr("data-filter-scope", scope)
	w.raw("><label")
	w.attr("for", id)
	w.raw(">Filter the ")
	w.int(rows)
	w.raw(" ")
	w.text(what)
	w.raw(`</label> <input type="search" autocomplete="off" spellcheck="false" placeholder="ID, words of the title, status"`)
	w.attr("id", id)
	w.attr("aria-describedby", id+"-count")
	w.raw(`> <span class="filter-count" role="status"`)
	w.attr("id", id+"-count")
	w.raw(`></span></div>`)
	if !p.filterScript {
		p.filterScript = true
		w.raw("\n<script")
		w.attr("src", p.Asset("filter.js"))
		w.raw(" defer></script>")
	}
	return w.html()
}
