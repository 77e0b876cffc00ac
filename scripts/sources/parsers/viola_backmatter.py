"""Back matter of the Viola book: Glossary, A Note on Sources, Bibliography, Index."""
from __future__ import annotations

import re

from scripts.core.model import Block, DefinitionList, EntryList, Heading, Paragraph
from scripts.sources.read import SourceText
from scripts.sources.parsers.viola_text import ends_open, join_split, to_inline

HTML_ITALIC = re.compile(r"<i>(.*?)</i>")
BIB_SECTION = re.compile(r"^[IVX]+\. [A-Z]")
DITTO = re.compile(r"^- (?:_+)?\.(?= |$)")
BROKEN_ITALIC = re.compile(r"^(\s*)- ([^*]+)\*")
PAGE_CONT = re.compile(r"^\d[\d–-]*(?:,\s|,?$|\.)")


def _nonblank(src: SourceText, first: int, last: int) -> list[int]:
    return [n for n in range(first, last + 1) if src.lines[n - 1].strip()]


def html_italics(text: str, line: int, src: SourceText) -> str:
    """Rule ``glossary_html_italics``: the Glossary alone uses HTML ``<i>…</i>`` (18 pairs); the rest of
    the book uses ``*…*``. Converted so the model's single inline convention holds.
    Example (3254): ``<i>basmach</i>`` -> ``*basmach*``."""
    new = HTML_ITALIC.sub(r"*\1*", text)
    if new != text:
        src.log("correction", "glossary_html_italics", line, before=text, after=new,
                note="HTML <i>…</i> converted to *…* (the book's italic convention elsewhere)")
    return new


def parse_glossary(src: SourceText, first: int, last: int) -> list[Block]:
    """23 ``term<TAB>definition`` lines; the artel definition lost its last word (flagged beside the
    entry itself, so a reader sees the note where the text breaks off)."""
    items: list[tuple[str, str]] = []
    damage: dict[int, str] = {}
    for n in _nonblank(src, first, last):
        line = src.lines[n - 1]
        if line.count("\t") != 1:
            raise src.error(n, "a glossary line must be 'term<TAB>definition'", "put exactly one tab between term and definition")
        term, definition = (html_italics(part, n, src) for part in line.split("\t"))
        items.append((term, definition))
        if definition.rstrip().endswith("form of collective"):
            src.log("damage", "flag_truncated_glossary_definition", n, before=definition[-40:],
                    note=f"the definition of '{term}' is cut off: its last word is lost (probably 'farm'); kept as printed")
            damage[len(items) - 1] = f"The definition of “{term}” is cut off in the source: its last word is lost."
    return [DefinitionList(items, first, damage)]


def parse_prose(src: SourceText, first: int, last: int, vocab: set[str]) -> list[Block]:
    """Paragraphs one per line, rejoined across page breaks (A Note on Sources, Acknowledgments)."""
    paras: list[list] = []
    for n in _nonblank(src, first, last):
        text = src.lines[n - 1]
        if paras and ends_open(paras[-1][0]) and n == paras[-1][2] + 2:
            paras[-1][0] = join_split(paras[-1][0], text, paras[-1][2], src, vocab)
            paras[-1][2] = n
        else:
            paras.append([text, n, n])
    return [Paragraph(to_inline(t), n) for t, n, _ in paras]


def repair_broken_italic(text: str, line: int, src: SourceText, rule: str = "repair_bullet_italics") -> str:
    """Rule ``repair_bullet_italics``: the conversion turned the opening ``*`` of an italic title at
    the start of an entry into a list bullet ``- ``, leaving the closing ``*`` alone. When a line has
    an odd number of ``*``, the bullet is the lost asterisk: ``- Izvestiia*, organ of …`` (3340) ->
    ``*Izvestiia*, organ of …``."""
    if text.count("*") % 2 == 1:
        m = BROKEN_ITALIC.match(text)
        if m:
            new = BROKEN_ITALIC.sub(r"\1*\2*", text, count=1)
            src.log("correction", rule, line, before=m.group(0).lstrip(), after=f"*{m.group(2)}*",
                    note="list bullet '- ' was the opening '*' of an italic title")
            return new
    return text


def _entry_text(text: str, line: int, src: SourceText) -> str:
    """Strip the bullet and handle ditto entries. Rule ``render_bibliography_ditto``: the book's
    repeated-author rule (a long dash) came through as ``- .`` (44×) or ``- _____.`` (1×, 3470). It is
    shown as ``———.`` so the reader sees that the entry repeats the author above."""
    text = repair_broken_italic(text, line, src)
    m = DITTO.match(text.strip())
    if m:
        new = DITTO.sub("———.", text.strip(), count=1)
        src.log("correction", "render_bibliography_ditto", line, before=m.group(0), after="———.",
                note="repeated-author dash restored as '———.' (same author as the entry above)")
        return new
    stripped = text.strip()
    return stripped[2:] if stripped.startswith("- ") else stripped


def parse_bibliography(src: SourceText, first: int, last: int) -> list[Block]:
    """8 sections (``I. ARCHIVAL SOURCES*`` …), each a Heading and an EntryList; the archival
    citation footnote (``*Citations of Soviet archival …``) is kept as a paragraph."""
    blocks: list[Block] = []
    current: EntryList | None = None
    prev_line = 0
    for n in _nonblank(src, first, last):
        raw = src.lines[n - 1]
        if BIB_SECTION.match(raw):
            current = EntryList([], [], n)
            blocks += [Heading(raw, 2, n), current]
            prev_line = 0
            continue
        if current is None:
            raise src.error(n, "bibliography text before the first section heading", "start with 'I. …'")
        if raw.startswith("*Citations"):
            blocks.append(Paragraph(to_inline(raw), n))
            current = EntryList([], [], n)
            blocks.append(current)
            continue
        stripped = raw.strip()
        cont = None
        if current.items and prev_line:
            prev = current.items[-1]
            # Rule ``rejoin_bibliography_entry``: an entry split by a line wrap (3322 -> 3323) or by a
            # page break whose continuation wrongly got a bullet (Bakst, 3602 -> 3604 ``- khoziaistva …``).
            if n == prev_line + 1 and not stripped.startswith("-") and stripped[:1].islower():
                cont = stripped
            elif (n == prev_line + 2 and stripped.startswith("- ") and stripped[2:3].islower()
                  and stripped.count("*") % 2 == 0
                  and ends_open(prev) and not prev.endswith("*")):
                cont = stripped[2:]
                src.log("removal", "rejoin_bibliography_entry", n, before="- ",
                        note="spurious list bullet on the continuation of an entry split by a page break")
        if cont is not None:
            current.items[-1] = join_split(current.items[-1], cont, prev_line, src, set(),
                                           rule="rejoin_bibliography_entry", note="entry split across lines")
            prev_line = n
            continue
        level = 1 if raw.startswith(" ") or stripped.startswith(("- fond", "- opis")) else 0
        current.items.append(_entry_text(raw, n, src))
        current.levels.append(level)
        prev_line = n
    return [b for b in blocks if not (isinstance(b, EntryList) and not b.items)]


def parse_index(src: SourceText, first: int, last: int) -> list[Block]:
    """Index entries, levels 0/1 as best recoverable, wrapped lines joined.

    Rule ``join_index_wrap``: a line continues the entry above when it starts with a page number
    (``15–16``), when the entry above ends in ``,``/``;``/``*See also*``/``*See*``, or when it
    holds no page number after a ``See`` reference (``Region`` after ``*See also* Northern``), or
    when the entry above has no page number yet (``Union of Unions of Agricultural`` / ``Cooperatives, 80``).
    A sub-entry starts lower-case (``cooperatives, 18, 22``) or, in the bulleted stretch, with
    one leading space; everything else is a headword.
    """
    items: list[str] = []
    levels: list[int] = []
    for n in _nonblank(src, first, last):
        raw = src.lines[n - 1]
        text = repair_broken_italic(raw, n, src, rule="repair_bullet_italics").strip()
        if text.startswith("- "):
            text = text[2:]
        if items:
            prev = items[-1]
            cont = (PAGE_CONT.match(text) or prev.endswith((",", ";", "*See also*", "*See*"))
                    or ("*See" in prev and not re.search(r"\d", text) and "," not in text)
                    or not re.search(r"\d", prev.replace("25,000", "")))
            if cont:
                src.log("join", "join_index_wrap", n, before=prev[-40:], after=text[:40], note="wrapped index entry")
                if prev.endswith("*See*") and text.startswith("also "):
                    # Rule ``repair_split_see_also``: the wrap split the italic "*See also*" (3740/3741).
                    src.log("correction", "repair_split_see_also", n, before="*See* also", after="*See also*",
                            note="italic cross-reference split by a line wrap")
                    items[-1] = prev[:-1] + " also*" + text[4:]
                else:
                    items[-1] = prev + " " + text
                continue
        lower = text[:1].islower()
        indented = raw.startswith(" ") and not raw.startswith(" -")
        items.append(text)
        levels.append(1 if lower or (indented and n < _regime3(src, first, last)) else 0)
    return [EntryList(items, levels, first)]


def _regime3(src: SourceText, first: int, last: int) -> int:
    """From ` 25,000ers` on, headwords also carry one leading space: indentation stops meaning a sub-entry."""
    for n in range(first, last + 1):
        if src.lines[n - 1].startswith(" 25,000ers"):
            return n
    return last + 1
