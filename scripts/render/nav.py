"""The site's navigation: the nav block of mkdocs.yml and the Readings index page.

Titles come from the texts and the data files, so they are checked here (a paragraph taken for a
heading would make a nav title of hundreds of characters) before they reach mkdocs.yml.
"""
from __future__ import annotations

import re
from pathlib import Path

from scripts.core.datafile import read_text
from scripts.core.errors import BuildError
from scripts.core.escape import html_text, yaml_value
from scripts.core.links import GLOSSARY_PAGE
from scripts.core.markdown_text import escape_text
from scripts.core.model import Document, Page, Reading
from scripts.render import wayfinding
from scripts.render.document import part_nav_title
from scripts.paths import Paths


def readings_index(docs: list[Reading], pages_by_doc: dict[str, list[Page]]) -> Page:
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


def nav_yaml(pages: list[Page], docs: list[Reading], pages_by_doc: dict[str, list[Page]]) -> str:
    """The nav block for mkdocs.yml: Home, Readings (Viola with its parts), Glossary, Essays, pages."""
    def q(s: str) -> str:      # Material prints nav titles as HTML: every title is escaped text
        return yaml_value(html_text(s))
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


#: A nav title longer than this is a parsing accident (a paragraph taken for a heading), and YAML
#: cannot write a key over 1,024 characters: stop at the source line instead of writing a broken mkdocs.yml.
NAV_TITLE_MAX = 300


def check_nav_titles(doc: Document, entry: dict, paths: Paths) -> None:
    for part in doc.parts:
        title = part_nav_title(part)
        if len(title) > NAV_TITLE_MAX:
            raise BuildError(paths.sources / entry["file"], part.line or None,
                             f"the title of part '{part.slug}' has {len(title)} characters (at most {NAV_TITLE_MAX}): "
                             f"{title[:60]}…", "a paragraph was taken for a heading: check the lines around this one "
                             "(a heading is a short line of its own)")
