"""At a 390-px phone viewport no reading page scrolls sideways; only tables may, inside their
own scroll box, and the chart inside its own (drawn at its full size, issue 19)."""
from __future__ import annotations

from pathlib import Path

import pytest

from tests.browser.helpers import page_urls_online

WIDTH = 390
OVERFLOW_JS = """(width) => {
    const inScrollBox = e => e.closest('table, .table-scroll, .chart-scroll, .md-typeset__scrollwrap, pre, .md-search');
    const wide = [];
    for (const e of document.querySelectorAll('.md-content *')) {
        if (inScrollBox(e)) continue;
        const r = e.getBoundingClientRect();
        if (r.width > 0 && r.right > width + 1 && getComputedStyle(e).position !== 'fixed')
            wide.push(e.tagName.toLowerCase() + (e.id ? '#' + e.id : '') + (e.className && typeof e.className === 'string' ? '.' + e.className.split(' ')[0] : '') + ' right=' + Math.round(r.right));
    }
    return {scrollWidth: document.documentElement.scrollWidth, wide: wide.slice(0, 10)};
}"""


@pytest.mark.slow
def test_reading_pages_do_not_scroll_sideways_on_a_phone(browser, built_site: Path, site_url: str) -> None:
    context = browser.new_context(viewport={"width": WIDTH, "height": 844}, is_mobile=True,
                                  has_touch=True, device_scale_factor=2)
    page = context.new_page()
    problems = []
    urls = [u for u in page_urls_online(built_site, site_url) if "/readings/" in u]
    assert urls
    for url in urls:
        page.goto(url, wait_until="load")
        result = page.evaluate(OVERFLOW_JS, WIDTH)
        if result["scrollWidth"] > WIDTH or result["wide"]:
            problems.append(f"{url.removeprefix(site_url)}: page width {result['scrollWidth']}px; "
                            f"too wide: {result['wide']}")
    context.close()
    assert not problems, "\n".join(problems)


def test_overflow_check_can_fail(browser, tmp_path: Path) -> None:
    bad = tmp_path / "wide.html"
    bad.write_text('<meta name="viewport" content="width=device-width">'
                   '<div class="md-content"><p style="width:900px">wide</p></div>')
    context = browser.new_context(viewport={"width": WIDTH, "height": 844}, is_mobile=True)
    page = context.new_page()
    page.goto(bad.as_uri())
    result = page.evaluate(OVERFLOW_JS, WIDTH)
    context.close()
    assert result["scrollWidth"] > WIDTH and result["wide"]
