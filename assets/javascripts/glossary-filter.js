/* Glossary filter (glossary page only): narrows the grouped lists and the A–Z entries to those
 * that contain every typed word, and puts the entry the reader asked for first: the entry whose
 * headword or one of its forms in the readings ("kulaks", "kulaki") is the typed word, then entries
 * whose headword or forms begin with it, then the entries that only mention it, in A–Z order. While
 * a filter is active the long "Browse by group" lists step aside, so the matches start right under
 * the box (on a phone too), and Enter moves to the first match. Runs entirely in the page (no
 * request, no index), so it works in the offline bundle opened from file://. Matching ignores case,
 * accents and apostrophe kinds ("andrle" finds Andrlé, "sel'sovet" finds sel’sovet). The box is
 * shown only once this script has set it up, so a reader without JavaScript never sees a box that
 * does nothing. */
(function () {
  "use strict";

  function fold(text) {
    return text.normalize("NFD").replace(/[\u0300-\u036f]/g, "")
      .replace(/[’ʹʼ‘]/g, "'").toLowerCase();
  }

  /* the same word with its apostrophes dropped: "kulak's" and "kulaks" compare as typed */
  function squash(text) { return fold(text).replace(/'/g, "").replace(/\s+/g, " ").trim(); }

  /* 0: the headword or a form is the query; 1: the headword, a form or a word of them begins with
     it; 2: the entry only mentions it. */
  function rank(entry, query) {
    var q = squash(query);
    if (entry.names.indexOf(q) >= 0) return 0;
    for (var i = 0; i < entry.names.length; i++) {
      var name = entry.names[i];
      if (name.indexOf(q) === 0 || name.indexOf(" " + q) >= 0 || name.indexOf("-" + q) >= 0) return 1;
    }
    return 2;
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
        current = { id: node.id, parts: [node], text: "", index: entries.length, names: [] };
        entries.push(current);
        byId[node.id] = current;
      } else if (current) {
        current.parts.push(node);
      }
    }
    var end = current ? null : node;   // the entries are put back (or in rank order) before this node
    var parent = start.parentNode;
    entries.forEach(function (e) {
      var head = e.parts[0].cloneNode(true);
      head.querySelectorAll(".headerlink").forEach(function (a) { a.remove(); });
      e.title = head.textContent.trim();
      e.names.push(squash(e.title));
      e.parts.forEach(function (p) {
        var forms = /^\s*Forms in the readings:\s*/.exec(p.textContent);
        if (forms && p.tagName === "P") {
          p.textContent.slice(forms[0].length).split(/,\s*/).forEach(function (f) { if (f.trim()) e.names.push(squash(f)); });
        }
      });
      // the entry's own words: not its "Used in" list, whose page titles (an essay on okrugs) would
      // make every entry used on that page match
      e.text = fold(e.parts.filter(function (p) { return !/^\s*Used in:/.test(p.textContent); })
        .map(function (p) { return p.textContent; }).join(" "));
    });
    // Grouped views: list items pointing at an entry, and their group headings.
    var items = Array.prototype.slice.call(document.querySelectorAll(".gl-views li"));
    var rows = Array.prototype.slice.call(document.querySelectorAll("#archival-citations ~ table tbody tr"));
    var views = document.querySelector(".gl-views");
    var order = entries.map(function (e) { return e.id; }).join(" ");

    function arrange(list) {
      var key = list.map(function (e) { return e.id; }).join(" ");
      if (key === order) return;
      order = key;
      list.forEach(function (e) {
        e.parts.forEach(function (p) { parent.insertBefore(p, end); });
      });
    }

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
      // the best matches first: exact headword or form, then names that begin with the query, then mentions
      var query = input.value;
      var ranked = entries.slice();
      if (words.length) {
        entries.forEach(function (e) { e.rank = e.visible ? rank(e, query) : 3; });
        ranked.sort(function (a, b) { return a.rank - b.rank || a.index - b.index; });
      }
      arrange(ranked);
      if (views) views.hidden = !!words.length;   // the group lists would push the matches screens down
      var named = ranked.filter(function (e) { return e.visible && e.rank === 0; });
      if (!words.length) {
        status.textContent = "";
      } else if (!shown) {
        status.textContent = "No entry matches \u201c" + query.trim() + "\u201d.";
      } else {
        status.textContent = shown + " of " + entries.length + " entries match \u201c" + query.trim() + "\u201d" +
          (named.length ? ": " + named.map(function (e) { return e.title; }).join(", ") +
            " first, then " + (shown - named.length) + " that mention it." : ", best match first.") +
          " Press Enter to go to the first.";
      }
    }

    function first() {
      var e = entries.filter(function (x) { return x.visible; }).sort(function (a, b) { return a.rank - b.rank || a.index - b.index; })[0];
      if (!e) return;
      var h = e.parts[0];
      h.setAttribute("tabindex", "-1");
      h.scrollIntoView({ block: "start" });
      h.focus({ preventScroll: true });
    }

    input.addEventListener("input", apply);
    input.addEventListener("keydown", function (ev) {
      if (ev.key === "Escape") { input.value = ""; apply(); }
      if (ev.key === "Enter" && input.value.trim()) { ev.preventDefault(); first(); }
    });
    if (box) {
      box.classList.add("gl-filter--ready");
      /* a second search landmark beside the site's search box needs its own name */
      if (!box.hasAttribute("aria-label")) box.setAttribute("aria-label", "Filter the glossary");
    }
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
