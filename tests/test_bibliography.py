"""The bibliography data (bib/*.bib): it parses with bibtexparser and with a second reader (pybtex),
round-trips, holds the five readings as their sources print them and several hundred works, and
bad input stops the build with the file, the line or key, and what to fix."""
from __future__ import annotations

import re
from pathlib import Path

import bibtexparser
import pytest

from scripts.citations.bibtex import Bibliography, read_bib
from scripts.paths import Paths
from scripts.pipeline import generate
from scripts.core.errors import BuildError
from tests.project_copy import scratch_paths

ROOT = Path(__file__).resolve().parent.parent
BIB = sorted((ROOT / "bib").glob("*.bib"))
SOURCES = ROOT / "sources"


@pytest.fixture(scope="module")
def bib() -> Bibliography:
    return Bibliography(ROOT / "bib" / "readings.bib")


@pytest.mark.parametrize("path", BIB, ids=lambda p: p.name)
def test_parses_with_bibtexparser_without_failed_blocks(path: Path) -> None:
    library = bibtexparser.parse_string(path.read_text(encoding="utf-8"))
    assert not library.failed_blocks, [type(b).__name__ for b in library.failed_blocks]
    assert library.entries


@pytest.mark.parametrize("path", BIB, ids=lambda p: p.name)
def test_parses_with_pybtex_as_the_same_entries(path: Path) -> None:
    """A second reader (pybtex, strict about duplicates and syntax) finds the same keys and titles."""
    pybtex_db = pytest.importorskip("pybtex.database", reason="pip install pybtex (in requirements.txt)")
    data = pybtex_db.parse_string(path.read_text(encoding="utf-8"), "bibtex")
    ours = {e.key: e for e in read_bib(path)}
    assert set(data.entries) == set(ours)
    for key, entry in data.entries.items():
        assert entry.fields["title"] == ours[key].fields["title"], key
        persons = entry.persons.get("author", []) + entry.persons.get("editor", [])
        ours_names = ours[key].names("author") + ours[key].names("editor")
        assert len(persons) >= len(ours_names), key


@pytest.mark.parametrize("path", BIB, ids=lambda p: p.name)
def test_round_trip(path: Path) -> None:
    """parse -> write -> parse gives the same entries, values raw (braces and TeX kept)."""
    first = bibtexparser.parse_string(path.read_text(encoding="utf-8"))
    again = bibtexparser.parse_string(bibtexparser.write_string(first))
    assert not again.failed_blocks
    def table(lib):
        return [(e.key, e.entry_type, [(f.key, f.value) for f in e.fields]) for e in lib.entries]
    assert table(again) == table(first)


def test_non_ascii_names_and_titles_survive(bib: Bibliography) -> None:
    """Diacritics and transliteration marks are stored as characters and read back unchanged."""
    text = (ROOT / "bib" / "viola-bibliography.bib").read_text(encoding="utf-8")
    assert "Ėfimov, G. V." in text and "Ėfimov" in bib.entries["efimov1931ti"].display("author")
    assert bib.entries["andrle1988workers"].names()[0]["family"] == "Andrlé"
    again = bibtexparser.parse_string(bibtexparser.write_string(bibtexparser.parse_string(text)))
    assert any("Ėfimov" in f.value for e in again.entries for f in e.fields)
    assert "’" in bib.entries["ulanov1955dvadtsatipiatitysiachniki"].display("title")


def test_several_hundred_entries_with_readable_unique_keys(bib: Bibliography) -> None:
    assert len(bib.entries) >= 300
    raw_keys = [m.group(1) for p in BIB for m in re.finditer(r"^@\w+\{([^,]+),", p.read_text(encoding="utf-8"), re.M)]
    assert len(raw_keys) == len(set(raw_keys)) == len(bib.entries)
    readable = [k for k in raw_keys if re.fullmatch(r"[a-z]+(\d{4}|nd)?[a-z0-9]+", k)]
    assert len(readable) == len(raw_keys), sorted(set(raw_keys) - set(readable))
    assert "danilov1970dinamika" in bib.entries and "kuromiya1988stalins" in bib.entries


def test_viola_bibliography_sections_are_all_there(bib: Bibliography) -> None:
    """Sections IV–VIII as the book prints them: one entry per printed item (38, 61, 54, 82, 39)."""
    counts = {}
    for e in bib.entries.values():
        m = re.match(r"Viola bibliography (\w+):", e.display("keywords"))
        if m:
            counts[m.group(1)] = counts.get(m.group(1), 0) + 1
    assert counts == {"IV": 38, "V": 61, "VI": 54, "VII": 82, "VIII": 39}


def _source(name: str) -> str:
    return (SOURCES / name).read_text(encoding="utf-8")


def test_readings_have_what_their_sources_print(bib: Bibliography) -> None:
    """Each field the source prints is in the entry, with the source's value (read from the source here)."""
    e = bib.entries
    viola = _source("viola-best-sons-1987.txt")
    isbn = re.search(r"^ISBN (\S+)$", viola, re.M).group(1)
    assert e["viola1987best"].display("isbn") == isbn
    assert "Copyright © 1987 by Oxford University Press" in viola and e["viola1987best"].display("year") == "1987"
    assert e["viola1987best"].display("publisher") == "Oxford University Press"

    ss = _source("siegelbaum-suny-command-economy-1993.txt")
    m = re.search(r"Source: \*(.+?)\*, No\. (\d+) \((\w+), (\d{4})\), pp\. (\d+)-(\d+)", ss)
    s = e["siegelbaum1993making"]
    assert (s.display("journal"), s.display("number"), s.display("month"), s.display("year")) == m.group(1, 2, 3, 4)
    assert s.display("pages") == f"{m.group(5)}–{m.group(6)}"
    assert s.display("url") == re.search(r"Stable URL: <(\S+)>", ss).group(1)
    assert s.names()[1] == {"family": "Suny", "given": "Ronald Grigor"}

    bw = _source("bw-unearthing-stalin-era-1998.txt")
    head = bw.split("\n", 1)[0]
    assert re.search(r"#(\d+)", head).group(1) == e["bw1998unearthing"].display("number")
    assert re.search(r"\((\d{4})\)", head).group(1) == e["bw1998unearthing"].display("year")
    assert e["bw1998unearthing"].names() == [{"literal": "B.W."}]

    for key, name in (("hatch1989lenin", "hatch-lenin-levy-1989.txt"), ("goldman2022blood", "goldman-blood-red-banner-2022.txt")):
        text = _source(name)
        title = e[key].display("title").replace("–", "-")
        assert title in text.replace("1921-1928", "1921-1928"), key
        assert re.search(rf"Copyright[^\n]*{e[key].display('year')}", text), key
        # the sources print no volume, issue, pages or DOI: the entries must not invent them
        for field in ("volume", "number", "pages", "doi"):
            assert field not in e[key].fields, (key, field)


def test_every_reading_entry_has_what_the_styles_need(bib: Bibliography) -> None:
    from scripts.sources.manifest import load_manifest
    for entry in load_manifest(ROOT / "sources" / "sources.yml"):
        bib.get(entry["bibkey"], ROOT / "sources" / "sources.yml")


# ---- bad input -------------------------------------------------------------------------------
@pytest.fixture
def scratch(tmp_path: Path) -> Paths:
    return scratch_paths(tmp_path, sentinel=True)


def fail(paths: Paths) -> BuildError:
    with pytest.raises(BuildError) as info:
        generate(paths)
    assert (paths.docs / "sentinel.md").read_text() == "previous build\n", "docs/ was replaced by a failed build"
    return info.value


def test_duplicate_key_in_one_file(scratch: Paths) -> None:
    path = scratch.root / "bib" / "cited-works.bib"
    text = path.read_text(encoding="utf-8")
    path.write_text(text + "\n@book{kotkin1995magnetic,\n  author = {Kotkin, Stephen},\n  title = {Again}\n}\n", encoding="utf-8")
    err = fail(scratch)
    assert err.path.endswith("cited-works.bib") and err.line == text.count("\n") + 2
    assert "duplicate key 'kotkin1995magnetic'" in err.message and "another key" in err.hint


def test_duplicate_key_across_files(scratch: Paths) -> None:
    path = scratch.root / "bib" / "cited-works.bib"
    path.write_text(path.read_text(encoding="utf-8") + "\n@book{danilov1970dinamika,\n  title = {Twice}\n}\n", encoding="utf-8")
    err = fail(scratch)
    assert "duplicate key 'danilov1970dinamika'" in err.message and err.line
    assert {Path(err.path).name, re.search(r"also at ([\w.-]+):", err.message).group(1)} == {"viola-bibliography.bib", "cited-works.bib"}


def test_entry_without_title(scratch: Paths) -> None:
    path = scratch.root / "bib" / "cited-works.bib"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("  title     = {The Great Offensive},\n", ""), encoding="utf-8")
    err = fail(scratch)
    assert err.path.endswith("cited-works.bib") and "'hindus1933great' has no title" in err.message
    assert err.line and "hindus1933great" in text.split("\n")[err.line - 1]


def test_entry_without_key(scratch: Paths) -> None:
    path = scratch.root / "bib" / "cited-works.bib"
    path.write_text(path.read_text(encoding="utf-8").replace("@book{hindus1933great,", "@book{"), encoding="utf-8")
    err = fail(scratch)
    assert err.path.endswith("cited-works.bib") and err.line
    assert "key" in err.message or "malformed" in err.message


def test_unparsable_file(scratch: Paths) -> None:
    path = scratch.root / "bib" / "viola-bibliography.bib"
    path.write_text(path.read_text(encoding="utf-8").replace("@book{kirshon1933khleb,", "@book{kirshon1933khleb,\n  title = {Unclosed", 1),
                    encoding="utf-8")
    err = fail(scratch)
    assert err.path.endswith("viola-bibliography.bib") and err.line


def test_reading_entry_missing_a_field_the_style_needs(scratch: Paths) -> None:
    path = scratch.bib
    path.write_text(path.read_text(encoding="utf-8").replace("  publisher = {Oxford University Press},\n", "", 1), encoding="utf-8")
    err = fail(scratch)
    assert err.path.endswith("readings.bib") and "'viola1987best' has no 'publisher'" in err.message
    assert "publisher = {...}" in err.hint
