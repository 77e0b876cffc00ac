"""Parser for Lynne Viola, *The Best Sons of the Fatherland* (1987): an OCR'd book.

Layout (see /work/shared/reference/seed-viola.md): title and copyright pages, dedication, the
Maiakovskii poem, Acknowledgments, Contents, half-title; Introduction; chapters 1-7 (a digit line,
a blank, the title); Conclusion; NOTES (grouped ``Introduction`` / ``Chapter N``); GLOSSARY;
A NOTE ON SOURCES; BIBLIOGRAPHY; Index; back-cover blurbs. Note markers are Unicode superscript
digits. The sub-modules viola_front, viola_body, viola_tables, viola_notes and viola_backmatter
hold the rules; this module finds the landmarks, assembles the parts and checks markers against notes.
"""
from __future__ import annotations

import re

from scripts.core.model import Document, Note, Part
from scripts.sources.read import SourceText
from scripts.sources.parsers.viola_backmatter import parse_bibliography, parse_glossary, parse_index, parse_prose
from scripts.sources.parsers.viola_body import parse_body_part
from scripts.sources.parsers.viola_front import drop, drop_dedication_letter, drop_scan_junk, front_blocks, title_page_metadata
from scripts.sources.parsers.viola_notes import GROUP, parse_notes
from scripts.sources.parsers.viola_text import build_vocabulary

TITLE = "The Best Sons of the Fatherland"
SUBTITLE = "Workers in the Vanguard of Soviet Collectivization"
CHAPTER_DIGIT = re.compile(r"^([1-9])$")


def _find(src: SourceText, test, first: int, last: int, what: str, hint: str, last_match: bool = False) -> int:
    """The first (or last) line in first..last for which ``test(line)`` holds, or a BuildError."""
    found = [n for n in range(first, min(last, len(src.lines)) + 1) if test(src.lines[n - 1])]
    if not found:
        raise src.error(first, f"cannot find {what} (searched lines {first}-{last})", hint)
    return found[-1] if last_match else found[0]


def _exact(text: str):
    return lambda line: line == text


def move_notes_to_chapters(src: SourceText, notes_line: int, group_lines: list[int]) -> None:
    """Log the headings of the book's NOTES section, which the edition does not print as such.

    The book prints all notes at the end ("NOTES", then "Introduction", "Chapter 1", …); the edition
    prints each part's notes at the end of that part's page under "Notes", so the section heading
    and the group headings (e.g. line 2131 "Chapter 1") are no longer needed as text.
    """
    src.log("removal", "move_notes_to_chapters", notes_line, before=src.lines[notes_line - 1],
            note="the notes are printed at the end of each part's page, under 'Notes'")
    for n in group_lines:
        src.log("removal", "move_notes_to_chapters", n, before=src.lines[n - 1],
                note="group heading of the book's notes section; these notes now close that part's page")


def title_case_back_matter_heading(src: SourceText, line: int, title: str) -> None:
    """Print the upper-case back-matter headings in title case, as the book's Contents does.

    The text conversion has "GLOSSARY", "A NOTE ON SOURCES", "BIBLIOGRAPHY" where the Contents
    lists "Glossary", "A Note on Sources", "Bibliography"; the page title uses the Contents form.
    """
    if src.lines[line - 1] != title:
        src.log("correction", "title_case_back_matter_heading", line, before=src.lines[line - 1], after=title,
                note="heading printed as in the book's Contents")


def check_back_cover(src: SourceText, cover: int, end: int) -> None:
    """The back cover runs from 'Praise For' to the ISBN line that closes the file: anything after the
    ISBN (a text appended, a second copy) is not back cover and must not be dropped with it."""
    last = max((n for n in range(cover, end + 1) if src.lines[n - 1].strip()), default=cover)
    if not src.lines[last - 1].startswith("ISBN"):
        isbn = next((n for n in range(cover, end + 1) if src.lines[n - 1].startswith("ISBN")), None)
        raise src.error(isbn + 1 if isbn else cover,
                        "text follows the back cover" if isbn else "the back cover (from 'Praise For') has no closing ISBN line",
                        "the back cover is dropped from 'Praise For' to its ISBN line, the last line of the file: "
                        "check what follows the ISBN (or where the ISBN line went)")


def parse(src: SourceText, entry: dict) -> Document:
    end = len(src.lines)
    vocab = build_vocabulary(src.lines)
    copyright_ = _find(src, lambda s: s.startswith("Copyright ©"), 1, 200, "the copyright page ('Copyright © …')",
                       "the title pages must end before a 'Copyright ©' line")
    printed = _find(src, lambda s: s.startswith("Printed in "), copyright_, copyright_ + 80,
                    "the end of the copyright page ('Printed in …')", "the copyright page ends with 'Printed in …'")
    ack = _find(src, _exact("Acknowledgments"), printed, 400, "the 'Acknowledgments' heading",
                "the front matter needs an 'Acknowledgments' line")
    contents = _find(src, _exact("Contents"), ack, 500, "the 'Contents' heading", "the Contents page starts with 'Contents'")
    notes_line = _find(src, _exact("NOTES"), contents, end, "the 'NOTES' heading",
                       "the notes section must start with a line reading exactly 'NOTES' (upper case)")
    intro = _find(src, _exact("Introduction"), contents + 1, notes_line, "the 'Introduction' heading",
                  "the body must start with a line reading 'Introduction'")
    glossary = _find(src, _exact("GLOSSARY"), notes_line, end, "the 'GLOSSARY' heading", "add the GLOSSARY heading line")
    sources = _find(src, _exact("A NOTE ON SOURCES"), glossary, end, "'A NOTE ON SOURCES'", "add the heading line")
    biblio = _find(src, _exact("BIBLIOGRAPHY"), sources, end, "'BIBLIOGRAPHY'", "add the heading line")
    index = _find(src, _exact("Index"), biblio, end, "the 'Index' heading", "add the heading line 'Index'")
    cover = next((n for n in range(index, end + 1) if src.lines[n - 1] == "Praise For"), end + 1)

    # ---- front matter -------------------------------------------------------------------------
    metadata = title_page_metadata(src, printed)
    junk = drop_scan_junk(src, 1, copyright_ - 1)
    keep = [n for n in range(1, copyright_) if n not in junk]
    for a, b in _runs(keep):
        drop(src, "drop_title_page_debris", a, b, "title pages: title, author and publisher (kept in the reading's metadata)")
    drop(src, "drop_title_page_debris", copyright_, printed,
         "copyright page and Library of Congress CIP data (facts kept in the reading's metadata)")
    dedication = _find(src, lambda s: bool(s.strip()), printed + 1, ack, "the dedication", "add the dedication line")
    letter_end = drop_dedication_letter(src, dedication, ack)
    half_title = _find(src, _exact(TITLE), contents, intro, "the half-title before the Introduction",
                       "the Introduction is preceded by the half-title line", last_match=True)
    metadata["contents"] = "; ".join(src.lines[n - 1] for n in range(contents + 1, half_title) if src.lines[n - 1].strip())
    drop(src, "drop_contents_page", contents, half_title - 1, "the Contents page (the site has its own navigation)")
    drop(src, "drop_half_title", half_title, half_title, "half-title before the Introduction")
    front = Part("front-matter", "Dedication, Epigraph and Acknowledgments", "front", line=dedication,
                 blocks=front_blocks(src, dedication, letter_end + 1, ack, contents, vocab))

    # ---- body -----------------------------------------------------------------------------------
    digits = [n for n in range(intro, notes_line) if CHAPTER_DIGIT.match(src.lines[n - 1])]
    numbers = [src.lines[n - 1] for n in digits]
    if numbers != [str(i) for i in range(1, len(numbers) + 1)] or not numbers:
        raise src.error(digits[0] if digits else intro, f"chapter number lines out of order: {numbers}",
                        "each chapter starts with its number alone on a line (1, 2, …), a blank line and its title")
    conclusion = _find(src, _exact("Conclusion"), digits[-1], notes_line, "the book's 'Conclusion'",
                       "the Conclusion is the last line 'Conclusion' before NOTES", last_match=True)
    bounds = [("introduction", "Introduction", "", intro, intro + 1, digits[0] - 1)]
    for i, d in enumerate(digits):
        nxt = digits[i + 1] - 1 if i + 1 < len(digits) else conclusion - 1
        bounds.append((f"chapter-{i + 1}", src.lines[d + 1], str(i + 1), d, d + 3, nxt))
    bounds.append(("conclusion", "Conclusion", "", conclusion, conclusion + 1, notes_line - 1))
    notes = parse_notes(src, notes_line + 1, glossary - 1, vocab)
    move_notes_to_chapters(src, notes_line, _group_lines(src, notes_line + 1, glossary - 1))
    body: list[Part] = []
    for slug, title, number, head, first, last in bounds:
        if number and not title.strip():
            raise src.error(head + 2, f"chapter {number} has no title line", "put the title two lines after the chapter number")
        res = parse_body_part(src, first, last, vocab, chapter=bool(number))
        part_notes = notes.pop(slug, [])
        _check_notes(src, slug, res.markers, part_notes, head)
        body.append(Part(slug, title, "body", res.blocks, part_notes, number=number, line=head))
    if notes:
        slug, group = next(iter(notes.items()))
        raise src.error(group[0].line if group else notes_line, f"notes group '{slug}' matches no part of the book",
                        "check the group heading ('Introduction' or 'Chapter N')")

    # ---- back matter ----------------------------------------------------------------------------
    for line, title in ((glossary, "Glossary"), (sources, "A Note on Sources"), (biblio, "Bibliography")):
        title_case_back_matter_heading(src, line, title)
    back = [
        Part("glossary", "Glossary", "back", parse_glossary(src, glossary + 1, sources - 1), line=glossary),
        Part("note-on-sources", "A Note on Sources", "back", parse_prose(src, sources + 1, biblio - 1, vocab), line=sources),
        Part("bibliography", "Bibliography", "back", parse_bibliography(src, biblio + 1, index - 1),
             in_search=False, annotate=False, line=biblio),
        Part("index", "Index", "back", parse_index(src, index + 1, cover - 1), in_search=False, annotate=False, line=index),
    ]
    if cover <= end:
        check_back_cover(src, cover, end)
        drop(src, "drop_back_cover", cover, end, "back-cover blurbs, author note, bar code and ISBN: not text of the book")
    return Document(id=entry["id"], title=TITLE, subtitle=SUBTITLE, authors=["Lynne Viola"],
                    parts=[front, *body, *back], metadata=metadata)


def _group_lines(src: SourceText, first: int, last: int) -> list[int]:
    """The notes-group heading lines ('Introduction', 'Chapter N') between ``first`` and ``last``."""
    return [n for n in range(first, last + 1) if GROUP.match(src.lines[n - 1])]


def _runs(numbers: list[int]) -> list[tuple[int, int]]:
    """Consecutive runs [(first, last)] of sorted line numbers."""
    runs: list[tuple[int, int]] = []
    for n in numbers:
        if runs and n == runs[-1][1] + 1:
            runs[-1] = (runs[-1][0], n)
        else:
            runs.append((n, n))
    return runs


def _check_notes(src: SourceText, slug: str, markers: list[tuple[str, int]], notes: list[Note], head: int) -> None:
    """Every marker has its note, every note its marker, and markers run 1..N in reading order."""
    by_label = {n.label: n for n in notes}
    for label, line in markers:
        if label not in by_label:
            raise src.error(line, f"note marker {label} in {slug} has no note",
                            f"add note {label}. to the group for {slug} in NOTES, or remove the marker")
    expected = 1
    seen: set[str] = set()
    for label, line in markers:
        if label in seen:
            raise src.error(line, f"note marker {label} occurs twice in {slug}", "each marker number must occur once per part")
        if int(label) != expected:
            raise src.error(line, f"note marker {expected} is missing in {slug}: the markers jump from {expected - 1} to {label}",
                            f"restore the superscript {expected} in the text where note {expected} belongs")
        seen.add(label)
        expected += 1
    for note in notes:
        if note.label not in seen:
            raise src.error(note.line, f"note {note.label} of {slug} has no marker in the text",
                            "restore the superscript marker in the text or remove the note")
