"""The successor builds it too (issue 24): the generated docs/ built by Zensical, checked as a reader would.

Zensical (pinned in requirements-zensical.txt, installed by .ci/run) reads our mkdocs.yml and the
overrides/ templates with its own template engine. This test copies what the build generated
(docs/, mkdocs.yml, overrides/ and build/edition.yml, the footer's date) into a scratch folder, runs
``python -m zensical build`` there and checks the result:

* the build ends with no template or configuration error;
* every page of docs/ is there, and every reading page has each of its paragraphs (``id="p1"`` …),
  each of its notes (``id="fn:…"``) and as many glossary marks as docs/ gave it;
* the footer (edition, build date, offline download) and the ``citation_*`` meta tags render;
* the search index (``search.json``, Zensical's name) lists every reading page;
* in real Chromium, a chapter opens with no script error, its glossary mark opens the definition and
  Zensical's search dialog finds a word of it.

What Zensical does *not* get (the README's "Building with Zensical" says so) is checked for here too,
so that the README's statement stays true: our post-build search steps are not run.
"""
from __future__ import annotations

import importlib.util
import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from scripts.site.local_server import serve_folder
from tests.conftest import ROOT, require_tool

pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("zensical")]   # one Zensical build per run

ATTR_ID = re.compile(r"\{:[^}\n]*#(p\d+)\b")
NOTE_DEF = re.compile(r"^\[\^([^\]]+)\]:", re.M)


def _text(path: Path) -> str:
    return path.read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def zensical_site(generated_docs: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    require_tool(importlib.util.find_spec("zensical") is not None, "Zensical (the Python package zensical)",
                 "pip install -r requirements-zensical.txt")
    work = tmp_path_factory.mktemp("zensical")
    shutil.copytree(generated_docs, work / "docs")
    project = generated_docs.parent            # the session build: its mkdocs.yml (nav) and build/edition.yml
    shutil.copytree(project / "overrides", work / "overrides")
    shutil.copy2(project / "mkdocs.yml", work / "mkdocs.yml")
    (work / "build").mkdir()
    shutil.copy2(project / "build" / "edition.yml", work / "build" / "edition.yml")
    env = {k: v for k, v in os.environ.items() if k != "OFFLINE"}
    proc = subprocess.run([sys.executable, "-m", "zensical", "build", "-f", "mkdocs.yml"], cwd=work, env=env,
                          capture_output=True, text=True, timeout=900)
    output = proc.stdout + proc.stderr
    assert proc.returncode == 0, f"zensical build failed:\n{output[-4000:]}"
    assert not re.search(r"\b(error|Traceback|could not render)\b", output, re.I), output[-4000:]
    return work / "site"


def reading_pages(docs: Path) -> list[Path]:
    return sorted((docs / "readings").rglob("*.md"))


def test_every_page_is_built(generated_docs: Path, zensical_site: Path) -> None:
    missing = [md.relative_to(generated_docs).with_suffix(".html").as_posix()
               for md in generated_docs.rglob("*.md")
               if not (zensical_site / md.relative_to(generated_docs).with_suffix(".html")).is_file()]
    assert not missing, f"pages Zensical did not write: {missing}"


def test_reading_pages_keep_paragraphs_notes_and_marks(generated_docs: Path, zensical_site: Path) -> None:
    checked = 0
    for md in reading_pages(generated_docs):
        src = _text(md)
        html = _text(zensical_site / md.relative_to(generated_docs).with_suffix(".html"))
        name = md.relative_to(generated_docs).as_posix()
        ids = set(re.findall(r'\bid="([^"]+)"', html))
        paragraphs = ATTR_ID.findall(src)
        assert not [p for p in paragraphs if p not in ids], f"{name}: paragraphs missing"
        notes = NOTE_DEF.findall(src)
        assert not [n for n in notes if f"fn:{n}" not in ids], f"{name}: notes missing"
        for mark in ('class="gl"', 'class="gx"'):
            assert html.count(mark) == src.count(mark), f"{name}: {mark} {html.count(mark)} != {src.count(mark)}"
        checked += len(paragraphs)
    assert checked > 500, checked       # the five readings' numbered paragraphs (725 in all)


def test_footer_and_meta_tags_render(zensical_site: Path) -> None:
    extra = _text(zensical_site.parent / "build" / "edition.yml")
    built = re.search(r'build_date_text: "([^"]+)"', extra).group(1)
    version = re.search(r'^\s+version:\s*"([^"]+)"', _text(ROOT / "mkdocs.yml"), re.M).group(1)
    for page in ("index.html", "readings/viola/chapter-2.html", "glossary.html"):
        html = _text(zensical_site / page)
        footer = re.sub(r"\s+", " ", html[html.index('class="rd-edition"'):])
        assert f"Edition {version}, built {built} ·" in footer, page
        assert "Download for offline use</a>" in footer[:400], page
    chapter = _text(zensical_site / "readings/viola/chapter-2.html")
    assert '<meta name="citation_title" content="The Recruitment of the 25,000ers">' in chapter
    assert '<meta name="citation_author" content="Viola, Lynne">' in chapter


def test_search_index_lists_every_reading(generated_docs: Path, zensical_site: Path) -> None:
    index = json.loads(_text(zensical_site / "search.json"))
    locations = {item["location"].split("#")[0] for item in index["items"]}
    expected = {md.relative_to(generated_docs).with_suffix(".html").as_posix() for md in reading_pages(generated_docs)
                if not re.search(r"^search:\s*\n\s+exclude: true", _text(md), re.M)}   # as under MkDocs
    assert len(expected) > 15, expected
    assert not expected - locations, sorted(expected - locations)
    # the README's "what differs": our post-build steps (scripts/site/mkdocs_run.post_build) are not run,
    # so there is no per-note search result and Material's own search worker answers the search box
    assert not any("#fn:" in item["location"] for item in index["items"])
    assert not (zensical_site / "assets" / "javascripts" / "search-worker.js").exists() or \
        "search-worker.js" not in _text(zensical_site / "index.html")


def test_zensical_pages_link_the_combined_stylesheet(zensical_site: Path) -> None:
    """Zensical copies docs/ as it is: the combined file the build wrote there is what its pages link."""
    page = zensical_site / "readings" / "viola" / "chapter-4.html"
    ours = [h for h in re.findall(r'<link rel="stylesheet" href="([^"]+)"', _text(page))
            if "/assets/" in "/" + h and not re.search(r"\.[0-9a-f]{8}\.min\.css$", h)]
    assert [h.rsplit("/", 1)[-1] for h in ours] == ["site.css"], ours
    css = _text(zensical_site / "assets/stylesheets/site.css")
    assert "@font-face" in css and "@import" not in re.sub(r"/\*.*?\*/", "", css, flags=re.S)



def test_a_chapter_reads_in_chromium(zensical_site: Path, browser) -> None:
    with serve_folder(zensical_site) as url:
        read_a_chapter(browser, url)


def read_a_chapter(browser, url: str) -> None:
    page = browser.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    try:
        page.goto(f"{url}/readings/viola/chapter-2.html", wait_until="load")
        assert page.locator("#p1").is_visible()
        mark = page.locator("a.gl").first
        mark.click()
        page.wait_for_selector(".rd-pop", state="visible", timeout=5000)
        page.keyboard.press("Escape")
        # Zensical's own search dialog (in a shadow root): opened by its button, answered from search.json
        page.locator(".md-search__button").click()
        page.wait_for_timeout(500)
        page.keyboard.type("collectivization")
        page.wait_for_function("() => [...document.querySelectorAll('*')].some(el => el.shadowRoot && "
                               "/[1-9][0-9]* results/.test(el.shadowRoot.textContent))", timeout=20000)
        assert not errors, errors
    finally:
        page.close()
