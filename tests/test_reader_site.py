"""Finding the way, the apparatus and the offline download (issue 11), checked on the built HTML
and the real bundle zip."""
from __future__ import annotations

import datetime
import re
import tomllib
import zipfile
from pathlib import Path

from bs4 import BeautifulSoup

from tests.conftest import ROOT, site_pages

READINGS = ["viola", "hatch", "siegelbaum-suny", "bw-review", "goldman"]


def soup(site: Path, rel: str) -> BeautifulSoup:
    return BeautifulSoup((site / rel).read_text(encoding="utf-8"), "html.parser")


def test_every_footer_shows_the_edition_version_and_build_date(built_site: Path) -> None:
    version = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["version"]
    today = datetime.datetime.now(datetime.timezone.utc)
    dates = {(today - datetime.timedelta(days=d)).strftime("%d %B %Y").lstrip("0") for d in (0, 1)}
    for page in site_pages(built_site):
        footer = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser").select_one("footer .rd-edition")
        assert footer is not None, f"{page.name}: no edition line in the footer"
        text = " ".join(footer.get_text(" ").split())
        assert f"Edition {version}" in text and any(d in text for d in dates), text
        assert footer.select_one("a[href$='download.html']"), "the footer does not link the download page"


def test_home_page_lists_the_readings_as_links_with_author_and_length(built_site: Path) -> None:
    home = soup(built_site, "index.html")
    section = next(h for h in home.select("article h2") if "The readings" in h.get_text()).find_next("ul")
    items = section.find_all("li", recursive=False)
    assert len(items) == len(READINGS)
    for item, reading in zip(items, READINGS):
        link = item.find("a")
        assert link and link["href"].startswith(f"readings/{reading}/"), item.get_text()[:80]
        text = item.get_text(" ")
        assert re.search(r"\d[\d,]* words", text) and "to read" in text, text
    assert "extract and notes" in items[1].get_text()
    assert home.select_one("a[href='download.html']")


def test_readings_list_gives_lengths_reading_times_and_violas_chapters(built_site: Path) -> None:
    page = soup(built_site, "readings/index.html").select_one("article")
    text = page.get_text(" ")
    assert text.count("to read") >= len(READINGS) + 8
    chapters = [a["href"] for a in page.select("a[href*='viola/chapter-']")]
    assert chapters == [f"viola/chapter-{n}.html" for n in range(1, 8)]


def test_nav_names_author_and_short_title_and_the_two_glossaries(built_site: Path) -> None:
    nav = soup(built_site, "readings/viola/chapter-4.html").select_one("nav.md-nav--primary")
    labels = [" ".join(e.get_text(" ").split()) for e in nav.select(".md-nav__link")]
    for expected in ("Viola — The Best Sons of the Fatherland", "Siegelbaum and Suny — Making the Command Economy",
                     "Goldman — Blood on the Red Banner", "Viola's Glossary", "Reader's glossary"):
        assert any(label.startswith(expected) for label in labels), (expected, labels)
    hatch = [label for label in labels if label.startswith("Hatch —")]
    assert hatch and all("(extract and notes)" in label for label in hatch)
    assert "Glossary" not in labels, "an entry named only 'Glossary' is ambiguous"
    assert "extract and notes" in soup(built_site, "readings/hatch/index.html").select_one("article").get_text()


def test_download_page_says_what_the_zip_is_and_how_to_open_it(built_site: Path) -> None:
    article = soup(built_site, "download.html").select_one("article")
    assert article.select_one("a[href='revolution-from-above-offline.zip']")
    text = article.get_text(" ")
    for words in ("laptop", "phone", "index.html", "README.txt", "built"):
        assert words in text, words


def test_the_zip_opens_with_a_readme(offline_zip: Path) -> None:
    with zipfile.ZipFile(offline_zip) as zf:
        first = zf.namelist()[0]
        assert first == "revolution-from-above/README.txt"
        readme = zf.read(first).decode("utf-8")
    assert "index.html" in readme and "Edition " in readme and "{" not in readme


def test_about_this_text_is_written_for_readers(built_site: Path) -> None:
    about = soup(built_site, "readings/viola/about.html").select_one("article")
    summaries = [" ".join(s.get_text(" ").split()) for s in about.select("details > summary")]
    assert any(re.match(r"1\d\d paragraphs that a printed page break had split in two were rejoined", s)
               for s in summaries), summaries[:10]
    # no rule identifier is a heading or a summary; they sit in collapsed technical details
    visible = [s for s in summaries if s != "Technical details" and not s.startswith("Technical details")]
    assert not [s for s in visible if re.search(r"\b[a-z]+_[a-z_]+\b", s)], visible
    for h in about.select("h1, h2, h3"):
        assert not re.search(r"[a-z]+_[a-z]+|sha-?256", h.get_text(), re.I), h.get_text()
    technical = [d for d in about.select("details") if d.find("summary").get_text().startswith("Technical details")]
    assert technical and all(not d.has_attr("open") for d in technical)
    assert "drop_hallucinated_dedication_letter" in " ".join(d.get_text() for d in technical)
    # the changes link to their places in the text
    places = [a["href"] for a in about.select("details li a[href]")]
    assert sum(1 for href in places if re.search(r"chapter-\d\.html#(p\d+|fn:\d+)$", href)) >= 150


def test_rights_lines_say_each_thing_once(built_site: Path) -> None:
    for reading in READINGS:
        for page in (built_site / "readings" / reading).glob("*.html"):
            note = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser").select_one("aside.rights-note")
            text = note.get_text(" ")
            assert text.count("All rights reserved") <= 1, f"{page}: {text[:200]}"
    goldman = soup(built_site, "readings/goldman/index.html").select_one("aside.rights-note")
    assert goldman.select_one("a[href^='https://creativecommons.org/licenses/by/4.0']")
