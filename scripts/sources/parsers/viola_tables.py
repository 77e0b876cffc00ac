"""Tables in the Viola book: 7 labelled tables with tab-separated rows and their own notes.

A table block is: ``TABLE n *`` label, caption line(s), tab-separated rows, then the table's notes
(lines starting with a table marker ``*``, ``†``, ``+``). Table 3 survives only as its "(Continued)"
part, preceded by an orphan caption and ``[illegible]``.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from scripts.core.model import Table
from scripts.sources.read import SourceText

LABEL = re.compile(r"^TABLE (\d+) ?(\*?)( \(Continued\))?$")
NOTE_START = re.compile(r"^[*†+]")
UNMARKED_COUNT_NOTE = re.compile(r"\(\d[\d,]*\)")


@dataclass
class TableBlock:
    table: Table
    start: int  # first source line of the block (label, or orphan caption)
    end: int    # last source line (last table note)


def is_label(text: str) -> bool:
    return bool(LABEL.match(text))


def _next_nonblank(lines: list[str], n: int, limit: int) -> int | None:
    while n <= limit and not lines[n - 1].strip():
        n += 1
    return n if n <= limit else None


def _is_table_note(text: str) -> bool:
    """Rule ``table_note``: a table's note starts with a marker (``*``, ``†``, ``+``). One unmarked note
    (Table 6, line 1242 ``Number of 25,000ers not accounted for: M. Volga (1); …``) is a list of
    counts in parentheses; a prose paragraph never carries three such counts."""
    return bool(NOTE_START.match(text)) or len(UNMARKED_COUNT_NOTE.findall(text)) >= 3


def _drop_doubled_caption(src: SourceText, orphan: list[str], caption: list[str], cap: int, number: str,
                          damage: str) -> tuple[list[str], str]:
    """Rule ``drop_doubled_caption``: a table whose first part is lost (Table 3) has its caption twice,
    once over the lost part (the orphan line before ``[illegible]``) and again under the
    "(Continued)" label. When the orphan caption repeats the first line of the continued part's
    caption (ignoring case, after the corrections stage), the reader would see the same words
    twice in one caption: the orphan copy is left out, logged as a removal, and the damage note says
    so. An orphan caption that says something else is kept in front of the caption."""
    def key(text: str) -> str:
        return " ".join(text.split()).casefold()
    if caption and key(orphan[0]) == key(caption[0]):
        src.log("removal", "drop_doubled_caption", cap, before=orphan[0],
                note=f"Table {number}'s caption is printed twice: over the lost first part (line {cap}) and "
                     f"again under 'TABLE {number}* (Continued)'; shown once, from the continued part")
        damage += (f" The caption is printed twice in the source, over the lost part and again over the "
                   "continued part; it is shown once.")
        return caption, damage
    return orphan + caption, damage


def read_table(src: SourceText, label_line: int, limit: int) -> TableBlock:
    """Read the table whose label is on ``label_line``; ``limit`` is the last line of its part."""
    lines = src.lines
    m = LABEL.match(lines[label_line - 1])
    number, star, continued = m.group(1), m.group(2), bool(m.group(3))
    start = label_line
    orphan: list[str] = []
    damage = ""
    cap = 0
    prev = label_line - 2
    if continued and prev > 0 and lines[prev - 1].strip() == "[illegible]":
        cap = prev - 2
        orphan = [lines[cap - 1]]
        start = cap
        src.log("damage", "flag_lost_table_part", prev, before="[illegible]",
                note=f"the first part of Table {number} is lost; the source shows only its caption "
                     f"(line {cap}) and '[illegible]'. Flagged on the table; the '[illegible]' line is not shown as text")
        damage = (f"The first part of Table {number} is lost: the source shows only its caption and "
                  f"\"[illegible]\", then \"TABLE {number}* (Continued)\"; only the continued part survives. "
                  "Its header rows are misaligned with the data columns as printed, and the last row holds only "
                  "note markers; both are kept as printed. The marker '*****' is defined twice and '+++++' has no note.")
    src.log("correction", "normalise_table_label", label_line, before=lines[label_line - 1], after=f"Table {number}",
            note="table label in title case" + (f"; the marker '{star}' refers to the table's first note, kept verbatim" if star else "")
            + ("; '(Continued)': see the damage flag" if continued else ""))
    n = _next_nonblank(lines, label_line + 1, limit)
    caption: list[str] = []
    while n is not None and "\t" not in lines[n - 1]:
        caption.append(lines[n - 1])
        n = _next_nonblank(lines, n + 1, limit)
    if orphan:
        caption, damage = _drop_doubled_caption(src, orphan, caption, cap, number, damage)
    if n is None:
        raise src.error(label_line, f"Table {number} has no tab-separated rows",
                        "a table's rows must be tab-separated lines after its caption")
    rows: list[list[str]] = []
    while n <= limit and "\t" in lines[n - 1]:
        rows.append(lines[n - 1].split("\t"))
        n += 1
    end = n - 1
    notes: list[str] = []
    k = _next_nonblank(lines, n, limit)
    while k is not None and _is_table_note(lines[k - 1]):
        notes.append(lines[k - 1])
        end = k
        k = _next_nonblank(lines, k + 1, limit)
    region = [i for i, r in enumerate(rows) if r[0].strip().upper() == "REGION"]
    split = region[0] + 1 if region else 1
    while split < len(rows) and not rows[split][0].strip():
        split += 1
    table = Table(label=f"Table {number}", caption=caption, header_rows=rows[:split], rows=rows[split:],
                  notes=notes, damage=damage, line=start)
    return TableBlock(table, start, end)
