"""The document model every stage of the pipeline reads and writes.

Parsers turn a source file into a :class:`Document`; they know nothing of Markdown. The renderer
turns a Document into Markdown pages; it knows nothing of source formats.

Inline text convention
----------------------
Running text is a list of *segments*: plain ``str`` pieces and :class:`NoteRef` markers. Inside a
``str``, ``*italic*`` and ``**bold**`` keep their Markdown meaning (the sources already use that
convention); every other character is literal text, which the renderer escapes. Parsers therefore
never escape anything, and never emit HTML.

Every block carries ``line``: the 1-based line number in the source file where it starts, so the
editorial apparatus and error messages can point at the source.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Union

if TYPE_CHECKING:  # the types of what later stages attach; never imported at run time
    from scripts.sources.book_index import IndexBlock
    from scripts.sources.pagination import Pagination


@dataclass
class NoteRef:
    """A note marker in running text. ``label`` is the author's own number ("4"), or "*"."""

    label: str


Inline = Union[str, NoteRef]


@dataclass
class Paragraph:
    content: list[Inline]
    line: int = 0


@dataclass
class Heading:
    """A section heading inside a part. ``level`` 2 is a section; 3 a sub-section."""

    text: str
    level: int = 2
    line: int = 0


@dataclass
class BlockQuote:
    paragraphs: list[Paragraph]
    line: int = 0


@dataclass
class Verse:
    """A poem: stanzas of lines. Rendered with line breaks kept."""

    stanzas: list[list[str]]
    attribution: list[str] = field(default_factory=list)
    line: int = 0


@dataclass
class Epigraph:
    """Quotation(s) at the head of a chapter, with the attribution lines (possibly two)."""

    paragraphs: list[Paragraph]
    attribution: list[str]
    line: int = 0


@dataclass
class Table:
    """A table. ``header_rows`` and ``rows`` are lists of cell strings (same inline convention).

    ``damage`` describes what is lost or unreliable (e.g. "the first part of this table is lost");
    the renderer shows it in a visible warning box. ``notes`` are the table's own notes
    (``*This includes Karalia.``), kept verbatim.
    """

    label: str
    caption: list[str]
    header_rows: list[list[str]]
    rows: list[list[str]]
    notes: list[str] = field(default_factory=list)
    damage: str = ""
    line: int = 0


@dataclass
class Figure:
    """A figure whose image is not in the source: caption and credit only."""

    label: str
    caption: str
    credit: str = ""
    line: int = 0


@dataclass
class Damage:
    """A visible flag for a damaged or lost passage. Never replaced by invented text."""

    description: str
    line: int = 0


@dataclass
class EntryList:
    """A list of short entries (bibliography items, index entries). ``level`` per item (0 or 1)."""

    items: list[str]
    levels: list[int] = field(default_factory=list)
    line: int = 0


@dataclass
class DefinitionList:
    """Term/definition pairs (Viola's own glossary). ``damage[i]`` flags item ``i`` as damaged in
    the source (shown beside that definition, never replacing it)."""

    items: list[tuple[str, str]]
    line: int = 0
    damage: dict[int, str] = field(default_factory=dict)


Block = Union[Paragraph, Heading, BlockQuote, Verse, Epigraph, Table, Figure, Damage, EntryList, DefinitionList]


@dataclass
class Note:
    """One note. ``label`` is the author's number as printed ("37"), or "*" for an unnumbered note.

    ``blocks`` holds its paragraphs (a note may continue with a block quotation).
    """

    label: str
    blocks: list[Block]
    line: int = 0


@dataclass
class Part:
    """One page of a reading: a chapter, the introduction, the front or back matter, an article.

    ``slug`` is the page file name without ``.md`` ("chapter-4"). ``kind`` is one of
    "front", "body", "back", "article". ``notes_style`` is "footnotes" (markers link to notes
    both ways) or "list" (a note list with no markers in the text, as for Hatch).
    ``in_search`` is False for pages that should stay out of the search index (index, bibliography).
    """

    slug: str
    title: str
    kind: str
    blocks: list[Block] = field(default_factory=list)
    notes: list[Note] = field(default_factory=list)
    number: str = ""
    notes_style: str = "footnotes"
    in_search: bool = True
    annotate: bool = True
    line: int = 0


@dataclass
class Edit:
    """One entry of the editorial log: what the edition changed and why.

    kind: "removal" (chrome, artifacts: ``before`` holds the removed text), "join" (a paragraph
    rejoined across a page break: ``before`` is the end of the first half, ``after`` the join),
    "correction" (``before`` -> ``after``), "damage" (flagged, nothing changed) or "warning".
    ``rule`` names the rule function or the corrections-file entry that made the change.
    """

    kind: str
    rule: str
    line: int
    before: str = ""
    after: str = ""
    note: str = ""


@dataclass
class Document:
    """A whole reading.

    ``front`` holds what the landing page shows besides the citation: for an article with an
    abstract or extract, those paragraphs (also used by the public-web edition).
    """

    id: str
    title: str
    authors: list[str]
    parts: list[Part]
    subtitle: str = ""
    abstract: list[Paragraph] = field(default_factory=list)
    abstract_label: str = "Abstract"
    metadata: dict[str, str] = field(default_factory=dict)
    edits: list[Edit] = field(default_factory=list)
    #: The printed pages of a book whose Contents the parser kept (Viola), set by
    #: :func:`scripts.sources.pagination.paginate`; None for texts without printed pages.
    pagination: Pagination | None = None
    #: The book's Index as linked entries, set by :func:`scripts.sources.book_index.structure_index`.
    book_index: IndexBlock | None = None
    #: Lines of the build report on the Index's accuracy (same stage).
    index_report: list[str] = field(default_factory=list)

    def log(self, kind: str, rule: str, line: int, before: str = "", after: str = "", note: str = "") -> None:
        self.edits.append(Edit(kind, rule, line, before, after, note))


@dataclass
class Page:
    """One generated Markdown file. ``path`` is relative to docs/."""

    path: str
    title: str
    markdown: str
    nav_title: str = ""
    passages: dict[str, str] = field(default_factory=dict)  # anchor ("p12", "fn:3", "note-5") -> plain text
    places: list[tuple[int, str, str]] = field(default_factory=list)  # (source line, page, anchor), for the apparatus


@dataclass
class Reading:
    """One reading as the build carries it after parsing: its document, its manifest entry
    (sources/sources.yml: id, parser, rights, bibkey…) and the placeholder of its citation.

    Iterating gives ``(doc, entry, cite)``, so ``for doc, entry, cite in readings`` reads as before."""

    doc: Document
    entry: dict
    cite: str

    @property
    def id(self) -> str:
        return self.doc.id

    def __iter__(self):
        return iter((self.doc, self.entry, self.cite))
