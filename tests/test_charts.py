"""The collectivization chart: drawn from Viola's Tables 4 and 7 as printed on the built pages.

The test reads the tables from the built HTML (not from the chart code), reads the plotted points
back out of the SVG, and checks that every number of the tables is drawn where a linear y axis
puts it — so a chart that plotted typed-in or shifted numbers would fail.
"""
from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from scripts.course.charts import ChartFile, build_chart, parse_value, series_id
from scripts.core.errors import BuildError

SVG_NS = "{http://www.w3.org/2000/svg}"


def built_table(soup: BeautifulSoup, ident: str) -> tuple[list[str], list[list[str]]]:
    figure = soup.find(id=ident)
    assert figure is not None, f"#{ident} missing"
    header = [th.get_text(" ", strip=True) for th in figure.select("thead th")]
    rows = [[td.get_text(" ", strip=True) for td in tr.find_all("td")] for tr in figure.select("tbody tr")]
    return header, rows


def svg_points(svg: Path) -> dict[str, list[tuple[float, float]]]:
    tree = ET.parse(svg)
    lines = {}
    for g in tree.iter(f"{SVG_NS}g"):
        gid = g.get("id", "")
        if gid.startswith("series-"):
            path = g.find(f"{SVG_NS}path")
            nums = [float(n) for n in re.findall(r"-?\d+(?:\.\d+)?", path.get("d"))]
            lines[gid] = list(zip(nums[0::2], nums[1::2]))
    return lines


@pytest.fixture(scope="module")
def chapter5(built_site: Path) -> BeautifulSoup:
    return BeautifulSoup((built_site / "readings/viola/chapter-5.html").read_text(encoding="utf-8"), "html.parser")


def test_chart_is_on_the_retreat_chapter_with_alt_text_and_data(chapter5: BeautifulSoup, built_site: Path) -> None:
    figure = chapter5.find(id="chart-collectivization")
    assert figure is not None
    img = figure.find("img")
    assert img["src"].endswith("assets/charts/collectivization.svg") and not img["src"].startswith(("http", "//"))
    assert (built_site / "readings/viola" / img["src"]).resolve().exists()
    alt = img["alt"]
    assert "58.6%" in alt and "20.4%" in alt and "3.7%" in alt, alt
    assert figure.find("figcaption").find(class_="chart-source").get_text().count("Davies") >= 1
    assert figure.find("table") is not None, "the data table is shown with the chart"
    # the chart follows Table 7 on the page
    html = str(chapter5)
    assert html.index('id="table-table7"') < html.index('id="chart-collectivization"')


def test_plotted_values_equal_the_printed_table_cells(chapter5: BeautifulSoup, built_site: Path) -> None:
    chapter4 = BeautifulSoup((built_site / "readings/viola/chapter-4.html").read_text(encoding="utf-8"), "html.parser")
    series: dict[str, list[float]] = {}
    for soup, ident in ((chapter4, "table-table4"), (chapter5, "table-table7")):
        header, rows = built_table(soup, ident)
        assert len(rows) == 10, f"{ident}: {len(rows)} rows"
        for row in rows:
            name = row[0]
            values = series.setdefault(name, [])
            for cell in row[1:]:
                value = parse_value(cell)
                if value is not None and not (ident == "table-table7" and cell == row[1]):
                    values.append(value)            # Table 7's 1 March column repeats Table 4's last
                elif value is not None and ident == "table-table7":
                    assert values[-1] == value, f"{name}: the tables disagree on 1 March 1930"
    lines = svg_points(built_site / "assets/charts/collectivization.svg")
    assert set(lines) == {series_id(n) for n in series}, sorted(lines)
    # y pixel = a - b * value for one a, b (axis 0–100): fit on the RSFSR line, check every point
    main = series["RSFSR (as a whole)"]
    pts = lines[series_id("RSFSR (as a whole)")]
    assert len(pts) == len(main)
    (v1, y1), (v2, y2) = (main[0], pts[0][1]), (max(main), pts[main.index(max(main))][1])
    b = (y1 - y2) / (v2 - v1)
    a = y1 + b * v1
    for name, values in series.items():
        points = lines[series_id(name)]
        assert len(points) == len(values), f"{name}: {len(points)} points for {len(values)} printed numbers"
        xs = [x for x, _ in points]
        assert xs == sorted(xs), f"{name}: dates out of order"
        for value, (_, y) in zip(values, points):
            assert abs((a - b * value) - y) < 0.05, f"{name}: {value} drawn at y={y}"


def test_a_table_that_is_not_there_stops_with_the_chart_file(tmp_path: Path) -> None:
    from scripts.core.model import Document

    spec = ChartFile(title="t", reading="viola", tables=["Table 99"], page="viola/chapter-5", after_table="Table 7",
                     highlight="RSFSR (as a whole)", y_label="%")
    with pytest.raises(BuildError) as err:
        build_chart("x", spec, tmp_path / "x.yml", {"viola": Document("viola", "t", [], [])})
    assert "no table 'Table 99'" in str(err.value) and "x.yml" in str(err.value)
