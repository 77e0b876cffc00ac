"""A chapter printed to PDF by Chromium (page.pdf, print media, assets/stylesheets/print.css)
has readable text, visible note numbers and its notes, and no navigation chrome.

The rendered PDF itself is checked, not only its extracted text: the position of every note
number (a number clipped at the page's edge still extracts as text), the drawn underlines, the
running head and the paragraph numbers in the margin."""
from __future__ import annotations

import collections
import io
import re
from pathlib import Path

import pytest

from tests.browser.helpers import chapter_page

pypdf = pytest.importorskip("pypdf", reason="pip install pypdf (in requirements.txt)")

#: one worker prints the chapter once (the module's ``printed`` fixture) for every test of this file
pytestmark = pytest.mark.xdist_group("print")

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
            paragraph: (() => { const c = p.cloneNode(true); c.querySelectorAll('.para-link').forEach(a => a.remove());
                                return c.textContent; })(),
            firstNote: notes.length ? notes[0].innerText : '',
            lastNote: notes.length ? notes[notes.length - 1].innerText : '',
            noteCount: notes.length,
        };
    }""", CHROME_SELECTORS)
    info["colors"] = page.evaluate("""() => [...document.querySelectorAll(
        'article p, article blockquote, article figcaption, article .footnote li')]
        .map(e => getComputedStyle(e).color).filter(c => c !== 'rgb(0, 0, 0)')""")
    info["paragraphs"] = page.evaluate("() => document.querySelectorAll('article p[id^=p]').length")
    info["url"] = page.url.split("#")[0]
    pdf = page.pdf(format="A4", print_background=False)
    # The same page with every text decoration switched off: any extra line in the real PDF is an underline.
    page.add_style_tag(content="* { text-decoration: none !important; }")
    info["undecorated_lines"] = drawn_lines(page.pdf(format="A4", print_background=False))
    page.close()
    info["lines"] = drawn_lines(pdf)
    reader = pypdf.PdfReader(io.BytesIO(pdf))
    info["pdf_text"] = "\n".join(p.extract_text() or "" for p in reader.pages)
    info["page_texts"] = [p.extract_text() or "" for p in reader.pages]
    info["pages"] = len(reader.pages)
    info["runs"] = text_runs(reader)
    info["width"] = float(reader.pages[0].mediabox.width)
    return info


def text_runs(reader) -> list[tuple[int, str, float]]:
    """(page index, text, x in points from the page's left edge) of every text run in the PDF."""
    runs = []
    for index, pdf_page in enumerate(reader.pages):
        def visit(text, cm, tm, font, size, index=index):
            if text.strip():
                runs.append((index, text.strip(), tm[4] * cm[0] + cm[4]))
        pdf_page.extract_text(visitor_text=visit)
    return runs


def drawn_lines(pdf: bytes) -> list[int]:
    """Per page, the thin horizontal rectangles and stroked line segments drawn (underlines are
    drawn as one or the other)."""
    from pypdf.generic import ContentStream
    reader = pypdf.PdfReader(io.BytesIO(pdf))
    counts = []
    for pdf_page in reader.pages:
        ops = ContentStream(pdf_page.get_contents(), reader).operations
        rects = [[float(v) for v in args] for args, op in ops if op == b"re"]
        thin = sum(1 for _, _, w, h in rects if abs(h) < 3 and abs(w) > 3)
        counts.append(thin + collections.Counter(op for _, op in ops)[b"l"])
    return counts


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


#: print.css's @page margin (16 mm) in points: what lies left of it is outside the printed area.
LEFT_MARGIN_PT = 16 / 25.4 * 72


def test_note_numbers_are_printed_whole_inside_the_page(printed: dict) -> None:
    """Every note number of the notes list ("1." … "114.") is printed inside the printed area
    (before the fix, numbers from 10 on hung outside it and "113." printed as ".3.")."""
    n = printed["noteCount"]
    assert n >= 100, "the test expects the chapter with the most notes (Viola, ch. 4: 114)"
    markers = {}
    for _, text, x in printed["runs"]:
        if re.fullmatch(r"\d{1,3}\.", text):
            markers.setdefault(int(text[:-1]), []).append(x)
    missing = [i for i in range(1, n + 1) if i not in markers]
    assert not missing, f"note numbers missing from the PDF: {missing[:10]}"
    outside = {i: xs for i, xs in markers.items() if i <= n and min(xs) < LEFT_MARGIN_PT - 0.5}
    assert not outside, f"note numbers left of the printed area (x in pt): {dict(list(outside.items())[:5])}"
    assert all(max(xs) < printed["width"] - LEFT_MARGIN_PT for xs in markers.values())


def test_nothing_is_underlined_on_paper(printed: dict) -> None:
    assert sum(printed["lines"]) == sum(printed["undecorated_lines"]), (
        f"underlines drawn per page: {[a - b for a, b in zip(printed['lines'], printed['undecorated_lines'])]}")


def test_text_quotations_and_notes_print_black(printed: dict) -> None:
    assert not printed["colors"], f"text printed in colour or grey: {sorted(set(printed['colors']))[:5]}"


def test_running_head_names_reading_chapter_and_address(printed: dict) -> None:
    second = squash(printed["page_texts"][1])
    assert squash(printed["title"])[:40] in second, "the chapter title is not in the running head"
    assert squash("The Best Sons of the Fatherland") in second
    assert squash(printed["url"]) in second, "the page's address is not printed"


def test_paragraph_numbers_are_printed_in_the_margin(printed: dict) -> None:
    """Paragraph numbers stand alone, left of the text column (which starts after the margin)."""
    numbers = {int(t) for _, t, x in printed["runs"] if t.isdigit() and x < LEFT_MARGIN_PT + 30}
    expected = set(range(1, printed["paragraphs"] + 1))
    assert len(expected & numbers) >= 0.95 * len(expected), sorted(expected - numbers)[:10]
