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
  function onPage() { addParagraphLinks(); improveAccessibility(); }
  if (typeof document$ !== "undefined") { document$.subscribe(onPage); }
  else { document.addEventListener("DOMContentLoaded", onPage); }
})();
