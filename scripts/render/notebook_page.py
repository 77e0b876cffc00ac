"""The "My notes" page (issue 22): the student's highlights and notes, kept in the browser only.

The page is a frame: its list, filter, exports, import and hand-in are drawn by
assets/javascripts/notebook.js from the browser's storage. What the build gives it is the edition's
list of reading pages with their titles (a hidden list of links, so MkDocs writes each page's address
as it does for any link, online and in the offline bundle), which titles the notes and tells an
import which pages exist in this edition.
"""
from __future__ import annotations

from scripts.core.escape import html_attr, html_text, page_front_matter
from scripts.core.links import relative
from scripts.core.model import Page, Reading

NOTES_PAGE = "notes.md"

INTRO = (
    "Highlights and notes you make on the readings: select words in a reading, then choose a colour, "
    "or press <kbd>H</kbd> (after selecting with the keyboard) to highlight and write a note. "
    "They stay in this browser, on this device: nothing is sent anywhere and there is no account."
)


def notebook_page(docs: list[Reading], pages_by_doc: dict[str, list[Page]]) -> Page:
    """The My notes page: the introduction, the hidden list of reading pages, and the notebook's frame."""
    links = []
    for doc, _, _ in docs:
        doc_pages = pages_by_doc[doc.id]
        for page in doc_pages:
            title = doc.title if len(doc_pages) == 1 else f"{doc.title} — {page.nav_title or page.title}"
            links.append(f'<li><a href="{html_attr(relative(NOTES_PAGE, page.path))}">'
                         f"{html_text(title)}</a></li>")
    body = "\n".join([
        page_front_matter("My notes", "Your highlights and notes on the readings, kept in this browser only.",
                          search_exclude=True),
        "# My notes",
        "",
        f'<p class="nb-intro">{INTRO}</p>',
        "",
        '<ul id="nb-pages" hidden>',
        *links,
        "</ul>",
        "",
        '<div id="nb-notes" class="nb-notes" data-search-exclude>',
        "<p>This page needs JavaScript: your notes are kept by your browser and shown here by it.</p>",
        "</div>",
        "",
    ])
    return Page(NOTES_PAGE, "My notes", body)

