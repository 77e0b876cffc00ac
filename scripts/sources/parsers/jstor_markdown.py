"""Parser for a JSTOR article converted from PDF to Markdown.

Source: sources/siegelbaum-suny-command-economy-1993.txt (Siegelbaum & Suny 1993). Layout::

    <publisher line> --- <title> Author(s): … Source: … Published by: … Stable URL: … Accessed: … ---
    JSTOR paragraph / terms of use / "JSTOR" / collaboration line       JSTOR cover (removed)
    # <title>
    *<Author>* / <affiliation>   (repeated)                           byline
    <body paragraphs, one per line, with <sup>N</sup> markers>
    ## NOTES
    N. <note>                                                         notes (some on consecutive lines)

The PDF's pages break paragraphs: a paragraph line that ends without terminal punctuation continues
in the next one. The running footer of the first page (journal / issue / copyright) sits inside one
such split. A line ending with ":" or an unfinished lead-in ("… by reminding us that") followed by a
capitalised line introduces a block quotation, which has no other mark in the conversion.
"""
from __future__ import annotations

import re

from scripts.sources.cleaning import (check_note_sequence, check_refs, move_to_metadata, nonblank, rejoin_page_break, split_markers,
                        strip_jstor_cover, strip_running_footer, strip_site_label)
from scripts.core.model import BlockQuote, Document, Note, Paragraph, Part
from scripts.sources.read import SourceText

MARKER = re.compile(r"<sup>(\d+)</sup>")
NOTE_LINE = re.compile(r"^(\d+)\. ")
COVER_FIELDS = {
    "Author(s):": "authors", "Source:": "source", "Published by:": "publisher",
    "Stable URL:": "stable URL", "Accessed:": "accessed",
}
TERMINAL = tuple(".?!”\"’)];")


def ends_open(text: str) -> bool:
    """True if a paragraph line stops without terminal punctuation (markers ignored)."""
    bare = MARKER.sub("", text).rstrip()
    return not bare.endswith(TERMINAL) and not bare.endswith(":")


def parse(src: SourceText, entry: dict) -> Document:
    h1 = next((n for n in range(1, len(src.lines) + 1) if src.line(n).startswith("# ")), None)
    if h1 is None:
        raise src.error(None, "no '# <title>' line", "this parser expects JSTOR Markdown with the title as a level-1 heading")
    notes_at = next((n for n in range(h1, len(src.lines) + 1) if src.line(n).strip() == "## NOTES"), None)
    if notes_at is None:
        raise src.error(None, "no '## NOTES' line: cannot find the notes", "the notes must follow a '## NOTES' heading")

    metadata: dict[str, str] = {}
    # --- JSTOR cover ---------------------------------------------------------------------------
    for n in nonblank(src, 1, h1 - 1):
        line = src.line(n).strip()
        field = next((k for k in COVER_FIELDS if line.startswith(k)), None)
        if field:
            metadata[COVER_FIELDS[field]] = line[len(field):].strip().strip("<>")
            move_to_metadata(src, n, COVER_FIELDS[field])
        else:
            strip_jstor_cover(src, n, "JSTOR cover page (separator, JSTOR notice, terms of use)")
    source = metadata.pop("source", "")
    if m := re.match(r"\*(.+?)\*, (No\. \d+ \(.+?\)), pp\. (\S+)", source):
        metadata["journal"], metadata["issue"], metadata["pages"] = m.group(1), m.group(2), m.group(3)
    metadata.pop("authors", None)   # the byline below gives the same names
    title = src.line(h1)[2:].strip()
    move_to_metadata(src, h1, "title")

    # --- byline --------------------------------------------------------------------------------
    authors: list[str] = []
    affiliations: list[str] = []
    lines = nonblank(src, h1 + 1, notes_at - 1)
    i = 0
    while i < len(lines) and re.fullmatch(r"\*[^*]+\*", src.line(lines[i]).strip()):
        authors.append(src.line(lines[i]).strip().strip("*"))
        move_to_metadata(src, lines[i], "authors")
        if i + 1 < len(lines):
            affiliations.append(src.line(lines[i + 1]).strip())
            move_to_metadata(src, lines[i + 1], "affiliation")
        i += 2
    if not authors:
        raise src.error(h1 + 1, "no '*Author*' byline after the title", "check the lines after the '# ' title")
    metadata["affiliation"] = "; ".join(f"{a}: {f}" for a, f in zip(authors, affiliations))

    # --- body ----------------------------------------------------------------------------------
    journal = metadata.get("journal", "")
    blocks: list = []
    cur: str | None = None
    cur_line = 0
    cur_quote = False
    after_footer = False
    refs: list[tuple[int, str]] = []

    def flush() -> None:
        if cur is None:
            return
        para = Paragraph(split_markers(cur, MARKER), line=cur_line)
        blocks.append(BlockQuote([para], line=cur_line) if cur_quote else para)

    for n in lines[i:]:
        line = src.line(n).strip()
        if (journal and line == f"*{journal}*") or re.fullmatch(r"No\. \d+, .+, pp\. \d+[–-]\d+", line) or line.startswith("© "):
            if line.startswith("© "):
                metadata["copyright"] = line
            strip_running_footer(src, n)
            after_footer = True
            continue
        if "<" in MARKER.sub("", line):
            raise src.error(n, "an HTML tag other than <sup>N</sup> in the text", "remove or correct it via data/corrections")
        refs += [(n, m.group(1)) for m in MARKER.finditer(line)]
        if cur is not None and ends_open(cur) and (line[:1].islower() or after_footer):
            cur = rejoin_page_break(src, cur, line, cur_line, n,
                                  "paragraph split by a page break" + (" and the running footer" if after_footer else ""))
        else:
            lead_in = cur is not None and (ends_open(cur) or MARKER.sub("", cur).rstrip().endswith(":"))
            flush()
            cur, cur_line, cur_quote = line, n, lead_in
        after_footer = False
    flush()

    # --- notes ---------------------------------------------------------------------------------
    strip_site_label(src, notes_at)
    notes: list[Note] = []
    numbered: list[tuple[int, str]] = []
    for n in nonblank(src, notes_at + 1, len(src.lines)):
        line = src.line(n).strip()
        m = NOTE_LINE.match(line)
        if not m:
            raise src.error(n, f"a line in the notes that does not start with 'N. ': {line[:50]!r}",
                            "join it to its note or correct it via data/corrections")
        numbered.append((n, m.group(1)))
        notes.append(Note(m.group(1), [Paragraph([line[m.end():]], line=n)], line=n))
    check_note_sequence(src, numbered)
    check_refs(src, refs, {label for _, label in numbered})

    part = Part(slug="text", title=title, kind="article", blocks=blocks, notes=notes, line=h1)
    return Document(id=entry["id"], title=title, authors=authors, parts=[part], metadata=metadata, edits=src.edits)
