"""A search result opens at the paragraph that holds the words (issue 19, item 2), online and from
the bundle; and the smaller search items of issue 19 (8): no "Missing: selsovet" on the best result
for `selsovet`, the glossary's line opens the matching entry, a "Searching…" state while a search
runs. The worker links each hit to its paragraph (assets/javascripts/search-worker.js) from the
paragraph numbers the build writes into the index (scripts/site/search_paragraphs.py)."""
from __future__ import annotations

import re

import pytest

from tests.browser.helpers import open_search

CHAPTER = "readings/viola/chapter-4.html"
PHRASE_37 = "rigorous socioeconomic determinants"   # chapter 4, ¶ 37
LINKS_JS = "() => [...document.querySelectorAll('.md-search-result__link')].map(a => a.getAttribute('href'))"


@pytest.fixture(params=["online", "offline"])
def start(request, browser, site_url: str):
    """A fresh page at the home page, online (HTTP) or from the unzipped bundle (file://)."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.js_errors = errors
    if request.param == "online":
        page.goto(f"{site_url}/index.html")
    else:
        page.goto((request.getfixturevalue("offline_site") / "index.html").as_uri())
    yield page
    context.close()


def search(page, query: str) -> list[str]:
    """Type the query as a reader does; the result links once the list has settled."""
    open_search(page)
    page.locator("input.md-search__input").press_sequentially(query, delay=30)
    page.wait_for_selector(".md-search-result__item", timeout=20000)
    page.wait_for_timeout(800)   # the full answer follows a pause in typing
    return page.evaluate(LINKS_JS)


def land(page, href: str) -> str:
    """Follow a result link; return the text of the element the URL's #fragment names, after
    checking the browser is there: it is the :target and on screen."""
    page.locator(f'.md-search-result__link[href="{href}"]').first.click()
    page.wait_for_load_state("load")
    fragment = page.evaluate("location.hash").lstrip("#")
    assert re.fullmatch(r"p\d+", fragment), page.url
    target = page.locator(f'[id="{fragment}"]')
    assert target.evaluate("e => e.matches(':target')")
    box = target.bounding_box()
    assert box and 0 <= box["y"] < page.viewport_size["height"], (fragment, box)
    return target.inner_text()


def test_kulak_opens_at_a_paragraph_that_holds_it(start) -> None:
    links = search(start, "kulak")
    readings = [h for h in links if "readings/" in h]
    # the best hit of the readings is in a paragraph (other hits may be a "Discussed in" line or a
    # reading guide, which lead to their section or the page top, where they are)
    assert readings and re.search(r"#p\d+$", readings[0]), readings[:5]
    assert "kulak" in land(start, readings[0]).lower()
    assert not start.js_errors


def test_a_phrase_from_chapter_4_opens_at_its_paragraph(start) -> None:
    links = search(start, PHRASE_37)
    chapter = [h for h in links if CHAPTER.split("/")[-1] in h and "viola/" in h]
    assert chapter and chapter[0].endswith("#p37"), chapter
    text = " ".join(land(start, chapter[0]).split())
    assert PHRASE_37 in text
    assert start.url.split("#")[0].split("?")[0].endswith(CHAPTER)


def test_selsovet_is_not_missing_from_its_best_result(start) -> None:
    links = search(start, "selsovet")
    first = start.locator(".md-search-result__item").first
    assert first.locator(".md-search-result__terms").count() == 0, first.inner_text()
    assert not any("cited-works" in h for h in links[:10]), links[:10]   # no "sel" + "sovet" split
    assert first.locator("mark").count() >= 1


def test_the_glossary_line_opens_the_matching_entry(start) -> None:
    search(start, "kulak")
    heading = start.locator(".md-search-result__item").filter(
        has=start.locator("h1", has_text=re.compile(r"^\s*Glossary\s*$"))).first.locator(".md-search-result__link").first
    assert heading.get_attribute("href").endswith("glossary.html?h=kulak#kulak")
    # keyboard: the results are reached with the arrow keys, as in Material
    start.locator("input.md-search__input").press("ArrowDown")
    assert start.evaluate("document.activeElement.classList.contains('md-search-result__link')")


def test_a_slow_first_search_says_searching(browser, site_url: str) -> None:
    """While the texts are still on their way (held back here), a query shows "Searching…"; the
    results replace it when they come."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    held: list = []
    page.route("**/search/search_docs.json", lambda route: held.append(route))
    page.goto(f"{site_url}/index.html")
    open_search(page)
    page.locator("input.md-search__input").press_sequentially("dvadtsatipiatitysiachniki", delay=10)
    meta = page.locator(".md-search-result__meta")
    page.wait_for_function("document.querySelector('.md-search-result__meta').textContent.includes('Searching')",
                           timeout=10000)
    assert page.locator(".md-search-result__list").get_attribute("aria-busy") == "true"
    for route in held:
        route.continue_()
    page.wait_for_selector(".md-search-result__item", timeout=20000)
    assert "Searching" not in meta.inner_text()
    assert page.locator(".md-search-result__list").get_attribute("aria-busy") is None
    context.close()
