/* charter site script: the header search box, keyboard navigation, the
   heat maps' arrow keys and Escape for the open menus. Loaded on every
   page; it never touches the network and never inserts HTML. Every page
   works without it. */
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

  // Heat maps: one tab stop each (a roving tabindex), the arrow keys,
  // Home and End move between squares, Enter follows the focused one.
  function cellsOf(map) { return map.querySelectorAll('.hm-cells > a'); }

  function setCurrent(map, cell) {
    var cells = cellsOf(map);
    for (var i = 0; i < cells.length; i++) {
      if (cells[i].tabIndex !== -1 && cells[i] !== cell) { cells[i].tabIndex = -1; }
    }
    cell.tabIndex = 0;
  }

  // the square above or below cell (dir -1 or 1): on the nearest row in
  // that direction, the one nearest in x
  function vertical(cells, cell, dir) {
    var from = cell.getBoundingClientRect(), cx = from.left + from.width / 2;
    var best = null, bestDy = Infinity, bestDx = Infinity;
    for (var i = 0; i < cells.length; i++) {
      var r = cells[i].getBoundingClientRect();
      var dy = (r.top - from.top) * dir;
      if (dy < from.height / 2) { continue; }
      var dx = Math.abs(r.left + r.width / 2 - cx);
      if (dy < bestDy - 1 || (Math.abs(dy - bestDy) <= 1 && dx < bestDx)) {
        best = cells[i]; bestDy = dy; bestDx = dx;
      }
    }
    return best;
  }

  var maps = document.querySelectorAll('.hm');
  for (var m = 0; m < maps.length; m++) {
    (function (map) {
      var cells = cellsOf(map);
      if (!cells.length) { return; }
      for (var i = 1; i < cells.length; i++) { cells[i].tabIndex = -1; }
      var fig = map.parentNode;
      var keys = fig.querySelector('.hm-keys');
      var echo = fig.querySelector('.hm-focus');
      if (keys) { keys.hidden = false; }
      map.addEventListener('focusin', function (e) {
        if (e.target.parentNode && e.target.parentNode.classList.contains('hm-cells')) {
          setCurrent(map, e.target);
          if (echo) { echo.textContent = e.target.title; }
        }
      });
      map.addEventListener('keydown', function (e) {
        if (e.ctrlKey || e.metaKey || e.altKey) { return; }
        var all = cellsOf(map), at = Array.prototype.indexOf.call(all, e.target);
        if (at < 0) { return; }
        var next = null;
        switch (e.key) {
          case 'ArrowRight': next = all[at + 1]; break;
          case 'ArrowLeft': next = all[at - 1]; break;
          case 'ArrowDown': next = vertical(all, e.target, 1); break;
          case 'ArrowUp': next = vertical(all, e.target, -1); break;
          case 'Home': next = all[0]; break;
          case 'End': next = all[all.length - 1]; break;
          default: return;
        }
        e.preventDefault();
        if (next) { setCurrent(map, next); next.focus(); }
      });
    })(maps[m]);
  }

  // Escape closes an open version switcher or menu and returns focus to
  // its button.
  function closeOpen() {
    var open = document.querySelectorAll('details.version-switch[open], details.nav-menu[open]');
    for (var i = 0; i < open.length; i++) {
      var d = open[i];
      if (getComputedStyle(d.querySelector('summary')).display === 'none') { continue; }
      var inside = d.contains(document.activeElement);
      d.open = false;
      if (inside) { d.querySelector('summary').focus(); }
    }
    return open.length > 0;
  }

  document.addEventListener('keydown', function (e) {
    if (e.key === 'Escape' && closeOpen()) { return; }
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
