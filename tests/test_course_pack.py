"""Course packs: the sample course (courses/collectivization.yml) is built as an instructor would,
and its syllabus, offline bundle and printed reader are checked for what they must hold.

- the syllabus page of the site lists every week and item, with reading times computed from the
  texts (recounted here from the built pages);
- the bundle holds exactly the course's pages (plus home, glossary and assets), opens from file://
  in Chromium with working search, and has no broken link;
- the PDF has the contents, every item's title and a sentence of its text, the notes and the
  rights lines;
- the pack carries the course's EPUB, as the site build makes it;
- bad course files stop with the file, the line and what to fix, and leave dist/ untouched.
"""
from __future__ import annotations

import json
import re
import zipfile
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from tests.conftest import ROOT
from tests.test_links import check_site

COURSE = ROOT / "courses" / "collectivization.yml"
#: the edition's address the pack's Common Cartridge links to (tests/test_course_cartridge.py maps it back to site/)
CARTRIDGE_SITE_URL = "https://reader.example.edu/revolution/"


@pytest.fixture(scope="session")
def course_data(generated_docs: Path, build_dir: Path) -> dict:
    return json.loads((build_dir / "courses" / "collectivization.json").read_text(encoding="utf-8"))


@pytest.fixture(scope="session")
def course_pack(session_build: Path, course_data: dict, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """``./site.sh course courses/collectivization.yml`` without its pipeline run, in a copy of the
    session build (its docs/ and build/courses/, as the instructor's last build left them)."""
    import subprocess
    import sys

    from tests.conftest import build_once
    from tests.project_copy import build_env, copy_good_build

    def pack(root: Path) -> None:
        copy_good_build(session_build, root)
        run = subprocess.run([sys.executable, "-m", "scripts.site.course_pack", f"courses/{COURSE.name}", "--no-pipeline",
                              "--site-url", CARTRIDGE_SITE_URL],
                             cwd=root, env=build_env(), capture_output=True, text=True, timeout=900)
        assert run.returncode == 0, f"the course pack failed:\n{run.stdout[-3000:]}\n{run.stderr[-3000:]}"

    root = build_once(tmp_path_factory, "course-pack", pack)    # once per run, shared by the xdist workers
    names = {"bundle": f"{course_data['id']}-offline.zip", "reader": f"{course_data['id']}-reader.pdf",
             "syllabus": f"{course_data['id']}-syllabus.pdf", "cartridge": f"{course_data['id']}.imscc",
             "epub": f"{course_data['id']}.epub"}
    return {key: root / "dist" / name for key, name in names.items()}


@pytest.fixture(scope="session")
def course_bundle(course_pack: dict[str, Path], tmp_path_factory: pytest.TempPathFactory) -> Path:
    target = tmp_path_factory.mktemp("course-unzipped")
    with zipfile.ZipFile(course_pack["bundle"]) as zf:
        zf.extractall(target)
    (root,) = [p for p in target.iterdir() if p.is_dir()]
    return root


@pytest.fixture(scope="session")
def reader_text(course_pack: dict[str, Path]) -> str:
    from pypdf import PdfReader

    text = "\n".join(page.extract_text() for page in PdfReader(course_pack["reader"]).pages)
    return normalise(text)


def normalise(text: str) -> str:
    text = re.sub(r"-\n(?=[a-z])", "", text)               # words hyphenated at a line end
    text = text.replace("’", "'").replace("“", '"').replace("”", '"')
    return re.sub(r"\s+", " ", text)


def words_of(html_page: Path, first: int, last: int) -> int:
    """Words of ¶ first–last of a built page, counted as a reader counts them."""
    soup = BeautifulSoup(html_page.read_text(encoding="utf-8"), "html.parser")
    total = 0
    paragraphs = [(p, re.fullmatch(r"p(\d+)", p["id"])) for p in soup.select("article [id]")]
    for p, m in paragraphs:
        if m and first <= int(m.group(1)) <= last:
            for gone in p.select(".headerlink, .discussed-in, .cite-paragraph, rfa-pagebreak, sup"):
                gone.decompose()
            total += sum(1 for t in p.get_text(" ").split() if any(ch.isalnum() for ch in t))
    return total


def test_syllabus_reading_times_are_the_guides(built_site: Path, course_data: dict) -> None:
    """A whole reading shows the numbers of its own reading guide; a paragraph range is recounted."""
    soup = BeautifulSoup((built_site / "courses/collectivization.html").read_text(encoding="utf-8"), "html.parser")
    weeks = soup.select("article h2")
    assert [w.get_text(strip=True).split(":")[0] for w in weeks][:4] == ["Week 1", "Week 2", "Week 3", "Week 4"]
    items = soup.select("article .syllabus-item")
    assert len(items) == len(course_data["items"]) >= 8
    ranged = 0
    for li, item in zip(items, course_data["items"]):
        target = (built_site / "courses" / li.a["href"].split("#")[0]).resolve()
        assert target.exists(), li.a["href"]
        text = li.parent.get_text(" ")
        assert f"{item['words']:,} words" in text
        if not item["page"].startswith("readings/"):
            continue
        if item["span"]:
            ranged += 1
            first, last = (int(n) for n in re.findall(r"\d+", item["span"])[:2])
            assert abs(words_of(target, first, last) - item["words"]) <= max(3, item["words"] // 200), item["title"]
            continue
        guide = BeautifulSoup(target.read_text(encoding="utf-8"), "html.parser").select_one(".guide-words")
        assert guide is not None, f"{item['page']} has no reading guide"
        assert int(guide["data-words"]) == item["words"] and int(guide["data-note-words"]) == item["note_words"]
        assert int(guide["data-minutes"]) == item["minutes"], f"{item['title']}: guide and syllabus disagree"
    assert ranged >= 1


def test_bundle_holds_exactly_the_course_pages(course_bundle: Path, course_data: dict) -> None:
    pages = {p.relative_to(course_bundle).as_posix() for p in course_bundle.rglob("*.html")}
    listed = {p[:-3] + ".html" for p in course_data["pages"]}
    assert pages == listed | {"index.html", "glossary.html", "404.html"}, sorted(pages ^ listed)
    assert (course_bundle / "README.txt").exists()
    home = BeautifulSoup((course_bundle / "index.html").read_text(encoding="utf-8"), "html.parser")
    assert home.select_one("article h1").get_text(strip=True).startswith(course_data["title"])


def test_bundle_has_no_broken_links_and_marks_texts_outside_it(course_bundle: Path) -> None:
    broken = check_site(course_bundle)
    assert not broken, "\n".join(map(str, broken[:20]))
    glossary = (course_bundle / "glossary.html").read_text(encoding="utf-8")
    assert "chapter-3.html" not in glossary, "the glossary's 'used in' must list only the pack's texts"
    marked = sum(p.read_text(encoding="utf-8").count("outside-pack") for p in course_bundle.rglob("*.html"))
    assert marked > 0


def test_bundle_search_works_from_file_url(browser, course_bundle: Path) -> None:
    from tests.browser.helpers import open_search

    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    try:
        page.goto((course_bundle / "readings/viola/chapter-4.html").as_uri(), wait_until="load")
        open_search(page)
        page.keyboard.type("kulak")
        page.wait_for_selector(".md-search-result__item", timeout=15000)
        hrefs = page.eval_on_selector_all(".md-search-result__item a", "els => els.map(e => e.href)")
        assert hrefs and all("chapter-3" not in h for h in hrefs)
    finally:
        context.close()


def test_reader_pdf_has_contents_every_item_notes_and_rights(reader_text: str, course_data: dict,
                                                              course_bundle: Path) -> None:
    assert "Contents" in reader_text
    for item in course_data["items"]:
        title = normalise(item["title"])
        assert reader_text.count(title[:40]) >= 2, f"{title}: not in the contents and as a heading"
        soup = BeautifulSoup((course_bundle / (item["page"][:-3] + ".html")).read_text(encoding="utf-8"), "html.parser")
        if item["anchor"] or soup.select("article p[id^=p]"):
            anchor = item["anchor"] or next(p["id"] for p in soup.select("article p[id]") if re.fullmatch(r"p\d+", p["id"]))
            first = soup.find(id=anchor)
        else:                                   # an essay: its first paragraph of prose
            first = next(p for p in soup.select("article > p") if len(p.get_text().split()) > 30)
        for gone in first.select("sup, .headerlink, .discussed-in"):
            gone.decompose()
        sentence = " ".join(normalise(first.get_text()).split()[:12])
        assert sentence in reader_text, f"{item['title']}: '{sentence}' not in the PDF"
    assert "Reproduced here for classroom study only" in reader_text
    assert "CC BY 4.0" in reader_text or "Creative Commons" in reader_text
    assert re.search(r"TsGANKh, f\. 7446", reader_text), "the notes are printed"


def test_pack_carries_the_course_epub(course_pack: dict[str, Path], session_build: Path, course_data: dict) -> None:
    """The pack's EPUB is the course's readings as the site build makes them (the same parts, in the same
    files, as dist/downloads/course-<id>.epub), and <id>.pack.json lists it, from which the next build links
    it on the syllabus page."""
    from scripts.core.downloads import FOLDER, course_epub

    built = session_build / "dist" / FOLDER / course_epub(course_data["id"])
    assert built.is_file(), "the site build makes an EPUB of the sample course"
    with zipfile.ZipFile(course_pack["epub"]) as packed, zipfile.ZipFile(built) as site:
        assert sorted(packed.namelist()) == sorted(site.namelist())
        opf = next(n for n in packed.namelist() if n.endswith(".opf"))
        assert course_data["title"] in packed.read(opf).decode("utf-8")
        for name in packed.namelist():
            if name.endswith(".xhtml") and "nav" not in name:
                assert packed.read(name) == site.read(name), name
    record = json.loads((course_pack["epub"].parent / f"{course_data['id']}.pack.json").read_text(encoding="utf-8"))
    assert course_pack["epub"].name in record["files"]


@pytest.mark.parametrize("old, new, message", [
    ("      - reading: goldman", "      - reading: golman", "there is no reading or chapter 'golman'"),
    ("      - essay: who-was-a-kulak", "      - essay: no-such-essay", "there is no essay 'no-such-essay'"),
    ("        paragraphs: 50-76", "        paragraphs: 50-760", "outside viola/chapter-1"),
    ("        pages: 121-136", "        pages: 121-160", "outside viola/chapter-5, which is printed on pp. 121–151"),
    ("weeks:\n", 'weeks:\n  - title: "An empty week"\n    items: []\n', "lists nothing"),
    ("weeks:\n", "weeks: [\n", "YAML syntax error"),
])
def test_a_bad_course_file_stops_with_file_and_line(tmp_path: Path, old: str, new: str, message: str) -> None:
    from scripts.pipeline import generate
    from scripts.core.errors import BuildError
    from tests.project_copy import scratch_paths

    paths = scratch_paths(tmp_path)
    course = tmp_path / "courses" / "collectivization.yml"
    text = course.read_text(encoding="utf-8")
    assert old in text
    course.write_text(text.replace(old, new, 1), encoding="utf-8")
    with pytest.raises(BuildError) as err:
        generate(paths)
    assert err.value.path.endswith("collectivization.yml") and err.value.line, str(err.value)
    assert message in str(err.value), str(err.value)
    assert err.value.hint
    assert not (tmp_path / "docs").exists() and not (tmp_path / "dist").exists()


# ---- printed-page ranges (pages: A-B; see tests/test_courses_pages.py for the syllabus page) --------

def test_bundle_syllabus_shows_the_printed_pages(course_bundle: Path, built_site: Path) -> None:
    from tests.test_courses_pages import check_syllabus

    check_syllabus(course_bundle / "index.html", built_site)


def paragraph_windows(html_page: Path, n: int) -> list[str]:
    """Three 8-word stretches (start, middle, end) of ¶ n of a built page, as the PDF's text has them."""
    soup = BeautifulSoup(html_page.read_text(encoding="utf-8"), "html.parser")
    el = soup.find(id=f"p{n}")
    for gone in el.select("sup, .headerlink, .discussed-in, .cite-paragraph, page-break"):
        gone.decompose()
    words = normalise(el.get_text(" ")).split()
    mid = max(0, len(words) // 2 - 4)
    return [" ".join(words[i:i + 8]) for i in (0, mid, max(0, len(words) - 8))]


def test_reader_pdf_holds_exactly_the_paragraphs_on_the_pages(reader_text: str, built_site: Path) -> None:
    from tests.test_courses_pages import expected, page_ranged_items

    text = re.sub(r"\[p\. \d+\] ?", "", reader_text)            # the printed page marks drawn in the margin
    for reading, first, last in page_ranged_items():
        page = built_site / "readings" / f"{reading}.html"
        chosen, partial = expected(page, first, last)
        assert f"pp. {first}–{last} (¶ {chosen[0]}–{chosen[-1]})" in reader_text, "the item names its pages"
        missing = [n for n in chosen if not any(w in text for w in paragraph_windows(page, n))]
        assert not missing, f"{reading}: ¶ {missing} are on pp. {first}–{last} but not in the reader"
        for n in (chosen[0] - 1, chosen[-1] + 1):
            if soup_has(page, n):
                assert not any(w in text for w in paragraph_windows(page, n)), \
                    f"{reading}: ¶ {n} is not on pp. {first}–{last} but is in the reader"
        for n, (a, b) in partial.items():
            says = f"¶ {n} begins on p. {a}" if a < first else f"¶ {n} ends on p. {b}"
            assert says in reader_text, f"the reader does not mark ¶ {n} as running beyond the pages"
        for shown in (first, first + 1):            # the first page too, though it begins between paragraphs
            assert f"[p. {shown}]" in reader_text, f"the reader does not show the page number {shown}"


def soup_has(page: Path, n: int) -> bool:
    return n >= 1 and f'id="p{n}"' in page.read_text(encoding="utf-8")
