"""Inline text rules shared by the Viola parser modules (viola_book and friends).

The OCR'd book marks notes with Unicode superscript digits glued to the text (``party.¹²``), and
splits paragraphs at page breaks with a single blank line. The helpers here turn marker runs into
:class:`NoteRef` segments and rejoin split lines, logging every change through ``src.log``.
"""
from __future__ import annotations

import re

from scripts.core.model import Inline, NoteRef
from scripts.sources.read import SourceText
from scripts.sources.pagination import split_sentinels

SUPERSCRIPTS = "⁰¹²³⁴⁵⁶⁷⁸⁹"
SUP_RUN = re.compile(f"[{SUPERSCRIPTS}]+")
SPACED_MARKER = re.compile(f"(?<=\\S) (?=[{SUPERSCRIPTS}]+(?:\\s|$))")
TERMINAL = ".!?:;"
# Word beginnings that are not words: a line ending in one of these + "-" is a split word.
PREFIX_FRAGMENTS = {"re", "de", "pre", "un", "dis", "con", "com", "ex", "in"}
TRAILING_NOISE = re.compile(f"[{SUPERSCRIPTS}\"”’')\\]*\\s]+$")


def sup_value(run: str) -> str:
    """'¹²' -> '12'."""
    return "".join(str(SUPERSCRIPTS.index(c)) for c in run)


def has_marker(text: str) -> bool:
    return bool(SUP_RUN.search(text))


def attach_spaced_markers(text: str, line: int, src: SourceText) -> str:
    """Rule ``attach_spaced_marker``: glue a note marker that the conversion separated by a space.

    16 markers in the body stand after a space (line 706: ``. . ." ¹¹⁰``); the printed book sets
    them against the text. The space is removed so the marker does not float as a word.
    Example: ``with. ¹¹⁷`` -> ``with.¹¹⁷``.
    """
    for m in SPACED_MARKER.finditer(text):
        run = SUP_RUN.match(text, m.end()).group(0)
        src.log("correction", "attach_spaced_marker", line, before=text[max(0, m.start() - 8):m.end() + len(run)],
                after=text[max(0, m.start() - 8):m.start()] + run,
                note=f"note marker {sup_value(run)} was separated from the text by a space")
    return SPACED_MARKER.sub("", text)


def to_inline(text: str) -> list[Inline]:
    """Split ``text`` into str segments, NoteRef markers (the author's own numbers) and the
    PageBreak markers that ``pagination.mark_split`` left where a page-break join was made."""
    out: list[Inline] = []
    for piece in split_sentinels(text):
        out.extend(_notes_inline(piece) if isinstance(piece, str) else [piece])
    return out


def _notes_inline(text: str) -> list[Inline]:
    out: list[Inline] = []
    pos = 0
    for m in SUP_RUN.finditer(text):
        if m.start() > pos:
            out.append(text[pos:m.start()])
        out.append(NoteRef(sup_value(m.group(0))))
        pos = m.end()
    if pos < len(text):
        out.append(text[pos:])
    return out


def markers_in(text: str) -> list[str]:
    return [sup_value(m.group(0)) for m in SUP_RUN.finditer(text)]


def ends_open(text: str) -> bool:
    """True if a line stops mid-sentence: after stripping trailing markers, quotes, brackets and
    ``*``, it does not end in ``. ! ? : ;``. Such a line was cut by a page break."""
    core = TRAILING_NOISE.sub("", text)
    return bool(core) and core[-1] not in TERMINAL


def ends_with_colon(text: str) -> bool:
    core = SUP_RUN.sub("", text).rstrip()
    return core.endswith(":")


def build_vocabulary(lines: list[str]) -> set[str]:
    """Every word of the file (lower case), to decide whether a hyphen at a line end splits a word."""
    vocab: set[str] = set()
    for line in lines:
        vocab.update(w.lower() for w in re.findall(r"[A-Za-z]+(?:-[A-Za-z]+)*", line))
        vocab.update(w.lower() for w in re.findall(r"[A-Za-z]+", line))
    return vocab


def join_split(first: str, second: str, line: int, src: SourceText, vocab: set[str],
               rule: str = "rejoin_page_break", note: str = "page break") -> str:
    """Rule ``rejoin_page_break``: rejoin a paragraph that a page break split in two.

    The conversion left a blank line where the printed page ended mid-sentence; e.g. line 1719
    ``…application of factory practices`` continues at 1721 ``in collective farm …``. The halves are
    joined with one space. If the first half ends in ``letters-`` and the joined word is a word of
    the book (``de-`` + ``tachments'`` -> ``detachments'``), or the first half is a bare prefix
    (``re-`` + ``verted``, line 1262) and the book never prints the hyphenated form, the hyphen is
    dropped (a word split); otherwise the hyphen is kept (a real compound such as ``Five-`` + ``Year``).
    """
    m = re.search(r"([A-Za-z]+)-$", first)
    if m:
        w2 = re.match(r"[A-Za-z]+", second)
        joined = (m.group(1) + (w2.group(0) if w2 else "")).lower()
        if w2 and (joined in vocab or (m.group(1).lower() in PREFIX_FRAGMENTS
                                       and f"{m.group(1)}-{w2.group(0)}".lower() not in vocab)):
            src.log("join", rule, line, before=first[-40:], after=second[:40],
                    note=f"{note}; hyphenated word split: '{m.group(1)}-' + '{w2.group(0)}' -> '{m.group(1)}{w2.group(0)}'")
            return first[:-1] + second
        src.log("join", rule, line, before=first[-40:], after=second[:40],
                note=f"{note}; hyphen kept (compound word)")
        return first + second
    src.log("join", rule, line, before=first[-40:], after=second[:40], note=note)
    return first + " " + second
