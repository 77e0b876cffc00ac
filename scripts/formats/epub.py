"""EPUB 3 of a reading (or of several: the whole edition, a course pack), written with ebooklib.

What goes in: a generated cover (SVG, our own drawing: no third-party asset), a title page with the
rights line and how to cite, each part as XHTML from :mod:`scripts.formats.xhtml`, the glossary of
the terms the text marks, "About this text" (the editorial apparatus), and a navigation document
written here — the table of contents and, for a book with printed pages, a ``page-list`` with one
entry per page marker of the text, taken from the edition's page data (never ebooklib's automatic
page list, which counts notes as pages). Accessibility metadata (schema.org, EPUB Accessibility 1.1)
and, where bib/ has one, the print edition's ISBN as ``dc:source``.
"""
from __future__ import annotations

import html
import re
import uuid
from dataclasses import dataclass, field

from ebooklib import epub

from scripts.formats.xhtml import GLOSSARY_FILE, PartText, to_html
from scripts.glossary.terms import editor_markdown

CSS = """
body { font-family: serif; line-height: 1.45; }
h1 { font-size: 1.5em; } h2 { font-size: 1.25em; }
p[id] { margin: 0 0 0.6em 0; }
.pb { font-size: 0.7em; color: #555; }
.pb::before { content: "[p. " attr(data-page) "]"; }
.pb-line { text-align: right; }
.notes { border-top: 1px solid #888; margin-top: 2em; font-size: 0.9em; }
aside.note { margin: 0.4em 0; }
.note-number { font-weight: bold; }
a.gl { color: inherit; text-decoration: underline dotted; }
.admonition { border: 1px solid #999; padding: 0.3em 0.8em; margin: 1em 0; }
.admonition-title { font-weight: bold; }
table { border-collapse: collapse; font-size: 0.85em; }
td, th { border: 1px solid #999; padding: 2px 4px; }
.cover { text-align: center; } .cover img { max-width: 100%; height: 95%; }
.rights { font-size: 0.9em; border-top: 1px solid #888; padding-top: 0.5em; }
dt { font-weight: bold; margin-top: 0.6em; }
"""

ACCESSIBILITY_SUMMARY = ("The text is the author's, with its headings, paragraphs, tables and notes marked up in "
                         "reading order; notes are linked both ways, the printed pages of the book are given as "
                         "page markers and a page list, and every glossary term links to its entry. The book's "
                         "figures are not in the source text: only their captions are.")


@dataclass
class Section:
    """One reading inside an EPUB: its title, its parts and its back matter."""

    id: str
    title: str
    parts: list[PartText]
    about: str = ""                       # the apparatus, XHTML body
    rights: str = ""                      # the rights line (plain text)
    cite: str = ""                        # "Cite as" (HTML)


@dataclass
class Book:
    """What one EPUB holds."""

    id: str                               # file stem: "viola", "revolution-from-above", "course-…"
    title: str
    authors: list[str]
    sections: list[Section]
    glossary: list = field(default_factory=list)   # glossary Terms linked from the text
    isbn: str = ""
    subtitle: str = ""
    modified: str = ""                    # build date, ISO (dcterms:modified)
    description: str = ""


def cover_svg(title: str, authors: list[str], subtitle: str = "") -> str:
    """A plain typographic cover: the title wrapped on lines, the authors, the edition's name."""
    words, lines, line = title.split(), [], ""
    for word in words:
        if len(line) + len(word) > 22 and line:
            lines.append(line)
            line = word
        else:
            line = f"{line} {word}".strip()
    lines.append(line)
    y = 300
    text = []
    for ln in lines[:7]:
        text.append(f'<text x="300" y="{y}" font-size="40" text-anchor="middle" fill="#fff">{html.escape(ln)}</text>')
        y += 52
    y += 30
    for author in authors[:3]:
        text.append(f'<text x="300" y="{y}" font-size="28" text-anchor="middle" fill="#f2d9a0">{html.escape(author)}</text>')
        y += 38
    return ('<?xml version="1.0" encoding="UTF-8"?>\n<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 600 900" '
            f'width="600" height="900" role="img" aria-label="{html.escape(title, quote=True)}">'
            '<rect width="600" height="900" fill="#7a1f1f"/><rect x="30" y="30" width="540" height="840" fill="none" '
            'stroke="#f2d9a0" stroke-width="3"/>'
            '<text x="300" y="140" font-size="22" text-anchor="middle" fill="#f2d9a0" letter-spacing="4">'
            'REVOLUTION FROM ABOVE</text>'
            '<text x="300" y="172" font-size="18" text-anchor="middle" fill="#f2d9a0">an annotated reader</text>'
            f'{"".join(text)}</svg>')


def glossary_body(terms: list) -> str:
    items = []
    for term in sorted(terms, key=lambda t: t.headword.lower()):
        # editor-written text, escaped as the site's glossary escapes it (only *italic* and <i> kept)
        definition = to_html(editor_markdown(term.explanation or term.short))
        definition = re.sub(r"<a\b[^>]*>(.*?)</a>", r"\1", definition, flags=re.S)   # no site links
        items.append(f'<dt id="{html.escape(term.id, quote=True)}" epub:type="glossterm"><dfn>'
                     f"{html.escape(term.headword)}</dfn></dt>"
                     f'<dd epub:type="glossdef">{definition}</dd>')
    return ('<section epub:type="glossary" role="doc-glossary"><h1>Glossary</h1><p>The terms the texts mark, as the '
            'edition\'s glossary explains them.</p><dl>' + "".join(items) + "</dl></section>")


def nav_body(book: Book, toc: list[tuple[str, str, list]], pages: list[tuple[int, str]]) -> str:
    """The navigation document: contents, landmarks and (for a book with printed pages) the page list."""
    def ol(items) -> str:
        out = []
        for title, href, children in items:
            sub = ol(children) if children else ""
            out.append(f'<li><a href="{html.escape(href, quote=True)}">{html.escape(title)}</a>{sub}</li>')
        return "<ol>" + "".join(out) + "</ol>"
    parts = [f'<nav epub:type="toc" id="toc" role="doc-toc"><h1>Contents</h1>{ol(toc)}</nav>']
    if pages:
        items = "".join(f'<li><a href="{href}#page-{n}">{n}</a></li>' for n, href in pages)
        parts.append(f'<nav epub:type="page-list" id="page-list" hidden="hidden"><h2>Pages</h2><ol>{items}</ol></nav>')
    first = toc[0][1] if toc else "title.xhtml"
    parts.append('<nav epub:type="landmarks" id="landmarks" hidden="hidden"><h2>Landmarks</h2><ol>'
                 '<li><a epub:type="cover" href="cover.xhtml">Cover</a></li>'
                 '<li><a epub:type="toc" href="nav.xhtml#toc">Contents</a></li>'
                 f'<li><a epub:type="bodymatter" href="{html.escape(first, quote=True)}">Start of the text</a></li>'
                 "</ol></nav>")
    return "".join(parts)


_LINK = re.compile(r'<a\b([^>]*?)\bhref="([^"#]+\.xhtml)(#[^"]*)?"([^>]*)>(.*?)</a>', re.S)


def relink(body: str, names: dict[str, str]) -> str:
    """Links between the parts of a reading renamed as they are in this EPUB; a link to a part the
    EPUB does not hold (a course takes only some chapters) becomes its text."""
    def one(m: re.Match) -> str:
        target = m.group(2)
        if target == GLOSSARY_FILE:
            return m.group(0)
        if target in names:
            return f'<a{m.group(1)}href="{names[target]}{m.group(3) or ""}"{m.group(4)}>{m.group(5)}</a>'
        return m.group(5)
    return _LINK.sub(one, body)


def make_epub(book: Book) -> epub.EpubBook:
    """The ebooklib book; write it with :func:`ebooklib.epub.write_epub`."""
    eb = epub.EpubBook()
    eb.set_identifier("urn:uuid:" + str(uuid.uuid5(uuid.NAMESPACE_URL, f"revolution-from-above/{book.id}")))
    eb.set_title(book.title)
    eb.set_language("en")
    for i, author in enumerate(book.authors):
        eb.add_author(author, uid=f"creator{i}")
    eb.add_metadata("DC", "publisher", "Revolution from Above — an annotated reader")
    if book.description:
        eb.add_metadata("DC", "description", book.description)
    rights = " ".join(dict.fromkeys(s.rights for s in book.sections if s.rights))
    if rights:
        eb.add_metadata("DC", "rights", rights)
    if book.isbn:
        eb.add_metadata("DC", "source", "urn:isbn:" + re.sub(r"[^0-9Xx]", "", book.isbn))
    for prop, value in (("schema:accessMode", "textual"), ("schema:accessModeSufficient", "textual"),
                        ("schema:accessibilityFeature", "structuralNavigation"),
                        ("schema:accessibilityFeature", "tableOfContents"),
                        ("schema:accessibilityFeature", "readingOrder"),
                        ("schema:accessibilityFeature", "alternativeText"),
                        ("schema:accessibilityFeature", "displayTransformability"),
                        *([("schema:accessibilityFeature", "printPageNumbers"),
                           ("schema:accessibilityFeature", "pageBreakMarkers"),
                           ("schema:accessibilityFeature", "pageNavigation")]
                          if any(p.pages for s in book.sections for p in s.parts) else []),
                        ("schema:accessibilityHazard", "none"),
                        ("schema:accessibilitySummary", ACCESSIBILITY_SUMMARY),
                        ("dcterms:conformsTo", "EPUB Accessibility 1.1 - WCAG 2.1 Level AA")):
        eb.add_metadata(None, "meta", value, {"property": prop})
    css = epub.EpubItem(uid="style", file_name="style.css", media_type="text/css", content=CSS)
    eb.add_item(css)

    def page(uid: str, name: str, title: str, body: str, kind: str = "") -> epub.EpubHtml:
        item = epub.EpubHtml(uid=uid, file_name=name, title=title, lang="en")
        item.content = (f'<html><head><title>{html.escape(title)}</title></head><body'
                        f'{f" epub:type={chr(34)}{kind}{chr(34)}" if kind else ""}>{body}</body></html>')
        item.add_item(css)
        eb.add_item(item)
        return item

    cover_img = epub.EpubItem(uid="cover-image", file_name="cover.svg", media_type="image/svg+xml",
                              content=cover_svg(book.title, book.authors, book.subtitle).encode())
    cover_img.properties = ["cover-image"]
    eb.add_item(cover_img)
    eb.add_metadata(None, "meta", "", {"name": "cover", "content": "cover-image"})
    spine = [page("cover", "cover.xhtml", "Cover", '<section class="cover" epub:type="cover"><img src="cover.svg" '
                  f'alt="{html.escape(book.title, quote=True)}"/></section>', "")]
    single = len(book.sections) == 1
    title_body = [f"<h1>{html.escape(book.title)}</h1>"]
    if book.subtitle:
        title_body.append(f"<p>{html.escape(book.subtitle)}</p>")
    title_body.append(f"<p>{html.escape(', '.join(book.authors))}</p>")
    title_body.append("<p>From <em>Revolution from Above — an annotated reader</em>. The words are the authors'; "
                      "what the edition changed is listed in “About this text”. Paragraph numbers (¶) are those of "
                      "the edition's web pages, so a citation by paragraph works in both.</p>")
    for s in book.sections:
        if s.rights or s.cite:
            who = "" if single else f"<strong>{html.escape(s.title)}</strong>: "
            title_body.append(f'<div class="rights"><p>{who}<strong>Rights:</strong> {html.escape(s.rights)}</p>'
                              + (f"<p><strong>Cite as:</strong> {s.cite}</p>" if s.cite else "") + "</div>")
    spine.append(page("title", "title.xhtml", "Title page", "".join(title_body), "frontmatter"))
    toc: list[tuple[str, str, list]] = [("Title page", "title.xhtml", [])]
    pages: list[tuple[int, str]] = []
    for n, s in enumerate(book.sections):
        # one flat folder: "viola-chapter-4.xhtml" when the EPUB holds several readings
        names = {p.file: (p.file if single else f"{s.id}-{p.file}") for p in s.parts}
        names["about.xhtml"] = "about.xhtml" if single else f"{s.id}-about.xhtml"
        children = []
        for part in s.parts:
            name = names[part.file]
            spine.append(page(f"{s.id}-{part.file[:-6]}", name, part.title, relink(part.body, names),
                              "bodymatter" if n == 0 and part is s.parts[0] else ""))
            children.append((part.title, name, []))
            pages += [(p, name) for p in part.pages]
        if s.about:
            spine.append(page(f"{s.id}-about", names["about.xhtml"], "About this text", relink(s.about, names),
                              "appendix"))
            children.append(("About this text", names["about.xhtml"], []))
        if single:
            toc += children
        else:
            toc.append((s.title, children[0][1], children))
    if book.glossary:
        spine.append(page("glossary", GLOSSARY_FILE, "Glossary", glossary_body(book.glossary), "backmatter"))
        toc.append(("Glossary", GLOSSARY_FILE, []))
    nav = epub.EpubHtml(uid="nav", file_name="nav.xhtml", title="Contents", lang="en")
    nav.content = f"<html><head><title>Contents</title></head><body>{nav_body(book, toc, pages)}</body></html>"
    nav.properties = ["nav"]
    nav.add_item(css)
    eb.add_item(nav)
    eb.spine = spine[:1] + [nav] + spine[1:]
    eb.add_item(epub.EpubNcx())          # for EPUB 2 reading systems; EPUB 3 ones read nav.xhtml
    eb.toc = [epub.Link(href, title, f"toc-{i}") for i, (title, href, _) in enumerate(toc)]
    return eb


def write(book: Book, target) -> None:
    """Write the EPUB file (ebooklib: mimetype first and stored, the OPF and container)."""
    epub.write_epub(str(target), make_epub(book), {"epub3_pages": False, "epub3_landmark": False,
                                                   "play_order": {"enabled": False}, "spine_direction": False})
