"""Every row of the glossary's archival-abbreviation table says where it comes from (issue 13).

The rows of "How to read an archival citation" (``archival:`` in data/glossary.yml) carry
``sources``: passages where a reading expands or uses the abbreviation (Viola's Bibliography note
on fond / opis' / delo / list, her Note on Sources, Hatch's note 11 …), named works, or "written
for this edition" where neither states it. These tests read the BUILT glossary page: every row
shows its sources, every passage is a link that lands on an element with that id, and a row
without sources, or with a passage that does not exist, stops the build.
"""
from __future__ import annotations

import dataclasses
import json
from pathlib import Path
from urllib.parse import unquote

import pytest
from bs4 import BeautifulSoup

from scripts.core.errors import BuildError
from scripts.glossary.terms import SOURCE_EDITION, load_glossary
from scripts.glossary.page import _PASSAGE, _WORK, check_sources

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def glossary():
    return load_glossary(ROOT / "data" / "glossary.yml")


def _archival_rows(built_site: Path) -> dict[str, BeautifulSoup]:
    soup = BeautifulSoup((built_site / "glossary.html").read_text(encoding="utf-8"), "lxml")
    head = soup.find(id="archival-citations")
    table = head.find_next("table")
    assert [th.get_text(strip=True) for th in table.find_all("th")] == \
        ["Abbreviation", "Stands for", "What it means", "Sources"]
    rows = {}
    for tr in table.find("tbody").find_all("tr"):
        cells = tr.find_all("td")
        rows[cells[0].get_text(" ", strip=True).split(" (also")[0]] = cells[3]
    return rows


def test_every_archival_row_shows_sources_that_resolve(built_site: Path, glossary) -> None:
    rows = _archival_rows(built_site)
    assert set(rows) == {a.abbr for a in glossary.archival}
    problems = []
    for a in glossary.archival:
        if not a.sources:
            problems.append(f"{a.abbr}: no sources")
        cell = rows[a.abbr]
        hrefs = [x["href"] for x in cell.find_all("a", href=True)]
        for item in a.sources:
            m = _PASSAGE.match(item)
            if m:
                if not any(h.endswith("#" + m.group("anchor")) and m.group("key").split("/")[-1] in h for h in hrefs):
                    problems.append(f"{a.abbr}: {item} is not linked")
            elif item != SOURCE_EDITION and not _WORK.match(item):
                problems.append(f"{a.abbr}: {item!r} is not a named work")
            elif item not in cell.get_text(" ", strip=True):
                problems.append(f"{a.abbr}: {item!r} is not shown")
        for href in hrefs:
            target, _, anchor = unquote(href).partition("#")
            path = built_site / target
            ids = {el["id"] for el in BeautifulSoup(path.read_text(encoding="utf-8"), "lxml").find_all(id=True)} \
                if path.exists() else set()
            if anchor not in ids:
                problems.append(f"{a.abbr}: {href} does not resolve")
    assert not problems, "\n".join(problems)


def test_the_cited_passages_use_the_abbreviation(glossary, build_dir: Path) -> None:
    """A passage cited for an abbreviation contains it (its expansion, or the archive its meaning
    compares it with): the link is evidence, not decoration. Read from build/passages.json, the text of the built pages."""
    passages = json.loads((build_dir / "passages.json").read_text(encoding="utf-8"))
    problems = []
    for a in glossary.archival:
        # the abbreviation, its expansion or forms, or another archive its meaning compares it with
        words = {a.abbr, a.stands_for.split(",")[0], *a.forms,
                 *(b.abbr for b in glossary.archival if b is not a and b.abbr in a.meaning)}
        for item in a.sources:
            m = _PASSAGE.match(item)
            if not m:
                continue
            text = passages[m.group("key")][m.group("anchor")]
            if not any(w in text or w.split()[0] in text for w in words):
                problems.append(f"{a.abbr}: {item} does not mention {sorted(words)}")
    assert not problems, "\n".join(problems)


def test_an_archival_row_without_sources_stops_the_build(glossary, build_dir: Path) -> None:
    passages = json.loads((build_dir / "passages.json").read_text(encoding="utf-8"))
    check_sources(glossary, passages)  # the real data passes
    first = glossary.archival[0]
    for bad, message in (((), "has no 'sources'"),
                         (("viola/chapter-2#p99999",), "is not a paragraph or note"),
                         (("my memory",), "is neither a passage id")):
        broken = dataclasses.replace(glossary, archival=[dataclasses.replace(first, sources=bad)])
        broken.terms = glossary.terms
        with pytest.raises(BuildError) as err:
            check_sources(broken, passages)
        assert message in str(err.value)
        assert err.value.line == first.line
