"""The build: sources/ -> docs/ (Markdown) -> site/ (HTML). The stages, in order:

1. manifest      sources/sources.yml: which texts, which parser, rights        (scripts/manifest.py)
2. read          each source as UTF-8 lines, checked                           (scripts/source_text.py)
3. correct       data/corrections/<id>.yml applied, each change logged          (scripts/corrections.py)
4. parse         one parser per format -> Document (clean, rejoin, link notes)  (scripts/parsers/)
5. check notes   every marker has its note and every note its marker            (scripts/notes.py)
6. render        Documents -> Markdown pages, glossary terms annotated          (scripts/render.py, scripts/glossary.py)
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

from . import parsers as parsers_pkg
from .bibliography import Bibliography, authors, citation
from .corrections import apply_corrections, load_corrections
from .errors import BuildError
from .manifest import checksum_warning, load_manifest
from .model import Document
from .notes import check_notes
from .parsers import get_parser
from .render import GLOSSARY_PAGE, Page, RenderContext, render_document, relative
from .passages import collect as collect_passages, write as write_passages
from .report import write_report
from .source_text import read_source

ROOT = Path(__file__).resolve().parent.parent


class Paths:
    """Where everything lives; tests point this at a scratch copy to feed the build bad input."""

    def __init__(self, root: Path = ROOT) -> None:
        self.root = root
        self.manifest = root / "sources" / "sources.yml"
        self.sources = root / "sources"
        self.corrections = root / "data" / "corrections"
        self.glossary = root / "data" / "glossary.yml"
        self.bib = root / "bib" / "readings.bib"
        self.content = root / "content"
        self.assets = root / "assets"
        self.docs = root / "docs"
        self.site = root / "site"
        self.report = root / "build"
        self.mkdocs_yml = root / "mkdocs.yml"


def rule_docs(corrections: Path = ROOT / "data" / "corrections") -> dict[str, str]:
    """First paragraph of the docstring of every rule function, keyed by name (for the apparatus)."""
    docs: dict[str, str] = {}
    modules = ["scripts.cleaning"] + [f"scripts.parsers.{m.name}" for m in pkgutil.iter_modules(parsers_pkg.__path__)]
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
    src = read_source(source_path)
    warning = checksum_warning(entry, source_path)
    if warning:
        src.log("warning", "check_checksum", 0, note=warning)
    corrections_file = paths.corrections / f"{entry['id']}.yml"
    apply_corrections(src, load_corrections(corrections_file), corrections_file)
    parse = get_parser(entry["parser"])
    doc = parse(src, entry)
    doc.edits = src.edits + [e for e in doc.edits if e not in src.edits]
    check_notes(doc, src)
    return doc


_PARSED: dict[str, tuple[tuple, Document]] = {}


def cached_parse(entry: dict, paths: Paths) -> Document:
    """parse_text, reused while serving when neither the source nor its corrections changed."""
    inputs = (paths.sources / entry["file"], paths.corrections / f"{entry['id']}.yml")
    key = tuple(p.stat().st_mtime if p.exists() else 0 for p in inputs) + (entry["parser"],)
    if entry["id"] not in _PARSED or _PARSED[entry["id"]][0] != key:
        _PARSED[entry["id"]] = (key, parse_text(entry, paths))
    return copy.deepcopy(_PARSED[entry["id"]][1])


def load_annotator(paths: Paths):
    """The glossary and its annotator, or (None, None) if the glossary is not set up yet."""
    if not paths.glossary.exists():
        return None, None
    from .glossary import load_glossary
    glossary = load_glossary(paths.glossary)
    return glossary, glossary.annotator()


def content_pages(paths: Paths, annotator) -> list[Page]:
    """Hand-written pages (content/*.md, content/essays/*.md): copied, with glossary terms annotated."""
    pages = []
    for path in sorted(paths.content.rglob("*.md")):
        rel = path.relative_to(paths.content).as_posix()
        text = path.read_text(encoding="utf-8")
        title_match = re.search(r"^# (.+)$", text, re.M)
        title = title_match.group(1).strip() if title_match else rel
        if annotator is not None and rel.startswith("essays/"):
            text = annotate_markdown_page(text, rel, annotator)
        pages.append(Page(rel, title, text))
    return pages


def annotate_markdown_page(text: str, rel: str, annotator) -> str:
    """Annotate the prose paragraphs of a hand-written page (not headings, code, front matter, HTML)."""
    out, in_code, in_front = [], False, text.startswith("---\n")
    for i, line in enumerate(text.split("\n")):
        if in_front:
            out.append(line)
            if i > 0 and line == "---":
                in_front = False
            continue
        if line.startswith("```"):
            in_code = not in_code
        if in_code or not line.strip() or line.lstrip().startswith(("#", "<", "{", "|", "[^", "!!!", "???")):
            out.append(line)
            continue
        annotated = annotator.annotate(line, rel)
        out.append(annotated.replace("{GLOSSARY_URL}", relative(rel, GLOSSARY_PAGE)))
    return "\n".join(out)


def readings_index(docs: list[tuple[Document, dict, str]], pages_by_doc: dict[str, list[Page]]) -> Page:
    lines = ["---", 'title: "Readings"', "---", "", "# Readings", "",
             "Five texts, each cleaned and annotated from the source file listed in its “About this text”. "
             "Hover over (or tab to, or tap) an underlined term for its definition, and over a note number "
             "for the note.", ""]
    for doc, entry, cite in docs:
        first = pages_by_doc[doc.id][0].path
        lines += [f"## [{doc.title}]({Path(first).relative_to('readings').as_posix()})", "",
                  f"{', '.join(doc.authors)}. {entry.get('description', '')}", "", f"*Cite as:* {cite}", ""]
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
    for doc, _, _ in docs:
        doc_pages = pages_by_doc[doc.id]
        if len(doc_pages) == 1:
            lines.append(f"      - {q(doc.title)}: {doc_pages[0].path}")
            continue
        lines.append(f"      - {q(doc.title)}:")
        for p in doc_pages:
            lines.append(f"          - {q(p.nav_title or p.title)}: {p.path}")
    if GLOSSARY_PAGE in by_path:
        lines.append(f"  - Glossary: {GLOSSARY_PAGE}")
    essays = [p for p in pages if p.path.startswith("essays/")]
    if essays:
        lines.append("  - Essays:")
        lines += [f"      - {q(p.title)}: {p.path}" for p in essays]
    return "\n".join(lines) + "\n"


def write_nav(mkdocs_yml: Path, nav: str) -> None:
    text = mkdocs_yml.read_text(encoding="utf-8")
    pattern = re.compile(r"(# BEGIN GENERATED NAV[^\n]*\n).*?(# END GENERATED NAV)", re.S)
    if not pattern.search(text):
        raise BuildError(mkdocs_yml, None, "the '# BEGIN GENERATED NAV' / '# END GENERATED NAV' markers are missing",
                         "restore them (see git history); the build writes the nav between them")
    new = pattern.sub(lambda m: m.group(1) + nav + m.group(2), text)
    if new != text:
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


def generate(paths: Paths, public: bool = False, incremental: bool = False) -> dict:
    """Stages 1–7. Returns the build summary (also written to build/report.md)."""
    entries = load_manifest(paths.manifest)
    bib = Bibliography(paths.bib)
    glossary, annotator = load_annotator(paths)
    ruledocs = rule_docs(paths.corrections)
    docs: list[tuple[Document, dict, str]] = []
    pages: list[Page] = []
    pages_by_doc: dict[str, list[Page]] = {}
    for entry in entries:
        bibentry = bib.get(entry["bibkey"], paths.manifest)
        cite = citation(bibentry)
        doc = cached_parse(entry, paths) if incremental else parse_text(entry, paths)
        doc.authors = doc.authors or authors(bibentry)
        ctx = RenderContext(entry=entry, citation=cite, annotator=annotator, public=public, rule_docs=ruledocs)
        doc_pages = render_document(doc, ctx)
        pages_by_doc[doc.id] = doc_pages
        pages += doc_pages
        docs.append((doc, entry, cite))
    pages += content_pages(paths, annotator)
    pages.append(readings_index(docs, pages_by_doc))
    if glossary is not None:
        from .glossary import render_glossary_page
        titles = {p.path: p.title for p in pages}
        titles.update(short_labels(docs, pages_by_doc))
        used_in: dict[str, list[tuple[str, str, int]]] = {}
        for (page, term), count in sorted(annotator.counts.items()):
            used_in.setdefault(term, []).append((titles.get(page, page), page, count))
        from .glossary_page import render_page  # grouped views, filter, sources, first-use links
        pages.append(Page(GLOSSARY_PAGE, "Glossary", render_page(glossary, used_in, pages, titles, full_texts=not public)))
    seen_paths = [p.path for p in pages]
    clash = sorted({p for p in seen_paths if seen_paths.count(p) > 1})
    if clash:
        raise BuildError(paths.manifest, None, f"two generated pages would share the file {clash[0]}",
                         "give the text or part a different id/slug")
    tmp = Path(tempfile.mkdtemp(prefix="docs.", dir=paths.root))
    try:
        for page in pages:
            out = tmp / page.path
            out.parent.mkdir(parents=True, exist_ok=True)
            out.write_text(page.markdown, encoding="utf-8")
        if paths.assets.exists():
            shutil.copytree(paths.assets, tmp / "assets", dirs_exist_ok=True)
        summary = write_report(paths.report, docs, pages, public)
        write_passages(collect_passages(pages), paths.report)
        write_nav(paths.mkdocs_yml, nav_yaml(pages, docs, pages_by_doc))
        if incremental:
            sync_dir(tmp, paths.docs)
        else:
            replace_dir(tmp, paths.docs)
    finally:
        if tmp.exists():
            shutil.rmtree(tmp)
    return summary


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


def watch_inputs(paths: Paths, interval: float = 0.2) -> None:
    """While serving, regenerate docs/ whenever an input (text, data, essay, asset) changes.

    docs/ is updated file by file, so `mkdocs serve --dirty` rebuilds only the pages that changed.
    """
    folders = [paths.sources, paths.corrections.parent, paths.bib, paths.content, paths.assets]

    def stamp() -> dict:
        return {p: p.stat().st_mtime for folder in folders if folder.exists() for p in folder.rglob("*") if p.is_file()}

    seen = stamp()
    while True:
        time.sleep(interval)
        now = stamp()
        if now != seen:
            seen = now
            try:
                generate(paths, incremental=True)
                print("docs/ regenerated", file=sys.stderr)
            except BuildError as exc:
                print(exc, file=sys.stderr)


def mkdocs(paths: Paths, command: str, offline: bool = False, site_dir: Path | None = None, dev_addr: str = "") -> int:
    """Run mkdocs build/serve; a build goes to a scratch dir first and replaces site/ only on success."""
    env = dict(os.environ, OFFLINE="true" if offline else "false", NO_MKDOCS_2_WARNING="1")
    if command == "serve":
        threading.Thread(target=watch_inputs, args=(paths,), daemon=True).start()
        addr = ["--dev-addr", dev_addr] if dev_addr else []
        return subprocess.call([sys.executable, "-m", "mkdocs", "serve", "--dirty", *addr, "-f", str(paths.mkdocs_yml)], env=env)
    target = site_dir or paths.site
    tmp = Path(tempfile.mkdtemp(prefix="site.", dir=target.parent))
    code = subprocess.call([sys.executable, "-m", "mkdocs", "build", "--strict", "--quiet", "-f", str(paths.mkdocs_yml),
                            "-d", str(tmp)], env=env)
    if code == 0:
        replace_dir(tmp, target)
    else:
        shutil.rmtree(tmp, ignore_errors=True)
        print(f"mkdocs build failed (exit {code}); {target} was left as it was", file=sys.stderr)
    return code


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--site", action="store_true", help="also build the HTML site into site/")
    parser.add_argument("--serve", action="store_true", help="also serve the site with live reload")
    parser.add_argument("--public", action="store_true", help="public-web edition (see README)")
    parser.add_argument("--dev-addr", default="", help="with --serve: address:port to serve on")
    args = parser.parse_args(argv)
    paths = Paths()
    try:
        summary = generate(paths, public=args.public)
    except BuildError as exc:
        print(exc, file=sys.stderr)
        print("build stopped: docs/ and site/ were left unchanged", file=sys.stderr)
        return 1
    except Exception as exc:  # a bug in the build itself, not bad input
        if os.environ.get("BUILD_DEBUG"):
            raise
        print(f"internal error: {type(exc).__name__}: {exc}\n  what to do: this is a bug in scripts/, not in "
              "your input; rerun with BUILD_DEBUG=1 for the traceback and report it", file=sys.stderr)
        print("build stopped: docs/ and site/ were left unchanged", file=sys.stderr)
        return 2
    print(f"docs/ written: {summary['pages']} pages from {summary['texts']} texts; "
          f"{summary['edits']} logged edits, {summary['warnings']} warnings (see build/report.md)")
    if args.serve:
        return mkdocs(paths, "serve", dev_addr=args.dev_addr)
    if args.site:
        return mkdocs(paths, "build")
    return 0


if __name__ == "__main__":
    sys.exit(main())
