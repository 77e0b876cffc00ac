"""The facts ledger (scripts/tools/facts_ledger.py, data/facts.yml) over the BUILT site.

Every year, date and figure in the edition's own prose (essays, reading guides, timeline, glossary
definitions, chart captions; quotations and the readings' own text left out) stands in a sentence
that carries a citation, or is covered by a ledger entry whose source states it. The check can
fail: a scratch essay with a deliberately unsourced year, built by the real pipeline, fails it.
"""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from scripts.core.errors import BuildError
from scripts.core.passages import load as load_passages
from scripts.tools import facts_ledger as fl

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def ledger(generated_docs: Path, build_dir: Path):
    facts, lines = fl.load_ledger()
    return facts, lines


def test_ledger_entries_have_real_sources(ledger) -> None:
    facts, lines = ledger
    assert facts, "data/facts.yml has no entries"
    fl.check_ledger(facts, lines, fl.LEDGER, load_passages(), fl.bib_keys())


def test_every_year_date_and_figure_of_our_prose_is_sourced(built_site: Path, ledger) -> None:
    facts, _ = ledger
    missing = fl.uncovered(built_site, facts, load_passages())
    assert not missing, (f"{len(missing)} years, dates or figures of the edition's own prose have neither a citation "
                         "in their sentence nor an entry in data/facts.yml (token, where, source):\n"
                         + "\n".join(f"  {t.where}: {t.token!r} in “{t.sentence[:120]}”" for t in missing[:40]))


def test_the_extractor_sees_each_kind_of_own_prose(built_site: Path) -> None:
    kinds = {where.split(":")[0] for where, *_ in fl.own_prose(built_site)}
    assert {"essay", "guide", "timeline", "glossary", "chart"} <= kinds, kinds


def test_quotations_references_and_cited_sentences_are_not_facts_to_source() -> None:
    text = ("Viola writes that “in 1930 the drive began.” See ch. 4, ¶ 17 and p. 112. "
            f"The plenum met in November 1929.{fl.CITE} The 25,000ers left in 1931.")
    got = [(tok, cited) for s, cited in fl.sentences(fl.QUOTED.sub(" ", text)) for tok in fl.tokens_of(s)]
    assert got == [("November 1929", True), ("1931", False)]


def test_a_bad_ledger_source_stops_with_its_line(tmp_path: Path, build_dir: Path) -> None:
    path = tmp_path / "facts.yml"
    path.write_text('facts:\n  - token: "1931"\n    where: essay:x\n    source: "@goldman#p17"\n', encoding="utf-8")
    facts, lines = fl.load_ledger(path)
    with pytest.raises(BuildError) as err:
        fl.check_ledger(facts, lines, path, load_passages(), fl.bib_keys())
    assert err.value.line == 4 and "does not state '1931'" in err.value.message


def test_fails_on_a_deliberately_unsourced_year_in_a_scratch_essay(built_site: Path, ledger,
                                                                    tmp_path: Path) -> None:
    """A scratch essay page (the built site copied, one essay with an added sentence) fails the check
    with exactly the new token; the same sentence with a citation passes."""
    site = tmp_path / "site"
    shutil.copytree(built_site / "essays", site / "essays")
    page = sorted(p for p in (site / "essays").glob("*.html") if p.name != "index.html")[0]
    html = page.read_text(encoding="utf-8")
    facts, _ = ledger
    before = {(t.token, t.where) for t in fl.uncovered(site, facts, load_passages())}
    marker = "<article"
    start = html.index(">", html.index(marker)) + 1
    unsourced = "<p>The scratch commission met in 1907 and freed 4,321 prisoners.</p>"
    page.write_text(html[:start] + unsourced + html[start:], encoding="utf-8")
    after = {(t.token, t.where) for t in fl.uncovered(site, facts, load_passages())}
    assert after - before == {("1907", f"essay:{page.stem}"), ("4,321", f"essay:{page.stem}")}
    cited = ('<p>The scratch commission met in 1907 and freed 4,321 prisoners.<sup id="fnref:999">'
             '<a class="footnote-ref" href="#fn:999">999</a></sup></p>')
    page.write_text(html[:start] + cited + html[start:], encoding="utf-8")
    assert {(t.token, t.where) for t in fl.uncovered(site, facts, load_passages())} == before
