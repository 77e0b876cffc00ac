/*
 * search-worker.js — the site's search worker, online and in the offline bundle.
 *
 * Why: Material's own search worker builds a lunr index of every text when a page opens
 * (lunr cannot load a prebuilt index together with the position tables Material needs for
 * highlighting). Online that kept the first result about a second away; from file:// (the
 * bundle, where the iframe-worker shim runs workers on the page's own thread) several seconds,
 * with the page frozen meanwhile. Issue 11 asks for a first result painted within 500 ms of the
 * first keystroke with the CPU slowed 4x. This worker needs no index: it keeps the documents
 * Material already sends (search/search_index.json online, search/search_index.js offline) and
 * answers each query with a linear scan, which takes a few milliseconds for ~150k words.
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
 * field:) are not applied; quoted phrases are treated as their words.
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

function setup(data) {
  separator = new RegExp(data.config.separator || "[\\s\\-]+");
  stopWords = {};
  if ((data.config.pipeline || []).indexOf("stopWordFilter") >= 0)
    STOP.forEach(function (w) { stopWords[w] = true; });
  suggest = !!(data.options && data.options.suggest);
  docs = data.docs || [];
  pages = {};
  docs.forEach(function (doc) {
    var page = doc.location.split("#")[0];
    doc.page = page;
    doc.plainTitle = plain(doc.title || "").toLowerCase();
    doc.plainText = plain(doc.text || "").toLowerCase();
    if (!(page in pages)) pages[page] = doc;
  });
}

/* Split the query like Material does (quotes and operators dropped), lower-cased. */
function queryTerms(query) {
  var seen = {}, terms = [];
  query.replace(/["+\-~^*:]/g, " ").split(separator).forEach(function (t) {
    t = t.trim().toLowerCase();
    if (!t || stopWords[t] || seen[t]) return;
    seen[t] = true;
    terms.push(t);
  });
  return terms;
}

/* A regex matching words that start with `term`: not preceded by a letter or digit. */
function termRegExp(term) {
  return new RegExp("(^|[^\\p{L}\\p{N}])(" + escapeRegExp(term) + ")", "giu");
}

var WORD_CHAR = /[\p{L}\p{N}]/u;

/* How many words of the (lower-cased, tag-free) text start with term: indexOf is far
   faster than a regex over the whole corpus, which matters on slow machines. */
function count(term, text) {
  var n = 0, at = text.indexOf(term);
  while (at !== -1) {
    if (at === 0 || !WORD_CHAR.test(text.charAt(at - 1))) n++;
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

/* Like Material: show at most two blocks of the text that contain a match. */
function teaser(html, res) {
  var blocks = html.split(/(?=<(?:p|li|dt|dd|h[1-6]|pre|blockquote|table|tr)\b)/);
  var out = [];
  for (var i = 0; i < blocks.length && out.length < 2; i++) {
    var text = plain(blocks[i]);
    if (res.some(function (re) { re.lastIndex = 0; return re.test(text); }))
      out.push(mark(blocks[i], res));
  }
  return out.join("");
}

/* The opening words of a hit the list may never show (below the best HIGHLIGHTED, or a page
   added only as its results' heading): plain text cut at a word. Every result crosses to the
   page's thread, which copies it; sending whole sections made the first letter's ~650 results
   about 320 KB, and on a phone-speed CPU that copy alone pushed the first result past 500 ms. */
var BRIEF = 160;
function brief(html) {
  var text = plain(html.split(/(?=<(?:p|li|dt|dd|h[1-6]|pre|blockquote|table|tr)\b)/)[0]).replace(/\s+/g, " ").trim();
  if (text.length <= BRIEF) return text;
  var cut = text.lastIndexOf(" ", BRIEF);
  return text.slice(0, cut > 0 ? cut : BRIEF) + " …";
}

function search(query) {
  var terms = queryTerms(query);
  if (!terms.length) return { items: [] };
  var res = terms.map(termRegExp);
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
    var item = {};
    for (var key in doc)
      if (key !== "plainTitle" && key !== "plainText" && key !== "page") item[key] = doc[key];
    item.score = score;
    item.terms = matched;
    item.page = doc.page;
    hits.push(item);
  });
  hits.sort(function (a, b) { return b.score - a.score; });
  /* Highlight only the best hits: the list shows ten pages first and the rest on scroll, and
     marking every document for a one-letter query would cost more than the search itself. */
  hits.forEach(function (item, i) {
    if (i < HIGHLIGHTED) {
      item.title = mark(item.title || "", res);
      item.text = teaser(item.text || "", res);
    } else {
      item.text = brief(item.text || "");
    }
  });
  var groups = new Map();
  hits.forEach(function (item) {
    var page = item.page;
    delete item.page;
    if (!groups.has(page)) groups.set(page, []);
    groups.get(page).push(item);
  });
  groups.forEach(function (items, page) {
    if (!items.some(function (i) { return i.location === page; }) && pages[page]) {
      var doc = pages[page];
      items.push({ location: doc.location, title: doc.title, text: brief(doc.text || ""), score: 0, terms: {} });
    }
  });
  var result = { items: Array.from(groups.values()) };
  if (suggest) result.suggest = [];
  return result;
}

addEventListener("message", function (ev) {
  var message = ev.data;
  if (message.type === SETUP) {
    setup(message.data);
    postMessage({ type: READY });
  } else if (message.type === QUERY) {
    var data;
    try {
      data = search(message.data);
    } catch (err) {
      console.warn("search: invalid query", message.data, err);
      data = { items: [] };
    }
    postMessage({ type: RESULT, data: data });
  }
});
