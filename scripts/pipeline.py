"""The pipeline: sources/ -> docs/ (Markdown pages) and build/ (reports), one call per stage.

:func:`generate` runs the stages in this order; each lives in its own package:

1. sources     manifest, read, correct, parse, check notes, printed pages, the book's index:
               each source file becomes a Document                                  (scripts/sources/)
2. render      Documents -> Markdown pages with paragraph anchors, notes, glossary marks and the
               editorial apparatus; navigation; hand-written content pages          (scripts/render/,
               glossary       the glossary and its annotator, its page              scripts/glossary/)
3. course      essays checked and rendered, Essays index, "Discussed in" markers, reading guides,
               charts, timeline, syllabi                                            (scripts/course/)
4. citations   notes linked to the bibliography, "Cite this", essays' notes through citeproc-js,
               the Bibliography pages                                               (scripts/citations/)
5. write       docs/ replaced as a whole, build/ reports, the nav in mkdocs.yml     (this module)
6. site        (--site) MkDocs renders site/ and the post-build steps run           (scripts/site/)

Shared types and helpers are in scripts/core/. The packages are also the import layers
(``[tool.importlinter]`` in pyproject.toml, checked by tests/test_architecture.py): core <- sources
<- render, glossary <- citations <- course <- site <- pipeline <- formats <- serve, build. Citations import
below course because the essays' note style is a citation rule, though the citations stage runs last
(it formats every note of every page at once). ``scripts/build.py`` is the command line,
``scripts/serve.py`` the watcher of ``--serve``; ``scripts/tools/`` holds what is not the build.
"""
from __future__ import annotations

import functools
import hashlib
import importlib
import inspect
import json
import os
import pickle
import pkgutil
import posixpath
import re
import shutil
import tempfile
from pathlib import Path
from typing import Callable

import yaml

from scripts.citations import stage as citation_stage
from scripts.citations.bibtex import Bibliography, authors
from scripts.core import downloads
from scripts.core.files import write_whole
from scripts.core.kept import Kept
from scripts.core.edition import CLASSROOM, Edition
from scripts.core.errors import BuildError
from scripts.core.slots import TIMELINE_SLOT, check_filled
from scripts.core.links import GLOSSARY_PAGE
from scripts.core.model import Document, Page, Reading
from scripts.core.passages import collect as collect_passages, page_key, write as write_passages
from scripts.course.charts import load_charts, place_charts
from scripts.course.essay_charts import embed as embed_essay_charts
from scripts.course.essay_pages import add_to_report as add_course_report
from scripts.course.page_ranges import page_maps, part_ranges
from scripts.course.stage import build_course
from scripts.course.syllabi import (PACKS_DIR, CourseContext, load_courses, pack_downloads, render_syllabus,
                                    write_course_data)
from scripts.course.builder import BUILDER_PAGE, DATA_ASSET, builder_data, builder_page, data_asset
from scripts.course.timeline import TIMELINE_PAGE, link_guides, load_timeline, render_timeline
from scripts.core.datafile import read_text
from scripts.glossary.page import render_page as render_glossary_page
from scripts.glossary.reader_data import DEFINITIONS, OUTPUT, write as write_reader_data
from scripts.glossary.terms import load_glossary
from scripts.paths import ROOT, Paths
from scripts.render import editor_notes, wayfinding
from scripts.render.apparatus import check_rule_names
from scripts.render.content_pages import annotate_markdown_page, content_pages
from scripts.render.notebook_page import notebook_page
from scripts.render.document import RenderContext, part_nav_title, part_page_path, render_document
from scripts.render.nav import check_nav_titles, nav_yaml, readings_index, with_nav, write_nav
from scripts.site.publish import replace_dir, sync_dir
from scripts.site.report import write_report
from scripts.site import build_date
from scripts.site.offline_save import SOURCE_DIR as OFFLINE_SAVE_DIR
from scripts.site.stylesheet import SITE_CSS, imports, write_combined
from scripts.sources import parsers as parsers_pkg
from scripts.sources.book_index import structure_index
from scripts.sources.check_notes import check_notes
from scripts.sources.corrections import apply_corrections, check_corrections_files, load_corrections
from scripts.sources.manifest import check_checksum, load_manifest
from scripts.sources.pagination import paginate, write_outputs as write_page_outputs
from scripts.sources.parsers import get_parser
from scripts.sources.read import read_source
from scripts.sources.removal_limits import check_removals
from scripts.sources.typography import curl_quotes


def rule_docs(corrections: Path = ROOT / "data" / "corrections") -> dict[str, str]:
    """First paragraph of the docstring of every rule function, keyed by name (for the apparatus)."""
    docs: dict[str, str] = {}
    modules = ["scripts.sources.cleaning", "scripts.sources.manifest", "scripts.sources.typography"] + [f"scripts.sources.parsers.{m.name}" for m in pkgutil.iter_modules(parsers_pkg.__path__)]
    for name in modules:
        try:
            module = importlib.import_module(name)
        except ImportError:
            continue
        for fname, fn in inspect.getmembers(module, inspect.isfunction):
            if fn.__doc__ and fn.__module__ == module.__name__:
                docs[fname] = inspect.cleandoc(fn.__doc__).split("\n\n")[0].replace("\n", " ")
    for path in sorted(corrections.glob("*.yml")):
        docs[f"corrections/{path.name}"] = (f"Entries of the corrections data file data/corrections/{path.name}: "
                                            "each names the erroneous text, its replacement and the reason.")
    return docs


def parse_text(entry: dict, paths: Paths) -> Document:
    """Stages 2–5 for one manifest entry."""
    source_path = paths.sources / entry["file"]
    if not source_path.is_file():
        raise BuildError(paths.manifest, entry.get("_file_line"),
                         f"entry {entry['id']!r}: the source file {paths.show(source_path)} does not exist",
                         "check the 'file' name on this line, or put the file in sources/ (git checkout -- sources/)")
    src = read_source(source_path, paths.data)
    note = check_checksum(entry, source_path, paths.manifest, paths.show(source_path))
    if note:
        src.log("warning", "check_checksum", 0, note=note)
    corrections_file = paths.corrections / f"{entry['id']}.yml"
    apply_corrections(src, load_corrections(corrections_file), corrections_file)
    parse = get_parser(entry["parser"])
    doc = parse(src, entry)
    doc.edits = src.edits + [e for e in doc.edits if e not in src.edits]
    check_removals(src.path, doc.edits)
    check_notes(doc, src)
    paginate(doc, source_path, paths.pages_data)  # printed page numbers (books with a Contents)
    structure_index(doc, paths.book_index_data)  # the book's Index, linked to those pages
    curl_quotes(doc)     # typography: straight quotation marks and apostrophes made curly, logged (after the
    return doc           # stages above, which compare the text with the source as received)


_PARSED = Kept(32)     # bounded: a long serve session or test run keeps the newest


@functools.cache
def code_digest() -> bytes:
    """The digest of every module of scripts/ (their paths and bytes), computed once per process:
    part of the parse's key, so a document kept on disk by an earlier build is parsed again once any
    rule or parser has changed."""
    package = Path(__file__).resolve().parent
    digest = hashlib.sha256()
    for module in sorted(package.rglob("*.py")):
        digest.update(module.relative_to(package).as_posix().encode() + b"\0" + module.read_bytes() + b"\0")
    return digest.digest()


def parse_cache_dir(paths: Paths) -> Path:
    """Where parsed documents are kept between builds: ``build/parse-cache/``, or ``$RFA_PARSE_CACHE``
    (a folder several copies of the project share: the test suite's scratch builds)."""
    return Path(os.environ.get("RFA_PARSE_CACHE") or paths.report / "parse-cache")


def cached_parse(entry: dict, paths: Paths) -> Document:
    """parse_text, reused while the inputs of the parse are unchanged: keyed by their *content* (the
    source, its corrections, page and book-index files, the glued-words list, the manifest entry and
    parser) and by the code of scripts/, not by path or mtime, so a scratch copy of the project
    (tests) shares the parse too. Kept pickled, in this process and on disk (:func:`parse_cache_dir`):
    each caller gets its own copy (later stages change the document), unpickling is several times
    faster than deepcopy, and a later build of unchanged texts (./site.sh build again, a test's
    scratch copy) reads Viola's book in 0.02 s instead of parsing it in 1.1 s."""
    digest = hashlib.sha256(code_digest())
    digest.update(json.dumps(entry, sort_keys=True, default=str).encode())
    for path in (paths.sources / entry["file"], paths.corrections / f"{entry['id']}.yml",
                 paths.book_index_data / f"{entry['id']}.yml", paths.pages_data / f"{entry['id']}.yml",
                 paths.glued_words):
        digest.update(str(path.relative_to(paths.root)).encode())
        digest.update(b"\0" + (path.read_bytes() if path.is_file() else b"-") + b"\0")
    key = digest.hexdigest()
    if key not in _PARSED:
        folder = parse_cache_dir(paths)
        stored = folder / f"{key}.pickle"
        kept = read_parse(stored)
        if kept is None:
            doc = parse_text(entry, paths)
            data = pickle.dumps(doc, pickle.HIGHEST_PROTOCOL)
            keep_parse(folder, stored, data)
            # the caller's copy is read back from the bytes, as every later caller's is: a fresh parse
            # pickles differently from its copy (cached_render keys on the pickle), so reuse would miss
            doc = pickle.loads(data)
        else:
            data, doc = kept
        _PARSED.put_pickled(key, data)
        return doc
    return _PARSED.get(key)


def read_parse(stored: Path) -> tuple[bytes, Document] | None:
    """A parsed document kept by an earlier build (its bytes and the document read from them), or
    None: missing, or damaged (truncated, written by another Python), in which case the text is
    parsed again."""
    try:
        data = stored.read_bytes()
        return data, pickle.loads(data)
    except Exception:  # noqa: BLE001 - any failure to read it back means: parse again
        return None


def keep_parse(folder: Path, stored: Path, data: bytes, limit: int = 40) -> None:
    """Write one parsed document whole (a temporary name, then renamed) and keep the folder bounded:
    beyond ``limit`` files the oldest go. A folder that cannot be written only costs the next build
    its parse."""
    try:
        folder.mkdir(parents=True, exist_ok=True)
        write_whole(stored, data)
        kept = sorted(folder.glob("*.pickle"), key=lambda p: p.stat().st_mtime)
        for old in kept[:-limit]:
            old.unlink(missing_ok=True)
    except OSError:
        pass


_RENDERED = Kept(16)


def cached_render(doc: Document, ctx: RenderContext) -> list[Page]:
    """render_document, reused while serving when nothing it reads has changed.

    The key is the document itself (pickled: its parse, corrections and the authors set from the
    bibliography), the render context (manifest entry, citation placeholder, edition, rule
    descriptions, the apparatus file) and the glossary's terms. An edit to an essay, a guide or a
    course file therefore re-renders no reading, while an edit to a source, a correction or the
    glossary re-renders what it touches. Rendering annotates glossary terms, which counts them for
    the glossary page and marks each section's first use; a reused rendering replays those records
    (``Annotator.replay``), so the glossary page is the same as after a full render."""
    annotator = ctx.annotator
    digest = hashlib.sha256(pickle.dumps(doc, pickle.HIGHEST_PROTOCOL))
    digest.update(json.dumps([ctx.entry, ctx.citation, ctx.public, ctx.rule_docs], sort_keys=True,
                             default=str).encode())
    digest.update(ctx.apparatus.read_bytes() if ctx.apparatus and ctx.apparatus.is_file() else b"-")
    digest.update(annotator.fingerprint() if annotator is not None else b"-")
    key = digest.digest()
    if key in _RENDERED:
        pages, changes = _RENDERED.get(key)
        if annotator is not None:
            annotator.replay(changes)
        return pages
    mark = annotator.mark() if annotator is not None else None
    pages = render_document(doc, ctx)
    changes = annotator.changes_since(mark) if annotator is not None else None
    _RENDERED.put(key, (pages, changes))
    return pages


_GLOSSARIES = Kept(1)  # one glossary at a time


def load_annotator(paths: Paths):
    """The glossary and its annotator (a missing glossary stops the build: pages link to it).

    Kept by the glossary file's content while serving (reading and checking it and compiling the
    annotator's pattern took about a tenth of a regeneration); each build gets fresh copies, whose
    counts start at zero."""
    try:
        key = hashlib.sha256(str(paths.glossary).encode() + b"\0" + paths.glossary.read_bytes()).digest()
    except OSError:
        key = None                              # missing: load_glossary says so, with what to do
    if key not in _GLOSSARIES:
        glossary = load_glossary(paths.glossary)
        _GLOSSARIES.put(key, (glossary, glossary.annotator()))
    return _GLOSSARIES.get(key)


def check_mkdocs_yml(paths: Paths) -> None:
    """mkdocs.yml is valid YAML (checked before anything is generated, with its line)."""
    if not paths.mkdocs_yml.is_file():
        raise BuildError(paths.mkdocs_yml, None, "mkdocs.yml is missing", "restore it: git checkout -- mkdocs.yml")
    try:
        yaml.compose(read_text(paths.mkdocs_yml), Loader=yaml.SafeLoader)  # tags such as !ENV are not resolved
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        raise BuildError(paths.mkdocs_yml, mark.line + 1 if mark else None, f"YAML syntax error: {exc.problem or exc}",
                         "check the indentation and quoting on this line and the one before it") from None


def check_assets(paths: Paths) -> None:
    """Every stylesheet and script mkdocs.yml lists from assets/ exists (else the site builds unstyled)."""
    check_mkdocs_yml(paths)
    if not paths.assets.is_dir():
        raise BuildError(paths.assets, None, "the assets/ folder is missing (the site's CSS and JavaScript)",
                         "restore it: git checkout -- assets/")
    generated = {DEFINITIONS.as_posix(), OUTPUT.as_posix()}
    for n, line in enumerate(read_text(paths.mkdocs_yml).split("\n"), 1):
        m = re.match(r"^\s*-\s*(assets/\S+\.(?:css|js))\b", line)
        if m and m.group(1) in generated:
            continue                      # written into docs/ by the build itself
        if m and not (paths.assets / m.group(1)[len("assets/"):]).is_file():
            raise BuildError(paths.mkdocs_yml, n, f"{m.group(1)} is listed here but does not exist",
                             f"restore it (git checkout -- {m.group(1)}) or remove this line")
    site_css = paths.assets.parent / SITE_CSS
    if site_css.is_file():
        for line, href, _media in imports(site_css):
            source = posixpath.normpath(posixpath.join(posixpath.dirname(SITE_CSS.as_posix()), href))
            if not (paths.assets.parent / source).is_file():
                raise BuildError(site_css, line, f"{source} is imported here but does not exist",
                                 f"restore it (git checkout -- {source}, or for the fonts "
                                 "python -m scripts.tools.install_assets) or remove this line")


def generate(paths: Paths, public: bool = False, incremental: bool = False, stage: Path | None = None,
             settle: Callable[[], object] | None = None) -> dict:
    """Stages 1–7. Returns the build summary (also written to build/report.md).

    With ``stage`` (an empty scratch folder), docs/ and mkdocs.yml are left alone: the pages go to
    ``stage`` and the new mkdocs.yml text is returned as ``summary["mkdocs_yml"]``, for the caller
    to publish together with site/ (see scripts/site/publish.py). With ``incremental`` (serve), only
    the changed files of docs/ are written, after ``settle()`` has returned (serve waits there until
    ``mkdocs serve`` is not in the middle of a build, scripts/serve.py).
    """
    entries = load_manifest(paths.manifest)
    check_corrections_files(paths.corrections, [e["id"] for e in entries])
    check_assets(paths)
    bib = Bibliography(paths.bib)
    glossary, annotator = load_annotator(paths)
    ruledocs = rule_docs(paths.corrections)
    docs: list[Reading] = []
    pages: list[Page] = []
    pages_by_doc: dict[str, list[Page]] = {}
    for entry in entries:
        bibentry = bib.get(entry["bibkey"], paths.manifest, entry.get("_bibkey_line"))
        cite = citation_stage.placeholder(bibentry.key)
        doc = cached_parse(entry, paths)
        check_nav_titles(doc, entry, paths)
        doc.authors = doc.authors or authors(bibentry)
        ctx = RenderContext(entry=entry, citation=cite, annotator=annotator, public=public, rule_docs=ruledocs,
                            apparatus=paths.apparatus)
        doc_pages = cached_render(doc, ctx)
        pages_by_doc[doc.id] = doc_pages
        pages += doc_pages
        docs.append(Reading(doc, entry, cite))
    check_rule_names(paths.apparatus, set(ruledocs) | {e.rule for r in docs for e in r.doc.edits})
    passages = collect_passages(pages)
    edition = Edition(public, passages)
    notes_file = paths.editor_notes       # editor's notes at the readings' paragraphs
    ed_notes, ed_lines = editor_notes.load(notes_file)
    editor_notes.apply(editor_notes.check(ed_notes, ed_lines, notes_file, passages, public), ed_lines, notes_file, pages,
                       edition)
    charts = load_charts(paths.charts, {d.id: d for d, _, _ in docs})
    chart_files = place_charts(pages, charts, passages, edition)
    course = build_course(paths.content, paths.guides, paths.essays_order, pages, docs, pages_by_doc,
                          {e["bibkey"]: bib.get(e["bibkey"], paths.manifest).display_fields() for e in entries},
                          glossary, annotator,
                          lambda text, rel: annotate_markdown_page(text, rel, annotator) if annotator else text, edition)
    embed_essay_charts(course.essays, pages + course.pages, charts, short_labels(docs, pages_by_doc),
                       edition)
    pages += content_pages(paths, annotator) + course.pages
    wayfinding.fill_home_page(pages, docs, pages_by_doc)
    pages.append(readings_index(docs, pages_by_doc))
    if paths.timeline.exists():
        essay_titles = {Path(p.path).stem: p.title for p in pages if p.path.startswith("essays/")}
        # checked against the full texts (course.passages), linked only where this edition prints them
        events = load_timeline(paths.timeline, course.passages, set(essay_titles))
        pages.append(Page(TIMELINE_PAGE, "Timeline", render_timeline(events, short_labels(docs, pages_by_doc), essay_titles,
                                                                     edition)))
    else:
        events = []
    pages.append(notebook_page(docs, pages_by_doc))   # My notes: the student's notebook (assets/javascripts/notebook.js)
    link_guides(pages, events, TIMELINE_SLOT)      # each guide links the years the timeline dates from its page
    syllabi, course_ctx = course_pages(paths, pages, docs, pages_by_doc, course, edition)
    pages.append(Page(BUILDER_PAGE, "Build a course", builder_page()))     # first under "Courses"
    pages += [page for _, page in syllabi]
    chart_files[DATA_ASSET] = data_asset(builder_data(course_ctx, edition, [c for c, _ in syllabi]))   # the builder's data, beside its page
    if glossary is not None:
        titles = {p.path: p.title for p in pages}
        titles.update(short_labels(docs, pages_by_doc))
        used_in: dict[str, list[tuple[str, str, int]]] = {}
        for (page, term), count in sorted(annotator.counts.items()):
            used_in.setdefault(term, []).append((titles.get(page, page), page, count))
        pages.append(Page(GLOSSARY_PAGE, "Glossary", render_glossary_page(glossary, used_in, pages, titles, full_texts=not public)))
    extra_files, linker = citation_stage.run(paths, docs, pages, pages_by_doc, bib, short_labels(docs, pages_by_doc),
                                             course.essays)
    seen_paths = [p.path for p in pages]
    clash = sorted({p for p in seen_paths if seen_paths.count(p) > 1})
    if clash:
        raise BuildError(paths.manifest, None, f"two generated pages would share the file {clash[0]}",
                         "give the text or part a different id/slug")
    fill_downloads_table(pages, docs, syllabi, public)
    check_filled(pages, paths.show(paths.root / "scripts" / "pipeline.py"))
    for page in pages:
        if "\x00" in page.markdown:
            raise BuildError(paths.show(paths.docs / page.path), None, "a NUL byte would reach the page",
                             "a source or data file contains a NUL character: find it with grep -P '\\x00' and remove it")
    def write_docs(folder: Path) -> None:
        """Every generated file of docs/ into ``folder``: pages, assets, and the files stages make."""
        for page in pages:
            out = folder / page.path
            out.parent.mkdir(parents=True, exist_ok=True)
            out.write_text(page.markdown, encoding="utf-8")
        for rel, text in extra_files.items():
            (folder / rel).parent.mkdir(parents=True, exist_ok=True)
            (folder / rel).write_text(text, encoding="utf-8")
        if paths.assets.exists():
            # assets/offline-save/ is the online site's alone (copied in after MkDocs by
            # scripts/site/offline_save.py): the offline bundle and course packs never carry it
            shutil.copytree(paths.assets, folder / "assets", dirs_exist_ok=True,
                            ignore=lambda d, names: [OFFLINE_SAVE_DIR] if Path(d) == paths.assets else [])
            if (folder / SITE_CSS).is_file():
                write_combined(folder)   # the one stylesheet pages link (scripts/site/stylesheet.py)
        for rel, text in chart_files.items():
            (folder / rel).parent.mkdir(parents=True, exist_ok=True)
            (folder / rel).write_text(text, encoding="utf-8")
        for c, _page in syllabi:         # course packs the syllabus pages link (courses/packs/)
            for name, src in c.downloads:
                (folder / PACKS_DIR).mkdir(parents=True, exist_ok=True)
                shutil.copy2(src, folder / PACKS_DIR / name)
        if glossary is not None:
            write_reader_data(glossary, folder)

    def write_reports() -> dict:
        """build/: the report and the records later steps read (passages, pages, courses, citations)."""
        summary = write_report(paths.report, docs, pages, public)
        add_course_report(paths.report, course.essays, course.unguided)
        citation_stage.write_report(paths.report, linker)
        write_passages(passages, paths.report)
        write_page_outputs(docs, pages_by_doc, paths.report)
        write_course_data([c for c, _ in syllabi], paths.report)
        build_date.write(paths.report)      # the footer's build date, inherited by mkdocs.yml (scripts/site/build_date.py)
        return summary

    if stage is not None:
        write_docs(stage)
        summary = write_reports()
        summary["mkdocs_yml"] = with_nav(paths.mkdocs_yml, nav_yaml(pages, docs, pages_by_doc))
        return summary
    tmp = Path(tempfile.mkdtemp(prefix="docs.", dir=paths.root))
    try:
        write_docs(tmp)
        summary = write_reports()
        write_nav(paths.mkdocs_yml, nav_yaml(pages, docs, pages_by_doc))
        if incremental:
            if settle is not None:
                settle()
            sync_dir(tmp, paths.docs, keep=(downloads.FOLDER,))   # serve's formats (scripts/formats/preview.py)
        else:
            replace_dir(tmp, paths.docs)
    finally:
        if tmp.exists():
            shutil.rmtree(tmp)
    return summary


def course_pages(paths: Paths, pages: list[Page], docs: list[Reading], pages_by_doc, course,
                 edition: Edition = CLASSROOM) -> tuple[list[tuple], CourseContext]:
    """One syllabus page per course file in courses/ (see scripts/course/syllabi.py). Courses are checked
    against the full texts; an item whose paragraphs the edition withholds (public-web edition) links to its page, which says so, not to a missing anchor."""

    labels = short_labels(docs, pages_by_doc)
    titles = {}
    for p in pages:
        label = labels.get(p.path)
        nav = re.sub(r"^\d+\.\s*", "", p.nav_title or p.title)
        titles[p.path] = p.title if label is None else (label if label.endswith(nav) or not p.nav_title
                                                        else f"{label}: {nav}")
    for p in pages:
        if p.path.startswith("readings/") and p.path.count("/") == 2 and p.path.endswith("/index.md") \
                and len(pages_by_doc.get(p.path.split("/")[1], [])) == 1:
            titles[p.path] = f"{labels.get(p.path, '')}, “{p.title}”"
    essays = {Path(e.path).stem: e.counts["words"] for e in course.essays}
    ctx = CourseContext(course.passages, titles, essays, course.questions, page_maps(course.full_pages), part_ranges(docs))
    courses = load_courses(paths.courses, ctx)
    for target in (t for c in courses for week in c.targets for t in week):
        key = page_key(target.page)
        if key and target.anchor and not edition.prints(key, target.anchor):
            target.anchor = ""
    for c in courses:                 # the files of its last ./site.sh course, if made from the course as it is
        c.downloads = pack_downloads(paths.root / "dist", c)
    return [(c, Page(c.page, c.spec.title, render_syllabus(c))) for c in courses], ctx


def fill_downloads_table(pages: list[Page], docs: list[Reading], syllabi: list[tuple], public: bool) -> None:
    """The download page's lists of formats (scripts/core/downloads.py), for what this edition prints."""
    printed = [r for r in docs if not public or r.entry.get("public_full_text", False)]
    readings = [(r.doc.id, r.doc.title, len(r.doc.parts) == 1, [(p.slug, part_nav_title(p), p.kind) for p in r.doc.parts])
                for r in printed]
    part_pages = {part_page_path(r.doc, p) for r in printed for p in r.doc.parts}
    courses = [(c.id, c.spec.title, any(page in part_pages for page in c.pages()))
               for c, _ in syllabi]
    table = downloads.table_html(readings, [c for c in courses if c[2]], classroom=not public)
    for page in pages:
        if page.path == "download.md":
            page.markdown = page.markdown.replace(downloads.TABLE_SLOT, table)


def short_labels(docs: list[Reading], pages_by_doc: dict[str, list[Page]]) -> dict[str, str]:
    """Short page labels for the glossary's "Used in" lists: "Viola, ch. 5", "Goldman"."""
    labels = {}
    for doc, _, _ in docs:
        names = [a.split()[-1] if " " in a else a for a in doc.authors]
        who = " and ".join(names)
        pages = pages_by_doc[doc.id]
        for page in pages:
            if len(pages) == 1:
                labels[page.path] = who
            else:
                nav = page.nav_title or page.title
                number = nav.split(".", 1)[0]
                labels[page.path] = f"{who}, ch. {number}" if number.isdigit() else f"{who}, {nav}"
    return labels


def print_summary(summary: dict, what: str = "docs/ written") -> None:
    print(f"{what}: {summary['pages']} pages from {summary['texts']} texts; "
          f"{summary['edits']} logged edits, {summary['warnings']} warnings (see build/report.md)")
