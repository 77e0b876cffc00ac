"""One crawl per site: each page of the online site and of the offline bundle is visited ONCE per test
session, and what the page-by-page tests look for is recorded on the way (no fixtures here; they are
in tests/browser/conftest.py):

* every request the browser context made (test_privacy), with the search run and a glossary tooltip
  shown on the first page so lazily loaded assets are requested too;
* the uncaught script errors of the page loads, and whether each page has an article heading
  (test_offline);
* for the online site, axe-core's violations in the light scheme and, with the colour scheme switched
  on the loaded page (``page.emulate_media(color_scheme="dark")``), in the dark one (test_accessibility).

The tests keep their names and assertions and read the record. The recorder itself is the same code the
"the check can fail" tests drive (``visit_all`` in test_privacy).
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable

import pytest

#: The tests that read one crawl run on the same pytest-xdist worker (--dist loadgroup), so that each
#: crawl is made once per run.
ONLINE_CRAWL = pytest.mark.xdist_group("online-crawl")
OFFLINE_CRAWL = pytest.mark.xdist_group("offline-crawl")


@dataclass
class PageRecord:
    url: str
    headings: int = 0                                          # article h1 elements
    axe: dict[str, list[dict]] = field(default_factory=dict)   # scheme -> axe violations (all impacts)


@dataclass
class Crawl:
    pages: list[PageRecord]
    requested: list[str]          # every request URL of the context, in order
    js_errors: list[str]          # uncaught script errors while the pages loaded (not while searching)


def crawl(browser, urls: list[str], on_page: Callable[[object, PageRecord], None] | None = None,
          **context_options) -> Crawl:
    """Load each URL in one context, recording requests and script errors; on the first page run the
    search and show a glossary tooltip; ``on_page(page, record)`` records more of each loaded page."""
    from tests.browser.helpers import open_search

    context = browser.new_context(**context_options)
    requested: list[str] = []
    context.on("request", lambda request: requested.append(request.url))
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    load_errors: list[str] = []
    records = []
    for i, url in enumerate(urls):
        page.goto(url, wait_until="load")
        record = PageRecord(url, headings=page.locator("article h1").count())
        if on_page is not None:
            on_page(page, record)
        load_errors += errors
        errors.clear()
        if i == 0 and page.locator("input.md-search__input").count():
            open_search(page)
            page.keyboard.type("kulak")
            page.wait_for_selector(".md-search-result__item", timeout=15000)
            page.keyboard.press("Escape")
            abbr = page.locator("article abbr[title], article a[title][href*='glossary']").first
            if abbr.count():
                abbr.hover()
            errors.clear()                   # the load-error record is of page loads (test_offline's)
        page.wait_for_timeout(50)
        records.append(record)
    page.wait_for_load_state("networkidle")
    context.close()
    return Crawl(records, requested, load_errors)


#: Material reads prefers-color-scheme once, at load (palette entries with a media query; it does not
#: follow a later change), so on the loaded page the switch is made as its palette toggle makes it: the
#: palette's input is activated (body's data-md-color-scheme, the toggle labels, the stored choice), then
#: the radio is left unchecked as a fresh load leaves it.
SWITCH_PALETTE = """(scheme) => {
    const input = [...document.querySelectorAll('input[name=__palette]')].find(i => i.dataset.mdColorScheme === scheme);
    if (!input) return false;
    input.click();
    input.checked = false;
    return document.body.getAttribute('data-md-color-scheme') === scheme;
}"""


#: Resolves once the page has drawn its new layout (two animation frames after a resize or a scheme
#: switch) and every CSS transition or animation that this started has ended (Material's sidebars
#: fade in when the width crosses 1220 px; the scheme switch changes colours). It waits as long as the
#: page needs, instead of a fixed 300 ms per width (six per page, 74 s of a 41-page crawl), and never
#: for an endless animation. Capped at 3 s: a clean-clone CI run hung here for good (an animation
#: frame or a finished promise that never came), where page.evaluate has no timeout of its own.
SETTLED = """async () => {
    const cap = new Promise(done => setTimeout(done, 3000));
    await Promise.race([cap, (async () => {
        await new Promise(done => requestAnimationFrame(() => requestAnimationFrame(done)));
        const ending = document.getAnimations().filter(a => a.playState === 'running' &&
            Number.isFinite(a.effect?.getComputedTiming().endTime));
        await Promise.all(ending.map(a => a.finished.catch(() => null)));
    })()]);
}"""


def set_scheme(page, scheme: str) -> None:
    """The page in the light or dark scheme, as a load with that prefers-color-scheme shows it."""
    material = {"light": "default", "dark": "slate"}[scheme]
    page.emulate_media(color_scheme=scheme)
    if page.evaluate("document.body.getAttribute('data-md-color-scheme')") != material:
        assert page.evaluate(SWITCH_PALETTE, material), f"{page.url}: could not switch to the {scheme} scheme"


def axe_both_schemes(axe: Callable[[object], list[dict]], widths: tuple[int, ...] = (1280,),
                     axe_dark: Callable[[object], list[dict]] | None = None) -> Callable[[object, PageRecord], None]:
    """An ``on_page`` that runs axe in the light scheme at each width, switches the loaded page to the
    dark scheme, runs axe again at each width (``axe_dark``: only the rules about colour, since the
    scheme changes colours, not the document), and switches back (the next page loads in the light
    scheme). Each violation found carries the width it was found at (``"width"``)."""
    def at_widths(page, axe) -> list[dict]:
        found = []
        size = page.viewport_size or {"width": 1280, "height": 900}
        for width in widths:
            page.set_viewport_size({"width": width, "height": size["height"]})
            page.evaluate(SETTLED)       # Material's sidebars fade in at 1220 px: test the settled page
            found += [dict(v, width=width) for v in axe(page)]
        page.set_viewport_size(size)
        return found

    def run(page, record: PageRecord) -> None:
        set_scheme(page, "light")
        record.axe["light"] = at_widths(page, axe)
        set_scheme(page, "dark")
        record.axe["dark"] = at_widths(page, axe_dark or axe)
        set_scheme(page, "light")
    return run
