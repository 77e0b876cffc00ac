"""A chapter printed to PDF by Chromium (page.pdf, print media, assets/stylesheets/print.css)
has readable text, visible note numbers and its notes, and no navigation chrome."""
from __future__ import annotations

import io
import re
from pathlib import Path

import pytest

from tests.browser.helpers import chapter_page

pypdf = pytest.importorskip("pypdf", reason="pip install pypdf (in requirements.txt)")

CHROME_SELECTORS = [".md-header", ".md-sidebar--primary", ".md-sidebar--secondary", ".md-footer",
                    ".md-search", ".md-top"]
# Strings that only Material's chrome prints (never in a reading)
CHROME_STRINGS = ["Skip to content", "Type to start searching", "Initializing search", "Back to top"]


def squash(text: str) -> str:
    """Compare text ignoring line breaks, hyphenation at line ends and spacing."""
    return re.sub(r"\s+", "", text.replace("-\n", "")).lower()


@pytest.fixture(scope="module")
def printed(browser, built_site: Path, site_url: str) -> dict:
    chapter = chapter_page(built_site)
    page = browser.new_page()
    page.goto(f"{site_url}/{chapter.relative_to(built_site).as_posix()}", wait_until="load")
    page.emulate_media(media="print")
    info = page.evaluate("""(chrome) => {
        const visible = s => [...document.querySelectorAll(s)].some(e => {
            const r = e.getBoundingClientRect(); const st = getComputedStyle(e);
            return r.width > 0 && r.height > 0 && st.visibility !== 'hidden' && st.display !== 'none'; });
        const refs = [...document.querySelectorAll('article a.footnote-ref')];
        const notes = [...document.querySelectorAll('article .footnote li[id]')];
        const p = [...document.querySelectorAll('article p')].find(e => e.innerText.length > 300);
        return {
            chrome: chrome.filter(visible),
            title: document.querySelector('article h1').innerText,
            refNumbers: refs.map(a => a.innerText.trim()),
            refSize: refs.length ? parseFloat(getComputedStyle(refs[0]).fontSize) : 0,
            bodySize: parseFloat(getComputedStyle(p).fontSize),
            paragraph: p.innerText,
            firstNote: notes.length ? notes[0].innerText : '',
            lastNote: notes.length ? notes[notes.length - 1].innerText : '',
            noteCount: notes.length,
        };
    }""", CHROME_SELECTORS)
    pdf = page.pdf(format="A4", print_background=False)
    page.close()
    reader = pypdf.PdfReader(io.BytesIO(pdf))
    info["pdf_text"] = "\n".join(p.extract_text() or "" for p in reader.pages)
    info["pages"] = len(reader.pages)
    return info


def test_no_navigation_chrome_is_printed(printed: dict) -> None:
    assert printed["chrome"] == [], f"chrome visible in print: {printed['chrome']}"
    text = printed["pdf_text"]
    assert not [s for s in CHROME_STRINGS if s in text]


def test_text_is_readable(printed: dict) -> None:
    text = squash(printed["pdf_text"])
    assert squash(printed["title"]) in text
    assert squash(printed["paragraph"][:200]) in text, "a body paragraph is missing from the PDF"
    assert printed["bodySize"] >= 13, f"body text {printed['bodySize']}px is too small to read"
    assert printed["pages"] >= 2


def test_note_numbers_and_notes_are_printed(printed: dict) -> None:
    assert printed["refNumbers"], "the chapter has no note markers"
    assert printed["refSize"] >= 8, "note numbers are invisible in print"
    assert printed["noteCount"] >= len(set(printed["refNumbers"])) * 0.9
    text = squash(printed["pdf_text"])
    for note in (printed["firstNote"], printed["lastNote"]):
        assert squash(note.replace("↩", "")[:120]) in text, f"note missing from PDF: {note[:80]!r}"
    # the number of the last marker is printed next to the text (superscript)
    assert printed["refNumbers"][-1] in printed["pdf_text"]
