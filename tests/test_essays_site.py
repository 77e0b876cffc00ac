"""The essays, the reading guides and the "Discussed in" markers, tested on the BUILT site.

Everything here is read back from the HTML that `mkdocs build --strict` wrote — the essays' links and
footnotes, the readings' paragraphs — and counted or compared by this file's own rules, not by
scripts/course/essay_check.py or scripts/course/guides.py, so that a bug in either shows up here.
"""
from __future__ import annotations

import json
import math
import re
from functools import lru_cache
from pathlib import Path
from urllib.parse import unquote, urljoin, urlsplit

import pytest
from bs4 import BeautifulSoup

from scripts.core.passages import normalise as norm
from scripts.course.essay_check import quote_found as found  # the checker's rule, on the built pages' text

ROOT = Path(__file__).resolve().parent.parent
MIN_ESSAYS, MIN_WORDS, MAX_WORDS, MIN_CITATIONS = 8, 1800, 3500, 8
VIOLA_BODY = ["introduction"] + [f"chapter-{n}" for n in range(1, 8)] + ["conclusion"]
GUIDED = ([f"readings/viola/{p}.html" for p in VIOLA_BODY] + ["readings/viola/index.html"] +
          [f"readings/{r}/index.html" for r in ("hatch", "siegelbaum-suny", "bw-review", "goldman")])


@lru_cache(maxsize=None)
def _soup(path: str) -> BeautifulSoup:
    return BeautifulSoup(Path(path).read_text(encoding="utf-8"), "html.parser")


def soup(site: Path, rel: str) -> BeautifulSoup:
    return _soup(str(site / rel))


def article(site: Path, rel: str):
    """The page's article without the "Cite this" box (issue 8), which cites the page, not a reading."""
    body = soup(site, rel).select_one("article")
    for box in body.select("details.cite-this, template.cite-template, .cite-print"):
        box.decompose()
    return body


def essay_files(site: Path) -> list[str]:
    return sorted(p.relative_to(site).as_posix() for p in (site / "essays").glob("*.html") if p.name != "index.html")


def words(text: str) -> int:
    """A word: a run of non-space characters containing a letter or a digit."""
    return sum(1 for t in text.split() if any(ch.isalnum() for ch in t))


def resolve(site: Path, page: str, href: str) -> tuple[str, str]:
    """(site-relative file, fragment) of a link on ``page``."""
    parts = urlsplit(urljoin(f"http://x/{page}", href))
    return parts.path.lstrip("/"), unquote(parts.fragment)


def reading_links(site: Path, page: str, element) -> list[tuple[str, str]]:
    """Links from ``element`` to a reading paragraph or note: (file, anchor)."""
    out = []
    for a in element.select("a[href]"):
        target, frag = resolve(site, page, a["href"])
        if target.startswith("readings/") and frag and "gl" not in (a.get("class") or []) \
                and re.fullmatch(r"p\d+|fn:\d+|note-(?:\d+|star)", frag):   # not a table a chart names
            out.append((target, frag))
    return out


def element_text(el) -> str:
    """Text of a passage as a reader sees it: no note numbers, back-links, markers or note labels."""
    el = BeautifulSoup(str(el), "html.parser")
    for junk in el.select("sup, .footnote-backref, .discussed-in, .note-entry > p > strong:first-child"):
        junk.decompose()
    return el.get_text("")


# ---- the essays -----------------------------------------------------------------------------------

def test_at_least_eight_essays_of_the_right_length(built_site: Path) -> None:
    essays = essay_files(built_site)
    assert len(essays) >= MIN_ESSAYS, f"only {len(essays)} essays: {essays}"
    for rel in essays:
        body = BeautifulSoup(str(article(built_site, rel)), "html.parser")
        for junk in body.select(".footnote, h1, h2, h3, h4, .headerlink"):
            junk.decompose()
        n = words(body.get_text(" "))
        assert MIN_WORDS <= n <= MAX_WORDS, f"{rel}: {n} words (must be {MIN_WORDS}–{MAX_WORDS})"


def test_every_citation_resolves_to_an_existing_anchor(built_site: Path) -> None:
    for rel in essay_files(built_site):
        cited = set(reading_links(built_site, rel, article(built_site, rel)))
        assert len(cited) >= MIN_CITATIONS, f"{rel}: only {len(cited)} passages cited"
        for target, frag in cited:
            assert (built_site / target).exists(), f"{rel} links to a missing page {target}"
            assert soup(built_site, target).find(id=frag), f"{rel} links to {target}#{frag}, which does not exist"


def test_citations_are_chicago_notes(built_site: Path) -> None:
    """First citation of Viola in full (author, title, publisher, year), later ones short, each linked
    to the passage it cites (the notes are the CSL processor's: tests/test_essay_notes_csl.py)."""
    for rel in essay_files(built_site):
        notes = [li for li in article(built_site, rel).select(".footnote li") if "viola/" in str(li)]
        if not notes:
            continue
        first, *later = [li.get_text(" ", strip=True) for li in notes]
        assert "Lynne Viola, The Best Sons of the Fatherland: Workers in the Vanguard" in first, f"{rel}: {first[:120]}"
        assert "Oxford University Press, 1987" in first
        assert not [n for n in later if "Best Sons of the Fatherland: Workers in the Vanguard" in n], f"{rel}: full form repeated"
        for li in notes:
            linked = [a for a in li.select("a.cite-passage") if "#" in a.get("href", "")]
            assert linked, f"{rel}: a note without its link to the passage: {li.get_text()[:80]}"
    md = (built_site / "essays" / "index.html").read_text(encoding="utf-8")
    assert "---" not in article(built_site, "essays/index.html").get_text()[:200]
    assert "summary:" not in md and "readings: [" not in md, "front matter shown raw"




def blocks(body) -> list:
    """The essay's paragraphs, list items and block quotations (footnotes excluded)."""
    out = []
    for el in body.select("p, li, blockquote"):
        if el.find_parent(class_="footnote") or el.find_parent("blockquote"):
            continue
        if el.name == "li" and el.find("p"):
            continue            # its paragraphs are blocks of their own
        out.append(el)
    return out


def quotations_of(site: Path, rel: str):
    """(quotation, [cited (file, anchor)]) for every quotation of five or more words in an essay."""
    body = article(site, rel)
    notes = {li["id"]: li for li in body.select(".footnote li[id]")}
    for block in blocks(body):
        cited = reading_links(site, rel, block)
        for ref in block.select("a.footnote-ref[href]"):
            note = notes.get(ref["href"].lstrip("#"))
            if note is not None:
                cited += reading_links(site, rel, note)
        text = BeautifulSoup(str(block), "html.parser")
        for junk in text.select("sup"):
            junk.decompose()
        for a in text.select("a[href]"):
            if resolve(site, rel, a["href"])[0].startswith("readings/"):
                a.decompose()            # a link's text names the page it links to (a title)
        plain = text.get_text("")
        if block.name == "blockquote":
            quotes = [plain.strip()] if words(plain) >= 5 else []
        else:
            quotes = [q for q in re.findall(r"“([^“”]+)”", plain) if words(q) >= 5]
        for q in quotes:
            yield q, cited


def test_every_quotation_is_word_for_word_in_the_paragraph_it_links_to(built_site: Path) -> None:
    checked, bad = 0, []
    for rel in essay_files(built_site):
        for quote, cited in quotations_of(built_site, rel):
            checked += 1
            sources = [element_text(soup(built_site, f).find(id=a)) for f, a in cited
                       if (built_site / f).exists() and soup(built_site, f).find(id=a)]
            if not any(found(quote, s) for s in sources):
                bad.append(f"{rel}: “{quote[:70]}…” not in {sorted(set(cited))[:4]}")
    assert checked >= 8 * len(essay_files(built_site)) // 2, f"only {checked} quotations found: the test finds none?"
    assert not bad, "\n".join(bad)


def test_quotation_check_can_fail() -> None:
    assert found("the model worker, the model activist", "was to be the model worker, the model activist, and")
    assert found("the model worker … the model revolutionary", "the model worker, the model activist, and the model revolutionary")
    assert not found("the model worker, the model soldier", "the model worker, the model activist")
    assert not found("the model revolutionary … the model worker", "the model worker, and the model revolutionary")


# ---- "Discussed in" markers -----------------------------------------------------------------------

def marker_of(element):
    """The "Discussed in" marker that belongs to a reading paragraph or note."""
    if element.name == "p":
        sibling = element.find_next_sibling()
        return sibling if sibling is not None and "discussed-in" in (sibling.get("class") or []) else None
    return element.select_one(".discussed-in")


def test_every_cited_paragraph_shows_its_marker_linking_back(built_site: Path) -> None:
    missing = []
    for rel in essay_files(built_site):
        body = article(built_site, rel)
        for target, frag in sorted(set(reading_links(built_site, rel, body))):
            el = soup(built_site, target).find(id=frag)
            marker = marker_of(el)
            if marker is None:
                missing.append(f"{target}#{frag} (cited by {rel}) has no marker")
                continue
            back = [resolve(built_site, target, a["href"]) for a in marker.select("a[href]")]
            mine = [f for page, f in back if page == rel]
            if not mine:
                missing.append(f"{target}#{frag}: the marker does not link to {rel}")
                continue
            place = body.find(id=mine[0])
            assert place is not None, f"{target}#{frag}: marker links to {rel}#{mine[0]}, which does not exist"
            # the place it lands on cites this very passage (a footnote reference or a link)
            cites = reading_links(built_site, rel, place)
            if place.name == "a":
                cites = [resolve(built_site, rel, place["href"])]
            elif place.name == "sup":
                note = body.find(id=place.a["href"].lstrip("#"))
                cites = reading_links(built_site, rel, note)
            assert (target, frag) in cites, f"{rel}#{mine[0]} does not cite {target}#{frag}"
            assert marker.get_text().startswith("Discussed in:")
    assert not missing, "\n".join(missing[:20])


def test_markers_are_only_on_cited_paragraphs(built_site: Path) -> None:
    cited = {t for rel in essay_files(built_site) for t in reading_links(built_site, rel, article(built_site, rel))}
    for page in sorted({t for t, _ in cited}):
        for marker in article(built_site, page).select(".discussed-in"):
            in_note = marker.find_parent(class_="note-entry") or marker.find_parent("li")
            owner = marker.find_parent(id=True) if in_note else marker.find_previous_sibling()
            assert owner is not None and (page, owner.get("id")) in cited, f"{page}: a marker on an uncited passage"


def test_markers_in_the_offline_bundle(offline_site: Path) -> None:
    page = "readings/viola/chapter-2.html"
    html = BeautifulSoup((offline_site / page).read_text(encoding="utf-8"), "html.parser")
    markers = html.select(".discussed-in a[href]")
    assert markers, "no markers in the offline bundle"
    for a in markers:
        target, frag = resolve(offline_site, page, a["href"])
        assert (offline_site / target).exists() and frag


# ---- reading guides ---------------------------------------------------------------------------------

FACTS = re.compile(r"([\d,]+) words of text(?: and ([\d,]+) in the notes)?: about (\d+) minutes at (\d+) words per minute")


def page_words(site: Path, rel: str) -> tuple[int, int]:
    """Words of a reading page counted from its HTML: anchored paragraphs; notes (footnotes or note list)."""
    body = article(site, rel)
    text = sum(words(element_text(p)) for p in body.find_all(id=re.compile(r"^p\d+$")))
    notes = sum(words(element_text(li)) for li in body.select(".footnote li[id^='fn:']"))
    notes += sum(words(element_text(div)) for div in body.select("div.note-entry[id]"))
    return text, notes


def guide_of(site: Path, rel: str):
    guide = article(site, rel).select_one("details.reading-guide")
    assert guide is not None, f"{rel} has no reading guide"
    return guide


@pytest.mark.parametrize("rel", GUIDED)
def test_every_reading_and_chapter_opens_with_a_guide(built_site: Path, rel: str) -> None:
    body = article(built_site, rel)
    guide = guide_of(built_site, rel)
    first = body.find(id="p1")
    if first is not None:
        assert guide.sourceline < first.sourceline, f"{rel}: the guide is not above the text"
    assert guide.select_one("summary").get_text(strip=True) == "Reading guide"
    assert words(guide.select_one(".guide-context").get_text()) >= 40
    questions = guide.select("ol > li")
    assert 3 <= len(questions) <= 5 and all("?" in q.get_text() for q in questions)


@pytest.mark.parametrize("rel", GUIDED)
def test_guide_word_count_and_reading_time_match_the_text(built_site: Path, rel: str) -> None:
    m = FACTS.search(guide_of(built_site, rel).get_text(" "))
    assert m, f"{rel}: the guide states no word count and reading speed"
    stated_text, stated_notes = int(m.group(1).replace(",", "")), int((m.group(2) or "0").replace(",", ""))
    minutes, wpm = int(m.group(3)), int(m.group(4))
    parts = [f"readings/viola/{p}.html" for p in VIOLA_BODY] if rel == "readings/viola/index.html" else [rel]
    counted = [page_words(built_site, p) for p in parts]
    text, notes = sum(c[0] for c in counted), sum(c[1] for c in counted)
    assert (stated_text, stated_notes) == (text, notes), f"{rel}: guide says {stated_text}+{stated_notes}, the page has {text}+{notes}"
    assert minutes == max(1, math.ceil((text + notes) / wpm))


@pytest.mark.parametrize("rel", GUIDED)
def test_guide_key_terms_are_the_most_annotated(built_site: Path, rel: str) -> None:
    parts = [f"readings/viola/{p}.html" for p in VIOLA_BODY] if rel == "readings/viola/index.html" else [rel]
    tally: dict[str, int] = {}
    for p in parts:
        body = BeautifulSoup(str(article(built_site, p)), "html.parser")
        for junk in body.select(".reading-guide"):
            junk.decompose()
        for a in body.select("a.gl[href]"):                 # a term's first mark in a section
            term = a["href"].split("#", 1)[1]
            tally[term] = tally.get(term, 0) + 1
        # its later occurrences (span.gx, issue 11) and the ones inside a citation link (span.gl-cited)
        for span in body.select("span.gx[data-g], span.gl-cited[data-g]"):
            tally[span["data-g"]] = tally.get(span["data-g"], 0) + 1
    listed = [a["href"].split("#", 1)[1] for a in guide_of(built_site, rel).select(".guide-terms a[href]")]
    assert listed, f"{rel}: no key terms"
    glossary = soup(built_site, "glossary.html")
    for term in listed:
        assert glossary.find(id=term), f"{rel}: key term {term} has no glossary entry"
    unlisted = [n for t, n in tally.items() if t not in listed]
    assert min(tally[t] for t in listed) >= max(unlisted, default=0), f"{rel}: the key terms are not the most frequent"


@pytest.mark.parametrize("rel", GUIDED)
def test_guide_discussed_in_lists_the_essays_that_cite_the_page(built_site: Path, rel: str) -> None:
    folder = rel.rsplit("/", 1)[0] + "/"
    expected = set()
    for essay in essay_files(built_site):
        for target, _ in reading_links(built_site, essay, article(built_site, essay)):
            if target == rel or (rel.endswith("viola/index.html") and target.startswith(folder)):
                expected.add(essay)
    listed = {resolve(built_site, rel, a["href"])[0] for a in guide_of(built_site, rel).select(".guide-essays a[href]")}
    assert listed == expected


# ---- index, nav, report ----------------------------------------------------------------------------

def test_essays_index_lists_every_essay_with_summary_and_readings(built_site: Path) -> None:
    index = article(built_site, "essays/index.html")
    for rel in essay_files(built_site):
        heading = [h for h in index.select("h2") if h.a and resolve(built_site, "essays/index.html", h.a["href"])[0] == rel]
        assert heading, f"the Essays index does not list {rel}"
        summary = heading[0].find_next_sibling("p")
        facts = summary.find_next_sibling("p")
        assert words(summary.get_text()) >= 15 and "Draws on:" in facts.get_text()
        readings = {resolve(built_site, "essays/index.html", a["href"])[0] for a in facts.select("a[href]")}
        assert len(readings) >= 2 and all(r.startswith("readings/") for r in readings)
    nav = soup(built_site, "index.html").select(".md-nav a[href]")
    assert any(resolve(built_site, "index.html", a["href"])[0] == "essays/index.html" for a in nav)


def test_build_report_lists_each_essay(built_site: Path, build_dir: Path) -> None:
    report = json.loads((build_dir / "report.json").read_text(encoding="utf-8"))
    by_id = {e["id"]: e for e in report["essays"]}
    assert set(by_id) == {Path(rel).stem for rel in essay_files(built_site)}
    md = (build_dir / "report.md").read_text(encoding="utf-8")
    for e in by_id.values():
        assert e["words"] > 0 and e["paragraph_citations"] > 0 and e["quotations_checked"] >= 0 and e["readings_used"]
        assert f"| {e['id']} | {e['words']} | {e['paragraph_citations']} | {e['quotations_checked']} |" in md
    assert report["pages_without_guide"] == []


def test_essays_follow_the_course_order(built_site: Path) -> None:
    """The Essays index lists the essays in the order of data/essays.yml (unlisted ones after, by title)."""
    import yaml
    order = yaml.safe_load((ROOT / "data" / "essays.yml").read_text(encoding="utf-8"))["order"]
    index = article(built_site, "essays/index.html")
    listed = [Path(resolve(built_site, "essays/index.html", h.a["href"])[0]).stem for h in index.select("h2") if h.a]
    present = [i for i in order if i in listed]
    assert listed[:len(present)] == present


def test_glossary_terms_are_annotated_in_essays_and_counted(built_site: Path) -> None:
    glossary = soup(built_site, "glossary.html")
    for rel in essay_files(built_site):
        terms = article(built_site, rel).select("a.gl[href]")
        assert terms, f"{rel}: no glossary tooltips"
        assert glossary.select(f'a[href$="{Path(rel).name}"]'), f"the glossary's 'used in' lists do not count {rel}"


@pytest.mark.parametrize("rel", GUIDED)
def test_quotations_in_a_guide_are_the_texts_words(built_site: Path, rel: str) -> None:
    """A guide quotes only words that stand in the reading itself (any of its pages)."""
    folder = rel.rsplit("/", 1)[0]
    pages = sorted(p.relative_to(built_site).as_posix() for p in (built_site / folder).glob("*.html"))
    text = []
    for p in pages:
        body = BeautifulSoup(str(article(built_site, p)), "html.parser")
        for junk in body.select(".reading-guide, .discussed-in, sup"):
            junk.decompose()
        text.append(body.get_text(" "))
    haystack = norm(" ".join(text)).lower()
    context = guide_of(built_site, rel).select_one(".guide-context").get_text("")
    questions = " ".join(li.get_text("") for li in guide_of(built_site, rel).select("ol > li"))
    for quote in re.findall(r"“([^“”]+)”", context + " " + questions):
        assert norm(quote).strip(" ,.").lower() in haystack, f"{rel}: the guide quotes “{quote}”, which the text does not say"
