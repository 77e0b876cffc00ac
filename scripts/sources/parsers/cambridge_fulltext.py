"""Parser for a Cambridge Core open-access article copied as full text from the web page.

Source: sources/goldman-blood-red-banner-2022.txt (Goldman 2022, CC BY 4.0). Layout::

    Hostname: … Total loading time …                 chrome (removed)
    <title> / Published online by …: <date> / <Author>* / Affiliation: / <affiliation, e-mail>
    Rights & Permissions [Opens in a new window]     chrome (removed)
    Abstract / <abstract>
    Type / <type> / Creative Commons / <badge alt text> / <licence> / Copyright / <copyright>
    <body: paragraphs, short unpunctuated lines = section headings,
           "Figure N. caption" + "Courtesy of …" credit = figures,
           markers "Footnote N" glued to the preceding punctuation>
    References
    N <note> …                                        notes (number, space, text)
    Figure 0 / Figure 1. …Courtesy … / …              duplicate figure trailer (removed)

A paragraph that ends with "," (``He explained,``) is the lead-in of the block quotation that
follows; the quotation is not joined to it, and the prose after the quotation stays its own paragraph.
"""
from __future__ import annotations

import re

from scripts.sources.cleaning import (check_note_sequence, check_refs, drop_email_address, move_to_metadata, nonblank,
                        restore_range_dash, split_markers, strip_author_asterisk, strip_figure_trailer,
                        strip_licence_badge, strip_link_text, strip_page_trace, strip_site_label, strip_web_buttons,
                        check_front_matter, take_labelled_value,
                        take_online_date)
from scripts.core.model import BlockQuote, Document, Figure, Heading, Note, Paragraph, Part
from scripts.sources.read import SourceText

MARKER = re.compile(r"Footnote (\d+)")
NOTE_LINE = re.compile(r"^(\d+) ")
FIGURE = re.compile(r"^Figure (\d+)\. (.+)$")
TERMINAL = tuple(".?!”\"’)]:;,")
HEADING_MAX = 80
LABELS = {"Type": "type", "Copyright": "copyright"}


def is_heading(line: str) -> bool:
    """A section heading: a short line with no terminal punctuation and no note marker."""
    return len(line) <= HEADING_MAX and not line.endswith(TERMINAL) and not MARKER.search(line) and not FIGURE.match(line)


def flag_trailing_digits(src: SourceText, n: int, label: str, text: str) -> None:
    """Flag digits after a note's final full stop (``pp. 30–31.10``, note 16): kept, not dropped.

    Their meaning is unknown (a lost reference number?), so the edition prints them and logs damage.
    """
    if m := re.search(r"\d\.(\d{1,3})$", text):
        src.log("damage", "flag_trailing_digits", n, before=text[-20:],
                note=f"note {label}: stray '{m.group(1)}' after the final full stop; meaning unknown, kept as printed")


def parse(src: SourceText, entry: dict) -> Document:
    refs_at = next((n for n in range(1, len(src.lines) + 1) if src.line(n).strip() == "References"), None)
    if refs_at is None:
        raise src.error(None, "no 'References' line: cannot find the notes", "the notes must follow a 'References' line")
    copyright_label = next((n for n in range(1, refs_at) if src.line(n).strip() == "Copyright"), None)
    if copyright_label is None:
        raise src.error(None, "no 'Copyright' label before the body", "the article's front matter must end with 'Copyright' and its line")
    body_start = copyright_label + 2

    # --- front matter --------------------------------------------------------------------------
    metadata: dict[str, str] = {}
    title = ""
    authors: list[str] = []
    abstract: list[Paragraph] = []
    front = nonblank(src, 1, body_start - 1)
    in_abstract = False
    i = 0
    while i < len(front):
        n = front[i]
        line = src.line(n).strip()
        if line.startswith("Hostname:"):
            strip_page_trace(src, n)
        elif not title:
            title = metadata["title"] = line
        elif take_online_date(src, n, line, metadata):
            pass
        elif not authors:
            authors.append(strip_author_asterisk(
                src, n, line, "asterisk after the author's name: it links to the affiliation box on the web page"))
        elif line == "Affiliation:" and i + 1 < len(front):
            strip_site_label(src, n)
            i += 1
            metadata["affiliation"] = drop_email_address(src, front[i], src.line(front[i]).strip())
        elif line.startswith("Rights & Permissions"):
            strip_web_buttons(src, n)
        elif line == "Abstract":
            strip_site_label(src, n)
            in_abstract = True
        elif line in LABELS and i + 1 < len(front):
            in_abstract = False
            i = take_labelled_value(src, front, i, LABELS[line], metadata)
        elif line == "Creative Commons" or line.startswith("Creative Common License"):
            strip_licence_badge(src, n)
        elif line.startswith("This is an Open Access article"):
            metadata["licence"] = line
            move_to_metadata(src, n, "licence")
        elif in_abstract:
            abstract.append(Paragraph([line], line=n))
        else:
            raise src.error(n, f"unexpected line in the front matter: {line[:60]!r}",
                            "the page layout changed: extend cambridge_fulltext.py or remove the line via data/corrections")
        i += 1
    check_front_matter(src, title, authors, abstract, (None, "no abstract found", "the abstract must follow an 'Abstract' line"))

    # --- body ----------------------------------------------------------------------------------
    blocks: list = []
    markers: list[tuple[int, str]] = []
    body = nonblank(src, body_start, refs_at - 1)
    i = 0
    while i < len(body):
        n = body[i]
        line = src.line(n).strip()
        if fm := FIGURE.match(line):
            credit = ""
            if i + 1 < len(body) and src.line(body[i + 1]).startswith("Courtesy"):
                i += 1
                credit = src.line(body[i]).strip()
            blocks.append(Figure(f"Figure {fm.group(1)}", fm.group(2), credit, line=n))
        elif is_heading(line):
            blocks.append(Heading(line, 2, line=n))
        else:
            markers += [(n, m.group(1)) for m in MARKER.finditer(line)]
            para = Paragraph(split_markers(line, MARKER), line=n)
            prev = blocks[-1] if blocks else None
            if isinstance(prev, Paragraph) and isinstance(prev.content[-1], str) and prev.content[-1].rstrip().endswith(","):
                blocks.append(BlockQuote([para], line=n))
            else:
                blocks.append(para)
        i += 1

    # --- notes and trailer ---------------------------------------------------------------------
    strip_site_label(src, refs_at)
    notes: list[Note] = []
    numbered: list[tuple[int, str]] = []
    trailer = False
    for n in nonblank(src, refs_at + 1, len(src.lines)):
        line = src.line(n).strip()
        if trailer or re.match(r"^Figure \d+$", line):
            trailer = True
            if not re.match(r"^Figure \d+(\. .+)?$", line):
                raise src.error(n, f"unexpected line in the figure trailer: {line[:50]!r}",
                                "the trailer after the notes should hold only 'Figure N' lines and captions")
            strip_figure_trailer(src, n)
            continue
        m = NOTE_LINE.match(line)
        if not m:
            raise src.error(n, f"a line in the notes that does not start with 'N ': {line[:50]!r}",
                            "join it to its note or correct it via data/corrections")
        label, text = m.group(1), line[m.end():]
        numbered.append((n, label))
        text = restore_range_dash(src, n, text)
        text = strip_link_text(src, n, text)
        flag_trailing_digits(src, n, label, text)
        notes.append(Note(label, [Paragraph([text], line=n)], line=n))
    if not numbered:
        raise src.error(refs_at, "no notes after 'References'", "notes must start with 'N '")
    check_note_sequence(src, numbered)
    check_refs(src, markers, {label for _, label in numbered})

    part = Part(slug="text", title=title, kind="article", blocks=blocks, notes=notes, line=body_start)
    return Document(id=entry["id"], title=title, authors=authors, parts=[part], abstract=abstract,
                    abstract_label="Abstract", metadata=metadata, edits=src.edits)
