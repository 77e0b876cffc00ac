"""Editor's notes in real Chromium: the dagger opens the note as a popover (mouse and keyboard),
like the author's notes, and the note prints under its paragraph."""
from __future__ import annotations



def test_dagger_opens_the_editors_note_and_it_prints(page, site_url: str) -> None:
    page.goto(f"{site_url}/readings/goldman/index.html", wait_until="load")
    ref = page.locator("#p17 a.ed-note-ref[href='#ed-goldman-stalin-siberia-1928']")
    assert ref.inner_text() == "†"
    ref.click()
    pop = page.locator("#rd-pop")
    pop.wait_for(state="visible")
    assert pop.get_attribute("aria-label") == "Editor’s note"
    assert "extraordinary measures" in pop.inner_text() and "early 1928" in pop.inner_text()
    page.keyboard.press("Escape")
    assert page.locator("#rd-pop").count() == 0
    # keyboard: focus the dagger and press Enter
    page.locator("#p17 a.ed-note-ref[href='#ed-goldman-25000ers-november-1929']").focus()
    page.keyboard.press("Enter")
    page.locator("#rd-pop").wait_for(state="visible")
    assert "November 1929 plenum" in page.locator("#rd-pop").inner_text()
    page.keyboard.press("Escape")
    # the note stands under its paragraph on screen and in print
    page.emulate_media(media="print")
    box = page.evaluate("""() => {
        const p = document.getElementById('p17'), a = document.getElementById('ed-goldman-stalin-siberia-1928');
        const r = a.getBoundingClientRect(), q = p.getBoundingClientRect(), st = getComputedStyle(a);
        const next = document.getElementById('p18').getBoundingClientRect();
        return {visible: r.height > 0 && st.display !== 'none' && st.visibility !== 'hidden',
                below: r.top >= q.bottom - 1, beforeNext: r.bottom <= next.top + 1, text: a.innerText};
    }""")
    assert box["visible"] and box["below"] and box["beforeNext"], box
    assert "Editor’s note" in box["text"]
    pdf = page.pdf()
    import io
    import pypdf
    text = " ".join(p.extract_text() for p in pypdf.PdfReader(io.BytesIO(pdf)).pages)
    assert "Editor’s note" in text or "Editor's note" in text
    assert "slip for early 1928" in " ".join(text.split())
    assert not page.js_errors


def test_a_paragraph_over_two_printed_pages_is_cited_with_both(page, site_url: str) -> None:
    """Issue 18: a paragraph on pp. 97–98 is cited as 97–98, not 97 (cite.js reads data-page-end)."""
    page.goto(f"{site_url}/readings/viola/chapter-4.html", wait_until="load")
    para = page.locator("article p[data-page-end]").first
    first, last = para.get_attribute("data-page"), para.get_attribute("data-page-end")
    assert first != last
    ident = para.get_attribute("id")
    page.locator(f"#{ident} > button.para-cite").click()
    text = " ".join(page.locator("dialog.cite-dialog").inner_text().split())
    assert f"(printed pages {first}–{last})" in text
    assert f"(New York: Oxford University Press, 1987), {first}–{last}, " in text      # Chicago note
    assert f"pp. {first}–{last}" in text                                                 # APA in the text
    assert not page.js_errors


def test_a_printed_chapter_has_one_cite_as_the_chapters(page, site_url: str) -> None:
    page.goto(f"{site_url}/readings/viola/chapter-4.html", wait_until="load")
    page.emulate_media(media="print")
    shown = page.evaluate("""() => [...document.querySelectorAll('article *')]
        .filter(e => e.children.length === 0 || e.matches('p, strong'))
        .filter(e => { const r = e.getBoundingClientRect(); const st = getComputedStyle(e);
                       return r.height > 0 && st.display !== 'none' && st.visibility !== 'hidden'; })
        .map(e => e.innerText).filter(t => /^\\s*Cite as/.test(t))""")
    assert len(shown) == 1, shown
    line = page.locator(".cite-print").inner_text()
    assert "The Drive to Collectivize Soviet Agriculture" in line and "90–120" in line and "New York" in line
    assert "chapter-4.html" in line and line.split("chapter-4.html")[0].rstrip().endswith(("/readings/viola/", "readings/viola/"))
