"""Printed page numbers in real Chromium: the landing page's "Go to page" box (online and from
file:// in the offline bundle), the ¶ permalink's printed-page citation, copying a paragraph
across a page marker, and markers in print."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def pages_data(built_site: Path, build_dir: Path) -> dict:
    return json.loads((build_dir / "pages.json").read_text(encoding="utf-8"))["viola"]


def part_of(data: dict, number: int) -> str:
    return next(slug for slug, p in data["parts"].items() if p["first"] <= number <= p["last"])


def go_to(page, landing_url: str, number: str) -> None:
    page.goto(landing_url, wait_until="load")
    box = page.locator("form.goto-page")
    assert box.is_visible(), "the Go to page box is hidden (its script did not run)"
    page.fill("#goto-page-number", number)
    page.keyboard.press("Enter")


@pytest.mark.parametrize("number", [112, 36, 218])
def test_go_to_page_online(page, site_url: str, pages_data: dict, number: int) -> None:
    go_to(page, f"{site_url}/readings/viola/index.html", str(number))
    slug = part_of(pages_data, number)
    page.wait_for_url(f"**/readings/viola/{slug}.html#page-{number}")
    marker = page.locator(f"#page-{number}")
    assert marker.get_attribute("role") == "doc-pagebreak"
    page.wait_for_timeout(300)
    assert page.evaluate(f"""() => {{ const r = document.getElementById('page-{number}').getBoundingClientRect();
        return r.top >= 0 && r.top < window.innerHeight; }}"""), "the page marker is not in view"
    assert not page.js_errors, page.js_errors


def test_go_to_page_offline(page, offline_site: Path, pages_data: dict) -> None:
    go_to(page, (offline_site / "readings" / "viola" / "index.html").as_uri(), "112")
    slug = part_of(pages_data, 112)
    page.wait_for_url(f"**/readings/viola/{slug}.html#page-112")
    assert page.url.startswith("file://")
    assert page.locator("#page-112").count() == 1
    assert not page.js_errors, page.js_errors


def test_go_to_a_page_that_does_not_exist(page, site_url: str) -> None:
    url = f"{site_url}/readings/viola/index.html"
    go_to(page, url, "5000")
    message = page.locator(".goto-page-message")
    message.wait_for(state="visible")
    assert "not in this edition" in message.inner_text()
    assert page.url == url


def test_permalink_gives_the_printed_page(page, site_url: str, pages_data: dict) -> None:
    page.goto(f"{site_url}/readings/viola/chapter-4.html", wait_until="load")
    paragraphs = pages_data["parts"]["chapter-4"]["paragraphs"]
    anchor = next(a for a, (first, last) in paragraphs.items() if first != last)
    first, last = paragraphs[anchor]
    page.hover(f"#{anchor}")
    link = page.locator(f"#{anchor} > .para-link")
    assert link.get_attribute("title").startswith(f"Viola, Best Sons, {first}–{last}, ¶ {anchor[1:]}")
    assert page.locator(f"#{anchor}").get_attribute("data-page") == str(first)


def test_copying_a_paragraph_leaves_out_the_page_number(page, site_url: str) -> None:
    page.goto(f"{site_url}/readings/viola/chapter-2.html", wait_until="load")
    result = page.evaluate("""() => {
        const mark = document.querySelector('article p .pb-certain');
        const p = mark.closest('p');
        const range = document.createRange();
        range.selectNodeContents(p);
        const sel = window.getSelection(); sel.removeAllRanges(); sel.addRange(range);
        const before = mark.previousSibling ? mark.previousSibling.textContent : '';
        const after = mark.nextSibling ? mark.nextSibling.textContent : '';
        return {copied: sel.toString(), before: before.slice(-20), after: after.slice(0, 20),
                page: mark.dataset.page, shown: getComputedStyle(mark, '::before').content};
    }""")
    assert result["page"] in result["shown"], "the page number is not drawn"
    assert result["before"] + result["after"] in result["copied"], "the marker breaks the copied text"


def test_markers_show_in_print(page, site_url: str) -> None:
    page.goto(f"{site_url}/readings/viola/chapter-1.html", wait_until="load")
    page.emulate_media(media="print")
    shown = page.evaluate("""() => [...document.querySelectorAll('article .pb')].map(m => {
        const st = getComputedStyle(m, '::before'); const el = getComputedStyle(m);
        return el.display !== 'none' && el.visibility !== 'hidden' && st.content.includes(m.dataset.page); })""")
    assert shown and all(shown)
