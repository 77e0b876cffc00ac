"""The online site saved for offline reading (issue 20), in real Chromium over http://127.0.0.1.

The service worker (Workbox's generateSW, scripts/site/offline_save.py) is registered only when the
reader presses "Save this edition for offline reading". With the network off (Playwright's offline
mode), pages never visited open, the search finds `kulak` and a glossary term opens its popover.
A new edition (a scratch copy of the session's site with a page changed and the post-build step run
again: a new build id) is downloaded whole in the background, the reader is told, and after the
switch every page comes from the new edition's cache alone; the old cache is gone.
"""
from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest

from scripts.site import offline_save
from scripts.site.local_server import serve_folder as serve
from tests.browser.helpers import open_search

#: Pages the test opens for the first time with the network off (none is the page it saved from).
NEVER_VISITED = ["readings/viola/chapter-4.html", "glossary.html", "timeline.html", "readings/goldman/index.html",
                 "essays/who-was-a-kulak.html"]
CHAPTER = "readings/viola/chapter-4.html"
SAVE = "button:has-text('Save this edition for offline reading')"
CACHES = "async () => (await caches.keys()).filter(n => n.startsWith('rfa-'))"




@pytest.fixture
def scratch_site(built_site: Path, tmp_path: Path) -> Path:
    """A copy of the session's online site that a test may change (never the session build itself)."""
    target = tmp_path / "site"
    shutil.copytree(built_site, target, ignore=shutil.ignore_patterns("*.zip"))
    return target


@pytest.fixture
def context(browser):
    ctx = browser.new_context(viewport={"width": 1280, "height": 900})
    yield ctx
    ctx.close()


def _page(context):
    page = context.new_page()
    page.js_errors = []
    page.on("pageerror", lambda exc: page.js_errors.append(str(exc)))
    return page


def _save(page) -> None:
    page.locator(SAVE).first.click()
    page.wait_for_selector(".rd-offline[data-state='saved']", timeout=60000)


def test_nothing_is_downloaded_until_the_reader_saves(context, site_url: str, built_site: Path) -> None:
    """A page loads the small script and the edition record only: no worker, no precache; the button
    gives the download size of exactly what the worker precaches."""
    page = _page(context)
    requested: list[str] = []
    page.on("request", lambda r: requested.append(r.url))
    page.goto(f"{site_url}/{CHAPTER}", wait_until="load")
    button = page.locator(".md-footer " + SAVE)
    button.wait_for(timeout=10000)
    record = json.loads((built_site / offline_save.INFO).read_text(encoding="utf-8"))
    assert f"({record['bytes'] / 1e6:.1f} MB)" in button.inner_text()
    page.wait_for_timeout(500)
    assert not [u for u in requested if u.endswith("/sw.js")], requested
    assert page.evaluate("async () => !(await navigator.serviceWorker.getRegistration())")
    assert page.evaluate(CACHES) == []
    assert not page.js_errors, page.js_errors


def test_saved_edition_works_offline_and_is_replaced_whole(context, scratch_site: Path) -> None:
    with serve(scratch_site) as url:
        page = _page(context)
        page.goto(f"{url}/index.html", wait_until="load")
        _save(page)
        record = json.loads((scratch_site / offline_save.INFO).read_text(encoding="utf-8"))
        names = page.evaluate(CACHES)
        assert len(names) == 1 and names[0].startswith(f"rfa-{record['build']}-precache")
        assert "Saved for offline reading" in page.locator(".md-footer .rd-offline").inner_text()

        context.set_offline(True)
        for rel in NEVER_VISITED:
            page.goto(f"{url}/{rel}", wait_until="load")
            assert page.locator("article h1").count() >= 1, f"{rel} did not open offline"
        page.goto(f"{url}/{CHAPTER}", wait_until="load")
        open_search(page)
        page.keyboard.type("kulak")
        page.wait_for_selector(".md-search-result__item mark", timeout=20000)
        assert page.locator(".md-search-result__item").count() >= 1
        page.keyboard.press("Escape")
        term = page.locator('article a.gl[href$="#kulak"]').first
        term.scroll_into_view_if_needed()
        term.click()
        pop = page.locator(".rd-pop")
        pop.wait_for(state="visible", timeout=5000)
        assert "peasant" in pop.inner_text()
        assert not page.js_errors, page.js_errors

        # a new edition: one page changed, the post-build step run again (a new build id)
        marker = "This sentence exists only in the new edition."
        chapter = scratch_site / CHAPTER
        chapter.write_text(chapter.read_text(encoding="utf-8").replace(
            "</h1>", f"</h1><p id='new-edition'>{marker}</p>", 1), encoding="utf-8")
        new = offline_save.write_worker(scratch_site)
        assert new["build"] != record["build"]

        context.set_offline(False)
        page.goto(f"{url}/index.html", wait_until="load")
        notice = page.locator(".md-footer .rd-offline[data-state='ready']")
        notice.wait_for(timeout=60000)
        assert "A newer edition is available" in notice.inner_text()
        names = page.evaluate(CACHES)   # both editions, each whole in its own cache, until the switch
        assert sorted(n.split("-precache")[0] for n in names) == sorted([f"rfa-{record['build']}", f"rfa-{new['build']}"])
        # until the switch the reader still reads the saved edition, never a mix of the two
        context.set_offline(True)
        page.goto(f"{url}/{CHAPTER}", wait_until="load")
        assert page.locator("#new-edition").count() == 0
        context.set_offline(False)
        page.goto(f"{url}/index.html", wait_until="load")
        with page.expect_navigation(timeout=30000):
            page.locator(".md-footer button:has-text('Switch to the new edition')").click()
        page.wait_for_selector(".rd-offline[data-state='saved']", timeout=30000)
        names = page.evaluate(CACHES)
        assert len(names) == 1 and names[0].startswith(f"rfa-{new['build']}-precache"), names
        count = page.evaluate(f"async () => (await (await caches.open({json.dumps(names[0])})).keys()).length")
        assert count == new["files"]

        context.set_offline(True)
        page.goto(f"{url}/{CHAPTER}", wait_until="load")
        assert page.locator("#new-edition").inner_text() == marker
        page.goto(f"{url}/glossary.html", wait_until="load")
        assert page.locator("article h1").count() >= 1
        assert not page.js_errors, page.js_errors


def test_an_error_response_saves_nothing(context, scratch_site: Path) -> None:
    """One file of the edition answers 404: the save fails whole, says so, and keeps no cache."""
    (scratch_site / "search" / "search_index.json").unlink()
    with serve(scratch_site) as url:
        page = _page(context)
        page.goto(f"{url}/index.html", wait_until="load")
        page.locator(".md-footer " + SAVE).focus()      # by keyboard
        page.keyboard.press("Enter")
        failed = page.locator(".md-footer .rd-offline[data-state='failed']")
        failed.wait_for(timeout=60000)
        assert "could not be saved" in failed.inner_text()
        page.wait_for_function("async () => (await caches.keys()).every(n => !n.startsWith('rfa-'))", timeout=10000)
        assert page.evaluate("async () => !(await navigator.serviceWorker.getRegistration())")


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_save_and_remove_by_keyboard_axe_clean(browser, site_url: str, scheme: str) -> None:
    """The download page's control, by keyboard alone, in each colour scheme: axe finds nothing (any
    impact) before saving and once saved; "Remove the saved edition" unregisters the worker and
    deletes the edition's cache."""
    from tests.browser.test_accessibility import axe_violations, describe

    context = browser.new_context(color_scheme=scheme, viewport={"width": 1280, "height": 900})
    try:
        page = _page(context)
        page.goto(f"{site_url}/download.html", wait_until="load")
        control = page.locator("#rd-offline-save .rd-offline")
        control.locator(SAVE).wait_for(timeout=10000)
        assert re.search(r"\(\d+\.\d MB\)", control.locator(SAVE).inner_text())
        found = axe_violations(page)
        assert not found, describe(f"download page, not saved ({scheme})", found)
        page.locator(".md-header .rd-offline__header").click()      # the header's button leads to the control
        assert page.evaluate("document.activeElement.textContent").startswith("Save this edition")
        control.locator(SAVE).focus()
        page.keyboard.press("Enter")
        page.wait_for_selector("#rd-offline-save .rd-offline[data-state='saved']", timeout=60000)
        found = axe_violations(page)
        assert not found, describe(f"download page, saved ({scheme})", found)
        header = page.locator(".md-header .rd-offline__header")   # the header's small button names the state
        assert header.get_attribute("aria-label") == "Offline reading: this edition is saved"
        control.locator("button:has-text('Remove the saved edition')").focus()
        page.keyboard.press("Enter")
        page.wait_for_selector("#rd-offline-save .rd-offline[data-state='idle']", timeout=10000)
        assert page.evaluate(CACHES) == []
        assert page.evaluate("async () => !(await navigator.serviceWorker.getRegistration())")
        assert not page.js_errors, page.js_errors
    finally:
        context.close()
