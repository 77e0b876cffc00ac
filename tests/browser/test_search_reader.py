"""Search that forgives transliteration and lands on notes (issue 11), online and in the bundle.

``selsovet`` (no apostrophe) and ``selsoviet`` must find the pages that ``sel'sovet`` finds,
through the glossary's forms (scripts/glossary/reader_data.py, reader.js); a hit in a chapter's notes
is that note (#fn:N), not the whole notes list (scripts/site/search_notes.py)."""
from __future__ import annotations

from pathlib import Path

import pytest

from tests.browser.helpers import open_search

CHAPTER = "readings/viola/chapter-4.html"

RESULTS_JS = """() => [...document.querySelectorAll('.md-search-result__link')].map(a => a.getAttribute('href'))"""


def results(page, query: str) -> list[str]:
    """Every result link for ``query`` (all pages). Material renders the first 10 results and then 4
    more each time the list's bottom comes into view: it reacts to the change from "not at the
    bottom" to "at the bottom" (distinctUntilChanged), so each round first scrolls away from the
    bottom and then to it, as a reader's scrolling does. Jumping to the bottom only loaded one
    batch (14 pages), so queries were compared on their top 14 hits by rank, not on what they find."""
    open_search(page)
    box = page.locator("input.md-search__input")
    box.fill("")
    page.wait_for_timeout(100)
    box.type(query, delay=20)
    page.wait_for_function(
        "() => document.querySelector('.md-search-result__item') || "
        "(document.querySelector('.md-search-result__meta') || {}).textContent?.includes('No matching')",
        timeout=20000)
    page.wait_for_timeout(500)
    seen, still = -1, 0
    for _ in range(60):  # load the rest of the list, until three scrolls in a row bring no more
        wrap = page.locator(".md-search__scrollwrap")
        wrap.evaluate("e => e.scrollTop = Math.max(0, e.scrollHeight - e.clientHeight - 200)")
        page.wait_for_timeout(50)
        wrap.evaluate("e => e.scrollTop = e.scrollHeight")
        page.wait_for_timeout(150)
        count = page.locator(".md-search-result__item").count()
        still = still + 1 if count == seen else 0
        seen = count
        if still >= 3:
            break
    return page.evaluate(RESULTS_JS)


def pages_of(links: list[str]) -> set[str]:
    """The pages (folder/file.html) the result links lead to."""
    return {"/".join(link.split("#")[0].split("?")[0].split("/")[-2:]) for link in links}


@pytest.fixture(params=["online", "offline"])
def chapter(request, browser, site_url: str):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    if request.param == "online":
        page.goto(f"{site_url}/{CHAPTER}")
    else:
        offline_site: Path = request.getfixturevalue("offline_site")
        page.goto((offline_site / CHAPTER).as_uri())
    yield page
    context.close()


def test_a_word_without_its_apostrophe_finds_the_same_pages(chapter) -> None:
    main = pages_of(results(chapter, "sel'sovet"))
    assert len(main) >= 5, main
    for variant in ("selsovet", "selsoviet"):
        chapter.reload()
        assert pages_of(results(chapter, variant)) == main, variant


def test_a_hit_in_the_notes_is_that_note(chapter) -> None:
    """Each note is its own result, linked to the note (#fn:N), never the whole notes list."""
    links = results(chapter, "Foundations")
    notes = [link for link in links if "chapter-4.html" in link and "#fn:" in link]
    assert notes, links
    for link in notes:
        number = link.rsplit("#fn:", 1)[1]
        text = chapter.locator(f'[id="fn:{number}"]').inner_text()
        assert "Foundations" in text, (link, text[:100])
    assert not any(link.endswith("#notes") for link in links)
