/* Glossary filter (glossary page only): narrows the grouped lists and the A–Z entries to those
 * that contain every typed word. Runs entirely in the page (no request, no index), so it works in
 * the offline bundle opened from file://. Matching ignores case, accents and apostrophe kinds
 * ("andrle" finds Andrlé, "sel'sovet" finds sel’sovet). The box is shown only once this script has
 * set it up, so a reader without JavaScript never sees a box that does nothing. */
(function () {
  "use strict";

  function fold(text) {
    return text.normalize("NFD").replace(/[\u0300-\u036f]/g, "")
      .replace(/[’ʹʼ‘]/g, "'").toLowerCase();
  }

  function setup() {
    var input = document.getElementById("gl-filter-input");
    if (!input || input.getAttribute("data-ready")) return;
    input.setAttribute("data-ready", "1");
    var box = input.closest(".gl-filter");
    var status = document.getElementById("gl-filter-status");
    var start = document.getElementById("a-z");
    if (!start) return;

    // A–Z entries: each <h2 id> after "A–Z" with the elements that follow it, up to the next <h2>.
    var entries = [];
    var byId = {};
    var current = null;
    for (var node = start.nextElementSibling; node; node = node.nextElementSibling) {
      if (node.tagName === "H2") {
        if (node.id === "archival-citations") { current = null; break; }
        current = { id: node.id, parts: [node], text: "" };
        entries.push(current);
        byId[node.id] = current;
      } else if (current) {
        current.parts.push(node);
      }
    }
    entries.forEach(function (e) {
      // the entry's own words: not its "Used in" list, whose page titles (an essay on okrugs) would
      // make every entry used on that page match
      e.text = fold(e.parts.filter(function (p) { return !/^\s*Used in:/.test(p.textContent); })
        .map(function (p) { return p.textContent; }).join(" "));
    });
    // Grouped views: list items pointing at an entry, and their group headings.
    var items = Array.prototype.slice.call(document.querySelectorAll(".gl-views li"));
    var rows = Array.prototype.slice.call(document.querySelectorAll("#archival-citations ~ table tbody tr"));

    function apply() {
      var words = fold(input.value).split(/\s+/).filter(Boolean);
      var matches = function (text) {
        return words.every(function (w) { return text.indexOf(w) !== -1; });
      };
      var shown = 0;
      entries.forEach(function (e) {
        var ok = !words.length || matches(e.text);
        e.visible = ok;
        if (ok) shown += 1;
        e.parts.forEach(function (p) { p.hidden = !ok; });
      });
      items.forEach(function (li) {
        var a = li.querySelector("a[href^='#']");
        var e = a && byId[a.getAttribute("href").slice(1)];
        li.hidden = !!words.length && !(e ? e.visible : matches(fold(li.textContent)));
      });
      document.querySelectorAll(".gl-views h3").forEach(function (h) {
        var list = h.nextElementSibling;
        if (!list || list.tagName !== "UL") return;
        var any = Array.prototype.some.call(list.children, function (li) { return !li.hidden; });
        h.hidden = list.hidden = !any;
      });
      rows.forEach(function (tr) { tr.hidden = !!words.length && !matches(fold(tr.textContent)); });
      status.textContent = words.length
        ? shown + " of " + entries.length + " entries match \u201c" + input.value.trim() + "\u201d"
        : "";
    }

    input.addEventListener("input", apply);
    input.addEventListener("keydown", function (ev) {
      if (ev.key === "Escape") { input.value = ""; apply(); }
    });
    if (box) box.classList.add("gl-filter--ready");
    apply();
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", setup);
  } else {
    setup();
  }
  // Material's instant navigation (if it is ever enabled) swaps pages without a reload.
  if (window.document$ && typeof window.document$.subscribe === "function") {
    window.document$.subscribe(setup);
  }
})();
