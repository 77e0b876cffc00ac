"""Typography as an editorial matter (scripts/sources/typography.py) on the BUILT site and the parsed texts.

- No straight double quotation mark is left in the body text of any reading page (the text, its
  notes and tables; the apparatus, which quotes the source's "before" on purpose, is left out).
- The rule changed marks only: each logged typography edit's ``after`` is its ``before`` with
  straight marks made curly, no letter or other character changed; the count is in "About this text".
- The OCR residue named in issue 18 is corrected by data entries with reasons.
"""
from __future__ import annotations

from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from scripts.sources.typography import only_marks_changed
from tests.test_site_fidelity import ENTRIES, expected_lines

APPARATUS = ".apparatus, .rights-note, .cite-this, .cite-print, script, style"


def reading_pages(site: Path) -> list[Path]:
    return sorted(p for p in (site / "readings").rglob("*.html") if p.name != "about.html")


def test_no_straight_double_quotes_in_any_reading_page(built_site: Path) -> None:
    bad = []
    for page in reading_pages(built_site):
        article = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser").select_one("article")
        for junk in article.select(APPARATUS):
            junk.decompose()
        text = article.get_text(" ")
        if '"' in text:
            i = text.index('"')
            bad.append(f"{page.relative_to(built_site)}: {text.count(chr(34))} × …{text[max(0, i - 60):i + 40]}…")
    assert not bad, "\n".join(bad)


@pytest.mark.parametrize("text_id", sorted(ENTRIES))
def test_typography_edits_change_only_quotation_marks(text_id: str) -> None:
    _, doc = expected_lines(text_id)
    edits = [e for e in doc.edits if e.kind == "typography"]
    for e in edits:
        assert e.rule == "curl_quotes"
        assert only_marks_changed(e.before, e.after), (e.line, e.before[:80], e.after[:80])
    if text_id == "viola":
        assert len(edits) > 300


def test_about_this_text_counts_the_typographic_changes(built_site: Path) -> None:
    about = BeautifulSoup((built_site / "readings/viola/about.html").read_text(encoding="utf-8"), "html.parser")
    text = " ".join(about.select_one(".apparatus").get_text(" ").split())
    assert "Typography (straight quotation marks and apostrophes made curly; no letter changed)" in text
    assert "were printed as curly ones" in text and "marks in all" in text


def test_ocr_residue_is_corrected(built_site: Path) -> None:
    ch4 = BeautifulSoup((built_site / "readings/viola/chapter-4.html").read_text(encoding="utf-8"), "html.parser")
    p21 = ch4.find(id="p21").get_text()
    assert "“Answer to the Sverdlov Comrades” (9 February)" in p21 and "''" not in p21
    table = None                       # Table 5 stands in the chapter the parser places it in
    for chapter in ("chapter-4", "chapter-5"):
        page = BeautifulSoup((built_site / f"readings/viola/{chapter}.html").read_text(encoding="utf-8"), "html.parser")
        table = table or page.find(id="table-table5")
    northern = [tr for tr in table.select("tr") if tr.get_text(" ").strip().startswith("Northern")][0]
    assert [td.get_text().strip() for td in northern.select("td")][-1] == "3"
    assert "^" not in table.get_text()
    about = BeautifulSoup((built_site / "readings/viola/about.html").read_text(encoding="utf-8"), "html.parser")
    text = about.select_one(".apparatus").get_text(" ")
    assert "stray marks of the scan" in text and "read as two apostrophes" in text


@pytest.mark.parametrize("before,after", [
    ('He said, "Comrades, go back."', "He said, “Comrades, go back.”"),
    ("the sel'sovet and the workers' club", "the sel’sovet and the workers’ club"),
    ("the word *pod''em* and Ob''edinennoe", "the word *pod’’em* and Ob’’edinennoe"),
    ("in the '30s, 'quality' mattered", "in the ’30s, ‘quality’ mattered"),
    ('("time does not wait")', "(“time does not wait”)"),
    ('*"Pravda"* wrote', "*“Pravda”* wrote"),
])
def test_the_rule_chooses_each_mark_by_its_neighbours(before: str, after: str) -> None:
    from scripts.sources.typography import curl_segments
    got, n = curl_segments([before])
    assert got == [after] and only_marks_changed(before, after)
    assert n == sum(1 for a, b in zip(before, after) if a != b)


def test_a_quote_closing_before_a_note_marker_and_opening_after_it() -> None:
    from scripts.core.model import NoteRef
    from scripts.sources.typography import curl_segments
    got, _ = curl_segments(['He wrote "enough."', NoteRef("4"), ' Then "more"'])
    assert got[0] == "He wrote “enough.”" and got[2] == " Then “more”"
