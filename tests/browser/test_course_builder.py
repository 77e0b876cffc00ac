"""The course builder (courses/builder.html) in real Chromium, used as an instructor would.

One instructor's session (the ``made`` fixture, once per module): a three-week course with a printed-page
range, a paragraph range and an essay, typed in through the form; a reload keeps it; "Share" gives the
link; "Download course file" gives the YAML. Then:

- a fresh browser context opens the link and finds the same syllabus, each link landing on an existing
  paragraph; a damaged or hand-edited link says what is wrong, next to the item;
- the downloaded file is what the build reads: its weeks and items as typed, and (slow) the
  course-pack entry point builds it in a scratch copy with the same weeks, pages, anchors and spans
  the builder previewed;
- the sample course file loads back into the builder with the build's own numbers;
- a paragraph range picked from the reading's list of paragraphs (mouse and keyboard) is the item's
  range, in the preview and in the shared link;
- no request leaves the page, online or from the offline bundle (file://), and axe finds nothing.
"""
from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from tests.conftest import ROOT

WEEKS = [
    ("Retreat and the 25,000ers", [("reading:viola/chapter-5", "pages", "121-136", "From the offensive on officials on.")]),
    ("The grain crisis", [("reading:viola/chapter-1", "paragraphs", "50-76", "")]),
    ("Who was a kulak?", [("essay:who-was-a-kulak", "whole", "", "")]),
]
NOTES, QUESTION = "Bring the chart of chapter 5 to class.", "Was the grain crisis a crisis of the market?"


def entries(page) -> list[dict]:
    """The syllabus as the builder shows it: per item its week, link target and ¶ span, or its error."""
    return page.eval_on_selector_all(".syllabus-entry", """els => els.map(e => ({week: +e.dataset.week,
        href: e.dataset.href || '', span: e.dataset.span || '', error: e.classList.contains('builder-error')}))""")


def week_titles(page) -> list[str]:
    return page.eval_on_selector_all(".syllabus-week > h3, .syllabus-week > h4",
                                     "els => els.map(e => e.textContent)")


def fill_course(page) -> None:
    page.get_by_label("Course title").fill("Collectivization in three weeks")
    for w, (title, items) in enumerate(WEEKS, 1):
        if w > 1:
            page.get_by_role("button", name="Add a week").click()
        page.get_by_label(f"Title of week {w}", exact=True).fill(title)
        for i, (target, kind, rng, note) in enumerate(items, 1):
            page.get_by_role("button", name=f"Add an item to week {w}").click()
            item = page.locator(".builder-week").nth(w - 1).locator(".builder-item").nth(i - 1)
            page.get_by_label(f"Week {w}, item {i}", exact=True).select_option(target)
            if kind != "whole":
                item.get_by_label("Assign").select_option(kind)
                item.get_by_label("Range").fill(rng)
            if note:
                item.get_by_label("Note for students (optional)").fill(note)
    week1 = page.locator(".builder-week").nth(0)
    week1.get_by_label("Instructor's notes (optional)").fill(NOTES)
    week1.get_by_label("Questions for discussion, one a line (optional)").fill(QUESTION)


@pytest.fixture(scope="module")
def made(browser, site_url: str, tmp_path_factory: pytest.TempPathFactory) -> dict:
    context = browser.new_context(viewport={"width": 1280, "height": 900}, accept_downloads=True)
    requested: list[str] = []
    context.on("request", lambda r: requested.append(r.url))
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    try:
        page.goto(f"{site_url}/courses/builder.html", wait_until="load")
        fill_course(page)
        before = entries(page)
        page.reload(wait_until="load")                      # work in progress survives a reload
        assert page.get_by_label("Course title").input_value() == "Collectivization in three weeks"
        assert entries(page) == before
        page.get_by_role("button", name="Share").click()
        share = page.locator("#builder-share-url").input_value()
        with page.expect_download() as info:
            page.get_by_role("button", name="Download course file").click()
        target = tmp_path_factory.mktemp("builder-download") / info.value.suggested_filename
        info.value.save_as(target)
        from tests.browser.test_accessibility import axe_violations, describe
        violations = axe_violations(page)
        return {"share": share, "entries": before, "weeks": week_titles(page), "file": target,
                "requested": requested, "errors": errors, "axe": describe(page.url, violations)}
    finally:
        context.close()


def test_builder_previews_the_three_weeks_as_typed(made: dict) -> None:
    assert not made["errors"]
    assert made["weeks"] == [f"Week {n}: {t}" for n, (t, _) in enumerate(WEEKS, 1)]
    ents = made["entries"]
    assert [e["week"] for e in ents] == [1, 2, 3] and not any(e["error"] for e in ents)
    assert ents[0]["href"].startswith("readings/viola/chapter-5.html#p") and ents[0]["span"].startswith("¶ ")
    assert ents[1] == {"week": 2, "href": "readings/viola/chapter-1.html#p50", "span": "¶ 50–76", "error": False}
    assert ents[2]["href"] == "essays/who-was-a-kulak.html"


def test_shared_link_opens_the_same_syllabus_in_a_fresh_context(browser, made: dict, site_url: str) -> None:
    context = browser.new_context(viewport={"width": 1280, "height": 900})   # no localStorage of the builder
    try:
        page = context.new_page()
        page.goto(made["share"], wait_until="load")
        assert page.locator("#builder-share-url").count() == 0, "students see the syllabus, not the form"
        shared = entries(page)
        assert shared == made["entries"]
        assert page.eval_on_selector_all(".syllabus-week > h3", "els => els.map(e => e.textContent)") == made["weeks"]
        assert NOTES in page.inner_text("#course-builder") and QUESTION in page.inner_text("#course-builder")
        hrefs = page.eval_on_selector_all(".syllabus-entry a", "els => els.map(a => a.href)")
        assert len(hrefs) == 3
        for href in hrefs:
            page.goto(href, wait_until="load")
            anchor = href.partition("#")[2]
            if anchor:
                assert page.locator(f"[id='{anchor}']").count() == 1, f"{href}: no such paragraph"
            assert page.locator("article h1").count() == 1
    finally:
        context.close()


@pytest.mark.parametrize("fragment, message", [
    ("#course=garbage-that-is-not-a-course", "cannot be opened"),
    ("#course=", "cannot be opened"),
])
def test_a_damaged_link_says_what_is_wrong(page, site_url: str, fragment: str, message: str) -> None:
    page.goto(f"{site_url}/courses/builder.html{fragment}", wait_until="load")
    alert = page.get_by_role("alert")
    assert message in alert.inner_text()
    assert not page.js_errors


def test_a_hand_edited_link_marks_the_item(page, site_url: str) -> None:
    page.goto(f"{site_url}/courses/builder.html", wait_until="load")
    course = {"title": "Edited", "weeks": [{"title": "One", "items": [
        {"reading": "viola/chapter-5", "pages": "121-999"}, {"essay": "no-such-essay"}, {"reading": "goldman"}]},
        {"title": "Empty", "items": []}]}
    fragment = page.evaluate("c => RFA_COURSE_BUILDER.encode(c)", course)
    newer = page.evaluate("() => 'course=' + LZString.compressToEncodedURIComponent(JSON.stringify({v: 99, course: {}}))")
    page.goto(f"{site_url}/courses/builder.html#{fragment}", wait_until="load")
    page.reload(wait_until="load")
    items = page.locator(".syllabus-entry")
    assert "outside viola/chapter-5, which is printed on pp. 121–151" in items.nth(0).inner_text()
    assert "there is no essay 'no-such-essay'" in items.nth(1).inner_text()
    assert items.nth(2).locator("a").count() == 1, "the good item stays linked"
    assert "Week 2 lists nothing" in page.get_by_role("alert").inner_text()
    page.goto(f"{site_url}/courses/builder.html#{newer}", wait_until="load")
    page.reload(wait_until="load")
    assert "newer edition" in page.get_by_role("alert").inner_text()
    assert not page.js_errors


def test_downloaded_file_is_the_course_file(made: dict) -> None:
    data = yaml.safe_load(made["file"].read_text(encoding="utf-8"))
    assert made["file"].name == "collectivization-in-three-weeks.yml"
    assert [w["title"] for w in data["weeks"]] == [t for t, _ in WEEKS]
    items = [w["items"] for w in data["weeks"]]
    assert items[0] == [{"reading": "viola/chapter-5", "pages": "121-136", "note": WEEKS[0][1][0][3]}]
    assert items[1] == [{"reading": "viola/chapter-1", "paragraphs": "50-76"}]
    assert items[2] == [{"essay": "who-was-a-kulak"}]
    assert data["weeks"][0]["notes"] == NOTES and data["weeks"][0]["questions"] == [QUESTION]


@pytest.mark.slow
def test_downloaded_file_builds_with_the_course_pack_to_the_same_syllabus(made: dict, session_build: Path,
                                                                          tmp_path: Path) -> None:
    """builder -> YAML -> ``python -m scripts.site.course_pack`` (what ./site.sh course runs) in a scratch
    copy -> the same weeks and items (page, anchor, ¶ span) as the builder showed."""
    from tests.project_copy import build_env, copy_good_build

    root = copy_good_build(session_build, tmp_path / "project")
    (root / "courses" / made["file"].name).write_text(made["file"].read_text(encoding="utf-8"), encoding="utf-8")
    run = subprocess.run([sys.executable, "-m", "scripts.site.course_pack", f"courses/{made['file'].name}",
                          "--site-url", "https://reader.example.edu/"], cwd=root, env=build_env(),
                         capture_output=True, text=True, timeout=900)
    assert run.returncode == 0, run.stderr[-3000:]
    course = json.loads((root / "build" / "courses" / f"{made['file'].stem}.json").read_text(encoding="utf-8"))
    assert [f"Week {n}: {w['title']}" for n, w in enumerate(course["weeks"], 1)] == made["weeks"]
    built = [{"week": n, "href": course["items"][i]["page"][:-3] + ".html" +
              (f"#{course['items'][i]['anchor']}" if course["items"][i]["anchor"] else ""),
              "span": course["items"][i]["span"], "error": False}
             for n, w in enumerate(course["weeks"], 1) for i in w["items"]]
    assert built == made["entries"]
    for name in ("offline.zip", "reader.pdf"):
        assert (root / "dist" / f"{made['file'].stem}-{name}").is_file()
    assert (root / "dist" / f"{made['file'].stem}.imscc").is_file()
    # the next site build links the pack from the course's syllabus page, with the files' sizes
    gen = subprocess.run([sys.executable, "-m", "scripts.build"], cwd=root, env=build_env(), capture_output=True,
                         text=True, timeout=900)
    assert gen.returncode == 0, gen.stderr[-3000:]
    syllabus = (root / "docs" / "courses" / f"{made['file'].stem}.md").read_text(encoding="utf-8")
    from scripts.course.syllabi import size_text
    for suffix in ("-offline.zip", "-reader.pdf", "-syllabus.pdf", ".epub", ".imscc"):
        name = made["file"].stem + suffix
        assert (root / "docs" / "courses" / "packs" / name).is_file()
        assert f"(packs/{name}) — {size_text((root / 'dist' / name).stat().st_size)}" in syllabus


def test_a_course_file_loads_back_with_the_builds_numbers(page, site_url: str, build_dir: Path) -> None:
    page.goto(f"{site_url}/courses/builder.html", wait_until="load")
    page.get_by_label("Load a course file").set_input_files(str(ROOT / "courses" / "collectivization.yml"))
    page.wait_for_function("document.querySelectorAll('.syllabus-entry').length > 0")
    course = json.loads((build_dir / "courses" / "collectivization.json").read_text(encoding="utf-8"))
    shown = entries(page)
    expected = [{"week": n, "href": course["items"][i]["page"][:-3] + ".html" +
                 (f"#{course['items'][i]['anchor']}" if course["items"][i]["anchor"] else ""),
                 "span": course["items"][i]["span"], "error": False}
                for n, w in enumerate(course["weeks"], 1) for i in w["items"]]
    assert shown == expected
    text = page.inner_text(".builder-preview")
    for item in course["items"]:
        assert f"{item['words']:,} words" in text
    bad = ROOT / "courses" / "collectivization.yml"
    broken = bad.read_text(encoding="utf-8").replace("reading: goldman", "reading: golman")
    page.get_by_label("Load a course file").set_input_files(
        files=[{"name": "broken.yml", "mimeType": "text/yaml", "buffer": broken.encode()}])
    page.wait_for_function("document.querySelector('.builder-status').textContent.includes('broken.yml')")
    assert "there is no reading or chapter 'golman'" in page.inner_text(".builder-status")
    assert "there is no reading or chapter 'golman'" in page.inner_text(".builder-editor"), "named next to the item"
    page.get_by_label("Load a course file").set_input_files(
        files=[{"name": "nonsense.yml", "mimeType": "text/yaml", "buffer": b"weeks: [\n"}])
    page.wait_for_function("document.querySelector('.builder-status').textContent.includes('nonsense.yml')")
    assert "unchanged" in page.inner_text(".builder-status")
    assert len(entries(page)) == len(expected), "a file that cannot be read leaves the course as it was"
    assert not page.js_errors


def test_a_syllabus_page_opens_its_course_in_the_builder(page, site_url: str, build_dir: Path) -> None:
    course = json.loads((build_dir / "courses" / "collectivization.json").read_text(encoding="utf-8"))
    page.goto(f"{site_url}/courses/collectivization.html", wait_until="load")
    page.get_by_role("link", name="Open this course in the course builder").click()
    page.wait_for_function("document.querySelectorAll('.syllabus-entry').length > 0")
    assert page.get_by_label("Course title").input_value() == course["title"]
    assert [e["span"] for e in entries(page)] == [item["span"] for item in course["items"]]
    assert not page.js_errors


def test_paragraphs_picked_from_the_text_become_the_range(browser, site_url: str, built_site: Path) -> None:
    """"Pick paragraphs": ¶ 12 chosen with the mouse, then ¶ 20 with the keyboard (arrow keys, Enter) sets
    the item to ¶ 12–20 — typed into its range field, previewed, shared — and the shared syllabus's link
    lands on #p12. The list shows each ¶ by its first words, as the built page has them; axe finds
    nothing with the list open, and no request leaves the page."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    requested: list[str] = []
    context.on("request", lambda r: requested.append(r.url))
    try:
        page = context.new_page()
        errors: list[str] = []
        page.on("pageerror", lambda exc: errors.append(str(exc)))
        page.goto(f"{site_url}/courses/builder.html", wait_until="load")
        page.get_by_label("Course title").fill("Picked")
        page.get_by_label("Title of week 1", exact=True).fill("The grain crisis")
        page.get_by_role("button", name="Add an item to week 1").click()
        assert page.get_by_role("button", name="Pick paragraphs for item 1 of week 1").is_hidden(), \
            "nothing to pick before a reading is chosen"
        page.get_by_label("Week 1, item 1", exact=True).select_option("reading:viola/chapter-1")
        page.get_by_role("button", name="Pick paragraphs for item 1 of week 1").click()
        picker = page.get_by_role("group", name=re.compile("^Paragraphs of "))
        chapter = built_site / "readings" / "viola" / "chapter-1.html"
        p12 = picker.locator(".builder-pick[data-p='12']")
        assert p12.locator(".builder-pick-n").inner_text() == "¶ 12"
        start = p12.locator(".builder-pick-text").inner_text().removesuffix(" …")
        assert start and first_words(chapter, "p12", 12).startswith(start), start
        p12.click()
        assert p12.get_attribute("aria-pressed") == "true"
        item = page.locator(".builder-item").first
        assert item.get_by_label("Range").input_value() == "12"
        for _ in range(8):
            page.keyboard.press("ArrowDown")
        assert page.evaluate("document.activeElement.dataset.p") == "20"
        page.keyboard.press("Enter")
        assert item.get_by_label("Range").input_value() == "12-20"
        assert item.get_by_label("Assign").input_value() == "paragraphs"
        assert picker.locator(".builder-pick[aria-pressed='true']").count() == 9
        assert entries(page) == [{"week": 1, "href": "readings/viola/chapter-1.html#p12", "span": "¶ 12–20",
                                  "error": False}]
        from tests.browser.test_accessibility import axe_violations, describe
        violations = axe_violations(page)
        assert not violations, describe(page.url, violations)
        item.get_by_label("Range").fill("30-31")                     # typing moves the picked range too
        assert picker.locator(".builder-pick[aria-pressed='true']").count() == 2
        picker.locator(".builder-pick[data-p='20']").click()
        picker.locator(".builder-pick[data-p='12']").click()         # the last before the first: the same range
        assert item.get_by_label("Range").input_value() == "12-20"
        page.get_by_role("button", name="Share").click()
        share = page.locator("#builder-share-url").input_value()
        assert not errors, errors
    finally:
        context.close()
    outside = [u for u in requested if not u.startswith((site_url, "data:", "blob:"))]
    assert not outside, outside
    fresh = browser.new_context(viewport={"width": 1280, "height": 900})
    try:
        page = fresh.new_page()
        page.goto(share, wait_until="load")
        assert entries(page) == [{"week": 1, "href": "readings/viola/chapter-1.html#p12", "span": "¶ 12–20",
                                  "error": False}]
        page.locator(".syllabus-entry a").click()
        page.wait_for_load_state("load")
        assert page.url.endswith("/readings/viola/chapter-1.html#p12")
        assert page.locator("[id='p12']").count() == 1
    finally:
        fresh.close()


def test_no_request_leaves_the_builder_and_axe_finds_nothing(made: dict, site_url: str) -> None:
    outside = [u for u in made["requested"] if not u.startswith((site_url, "data:", "blob:"))]
    assert not outside, outside
    assert not made["axe"], made["axe"]


def test_builder_and_shared_link_work_offline(browser, offline_site: Path, made: dict) -> None:
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    requested: list[str] = []
    context.on("request", lambda r: requested.append(r.url))
    try:
        page = context.new_page()
        errors: list[str] = []
        page.on("pageerror", lambda exc: errors.append(str(exc)))
        builder = (offline_site / "courses" / "builder.html").as_uri()
        page.goto(builder, wait_until="load")
        fill_course(page)
        assert entries(page) == made["entries"]
        page.goto(builder + "#" + made["share"].partition("#")[2], wait_until="load")
        page.reload(wait_until="load")
        assert entries(page) == made["entries"]
        href = page.eval_on_selector_all(".syllabus-entry a", "els => els.map(a => a.href)")[1]
        page.goto(href, wait_until="load")
        assert page.locator("[id='p50']").count() == 1
        assert not errors
    finally:
        context.close()
    outside = [u for u in requested if not u.startswith(("file://", "data:", "blob:"))]
    assert not outside, outside


def first_words(page_file: Path, anchor: str, n: int = 10) -> str:
    from bs4 import BeautifulSoup

    el = BeautifulSoup(page_file.read_text(encoding="utf-8"), "html.parser").find(id=anchor)
    for gone in el.select("sup, .headerlink, .cite-paragraph, page-break"):
        gone.decompose()
    return " ".join(el.get_text(" ").split()[:n])


def test_print_the_course_reader_assembles_the_passages(page, site_url: str, made: dict, built_site: Path) -> None:
    page.goto(f"{site_url}/courses/builder.html", wait_until="load")
    page.evaluate("""f => localStorage.setItem('rfa-course-builder-v1',
                     JSON.stringify(RFA_COURSE_BUILDER.decode(f)))""", made["share"].partition("#")[2])
    page.reload(wait_until="load")
    page.evaluate("() => { window.print = () => { window.__printed = (window.__printed || 0) + 1; }; }")
    page.get_by_role("button", name="Print the course reader").click()
    page.wait_for_function("window.__printed === 1")
    items = page.locator(".course-reader .reader-item")
    assert items.count() == 3
    heads = page.eval_on_selector_all(".course-reader .reader-item h3", "els => els.map(e => e.textContent)")
    assert heads[1].endswith(", ¶ 50–76") and "pp. 121–136" in heads[0]
    ch1 = " ".join(items.nth(1).inner_text().split())
    chapter = built_site / "readings" / "viola" / "chapter-1.html"
    assert first_words(chapter, "p50") in ch1 and first_words(chapter, "p76") in ch1
    assert first_words(chapter, "p49") not in ch1
    assert NOTES in items.nth(0).inner_text()
    assert page.evaluate("document.querySelectorAll('.course-reader [id]').length") == 0, "no duplicate ids"
    page.emulate_media(media="print")
    assert page.locator(".course-reader").is_visible() and not page.locator(".md-header").is_visible()
    assert not page.js_errors


def test_public_edition_names_withheld_items_without_links(page, site_url: str, public_docs: Path) -> None:
    """The public-web edition's own builder data (its docs/, generated with --public), served in place of the
    classroom one: a shared course's items whose texts the edition withholds are named, not linked."""
    asset = public_docs / "assets" / "javascripts" / "course-builder-data.js"
    data = json.loads(re.search(r"window\.RFA_COURSE_DATA = (.*);\s*$", asset.read_text(encoding="utf-8"), re.S)
                      .group(1).replace("<\\/", "</"))
    withheld = [r["key"] for r in data["readings"] if not r["printed"]]
    printed = [r["key"] for r in data["readings"] if r["printed"]]
    assert withheld and printed, "the public edition withholds some texts and prints others"
    # "Pick paragraphs" shows first words only of paragraphs the edition prints: none of a withheld text
    for r in data["readings"]:
        assert ("starts" in r) == r["printed"], r["key"]
        if r["printed"]:
            hidden = [n for n in range(1, len(r["words"]) + 1) if n not in r.get("shown", range(1, len(r["words"]) + 1))]
            assert all(r["starts"][n - 1] == "" for n in hidden), r["key"]
            assert all(r["starts"][n - 1] for n in r.get("shown", []) if r["words"][n - 1]), r["key"]
    page.route("**/course-builder-data.js", lambda route: route.fulfill(path=str(asset),
                                                                          content_type="text/javascript"))
    page.goto(f"{site_url}/courses/builder.html", wait_until="load")
    course = {"title": "Public", "weeks": [{"title": "One", "items": [{"reading": withheld[0]},
                                                                      {"reading": printed[0]}]}]}
    fragment = page.evaluate("c => RFA_COURSE_BUILDER.encode(c)", course)
    page.goto(f"{site_url}/courses/builder.html#{fragment}", wait_until="load")
    page.reload(wait_until="load")
    items = page.locator(".syllabus-entry")
    assert items.nth(0).locator("a").count() == 0 and "not printed in this edition" in items.nth(0).inner_text()
    assert items.nth(1).locator("a").count() == 1
    assert not page.js_errors


def test_vendored_libraries_are_the_npm_packages() -> None:
    """assets/javascripts/vendor/ holds lz-string and js-yaml exactly as package-lock.json installs them
    (scripts/tools/install_assets.py writes them at setup), each with its licence notice."""
    from scripts.tools.install_assets import VENDOR_TARGET, vendor_texts

    for name, text in vendor_texts().items():
        assert (VENDOR_TARGET / name).read_text(encoding="utf-8") == text, f"{name}: run ./site.sh build (setup)"
        assert "MIT" in text.split("*/", 1)[0] or "Permission is hereby granted" in text.split("*/", 1)[0]
