"""The timeline page: at least 40 events, each linked to the paragraphs that state its date.

Checked on the built HTML: every event links to a paragraph that exists on its page, and the
year of the event is printed in one of the paragraphs it links to (the promise that every date is
stated by a reading). Bad entries stop the build at their line.
"""
from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from bs4 import BeautifulSoup



@pytest.fixture(scope="module")
def timeline(built_site: Path) -> BeautifulSoup:
    return BeautifulSoup((built_site / "timeline.html").read_text(encoding="utf-8"), "html.parser")


def test_at_least_forty_events_each_linked_to_a_paragraph_that_states_its_year(timeline: BeautifulSoup,
                                                                                 built_site: Path) -> None:
    events = timeline.select("article li")
    assert len(events) >= 40, len(events)
    pages: dict[Path, BeautifulSoup] = {}
    for li in events:
        year = re.search(r"\b(19[0-4]\d)\b", li.strong.get_text()).group(1)
        links = [a["href"] for a in li.select(".timeline-refs a") if "readings/" in a["href"]]
        assert links, f"no passage link: {li.get_text()[:80]}"
        texts = []
        for href in links:
            parts = urlsplit(href)
            target = (built_site / "timeline.html").parent.joinpath(parts.path).resolve()
            if target not in pages:
                pages[target] = BeautifulSoup(target.read_text(encoding="utf-8"), "html.parser")
            element = pages[target].find(id=parts.fragment)
            assert element is not None, f"{href}: no such paragraph"
            texts.append(element.get_text(" "))
        assert any(year in t or f"{int(year) - 1}–{year[2:]}" in t for t in texts), \
            f"{li.get_text()[:80]}: {year} is not in the linked paragraphs"


def test_years_are_anchors_for_the_guides(timeline: BeautifulSoup) -> None:
    for year in ("1921", "1929", "1930", "1937"):
        assert timeline.find(id=f"year-{year}") is not None


@pytest.fixture
def scratch(tmp_path: Path):
    from tests.project_copy import scratch_paths

    return scratch_paths(tmp_path)


@pytest.mark.parametrize("old, new, message", [
    ('    passages: ["@goldman#p3"]', '    passages: ["@goldman#p9999"]', "no passage '@goldman#p9999'"),
    ('  - date: "1917-10"', '  - date: "1917-11"', "no cited passage states November 1917"),
    ('  - date: "1917-10"', '  - date: "Oct 1917"', "'date' 'Oct 1917'"),
    ('    essays: []', '    essays: [no-such-essay]', "there is no essay 'no-such-essay'"),
])
def test_a_bad_event_stops_the_build_at_its_line(scratch, old: str, new: str, message: str) -> None:
    from scripts.pipeline import generate
    from scripts.core.errors import BuildError

    path = scratch.root / "data" / "timeline.yml"
    text = path.read_text(encoding="utf-8")
    if old == "    essays: []":
        text = text.replace('    passages: ["@goldman#p3"]', '    passages: ["@goldman#p3"]\n    essays: []', 1)
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    with pytest.raises(BuildError) as err:
        generate(scratch)
    assert err.value.path.endswith("timeline.yml") and err.value.line and message in str(err.value), str(err.value)
    assert not scratch.docs.exists()
