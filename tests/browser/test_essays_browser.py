"""Essays, guides and "Discussed in" markers in real Chromium: the round trip from a passage to the
essay that cites it and back, online and from the offline bundle (file://), and what is printed."""
from __future__ import annotations

import io
import re
from pathlib import Path

import pytest

CHAPTER = "readings/viola/chapter-2.html"


def round_trip(page, start_url: str) -> None:
    """Click a paragraph's marker: land on the essay's citing place; follow its note back to the paragraph."""
    page.goto(start_url, wait_until="load")
    marker = page.locator("article .discussed-in a").first
    paragraph_id = marker.evaluate("a => a.closest('.discussed-in').previousElementSibling.id")
    marker.click()
    page.wait_for_load_state("load")
    assert "/essays/" in page.url and "#" in page.url
    target = page.url.split("#", 1)[1]
    landed = page.locator(f"[id='{target}']")
    assert landed.count() == 1 and landed.is_visible()
    box = landed.bounding_box()
    assert box is not None and 0 <= box["y"] < 900, "the citing place is not scrolled into view"
    # back: the footnote this reference points to links to the very paragraph we came from
    note = landed.evaluate("el => el.tagName === 'SUP' ? el.querySelector('a').getAttribute('href') : null")
    hrefs = (page.locator(f"[id='{note[1:]}'] a").evaluate_all("as => as.map(a => a.href)") if note
             else [landed.get_attribute("href")])
    back = [h for h in hrefs if h and h.split("#")[-1] == paragraph_id and "chapter-2" in h]
    assert back, f"the essay's note does not link back to {paragraph_id}: {hrefs}"
    page.goto(back[0], wait_until="load")
    assert page.locator(f"[id='{paragraph_id}']").is_visible()
    assert not page.js_errors, page.js_errors


def test_marker_round_trip_online(page, site_url: str) -> None:
    round_trip(page, f"{site_url}/{CHAPTER}")


def test_marker_round_trip_in_the_offline_bundle(page, offline_site: Path) -> None:
    round_trip(page, (offline_site / CHAPTER).as_uri())


def test_guide_collapses_with_the_keyboard(page, site_url: str) -> None:
    page.goto(f"{site_url}/{CHAPTER}", wait_until="load")
    guide = page.locator("details.reading-guide")
    assert guide.evaluate("d => d.open"), "the guide should be open by default"
    guide.locator("summary").focus()
    page.keyboard.press("Enter")
    assert not guide.evaluate("d => d.open")
    assert page.locator("details.reading-guide ol li").first.is_hidden()
    page.keyboard.press("Enter")
    assert page.locator("details.reading-guide ol li").first.is_visible()


def test_guide_and_markers_are_printed(page, site_url: str) -> None:
    pypdf = pytest.importorskip("pypdf", reason="pip install pypdf (in requirements.txt)")
    page.goto(f"{site_url}/{CHAPTER}", wait_until="load")
    page.emulate_media(media="print")
    sizes = page.evaluate("""() => {
        const m = document.querySelector('article .discussed-in');
        const p = m.previousElementSibling;
        const q = document.querySelector('details.reading-guide ol li');
        const shown = e => { const r = e.getBoundingClientRect(); return r.width > 0 && r.height > 0; };
        return {marker: parseFloat(getComputedStyle(m).fontSize), text: parseFloat(getComputedStyle(p).fontSize),
                markerShown: shown(m), questionShown: shown(q)};
    }""")
    assert sizes["markerShown"] and sizes["questionShown"]
    assert sizes["marker"] < sizes["text"], "the marker should be footnote-sized in print"
    reader = pypdf.PdfReader(io.BytesIO(page.pdf(format="A4")))
    text = re.sub(r"\s+", " ", " ".join(p.extract_text() or "" for p in reader.pages))
    assert "Reading guide" in text and "Questions for discussion" in text
    assert "Discussed in:" in text
