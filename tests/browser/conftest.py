"""Fixtures of the browser tests (the browser itself, the served site and the builds are in tests/conftest.py),
and the one crawl per site that the page-by-page tests read (tests/browser/crawl.py)."""
from __future__ import annotations

from pathlib import Path

import pytest

from tests.browser.crawl import Crawl, axe_both_schemes, crawl
from tests.browser.helpers import page_urls_offline, page_urls_online


@pytest.fixture(scope="session")
def online_crawl(browser, built_site: Path, site_url: str) -> Crawl:
    """Every page of the online site visited once (light scheme, desktop): requests, script errors,
    and axe in the light and then the dark scheme on the same loaded page, at 390, 768 and 1280 px."""
    from tests.browser.test_accessibility import WIDTHS, axe_colours, axe_violations

    return crawl(browser, page_urls_online(built_site, site_url), on_page=axe_both_schemes(axe_violations, WIDTHS, axe_colours),
                 color_scheme="light")


@pytest.fixture(scope="session")
def offline_crawl(browser, offline_site: Path) -> Crawl:
    """Every page of the unzipped bundle visited once from file:// (1280 × 900): requests, script
    errors, article headings."""
    return crawl(browser, page_urls_offline(offline_site), viewport={"width": 1280, "height": 900})


@pytest.fixture
def page(browser):
    """A desktop-sized page (1280 × 900) in its own context; ``page.js_errors`` collects the
    uncaught script errors, which tests assert to be empty."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.js_errors = errors
    yield page
    context.close()
