"""Tests of scripts/glossary/terms.py and of the data in data/glossary.yml.

Three groups:
* the data file against the REAL sources: Viola's 23 glossary entries verbatim, the terms the issue
  requires, every transliterated word / acronym a reading uses 3+ times, the forms the readings
  actually print (OCR misspellings included);
* the loader's error messages, on small files written by the tests;
* the annotator and the glossary page, on small glossaries written by the tests (so the rules are
  tested independently of the editorial content) and on the real one.
"""
from __future__ import annotations

import collections
import html
import re
import textwrap
from pathlib import Path

import markdown
import pytest

from scripts.core.errors import BuildError
from scripts.glossary.terms import (
    GLOSSARY_URL,
    SOURCE_EDITION,
    SOURCE_VIOLA,
    Annotator,
    Glossary,
    load_glossary,
    normalise_form,
    render_glossary_page,
)

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "data" / "glossary.yml"
SOURCES = ROOT / "sources"
READINGS = {
    "viola": "viola-best-sons-1987.txt",
    "hatch": "hatch-lenin-levy-1989.txt",
    "siegelbaum-suny": "siegelbaum-suny-command-economy-1993.txt",
    "bw-review": "bw-unearthing-stalin-era-1998.txt",
    "goldman": "goldman-blood-red-banner-2022.txt",
}
READING_SOURCES = {"Viola 1987", "Hatch 1989", "Siegelbaum and Suny 1993", "B.W. 1998", "Goldman 2022"}


# ------------------------------------------------------------------------------------------------
# helpers
# ------------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def glossary() -> Glossary:
    return load_glossary(DATA)


def source_lines(reading: str) -> list[str]:
    return (SOURCES / READINGS[reading]).read_text(encoding="utf-8").split("\n")


def annotated_lines(reading: str) -> list[str]:
    """The running text and notes of a reading (Viola: up to the end of her Notes; her Glossary,
    Bibliography and Index are back matter that the renderer does not annotate)."""
    lines = source_lines(reading)
    if reading == "viola":
        end = next(i for i, line in enumerate(lines) if line.strip() == "GLOSSARY" and i > 3000)
        lines = lines[:end]
    return lines


def viola_glossary_entries() -> list[tuple[int, str, str]]:
    """(line, headword, definition) of each entry of Viola's printed glossary, read from the source."""
    lines = source_lines("viola")
    start = next(i for i, line in enumerate(lines) if line.strip() == "GLOSSARY" and i > 3000)
    entries = []
    for i in range(start + 1, len(lines)):
        line = lines[i]
        if "\t" in line:
            head, definition = line.split("\t", 1)
            entries.append((i + 1, head, definition))
        elif line.strip() and entries:
            break
    return entries


def links(html_text: str) -> list[tuple[str, str, str]]:
    """(term id, title, text) of every glossary link in annotated Markdown / HTML."""
    return [(m.group(1), html.unescape(m.group(2)), m.group(3)) for m in re.finditer(
        r'<a class="gl" href="\{GLOSSARY_URL\}#([^"]+)" title="([^"]*)">(.*?)</a>', html_text, re.S)]


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "glossary.yml"
    path.write_text(textwrap.dedent(text).lstrip("\n"), encoding="utf-8")
    return path


def line_of(path: Path, needle: str) -> int:
    return next(i for i, line in enumerate(path.read_text().split("\n"), 1) if needle in line)


SMALL = """
terms:
  - id: kulak
    headword: kulak
    variants: [kulaks, kulak's]
    short: 'A "better-off" peasant & exploiter | label.'
    explanation: The kulak.
    source: written for this edition
  - id: dekulakization
    headword: dekulakization
    short: Expropriation of kulaks.
    explanation: Dekulakization.
    related: [kulak]
    source: written for this edition
  - id: selsovet
    headword: sel'sovet
    variants: [sel'sovets, sel' sovet]
    short: Village soviet.
    explanation: The village soviet.
    source: written for this edition
  - id: sovet
    headword: sovet
    short: Council.
    explanation: Council.
    source: written for this edition
  - id: nep
    headword: NEP
    short: New Economic Policy.
    explanation: NEP.
    source: written for this edition
  - id: psa
    headword: primitive socialist accumulation
    short: Preobrazhensky's term.
    explanation: PSA.
    source: written for this edition
  - id: pa
    headword: primitive accumulation
    short: Marx's term.
    explanation: PA.
    source: written for this edition
  - id: district
    headword: district
    readings: [viola]
    short: A raion.
    explanation: District.
    source: written for this edition
  - id: soviet
    headword: soviet
    exact_case: true
    short: A council.
    explanation: Soviet.
    source: written for this edition
"""


@pytest.fixture()
def small(tmp_path: Path) -> Glossary:
    return load_glossary(write(tmp_path, SMALL))


# ------------------------------------------------------------------------------------------------
# The data file against the real sources
# ------------------------------------------------------------------------------------------------


def test_at_least_80_terms_sorted(glossary: Glossary) -> None:
    assert len(glossary.terms) >= 80
    keys = [re.sub(r"[^0-9a-z ]", "", t.headword.casefold()) for t in glossary.terms]
    digits = [k for k in keys if k[:1].isdigit()]
    assert keys[len(digits):] == sorted(keys[len(digits):])


REQUIRED = [
    "kulak", "okrug", "selsovet", "artel", "nep", "smychka", "komsomol", "ogpu", "nkvd", "lishentsy",
    "stakhanovite", "vydvizhenie", "spetsy", "lenintsy", "ot-stanka", "khvostizm", "lenin-levy",
    "dekulakization", "primitive-socialist-accumulation", "scissors-crisis", "one-man-management",
    "shock-worker", "twenty-five-thousanders", "totalitarian-school", "revisionist",
]


@pytest.mark.parametrize("term_id", REQUIRED)
def test_required_terms_present(glossary: Glossary, term_id: str) -> None:
    assert term_id in glossary.by_id


@pytest.mark.parametrize("form, term_id", [
    ("vydvizhentsy", "vydvizhenie"), ("dvadtsatipiatitysiachniki", "twenty-five-thousanders"),
    ("edinonachalie", "one-man-management"), ("Stakhanovite", "stakhanovite"), ("Stakhanovism", "stakhanovite"),
    ("Lenin Levy", "lenin-levy"), ("sel' sovet", "selsovet"), ("sel' sovents", "selsovet"),
    ("sel' soviets", "selsovet"), ("sel’sovet", "selsovet"), ("selʹsovet", "selsovet"),
])
def test_required_forms_listed(glossary: Glossary, form: str, term_id: str) -> None:
    assert form in glossary.by_id[term_id].forms


def test_viola_glossary_has_23_entries_all_quoted_verbatim(glossary: Glossary) -> None:
    entries = viola_glossary_entries()
    assert len(entries) == 23
    viola_terms = [t for t in glossary.terms if t.source == SOURCE_VIOLA]
    assert len(viola_terms) == 23
    by_head = {t.viola_headword: t for t in viola_terms}
    for line, head, definition in entries:
        assert head in by_head, f"Viola's entry {head!r} (line {line}) has no glossary term"
        assert by_head[head].viola == definition, f"{head!r}: definition not verbatim"


def test_artel_completed_and_said_so(glossary: Glossary) -> None:
    artel = glossary.by_id["artel"]
    assert artel.viola.endswith("the officially accepted form of collective")
    assert artel.viola_completion == "farm"
    page = render_glossary_page(glossary, {})
    assert "completed here: farm" in page


def test_only_viola_entries_have_viola_fields(glossary: Glossary) -> None:
    for term in glossary.terms:
        has = bool(term.viola or term.viola_headword or term.viola_completion)
        assert has == (term.source == SOURCE_VIOLA), term.id


def test_sources_are_known(glossary: Glossary) -> None:
    for term in glossary.terms:
        assert term.source in {SOURCE_VIOLA, SOURCE_EDITION} | READING_SOURCES, term.id


def test_every_short_definition_is_one_sentence_of_at_most_160(glossary: Glossary) -> None:
    for term in glossary.terms:
        assert len(term.short) <= 160, f"{term.id}: {len(term.short)} characters"
        assert term.short.endswith((".", ".)")), term.id
        assert not re.search(r"[a-z0-9)]{2}[.!?] [A-Z‘“]", term.short), f"{term.id}: more than one sentence"
        assert term.explanation and term.explanation != term.short, term.id


def test_russian_is_cyrillic(glossary: Glossary) -> None:
    missing = [t.id for t in glossary.terms if not t.russian and t.group not in ("people", "historians")]
    assert set(missing) <= {"totalitarian-school", "convergence-theory"}
    for term in glossary.terms:
        if term.russian:
            assert re.search("[\u0400-\u04ff]", term.russian), term.id


def test_revisionist_gives_both_meanings(glossary: Glossary) -> None:
    term = glossary.by_id["revisionist"]
    assert "totalitarian" in term.short and "Maoist" in term.short
    assert "B.W. review" in term.explanation and "partisan" in term.explanation


def test_kulak_says_historians_disagree(glossary: Glossary) -> None:
    assert "disagree" in glossary.by_id["kulak"].explanation


def test_archival_abbreviations_are_separate_and_complete(glossary: Glossary) -> None:
    abbrs = {a.abbr for a in glossary.archival}
    assert {"TsGANKh", "TsGAOR", "GARF", "f.", "op.", "d.", "l."} <= abbrs
    term_forms = {normalise_form(f) for t in glossary.terms for f in t.forms}
    assert not abbrs & term_forms, "archival abbreviations must not be annotated in the text"


# The forms below are copied from the real readings; each must get its own term's tooltip.
REAL_FORMS = [
    ("viola", "Kulaks", "kulak"),
    ("viola", "kulak's", "kulak"),
    ("viola", "*okrug*", "okrug"),
    ("viola", "*Okrug*", "okrug"),
    ("viola", "sel’sovet", "selsovet"),
    ("viola", "*sel' sovet*", "selsovet"),
    ("viola", "*sel' soviets*", "selsovet"),
    ("viola", "*sel'sovets*", "selsovet"),
    ("viola", "Kolkhoztsestr", "kolkhoztsentr"),
    ("viola", "Kolkhoztseŭtr", "kolkhoztsentr"),
    ("viola", "dekulakization", "dekulakization"),
    ("viola", "Dekulakization", "dekulakization"),
    ("viola", "*dvadtsatipiatitysiachniki*", "twenty-five-thousanders"),
    ("viola", "25,000ers", "twenty-five-thousanders"),
    ("viola", "*pod''em*", "podem"),
    ("viola", "NEPmen", "nepmen"),
    ("viola", "OGPU", "ogpu"),
    ("viola", "Dizzyness from Success", "dizzy-with-success"),
    ("hatch", "lenintsy", "lenintsy"),
    ("hatch", "ot stanka", "ot-stanka"),
    ("hatch", "khvostizm", "khvostizm"),
    ("hatch", "spetsy", "spetsy"),
    ("hatch", "Lenin Levy", "lenin-levy"),
    ("hatch", "RKP (b)", "rkp-b"),
    ("siegelbaum-suny", "*edinonachalie*", "one-man-management"),
    ("siegelbaum-suny", "*vydvizhentsy*", "vydvizhenie"),
    ("siegelbaum-suny", "Stakhanovite", "stakhanovite"),
    ("siegelbaum-suny", "totalitarian model", "totalitarian-school"),
    ("bw-review", "25 000ers", "twenty-five-thousanders"),
    ("bw-review", "one-man management", "one-man-management"),
    ("bw-review", "“revisionists”", "revisionist"),
    ("bw-review", "CPSU", "cpsu"),
    ("goldman", "scissor's crisis", "scissors-crisis"),
    ("goldman", "primitive socialist accumulation", "primitive-socialist-accumulation"),
    ("goldman", "lishentsy", "lishentsy"),
    ("goldman", "NVKD", "nkvd"),
    ("goldman", "smychka", "smychka"),
    ("goldman", "‘Smychka’", "smychka"),
]


@pytest.mark.parametrize("reading, sample, term_id", REAL_FORMS)
def test_real_forms_get_their_tooltip(glossary: Glossary, reading: str, sample: str, term_id: str) -> None:
    line = next((ln for ln in annotated_lines(reading) if sample in ln), None)
    assert line is not None, f"{sample!r} not found in {reading}: fix the test sample"
    out = glossary.annotator().annotate(line, f"readings/{reading}/page.md")
    word = sample.strip("*“”‘’")
    got = [(tid, title) for tid, title, text in links(out) if text == word]
    assert got, f"{word!r} not annotated in {reading}"
    assert all(tid == term_id for tid, _ in got)
    assert got[0][1] == glossary.by_id[term_id].tooltip


def _italic_words(lines: list[str]) -> collections.Counter[str]:
    text = "\n".join(lines)
    return collections.Counter(re.findall(r"(?<![*\w])\*([a-z][^*\n]{0,40}?)\*(?![*\w])", text))


ENGLISH_EMPHASIS = {"lead", "planting", "voluntary", "sic", "ibid."}


@pytest.mark.parametrize("reading", sorted(READINGS))
def test_every_italic_russian_word_used_3_times_is_a_term(glossary: Glossary, reading: str) -> None:
    """The readings italicize transliterated Russian; any lower-case italic word or phrase used 3+
    times in the running text or notes must be a glossary form (titles of works are capitalized)."""
    forms = {normalise_form(f) for t in glossary.terms for f in t.forms}
    frequent = {w for w, n in _italic_words(annotated_lines(reading)).items() if n >= 3}
    assert not {normalise_form(w) for w in frequent - ENGLISH_EMPHASIS} - forms


# Capitalized tokens of 2+ capitals used 3+ times that are not Soviet acronyms, with the reason.
NOT_ACRONYMS = {
    "TABLE": "table label", "THE": "table heading", "OF": "table heading", "REGION": "table heading",
    "TOTALS": "table heading", "NO": "table heading", "IN": "table heading", "CONTROL": "table heading",
    "PERCENTAGE": "table heading", "DATA": "table heading", "ACCORDING": "table heading",
    "TO": "table heading", "FARMS": "table heading", "XVI": "roman numeral (XVI s''ezd)",
    "LV": "Lynne Viola's initials in her table notes", "CT": "US state in a place of publication",
    "MA": "US state in a place of publication", "ABC": "book title (The ABC of Communism)",
    "McLoughlin": "surname", "JSTOR": "publisher chrome",
}


@pytest.mark.parametrize("reading", sorted(READINGS))
def test_every_acronym_used_3_times_is_a_term_or_archival(glossary: Glossary, reading: str) -> None:
    forms = {normalise_form(f) for t in glossary.terms for f in t.forms}
    archival = {a.abbr for a in glossary.archival} | {f for a in glossary.archival for f in a.forms}
    text = "\n".join(annotated_lines(reading))
    counts = collections.Counter(re.findall(r"(?<![\w'’])[A-Z][a-z]?[A-Z][A-Za-z]*(?![\w'’])", text))
    frequent = {w for w, n in counts.items() if n >= 3}
    assert not frequent - forms - archival - set(NOT_ACRONYMS)


# Terms the readings use 3+ times in plain (non-italic) text, counted by hand over the sources
# (see the report): each must be annotated at least 3 times in that reading.
PLAIN_RUSSIAN = [
    ("hatch", "lenintsy"), ("hatch", "ot-stanka"), ("hatch", "mk"), ("hatch", "komiacheika"),
    ("hatch", "rkp-b"), ("hatch", "nep"), ("hatch", "cpsu"), ("hatch", "central-committee"),
    ("goldman", "nkvd"), ("goldman", "smychka"), ("goldman", "kulak"), ("goldman", "central-committee"),
    ("goldman", "vkp-b"), ("goldman", "nep"), ("goldman", "ussr"),
    ("bw-review", "nep"), ("bw-review", "cpsu"), ("bw-review", "ussr"),
    ("siegelbaum-suny", "stakhanovite"), ("siegelbaum-suny", "ussr"),
    ("viola", "pravda"), ("viola", "trud"), ("viola", "nep"), ("viola", "ogpu"), ("viola", "nepmen"),
]


@pytest.mark.parametrize("reading, term_id", PLAIN_RUSSIAN)
def test_plain_russian_words_used_3_times_are_annotated(glossary: Glossary, reading: str, term_id: str) -> None:
    annotator = glossary.annotator()
    page = f"readings/{reading}/p.md"
    for line in annotated_lines(reading):
        annotator.annotate(line, page)
    assert annotator.counts[(page, term_id)] >= 3


def test_every_term_with_a_form_in_the_readings_is_annotated(glossary: Glossary) -> None:
    """Cross-check of the annotator against a naive search: a term whose headword occurs as a whole
    word in a reading's running text must be annotated at least once in that reading."""
    annotator = glossary.annotator()
    for reading in READINGS:
        lines = annotated_lines(reading)
        for line in lines:
            annotator.annotate(line, f"readings/{reading}/p.md")
        text = "\n".join(lines)
        for term in glossary.terms:
            if not term.applies_to(f"readings/{reading}/p.md") or term.marking == "off":
                continue
            pattern = r"(?<![\w'’])" + re.escape(term.headword).replace(r"\ ", r"\s+") + r"(?![\w])"
            if re.search(pattern, text):
                assert annotator.counts[(f"readings/{reading}/p.md", term.id)] > 0, (reading, term.id)


def test_viola_counts_match_the_reference_analysis(glossary: Glossary) -> None:
    """seed-viola.md §11 counts 44 sel'sovet-family forms in the body (5 spellings): all annotated."""
    annotator = glossary.annotator()
    lines = source_lines("viola")
    notes_start = next(i for i, ln in enumerate(lines) if ln.strip() == "NOTES" and i > 2000)
    for line in lines[:notes_start]:
        annotator.annotate(line, "readings/viola/body.md")
    assert annotator.counts[("readings/viola/body.md", "selsovet")] == 44 + 2  # + 2 "village soviet(s)"


# ------------------------------------------------------------------------------------------------
# Loader errors
# ------------------------------------------------------------------------------------------------


def test_missing_short_names_entry_and_line(tmp_path: Path) -> None:
    path = write(tmp_path, """
        terms:
          - id: okrug
            headword: okrug
            short: An area.
            explanation: The okrug.
            source: written for this edition
          - id: kulak
            headword: kulak
            explanation: The kulak.
            source: written for this edition
        """)
    with pytest.raises(BuildError) as err:
        load_glossary(path)
    assert err.value.line == line_of(path, "id: kulak")
    assert "kulak" in err.value.message and "short" in err.value.message
    assert err.value.hint


def test_duplicate_form_across_terms(tmp_path: Path) -> None:
    path = write(tmp_path, """
        terms:
          - id: kulak
            headword: kulak
            variants: [kulaks]
            short: A peasant.
            explanation: The kulak.
            source: written for this edition
          - id: podkulachnik
            headword: podkulachnik
            variants: [Kulaks]
            short: A henchman.
            explanation: The podkulachnik.
            source: written for this edition
        """)
    with pytest.raises(BuildError) as err:
        load_glossary(path)
    assert "Kulaks" in err.value.message and "kulak" in err.value.message and "podkulachnik" in err.value.message
    assert err.value.line == line_of(path, "id: podkulachnik")


def test_duplicate_form_differing_only_in_apostrophe(tmp_path: Path) -> None:
    path = write(tmp_path, """
        terms:
          - id: a
            headword: sel'sovet
            short: A.
            explanation: A.
            source: written for this edition
          - id: b
            headword: sel’sovet
            short: B.
            explanation: B.
            source: written for this edition
        """)
    with pytest.raises(BuildError, match="also claimed"):
        load_glossary(path)


def test_unknown_related_id(tmp_path: Path) -> None:
    path = write(tmp_path, """
        terms:
          - id: kulak
            headword: kulak
            short: A peasant.
            explanation: The kulak.
            related: [dekulakisation]
            source: written for this edition
        """)
    with pytest.raises(BuildError) as err:
        load_glossary(path)
    assert "dekulakisation" in err.value.message
    assert err.value.line == line_of(path, "related:")


def test_short_over_200_characters(tmp_path: Path) -> None:
    path = write(tmp_path, f"""
        terms:
          - id: kulak
            headword: kulak
            short: {"x" * 201}
            explanation: The kulak.
            source: written for this edition
        """)
    with pytest.raises(BuildError) as err:
        load_glossary(path)
    assert "201" in err.value.message and err.value.line == line_of(path, "short:")


def test_viola_entry_needs_her_definition(tmp_path: Path) -> None:
    path = write(tmp_path, """
        terms:
          - id: kulak
            headword: kulak
            short: A peasant.
            explanation: The kulak.
            source: Viola's glossary
        """)
    with pytest.raises(BuildError, match="viola"):
        load_glossary(path)


def test_bad_yaml_and_duplicate_id(tmp_path: Path) -> None:
    with pytest.raises(BuildError) as err:
        load_glossary(write(tmp_path, "terms:\n  - id: [unclosed\n"))
    assert err.value.line is not None and "YAML" in err.value.message
    path = write(tmp_path, """
        terms:
          - {id: a, headword: a, short: A., explanation: A., source: written for this edition}
          - {id: a, headword: b, short: B., explanation: B., source: written for this edition}
        """)
    with pytest.raises(BuildError, match="duplicate id"):
        load_glossary(path)


def test_error_in_the_real_file_points_at_the_entry(tmp_path: Path) -> None:
    text = DATA.read_text(encoding="utf-8")
    broken = re.sub(r"(- id: okrug\n(?:  .*\n)*?)  short: .*\n", r"\1", text, count=1)
    assert broken != text
    path = tmp_path / "glossary.yml"
    path.write_text(broken, encoding="utf-8")
    with pytest.raises(BuildError) as err:
        load_glossary(path)
    assert "okrug" in err.value.message and err.value.line == line_of(path, "- id: okrug")
    assert str(path) in str(err.value)


# ------------------------------------------------------------------------------------------------
# Annotator rules (small glossary written above)
# ------------------------------------------------------------------------------------------------


def ann(g: Glossary, text: str, page: str = "readings/viola/ch1.md") -> tuple[str, Annotator]:
    a = g.annotator()
    return a.annotate(text, page), a


def test_wraps_with_placeholder_and_escaped_title(small: Glossary) -> None:
    out, a = ann(small, "The kulaks rose.")
    assert out == ('The <a class="gl" href="{GLOSSARY_URL}#kulak" '
                   'title="A &quot;better-off&quot; peasant &amp; exploiter &#124; label.">kulaks</a> rose.')
    assert GLOSSARY_URL == "{GLOSSARY_URL}"
    assert a.counts == {("readings/viola/ch1.md", "kulak"): 1}


def test_longest_match_first(small: Glossary) -> None:
    out, _ = ann(small, "primitive socialist accumulation and primitive accumulation")
    assert [(i, t) for i, _, t in links(out)] == [
        ("psa", "primitive socialist accumulation"), ("pa", "primitive accumulation")]


def test_word_boundaries_understand_apostrophes(small: Glossary) -> None:
    out, _ = ann(small, "sel'sovets, sel’sovet, selʹsovet, the sovet, dekulakization, kulak's farm")
    assert [(i, t) for i, _, t in links(out)] == [
        ("selsovet", "sel'sovets"), ("selsovet", "sel’sovet"), ("selsovet", "selʹsovet"),
        ("sovet", "sovet"), ("dekulakization", "dekulakization"), ("kulak", "kulak's")]


def test_kulak_not_inside_a_longer_word(tmp_path: Path) -> None:
    g = load_glossary(write(tmp_path, """
        terms:
          - {id: kulak, headword: kulak, short: K., explanation: K., source: written for this edition}
        """))
    out, _ = ann(g, "dekulakization, kulakness, podkulachnik, anti-kulak")
    assert [t for _, _, t in links(out)] == ["kulak"]


def test_possessive_follows_a_term(small: Glossary) -> None:
    out, _ = ann(small, "NEP's end and the sovet's work")
    assert [t for _, _, t in links(out)] == ["NEP", "sovet"]


def test_case_rules(small: Glossary) -> None:
    out, _ = ann(small, "Kulaks. Kulak's. KULAK. Nep and nep. NEP. Sel' sovet. The Soviet soviet.")
    assert [t for _, _, t in links(out)] == ["Kulaks", "Kulak's", "NEP", "Sel' sovet", "soviet"]


def test_multi_word_terms_across_whitespace(small: Glossary) -> None:
    out, _ = ann(small, "the primitive\nsocialist   accumulation, the sel'\nsovet")
    assert [t for _, _, t in links(out)] == ["primitive\nsocialist   accumulation", "sel'\nsovet"]


@pytest.mark.parametrize("text", [
    "a note[^kulak] here",
    "[kulak](kulak.md)",
    "[the kulaks of NEP](https://example.org/kulak)",
    "![kulak](kulak.png)",
    "`kulak`",
    "``the `kulak` NEP``",
    '<span title="kulak" data-x="NEP">x</span>',
    '<a href="x">kulak</a>',
    "<https://example.org/kulak>",
    "https://example.org/NEP/kulak",
    "<!-- kulak -->",
    "<code>NEP</code>",
])
def test_never_inside_protected_markdown(small: Glossary, text: str) -> None:
    out, a = ann(small, text)
    assert out == text and not a.counts


def test_italic_bold_and_escapes_are_annotated(small: Glossary) -> None:
    out, _ = ann(small, r"*kulak* **NEP** \[kulak\] \*sovet\*")
    assert [t for _, _, t in links(out)] == ["kulak", "NEP", "kulak", "sovet"]
    assert out.startswith('*<a class="gl"') and r"\[<a" in out and r"</a>\]" in out


def test_no_nesting_and_idempotent(small: Glossary) -> None:
    a = small.annotator()
    once = a.annotate("The kulaks and NEP.", "p")
    twice = a.annotate(once, "p")
    assert once == twice
    assert a.counts[("p", "kulak")] == 1


def test_footnote_ref_next_to_a_term(small: Glossary) -> None:
    out, _ = ann(small, "the kulak.[^12] and NEP[^13]")
    assert [t for _, _, t in links(out)] == ["kulak", "NEP"]
    assert "[^12]" in out and "[^13]" in out


def test_reading_scope(small: Glossary) -> None:
    a = small.annotator()
    assert links(a.annotate("the district", "readings/viola/chapter-4.md"))
    assert not links(a.annotate("the district", "readings/goldman/index.md"))
    assert a.counts == {("readings/viola/chapter-4.md", "district"): 1}


def test_counts_per_page_and_term(small: Glossary) -> None:
    a = small.annotator()
    a.annotate("kulak kulaks NEP", "p1")
    a.annotate("kulak", "p2")
    assert a.counts == {("p1", "kulak"): 2, ("p1", "nep"): 1, ("p2", "kulak"): 1}


def test_output_is_valid_markdown_in_tables_and_footnotes(small: Glossary) -> None:
    a = small.annotator()
    table = "| kulak | NEP |\n|---|---|\n| " + a.annotate("the kulaks", "p") + " | x |"
    rendered = markdown.markdown(table.replace("{GLOSSARY_URL}", "g.html"), extensions=["tables"])
    assert rendered.count("<td>") == 2  # the | inside the title did not split the row
    assert 'href="g.html#kulak"' in rendered and "&#124;" in rendered
    para = a.annotate("*The kulak*[^1] and NEP.", "p") + "\n\n[^1]: A note on the sel'sovet."
    rendered = markdown.markdown(para.replace("{GLOSSARY_URL}", "g.html"), extensions=["footnotes"])
    assert '<em>The <a class="gl" href="g.html#kulak"' in rendered


def test_real_title_attributes_are_escaped(glossary: Glossary) -> None:
    a = glossary.annotator()
    out = a.annotate("The kulak and the Workers' and Peasants' Inspectorate.", "p")
    for tid, title, _ in links(out):
        assert title == glossary.by_id[tid].tooltip
    raw = re.findall(r'title="([^"]*)"', out)
    assert raw and all("'" not in r and '"' not in r for r in raw)


# ------------------------------------------------------------------------------------------------
# The glossary page
# ------------------------------------------------------------------------------------------------


def test_glossary_page_structure(glossary: Glossary) -> None:
    used = {"kulak": [("Chapter 4", "../readings/viola/chapter-4/", 35), ("Blood on the Red Banner", "../readings/goldman/", 10)]}
    page = render_glossary_page(glossary, used)
    headings = re.findall(r"^## (.*) \{#([a-z0-9-]+)\}$", page, re.M)
    assert [i for _, i in headings if i != "archival-citations"] == [t.id for t in glossary.terms]
    assert all("<a" not in h for h, _ in headings)
    assert "[Chapter 4](../readings/viola/chapter-4/) (35)" in page
    assert "[Blood on the Red Banner](../readings/goldman/) (10)" in page
    kulak = page[page.index("{#kulak}"):page.index("{#kulak}") + 3000]
    assert "кулак" in kulak and glossary.by_id["kulak"].short in kulak
    assert "> **Viola's glossary:** kulak \u2014 literally a \"fist\"" in kulak
    assert "[dekulakization](#dekulakization)" in kulak
    # letter bar: every link points at an existing anchor
    bar = next(line for line in page.split("\n") if line.startswith("Jump to:"))
    ids = {t.id for t in glossary.terms}
    assert set(re.findall(r"\(#([^)]+)\)", bar)) <= ids and "[K](#" in bar
    # archival section
    section = page[page.index("## How to read an archival citation"):]
    assert section.count("\n| ") == len(glossary.archival) + 1
    assert "TsGANKh" in section and "opis'" in section


def test_glossary_page_renders_with_anchor_ids(glossary: Glossary) -> None:
    page = render_glossary_page(glossary, {})
    rendered = markdown.markdown(page, extensions=["attr_list", "toc", "tables"])
    ids = set(re.findall(r'<h2 id="([^"]+)"', rendered))
    assert ids == {t.id for t in glossary.terms} | {"archival-citations"}
    assert "<i>kommuna</i>" in rendered  # Viola's own markup kept


def test_marking_off_terms_are_never_marked_nor_counted(glossary: Glossary) -> None:
    """district and region are everyday English in the readings: the data file says marking: "off"."""
    off = {t.id for t in glossary.terms if t.marking == "off"}
    assert {"district", "region"} <= off
    a = glossary.annotator()
    out = a.annotate("the district and the regions of the kulaks", "readings/viola/chapter-4.md", section=1)
    assert "#district" not in out and "#region" not in out and "#kulak" in out
    assert set(a.counts) == {("readings/viola/chapter-4.md", "kulak")}


def test_first_occurrence_per_section_is_a_link_the_rest_spans(glossary: Glossary) -> None:
    a = glossary.annotator()
    page = "readings/viola/chapter-4.md"
    one = a.annotate("The kulaks and a kulak.", page, section=1)
    two = a.annotate("Another kulak.", page, section=1)
    three = a.annotate("A kulak again.", page, section=2)
    assert one.count('class="gl"') == 1 and one.count('class="gx"') == 1
    assert 'class="gl"' not in two and '<span class="gx" data-g="kulak">kulak</span>' in two
    assert three.count('class="gl"') == 1, "a new section marks the first occurrence again"
    assert a.counts[(page, "kulak")] == 4, "counts count every occurrence, marked or not"
    assert a.annotate(one, page, section=1) == one, "annotating twice changes nothing"


def test_italic_titles_in_notes_are_not_marked(glossary: Glossary) -> None:
    a = glossary.annotator()
    out = a.annotate("Stalin, *Sochineniia*, vol. 12; *KPSS v rezoliutsiiakh*; on the kulaks.", "p",
                     section="notes", in_note=True)
    assert "*Sochineniia*" in out and "*KPSS v rezoliutsiiakh*" in out
    assert "#kulak" in out
