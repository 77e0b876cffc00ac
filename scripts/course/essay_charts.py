"""Charts in essays: a line ``{{ chart: collectivization }}`` in content/essays/<id>.md shows that chart.

The charts themselves are data (``data/charts/<id>.yml``, drawn by scripts/course/charts.py from a
reading's own tables and placed after their table in the reading). An essay that wants one writes
the chart's id — the file name of its data file — on a line of its own::

    The figures are dramatic. …[^31]

    {{ chart: collectivization }}

and the essay page shows the same figure as the reading: the SVG served by the site, the trend in
words as its text alternative, the data table and the tables' source line, followed by a line that
links the tables it was drawn from in the reading. The marker is plain text, not an MkDocs
plugin: the essays are turned into pages by our own scripts (scripts/course/essay_pages.py) before
MkDocs runs, and this stage replaces the marker line in the essay's page.

A marker naming no chart, or a line that begins with ``{{`` but is not a chart marker (a typo that
would otherwise show raw on the page), stops the build at the essay's line with the charts that
exist. ``python -m scripts.course.essay_check check`` reports the same.
"""
from __future__ import annotations

import re
from pathlib import Path

from scripts.core.edition import CLASSROOM, Edition
from scripts.core.errors import BuildError
from scripts.core.front_matter import split_front_matter
from scripts.core.links import relative
from scripts.course.charts import figure_html
from scripts.core.datafile import read_text
from scripts.core.markdown_text import escape_text
from scripts.core.passages import key_page

MARKER = re.compile(r"^\{\{\s*chart\s*:\s*(?P<name>[^{}\s]+)\s*\}\}\s*$")
"""A chart marker: the whole line, ``{{ chart: <id> }}``."""
BRACES = re.compile(r"^\s*\{\{")
"""Any line that begins with ``{{``: a chart marker, or a mistyped one."""


def markers(body_lines: list[tuple[int, str]]) -> list[tuple[int, str | None, str]]:
    """(line number, chart id or None for a malformed marker, the line) of every ``{{`` line of an essay body."""
    out = []
    for number, line in body_lines:
        if BRACES.match(line):
            m = MARKER.match(line.strip())
            out.append((number, m.group("name") if m else None, line.strip()))
    return out


def chart_ids(folder: Path) -> set[str]:
    """The ids of the charts that exist: the file names of data/charts/*.yml."""
    return {p.stem for p in folder.glob("*.yml")} if folder.exists() else set()


def problems(body_lines: list[tuple[int, str]], known: set[str]) -> list[tuple[int, str, str]]:
    """(line, message, what to do) for every marker that names no chart or is not a marker."""
    names = ", ".join(sorted(known)) or "none yet"
    out = []
    seen: dict[str, int] = {}
    for number, name, line in markers(body_lines):
        if name in seen:
            out.append((number, f"the chart '{name}' is already shown at line {seen[name]}",
                        "show each chart once in an essay (it carries an id that must be unique on the page); "
                        "remove this line or refer back to the chart in words"))
        elif name is None:
            out.append((number, f"'{line[:60]}' is not a chart marker",
                        "write the chart's id on a line of its own: {{ chart: collectivization }} "
                        f"(charts: {names})"))
        elif name not in known:
            out.append((number, f"there is no chart '{name}'",
                        f"use the file name of a chart in data/charts/ without .yml ({names})"))
        if name is not None:
            seen.setdefault(name, number)
    return out


def origin_line(chart, essay_path: str, pages_by_path: dict, labels: dict[str, str]) -> str:
    """Markdown: where the chart's tables are in the reading, each linked when its page shows it."""

    found = []
    for label in chart.spec.tables:
        ident = "table-" + "".join(ch for ch in label.lower() if ch.isalnum())
        page = next((p for path, p in pages_by_path.items() if path.startswith(f"readings/{chart.spec.reading}/")
                     and f'id="{ident}"' in p.markdown), None)
        if page is None:
            found.append(label)
            continue
        href = relative(essay_path, page.path)[:-5] + ".md"
        found.append(f"[{label}]({href}#{ident}) ({labels.get(page.path, page.title)})")
    return f"The chart is drawn from {' and '.join(found)}.\n{{: .chart-origin }}"


def embed(essays: list, pages: list, charts: list, labels: dict[str, str],
          edition: Edition = CLASSROOM) -> int:
    """Replace every chart marker of the essay pages with its figure; returns how many were placed.

    A chart drawn from a page the edition withholds (the public-web edition) is not drawn there either: the marker becomes a line saying where it is.

    ``essays``: the checked essays (scripts/essay_pages.EssayPage: their source file and page path);
    ``pages``: every page so far (the essays' pages among them, and the readings, to link the tables);
    ``charts``: scripts/charts.Chart objects (every data/charts/*.yml); ``labels``: page -> "Viola, ch. 5".
    """

    by_id = {c.id: c for c in charts}
    by_path = {p.path: p for p in pages}
    placed = 0
    for essay in essays:
        _meta, body = split_front_matter(essay.source, read_text(essay.source))
        found = problems(body, set(by_id))
        if found:
            line, message, hint = found[0]
            raise BuildError(essay.source, line, message, hint)
        page = by_path.get(essay.path)
        if page is None or not markers(body):
            continue
        out = []
        for line in page.markdown.split("\n"):
            m = MARKER.match(line.strip())
            if m is None:
                out.append(line)
                continue
            chart = by_id[m.group("name")]
            if not edition.prints_page(chart.spec.page):
                out += ["", f"*The chart “{escape_text(chart.spec.title)}”, drawn from "
                        f"{escape_text(' and '.join(chart.spec.tables))} of "
                        f"{escape_text(labels.get(key_page(chart.spec.page), chart.spec.page))}, is in the classroom edition, "
                        "which prints that text.*", "{: .chart-origin }", ""]
                continue
            src = relative(page.path, chart.svg_path[:-4] + ".md")[:-5] + ".svg"
            out += ["", figure_html(chart, src).rstrip("\n"), "", origin_line(chart, page.path, by_path, labels), ""]
            placed += 1
        page.markdown = "\n".join(out)
    return placed
