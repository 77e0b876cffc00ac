"""The offline bundle works when unzipped anywhere and opened from file://: navigation, every
page, search (with our offline search worker), glossary tooltips and footnote previews."""
from __future__ import annotations

from pathlib import Path

import pytest

from tests.browser.crawl import OFFLINE_CRAWL
from tests.browser.helpers import chapter_page, open_search, page_urls_offline

SEARCH_TERMS = ["sel'sovet", "okrug", "kulak", "Kolkhoztsentr"]


@OFFLINE_CRAWL
@pytest.mark.slow
def test_every_page_opens_from_file_url(offline_crawl, offline_site: Path) -> None:
    """Every page, loaded once by the offline crawl (tests/browser/crawl.py): a heading, no script error."""
    urls = page_urls_offline(offline_site)
    readings = [u for u in urls if "/readings/" in u]
    assert len(readings) >= 5, "the bundle should hold every reading"
    assert [r.url for r in offline_crawl.pages] == urls
    for record in offline_crawl.pages:
        assert record.headings >= 1, f"{record.url}: no article heading"
    assert not offline_crawl.js_errors, offline_crawl.js_errors


def test_navigation_links_work_from_file_url(page, offline_site: Path) -> None:
    page.goto((offline_site / "index.html").as_uri(), wait_until="load")
    links = page.locator("nav.md-nav--primary a.md-nav__link[href$='.html']")
    hrefs = {links.nth(i).get_attribute("href") for i in range(links.count())}
    assert len(hrefs) >= 5
    target = sorted(h for h in hrefs if "readings/" in h)[0]
    page.locator(f"nav.md-nav--primary a.md-nav__link[href='{target}']").first.click()
    page.wait_for_load_state("load")
    assert page.url.startswith("file://") and page.url.endswith(target.split("/")[-1])
    assert page.locator("article h1").count() >= 1


@pytest.mark.parametrize("term", SEARCH_TERMS)
def test_search_finds_term(page, offline_site: Path, term: str) -> None:
    page.goto(chapter_page(offline_site).as_uri(), wait_until="load")
    open_search(page)
    page.keyboard.type(term)
    page.wait_for_selector(".md-search-result__item", timeout=15000)
    marks = page.locator(".md-search-result__item mark")
    assert marks.count() >= 1, f"results for {term!r} highlight nothing"
    first = page.locator(".md-search-result__link").first.get_attribute("href")
    page.locator(".md-search-result__link").first.click()
    page.wait_for_load_state("load")
    assert page.url.startswith("file://"), f"result link {first} left the bundle"
    assert not page.js_errors, page.js_errors


def test_search_with_no_match_says_so(page, offline_site: Path) -> None:
    page.goto((offline_site / "index.html").as_uri(), wait_until="load")
    open_search(page)
    page.keyboard.type("qqxxzzyy")
    page.wait_for_function(
        "document.querySelector('.md-search-result__meta').textContent.includes('No matching')",
        timeout=15000)
    assert page.locator(".md-search-result__item").count() == 0


def test_glossary_tooltip_shows_definition(page, offline_site: Path) -> None:
    page.goto(chapter_page(offline_site).as_uri(), wait_until="load")
    # glossary terms are <abbr title> or links to the glossary with a title (Material shows both)
    abbr = page.locator("article abbr[title], article a[title][href*='glossary']").first
    definition = abbr.get_attribute("title")
    abbr.scroll_into_view_if_needed()
    abbr.hover()
    tip = page.locator(".md-tooltip2--active")
    tip.wait_for(timeout=5000)
    assert tip.inner_text().strip(), "the tooltip is empty"
    assert definition and definition[:20] in tip.inner_text()


def test_footnote_preview_shows_note_text(page, offline_site: Path) -> None:
    page.goto(chapter_page(offline_site).as_uri(), wait_until="load")
    ref = page.locator("article sup a.footnote-ref, article a.footnote-ref").first
    note_id = ref.get_attribute("href").split("#", 1)[1]
    note_text = page.locator(f"[id='{note_id}']").inner_text().strip()
    ref.scroll_into_view_if_needed()
    ref.hover()
    tip = page.locator(".md-tooltip2--active")
    tip.wait_for(timeout=5000)
    assert note_text[:30] in tip.inner_text(), (note_text[:60], tip.inner_text()[:120])
