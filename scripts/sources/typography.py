"""Typography, an editorial matter: straight quotation marks and apostrophes made curly.

The readings mix straight and curly marks (Viola's chapter 4 had 166 straight double quotes and 39
curly ones), because the scans and web copies they come from do. The edition prints them one way:
the rule :func:`curl_quotes` turns every straight ``"`` into “ or ” and every straight ``'`` into
‘ or ’ from the characters around it, and logs each changed paragraph, note, cell or caption as a
``typography`` edit (counted in "About this text"). It changes no letter, digit or other mark: an
edit's ``before`` and ``after`` differ only where a straight mark became a curly one
(``tests/test_site_fidelity.py`` holds that).

It runs after parsing, pagination and the book's index (scripts/pipeline.py), so that those stages
still compare the text with the source file as received.
"""
from __future__ import annotations

import re

from scripts.core.model import (BlockQuote, Damage, DefinitionList, Document, Epigraph, EntryList, Figure, Heading, Note,
                                Paragraph, Table, Verse)

RULE = "curl_quotes"
STRAIGHT = "\"'"
CURLY = "“”‘’"
_OPENERS = set(" \t\n([{—–-/“‘\u00a0")


def _curl(text: str, before: str) -> str:
    """``text`` with its straight marks curled; ``before`` is the character that precedes it."""
    out = []
    prev = before
    for i, ch in enumerate(text):
        nxt = text[i + 1] if i + 1 < len(text) else ""
        if ch == '"':
            # opening after a space, bracket, dash or other opening mark (or at the start)
            ch = "“" if (prev == "" or prev in _OPENERS) and nxt not in ("", " ") else "”"
        elif ch == "'":
            if (prev == "" or prev in _OPENERS) and nxt and not re.match(r"\d\d", text[i + 1:i + 3]):
                ch = "‘"                       # an opening single quotation mark
            else:
                ch = "’"                       # an apostrophe (don't, sel'sovet, workers') or closing mark
        out.append(ch)
        if ch != "*":                          # emphasis marks are not characters of the text
            prev = ch
    return "".join(out)


def curl_segments(segments: list) -> tuple[list, int]:
    """A run of inline segments (str and markers) with its marks curled; and how many changed."""
    out, changed, prev = [], 0, ""
    for seg in segments:
        if isinstance(seg, str):
            new = _curl(seg, prev)
            changed += sum(1 for a, b in zip(seg, new) if a != b)
            stripped = new.replace("*", "")
            prev = stripped[-1] if stripped else prev
            out.append(new)
        else:
            out.append(seg)
    return out, changed


def curl_quotes(doc: Document) -> int:
    """Straight quotation marks and apostrophes made curly (“ ” ‘ ’), by context; no letter changed.

    Every paragraph, note, table cell, caption, heading and list entry whose marks changed is
    logged as one ``typography`` edit. Returns the number of marks changed.
    """
    total = 0

    def text(value: str, line: int) -> str:
        nonlocal total
        new, n = curl_segments([value])
        if n:
            total += n
            doc.log("typography", RULE, line, value, new[0], note=f"{n} mark{'s' if n != 1 else ''}")
        return new[0]

    def para(p: Paragraph) -> None:
        nonlocal total
        new, n = curl_segments(p.content)
        if n:
            total += n
            before = "".join(s for s in p.content if isinstance(s, str))
            after = "".join(s for s in new if isinstance(s, str))
            doc.log("typography", RULE, p.line, before, after, note=f"{n} mark{'s' if n != 1 else ''}")
            p.content = new

    def blocks(items: list, line: int = 0) -> None:
        for b in items:
            if isinstance(b, Paragraph):
                para(b)
            elif isinstance(b, (BlockQuote, Epigraph)):
                for p in b.paragraphs:
                    para(p)
                if isinstance(b, Epigraph):
                    b.attribution = [text(a, b.line) for a in b.attribution]
            elif isinstance(b, Heading):
                b.text = text(b.text, b.line)
            elif isinstance(b, Verse):
                b.stanzas = [[text(x, b.line) for x in stanza] for stanza in b.stanzas]
                b.attribution = [text(a, b.line) for a in b.attribution]
            elif isinstance(b, Damage):                  # the edition's own words: curled, not logged
                b.description = curl_segments([b.description])[0][0]
            elif isinstance(b, Table):
                b.damage = curl_segments([b.damage])[0][0] if b.damage else b.damage
                b.caption = [text(c, b.line) for c in b.caption]
                b.header_rows = [[text(c, b.line) for c in row] for row in b.header_rows]
                b.rows = [[text(c, b.line) for c in row] for row in b.rows]
                b.notes = [text(c, b.line) for c in b.notes]
            elif isinstance(b, Figure):
                b.caption = text(b.caption, b.line)
                b.credit = text(b.credit, b.line) if b.credit else b.credit
            elif isinstance(b, EntryList) or (hasattr(b, "items") and hasattr(b, "anchors")):
                b.items = [text(x, getattr(b, "line", 0)) for x in b.items]      # the Bibliography list
            elif hasattr(b, "entries") and hasattr(b, "pag"):                    # the book's Index
                for e in b.entries:
                    e.name = text(e.name, getattr(e, "line", 0))
                    e.see = [text(t, getattr(e, "line", 0)) for t in e.see]
            elif isinstance(b, DefinitionList):
                b.items = [(text(t, b.line), text(d, b.line)) for t, d in b.items]
                b.damage = {k: curl_segments([v])[0][0] for k, v in b.damage.items()}
            elif isinstance(b, Note):
                blocks(b.blocks)

    blocks(doc.abstract)
    for part in doc.parts:
        blocks(part.blocks)
        for note in part.notes:
            blocks(note.blocks, note.line)
    return total


def only_marks_changed(before: str, after: str) -> bool:
    """True when ``after`` is ``before`` with some straight marks made curly and nothing else."""
    return len(before) == len(after) and all(
        a == b or (a == '"' and b in "“”") or (a == "'" and b in "‘’") for a, b in zip(before, after))
