"""Neither the online site nor the offline bundle requests anything outside itself.

Every page is visited in Chromium (the online build served on 127.0.0.1, the bundle through
file://; the one crawl per site of tests/browser/crawl.py) and every request of the browser context is recorded, frames and the search worker's
iframe included; on the first page the search runs and a glossary tooltip is shown, so
lazily loaded assets are requested too. Any request that leaves the site fails the test.
"""
from __future__ import annotations

from pathlib import Path

import pytest

from tests.browser.crawl import OFFLINE_CRAWL, ONLINE_CRAWL, crawl
from tests.browser.helpers import page_urls_offline, page_urls_online


def visit_all(browser, urls: list[str]) -> list[str]:
    """Load each URL; return every URL the browser requested (the recorder of the one crawl per site,
    tests/browser/crawl.py, which the site tests read)."""
    return crawl(browser, urls).requested


def outside(requested: list[str], prefix: str) -> list[str]:
    return sorted({u for u in requested if not (u.startswith(prefix) or u.startswith(("data:", "blob:", "about:")))})


@ONLINE_CRAWL
@pytest.mark.slow
def test_online_site_requests_nothing_outside(online_crawl, built_site: Path, site_url: str) -> None:
    urls = page_urls_online(built_site, site_url)
    assert [r.url for r in online_crawl.pages] == urls
    requested = online_crawl.requested
    assert len(requested) >= len(urls)
    leaks = outside(requested, site_url + "/")
    assert not leaks, f"requests that leave the site: {leaks}"


@OFFLINE_CRAWL
@pytest.mark.slow
def test_offline_bundle_requests_nothing_outside(offline_crawl, offline_site: Path) -> None:
    urls = page_urls_offline(offline_site)
    assert [r.url for r in offline_crawl.pages] == urls
    requested = offline_crawl.requested
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
