/* charter search: filters window.CHARTER_INDEX (assets/search-index.js) in
   the browser. Works from file://: the index is a script, not a fetch.
   Results are built with DOM methods and textContent only. */
(function () {
  'use strict';
  // the index (see compiler/site/search.go): pages as [kind, id, title,
  // path, summary], the site's words sorted, and per word the pages it
  // occurs on as base-32 gaps
  var index = window.CHARTER_INDEX || { pages: [], words: [], posts: [] };
  var pages = index.pages;
  var root = document.documentElement.getAttribute('data-root') || '';
  var input = document.getElementById('q');
  var list = document.getElementById('results');
  var status = document.getElementById('search-status');
  var LIMIT = 100;
  if (!input || !list) { return; }

  var LAST = 'abcdefghijklmnopqrstuvwxyz012345', MORE = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ6789!~';
  var lastVal = {}, moreVal = {};
  for (var d = 0; d < 32; d++) { lastVal[LAST.charAt(d)] = d; moreVal[MORE.charAt(d)] = d; }
  var wordAt = {};
  for (var w = 0; w < index.words.length; w++) { wordAt[index.words[w]] = w; }
  var ids = [], titles = [];
  for (var p = 0; p < pages.length; p++) { ids.push(pages[p][1].toLowerCase()); titles.push(pages[p][2].toLowerCase()); }

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
      if (t) { out.push(t); }
    }
    return out;
  }

  // per term, the pages that have it as a word and as the start of a word
  function lookup(t) {
    var exact = new Uint8Array(pages.length), prefix = new Uint8Array(pages.length);
    if (t in wordAt) { mark(wordAt[t], exact); }
    for (var w = 0; w < index.words.length; w++) {
      if (index.words[w].lastIndexOf(t, 0) === 0) { mark(w, prefix); }
    }
    return { t: t, exact: exact, prefix: prefix };
  }

  function score(i, ls) {
    var id = ids[i], title = titles[i];
    var s = 0;
    for (var j = 0; j < ls.length; j++) {
      var t = ls[j].t;
      if (id === t) { s += 1000; }
      else if (id.indexOf(t) === 0) { s += 200; }
      else if (title.indexOf(t) >= 0) { s += 60; }
      else if (ls[j].exact[i]) { s += 12; }
      else if (ls[j].prefix[i]) { s += 6; }
      else if (id.indexOf(t) >= 0) { s += 4; }
      else { return 0; }
    }
    if (pages[i][0] === 'criterion') { s += 1; }
    return s;
  }

  function render(q) {
    while (list.firstChild) { list.removeChild(list.firstChild); }
    list.setAttribute('data-query', q);
    var ts = terms(q);
    if (!ts.length) {
      status.textContent = 'Type to search ' + pages.length + ' pages. Search runs in your browser; nothing is sent anywhere.';
      return;
    }
    var ls = ts.map(lookup);
    var hits = [];
    for (var i = 0; i < pages.length; i++) {
      var s = score(i, ls);
      if (s > 0) { hits.push({ e: pages[i], s: s, n: i }); }
    }
    hits.sort(function (a, b) { return b.s - a.s || a.n - b.n; });
    var shown = hits.slice(0, LIMIT);
    for (var j = 0; j < shown.length; j++) {
      var e = shown[j].e;
      var li = document.createElement('li');
      var kind = document.createElement('span');
      kind.className = 'kind';
      kind.textContent = e[0];
      var a = document.createElement('a');
      a.href = root + e[3];
      a.textContent = e[1] && e[2].indexOf(e[1]) < 0 ? e[1] + ' ' + e[2] : e[2];
      li.appendChild(kind);
      li.appendChild(a);
      if (e[4]) {
        var para = document.createElement('p');
        para.textContent = e[4];
        li.appendChild(para);
      }
      list.appendChild(li);
    }
    status.textContent = hits.length === 0 ? 'No page matches \u201c' + q + '\u201d.'
      : hits.length + (hits.length === 1 ? ' page matches' : ' pages match') + (hits.length > LIMIT ? '; showing the first ' + LIMIT : '') + '.';
  }

  function fromLocation() {
    var m = /[#&?]q=([^&]*)/.exec(window.location.hash) || /[?&]q=([^&]*)/.exec(window.location.search);
    if (!m) { return ''; }
    try { return decodeURIComponent(m[1].replace(/\+/g, ' ')); } catch (err) { return m[1]; }
  }

  var timer = 0;
  input.addEventListener('input', function () {
    clearTimeout(timer);
    timer = setTimeout(function () {
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
