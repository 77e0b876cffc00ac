"""One search result per note, made by our own post-build step (scripts/site/search_notes.py).

The step used to be an MkDocs hook; Zensical, Material's successor, runs no hooks, so it is now run
on the finished site by every build path. These tests read the indexes the real builds wrote.
"""
from __future__ import annotations

import json
import re
from pathlib import Path

import yaml

from tests.conftest import ROOT


def _docs(index_text: str) -> list[dict]:
    return json.loads(index_text.split("=", 1)[1] if index_text.startswith("var ") else index_text)["docs"]


def _notes_of(docs: list[dict], page: str) -> dict[str, str]:
    return {d["location"].split("#", 1)[1]: d["title"] for d in docs
            if d["location"].startswith(page + "#") and d["title"].startswith("Note ")}


def _count_notes(site: Path, page: str) -> int:
    html = (site / page).read_text(encoding="utf-8")
    return len(set(re.findall(r'<li id="fn:(\d+)"', html)))


def test_the_configuration_has_no_mkdocs_hooks() -> None:
    """Zensical reads mkdocs.yml but runs no hooks: nothing the site needs may depend on one."""
    config = yaml.load((ROOT / "mkdocs.yml").read_text(encoding="utf-8"), Loader=yaml.BaseLoader)
    assert "hooks" not in config


def test_online_index_has_one_document_per_note(built_site: Path) -> None:
    """Online, the documents are in search/search_docs.json, which our worker fetches after the
    first paint (issue 19); search_index.json, which Material loads as the page opens, keeps only
    the configuration."""
    index = (built_site / "search" / "search_index.json").read_text(encoding="utf-8")
    assert _docs(index) == [] and json.loads(index)["config"]["separator"]
    docs = json.loads((built_site / "search" / "search_docs.json").read_text(encoding="utf-8"))
    page = "readings/viola/chapter-4.html"
    notes = _notes_of(docs, page)
    assert len(notes) == _count_notes(built_site, page) > 100
    assert notes["fn:37"] == "Note 37"
    whole = [d for d in docs if d["location"] == f"{page}#notes"]
    assert whole and not whole[0]["text"], "the Notes section still carries every note's text"


def test_offline_index_has_one_document_per_note(offline_site: Path) -> None:
    """Offline, the documents are in search/search_docs.js, which our worker loads itself
    (scripts/site/search_paragraphs.py); search_index.js keeps only what Material reads: the config."""
    index = (offline_site / "search" / "search_index.js").read_text(encoding="utf-8")
    assert _docs(index) == [] and json.loads(index.split("=", 1)[1])["config"]["separator"]
    text = (offline_site / "search" / "search_docs.js").read_text(encoding="utf-8")
    docs = json.loads(text.split("=", 1)[1])
    notes = _notes_of(docs, "readings/hatch/index.html")
    assert len(notes) >= 60 and notes["note-12"] == "Note 12"


def test_only_the_bundle_loads_the_worker_shim(built_site: Path, offline_site: Path) -> None:
    """The iframe-worker shim replaces Worker only from file://: online its blocking <script> is taken
    out of every page (scripts/site/search_worker.py); the bundle's pages keep it."""
    shim = "assets/javascripts/iframe-worker-shim.js"
    online = [p for p in built_site.rglob("*.html") if shim in p.read_text(encoding="utf-8")]
    assert not online, online[:3]
    chapter = (offline_site / "readings" / "viola" / "chapter-4.html").read_text(encoding="utf-8")
    assert f'<script src="../../{shim}"></script>' in chapter
