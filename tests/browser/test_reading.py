"""Reading in the online site, in real Chromium: search (Material's own, with apostrophes), the
paragraph permalinks an instructor copies, and footnote previews."""
from __future__ import annotations

import pytest
from playwright.sync_api import TimeoutError as PlaywrightTimeout

from tests.browser.helpers import open_search


@pytest.mark.parametrize("query,expect", [("sel'sovet", "sel"), ("sel’sovet", "sel"), ("okrug", "okrug"),
                                          ("Kolkhoztsentr", "Kolkhoztsentr"), ("dvadtsatipiatitysiachniki", "dvadtsat")])
def test_online_search_finds_transliterated_words(page, site_url: str, query: str, expect: str) -> None:
    page.goto(f"{site_url}/index.html")
    open_search(page)
    page.keyboard.type(query)
    page.wait_for_selector(".md-search-result__item", timeout=20000)
    # Material searches as each letter is typed: wait for the results of the whole query, not a
    # prefix's (a loaded machine once read the marks of "Kolkhozts").
    try:
        page.wait_for_function("""expect => [...document.querySelectorAll('.md-search-result__item mark')]
            .some(m => m.textContent.toLowerCase().includes(expect))""", arg=expect.lower(), timeout=10000)
    except PlaywrightTimeout:
        pass    # the assertion below reports what was highlighted
    marked = page.locator(".md-search-result__item mark").all_inner_texts()
    assert any(expect.lower() in m.lower() for m in marked), f"no highlighted match for {query!r}: {marked[:5]}"


def test_paragraph_permalink_shows_its_number_and_targets_the_paragraph(page, site_url: str) -> None:
    """The permalink is the paragraph's number in the margin, visible by default (issue 11; the
    reader setting that hides it until hover is tested in test_reader.py)."""
    page.goto(f"{site_url}/readings/viola/chapter-4.html")
    para = page.locator("article p#p37")
    link = para.locator("a.para-link")
    assert link.get_attribute("href") == "#p37"
    para.scroll_into_view_if_needed()
    assert link.inner_text() == "37"
    assert float(link.evaluate("a => getComputedStyle(a).opacity")) == 1
    link.click()
    assert page.url.endswith("chapter-4.html#p37")
    assert page.evaluate("() => document.querySelector(':target').id") == "p37"


def test_paragraph_permalink_is_reachable_by_keyboard(page, site_url: str) -> None:
    page.goto(f"{site_url}/readings/viola/chapter-4.html")
    page.locator("article a.para-link").first.focus()
    opacity = page.evaluate("() => getComputedStyle(document.activeElement).opacity")
    assert page.evaluate("() => document.activeElement.classList.contains('para-link')") and opacity == "1"


def test_footnote_marker_previews_the_authors_note(page, site_url: str) -> None:
    page.goto(f"{site_url}/readings/viola/chapter-2.html")
    marker = page.locator("sup#fnref\\:140 a.footnote-ref")
    assert marker.inner_text() == "140"
    marker.scroll_into_view_if_needed()
    marker.hover()
    tip = page.locator(".md-tooltip2--active")
    tip.wait_for(timeout=5000)
    note = page.locator("li#fn\\:140").inner_text().strip("↩ \n")
    assert note[:40] in tip.inner_text()
