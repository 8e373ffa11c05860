/* charter search: filters window.CHARTER_INDEX (assets/search-index.js) in
   the browser. Works from file://: the index is a script, not a fetch.
   Results are built with DOM methods and textContent only. */
(function () {
  'use strict';
  var index = window.CHARTER_INDEX || [];
  var root = document.documentElement.getAttribute('data-root') || '';
  var input = document.getElementById('q');
  var list = document.getElementById('results');
  var status = document.getElementById('search-status');
  var LIMIT = 100;
  if (!input || !list) { return; }

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

  function score(e, ts) {
    var id = e.i.toLowerCase(), title = e.t.toLowerCase(), words = ' ' + e.w;
    var s = 0;
    for (var i = 0; i < ts.length; i++) {
      var t = ts[i];
      if (id === t) { s += 1000; }
      else if (id.indexOf(t) === 0) { s += 200; }
      else if (title.indexOf(t) >= 0) { s += 60; }
      else if (words.indexOf(' ' + t + ' ') >= 0 || words.slice(-t.length - 1) === ' ' + t) { s += 12; }
      else if (words.indexOf(' ' + t) >= 0) { s += 6; }
      else if (id.indexOf(t) >= 0) { s += 4; }
      else { return 0; }
    }
    if (e.k === 'criterion') { s += 1; }
    return s;
  }

  function render(q) {
    while (list.firstChild) { list.removeChild(list.firstChild); }
    list.setAttribute('data-query', q);
    var ts = terms(q);
    if (!ts.length) {
      status.textContent = 'Type to search ' + index.length + ' pages. Search runs in your browser; nothing is sent anywhere.';
      return;
    }
    var hits = [];
    for (var i = 0; i < index.length; i++) {
      var s = score(index[i], ts);
      if (s > 0) { hits.push({ e: index[i], s: s, n: i }); }
    }
    hits.sort(function (a, b) { return b.s - a.s || a.n - b.n; });
    var shown = hits.slice(0, LIMIT);
    for (var j = 0; j < shown.length; j++) {
      var e = shown[j].e;
      var li = document.createElement('li');
      var kind = document.createElement('span');
      kind.className = 'kind';
      kind.textContent = e.k;
      var a = document.createElement('a');
      a.href = root + e.u;
      a.textContent = e.i && e.t.indexOf(e.i) < 0 ? e.i + ' ' + e.t : e.t;
      li.appendChild(kind);
      li.appendChild(a);
      if (e.s) {
        var p = document.createElement('p');
        p.textContent = e.s;
        li.appendChild(p);
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
