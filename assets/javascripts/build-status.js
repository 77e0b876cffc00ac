/* Build status while serving (./site.sh serve).
 *
 * This committed copy does nothing. When an edit breaks the build during `serve`, scripts/build.py
 * writes the error into docs/'s copy of this file (on the line marked SERVE-ERROR); MkDocs reloads the
 * page, and the error is shown above the last good build of the page, as text. */
(function () {
  "use strict";
  var error = null; // SERVE-ERROR
  if (!error) return;
  function show() {
    var box = document.createElement("div");
    box.className = "build-error";
    box.setAttribute("role", "alert");
    box.style.cssText = "background:#fde8e8;color:#5c0a0a;border:2px solid #b00020;padding:0.8rem 1rem;" +
      "margin:0;font:0.8rem/1.4 monospace;white-space:pre-wrap;position:relative;z-index:10";
    var head = document.createElement("strong");
    head.textContent = "The last edit did not build. This page shows the last good build.\n";
    var text = document.createElement("span");
    text.textContent = error;
    box.appendChild(head);
    box.appendChild(text);
    document.body.insertBefore(box, document.body.firstChild);
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", show);
  } else {
    show();
  }
})();
