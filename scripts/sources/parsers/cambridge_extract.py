"""Parser for a Cambridge Core landing page of a paywalled article: extract + reference list.

Source: sources/hatch-lenin-levy-1989.txt (Hatch, "The 'Lenin Levy' …", 1989). Layout::

    Hostname: … Total loading time …          chrome (removed)
    <title>
    Published online by Cambridge University Press: <date>
    <Author>*                                  the * points to the unnumbered acknowledgement note
    Affiliation:
    <affiliation>
    Extract                                    site label
    <paragraph> …                              the extract (opening paragraphs of the article)
    Type / Articles / Copyright / <line>       metadata
    Access options / Get access …              paywall chrome (removed)
    References                                 site label: the notes follow
    <unnumbered acknowledgement note>          -> Note("*")
    1. <note> … 64. <note>                     -> Note("1") … Note("64")

There is no body: the Part has no blocks and ``notes_style="list"`` (nothing in the text can be
linked to the notes). The notes carry heavy conversion damage, repaired by the named rules in
scripts/sources/cleaning.py (link labels, lost range dashes, glued words) and data/corrections/hatch.yml.
"""
from __future__ import annotations

import re

from scripts.sources.cleaning import (check_note_sequence, flag_lost_parenthesis, load_glued_words, nonblank, restore_range_dash,
                        split_glued_words, strip_author_asterisk, strip_link_text, strip_page_trace,
                        strip_paywall_chrome, strip_site_label, take_online_date,
                        check_front_matter, take_labelled_value)
from scripts.core.model import Document, Note, Paragraph, Part
from scripts.sources.read import SourceText

NOTE_LINE = re.compile(r"^(\d+)\. ")


def _find(src: SourceText, text: str, start: int = 1, end: int | None = None) -> int | None:
    """Line number of the first line equal to ``text`` (stripped) in [start, end]."""
    for n in range(start, (end or len(src.lines)) + 1):
        if src.line(n).strip() == text:
            return n
    return None


def repair_note(src: SourceText, n: int, text: str, glue: list[dict]) -> str:
    """All note repairs, in order: glued words, range dashes, parenthesis flags, link labels."""
    text = split_glued_words(src, n, text, glue)
    text = restore_range_dash(src, n, text)
    flag_lost_parenthesis(src, n, text)
    return strip_link_text(src, n, text)


def flag_open_note_end(src: SourceText, note: Note) -> None:
    """Log (as a warning) a note that ends without a full stop; nothing is changed or added.

    Note 50 (l.128) ends ``… 19 May 1926, and 12 August 1927`` with no final period. The list of
    dates is complete – no text is lost – so the note is kept exactly as printed.
    """
    text = note.blocks[0].content[0]
    if not text.rstrip().endswith((".", "”", ")")):
        src.log("warning", "flag_open_note_end", note.line, before=text[-40:],
                note=f"note {note.label} ends without a full stop; it is complete as printed (nothing lost)")


def parse(src: SourceText, entry: dict) -> Document:
    refs = _find(src, "References")
    if refs is None:
        raise src.error(None, "no 'References' line: cannot find where the notes begin",
                        "this parser expects a Cambridge Core landing page with a 'References' section")
    extract = _find(src, "Extract", 1, refs)
    if extract is None:
        raise src.error(None, "no 'Extract' line before 'References'", "check that the file is a Cambridge Core extract page")

    metadata: dict[str, str] = {}
    title = ""
    authors: list[str] = []
    abstract: list[Paragraph] = []
    front = nonblank(src, 1, refs - 1)
    i = 0
    while i < len(front):
        n = front[i]
        line = src.line(n).strip()
        if line.startswith("Hostname:"):
            strip_page_trace(src, n)
        elif not title and n < extract:
            title = line
            metadata["title"] = line
        elif take_online_date(src, n, line, metadata):
            pass
        elif line == "Affiliation:" and i + 1 < len(front):
            strip_site_label(src, n)
            i += 1
            metadata["affiliation"] = src.line(front[i]).strip()
        elif n < extract and not authors:
            authors.append(strip_author_asterisk(
                src, n, line, "the asterisk after the author's name refers to the unnumbered acknowledgement note (Note '*')"))
        elif n == extract:
            strip_site_label(src, n)
        elif extract < n and line not in ("Type", "Copyright", "Access options") and not abstract_done(src, n):
            abstract.append(Paragraph([line], line=n))
        elif line in ("Type", "Copyright") and i + 1 < len(front):
            i = take_labelled_value(src, front, i, line.lower(), metadata)
        elif line == "Access options" or line.startswith("Get access to the full version"):
            strip_paywall_chrome(src, n)
        else:
            raise src.error(n, f"unexpected line before 'References': {line[:60]!r}",
                            "the page layout changed: extend cambridge_extract.py or remove the line via data/corrections")
        i += 1
    check_front_matter(src, title, authors, abstract, (extract, "the extract is empty", "check the paragraphs after 'Extract'"))
    strip_site_label(src, refs)

    glue = load_glued_words(src, "hatch")
    glue_lines = {int(e["line"]) for e in glue}
    notes: list[Note] = []
    numbered: list[tuple[int, str]] = []
    for n in nonblank(src, refs + 1, len(src.lines)):
        text = src.line(n).strip()
        m = NOTE_LINE.match(text)
        if m:
            label, text = m.group(1), text[m.end():]
            numbered.append((n, label))
        elif not notes:
            label = "*"   # the unnumbered first note: the author's acknowledgement
        else:
            raise src.error(n, f"a note line without a number: {text[:50]!r}",
                            "every note after the first must start with 'N. '")
        text = repair_note(src, n, text, glue)
        notes.append(Note(label, [Paragraph([text], line=n)], line=n))
    for ln in glue_lines:
        if ln not in {note.line for note in notes}:
            raise src.error(ln, "data/glued_words.yml lists a glue on a line that is not a note",
                            "correct the line number in data/glued_words.yml")
    if not numbered:
        raise src.error(refs, "no numbered notes after 'References'", "notes must start with 'N. '")
    check_note_sequence(src, numbered)
    for note in notes:
        flag_open_note_end(src, note)

    part = Part(slug="text", title=title, kind="article", blocks=[], notes=notes, notes_style="list", line=extract)
    return Document(id=entry["id"], title=title, authors=authors, parts=[part], abstract=abstract,
                    abstract_label="Extract", metadata=metadata, edits=src.edits)


def abstract_done(src: SourceText, n: int) -> bool:
    """True once the 'Type' label (the end of the extract) has been passed."""
    return any(src.line(k).strip() == "Type" for k in range(1, n))
