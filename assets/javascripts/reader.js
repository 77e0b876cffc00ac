/* Reading aids (issue 11): reader settings, tap-to-see popovers, paragraph numbers, print head.

   - Settings, remembered on the device (localStorage, works from file:// too):
       glossary marks  "section" (default: a term's first occurrence in each section is marked;
                       the build writes those as a.gl links and later ones as span.gx),
                       "all" (every span.gx becomes a link too) or "off" (no marks, no tab stops);
       paragraph numbers shown in the margin (default) or hidden.
     They are applied as data-marks / data-pnum on <html>; assets/stylesheets/reader.css styles them.
   - A click, tap or Enter on a glossary term or a note number opens a small popover in place
     (the short definition or the note, with "More in the glossary" / "Go to the note"), instead of
     leaving the page. Escape, a tap outside or the close button closes it; focus moves into it,
     so screen readers read it, and returns to the term on Escape.
   - Paragraph numbers: the "¶" links added by extra.js show the paragraph's number.
   - Print: a running head (reading, chapter) and the page's address in the page margins. */
(function () {
  "use strict";
  var KEY = "rfa-reader";
  var SELF = document.currentScript && document.currentScript.src;  /* to find notebook.js beside it */
  var DEFAULTS = { marks: "section", pnum: "on" };
  var MODES = { marks: ["section", "all", "off"], pnum: ["on", "off"] };

  /* Short definitions, read before Material's tooltips take the title attributes over. */
  var defs = {};
  function collectDefinitions() {
    var table = window.RFA_GLOSSARY || {};
    document.querySelectorAll(".md-typeset a.gl").forEach(function (a) {
      var id = termId(a);
      if (!id || defs[id]) return;
      var text = table[id] || a.getAttribute("title");
      if (text) defs[id] = { text: text, href: a.getAttribute("href") };
    });
  }
  function termId(el) {
    if (el.dataset.g) return el.dataset.g;
    var href = el.getAttribute("href") || "";
    return href.indexOf("#") >= 0 ? href.slice(href.indexOf("#") + 1) : "";
  }
  /* The definitions are written once for the whole site (assets/javascripts/glossary-definitions.js,
     page weight); each link gets its own here, before Material turns title attributes into
     tooltips (at DOMContentLoaded). */
  function shareDefinitions() {
    document.querySelectorAll(".md-typeset a.gl:not([title]):not(.gx-up)").forEach(function (a) {
      var d = defs[termId(a)];
      if (d) a.setAttribute("title", d.text);
    });
  }
  collectDefinitions();
  shareDefinitions();

  /* ---- settings -------------------------------------------------------------------------- */
  function load() {
    var s = {};
    try { s = JSON.parse(localStorage.getItem(KEY) || "{}") || {}; } catch (e) { s = {}; }
    var out = {};
    Object.keys(DEFAULTS).forEach(function (k) {
      out[k] = MODES[k].indexOf(s[k]) >= 0 ? s[k] : DEFAULTS[k];
    });
    return out;
  }
  function save(settings) {
    try { localStorage.setItem(KEY, JSON.stringify(settings)); } catch (e) { /* private mode: not remembered */ }
  }
  function apply(settings) {
    var root = document.documentElement;
    root.setAttribute("data-marks", settings.marks);
    root.setAttribute("data-pnum", settings.pnum);
    if (settings.marks === "all") upgradeLaterOccurrences(); else downgradeLaterOccurrences();
    document.querySelectorAll(".md-typeset a.gl").forEach(function (a) {
      if (settings.marks === "off") a.setAttribute("tabindex", "-1"); else a.removeAttribute("tabindex");
    });
  }
  apply(load());  /* before the first paint of the content, to avoid a flash of marks */

  /* "every occurrence": later occurrences (span.gx) become links like the first ones. */
  function upgradeLaterOccurrences() {
    document.querySelectorAll(".md-typeset span.gx").forEach(function (span) {
      var d = defs[span.dataset.g];
      if (!d) return;
      var a = document.createElement("a");
      a.className = "gl gx-up";
      a.href = d.href;
      a.dataset.g = span.dataset.g;
      a.title = d.text;
      a.textContent = span.textContent;
      span.replaceWith(a);
    });
  }
  function downgradeLaterOccurrences() {
    document.querySelectorAll(".md-typeset a.gx-up").forEach(function (a) {
      var span = document.createElement("span");
      span.className = "gx";
      span.dataset.g = a.dataset.g;
      span.textContent = a.textContent;
      a.replaceWith(span);
    });
  }

  var SETTINGS_ICON = '<svg viewBox="0 0 24 24" aria-hidden="true" focusable="false"><path d="M9.6 14 12 7.7l2.4 6.3M11 ' +
    '5h2l5.5 14h-2.3l-1.12-3H8.9l-1.1 3H5.5L11 5Z"/></svg>';

  function settingsPanel() {
    if (document.getElementById("rd-settings")) return;
    var header = document.querySelector(".md-header__inner");
    if (!header) return;
    var wrap = document.createElement("div");
    wrap.className = "rd-settings";
    wrap.id = "rd-settings";
    wrap.innerHTML =
      '<button type="button" class="md-header__button md-icon rd-settings__toggle" aria-expanded="false" ' +
      'aria-controls="rd-settings-panel" aria-label="Reading settings" title="Reading settings">' + SETTINGS_ICON + "</button>" +
      '<div class="rd-settings__panel" id="rd-settings-panel" role="group" aria-label="Reading settings" hidden>' +
      '<fieldset><legend>Glossary marks</legend>' +
      radio("marks", "section", "First in each section") + radio("marks", "all", "Every occurrence") +
      radio("marks", "off", "Off") + "</fieldset>" +
      '<fieldset><legend>Paragraph numbers</legend>' +
      radio("pnum", "on", "Show") + radio("pnum", "off", "Hide") + "</fieldset>" +
      '<p class="rd-settings__note">Remembered on this device.</p></div>';
    var search = header.querySelector(".md-search") || header.lastChild;
    header.insertBefore(wrap, search);
    var button = wrap.querySelector("button");
    var panel = wrap.querySelector(".rd-settings__panel");
    var current = load();
    wrap.querySelectorAll("input").forEach(function (input) {
      input.checked = current[input.name.slice(3)] === input.value;
      input.addEventListener("change", function () {
        var s = load();
        s[input.name.slice(3)] = input.value;
        save(s);
        apply(s);
      });
    });
    function setOpen(open) {
      panel.hidden = !open;
      button.setAttribute("aria-expanded", String(open));
    }
    button.addEventListener("click", function () { setOpen(panel.hidden); });
    document.addEventListener("click", function (e) { if (!wrap.contains(e.target)) setOpen(false); });
    wrap.addEventListener("keydown", function (e) {
      if (e.key === "Escape" && !panel.hidden) { setOpen(false); button.focus(); }
    });
  }
  function radio(name, value, label) {
    return '<label><input type="radio" name="rd-' + name + '" value="' + value + '"> ' + label + "</label>";
  }

  /* ---- the reading guide: open on the first visit to a page, then as the reader left it ------
     The choice is remembered per reading page (each chapter of Viola has its own guide) in
     localStorage, like the settings. A page seen once without a choice opens collapsed next time,
     so a returning reader starts at the text. Print shows the guide whatever its state (print.css). */
  var GUIDE_KEY = "rfa-guides";
  function loadGuides() {
    try { return JSON.parse(localStorage.getItem(GUIDE_KEY) || "{}") || {}; } catch (e) { return {}; }
  }
  function saveGuides(all) {
    try { localStorage.setItem(GUIDE_KEY, JSON.stringify(all)); } catch (e) { /* not remembered */ }
  }
  function guidePage() {
    var m = /(?:^|\/)(readings\/.*)$/.exec(location.pathname);
    return m ? m[1] : location.pathname;
  }
  function readingGuide() {
    var guide = document.querySelector(".md-typeset details.reading-guide");
    if (!guide || guide.__rfa) return;
    guide.__rfa = true;
    var key = guidePage(), all = loadGuides();
    if (all[key] === "open" || all[key] === "closed") {
      guide.open = all[key] === "open";
    } else {
      all[key] = "closed";  /* the first visit: open now, collapsed on the next */
      saveGuides(all);
    }
    guide.addEventListener("toggle", function () {
      var now = loadGuides();
      now[key] = guide.open ? "open" : "closed";
      saveGuides(now);
    });
  }
  readingGuide();  /* before the first paint: no jump of the text when the guide starts collapsed */

  /* ---- popovers -------------------------------------------------------------------------- */
  var pop = null, trigger = null;

  function closePopover(returnFocus) {
    if (!pop) return;
    pop.remove();
    pop = null;
    document.documentElement.classList.remove("rd-pop-open");
    if (trigger) {
      trigger.setAttribute("aria-expanded", "false");
      if (returnFocus) trigger.focus();
    }
    trigger = null;
  }

  function openPopover(el) {
    var isEd = el.classList.contains("ed-note-ref");   /* an editor's note (†), the edition's own */
    var isNote = isEd || el.classList.contains("footnote-ref");
    var box = document.createElement("div");
    box.className = "rd-pop md-typeset";
    box.id = "rd-pop";
    box.setAttribute("role", "dialog");
    box.tabIndex = -1;
    var body = document.createElement("div");
    body.className = "rd-pop__body";
    var more = document.createElement("a");
    more.className = "rd-pop__more";
    if (isNote) {
      var target = document.getElementById(decodeURIComponent(el.hash.slice(1)));
      if (!target) return false;
      var number = el.textContent.trim();
      var title = isEd ? "Editor’s note" : "Note " + number;
      box.setAttribute("aria-label", title);
      if (isEd) box.classList.add("rd-pop--editor");
      var clone = target.cloneNode(true);
      clone.querySelectorAll(".footnote-backref, .editor-note__back, .editor-note__label, [id]").forEach(function (n) {
        if (n.matches(".footnote-backref, .editor-note__back, .editor-note__label")) n.remove(); else n.removeAttribute("id");
      });
      var head = document.createElement("p");
      head.className = "rd-pop__title";
      head.textContent = isEd ? "† " + title : title;
      body.appendChild(head);
      while (clone.firstChild) body.appendChild(clone.firstChild);
      more.href = el.getAttribute("href");
      more.textContent = isEd ? "Go to the editor’s note" : "Go to the note";
      more.addEventListener("click", function () { closePopover(false); });
    } else {
      var d = defs[termId(el)] || { text: el.getAttribute("title") || "", href: el.getAttribute("href") };
      box.setAttribute("aria-label", "Glossary: " + el.textContent.trim());
      var term = document.createElement("p");
      term.className = "rd-pop__title";
      term.textContent = el.textContent.trim();
      var def = document.createElement("p");
      def.textContent = d.text;
      body.appendChild(term);
      body.appendChild(def);
      more.href = d.href;
      more.textContent = "More in the glossary";
    }
    var close = document.createElement("button");
    close.type = "button";
    close.className = "rd-pop__close";
    close.setAttribute("aria-label", "Close");
    close.textContent = "×";
    close.addEventListener("click", function () { closePopover(true); });
    box.appendChild(body);
    var foot = document.createElement("p");
    foot.className = "rd-pop__foot";
    foot.appendChild(more);
    box.appendChild(foot);
    box.appendChild(close);  /* last in tab order: Tab from the popover reaches "More…" first */

    /* a long note scrolls inside the popover: the foot says so, and the text fades out at the
       bottom until the reader reaches its end */
    var cue = document.createElement("span");
    cue.className = "rd-pop__cue";
    cue.setAttribute("aria-hidden", "true");
    cue.textContent = "More below ↓ scroll";
    foot.insertBefore(cue, more);
    body.addEventListener("scroll", function () { scrollCue(box); }, { passive: true });

    closePopover(false);
    document.body.appendChild(box);
    pop = box;
    trigger = el;
    el.setAttribute("aria-expanded", "true");
    el.setAttribute("aria-controls", "rd-pop");
    document.documentElement.classList.add("rd-pop-open");  /* hides Material's hover preview */
    place(box, el);
    box.focus({ preventScroll: true });
    return true;
  }

  function scrollCue(box) {
    var body = box.querySelector(".rd-pop__body");
    var scrolls = body.scrollHeight > body.clientHeight + 2;
    var end = body.scrollTop + body.clientHeight >= body.scrollHeight - 2;
    box.classList.toggle("rd-pop--scrolls", scrolls);
    box.classList.toggle("rd-pop--more", scrolls && !end);
    /* a scrolling note can be scrolled by keyboard too */
    if (scrolls) { body.tabIndex = 0; body.setAttribute("role", "region"); body.setAttribute("aria-label", box.getAttribute("aria-label")); }
    else { body.removeAttribute("tabindex"); body.removeAttribute("role"); body.removeAttribute("aria-label"); }
  }

  /* Below the marker if it fits, else above it; never over the header (Material's sticky bar):
     on the side with more room the popover is as tall as that room, and scrolls inside. */
  function place(box, el) {
    var r = el.getBoundingClientRect();
    var view = document.documentElement.clientWidth;
    var width = Math.min(360, view - 16);
    box.style.width = width + "px";
    var left = Math.max(8, Math.min(r.left + window.scrollX - 24, window.scrollX + view - width - 8));
    box.style.left = left + "px";
    var header = document.querySelector(".md-header");
    var top = header ? Math.max(0, header.getBoundingClientRect().bottom) : 0;
    var below = window.innerHeight - r.bottom - 14, above = r.top - top - 14;
    if (Math.max(below, above) < 160) {  /* the marker is at the very edge: bring it into the open */
      window.scrollBy(0, r.top - top - window.innerHeight * 0.3);
      r = el.getBoundingClientRect();
      below = window.innerHeight - r.bottom - 14; above = r.top - top - 14;
    }
    box.style.maxHeight = "none";
    var h = box.offsetHeight;
    var downwards = h <= below || below >= above;
    box.style.maxHeight = Math.floor(downwards ? below : above) + "px";
    h = box.offsetHeight;
    box.style.top = (downwards ? r.bottom + window.scrollY + 6 : r.top + window.scrollY - h - 6) + "px";
    scrollCue(box);
  }

  function popTarget(e) {
    var el = e.target.closest && e.target.closest(".md-typeset a.gl, .md-typeset a.footnote-ref, .md-typeset a.ed-note-ref");
    if (!el || el.closest(".rd-pop")) return null;
    if (document.documentElement.getAttribute("data-marks") === "off" && el.classList.contains("gl")) return null;
    return el;
  }

  /* A tap outside an open popover only closes it: Chromium's touch adjustment hands a tap near a
     note number (a line away) to the number, which opened that note instead. With a mouse a click
     right on another term or number opens it at once. */
  var pointer = "mouse";
  document.addEventListener("pointerdown", function (e) { pointer = e.pointerType || "mouse"; }, true);
  document.addEventListener("click", function (e) {
    if (pop && !pop.contains(e.target) && e.target !== trigger) {
      var target = popTarget(e);
      var again = target === trigger;
      closePopover(false);
      if (again || (target && pointer !== "mouse")) { e.preventDefault(); return; }
    }
    if (e.button !== 0 || e.ctrlKey || e.metaKey || e.shiftKey || e.altKey) return;
    var el = popTarget(e);
    if (el && openPopover(el)) e.preventDefault();
  });
  document.addEventListener("keydown", function (e) {
    if (e.key === "Escape" && pop) { e.preventDefault(); closePopover(true); }
  });
  window.addEventListener("resize", function () { if (pop && trigger) place(pop, trigger); });

  /* ---- search that forgives transliteration -------------------------------------------------
     Each query word that is a glossary form written another way (no apostrophe: "selsovet") gets
     the entry's headword added ("selsovet sel'sovet"), so it finds the same pages. The table comes
     from the glossary (scripts/reader_data.py). The query is rewritten on its way to the search
     worker, so this works online (Material's worker) and in the bundle (our worker) alike. */
  var SEARCH_QUERY = 2;  /* Material 9's worker message type for a query */
  function squash(word) { return word.toLowerCase().replace(/['’ʹʼ]/g, ""); }
  function expandQuery(query) {
    var table = window.RFA_SEARCH_VARIANTS;
    if (!table || typeof query !== "string") return query;
    var keys = null, extra = [];
    query.split(/\s+/).forEach(function (word) {
      var k = squash(word.replace(/^[+\-~"]+|[*~^\d"]+$/g, ""));
      if (k.length < 3) return;
      var head = table[k];
      if (!head && k.length >= 6) {
        keys = keys || Object.keys(table);
        for (var i = 0; i < keys.length; i++) if (keys[i].indexOf(k) === 0) { head = table[keys[i]]; break; }
      }
      /* add the headword unless the word is spelled exactly so already */
      if (head && word.toLowerCase() !== head.toLowerCase() && extra.indexOf(head) < 0 &&
          query.toLowerCase().indexOf(head.toLowerCase()) < 0) extra.push(head);
    });
    return extra.length ? query + " " + extra.join(" ") : query;
  }
  window.rfaExpandQuery = expandQuery;
  if (window.Worker && !Worker.prototype.__rfaVariants) {
    var post = Worker.prototype.postMessage;
    Worker.prototype.postMessage = function (message) {
      if (message && message.type === SEARCH_QUERY && typeof message.data === "string") {
        arguments[0] = { type: message.type, data: expandQuery(message.data) };
      }
      return post.apply(this, arguments);
    };
    Worker.prototype.__rfaVariants = true;
  }

  /* ---- paragraph numbers and the printed running head ------------------------------------ */
  function paragraphNumbers() {
    document.querySelectorAll(".md-typeset a.para-link").forEach(function (a) {
      if (a.classList.contains("pnum")) return;
      var n = a.getAttribute("href").replace(/^#p/, "");
      a.classList.add("pnum");
      a.textContent = n;
    });
  }

  var printHeadDone = false;
  function printHead() {
    if (printHeadDone || document.getElementById("rd-print-head")) return;
    var h1 = document.querySelector(".md-content h1");
    var source = document.querySelector(".md-content .reading-source");
    var byline = document.querySelector(".md-content .byline");
    var head = "";
    if (source && source.querySelector("em")) {
      var by = source.textContent.split(" by ")[1] || "";
      head = (by.split("·")[0].trim() ? by.split("·")[0].trim() + ", " : "") + source.querySelector("em").textContent +
        " — " + (h1 ? h1.textContent.replace(/#\s*$/, "").trim() : "");
    } else if (h1) {
      head = (byline ? byline.textContent.trim() + ", " : "") + h1.textContent.replace(/#\s*$/, "").trim();
    }
    if (head.length > 110) head = head.slice(0, 108) + "…";
    var url = location.href.split("#")[0];
    var css = function (s) { return '"' + s.replace(/\\/g, "\\\\").replace(/"/g, '\\"') + '"'; };
    var text = "@page { @top-left { content: " + css(head) + "; } @bottom-left { content: " + css(url) +
      "; } @bottom-right { content: counter(page) \" / \" counter(pages); } }";
    /* a constructed style sheet, not a <style> element, where the browser has them: the published
       site's Content-Security-Policy (deploy/csp.txt) allows no inline style element */
    if (window.CSSStyleSheet && "adoptedStyleSheets" in document) {
      try {
        var sheet = new CSSStyleSheet();
        sheet.replaceSync(text);
        document.adoptedStyleSheets = document.adoptedStyleSheets.concat([sheet]);
        printHeadDone = true;
        return;
      } catch (e) { /* fall back to the element */ }
    }
    var style = document.createElement("style");
    style.id = "rd-print-head";
    style.textContent = text;
    document.head.appendChild(style);
  }

  /* ---- skip links ------------------------------------------------------------------------
     A chapter has hundreds of tab stops (terms, note numbers, ¶ numbers, "cite"). At the top of the
     text and after each section heading a link, shown when it has keyboard focus, skips to the next
     section or to the notes; at the notes one skips past them. */
  function skipLinks() {
    var article = document.querySelector("article.md-content__inner");
    var notes = article && article.querySelector("h2#notes");
    if (!notes || article.querySelector(".rd-skip")) return;
    var heads = Array.prototype.filter.call(article.querySelectorAll("h2[id]"), function (h) {
      return !h.closest("details, .rd-pop");
    });
    function link(href, text) {
      var a = document.createElement("a");
      a.className = "rd-skip";
      a.href = href;
      a.textContent = text;
      return a;
    }
    function label(h) { return h.textContent.replace(/#\s*$/, "").trim(); }
    var h1 = article.querySelector("h1");
    var first = heads[0];
    if (h1) {
      var top = document.createElement("p");
      top.className = "rd-skips";
      var start = article.querySelector("p#p1") || (first !== notes ? first : null);
      if (start) top.appendChild(link("#" + start.id, "Skip to the text"));
      top.appendChild(link("#notes", "Skip to the notes"));
      h1.parentNode.insertBefore(top, h1.nextSibling);
    }
    heads.forEach(function (h, i) {
      var next = heads[i + 1];
      var a;
      if (h === notes) {
        var footer = document.querySelector(".md-footer");
        if (!footer) return;
        if (!footer.id) footer.id = "rd-after-notes";
        a = link("#" + footer.id, "Skip past the notes");
      } else if (next) {
        a = link("#" + next.id, next === notes ? "Skip to the notes" : "Skip to the next section: " + label(next));
      } else return;
      var wrap = document.createElement("p");
      wrap.className = "rd-skips";
      wrap.appendChild(a);
      h.parentNode.insertBefore(wrap, h.nextSibling);
    });
  }

  /* Material's own previews (footnote and glossary tooltips) are role=dialog without a name
     (axe: aria-dialog-name); they are added and given their role while the reader hovers or taps. */
  var naming = false;
  function nameMaterialTooltips() {
    if (naming || !window.MutationObserver) return;
    naming = true;
    function label() {
      document.querySelectorAll('[role="dialog"]:not([aria-label]):not([aria-labelledby])').forEach(function (d) {
        d.setAttribute("aria-label", "Preview");
      });
    }
    label();
    new MutationObserver(label).observe(document.body,
      { childList: true, subtree: true, attributes: true, attributeFilter: ["role"] });
  }

  /* ---- the student's notebook (issue 22) ---------------------------------------------------
     assets/javascripts/notebook.js is loaded only where it works: a reading page (paragraphs with
     ids p1, p2… under readings/) and the My notes page (#nb-notes); other pages stay light. On a
     reading page it comes once the page has loaded and is idle (within a second): loaded at
     DOMContentLoaded, its 51 KB were fetched and compiled while the chapter was still being laid
     out for its first paint (Lighthouse: unused JavaScript, issue 19); the My notes page is the
     notebook itself, so there it comes at once. */
  function notebook() {
    if (!SELF || document.getElementById("rfa-notebook-js")) return;
    var reading = /\/readings\//.test(location.pathname) && document.querySelector("article p[id^='p']");
    var notesPage = document.getElementById("nb-notes");
    if (!reading && !notesPage) return;
    function add() {
      if (document.getElementById("rfa-notebook-js")) return;
      var s = document.createElement("script");
      s.id = "rfa-notebook-js";
      s.src = SELF.replace(/[^\/?#]*([?#].*)?$/, "notebook.js");   /* a literal name: ./site.sh publish fingerprints it */
      document.body.appendChild(s);
    }
    function idle() { (window.requestIdleCallback || function (f) { setTimeout(f, 1); })(add, { timeout: 1000 }); }
    if (notesPage || document.readyState === "complete") (notesPage ? add : idle)();
    else window.addEventListener("load", idle, { once: true });
  }

  /* ---- the book face ------------------------------------------------------------------------
     PT Serif is used once the device has it (html.rfa-face, set before the first paint by the head
     script in overrides/main.html; reader.css). On a reader's first page it is fetched here, after
     the page has loaded and is idle, and the page keeps the serif it was painted in: a first visit
     on a slow phone does not wait for ~100 KB of fonts before its text appears, and no page reflows
     under the reader when a font arrives. Regular, bold and italic, Latin and Latin Extended (the
     transliterations); the Cyrillic files come when a page needs them. Once all have loaded,
     localStorage["rfa-face"] tells the next page to use them. */
  var FACE_KEY = "rfa-face";
  var FACES = ['400 1em "PT Serif"', '700 1em "PT Serif"', 'italic 400 1em "PT Serif"'];
  function bookFace() {
    if (document.documentElement.classList.contains("rfa-face") || bookFace.started) return;
    if (!document.fonts || !document.fonts.load || !window.Promise) return;
    bookFace.started = true;
    function fetchFaces() {
      Promise.all(FACES.map(function (f) { return document.fonts.load(f, "Aa \u0161\u0101"); }))
        .then(function (sets) {
          if (!sets.every(function (s) { return s.length; })) return;
          try { localStorage.setItem(FACE_KEY, "1"); } catch (e) { /* the next page fetches them again */ }
        }, function () { /* offline or blocked: the next page tries again */ });
    }
    function idle() { (window.requestIdleCallback || function (f) { setTimeout(f, 1); })(fetchFaces, { timeout: 2000 }); }
    if (document.readyState === "complete") idle();
    else window.addEventListener("load", idle, { once: true });
  }

  function onPage() {
    bookFace();
    nameMaterialTooltips();
    collectDefinitions();
    settingsPanel();
    apply(load());
    paragraphNumbers();
    printHead();
    readingGuide();
    skipLinks();
    notebook();
  }
  if (typeof document$ !== "undefined") { document$.subscribe(onPage); }
  else { document.addEventListener("DOMContentLoaded", onPage); }
})();
