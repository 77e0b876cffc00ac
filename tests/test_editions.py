"""Editions, rights, the editorial apparatus and the build report, checked on real builds."""
from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from scripts.paths import Paths
from scripts.sources.manifest import load_manifest

ROOT = Path(__file__).resolve().parent.parent
ENTRIES = load_manifest(Paths().manifest)


def test_public_edition_withholds_unlicensed_full_text(public_docs: Path) -> None:
    chapter = (public_docs / "readings" / "viola" / "chapter-4.md").read_text()
    assert "Not in the public-web edition" in chapter
    assert "spontaneous" not in chapter                      # first paragraph of chapter 4 is withheld
    assert "[^1]" not in chapter
    landing = (public_docs / "readings" / "viola" / "index.md").read_text()
    assert "Cite this text" in landing and "Contents" in landing
    hatch = (public_docs / "readings" / "hatch" / "index.md").read_text()
    assert "Thirteenth Party Conference" in hatch             # the extract stays
    assert "note-entry" not in hatch                          # the notes do not


def test_public_edition_keeps_the_open_access_text(public_docs: Path) -> None:
    goldman = (public_docs / "readings" / "goldman" / "index.md").read_text()
    assert "Not in the public-web edition" not in goldman
    assert "[^57]" in goldman and "Creative Commons Attribution licence" in goldman


def test_default_edition_has_every_full_text(built_site: Path) -> None:
    for page in ("readings/viola/chapter-4.html", "readings/siegelbaum-suny/index.html", "readings/bw-review/index.html"):
        assert "Not in the public-web edition" not in (built_site / page).read_text()


def test_rights_on_every_reading_page(built_site: Path) -> None:
    pages = sorted((built_site / "readings").rglob("*.html"))
    reading_pages = [p for p in pages if p.parent != built_site / "readings"]
    assert len(reading_pages) >= 20
    for page in reading_pages:
        html = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
        note = html.select_one("aside.rights-note")
        assert note is not None, f"{page} shows no rights statement"
    goldman = BeautifulSoup((built_site / "readings/goldman/index.html").read_text(), "html.parser")
    text = goldman.select_one("aside.rights-note").get_text(" ")
    assert "CC BY 4.0" in text and "creativecommons.org/licenses/by/4.0" in text and "properly cited" in text


def test_about_this_text_lists_what_the_edition_changed(built_site: Path, build_dir: Path) -> None:
    report = json.loads((build_dir / "report.json").read_text())
    viola = report["texts"]["viola"]
    html = BeautifulSoup((built_site / "readings/viola/about.html").read_text(), "html.parser")
    table = {row.select("td")[0].get_text(): int(row.select("td")[1].get_text())
             for row in html.select("table tr") if row.select("td")}
    assert table["Joined (paragraphs split by page breaks, wrapped lines)"] == viola["counts"]["join"]
    assert table["Corrections"] == viola["counts"]["correction"]
    assert viola["by_rule"]["join:rejoin_page_break"] >= 160
    text = html.get_text(" ")
    for expected in ("Dear Grace and Joe", "Kolkhoztsestr", "Table 3", "artel"):
        assert expected in text, f"the apparatus does not mention {expected!r}"
    for entry in ENTRIES:
        if len(report["texts"][entry["id"]]["notes"]) <= 1:
            page = built_site / "readings" / entry["id"] / "index.html"
            assert "About this text" in page.read_text(), f"{entry['id']} has no apparatus"


def test_build_report_counts_every_text(build_dir: Path) -> None:
    report = (build_dir / "report.md").read_text()
    for entry in ENTRIES:
        assert f"| {entry['id']} |" in report


def test_committed_nav_is_up_to_date(generated_docs: Path) -> None:
    """The nav in mkdocs.yml is generated; a stale committed copy fails here."""
    if shutil.which("git") is None or not (ROOT / ".git").exists():
        pytest.skip("not a git checkout")
    committed = subprocess.run(["git", "show", "HEAD:mkdocs.yml"], cwd=ROOT, capture_output=True, text=True)
    if committed.returncode != 0:
        pytest.skip("mkdocs.yml is not committed yet")
    assert committed.stdout == (generated_docs.parent / "mkdocs.yml").read_text(), \
        "mkdocs.yml's generated nav is stale: run `python -m scripts.build` and commit mkdocs.yml"


def test_site_sh_public_builds_a_strict_site(tmp_path: Path) -> None:
    """The real public-web build (what `./site.sh public` runs) in a scratch copy: it completes under
    MkDocs' strict mode, and what cites a withheld paragraph (the timeline, the syllabus) names it
    without a link; the chart, drawn from a withheld chapter's tables, is not shown."""
    from tests.project_copy import copy_project, run_build

    root = copy_project(tmp_path / "proj")
    run = run_build(root, "--public")
    assert run.returncode == 0, f"the public-web build failed:\n{run.stdout[-2000:]}\n{run.stderr[-3000:]}"
    site = root / "site"
    timeline = BeautifulSoup((site / "timeline.html").read_text(encoding="utf-8"), "html.parser")
    withheld = [li for li in timeline.select("article li") if "(not in this edition)" in li.get_text()]
    assert withheld, "the timeline should name withheld paragraphs"
    for a in timeline.select("article a[href*='readings/viola/']"):
        assert "#p" not in a["href"], f"the timeline links a withheld paragraph: {a['href']}"
    for syllabus in (site / "courses").glob("*.html"):
        soup = BeautifulSoup(syllabus.read_text(encoding="utf-8"), "html.parser")
        for a in soup.select("article a[href*='readings/viola/']"):
            assert "#p" not in a["href"], f"{syllabus.name} links a withheld paragraph: {a['href']}"
    assert 'class="edition-chart"' not in (site / "readings/viola/chapter-5.html").read_text(encoding="utf-8")
    for essay in (site / "essays").glob("*.html"):      # an essay's chart of a withheld text: a line instead
        text = essay.read_text(encoding="utf-8")
        assert 'class="edition-chart"' not in text and "{{ chart" not in text, essay.name
    assert "is in the classroom edition" in (site / "essays" / "dizzy-with-success.html").read_text(encoding="utf-8")
    # the offline save (issue 20) precaches this edition's own files, so only what it publishes
    import hashlib
    from tests.test_offline_save import precache
    entries = precache(site)
    assert entries and "readings/viola/chapter-5.html" in dict(entries)
    for url, revision in entries:
        assert hashlib.md5((site / url).read_bytes()).hexdigest() == revision, url
