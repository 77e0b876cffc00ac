/* Paragraph permalinks: every paragraph with a stable id (#p12) gets a small "¶" link that an
   instructor can copy to cite the passage. Added here rather than in the HTML to keep pages light. */
(function () {
  function addParagraphLinks() {
    document.querySelectorAll(".md-content p[id^='p']").forEach(function (p) {
      if (!/^p\d+$/.test(p.id) || p.querySelector(":scope > .para-link")) return;
      var a = document.createElement("a");
      a.className = "para-link";
      a.href = "#" + p.id;
      a.textContent = "¶";
      a.setAttribute("aria-label", "Link to paragraph " + p.id.slice(1));
      a.title = "Link to paragraph " + p.id.slice(1);
      p.insertBefore(a, p.firstChild);
    });
  }
  function improveAccessibility() {
    /* Material's search dialog has no accessible name; sideways-scrolling boxes must be reachable by keyboard. */
    var search = document.querySelector(".md-search");
    if (search && !search.hasAttribute("aria-label")) search.setAttribute("aria-label", "Search");
    document.querySelectorAll(".md-typeset__scrollwrap, .table-scroll").forEach(function (box) {
      box.setAttribute("tabindex", "0");
      box.setAttribute("role", "region");
      if (!box.hasAttribute("aria-label")) box.setAttribute("aria-label", "Table (scrolls sideways)");
    });
  }
  /* A table whose header has two rows, written by the parser as a grid with empty cells ("1931:"
     over OLD / NEW / ALL FARMS, "REGION" over nothing): the heading spans the columns under it (and
     the rows, where the cell below is empty), as the printed table sets it. */
  function spanHeaders() {
    document.querySelectorAll(".md-typeset table > thead").forEach(function (thead) {
      if (thead.rows.length !== 2 || thead.hasAttribute("data-spanned")) return;
      thead.setAttribute("data-spanned", "");
      var top = Array.prototype.slice.call(thead.rows[0].cells);
      var low = Array.prototype.slice.call(thead.rows[1].cells);
      if (top.length !== low.length || top.some(function (c) { return c.colSpan !== 1 || c.rowSpan !== 1; })) return;
      var empty = function (c) { return !c.textContent.trim() && !c.children.length; };
      var drop = [];
      top.forEach(function (c, i) {
        if (empty(c)) return;
        if (empty(low[i])) { c.rowSpan = 2; drop.push(low[i]); return; }
        for (var j = i + 1; j < top.length && empty(top[j]) && !empty(low[j]); j++) {
          c.colSpan += 1; drop.push(top[j]);
        }
        if (c.colSpan > 1) c.setAttribute("scope", "colgroup");
      });
      drop.forEach(function (c) { c.remove(); });
    });
  }
  /* The chart (scripts/charts.py) keeps its full drawn size on a narrow screen and scrolls sideways
     in its own box, where a phone would shrink its labels to a few pixels; its source line follows
     the picture, left-aligned (reader.css). */
  function charts() {
    document.querySelectorAll(".md-typeset figure.edition-chart").forEach(function (fig) {
      var img = fig.querySelector(":scope > img");
      if (!img || fig.querySelector(".chart-scroll")) return;
      var box = document.createElement("div");
      box.className = "chart-scroll";
      img.parentNode.insertBefore(box, img);
      box.appendChild(img);
      var source = fig.querySelector("figcaption .chart-source");
      if (source) {
        var line = document.createElement("p");
        line.className = "chart-source";
        while (source.firstChild) line.appendChild(source.firstChild);
        source.remove();
        box.parentNode.insertBefore(line, box.nextSibling);
      }
      var scrolls = function () {
        var wide = box.scrollWidth > box.clientWidth + 1;
        if (wide) {
          box.tabIndex = 0; box.setAttribute("role", "region");
          box.setAttribute("aria-label", "Chart (scrolls sideways)");
        } else {
          box.removeAttribute("tabindex"); box.removeAttribute("role"); box.removeAttribute("aria-label");
        }
      };
      if (img.complete) scrolls(); else img.addEventListener("load", scrolls);
      window.addEventListener("resize", scrolls);
    });
  }
  function onPage() { addParagraphLinks(); improveAccessibility(); spanHeaders(); charts(); }
  if (typeof document$ !== "undefined") { document$.subscribe(onPage); }
  else { document.addEventListener("DOMContentLoaded", onPage); }
})();
