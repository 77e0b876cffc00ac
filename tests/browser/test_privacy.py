"""Neither the online site nor the offline bundle requests anything outside itself.

Every page is visited in Chromium (the online build served on 127.0.0.1, the bundle through
file://) and every request of the browser context is recorded, frames and the search worker's
iframe included; on the first page the search runs and a glossary tooltip is shown, so
lazily loaded assets are requested too. Any request that leaves the site fails the test.
"""
from __future__ import annotations

from pathlib import Path

from tests.browser.helpers import open_search, page_urls_offline, page_urls_online


def visit_all(browser, urls: list[str]) -> list[str]:
    """Load each URL; return every URL the browser requested."""
    context = browser.new_context()
    requested: list[str] = []
    context.on("request", lambda request: requested.append(request.url))
    page = context.new_page()
    for i, url in enumerate(urls):
        page.goto(url, wait_until="load")
        if i == 0 and page.locator("input.md-search__input").count():
            open_search(page)
            page.keyboard.type("kulak")
            page.wait_for_selector(".md-search-result__item", timeout=15000)
            page.keyboard.press("Escape")
            abbr = page.locator("article abbr[title], article a[title][href*='glossary']").first
            if abbr.count():
                abbr.hover()
        page.wait_for_timeout(50)
    page.wait_for_load_state("networkidle")
    context.close()
    return requested


def outside(requested: list[str], prefix: str) -> list[str]:
    return sorted({u for u in requested if not (u.startswith(prefix) or u.startswith(("data:", "blob:", "about:")))})


def test_online_site_requests_nothing_outside(browser, built_site: Path, site_url: str) -> None:
    urls = page_urls_online(built_site, site_url)
    requested = visit_all(browser, urls)
    assert len(requested) >= len(urls)
    leaks = outside(requested, site_url + "/")
    assert not leaks, f"requests that leave the site: {leaks}"


def test_offline_bundle_requests_nothing_outside(browser, offline_site: Path) -> None:
    urls = page_urls_offline(offline_site)
    requested = visit_all(browser, urls)
    assert len(requested) >= len(urls)
    leaks = outside(requested, offline_site.as_uri() + "/")
    assert not leaks, f"requests that leave the bundle: {leaks}"


def test_request_recorder_sees_an_outside_request(browser, tmp_path: Path) -> None:
    """The recorder can fail: a page that loads a CDN script is caught (the request is
    refused by the closed network, but it is still recorded)."""
    page = tmp_path / "leak.html"
    page.write_text('<script src="https://unpkg.com/iframe-worker/shim"></script><p>x</p>')
    requested = visit_all(browser, [page.as_uri()])
    assert outside(requested, tmp_path.as_uri() + "/") == ["https://unpkg.com/iframe-worker/shim"]
