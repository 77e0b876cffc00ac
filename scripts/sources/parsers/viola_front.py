"""Front matter of the Viola book: title pages, copyright/CIP, dedication, poem, Acknowledgments,
Contents and half-title. Only the dedication, the Maiakovskii poem and the Acknowledgments become a
part; the facts of the other pages go to Document.metadata and their removal is logged."""
from __future__ import annotations

import re

from scripts.core.model import Block, Heading, Paragraph, Verse
from scripts.sources.read import SourceText
from scripts.sources.parsers.viola_backmatter import parse_prose


def _text(src: SourceText, first: int, last: int) -> str:
    return "\n".join(src.lines[first - 1:last])


def _trim(src: SourceText, first: int, last: int) -> tuple[int, int]:
    while first <= last and not src.lines[first - 1].strip():
        first += 1
    while last >= first and not src.lines[last - 1].strip():
        last -= 1
    return first, last


def drop(src: SourceText, rule: str, first: int, last: int, note: str) -> None:
    """Log the removal of lines first..last (verbatim, blank lines trimmed)."""
    first, last = _trim(src, first, last)
    if first <= last:
        src.log("removal", rule, first, before=_text(src, first, last), note=note)


def title_page_metadata(src: SourceText, last: int) -> dict[str, str]:
    """Publisher, place, year and the other useful facts of the title and copyright pages (1..last)."""
    text = _text(src, 1, last)
    meta: dict[str, str] = {}

    def grab(key: str, pattern: str, group: int = 1) -> None:
        m = re.search(pattern, text, re.M)
        if m:
            meta[key] = m.group(group).strip()

    grab("publisher", r"^(Oxford University Press)$")
    grab("place", r"^Oxford University Press\n(New York)\b")
    grab("year", r"^Copyright © (\d{4})")
    grab("copyright", r"^(Copyright © .*)$")
    grab("first_published", r"^(First published in .*,\n.*)$")
    grab("paperback", r"^First issued as an Oxford University Press paperback, (\d{4})")
    grab("isbn", r"^ISBN ([0-9X-]+)$")
    grab("isbn_paperback", r"^ISBN ([0-9X-]+) \(PBK\)$")
    grab("lc_call_number", r"^(HD\S+ \d{4}) ")
    grab("lccn", r"^HD\S+ \d{4} \S+ (\d{2}-\d+)$")
    grab("printed", r"^Printed in (.*)$")
    if "first_published" in meta:
        meta["first_published"] = " ".join(meta["first_published"].split())
    return meta


def drop_scan_junk(src: SourceText, first: int, last: int) -> set[int]:
    """Rule ``drop_scan_junk``: stray marks from the scanned cover/stamp on the title pages
    (13-17: ``S²``, ``L``, ``1182``, ``1530``), lines of at most 4 characters that are not words of the
    title. Logged verbatim, one removal per line."""
    junk = set()
    for n in range(first, last + 1):
        s = src.lines[n - 1].strip()
        if s and len(s) <= 4 and not s.startswith("*"):
            src.log("removal", "drop_scan_junk", n, before=src.lines[n - 1],
                    note="stamp/cover debris on the title page, not text of the book")
            junk.add(n)
    return junk


def drop_dedication_letter(src: SourceText, dedication: int, limit: int) -> int:
    """Rule ``drop_hallucinated_dedication_letter``: after the real dedication ``To Grace and Joe``
    (76), the conversion produced a 19-line 'letter' (78-96: ``Dear Grace and Joe, / I'm glad to hear
    of / your new home.`` … ``I hope you will / be able to do / all the work you want to.`` repeated
    4×). It is not in the printed book (no blank lines, no page layout, a looping stanza): a text
    generator's artifact. Removed and logged verbatim. Returns the last line removed (or dedication)."""
    n = dedication + 1
    while n <= limit and not src.lines[n - 1].strip():
        n += 1
    if n > limit or not src.lines[n - 1].startswith("Dear "):
        return dedication
    end = n
    while end + 1 <= limit and src.lines[end].strip():
        end += 1
    src.log("removal", "drop_hallucinated_dedication_letter", n, before=_text(src, n, end),
            note="conversion artifact: an invented letter with a 4x repeated stanza, not part of the book")
    return end


def poem(src: SourceText, first: int, last: int) -> Verse:
    """Rule ``verse_lines``: the Maiakovskii poem has a blank line after every verse line; it is one
    poem (one Verse block), not 20 paragraphs. The attribution starts at the line beginning with a
    dash (``—From “March of the Twenty-Five Thousand”``). The doubled ``Onward 25!`` (98, 100) is
    kept as printed: the poem's refrain repeats too (``Onward, 25!`` at 130)."""
    lines = [n for n in range(first, last + 1) if src.lines[n - 1].strip()]
    if not lines:
        raise src.error(first, "the epigraph poem is missing", "check the front matter before 'Acknowledgments'")
    att = next((i for i, n in enumerate(lines) if src.lines[n - 1].startswith("—")), len(lines))
    src.log("join", "verse_lines", lines[0], before=src.lines[lines[0] - 1], after=src.lines[lines[att - 1] - 1],
            note=f"{att} verse lines separated by blank lines kept as one poem (line breaks preserved)")
    return Verse([[src.lines[n - 1] for n in lines[:att]]], [src.lines[n - 1] for n in lines[att:]], lines[0])


def front_blocks(src: SourceText, dedication: int, poem_first: int, ack: int, contents: int,
                 vocab: set[str]) -> list[Block]:
    blocks: list[Block] = [Paragraph([src.lines[dedication - 1]], dedication),
                           poem(src, poem_first, ack - 1),
                           Heading(src.lines[ack - 1], 2, ack)]
    blocks += parse_prose(src, ack + 1, contents - 1, vocab)
    return blocks
