"""Corrected words stay corrected: no known misspelling is left in any reading page of the BUILT site.

"Known variants" come from the data, not from this test: every literal ``find`` of
``data/corrections/<id>.yml`` (the misspellings an editor has decided to correct), and every
``misspellings`` form of a glossary entry whose headword is the ``replace`` of a correction (for
Kolkhoztsentr: the eleven OCR spellings the glossary still matches for tooltips). Pages checked:
every page of every reading except its "About this text" apparatus (a page of its own, or the
``.apparatus`` block of a one-page reading), which quotes the misspellings on purpose, as the
"before" of each logged correction.

Also: Table 3 of Viola's chapter 3, whose caption the source prints twice (over the lost first
part and over the continued part), shows it once, logs the other and says so in its damage box.
"""
from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml
from bs4 import BeautifulSoup

from scripts.glossary.terms import load_glossary

ROOT = Path(__file__).resolve().parent.parent


def _corrections() -> dict[str, list[dict]]:
    return {p.stem: yaml.safe_load(p.read_text(encoding="utf-8")) or []
            for p in sorted((ROOT / "data" / "corrections").glob("*.yml"))}


def known_variants(text_id: str) -> set[str]:
    """Misspellings that must not appear in the reading ``text_id``'s pages."""
    entries = _corrections().get(text_id, [])
    found = {e["find"] for e in entries if not e.get("regex")}
    targets = {e["replace"] for e in entries if not e.get("regex")}
    glossary = load_glossary(ROOT / "data" / "glossary.yml")
    for term in glossary.terms:
        if term.headword in targets:
            found |= set(term.misspellings)
    return {v for v in found if v.strip()}


def page_text(path: Path) -> str:
    soup = BeautifulSoup(path.read_text(encoding="utf-8"), "lxml")
    main = soup.find("article") or soup
    for apparatus in main.select(".apparatus"):  # "About this text" quotes the misspellings it corrected
        apparatus.decompose()
    return " ".join(main.get_text(" ").split())


def reading_pages(site: Path, text_id: str) -> list[Path]:
    return [p for p in sorted((site / "readings" / text_id).glob("*.html")) if p.name != "about.html"]


def occurrences(text: str, variant: str) -> int:
    """Whole-word occurrences (a variant such as 'Kolkhozsentr' must not count inside a longer word)."""
    return len(re.findall(rf"(?<![^\W_]){re.escape(variant)}(?![^\W_])", text))


@pytest.mark.parametrize("text_id", ["viola", "hatch", "goldman"])
def test_no_known_variant_of_a_corrected_word_is_left(built_site: Path, text_id: str) -> None:
    variants = known_variants(text_id)
    assert variants, f"no corrections data for {text_id}"
    left = []
    for page in reading_pages(built_site, text_id):
        text = page_text(page)
        for v in sorted(variants):
            n = occurrences(text, v)
            if n:
                left.append(f"{page.relative_to(built_site)}: {v!r} ×{n}")
    assert not left, "misspellings that the corrections data corrects elsewhere are still printed:\n" + "\n".join(left)


def test_kolkhoztsentr_misspellings_are_known_variants() -> None:
    """The check above covers the eleven OCR spellings of Kolkhoztsentr (from the glossary data)."""
    variants = known_variants("viola")
    for v in ("Kolkhozsentr", "Kolkhoztsestr", "Kolkhozttsentr", "Kolkhoztseutr", "KOLKHOTSSENTR"):
        assert v in variants


def test_the_check_can_fail(tmp_path: Path) -> None:
    page = tmp_path / "chapter-9.html"
    page.write_text("<article><p>orders of Kolkhozsentr's office; Kolkhozsentrs</p></article>", encoding="utf-8")
    assert occurrences(page_text(page), "Kolkhozsentr") == 1


def test_table_3_caption_is_shown_once_and_the_other_logged(built_site: Path) -> None:
    soup = BeautifulSoup((built_site / "readings/viola/chapter-3.html").read_text(encoding="utf-8"), "lxml")
    figure = soup.find(id="table-table3")
    assert figure is not None
    caption = " ".join(figure.find("figcaption").get_text(" ").split())
    assert caption.upper().count("RECRUITMENT AND SELECTION OF 25,000ERS") == 1, caption
    damage = " ".join(figure.find(class_="damage").get_text(" ").split())
    assert "caption is printed twice" in damage
    about = (built_site / "readings/viola/about.html").read_text(encoding="utf-8")
    assert "drop_doubled_caption" in about and "line 843" in about
