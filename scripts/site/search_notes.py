"""Post-build step: one search result per note, landing on that note.

MkDocs' search index has one document per section, so a hit in a chapter's notes showed the whole
"Notes" section (114 notes of chapter 4) as one result and took the reader to its top. After the
build, this step splits each Notes section of the index into one document per note, located at
the note's own anchor (``chapter-4.html#fn:37``, ``hatch/index.html#note-12``) and titled
"Note 37". The note numbering is the edition's (footnotes 1..N in order, checked by the renderer;
Hatch's list carries its numbers in the text).

It rewrites ``search/search_index.json`` and, in the offline build, ``search/search_index.js``
(Material's offline plugin writes it from the JSON): both keep only the configuration, and the
documents go to ``search/search_docs.json`` (online) or ``search/search_docs.js`` (offline), which
our worker loads itself; each indexed paragraph carries its number (scripts/site/search_paragraphs.py). It is run on the finished site folder by every
build path (``scripts/mkdocs_run.build``, the offline bundle, course packs), not as an MkDocs hook:
Zensical, Material's successor, runs no hooks, and a step of our own works with either. Only
``./site.sh serve`` (MkDocs' own live builds) keeps the Notes sections whole.
"""
from __future__ import annotations

import json
import re
from pathlib import Path

from scripts.site.search_paragraphs import DOCS_JS, DOCS_JSON, mark_paragraphs, write_split_index

_ITEM = re.compile(r"<li>(.*?)</li>", re.S)
_LIST_NOTE = re.compile(r"<p>(\*|\d+)\.?\s")


def split_notes(docs: list[dict]) -> list[dict]:
    out: list[dict] = []
    for doc in docs:
        location = doc.get("location", "")
        if not location.endswith("#notes"):
            out.append(doc)
            continue
        page = location.split("#", 1)[0]
        text = doc.get("text", "")
        notes: list[tuple[str, str, str]] = []
        if text.lstrip().startswith("<ol>"):
            for n, body in enumerate(_ITEM.findall(text), 1):
                notes.append((f"fn:{n}", str(n), body.replace("↩", "").strip()))
        else:
            parts = _LIST_NOTE.split(text)
            for label, body in zip(parts[1::2], parts[2::2]):
                ident = "note-star" if label == "*" else f"note-{label}"
                notes.append((ident, label, "<p>" + body.strip()))
        if not notes:
            out.append(doc)
            continue
        out.append({**doc, "text": ""})
        for ident, label, body in notes:
            out.append({"location": f"{page}#{ident}", "title": f"Note {label}", "text": body})
    return out


def split_site_index(site: Path) -> bool:
    """Rewrite ``site``'s search index with one document per note; False if the site has no index."""
    search = Path(site) / "search"
    index = search / "search_index.json"
    if not index.exists():
        return False
    data = json.loads(index.read_text(encoding="utf-8"))
    if not data["docs"] and ((search / DOCS_JSON).exists() or (search / DOCS_JS).exists()):
        return True                             # done already: the documents have moved out
    data["docs"] = split_notes(data["docs"])
    mark_paragraphs(Path(site), data["docs"])   # results land on the paragraph (search_paragraphs.py)
    write_split_index(search, data)             # the worker loads the documents itself, when idle
    return True
