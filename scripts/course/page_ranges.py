"""Course items by printed page: ``pages: 112-125`` of a Viola chapter -> the paragraphs on those pages.

An instructor who assigns "pp. 112–125" thinks in the book's pages, not in the edition's paragraph
numbers. The printed pages come from scripts/sources/pagination.py: every paragraph of a paginated part
knows the page it starts on and the page it ends on (``Page.printed``, the same data as the
``paragraphs`` of build/pages.json). A page range selects every paragraph that has any text on
those pages, so a paragraph that begins before the first page or runs on after the last one is
included whole and **marked** as partly outside the range (the syllabus and the course reader say
on which page it begins or ends): an assignment never starts or stops mid-paragraph without
saying so.

A range outside the part's printed pages, or ``pages:`` for a reading the edition has no printed
pages for (the articles), stops the build with the course file's line and what to do instead.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from scripts.core.errors import BuildError
from scripts.sources.pagination import page_label
from scripts.core.passages import page_key
from scripts.core.model import Reading


@dataclass
class PageMap:
    """The printed pages of one reading page (a part of a paginated book)."""

    first: int
    last: int
    paragraphs: dict[int, tuple[int, int]]    # paragraph number -> (first page, last page)


@dataclass
class PageSelection:
    """What ``pages: A-B`` selects on one reading page."""

    first_page: int
    last_page: int
    first: int                                 # first and last paragraph number selected
    last: int
    partial: dict[int, str] = field(default_factory=dict)   # paragraph -> "begins on p. 111"

    @property
    def pages_label(self) -> str:
        return f"pp. {page_label(self.first_page, self.last_page)}" if self.first_page != self.last_page \
            else f"p. {self.first_page}"

    @property
    def paragraphs_label(self) -> str:
        return f"¶ {self.first}–{self.last}" if self.first != self.last else f"¶ {self.first}"

    def partial_text(self) -> str:
        """"¶ 1 begins on p. 111; ¶ 40 ends on p. 126" (empty when the range falls on paragraph ends)."""
        return "; ".join(f"¶ {n} {where}" for n, where in sorted(self.partial.items()))


def page_maps(pages) -> dict[str, PageMap]:
    """Passage key ("viola/chapter-5") -> its printed pages, for every reading page that has them."""
    out: dict[str, PageMap] = {}
    for page in pages:
        printed = getattr(page, "printed", None) or {}
        key = page_key(page.path)
        paragraphs = {int(a[1:]): (int(r[0]), int(r[1])) for a, r in printed.items() if re.fullmatch(r"p\d+", a)}
        if key and paragraphs:
            starts = [r[0] for r in paragraphs.values()]
            ends = [r[1] for r in paragraphs.values()]
            out[key] = PageMap(min(starts), max(ends), paragraphs)
    return out


def part_ranges(docs: list[Reading]) -> dict[str, tuple[int, int]]:
    """Passage key -> (first, last) printed page of the part, as the book's Contents give it."""
    out = {}
    for doc, _entry, _cite in docs:
        pag = doc.pagination
        for slug, pp in (pag.parts.items() if pag is not None else []):
            out[f"{doc.id}/{slug}"] = (pp.first, pp.last)
    return out


def whole_book(course_path: Path, line: int | None, key: str, first_page: int, last_page: int,
               ranges: dict[str, tuple[int, int]]) -> None:
    """``reading: viola`` with ``pages:``: stop, naming the chapter that holds those pages."""
    inside = [k for k, (a, b) in ranges.items() if k.startswith(key + "/") and a <= first_page <= b]
    if inside:
        a, b = ranges[inside[0]]
        shown = f"{first_page}–{last_page}" if first_page != last_page else str(first_page)
        raise BuildError(course_path, line, f"page ranges select paragraphs of one part of the book, and "
                         f"'{key}' is the whole book", f"pages {shown} are in {inside[0]} (pp. {a}–{b}): write "
                         f"'reading: {inside[0]}' (a range that crosses chapters needs one item per chapter)")


def select_pages(course_path: Path, line: int | None, key: str, first_page: int, last_page: int,
                 maps: dict[str, PageMap], ranges: dict[str, tuple[int, int]]) -> PageSelection:
    """The paragraphs of ``key`` printed on pages first_page–last_page, or a BuildError saying what to fix."""
    shown = f"{first_page}–{last_page}" if first_page != last_page else str(first_page)
    if key not in maps:
        whole_book(course_path, line, key, first_page, last_page, ranges)
        paginated = sorted(maps)
        where = (f"only the parts of Viola's book have them ({', '.join(paginated[:3])} …)" if paginated
                 else "no reading of this edition has them")
        raise BuildError(course_path, line, f"'{key}' has no printed page numbers in this edition, so 'pages: {shown}' "
                         f"cannot be found in it ({where})",
                         "give a paragraph range instead (paragraphs: 12-40; the ¶ numbers are in the margin of the "
                         "reading), or assign the whole reading")
    pm = maps[key]
    part_first, part_last = ranges.get(key, (pm.first, pm.last))
    if first_page > last_page:
        raise BuildError(course_path, line, f"pages {shown}: the first page is after the last",
                         f"write the lower page first (pages: {last_page}-{first_page})")
    if not (part_first <= first_page and last_page <= part_last):
        these = f"pages {shown} are" if first_page != last_page else f"page {shown} is"
        raise BuildError(course_path, line, f"{these} outside {key}, which is printed on "
                         f"pp. {part_first}–{part_last}",
                         f"give pages within {part_first}–{part_last}, or name the chapter those pages are in "
                         "(the reading's landing page lists each chapter's pages)")
    chosen = sorted(n for n, (a, b) in pm.paragraphs.items() if a <= last_page and b >= first_page)
    if not chosen:
        raise BuildError(course_path, line, f"no paragraph of {key} is printed on pages {shown} (only a heading, "
                         "table or page break falls there)", "widen the page range")
    first, last = chosen[0], chosen[-1]
    sel = PageSelection(first_page, last_page, first, last)
    for n in (first, last):
        a, b = pm.paragraphs[n]
        where = []
        if a < first_page:
            where.append(f"begins on p. {a}")
        if b > last_page:
            where.append(f"ends on p. {b}")
        if where:
            sel.partial[n] = " and ".join(where)
    return sel
