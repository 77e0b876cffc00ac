"""The downloadable formats of the session build (scripts/formats/): EPUB 3 and a PDF per chapter.

Every check reads the files the ``--site`` build put in site/downloads/ and compares them with the
build's own records (build/pages.json, build/passages.json, the built pages), never with numbers
written here.
"""
from __future__ import annotations

import json
import posixpath
import re
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from scripts.core import downloads
from tests.conftest import ROOT

pytestmark = pytest.mark.xdist_group("formats")

OPF_NS = {"opf": "http://www.idpf.org/2007/opf", "dc": "http://purl.org/dc/elements/1.1/"}


@pytest.fixture(scope="module")
def folder(built_site: Path) -> Path:
    return built_site / downloads.FOLDER


@pytest.fixture(scope="module")
def listing(folder: Path) -> list[dict]:
    return json.loads((folder / "formats.json").read_text(encoding="utf-8"))


def xhtml_files(epub: zipfile.ZipFile) -> dict[str, BeautifulSoup]:
    return {n: BeautifulSoup(epub.read(n), "xml") for n in epub.namelist() if n.endswith(".xhtml")}


def test_every_reading_course_and_the_edition_has_its_files(folder: Path, listing: list[dict], build_dir: Path,
                                                            built_site: Path):
    """One EPUB per reading, course and the edition, one PDF per chapter and article, as listed."""
    pages = json.loads((build_dir / "pages.json").read_text(encoding="utf-8"))
    chapters = [s for s in pages["viola"]["parts"] if s == "introduction" or s.startswith("chapter-")
                or s == "conclusion"]
    readings = sorted(p.name for p in (built_site / "readings").iterdir() if p.is_dir())
    expected = {downloads.epub_file(r) for r in readings} | {downloads.EDITION_EPUB}
    expected |= {downloads.course_epub(p.stem) for p in (build_dir / "courses").glob("*.json")}
    expected |= {downloads.pdf_file("viola", s, False) for s in chapters}
    expected |= {downloads.pdf_file(r, "text", True) for r in readings if r != "viola"}
    files = {p.name for p in folder.iterdir() if p.suffix in (".epub", ".pdf")}
    assert files == expected
    assert {item["file"] for item in listing} == expected
    for item in listing:
        assert (folder / item["file"]).stat().st_size == item["bytes"] > 1000


@pytest.mark.parametrize("name", [downloads.EDITION_EPUB, "goldman.epub"])
def test_epubcheck_finds_no_error_and_no_warning(folder: Path, name: str):
    """EPUBCheck itself, on the whole edition (every reading's text, notes, apparatus, glossary) and
    on a one-reading EPUB; the build ran it on every EPUB before publishing it."""
    from scripts.formats.stage import epubcheck

    if shutil.which("java") is None:
        pytest.fail("EPUBCheck needs Java: sudo apt-get install default-jre-headless")
    assert epubcheck(folder / name) == []


SIGNALS_AFTER_A_CHECK = """
import os, signal, sys, time
from pathlib import Path
from scripts.formats.stage import epubcheck
got = []
signal.signal(signal.SIGTERM, lambda *args: got.append("SIGTERM"))
signal.signal(signal.SIGINT, signal.default_int_handler)   # as the build does (a test worker's child inherits SIGINT ignored)
problems = epubcheck(Path(sys.argv[1]))
os.kill(os.getpid(), signal.SIGTERM)
time.sleep(0.2)
try:
    os.kill(os.getpid(), signal.SIGINT)
    time.sleep(0.2)
except KeyboardInterrupt:
    got.append("KeyboardInterrupt")
print(problems, got)
"""


def test_epubcheck_leaves_ctrl_c_and_sigterm_to_the_build(folder: Path):
    """EPUBCheck's JVM lives in the process that checks (scripts/formats/stage.py, JPype): after a
    check, SIGTERM still reaches the build's own handler and Ctrl-C is still Python's
    KeyboardInterrupt (scripts/site/publish.py stops a build cleanly on either), not the JVM's."""
    run = subprocess.run([sys.executable, "-c", SIGNALS_AFTER_A_CHECK, str(folder / "hatch.epub")], cwd=ROOT,
                         capture_output=True, text=True, timeout=300)
    assert run.returncode == 0, run.stderr[-2000:]
    assert run.stdout.split() == ["[]", "['SIGTERM',", "'KeyboardInterrupt']"], run.stdout + run.stderr[-2000:]


def test_viola_page_list_has_one_entry_per_printed_page(folder: Path, build_dir: Path):
    """The page list is the edition's page data: every page start of build/pages.json, once, in
    order, and each part's pages run from its first to its last without a gap."""
    pages = json.loads((build_dir / "pages.json").read_text(encoding="utf-8"))["viola"]["parts"]
    expected = []
    for slug, part in pages.items():
        starts = [s["page"] for s in part["starts"]]
        assert starts == list(range(part["first"], part["last"] + 1)), slug
        expected += starts
    with zipfile.ZipFile(folder / "viola.epub") as epub:
        nav = BeautifulSoup(epub.read("EPUB/nav.xhtml"), "xml")
        page_list = nav.find("nav", attrs={"epub:type": "page-list"})
        entries = [(a.get_text(), a["href"]) for a in page_list.find_all("a")]
        assert [int(text) for text, _ in entries] == expected
        assert len({text for text, _ in entries}) == len(entries)
        docs = xhtml_files(epub)
        markers = [el for soup in docs.values() for el in soup.find_all(attrs={"epub:type": "pagebreak"})]
        assert sorted(int(m["aria-label"]) for m in markers) == sorted(expected)


def test_every_link_of_every_epub_resolves(folder: Path):
    """Footnote links both ways, page-list, contents and glossary links: each target file is in the
    EPUB and holds the id; every noteref leads to an epub:type=footnote aside."""
    checked = {"noteref": 0, "glossary": 0, "page": 0}
    for path in sorted(folder.glob("*.epub")):
        with zipfile.ZipFile(path) as epub:
            docs = xhtml_files(epub)
            by_id = {name: {el["id"]: el for el in soup.find_all(id=True)} for name, soup in docs.items()}
            noterefs = {name: {a["href"] for a in soup.find_all("a", href=True, attrs={"epub:type": "noteref"})}
                        for name, soup in docs.items()}
            for name, soup in docs.items():
                for a in soup.find_all("a", href=True):
                    href = a["href"]
                    if re.match(r"^[a-z]+:", href):
                        continue
                    file, _, frag = href.partition("#")
                    target = posixpath.normpath(posixpath.join(posixpath.dirname(name), file)) if file else name
                    assert target in docs, f"{path.name}: {name} links {href}: no such file"
                    if frag:
                        assert frag in by_id[target], f"{path.name}: {name} links {href}: no such id"
                    if a.get("epub:type") == "noteref":
                        note = by_id[target][frag]
                        assert note.name == "aside" and note["epub:type"] == "footnote", href
                        checked["noteref"] += 1
                    if file.endswith("edition-glossary.xhtml") and frag:
                        assert by_id[target][frag].name == "dt"
                        checked["glossary"] += 1
                    if frag.startswith("page-"):
                        checked["page"] += 1
            for name, soup in docs.items():          # every note is reached from the text of its file
                for aside in soup.find_all("aside", attrs={"epub:type": "footnote"}):
                    assert f"#{aside['id']}" in noterefs[name], aside["id"]
    assert all(checked.values()), checked


def test_paragraph_ids_and_words_are_the_site_s(folder: Path, build_dir: Path):
    """Each paragraph id of the EPUB is the site's (p37 is the same paragraph), with the same words."""
    passages = json.loads((build_dir / "passages.json").read_text(encoding="utf-8"))
    with zipfile.ZipFile(folder / "viola.epub") as epub:
        docs = xhtml_files(epub)
    compared = set()
    for name, soup in docs.items():
        key = f"viola/{Path(name).stem}"
        if key not in passages:
            continue
        site = {k: v for k, v in passages[key].items() if re.fullmatch(r"p\d+", k)}
        for ref in soup.find_all("a", attrs={"epub:type": "noteref"}):    # the site's passages leave out
            ref.parent.decompose()                                         # the note numbers
        ours = {el["id"]: " ".join(el.get_text().split()) for el in soup.find_all(id=re.compile(r"^p\d+$"))}
        assert list(ours) == sorted(site, key=lambda k: int(k[1:])), name
        for anchor, text in site.items():
            assert " ".join(text.split()).replace("*", "") == ours[anchor].replace("*", ""), f"{name}#{anchor}"
        compared.add(key)
    # every page of Viola's book on the site that has numbered paragraphs was compared
    assert compared == {k for k, v in passages.items() if k.startswith("viola/") and any(
        re.fullmatch(r"p\d+", a) for a in v)}


def test_package_metadata(folder: Path, built_site: Path):
    """Accessibility metadata, the rights line, a cover, and the ISBN bib/ gives as the source."""
    bib = (Path(__file__).resolve().parents[1] / "bib" / "readings.bib").read_text(encoding="utf-8")
    for path in sorted(folder.glob("*.epub")):
        with zipfile.ZipFile(path) as epub:
            assert epub.namelist()[0] == "mimetype" and epub.read("mimetype") == b"application/epub+zip"
            opf = BeautifulSoup(epub.read("EPUB/content.opf"), "xml")
        props = {m["property"]: m.get_text() for m in opf.find_all("meta", property=True)}
        for prop in ("schema:accessMode", "schema:accessModeSufficient", "schema:accessibilityFeature",
                     "schema:accessibilityHazard", "schema:accessibilitySummary"):
            assert props.get(prop), (path.name, prop)
        assert props["dcterms:conformsTo"].startswith("EPUB Accessibility 1.1 - WCAG 2")
        assert opf.find("dc:rights") and opf.find("dc:rights").get_text().strip()
        assert opf.find("item", properties="cover-image") is not None
        source = opf.find("dc:source")
        if path.stem == "viola":
            entry = re.search(r"@\w+\{viola1987best,.*?\n\}", bib, re.S).group(0)
            isbn = re.search(r"^\s*isbn\s*=\s*\{([^}]*)\}", entry, re.M).group(1)
            assert source.get_text() == "urn:isbn:" + isbn.replace("-", "")


def test_reading_pages_link_their_formats_and_the_download_page_lists_them(built_site: Path, listing: list[dict]):
    chapter = BeautifulSoup((built_site / "readings/viola/chapter-4.html").read_text(encoding="utf-8"), "html.parser")
    hrefs = [a["href"] for a in chapter.select("p.format-links a")]
    assert "../../downloads/viola.epub" in hrefs and "../../downloads/viola-chapter-4.pdf" in hrefs
    article = BeautifulSoup((built_site / "readings/goldman/index.html").read_text(encoding="utf-8"), "html.parser")
    assert {"../../downloads/goldman.epub", "../../downloads/goldman.pdf"} <= {
        a["href"] for a in article.select("p.format-links a")}
    page = BeautifulSoup((built_site / "download.html").read_text(encoding="utf-8"), "html.parser")
    for item in listing:
        size = page.find("span", class_="fmt-size", attrs={"data-file": item["file"]})
        assert size is not None and re.fullmatch(r"[\d.]+ (KB|MB)", size.get_text()), item["file"]
        assert page.find("a", href=f"{downloads.FOLDER}/{item['file']}") is not None
    text = page.get_text()
    for device in ("laptop", "iPhone", "Android", "e-reader"):
        assert device in text


def pdf_files(folder: Path) -> list[Path]:
    return sorted(folder.glob("*.pdf"))


#: a page number of the printed book in the PDF's margin ("p. 79 "): PDFium gives the text in the order
#: the page draws it, so a margin number can fall inside the sentence beside it
PRINTED_PAGE = re.compile(r"\bp\. \d+ ")


def test_pdfs_are_tagged_with_language_and_read_in_order(folder: Path, build_dir: Path):
    """Tagged PDF/UA (structure tree, marked content, language), the text extractable in reading
    order: the paragraphs' opening words come in the order of the site's paragraphs. The structure is
    read with pypdf; the text with PDFium (pypdfium2: the characters in the order the pages draw them,
    the same text as pypdf's extraction at a thirtieth of its time)."""
    import pypdfium2
    from pypdf import PdfReader

    passages = json.loads((build_dir / "passages.json").read_text(encoding="utf-8"))
    for path in pdf_files(folder):
        reader = PdfReader(path)
        root = reader.trailer["/Root"]
        assert "/StructTreeRoot" in root, path.name
        assert root["/MarkInfo"]["/Marked"], path.name
        assert str(root.get("/Lang", "")).startswith("en"), path.name
        pdf = pypdfium2.PdfDocument(path)
        text = " ".join(" ".join(page.get_textpage().get_text_range() for page in pdf).split())
        pdf.close()
        text = PRINTED_PAGE.sub("", text)     # the book's page numbers in the margin, drawn where they fall
        stem = path.stem
        key = "viola/" + stem[len("viola-"):] if stem.startswith("viola-") else stem
        paras = [v for k, v in sorted(passages[key].items(), key=lambda kv: int(kv[0][1:]) if re.fullmatch(
            r"p\d+", kv[0]) else -1) if re.fullmatch(r"p\d+", k) and len(v.split()) > 6]
        positions = []
        for para in paras[:: max(1, len(paras) // 12)]:
            words = PRINTED_PAGE.sub("", " ".join(para.replace("*", "").split()[:5]))
            found = text.find(words, positions[-1] if positions else 0)
            assert found >= 0, f"{path.name}: {words!r} not found after the previous paragraph"
            positions.append(found)


def text_outside_the_page(path: Path) -> list[tuple[int, str, int, int]]:
    """Every character of the PDF's text layer (page, character, x, y) whose box, as PDFium reads it
    from the page's drawing operations, is not wholly inside the page's media box."""
    import pypdfium2

    outside = []
    pdf = pypdfium2.PdfDocument(path)
    try:
        for number, page in enumerate(pdf, 1):
            left, bottom, right, top = page.get_mediabox()
            chars = page.get_textpage()
            count = chars.count_chars()
            text = chars.get_text_range(0, count)
            for i, char in enumerate(text[:count]):
                if not char.strip():
                    continue
                x0, y0, x1, y1 = chars.get_charbox(i)
                if not (left <= x0 and x1 <= right and bottom <= y0 and y1 <= top):
                    outside.append((number, char, round(x0), round(y0)))
    finally:
        pdf.close()
    return outside


def test_pdf_note_numbers_and_page_numbers_lie_inside_the_page(folder: Path):
    """Every piece of text of every PDF — note numbers, the book's page numbers in the margin, ¶
    numbers — is drawn wholly inside the page (each character's box, from the PDF's own drawing
    operations, read by PDFium). The text layer only: the note numbers are also checked on the
    rendered pages (below)."""
    for path in pdf_files(folder):
        outside = text_outside_the_page(path)
        assert outside == [], f"{path.name}: text outside the page (page, text, x, y) {outside[:5]}"


def test_text_outside_the_page_is_found(folder: Path, tmp_path: Path):
    """The check above can fail: the shortest chapter made with its note numbers pushed past the
    page's right edge has them outside; made without that stylesheet, nothing is."""
    from scripts.formats.pdf import write_pdf

    good, broken = tmp_path / "good.pdf", tmp_path / "broken.pdf"
    write_pdf(short_chapter_html(folder), good)
    write_pdf(short_chapter_html(folder, BROKEN_STYLES["pushed off the page"][0]), broken)
    assert text_outside_the_page(good) == []
    assert any(char.isdigit() for _page, char, _x, _y in text_outside_the_page(broken))


def site_notes(built_site: Path, item: dict) -> tuple[set[int], dict[int, int]]:
    """The notes of the site's page of a PDF's chapter or article, and how often the text refers to each."""
    stem = Path(item["file"]).stem
    slug = stem[len(item["group"]) + 1:] if stem != item["group"] else "index"
    soup = BeautifulSoup((built_site / "readings" / item["group"] / f"{slug}.html").read_text(encoding="utf-8"),
                         "html.parser")
    notes = {int(li["id"].split(":")[1]) for li in soup.select("div.footnote li[id]")}
    refs: dict[int, int] = {}
    for a in soup.select("a.footnote-ref"):
        n = int(a["href"].split(":")[1])
        refs[n] = refs.get(n, 0) + 1
    return notes, refs


def test_pdf_note_numbers_are_drawn_wholly_on_the_rendered_pages(folder: Path, listing: list[dict],
                                                                 built_site: Path):
    """Every note reference and every note's number of every PDF: the glyphs lie inside the page's
    visible area and PDFium's rendering of the page has ink over them (tests/pdf_pages.py), and the
    PDF holds the same notes, each referred to as often, as the site's page of the chapter."""
    from tests.pdf_pages import problems

    checked = 0
    for item in listing:
        if item["kind"] != "pdf":
            continue
        found_problems, found = problems(folder / item["file"])
        assert found_problems == [], f"{item['file']}: " + "; ".join(found_problems[:5])
        notes, refs = site_notes(built_site, item)
        assert set(found.notes) == notes, item["file"]
        assert {n: len(r) for n, r in found.refs.items()} == refs, item["file"]
        checked += sum(len(r) for r in found.refs.values()) + len(found.notes)
    assert checked > 0


def short_chapter_html(folder: Path, extra_css: str = "") -> str:
    """The PDF's HTML (scripts/formats/pdf.py) of the shortest chapter with notes, from its EPUB text
    (the same XHTML the build gives WeasyPrint), with ``extra_css`` after the PDF's own styles."""
    from scripts.formats.pdf import pdf_html

    with zipfile.ZipFile(folder / "viola.epub") as epub:
        soup = BeautifulSoup(epub.read("EPUB/introduction.xhtml"), "html.parser")
    body = "".join(str(child) for child in soup.body.children)
    assert "noteref" in body
    document = pdf_html("A reading", "Introduction", body, "the address", "All rights reserved.")
    return document.replace("</style>", extra_css + "</style>", 1)


#: a stylesheet that hides the note numbers in one way each, and what the check must then say
BROKEN_STYLES = {
    # a print stylesheet that moves the note numbers past the page's right edge
    "pushed off the page": ("sup, .note-number { position: relative; left: 200mm; }",
                            "not wholly inside the visible page"),
    # drawn white on white: in the text layer, invisible on paper
    "painted white": ("a.footnote-ref, .note-number { color: #fff; }", "no ink on the rendered page"),
    # a box that clips the superscripts to their lower part
    "clipped": ("sup { display: inline-block; height: 0.45em; overflow: hidden; vertical-align: baseline; "
                "line-height: 1; }", "only part of it is drawn on the rendered page"),
}


@pytest.mark.parametrize("what", sorted(BROKEN_STYLES))
def test_the_rendered_check_finds_note_numbers_that_are_not_seen(folder: Path, tmp_path: Path, what: str):
    """The check fails where it must: the same chapter made with a stylesheet that hides its note
    numbers in one way each has them in its text layer, but not on the rendered page; made
    without that stylesheet, the same check finds nothing."""
    from scripts.formats.pdf import write_pdf
    from tests.pdf_pages import problems

    good, broken = tmp_path / "good.pdf", tmp_path / "broken.pdf"
    write_pdf(short_chapter_html(folder), good)
    css, message = BROKEN_STYLES[what]
    write_pdf(short_chapter_html(folder, css), broken)
    assert problems(good)[0] == []
    found_problems, found = problems(broken)
    assert found.refs and found.notes          # the numbers are still in the text layer
    for n, refs in found.refs.items():          # and the check says so of every reference
        assert any(f"reference 1 to note {n}," in p and message in p for p in found_problems), (n, found_problems)


def test_the_rendered_check_finds_a_number_cut_off_by_the_crop_box(folder: Path, listing: list[dict],
                                                                    tmp_path: Path):
    """A built PDF whose page is cropped (pypdfium2 sets the crop box) just left of a note reference:
    the number is outside what a viewer shows, and the check says so."""
    import pypdfium2 as pdfium
    from tests.pdf_pages import find_note_numbers, problems

    item = next(i for i in listing if i["kind"] == "pdf" and i["group"] == "viola")
    pdf = pdfium.PdfDocument(str(folder / item["file"]))
    ref = next(glyphs for refs in find_note_numbers(pdf).refs.values() for glyphs in refs)
    page = pdf[ref[0].page]
    left, bottom, right, top = page.get_mediabox()
    page.set_cropbox(left, bottom, ref[0].box[0] + 0.5, top)
    pdf.save(tmp_path / "cropped.pdf")
    pdf.close()
    found_problems, _ = problems(tmp_path / "cropped.pdf")
    assert any(f"page {ref[0].page + 1}:" in p and "not wholly inside the visible page" in p
               for p in found_problems), found_problems


def test_the_download_page_while_serving_says_where_the_formats_are(tmp_path: Path, generated_docs: Path,
                                                                    folder: Path, listing: list[dict]):
    """Under ``./site.sh serve`` (scripts/formats/preview.py) the generated download page first says
    that the files are being made, then shows their sizes once docs/downloads/ holds them, and shows
    the message of a format that could not be made, escaped."""
    from scripts.formats import preview
    from scripts.paths import Paths

    paths = Paths(tmp_path)
    paths.docs.mkdir()
    shutil.copy2(generated_docs / preview.PAGE, paths.docs / preview.PAGE)
    page = paths.docs / preview.PAGE
    preview.show(paths)
    text = page.read_text(encoding="utf-8")
    assert preview.PENDING in text and text.count(preview.NOTE_START) == 1
    assert 'data-file="viola.epub">see the file<' in text
    shutil.copytree(folder, paths.docs / downloads.FOLDER)
    preview.show(paths)
    text = page.read_text(encoding="utf-8")
    assert preview.NOTE_START not in text
    for item in listing:
        assert f'data-file="{item["file"]}">see the file<' not in text, item["file"]
    preview.show(paths, "EPUBCheck found 1 problem(s) in <viola.epub>")
    text = page.read_text(encoding="utf-8")
    assert "could not be made while serving" in text and "&lt;viola.epub&gt;" in text
    assert text.count(preview.NOTE_START) == 1


def test_an_epub_that_fails_epubcheck_is_refused_and_leaves_nothing(tmp_path: Path):
    """A file that cannot be made is reported with its name and EPUBCheck's message, and nothing of
    it stays in the cache (the build then stops before site/ or dist/ is touched: scripts/build.py)."""
    from scripts.formats import epub as epub_book
    from scripts.formats.stage import Job, make
    from scripts.formats.xhtml import PartText

    broken = PartText("text.xhtml", "readings/x/index.md", "A text", '<h1>A text</h1><p id="p1">See '
                      '<a href="#nowhere">the note</a>.</p>')
    job = Job("broken.epub", "epub", "A text", "x", epub_book.Book("x", "A text", ["A. Author"], [
        epub_book.Section("x", "A text", [broken], "", "All rights reserved.", "")]))
    message = make(job, tmp_path)
    assert "broken.epub" in message and "EPUBCheck" in message and "RSC-012" in message
    assert list(tmp_path.iterdir()) == []
