"""Stage: check that notes are linked both ways before anything is rendered.

Every NoteRef on a page must have exactly one note with that label, and (for pages whose notes are
footnotes) every note must be referenced. Parsers check their own formats; this check guards the
renderer against any parser that lets a mismatch through.
"""
from __future__ import annotations

from collections import Counter

from scripts.core.model import BlockQuote, Document, Epigraph, NoteRef, Paragraph
from scripts.sources.read import SourceText


def note_refs(blocks: list) -> list[NoteRef]:
    """All NoteRefs in running text, in order."""
    refs = []
    for block in blocks:
        paragraphs = []
        if isinstance(block, Paragraph):
            paragraphs = [block]
        elif isinstance(block, (BlockQuote, Epigraph)):
            paragraphs = block.paragraphs
        for para in paragraphs:
            refs += [seg for seg in para.content if isinstance(seg, NoteRef)]
    return refs


def check_notes(doc: Document, src: SourceText) -> None:
    """Raise a BuildError for a marker with no note or two notes with one number."""
    for part in doc.parts:
        labels = Counter(note.label for note in part.notes)
        for label, n in labels.items():
            if n > 1:
                line = [note.line for note in part.notes if note.label == label][1]
                raise src.error(line, f"{part.title}: two notes numbered {label}",
                                "renumber or merge the duplicate note in the source's notes section")
        if part.notes_style != "footnotes":
            continue
        refs = note_refs(part.blocks)
        missing = [r.label for r in refs if r.label not in labels]
        if missing:
            raise src.error(part.line or None, f"{part.title}: note marker {missing[0]} has no note",
                            "add the note to the notes section, or remove the marker if it is an OCR artifact")
        referenced = {r.label for r in refs}
        unreferenced = [n for n in part.notes if n.label not in referenced]
        for note in unreferenced:
            src.log("warning", "check_notes", note.line,
                    note=f"{part.title}: note {note.label} has no marker in the text; it is listed but not linked")
