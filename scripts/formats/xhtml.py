"""One part of a reading as XHTML for the EPUB and the PDF, from the document model.

The text goes through the renderer's own :class:`~scripts.render.document.PageWriter` — the same
paragraph numbering (``p37``), note numbers, glossary marks and printed-page markers as the site —
without the site's chrome (Cite this, reading guides, editor's notes), and Python-Markdown (the
converter MkDocs uses, with the site's extensions) turns it into HTML. Then, for EPUB 3:

- note markers become ``<a epub:type="noteref">`` and each note an ``<aside epub:type="footnote">``
  (Apple Books and Thorium show them as pop-ups);
- each printed-page marker becomes ``<span epub:type="pagebreak" id="page-112">``;
- glossary marks link to the EPUB's own glossary (``glossary.xhtml#kulak``);
- a link to another page of the same reading points at its file in the EPUB; any other link to
  the site becomes plain text (an EPUB holds no site pages).
"""
from __future__ import annotations

import html
import posixpath
import re
from dataclasses import dataclass, field

import markdown
from bs4 import BeautifulSoup

from scripts.core.markdown_text import inline_html, inline_markdown, plain_text
from scripts.core.model import Document, Part
from scripts.core.slots import EDITOR_NOTES_SLOT, GLOSSARY_URL, GUIDE_SLOT
from scripts.render import apparatus as apparatus_md
from scripts.render.document import PageWriter, RenderContext, part_nav_title, part_page_path

GLOSSARY_FILE = "edition-glossary.xhtml"   # not glossary.xhtml: Viola's book has its own Glossary part
EXTENSIONS = ["abbr", "admonition", "attr_list", "def_list", "md_in_html", "tables", "footnotes", "pymdownx.details"]
# "fn-3", not the site's "fn:3": a colon is not allowed in an XML name (EPUBCheck)
EXTENSION_CONFIGS = {"footnotes": {"SEPARATOR": "-", "BACKLINK_TITLE": "Back to the text"}}


@dataclass
class PartText:
    """One part as EPUB/PDF XHTML (the inside of <body>), with what the navigation needs."""

    file: str                       # "chapter-4.xhtml"
    site_path: str                  # "readings/viola/chapter-4.md"
    title: str                      # "4. The Drive to Collectivize Soviet Agriculture: Winter 1930"
    body: str
    pages: list[int] = field(default_factory=list)      # printed pages whose markers it holds, in order
    paragraphs: list[str] = field(default_factory=list)  # "p1", "p2", …
    notes: list[str] = field(default_factory=list)       # footnote ids ("fn-3")
    terms: list[str] = field(default_factory=list)       # glossary ids it links (sorted: the cache key is stable)


class FormatWriter(PageWriter):
    """The renderer's page writer with glossary marks pointing into the EPUB's glossary."""

    def annotate(self, md: str, in_note: bool = False) -> str:
        if not self.annotate_on:
            return md
        section = "notes" if in_note else self.section
        out = self.ctx.annotator.annotate(md, self.path, section=section, in_note=in_note)
        return out.replace(GLOSSARY_URL, GLOSSARY_FILE)


def file_name(doc: Document, part: Part) -> str:
    """The part's file in the EPUB: its page name on the site, with .xhtml ("text.xhtml" for an article)."""
    if len(doc.parts) == 1:
        return "text.xhtml"
    return posixpath.basename(part_page_path(doc, part))[:-3] + ".xhtml"


def part_markdown(doc: Document, part: Part, ctx: RenderContext) -> tuple[str, FormatWriter]:
    """The part's Markdown as the renderer writes it (render_part), minus the site's chrome."""
    path = part_page_path(doc, part)
    w = FormatWriter(path, ctx, annotate=part.annotate)
    if len(doc.parts) == 1:
        w.out(f"# {html.escape(doc.title)}")
        if doc.subtitle:
            w.out(f'<p class="subtitle">{inline_html(doc.subtitle)}</p>')
        w.out(f'<p class="byline">{inline_html(", ".join(doc.authors))}</p>')
        w.out()
        if doc.abstract:
            w.out(f'<section class="abstract" markdown>\n\n**{html.escape(doc.abstract_label)}**\n')
            for para in doc.abstract:              # numbered first, as on the site's landing page
                w.out(w.annotate(inline_markdown(para.content)))
                w.out(w.anchor(plain_text(para.content), para.line))
                w.out()
            w.out("</section>")
            w.out()
    else:
        w.out(f"# {html.escape(part_nav_title(part))}")
        w.out()
    w.part_text(part)
    return w.text(), w


def to_html(md: str) -> str:
    return markdown.markdown(md, extensions=EXTENSIONS, extension_configs=EXTENSION_CONFIGS, output_format="xhtml")


def epub_fixups(fragment: str, site_path: str, files: dict[str, str]) -> tuple[str, PartText]:
    """Notes, page markers and links made EPUB 3 (see the module docstring); returns the body and
    what it holds (pages, paragraphs, notes, glossary terms)."""
    soup = BeautifulSoup(fragment, "html.parser")
    info = PartText("", site_path, "", "")
    terms: set[str] = set()
    for marker in soup.find_all("page-break"):
        page = int(marker["data-page"])
        info.pages.append(page)
        span = soup.new_tag("span", attrs={"id": marker["id"], "epub:type": "pagebreak", "role": "doc-pagebreak",
                                           "aria-label": str(page), "title": marker.get("title", f"Page {page}"),
                                           "class": "pb", "data-page": str(page)})
        marker.replace_with(span)
    for a in soup.select("sup > a.footnote-ref"):
        a["epub:type"] = "noteref"
        a["role"] = "doc-noteref"
    for box in soup.select("div.footnote"):
        section = soup.new_tag("section", attrs={"class": "notes", "epub:type": "footnotes"})
        for li in box.select("ol > li"):
            label = li["id"].split("-", 1)[1]
            aside = soup.new_tag("aside", attrs={"id": li["id"], "epub:type": "footnote", "role": "doc-footnote",
                                                 "class": "note"})
            for child in list(li.children):
                aside.append(child.extract())
            first = aside.find("p")
            number = soup.new_tag("span", attrs={"class": "note-number"})
            number.string = f"{label}. "
            (first or aside).insert(0, number)
            for back in aside.select("a.footnote-backref"):
                back.string = "↩"
                back["aria-label"] = "Back to the text"
                back["role"] = "doc-backlink"
            info.notes.append(li["id"])
            section.append(aside)
        box.replace_with(section)
    for a in soup.find_all("a", href=True):
        href = a["href"]
        if a.get("class") == ["gl"] or href.startswith(GLOSSARY_FILE):
            terms.add(href.split("#", 1)[1] if "#" in href else "")
            continue
        if href.startswith("#"):
            a["href"] = re.sub(r"^#(fn|fnref):", r"#\1-", href)
            continue
        if re.match(r"^(https?|mailto):", href):
            continue
        path, _, frag = href.partition("#")
        target = posixpath.normpath(posixpath.join(posixpath.dirname(site_path), path))
        if target.endswith(".html"):
            target = target[:-5] + ".md"
        frag = re.sub(r"^(fn|fnref):", r"\1-", frag)     # the site's note ids, as named in the EPUB
        if target in files:
            a["href"] = files[target] + (f"#{frag}" if frag else "")
        else:
            a.unwrap()          # a page of the site that the EPUB does not hold
    for el in soup.find_all(attrs={"data-search-exclude": True}):
        del el["data-search-exclude"]
    for el in soup.find_all(id=re.compile(r"^p\d+$")):
        info.paragraphs.append(el["id"])
    info.terms = sorted(terms)
    return str(soup), info


def reading_parts(doc: Document, ctx: RenderContext) -> list[PartText]:
    """Every part of a reading as EPUB XHTML, in reading order."""
    files = {part_page_path(doc, p): file_name(doc, p) for p in doc.parts}
    out = []
    for part in doc.parts:
        md, writer = part_markdown(doc, part, ctx)
        body, info = epub_fixups(to_html(md), part_page_path(doc, part), files)
        info.file, info.title, info.body = files[part_page_path(doc, part)], \
            (doc.title if len(doc.parts) == 1 else part_nav_title(part)), body
        info.places = writer.places
        out.append(info)
    return out


def apparatus_xhtml(doc: Document, ctx: RenderContext, parts: list[PartText]) -> str:
    """The reading's "About this text" (the editorial apparatus) with its links into the EPUB's parts;
    the collapsible boxes of the site are open boxes here (e-readers seldom open <details>)."""
    about = f"readings/{doc.id}/about.md"
    places = apparatus_md.Places([p for part in parts for p in getattr(part, "places", [])])
    titles = {part.site_path: part.title for part in parts}
    md = apparatus_md.render(doc, ctx, about, places, titles, heading_level=1, with_heading=True)
    md = md.replace(EDITOR_NOTES_SLOT, "").replace(GUIDE_SLOT, "")
    md = re.sub(r"^(\s*)\?\?\?\+? ", r"\1!!! ", md, flags=re.M)
    files = {part.site_path: part.file for part in parts}
    body, _ = epub_fixups(to_html(md), about, files)
    return body
