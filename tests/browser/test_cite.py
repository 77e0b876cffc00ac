""""Cite this" in real Chromium: copy buttons by keyboard (online and from the offline bundle),
"cite this paragraph" from the paragraph's button, a printed page when the page markers are there,
and print (the box collapses to one Chicago line)."""
from __future__ import annotations

from pathlib import Path

import pytest

CHAPTER = "readings/viola/chapter-4.html"


@pytest.fixture()
def context(browser, site_url: str):
    ctx = browser.new_context(viewport={"width": 1280, "height": 900})
    ctx.grant_permissions(["clipboard-read", "clipboard-write"], origin=site_url)
    yield ctx
    ctx.close()


def open_box_by_keyboard(page) -> None:
    page.focus("details#cite-this > summary")
    page.keyboard.press("Enter")
    assert page.eval_on_selector("details#cite-this", "d => d.open")


def test_copy_button_by_keyboard_copies_the_citation_with_the_edition_url(context, site_url: str) -> None:
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto(f"{site_url}/{CHAPTER}", wait_until="load")
    open_box_by_keyboard(page)
    page.focus('button.cite-copy[data-copy="cite-chicago-note"]')
    page.keyboard.press("Enter")
    page.wait_for_function("document.getElementById('cite-status').textContent.length > 0")
    copied = page.evaluate("navigator.clipboard.readText()")
    shown = " ".join(page.inner_text("#cite-chicago-note").split())
    assert copied == shown
    assert copied.startswith("Lynne Viola, “The Drive to Collectivize Soviet Agriculture: Winter 1930,” in The Best Sons")
    # the place of publication and the chapter's printed pages (issue 18)
    assert copied.endswith(f"(New York: Oxford University Press, 1987), 90–120, {site_url}/{CHAPTER}.")
    # served, the edition's URL is the full address everywhere (no site_url is set), the print line too
    printed = " ".join(page.evaluate("document.querySelector('.cite-print').textContent").split())
    assert printed.endswith(f"Oxford University Press, 1987. {site_url}/{CHAPTER}.")
    assert "offline copy" not in page.evaluate("document.getElementById('cite-this').textContent")
    page.focus('button.cite-copy[data-copy="cite-apa"]')
    page.keyboard.press("Space")
    page.wait_for_timeout(200)
    assert page.evaluate("navigator.clipboard.readText()").startswith("Viola, L. (1987).")
    assert not errors


def test_cite_this_paragraph_from_its_button(context, site_url: str) -> None:
    page = context.new_page()
    page.goto(f"{site_url}/{CHAPTER}#p14", wait_until="load")
    button = page.locator("#p14 > button.para-cite")
    assert button.get_attribute("aria-label") == "Cite paragraph 14"
    button.focus()
    page.keyboard.press("Enter")
    dialog = page.locator("dialog.cite-dialog")
    assert dialog.is_visible()
    text = " ".join(dialog.inner_text().split())
    printed = page.evaluate("document.getElementById('p14').dataset.page")   # Viola's printed page (issue 9)
    assert printed and f"Cite paragraph 14 (printed page {printed})" in text
    assert f"(New York: Oxford University Press, 1987), {printed}, {site_url}/{CHAPTER}#p14." in text
    assert f"(Viola {printed})" in text
    assert page.evaluate("document.activeElement.classList.contains('cite-copy')")
    page.keyboard.press("Enter")
    page.wait_for_timeout(200)
    assert f", {printed}, " in page.evaluate("navigator.clipboard.readText()")
    page.keyboard.press("Escape")
    assert not dialog.is_visible()
    assert page.evaluate("document.activeElement.getAttribute('aria-label')") == "Cite paragraph 14"


def test_cite_this_paragraph_gives_the_page_its_marker_shows(context, site_url: str) -> None:
    """The printed page in a paragraph's citation is the page of the last page marker before the
    paragraph starts (issue 9's role="doc-pagebreak" markers), so screen and citation agree."""
    page = context.new_page()
    page.goto(f"{site_url}/{CHAPTER}", wait_until="load")
    marker_page = page.evaluate("""() => { const p = document.getElementById('p14'); let last = null;
        for (const m of document.querySelectorAll('[role=doc-pagebreak]')) {
          if (m.compareDocumentPosition(p) & Node.DOCUMENT_POSITION_FOLLOWING) last = m; }
        return last && last.id.replace('page-', ''); }""")
    assert marker_page
    page.locator("#p14 > button.para-cite").click()
    text = " ".join(page.locator("dialog.cite-dialog").inner_text().split())
    assert f"Cite paragraph 14 (printed page {marker_page})" in text


def test_print_collapses_cite_this_to_one_chicago_line(context, site_url: str) -> None:
    page = context.new_page()
    page.goto(f"{site_url}/{CHAPTER}", wait_until="load")
    page.emulate_media(media="print")
    shown = page.evaluate("""() => ({
        box: getComputedStyle(document.querySelector('details#cite-this')).display,
        line: getComputedStyle(document.querySelector('.cite-print')).display,
        buttons: [...document.querySelectorAll('.para-cite')].every(b => getComputedStyle(b).display === 'none'),
        text: document.querySelector('.cite-print').innerText })""")
    assert shown["box"] == "none" and shown["line"] == "block" and shown["buttons"]
    assert shown["text"].startswith("Cite as: Viola, Lynne. “The Drive to Collectivize Soviet Agriculture: Winter 1930.” In ")
    page.emulate_media(media="screen")
    assert page.evaluate("getComputedStyle(document.querySelector('.cite-print')).display") == "none"


def test_offline_bundle_copy_and_downloads(browser, offline_site: Path) -> None:
    """From file:// the box works too: the copy button copies (reported in the status line) and the
    BibTeX and RIS files are in the bundle."""
    ctx = browser.new_context()
    try:
        page = ctx.new_page()
        errors: list[str] = []
        page.on("pageerror", lambda e: errors.append(str(e)))
        page.goto((offline_site / CHAPTER).as_uri(), wait_until="load")
        open_box_by_keyboard(page)
        page.focus('button.cite-copy[data-copy="cite-mla"]')
        page.keyboard.press("Enter")
        page.wait_for_function("document.getElementById('cite-status').textContent.length > 0")
        assert page.inner_text("#cite-status") == "Citation copied to the clipboard."
        # without a site_url the offline citation names the page by its path, marked as this edition's
        # (a file:// address would mean nothing to the citation's reader)
        assert page.inner_text("#cite-mla").rstrip().endswith("readings/viola/chapter-4.html (this edition, offline copy).")
        assert "file://" not in page.inner_text("#cite-this")
        page.locator("#p14 > button.para-cite").click()
        dialog = " ".join(page.locator("dialog.cite-dialog").inner_text().split())
        assert "readings/viola/chapter-4.html#p14 (this edition, offline copy)." in dialog
        page.keyboard.press("Escape")
        for a in page.locator(".cite-downloads a[download]").all():
            href = a.evaluate("a => a.href")
            assert href.startswith("file://") and Path(href[len("file://"):]).exists()
        assert not errors
    finally:
        ctx.close()


def test_open_cite_box_and_paragraph_dialog_pass_axe(context, site_url: str) -> None:
    """With the box open and the paragraph dialog shown, axe-core finds nothing, whatever the impact."""
    from tests.browser.test_accessibility import axe_violations, describe
    page = context.new_page()
    page.goto(f"{site_url}/{CHAPTER}", wait_until="load")
    open_box_by_keyboard(page)
    found = axe_violations(page)
    assert not found, describe(CHAPTER, found)
    page.locator("#p14 > button.para-cite").click()
    found = axe_violations(page)
    assert not found, describe(CHAPTER + " (dialog)", found)
