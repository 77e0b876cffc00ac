"""Stage 6b (after render, before write): citations. Called from scripts/build.py as one hook.

In order: link the notes (scripts/citations/note_links.py), plan the citable pages and format everything with
citeproc-js in one run (scripts/citations/cite_this.py, scripts/citations/csl.py), put "Cite this" and the Zotero meta
tags on the pages, replace the reading citations the renderer left as placeholders, and render the
Bibliography section (scripts/citations/bibliography_pages.py). Returns the extra files to write (downloads).
"""
from __future__ import annotations

import hashlib
import json
import re
from pathlib import Path

from scripts.citations import bibliography_pages
from scripts.citations import cite_this as citations
from scripts.citations import csl
from scripts.citations import essay_keys as essay_citations
from scripts.citations import note_links
from scripts.citations.bibtex import Bibliography
from scripts.citations.essay_notes import fill_notes
from scripts.core.kept import Kept
from scripts.core.model import Page, Reading
from scripts.core.slots import CITE_TOKEN

TOKEN = CITE_TOKEN


def placeholder(key: str) -> str:
    """What the renderer prints where a reading's citation goes; replaced once citeproc-js has run."""
    return TOKEN.format(key)


def run(paths, docs: list[Reading], pages: list[Page], pages_by_doc: dict[str, list[Page]], bib: Bibliography,
        short_labels: dict[str, str], checked_essays=()) -> tuple[dict[str, str], note_links.NoteLinker]:
    """``checked_essays`` (scripts/essay_pages.EssayPage) carry the essays' passage citations: their notes are
    written here by the processor, in the same run as everything else, and fill the placeholders."""
    reading_pages = {entry["bibkey"]: pages_by_doc[doc.id][0].path for doc, entry, _ in docs}
    linker = note_links.NoteLinker(bib, reading_pages)
    bib_digest = hashlib.sha256(b"".join(path.read_bytes() for path in bib.files)).digest()
    for doc, entry, _ in docs:
        link_reading(linker, doc.id, pages_by_doc[doc.id], bib_digest)
    essays = [p for p in pages if p.path.startswith("essays/")]
    essay_cites = essay_citations.collect(essays, bib, paths.content)
    base = citations.site_url(paths.mkdocs_yml)
    citables = citations.plan(docs, pages_by_doc, bib, base)
    citables += citations.plan_essays(essays, paths.content, base, citations.site_name(paths.mkdocs_yml))
    groups = bibliography_pages.groups_for(bib)
    documents = [e.csl_document() for e in checked_essays if e.cites]
    result = citations.format_all(citables, bib, groups, paths.report, essay_citations.note_jobs(essay_cites),
                                  documents)
    for cite, link in essay_citations.apply(essay_cites, result["notes"], linker.target_url):
        linker.links.append(note_links.Link(cite.page.path, cite.note, "entry", cite.key, link))
        linker.stats.linked[("essays", "entry")] += 1
    by_path = {p.path: p for p in pages}
    for essay in checked_essays:
        if essay.cites:
            fill_notes(by_path[essay.path], essay.cites, result["documents"][essay.path])
    files = citations.decorate(citables)
    chicago = {k: csl.html_to_markdown(result["entries"][f"{k}@{reading_pages[k]}|chicago-bib"]) for k in reading_pages}
    for page in pages:
        if "⟦cite:" in page.markdown:
            page.markdown = re.sub(r"⟦cite:([^⟧]+)⟧", lambda m: chicago[m.group(1)], page.markdown)
    titles = {p.path: p.title for p in essays}
    titles.update(short_labels)
    bib_pages, bib_files = bibliography_pages.render(bib, result["bibliographies"], linker.links, titles, reading_pages)
    pages += bib_pages
    files.update(bib_files)
    return files, linker


_LINKED = Kept(16)     # a long serve session keeps the newest


def link_reading(linker: note_links.NoteLinker, text_id: str, doc_pages: list[Page], bib_digest: bytes) -> None:
    """Link one reading's notes to the bibliography, reusing the last result while serving.

    The links depend only on the reading's pages as they reach this stage, the bibliography files
    and where each reading's pages are; with all three unchanged (an essay or course edit), the
    linked pages, links and counts of the last build are reused instead of matching every note
    again (about a third of a regeneration)."""
    digest = hashlib.sha256(bib_digest)
    digest.update(json.dumps([text_id, linker.reading_pages, [(p.path, p.markdown) for p in doc_pages]]).encode())
    key = digest.digest()
    if key in _LINKED:
        markdowns, part = _LINKED.get(key)
        part.bib, part.index = linker.bib, linker.index
    else:
        part = linker.fork()
        if text_id == "viola":
            part.link_viola(doc_pages, text_id)
        else:
            for page in doc_pages:
                part.link_article(page, text_id)
                part.link_header(page, text_id)
        markdowns = [p.markdown for p in doc_pages]
        bib, index = part.bib, part.index
        part.bib = part.index = None            # shared, not stored
        _LINKED.put(key, (markdowns, part))
        part.bib, part.index = bib, index
    for page, markdown in zip(doc_pages, markdowns):
        page.markdown = markdown
    linker.absorb(part)


def write_report(folder: Path, linker: note_links.NoteLinker) -> None:
    """Append the citation counts to build/report.md and write build/citations.json."""
    lines = note_links.report_lines(linker.stats, linker.links)
    report = folder / "report.md"
    report.write_text(report.read_text(encoding="utf-8") + "\n" + "\n".join(lines) + "\n", encoding="utf-8")
    stats = linker.stats
    data = {
        "notes": dict(stats.notes),
        "linked": {f"{t}:{k}": n for (t, k), n in stats.linked.items()},
        "unlinked": {f"{t}:{r}": n for (t, r), n in stats.unlinked.items()},
        "viola_linked_share": round(note_links.linked_share(stats), 4),
        "links": [vars(l) for l in linker.links],
    }
    (folder / "citations.json").write_text(json.dumps(data, ensure_ascii=False, indent=1), encoding="utf-8")
