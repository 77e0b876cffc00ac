"""The structure of the built readings: parts, headings, tables, figures, verse, epigraphs."""
from __future__ import annotations

from pathlib import Path

from bs4 import BeautifulSoup

VIOLA_PAGES = ["index", "front-matter", "introduction", *[f"chapter-{n}" for n in range(1, 8)], "conclusion",
               "glossary", "note-on-sources", "bibliography", "book-index", "about"]
SECTIONS = {"introduction": 0, "chapter-1": 11, "chapter-2": 10, "chapter-3": 5, "chapter-4": 8, "chapter-5": 5,
            "chapter-6": 4, "chapter-7": 5, "conclusion": 0}


def soup(site: Path, page: str) -> BeautifulSoup:
    return BeautifulSoup((site / page).read_text(encoding="utf-8"), "html.parser")


def test_viola_is_a_book_of_pages(built_site: Path) -> None:
    for name in VIOLA_PAGES:
        assert (built_site / "readings" / "viola" / f"{name}.html").exists(), name
    landing = soup(built_site, "readings/viola/index.html").select_one("article")
    links = [a["href"] for a in landing.select("ul a") if "#" not in a["href"]]   # not the guide's date links
    assert links[:3] == ["front-matter.html", "introduction.html", "chapter-1.html"]
    assert "Oxford University Press" in landing.get_text() and "Cite this text" in landing.get_text()


def test_chapter_titles_and_48_section_headings(built_site: Path) -> None:
    total = 0
    for slug, count in SECTIONS.items():
        html = soup(built_site, f"readings/viola/{slug}.html")
        h2 = [h.get_text(" ", strip=True).rstrip("#").strip() for h in html.select("article h2")]
        sections = [h for h in h2 if h != "Notes"]
        assert len(sections) == count, (slug, sections)
        total += len(sections)
        assert not html.select("article h2 a.gl, article h1 a.gl"), f"{slug}: glossary link inside a heading"
    assert total == 48
    assert soup(built_site, "readings/viola/chapter-4.html").select_one("article h1").get_text().startswith(
        "4. The Drive to Collectivize Soviet Agriculture")


def test_epigraphs_and_the_maiakovskii_poem(built_site: Path) -> None:
    epigraphs = sum(len(soup(built_site, f"readings/viola/chapter-{n}.html").select("figure.epigraph"))
                    for n in range(1, 8))
    assert epigraphs == 13
    front = soup(built_site, "readings/viola/front-matter.html")
    verse = front.select("div.verse")
    assert len(verse) == 1 and "Onward 25!" in verse[0].get_text() and verse[0].select("br")
    assert "Maiakovskii" in verse[0].get_text()
    assert "To Grace and Joe" in front.get_text() and "Dear Grace and Joe" not in front.get_text()


def test_viola_tables(built_site: Path) -> None:
    tables = {}
    for n in range(1, 8):
        for fig in soup(built_site, f"readings/viola/chapter-{n}.html").select("figure.edition-table"):
            tables[fig["id"]] = fig
    assert sorted(tables) == [f"table-table{n}" for n in range(1, 8)]
    t1 = tables["table-table1"]
    assert "CONTROL PLANS FOR THE REGIONAL DISTRIBUTION" in t1.figcaption.get_text()
    assert len(t1.select("thead tr")) == 2 and len(t1.select("tbody tr")) == 23
    assert any("Karalia" in p.get_text() for p in t1.select("p.table-note"))
    t3 = tables["table-table3"]
    assert t3.select_one("p.damage") and "lost" in t3.select_one("p.damage").get_text()


def test_goldman_figures_say_the_image_is_missing(built_site: Path) -> None:
    html = soup(built_site, "readings/goldman/index.html")
    figures = html.select("figure.edition-figure")
    assert [f["id"] for f in figures] == ["figure-1", "figure-2", "figure-3"]
    for fig in figures:
        assert not fig.select("img")
        assert "not included" in fig.select_one(".figure-missing").get_text()
        assert "Courtesy of" in fig.select_one(".figure-credit").get_text()
    headings = [h.get_text(" ", strip=True).rstrip("#").strip() for h in html.select("article h2")]
    assert headings[:8] == ["The Civil War Inheritance", "Problems of NEP", "Crisis with Grain Procurement",
                            "The Reckless Rush to Collectivize", "Controlling Labor",
                            "Women, Workers, and the State: The Struggle over Accumulation",
                            "Terror and Mass Repression", "Conclusion"]
    quotes = html.select("article blockquote")
    assert len(quotes) == 1 and quotes[0].get_text().strip().startswith("You know that for hundreds of years Britain")


def test_review_flags_its_lost_sentence(built_site: Path) -> None:
    html = soup(built_site, "readings/bw-review/index.html")
    warning = html.select_one(".admonition.warning")
    assert warning is not None and "lost" in warning.get_text()
    prev = warning.find_previous_sibling("p")
    assert prev.get_text().rstrip().endswith("required to build")
