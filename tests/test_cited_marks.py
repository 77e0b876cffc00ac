"""Glossary marks that meet citation links, in the BUILT site (scripts/glossary/cited_marks.py, issue 11).

A cited surname in a note is often a person of the glossary's who's who (Lenin, Iakovlev, Carr).
The citation link wins there: the glossary mark is a ``span.gl-cited`` (never a link, never a
``span.gx`` that the "every occurrence" setting would turn into a link inside the link), and the
section's glossary link goes to the term's next occurrence outside a citation. That the link is
there is checked for every section by tests/test_glossary_site.py
(``test_only_the_first_occurrence_in_each_section_is_a_link``); this file checks the spans
themselves and that the case really occurs, so that test is not passing vacuously.
"""
from __future__ import annotations

from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from tests.test_glossary_site import ANNOTATED, scan, term_of


def _soup(site: Path, rel: str) -> BeautifulSoup:
    return BeautifulSoup((site / rel).read_text(encoding="utf-8"), "lxml")


@pytest.mark.parametrize("rel", ANNOTATED)
def test_a_cited_use_is_a_span_in_or_around_a_citation_link(built_site: Path, rel: str) -> None:
    soup = _soup(built_site, rel)
    for span in soup.select("article span.gl-cited"):
        around = span.find_parent("a", class_="cite-link") is not None
        inside = span.find("a", class_="cite-link") is not None
        assert around or inside, f"{rel}: {span} is not at a citation link"
        assert span.get("data-g") and not span.has_attr("title") and not span.has_attr("tabindex"), span
        assert not span.find(class_=["gl", "gx"]), f"{rel}: a glossary mark inside {span}"
    for cite in soup.select("article a.cite-link"):
        assert not cite.find(["a", "span"], class_=["gl", "gx"]), f"{rel}: glossary mark inside a citation link: {cite}"
        assert cite.find_parent(class_=["gl", "gx"]) is None, f"{rel}: citation link inside a glossary mark: {cite}"
    assert "data-gl-first" not in str(soup), f"{rel}: the build's transient flag reached the page"


def test_a_section_whose_first_use_is_cited_links_the_next_use(built_site: Path) -> None:
    """Goldman's notes first name Preobrazhensky in a citation of his own book: the next mention in
    those notes is the glossary link. Over the readings the case occurs in several notes sections
    (Fitzpatrick, Filtzer, Siegelbaum, Andrle, Bukharin); before the fix it left them unlinked."""
    promoted = []
    for rel in ANNOTATED:
        cited: set[tuple[int, str]] = set()
        linked: set[tuple[int, str]] = set()
        for link in scan(built_site, rel).links:
            key = (link.section, term_of(link))
            if link.cited and key not in linked:
                cited.add(key)
            elif link.linked and key in cited:
                promoted.append((rel, key[1]))
                linked.add(key)
    assert ("readings/goldman/index.html", "preobrazhensky") in promoted, promoted
    assert len(promoted) >= 5, promoted
