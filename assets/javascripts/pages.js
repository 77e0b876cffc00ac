/* Printed page numbers of a book (scripts/pagination.py).
   1. The landing page's "Go to page" form: its page map is in the form's data-pages attribute, so
      it works offline (file://) too. Typing 112 opens chapter-4.html#page-112.
   2. Each paragraph's ¶ permalink says how to cite it by printed page: "Viola, Best Sons, 112, ¶ 37"
      (the paragraph carries data-page / data-page-end; the part's first page marker data-cite). */
(function () {
  function target(map, n) {
    for (var i = 0; i < map.ranges.length; i++) {
      var r = map.ranges[i];
      if (n >= r.first && n <= r.last) return r.anchors ? r.url + "#page-" + n : r.url;
    }
    return map.notes[String(n)] || null;
  }
  function setUpForm(form) {
    if (form.dataset.ready) return;
    form.dataset.ready = "1";
    var map = JSON.parse(form.getAttribute("data-pages"));
    var input = form.querySelector("input");
    var message = form.querySelector(".goto-page-message");
    form.hidden = false;
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      var n = parseInt((input.value || "").trim(), 10);
      var url = isNaN(n) ? null : target(map, n);
      if (!url) {
        message.textContent = isNaN(n) ? "Type a page number, e.g. 112."
          : "Page " + n + " is not in this edition: the printed pages it knows run from " + map.ranges[0].first +
            " to " + map.ranges[map.ranges.length - 1].first + " (where the Index begins).";
        return;
      }
      message.textContent = "";
      window.location.href = url;
    });
  }
  function citeLabel(p) {
    var first = p.getAttribute("data-page"), last = p.getAttribute("data-page-end");
    return last ? first + "–" + last : first;
  }
  function labelPermalinks() {
    var head = document.querySelector(".md-content .pb[data-cite]");
    var cite = head ? head.getAttribute("data-cite") : "";
    document.querySelectorAll(".md-content p[data-page]").forEach(function (p) {
      var link = p.querySelector(":scope > .para-link");
      var text = (cite ? cite + ", " : "p. ") + citeLabel(p) + ", ¶ " + p.id.slice(1);
      p.setAttribute("data-cite-page", text);
      if (!link || link.dataset.pageLabel) return;
      link.dataset.pageLabel = "1";
      link.title = text + " — link to this paragraph";
      link.setAttribute("aria-label", "Link to paragraph " + p.id.slice(1) + ", printed page " + citeLabel(p));
    });
  }
  function onPage() {
    document.querySelectorAll("form.goto-page[data-pages]").forEach(setUpForm);
    labelPermalinks();
  }
  if (typeof document$ !== "undefined") { document$.subscribe(onPage); }
  else { document.addEventListener("DOMContentLoaded", onPage); }
})();
