/* The student's notebook (issue 22): highlights and notes kept on this device only.

   Loaded by reader.js on reading pages and on My notes (notes.html), nowhere else.
   - Storage: localStorage["rfa-notebook"] of this origin (the online site, or the unzipped bundle's
     file:// pages), never sent anywhere; beside it "rfa-notebook-margin", the list of pages with
     notes, which the page's head reads before the first paint (see margin()). A failed write (storage full, private browsing) is said on
     screen; nothing is dropped silently.
   - Anchoring: each annotation keeps W3C Web Annotation selectors: its paragraph id (FragmentSelector),
     a TextQuoteSelector (exact, prefix, suffix) and a TextPositionSelector, both counted in the
     paragraph's own text (the "¶ 37" and "cite" controls that extra.js and cite.js add are not
     counted). Matching is done by the npm packages dom-anchor-text-quote/-position (the bundle
     notebook-anchoring.js, loaded on first use or when the page has annotations): by position when
     the words are still there, else by quote (fuzzy, near the old position), else by the exact
     quote anywhere in the reading (paragraph ids of a new edition). One that cannot be placed is
     kept and listed as "could not be placed", to re-attach or delete.
   - My notes: every note by reading and paragraph, a filter, exports (Markdown with citations,
     Web Annotation JSON-LD, a hand-in file with the student's name), import (merging, no
     duplicates; other people's files read-only, in their own colour, removable). */
(function () {
  "use strict";
  var KEY = "rfa-notebook";
  var CONTEXT = "http://www.w3.org/ns/anno.jsonld";
  var COLOURS = [["yellow", "Yellow"], ["green", "Green"], ["blue", "Blue"], ["pink", "Pink"]];
  var SELF = document.currentScript && document.currentScript.src;
  var ROOT = siteRoot();
  /* for the tests and the benchmark: the stored data, its JSON-LD, and the drawing's promise */
  var api = window.rfaNotebook = {
    data: function () { return data; }, reload: function () { data = load(); refresh(); return api.ready; },
    jsonld: function () { return collection(data.mine, "My notes — " + SITE); }, ready: Promise.resolve()
  };
  /* its styles come with it (pages without the notebook do not load them); resolved when they are in */
  var styled = (function stylesheet() {
    if (!SELF || document.getElementById("rfa-notebook-css")) return Promise.resolve();
    var link = document.createElement("link");
    link.id = "rfa-notebook-css";
    link.rel = "stylesheet";
    link.href = SELF.replace(/javascripts\/[^\/?#]*([?#].*)?$/, "stylesheets/notebook.css");
    var loaded = new Promise(function (resolve) {
      link.onload = link.onerror = function () { resolve(); };
      setTimeout(resolve, 3000);   /* a stylesheet that never answers does not keep the highlights away */
    });
    document.head.appendChild(link);
    return loaded;
  })();
  var SITE = siteName();

  function siteRoot() {
    var base = ".";
    try { base = JSON.parse(document.getElementById("__config").textContent).base || "."; } catch (e) { /* default */ }
    return new URL(base.replace(/\/?$/, "/"), location.href).href;
  }
  function siteName() {
    var t = document.querySelector(".md-header__topic .md-ellipsis");
    return t ? t.textContent.trim() : document.title.split(" - ").pop();
  }
  function pageKey(href) {
    href = (href || location.href).split("#")[0].split("?")[0];
    return href.indexOf(ROOT) === 0 ? decodeURI(href.slice(ROOT.length)) : null;
  }
  function uuid() {
    if (window.crypto && crypto.randomUUID) return crypto.randomUUID();
    return "xxxxxxxx-xxxx-4xxx-yxxx-xxxxxxxxxxxx".replace(/[xy]/g, function (c) {
      var r = Math.random() * 16 | 0; return (c === "x" ? r : (r & 3 | 8)).toString(16);
    });
  }
  function now() { return new Date().toISOString().replace(/\.\d+Z$/, "Z"); }
  function el(tag, attrs, text) {
    var e = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (k) {
      if (k === "class") e.className = attrs[k]; else e.setAttribute(k, attrs[k]);
    });
    if (text != null) e.textContent = text;
    return e;
  }

  /* ---- storage ------------------------------------------------------------------------------ */
  var storageProblem = "";
  function load() {
    var d = {};
    try {
      d = JSON.parse(localStorage.getItem(KEY) || "{}") || {};
    } catch (e) {
      storageProblem = "This browser does not let the edition keep notes (storage unavailable, as in some private windows): " +
        "highlights you make now will be lost when you leave the page. Export them from My notes before you go.";
    }
    return {
      mine: Array.isArray(d.mine) ? d.mine.filter(valid) : [],
      others: Array.isArray(d.others) ? d.others : [],
      print: d.print === "off" ? "off" : "on",
      name: typeof d.name === "string" ? d.name : ""
    };
  }
  function valid(a) {
    return a && typeof a.id === "string" && typeof a.page === "string" && typeof a.exact === "string" && a.exact &&
      /^p\d+$/.test(a.para || "");
  }
  var data = load();
  function save() {
    try {
      localStorage.setItem(KEY, JSON.stringify(data));
      marginIndex();
      if (storageProblem) { storageProblem = ""; say(""); }
      return true;
    } catch (e) {
      storageProblem = "Your last change could not be saved: this browser's storage for the edition is full or " +
        "unavailable (private browsing?). It is shown until you leave the page: export your notes from My notes now.";
      say(storageProblem, true);
      return false;
    }
  }
  function say(text, alert) {
    var box = document.getElementById("nb-status");
    if (!box) {
      box = el("p", { id: "nb-status", class: "nb-status", role: "status", "aria-live": "polite" });
      var article = document.querySelector("article.md-content__inner");
      (article || document.body).insertBefore(box, article ? article.firstChild : null);
    }
    box.textContent = text;
    box.classList.toggle("nb-status--alert", !!alert);
    box.hidden = !text;
  }
  function whereStored() {
    var where = location.protocol === "file:" ? "in this browser, for the copy of the edition in the folder you opened"
      : "in this browser, for " + location.host;
    return "Your highlights and notes are stored only " + where + ": nothing is sent anywhere. " +
      "Clearing the browser’s data (history, cookies and site data) deletes them; export them from My notes to keep a copy.";
  }
  window.addEventListener("storage", function (e) { if (e.key === KEY) { data = load(); refresh(); } });

  /* ---- the selector bundle --------------------------------------------------------------------- */
  var bundle = null;
  function anchoring() {
    if (bundle) return bundle;
    bundle = new Promise(function (resolve, reject) {
      if (window.RFAAnchoring) { resolve(window.RFAAnchoring); return; }
      var s = el("script", { src: SELF.replace(/[^\/?#]*([?#].*)?$/, "notebook-anchoring.js") });
      s.onload = function () { resolve(window.RFAAnchoring); };
      s.onerror = function () { reject(new Error("notebook-anchoring.js did not load")); };
      document.head.appendChild(s);
    });
    return bundle;
  }

  /* ---- positions within a paragraph ------------------------------------------------------------ */
  function lead(p) {   /* the text of the controls added before the paragraph's own words */
    var n = 0;
    for (var c = p.firstChild; c; c = c.nextSibling) {
      if (c.nodeType === 1 && c.matches(".para-link, .para-cite")) n += c.textContent.length; else break;
    }
    return n;
  }
  function paragraphOf(node) {
    var e = node && (node.nodeType === 1 ? node : node.parentElement);
    var p = e && e.closest("article p[id]");
    return p && /^p\d+$/.test(p.id) ? p : null;
  }
  function describe(A, p, range) { return describePos(A, p, A.textPosition.fromRange(p, range)); }
  function describePos(A, p, pos) {
    var skip = lead(p);
    if (pos.start < skip) pos.start = skip;
    if (pos.end <= pos.start) return null;
    var q = A.textQuote.fromTextPosition(p, pos);
    var from = Math.max(0, pos.start - 32);
    if (from < skip) q.prefix = q.prefix.slice(skip - from);
    if (!q.exact.trim()) return null;
    return { para: p.id, exact: q.exact, prefix: q.prefix, suffix: q.suffix, start: pos.start - skip, end: pos.end - skip };
  }
  function close(A, found, exact) {
    if (found === exact) return true;
    var dmp = new A.DiffMatchPatch();
    return dmp.diff_levenshtein(dmp.diff_main(found, exact)) <= Math.max(2, Math.floor(exact.length * 0.2));
  }
  /* What one drawing reads of a paragraph, read once per paragraph and not once per annotation:
     {skip: lead(p), text: p.textContent}. Drawing does not change them (a <mark> only moves text into
     itself; a marker button has no text of its own), so they hold until the drawing ends. Without a
     cache (seen undefined) they are read afresh. */
  function textOf(p, seen) {
    var t = seen && seen.get(p);
    if (!t) { t = { skip: lead(p), text: p.textContent }; if (seen) seen.set(p, t); }
    return t;
  }
  function storedParagraph(a) { var p = document.getElementById(a.para); return p && paragraphOf(p) === p ? p : null; }
  /* The fast path, which needs no library: the stored offsets still hold the stored words (every
     visit after the first, until a new edition changes the paragraph). */
  function atStored(a, seen) {
    var p = storedParagraph(a);
    if (!p) return null;
    var t = textOf(p, seen);
    return t.text.substr(t.skip + a.start, a.end - a.start) === a.exact ? { p: p, start: t.skip + a.start, end: t.skip + a.end } : null;
  }
  /* Where an annotation is now: {p, start, end} (offsets in p.textContent), or null. */
  function locate(A, a, seen) {
    var found = atStored(a, seen);
    if (found) return found;
    var p = storedParagraph(a);
    if (p) {
      var t = textOf(p, seen);
      var pos = A.textQuote.toTextPosition(p, { exact: a.exact, prefix: a.prefix, suffix: a.suffix }, { hint: t.skip + (a.start || 0) });
      if (pos && pos.start >= t.skip && close(A, t.text.slice(pos.start, pos.end), a.exact)) return { p: p, start: pos.start, end: pos.end };
    }
    var best = null;   /* a new edition may have renumbered the paragraphs: the exact quote anywhere */
    document.querySelectorAll("article p[id^='p']").forEach(function (q) {
      if (best || !/^p\d+$/.test(q.id)) return;
      var tq = textOf(q, seen), i = tq.text.indexOf(a.exact, tq.skip);
      if (i >= 0) best = { p: q, start: i, end: i + a.exact.length };
    });
    return best;
  }

  /* ---- drawing highlights -------------------------------------------------------------------- */
  /* Where the browser has the CSS Custom Highlight API (Chromium 105+, Safari 17.2+, Firefox 140+),
     a highlight is a Range painted by notebook.css's ::highlight(nb-yellow…) rules: the text stays
     as it is, so the paragraph is not laid out again for it (issue 22: 500 highlights on chapter 4
     used to cost more than a second of style and layout for 688 <mark>s, CPU 4x), and it prints
     (Chromium paints highlights into print and PDF). Elsewhere the words are wrapped in <mark>s, as
     before. Either way a marker button follows the highlight's last word. */
  var PAINT = !!(window.CSS && CSS.highlights && typeof window.Highlight === "function" && window.Range);
  var HIGHLIGHTS = ["yellow", "green", "blue", "pink", "other"];
  /* the painted ranges, per paragraph: [{range, id, other}] (for a click on painted words) */
  var paintedRanges = new Map();
  /* a drawing's ranges by highlight name, registered at its end (flushPaint): a Highlight that is
     already registered redraws the page's highlights on each add */
  var pending = null;
  function highlight(name) {
    var h = CSS.highlights.get("nb-" + name);
    if (!h) { h = new Highlight(); CSS.highlights.set("nb-" + name, h); }
    return h;
  }
  /* The text nodes of p that a highlight may wrap (not those of the "¶"/"cite" controls or of a
     marker), each with its offset in p.textContent, in document order. wrap() keeps the list true as
     it splits nodes, so one drawing walks each paragraph once instead of once per annotation. */
  function textNodes(p) {
    var out = [], pos = 0, walker = document.createTreeWalker(p, NodeFilter.SHOW_TEXT);
    while (walker.nextNode()) {
      var n = walker.currentNode, len = n.nodeValue.length;
      if (len && (n.parentNode === p || !n.parentElement.closest(".para-link, .para-cite, .nb-marker"))) out.push({ n: n, at: pos });
      pos += len;
    }
    return out;
  }
  /* the index in nodes of the first text node that ends after offset ``at`` */
  function nodeAt(nodes, at) {
    var lo = 0, hi = nodes.length;
    while (lo < hi) { var mid = (lo + hi) >> 1; if (nodes[mid].at + nodes[mid].n.nodeValue.length <= at) lo = mid + 1; else hi = mid; }
    return lo;
  }
  /* Show the text at [where.start, where.end) of where.p (offsets in its textContent): painted as a
     Range, or wrapped in <mark>s; then put the marker after its last word. Offsets, not a DOM Range,
     until the end: a Range is made only for painting, once the marker has split its text node (a
     live Range, kept true by the browser through later changes of the text; a few hundred cost the
     drawing's splits little).
     ``nodes`` is textNodes(where.p), shared by the paragraph's annotations within one drawing. */
  function wrap(where, a, other, nodes) {
    nodes = nodes || textNodes(where.p);
    var name = other ? "other" : (HIGHLIGHTS.indexOf(a.colour) >= 0 ? a.colour : "yellow");
    var last = PAINT ? paintedEnd(where, nodes) : marked(where, a, name, nodes);
    if (!last) return false;
    var label = (other ? (other.name || "Someone") + "’s " : "Your ") + (a.note ? "note" : "highlight") + ": " +
      (a.note ? a.note : "“" + shorten(a.exact, 60) + "”");
    var marker = el("button", { type: "button", class: "nb-marker" + (a.note ? " nb-marker--note" : "") + (other ? " nb-marker--other" : ""),
      "data-nb": a.id, "aria-label": label, title: other ? label : label + " (edit)" });
    if (a.note) marker.setAttribute("aria-expanded", "false");
    if (a.note) marker.setAttribute("data-note", (other ? (other.name || "Someone") + ": " : "") + a.note);
    last.n.parentNode.insertBefore(marker, last.n.nextSibling);
    if (PAINT) {
      var first = nodes[nodeAt(nodes, where.start)], range = new Range();
      range.setStart(first.n, Math.max(0, where.start - first.at));
      range.setEnd(last.n, last.n.nodeValue.length);
      if (pending) (pending[name] = pending[name] || []).push(range); else highlight(name).add(range);
      if (!paintedRanges.has(where.p)) paintedRanges.set(where.p, []);
      paintedRanges.get(where.p).push({ range: range, id: a.id, other: !!other });
    }
    if (!where.p.classList.contains("nb-p")) where.p.classList.add("nb-p");
    return true;
  }
  /* The text node that ends where the highlight ends (split there, so that the marker can follow
     it), or null when the place holds no text that may be highlighted. */
  function paintedEnd(where, nodes) {
    var i = nodeAt(nodes, where.start), last = null;
    for (; i < nodes.length && nodes[i].at < where.end; i++) {
      var seg = nodes[i], len = seg.n.nodeValue.length;
      if (Math.min(len, where.end - seg.at) > Math.max(0, where.start - seg.at)) last = i;
    }
    if (last === null) return null;
    var seg = nodes[last], e = where.end - seg.at;
    if (e < seg.n.nodeValue.length) nodes.splice(last + 1, 0, { n: seg.n.splitText(e), at: seg.at + e });
    return seg;
  }
  /* The DOM way: the words wrapped in <mark>s; the {n} whose text ends the last of them. */
  function marked(where, a, name, nodes) {
    var marks = [];
    for (var i = nodeAt(nodes, where.start); i < nodes.length && nodes[i].at < where.end; i++) {
      var seg = nodes[i], n = seg.n, len = n.nodeValue.length;
      var s = Math.max(0, where.start - seg.at), e = Math.min(len, where.end - seg.at);
      if (e <= s) continue;
      if (e < len) nodes.splice(i + 1, 0, { n: n.splitText(e), at: seg.at + e });
      if (s > 0) { n = n.splitText(s); nodes.splice(++i, 0, { n: n, at: seg.at + s }); }
      var m = document.createElement("mark");
      m.className = "nb-hl nb-" + name;
      m.setAttribute("data-nb", a.id);
      n.parentNode.insertBefore(m, n);
      m.appendChild(n);
      marks.push(m);
    }
    return marks.length ? { n: marks[marks.length - 1] } : null;
  }
  /* The annotation painted at a point of the page (a click on highlighted words): {id, other}, or
     null. Later ones are painted over earlier ones, so the last that holds the point wins. */
  function paintedAt(x, y) {
    var at = document.caretRangeFromPoint ? document.caretRangeFromPoint(x, y)
      : document.caretPositionFromPoint ? (function (c) { if (!c) return null; var r = new Range(); r.setStart(c.offsetNode, c.offset); return r; })(document.caretPositionFromPoint(x, y))
      : null;
    var p = at && paragraphOf(at.startContainer), hit = null;
    (p && paintedRanges.get(p) || []).forEach(function (h) {
      if (h.range.isPointInRange(at.startContainer, at.startOffset)) hit = h;
    });
    return hit;
  }
  /* the end of a drawing (draw() begins one with pending = {}): its ranges painted, one Highlight per colour */
  function flushPaint() {
    if (!pending) return;
    HIGHLIGHTS.forEach(function (name) {
      if (!pending[name]) return;
      var h = new Highlight();
      pending[name].forEach(function (r) { h.add(r); });
      CSS.highlights.set("nb-" + name, h);
    });
    pending = null;
  }
  /* Remove every drawn highlight and marker, then join the split text again, once per parent. */
  function clearDrawn() {
    var touched = new Set();
    if (PAINT) {
      HIGHLIGHTS.forEach(function (name) { CSS.highlights.delete("nb-" + name); });
      paintedRanges.clear();
      if (pending) pending = {};
    }
    document.querySelectorAll("article mark.nb-hl, article .nb-marker").forEach(function (m) {
      var parent = m.parentNode;
      if (!parent) return;
      if (m.tagName === "MARK") { while (m.firstChild) parent.insertBefore(m.firstChild, m); }
      parent.removeChild(m);
      touched.add(parent);
    });
    touched.forEach(function (n) { n.normalize(); });
  }
  function cssEscape(s) { return window.CSS && CSS.escape ? CSS.escape(s) : s.replace(/"/g, '\\"'); }
  function shorten(s, n) { s = s.replace(/\s+/g, " ").trim(); return s.length > n ? s.slice(0, n - 1) + "…" : s; }

  /* ---- the reading page ------------------------------------------------------------------------ */
  var PAGE = pageKey();
  function pageTitle() {
    var h1 = document.querySelector("article h1");
    var source = document.querySelector(".reading-source em");
    var t = h1 ? h1.textContent.replace(/[#¶]\s*$/, "").trim() : document.title;
    return source && source.textContent.trim() !== t ? source.textContent.trim() + " — " + t : t;
  }
  function citation(p) {
    try { return (window.rfaCiteParagraph && window.rfaCiteParagraph(p)) || null; } catch (e) { return null; }
  }
  function mineHere() { return data.mine.filter(function (a) { return a.page === PAGE; }); }
  function othersHere() {
    var out = [];
    data.others.forEach(function (o) {
      (o.annotations || []).forEach(function (a) { if (a.page === PAGE && valid(a)) out.push([a, o]); });
    });
    return out;
  }

  /* the page clock when the highlights were drawn and then painted (scripts/tools/bench_notebook.py) */
  function painted() {
    flushPaint();
    api.drawnAt = performance.now();
    requestAnimationFrame(function () { setTimeout(function () { api.paintedAt = performance.now(); }, 0); });
  }
  /* fn(deadline) when the page is idle (after the next paint), or within half a second */
  function whenIdle(fn) {
    if (window.requestIdleCallback) requestIdleCallback(fn, { timeout: 500 });
    else setTimeout(function () { fn(null); }, 0);
  }


  /* Draw the page's annotations (yours in stored order, then other people's). A page with hundreds
     of them must paint them quickly (issue 22: 500 on chapter 4 within 150 ms, CPU 4x), so:
     1. at once, with no library, each annotation whose stored offsets still hold its words (every
        visit after the first, until a new edition changes the paragraph): one task, the boxes of
        the annotated paragraphs read once (offScreen) and then only DOM writes; each paragraph's
        text and text nodes read once; the highlights painted (no <mark>s) where the browser can,
        and the paragraphs far from the screen not laid out again until they are shown. The
        margin for notes is set before the first paint (margin());
     2. only when some are left (words moved or removed by a new edition, a note listed as lost),
        notebook-anchoring.js is loaded and they are placed by quote, re-described and saved as
        before. Should one of them overlap a highlight drawn in step 1, the whole page is drawn
        again in stored order, so that overlapping highlights nest as they always did;
     3. after the paint, when the page is idle, each paragraph's citation is checked (a new edition
        may have changed a printed page) and saved if it changed. */
  var drawing = 0;   /* the latest refresh: an older one that is still waiting draws nothing */
  function draw(run) {
    clearDrawn();
    if (PAINT) pending = {};
    var items = mineHere().map(function (a) { return [a, null]; }).concat(othersHere());
    var seen = new Map(), at = [], left = [], page = drawn();
    items.forEach(function (pair, i) {
      at[i] = pair[1] || !pair[0].lost ? atStored(pair[0], seen) : null;   /* a lost one is described anew (step 2) */
    });
    offScreen(at);
    items.forEach(function (pair, i) { if (!at[i] || !page.put(at[i], pair)) left.push(i); });
    if (!left.length) { margin(); return done(run, items, at); }
    return anchoring().then(function (A) {
      if (run !== drawing) return api.ready;
      left.forEach(function (i) { at[i] = locate(A, items[i][0], seen); });
      if (left.some(function (i) { return at[i] && page.overlaps(at[i]); })) {
        clearDrawn();
        page = drawn();
        items.forEach(function (pair, i) { if (at[i] && !page.put(at[i], pair)) at[i] = null; });
      } else {
        left.forEach(function (i) { if (at[i] && !page.put(at[i], items[i])) at[i] = null; });
      }
      var lost = [], changed = false;
      left.forEach(function (i) {
        var a = items[i][0], where = at[i];
        if (items[i][1]) return;
        if (!where) { lost.push(a); if (!a.lost) { a.lost = true; changed = true; } return; }
        var skip = textOf(where.p, seen).skip, start = where.start - skip, end = where.end - skip;
        if (a.para !== where.p.id || a.start !== start || a.end !== end || a.lost) {   /* re-attached by quote */
          var q = describeAt(A, where);
          a.para = where.p.id; a.start = start; a.end = end; a.exact = q.exact; a.prefix = q.prefix; a.suffix = q.suffix;
          a.lost = false; changed = true;
        }
      });
      if (changed) save();
      showLost(lost);
      margin();
      return done(run, items, at);
    }, function () {
      say("The notebook could not load its matching file (notebook-anchoring.js).");
      margin();
      painted();
    });
  }
  /* Paragraphs far from the screen are not laid out again for their markers until they come near it
     (content-visibility: auto, class nb-cv, kept at their present height): on chapter 4, 500
     highlights touch most paragraphs, and laying them all out again was most of the cost of
     showing them. One read of the paragraphs' boxes, before the drawing writes anything; a
     paragraph gives the class up when the browser first shows it (its margin notes would
     otherwise be clipped to it, content-visibility implying paint containment). Only where the
     browser says when that happens (contentvisibilityautostatechange). */
  var CV = "ContentVisibilityAutoStateChangeEvent" in window;
  function offScreen(at) {
    if (!CV) return;
    var ps = new Set();
    at.forEach(function (w) { if (w && !w.p.classList.contains("nb-cv")) ps.add(w.p); });
    var view = window.innerHeight, far = [];
    ps.forEach(function (p) {
      var r = p.getBoundingClientRect();
      if (r.bottom < -view || r.top > 2 * view) far.push([p, r.height]);
    });
    far.forEach(function (f) {
      f[0].style.containIntrinsicSize = "auto " + Math.round(f[1]) + "px";
      f[0].classList.add("nb-cv");
    });
  }
  if (CV) document.addEventListener("contentvisibilityautostatechange", function (e) {
    var p = e.target;
    if (!e.skipped && p.classList && p.classList.contains("nb-cv")) { p.classList.remove("nb-cv"); p.style.containIntrinsicSize = ""; }
  }, true);
  /* The highlights of one drawing: put() wraps an annotation (each paragraph's text nodes listed
     once), overlaps() says whether a place overlaps one already drawn. */
  function drawn() {
    var nodes = new Map(), spans = new Map();
    return {
      put: function (where, pair) {
        if (!nodes.has(where.p)) { nodes.set(where.p, textNodes(where.p)); spans.set(where.p, []); }
        if (!wrap(where, pair[0], pair[1], nodes.get(where.p))) return false;
        spans.get(where.p).push(where);
        return true;
      },
      overlaps: function (where) {
        return (spans.get(where.p) || []).some(function (s) { return s.start < where.end && where.start < s.end; });
      }
    };
  }
  /* The highlights are drawn (api.ready resolves): the page clock for the benchmark, then your
     annotations' citations checked in idle time, a few paragraphs at a time (each is built from the
     page's "Cite this" template: a hundred of them at once would be one long task). */
  function done(run, items, at) {
    painted();
    var todo = [], cites = new Map(), changed = false, k = 0;
    items.forEach(function (pair, i) { if (!pair[1] && at[i]) todo.push([pair[0], at[i].p]); });
    if (todo.length) whenIdle(function step(deadline) {
      if (run !== drawing) return;   /* drawn again meanwhile: that drawing checks them */
      for (var made = 0; k < todo.length; k++) {   /* eight citations a call, more while the page stays idle */
        var a = todo[k][0], p = todo[k][1];
        if (!cites.has(p)) {
          if (made >= 8 && !(deadline && deadline.timeRemaining() > 2)) break;
          cites.set(p, citation(p));
          made++;
        }
        var cite = cites.get(p);
        if (cite && cite !== a.citation) { a.citation = cite; changed = true; }
      }
      if (k < todo.length) whenIdle(step);
      else if (changed) save();
    });
  }
  function describeAt(A, where) { return describePos(A, where.p, { start: where.start, end: where.end }); }

  function showLost(lost) {
    var box = document.getElementById("nb-lost");
    if (box) box.remove();
    if (!lost.length) return;
    box = el("section", { id: "nb-lost", class: "nb-lost", "aria-labelledby": "nb-lost-title" });
    box.appendChild(el("h2", { id: "nb-lost-title" }, lost.length === 1 ? "1 of your notes could not be placed"
      : lost.length + " of your notes could not be placed"));
    box.appendChild(el("p", {}, "The words they were attached to are no longer in this page (a new edition may have corrected them). " +
      "Select the passage they belong to and choose “Re-attach here”, or delete them."));
    var list = el("ul");
    lost.forEach(function (a) {
      var li = el("li", { "data-nb-lost": a.id });
      li.appendChild(el("q", {}, a.exact));
      if (a.note) li.appendChild(el("span", { class: "nb-lost__note" }, " — " + a.note));
      var re = el("button", { type: "button", class: "md-button nb-small" }, "Re-attach here");
      re.setAttribute("aria-label", "Re-attach “" + shorten(a.exact, 40) + "” to the selected words");
      re.addEventListener("mousedown", function (e) { e.preventDefault(); });
      re.addEventListener("click", function () { reattach(a); });
      var del = el("button", { type: "button", class: "md-button nb-small" }, "Delete");
      del.setAttribute("aria-label", "Delete the note on “" + shorten(a.exact, 40) + "”");
      del.addEventListener("click", function () { remove(a.id); });
      li.appendChild(re); li.appendChild(del);
      list.appendChild(li);
    });
    box.appendChild(list);
    var article = document.querySelector("article.md-content__inner");
    var h1 = article && article.querySelector("h1");
    if (h1) h1.parentNode.insertBefore(box, h1.nextSibling);
  }
  function reattach(a) {
    var sel = pendingSelection();
    if (!sel) { say("Select the words in the text first, then choose “Re-attach here”."); return; }
    anchoring().then(function (A) {
      var d = describe(A, sel.p, sel.range);
      if (!d) return;
      Object.keys(d).forEach(function (k) { a[k] = d[k]; });
      a.lost = false; a.modified = now();
      save(); refresh();
      say("Re-attached.");
    });
  }

  function refresh() {
    if (!PAGE || !isReading()) { if (document.getElementById("nb-notes")) renderNotes(); return Promise.resolve(); }
    var run = ++drawing;
    clearDrawn();
    if (!mineHere().length && !othersHere().length) { showLost([]); margin(); api.ready = Promise.resolve().then(painted); return api.ready; }
    /* drawn once notebook.css is in: the markers are laid out once, with their own size */
    api.ready = styled.then(function () { return run === drawing ? draw(run) : api.ready; });
    return api.ready;
  }
  /* Notes in the margin need one: wide screens narrow the text column while the page has notes.
     The pages that have notes are also kept in localStorage["rfa-notebook-margin"], which a small
     script in the page's head (overrides/main.html) reads to set the class before the first paint:
     the column is laid out once, at its width, instead of again for the whole chapter when the notes
     are drawn. Kept true here, after each drawing, and by save(). */
  var MARGIN_KEY = "rfa-notebook-margin";
  function margin() {
    var has = !!document.querySelector("article .nb-marker[data-note]");
    document.documentElement.classList.toggle("nb-margin", has);
    var listed = false;
    try { listed = (JSON.parse(localStorage.getItem(MARGIN_KEY)) || []).indexOf(PAGE) >= 0; } catch (e) { /* listed stays false */ }
    if (listed !== has) marginIndex();
  }
  /* every page with a note of yours that can be placed, or of someone else's */
  function marginIndex() {
    var pages = {};
    data.mine.forEach(function (a) { if (a.note && !a.lost) pages[a.page] = 1; });
    data.others.forEach(function (o) { (o.annotations || []).forEach(function (a) { if (a && a.note && typeof a.page === "string") pages[a.page] = 1; }); });
    try { localStorage.setItem(MARGIN_KEY, JSON.stringify(Object.keys(pages))); } catch (e) { /* the class is then set after the first paint */ }
  }
  function isReading() { return /(^|\/)readings\//.test(PAGE || "") && !!document.querySelector("article p[id^='p']"); }

  /* ---- making a highlight ------------------------------------------------------------------- */
  function pendingSelection() {
    var s = window.getSelection();
    if (!s || s.isCollapsed || !s.rangeCount) return null;
    var range = s.getRangeAt(0);
    var p = paragraphOf(range.startContainer);
    if (!p || paragraphOf(range.endContainer) !== p || !range.toString().trim()) return null;
    return { p: p, range: range.cloneRange() };
  }
  var bar = null, barFor = null;
  function showBar() {
    var sel = pendingSelection();
    if (!sel) { hideBar(); return; }
    barFor = sel;
    if (!bar) {
      bar = el("div", { class: "nb-bar", role: "toolbar", "aria-label": "Highlight the selected words" });
      COLOURS.forEach(function (c) {
        var b = el("button", { type: "button", class: "nb-swatch nb-" + c[0], "aria-label": "Highlight " + c[1].toLowerCase(), title: "Highlight " + c[1].toLowerCase() });
        b.addEventListener("click", function () { create(c[0], false); });
        bar.appendChild(b);
      });
      var note = el("button", { type: "button", class: "nb-bar__note", title: "Highlight and add a note (shortcut: H)" }, "Note");
      note.setAttribute("aria-label", "Highlight and add a note");
      note.addEventListener("click", function () { create("yellow", true); });
      bar.appendChild(note);
      /* the selection stays while the bar is used with a mouse or a finger */
      bar.addEventListener("mousedown", function (e) { e.preventDefault(); });
      document.body.appendChild(bar);
    }
    var r = sel.range.getBoundingClientRect();
    bar.hidden = false;
    var w = bar.offsetWidth, view = document.documentElement.clientWidth;
    bar.style.left = Math.max(4, Math.min(r.left + window.scrollX + r.width / 2 - w / 2, window.scrollX + view - w - 4)) + "px";
    var top = r.top + window.scrollY - bar.offsetHeight - 10;
    if (r.top - bar.offsetHeight - 10 < 60) top = r.bottom + window.scrollY + 30;   /* under the selection: clear of the header and the phone's own menu */
    bar.style.top = top + "px";
  }
  function hideBar() { if (bar) bar.hidden = true; barFor = null; }

  function create(colour, withNote) {
    var sel = pendingSelection() || barFor;   /* the selection as it is now; the bar's if a tap cleared it */
    if (!sel) return;
    hideBar();
    anchoring().then(function (A) {
      var d = describe(A, sel.p, sel.range);
      if (!d) return;
      var a = { id: uuid(), page: PAGE, title: pageTitle(), colour: colour, note: "", created: now(), modified: now(),
                citation: citation(sel.p) };
      Object.keys(d).forEach(function (k) { a[k] = d[k]; });
      data.mine.push(a);
      var saved = save();
      window.getSelection().removeAllRanges();
      var where = locate(A, a);
      if (where) wrap(where, a, null);
      margin();
      if (withNote) openEditor(a.id);
      else if (saved) say("Highlighted. Kept in this browser only (see My notes).");
    });
  }
  function remove(id) {
    data.mine = data.mine.filter(function (a) { return a.id !== id; });
    save();
    refresh();
    say("Deleted.");
  }

  /* ---- the editor: colour, note, delete --------------------------------------------------------- */
  var editor = null;
  function openEditor(id) {
    var a = data.mine.filter(function (x) { return x.id === id; })[0];
    if (!a) return;
    closeEditor(false);
    var marker = document.querySelector('article .nb-marker[data-nb="' + cssEscape(id) + '"]');
    editor = el("div", { class: "nb-editor md-typeset", role: "dialog", "aria-labelledby": "nb-editor-title", tabindex: "-1" });
    editor.appendChild(el("p", { class: "nb-editor__title", id: "nb-editor-title" }, "Your highlight"));
    editor.appendChild(el("p", { class: "nb-editor__quote" }, "“" + shorten(a.exact, 140) + "”"));
    var fs = el("fieldset", { class: "nb-editor__colours" });
    fs.appendChild(el("legend", {}, "Colour"));
    COLOURS.forEach(function (c) {
      var label = el("label", { class: "nb-editor__colour" });
      var input = el("input", { type: "radio", name: "nb-colour", value: c[0] });
      input.checked = (a.colour || "yellow") === c[0];
      label.appendChild(input);
      label.appendChild(el("span", { class: "nb-swatch nb-" + c[0], "aria-hidden": "true" }));
      label.appendChild(document.createTextNode(" " + c[1]));
      fs.appendChild(label);
    });
    editor.appendChild(fs);
    var noteLabel = el("label", { for: "nb-note-text", class: "nb-editor__label" }, "Note (optional)");
    var area = el("textarea", { id: "nb-note-text", rows: "4" });
    area.value = a.note || "";
    editor.appendChild(noteLabel);
    editor.appendChild(area);
    var row = el("p", { class: "nb-editor__actions" });
    var saveB = el("button", { type: "button", class: "md-button md-button--primary" }, "Save");
    var delB = el("button", { type: "button", class: "md-button" }, "Delete");
    var closeB = el("button", { type: "button", class: "md-button" }, "Close");
    row.appendChild(saveB); row.appendChild(delB); row.appendChild(closeB);
    editor.appendChild(row);
    editor.appendChild(el("p", { class: "nb-editor__where" }, whereStored()));
    saveB.addEventListener("click", function () {
      var c = editor.querySelector("input[name=nb-colour]:checked");
      a.colour = c ? c.value : a.colour;
      a.note = area.value.trim();
      a.modified = now();
      var ok = save();
      closeEditor(false);
      refresh().then(function () { focusMarker(a.id); });
      say(ok ? (a.note ? "Note saved in this browser." : "Highlight saved in this browser.") : storageProblem, !ok);
    });
    delB.addEventListener("click", function () { closeEditor(false); remove(a.id); });
    closeB.addEventListener("click", function () { closeEditor(true); });
    editor.addEventListener("keydown", function (e) { if (e.key === "Escape") { e.preventDefault(); closeEditor(true); } });
    editor._for = id;
    document.body.appendChild(editor);
    var anchor = marker || document.querySelector('article mark[data-nb="' + cssEscape(id) + '"]');
    var r = anchor ? anchor.getBoundingClientRect() : { left: 16, bottom: 80 };
    var view = document.documentElement.clientWidth;
    var width = Math.min(380, view - 16);
    editor.style.width = width + "px";
    editor.style.left = Math.max(8, Math.min(r.left + window.scrollX - 40, window.scrollX + view - width - 8)) + "px";
    editor.style.top = (r.bottom + window.scrollY + 8) + "px";
    area.focus({ preventScroll: true });
    if (editor.getBoundingClientRect().bottom > window.innerHeight) editor.scrollIntoView({ block: "end" });
  }
  function closeEditor(returnFocus) {
    if (!editor) return;
    var id = editor._for;
    editor.remove();
    editor = null;
    if (returnFocus) focusMarker(id);
  }
  function focusMarker(id) {
    var m = document.querySelector('article .nb-marker[data-nb="' + cssEscape(id) + '"]');
    if (m) m.focus({ preventScroll: true });
  }

  function readingPage() {
    document.documentElement.setAttribute("data-nb-print", data.print);
    if (storageProblem) say(storageProblem, true);
    refresh();
    var timer = null;
    document.addEventListener("selectionchange", function () {
      clearTimeout(timer);
      timer = setTimeout(showBar, 120);
    });
    document.addEventListener("keydown", function (e) {
      if (e.defaultPrevented || e.ctrlKey || e.metaKey || e.altKey) return;
      var t = e.target;
      if (t && (t.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(t.tagName))) return;
      if ((e.key === "h" || e.key === "H") && pendingSelection()) { e.preventDefault(); e.stopPropagation(); create("yellow", true); }
    }, true);
    document.addEventListener("click", function (e) {
      /* what was clicked: a marker, a <mark>, or painted words ({id, other}) */
      var m = e.target.closest && e.target.closest("article .nb-marker, article mark.nb-hl");
      var hit = m ? { id: m.getAttribute("data-nb"), other: m.classList.contains("nb-marker--other") || m.classList.contains("nb-other") }
        : PAINT && e.target.closest && e.target.closest("article p.nb-p") && window.getSelection().isCollapsed ? paintedAt(e.clientX, e.clientY) : null;
      if (hit) {
        var isMarker = !!m && m.classList.contains("nb-marker");
        if (hit.other) {
          var mk = isMarker ? m : document.querySelector('article .nb-marker[data-nb="' + cssEscape(hit.id) + '"]');
          if (mk) { var open = mk.getAttribute("aria-expanded") !== "true"; mk.setAttribute("aria-expanded", String(open)); }
          return;
        }
        if (!isMarker && !window.getSelection().isCollapsed) return;
        e.preventDefault();
        /* narrow screens: a note's marker first shows the note under it; a second tap edits */
        if (isMarker && m.hasAttribute("data-note") && !matchMedia("(min-width: 76.25em)").matches &&
            m.getAttribute("aria-expanded") !== "true") {
          m.setAttribute("aria-expanded", "true");
          return;
        }
        openEditor(hit.id);
        return;
      }
      if (editor && !editor.contains(e.target) && !(bar && bar.contains(e.target))) closeEditor(false);
    });
  }

  /* ---- Web Annotation JSON-LD ----------------------------------------------------------------- */
  function toAnnotation(a) {
    var body = [];
    if (a.note) body.push({ type: "TextualBody", value: a.note, format: "text/plain", language: "en", purpose: "commenting" });
    var out = {
      id: "urn:uuid:" + a.id, type: "Annotation", motivation: a.note ? "commenting" : "highlighting",
      created: a.created, modified: a.modified,
      target: {
        type: "SpecificResource", source: new URL(a.page, ROOT).href, styleClass: "nb-" + (a.colour || "yellow"),
        selector: [
          { type: "FragmentSelector", conformsTo: "http://tools.ietf.org/rfc/rfc3986", value: a.para,
            refinedBy: { type: "TextQuoteSelector", exact: a.exact, prefix: a.prefix || "", suffix: a.suffix || "" } },
          { type: "FragmentSelector", conformsTo: "http://tools.ietf.org/rfc/rfc3986", value: a.para,
            refinedBy: { type: "TextPositionSelector", start: a.start, end: a.end } }
        ]
      }
    };
    if (body.length) out.body = body.length === 1 ? body[0] : body;
    return out;
  }
  function collection(items, label, name) {
    var c = {
      "@context": CONTEXT, id: "urn:uuid:" + uuid(), type: "AnnotationCollection", label: label,
      generator: { id: ROOT, type: "Software", name: SITE },
      generated: now(), total: items.length,
      first: { type: "AnnotationPage", startIndex: 0, items: items.map(toAnnotation) }
    };
    if (name) c.creator = { type: "Person", name: name };
    return c;
  }
  /* One imported annotation back to the notebook's record, or a reason it cannot be read. */
  function fromAnnotation(x, pages) {
    if (!x || typeof x !== "object" || x.type !== "Annotation") return "not an Annotation";
    var t = Array.isArray(x.target) ? x.target[0] : x.target;
    if (!t || typeof t.source !== "string") return "no target source";
    var m = /(readings\/.+?\.html)/.exec(t.source);
    var page = m && m[1];
    if (!page || (pages && !pages[page])) return "its page is not in this edition (" + t.source + ")";
    var sels = Array.isArray(t.selector) ? t.selector : [t.selector];
    var para = null, quote = null, pos = null;
    sels.forEach(function (s) {
      if (!s || typeof s !== "object") return;
      var inner = s.refinedBy ? (Array.isArray(s.refinedBy) ? s.refinedBy : [s.refinedBy]) : [];
      if (s.type === "FragmentSelector" && /^p\d+$/.test(s.value || "")) para = para || s.value;
      inner.concat([s]).forEach(function (r) {
        if (r && r.type === "TextQuoteSelector" && typeof r.exact === "string" && r.exact) quote = quote || r;
        if (r && r.type === "TextPositionSelector" && r.start >= 0 && r.end > r.start) pos = pos || r;
      });
    });
    if (!para || !quote) return "no paragraph or quote selector";
    var bodies = x.body ? (Array.isArray(x.body) ? x.body : [x.body]) : [];
    var note = bodies.filter(function (b) { return b && b.type === "TextualBody" && typeof b.value === "string" && b.purpose !== "tagging"; })
      .map(function (b) { return b.value; }).join("\n\n");
    var colour = /^nb-(yellow|green|blue|pink)$/.exec(t.styleClass || "");
    var id = typeof x.id === "string" ? x.id.replace(/^urn:uuid:/, "") : uuid();
    return { id: id, page: page, title: (pages && pages[page]) || page, para: para, exact: quote.exact, prefix: quote.prefix || "",
      suffix: quote.suffix || "", start: pos ? pos.start : 0, end: pos ? pos.end : quote.exact.length,
      colour: colour ? colour[1] : "yellow", note: note, created: x.created || now(), modified: x.modified || x.created || now() };
  }

  /* ---- My notes -------------------------------------------------------------------------------- */
  function knownPages() {
    var pages = {};
    document.querySelectorAll("#nb-pages a[href]").forEach(function (a) {
      var k = pageKey(a.href);
      if (k) pages[k] = a.textContent.trim();
    });
    return pages;
  }
  var filterText = "", filterKind = "all";
  function notesPage() {
    var box = document.getElementById("nb-notes");
    box.textContent = "";
    box.appendChild(el("p", { class: "nb-where" }, whereStored()));
    if (storageProblem) say(storageProblem, true);
    var tools = el("div", { class: "nb-tools" });
    box.appendChild(tools);
    /* filter */
    var f = el("p", { class: "nb-filter" });
    f.appendChild(el("label", { for: "nb-filter-text" }, "Filter "));
    var input = el("input", { type: "search", id: "nb-filter-text", placeholder: "words in a quotation, note or title" });
    input.value = filterText;
    input.addEventListener("input", function () { filterText = input.value; renderList(); });
    f.appendChild(input);
    f.appendChild(document.createTextNode(" "));
    f.appendChild(el("label", { for: "nb-filter-kind" }, "Show "));
    var kind = el("select", { id: "nb-filter-kind" });
    [["all", "everything"], ["notes", "notes only"], ["highlights", "highlights without notes"], ["lost", "could not be placed"],
     ["others", "imported from others"]].forEach(function (o) {
      var op = el("option", { value: o[0] }, o[1]); if (o[0] === filterKind) op.selected = true; kind.appendChild(op);
    });
    kind.addEventListener("change", function () { filterKind = kind.value; renderList(); });
    f.appendChild(kind);
    tools.appendChild(f);
    /* exports */
    var ex = el("p", { class: "nb-exports" });
    var md = el("button", { type: "button", class: "md-button", id: "nb-export-md" }, "Export Markdown");
    md.addEventListener("click", function () { download("my-notes.md", "text/markdown", markdown(data.mine)); });
    var js = el("button", { type: "button", class: "md-button", id: "nb-export-json" }, "Export Web Annotation (JSON-LD)");
    js.addEventListener("click", function () {
      download("my-notes.jsonld", "application/ld+json", JSON.stringify(collection(data.mine, "My notes — " + SITE), null, 2));
    });
    var pr = el("button", { type: "button", class: "md-button", id: "nb-print" }, "Print this list");
    pr.addEventListener("click", function () { window.print(); });
    ex.appendChild(md); ex.appendChild(js); ex.appendChild(pr);
    tools.appendChild(ex);
    /* print setting */
    var ps = el("p", { class: "nb-print-setting" });
    var cb = el("input", { type: "checkbox", id: "nb-print-mine" });
    cb.checked = data.print === "on";
    cb.addEventListener("change", function () { data.print = cb.checked ? "on" : "off"; save(); });
    ps.appendChild(cb);
    ps.appendChild(el("label", { for: "nb-print-mine" }, " Print my highlights and notes when I print a reading"));
    tools.appendChild(ps);
    /* import */
    var im = el("div", { class: "nb-import" });
    im.appendChild(el("h2", { id: "nb-import-title" }, "Import"));
    [["nb-import-mine", "Restore my own notes from an exported file (merged, nothing of yours is replaced)", "mine"],
     ["nb-import-other", "Add a classmate’s or instructor’s file (shown in its own colour, read-only)", "other"]].forEach(function (r) {
      var p = el("p");
      p.appendChild(el("label", { for: r[0] }, r[1] + " "));
      var file = el("input", { type: "file", id: r[0], accept: ".jsonld,.json,application/ld+json,application/json" });
      file.addEventListener("change", function () {
        if (!file.files.length) return;
        var reader = new FileReader();
        reader.onload = function () { importText(String(reader.result), file.files[0].name, r[2]); file.value = ""; };
        reader.readAsText(file.files[0]);
      });
      p.appendChild(file);
      im.appendChild(p);
    });
    im.appendChild(el("div", { id: "nb-import-report", class: "nb-report", role: "status", "aria-live": "polite" }));
    /* hand in */
    var hi = el("div", { class: "nb-handin" });
    hi.appendChild(el("h2", {}, "Hand in"));
    hi.appendChild(el("p", {}, "A file of your notes on the readings you choose, with your name, for an instructor to import."));
    var np = el("p");
    np.appendChild(el("label", { for: "nb-name" }, "Your name "));
    var name = el("input", { type: "text", id: "nb-name", autocomplete: "name" });
    name.value = data.name;
    name.addEventListener("change", function () { data.name = name.value.trim(); save(); });
    np.appendChild(name);
    hi.appendChild(np);
    var choose = el("fieldset", { id: "nb-handin-pages" });
    choose.appendChild(el("legend", {}, "Readings"));
    hi.appendChild(choose);
    var hb = el("button", { type: "button", class: "md-button", id: "nb-handin" }, "Export for handing in");
    hb.addEventListener("click", function () {
      var who = name.value.trim();
      if (!who) { name.focus(); say("Type your name first: it goes into the file."); return; }
      data.name = who; save();
      var picked = Array.prototype.map.call(choose.querySelectorAll("input:checked"), function (i) { return i.value; });
      var items = data.mine.filter(function (a) { return picked.indexOf(a.page) >= 0; });
      if (!items.length) { say("Choose at least one reading with notes."); return; }
      var slug = who.toLowerCase().replace(/[^a-z0-9]+/g, "-").replace(/^-|-$/g, "") || "student";
      download("notes-" + slug + ".jsonld", "application/ld+json", JSON.stringify(collection(items, "Notes of " + who + " — " + SITE, who), null, 2));
    });
    hi.appendChild(hb);
    box.appendChild(el("h2", { id: "nb-list-title" }, "Your highlights and notes"));
    box.appendChild(el("div", { id: "nb-list" }));
    box.appendChild(im);
    box.appendChild(hi);
    renderList();
  }
  function renderNotes() { if (document.getElementById("nb-list")) renderList(); }

  function matches(a, other) {
    if (filterKind === "notes" && !a.note) return false;
    if (filterKind === "highlights" && a.note) return false;
    if (filterKind === "lost" && !a.lost) return false;
    if (filterKind === "others" && !other) return false;
    if (filterKind !== "others" && filterKind !== "all" && other) return false;
    var q = filterText.trim().toLowerCase();
    return !q || [a.exact, a.note, a.title].join(" ").toLowerCase().indexOf(q) >= 0;
  }
  function byPlace(x, y) {
    return (x.page < y.page ? -1 : x.page > y.page ? 1 : 0) || (+x.para.slice(1) - +y.para.slice(1)) || (x.start - y.start);
  }
  function renderList() {
    var list = document.getElementById("nb-list");
    list.textContent = "";
    var pages = knownPages();
    var groups = {};
    data.mine.slice().sort(byPlace).forEach(function (a) { if (matches(a, null)) (groups[a.page] = groups[a.page] || []).push([a, null]); });
    data.others.forEach(function (o) {
      (o.annotations || []).filter(valid).forEach(function (a) { if (matches(a, o)) (groups[a.page] = groups[a.page] || []).push([a, o]); });
    });
    var keys = Object.keys(groups).sort();
    if (!keys.length) {
      list.appendChild(el("p", { class: "nb-empty" }, data.mine.length || data.others.length ? "Nothing matches the filter."
        : "No highlights yet. Select words in a reading to highlight them or write a note."));
    }
    keys.forEach(function (page) {
      var items = groups[page].sort(function (x, y) { return byPlace(x[0], y[0]); });
      var section = el("section", { class: "nb-group" });
      var h = el("h3");
      var link = el("a", { href: new URL(page, ROOT).href }, pages[page] || items[0][0].title || page);
      h.appendChild(link);
      section.appendChild(h);
      var ul = el("ul", { class: "nb-items" });
      items.forEach(function (pair) {
        var a = pair[0], o = pair[1];
        var li = el("li", { class: "nb-item " + (o ? "nb-item--other" : "nb-item--" + (a.colour || "yellow")), "data-nb": a.id });
        var head = el("p", { class: "nb-item__place" });
        head.appendChild(el("a", { href: new URL(page, ROOT).href + "#" + a.para }, "¶ " + a.para.slice(1)));
        if (o) head.appendChild(el("span", { class: "nb-item__who" }, " · " + (o.name || "imported")));
        if (a.lost && !o) head.appendChild(el("strong", { class: "nb-item__lost" }, " · could not be placed"));
        li.appendChild(head);
        li.appendChild(el("blockquote", { class: "nb-item__quote" }, a.exact));
        if (a.note) li.appendChild(el("p", { class: "nb-item__note" }, a.note));
        if (!o) {
          var del = el("button", { type: "button", class: "md-button nb-small" }, "Delete");
          del.setAttribute("aria-label", "Delete the note on “" + shorten(a.exact, 40) + "”");
          del.addEventListener("click", function () { data.mine = data.mine.filter(function (x) { return x.id !== a.id; }); save(); renderList(); });
          li.appendChild(del);
        }
        ul.appendChild(li);
      });
      section.appendChild(ul);
      list.appendChild(section);
    });
    if (data.others.length) {
      var rm = el("div", { class: "nb-others" });
      rm.appendChild(el("h3", {}, "Imported from others"));
      data.others.forEach(function (o) {
        var p = el("p");
        p.appendChild(document.createTextNode((o.name || "Imported file") + " (" + (o.annotations || []).length + ", from " + (o.file || "a file") + ") "));
        var b = el("button", { type: "button", class: "md-button nb-small" }, "Remove");
        b.setAttribute("aria-label", "Remove the notes of " + (o.name || "this file"));
        b.addEventListener("click", function () { data.others = data.others.filter(function (x) { return x !== o; }); save(); renderList(); });
        p.appendChild(b);
        rm.appendChild(p);
      });
      list.appendChild(rm);
    }
    var choose = document.getElementById("nb-handin-pages");
    if (choose) {
      var checked = {};
      choose.querySelectorAll("input:checked").forEach(function (i) { checked[i.value] = true; });
      choose.querySelectorAll("label").forEach(function (l) { l.remove(); });
      var seen = {};
      data.mine.slice().sort(byPlace).forEach(function (a) {
        if (seen[a.page]) return;
        seen[a.page] = true;
        var l = el("label", { class: "nb-handin__page" });
        var i = el("input", { type: "checkbox", value: a.page });
        i.checked = !!checked[a.page];
        l.appendChild(i);
        l.appendChild(document.createTextNode(" " + (pages[a.page] || a.title || a.page)));
        choose.appendChild(l);
      });
    }
  }

  function markdown(items) {
    var pages = knownPages();
    var out = ["# My notes — " + SITE, "", "Exported " + now().slice(0, 10) + ".", ""];
    var last = null;
    items.slice().sort(byPlace).forEach(function (a) {
      if (a.page !== last) { out.push("## " + (pages[a.page] || a.title || a.page), ""); last = a.page; }
      out.push("> " + a.exact.replace(/\s+/g, " ").trim(), "");
      if (a.note) out.push(a.note, "");
      var url = new URL(a.page, ROOT).href + "#" + a.para;
      out.push("— " + (a.citation ? a.citation : (a.title || a.page) + ", ¶ " + a.para.slice(1) + ", " + url) +
        (a.citation && a.citation.indexOf("#" + a.para) < 0 ? " " + url : ""), "");
      if (a.lost) out.push("*(could not be placed in this edition)*", "");
    });
    return out.join("\n");
  }
  function download(name, type, text) {
    var a = el("a", { href: URL.createObjectURL(new Blob([text], { type: type })), download: name });
    document.body.appendChild(a);
    a.click();
    setTimeout(function () { URL.revokeObjectURL(a.href); a.remove(); }, 1000);
  }

  /* Import a file: what can be read is merged, the rest reported; the student's own notes are
     never replaced (an annotation already here, by id or by the same words and note, is skipped). */
  function importText(text, fileName, as) {
    var report = [];
    var doc;
    try { doc = JSON.parse(text); } catch (e) {
      showReport(["“" + fileName + "” is not a notes file (not valid JSON): nothing was imported."]);
      return;
    }
    var items = [];
    if (doc && doc.type === "AnnotationCollection") {
      var pg = doc.first;
      while (pg && typeof pg === "object") { items = items.concat(Array.isArray(pg.items) ? pg.items : []); pg = pg.next && typeof pg.next === "object" ? pg.next : null; }
    } else if (doc && doc.type === "AnnotationPage") items = Array.isArray(doc.items) ? doc.items : [];
    else if (Array.isArray(doc)) items = doc;
    else if (doc && doc.type === "Annotation") items = [doc];
    else { showReport(["“" + fileName + "” holds no Web Annotations: nothing was imported."]); return; }
    var gen = doc && doc.generator && doc.generator.name;
    if (gen && gen !== SITE) report.push("The file was made with another edition (" + gen + "): only notes on pages of this edition are imported; each is placed by its quotation when you open the reading.");
    var pages = knownPages();
    var ok = [], bad = 0, reasons = {};
    items.forEach(function (x) {
      var r = fromAnnotation(x, Object.keys(pages).length ? pages : null);
      if (typeof r === "string") { bad++; reasons[r] = (reasons[r] || 0) + 1; } else ok.push(r);
    });
    var added = 0, kept = 0;
    if (as === "mine") {
      ok.forEach(function (a) {
        var same = data.mine.filter(function (m) {
          return m.id === a.id || (m.page === a.page && m.exact === a.exact && (m.note || "") === (a.note || ""));
        })[0];
        if (same) { kept++; return; }
        data.mine.push(a); added++;
      });
    } else {
      var name = (doc.creator && (doc.creator.name || doc.creator.nickname)) || fileName.replace(/\.(json|jsonld)$/i, "");
      data.others = data.others.filter(function (o) { return o.id !== doc.id || !doc.id; });
      data.others.push({ id: doc.id || uuid(), name: name, file: fileName, annotations: ok });
      added = ok.length;
    }
    var saved = save();
    report.unshift("“" + fileName + "”: " + added + " imported" + (kept ? ", " + kept + " already in your notes (yours kept)" : "") +
      (bad ? ", " + bad + " could not be read" : "") + "." + (saved ? "" : " But they could not be saved: " + storageProblem));
    Object.keys(reasons).forEach(function (r) { report.push(reasons[r] + " not imported: " + r + "."); });
    showReport(report);
    renderList();
  }
  function showReport(lines) {
    var box = document.getElementById("nb-import-report");
    box.textContent = "";
    var ul = el("ul");
    lines.forEach(function (l) { ul.appendChild(el("li", {}, l)); });
    box.appendChild(ul);
  }

  if (document.getElementById("nb-notes")) notesPage();
  else if (isReading()) readingPage();
})();
