"""A chart in an essay: a line ``{{ chart: <id> }}`` in content/essays/*.md (scripts/course/essay_charts.py).

Checked on the built site: every essay that asks for a chart shows that chart's figure where the
marker stood (after the paragraph before it), the same figure as on its reading page (image, text
alternative, data table, source), its image served by the site, its tables linked; no marker is
left raw on any page. A marker naming no chart stops the build at the essay's line.
"""
from __future__ import annotations

import re
import os
import subprocess
import sys
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from tests.conftest import ROOT

ESSAYS = ROOT / "content" / "essays"
MARKER = re.compile(r"^\{\{\s*chart\s*:\s*([a-z0-9-]+)\s*\}\}\s*$", re.M)


def essays_with_charts() -> list[tuple[Path, str, int]]:
    """(essay file, chart id, line) for every marker in content/essays/."""
    out = []
    for path in sorted(ESSAYS.glob("*.md")):
        text = path.read_text(encoding="utf-8")
        for m in MARKER.finditer(text):
            out.append((path, m.group(1), text[:m.start()].count("\n") + 1))
    return out


def paragraph_before(text: str, line: int) -> str:
    """The essay's prose paragraph just above ``line`` (its first words, Markdown stripped)."""
    lines = text.split("\n")[:line - 1]
    while lines and not lines[-1].strip():
        lines.pop()
    para = lines[-1]
    return " ".join(re.sub(r"\[\^[^\]]+\]|[*_]", "", para).split()[:8])


def test_the_essay_on_the_retreat_shows_the_chart() -> None:
    found = {(p.stem, c) for p, c, _ in essays_with_charts()}
    assert ("dizzy-with-success", "collectivization") in found, found


@pytest.mark.parametrize("path, chart, line", essays_with_charts(), ids=lambda v: getattr(v, "stem", str(v)))
def test_essay_chart_is_the_readings_figure_in_place(built_site: Path, path: Path, chart: str, line: int) -> None:
    page = built_site / "essays" / f"{path.stem}.html"
    soup = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
    figure = soup.find(id=f"chart-{chart}")
    assert figure is not None and figure.name == "figure", f"{page.name}: no figure #chart-{chart}"
    # where the marker stood: right after the paragraph above it
    before = figure.find_previous_sibling("p").get_text(" ")
    assert " ".join(before.split()[:8]) == paragraph_before(path.read_text(encoding="utf-8"), line)
    # the image is served by the site itself, with the trend in words as its alternative
    img = figure.find("img")
    assert not re.match(r"^(https?:)?//", img["src"])
    svg = (page.parent / img["src"]).resolve()
    assert svg.is_file() and svg.read_text(encoding="utf-8").lstrip().startswith(("<?xml", "<svg"))
    assert len(img["alt"]) > 80
    # the same figure as on the reading page that shows the chart (alt text, caption, data, source)
    reading = next(p for p in (built_site / "readings").rglob("*.html")
                   if f'id="chart-{chart}"' in p.read_text(encoding="utf-8"))
    there = BeautifulSoup(reading.read_text(encoding="utf-8"), "html.parser").find(id=f"chart-{chart}")
    assert img["alt"] == there.find("img")["alt"]
    assert (reading.parent / there.find("img")["src"]).resolve() == svg
    assert figure.find("figcaption").get_text() == there.find("figcaption").get_text()
    assert str(figure.find("table")) == str(there.find("table")), "the data table is the reading's"
    # the tables it is drawn from are linked, and the links land on them
    origin = figure.find_next_sibling("p")
    assert "chart-origin" in origin.get("class", [])
    links = origin.find_all("a")
    assert links
    for a in links:
        target, _, anchor = a["href"].partition("#")
        html = (page.parent / target).resolve()
        assert html.is_file() and f'id="{anchor}"' in html.read_text(encoding="utf-8"), a["href"]


def test_no_chart_marker_is_left_raw(built_site: Path) -> None:
    raw = [p.relative_to(built_site).as_posix() for p in built_site.rglob("*.html")
           if "{{ chart" in p.read_text(encoding="utf-8") or "{{chart" in p.read_text(encoding="utf-8")]
    assert not raw, raw


def test_essay_word_count_leaves_the_marker_out() -> None:
    """The marker is not prose: it adds nothing to the essay's words (the syllabus' reading time)."""
    from scripts.course.essay_check import body_words, parse_essay

    for path, chart, line in essays_with_charts():
        text = path.read_text(encoding="utf-8")
        lines = text.split("\n")
        without = "\n".join(lines[:line - 1] + lines[line:])
        assert body_words(parse_essay(path, text)) == body_words(parse_essay(path, without))


@pytest.mark.parametrize("marker, message", [
    ("{{ chart: no-such-chart }}", "there is no chart 'no-such-chart'"),
    ("{{ chrt: collectivization }}", "is not a chart marker"),
])
def test_a_bad_chart_marker_is_reported_by_the_essay_check(tmp_path: Path, generated_docs: Path, marker: str,
                                                            message: str) -> None:
    """``python -m scripts.course.essay_check check`` names the file, the line and the charts there are."""
    essay = tmp_path / "essay.md"
    text = (ESSAYS / "dizzy-with-success.md").read_text(encoding="utf-8")
    essay.write_text(text.replace("{{ chart: collectivization }}", marker), encoding="utf-8")
    line = essay.read_text(encoding="utf-8").split("\n").index(marker) + 1
    proc = subprocess.run([sys.executable, "-m", "scripts.course.essay_check", "check", str(essay)], cwd=generated_docs.parent,
                          capture_output=True, text=True, env=dict(os.environ, PYTHONDONTWRITEBYTECODE="1"))
    # (run in the session build, which other tests copy while this runs: it must write nothing there)
    assert proc.returncode == 1
    assert f"{essay}:{line}: error: " in proc.stdout and message in proc.stdout, proc.stdout


def test_an_unknown_chart_stops_the_build_at_the_essays_line(tmp_path: Path) -> None:
    from scripts.pipeline import generate
    from scripts.core.errors import BuildError
    from tests.project_copy import scratch_paths

    paths = scratch_paths(tmp_path)
    essay = tmp_path / "content" / "essays" / "dizzy-with-success.md"
    lines = essay.read_text(encoding="utf-8").split("\n")
    line = lines.index("{{ chart: collectivization }}") + 1
    lines[line - 1] = "{{ chart: collectivisation }}"
    essay.write_text("\n".join(lines), encoding="utf-8")
    with pytest.raises(BuildError) as err:
        generate(paths)
    assert err.value.path.endswith("content/essays/dizzy-with-success.md") and err.value.line == line, str(err.value)
    assert "there is no chart 'collectivisation'" in str(err.value)
    assert "collectivization" in err.value.hint and "data/charts/" in err.value.hint
    assert not (tmp_path / "docs").exists()
