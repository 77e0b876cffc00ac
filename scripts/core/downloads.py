"""The names of the downloadable formats (site/downloads/): the one place the reading pages, the
download page and scripts/formats/ take them from, so that a link and its file cannot disagree."""
from __future__ import annotations

import html

from scripts.core.links import md_link, relative

FOLDER = "downloads"
EDITION_EPUB = "revolution-from-above.epub"
PDF_KINDS = ("body", "article")        # a PDF for every chapter and article (not the front or back matter)


def epub_file(reading_id: str) -> str:
    return f"{reading_id}.epub"


def course_epub(course_id: str) -> str:
    return f"course-{course_id}.epub"


def pdf_file(reading_id: str, slug: str, single: bool) -> str:
    """``viola-chapter-4.pdf``; an article (one part) is ``goldman.pdf``."""
    return f"{reading_id}.pdf" if single else f"{reading_id}-{slug}.pdf"


def links_html(page_path: str, reading_id: str, pdf: str | None, what: str) -> str:
    """The line under a reading's title: its EPUB and, for a chapter or article, its PDF."""
    def href(name: str) -> str:
        return html.escape(md_link(page_path, f"{FOLDER}/{name}"), quote=True)
    items = [f'<a href="{href(epub_file(reading_id))}" download>EPUB of the {html.escape(what)}</a>']
    if pdf:
        items.append(f'<a href="{href(pdf)}" download>PDF of this {"article" if what == "article" else "chapter"}'
                     "</a>")
    items.append(f'<a href="{html.escape(relative(page_path, "download.md"), quote=True)}">other formats</a>')
    return '<p class="format-links">Download: ' + " · ".join(items) + "</p>\n"


# ---- the download page's list of formats (content/download.md holds TABLE_SLOT) ------------------

TABLE_SLOT = "<!-- the list of formats (scripts/core/downloads.py: table_html) -->"
ZIP_NAME = "revolution-from-above-offline.zip"

#: The online site saved in the browser (scripts/site/offline_save.py): first in "The whole edition",
#: pointing at the page's own control (its size is on the button, read from offline-edition.json).
OFFLINE_SAVE_ROW = ("<tr><td>Saved in the browser</td><td>every page, the search and the glossary, kept by the "
                    "browser you read the online site in (not from the zip)</td><td>on the button</td>"
                    "<td>with this site</td><td><a href=\"#saved-in-the-browser-on-any-device\">Save this edition "
                    "for offline reading</a></td></tr>")

PICK = [
    ("On a laptop or desktop computer", "the classroom zip: every page, the search and the glossary from a folder, "
     "no network needed; a chapter's PDF to print it."),
    ("On an iPhone or iPad", "the EPUB: tap it and open it in Books, where the notes open as pop-ups and the pages "
     "of Viola's book are in the page list; or a chapter's PDF (Safari cannot open the zip's folder of pages); or "
     "save the online site in Safari for offline reading."),
    ("On an Android phone", "the EPUB, in any EPUB reading app (for instance Google Play Books, or Thorium on a "
     "tablet); or a chapter's PDF, which every phone opens."),
    ("On an e-reader (Kobo, PocketBook, Kindle)", "the EPUB: copy it to the reader (Kindle: send it with Amazon's "
     "Send to Kindle, which takes EPUB files); the PDF is too small to read on a six-inch screen."),
]


def size_cell(name: str) -> str:
    """Filled after the build with the file's size and date (scripts/formats/page.py)."""
    return (f'<td><span class="fmt-size" data-file="{html.escape(name, quote=True)}">see the file</span></td>'
            f'<td><span class="fmt-built" data-file="{html.escape(name, quote=True)}">with this site</span></td>')


def row(kind: str, what: str, name: str, href: str) -> str:
    return (f"<tr><td>{html.escape(kind)}</td><td>{html.escape(what)}</td>{size_cell(name)}"
            f'<td><a href="{html.escape(href, quote=True)}" download>{html.escape(name)}</a></td></tr>')


def table_html(readings: list[tuple[str, str, bool, list[tuple[str, str, str]]]], courses: list[tuple[str, str, bool]],
               classroom: bool) -> str:
    """The download page's lists. ``readings``: (id, title, single part, [(slug, title, kind)]) of the
    readings this edition prints; ``courses``: (id, title, has readings in this edition);
    ``classroom``: the classroom edition (its zip is built with it)."""
    head = ("<table><thead><tr><th scope=\"col\">Format</th><th scope=\"col\">What it holds</th>"
            "<th scope=\"col\">Size</th><th scope=\"col\">Built</th><th scope=\"col\">Download</th></tr></thead><tbody>")
    out = ["## Which format to pick", ""]
    out += [f"- **{html.escape(where)}:** {html.escape(what)}" for where, what in PICK]
    out += ["", "## The whole edition", "", head + OFFLINE_SAVE_ROW]
    if classroom:
        out.append(row("Classroom zip", "every page of the site, search and glossary, for a folder on a computer",
                       ZIP_NAME, ZIP_NAME))
    if readings:
        out.append(row("EPUB 3", "every reading with its notes, apparatus and glossary", EDITION_EPUB,
                       f"{FOLDER}/{EDITION_EPUB}"))
    out += ["</tbody></table>", ""]
    if readings:
        out += ["## Each reading", "", head]
        for rid, title, single, parts in readings:
            out.append(row("EPUB 3", f"{title}: the whole text, notes, apparatus and glossary", epub_file(rid),
                           f"{FOLDER}/{epub_file(rid)}"))
            for slug, ptitle, kind in parts:
                if kind in PDF_KINDS:
                    name = pdf_file(rid, slug, single)
                    out.append(row("PDF", f"{title if single else ptitle}: for printing, with notes and page numbers",
                                   name, f"{FOLDER}/{name}"))
        out += ["</tbody></table>", ""]
    if courses:
        out += ["## Each course", "", "A course's classroom zip and printed reader are made by its instructor with "
                "`./site.sh course courses/<course>.yml` (see For instructors).", "", head]
        for cid, title, has_readings in courses:
            if has_readings:
                out.append(row("EPUB 3", f"{title}: the readings its syllabus lists", course_epub(cid),
                               f"{FOLDER}/{course_epub(cid)}"))
        out += ["</tbody></table>", ""]
    return "\n".join(out)
