/* charter site script: filter boxes for long tables (a component's
   satisfactions, a standard's or a certification's criteria).
   A box (.table-filter, hidden in the page) names the element whose table
   rows it filters (data-filter-scope). Typing keeps the rows whose text
   holds every word typed, in any case: IDs, words of a title, a status.
   A .filter-group inside the scope (a family, a standard's satisfactions)
   with no row left is hidden with its heading. Escape clears the box.
   Without script the box stays hidden and every row shows. The script
   never touches the network and never inserts HTML: it only sets the
   hidden property and a count's textContent. */
(function () {
  'use strict';

  function words(s) {
    return s.toLowerCase().split(/\s+/).filter(function (w) { return w !== ''; });
  }

  function setup(box) {
    var scope = document.getElementById(box.getAttribute('data-filter-scope'));
    var input = box.querySelector('input');
    var count = box.querySelector('.filter-count');
    if (!scope || !input) { return; }
    var rows = [];
    Array.prototype.forEach.call(scope.querySelectorAll('table tbody tr'), function (tr) {
      rows.push({ tr: tr, text: tr.textContent.replace(/\s+/g, ' ').toLowerCase() });
    });
    var groups = [];
    Array.prototype.forEach.call(scope.querySelectorAll('.filter-group'), function (g) {
      groups.push({ el: g, rows: rows.filter(function (r) { return g.contains(r.tr); }) });
    });

    function apply() {
      var want = words(input.value);
      var shown = 0;
      rows.forEach(function (r) {
        var keep = want.every(function (w) { return r.text.indexOf(w) >= 0; });
        r.tr.hidden = !keep;
        r.shown = keep;
        if (keep) { shown++; }
      });
      groups.forEach(function (g) {
        g.el.hidden = want.length > 0 && !g.rows.some(function (r) { return r.shown; });
      });
      if (want.length === 0) {
        count.textContent = '';
      } else if (shown === 0) {
        count.textContent = 'No row matches.';
      } else {
        count.textContent = shown + ' of ' + rows.length + ' rows shown.';
      }
    }

    input.addEventListener('input', apply);
    input.addEventListener('keydown', function (e) {
      if (e.key === 'Escape' && input.value !== '') {
        e.preventDefault(); // the first Escape clears, the next leaves the box
        input.value = '';
        apply();
      }
    });
    box.hidden = false;
    if (input.value !== '') { apply(); } // a value the browser restored
  }

  Array.prototype.forEach.call(document.querySelectorAll('.table-filter[data-filter-scope]'), setup);
})();
