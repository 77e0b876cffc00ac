"""Search results that land on the paragraph (issue 19, item 2), and an offline index the search
worker can read in idle time (issue 27).

**Paragraphs.** MkDocs' search index has one document per section, and a section of a Viola chapter
runs 3-10 screens: a result that opened the section (or the page top) left the reader scrolling for
the yellow marks. Every reading paragraph already has its anchor (``<p id="p37">``), but the index
keeps only ``<p>``. This step finds, for each ``<p>`` of an indexed section, the page's paragraph with
the same text and writes its number into the index as ``<p data-p="37">``; the search worker
(assets/javascripts/search-worker.js) then links each hit to the first paragraph that holds the
words (``chapter-4.html#p37``; Material's ``?h=`` still marks the words, and ``p:target`` the
paragraph). The attribute is dropped from the teasers the worker sends.

**Offline documents.** From ``file://`` Material loads ``search/search_index.js`` only when the
search box is first used, on the page's own thread, and copies all of it to the worker (through the
iframe-worker shim, on the same thread again): that load, parse and copy came between a student's
first keystroke and the first result. The offline build therefore keeps only the configuration in
``search_index.js`` (what Material and its page highlighter read) and writes the documents to
``search/search_docs.js`` (``var __rfaSearchDocs = [...]``), which our worker loads itself as soon
as the page is idle after loading.
"""
from __future__ import annotations

import html
import json
import re
from pathlib import Path

DOCS_JS = "search_docs.js"
DOCS_VAR = "__rfaSearchDocs"

_HTML_PARA = re.compile(r'<p\b[^>]*?\bid="p(\d+)"[^>]*>(.*?)</p>', re.S)
_INDEX_PARA = re.compile(r"<p>(.*?)(?=<p>|<p |$)", re.S)
_TAG = re.compile(r"<[^>]*>")
KEY_CHARS = 60


def _key(fragment: str) -> str:
    """The opening words of a paragraph, the same from the page and from the index: tags dropped,
    entities decoded, quotes and spacing made uniform, lower case."""
    text = html.unescape(_TAG.sub(" ", fragment))
    text = re.sub(r"[‘’ʼʹ']", "'", text)
    text = re.sub(r"[“”\"]", '"', text)
    text = re.sub(r"\s+", " ", text).strip().lower()
    return text[:KEY_CHARS]


def page_paragraphs(page_html: str) -> dict[str, str]:
    """Opening words -> paragraph number, for every ``<p id="pN">`` of a page (first one wins)."""
    out: dict[str, str] = {}
    for number, body in _HTML_PARA.findall(page_html):
        key = _key(body)
        if len(key) >= 12:
            out.setdefault(key, number)
    return out


def mark_paragraphs(site: Path, docs: list[dict]) -> int:
    """Write ``data-p="N"`` into each indexed ``<p>`` whose text is paragraph N of its page; return
    how many were marked."""
    cache: dict[str, dict[str, str]] = {}
    marked = 0
    for doc in docs:
        text = doc.get("text") or ""
        if "<p>" not in text:
            continue
        page = doc.get("location", "").split("#", 1)[0]
        if page not in cache:
            path = site / page
            cache[page] = page_paragraphs(path.read_text(encoding="utf-8")) if path.is_file() and page.endswith(".html") else {}
        paras = cache[page]
        if not paras:
            continue

        def repl(match: re.Match) -> str:
            nonlocal marked
            number = paras.get(_key(match.group(1)))
            if number is None:
                return match.group(0)
            marked += 1
            return f'<p data-p="{number}">' + match.group(1)
        doc["text"] = _INDEX_PARA.sub(repl, text)
    return marked


# What the worker matches against (its plain() and squash(), done here once instead of on the
# reader's machine at every page load: stripping tags, lower case and dropping apostrophes inside
# words cost more than parsing the texts, on the page's own thread, offline).
_APOS = "'\u2019\u02bc\u02b9"
_LETTER = "a-z0-9\u00c0-\u024f\u0370-\u03ff\u0400-\u04ff"
_INNER_APOS = re.compile(f"([{_LETTER}])[{_APOS}]+(?=[{_LETTER}])")


def match_text(fragment: str) -> str:
    """The worker's ``squash(plain(fragment).toLowerCase())``."""
    return _INNER_APOS.sub(r"\1", re.sub(r"<[^>]*>", " ", fragment).lower())


def write_offline_index(search: Path, data: dict) -> None:
    """``search_index.js`` with the configuration only, and the documents in ``search_docs.js``,
    each with the text the worker matches against (``plainTitle``, ``plainText``)."""
    (search / "search_index.js").write_text(
        "var __index = " + json.dumps({"config": data.get("config", {}), "docs": []}, ensure_ascii=False,
                                      separators=(",", ":")), encoding="utf-8")
    docs = [{**doc, "plainTitle": match_text(doc.get("title") or ""), "plainText": match_text(doc.get("text") or "")}
            for doc in data["docs"]]
    (search / DOCS_JS).write_text(
        f"var {DOCS_VAR} = " + json.dumps(docs, ensure_ascii=False, separators=(",", ":")),
        encoding="utf-8")
