"""Footnotes in the built HTML: every marker links to its note and every note links back, the number
shown is the author's own, and the counts are those of the sources."""
from __future__ import annotations

from pathlib import Path

import pytest
from bs4 import BeautifulSoup

EXPECTED = {
    "readings/viola/introduction.html": 7,
    "readings/viola/chapter-1.html": 87,
    "readings/viola/chapter-2.html": 140,
    "readings/viola/chapter-3.html": 58,
    "readings/viola/chapter-4.html": 114,
    "readings/viola/chapter-5.html": 126,
    "readings/viola/chapter-6.html": 106,
    "readings/viola/chapter-7.html": 109,
    "readings/siegelbaum-suny/index.html": 31,
    "readings/bw-review/index.html": 2,
    "readings/goldman/index.html": 57,
}


def soup(site: Path, page: str) -> BeautifulSoup:
    return BeautifulSoup((site / page).read_text(encoding="utf-8"), "html.parser")


@pytest.mark.parametrize("page,count", sorted(EXPECTED.items()))
def test_markers_and_notes_link_both_ways(built_site: Path, page: str, count: int) -> None:
    html = soup(built_site, page)
    refs = html.select("sup[id^='fnref'] a.footnote-ref")
    assert [a.get_text() for a in refs] == [str(n) for n in range(1, count + 1)], "note numbers are not the author's 1..N"
    notes = html.select("div.footnote li[id^='fn:']")
    assert len(notes) == count
    for a in refs:
        target = html.find(id=a["href"][1:])
        assert target is not None and target.name == "li", f"{a['href']} does not lead to a note"
        back = target.select("a.footnote-backref")
        assert back, f"note {a['href']} has no link back"
        sup_ids = {b["href"][1:] for b in back}
        assert a.parent["id"] in sup_ids, f"note {a['href']} does not link back to its marker"
    for li in notes:
        assert li.get_text(" ", strip=True).strip("↩ "), f"note {li['id']} is empty"


def test_viola_conclusion_has_no_notes(built_site: Path) -> None:
    assert not soup(built_site, "readings/viola/conclusion.html").select("a.footnote-ref")


def test_hatch_lists_its_64_notes_and_the_acknowledgement(built_site: Path) -> None:
    html = soup(built_site, "readings/hatch/index.html")
    entries = html.select("div.note-entry")
    ids = [e["id"] for e in entries]
    assert ids == ["note-star"] + [f"note-{n}" for n in range(1, 65)]
    assert entries[1].get_text(" ", strip=True).startswith("1. For example, see Daniels")


def test_numbers_that_look_like_markers_stay_text(built_site: Path) -> None:
    """'25 000ers' in the review and years in the text are not turned into note links."""
    review = soup(built_site, "readings/bw-review/index.html")
    text = review.select_one("article").get_text(" ")
    assert "25 000ers" in text
    assert not [a for a in review.select("a.footnote-ref") if a.get_text() not in ("1", "2")]


def test_every_paragraph_has_a_stable_anchor(built_site: Path) -> None:
    html = soup(built_site, "readings/viola/chapter-4.html")
    paras = html.select("article p[id^='p']")
    ids = [p["id"] for p in paras]
    assert len(ids) > 60
    assert ids == [f"p{n}" for n in range(1, len(ids) + 1)]
    assert html.find(id="p37") is not None
