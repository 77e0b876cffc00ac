"""Stage: reading guides — a collapsible box at the top of every reading and every chapter of Viola.

The prose is data: ``data/guides/<reading>.yml``, one file per reading (the file name is the
reading's id in sources/sources.yml), read with :func:`scripts.core.datafile.load_yaml`'s schema layer::

    guides:
      - page: chapter-2          # a part of a multi-page reading, or "overview" for its landing page;
                                 # leave it out for a one-page reading (hatch, goldman, …)
        context: >-
          Who wrote it, when, from what position, and why it is in this collection.
        questions:               # three to five questions the text can answer
          - …
        timeline:                # optional: years the text dates, each with the passage that says so
          - year: 1929
            event: The November plenum announces the recruitment.
            source: viola/chapter-2#p5

What the build computes (never written by hand): the page's word count and reading time (at
:data:`WORDS_PER_MINUTE`, text and notes), its key terms (the glossary terms most often annotated on
the page, each linked to its entry), the printed pages where known, and "Discussed in" (the essays
that cite the page).

Bad input — a guide for an unknown reading or page, a guide without questions or with more than
five, a timeline source that is not a paragraph or does not state the year — stops the build with
``file:line: error:`` and what to do.
"""
from __future__ import annotations

import posixpath
from pathlib import Path

from pydantic import Field

from scripts.core.escape import md_inline
from scripts.core.markdown_text import escape_text
from scripts.core.datafile import Ref, Slug, Strict, Text, parse_yaml, schema_for, validate
from scripts.core.errors import BuildError
from scripts.core.passages import key_page, page_key
from scripts.core.passages import WORDS_PER_MINUTE, page_counts, reading_minutes
from scripts.core.edition import CLASSROOM, Edition
from scripts.core.slots import GUIDE_SLOT, TIMELINE_SLOT
from scripts.core.model import Reading
from scripts.core.links import md_link

"""Reading speed used for the estimate: a careful reading of scholarly prose, not skimming."""

KEY_TERMS = 6
"""How many key terms a guide lists (the most frequently annotated on the page)."""

OVERVIEW = "overview"
SLOT = GUIDE_SLOT
"""Where render.py leaves room for the guide on a reading page (replaced or removed here)."""

MIN_QUESTIONS, MAX_QUESTIONS = 3, 5


class TimelineEvent(Strict):
    year: int = Field(ge=1800, le=2100)
    event: Text
    source: Ref


class Guide(Strict):
    page: Slug | None = None
    context: Text
    questions: list[Text] = Field(min_length=1)
    timeline: list[TimelineEvent] = []


@schema_for("data/guides/*.yml")
class GuideFile(Strict):
    guides: list[Guide] = Field(min_length=1)




def load_guides(folder: Path, readings: dict[str, list[str]], passages: dict) -> dict[str, tuple[Guide, Path]]:
    """Every guide, keyed by the docs path of the page it opens.

    ``readings`` maps each reading id to its part slugs (empty for a one-page reading).
    """
    out: dict[str, tuple[Guide, Path]] = {}
    if not folder.exists():
        return out
    for path in sorted(folder.glob("*.yml")):
        data, key_lines = parse_yaml(path)
        if data is None:
            raise BuildError(path, None, "the file is empty", "write a 'guides:' list (see the README) or delete the file")
        reading = path.stem
        if reading not in readings:
            raise BuildError(path, 1, f"there is no reading '{reading}' (the file name names the reading)",
                             f"name the file after a reading id of sources/sources.yml: {', '.join(sorted(readings))}")
        guide_file = validate(path, data, key_lines, GuideFile)
        parts = readings[reading]
        for raw, guide in zip(data["guides"], guide_file.guides):
            start, lines = key_lines.get(id(raw), (None, {}))
            page = _page_of(path, reading, parts, guide, lines.get("page", start))
            if page in out:
                raise BuildError(path, lines.get("page", start), f"a second guide for {page}",
                                 "keep one guide per page: merge the two")
            n = len(guide.questions)
            if not MIN_QUESTIONS <= n <= MAX_QUESTIONS:
                raise BuildError(path, lines.get("questions", start),
                                 f"the guide has {n} question(s); a guide has {MIN_QUESTIONS} to {MAX_QUESTIONS}",
                                 "write three to five discussion questions the text can answer")
            for raw_event, event in zip(raw.get("timeline") or [], guide.timeline):
                key, _, anchor = event.source.partition("#")
                if anchor not in passages.get(key, {}):
                    line = key_lines.get(id(raw_event), (start, {}))[1].get("source", start)
                    raise BuildError(path, line, f"timeline source '{event.source}' is not a passage of the readings",
                                     "give the paragraph that states the date, e.g. viola/chapter-2#p5 "
                                     "(python -m scripts.core.passages find <words>)")
                if str(event.year) not in passages[key][anchor]:
                    line = key_lines.get(id(raw_event), (start, {}))[1].get("year", start)
                    raise BuildError(path, line, f"{event.source} does not mention the year {event.year}",
                                     "date an event only by a paragraph that states its year "
                                     f"(python -m scripts.core.passages show {event.source})")
            out[page] = (guide, path)
    return out


def _page_of(path: Path, reading: str, parts: list[str], guide: Guide, line: int | None) -> str:
    """The docs path of the page a guide is for; an unknown page stops the build."""
    if not parts:
        if guide.page not in (None, reading):
            raise BuildError(path, line, f"'{reading}' is a one-page reading: there is no page '{guide.page}'",
                             "remove the 'page:' line")
        return f"readings/{reading}/index.md"
    if guide.page is None:
        raise BuildError(path, line, f"'{reading}' has several pages: the guide does not say which",
                         f"add 'page:' with one of: {OVERVIEW}, {', '.join(parts)}")
    if guide.page == OVERVIEW:
        return f"readings/{reading}/index.md"
    if guide.page not in parts:
        raise BuildError(path, line, f"'{reading}' has no page '{guide.page}'",
                         f"use one of: {OVERVIEW}, {', '.join(parts)}")
    return f"readings/{reading}/{guide.page}.md"


def printed_pages(page_path: str, printed: dict[str, tuple[int, int]]) -> str | None:
    """The printed page range of a page ("pp. 27–55"), shown in the guide when the edition knows it.

    ``printed`` maps a part's passage key ("viola/chapter-2") to its first and last printed page,
    taken from the documents' own pagination (:func:`printed_parts`); parts of texts without printed
    pages, and landing pages, show none.
    """
    key = page_key(page_path)
    if not key or key not in printed:
        return None
    first, last = printed[key]
    return f"p. {first}" if first == last else f"pp. {first}–{last}"


def printed_parts(docs: list[Reading]) -> dict[str, tuple[int, int]]:
    """Passage key of every part with printed pages -> (first, last) page, from ``doc.pagination``."""
    out: dict[str, tuple[int, int]] = {}
    for doc, _entry, _cite in docs:
        if doc.pagination is not None:
            for slug, part in doc.pagination.parts.items():
                out[f"{doc.id}/{slug}"] = (part.first, part.last)
    return out
def _source_link(source: str, page_path: str, edition: Edition = CLASSROOM) -> str:
    """The paragraph a guide's date comes from, as a link ("¶ 7", "ch. 2, ¶ 5"): the date's citation
    (named without a link where the edition withholds the paragraph)."""
    key, _, anchor = source.partition("#")
    target = key_page(key)
    label = ("¶ " + anchor[1:]) if anchor.startswith("p") else "n. " + anchor.split(":")[-1].removeprefix("note-")
    if target != page_path and "/" in key:
        label = key.split("/")[1].replace("chapter-", "ch. ") + ", " + label
    if not edition.prints(key, anchor):
        return label
    href = md_link(page_path, target)
    return f"[{label}]({'' if target == page_path else href}#{anchor})"


def render_guide(guide: Guide, page_path: str, words: tuple[int, int], terms: list[tuple[str, str]],
                 essays: list[tuple[str, str]], glossary_page: str, printed: dict[str, tuple[int, int]],
                 edition: Edition = CLASSROOM) -> str:
    """The guide box (Markdown inside a <details> element, open by default so that it prints)."""
    text, notes = words
    minutes = reading_minutes(text, notes)
    here = posixpath.dirname(page_path)
    facts = f"{text:,} words of text" + (f" and {notes:,} in the notes" if notes else "")
    facts += (f": about {minutes} minutes at {WORDS_PER_MINUTE} words per minute, a careful pace for "
              "scholarly prose.")
    pages = printed_pages(page_path, printed)
    if pages:
        facts += f" Printed {pages}."
    lines = ['<details class="reading-guide" open markdown>', "<summary>Reading guide</summary>", "",
             f"{escape_text(guide.context)}", "{: .guide-context }", "",
             f'<span class="guide-words" data-words="{text}" data-note-words="{notes}" data-minutes="{minutes}" '
             f'data-wpm="{WORDS_PER_MINUTE}">{facts}</span>', "{: .guide-facts }", ""]
    if terms:
        links = [f"[{headword}]({posixpath.relpath(glossary_page, here)}#{tid})" for tid, headword in terms]
        lines += ["**Key terms:** " + ", ".join(links), "{: .guide-terms }", ""]
    lines += ["**Questions for discussion**", ""]
    lines += [f"{i}. {escape_text(q)}" for i, q in enumerate(guide.questions, 1)]
    lines += [""]
    if guide.timeline:
        lines += ["**Dates in this text**", ""]
        lines += [f"- **{e.year}**: {escape_text(e.event)} ({_source_link(e.source, page_path, edition)})" for e in guide.timeline]
        lines += [""]
    if essays:
        links = [f"[*{md_inline(title)}*]({posixpath.relpath(path, here)})" for title, path in essays]
        lines += ["**Discussed in:** " + ", ".join(links), "{: .guide-essays }", ""]
    lines += [TIMELINE_SLOT, "", "</details>"]
    return "\n".join(lines)


def add_guides(pages, guides: dict, counts, terms_by_id, essays, glossary_page: str,
               text_of: dict[str, dict[str, str]] | None = None,
               printed: dict[str, tuple[int, int]] | None = None, edition: Edition = CLASSROOM) -> list[str]:
    """Put each guide into its page's slot; returns the pages that have a slot but no guide.

    ``counts`` are the glossary annotator's (page, term id) -> count; ``essays`` the checked essays.
    A book's landing page counts the words and terms of its guided chapters. ``text_of`` (docs path
    -> passages) gives the full text's words where a page withholds them (public-web edition).
    """
    text_of = text_of or {}

    def passages_of(p) -> dict[str, str]:
        return p.passages or text_of.get(p.path, {})

    slotted = [p for p in pages if SLOT in p.markdown]
    cited_by: dict[str, dict[str, str]] = {}
    for essay in essays:
        for key, _anchor in essay.first_cite:
            for path in {key_page(key), key_page(key.split("/")[0])}:
                cited_by.setdefault(path, {})[essay.path] = essay.title
    missing = []
    for page in slotted:
        if page.path not in guides:
            page.markdown = page.markdown.replace(SLOT + "\n", "").replace(SLOT, "")
            missing.append(page.path)
            continue
        covers = [page]
        if not passages_of(page):        # a book's landing page: its chapters' words and terms
            folder = posixpath.dirname(page.path) + "/"
            covers = [p for p in slotted if p.path.startswith(folder) and passages_of(p)]
        words = tuple(map(sum, zip(*(page_counts(passages_of(p)) for p in covers)))) or (0, 0)
        terms = key_terms({p.path for p in covers}, counts, terms_by_id)
        cites = sorted(((t, p) for p, t in cited_by.get(page.path, {}).items()), key=lambda x: x[0].lower())
        guide, _source = guides[page.path]
        page.markdown = page.markdown.replace(SLOT, render_guide(guide, page.path, words, terms, cites, glossary_page,
                                                                      printed or {}, edition))
    return missing


def key_terms(page_paths: set[str], counts, terms_by_id) -> list[tuple[str, str]]:
    """The glossary terms most often annotated on these pages: [(term id, headword)], most frequent first."""
    tally: dict[str, int] = {}
    for (where, tid), n in counts.items():
        if where in page_paths and tid in terms_by_id:
            tally[tid] = tally.get(tid, 0) + n
    ranked = sorted(tally.items(), key=lambda kv: (-kv[1], terms_by_id[kv[0]].headword.lower()))
    return [(tid, terms_by_id[tid].headword) for tid, _n in ranked[:KEY_TERMS]]
