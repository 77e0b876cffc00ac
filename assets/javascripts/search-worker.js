/*
 * search-worker.js — the site's search worker, online and in the offline bundle.
 *
 * Why: Material's own search worker builds a lunr index of every text when a page opens
 * (lunr cannot load a prebuilt index together with the position tables Material needs for
 * highlighting). Online that kept the first result about a second away; from file:// (the
 * bundle, where the iframe-worker shim runs workers on the page's own thread) several seconds,
 * with the page frozen meanwhile. Issue 11 asks for a first result painted within 500 ms of the
 * first keystroke with the CPU slowed 4x. This worker needs no index: it loads the documents
 * itself (search/search_docs.json online, search/search_docs.js offline; Material's index keeps
 * only the configuration) and answers each query with a linear scan, which takes a few
 * milliseconds for ~150k words.
 *
 * How it is wired: scripts/search_worker.py (run by mkdocs_run.post_build after every build)
 * rewrites "search" in each page's __config to point here. It speaks Material 9's worker
 * protocol (message types SETUP=0, READY=1, QUERY=2, RESULT=3) and returns items shaped like
 * Material's SearchItem (document fields + score + terms), grouped by page, so Material's own
 * search UI renders them unchanged.
 *
 * Query semantics (documented in README/BENCHMARKS): the query is split with the
 * site's search separator; every term matches words that START with it, case-insensitively
 * (like Material's type-ahead "term*"); a page matches if any term matches, pages with all
 * terms rank first, title hits rank above text hits. lunr's stemming and operators (+, -, ~,
 * field:) are not applied; quoted phrases are treated as their words. An apostrophe inside a
 * word is ignored on both sides ("selsovet" and "sel'sovet" are one word, never "sel" + "sovet").
 *
 * Where a result leads (issue 19): to the first paragraph of the section that holds the words
 * (chapter-4.html#p37: scripts/search_paragraphs.py writes each indexed paragraph's number into
 * the index as data-p), and a page's own line leads to its best hit, not to the page top.
 *
 * Speed (issue 27): from file:// (the offline bundle, where the iframe-worker shim runs this file
 * in a hidden iframe on the page's own thread) Material loads its index only when the search box is
 * first used and copies it here. The bundle's search_index.js therefore holds only the
 * configuration, this worker loads the documents (search/search_docs.js) itself, and
 * search-start.js starts Material's setup when the page has loaded, so the first keystroke finds
 * the worker ready. Queries that arrive while one is being answered are answered only for the
 * latest; the first query is answered at once, later ones after the page has drawn the last answer
 * (later(), below). The first answer to a query carries what the list shows first (its first ten
 * pages; teasers, cut around the match, only for the results shown open); the rest follows when
 * typing pauses.
 */
"use strict";

var SETUP = 0, READY = 1, QUERY = 2, RESULT = 3;

/* lunr's English stop word list (lunr.js 2.3.9, MIT), used only when the site's search
   pipeline includes "stopWordFilter" (Material's default), so queries behave alike. */
var STOP = ("a able about across after all almost also am among an and any are as at be " +
  "because been but by can cannot could dear did do does either else ever every for from get " +
  "got had has have he her hers him his how however i if in into is it its just least let " +
  "like likely may me might most must my neither no nor not of off often on only or other our " +
  "own rather said say says she should since so some than that the their them then there these " +
  "they this tis to too twas us wants was we were what when where which while who whom why " +
  "will with would yet you your").split(" ");

var docs = [];        /* documents as sent by Material, with .page (location without #) */
var pages = {};       /* page location -> page document */
var separator = /[\s\-]+/;
var stopWords = {};
var suggest = false;
var HIGHLIGHTED = 40;   /* hits that get <mark>ed titles and teasers */

function escapeRegExp(s) {
  return s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

/* Text of an HTML fragment without tags, for counting matches. */
function plain(html) {
  return html.replace(/<[^>]*>/g, " ");
}

/* Apostrophes inside a word ("sel'sovet", "s''ezd") are dropped for matching, in the texts and in
   the query alike: the site's separator splits at them, which made "selsovet" miss "sel'sovet" and
   "sel" match "Selected Writings". */
var APOS = "'\u2019\u02bc\u02b9";
/* (letters spelled out: a Unicode-property regex made preparing the texts three times slower) */
var LETTER = "a-z0-9\\u00c0-\\u024f\\u0370-\\u03ff\\u0400-\\u04ff";
var INNER_APOS = new RegExp("([" + LETTER + "])[" + APOS + "]+(?=[" + LETTER + "])", "g");
function squash(text) {   /* text in lower case */
  return text.replace(INNER_APOS, "$1");
}

function prepare(list) {
  docs = list || [];
  pages = {};
  docs.forEach(function (doc) {
    var page = doc.location.split("#")[0];
    doc.page = page;
    /* offline, the build has done this (scripts/search_paragraphs.py, match_text) */
    if (typeof doc.plainText !== "string") doc.plainText = squash(plain(doc.text || "").toLowerCase());
    if (typeof doc.plainTitle !== "string") doc.plainTitle = squash(plain(doc.title || "").toLowerCase());
    if (!(page in pages)) pages[page] = doc;
  });
}

function setup(data) {
  separator = new RegExp(data.config.separator || "[\\s\\-]+");
  stopWords = {};
  if ((data.config.pipeline || []).indexOf("stopWordFilter") >= 0)
    STOP.forEach(function (w) { stopWords[w] = true; });
  suggest = !!(data.options && data.options.suggest);
  if (data.docs && data.docs.length) prepare(data.docs);
}

/* Split the query like Material does (quotes and operators dropped), lower-cased. */
function queryTerms(query) {
  var seen = {}, terms = [];
  squash(query.toLowerCase()).replace(/["+\-~^*:]/g, " ").split(separator).forEach(function (t) {
    t = t.trim().toLowerCase();
    if (!t || stopWords[t] || seen[t]) return;
    seen[t] = true;
    terms.push(t);
  });
  return terms;
}

/* A regex matching words that start with `term`: not preceded by a letter or digit; an apostrophe
   may stand between any two of its letters ("selsovet" marks "sel'sovet"). */
function termRegExp(term) {
  var body = Array.from(term).map(escapeRegExp).join("[" + APOS + "]?");
  return new RegExp("(^|[^\\p{L}\\p{N}])(?<![\\p{L}\\p{N}][" + APOS + "])(" + body + ")", "giu");
}

var WORD_CHAR = /[\p{L}\p{N}]/u;
function wordChar(c) {
  var code = c.charCodeAt(0);
  if (code < 128) return (code >= 97 && code <= 122) || (code >= 48 && code <= 57) || (code >= 65 && code <= 90);
  return WORD_CHAR.test(c);
}

/* How many words of the (lower-cased, tag-free) text start with term, up to CAP (a score takes
   the log of it: more would not change the order, and a one-letter query stops early in each
   text): indexOf is far faster than a regex over the whole corpus, which matters on slow machines. */
var CAP = 32;
function count(term, text) {
  var n = 0, at = text.indexOf(term);
  while (at !== -1) {
    if (at === 0 || !wordChar(text.charAt(at - 1))) { if (++n >= CAP) break; }
    at = text.indexOf(term, at + term.length);
  }
  return n;
}

/* Wrap matches in <mark>, only inside text between tags (never inside a tag). */
function mark(html, res) {
  return html.split(/(<[^>]*>)/).map(function (part) {
    if (part.charAt(0) === "<") return part;
    res.forEach(function (re) {
      re.lastIndex = 0;
      part = part.replace(re, "$1<mark>$2</mark>");
    });
    return part;
  }).join("");
}

/* Where a text's blocks start. Splitting at a lookahead (/(?=<(?:p|li…)\b)/) made the regex engine
   try every position of every text, a third of a first answer's time: this one starts with the
   "<" it consumes, so the engine jumps from "<" to "<", and blocks() puts it back. */
var BLOCK_START = /<(?=(?:p|li|dt|dd|h[1-6]|pre|blockquote|table|tr)\b)/;

/* A document's text cut into blocks, once per document (the teaser, the brief and the paragraph
   to open at all read them, for every query). */
function blocks(doc) {
  if (!doc.blocks) {
    var parts = (doc.text || "").split(BLOCK_START);
    var out = parts[0] ? [parts[0]] : [];
    for (var i = 1; i < parts.length; i++) out.push("<" + parts[i]);
    doc.blocks = out;
  }
  return doc.blocks;
}

/* Each block as the worker matches it (lower case, no tags, no apostrophes inside words), once per
   document: finding the blocks that hold a match by indexOf (count) instead of running the
   query's regexes over every block's HTML made a first answer half as long. */
function blockTexts(doc) {
  if (!doc.blockTexts) doc.blockTexts = blocks(doc).map(function (b) { return squash(plain(b).toLowerCase()); });
  return doc.blockTexts;
}

function holds(text, terms) {
  for (var k = 0; k < terms.length; k++) if (count(terms[k], text) > 0) return true;
  return false;
}
var PARA = /^<p data-p="(\d+)"/;

/* The paragraph of a section to open at: of its numbered paragraphs (data-p,
   scripts/search_paragraphs.py) the first that holds the most of the query's words. */
function bestPara(doc, terms) {
  var list = blocks(doc), texts = blockTexts(doc);
  var best = null, most = 0;
  for (var i = 0; i < list.length; i++) {
    var m = PARA.exec(list[i]);
    if (!m) continue;
    var n = 0;
    terms.forEach(function (t) { if (count(t, texts[i]) > 0) n++; });
    if (n > most) { most = n; best = m[1]; if (n === terms.length) break; }
  }
  return best;
}

/* The teaser: the first two blocks of the text that hold a match, each cut to SNIPPET characters
   around its first match (at spaces, "…" where cut), as plain text with the matches marked.
   Material showed whole blocks, and a paragraph of Viola runs to 1,500 characters: the first answer
   to "ku" carried 54 KB of them, which Material's list parses into the page (innerHTML +=, once per
   result), lays out and paints before the first result shows; most of it was below the fold or in a
   collapsed "more on this page". */
var SNIPPET = 240;    /* characters of each teaser block */
var BEFORE = 60;      /* of them, at most this many before the match */
function snippet(text, at) {
  if (text.length <= SNIPPET) return text;
  var start = Math.max(0, Math.min(at - BEFORE, text.length - SNIPPET));
  if (start > 0) { var sp = text.indexOf(" ", start); start = sp >= 0 && sp < at ? sp + 1 : start; }
  var end = Math.min(text.length, start + SNIPPET);
  if (end < text.length) { var back = text.lastIndexOf(" ", end); if (back > at) end = back; }
  return (start > 0 ? "… " : "") + text.slice(start, end) + (end < text.length ? " …" : "");
}

function firstMatch(text, res) {
  var at = -1;
  res.forEach(function (re) {
    re.lastIndex = 0;
    var m = re.exec(text);
    if (m && (at < 0 || m.index + m[1].length < at)) at = m.index + m[1].length;
  });
  return at;
}

function teaser(doc, res, terms) {
  var list = blocks(doc), texts = blockTexts(doc), out = [];
  for (var i = 0; i < list.length && out.length < 2; i++) {
    if (!holds(texts[i], terms)) continue;
    var text = plain(list[i]).replace(/\s+/g, " ").trim();
    var at = firstMatch(text, res);
    if (at >= 0) out.push("<p>" + mark(snippet(text, at), res) + "</p>");
  }
  return out.join("");
}

/* The opening words of a hit the list may never show (below the best HIGHLIGHTED, or a page
   added only as its results' heading): plain text cut at a word. Every result crosses to the
   page's thread, which copies it; sending whole sections made the first letter's ~650 results
   about 320 KB, and on a phone-speed CPU that copy alone pushed the first result past 500 ms. */
var BRIEF = 160;
function brief(list) {
  var text = plain(list[0] || "").replace(/\s+/g, " ").trim();
  if (text.length <= BRIEF) return text;
  var cut = text.lastIndexOf(" ", BRIEF);
  return text.slice(0, cut > 0 ? cut : BRIEF) + " …";
}

/* Ranked hits for a query, grouped by page (best page first), before any text is prepared. */
function rank(terms) {
  var n = docs.length, hits = [];
  var df = terms.map(function () { return 0; });
  var perDoc = docs.map(function (doc) {
    return terms.map(function (term, k) {
      var inTitle = count(term, doc.plainTitle), inText = count(term, doc.plainText);
      if (inTitle + inText) df[k]++;
      return [inTitle, inText];
    });
  });
  docs.forEach(function (doc, d) {
    var score = 0, matched = {}, found = 0;
    terms.forEach(function (term, k) {
      var c = perDoc[d][k], idf = Math.log(1 + n / (1 + df[k]));
      matched[term] = c[0] + c[1] > 0;
      if (matched[term]) found++;
      score += (10 * Math.min(c[0], 1) + Math.log(1 + c[1])) * idf;
    });
    if (!found) return;
    var boost = (doc.page === doc.location ? 1 : 0) + found / terms.length;
    score = score * (1 + boost * boost) * (doc.boost || 1);
    hits.push({ doc: doc, score: score, terms: matched });
  });
  hits.sort(function (a, b) { return b.score - a.score; });
  var groups = new Map();
  hits.forEach(function (hit, i) {
    hit.rank = i;
    if (!groups.has(hit.doc.page)) groups.set(hit.doc.page, []);
    groups.get(hit.doc.page).push(hit);
  });
  return Array.from(groups.values());
}

/* A hit as Material's SearchItem: marked title and teaser for the best HIGHLIGHTED hits that the
   list shows `open` (it shows ten pages first and the rest on scroll; marking every document for a
   one-letter query would cost more than the search itself), a brief plain text for the others;
   located at the paragraph that holds the words where the section has numbered paragraphs. */
var OWN = { plainTitle: 1, plainText: 1, page: 1, blocks: 1, blockTexts: 1 };   /* the worker's, not Material's */
function item(hit, res, terms, open) {
  var doc = hit.doc, out = {};
  for (var key in doc)
    if (!(key in OWN)) out[key] = doc[key];
  if (open && hit.rank < HIGHLIGHTED) {
    out.title = mark(doc.title || "", res);
    out.text = teaser(doc, res, terms);
  } else {
    out.text = brief(blocks(doc));
  }
  var para = (doc.text || "").indexOf(" data-p=") < 0 ? null : bestPara(doc, terms);
  if (para !== null) out.location = doc.page + "#p" + para;
  out.score = hit.score;
  out.terms = hit.terms;
  return out;
}

/* One page's results. Material heads each group with its document that has no "#" in its
   location and links that heading to the page top. Unless the page's own text is the best hit
   (a title match), the heading is the page's title linked to the group's best hit instead
   (Material takes the group's last document as heading when none lacks a "#"), so the line of
   the glossary or of a chapter leads to the matching entry or paragraph, not to the top of a page
   200 screens long. */
function group(hits, res, terms, first) {
  /* Material shows a page's first result and those scoring as high; it folds the rest into a
     closed "N more on this page". In a first answer these get the brief text (their teasers, which
     nobody sees until the fold is opened, come with the full answer). */
  var top = hits[0].score;
  var items = hits.map(function (hit, i) { return item(hit, res, terms, !first || i === 0 || hit.score >= top); });
  if (items[0].location.indexOf("#") < 0) return items;
  items = items.filter(function (i) { return i.location.indexOf("#") >= 0; });
  var page = pages[hits[0].doc.page] || hits[0].doc;
  items.push({ location: items[0].location, title: page.title, text: "", score: 0, terms: items[0].terms });
  return items;
}

var FIRST = 10;       /* pages Material's list shows before the reader scrolls */
var FIRST_EACH = 5;   /* results of each of them in a first answer */

/* `first`: what the list shows at once, quickly: its first FIRST pages with their best
   FIRST_EACH results, the other pages with their best result only (so the count of pages is
   right), small to make, copy and draw. The full answer follows when typing pauses (below). */
function search(query, first) {
  var terms = queryTerms(query);
  if (!terms.length) return { items: [] };
  var res = terms.map(termRegExp);
  var groups = rank(terms).map(function (hits, g) {
    return group(first ? hits.slice(0, g < FIRST ? FIRST_EACH : 1) : hits, res, terms, first);
  });
  var result = { items: groups };
  if (suggest) result.suggest = [];
  return result;
}

/* ---- loading the documents ourselves ----------------------------------------------------------
   The index Material loads and sends with its setup carries no documents (scripts/site/search_paragraphs.py):
   online they are in search/search_docs.json, offline in search/search_docs.js, beside it.
   Online (a real Web Worker) they are fetched when the page says so (search-start.js, over the
   BroadcastChannel "rfa-search": the page has loaded and is idle, or the search box got the focus),
   or at once when a query needs them: fetched as the page opened, the 1.8 MB competed with the
   book face and the page's own files on a slow network and held the first paint back (issue 19).
   From file:// (the iframe-worker shim: no WorkerGlobalScope, importScripts adds a <script> to the
   iframe) search_docs.js is loaded in the page's first idle moment. */
var SHIM = typeof WorkerGlobalScope === "undefined" && typeof document !== "undefined";
var HERE = SHIM && document.currentScript ? document.currentScript.src : (typeof location !== "undefined" ? location.href : "");
var loading = null, ready = false;

function loadDocs(done) {
  if (loading === true) return done();
  if (loading) return loading.push(done);
  loading = [done];
  var finish = function (list) {
    if (list) prepare(list);
    else console.warn("search: could not load the search texts; searching what Material sent");
    var callbacks = loading;
    loading = true;
    callbacks.forEach(function (f) { f(); });
  };
  if (!SHIM) {
    fetch(new URL("../../search/search_docs.json", HERE).href)
      .then(function (r) { if (!r.ok) throw new Error(r.status + " " + r.url); return r.json(); })
      .then(finish, function (err) { console.warn("search:", err); finish(null); });
    return;
  }
  var script = document.createElement("script");
  script.src = new URL("../../search/search_docs.js", HERE).href;
  script.onload = script.onerror = function () {
    var list = self.__rfaSearchDocs;
    self.__rfaSearchDocs = undefined;
    finish(list);
  };
  document.body.appendChild(script);
}

/* In the page's first idle moment (a second at the latest): the search box is usable from the
   moment the page is, without waiting for a first use. */
if (SHIM) (self.requestIdleCallback || function (f) { setTimeout(f, 50); })(function () {
  loadDocs(function () {});
}, { timeout: 1000 });

/* Online: when the page says so. The page may have spoken before this worker listened, so the
   worker says "hello" and a page that wants the texts already answers "load" (search-start.js). */
var wantDocs = false;   /* Material's setup has come, or the page asked first */
var pageAsked = false;
function docsWanted() {
  pageAsked = true;
  if (wantDocs) loadDocs(becomeReady);
}
if (!SHIM && typeof BroadcastChannel !== "undefined") {
  var channel = new BroadcastChannel("rfa-search");
  channel.onmessage = function (ev) { if (ev.data === "load") docsWanted(); };
  channel.postMessage("hello");
}

function becomeReady() {
  if (ready) return;
  ready = true;
  postMessage({ type: READY });
  if (waiting !== null && !scheduled) { scheduled = true; later(answer); }
}

/* When to answer, from file:// (the shim: this runs on the page's own thread, between the page's
   own tasks). A query that finds nothing drawn is answered at once (before the page's queued
   timers, at the scheduler's "user-blocking" priority where there is one): it is the first result
   the reader waits for. A query that comes while the page may still be drawing the last answer
   waits for the next frame and for the tasks that frame set off (a timer set in an animation
   frame: two turns of the task queue); answering "ku" in the first task after the frame showing
   "k" had kept that frame's own follow-up work waiting ~100 ms at 4x CPU. (Every later answer at
   the scheduler's "background" priority was tried too: it waited for the typing to end, each
   keystroke being a task of the page.) In a real worker: a task of its own. */
var drawing = false;   /* an answer with results was sent that the page may not have drawn yet */

function later(f) {
  if (!SHIM || !self.requestAnimationFrame) return setTimeout(f, 0);
  if (!drawing) {
    if (self.scheduler && self.scheduler.postTask) self.scheduler.postTask(f, { priority: "user-blocking" });
    else setTimeout(f, 0);
    return;
  }
  requestAnimationFrame(function () {
    setTimeout(function () { setTimeout(function () { drawing = false; f(); }, 0); }, 0);
  });
}

function send(data) {
  postMessage({ type: RESULT, data: data });
  if (data.items.length) drawing = true;
}

/* ---- answering --------------------------------------------------------------------------------
   Only the latest query is answered: a query that arrives while the worker is busy replaces the
   one waiting (typing "kulak" sends five queries). Its first answer is search(query, true); the
   full one is sent if no other query came within PAUSE ms. */
var PAUSE = 250;
var waiting = null, scheduled = false, fullTimer = null;

function answer() {
  scheduled = false;
  if (!ready) return;     /* answered once the documents are in (becomeReady) */
  var query = waiting;
  waiting = null;
  if (query === null) return;
  var data;
  try {
    data = search(query, true);
  } catch (err) {
    console.warn("search: invalid query", query, err);
    data = { items: [] };
  }
  send(data);
  var needsFull = data.items.length > FIRST || data.items.some(function (g) { return g.length > FIRST_EACH; });
  clearTimeout(fullTimer);
  if (needsFull) fullTimer = setTimeout(function () {
    if (waiting !== null) return;
    try { send(search(query, false)); } catch (err) { /* answered above */ }
  }, PAUSE);
}

addEventListener("message", function (ev) {
  var message = ev.data;
  if (message.type === SETUP) {
    setup(message.data);
    wantDocs = true;
    if (docs.length) becomeReady();
    else if (SHIM || pageAsked || typeof BroadcastChannel === "undefined") loadDocs(becomeReady);
  } else if (message.type === QUERY) {
    if (!ready && !SHIM && wantDocs) loadDocs(becomeReady);   /* asked before the page said so */
    waiting = message.data;
    clearTimeout(fullTimer);
    if (!scheduled) {
      scheduled = true;
      later(answer);
    }
  }
});
