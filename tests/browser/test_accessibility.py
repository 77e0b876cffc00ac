"""axe-core (npm axe-core, axe.min.js injected into each page) finds no accessibility violation of
any impact on any page of the online site, light and dark, at 390, 768 and 1280 px, nor on a bundle
chapter opened from file:// (to cover the offline-only search worker markup).

Rules run: axe's defaults (WCAG 2.0/2.1 A and AA and best practices) plus WCAG 2.2's target size
(``target-size``, 24 x 24 px, off by default in axe and the audit Lighthouse fails on). The crawl
visits each page once per scheme and runs axe at the three widths on the loaded page.
"""
from __future__ import annotations

from pathlib import Path

import pytest

from tests.browser.crawl import ONLINE_CRAWL
from tests.browser.helpers import chapter_page, page_urls_online
from tests.conftest import ROOT, require_tool

AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
BLOCKING = {"serious", "critical"}
WIDTHS = (390, 768, 1280)


#: What the colour scheme changes: colours, not the document. In the dark scheme the crawl runs only
#: the rules about colour (the others already ran on the same page and width in the light scheme).
COLOUR_RULES = ["color-contrast", "link-in-text-block"]


def axe_violations(page, only: list[str] | None = None) -> list[dict]:
    require_tool(AXE.exists(), f"axe-core ({AXE.relative_to(ROOT)})", "npm ci")
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        page.add_script_tag(path=str(AXE))
    options = ("{resultTypes: ['violations'], rules: {'target-size': {enabled: true}}}" if only is None else
               "{resultTypes: ['violations'], runOnly: {type: 'rule', values: %s}}" % only)
    result = page.evaluate(f"async () => await axe.run(document, {options})")
    return result["violations"]


def axe_colours(page) -> list[dict]:
    """axe's colour rules only (the dark scheme's pass)."""
    return axe_violations(page, COLOUR_RULES)


def describe(url: str, violations: list[dict]) -> str:
    lines = []
    for v in violations:
        targets = [" ".join(n["target"]) if isinstance(n["target"], list) else str(n["target"])
                   for n in v["nodes"][:3]]
        lines.append(f"{url}: [{v['impact']}] {v['id']} ({len(v['nodes'])}x): {v['help']} — {targets}")
    return "\n".join(lines)


def blocking(violations: list[dict]) -> list[dict]:
    return [v for v in violations if v.get("impact") in BLOCKING]


@ONLINE_CRAWL
@pytest.mark.slow
@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_no_violations_of_any_impact_online(online_crawl, built_site: Path, site_url: str, scheme: str) -> None:
    """Every page, in the light and in the dark scheme (prefers-color-scheme picks Material's slate),
    at a phone's, a tablet's and a laptop's width: no violation, whatever its impact. The one online
    crawl (tests/browser/crawl.py) runs axe at the three widths in both schemes on each loaded page (in
    the dark scheme, the rules about colour: the document is the same)."""
    assert [r.url for r in online_crawl.pages] == page_urls_online(built_site, site_url)
    report = []
    for record in online_crawl.pages:
        for width in WIDTHS:
            found = [v for v in record.axe[scheme] if v["width"] == width]
            if found:
                report.append(describe(f"{record.url.removeprefix(site_url)} at {width} px", found))
    assert not report, "axe-core violations:\n" + "\n".join(report)


def test_no_violations_offline_with_search_open(browser, offline_site: Path) -> None:
    page = browser.new_page()
    page.goto(chapter_page(offline_site).as_uri(), wait_until="load")
    page.locator("input.md-search__input").click()
    page.keyboard.type("okrug")
    page.wait_for_selector(".md-search-result__item", timeout=15000)
    found = axe_violations(page)
    page.close()
    assert not found, describe("offline chapter, search open", found)


def test_axe_reports_a_real_violation(browser, tmp_path: Path) -> None:
    """The check can fail: an image without alt text, an unlabelled button and two 10-px buttons
    side by side (target size) are caught."""
    bad = tmp_path / "bad.html"
    bad.write_text('<!doctype html><html lang="en"><title>t</title><main>'
                   '<img src="x.png"><button></button>'
                   '<p><button style="width:10px;height:10px;padding:0;border:0" aria-label="a"></button>'
                   '<button style="width:10px;height:10px;padding:0;border:0" aria-label="b"></button></p></main></html>')
    page = browser.new_page()
    page.goto(bad.as_uri())
    ids = {v["id"] for v in axe_violations(page)}
    page.close()
    assert {"image-alt", "button-name", "target-size"} <= ids


def test_no_violations_with_a_popover_and_the_settings_open(browser, site_url: str) -> None:
    """The reader's popover (a note at phone width) and settings panel, in both schemes, any impact."""
    for scheme in ("light", "dark"):
        context = browser.new_context(color_scheme=scheme, viewport={"width": 390, "height": 844},
                                      is_mobile=True, has_touch=True)
        page = context.new_page()
        page.goto(f"{site_url}/readings/viola/chapter-4.html", wait_until="load")
        page.locator("article a.footnote-ref").nth(3).tap()
        page.locator(".rd-pop").wait_for()
        found = axe_violations(page)
        assert not found, describe(f"popover ({scheme})", found)
        page.keyboard.press("Escape")
        page.locator(".rd-settings__toggle").click()
        found = axe_violations(page)
        assert not found, describe(f"settings ({scheme})", found)
        context.close()
