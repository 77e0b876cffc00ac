"""Fidelity of the built site to the sources.

Every word of each source appears in the built reading pages, in order, except what the logged
edits account for: the source is first edited exactly as the build's log says (data corrections,
rule corrections, removals), then cut into its lines; each line's words must occur as one unbroken
run in the built pages (a line split by a hyphen at a page break may end inside a joined word), and
the runs must follow each other in the source's order except where the edition moves text on
purpose (notes placed after each chapter; tables placed after the paragraph they interrupted).
"""
from __future__ import annotations

import re
from collections import defaultdict
from functools import lru_cache
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from scripts.paths import Paths
from scripts.pipeline import parse_text
from scripts.sources.corrections import apply_corrections, load_corrections
from scripts.sources.manifest import load_manifest
from scripts.render.document import part_page_path
from scripts.sources.read import read_source

WORD = re.compile(r"[^\W\d_]+")
# Note markers are structure, not words: the renderer turns them into links.
MARKERS = {"jstor_markdown": re.compile(r"<sup>\d+</sup>"), "cambridge_fulltext": re.compile(r"Footnote \d+"),
           "viola_book": re.compile(r"[⁰¹²³⁴⁵⁶⁷⁸⁹]+")}
CHROME = ["Google Scholar", "CrossRef", "JSTOR", "Hostname", "Access options", "Get access", "Rights & Permissions",
          "Dear Grace and Joe", "Praise For", "Total loading time", "goldman@andrew.cmu.edu", "Figure 0",
          "be able to do", "Your use of the JSTOR archive"]
ENTRIES = {e["id"]: e for e in load_manifest(Paths().manifest)}


@lru_cache(maxsize=None)
def expected_lines(text_id: str) -> tuple[list[list[str]], object]:
    """The source's lines after replaying the build's logged edits, as lists of words."""
    entry = ENTRIES[text_id]
    paths = Paths()
    src = read_source(paths.sources / entry["file"])
    apply_corrections(src, load_corrections(paths.corrections / f"{text_id}.yml"), paths.corrections / f"{text_id}.yml")
    lines = src.lines[:]
    doc = parse_text(entry, paths)
    for e in doc.edits:
        if not e.line or e.line > len(lines) or e.rule.startswith("corrections/"):
            continue
        if e.kind == "removal" and e.before:
            remove(lines, e.line, e.before)
        elif e.kind == "correction" and e.before:
            i = e.line - 1
            if e.before in lines[i]:
                lines[i] = lines[i].replace(e.before, e.after, 1)
    marker = MARKERS.get(entry["parser"])
    words = []
    for line in lines:
        if marker:
            line = marker.sub(" ", line)
        words.append(WORD.findall(line))
    return words, doc


def remove(lines: list[str], n: int, before: str) -> None:
    """Delete ``before`` (possibly several lines long) starting on line ``n``."""
    first, *rest = before.split("\n")
    i = n - 1
    if not rest:
        if first in lines[i]:
            lines[i] = lines[i].replace(first, " ", 1)
        return
    block = "\n".join(lines[i:i + len(rest) + 1])
    if before in block:
        new = block.replace(before, " ", 1).split("\n")
        lines[i:i + len(rest) + 1] = new + [""] * (len(rest) + 1 - len(new))


def reading_texts(site: Path, doc, leave_out: str) -> list[tuple[str, str]]:
    """(page name, article text) for each page of the reading, without the elements in ``leave_out``."""
    texts = []
    for part in doc.parts:
        page = site / part_page_path(doc, part).replace(".md", ".html")
        article = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser").select_one("article")
        for junk in article.select(leave_out):
            junk.decompose()
        texts.append((page.name, article.get_text(" ")))
    return texts


def built_words(site: Path, text_id: str, doc) -> list[str]:
    """The words of the text's reading pages, in reading order, without the edition's apparatus."""
    leave_out = (".apparatus, .rights-note, .headerlink, .footnote-backref, .reading-source, .reading-guide, .discussed-in, "
                 ".editor-note, .ed-note")  # the edition's own words: editor's notes (data/editor_notes.yml)
    return [w for _, text in reading_texts(site, doc, leave_out) for w in WORD.findall(text)]


def check(site: Path, text_id: str) -> tuple[list[str], int]:
    lines, doc = expected_lines(text_id)
    built = built_words(site, text_id, doc)
    index = defaultdict(list)
    for i, w in enumerate(built):
        index[w].append(i)
    missing, inversions, cursor = [], 0, -1
    for n, words in enumerate(lines, 1):
        if not words:
            continue
        hits = find_run(built, index, words)
        if not hits:
            missing.append(f"line {n}: {' '.join(words)[:100]}")
            continue
        later = [h for h in hits if h > cursor]
        if later:
            cursor = later[0]
        else:
            inversions += 1
            cursor = hits[0]
    return missing, inversions


def find_run(built: list[str], index, words: list[str]) -> list[int]:
    """Start positions where ``words`` occur as one run (first/last word may be part of a joined word)."""
    if len(words) == 1:
        w = words[0]
        return index.get(w, []) or [i for i, b in enumerate(built) if b.startswith(w) or b.endswith(w)][:50]
    anchor = 1 if len(words) > 2 else 0
    hits = []
    for pos in index.get(words[anchor], []):
        start = pos - anchor
        if start < 0 or start + len(words) > len(built):
            continue
        seg = built[start:start + len(words)]
        inner_ok = seg[1:-1] == words[1:-1]
        first_ok = seg[0] == words[0] or seg[0].endswith(words[0])
        last_ok = seg[-1] == words[-1] or seg[-1].startswith(words[-1])
        if inner_ok and first_ok and last_ok:
            hits.append(start)
    return hits


@pytest.mark.parametrize("text_id,max_inversions", [
    ("viola", 20), ("hatch", 2), ("siegelbaum-suny", 2), ("bw-review", 2), ("goldman", 2)])
def test_every_source_word_appears_in_order(built_site: Path, text_id: str, max_inversions: int) -> None:
    missing, inversions = check(built_site, text_id)
    assert not missing, f"{len(missing)} source lines are not in the built pages:\n" + "\n".join(missing[:15])
    assert inversions <= max_inversions, f"{inversions} places where the built order differs from the source"


def test_fidelity_check_can_fail(built_site: Path) -> None:
    """The check catches a dropped sentence: remove one paragraph's words from the built text."""
    lines, doc = expected_lines("bw-review")
    built = built_words(built_site, "bw-review", doc)
    victim = max(lines, key=len)
    text = " ".join(built).replace(" ".join(victim), "", 1).split()
    index = defaultdict(list)
    for i, w in enumerate(text):
        index[w].append(i)
    assert not find_run(text, index, victim)


@pytest.mark.parametrize("text_id", sorted(ENTRIES))
def test_no_chrome_strings_remain(built_site: Path, text_id: str) -> None:
    _, doc = expected_lines(text_id)
    for name, text in reading_texts(built_site, doc, ".apparatus, .rights-note"):
        for chrome in CHROME:
            assert chrome not in text, f"{name}: chrome string {chrome!r} survived"
