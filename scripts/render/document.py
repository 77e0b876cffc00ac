"""Stage: render a Document as Markdown pages for MkDocs.

The renderer knows nothing of source formats. It gives every paragraph a stable anchor (``#p12``,
counted per page in reading order), turns NoteRefs into footnote references that show the
author's own number, annotates glossary terms (through scripts/glossary/terms.py) and writes each
reading's editorial apparatus ("About this text").
"""
from __future__ import annotations

import posixpath
import re
from dataclasses import dataclass, field
from pathlib import Path

from scripts.core import downloads
from scripts.core.escape import page_front_matter
from scripts.render import apparatus as apparatus_md
from scripts.core.links import GLOSSARY_PAGE, relative
from scripts.core.slots import GUIDE_SLOT
from scripts.core.markdown_text import escape_text, inline_html, inline_markdown, plain_text
from scripts.sources.pagination import goto_page_box, paragraph_attrs, printed_pages_label
from scripts.core.model import (BlockQuote, Damage, DefinitionList, Document, EntryList, Epigraph, Figure, Heading, Note,
                    Paragraph, Part, Table, Verse, Page)



@dataclass
class RenderContext:
    """What the renderer needs besides the document: citation, rights and the glossary annotator."""

    entry: dict
    citation: str
    annotator: object | None = None
    public: bool = False
    rule_docs: dict[str, str] = field(default_factory=dict)
    apparatus: Path | None = None       # data/apparatus.yml: the plain sentences of "About this text"


class PageWriter:
    """Accumulates the Markdown of one page; numbers paragraphs and annotates terms."""

    def __init__(self, path: str, ctx: RenderContext, annotate: bool) -> None:
        self.path = path
        self.ctx = ctx
        self.annotate_on = annotate and ctx.annotator is not None
        self.lines: list[str] = []
        self.paragraphs = 0
        self.passages: dict[str, str] = {}
        self.places: list[tuple[int, str, str]] = []
        self.section = 0  # glossary marks: a term is underlined once per section (heading to heading)

    # -- helpers -------------------------------------------------------------------------------
    def annotate(self, md: str, in_note: bool = False) -> str:
        if not self.annotate_on:
            return md
        section = "notes" if in_note else self.section
        out = self.ctx.annotator.annotate(md, self.path, section=section, in_note=in_note)
        return out.replace("{GLOSSARY_URL}", relative(self.path, GLOSSARY_PAGE))

    def out(self, text: str = "") -> None:
        self.lines.append(text)

    def anchor(self, text: str = "", line: int = 0, attrs: str = "") -> str:
        """The next paragraph anchor; ``text`` (the paragraph's plain words) is recorded in passages,
        ``line`` (where it starts in the source) in places; ``attrs``: more attributes for the
        paragraph (its printed pages, scripts/sources/pagination.py)."""
        self.paragraphs += 1
        self.passages[f"p{self.paragraphs}"] = " ".join(text.split())
        self.places.append((line, self.path, f"p{self.paragraphs}"))
        return f"{{: #p{self.paragraphs}{attrs} }}"

    def paragraph(self, para: Paragraph, prefix: str = "") -> None:
        attrs = paragraph_attrs(self, para.content)
        self.out(prefix + self.annotate(inline_markdown(para.content)))
        self.out(prefix + self.anchor(plain_text(para.content), para.line, attrs))
        self.out(prefix.rstrip())

    # -- blocks --------------------------------------------------------------------------------
    def part_text(self, part) -> None:
        """A part's text and its notes: a list of notes (the articles' endnotes) or Markdown
        footnotes placed under the Notes heading (the site and the EPUB write parts alike)."""
        self.blocks(part.blocks)
        if part.notes:
            self.out("## Notes")
            self.out()
            if part.notes_style == "list":
                self.note_list(part.notes)
            else:
                self.out("///Footnotes Go Here///")
                self.out()
                self.footnotes(part.notes)

    def blocks(self, blocks: list) -> None:
        for block in blocks:
            if hasattr(block, "render_markdown"):  # blocks of later stages (page markers, the book index)
                self.out(block.render_markdown(self))
                continue
            getattr(self, "block_" + type(block).__name__.lower())(block)

    def block_paragraph(self, b: Paragraph) -> None:
        self.paragraph(b)

    def block_heading(self, b: Heading) -> None:
        self.section += 1
        self.places.append((b.line, self.path, ""))
        self.out("#" * max(2, min(b.level, 4)) + " " + escape_text(b.text))
        self.out()

    def block_blockquote(self, b: BlockQuote) -> None:
        for i, para in enumerate(b.paragraphs):
            if i:
                self.out(">")
            attrs = paragraph_attrs(self, para.content)
            self.out("> " + self.annotate(inline_markdown(para.content)))
            self.out("> " + self.anchor(plain_text(para.content), para.line, attrs))
        self.out()

    def block_epigraph(self, b: Epigraph) -> None:
        self.out('<figure class="epigraph" markdown>')
        self.out('<blockquote markdown>')
        self.out()
        for para in b.paragraphs:
            self.paragraph(para)
        self.out("</blockquote>")
        attribution = "<br>".join(self.annotate(inline_html(a)) for a in b.attribution)
        self.out(f"<figcaption>—{attribution}</figcaption>")
        self.out("</figure>")
        self.out()

    def block_verse(self, b: Verse) -> None:
        self.out('<div class="verse" markdown>')
        self.out()
        for stanza in b.stanzas:
            self.out("  \n".join(escape_text(line) for line in stanza))
            self.out(self.anchor(" ".join(stanza).replace("*", ""), b.line))
            self.out()
        for line in b.attribution:
            self.out(f'<p class="verse-attribution">{inline_html(line)}</p>')
        self.out("</div>")
        self.out()

    def block_table(self, b: Table) -> None:
        ident = "table-" + "".join(ch for ch in b.label.lower() if ch.isalnum())
        self.out(f'<figure class="edition-table" id="{ident}" markdown>')
        caption = " ".join(self.annotate(inline_html(c)) for c in b.caption)
        self.out(f'<figcaption><strong>{inline_html(b.label)}</strong> {caption}</figcaption>')
        if b.damage:
            self.out(f'<p class="damage" role="note"><strong>Damaged in the source:</strong> {inline_html(b.damage)}</p>')
        self.out('<div class="table-scroll" tabindex="0" role="region" aria-label="' + inline_html(b.label) + ' (scrolls sideways)">')
        self.out("<table>")
        if b.header_rows:
            self.out("<thead>")
            for row in b.header_rows:
                self.out("<tr>" + "".join(f'<th scope="col">{self.cell(c)}</th>' for c in row) + "</tr>")
            self.out("</thead>")
        self.out("<tbody>")
        for row in b.rows:
            self.out("<tr>" + "".join(f"<td>{self.cell(c)}</td>" for c in row) + "</tr>")
        self.out("</tbody>")
        self.out("</table>")
        self.out("</div>")
        for note in b.notes:
            self.out(f'<p class="table-note">{self.annotate(inline_html(note))}</p>')
        self.out("</figure>")
        self.out()

    def cell(self, text: str) -> str:
        return self.annotate(inline_html(text))

    def block_figure(self, b: Figure) -> None:
        ident = "figure-" + "".join(ch for ch in b.label.lower() if ch.isdigit())
        self.out(f'<figure class="edition-figure" id="{ident}">')
        self.out('<div class="figure-missing" role="note">The image is not included in the source text '
                 'of this edition; only its caption and credit survive.</div>')
        credit = f' <span class="figure-credit">{inline_html(b.credit)}</span>' if b.credit else ""
        self.out(f"<figcaption><strong>{inline_html(b.label)}.</strong> {inline_html(b.caption)}{credit}</figcaption>")
        self.out("</figure>")
        self.out()

    def block_damage(self, b: Damage) -> None:
        self.out('!!! warning "Damaged or lost text"')
        self.out()
        self.out("    " + escape_text(b.description))
        self.out()

    def block_entrylist(self, b: EntryList) -> None:
        self.places.append((b.line, self.path, ""))  # no anchor: the apparatus links to the page
        levels = b.levels or [0] * len(b.items)
        for item, level in zip(b.items, levels):
            self.out("    " * level + "- " + escape_text(item))
        self.out()

    def block_definitionlist(self, b: DefinitionList) -> None:
        self.places.append((b.line, self.path, ""))
        for i, (term, definition) in enumerate(b.items):
            self.out(escape_text(term))
            self.out(":   " + escape_text(definition))
            if i in b.damage:  # the flag sits in the entry's own definition, beside the broken text
                self.out()
                self.out(f"    **Damaged in the source:** {escape_text(b.damage[i])}")
                self.out('    {: .damage role="note" }')
            self.out()

    # -- notes ---------------------------------------------------------------------------------
    def footnotes(self, notes: list[Note]) -> None:
        """Notes as Python-Markdown footnotes. The displayed number is the note's position, so the
        notes must be 1..N in order for it to equal the author's number (checked here)."""
        for i, note in enumerate(notes, 1):
            if note.label != str(i):
                raise ValueError(f"note {note.label} is at position {i}: footnote numbers would not match the author's")
            self.passages[f"fn:{note.label}"] = self.note_plain(note)
            self.places.append((note.line, self.path, f"fn:{note.label}"))
            self.out(f"[^{note.label}]: " + self.note_body(note, indent="    "))
            self.out()

    def note_list(self, notes: list[Note]) -> None:
        """Notes with no markers in the text (Hatch): a plain list, each with an anchor #note-N."""
        for note in notes:
            ident = "note-star" if note.label == "*" else f"note-{note.label}"
            label = "*" if note.label == "*" else f"{note.label}."
            self.passages[ident] = self.note_plain(note)
            self.places.append((note.line, self.path, ident))
            self.out(f'<div class="note-entry" id="{ident}" markdown>')
            self.out()
            self.out(f"**{escape_text(label)}** " + self.note_body(note, indent=""))
            self.out()
            self.out("</div>")
            self.out()

    def note_body(self, note: Note, indent: str) -> str:
        parts = []
        for block in note.blocks:
            if isinstance(block, Paragraph):
                parts.append(self.annotate(inline_markdown(block.content), in_note=True))
            elif isinstance(block, BlockQuote):
                for para in block.paragraphs:
                    parts.append("> " + self.annotate(inline_markdown(para.content), in_note=True))
            elif isinstance(block, Damage):
                parts.append("*[" + escape_text(block.description) + "]*")
            else:
                parts.append(escape_text(plain_text(getattr(block, "content", [])) or str(block)))
        return ("\n\n" + indent).join(parts)

    @staticmethod
    def note_plain(note: Note) -> str:
        """A note's words without markup (recorded in passages for quotation checks)."""
        words = []
        for block in note.blocks:
            if isinstance(block, Paragraph):
                words.append(plain_text(block.content))
            elif isinstance(block, BlockQuote):
                words += [plain_text(p.content) for p in block.paragraphs]
        return " ".join(" ".join(words).split())

    def text(self) -> str:
        return "\n".join(self.lines).rstrip() + "\n"


def front_matter(title: str, search_exclude: bool = False) -> str:
    return page_front_matter(title, search_exclude=search_exclude) + "\n"


def _short_part_label(nav: str) -> str:
    """ "4. The Drive to …" -> "ch. 4"; other parts keep their title."""
    number = nav.split(".", 1)[0]
    return f"ch. {number}" if number.isdigit() else nav


def rights_box(ctx: RenderContext, cite: bool = True) -> str:
    """The rights line: the licence kind only if the statement does not already say it (it said
    "All rights reserved" twice), and the licence's address as a link."""
    entry = ctx.entry
    kind = "CC BY 4.0 — open access" if entry["rights"] == "cc-by-4.0" else "All rights reserved"
    statement = escape_text(entry["rights_statement"])
    key = "CC BY 4.0" if entry["rights"] == "cc-by-4.0" else kind
    lead = "" if key.lower() in statement.lower() else f"{kind}. "
    statement = re.sub(r"(https?://[^\s<>()]*[^\s<>().,;:])", r"<\1>", statement)
    cite_as = f"\n**Cite as:** {ctx.citation}\n" if cite else ""   # a chapter is cited as the chapter (its Cite this)
    return f'<aside class="rights-note" markdown>\n**Rights:** {lead}{statement}\n{cite_as}</aside>\n'



RESERVED_SLUGS = {"index": "book-index", "about": "about-part"}  # index.md is the landing page, about.md the apparatus


def part_page_path(doc: Document, part: Part) -> str:
    if len(doc.parts) == 1:
        return f"readings/{doc.id}/index.md"
    return f"readings/{doc.id}/{RESERVED_SLUGS.get(part.slug, part.slug)}.md"


def part_nav_title(part: Part) -> str:
    return f"{part.number}. {part.title}" if part.number else part.title


def render_part(doc: Document, part: Part, ctx: RenderContext, path: str, landing: str = "") -> Page:
    """One part as one page; for single-part articles ``landing`` (header, abstract) comes first."""
    w = PageWriter(path, ctx, annotate=part.annotate)
    title = part_nav_title(part) if not landing else doc.title
    w.out(front_matter(title, search_exclude=not part.in_search).rstrip("\n"))
    w.out()
    if landing:
        w.out(landing)
    else:
        heading = f"{part.number}. {part.title}" if part.number else part.title
        w.out(f"# {escape_text(heading)}")
        w.out()
        w.out(f'<p class="reading-source">From <em>{inline_html(doc.title)}</em> by {inline_html(", ".join(doc.authors))} · '
              f'{printed_pages_label(doc, part.slug, "printed pages {} · ")}'
              f'<a href="{relative(path, f"readings/{doc.id}/about.md")}">About this text</a></p>')
        w.out()
        if part.kind in downloads.PDF_KINDS and printed(ctx):   # its EPUB and PDF (scripts/formats/)
            w.out(downloads.links_html(path, doc.id, downloads.pdf_file(doc.id, part.slug, False), "book"))
        if part.kind == "body":
            w.out(GUIDE_SLOT)   # the reading guide goes here (scripts/course/guides.py)
            w.out()
    if landing and doc.abstract:
        w.out(f'!!! abstract "{doc.abstract_label}"')
        w.out()
        for para in doc.abstract:
            w.out("    " + w.annotate(inline_markdown(para.content)))
            w.out("    " + w.anchor(plain_text(para.content), para.line))
            w.out()
    if ctx.public and not ctx.entry.get("public_full_text", False):
        w.out('!!! info "Not in the public-web edition"')
        w.out()
        w.out("    This text is not licensed for republication, so the public-web edition shows only its "
              "citation and extract. The classroom edition (the default build) includes the full text.")
        w.out()
    else:
        w.part_text(part)
    if len(doc.parts) == 1:
        w.out(apparatus_md.render(doc, ctx, path, apparatus_md.Places(w.places), {}, heading_level=2))
    w.out(rights_box(ctx, cite=bool(landing)))
    page = Page(path, title, w.text(), nav_title=part_nav_title(part) if not landing else "", passages=w.passages,
                places=w.places)
    page.printed = getattr(w, "printed", {})  # paragraph anchor -> [first, last printed page]
    page.page_anchors = getattr(w, "page_anchors", {})  # printed page -> anchor of the paragraph it starts in
    return page


def printed(ctx: RenderContext) -> bool:
    """Whether this edition prints the reading's text (the public-web edition withholds unlicensed ones)."""
    return not ctx.public or bool(ctx.entry.get("public_full_text", False))


def fact_text(value) -> str:
    """A metadata value (string, list or mapping, as parsers record them) as one line of text."""
    if isinstance(value, dict):
        return ", ".join(fact_text(v) for v in value.values() if v)
    if isinstance(value, (list, tuple)):
        return "; ".join(fact_text(v) for v in value)
    return str(value)


def landing_header(doc: Document, ctx: RenderContext, contents: list[tuple[str, str]] | None) -> str:
    lines = [f"# {escape_text(doc.title)}", ""]
    if doc.subtitle:
        lines += [f'<p class="subtitle">{inline_html(doc.subtitle)}</p>', ""]
    lines += [f'<p class="byline">{inline_html(", ".join(doc.authors))}</p>', ""]
    if doc.metadata:
        lines += ['<details class="source-facts"><summary>Details printed in the source</summary><dl>']
        for key, value in doc.metadata.items():
            lines.append(f"<dt>{inline_html(key.replace('_', ' ').capitalize())}</dt><dd>{inline_html(fact_text(value))}</dd>")
        lines += ["</dl></details>", ""]
    if ctx.entry.get("description"):
        lines += [f'<p class="reading-description">{inline_html(ctx.entry["description"])}</p>', ""]
    if ctx.entry.get("extent"):
        lines += [f'<p class="reading-extent"><strong>On this page: {inline_html(ctx.entry["extent"])}</strong>, '
                  "not the whole text.</p>", ""]
    lines += ['!!! quote "Cite this text"', "", "    " + ctx.citation, ""]
    if printed(ctx):                      # its EPUB and, for an article, its PDF (scripts/formats/)
        single = len(doc.parts) == 1
        pdf = downloads.pdf_file(doc.id, doc.parts[0].slug, True) if single and \
            doc.parts[0].kind in downloads.PDF_KINDS else None
        lines += [downloads.links_html(f"readings/{doc.id}/index.md", doc.id, pdf, "article" if single else "book")]
    lines += [GUIDE_SLOT, ""]   # the reading guide goes here (scripts/course/guides.py)
    if contents:
        lines += ["## Contents", ""]
        lines += [f"- [{escape_text(t)}]({href})" for t, href in contents]
        lines += [""]
    return "\n".join(lines)


def render_document(doc: Document, ctx: RenderContext) -> list[Page]:
    """All pages of one reading (landing page, parts, About this text)."""
    if len(doc.parts) == 1:
        path = part_page_path(doc, doc.parts[0])
        landing = landing_header(doc, ctx, None)
        return [render_part(doc, doc.parts[0], ctx, path, landing=landing)]
    pages = []
    contents = [(part_nav_title(p) + printed_pages_label(doc, p.slug, " (pp. {})"), posixpath.basename(part_page_path(doc, p)))
                for p in doc.parts]
    contents.append(("About this text", "about.md"))
    landing = PageWriter(f"readings/{doc.id}/index.md", ctx, annotate=False)
    landing.out(front_matter(doc.title).rstrip("\n"))
    landing.out()
    landing.out(landing_header(doc, ctx, contents))
    if not ctx.public or ctx.entry.get("public_full_text", False):
        landing.out(goto_page_box(doc))
    landing.out(rights_box(ctx))
    pages.append(Page(landing.path, doc.title, landing.text(), nav_title="Overview"))
    for part in doc.parts:
        pages.append(render_part(doc, part, ctx, part_page_path(doc, part)))
    about = PageWriter(f"readings/{doc.id}/about.md", ctx, annotate=False)
    about.out(front_matter(f"About this text: {doc.title}", search_exclude=True).rstrip("\n"))
    about.out()
    about.out("# About this text")
    about.out()
    places = apparatus_md.Places([p for page in pages for p in page.places])
    titles = {page.path: _short_part_label(page.nav_title or page.title) for page in pages}
    about.out(apparatus_md.render(doc, ctx, about.path, places, titles, heading_level=1, with_heading=False))
    about.out(rights_box(ctx))
    pages.append(Page(about.path, "About this text", about.text(), nav_title="About this text"))
    return pages
