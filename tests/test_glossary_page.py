"""The glossary page for students, in the BUILT site and in real Chromium (offline bundle).

- every entry of data/glossary.yml says where its facts come from, and every source resolves: a
  reading paragraph or note that exists (the link lands on an element with that id), Viola's
  glossary (then her definition is quoted), or a named work "Author, Title (Year)";
- at least 30 people, each with a role and at least one passage link; their names are marked in
  the readings like terms;
- the grouped views list every entry once; "Forms in the readings" never shows an OCR misspelling;
- "Used in" links land on the first marked use in each page, not the top of the page;
- Viola's own glossary page shows the artel entry's damage note inside the entry;
- the filter box works in Chromium from the unzipped offline bundle (file://).
"""
from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import unquote

import pytest
from bs4 import BeautifulSoup

from scripts.glossary.terms import SOURCE_VIOLA, Glossary, load_glossary
from scripts.glossary.page import GROUPS, _PASSAGE, _WORK

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def glossary() -> Glossary:
    return load_glossary(ROOT / "data" / "glossary.yml")


@pytest.fixture(scope="module")
def page(built_site: Path) -> BeautifulSoup:
    return BeautifulSoup((built_site / "glossary.html").read_text(encoding="utf-8"), "lxml")


def _ids(path: Path, cache: dict = {}) -> set[str]:
    if path not in cache:
        soup = BeautifulSoup(path.read_text(encoding="utf-8"), "lxml")
        cache[path] = {el["id"] for el in soup.find_all(id=True)}
    return cache[path]


def _entry(page: BeautifulSoup, term_id: str) -> list:
    """The elements of one A–Z entry: its <h2> and what follows up to the next <h2>."""
    head = page.find("h2", id=term_id)
    assert head is not None, term_id
    out = [head]
    for sib in head.find_next_siblings():
        if sib.name == "h2":
            break
        out.append(sib)
    return out


def _resolves(built_site: Path, href: str) -> bool:
    target, _, anchor = unquote(href).partition("#")
    path = (built_site / target).resolve()
    return path.exists() and (not anchor or anchor in _ids(path))


def test_every_entry_has_a_source_that_resolves(built_site: Path, glossary: Glossary, page) -> None:
    problems = []
    for term in glossary.terms:
        if not term.sources:
            problems.append(f"{term.id}: no sources")
            continue
        entry = _entry(page, term.id)
        line = next((el for el in entry if el.name == "p" and el.get_text().startswith("Sources:")), None)
        if line is None:
            problems.append(f"{term.id}: no 'Sources:' line on the page")
            continue
        links = [a["href"] for a in line.find_all("a", href=True)]
        for item in term.sources:
            if _PASSAGE.match(item):
                key, anchor = item.split("#")
                if not any(h.endswith(f"#{anchor}") and key.split("/")[-1] in h for h in links):
                    problems.append(f"{term.id}: {item} is not linked")
            elif item == SOURCE_VIOLA:
                if not term.viola:
                    problems.append(f"{term.id}: claims Viola's glossary but quotes no definition of hers")
            elif not _WORK.match(item):
                problems.append(f"{term.id}: {item!r} is not a named work (Author, Title (Year))")
        for href in links:
            if not _resolves(built_site, href):
                problems.append(f"{term.id}: source link {href} does not resolve")
    assert not problems, "\n".join(problems)


def test_the_flagged_unsourced_facts_are_gone(glossary: Glossary) -> None:
    text = {t.id: f"{t.short} {t.explanation}" for t in glossary.terms}
    assert "1958" not in text["mts"]
    assert "1930" not in text["gulag"].replace("(2007)", "")
    assert "Stalin" not in text["rabkrin"]
    assert "never on the Politburo" not in text["politburo"]
    assert "daily" not in text["pravda"] + text["trud"] + text["rabochaia-gazeta"] + text["izvestiia"]
    assert "iacheika" not in text["komiacheika"]


def test_at_least_30_people_with_resolving_passage_links(built_site: Path, glossary: Glossary, page) -> None:
    people = [t for t in glossary.terms if t.group in ("people", "historians")]
    assert len(people) >= 30
    assert len([t for t in people if t.group == "historians"]) >= 8
    for person in people:
        assert person.role, person.id
        passages = [s for s in person.sources if _PASSAGE.match(s)]
        assert passages, f"{person.id}: no passage link"
        entry = _entry(page, person.id)
        hrefs = [a["href"] for el in entry for a in el.find_all("a", href=True)
                 if el.name == "p" and el.get_text().startswith("Sources:")]
        assert hrefs and all(_resolves(built_site, h) for h in hrefs), person.id
        assert person.role in entry[1].get_text(), f"{person.id}: role not shown under the heading"


def test_people_are_marked_in_the_readings(built_site: Path) -> None:
    ch1 = (built_site / "readings/viola/chapter-1.html").read_text(encoding="utf-8")
    assert re.search(r'<a class="gl" href="[^"]*glossary\.html#bukharin"', ch1)
    ss = (built_site / "readings/siegelbaum-suny/index.html").read_text(encoding="utf-8")
    assert re.search(r'<a class="gl" href="[^"]*glossary\.html#fitzpatrick"', ss)


def test_grouped_views_list_every_entry_once(glossary: Glossary, page) -> None:
    views = page.find(class_="gl-views")
    assert views is not None
    listed = [a["href"][1:] for a in views.select("li a[href^='#']")]
    assert sorted(listed) == sorted(t.id for t in glossary.terms)
    headings = {h["id"] for h in views.find_all("h3", id=True)}
    assert {"group-people", "group-historians", "group-institutions", "group-places", "group-policy",
            "group-press"} <= headings
    assert all(t.group in GROUPS for t in glossary.terms)
    assert views.find("a", href="#archival-citations") and views.find("a", href="#a-z")


def test_forms_in_the_readings_show_no_misspellings(glossary: Glossary, page) -> None:
    for term in glossary.terms:
        for el in _entry(page, term.id):
            if el.name == "p" and el.get_text().startswith("Forms in the readings:"):
                shown = {f.strip() for f in el.get_text().split(":", 1)[1].split(",")}
                assert not shown & set(term.misspellings), term.id
    kolkhoztsentr = " ".join(el.get_text() for el in _entry(page, "kolkhoztsentr"))
    assert "Kolkhozsentr" not in kolkhoztsentr and "Kolkhoztsestr" not in kolkhoztsentr
    assert "dvadsatipiatitysiachniki" not in " ".join(el.get_text() for el in _entry(page, "twenty-five-thousanders"))


def test_used_in_links_go_to_the_first_use(built_site: Path, page) -> None:
    """The "Used in" link of a reading page lands on the first paragraph/note marked for the term."""
    checked = 0
    soups: dict[str, tuple] = {}    # each reading page parsed once (and its anchored blocks found), not per link
    for head in page.select("h2[id]")[:60]:
        for el in _entry(page, head["id"]):
            if el.name == "p" and el.get_text().startswith("Used in:"):
                for a in el.find_all("a", href=True):
                    href = unquote(a["href"])
                    if "readings/" not in href:
                        continue
                    target, _, anchor = href.partition("#")
                    assert anchor, f"{head['id']}: {href} goes to the top of the page"
                    if target not in soups:
                        parsed = BeautifulSoup((built_site / target).read_text(encoding="utf-8"), "lxml")
                        soups[target] = (parsed, parsed.find_all(id=re.compile(r"^(p\d+|fn:\d+|note-[\w-]+)$")))
                    soup, anchored = soups[target]
                    block = soup.find(id=anchor)
                    assert block is not None, href
                    # of the anchored paragraphs and notes (the blocks a link can land on), the first
                    # one holding a glossary link to this term is that block (an epigraph or heading
                    # before it has no anchor to land on)
                    rx = re.compile(rf"glossary\.html#{re.escape(head['id'])}$")
                    def uses(b) -> bool:  # a marked use, or a later one in its section (span.gx, issue 11)
                        return b.find("a", class_="gl", href=rx) is not None or \
                            b.find(attrs={"data-g": head["id"]}) is not None   # span.gx, span.gl-cited
                    first = next((b for b in anchored if uses(b)), None)
                    if first is None:  # used only in a table: the link lands on the table
                        assert uses(block), href
                    else:
                        assert first.get("id") == anchor, (href, first.get("id"))
                    checked += 1
    assert checked > 40


def test_viola_glossary_shows_the_artel_note_beside_the_entry(built_site: Path) -> None:
    soup = BeautifulSoup((built_site / "readings/viola/glossary.html").read_text(encoding="utf-8"), "lxml")
    first_dd = soup.find("dd")
    assert "form of collective" in first_dd.get_text()
    note = first_dd.find(class_="damage")
    assert note is not None and "artel" in note.get_text()
    assert note.get("role") == "note"


def test_glossary_filter_works_offline_in_chromium(browser, offline_site: Path) -> None:
    page = browser.new_page()
    try:
        page.goto((offline_site / "glossary.html").as_uri())
        box = page.locator("#gl-filter-input")
        box.wait_for(state="visible")
        assert page.locator("h2#kulak").is_visible()
        box.fill("Bukharin")
        assert page.locator("h2#bukharin").is_visible()
        assert page.locator("h2#right-deviation").is_visible()  # mentions Bukharin
        assert not page.locator("h2#kulak").is_visible()
        assert not page.locator(".gl-views li:has(a[href='#kulak'])").is_visible()
        assert "entries match" in page.locator("#gl-filter-status").inner_text()
        box.fill("andrle")  # accents and case ignored
        assert page.locator("h2#andrle").is_visible()
        box.press("Escape")
        assert page.locator("h2#kulak").is_visible() and page.locator("#gl-filter-status").inner_text() == ""
        # keyboard: the box is in the tab order, and typing into it filters
        assert box.evaluate("e => e.tabIndex") >= 0
        box.focus()
        page.keyboard.type("okrug")
        page.locator("h2#stalin").wait_for(state="hidden", timeout=5000)   # filtered as the keys arrive
        assert page.locator("h2#okrug").is_visible() and box.input_value() == "okrug"
    finally:
        page.close()
