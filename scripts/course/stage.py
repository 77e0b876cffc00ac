"""Stage 6b: the course layer over the rendered readings — essays, "Discussed in" markers, guides.

Runs after the readings are rendered (their paragraphs' anchors and words are known) and before the
glossary page (so that its "Used in" lists count the essays):

1. essays      content/essays/*.md checked against the passages and rendered   (scripts/course/essay_pages.py)
2. index       the Essays index page                                           (scripts/course/essay_pages.py)
3. markers     "Discussed in" after every reading paragraph an essay cites     (scripts/course/discussed_in.py)
4. guides      data/guides/<reading>.yml into the box at the top of each page  (scripts/course/guides.py)
"""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from scripts.course import discussed_in
from scripts.course import essay_pages
from scripts.course import guides
from scripts.citations.essay_notes import readings_for
from scripts.core.passages import collect as collect_passages, key_page, page_key
from scripts.render.document import RenderContext, render_document
from scripts.core.edition import CLASSROOM, Edition
from scripts.core.links import GLOSSARY_PAGE
from scripts.core.model import Page, Reading


@dataclass
class Course:
    pages: list[Page]
    essays: list[essay_pages.EssayPage]
    unguided: list[str] = field(default_factory=list)
    markers: dict[str, int] = field(default_factory=dict)
    questions: dict[str, list[str]] = field(default_factory=dict)   # docs path -> the guide's questions
    passages: dict[str, dict[str, str]] = field(default_factory=dict)  # what the guides counted (full texts)
    full_pages: list[Page] = field(default_factory=list)  # the reading pages with full texts (printed pages)


def full_text_pages(docs: list[Reading]) -> list[Page]:
    """The reading pages of the classroom edition, for the public-web edition whose pages withhold texts:
    the essays are checked against the full texts, the guides count their words, and course files
    find the paragraphs of a printed-page range in them."""
    pages = []
    for doc, entry, cite in docs:
        pages += render_document(doc, RenderContext(entry=entry, citation=cite, annotator=None, public=False))
    return pages


def build_course(content: Path, guides_dir: Path, order_file: Path, reading_pages: list[Page], docs: list[Reading], pages_by_doc, bib_entries,
                 glossary, annotator, annotate, edition: Edition = CLASSROOM) -> Course:
    """Essays and their index as new pages; markers and guides written into ``reading_pages``.

    In the public-web edition a citation of a withheld text is still checked against the full text,
    but its note names the paragraph without linking to it (the page shows no such paragraph).
    """
    full_pages = full_text_pages(docs) if edition.public else reading_pages
    passages = collect_passages(full_pages) if edition.public else collect_passages(reading_pages)
    keys = {k for k in (page_key(p.path) for p in reading_pages) if k}
    readings = readings_for(docs, pages_by_doc, bib_entries)
    essays = essay_pages.course_order(
        essay_pages.essay_pages(content, passages, keys, readings, annotate, edition), order_file)
    new_pages = [Page(e.path, e.title, e.markdown) for e in essays]
    if essays:
        new_pages.insert(0, Page(essay_pages.ESSAYS_INDEX, "Essays", essay_pages.index_page(essays, readings)))
    markers = discussed_in.add_all(reading_pages, essays)
    parts = {doc.id: [p.slug for p in doc.parts if p.kind == "body"] if len(doc.parts) > 1 else [] for doc, _, _ in docs}
    found = guides.load_guides(guides_dir, parts, passages)
    terms = {t.id: t for t in glossary.terms} if glossary is not None else {}
    counts = annotator.counts if annotator is not None else {}
    text_of = {key_page(k): v for k, v in passages.items()}
    unguided = guides.add_guides(reading_pages, found, counts, terms, essays, GLOSSARY_PAGE, text_of,
                                 guides.printed_parts(docs), edition)
    questions = {page: list(guide.questions) for page, (guide, _path) in found.items()}
    return Course(new_pages, essays, unguided, markers, questions, passages, full_pages)
