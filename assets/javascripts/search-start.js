/*
 * search-start.js — start the search's loading at the right moment: from file:// (the offline bundle)
 * when the page has loaded, not at the first keystroke (issue 27); online, the texts after the first
 * paint (issue 19).
 *
 * Why: online, Material starts its search worker as the page opens. From file:// it waits until the
 * search box is first used ("deferred to mitigate freezing", its lunr index being built on the
 * page's own thread there): only then does it load search/search_index.js and send the worker its
 * setup, and only after the worker's "ready" does it send the query. With the CPU slowed 4x that
 * setup round trip came between a student's first keystroke and the first result. Our worker
 * (assets/javascripts/search-worker.js) builds no index, and its texts (search/search_docs.js) are
 * loaded as the page idles, so there is nothing to defer: this starts Material's setup when the page
 * has loaded, and the first keystroke is answered at once.
 *
 * How: Material starts the setup on the first "change" event of its search toggle (the hidden
 * checkbox input[data-md-toggle=search]) that finds it checked. The toggle is checked and unchecked
 * again within one task, each with its "change", so Material's other listeners end where they began
 * and nothing is drawn in between: the search dialog does not open and nothing takes the focus. If
 * the search is already open (the reader was quicker), Material has started it and this does nothing.
 */
(function () {
  "use strict";
  if (location.protocol === "file:" || typeof BroadcastChannel === "undefined") return;
  var channel = new BroadcastChannel("rfa-search"), wanted = false;

  function load() {
    if (wanted) return;
    wanted = true;
    channel.postMessage("load");
  }
  channel.onmessage = function (ev) { if (ev.data === "hello" && wanted) channel.postMessage("load"); };
  document.addEventListener("focusin", function (ev) {
    if (ev.target.matches && ev.target.matches("input.md-search__input")) load();
  });
  function idle() { (window.requestIdleCallback || function (f) { setTimeout(f, 1); })(load, { timeout: 2000 }); }
  if (document.readyState === "complete") idle();
  else window.addEventListener("load", idle);
})();

(function () {
  "use strict";
  if (location.protocol !== "file:") return;

  function start() {
    var toggle = document.querySelector("input[data-md-toggle=search]");
    if (!toggle || toggle.checked || !document.querySelector("input.md-search__input")) return;
    toggle.checked = true;
    toggle.dispatchEvent(new Event("change"));
    toggle.checked = false;
    toggle.dispatchEvent(new Event("change"));
  }

  /* after Material has mounted its components (at DOMContentLoaded) */
  if (document.readyState === "complete") start();
  else window.addEventListener("load", start);
})();
