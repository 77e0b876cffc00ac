/*
 * search-status.js — says "Searching…" while a search is being answered (issue 19, item 8).
 *
 * Why: the first search from the offline bundle waits for the texts to load (a second or two on a
 * slow laptop for a long word such as "dvadtsatipiatitysiachniki"), and Material's list showed
 * nothing meanwhile, or the results of a shorter query. When the query in the search box changes
 * and no answer has been drawn ELAPSED ms later, the result line says "Searching…" and the list is
 * marked aria-busy. Material rewrites that line with each answer it draws (from our worker,
 * assets/javascripts/search-worker.js), which ends the state.
 */
(function () {
  "use strict";
  var ELAPSED = 150;      /* ms: quicker answers show no state at all */
  var TEXT = "Searching…";
  var timer = null, busy = false, observed = false;

  function meta() { return document.querySelector(".md-search-result__meta"); }
  function list() { return document.querySelector(".md-search-result__list"); }

  function done() {
    clearTimeout(timer);
    timer = null;
    if (!busy) return;
    busy = false;
    var m = meta(), l = list();
    if (m) m.classList.remove("rfa-searching");
    if (l) l.removeAttribute("aria-busy");
  }

  function show() {
    timer = null;
    var m = meta(), l = list();
    if (!m) return;
    busy = true;
    m.textContent = TEXT;
    m.classList.add("rfa-searching");
    if (l) l.setAttribute("aria-busy", "true");
  }

  function observe() {
    if (observed || !window.MutationObserver) return;
    var m = meta();
    if (!m) return;
    observed = true;
    /* Material writes this line (and redraws the list) for each answer: whatever it writes that is
       not ours means an answer has arrived. */
    new MutationObserver(function () {
      if (m.textContent !== TEXT) done();
    }).observe(m, { childList: true, characterData: true, subtree: true });
  }

  function started(query) {
    observe();
    if (!query.trim()) { done(); return; }
    if (!busy) {
      clearTimeout(timer);
      timer = setTimeout(show, ELAPSED);
    }
  }

  /* Each change of the query (Material sends it to the worker, or holds it until the worker is
     ready, and answers with a redrawn line either way). */
  document.addEventListener("input", function (e) {
    var box = e.target;
    if (box && box.matches && box.matches("input.md-search__input")) started(box.value);
  }, true);
})();
