"""What an essay's note on a reading says: the reading's short author and title, the part, the page.

The essays cite readings by passage (``@viola/chapter-2#p5``); this module turns each such citation
into the words of its note through the CSL processor (:mod:`scripts.citations.csl`), with the printed
page as locator where the edition knows it, else the paragraph. It sits with the citations stage,
which fills the notes once the bibliography is formatted.
"""
from __future__ import annotations

import posixpath
import re
from dataclasses import dataclass, field

from scripts.citations import csl
from scripts.core.slots import PASSAGE_TOKEN
from scripts.core.edition import CLASSROOM, Edition
from scripts.core.passages import key_page, page_key
from scripts.core.model import Reading


@dataclass
class CitedReading:
    """What a note needs to know about one reading (from the manifest and bib/readings.bib)."""

    id: str
    authors: list[str]
    entry: dict[str, str]
    part_labels: dict[str, str] = field(default_factory=dict)   # passage key -> "ch. 2", "introduction"
    bibkey: str = ""
    printed: dict[str, dict[str, list[int]]] = field(default_factory=dict)  # passage key -> anchor -> [first, last page]
    note_pages: list[tuple[int, str, str]] = field(default_factory=list)   # (page, part slug, first note on it)
    part_order: list[str] = field(default_factory=list)

    @property
    def short_author(self) -> str:
        last = [a.split()[-1] if " " in a else a for a in self.authors]
        return last[0] if len(last) == 1 else ", ".join(last[:-1]) + " and " + last[-1]

    @property
    def is_book(self) -> bool:
        return self.entry.get("ENTRYTYPE") == "book"

    def short_title(self) -> str:
        """The short title the essays' notes print (:func:`scripts.citations.csl.short_title`, the one
        rule): the Essays index names a reading exactly as the notes under each essay do."""
        return csl.short_title(self.entry.get("shorttitle", ""), self.entry["title"])

    def titled(self, title: str, trailing: str) -> str:
        """A title in its Chicago dress (italic for a book, quoted for an article), ``trailing``
        punctuation placed inside the closing quote as American usage wants."""
        if self.is_book:
            return f"*{title}*{trailing}"
        title = title.replace("“", "‘").replace("”", "’")
        return f"“{title}{trailing}”"

    def locator(self, key: str, anchor: str | None) -> tuple[str, str]:
        """(CSL label, locator) for a cited passage: the printed page(s) of a paragraph when the
        pagination stage knows them ("page", "112-113"), the page of a book's note with its number
        ("page", "229n19", Chicago's form), else the paragraph ("paragraph", "14") or the note
        ("note", "63"); a whole chapter is "chapter", "2"; nothing for a part without a number."""
        if anchor is None:
            label = self.part_labels.get(key, "")
            return ("chapter", label[4:]) if label.startswith("ch. ") else ("", "")
        if anchor.startswith("p"):
            pages = self.printed.get(key, {}).get(anchor)
            if pages:
                first, last = pages
                return "page", str(first) if first == last else f"{first}-{last}"
            return "paragraph", anchor[1:]
        number = anchor.split(":", 1)[1] if ":" in anchor else anchor.split("-", 1)[1]
        if number == "star":                     # a note marked with an asterisk (Hatch's first note)
            return "note", "*"
        page = self.note_page(key, number)
        return ("page", f"{page}n{number}") if page else ("note", number)

    def note_page(self, key: str, number: str) -> int | None:
        """The printed page a book's endnote stands on: the last Notes page whose first note comes
        at or before it (scripts/sources/pagination.py records each Notes page's first note)."""
        part = key.split("/", 1)[1] if "/" in key else ""
        if not self.note_pages or part not in self.part_order or not number.isdigit():
            return None
        target = (self.part_order.index(part), int(number))
        before = [page for page, slug, first in self.note_pages
                  if slug in self.part_order and first.isdigit()
                  and (self.part_order.index(slug), int(first)) <= target]
        return max(before) if before else None


def part_label(nav_title: str) -> str:
    """"2. The Recruitment of the 25,000ers" -> "ch. 2"; "Introduction" -> "introduction"."""
    number = nav_title.split(".", 1)[0]
    return f"ch. {number}" if number.isdigit() else nav_title[:1].lower() + nav_title[1:]


@dataclass
class PassageCite:
    """One citation of a reading's passage in an essay, for the CSL processor: which entry, which
    locator, in which note (0: in the essay's text), and the link to the passage ("" if none)."""

    id: int
    item: str
    label: str
    locator: str
    note_index: int
    href: str

    @property
    def token(self) -> str:
        return PASSAGE_TOKEN.format(self.id)

    def job(self) -> dict:
        job = {"id": str(self.id), "item": self.item, "noteIndex": self.note_index}
        if self.locator:
            job.update(locator=self.locator, label=self.label)
        return job


class NoteStyle:
    """Collects the citations of one essay in reading order; the CSL processor writes them later."""

    def __init__(self, readings: dict[str, CitedReading], from_page: str, edition: Edition = CLASSROOM) -> None:
        self.readings = readings
        self.from_page = from_page
        self.edition = edition
        self.cites: list[PassageCite] = []
        self.note_index = 0           # the footnote being written (render_essay sets it; 0 = the text)

    def shown(self, key: str, anchor: str | None) -> bool:
        """Is this paragraph on the site? (The public-web edition withholds unlicensed texts.)"""
        return self.edition.prints(key, anchor)

    def href(self, key: str, anchor: str | None) -> str:
        target = posixpath.relpath(key_page(key), posixpath.dirname(self.from_page))
        return target + (f"#{anchor}" if anchor and self.shown(key, anchor) else "")

    def note(self, key: str, anchor: str | None) -> str:
        """One citation: recorded for the processor, a placeholder in the page until it has run."""
        reading = self.readings[key.split("/")[0]]
        label, locator = reading.locator(key, anchor)
        href = self.href(key, anchor) if self.shown(key, anchor) else ""
        cite = PassageCite(len(self.cites) + 1, reading.bibkey, label, locator, self.note_index, href)
        self.cites.append(cite)
        return cite.token


def fill_notes(page, cites: list[PassageCite], written: dict[str, str]) -> None:
    """Replace each placeholder by the note the processor wrote, linked to the cited passage.

    The processor ends a note with a period; the essay writes its own punctuation after each
    citation ("@viola/chapter-4#p27; @viola/chapter-5#p3."), so that period is left out."""
    by_token = {c.token: c for c in cites}

    def one(m: re.Match) -> str:
        c = by_token[m.group(0)]
        text = csl.html_to_markdown(written[str(c.id)])   # Markdown-safe: a title stays as written
        text = text[:-1] if text.endswith(".") else text
        return f"[{text}]({c.href}){{: .cite-link .cite-passage }}" if c.href else text
    page.markdown = re.sub(r"⟦passage:\d+⟧", one, page.markdown)


def readings_for(docs: list[Reading], pages_by_doc, bib_entries: dict[str, dict]) -> dict[str, CitedReading]:
    """Authors, bibliography entry and chapter labels of every reading."""
    out = {}
    for doc, entry, _cite in docs:
        reading = CitedReading(doc.id, list(doc.authors), bib_entries[entry["bibkey"]], bibkey=entry["bibkey"])
        for page in pages_by_doc[doc.id]:
            key = page_key(page.path)
            if key and "/" in key and page.nav_title:
                reading.part_labels[key] = part_label(page.nav_title)
            if key and getattr(page, "printed", None):
                reading.printed[key] = page.printed
        pag = doc.pagination
        if pag is not None:
            reading.note_pages = sorted((p, slug, str(label)) for p, (slug, label) in pag.notes.items())
            reading.part_order = [part.slug for part in doc.parts]
        out[doc.id] = reading
    return out
