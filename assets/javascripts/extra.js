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
  if (typeof document$ !== "undefined") { document$.subscribe(addParagraphLinks); }
  else { document.addEventListener("DOMContentLoaded", addParagraphLinks); }
})();
