/* "Cite this": copy buttons, the edition's URL, and "cite this paragraph" (scripts/citations.py
   writes the citations at build time with citeproc-js; nothing is formatted here). Works from
   file:// too: no request is made, the forms are in the page. */
(function () {
  "use strict";
  var dialog = null;

  var OFFLINE_NOTE = " (this edition, offline copy)";

  /* The edition's address where the citation only has the page's path in the site (no site_url in
     mkdocs.yml): served over http(s) it becomes the full address the page is read at (the site's
     root, data-root, resolved against the page's own address, so a site served from a sub-folder is
     right too); opened from file:// (the offline bundle) the path stays, marked as this edition's, since
     a file:// address means nothing to a reader of the citation. */
  function fillUrls(root) {
    var online = /^https?:$/.test(location.protocol);
    root.querySelectorAll(".cite-url[data-path]").forEach(function (span) {
      if (online) {
        var base = new URL((span.getAttribute("data-root") || ".") + "/", location.href);
        span.textContent = new URL(span.getAttribute("data-path"), base).href;
        return;
      }
      if (span.hasAttribute("data-offline")) return;
      span.setAttribute("data-offline", "");
      var mark = document.createTextNode(OFFLINE_NOTE);
      var after = span.nextSibling;              // a paragraph's "#p14" follows the path
      var fragment = after && after.nodeType === 3 && /^#p\d+/.exec(after.nodeValue);
      if (fragment) {
        after.splitText(fragment[0].length);
        span.parentNode.insertBefore(mark, after.nextSibling);
      } else {
        span.parentNode.insertBefore(mark, span.nextSibling);
      }
    });
  }

  function copyText(text, button) {
    function done(ok) {
      var old = button.getAttribute("data-label") || button.textContent;
      button.setAttribute("data-label", old);
      button.textContent = ok ? "Copied" : "Select and copy";
      var status = document.getElementById("cite-status");
      if (status) status.textContent = ok ? "Citation copied to the clipboard." : "Copying failed: select the text and copy it.";
      setTimeout(function () { button.textContent = old; }, 2000);
    }
    if (navigator.clipboard && window.isSecureContext) {
      navigator.clipboard.writeText(text).then(function () { done(true); }, function () { done(legacyCopy(text)); });
    } else {
      done(legacyCopy(text));
    }
  }

  function legacyCopy(text) {
    var area = document.createElement("textarea");
    area.value = text;
    area.setAttribute("readonly", "");
    area.style.position = "fixed";
    area.style.opacity = "0";
    document.body.appendChild(area);
    area.select();
    var ok = false;
    try { ok = document.execCommand("copy"); } catch (e) { ok = false; }
    document.body.removeChild(area);
    return ok;
  }

  function plain(el) { return el.textContent.replace(/\s+/g, " ").trim(); }

  function statusRegion() {
    if (document.getElementById("cite-status")) return;
    var s = document.createElement("p");
    s.id = "cite-status";
    s.className = "cite-status";
    s.setAttribute("role", "status");
    s.setAttribute("aria-live", "polite");
    document.body.appendChild(s);
  }

  /* The printed page a paragraph starts on, when the page markers are in the text (data-page on the
     paragraph, or the last role="doc-pagebreak" marker before it); null when unknown. */
  function printedPage(p) {
    if (p.getAttribute("data-page")) {      /* a paragraph running over two pages is cited as "97–98" */
      var end = p.getAttribute("data-page-end");
      return p.getAttribute("data-page") + (end && end !== p.getAttribute("data-page") ? "–" + end : "");
    }
    var markers = document.querySelectorAll('[role="doc-pagebreak"]');
    var page = null;
    for (var i = 0; i < markers.length; i++) {
      var m = markers[i];
      if (p.contains(m) || (m.compareDocumentPosition(p) & Node.DOCUMENT_POSITION_FOLLOWING)) {
        var label = m.getAttribute("aria-label") || m.id || "";
        var n = label.match(/(\d+)\s*$/);
        if (n) page = n[1];
        if (p.contains(m)) break;
      } else break;
    }
    return page;
  }

  var LABELS = { "chicago-note": "Chicago (note)", "chicago-bib": "Chicago (bibliography)", "mla": "MLA",
                 "mla-intext": "MLA (in the text)", "apa": "APA", "apa-intext": "APA (in the text)" };

  function openParagraphDialog(p, opener) {
    var box = document.getElementById("cite-this");
    if (!box) return;
    var placeholder = box.getAttribute("data-placeholder");
    var number = p.id.slice(1);
    var page = printedPage(p);
    var tpl = box.querySelector('template[data-locator="' + (page ? "page" : "paragraph") + '"]');
    if (!dialog) {
      dialog = document.createElement("dialog");
      dialog.className = "cite-dialog md-typeset";
      dialog.setAttribute("aria-labelledby", "cite-dialog-title");
      document.body.appendChild(dialog);
      dialog.addEventListener("close", function () { if (dialog._opener) dialog._opener.focus(); });
      /* a click or tap on the dimmed backdrop closes it (the backdrop's clicks reach the dialog
         itself, outside its box); on a phone the dialog is taller than the screen */
      dialog.addEventListener("click", function (ev) {
        if (ev.target !== dialog) return;
        var r = dialog.getBoundingClientRect();
        if (ev.clientX < r.left || ev.clientX > r.right || ev.clientY < r.top || ev.clientY > r.bottom) dialog.close();
      });
    }
    dialog._opener = opener;
    dialog.innerHTML = "";
    /* a × at the top, which stays in view while the dialog scrolls (the Close button is at its end) */
    var x = document.createElement("button");
    x.type = "button";
    x.className = "cite-x";
    x.setAttribute("aria-label", "Close");
    x.title = "Close";
    x.textContent = "×";
    x.addEventListener("click", function () { dialog.close(); });
    dialog.appendChild(x);
    var h = document.createElement("h2");
    h.id = "cite-dialog-title";
    h.textContent = "Cite paragraph " + number + (page ? " (printed page" + (page.indexOf("–") > 0 ? "s " : " ") + page + ")" : "");
    dialog.appendChild(h);
    var frag = tpl.content.cloneNode(true);
    frag.querySelectorAll("p[data-form]").forEach(function (src, i) {
      var form = src.getAttribute("data-form");
      var row = document.createElement("div");
      row.className = "cite-form";
      var label = document.createElement("p");
      label.className = "cite-label";
      label.id = "cite-para-label-" + i;
      label.textContent = LABELS[form] || form;
      var text = formText(src, placeholder, page, number);
      var button = document.createElement("button");
      button.type = "button";
      button.className = "md-button cite-copy";
      button.textContent = "Copy";
      button.setAttribute("aria-describedby", label.id);
      button.addEventListener("click", function () { copyText(plain(text), button); });
      row.appendChild(label); row.appendChild(text); row.appendChild(button);
      dialog.appendChild(row);
    });
    var link = document.createElement("p");
    link.className = "cite-paragraph-link";
    var a = document.createElement("a");
    a.href = "#" + p.id;
    a.textContent = "Link to this paragraph";
    link.appendChild(a);
    dialog.appendChild(link);
    var close = document.createElement("button");
    close.type = "button";
    close.className = "md-button cite-close";
    close.textContent = "Close";
    close.addEventListener("click", function () { dialog.close(); });
    dialog.appendChild(close);
    dialog.showModal();
    var first = dialog.querySelector(".cite-copy");
    if (first) first.focus();
  }

  /* One citation form of paragraph ``number`` (cited by printed ``page`` when known), as a
     <p class="cite-text"> element filled from the page's template ``src``. */
  function formText(src, placeholder, page, number) {
    var text = document.createElement("p");
    text.className = "cite-text";
    text.innerHTML = src.innerHTML.split(placeholder).join(page || number);
    if (page && page.indexOf("–") > 0) text.innerHTML = text.innerHTML.split("p. " + page).join("pp. " + page);
    var url = text.querySelectorAll(".cite-url");
    fillUrls(text);
    url.forEach(function (span) {
      var next = span.nextSibling;
      if (next && next.nodeType === 3 && next.nodeValue.indexOf("#p" + (page || number)) === 0) {
        next.nodeValue = "#p" + number + next.nodeValue.slice(("#p" + (page || number)).length);
      }
    });
    return text;
  }

  /* The paragraph's citation in one form as plain text (the student's notebook puts it under each
     quotation it exports); null on a page without "Cite this". */
  window.rfaCiteParagraph = function (p, form) {
    var box = document.getElementById("cite-this");
    if (!box || !/^p\d+$/.test(p.id)) return null;
    var page = printedPage(p);
    var tpl = box.querySelector('template[data-locator="' + (page ? "page" : "paragraph") + '"]');
    var src = tpl && tpl.content.querySelector('p[data-form="' + (form || "chicago-note") + '"]');
    return src ? plain(formText(src, box.getAttribute("data-placeholder"), page, p.id.slice(1))) : null;
  };

  function addParagraphButtons() {
    if (!document.getElementById("cite-this")) return;
    document.querySelectorAll(".md-content p[id^='p']").forEach(function (p) {
      if (!/^p\d+$/.test(p.id) || p.querySelector(":scope > .para-cite")) return;
      var b = document.createElement("button");
      b.type = "button";
      b.className = "para-cite";
      b.textContent = "cite";
      /* no title: its visible word and label say it, and a title would make Material mount a hover
         tooltip on each of a chapter's ~90 buttons as the page opens (Lighthouse's blocking time) */
      b.setAttribute("aria-label", "Cite paragraph " + p.id.slice(1));
      b.addEventListener("click", function (ev) { ev.preventDefault(); openParagraphDialog(p, b); });
      var pilcrow = p.querySelector(":scope > .para-link");
      p.insertBefore(b, pilcrow ? pilcrow.nextSibling : p.firstChild);
    });
  }

  function onPage() {
    statusRegion();
    fillUrls(document);
    document.querySelectorAll(".cite-copy[data-copy]").forEach(function (button) {
      if (button._cite) return;
      button._cite = true;
      button.addEventListener("click", function () {
        copyText(plain(document.getElementById(button.getAttribute("data-copy"))), button);
      });
    });
    addParagraphButtons();
  }

  if (typeof document$ !== "undefined") { document$.subscribe(onPage); }
  else { document.addEventListener("DOMContentLoaded", onPage); }
})();
