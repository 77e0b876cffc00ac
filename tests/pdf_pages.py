"""Note numbers of a chapter PDF, checked on the rendered pages (PDFium, through pypdfium2).

A text layer can hold a number that no reader sees: drawn outside the page, cut off by the page's
crop box or a clip, painted white, or covered. So each note number is looked for twice: its glyph
boxes in the text layer, and ink at those boxes in the page as PDFium renders it (what a viewer
shows and a printer prints).

Which glyphs are note numbers comes from the PDF's own structure, not from their font size:

- a **note reference** in the text is a link whose destination is the named destination
  ``fn-N`` (WeasyPrint writes one for the id of every note, ``<aside id="fn-3">``); its glyphs are
  the characters under the link (the link of a superscript is zero-high: ``sup { line-height: 0 }``,
  so the characters are those whose box spans its height and whose middle lies in its width);
- a **note's own number** is the text that starts where its destination ``fn-N`` points: the first
  characters at the note's top-left corner, which must read ``N.``.

Every glyph of every such number must lie wholly inside the page's visible area (the crop box
within the media box: what a viewer shows and a printer prints), with ink in the rendered bitmap
covering its box (so the number was drawn and not clipped away, hidden or painted over).
"""
from __future__ import annotations

import ctypes
import re
from dataclasses import dataclass
from pathlib import Path

SCALE = 3                  # render at 216 dpi: a 7 pt superscript digit is about 15 pixels high
INK = 128                  # a pixel darker than this (0 black … 255 white) is ink
COVER = 0.7                # the ink of a digit spans at least this share of its glyph box, both ways


@dataclass
class Glyph:
    char: str
    page: int              # 0-based
    box: tuple[float, float, float, float]    # left, bottom, right, top in PDF points


@dataclass
class NoteNumbers:
    refs: dict[int, list[list[Glyph]]]        # note N -> the glyphs of each reference to it in the text
    notes: dict[int, list[Glyph]]             # note N -> the glyphs of its own number ("12")


def _dest_location(pdf, dest) -> tuple[int, float, float]:
    import pypdfium2.raw as raw

    has_x, has_y, has_zoom = ctypes.c_int(), ctypes.c_int(), ctypes.c_int()
    x, y, zoom = ctypes.c_float(), ctypes.c_float(), ctypes.c_float()
    raw.FPDFDest_GetLocationInPage(dest, has_x, has_y, has_zoom, x, y, zoom)
    return raw.FPDFDest_GetDestPageIndex(pdf.raw, dest), round(x.value, 2), round(y.value, 2)


def note_destinations(pdf) -> dict[int, tuple[int, float, float]]:
    """``fn-N`` named destinations: note N -> (page, x, y)."""
    import pypdfium2.raw as raw

    out = {}
    for i in range(raw.FPDF_CountNamedDests(pdf.raw)):
        size = ctypes.c_long(0)
        raw.FPDF_GetNamedDest(pdf.raw, i, None, ctypes.byref(size))
        buf = ctypes.create_string_buffer(size.value)
        dest = raw.FPDF_GetNamedDest(pdf.raw, i, buf, ctypes.byref(size))
        name = buf.raw[:size.value].decode("utf-16-le").rstrip("\x00")
        m = re.fullmatch(r"fn-(\d+)", name)
        if m and dest:
            out[int(m.group(1))] = _dest_location(pdf, dest)
    return out


def _chars(textpage, page: int) -> list[Glyph]:
    return [Glyph(textpage.get_text_range(i, 1), page, tuple(textpage.get_charbox(i)))
            for i in range(textpage.count_chars())]


def find_note_numbers(pdf) -> NoteNumbers:
    """Every note reference and note number of ``pdf`` (a pypdfium2 PdfDocument), with its glyphs."""
    import pypdfium2.raw as raw

    dests = note_destinations(pdf)
    by_location = {loc: n for n, loc in dests.items()}
    refs: dict[int, list[list[Glyph]]] = {}
    notes: dict[int, list[Glyph]] = {}
    for index in range(len(pdf)):
        page = pdf[index]
        chars = _chars(page.get_textpage(), index)
        start, link = ctypes.c_int(0), raw.FPDF_LINK()
        while raw.FPDFLink_Enumerate(page.raw, ctypes.byref(start), ctypes.byref(link)):
            dest = raw.FPDFLink_GetDest(pdf.raw, link)
            n = by_location.get(_dest_location(pdf, dest)) if dest else None
            if n is None:
                continue                     # a glossary term or another internal link
            rect = raw.FS_RECTF()
            raw.FPDFLink_GetAnnotRect(link, ctypes.byref(rect))
            low, high = sorted((rect.bottom, rect.top))
            under = [g for g in chars if g.char.strip() and rect.left - 0.5 <= (g.box[0] + g.box[2]) / 2 <= rect.right + 0.5
                     and g.box[1] - 0.5 <= high and low <= g.box[3] + 0.5]
            refs.setdefault(n, []).append(under)
        for n, (dest_page, x, y) in dests.items():
            if dest_page != index:
                continue
            # the note's first line: characters whose top is within a line below the destination,
            # starting at its left edge, in the order the text layer gives them
            line = [g for g in chars if y - 16 <= g.box[3] <= y + 0.5 and x - 1 <= g.box[0] <= x + 40]
            number = []
            for g in line:
                if not g.char.isdigit():
                    break
                number.append(g)
            notes[n] = number
    return NoteNumbers(refs, notes)


def problems(path: Path) -> tuple[list[str], NoteNumbers]:
    """What is wrong with the note numbers of the PDF at ``path`` (an empty list: nothing), and the
    numbers found (for the caller to compare with the site's notes)."""
    import pypdfium2 as pdfium

    pdf = pdfium.PdfDocument(str(path))
    found = find_note_numbers(pdf)
    out: list[str] = []
    glyphs: dict[int, list[tuple[str, Glyph]]] = {}
    for n, refs in found.refs.items():
        for k, ref in enumerate(refs, 1):
            label = f"reference {k} to note {n}"
            if "".join(g.char for g in ref) != str(n):
                out.append(f"{label}: the text under its link reads {''.join(g.char for g in ref)!r}")
            glyphs.setdefault(ref[0].page if ref else -1, []).extend((label, g) for g in ref)
    for n, number in found.notes.items():
        if "".join(g.char for g in number) != str(n):
            out.append(f"note {n}: its text begins {''.join(g.char for g in number)!r}, not its number")
        glyphs.setdefault(number[0].page if number else -1, []).extend((f"note {n}'s number", g) for g in number)
    for index, items in sorted(glyphs.items()):
        if index < 0:
            continue
        page = pdf[index]
        left, bottom, right, top = page.get_bbox()          # the crop box within the media box
        pixels = page.render(scale=SCALE, grayscale=True).to_numpy()
        if pixels.ndim == 3:
            pixels = pixels.min(axis=2)
        for label, g in items:
            gl, gb, gr, gt = g.box
            where = f"page {index + 1}: {label}, glyph {g.char!r} at ({gl:.1f}, {gb:.1f})–({gr:.1f}, {gt:.1f})"
            if not (left <= gl and gr <= right and bottom <= gb and gt <= top):
                out.append(f"{where}: not wholly inside the visible page ({left:.0f}, {bottom:.0f})–({right:.0f}, {top:.0f})")
                continue
            x0, x1 = int((gl - left) * SCALE), int(round((gr - left) * SCALE + 0.5))
            y0, y1 = int((top - gt) * SCALE), int(round((top - gb) * SCALE + 0.5))
            ink = pixels[max(0, y0 - 1):y1 + 1, max(0, x0 - 1):x1 + 1] < INK
            rows, cols = ink.any(axis=1).nonzero()[0], ink.any(axis=0).nonzero()[0]
            if not len(rows):
                out.append(f"{where}: no ink on the rendered page")
            elif (rows[-1] - rows[0] + 1) < COVER * (y1 - y0) or (cols[-1] - cols[0] + 1) < COVER * (x1 - x0):
                out.append(f"{where}: only part of it is drawn on the rendered page")
    pdf.close()
    return out, found
