"""Course items by printed page (``pages: 121-136`` in courses/*.yml, scripts/course/page_ranges.py).

The expected paragraphs are computed here from the built chapter page itself: every paragraph
carries the printed page it starts on (``data-page``) and, when it runs over, the page it ends on
(``data-page-end``), drawn from the pagination stage. A paragraph belongs to pages A–B when any of
its text is printed on them; one that begins before A or ends after B is included and marked.
"""
from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from tests.conftest import ROOT

COURSE = ROOT / "courses" / "collectivization.yml"


def page_ranged_items() -> list[tuple[str, int, int]]:
    """(reading, first page, last page) of every ``pages:`` item of the sample course, read from the YAML."""
    import yaml

    spec = yaml.safe_load(COURSE.read_text(encoding="utf-8"))
    out = []
    for week in spec["weeks"]:
        for item in week["items"]:
            if "pages" in item:
                first, last = (int(n) for n in re.findall(r"\d+", str(item["pages"])))
                out.append((item["reading"], first, last))
    return out


def printed_paragraphs(html_page: Path) -> dict[int, tuple[int, int]]:
    """¶ number -> (first, last printed page), from the built page's paragraph attributes."""
    soup = BeautifulSoup(html_page.read_text(encoding="utf-8"), "html.parser")
    out = {}
    for el in soup.select("article [data-page]"):
        m = re.fullmatch(r"p(\d+)", el.get("id", ""))
        if m:
            start = int(el["data-page"])
            out[int(m.group(1))] = (start, int(el.get("data-page-end", start)))
    return out


def expected(html_page: Path, first: int, last: int) -> tuple[list[int], dict[int, str]]:
    """The paragraphs with text on pages first–last, and the partly covered ones with where they run."""
    paras = printed_paragraphs(html_page)
    chosen = sorted(n for n, (a, b) in paras.items() if not (b < first or a > last))
    partial = {}
    for n in chosen:
        a, b = paras[n]
        if a < first or b > last:
            partial[n] = (a, b)
    return chosen, partial


def test_the_sample_course_assigns_pages() -> None:
    assert page_ranged_items(), "the sample course should show a printed-page range (pages: A-B)"


def syllabus_item(soup: BeautifulSoup, reading: str):
    for span in soup.select("article .syllabus-item"):
        if span.a and span.a["href"].split("#")[0].endswith(reading.split("/")[-1] + ".html"):
            return span
    raise AssertionError(f"no syllabus item links {reading}")


def check_syllabus(syllabus: Path, built_site: Path) -> None:
    """The syllabus at ``syllabus`` gives each page-ranged item its pages and exactly their paragraphs."""
    soup = BeautifulSoup(syllabus.read_text(encoding="utf-8"), "html.parser")
    for reading, first, last in page_ranged_items():
        chosen, partial = expected(built_site / "readings" / f"{reading}.html", first, last)
        assert chosen and chosen == list(range(chosen[0], chosen[-1] + 1))
        span = syllabus_item(soup, reading)
        text = span.get_text(" ", strip=True)
        assert f"pp. {first}–{last}" in text, text
        assert f"¶ {chosen[0]}–{chosen[-1]}" in text, text
        assert span.a["href"].endswith(f"#p{chosen[0]}")
        line = span.parent.get_text(" ", strip=True)
        for n, (a, b) in partial.items():
            says = f"begins on p. {a}" if a < first else f"ends on p. {b}"
            assert f"¶ {n} ({says}" in line, line
        if not partial:
            assert "syllabus-partial" not in str(span.parent)


def test_syllabus_shows_the_pages_and_exactly_their_paragraphs(built_site: Path) -> None:
    check_syllabus(built_site / "courses" / "collectivization.html", built_site)


def test_syllabus_words_are_those_of_the_paragraphs_on_the_pages(built_site: Path, build_dir: Path) -> None:
    from tests.test_course_pack import words_of

    data = json.loads((build_dir / "courses" / "collectivization.json").read_text(encoding="utf-8"))
    for reading, first, last in page_ranged_items():
        page = built_site / "readings" / f"{reading}.html"
        chosen, _ = expected(page, first, last)
        (item,) = [i for i in data["items"] if i["page"] == f"readings/{reading}.md" and i["printed_pages"]]
        assert abs(words_of(page, chosen[0], chosen[-1]) - item["words"]) <= max(3, item["words"] // 200)


# ---- bad page ranges: the course file's line and what to do ---------------------------------------

@pytest.fixture(scope="module")
def context(generated_docs: Path, build_dir: Path):
    """What the build checks course files against, from the real build's outputs."""
    from scripts.course.syllabi import CourseContext
    from scripts.course.page_ranges import PageMap

    passages = json.loads((build_dir / "passages.json").read_text(encoding="utf-8"))
    pages = json.loads((build_dir / "pages.json").read_text(encoding="utf-8"))
    maps, ranges = {}, {}
    for text_id, data in pages.items():
        for slug, part in data["parts"].items():
            paras = {int(a[1:]): tuple(r) for a, r in part["paragraphs"].items()}
            maps[f"{text_id}/{slug}"] = PageMap(min(a for a, _ in paras.values()), max(b for _, b in paras.values()), paras)
            ranges[f"{text_id}/{slug}"] = (part["first"], part["last"])
    essays = {p.stem: 100 for p in (ROOT / "content" / "essays").glob("*.md")}
    return CourseContext(passages, {}, essays, {}, maps, ranges)


def course_file(tmp_path: Path, item: str) -> Path:
    path = tmp_path / "c.yml"
    path.write_text('title: "T"\nweeks:\n  - title: "W"\n    items:\n      - reading: goldman\n' + item, encoding="utf-8")
    return path


@pytest.mark.parametrize("item, message, hint", [
    ("      - reading: viola/chapter-5\n        pages: 100-130\n", "outside viola/chapter-5, which is printed on pp. 121–151",
     "within 121–151"),
    ("      - reading: viola/chapter-5\n        pages: 150-160\n", "outside viola/chapter-5", "within 121–151"),
    ("      - reading: viola/chapter-5\n        pages: 136-121\n", "the first page is after the last", "pages: 121-136"),
    ("      - reading: goldman\n        pages: 1-3\n", "'goldman' has no printed page numbers", "paragraphs: 12-40"),
    ("      - reading: viola\n        pages: 45-60\n", "'viola' is the whole book", "reading: viola/chapter-2"),
    ("      - reading: viola/chapter-5\n        pages: 121-136\n        paragraphs: 1-40\n", "not both", ""),
])
def test_a_bad_page_range_stops_at_its_line(tmp_path: Path, context, item: str, message: str, hint: str) -> None:
    from scripts.course.syllabi import load_course
    from scripts.core.errors import BuildError

    path = course_file(tmp_path, item)
    with pytest.raises(BuildError) as err:
        load_course(path, context)
    assert message in str(err.value), str(err.value)
    assert err.value.line == 6, f"the error names the item's line: {err.value}"
    assert hint in (err.value.hint or "") and err.value.hint


def test_one_page_and_a_page_inside_one_paragraph(tmp_path: Path, context, built_site: Path) -> None:
    """A single page, and the page a long paragraph runs over, select what the page map says."""
    from scripts.course.syllabi import load_course

    paras = printed_paragraphs(built_site / "readings" / "viola" / "chapter-5.html")
    long = next(n for n, (a, b) in sorted(paras.items()) if b > a)      # a paragraph running over a page
    page = paras[long][1]
    course = load_course(course_file(tmp_path, f"      - reading: viola/chapter-5\n        pages: {page}\n"), context)
    target = course.targets[0][1]
    chosen, partial = expected(built_site / "readings" / "viola" / "chapter-5.html", page, page)
    assert target.pages == f"p. {page}" and target.span == (f"¶ {chosen[0]}–{chosen[-1]}" if len(chosen) > 1
                                                            else f"¶ {chosen[0]}")
    assert set(target.partial) == {f"p{n}" for n in partial} and f"p{long}" in target.partial


# ---- the course reader prints the marker of every page it covers ---------------------------------

def pagination(reading: str, build_dir: Path) -> tuple[dict[int, tuple[int, int]], dict[int, int], tuple[int, int]]:
    """From build/pages.json: ¶ -> (first, last page); page -> the ¶ it starts in or just before; the
    part's pages."""
    text_id, slug = reading.split("/")
    part = json.loads((build_dir / "pages.json").read_text(encoding="utf-8"))[text_id]["parts"][slug]
    paras = {int(a[1:]): tuple(r) for a, r in part["paragraphs"].items()}
    starts = {s["page"]: int(s["paragraph"][1:]) for s in part["starts"]}
    return paras, starts, (part["first"], part["last"])


def reader_markers(tmp_path: Path, context, built_site: Path, reading: str, first: int, last: int) -> set[int]:
    """The printed-page markers the course reader (scripts/course_pack.reader_html) shows for a
    ``pages: first-last`` item, made from the course file as the build makes it."""
    from scripts.site.course_pack import reader_html
    from scripts.course.syllabi import load_course, write_course_data

    course = load_course(course_file(tmp_path, f"      - reading: {reading}\n        pages: {first}-{last}\n"), context)
    write_course_data([course], tmp_path)
    data = json.loads((tmp_path / "courses" / "c.json").read_text(encoding="utf-8"))
    soup = BeautifulSoup(reader_html(data, built_site), "html.parser")
    return {int(m["data-page"]) for m in soup.select("#item-2 page-break[data-page]")}


def test_the_reader_marks_every_page_it_prints(tmp_path: Path, context, built_site: Path, build_dir: Path) -> None:
    """A range that starts where a page begins between two paragraphs (the part's first page, or an
    inferred page start) shows that page's marker like every other; no marker of a page the item
    does not print. The expected markers are the page starts that fall in or just before a printed
    paragraph, by the pagination data."""
    reading = page_ranged_items()[0][0]
    paras, starts, (part_first, part_last) = pagination(reading, build_dir)
    between = [p for p, n in sorted(starts.items()) if paras[n][0] == p and (n == 1 or paras[n - 1][1] < p)]
    cases = [part_first] + [p for p in between if p > part_first][:1]
    assert len(cases) == 2, f"{reading} has no page that begins between two paragraphs after its first"
    for first in cases:
        last = min(first + 2, part_last)
        chosen = [n for n, (a, b) in paras.items() if a <= last and b >= first]
        want = {p for p, n in starts.items() if min(chosen) <= n <= max(chosen)}
        assert first in want
        got = reader_markers(tmp_path, context, built_site, reading, first, last)
        assert got == want, f"pages {first}-{last}: the reader shows the markers of pp. {sorted(got)}, " \
                            f"the pages printed are {sorted(want)}"
