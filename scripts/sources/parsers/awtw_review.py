"""Parser for a review copied from the web edition of the magazine *A World to Win*.

Source: sources/bw-unearthing-stalin-era-1998.txt (B.W., "Unearthing The Stalin Era", 1998). Layout::

    A WORLD TO WIN    #24   (1998)        masthead (NBSPs in the gaps)
    <title>
    <book title> / by <author> / (<publisher>, <year>)     one block per reviewed book
    By <reviewer>
    <body: one paragraph per line, blank-line separated; a lead-in line may sit directly above its
     paragraph>
    1In …  / 2In …                          notes: the number glued to the first word

Note markers are bare digits glued to a word or punctuation (``West.1``, ``campaigns2``); the regex
below was checked against every digit run in the text (``25 000ers``, years, ``World War 1`` stay
text). A paragraph that stops without terminal punctuation before a new paragraph has lost text:
it is flagged with a Damage block, never joined to the next paragraph.
"""
from __future__ import annotations

import re

from scripts.sources.cleaning import (check_note_sequence, check_refs, flag_lost_text, join_lead_in_line, move_to_metadata, nonblank,
                        split_markers)
from scripts.core.model import Document, Note, Paragraph, Part
from scripts.sources.read import SourceText

MARKER = re.compile(r"(?:(?<=[A-Za-z])|(?<=[A-Za-z][.,;:!?’”)]))(\d{1,3})(?![\d,])(?=[\s.,;:]|$)")
NOTE_LINE = re.compile(r"^(\d+)(?=[A-Z])")
MASTHEAD = re.compile(r"^(?P<magazine>[A-Z][A-Z ]+?)\s+#(?P<issue>\d+)\s+\((?P<year>\d{4})\)$")
TERMINAL = tuple(".?!”\"’)]")

# Slips in the source that the edition keeps as printed but flags (kind "damage", nothing changed).
SOURCE_SLIPS: list[tuple[str, str]] = [
    ("Democracy: Can’t We Do Better Then That?",
     "the cited book is titled “Democracy: Can’t We Do Better Than That?”; the review's “Then” is kept as printed"),
    ("First Year Plan", "probably “First Five Year Plan” (so elsewhere in the review); kept as printed"),
]


def flag_source_slip(src: SourceText, first: int) -> None:
    """Flag the review's own slips (SOURCE_SLIPS) from line ``first`` on; the text is kept as printed.

    Note 1 (l.78) cites ``Democracy: Can’t We Do Better Then That?`` – the book's title has "Than".
    This is the magazine's wording, not conversion damage, so the edition flags it and changes nothing.
    """
    for slip, why in SOURCE_SLIPS:
        for n in range(first, len(src.lines) + 1):
            if slip in src.line(n):
                src.log("damage", "flag_source_slip", n, before=slip, note=why)


def _groups(src: SourceText, first: int, last: int) -> list[list[int]]:
    """Runs of adjacent non-blank lines in [first, last]."""
    out: list[list[int]] = []
    prev = -1
    for n in nonblank(src, first, last):
        if out and n == prev + 1:
            out[-1].append(n)
        else:
            out.append([n])
        prev = n
    return out


def parse(src: SourceText, entry: dict) -> Document:
    byline = next((n for n in range(1, len(src.lines) + 1) if src.line(n).startswith("By ")), None)
    if byline is None:
        raise src.error(None, "no 'By <reviewer>' byline", "the review's header must end with a 'By …' line")
    notes_start = next((n for n in range(byline + 1, len(src.lines) + 1) if NOTE_LINE.match(src.line(n))), None)
    if notes_start is None or notes_start < byline:
        raise src.error(None, "no notes ('1In …') after the body", "the notes must start with the number glued to the first word")

    metadata: dict[str, str] = {}
    header = _groups(src, 1, byline - 1)
    if len(header) < 3:
        raise src.error(1, "the header needs a masthead, a title and at least one reviewed book",
                        "check the lines before the byline")
    mast_line = header[0][0]
    m = MASTHEAD.match(src.line(mast_line).replace("\xa0", " ").strip())
    if not m:
        raise src.error(mast_line, "masthead not recognised (expected 'MAGAZINE #N (YEAR)')", "check the first line")
    metadata["magazine"] = m.group("magazine").strip()
    metadata["issue"] = f"#{m.group('issue')}"
    metadata["year"] = m.group("year")
    move_to_metadata(src, mast_line, "magazine, issue, year")
    title_line = header[1][0]
    title = src.line(title_line).strip()
    move_to_metadata(src, title_line, "title")
    for k, group in enumerate(header[2:], 1):
        if len(group) != 3 or not src.line(group[1]).startswith("by "):
            raise src.error(group[0], "a reviewed-book block must be 3 lines: title / by author / (publisher, year)",
                            "check the header")
        metadata[f"reviewed book {k}: title"] = src.line(group[0]).strip()
        metadata[f"reviewed book {k}: author"] = src.line(group[1]).strip()[3:]
        metadata[f"reviewed book {k}: published"] = src.line(group[2]).strip().strip("()")
        for n in group:
            move_to_metadata(src, n, f"reviewed book {k}")
    authors = [src.line(byline).strip()[3:]]
    move_to_metadata(src, byline, "authors")

    # --- body ----------------------------------------------------------------------------------
    blocks: list = []
    refs: list[tuple[int, str]] = []
    for group in _groups(src, byline + 1, notes_start - 1):
        text = src.line(group[0]).strip()
        for n in group[1:]:
            text = join_lead_in_line(src, text, src.line(n).strip(), group[0], n,
                                     "a lead-in line (the reviewed book's title) set on its own line above its paragraph")
        refs += [(group[0], mk.group(1)) for mk in MARKER.finditer(text)]
        blocks.append(Paragraph(split_markers(text, MARKER), line=group[0]))
        if not MARKER.sub("", text).rstrip().endswith(TERMINAL):
            blocks.append(flag_lost_text(src, group[-1], text,
                                         "The source breaks off here; the rest of the sentence is lost."))

    # --- notes ---------------------------------------------------------------------------------
    notes: list[Note] = []
    numbered: list[tuple[int, str]] = []
    for n in nonblank(src, notes_start, len(src.lines)):
        line = src.line(n).strip()
        nm = NOTE_LINE.match(line)
        if not nm:
            raise src.error(n, f"a note line without a glued number: {line[:50]!r}", "notes must start like '2In …'")
        numbered.append((n, nm.group(1)))
        notes.append(Note(nm.group(1), [Paragraph([line[nm.end():]], line=n)], line=n))
    check_note_sequence(src, numbered)
    check_refs(src, refs, {label for _, label in numbered})

    flag_source_slip(src, byline + 1)

    part = Part(slug="text", title=title, kind="article", blocks=blocks, notes=notes, line=byline + 1)
    return Document(id=entry["id"], title=title, authors=authors, parts=[part], metadata=metadata, edits=src.edits)
