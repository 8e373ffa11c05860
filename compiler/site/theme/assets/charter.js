/* charter site script: the header search box and keyboard navigation.
   Loaded on every page; it never touches the network and never inserts HTML. */
(function () {
  'use strict';
  var root = document.documentElement.getAttribute('data-root') || '';
  var form = document.getElementById('site-search');
  var box = document.getElementById('site-search-q');

  function goSearch(q) {
    var target = root + 'search.html';
    if (q) { target += '#q=' + encodeURIComponent(q); }
    window.location.href = target;
  }

  if (form && box) {
    form.addEventListener('submit', function (e) {
      e.preventDefault();
      goSearch(box.value.trim());
    });
  }

  document.addEventListener('keydown', function (e) {
    if (e.ctrlKey || e.metaKey || e.altKey || e.defaultPrevented) { return; }
    var t = e.target;
    var typing = t && (t.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(t.tagName));
    if (typing) {
      if (e.key === 'Escape' && t.blur) { t.blur(); }
      return;
    }
    if (e.key === '/') {
      var main = document.getElementById('q') || box;
      if (main) { e.preventDefault(); main.focus(); if (main.select) { main.select(); } }
    } else if (e.key === 'n' || e.key === 'p') {
      var link = document.querySelector('link[rel="' + (e.key === 'n' ? 'next' : 'prev') + '"]');
      if (link) { window.location.href = link.href; }
    }
  });
})();
