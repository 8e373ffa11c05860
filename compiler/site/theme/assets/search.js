/* charter search: filters window.CHARTER_INDEX (assets/search-index.js) in
   the browser. Works from file://: the index is a script, not a fetch.
   Results are built with DOM methods and textContent only: no text of the
   index is ever parsed as HTML.

   Order: a page whose ID is the query (AC-2 (1) for "ac-2(1)"), then pages
   whose ID starts with it (AC-2 (10) for "AC-2 (1"), then pages whose
   title holds every word, then pages whose text does. */
(function () {
  'use strict';
  // the index (see compiler/site/search.go): groups as [kind, label, base,
  // ext], statuses, pages as [group, id, title, path, summary, status], the
  // site's words sorted, and per word the pages it occurs on as base-32 gaps
  var index = window.CHARTER_INDEX || { groups: [], statuses: [], pages: [], words: [], posts: [] };
  var pages = index.pages, groups = index.groups;
  var root = document.documentElement.getAttribute('data-root') || '';
  var input = document.getElementById('q');
  var list = document.getElementById('results');
  var status = document.getElementById('search-status');
  var more = document.getElementById('search-more');
  var PAGE = 50;
  if (!input || !list) { return; }

  var LAST = 'abcdefghijklmnopqrstuvwxyz012345', MORE = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ6789!~';
  var lastVal = {}, moreVal = {};
  for (var d = 0; d < 32; d++) { lastVal[LAST.charAt(d)] = d; moreVal[MORE.charAt(d)] = d; }

  // letters and digits: ASCII by hand, the rest by Unicode property
  var OTHER = /[\p{L}\p{N}]/u;
  function isWord(s, i) {
    var c = s.charCodeAt(i);
    return (c >= 97 && c <= 122) || (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c > 127 && OTHER.test(s.charAt(i)));
  }
  // an ID as compared with a query: lower case, runs of anything but
  // letters and digits as one space ("AC-2 (1)" and "ac-2(1)" are "ac 2 1")
  function normal(s) {
    s = s.toLowerCase();
    var out = '', from = -1;
    for (var i = 0; i <= s.length; i++) {
      if (i < s.length && isWord(s, i)) { if (from < 0) { from = i; } continue; }
      if (from >= 0) { out += (out ? ' ' : '') + s.slice(from, i); from = -1; }
    }
    return out;
  }
  // made on the first query, so that opening the page costs nothing more;
  // a title only when a page is a candidate
  var ids = null, titles = [];
  function prepare() {
    ids = new Array(pages.length);
    for (var p = 0; p < pages.length; p++) { ids[p] = normal(pages[p][1]); }
  }
  function title(i) {
    if (titles[i] === undefined) { titles[i] = ' ' + normal(pages[i][2]) + ' '; }
    return titles[i];
  }

  // marks in flags (one per page) the pages word w occurs on
  function mark(w, flags) {
    var s = index.posts[w], page = -1, n = 0;
    for (var i = 0; i < s.length; i++) {
      var c = s.charAt(i);
      if (c in lastVal) { page += n * 32 + lastVal[c]; flags[page] = 1; n = 0; }
      else { n = n * 32 + moreVal[c]; }
    }
  }

  // the same word rules as the index: letters and digits, inner . - _ kept
  function terms(q) {
    var out = [];
    var parts = q.toLowerCase().split(/[^\p{L}\p{N}._-]+/u);
    for (var i = 0; i < parts.length; i++) {
      var t = parts[i].replace(/^[._-]+|[._-]+$/g, '');
      if (t && out.indexOf(t) < 0) { out.push(t); }
    }
    return out;
  }

  // per term, the pages that have it as a word and as the start of a word
  // (the second includes the first), and the term as an ID spells it
  function lookup(t) {
    var exact = new Uint8Array(pages.length), prefix = new Uint8Array(pages.length);
    for (var w = 0; w < index.words.length; w++) {
      var word = index.words[w];
      if (word.lastIndexOf(t, 0) === 0) {
        mark(w, prefix);
        if (word.length === t.length) { mark(w, exact); }
      }
    }
    return { t: t, n: normal(t), exact: exact, prefix: prefix };
  }

  // the rank of page i: its tier (5 the ID is the query, 4 the ID starts
  // with the query and a new part, 3 the ID starts with the query, 2 the
  // title or ID holds every word, 1 the text does, 0 no match) and its
  // weight within the tier
  function rank(i, nq, ls) {
    var id = ids[i];
    if (nq && id.lastIndexOf(nq, 0) === 0) {
      if (id.length === nq.length) { return [5, 0]; }
      return [id.charAt(nq.length) === ' ' ? 4 : 3, -id.length];
    }
    for (var j = 0; j < ls.length; j++) {
      if (!ls[j].prefix[i]) { return [0, 0]; }
    }
    var inTitle = true, weight = 0;
    var spaced = ' ' + id + ' ', tt = title(i);
    for (j = 0; j < ls.length; j++) {
      var l = ls[j], word = ' ' + l.n + ' ', start = ' ' + l.n;
      if (spaced.indexOf(word) >= 0) { weight += 30; }
      else if (spaced.indexOf(start) >= 0) { weight += 20; }
      else if (tt.indexOf(word) >= 0) { weight += 12; }
      else if (tt.indexOf(start) >= 0) { weight += 8; }
      else { inTitle = false; weight += l.exact[i] ? 3 : 1; }
    }
    return [inTitle ? 2 : 1, weight];
  }

  // the label of a page: its standard (criteria) or its kind
  function label(g) { return g[0] === 'criterion' && g[1] ? g[1] : g[0]; }

  // appends text to el with every word that starts with one of the terms
  // in a <mark>
  function highlight(el, text, ls) {
    var starts = [];
    for (var j = 0; j < ls.length; j++) { if (ls[j].t) { starts.push(ls[j].t); } }
    var lower = text.toLowerCase(), at = 0, i = 0;
    while (i < text.length) {
      var hit = 0;
      // a word starts here: not after a letter or digit
      if (i === 0 || !isWord(text, i - 1)) {
        for (var k = 0; k < starts.length; k++) {
          if (starts[k].length > hit && lower.startsWith(starts[k], i)) { hit = starts[k].length; }
        }
      }
      if (!hit) { i++; continue; }
      if (i > at) { el.appendChild(document.createTextNode(text.slice(at, i))); }
      var m = document.createElement('mark');
      m.textContent = text.slice(i, i + hit);
      el.appendChild(m);
      i += hit;
      at = i;
    }
    if (at < text.length) { el.appendChild(document.createTextNode(text.slice(at))); }
  }

  var hits = [], shown = 0, terms_ = [];

  function item(e, ls) {
    var g = groups[e[0]];
    var li = document.createElement('li');
    var a = document.createElement('a');
    a.href = root + g[2] + e[3] + g[3];
    a.className = 'result';
    var text = e[1] && e[2].indexOf(e[1]) < 0 ? e[1] + ' ' + e[2] : e[2];
    highlight(a, text, ls);
    li.appendChild(a);
    var meta = document.createElement('span');
    meta.className = 'result-meta';
    var kind = document.createElement('span');
    kind.className = 'kind';
    kind.textContent = label(g);
    meta.appendChild(kind);
    if (g[0] === 'criterion' && e[5] >= 0) {
      var st = document.createElement('span');
      st.className = 'result-status';
      st.textContent = index.statuses[e[5]];
      meta.appendChild(document.createTextNode(' \u00b7 '));
      meta.appendChild(st);
    }
    li.appendChild(meta);
    if (e[4]) {
      var para = document.createElement('p');
      highlight(para, e[4], ls);
      li.appendChild(para);
    }
    // the words found only deeper in the page (its narratives, parameters,
    // document text), which the summary cannot show
    var shownText = ' ' + normal(text + ' ' + e[4]), deeper = [];
    for (var j = 0; j < ls.length; j++) {
      if (shownText.indexOf(' ' + ls[j].n) < 0) { deeper.push(ls[j].t); }
    }
    if (deeper.length) {
      var where = document.createElement('p');
      where.className = 'result-where';
      where.appendChild(document.createTextNode('In the page\u2019s text: '));
      for (var k = 0; k < deeper.length; k++) {
        if (k) { where.appendChild(document.createTextNode(', ')); }
        var m = document.createElement('mark');
        m.textContent = deeper[k];
        where.appendChild(m);
      }
      li.appendChild(where);
    }
    return li;
  }

  // shows the next PAGE results
  function showMore() {
    var first = null;
    var end = Math.min(hits.length, shown + PAGE);
    for (; shown < end; shown++) {
      var li = item(pages[hits[shown].n], terms_);
      if (!first) { first = li; }
      list.appendChild(li);
    }
    if (more) {
      more.hidden = shown >= hits.length;
      more.textContent = 'Show ' + Math.min(PAGE, hits.length - shown) + ' more of ' + hits.length;
    }
    status.textContent = hits.length === 0 ? 'No page matches \u201c' + list.getAttribute('data-query') + '\u201d.'
      : hits.length + (hits.length === 1 ? ' page matches' : ' pages match') +
        (hits.length > shown ? '; showing the first ' + shown : '') + '. Arrow keys move through the results; Enter opens one.';
    return first;
  }

  function render(q) {
    while (list.firstChild) { list.removeChild(list.firstChild); }
    list.setAttribute('data-query', q);
    hits = [];
    shown = 0;
    var ts = terms(q);
    if (!ts.length) {
      if (more) { more.hidden = true; }
      status.textContent = 'Type to search ' + pages.length + ' pages. Search runs in your browser; nothing is sent anywhere.';
      return;
    }
    if (!ids) { prepare(); }
    terms_ = ts.map(lookup);
    var nq = normal(q);
    for (var i = 0; i < pages.length; i++) {
      var r = rank(i, nq, terms_);
      if (r[0] > 0) { hits.push({ n: i, t: r[0], w: r[1] }); }
    }
    hits.sort(function (a, b) { return b.t - a.t || b.w - a.w || a.n - b.n; });
    showMore();
  }

  function fromLocation() {
    var m = /[#&?]q=([^&]*)/.exec(window.location.hash) || /[?&]q=([^&]*)/.exec(window.location.search);
    if (!m) { return ''; }
    try { return decodeURIComponent(m[1].replace(/\+/g, ' ')); } catch (err) { return m[1]; }
  }

  function links() { return list.querySelectorAll('a.result'); }

  // the keyboard: Down from the box enters the list, Up and Down move in
  // it, Home and End jump, Up from the first result returns to the box;
  // Enter in the box opens the first result, on a result opens it
  input.addEventListener('keydown', function (ev) {
    if (ev.key === 'ArrowDown') {
      var ls = links();
      if (ls.length) { ev.preventDefault(); ls[0].focus(); }
    } else if (ev.key === 'Enter') {
      if (timer) { clearTimeout(timer); timer = 0; render(input.value); }
      var first = links()[0];
      if (first) { ev.preventDefault(); first.click(); }
    }
  });
  list.addEventListener('keydown', function (ev) {
    var ls = Array.prototype.slice.call(links());
    var at = ls.indexOf(document.activeElement);
    if (at < 0) { return; }
    var to = -2;
    if (ev.key === 'ArrowDown') { to = Math.min(at + 1, ls.length - 1); }
    else if (ev.key === 'ArrowUp') { to = at - 1; }
    else if (ev.key === 'Home') { to = 0; }
    else if (ev.key === 'End') { to = ls.length - 1; }
    if (to === -2) { return; }
    ev.preventDefault();
    if (to < 0) { input.focus(); } else { ls[to].focus(); }
  });
  if (more) {
    more.addEventListener('click', function () {
      var first = showMore();
      if (first) { first.querySelector('a').focus(); }
    });
  }

  var timer = 0;
  input.addEventListener('input', function () {
    clearTimeout(timer);
    timer = setTimeout(function () {
      timer = 0;
      render(input.value);
      try { history.replaceState(null, '', input.value ? '#q=' + encodeURIComponent(input.value) : '#'); } catch (err) { /* file:// may refuse */ }
    }, 60);
  });
  window.addEventListener('hashchange', function () {
    var q = fromLocation();
    if (q !== input.value) { input.value = q; render(q); }
  });
  var initial = fromLocation();
  input.value = initial;
  render(initial);
  input.focus();
})();
