"""An essay cites a bibliography entry as ``@key``: the build writes the Chicago note (citeproc-js),
links it to the entry, lists the essay under the entry's "cited in", and gives the essay its own
"Cite this"; an unknown key stops the build at its line. Run on a scratch copy with a test essay."""
from __future__ import annotations

from pathlib import Path

import pytest

from scripts.paths import Paths
from scripts.pipeline import generate
from scripts.core.errors import BuildError
from tests.project_copy import scratch_paths

ROOT = Path(__file__).resolve().parent.parent
ESSAY = """---
title: "Workers in the Countryside"
author: "A. Student"
date: 2026-05-01
summary: "A test essay that cites the bibliography by key. It also cites one passage."
readings: [viola]
---

# Workers in the Countryside

Viola's book draws on Danilov's demography.[^1] Kuromiya's study is cited in two readings
(@kuromiya1988stalins), and a passage is cited as @viola/chapter-2#p14.

[^1]: @danilov1970dinamika, 245; see also @selunskaiia1964rabochie.
"""


#: one worker builds the module's scratch project once for every test of this file
pytestmark = pytest.mark.xdist_group("essay-citations")

@pytest.fixture(scope="module")
def scratch(tmp_path_factory) -> Paths:
    root = tmp_path_factory.mktemp("essay")
    scratch_paths(root)
    (root / "content" / "essays").mkdir(exist_ok=True)
    (root / "content" / "essays" / "zz-test-citations.md").write_text(ESSAY, encoding="utf-8")
    return Paths(root)


@pytest.fixture(scope="module")
def built(scratch: Paths) -> Paths:
    generate(scratch)
    return scratch


def test_key_becomes_the_linked_chicago_note(built: Paths) -> None:
    md = (built.docs / "essays" / "zz-test-citations.md").read_text(encoding="utf-8")
    assert ('[^1]: <a class="cite-link cite-entry" href="../bibliography/viola.html#danilov1970dinamika">'
            "V. P. Danilov, “Dinamika naseleniia SSSR za 1917–29 gg.,” in <i>Arkheograficheskii ezhegodnik za "
            "1968 god</i> (Nauka, 1970), 245</a>; see also") in md
    assert 'href="../bibliography/cited-works.html#kuromiya1988stalins">Hiroaki Kuromiya, <i>Stalin’s Industrial' in md
    assert "@viola/chapter-2#p14" not in md and "chapter-2.md#p14" in md   # the essays stage links the passage
    assert "@danilov" not in md and "@selunskaiia" not in md


def test_essay_is_listed_under_cited_in(built: Paths) -> None:
    page = (built.docs / "bibliography" / "viola.md").read_text(encoding="utf-8")
    entry = next(l for l in page.split("\n") if 'id="danilov1970dinamika"' in l)
    assert 'href="../essays/zz-test-citations.html#fn:1">Workers in the Countryside, n. 1</a>' in entry
    assert 'data-count="4"' in entry          # Viola ch. 1 nn. 1, 2, 31 and the essay


def test_essay_has_cite_this_and_meta_tags(built: Paths) -> None:
    md = (built.docs / "essays" / "zz-test-citations.md").read_text(encoding="utf-8")
    assert '<summary>Cite this essay</summary>' in md
    assert 'citation_title: "Workers in the Countryside"' in md and 'citation_author: ["Student, A."]' in md
    # Chicago title-cases the site's name as the container of a web page
    assert 'id="cite-chicago-note">A. Student, “Workers in the Countryside,” Revolution from Above — an Annotated Reader, 2026, ' in md
    assert (built.docs / "cite" / "essays-zz-test-citations.bib").exists()


def test_unknown_key_stops_the_build_at_its_line(scratch: Paths, tmp_path: Path) -> None:
    essay = scratch.content / "essays" / "zz-test-citations.md"
    good = essay.read_text(encoding="utf-8")
    try:
        essay.write_text(good.replace("@selunskaiia1964rabochie", "@selunskaia1964rabochie"), encoding="utf-8")
        with pytest.raises(BuildError) as info:
            generate(scratch)
        err = info.value
        line = next(n for n, l in enumerate(ESSAY.split("\n"), 1) if "@selunskaiia1964rabochie" in l)
        assert err.path.endswith("essays/zz-test-citations.md") and err.line == line
        assert "'@selunskaia1964rabochie' is not a key" in err.message and "bib/" in err.hint
    finally:
        essay.write_text(good, encoding="utf-8")
