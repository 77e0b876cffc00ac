"""Glossary tooltips in the BUILT site (python -m scripts.build + mkdocs build --strict).

What a reader gets: every form of every glossary term in the reading pages is a link
``<a class="gl" href="…/glossary.html#id" title="short definition">`` – never inside a heading,
another link or code –, the glossary page lists where each term is used with the right counts,
and in a real browser (Debian Chromium through Playwright) the definition appears on hover and on
keyboard focus, and Enter / a tap opens it in a popover in place, from which "More in the
glossary" leads to the entry.

Uses the session fixtures of tests/conftest.py (``built_site``). The browser tests are skipped
with a message when /usr/bin/chromium is missing, and fail instead when CI=true.
"""
from __future__ import annotations

import functools
import html
import re
from collections import Counter
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote

import pytest

from scripts.glossary.terms import Glossary, load_glossary

ROOT = Path(__file__).resolve().parent.parent
GLOSSARY_HTML = "glossary.html"

#: Reading pages that must carry tooltips (the running text of every reading).
ANNOTATED = [
    "readings/viola/introduction.html", *[f"readings/viola/chapter-{n}.html" for n in range(1, 8)],
    "readings/viola/conclusion.html", "readings/hatch/index.html", "readings/siegelbaum-suny/index.html",
    "readings/bw-review/index.html", "readings/goldman/index.html",
]
#: Back matter and apparatus that must carry none.
NOT_ANNOTATED = [
    "readings/viola/bibliography.html", "readings/viola/book-index.html", "readings/viola/about.html",
    "readings/index.html", GLOSSARY_HTML,
]
HEADINGS = {"h1", "h2", "h3", "h4", "h5", "h6"}
VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}


# ------------------------------------------------------------------------------------------------
# HTML reading
# ------------------------------------------------------------------------------------------------


@dataclass
class GlossaryLink:
    """One marked occurrence: a glossary link (``a.gl``, the first in its section that can be a
    link), a later occurrence (``span.gx``, ``linked`` False, shown only in the "every occurrence"
    setting), or an occurrence in or around a citation link of a note (``span.gl-cited``, ``cited``
    True: a use of the term that is never a link, since a link may not hold one)."""
    href: str
    title: str
    text: str
    ancestors: tuple[str, ...]
    linked: bool = True
    section: int = 0
    cited: bool = False


@dataclass
class PageScan:
    """What a page's main content (the <article>) holds: glossary links, and the text outside any
    link, heading or code, by zone:

    * "running": the reading's own prose – numbered paragraphs (``p#pN``, also in block quotes and
      the abstract), footnotes (``li#fn:N``) and note lists (``div.note-entry``);
    * "table": cells, captions and notes of the source's tables (``figure.edition-table``);
    * "attribution": epigraph attributions (``figure.epigraph figcaption``).

    Text the edition adds (citation box, "Details printed in the source", rights note, editorial
    apparatus) is in no zone: it is not the reading's text and is not annotated.
    """

    links: list[GlossaryLink] = field(default_factory=list)
    free_text: dict[str, list[str]] = field(default_factory=lambda: {"running": [], "table": [], "attribution": []})
    ids: set[str] = field(default_factory=set)


class _Scanner(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[tuple[str, dict[str, str]]] = []
        self.scan = PageScan()
        self._link: GlossaryLink | None = None
        self._link_tag = ""
        self._article_depth: int | None = None
        self._section = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if "id" in a:
            self.scan.ids.add(a["id"])
        if tag in VOID:
            return
        self.stack.append((tag, a))
        if tag == "article" and self._article_depth is None:
            self._article_depth = len(self.stack)
        if tag in HEADINGS and self._article_depth is not None:
            self._section += 1
        classes = a.get("class", "").split()
        if tag == "a" and "gl" in classes and self._article_depth is not None:
            self._link = GlossaryLink(a.get("href", ""), a.get("title", ""), "",
                                      tuple(t for t, _ in self.stack[:-1]), section=self._section)
            self._link_tag = tag
        elif tag == "span" and "gx" in classes and self._article_depth is not None:
            self._link = GlossaryLink("#" + a.get("data-g", ""), a.get("title", ""), "",
                                      tuple(t for t, _ in self.stack[:-1]), linked=False, section=self._section)
            self._link_tag = tag
        elif tag == "span" and "gl-cited" in classes and self._article_depth is not None:
            self._link = GlossaryLink("#" + a.get("data-g", ""), a.get("title", ""), "",
                                      tuple(t for t, _ in self.stack[:-1]), linked=False, section=self._section,
                                      cited=True)
            self._link_tag = tag

    def handle_endtag(self, tag: str) -> None:
        if tag in VOID:
            return
        while self.stack:
            top, _ = self.stack.pop()
            if self._article_depth is not None and len(self.stack) < self._article_depth:
                self._article_depth = None
            if top == self._link_tag and self._link is not None:
                self.scan.links.append(self._link)
                self._link = None
            if top == tag:
                break

    def handle_data(self, data: str) -> None:
        if self._link is not None:
            self._link.text += data
            return
        if self._article_depth is None:
            return
        tags = {t for t, _ in self.stack}
        classes = {c for _, a in self.stack for c in a.get("class", "").split()}
        if tags & (HEADINGS | {"a", "code", "pre", "script", "style", "nav", "kbd"}) or "headerlink" in classes:
            return
        zone = _zone(self.stack)
        if zone == "running" and tags & {"em", "strong"} and _in_note(self.stack):
            return  # notes' italics are titles of works, never marked (scripts/glossary/terms.py)
        if zone:
            self.scan.free_text[zone].append(data)


def _in_note(stack: list[tuple[str, dict[str, str]]]) -> bool:
    return any((t == "li" and a.get("id", "").startswith("fn:")) or "note-entry" in a.get("class", "").split()
               for t, a in stack)


def _zone(stack: list[tuple[str, dict[str, str]]]) -> str | None:
    zone = None
    for tag, attrs in stack:
        classes = attrs.get("class", "").split()
        ident = attrs.get("id", "")
        if tag == "figure" and "edition-table" in classes:
            return "table"
        if tag == "figcaption" and any(t == "figure" and "epigraph" in a.get("class", "").split() for t, a in stack):
            return "attribution"
        if (tag == "p" and re.fullmatch(r"p\d+", ident)) or (tag == "li" and ident.startswith("fn:")) \
                or (tag == "div" and "note-entry" in classes):
            zone = "running"
    return zone


@functools.lru_cache(maxsize=None)
def _scan_cached(path: str) -> PageScan:
    parser = _Scanner()
    parser.feed(Path(path).read_text(encoding="utf-8"))
    return parser.scan


def scan(site: Path, rel: str) -> PageScan:
    return _scan_cached(str(site / rel))


def term_of(link: GlossaryLink) -> str:
    return link.href.rsplit("#", 1)[1]


def reading_pages(site: Path) -> list[str]:
    return sorted(p.relative_to(site).as_posix() for p in (site / "readings").rglob("*.html"))


@pytest.fixture(scope="module")
def glossary() -> Glossary:
    return load_glossary(ROOT / "data" / "glossary.yml")


# ------------------------------------------------------------------------------------------------
# Static checks over the built HTML
# ------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("rel", ANNOTATED)
def test_reading_pages_carry_tooltips(built_site: Path, rel: str) -> None:
    assert scan(built_site, rel).links, f"{rel}: no glossary tooltips"


@pytest.mark.parametrize("rel", NOT_ANNOTATED)
def test_back_matter_carries_none(built_site: Path, rel: str) -> None:
    text = (built_site / rel).read_text(encoding="utf-8")
    assert 'class="gl"' not in text


# (reading folder, link text exactly as the reading prints it, term id). Sentence-initial capitals,
# plurals, possessives, curly apostrophes, Viola's spaced "sel' sovet" and the OCR misspellings.
SAMPLES = [
    ("viola", "Kulaks", "kulak"), ("viola", "kulaks", "kulak"), ("viola", "kulak's", "kulak"),
    ("viola", "okrugs", "okrug"), ("viola", "Okrug", "okrug"),
    ("viola", "sel'sovets", "selsovet"), ("viola", "sel’sovet", "selsovet"),
    ("viola", "sel' sovet", "selsovet"), ("viola", "sel' soviets", "selsovet"),
    ("viola", "Dekulakization", "dekulakization"), ("viola", "dekulakized", "dekulakization"),
    ("viola", "Kolkhoztsentr", "kolkhoztsentr"), ("viola", "Kolkhoztsentr's", "kolkhoztsentr"),
    ("viola", "artels", "artel"), ("viola", "podkulachniki", "podkulachnik"), ("viola", "peregibshchiks", "peregibshchik"),
    ("viola", "pod''em", "podem"), ("viola", "25,000ers", "twenty-five-thousanders"),
    ("viola", "25,000er's", "twenty-five-thousanders"), ("viola", "dvadtsatipiatitysiachniki", "twenty-five-thousanders"),
("viola", "OGPU", "ogpu"), ("viola", "NEPmen", "nepmen"),
    ("hatch", "lenintsy", "lenintsy"), ("hatch", "ot stanka", "ot-stanka"), ("hatch", "khvostizm", "khvostizm"),
    ("hatch", "Lenin Levy", "lenin-levy"),
    ("siegelbaum-suny", "edinonachalie", "one-man-management"), ("siegelbaum-suny", "vydvizhentsy", "vydvizhenie"),
    ("siegelbaum-suny", "Stakhanovite", "stakhanovite"), ("siegelbaum-suny", "totalitarian model", "totalitarian-school"),
    ("bw-review", "25 000ers", "twenty-five-thousanders"), ("bw-review", "revisionists", "revisionist"),
    ("bw-review", "one-man management", "one-man-management"), ("bw-review", "CPSU", "cpsu"),
    ("goldman", "scissor's crisis", "scissors-crisis"), ("goldman", "primitive socialist accumulation", "primitive-socialist-accumulation"),
    ("goldman", "lishentsy", "lishentsy"), ("goldman", "NKVD", "nkvd"), ("goldman", "smychka", "smychka"),
]


@pytest.mark.parametrize("reading, text, term_id", SAMPLES)
def test_real_forms_show_the_right_definition(built_site: Path, glossary: Glossary, reading: str, text: str,
                                              term_id: str) -> None:
    # the readings' apostrophes are curly since the typography rule (issue 18): compare them folded
    fold = str.maketrans({"’": "'", "‘": "'"})
    found = [link for rel in reading_pages(built_site) if rel.startswith(f"readings/{reading}/")
             for link in scan(built_site, rel).links if " ".join(link.text.split()).translate(fold) == text.translate(fold)]
    assert found, f"no tooltip on {text!r} in {reading}"
    for link in found:
        assert term_of(link) == term_id
        if link.linked:
            assert not link.title  # reader.js sets it from glossary-definitions.js
            assert unquote(link.href.split("#")[0]).endswith(GLOSSARY_HTML)
        else:
            assert not link.title, "a later occurrence must not repeat the definition"


@pytest.mark.parametrize("rel", ANNOTATED)
def test_only_the_first_occurrence_in_each_section_is_a_link(built_site: Path, rel: str) -> None:
    """Heading to heading, a term is underlined (linked) once: its first occurrence that can be a
    link; the later ones are plain ``span.gx`` marks without a tab stop or a repeated definition.
    An occurrence in or around a citation link (``span.gl-cited``) is never a link and does not
    take the section's link away from the next occurrence (issue 11)."""
    seen: set[tuple[int, str]] = set()
    later = 0
    for link in scan(built_site, rel).links:
        key = (link.section, term_of(link))
        if link.cited:
            assert not link.linked and not link.title, f"{rel}: {link.text!r} (section {link.section})"
            continue
        assert link.linked == (key not in seen), f"{rel}: {link.text!r} (section {link.section})"
        later += key in seen
        seen.add(key)
    assert not [link for link in scan(built_site, rel).links if link.title], \
        f"{rel}: definitions belong in glossary-definitions.js, not in every link"
    if rel == "readings/viola/chapter-4.html":
        assert later > 100, "chapter 4 should have many later occurrences"
        assert sum(link.linked for link in scan(built_site, rel).links) < 300


def test_no_tooltip_in_headings_links_or_code(built_site: Path) -> None:
    for rel in reading_pages(built_site) + [GLOSSARY_HTML, "index.html"]:
        for link in scan(built_site, rel).links:
            # a use inside a citation link is a span without tooltip or link (span.gl-cited): allowed
            bad = set(link.ancestors) & (HEADINGS | {"code", "pre", "nav"} | (set() if link.cited else {"a"}))
            assert not bad, f"{rel}: tooltip {link.text!r} inside {bad}"
        raw = (built_site / rel).read_text(encoding="utf-8")
        for heading in re.findall(r"<h[1-6][^>]*>(.*?)</h[1-6]>", raw, re.S):
            assert 'class="gl"' not in heading, f"{rel}: tooltip in a heading"
        assert not re.search(r'title="[^"]*class=(&quot;|")gl', raw), f"{rel}: annotation inside an attribute"


def _misses(built_site: Path, glossary: Glossary, zone: str) -> list[tuple[str, str]]:
    """Re-run the matcher over the text the site shows outside links, headings and code in one zone:
    any term form found there is a missed tooltip."""
    annotator = glossary.annotator()
    misses = []
    for rel in ANNOTATED:
        page = rel.replace(".html", ".md")
        for text in scan(built_site, rel).free_text[zone]:
            out = annotator.annotate(html.escape(text, quote=False), page)
            misses += [(rel, m) for m in re.findall(r'class="gl"[^>]*>(.*?)</a>', out, re.S)]
    return misses


def test_every_term_occurrence_in_the_running_text_and_notes_is_annotated(built_site: Path, glossary: Glossary) -> None:
    assert scan(built_site, "readings/viola/chapter-4.html").free_text["running"], "zone detection broken"
    misses = _misses(built_site, glossary, "running")
    assert not misses, f"unannotated term forms: {misses[:20]}"


@pytest.mark.parametrize("zone", ["table", "attribution"])
def test_every_term_occurrence_in_tables_and_epigraph_attributions_is_annotated(built_site: Path, glossary: Glossary,
                                                                                zone: str) -> None:
    assert scan(built_site, "readings/viola/chapter-4.html").free_text[zone], "zone detection broken"
    misses = _misses(built_site, glossary, zone)
    assert not misses, f"unannotated term forms: {misses[:20]}"


def test_every_tooltip_links_to_an_existing_entry(built_site: Path, glossary: Glossary) -> None:
    ids = scan(built_site, GLOSSARY_HTML).ids
    for rel in ANNOTATED:
        for link in (link for link in scan(built_site, rel).links if link.linked):
            target = (built_site / rel).parent / unquote(link.href.split("#")[0])
            assert target.resolve() == (built_site / GLOSSARY_HTML).resolve(), (rel, link.href)
            assert term_of(link) in ids and term_of(link) in glossary.by_id


def _used_in(built_site: Path) -> dict[str, dict[str, int]]:
    """term id -> {page (site-relative) -> count} as printed in the glossary page's "Used in:" lines."""
    raw = (built_site / GLOSSARY_HTML).read_text(encoding="utf-8")
    sections = re.split(r'<h2 id="', raw)[1:]
    result: dict[str, dict[str, int]] = {}
    for section in sections:
        term_id = section.split('"', 1)[0]
        used = re.search(r"<p>Used in:(.*?)</p>", section, re.S)
        pages: dict[str, int] = {}
        if used:
            # links go to the page's first use (page.html#p12) or, for pages without anchors, the page
            for href, count in re.findall(r'<a href="([^"#]+)(?:#[^"]*)?"[^>]*>.*?</a>\s*\((\d+)\)', used.group(1), re.S):
                rel = (built_site / unquote(href)).resolve().relative_to(built_site.resolve()).as_posix()
                pages[rel] = int(count)
        result[term_id] = pages
    return result


def test_used_in_counts_equal_the_annotations(built_site: Path, glossary: Glossary) -> None:
    used = _used_in(built_site)
    assert set(used) >= {t.id for t in glossary.terms}
    actual: dict[str, Counter[str]] = {}
    essays = sorted(p.relative_to(built_site).as_posix() for p in (built_site / "essays").glob("*.html"))
    for rel in reading_pages(built_site) + essays:      # the essays count too (issue 7)
        for link in scan(built_site, rel).links:
            actual.setdefault(term_of(link), Counter())[rel] += 1
    for term in glossary.terms:
        assert used[term.id] == dict(actual.get(term.id, {})), term.id
    assert len(actual) >= 80, "fewer than 80 terms annotated anywhere"


def test_glossary_page_entries(built_site: Path, glossary: Glossary) -> None:
    page = scan(built_site, GLOSSARY_HTML)
    raw = (built_site / GLOSSARY_HTML).read_text(encoding="utf-8")
    h2_ids = re.findall(r'<h2 id="([^"]+)"', raw)
    views = {"archival-citations", "browse", "a-z"}  # the grouped views and the A–Z heading
    assert [i for i in h2_ids if i not in views] == [t.id for t in glossary.terms]
    assert "archival-citations" in page.ids
    kulak = raw[raw.index('<h2 id="kulak"'):]
    kulak = kulak[:kulak.index("<h2", 5)]
    assert html.escape(glossary.by_id["kulak"].short, quote=False) in kulak
    assert "Viola's glossary" in kulak and "кулак" in kulak
    assert 'href="#dekulakization"' in kulak


# ------------------------------------------------------------------------------------------------
# In a browser: hover, keyboard and touch
# ------------------------------------------------------------------------------------------------


ACTIVE_TOOLTIP = ".md-tooltip2--active"
PAGE = "readings/viola/chapter-4.html"


def _first_term(page, term_id: str):
    link = page.locator(f'article a.gl[href$="#{term_id}"]').first
    link.scroll_into_view_if_needed()
    return link


def test_hover_shows_the_definition(browser, site_url: str, glossary: Glossary) -> None:
    page = browser.new_page()
    try:
        page.goto(f"{site_url}/{PAGE}")
        link = _first_term(page, "kulak")
        link.hover()
        tip = page.locator(ACTIVE_TOOLTIP)
        tip.wait_for(state="visible", timeout=5000)
        assert tip.inner_text().strip() == glossary.by_id["kulak"].tooltip
    finally:
        page.close()


def test_keyboard_tab_reaches_the_term_shows_it_and_enter_opens_the_entry(browser, site_url: str,
                                                                         glossary: Glossary) -> None:
    page = browser.new_page()
    try:
        page.goto(f"{site_url}/{PAGE}")
        link = _first_term(page, "okrug")
        # put focus on the element just before the term in tab order, then press Tab once
        page.evaluate("""(el) => {
            const tabbable = [...document.querySelectorAll('a[href], button, input, select, textarea, [tabindex]')]
                .filter(e => e.tabIndex >= 0 && !e.disabled && e.getClientRects().length);
            tabbable[tabbable.indexOf(el) - 1].focus();
        }""", link.element_handle())
        page.keyboard.press("Tab")
        assert page.evaluate("(el) => document.activeElement === el", link.element_handle())
        tip = page.locator(ACTIVE_TOOLTIP)
        tip.wait_for(state="visible", timeout=5000)
        assert tip.inner_text().strip() == glossary.by_id["okrug"].tooltip
        url = page.url
        # Enter opens the definition in place (a popover that takes the focus), not the glossary
        page.keyboard.press("Enter")
        pop = page.locator(".rd-pop")
        pop.wait_for(state="visible", timeout=5000)
        assert page.url == url
        assert glossary.by_id["okrug"].tooltip in pop.inner_text()
        assert page.evaluate("() => document.activeElement.closest('.rd-pop') !== null")
        # Tab reaches "More in the glossary"; Enter on it opens the entry
        page.keyboard.press("Tab")
        assert page.evaluate("() => document.activeElement.textContent") == "More in the glossary"
        page.keyboard.press("Enter")
        page.wait_for_url(re.compile(r"glossary\.html#okrug$"))
        heading = page.locator("h2#okrug")
        assert heading.is_visible() and heading.evaluate("e => e.getBoundingClientRect().top < innerHeight")
        assert glossary.by_id["okrug"].short in page.locator("article").inner_text()
    finally:
        page.close()


def test_tap_on_a_touch_screen_shows_the_definition_in_place(browser, site_url: str, glossary: Glossary) -> None:
    """At phone width a tap opens a popover with the short definition, without leaving the page;
    Escape closes it; "More in the glossary" inside it leads to the entry."""
    context = browser.new_context(has_touch=True, is_mobile=True, viewport={"width": 390, "height": 844})
    page = context.new_page()
    try:
        page.goto(f"{site_url}/{PAGE}")
        url = page.url
        link = _first_term(page, "selsovet")
        link.tap()
        pop = page.locator(".rd-pop")
        pop.wait_for(state="visible", timeout=5000)
        page.wait_for_timeout(300)
        assert page.url == url, "the tap navigated"
        assert glossary.by_id["selsovet"].tooltip in pop.inner_text()
        assert pop.get_attribute("role") == "dialog" and pop.get_attribute("aria-label")
        page.keyboard.press("Escape")
        assert pop.count() == 0
        link.tap()
        page.locator(".rd-pop a.rd-pop__more").tap()
        page.wait_for_url(re.compile(r"glossary\.html#selsovet$"))
        heading = page.locator("h2#selsovet")
        assert heading.evaluate("e => { const r = e.getBoundingClientRect(); return r.top >= 0 && r.top < innerHeight; }")
    finally:
        context.close()
