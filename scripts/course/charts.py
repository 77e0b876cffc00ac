"""Stage: charts drawn from the readings' own tables (data/charts/<id>.yml), as SVG with matplotlib.

A chart file names a reading, the tables of that reading whose cells it plots (by label, e.g.
"Table 4"), and where the chart appears. The numbers are read from the parsed tables — never typed
again — so a correction to a table changes the chart. Each table's header row gives the dates
(``June 1 1929``, ``March 10``; a header without a year takes the year from the caption), each row
a series (the region). A cell that is not a single number (``56–70**``, ``-``) is not plotted and is
listed under the chart, with the table's own note marks kept in the data table.

The figure carries a text alternative that states the trend in words, computed from the same data,
the data table, and the source line; the SVG is written into the site (``assets/charts/<id>.svg``),
so the chart requests nothing from any other host.
"""
from __future__ import annotations

import datetime as dt
import html
import io
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Annotated


from scripts.core.datafile import NonEmpty, Ref, Slug, Strict, Text, Title, load_yaml_located, schema_for
from scripts.core.edition import CLASSROOM, Edition
from scripts.core.errors import BuildError
from scripts.core.model import Document, Table
from scripts.core.markdown_text import inline_html
from scripts.core.passages import key_page
from scripts.core.links import relative

MONTHS = {m: i for i, m in enumerate(["jan", "feb", "march", "april", "may", "june", "july", "aug", "sept", "oct",
                                        "nov", "dec"], 1)}


class ChartEvent(Strict):
    date: dt.date
    label: Text
    source: Ref                     # the passage that gives the date, e.g. "@viola/chapter-4#p17"


@schema_for("data/charts/*.yml")
class ChartFile(Strict):
    """Schema of data/charts/<id>.yml."""

    title: Title
    reading: Slug
    tables: Annotated[list[Ref], NonEmpty("name at least one table")]
    page: Ref                       # the reading page the chart appears on, e.g. viola/chapter-5
    after_table: Ref                # placed after this table on that page
    highlight: Ref                  # the row drawn in bold (e.g. "RSFSR (as a whole)")
    y_label: Text
    events: list[ChartEvent] = []


@dataclass
class Chart:
    id: str
    spec: ChartFile
    path: Path
    dates: list[dt.date] = field(default_factory=list)
    series: dict[str, dict[dt.date, float]] = field(default_factory=dict)
    unplotted: list[str] = field(default_factory=list)
    sources: list[str] = field(default_factory=list)
    lines: object = None            # scripts.core.datafile.Lines of the chart file: errors give the line

    def line(self, *loc) -> int | None:
        return self.lines.of(*loc) if self.lines is not None else None

    @property
    def svg_path(self) -> str:
        return f"assets/charts/{self.id}.svg"


def parse_header_date(text: str, caption_year: int | None) -> dt.date | None:
    """``June 1 1929`` / ``Oct. 1†`` / ``March 1**`` -> a date (the year from the caption if absent)."""
    m = re.match(r"\s*([A-Za-z]+)\.?\s+(\d{1,2})\D*?(\d{4})?\s*[*†+]*\s*$", text)
    if not m:
        return None
    month = MONTHS.get(m.group(1).lower().rstrip("."))
    year = int(m.group(3)) if m.group(3) else caption_year
    if month is None or year is None:
        return None
    return dt.date(year, month, int(m.group(2)))


def parse_value(cell: str) -> float | None:
    """A table cell as a number, ignoring the table's note marks (``32.9 ++``); None if not one number."""
    m = re.fullmatch(r"\s*(\d+(?:\.\d+)?)\s*[*†+]*\s*", cell)
    return float(m.group(1)) if m else None


def find_table(doc: Document, label: str) -> Table | None:
    for part in doc.parts:
        for block in part.blocks:
            if isinstance(block, Table) and block.label.lower() == label.lower():
                return block
    return None


def build_chart(chart_id: str, spec: ChartFile, path: Path, docs: dict[str, Document], lines=None) -> Chart:
    """Read the chart's series out of the parsed tables (errors name the chart file and line)."""
    chart = Chart(chart_id, spec, path, lines=lines)
    if spec.reading not in docs:
        raise BuildError(path, chart.line("reading"), f"reading '{spec.reading}' is not in sources/sources.yml",
                         "use one of: " + ", ".join(sorted(docs)))
    for n, label in enumerate(spec.tables):
        table = find_table(docs[spec.reading], label)
        if table is None:
            raise BuildError(path, chart.line("tables", n), f"{spec.reading} has no table '{label}'", "use the label printed above the table")
        years = re.findall(r"\b(1[89]\d\d)\b", " ".join(table.caption))
        caption_year = int(years[-1]) if years else None
        header = table.header_rows[0]
        columns = [(i, parse_header_date(h, caption_year)) for i, h in enumerate(header)]
        columns = [(i, d) for i, d in columns if d is not None]
        if not columns:
            raise BuildError(path, chart.line("tables", n), f"the header of {label} has no dates the chart can read", "check the table")
        chart.sources += [n for n in table.notes if n.startswith("*") and not n.startswith("**")]
        for row in table.rows:
            name = row[0].strip()
            values = chart.series.setdefault(name, {})
            for i, date in columns:
                cell = row[i] if i < len(row) else ""
                value = parse_value(cell)
                if value is None:
                    chart.unplotted.append(f"{name}, {date:%-d %B %Y}: “{cell.strip()}” ({label})")
                    continue
                if date in values and values[date] != value:
                    raise BuildError(path, chart.line("tables", n), f"{name} on {date} is {values[date]} in one table and {value} in {label}",
                                     "the tables disagree; plot only one of them")
                values[date] = value
    chart.dates = sorted({d for s in chart.series.values() for d in s})
    if spec.highlight not in chart.series:
        raise BuildError(path, chart.line("highlight"), f"no row '{spec.highlight}' in the tables", "name a row as printed")
    return chart


def series_id(name: str) -> str:
    """The SVG group id of a series' line ("RSFSR (as a whole)" -> "series-rsfsr-as-a-whole")."""
    return "series-" + "-".join(re.findall(r"[a-z0-9]+", name.lower()))


_DRAWN: dict[str, str] = {}


def draw_svg(chart: Chart) -> str:
    """The chart as SVG text, drawn with matplotlib (deterministic: fixed hash salt, no date).

    Drawing takes about a second; a chart whose data and spec did not change is not drawn again
    while serving (the SVG is a function of them alone)."""
    key = repr((chart.spec.model_dump(), chart.dates, sorted(chart.series.items()), chart.unplotted, chart.sources))
    if key not in _DRAWN:
        _DRAWN.clear()
        _DRAWN[key] = _draw_svg(chart)
    return _DRAWN[key]


def _draw_svg(chart: Chart) -> str:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.dates as mdates
    import matplotlib.pyplot as plt

    matplotlib.rcParams.update({"svg.hashsalt": "revolution-from-above", "font.family": "DejaVu Sans",
                                "font.size": 10, "svg.fonttype": "path"})
    fig, ax = plt.subplots(figsize=(8, 4.6), dpi=100)
    spec = chart.spec
    palette = ["#1b9e77", "#d95f02", "#7570b3", "#e7298a", "#66a61e", "#e6ab02", "#a6761d", "#1f78b4", "#b15928"]
    others = [name for name in chart.series if name != spec.highlight]
    for colour, name in zip(palette * 2, others):
        points = sorted(chart.series[name].items())
        line, = ax.plot([d for d, _ in points], [v for _, v in points], color=colour, linewidth=1.1, alpha=0.85,
                        marker="o", markersize=2.5, label=name)
        line.set_gid(series_id(name))
    points = sorted(chart.series[spec.highlight].items())
    line, = ax.plot([d for d, _ in points], [v for _, v in points], color="#000000", linewidth=3, marker="o",
                    markersize=4, label=spec.highlight, zorder=5)
    line.set_gid(series_id(spec.highlight))
    for event in spec.events:
        ax.axvline(event.date, color="#555555", linestyle="--", linewidth=1)
        ax.annotate(event.label, xy=(event.date, 95), xytext=(6, 0), textcoords="offset points", fontsize=9,
                    color="#222222", va="top")
    ax.set_ylim(0, 100)
    ax.set_ylabel(spec.y_label)
    ax.xaxis.set_major_formatter(mdates.DateFormatter("%b %Y"))
    ax.grid(True, color="#dddddd", linewidth=0.6)
    ax.spines[["top", "right"]].set_visible(False)
    ax.legend(fontsize=7.5, ncol=2, loc="upper left", bbox_to_anchor=(0.0, -0.12), frameon=False)
    fig.tight_layout()
    out = io.StringIO()
    fig.savefig(out, format="svg", bbox_inches="tight", metadata={"Date": None, "Creator": None})
    plt.close(fig)
    return out.getvalue()


def trend_text(chart: Chart) -> str:
    """The chart's trend in words, computed from its data (the figure's text alternative)."""
    spec = chart.spec
    main = sorted(chart.series[spec.highlight].items())
    first, last = main[0], main[-1]
    peak = max(main, key=lambda p: p[1])
    regions = {n: s for n, s in chart.series.items() if n != spec.highlight and peak[0] in s}
    top = max(regions.items(), key=lambda kv: kv[1][peak[0]]) if regions else None
    text = (f"{spec.highlight}: {first[1]:g}% of households were collectivized on {first[0]:%-d %B %Y}, "
            f"rising to {peak[1]:g}% on {peak[0]:%-d %B %Y} and falling to {last[1]:g}% by {last[0]:%-d %B %Y}.")
    if top:
        text += f" The highest regional figure on {peak[0]:%-d %B %Y} was {top[0]}'s {top[1][peak[0]]:g}%."
    falls = []
    for name, s in regions.items():
        pts = sorted(s.items())
        if pts[-1][0] > peak[0]:
            falls.append((s[peak[0]] - pts[-1][1], name, s[peak[0]], pts[-1][1]))
    if falls:
        drop, name, a, b = max(falls)
        text += f" The steepest fall after that was in {name}, from {a:g}% to {b:g}%."
    return text


def figure_html(chart: Chart, src: str) -> str:
    """The figure shown on the page: the SVG image, its caption and source, the trend and the data."""
    spec = chart.spec
    alt = html.escape(f"Line chart: {spec.title}. {trend_text(chart)}", quote=True)
    head = "".join(f"<th scope=\"col\">{d:%-d %b %Y}</th>" for d in chart.dates)
    rows = []
    for name, values in chart.series.items():
        cells = "".join(f"<td>{values[d]:g}</td>" if d in values else "<td>–</td>" for d in chart.dates)
        rows.append(f"<tr><th scope=\"row\">{html.escape(name)}</th>{cells}</tr>")
    unplotted = ""
    if chart.unplotted:
        unplotted = ("<p class=\"chart-unplotted\">Not plotted (not a single number in the table): "
                     + "; ".join(html.escape(u) for u in chart.unplotted) + ".</p>")
    sources = " ".join(inline_html(s.lstrip("*")) for s in chart.sources)
    return "\n".join([
        f'<figure class="edition-chart" id="chart-{chart.id}">',
        # the caption first, as the edition's tables have it: HTML allows a figcaption only as the
        # first or last child of its figure, and the trend and the data follow the image
        f"<figcaption><strong>Chart.</strong> {html.escape(spec.title)}. Drawn by this edition from "
        f"{html.escape(', '.join(spec.tables))} of the reading. <span class=\"chart-source\">Source of the tables: {sources}</span></figcaption>",
        f'<img src="{src}" alt="{alt}" width="800" height="460" loading="lazy">',
        f'<p class="chart-trend">{html.escape(trend_text(chart))}</p>',
        '<details class="chart-data"><summary>The numbers plotted (percent of households)</summary>',
        '<div class="table-scroll" tabindex="0" role="region" aria-label="Chart data (scrolls sideways)">',
        f"<table><thead><tr><th scope=\"col\">Region</th>{head}</tr></thead><tbody>{''.join(rows)}</tbody></table>",
        "</div>", unplotted, "</details>", "</figure>", ""])


def place_charts(pages: list, charts: list[Chart], passages: dict[str, dict[str, str]],
                 edition: Edition = CLASSROOM) -> dict[str, str]:
    """Insert each chart after its table on its page; returns {docs path: SVG text} to write.

    ``passages`` are the full texts' (every chart's events are checked against them); a chart of a
    page the edition withholds is not drawn (its table data are the book's)."""

    files = {}
    by_path = {p.path: p for p in pages}
    for chart in charts:
        page = by_path.get(key_page(chart.spec.page))
        if page is None:
            raise BuildError(chart.path, chart.line("page"), f"page '{chart.spec.page}' does not exist", "use e.g. viola/chapter-5")
        if not edition.prints_page(chart.spec.page):
            continue    # the edition withholds the page's text (public-web edition): no chart there either
        for n, event in enumerate(chart.spec.events):
            key, _, anchor = event.source.lstrip("@").partition("#")
            if anchor not in passages.get(key, {}):
                raise BuildError(chart.path, chart.line("events", n, "source"), f"event '{event.label}': no passage {event.source}",
                                 "cite the paragraph that gives the date, e.g. @viola/chapter-4#p17")
        ident = "table-" + "".join(ch for ch in chart.spec.after_table.lower() if ch.isalnum())
        start = page.markdown.find(f'id="{ident}"')
        end = page.markdown.find("</figure>", start)
        if start < 0 or end < 0:
            raise BuildError(chart.path, chart.line("after_table"), f"{chart.spec.after_table} is not on {chart.spec.page}",
                             "name a table printed on that page")
        end += len("</figure>")
        figure = figure_html(chart, relative(page.path, chart.svg_path[:-4] + ".md")[:-5] + ".svg")
        page.markdown = page.markdown[:end] + "\n\n" + figure + page.markdown[end:]
        files[chart.svg_path] = draw_svg(chart)
    return files


def load_charts(folder: Path, docs: dict[str, Document]) -> list[Chart]:
    """Every data/charts/*.yml, validated and read out of the parsed tables."""
    charts = []
    for path in sorted(folder.glob("*.yml")) if folder.exists() else []:
        spec, lines = load_yaml_located(path, ChartFile)
        charts.append(build_chart(path.stem, spec, path, docs, lines))
    return charts
