"""The project word list of the OCR-suspect report (data/ocr/words.yml) hides no slip (issue 13).

The report (scripts/tools/ocr_suspects.py) trusts every word of the list, so a misspelling that got into
the list would never be reported. These tests hold the list to what its review established:

* every word occurs in the readings as built (``build/passages.json``): a word that occurs nowhere
  is stale, and one the readings print differently is a guess;
* no word is both trusted (words.yml) and a reviewed suspect (as_printed.yml);
* the ``russian`` group holds Library of Congress transliterations only (no j, q, w, x; c only in
  ch; h only in kh, zh, ch, sh), the style all five readings use, so a misread letter such as
  "Kuznec" or a name in another spelling cannot pass as Russian;
* the slips the review found are resolved: corrected ones are gone from the text, the others are
  reported as suspects with an "as printed" reason.
"""
from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
import yaml

from scripts.tools import ocr_suspects as ocr

ROOT = Path(__file__).resolve().parent.parent
#: A letter outside the Library of Congress romanization of Russian as the readings print it.
NOT_LC = re.compile(r"[jqwx]|c(?!h)|(?<![kzsc])h")


@pytest.fixture(scope="module")
def passages(generated_docs: Path, build_dir: Path) -> dict[str, dict[str, str]]:
    # paragraphs and notes, and the tables (the report covers them too, issue 18)
    return ocr.with_tables(json.loads((build_dir / "passages.json").read_text(encoding="utf-8")), generated_docs)


@pytest.fixture(scope="module")
def groups() -> dict[str, list[str]]:
    data = yaml.safe_load((ROOT / "data" / "ocr" / "words.yml").read_text(encoding="utf-8"))
    return {name: g["words"] for name, g in data["groups"].items()}


@pytest.fixture(scope="module")
def tokens(passages) -> set[str]:
    return {ocr.normal(w) for page in passages.values() for text in page.values() for w in ocr.words_of(text)}


def test_every_listed_word_occurs_in_the_readings(groups, tokens) -> None:
    lower = {t.lower() for t in tokens}
    missing = [f"{g}: {w}" for g, ws in groups.items() for w in ws
               if ocr.normal(w) not in tokens and not (w == w.lower() and w in lower)]
    assert not missing, "words.yml lists words the readings do not print:\n" + "\n".join(missing)


def test_no_word_is_both_trusted_and_a_reviewed_suspect(groups) -> None:
    as_printed = yaml.safe_load((ROOT / "data" / "ocr" / "as_printed.yml").read_text(encoding="utf-8"))
    suspect = {ocr.normal(w) for e in as_printed["reviewed"] for w in e["words"]}
    both = sorted(w for ws in groups.values() for w in ws if ocr.normal(w) in suspect)
    assert not both, f"in words.yml and as_printed.yml at once: {both}"


def test_the_russian_group_is_library_of_congress_transliteration(groups) -> None:
    bad = [w for w in groups["russian"] if NOT_LC.search(ocr.normal(w).lower())]
    assert not bad, f"not Library of Congress transliteration (a slip, or a name for the names group): {bad}"


def test_the_check_can_fail() -> None:
    assert NOT_LC.search("kuznec") and NOT_LC.search("wheatcroft") and NOT_LC.search("tatjana")
    assert not NOT_LC.search("shchukar") and not NOT_LC.search("kolkhoztsentr") and not NOT_LC.search("zhurov")


@pytest.mark.parametrize("word", ["Moskvoskogo", "Vosmaia", "Kovaleev", "Kresnoshchekov", "redaksii",
                                  "Rond", "decembre", "proletariiev"])
def test_the_slips_found_in_the_list_are_reported_with_a_reason(passages, word) -> None:
    """They are in the text as printed: the report lists them, resolved "as printed", not trusted."""
    found = ocr.suspects(passages, ocr.load_lexicon())
    assert word in found, f"{word} is not reported as a suspect"
    assert found[word].resolution.startswith("as printed: ")


@pytest.mark.parametrize("page, slip, fixed", [("viola/chapter-5", "Srednom povolzh'e", "Srednem povolzh'e"),
                                               ("hatch", "Moskva vperiod", "Moskva v period"),
                                               ("viola/chapter-1", "nepmanskoi burzhiaziei", "nepmanskoi burzhuaziei")])
def test_the_certain_slips_are_corrected(passages, page, slip, fixed) -> None:
    text = " ".join(passages[page].values()).replace("’", "'")    # apostrophes are printed curly (curl_quotes)
    assert slip not in text and fixed in text
