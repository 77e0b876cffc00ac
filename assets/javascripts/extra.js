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
    /* Material's section navs are labelled by the section's toggle, which has no text when the
       section has an index page: landmarks without a (unique) name (axe: landmark-unique) */
    document.querySelectorAll("nav.md-nav[aria-labelledby]").forEach(function (nav) {
      var label = document.getElementById(nav.getAttribute("aria-labelledby"));
      var title = nav.querySelector(":scope > .md-nav__title");
      if (label && !label.textContent.trim() && title && title.textContent.trim()) {
        nav.removeAttribute("aria-labelledby");
        nav.setAttribute("aria-label", title.textContent.trim());
      }
    });
    var inner = document.querySelector(".md-search__inner[role='search']");
    if (inner && !inner.hasAttribute("aria-label")) inner.setAttribute("aria-label", "Search the site");
    /* a table the build already put in a labelled scroll box (.table-scroll): Material's own wrapper
       inside it is not a second region of the same table (reader.css lets the outer box scroll) */
    document.querySelectorAll(".table-scroll .md-typeset__scrollwrap").forEach(function (wrap) {
      wrap.classList.add("rd-inner-wrap");
    });
    document.querySelectorAll(".md-typeset__scrollwrap:not(.rd-inner-wrap), .table-scroll").forEach(function (box) {
      box.setAttribute("tabindex", "0");
      box.setAttribute("role", "region");
      if (!box.hasAttribute("aria-label")) box.setAttribute("aria-label", tableName(box) + " (scrolls sideways)");
    });
  }
  /* A page with several tables (the download page's lists) needs a name for each scroll region
     (axe: landmark-unique): the table's caption, else the heading it stands under. */
  function tableName(box) {
    var caption = box.querySelector("caption");
    if (caption && caption.textContent.trim()) return "Table: " + caption.textContent.trim();
    for (var el = box.previousElementSibling; el; el = el.previousElementSibling) {
      if (/^H[1-6]$/.test(el.tagName)) return "Table: " + el.textContent.replace(/[¶#]\s*$/, "").trim();
    }
    return "Table";
  }
  /* A table whose header has several rows, written by the parser as a grid with empty cells
     ("1931:" over OLD / NEW / ALL FARMS, "REGION" over nothing): each heading spans the columns under
     it that have headings of their own, and the rows below it where its column is empty, as the
     printed table sets it; a header cell left empty (a column with no heading) is no heading. */
  function spanHeaders() {
    document.querySelectorAll(".md-typeset table > thead").forEach(function (thead) {
      var rows = Array.prototype.slice.call(thead.rows);
      if (rows.length < 2 || thead.hasAttribute("data-spanned")) return;
      thead.setAttribute("data-spanned", "");
      var grid = rows.map(function (r) { return Array.prototype.slice.call(r.cells); });
      var n = grid[0].length;
      if (grid.some(function (r) { return r.length !== n || r.some(function (c) { return c.colSpan !== 1 || c.rowSpan !== 1; }); })) return;
      var empty = function (c) { return !c.textContent.trim() && !c.children.length; };
      var gone = [];
      var out = function (c) { return gone.indexOf(c) >= 0; };
      var below = function (r, col) {
        for (var k = r + 1; k < grid.length; k++) if (!empty(grid[k][col])) return true;
        return false;
      };
      grid.forEach(function (row, r) {
        row.forEach(function (cell, col) {
          if (out(cell) || empty(cell)) return;
          for (var j = col + 1; j < n && empty(row[j]) && !out(row[j]) && below(r, j); j++) {
            cell.colSpan += 1; gone.push(row[j]);
          }
          if (cell.colSpan > 1) { cell.setAttribute("scope", "colgroup"); return; }
          for (var k = r + 1; k < grid.length && empty(grid[k][col]) && !out(grid[k][col]); k++) {
            cell.rowSpan += 1; gone.push(grid[k][col]);
          }
        });
      });
      gone.forEach(function (c) { c.remove(); });
      thead.querySelectorAll("th").forEach(function (th) {
        if (!empty(th)) return;
        var td = document.createElement("td");
        th.replaceWith(td);
      });
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
      /* the box's width can settle after load (styles, fonts): check again whenever it changes */
      if (window.ResizeObserver) new ResizeObserver(scrolls).observe(box);
    });
  }
  function onPage() { addParagraphLinks(); improveAccessibility(); spanHeaders(); charts(); }
  if (typeof document$ !== "undefined") { document$.subscribe(onPage); }
  else { document.addEventListener("DOMContentLoaded", onPage); }
})();
