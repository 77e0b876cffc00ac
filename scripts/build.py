"""The build: sources/ -> docs/ (Markdown) -> site/ (HTML). The stages, in order:

1. manifest      sources/sources.yml: which texts, which parser, rights        (scripts/manifest.py)
2. read          each source as UTF-8 lines, checked                           (scripts/source_text.py)
3. correct       data/corrections/<id>.yml applied, each change logged          (scripts/corrections.py)
4. parse         one parser per format -> Document (clean, rejoin, link notes)  (scripts/parsers/)
5. check notes   every marker has its note and every note its marker            (scripts/notes.py)
6. render        Documents -> Markdown pages, glossary terms annotated          (scripts/render.py, scripts/glossary.py)
   course        essays checked and rendered, Essays index, markers, guides      (scripts/course.py)
7. write         docs/ replaced as a whole, build report, nav in mkdocs.yml     (this module, scripts/report.py)
8. site          (--site / --serve / --offline) mkdocs builds site/ from docs/

Usage::

    python -m scripts.build            # stages 1-7: regenerate docs/ and build/report.md
    python -m scripts.build --site     # ... then `mkdocs build --strict` into site/
    python -m scripts.build --serve    # ... then `mkdocs serve`
    python -m scripts.build --public   # public-web edition: unlicensed texts show landing page + extract only

Bad input stops the build with ``file:line: error: …`` and what to do; docs/ and site/ are only
replaced once everything has been generated, so a failed build never leaves them half-written.
"""
from __future__ import annotations

import argparse
import copy
import importlib
import inspect
import json
import os
import pkgutil
import re
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

from scripts.sources import parsers as parsers_pkg
from scripts.citations import stage as citation_stage
from scripts.render import wayfinding
from scripts.citations.bibtex import Bibliography, authors
from scripts.course.charts import load_charts, place_charts
from scripts.sources.corrections import apply_corrections, check_corrections_files, load_corrections
from scripts.course.stage import build_course
from scripts.course.syllabi import write_course_data
from scripts.core.datafile import parse_yaml, read_text
from scripts.course.essay_pages import add_to_report as add_course_report
from scripts.core.errors import BuildError
from scripts.sources.manifest import check_checksum, load_manifest
from scripts.core.markdown_text import escape_text
from scripts.site import mkdocs_run
from scripts.site import publish
from scripts.core.model import Document
from scripts.sources.check_notes import check_notes
from scripts.sources.parsers import get_parser
from scripts.render.document import GLOSSARY_PAGE, Page, RenderContext, render_document, relative
from scripts.sources.book_index import structure_index
from scripts.sources.pagination import paginate, write_outputs as write_page_outputs
from scripts.core.passages import collect as collect_passages, write as write_passages
from scripts.sources.removal_limits import check_removals
from scripts.site.report import write_report
from scripts.paths import ROOT, Paths
from scripts.sources.read import read_source

def rule_docs(corrections: Path = ROOT / "data" / "corrections") -> dict[str, str]:
    """First paragraph of the docstring of every rule function, keyed by name (for the apparatus)."""
    docs: dict[str, str] = {}
    modules = ["scripts.sources.cleaning"] + [f"scripts.sources.parsers.{m.name}" for m in pkgutil.iter_modules(parsers_pkg.__path__)]
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
    src = read_source(source_path)
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
    paginate(doc, source_path, paths.root / "data" / "pages")  # printed page numbers (books with a Contents)
    structure_index(doc, paths.root / "data" / "book_index")  # the book's Index, linked to those pages
    return doc


_PARSED: dict[str, tuple[tuple, Document]] = {}


def cached_parse(entry: dict, paths: Paths) -> Document:
    """parse_text, reused while serving when neither the source nor its corrections changed."""
    inputs = (paths.sources / entry["file"], paths.corrections / f"{entry['id']}.yml",
              paths.root / "data" / "book_index" / f"{entry['id']}.yml", paths.root / "data" / "pages" / f"{entry['id']}.yml")
    key = tuple(p.stat().st_mtime if p.exists() else 0 for p in inputs) + (entry["parser"],)
    if entry["id"] not in _PARSED or _PARSED[entry["id"]][0] != key:
        _PARSED[entry["id"]] = (key, parse_text(entry, paths))
    return copy.deepcopy(_PARSED[entry["id"]][1])


def load_annotator(paths: Paths):
    """The glossary and its annotator (a missing glossary stops the build: pages link to it)."""
    from scripts.glossary.terms import load_glossary
    glossary = load_glossary(paths.glossary)
    return glossary, glossary.annotator()


def content_pages(paths: Paths, annotator) -> list[Page]:
    """Hand-written pages (content/*.md, content/essays/*.md): copied, with glossary terms annotated."""
    pages = []
    for path in sorted(paths.content.rglob("*.md")):
        rel = path.relative_to(paths.content).as_posix()
        if rel.startswith("essays/"):
            continue  # essays are checked and rendered by scripts/course.py
        text = read_text(path)
        meta = front_matter_of(path, text)
        title_match = re.search(r"^# (.+)$", text, re.M)
        title = title_match.group(1).strip() if title_match else str(meta.get("title") or rel)
        if len(title) > NAV_TITLE_MAX:
            line = text[: title_match.start()].count("\n") + 1 if title_match else 1
            raise BuildError(path, line, f"the page title has {len(title)} characters (at most {NAV_TITLE_MAX})",
                             "shorten the heading: it becomes the page's entry in the navigation")
        if annotator is not None and rel.startswith("essays/"):
            text = annotate_markdown_page(text, rel, annotator)
        pages.append(Page(rel, title, text))
    return pages


def front_matter_of(path: Path, text: str) -> dict:
    """The YAML front matter of a hand-written page, checked (a broken one would become the heading)."""
    if not text.startswith("---\n"):
        return {}
    end = text.find("\n---\n", 3)
    if end < 0 and text.endswith("\n---"):
        end = len(text) - 4
    if end < 0:
        raise BuildError(path, 1, "the front matter that starts on line 1 is never closed",
                         "end it with a line of three hyphens (---), or remove the first line if there is no front matter")
    try:
        data, _ = parse_yaml(path, text[4:end + 1])
    except BuildError as exc:
        raise BuildError(path, (exc.line or 0) + 1, exc.message.replace("YAML", "front matter YAML"), exc.hint) from None
    if data is None:
        return {}
    if not isinstance(data, dict):
        raise BuildError(path, 2, "the front matter is not a set of 'key: value' lines",
                         "write e.g. 'title: \"My page\"' between the two --- lines")
    return data


def annotate_markdown_page(text: str, rel: str, annotator) -> str:
    """Annotate the prose paragraphs of a hand-written page (not headings, code, front matter, HTML)."""
    out, in_code, in_front = [], False, text.startswith("---\n")
    section = 0  # a term is underlined once per section (heading to heading)
    for i, line in enumerate(text.split("\n")):
        if in_front:
            out.append(line)
            if i > 0 and line == "---":
                in_front = False
            continue
        if line.startswith("```"):
            in_code = not in_code
        if not in_code and line.startswith("#"):
            section += 1
        if in_code or not line.strip() or line.lstrip().startswith(("#", "<", "{", "|", "[^", "!!!", "???")):
            out.append(line)
            continue
        annotated = annotator.annotate(line, rel, section=section)
        out.append(annotated.replace("{GLOSSARY_URL}", relative(rel, GLOSSARY_PAGE)))
    return "\n".join(out)


def readings_index(docs: list[tuple[Document, dict, str]], pages_by_doc: dict[str, list[Page]]) -> Page:
    lines = ["---", 'title: "Readings"', "---", "", "# Readings", "",
             "Five texts, each cleaned and annotated from the source file listed in its “About this text”. "
             "Hover over (or tab to, or tap) an underlined term for its definition, and over a note number "
             "for the note.", ""]
    for doc, entry, cite in docs:
        first = pages_by_doc[doc.id][0].path
        description = entry.get("description") or ""
        extent = f" ({escape_text(entry['extent'])})" if entry.get("extent") else ""
        lines += [f"## [{escape_text(doc.title)}]({Path(first).relative_to('readings').as_posix()}){extent}", "",
                  f"{escape_text(', '.join(doc.authors))}. {escape_text(description)}", "",
                  f"*Length:* {wayfinding.length_line(*wayfinding.reading_length(pages_by_doc[doc.id]))}.", ""]
        chapters = wayfinding.readings_list([(doc, entry, cite)], pages_by_doc, "readings/index.md", True)[1:]
        if chapters:
            lines += ["*Chapters:*", ""] + [c[4:] for c in chapters] + [""]
        lines += [f"*Cite as:* {cite}", ""]
    return Page("readings/index.md", "Readings", "\n".join(lines) + "\n")


def nav_yaml(pages: list[Page], docs: list[tuple[Document, dict, str]], pages_by_doc: dict[str, list[Page]]) -> str:
    """The nav block for mkdocs.yml: Home, Readings (Viola with its parts), Glossary, Essays, pages."""
    def q(s: str) -> str:
        return '"' + s.replace("\\", "\\\\").replace('"', '\\"') + '"'
    by_path = {p.path: p for p in pages}
    lines = ["nav:", "  - Home: index.md"]
    for p in pages:
        if p.path.count("/") == 0 and p.path not in ("index.md", GLOSSARY_PAGE):
            lines.append(f"  - {q(p.title)}: {p.path}")
    lines += ["  - Readings:", "      - readings/index.md"]
    for doc, entry, _ in docs:
        doc_pages = pages_by_doc[doc.id]
        if len(doc_pages) == 1:
            lines.append(f"      - {q(wayfinding.nav_label(doc, entry))}: {doc_pages[0].path}")
            continue
        lines.append(f"      - {q(wayfinding.nav_label(doc, entry))}:")
        for p in doc_pages:
            lines.append(f"          - {q(wayfinding.part_nav_label(doc, p))}: {p.path}")
    if GLOSSARY_PAGE in by_path:
        lines.append(f"  - {q(wayfinding.SITE_GLOSSARY_LABEL)}: {GLOSSARY_PAGE}")
    bibliography = [p for p in pages if p.path.startswith("bibliography/")]
    if bibliography:
        lines.append("  - Bibliography:")
        lines += [f"      - {q(p.nav_title or p.title)}: {p.path}" for p in bibliography]
    courses = [p for p in pages if p.path.startswith("courses/")]
    if courses:
        lines.append("  - Courses:")
        lines += [f"      - {q(p.title)}: {p.path}" for p in courses]
    essays = [p for p in pages if p.path.startswith("essays/")]
    if essays:
        lines.append("  - Essays:")
        lines += [f"      - {p.path}" if p.path == "essays/index.md" else f"      - {q(p.title)}: {p.path}" for p in essays]
    return "\n".join(lines) + "\n"


def with_nav(mkdocs_yml: Path, nav: str) -> str:
    """The text of mkdocs.yml with ``nav`` between the GENERATED NAV markers."""
    text = read_text(mkdocs_yml)
    pattern = re.compile(r"(# BEGIN GENERATED NAV[^\n]*\n).*?(# END GENERATED NAV)", re.S)
    if not pattern.search(text):
        raise BuildError(mkdocs_yml, None, "the '# BEGIN GENERATED NAV' / '# END GENERATED NAV' markers are missing",
                         "restore them (see git history); the build writes the nav between them")
    return pattern.sub(lambda m: m.group(1) + nav + m.group(2), text)


def write_nav(mkdocs_yml: Path, nav: str) -> None:
    new = with_nav(mkdocs_yml, nav)
    if new != read_text(mkdocs_yml):
        mkdocs_yml.write_text(new, encoding="utf-8")


def sync_dir(new: Path, target: Path) -> None:
    """Copy only the files that changed from ``new`` into ``target`` and delete the ones that went.

    Used while serving: ``mkdocs serve`` keeps watching docs/ and rebuilds only what changed.
    """
    target.mkdir(exist_ok=True)
    fresh = {p.relative_to(new) for p in new.rglob("*") if p.is_file()}
    for rel in fresh:
        src, dst = new / rel, target / rel
        if not dst.exists() or dst.read_bytes() != src.read_bytes():
            dst.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(src, dst)
    for old in [p for p in target.rglob("*") if p.is_file() and p.relative_to(target) not in fresh]:
        old.unlink()


def replace_dir(new: Path, target: Path) -> None:
    """Swap a fully written directory into place (never leaves target half-written)."""
    old = target.with_name(target.name + ".old")
    if old.exists():
        shutil.rmtree(old)
    if target.exists():
        target.rename(old)
    new.rename(target)
    if old.exists():
        shutil.rmtree(old)


#: A nav title longer than this is a parsing accident (a paragraph taken for a heading), and YAML
#: cannot write a key over 1,024 characters: stop at the source line instead of writing a broken mkdocs.yml.
NAV_TITLE_MAX = 300


def check_mkdocs_yml(paths: Paths) -> None:
    """mkdocs.yml is valid YAML (checked before anything is generated, with its line)."""
    import yaml
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
    from scripts.glossary.reader_data import DEFINITIONS, OUTPUT
    generated = {DEFINITIONS.as_posix(), OUTPUT.as_posix()}
    for n, line in enumerate(read_text(paths.mkdocs_yml).split("\n"), 1):
        m = re.match(r"^\s*-\s*(assets/\S+\.(?:css|js))\b", line)
        if m and m.group(1) in generated:
            continue                      # written into docs/ by the build itself
        if m and not (paths.assets / m.group(1)[len("assets/"):]).is_file():
            raise BuildError(paths.mkdocs_yml, n, f"{m.group(1)} is listed here but does not exist",
                             f"restore it (git checkout -- {m.group(1)}) or remove this line")


def check_nav_titles(doc: Document, entry: dict, paths: Paths) -> None:
    from scripts.render.document import part_nav_title
    for part in doc.parts:
        title = part_nav_title(part)
        if len(title) > NAV_TITLE_MAX:
            raise BuildError(paths.sources / entry["file"], part.line or None,
                             f"the title of part '{part.slug}' has {len(title)} characters (at most {NAV_TITLE_MAX}): "
                             f"{title[:60]}…", "a paragraph was taken for a heading: check the lines around this one "
                             "(a heading is a short line of its own)")


def generate(paths: Paths, public: bool = False, incremental: bool = False, stage: Path | None = None) -> dict:
    """Stages 1–7. Returns the build summary (also written to build/report.md).

    With ``stage`` (an empty scratch folder), docs/ and mkdocs.yml are left alone: the pages go to
    ``stage`` and the new mkdocs.yml text is returned as ``summary["mkdocs_yml"]``, for the caller
    to publish together with site/ (see scripts/publish.py).
    """
    entries = load_manifest(paths.manifest)
    check_corrections_files(paths.corrections, [e["id"] for e in entries])
    check_assets(paths)
    bib = Bibliography(paths.bib)
    glossary, annotator = load_annotator(paths)
    ruledocs = rule_docs(paths.corrections)
    docs: list[tuple[Document, dict, str]] = []
    pages: list[Page] = []
    pages_by_doc: dict[str, list[Page]] = {}
    for entry in entries:
        bibentry = bib.get(entry["bibkey"], paths.manifest, entry.get("_bibkey_line"))
        cite = citation_stage.placeholder(bibentry.key)
        doc = cached_parse(entry, paths) if incremental else parse_text(entry, paths)
        check_nav_titles(doc, entry, paths)
        doc.authors = doc.authors or authors(bibentry)
        ctx = RenderContext(entry=entry, citation=cite, annotator=annotator, public=public, rule_docs=ruledocs)
        doc_pages = render_document(doc, ctx)
        pages_by_doc[doc.id] = doc_pages
        pages += doc_pages
        docs.append((doc, entry, cite))
    passages = collect_passages(pages)
    charts = load_charts(paths.charts, {d.id: d for d, _, _ in docs})
    chart_files = place_charts(pages, charts, passages)
    course = build_course(paths.content, paths.guides, paths.root / "data" / "essays.yml", pages, docs, pages_by_doc,
                          {e["bibkey"]: bib.get(e["bibkey"], paths.manifest).display_fields() for e in entries},
                          glossary, annotator,
                          lambda text, rel: annotate_markdown_page(text, rel, annotator) if annotator else text, public)
    from scripts.course.essay_charts import embed as embed_essay_charts      # {{ chart: <id> }} lines of the essays
    embed_essay_charts(course.essays, pages + course.pages, charts, short_labels(docs, pages_by_doc),
                       shown=passages if public else None)
    pages += content_pages(paths, annotator) + course.pages
    wayfinding.fill_home_page(pages, docs, pages_by_doc)
    pages.append(readings_index(docs, pages_by_doc))
    if paths.timeline.exists():
        from scripts.course.timeline import TIMELINE_PAGE, load_timeline, render_timeline
        essay_titles = {Path(p.path).stem: p.title for p in pages if p.path.startswith("essays/")}
        # checked against the full texts (course.passages), linked only where this edition prints them
        events = load_timeline(paths.timeline, course.passages, set(essay_titles))
        pages.append(Page(TIMELINE_PAGE, "Timeline", render_timeline(events, short_labels(docs, pages_by_doc), essay_titles,
                                                                     shown=passages if public else None)))
    else:
        events = []
    from scripts.course.guides import TIMELINE_SLOT
    from scripts.course.timeline import link_guides
    link_guides(pages, events, TIMELINE_SLOT)      # each guide links the years the timeline dates from its page
    syllabi = course_pages(paths, pages, docs, pages_by_doc, course, shown=passages if public else None)
    pages += [page for _, page in syllabi]
    if glossary is not None:
        titles = {p.path: p.title for p in pages}
        titles.update(short_labels(docs, pages_by_doc))
        used_in: dict[str, list[tuple[str, str, int]]] = {}
        for (page, term), count in sorted(annotator.counts.items()):
            used_in.setdefault(term, []).append((titles.get(page, page), page, count))
        from scripts.glossary.page import render_page  # grouped views, filter, sources, first-use links
        pages.append(Page(GLOSSARY_PAGE, "Glossary", render_page(glossary, used_in, pages, titles, full_texts=not public)))
    extra_files, linker = citation_stage.run(paths, docs, pages, pages_by_doc, bib, short_labels(docs, pages_by_doc),
                                             course.essays)
    seen_paths = [p.path for p in pages]
    clash = sorted({p for p in seen_paths if seen_paths.count(p) > 1})
    if clash:
        raise BuildError(paths.manifest, None, f"two generated pages would share the file {clash[0]}",
                         "give the text or part a different id/slug")
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
            shutil.copytree(paths.assets, folder / "assets", dirs_exist_ok=True)
        for rel, text in chart_files.items():
            (folder / rel).parent.mkdir(parents=True, exist_ok=True)
            (folder / rel).write_text(text, encoding="utf-8")
        if glossary is not None:
            from scripts.glossary.reader_data import write as write_reader_data
            write_reader_data(glossary, folder)

    def write_reports() -> dict:
        """build/: the report and the records later steps read (passages, pages, courses, citations)."""
        summary = write_report(paths.report, docs, pages, public)
        add_course_report(paths.report, course.essays, course.unguided)
        citation_stage.write_report(paths.report, linker)
        write_passages(passages, paths.report)
        write_page_outputs(docs, pages_by_doc, paths.report)
        write_course_data([c for c, _ in syllabi], paths.report)
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
            sync_dir(tmp, paths.docs)
        else:
            replace_dir(tmp, paths.docs)
    finally:
        if tmp.exists():
            shutil.rmtree(tmp)
    return summary


def course_pages(paths: Paths, pages: list[Page], docs, pages_by_doc, course,
                 shown: dict[str, dict[str, str]] | None = None) -> list[tuple]:
    """One syllabus page per course file in courses/ (see scripts/courses.py). Courses are checked
    against the full texts; with ``shown`` (the public-web edition's printed passages) an item whose
    paragraphs the edition withholds links to its page, which says so, not to a missing anchor."""
    from scripts.course.syllabi import CourseContext, load_courses, render_syllabus
    from scripts.core.passages import page_key

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
    from scripts.course.page_ranges import page_maps, part_ranges
    ctx = CourseContext(course.passages, titles, essays, course.questions, page_maps(course.full_pages), part_ranges(docs))
    courses = load_courses(paths.courses, ctx)
    for target in (t for c in courses for week in c.targets for t in week) if shown is not None else ():
        key = page_key(target.page)
        if key and target.anchor and target.anchor not in shown.get(key, {}):
            target.anchor = ""
    return [(c, Page(c.page, c.spec.title, render_syllabus(c))) for c in courses]


def short_labels(docs, pages_by_doc: dict[str, list[Page]]) -> dict[str, str]:
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


STATUS_JS = Path("assets") / "javascripts" / "build-status.js"


def show_serve_status(paths: Paths, error: str | None) -> None:
    """While serving, put the last error (or none) into docs/'s copy of build-status.js.

    Every page loads that script; ``mkdocs serve`` notices the change and reloads the browser, which
    then shows the error above the last good build of the page.
    """
    source, target = paths.root / STATUS_JS, paths.docs / STATUS_JS
    if not source.is_file() or not target.parent.is_dir():
        return
    text = source.read_text(encoding="utf-8")
    if error is not None:
        text = text.replace("var error = null; // SERVE-ERROR", "var error = " + json.dumps(error) + "; // SERVE-ERROR", 1)
    target.write_text(text, encoding="utf-8")  # a fresh mtime: `mkdocs serve --dirty` copies it again


def regenerate(paths: Paths) -> str | None:
    """One rebuild of docs/ while serving; returns the error text, or None if it built."""
    try:
        with publish.build_lock(paths.root, "serve"):
            generate(paths, incremental=True)
        return None
    except BuildError as exc:
        return exc.relative_to(paths.root)
    except Exception as exc:  # never let the watcher die: later edits must still be picked up
        return (f"internal error: {type(exc).__name__}: {exc}\n  what to do: this is a bug in scripts/, not in "
                "your input; run `BUILD_DEBUG=1 python -m scripts.build` for the traceback and report it")


def watch_inputs(paths: Paths, interval: float = 0.2) -> None:
    """While serving, regenerate docs/ whenever an input (text, data, essay, asset) changes.

    docs/ is updated file by file, so `mkdocs serve --dirty` rebuilds only the pages that changed.
    A bad edit is reported in the terminal and in the browser, the last good build stays served,
    and the next edit is picked up as usual.
    """
    folders = [paths.sources, paths.corrections.parent, paths.bib.parent, paths.content, paths.assets]

    def stamp() -> dict:
        found = {}
        for folder in folders:
            try:
                files = [p for p in folder.rglob("*") if p.is_file()] if folder.is_dir() else (
                    [folder] if folder.exists() else [])
                found.update({p: p.stat().st_mtime for p in files})
            except OSError:  # a file vanished while we looked (an editor's atomic save)
                continue
        return found

    seen = stamp()
    shown: str | None = None
    while True:
        time.sleep(interval)
        now = stamp()
        if now != seen:
            seen = now
            error = regenerate(paths)
            if error is None:
                print("docs/ regenerated", file=sys.stderr, flush=True)
            else:
                print(error, file=sys.stderr)
                print("serve: still serving the last good build; fix the error and save again", file=sys.stderr,
                      flush=True)
            if error != shown:
                show_serve_status(paths, error)
                shown = error


def scratch_config(paths: Paths, mkdocs_yml_text: str, docs_dir: Path) -> Path:
    """A copy of mkdocs.yml (with the new nav) that builds from the scratch docs folder."""
    text, n = re.subn(r"(?m)^docs_dir:.*$", f"docs_dir: {docs_dir.name}", mkdocs_yml_text, count=1)
    if not n:
        text = f"docs_dir: {docs_dir.name}\n" + text
    fd, name = tempfile.mkstemp(prefix=".mkdocs-", suffix=".yml", dir=paths.root)
    with os.fdopen(fd, "w", encoding="utf-8") as fh:
        fh.write(text)
    return Path(name)


def build_site(paths: Paths, public: bool = False) -> int:
    """Stages 1–8 for ``--site``: everything is built in scratch folders, then docs/, site/ and
    mkdocs.yml are swapped in together (scripts/publish.py); any error leaves all three as they were."""
    env = dict(os.environ, OFFLINE="false", NO_MKDOCS_2_WARNING="1")
    stage = Path(tempfile.mkdtemp(prefix="docs.", dir=paths.root))
    site = Path(tempfile.mkdtemp(prefix="site.", dir=paths.root))
    config = None
    try:
        summary = generate(paths, public=public, stage=stage)
        print_summary(summary, "pages generated")
        config = scratch_config(paths, summary["mkdocs_yml"], stage)
        code = mkdocs_run.build(config, site, paths.root, paths.content, env)
        if code != 0:
            print(f"build stopped: the site did not build (mkdocs exit {code}); docs/ and site/ were left unchanged",
                  file=sys.stderr)
            return 1
        new_yml = config.with_name(config.name + ".nav")
        new_yml.write_text(summary["mkdocs_yml"], encoding="utf-8")
        try:
            publish.swap(paths.root, [(stage, paths.docs), (site, paths.site), (new_yml, paths.mkdocs_yml)])
        except publish.Interrupted as exc:  # held back until the swap was complete
            print(f"build interrupted ({exc}) just after docs/ and site/ were replaced with the new build",
                  file=sys.stderr)
            return 128 + exc.signum
        print(f"site/ written ({'public-web' if public else 'classroom'} edition)")
        return 0
    finally:
        for scratch in (stage, site):
            shutil.rmtree(scratch, ignore_errors=True)
        if config is not None:
            config.unlink(missing_ok=True)
            config.with_name(config.name + ".nav").unlink(missing_ok=True)


def serve(paths: Paths, dev_addr: str = "") -> int:
    """``mkdocs serve`` with the input watcher (see :func:`watch_inputs`)."""
    env = dict(os.environ, OFFLINE="false", NO_MKDOCS_2_WARNING="1")
    show_serve_status(paths, None)
    threading.Thread(target=watch_inputs, args=(paths,), daemon=True).start()
    addr = ["--dev-addr", dev_addr] if dev_addr else []
    proc = subprocess.Popen([sys.executable, "-m", "mkdocs", "serve", "--dirty", *addr, "-f", str(paths.mkdocs_yml)],
                            env=env)
    try:
        return proc.wait()
    except BaseException:
        mkdocs_run.stop(proc)
        raise


def mkdocs(paths: Paths, command: str, offline: bool = False, site_dir: Path | None = None, dev_addr: str = "") -> int:
    """Run mkdocs build/serve (kept for other callers); a build goes to a scratch dir first and
    replaces ``site_dir`` only on success, and any MkDocs warning fails it."""
    if command == "serve":
        return serve(paths, dev_addr)
    env = dict(os.environ, OFFLINE="true" if offline else "false", NO_MKDOCS_2_WARNING="1")
    target = site_dir or paths.site
    tmp = Path(tempfile.mkdtemp(prefix="site.", dir=target.parent))
    try:
        code = mkdocs_run.build(paths.mkdocs_yml, tmp, paths.root, paths.content, env)
        if code == 0:
            replace_dir(tmp, target)
        else:
            print(f"mkdocs build failed (exit {code}); {paths.show(target)} was left as it was", file=sys.stderr)
        return code
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def print_summary(summary: dict, what: str = "docs/ written") -> None:
    print(f"{what}: {summary['pages']} pages from {summary['texts']} texts; "
          f"{summary['edits']} logged edits, {summary['warnings']} warnings (see build/report.md)")


STOPPED = "build stopped: docs/ and site/ were left unchanged"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--site", action="store_true", help="also build the HTML site into site/")
    parser.add_argument("--serve", action="store_true", help="also serve the site with live reload")
    parser.add_argument("--public", action="store_true", help="public-web edition (see README)")
    parser.add_argument("--dev-addr", default="", help="with --serve: address:port to serve on")
    args = parser.parse_args(argv)
    paths = Paths()
    try:
        with publish.interruptible():
            if args.serve:
                with publish.build_lock(paths.root, "serve"):
                    publish.recover(paths.root)
                    print_summary(generate(paths, public=args.public))
                return serve(paths, dev_addr=args.dev_addr)
            with publish.build_lock(paths.root, "public build" if args.public else "build"):
                for note in publish.recover(paths.root):
                    print(f"note: {note}", file=sys.stderr)
                if args.site:
                    code = build_site(paths, public=args.public)
                    return add_offline_zip(paths) if code == 0 and not args.public else code
                print_summary(generate(paths, public=args.public))
                return 0
    except BuildError as exc:
        print(exc.relative_to(paths.root), file=sys.stderr)
        print(STOPPED, file=sys.stderr)
        return 1
    except publish.Interrupted as exc:
        print(f"build interrupted ({exc}): docs/ and site/ were left as they were", file=sys.stderr)
        return 128 + exc.signum
    except Exception as exc:  # a bug in the build itself, not bad input
        if os.environ.get("BUILD_DEBUG"):
            raise
        print(f"internal error: {type(exc).__name__}: {exc}\n  what to do: this is a bug in scripts/, not in "
              "your input; rerun with BUILD_DEBUG=1 for the traceback and report it", file=sys.stderr)
        print(STOPPED, file=sys.stderr)
        return 2


def add_offline_zip(paths: Paths) -> int:
    """Put the offline bundle beside the pages, where "Download for offline use" links it."""
    from scripts.site.offline_bundle import BundleError, build_bundle
    try:
        zip_path = build_bundle(pipeline=False)
    except BundleError as err:
        print(f"offline bundle: {err}", file=sys.stderr)
        return 1
    shutil.copy2(zip_path, paths.site / zip_path.name)
    return 0


if __name__ == "__main__":
    sys.exit(main())
