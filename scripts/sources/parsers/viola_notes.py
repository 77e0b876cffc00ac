"""The NOTES section of the Viola book: notes grouped by part, ``N. text`` per note.

Group headings are ``Introduction`` and ``Chapter N``. A line without a number continues the note
before it: either the rest of a note split by a page break (11 cases, e.g. 2133 + 2135), or, after a
note line ending in ``:``, a quoted passage that belongs to the note (ch6 n.106, 3117-3121).
"""
from __future__ import annotations

import re

from scripts.core.model import BlockQuote, Note, Paragraph
from scripts.sources.read import SourceText
from scripts.sources.parsers.viola_text import ends_with_colon, join_split, to_inline

GROUP = re.compile(r"^(Introduction|Chapter (\d+))$")
NOTE = re.compile(r"^(\d{1,3})\. (.*)$")


def group_slug(heading: str) -> str:
    m = GROUP.match(heading)
    return "introduction" if m.group(2) is None else f"chapter-{m.group(2)}"


def parse_notes(src: SourceText, first: int, last: int, vocab: set[str]) -> dict[str, list[Note]]:
    """Notes per part slug, from the lines after ``NOTES`` (``first``) to ``last``."""
    groups: dict[str, list[Note]] = {}
    current: list[Note] | None = None
    # per note: list of paragraphs as [text, line, in_quote]
    texts: dict[int, list[list]] = {}
    seen: dict[str, dict[str, int]] = {}
    slug = ""
    for n in range(first, last + 1):
        line = src.lines[n - 1]
        if not line.strip():
            continue
        g = GROUP.match(line)
        if g:
            slug = group_slug(line)
            if slug in groups:
                raise src.error(n, f"the notes group '{line}' occurs twice", "remove or rename the duplicate group heading")
            current = groups[slug] = []
            seen[slug] = {}
            continue
        if current is None:
            raise src.error(n, "note text before the first group heading ('Introduction' / 'Chapter N')",
                            "each chapter's notes must start with its group heading")
        m = NOTE.match(line)
        if m:
            label = m.group(1)
            if label in seen[slug]:
                raise src.error(n, f"two notes numbered {label} in the notes to {slug} (the first at line {seen[slug][label]})",
                                "renumber or merge the duplicate note so that each number occurs once")
            seen[slug][label] = n
            note = Note(label, [], n)
            current.append(note)
            texts[id(note)] = [[m.group(2), n, False]]
            continue
        if not current:
            raise src.error(n, "a line without a note number before the first note of the group",
                            "start the line with its note number ('12. ')")
        note = current[-1]
        paras = texts[id(note)]
        last_para = paras[-1]
        if ends_with_colon(last_para[0]) or last_para[2]:
            # Rule ``note_block_quote``: after a note line ending ':', unnumbered lines are the quoted passage.
            paras.append([line, n, True])
        else:
            last_para[0] = join_split(last_para[0], line, n - 2 if not src.lines[n - 2].strip() else n - 1, src, vocab,
                                      rule="rejoin_split_note", note="note split by a page break")
    for notes in groups.values():
        for note in notes:
            quote: list[Paragraph] = []
            for text, line, in_quote in texts[id(note)]:
                if in_quote:
                    quote.append(Paragraph(to_inline(text), line))
                else:
                    note.blocks.append(Paragraph(to_inline(text), line))
            if quote:
                note.blocks.append(BlockQuote(quote, quote[0].line))
    return groups
