"""Finding the way: how the readings are named and listed (nav, home page, readings list).

Readers and instructors say "the Hatch reading", not its full title, and plan by time. So:

* the navigation names a reading "Author — short title" (the title up to its colon), with the
  manifest's optional ``extent`` added where the page is not the whole text ("extract and
  notes" for Hatch);
* a reading's own glossary (Viola's) is "Viola's Glossary" in the nav, the site's glossary is the
  "Reader's glossary", so the two are never confused;
* the readings list and the home page give each reading's length in words (text and notes,
  counted from the paragraphs and notes the renderer recorded in ``Page.passages``) and a reading
  time at 200 words a minute (scripts/course/guides.py: one reading speed for every reading time on the site).
"""
from __future__ import annotations

import posixpath

from scripts.core.passages import page_counts, reading_minutes
from scripts.core.escape import md_inline
from scripts.core.markdown_text import escape_text
from scripts.core.model import Document, Reading
from scripts.core.model import Page
SITE_GLOSSARY_LABEL = "Reader's glossary"
#: The line of content/index.md that the build replaces with the list of readings.
READINGS_MARKER = "<!-- readings list: written by the build (scripts/render/wayfinding.py) -->"


def surnames(doc: Document) -> str:
    """ "Viola", "Siegelbaum and Suny", "B.W." """
    names = [a.split()[-1] if " " in a else a for a in doc.authors]
    return " and ".join(names)


def short_title(doc: Document) -> str:
    """The title up to its colon: "Making the Command Economy"."""
    return doc.title.split(":", 1)[0].strip()


def nav_label(doc: Document, entry: dict) -> str:
    label = f"{surnames(doc)} — {short_title(doc)}"
    if entry.get("extent"):
        label += f" ({entry['extent']})"
    return label


def part_nav_label(doc: Document, page: Page) -> str:
    """Nav label of one page of a multi-page reading; the book's own glossary says whose it is."""
    label = page.nav_title or page.title
    if label.strip().lower() == "glossary":
        return f"{surnames(doc)}'s Glossary"
    return label


def page_words(page: Page) -> tuple[int, int]:
    """(words of the text, words of the notes) of one page, counted as the reading guides count them."""
    return page_counts(page.passages)


def length_line(text: int, notes: int) -> str:
    """ "16,700 words and 3,700 words of notes, about 1 h 30 min" (words rounded to the hundred). """
    def rounded(n: int) -> str:
        return f"{round(n, -2) if n >= 1000 else n:,}"
    minutes = reading_minutes(text, notes)
    time = f"{minutes // 60} h {minutes % 60:02d} min" if minutes >= 60 else f"{minutes} min"
    parts = [f"{rounded(text)} words"] if text else []
    if notes:
        parts.append(f"{rounded(notes)} words of notes")
    return " and ".join(parts) + f", about {time} to read"


def reading_length(doc_pages: list[Page]) -> tuple[int, int]:
    text = notes = 0
    for page in doc_pages:
        t, n = page_words(page)
        text, notes = text + t, notes + n
    return text, notes


def readings_list(docs: list[Reading], pages_by_doc: dict[str, list[Page]], from_page: str, with_chapters: bool) -> list[str]:
    """Markdown list of the readings as links from ``from_page``: author, title, length, one line."""
    lines: list[str] = []
    for doc, entry, _ in docs:
        pages = pages_by_doc[doc.id]
        href = posixpath.relpath(pages[0].path, posixpath.dirname(from_page) or ".")
        extent = f" ({md_inline(entry['extent'])})" if entry.get("extent") else ""
        text, notes = reading_length(pages)
        lines.append(f"- **[{escape_text(', '.join(doc.authors))}, *{escape_text(doc.title)}*]({href})**{extent} — "
                     f"{escape_text(entry.get('description', ''))} *{length_line(text, notes)}.*")
        if with_chapters and len(pages) > 2:
            for page in pages[1:]:
                t, n = page_words(page)
                if t + n < 1500:  # front and back matter: listed in the reading's own contents
                    continue
                sub = posixpath.relpath(page.path, posixpath.dirname(from_page) or ".")
                lines.append(f"    - [{escape_text(page.nav_title or page.title)}]({sub}) — {length_line(t, n)}")
    return lines


def fill_home_page(pages: list[Page], docs: list[Reading], pages_by_doc: dict[str, list[Page]]) -> None:
    """Replace the readings marker of the home page (content/index.md) with the generated list."""
    for page in pages:
        if page.path == "index.md" and READINGS_MARKER in page.markdown:
            page.markdown = page.markdown.replace(
                READINGS_MARKER, "\n".join(readings_list(docs, pages_by_doc, page.path, with_chapters=False)))
