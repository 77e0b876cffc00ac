"""Small helpers shared by the browser tests (no fixtures here)."""
from __future__ import annotations

from pathlib import Path

from tests.conftest import site_pages


def page_urls_online(site: Path, base_url: str) -> list[str]:
    """http:// URL of every page of the online build (404.html left out: it is not a page)."""
    return [f"{base_url}/{p.relative_to(site).as_posix()}" for p in site_pages(site)
            if p.name != "404.html"]


def page_urls_offline(site: Path) -> list[str]:
    """file:// URL of every page of the unzipped bundle."""
    return [p.as_uri() for p in site_pages(site) if p.name != "404.html"]


def chapter_page(site: Path) -> Path:
    """The reading page with the most footnotes: the chapter the print/mobile tests use."""
    def notes(p: Path) -> int:
        return p.read_text(encoding="utf-8").count('class="footnote-ref"')
    pages = [p for p in site_pages(site) if "readings" in p.parts]
    return max(pages, key=notes)


def open_search(page) -> None:
    """Open Material's search box at any viewport width."""
    if not page.locator("input.md-search__input").is_visible():
        page.locator("label[for=__search]").first.click()
    page.locator("input.md-search__input").click()
