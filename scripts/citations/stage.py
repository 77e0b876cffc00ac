"""Stage 6b (after render, before write): citations. Called from scripts/build.py as one hook.

In order: link the notes (scripts/citations/note_links.py), plan the citable pages and format everything with
citeproc-js in one run (scripts/citations/cite_this.py, scripts/citations/csl.py), put "Cite this" and the Zotero meta
tags on the pages, replace the reading citations the renderer left as placeholders, and render the
Bibliography section (scripts/citations/bibliography_pages.py). Returns the extra files to write (downloads).
"""
from __future__ import annotations

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
    for doc, entry, _ in docs:
        doc_pages = pages_by_doc[doc.id]
        if doc.id == "viola":
            linker.link_viola(doc_pages, doc.id)
        else:
            for page in doc_pages:
                linker.link_article(page, doc.id)
                linker.link_header(page, doc.id)
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
