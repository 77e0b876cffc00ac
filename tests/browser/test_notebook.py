"""The student's notebook (issue 22) in real Chromium: highlights and notes made by mouse, touch and
keyboard, kept in the browser (online and from the unzipped bundle), anchored with W3C Web Annotation
selectors that re-attach by quote, listed on My notes with exports, import and hand-in; no request
leaves the page and axe finds nothing with annotations shown.

The annotated paragraph is chosen from the built chapter (its first long paragraph with plain words),
and the words from its own text, so nothing here depends on one edition's wording."""
from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from tests.browser.test_accessibility import axe_violations, describe
from tests.conftest import CHROMIUM, CHROMIUM_ARGS

CHAPTER = "readings/viola/chapter-4.html"
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}

#: The paragraph and words the tests annotate, read from the page: the first paragraph whose first
#: text node holds six plain words, and those words (offsets within that text node).
PICK_JS = """() => {
  for (const p of document.querySelectorAll('article p[id]')) {
    if (!/^p\\d+$/.test(p.id) || p.closest('details, .admonition, blockquote')) continue;
    for (const n of p.childNodes) {
      if (n.nodeType !== 3) continue;
      const m = /[A-Za-z][a-z]+( [a-z]+){5}/.exec(n.nodeValue);
      if (m) return {para: p.id, exact: m[0], index: [...p.childNodes].indexOf(n), offset: m.index};
    }
  }
  return null;
}"""

#: Select the picked words (a Range the way a long press or the keyboard leaves it) and return their box.
SELECT_JS = """(w) => {
  const p = document.getElementById(w.para);
  p.scrollIntoView({block: 'center'});
  const t = [...p.childNodes].find(n => n.nodeType === 3 && n.nodeValue.includes(w.exact));
  const i = t.nodeValue.indexOf(w.exact);
  const r = document.createRange(); r.setStart(t, i); r.setEnd(t, i + w.exact.length);
  if (w.select) { const s = getSelection(); s.removeAllRanges(); s.addRange(r); }
  const rects = [...r.getClientRects()]; const a = rects[0], z = rects[rects.length - 1];
  return {x1: a.left + 1, y1: a.top + a.height / 2, x2: z.right - 1, y2: z.top + z.height / 2};
}"""

STORED_JS = "() => JSON.parse(localStorage.getItem('rfa-notebook') || '{}')"


def notebook_ready(page) -> None:
    """Wait for the notebook to have drawn the page's notes: reading pages load notebook.js once the
    page has loaded and is idle (assets/javascripts/reader.js), so it is not there at once."""
    page.wait_for_function("window.rfaNotebook && window.rfaNotebook.ready")
    page.evaluate("() => window.rfaNotebook.ready")


def open_chapter(page, url: str) -> dict:
    page.goto(url)
    notebook_ready(page)
    words = page.evaluate(PICK_JS)
    assert words, "no paragraph with six plain words in the chapter"
    return words


def outside_requests(page, allowed: str) -> list[str]:
    seen: list[str] = []
    page.on("request", lambda r: seen.append(r.url) if not (r.url.startswith(allowed) or
                                                          r.url.startswith(("data:", "blob:"))) else None)
    return seen


#: The highlights shown, {colour: [their words]}: the ranges painted with the CSS Custom Highlight API
#: (CSS.highlights "nb-yellow"…, where the browser has it, as Debian's Chromium does), or the <mark>s of
#: the DOM fallback.
SHOWN_JS = """() => {
  const out = {};
  if (window.CSS && CSS.highlights) for (const [name, h] of CSS.highlights)
    if (name.startsWith('nb-')) for (const r of h) (out[name.slice(3)] = out[name.slice(3)] || []).push(r.toString());
  for (const m of document.querySelectorAll('article mark.nb-hl')) {
    const c = [...m.classList].find((x) => x !== 'nb-hl').slice(3);
    (out[c] = out[c] || []).push(m.textContent);
  }
  return out;
}"""

#: Browsers without the Highlight API get <mark>s: as if Chromium were one of them.
NO_HIGHLIGHT_API = "window.Highlight = undefined;"


def shown(page) -> dict[str, list[str]]:
    return page.evaluate(SHOWN_JS)


def marked_text(page) -> str:
    return "".join("".join(words) for words in shown(page).values())


def shown_count(page, colour: str | None = None) -> int:
    return sum(len(v) for k, v in shown(page).items() if colour in (None, k))


def wait_shown(page, colour: str) -> None:
    page.wait_for_function(f"() => ({SHOWN_JS})()[{colour!r}]")


@pytest.mark.parametrize("painted", [True, False], ids=["highlight-api", "marks"])
def test_mouse_highlight_note_edit_reload_and_delete_online(browser, site_url: str, painted: bool) -> None:
    context = browser.new_context(viewport=DESKTOP)
    if not painted:
        context.add_init_script(NO_HIGHLIGHT_API)
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    outside = outside_requests(page, site_url)
    words = open_chapter(page, f"{site_url}/{CHAPTER}")
    box = page.evaluate(SELECT_JS, words)
    page.mouse.move(box["x1"], box["y1"])
    page.mouse.down()
    page.mouse.move(box["x2"], box["y2"], steps=6)
    page.mouse.up()
    page.locator(".nb-bar button[aria-label='Highlight green']").click()
    wait_shown(page, "green")
    assert marked_text(page) == words["exact"]
    stored = page.evaluate(STORED_JS)["mine"]
    assert [(a["para"], a["exact"], a["colour"]) for a in stored] == [(words["para"], words["exact"], "green")]
    text = page.evaluate("(id) => document.getElementById(id).textContent", words["para"])
    skip = page.evaluate("""(id) => [...document.getElementById(id).children].filter(c => c.matches('.para-link, .para-cite'))
                            .reduce((n, c) => n + c.textContent.length, 0)""", words["para"])
    a = stored[0]
    assert text[skip + a["start"]:skip + a["end"]] == words["exact"]      # the position counts the paragraph's own text
    assert text[:skip + a["start"]].endswith(a["prefix"]) and text[skip + a["end"]:].startswith(a["suffix"])
    assert page.locator("article mark.nb-hl").count() == (0 if painted else 1)     # painted: the text is left as it was
    # a click on the highlighted words opens the editor too, then Escape closes it
    at = page.evaluate("""() => { const h = document.querySelector('article mark.nb-hl') || [...CSS.highlights.get('nb-green')][0];
        const b = h.getClientRects()[0]; return {x: b.left + Math.min(b.width / 2, 20), y: b.top + b.height / 2}; }""")
    page.mouse.click(at["x"], at["y"])
    page.locator(".nb-editor").wait_for()
    page.keyboard.press("Escape")
    assert page.locator(".nb-editor").count() == 0
    # the note, then a change of colour, through the editor the marker opens
    page.locator("article .nb-marker").click()
    page.locator("#nb-note-text").fill("A note written in the margin")
    page.locator(".nb-editor input[value='blue']").check()
    page.locator(".nb-editor button", has_text="Save").click()
    page.reload()
    notebook_ready(page)
    assert marked_text(page) == words["exact"]
    assert shown_count(page, "blue") >= 1
    marker = page.locator("article .nb-marker--note")
    assert "A note written in the margin" in marker.get_attribute("aria-label")
    # wide screen: the note stands in the right margin, beside its paragraph's text
    note_left = page.evaluate("(m) => { const s = getComputedStyle(m, '::after'); return [s.display, s.position]; }",
                              marker.element_handle())
    assert note_left == ["block", "absolute"]
    page.locator("article .nb-marker").click()
    page.locator(".nb-editor button", has_text="Delete").click()
    page.reload()
    notebook_ready(page)
    assert shown_count(page) == 0 and page.evaluate(STORED_JS)["mine"] == []
    assert not outside, outside
    assert not errors, errors
    context.close()


def test_touch_highlight_on_a_phone_shows_the_note_under_its_marker(browser, site_url: str) -> None:
    context = browser.new_context(viewport=PHONE, is_mobile=True, has_touch=True, color_scheme="dark")
    page = context.new_page()
    words = open_chapter(page, f"{site_url}/{CHAPTER}")
    page.evaluate(SELECT_JS, {**words, "select": True})      # what a long press leaves
    note = page.locator(".nb-bar .nb-bar__note")
    note.wait_for()
    note.tap()
    page.locator("#nb-note-text").fill("Tapped on a phone")
    page.locator(".nb-editor button", has_text="Save").tap()
    marker = page.locator("article .nb-marker--note")
    assert marker.get_attribute("aria-expanded") == "false"
    shown = "(m) => getComputedStyle(m, '::after').display"
    assert marker.evaluate(shown) == "none"
    marker.tap()                                              # first tap: the note under the marker
    assert marker.get_attribute("aria-expanded") == "true" and marker.evaluate(shown) == "block"
    assert page.locator(".nb-editor").count() == 0
    marker.tap()                                              # second tap: edit
    page.locator(".nb-editor").wait_for()
    page.reload()
    notebook_ready(page)
    assert marked_text(page) == words["exact"]
    context.close()


def test_keyboard_selection_and_the_h_shortcut(browser, site_url: str) -> None:
    """Caret browsing (F7 in Chromium: how a keyboard user selects words in a page) is on in this
    browser, launched for this test from the session's Playwright with Debian's Chromium."""
    caret = browser.browser_type.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS + ["--enable-caret-browsing"])
    context = caret.new_context(viewport=DESKTOP)
    page = context.new_page()
    words = open_chapter(page, f"{site_url}/{CHAPTER}")
    # the caret before the words, then the selection made with Shift+Control+Arrow, word by word
    page.evaluate("""(w) => { const p = document.getElementById(w.para);
        const t = [...p.childNodes].find(n => n.nodeType === 3 && n.nodeValue.includes(w.exact));
        getSelection().collapse(t, t.nodeValue.indexOf(w.exact)); }""", words)
    for _ in range(len(words["exact"].split())):
        page.keyboard.press("Shift+Control+ArrowRight")
    selected = page.evaluate("() => getSelection().toString()")
    assert selected.strip() == words["exact"], selected
    page.keyboard.press("h")
    page.locator("#nb-note-text").wait_for()
    assert page.evaluate("() => document.activeElement.id") == "nb-note-text"
    page.keyboard.type("Typed with the keyboard")
    page.keyboard.press("Tab")                                # from the note to Save
    page.keyboard.press("Enter")
    page.locator("article .nb-marker--note").wait_for()
    assert page.evaluate("() => document.activeElement.classList.contains('nb-marker')")
    stored = page.evaluate(STORED_JS)["mine"]
    assert [(a["exact"].strip(), a["note"]) for a in stored] == [(words["exact"], "Typed with the keyboard")]
    page.keyboard.press("Enter")                              # the marker reopens the editor; Escape closes it
    page.locator(".nb-editor").wait_for()
    page.keyboard.press("Escape")
    assert page.locator(".nb-editor").count() == 0
    caret.close()


def test_notes_survive_a_reload_from_the_offline_bundle(browser, offline_site: Path) -> None:
    context = browser.new_context(viewport=DESKTOP)
    page = context.new_page()
    outside = outside_requests(page, "file://")
    words = open_chapter(page, (offline_site / CHAPTER).as_uri())
    page.evaluate(SELECT_JS, {**words, "select": True})
    page.locator(".nb-bar button[aria-label='Highlight pink']").click()
    wait_shown(page, "pink")
    page.reload()
    notebook_ready(page)
    assert marked_text(page) == words["exact"]
    page.goto((offline_site / "notes.html").as_uri())
    item = page.locator("#nb-list .nb-item")
    item.wait_for()
    assert words["exact"] in item.inner_text()
    link = item.locator("a").first.get_attribute("href")
    assert link.startswith("file://") and link.endswith(f"{CHAPTER}#{words['para']}"), link
    assert "in this browser" in page.locator(".nb-where").inner_text()
    assert not outside, outside
    context.close()


def make_two(page, site_url: str) -> tuple[dict, dict]:
    """Two annotations on the chapter through the UI: a highlight and a note on the picked words
    and on the next paragraph's first words."""
    words = open_chapter(page, f"{site_url}/{CHAPTER}")
    page.evaluate(SELECT_JS, {**words, "select": True})
    page.locator(".nb-bar button[aria-label='Highlight yellow']").click()
    wait_shown(page, "yellow")
    second = page.evaluate("""(id) => { let p = document.getElementById(id).nextElementSibling;
        while (p && !(p.tagName === 'P' && /^p\\d+$/.test(p.id))) p = p.nextElementSibling;
        const t = [...p.childNodes].find(n => n.nodeType === 3 && /\\b[a-z]+ [a-z]+ [a-z]+\\b/.test(n.nodeValue));
        return {para: p.id, exact: /\\b[a-z]+ [a-z]+ [a-z]+\\b/.exec(t.nodeValue)[0]}; }""", words["para"])
    page.evaluate(SELECT_JS, {**second, "select": True})
    page.locator(".nb-bar .nb-bar__note").click()
    page.locator("#nb-note-text").fill("Second thoughts, with a *star* and <b>tags</b>")
    page.locator(".nb-editor button", has_text="Save").click()
    page.locator("article .nb-marker--note").wait_for()
    return words, second


def check_web_annotation(doc: dict) -> None:
    """The W3C Web Annotation Data Model's required keys and types, for the collection we export."""
    assert doc["@context"] == "http://www.w3.org/ns/anno.jsonld"
    assert doc["type"] == "AnnotationCollection" and isinstance(doc["id"], str)
    assert doc["total"] == len(doc["first"]["items"]) and doc["first"]["type"] == "AnnotationPage"
    for a in doc["first"]["items"]:
        assert a["type"] == "Annotation" and re.fullmatch(r"urn:uuid:[0-9a-f-]{36}", a["id"]), a
        assert a["motivation"] in ("highlighting", "commenting")
        assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", a["created"])
        if "body" in a:
            for body in a["body"] if isinstance(a["body"], list) else [a["body"]]:
                assert body["type"] == "TextualBody" and isinstance(body["value"], str) and body["format"] == "text/plain"
        else:
            assert a["motivation"] == "highlighting"
        target = a["target"]
        assert target["source"].startswith(("http://", "https://", "file://")) and target["source"].endswith(".html")
        kinds = {}
        for selector in target["selector"]:
            assert selector["type"] == "FragmentSelector" and re.fullmatch(r"p\d+", selector["value"])
            assert selector["conformsTo"] == "http://tools.ietf.org/rfc/rfc3986"
            kinds[selector["refinedBy"]["type"]] = selector["refinedBy"]
        quote, pos = kinds["TextQuoteSelector"], kinds["TextPositionSelector"]
        assert isinstance(quote["exact"], str) and quote["exact"] and isinstance(quote["prefix"], str)
        assert isinstance(quote["suffix"], str)
        assert isinstance(pos["start"], int) and isinstance(pos["end"], int) and 0 <= pos["start"] < pos["end"]
        assert pos["end"] - pos["start"] == len(quote["exact"])


def download(page, button: str) -> str:
    with page.expect_download() as info:
        page.locator(button).click()
    return Path(info.value.path()).read_text(encoding="utf-8")


def test_export_clear_import_gives_the_same_notes(browser, site_url: str, tmp_path: Path) -> None:
    context = browser.new_context(viewport=DESKTOP, accept_downloads=True)
    page = context.new_page()
    outside = outside_requests(page, site_url)
    words, second = make_two(page, site_url)
    before = page.evaluate(STORED_JS)["mine"]
    page.goto(f"{site_url}/notes.html")
    page.locator("#nb-list .nb-item").nth(1).wait_for()
    markdown = download(page, "#nb-export-md")
    jsonld = download(page, "#nb-export-json")
    # Markdown: each quotation, the note, and the paragraph's full citation with its link
    assert f"> {words['exact']}" in markdown and f"> {second['exact']}" in markdown
    assert "Second thoughts, with a *star* and <b>tags</b>" in markdown
    assert markdown.count("Viola") >= 2 and f"{CHAPTER}#{words['para']}" in markdown
    doc = json.loads(jsonld)
    check_web_annotation(doc)
    assert doc["total"] == 2
    # clear the browser's storage, import the JSON-LD: the same notes
    page.evaluate("() => localStorage.clear()")
    page.reload()
    assert page.locator("#nb-list .nb-item").count() == 0
    (tmp_path / "mine.jsonld").write_text(jsonld, encoding="utf-8")
    page.locator("#nb-import-mine").set_input_files(str(tmp_path / "mine.jsonld"))
    page.locator("#nb-import-report li").first.wait_for()
    assert "2 imported" in page.locator("#nb-import-report").inner_text()
    key = lambda a: (a["page"], a["para"], a["exact"], a["prefix"], a["suffix"], a["start"], a["end"], a["note"], a["colour"], a["id"])  # noqa: E731
    after = page.evaluate(STORED_JS)["mine"]
    assert sorted(map(key, after)) == sorted(map(key, before))
    # again: merged, no duplicates
    page.locator("#nb-import-mine").set_input_files(str(tmp_path / "mine.jsonld"))
    page.locator("#nb-import-report", has_text="already in your notes").wait_for()
    assert len(page.evaluate(STORED_JS)["mine"]) == 2
    # the chapter shows them again
    page.goto(f"{site_url}/{CHAPTER}")
    page.wait_for_function("window.rfaNotebook")
    notebook_ready(page)
    assert words["exact"] in marked_text(page) and second["exact"] in marked_text(page)
    assert not outside, outside
    context.close()


def test_bad_imports_keep_the_students_notes_and_others_are_read_only(browser, site_url: str, tmp_path: Path) -> None:
    context = browser.new_context(viewport=DESKTOP, accept_downloads=True)
    page = context.new_page()
    words, _ = make_two(page, site_url)
    page.goto(f"{site_url}/notes.html")
    page.locator("#nb-name").fill("Anna Petrova")
    page.locator("#nb-handin-pages input").first.check()
    handin = json.loads(download(page, "#nb-handin"))
    check_web_annotation(handin)
    assert handin["creator"] == {"type": "Person", "name": "Anna Petrova"} and handin["total"] == 2
    mine = page.evaluate(STORED_JS)["mine"]
    # not JSON
    (tmp_path / "broken.json").write_text("{not json", encoding="utf-8")
    page.locator("#nb-import-mine").set_input_files(str(tmp_path / "broken.json"))
    page.locator("#nb-import-report", has_text="not valid JSON").wait_for()
    # partly damaged, from another edition: one good annotation (a changed note, same id: yours kept),
    # one without selectors, one on a page this edition does not have, one new good one
    damaged = json.loads(json.dumps(handin))
    items = damaged["first"]["items"]
    items[0]["body"] = {"type": "TextualBody", "value": "overwritten?", "format": "text/plain"}
    items.append({"type": "Annotation", "id": "urn:uuid:00000000-0000-4000-8000-000000000001",
                  "target": {"source": items[1]["target"]["source"]}})
    gone = json.loads(json.dumps(items[1]))
    gone["id"] = "urn:uuid:00000000-0000-4000-8000-000000000002"
    gone["target"]["source"] = gone["target"]["source"].replace(CHAPTER, "readings/other/chapter-99.html")
    items.append(gone)
    fresh = json.loads(json.dumps(items[1]))
    fresh["id"] = "urn:uuid:00000000-0000-4000-8000-000000000003"
    fresh["target"]["selector"][0]["refinedBy"]["exact"] = words["exact"][:-1]
    items.append(fresh)
    damaged["generator"]["name"] = "Another edition"
    (tmp_path / "damaged.jsonld").write_text(json.dumps(damaged), encoding="utf-8")
    page.locator("#nb-import-mine").set_input_files(str(tmp_path / "damaged.jsonld"))
    report = page.locator("#nb-import-report")
    report.locator("li", has_text="1 imported").wait_for()
    text = report.inner_text()
    assert "2 already in your notes" in text and "2 could not be read" in text and "another edition" in text, text
    assert "not in this edition" in text and "no paragraph or quote selector" in text, text
    after = page.evaluate(STORED_JS)["mine"]
    assert len(after) == 3 and [a for a in after if a["id"] == mine[0]["id"]] == [mine[0]]   # never overwritten
    # a classmate's file: read-only, in its own colour, removable
    (tmp_path / "anna.jsonld").write_text(json.dumps(handin), encoding="utf-8")
    page.locator("#nb-import-other").set_input_files(str(tmp_path / "anna.jsonld"))
    others = page.locator("#nb-list .nb-item--other")
    others.first.wait_for()
    assert others.count() == 2 and "Anna Petrova" in others.first.inner_text()
    assert others.locator("button").count() == 0
    page.goto(f"{site_url}/{CHAPTER}")
    page.wait_for_function("window.rfaNotebook")
    notebook_ready(page)
    assert shown_count(page, "other") >= 2
    assert "Anna Petrova" in page.locator("article .nb-marker--other").first.get_attribute("aria-label")
    page.goto(f"{site_url}/notes.html")
    page.locator(".nb-others button", has_text="Remove").click()
    assert page.locator("#nb-list .nb-item--other").count() == 0 and len(page.evaluate(STORED_JS)["mine"]) == 3
    context.close()


def test_moved_words_reattach_by_quote_and_lost_ones_are_listed(browser, site_url: str) -> None:
    """A changed edition simulated in the stored data (wrong positions, a renumbered paragraph) and in
    the page's text (words inserted before the quotation; the quoted words removed)."""
    context = browser.new_context(viewport=DESKTOP)
    page = context.new_page()
    words = open_chapter(page, f"{site_url}/{CHAPTER}")
    page.evaluate(SELECT_JS, {**words, "select": True})
    page.locator(".nb-bar button[aria-label='Highlight yellow']").click()
    wait_shown(page, "yellow")
    good = page.evaluate(STORED_JS)["mine"][0]
    # 1. stored positions wrong by 7, and a copy filed under another paragraph id
    shifted = {**good, "id": "shifted", "start": good["start"] + 7, "end": good["end"] + 7}
    renumbered = {**good, "id": "renumbered", "para": "p1" if words["para"] != "p1" else "p2", "start": 0,
                  "end": len(good["exact"])}
    lost = {**good, "id": "lost", "exact": "words that this edition never printed anywhere", "prefix": "", "suffix": "",
            "note": "a note on vanished words"}
    page.evaluate("(list) => localStorage.setItem('rfa-notebook', JSON.stringify({mine: list}))", [shifted, renumbered, lost])
    page.reload()
    notebook_ready(page)
    stored = {a["id"]: a for a in page.evaluate(STORED_JS)["mine"]}
    for name in ("shifted", "renumbered"):
        a = stored[name]
        assert (a["para"], a["start"], a["end"], a["exact"]) == (good["para"], good["start"], good["end"], good["exact"]), a
        assert not a.get("lost")
    assert stored["lost"]["lost"] is True                   # kept, marked
    box = page.locator("#nb-lost")
    assert "could not be placed" in box.inner_text() and lost["exact"] in box.inner_text()
    # 2. the page's text changed: words inserted before the quotation; the stored position is now wrong
    page.evaluate("""(w) => { const p = document.getElementById(w.para);
        p.querySelectorAll('mark.nb-hl, .nb-marker').forEach(m => m.replaceWith(...m.childNodes)); p.normalize();
        const t = [...p.childNodes].find(n => n.nodeType === 3 && n.nodeValue.includes(w.exact));
        t.nodeValue = t.nodeValue.replace(w.exact, 'inserted by a correction ' + w.exact); }""", words)
    page.evaluate("() => window.rfaNotebook.reload()")
    a = {x["id"]: x for x in page.evaluate(STORED_JS)["mine"]}["shifted"]
    assert a["start"] == good["start"] + len("inserted by a correction ") and a["exact"] == good["exact"]
    # 3. the words removed from the page: listed as not placed, kept in storage
    page.evaluate("""(w) => { const p = document.getElementById(w.para);
        p.querySelectorAll('mark.nb-hl, .nb-marker').forEach(m => m.replaceWith(...m.childNodes)); p.normalize();
        const t = [...p.childNodes].find(n => n.nodeType === 3 && n.nodeValue.includes(w.exact));
        t.nodeValue = t.nodeValue.replace(w.exact, ''); }""", words)
    page.evaluate("() => window.rfaNotebook.reload()")
    assert page.locator("#nb-lost li").count() == 3
    assert len(page.evaluate(STORED_JS)["mine"]) == 3
    # re-attach one to a selection; delete another
    other = page.evaluate(PICK_JS)
    page.evaluate(SELECT_JS, {**other, "select": True})
    page.locator("#nb-lost li[data-nb-lost='lost'] button", has_text="Re-attach").click()
    page.locator("#nb-lost li[data-nb-lost='lost']").wait_for(state="detached")
    assert {x["id"]: x for x in page.evaluate(STORED_JS)["mine"]}["lost"]["exact"] == other["exact"]
    page.locator("#nb-lost li[data-nb-lost='renumbered'] button", has_text="Delete").click()
    assert "renumbered" not in {x["id"] for x in page.evaluate(STORED_JS)["mine"]}
    # My notes says which could not be placed
    page.goto(f"{site_url}/notes.html")
    assert page.locator("#nb-list .nb-item__lost").count() == 1
    context.close()


def test_print_setting_prints_highlights_and_notes_or_not(browser, site_url: str) -> None:
    context = browser.new_context(viewport=DESKTOP)
    page = context.new_page()
    words = open_chapter(page, f"{site_url}/{CHAPTER}")
    page.evaluate(SELECT_JS, {**words, "select": True})
    page.locator(".nb-bar .nb-bar__note").click()
    page.locator("#nb-note-text").fill("Printed beside the words")
    page.locator(".nb-editor button", has_text="Save").click()
    page.locator("article .nb-marker--note").wait_for()
    page.emulate_media(media="print")
    # the highlight's colour as printed: of its painted range (::highlight(nb-yellow), styled on its
    # paragraph), or of its <mark>
    look = """() => { const m = document.querySelector('article mark.nb-hl'), k = document.querySelector('article .nb-marker');
        const colour = m ? getComputedStyle(m).backgroundColor : getComputedStyle(k.closest('p'), '::highlight(nb-yellow)').backgroundColor;
        return [colour, getComputedStyle(k).display, getComputedStyle(k, '::after').content]; }"""
    background, marker, note = page.evaluate(look)
    assert background != "rgba(0, 0, 0, 0)" and marker != "none" and "Printed beside the words" in note
    page.emulate_media(media="screen")
    page.goto(f"{site_url}/notes.html")
    page.locator("#nb-print-mine").uncheck()                  # the setting on My notes
    page.goto(f"{site_url}/{CHAPTER}")
    page.wait_for_function("window.rfaNotebook")
    notebook_ready(page)
    page.emulate_media(media="print")
    background, marker, _ = page.evaluate(look)
    assert background == "rgba(0, 0, 0, 0)" and marker == "none"
    context.close()


def test_storage_that_fails_is_said_on_screen(browser, site_url: str) -> None:
    context = browser.new_context(viewport=DESKTOP)
    page = context.new_page()
    words = open_chapter(page, f"{site_url}/{CHAPTER}")
    page.evaluate("""() => { Storage.prototype.setItem = function () {
        throw new DOMException('full', 'QuotaExceededError'); }; }""")
    page.evaluate(SELECT_JS, {**words, "select": True})
    page.locator(".nb-bar button[aria-label='Highlight yellow']").click()
    status = page.locator("#nb-status")
    status.wait_for()
    assert "could not be saved" in status.inner_text() and "full" in status.inner_text()
    assert shown_count(page, "yellow") >= 1      # still shown until the page is left
    context.close()


def test_the_notebook_loads_only_where_it_works(browser, site_url: str) -> None:
    context = browser.new_context(viewport=DESKTOP)
    page = context.new_page()
    scripts: list[str] = []
    page.on("request", lambda r: scripts.append(r.url.rsplit("/", 1)[-1]) if "notebook" in r.url else None)
    page.goto(f"{site_url}/index.html", wait_until="load")
    page.goto(f"{site_url}/glossary.html", wait_until="load")
    assert scripts == []
    open_chapter(page, f"{site_url}/{CHAPTER}")
    assert "notebook.js" in scripts and "notebook-anchoring.js" not in scripts   # nothing stored: no matcher yet
    context.close()


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_axe_finds_nothing_with_annotations_shown(browser, site_url: str, scheme: str) -> None:
    context = browser.new_context(viewport=DESKTOP, color_scheme=scheme)
    page = context.new_page()
    make_two(page, site_url)
    page.reload()
    notebook_ready(page)
    page.locator("article .nb-marker").first.click()          # the highlights, a note and the editor open
    page.locator(".nb-editor").wait_for()
    found = axe_violations(page)
    assert not found, describe(f"chapter with notes and the editor ({scheme})", found)
    page.goto(f"{site_url}/notes.html")
    page.locator("#nb-list .nb-item").first.wait_for()
    found = axe_violations(page)
    assert not found, describe(f"My notes ({scheme})", found)
    context.close()
