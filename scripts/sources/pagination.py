"""Stage: the printed page numbers of Viola's book, inferred from the evidence the source keeps.

The text conversion lost the page numbers, but it kept two kinds of evidence:

* the **Contents** gives the first page of every part (Introduction 3, ch. 1 8, … Notes 219), so
  each part's page count is known exactly (ch. 1: 36 − 8 = 28 pages, i.e. 27 page breaks);
* a page that ended **mid-sentence** left a blank line inside the paragraph. The Viola parser
  rejoins those halves (rule ``rejoin_page_break``) and ``mark_split`` leaves a sentinel where the
  second half begins, which becomes a :class:`PageBreak` in the paragraph's text: a **certain**
  page start, exactly at the split.

A page that ended at the end of a paragraph (or of a sentence that ended a source line) left no
trace; those page starts are **inferred**. Between two certain breaks (or a part's start and its
first certain break, or its last one and the part's end) the number of missing breaks is chosen
so that the pages are as close as possible to the book's measured page length, while the part's
page count equals the Contents exactly; each inferred break is then placed at the block boundary
(the source keeps every paragraph end) nearest to its evenly spaced position. Section headings,
tables, block quotations, epigraphs and the chapter opening take page space: their weights, in
words, are the constants below (set by hand and checked against the certain breaks: with them the
one-page spacings cluster at 460–560 words); the page length itself is measured (``calibrate``).

The result lives on the Document as ``doc.pagination`` (a :class:`Pagination`), and is rendered as
DPUB-ARIA page markers (``<page-break role="doc-pagebreak" id="page-37" aria-label="Page 37">``: the
number itself is drawn by CSS from ``data-page``, so searching and copying the text never meet it).
``build/pages.json`` exposes it to the other stages (page starts, paragraph anchor -> pages).
"""
from __future__ import annotations

import html
import json
import re
from dataclasses import dataclass, field
from pathlib import Path


from scripts.core.datafile import Strict, Text, load_yaml, schema_for
from scripts.core.errors import BuildError
from scripts.core.model import BlockQuote, Document, Epigraph, Heading, Paragraph, Part, Table

SENTINEL = re.compile("\ue000(\\d+)\ue001")

# Page space, in words of running text, taken by what is not running text (measured; see calibrate()).
WORDS_PER_PAGE = 470.0     # a full page of running text (median spacing of the certain breaks: 474)
PARAGRAPH_END = 5.0        # the unfilled last line and indent of a paragraph
HEADING = 40.0             # a section heading with its space above and below
BLOCKQUOTE_EXTRA = 12.0    # space around a block quotation (its words count 1.1 each: smaller type, indented)
BLOCKQUOTE_FACTOR = 1.1
TABLE_ROW = 9.0            # one table row, caption line or table note line
TABLE_EXTRA = 30.0
PART_OPENING = 150.0       # chapter number, title and sink on a part's first page
EPIGRAPH_FACTOR = 1.2

BODY_SLUGS = ["introduction"] + [f"chapter-{i}" for i in range(1, 8)] + ["conclusion"]


# ---- marks left by the parser ------------------------------------------------------------------
def mark_split(before: str, joined: str, line: int) -> str:
    """Leave a sentinel in ``joined`` where the second half of a page-break join begins.

    ``before`` is the paragraph before the join, ``joined`` the result of ``join_split``. After a
    join with a space the page starts at the next word; after a hyphenated word split
    (``de-`` + ``tachments``) the page turned inside the word, and the mark goes after the word so
    that the word stays whole for searching and copying.
    """
    pos = len(before) + 1 if joined.startswith(before + " ") else max(0, len(before) - 1)
    if not joined.startswith(before + " "):
        m = re.compile(r"\s").search(joined, pos)
        pos = m.end() if m else len(joined)
    return joined[:pos] + f"\ue000{line}\ue001" + joined[pos:]


@dataclass
class PageBreak:
    """A page start inside a paragraph's text (inline segment). ``line``: the source line where the
    page-final half of the split paragraph stands (0 for an inferred break)."""

    line: int
    page: int = 0
    kind: str = "certain"   # "certain" (at a mid-sentence split) or "inferred"

    def markdown(self) -> str:
        return marker_html(self.page, self.kind)


@dataclass
class PageMarker:
    """A page start between blocks: a part's first page (from the Contents) or an inferred break."""

    page: int
    kind: str               # "contents" or "inferred"
    line: int = 0
    cite: str = ""          # the part's first marker: "Viola, Best Sons" (data/pages/<id>.yml)

    def render_markdown(self, writer) -> str:
        writer.page = self.page
        _note_anchor(writer, self.page, f"p{writer.paragraphs + 1}")
        return f'<div class="pb-line">{marker_html(self.page, self.kind, self.cite)}</div>\n'


def split_sentinels(text: str) -> list:
    """``text`` as str pieces and PageBreak objects (one per sentinel left by mark_split)."""
    out: list = []
    pos = 0
    for m in SENTINEL.finditer(text):
        if m.start() > pos:
            out.append(text[pos:m.start()])
        out.append(PageBreak(int(m.group(1))))
        pos = m.end()
    if pos < len(text) or not out:
        out.append(text[pos:])
    return out


TOOLTIPS = {
    "certain": "Page {p} begins here (certain: the source splits the paragraph at this point)",
    "contents": "Page {p}: the first page of this part, as given in the book's Contents",
    "inferred": "Page {p}: page break inferred; may be off by a few lines",
}


# The marker element. Not <span>: axe-core (4.x) checks aria-label against a span's own naming rule
# without looking at DPUB roles, and reports every <span role="doc-pagebreak" aria-label> as a
# serious violation; an autonomous custom element (valid HTML, inline by default) carries the
# same role and label and passes. (<hr role="doc-pagebreak"> cannot stand inside a paragraph.)
MARKER_TAG = "page-break"


def marker_html(page: int, kind: str, cite: str = "") -> str:
    """An empty DPUB-ARIA page-break element; CSS shows ``data-page`` (never part of the text).
    ``cite`` (on a part's first marker): the short citation its paragraphs are cited by."""
    label = f"Page {page}" + (", inferred" if kind == "inferred" else "")
    extra = f' data-cite="{html.escape(cite, quote=True)}"' if cite else ""
    return (f'<{MARKER_TAG} class="pb pb-{kind}" role="doc-pagebreak" id="page-{page}" data-page="{page}"{extra} '
            f'aria-label="{label}" title="{TOOLTIPS[kind].format(p=page)}"></{MARKER_TAG}>')


# ---- the inference -----------------------------------------------------------------------------
@dataclass
class Break:
    """One page start of a part as inferred: where it is (in words from the part's start)."""

    page: int
    kind: str               # contents | certain | inferred
    pos: float
    line: int = 0
    ideal: float = 0.0      # inferred breaks: the evenly spaced position before snapping
    marker: "PageBreak | None" = None   # the inline marker it is rendered by (None: a PageMarker block)
    anchor: str = ""        # the paragraph anchor it falls in or before (filled in by the renderer)


@dataclass
class PartPages:
    slug: str
    first: int
    last: int
    breaks: list[Break] = field(default_factory=list)
    total: float = 0.0      # the part's length in weighted words


@dataclass
class Pagination:
    parts: dict[str, PartPages]
    contents: dict[str, int]     # part slug (and "notes", "glossary", ...) -> first page
    capacity: float = WORDS_PER_PAGE  # measured words per page
    short_cite: str = ""              # "Viola, *Best Sons*" (data/pages/<id>.yml)
    notes: dict[int, tuple[str, str]] = field(default_factory=dict)  # notes page -> (part slug, first note)

    def part_of_page(self, page: int) -> PartPages | None:
        for pp in self.parts.values():
            if pp.first <= page <= pp.last:
                return pp
        return None


_SLUG = {"Introduction": "introduction", "Conclusion": "conclusion", "Notes": "notes", "Glossary": "glossary",
         "A Note on Sources": "note-on-sources", "Bibliography": "bibliography", "Index": "index"}


def contents_pages(contents: str) -> dict[str, int]:
    """The Contents as recorded by the parser ("Introduction, 3; 1. Workers …, 8; …") -> slug: page."""
    out: dict[str, int] = {}
    for entry in contents.split("; "):
        title, _, page = entry.rpartition(", ")
        m = re.match(r"(\d+)\. ", title)
        slug = f"chapter-{m.group(1)}" if m else _SLUG.get(title, "")
        if slug and page.isdigit():
            out[slug] = int(page)
    return out


@dataclass
class _Slot:
    """A place where an inferred page may start: before top-level block ``index``."""

    pos: float
    index: int


def _words(text: str) -> int:
    return len(text.replace("*", "").split())


@dataclass
class _Sentence:
    """A sentence end inside a top-level paragraph: the fallback place for an inferred page when
    no paragraph boundary is near (one long paragraph filling a page)."""

    pos: float
    para: Paragraph
    seg: int
    offset: int


SENTENCE_END = re.compile(r"[.!?][\"”’')\]]*\s+(?=[\"“‘(]?[A-Z])")


def _stream(part: Part, lost_page: float = 0.0) -> tuple[list[_Slot], list[tuple[float, PageBreak]], float, list[_Sentence]]:
    """Walk a part: candidate slots (block starts), certain breaks with their positions, length,
    and the sentence ends of top-level paragraphs."""
    pos = PART_OPENING
    slots: list[_Slot] = []
    certain: list[tuple[float, PageBreak]] = []
    sentences: list[_Sentence] = []

    def para(p: Paragraph, factor: float = 1.0, top: bool = False) -> None:
        nonlocal pos
        for k, seg in enumerate(p.content):
            if isinstance(seg, str):
                if top:
                    for m in SENTENCE_END.finditer(seg):
                        sentences.append(_Sentence(pos + _words(seg[:m.end()]) * factor, p, k, m.end()))
                pos += _words(seg) * factor
            elif isinstance(seg, PageBreak):
                certain.append((pos, seg))
        pos += PARAGRAPH_END

    for i, block in enumerate(part.blocks):
        if isinstance(block, PageMarker):
            continue
        if isinstance(block, Table) and block.damage and "lost" in block.damage:
            pos += lost_page  # the lost first part of a table "(Continued)" filled the page before it
        if i:
            slots.append(_Slot(pos, i))
        if isinstance(block, Paragraph):
            para(block, top=True)
        elif isinstance(block, Heading):
            pos += HEADING
        elif isinstance(block, BlockQuote):
            pos += BLOCKQUOTE_EXTRA
            for p in block.paragraphs:
                para(p, BLOCKQUOTE_FACTOR)
        elif isinstance(block, Epigraph):
            for p in block.paragraphs:
                para(p, EPIGRAPH_FACTOR)
            pos += 10 * len(block.attribution)
        elif isinstance(block, Table):
            pos += TABLE_EXTRA + TABLE_ROW * (len(block.rows) + len(block.header_rows) + len(block.caption)
                                              + 2 * len(block.notes))
    return slots, certain, pos, sentences


def calibrate(doc: Document) -> float:
    """The page length in words, measured: the median spacing of consecutive certain breaks that
    are one page apart (spacings within ±25% of the median of all spacings; the others span two or
    more pages whose inner breaks left no trace)."""
    spacings: list[float] = []
    for part in doc.parts:
        if part.kind == "body":
            _, certain, _, _ = _stream(part)
            spacings += [b - a for (a, _), (b, _) in zip(certain, certain[1:])]
    if not spacings:
        return WORDS_PER_PAGE
    spacings.sort()
    mid = spacings[len(spacings) // 2]
    single = [g for g in spacings if 0.75 * mid <= g <= 1.25 * mid]
    return single[len(single) // 2]


def _gap_pages(width: float, last: bool, capacity: float) -> list[tuple[int, float]]:
    """(pages in a stretch, cost) for the plausible page counts of one stretch between page starts.

    A stretch between two page starts costs the squared difference between its pages' length and
    the measured page length, per page. The part's last stretch ends on a page that may be partly
    empty: it costs nothing as long as the last page holds between 10% and 100% of a page.
    """
    options = []
    for k in range(1, int(width / capacity) + 3):
        if last:
            fill = width - (k - 1) * capacity
            low, high = 0.1 * capacity, 1.03 * capacity
            cost = 0.0 if low <= fill <= high else min(abs(fill - low), abs(fill - high)) ** 2
        else:
            cost = k * (width / k - capacity) ** 2
        options.append((k, cost))
    return options


def _choose(gaps: list[float], pages: int, capacity: float) -> list[int]:
    """Pages per stretch (each ≥ 1) summing to ``pages`` exactly, at the least total cost."""
    best: dict[int, tuple[float, list[int]]] = {0: (0.0, [])}
    for j, width in enumerate(gaps):
        nxt: dict[int, tuple[float, list[int]]] = {}
        for used, (cost, ks) in best.items():
            for k, c in _gap_pages(width, j == len(gaps) - 1, capacity):
                if used + k <= pages and (used + k not in nxt or cost + c < nxt[used + k][0]):
                    nxt[used + k] = (cost + c, ks + [k])
        best = nxt
    if pages not in best:
        raise PaginationError(f"the {len(gaps) - 1} page breaks found in the text cannot fit the {pages} pages "
                              "the Contents give this part")
    return best[pages][1]


SNAP_LIMIT = 0.2   # of a page: farther than this from a paragraph boundary, use a sentence end


def paginate_part(part: Part, first: int, last: int, capacity: float) -> PartPages:
    """Assign every page start of one part (pages ``first``..``last``).

    Inserts a PageMarker for the part's first page and for each inferred page that starts at a
    block boundary, an inferred PageBreak where it starts at a sentence end, and numbers all the
    PageBreaks in order.
    """
    slots, certain, total, sentences = _stream(part, capacity)
    edges = [0.0] + [p for p, _ in certain] + [total]
    counts = _choose([b - a for a, b in zip(edges, edges[1:])], last - first + 1, capacity)
    breaks: list[Break] = [Break(first, "contents", 0.0, part.line)]
    at_block: dict[int, Break] = {}
    inline: list[tuple[_Sentence, PageBreak]] = []
    for j, k in enumerate(counts):
        a, b = edges[j], edges[j + 1]
        if j == len(counts) - 1:
            ideals = [a + i * capacity for i in range(1, k)]
        else:
            ideals = [a + i * (b - a) / k for i in range(1, k)]
        floor = a
        for ideal in ideals:
            inside = [s for s in slots if floor < s.pos < b]
            slot = min(inside, key=lambda s: abs(s.pos - ideal), default=None)
            if slot is None or abs(slot.pos - ideal) > SNAP_LIMIT * capacity:
                near = [s for s in sentences if floor < s.pos < b]
                sent = min(near, key=lambda s: abs(s.pos - ideal), default=None)
                if sent is not None and (slot is None or abs(sent.pos - ideal) < abs(slot.pos - ideal)):
                    pb = PageBreak(0, kind="inferred")
                    inline.append((sent, pb))
                    br = Break(0, "inferred", sent.pos, ideal=ideal)
                    breaks.append(br)
                    floor = sent.pos
                    br.marker = pb
                    continue
            if slot is None:
                raise PaginationError(f"no paragraph or sentence end between words {a:.0f} and {b:.0f} "
                                      "where an inferred page could start")
            br = Break(0, "inferred", slot.pos, ideal=ideal)
            at_block[slot.index] = br
            breaks.append(br)
            floor = slot.pos
        if j < len(certain):
            br = Break(0, "certain", certain[j][0], certain[j][1].line)
            br.marker = certain[j][1]
            breaks.append(br)
    breaks.sort(key=lambda br: br.pos)
    for n, br in enumerate(breaks):
        br.page = first + n
        if br.marker is not None:
            br.marker.page = br.page
    # inline inferred breaks: split the text segment at the sentence end (last first, offsets stay valid)
    for sent, pb in sorted(inline, key=lambda x: (id(x[0].para), x[0].seg, x[0].offset), reverse=True):
        seg = sent.para.content[sent.seg]
        sent.para.content[sent.seg:sent.seg + 1] = [seg[:sent.offset], pb, seg[sent.offset:]]
    blocks: list = [PageMarker(first, "contents", part.line)]
    for i, block in enumerate(part.blocks):
        if i in at_block:
            blocks.append(PageMarker(at_block[i].page, "inferred"))
        blocks.append(block)
    part.blocks = blocks
    if breaks[-1].page != last:
        raise PaginationError(f"the last page start is {breaks[-1].page}, the Contents say {last}")
    return PartPages(part.slug, first, last, breaks=breaks, total=total)


class PaginationError(Exception):
    """The evidence does not fit the Contents (a changed source or parser); see paginate()."""


def paginate(doc: Document, source: Path | str, data_dir: Path) -> Pagination | None:
    """Paginate the body parts of a book whose parser recorded its Contents; None otherwise.

    Evidence that cannot fit the Contents stops the build at the part's heading line in ``source``."""
    if "contents" not in doc.metadata:
        return None
    contents = contents_pages(doc.metadata["contents"])
    order = sorted(contents.items(), key=lambda kv: kv[1])
    nxt = {slug: order[i + 1][1] for i, (slug, _) in enumerate(order[:-1])}
    capacity = calibrate(doc)
    parts: dict[str, PartPages] = {}
    for part in doc.parts:
        if part.slug in contents and part.kind == "body" and part.slug in nxt:
            try:
                parts[part.slug] = paginate_part(part, contents[part.slug], nxt[part.slug] - 1, capacity)
            except PaginationError as exc:
                raise BuildError(source or doc.id, part.line, f"printed pages of {part.slug}: {exc}",
                                 "check the part's page in the Contents and the page-break joins listed in "
                                 "build/report.md (rule rejoin_page_break)") from None
    pag = Pagination(parts, contents, capacity=capacity)
    pag.notes = notes_pages(doc, contents)
    settings = data_dir / f"{doc.id}.yml"
    if settings.exists():
        pag.short_cite = load_yaml(settings, PageSettings).short_cite
        for part in doc.parts:
            if part.slug in parts and isinstance(part.blocks[0], PageMarker):
                part.blocks[0].cite = pag.short_cite.replace("*", "")
    doc.pagination = pag
    return pag


NOTES_GROUP_HEADING = 40.0   # "Chapter 4" heading of a notes group, with its space
NOTE_START = 4.0             # a note's number, indent and unfilled last line


def notes_pages(doc: Document, contents: dict[str, int]) -> dict[int, tuple[str, str]]:
    """The Notes' printed pages, inferred from the Contents and the notes' lengths.

    The Notes run from the page the Contents give ("Notes, 219") to the page before the next
    section ("Glossary, 257"), part after part in order. Each page is given to the part and note
    printed at its top, placing the notes at their share of those pages in words. Returns
    page -> (part slug, label of the note at the top of the page). An estimate (±1 page): the
    Notes keep only 11 page-break splits, too few to anchor each page.
    """
    if "notes" not in contents:
        return {}
    later = sorted(p for p in contents.values() if p > contents["notes"])
    if not later:
        return {}
    first, last = contents["notes"], later[0] - 1
    starts: list[tuple[float, str, str]] = []
    pos = 0.0
    for part in doc.parts:
        if part.kind != "body" or not part.notes:
            continue
        pos += NOTES_GROUP_HEADING
        for note in part.notes:
            starts.append((pos, part.slug, note.label))
            words = 0
            for block in note.blocks:
                for p in getattr(block, "paragraphs", [block]):
                    words += sum(_words(seg) for seg in getattr(p, "content", []) if isinstance(seg, str))
            pos += words + NOTE_START
    if not starts:
        return {}
    per_page = pos / (last - first + 1)
    out: dict[int, tuple[str, str]] = {}
    k = 0
    for page in range(first, last + 1):
        top = (page - first) * per_page
        while k + 1 < len(starts) and starts[k + 1][0] <= top:
            k += 1
        out[page] = (starts[k][1], starts[k][2])
    return out


@schema_for("data/pages/*.yml")
class PageSettings(Strict):
    """data/pages/<id>.yml: how a paragraph is cited by printed page."""

    short_cite: Text


# ---- for the renderer ------------------------------------------------------------------------------
def paragraph_attrs(writer, content: list) -> str:
    """`` data-page="112"`` (and ``data-page-end``) for a paragraph anchor; tracks the current page.

    ``writer`` is the renderer's PageWriter; ``writer.page`` is the page at the paragraph's start
    (set by PageMarker blocks), advanced by the PageBreaks inside the paragraph. The writer also
    collects ``printed`` (anchor -> [first, last page]) and ``page_anchors`` (page -> anchor).
    """
    start = getattr(writer, "page", None)
    if start is None:
        return ""
    anchor = f"p{writer.paragraphs + 1}"
    end = start
    for seg in content:
        if isinstance(seg, PageBreak):
            end = seg.page
            _note_anchor(writer, seg.page, anchor)
    writer.page = end
    if not hasattr(writer, "printed"):
        writer.printed = {}
    writer.printed[anchor] = [start, end]
    return f' data-page="{start}"' + (f' data-page-end="{end}"' if end != start else "")


def _note_anchor(writer, page: int, anchor: str) -> None:
    if not hasattr(writer, "page_anchors"):
        writer.page_anchors = {}
    writer.page_anchors.setdefault(page, anchor)


def page_words(part: Part) -> dict[int, list[str]]:
    """The words printed on each page of a paginated part (for the index accuracy measure)."""
    out: dict[int, list[str]] = {}
    page = 0

    def add(text: str) -> None:
        out.setdefault(page, []).extend(text.replace("*", "").split())

    def para(p: Paragraph) -> None:
        nonlocal page
        for seg in p.content:
            if isinstance(seg, str):
                add(seg)
            elif isinstance(seg, PageBreak):
                page = seg.page

    for block in part.blocks:
        if isinstance(block, PageMarker):
            page = block.page
        elif isinstance(block, Paragraph):
            para(block)
        elif isinstance(block, (BlockQuote, Epigraph)):
            for p in block.paragraphs:
                para(p)
            for line in getattr(block, "attribution", []):
                add(line)
        elif isinstance(block, Heading):
            add(block.text)
        elif isinstance(block, Table):
            for row in [block.caption, *block.header_rows, *block.rows, block.notes]:
                for cell in row:
                    add(cell)
    return out


def printed_range(part_slug: str, root: Path, text_id: str = "viola") -> tuple[int, int]:
    """(first, last) printed page of a part ("chapter-2" -> (36, 73)).

    Read from ``pages.json`` in ``root`` (default: build/), which every build writes: a query for
    tools and tests after a build. The build's own stages read ``doc.pagination`` instead."""
    data = json.loads((root / "pages.json").read_text("utf-8"))
    part = data[text_id]["parts"][part_slug]
    return part["first"], part["last"]


def page_label(first: int, last: int) -> str:
    """"112" or "112–113" (a paragraph or part running over several pages)."""
    return str(first) if first == last else f"{first}–{last}"


# ---- landing page and part pages ----------------------------------------------------------------------
def part_range(doc: Document, slug: str) -> tuple[int, int] | None:
    """(first, last) printed page of any part the Contents list; None if unknown."""
    pag = doc.pagination
    if pag is None:
        return None
    if slug in pag.parts:
        return pag.parts[slug].first, pag.parts[slug].last
    if slug not in pag.contents:
        return None
    later = [p for p in pag.contents.values() if p > pag.contents[slug]]
    return (pag.contents[slug], min(later) - 1) if later else (pag.contents[slug], 0)


def printed_pages_label(doc: Document, slug: str, fmt: str) -> str:
    """``fmt`` filled with the part's printed pages ("36–73", "281 ff." for the last part), or ""."""
    rng = part_range(doc, slug)
    if rng is None:
        return ""
    first, last = rng
    return fmt.format(f"{first} ff." if not last else page_label(first, last))


def goto_page_box(doc: Document) -> str:
    """The landing page's "Go to page" form (assets/javascripts/pages.js); its page map is in the
    page itself, so it works from file:// in the offline bundle too."""
    pag = doc.pagination
    if pag is None:
        return ""
    ranges = []
    for slug in pag.contents:
        rng = part_range(doc, slug)
        if rng is None or slug == "notes":
            continue
        page = "book-index" if slug == "index" else slug
        ranges.append({"first": rng[0], "last": rng[1] or rng[0], "url": f"{page}.html",  # the last part's end is unknown
                       "anchors": slug in pag.parts})
    notes = {str(p): f"{slug}.html#fn:{label}" for p, (slug, label) in pag.notes.items()}
    data = html.escape(json.dumps({"ranges": ranges, "notes": notes}, separators=(",", ":")), quote=True)
    first = min(r["first"] for r in ranges)
    return "\n".join([
        "## Go to a page of the printed book", "",
        f'<form class="goto-page" data-pages="{data}" hidden>',
        '<label for="goto-page-number">Printed page number</label>',
        '<input id="goto-page-number" name="page" type="text" inputmode="numeric" pattern="[0-9]*" '
        'autocomplete="off" size="5" required>',
        '<button type="submit" class="md-button">Go to page</button>',
        '<p class="goto-page-message" role="status" aria-live="polite"></p>',
        "</form>",
        "",
        '<p class="goto-page-help">The text carries the printed page numbers in the margin: a solid mark where '
        "the page break is certain (the source splits a paragraph there), a dashed one where it is inferred "
        "(it may be off by a few lines). Pages of the Notes lead to the notes of the chapter printed there "
        "(estimated), pages of the back matter to its page. Page references in the <a href=\"book-index.html\">Index</a> link to them.</p>",
        "",
    ]) + "\n"


# ---- outputs: build/pages.json and the report section ------------------------------------------------
def pages_data(doc: Document, pages: list) -> dict:
    """What other stages need: per part, its range, its page starts and each paragraph's pages."""
    pag: Pagination = doc.pagination
    by_slug = {}
    for page in pages:
        slug = page.path.rsplit("/", 1)[-1][:-3]
        by_slug[slug] = page
    parts = {}
    for slug, pp in pag.parts.items():
        page = by_slug.get(slug)
        anchors = getattr(page, "page_anchors", {}) if page else {}
        parts[slug] = {
            "first": pp.first, "last": pp.last, "url": f"readings/{doc.id}/{slug}.html",
            "starts": [{"page": b.page, "kind": "certain" if b.kind in ("certain", "contents") else "inferred",
                        "evidence": {"contents": "the book's Contents", "certain": "mid-sentence split",
                                     "inferred": "page length"}[b.kind],
                        "source_line": b.line or None, "anchor": f"page-{b.page}",
                        "paragraph": anchors.get(b.page, "")} for b in pp.breaks],
            "paragraphs": getattr(page, "printed", {}) if page else {},
        }
    return {"words_per_page": pag.capacity, "contents": pag.contents, "parts": parts,
            "notes_pages": {str(k): {"part": v[0], "note": v[1]} for k, v in sorted(pag.notes.items())}}


def part_summary(pag: Pagination) -> list[tuple[str, PartPages, int, int, float, float]]:
    """Per part: (slug, pages, certain starts, inferred starts, largest distance of an inferred start
    from its evenly spaced position, largest deviation from the page length of a page next to an
    inferred start), distances in words. The part's last page is left out (it may be partly empty)."""
    out = []
    for slug, pp in pag.parts.items():
        inferred = [b for b in pp.breaks if b.kind == "inferred"]
        certain = [b for b in pp.breaks if b.kind == "certain"]
        dist = max((abs(b.pos - b.ideal) for b in inferred), default=0.0)
        dev = 0.0
        for i, b in enumerate(pp.breaks):
            if b.kind != "inferred":
                continue
            dev = max(dev, abs(b.pos - pp.breaks[i - 1].pos - pag.capacity))
            if i + 1 < len(pp.breaks):
                dev = max(dev, abs(pp.breaks[i + 1].pos - b.pos - pag.capacity))
        out.append((slug, pp, len(certain), len(inferred), dist, dev))
    return out


METHOD = ("The source has no page numbers. The Contents give each part's first page, so each part's page "
          "count is known; a paragraph that the source splits mid-sentence (rejoined by rule rejoin_page_break) "
          "marks a **certain** page start. The other page starts are **inferred**: between two certain ones, "
          "as many pages as best fit the measured page length ({cap:.0f} words; headings, tables, block "
          "quotations, epigraphs and each part's opening count as the space they take), with the part's page "
          "count equal to the Contents', each placed at the paragraph boundary (or, failing one, the sentence "
          "end) nearest to its evenly spaced position. Inferred page starts may be off by a few lines.")


def report_lines(doc: Document) -> list[str]:
    """The report's section on the printed pages: per part, certain and inferred starts, distances."""
    pag: Pagination = doc.pagination
    lines = [f"## {doc.id}: printed page numbers", "", METHOD.format(cap=pag.capacity).replace("**", ""), "",
             "| Part | Pages | Page count (= Contents) | Certain starts | Inferred starts | Largest distance of an "
             "inferred start from its even spacing (words) | Largest page-length deviation next to an inferred start (words) |",
             "|---|---|---|---|---|---|---|"]
    for slug, pp, certain, inferred, dist, dev in part_summary(pag):
        lines.append(f"| {slug} | {pp.first}–{pp.last} | {pp.last - pp.first + 1} | {certain + 1} "
                     f"(1 from the Contents) | {inferred} | {dist:.0f} | {dev:.0f} |")
    lines += ["", f"Notes (pp. {min(pag.notes, default=0)}–{max(pag.notes, default=0)}): each page assigned to the "
              "chapter whose notes are printed at its top, from the notes' lengths (an estimate).", ""]
    return lines


def apparatus_pages(doc: Document, h: str) -> list[str]:
    """The section of "About this text" that explains the printed page numbers."""
    pag = doc.pagination
    if pag is None:
        return []
    lines = [f"{h}# Printed page numbers", "", METHOD.format(cap=pag.capacity), ""]
    for slug, pp, certain, inferred, _dist, _dev in part_summary(pag):
        lines.append(f"- [{slug.replace('-', ' ').capitalize()}]({slug}.md): printed pages {pp.first}–{pp.last}; "
                     f"the first page from the Contents, {certain} certain and {inferred} inferred page starts")
    lines.append("")
    return lines


def write_outputs(docs: list, pages_by_doc: dict, folder: Path) -> None:
    """build/pages.json for every paginated reading, and its section appended to build/report.md."""
    data = {}
    extra: list[str] = []
    for doc, _entry, _cite in docs:
        if doc.pagination is None:
            continue
        data[doc.id] = pages_data(doc, pages_by_doc[doc.id])
        extra += report_lines(doc)
        extra += doc.index_report
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "pages.json").write_text(json.dumps(data, ensure_ascii=False, indent=1), encoding="utf-8")
    report = folder / "report.md"
    if extra and report.exists():
        report.write_text(report.read_text(encoding="utf-8").rstrip("\n") + "\n\n" + "\n".join(extra) + "\n",
                          encoding="utf-8")
