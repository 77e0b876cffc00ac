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

**Documents in a file of their own** (issues 19 and 27). Material loads ``search/search_index.json``
as every page opens (online) or when the search box is first used (``search/search_index.js``, from
``file://``) and copies all of it to the search worker. Online, that 1.8 MB request competed with
the book face for the slow network of Lighthouse's mobile preset, and the text was painted again
after it (largest contentful paint 13-16 s); from ``file://`` the load, parse and copy came between
a student's first keystroke and the first result. So the index Material reads keeps only the
configuration (what Material and its page highlighter need), and the documents go to a file that
our worker loads itself: ``search/search_docs.json`` online, fetched when the page has loaded and
is idle or when the search box is first focused (assets/javascripts/search-start.js tells the
worker), and ``search/search_docs.js`` (``var __rfaSearchDocs = [...]``, with the text the worker
matches against already prepared) in the offline bundle, loaded as soon as the page is idle.
"""
from __future__ import annotations

import html
import json
import re
from pathlib import Path

DOCS_JS = "search_docs.js"      # the offline bundle's (a script: file:// allows no fetch)
DOCS_JSON = "search_docs.json"  # the online site's
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


def _dump(data) -> str:
    return json.dumps(data, ensure_ascii=False, separators=(",", ":"))


def write_split_index(search: Path, data: dict) -> None:
    """``search_index.json`` (and, in the offline build, ``search_index.js``) with the configuration
    only; the documents in ``search_docs.json`` online, or in ``search_docs.js`` offline, each with
    the text the worker matches against (``plainTitle``, ``plainText``: done here once, instead of
    on the reader's machine, where it cost more than parsing the texts)."""
    config_only = _dump({"config": data.get("config", {}), "docs": []})
    (search / "search_index.json").write_text(config_only, encoding="utf-8")
    # prepared here in both editions: online the worker fetches the texts only once the page has
    # loaded, so a search typed at once waits for their parse, and preparing them took it longer
    docs = [{**doc, "plainTitle": match_text(doc.get("title") or ""), "plainText": match_text(doc.get("text") or "")}
            for doc in data["docs"]]
    if not (search / "search_index.js").exists():
        (search / DOCS_JSON).write_text(_dump(docs), encoding="utf-8")
        return
    (search / "search_index.js").write_text("var __index = " + config_only, encoding="utf-8")
    (search / DOCS_JS).write_text(f"var {DOCS_VAR} = " + _dump(docs), encoding="utf-8")


def read_docs(search: Path) -> list[dict]:
    """The documents of a built site's search: ``search_docs.json`` once :func:`write_split_index`
    has run, else those of ``search_index.json`` (a site our post-build step has not finished)."""
    if (search / DOCS_JSON).is_file():
        return json.loads((search / DOCS_JSON).read_text(encoding="utf-8"))
    if (search / DOCS_JS).is_file():
        return json.loads((search / DOCS_JS).read_text(encoding="utf-8").split("=", 1)[1])
    return json.loads((search / "search_index.json").read_text(encoding="utf-8"))["docs"]
