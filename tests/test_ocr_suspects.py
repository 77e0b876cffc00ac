"""The OCR-suspect report (scripts/tools/ocr_suspects.py) over the real readings of a real build.

Every word of every reading passage that the Hunspell dictionaries (Debian's hunspell-en-us and
hunspell-en-gb through pyenchant) and the project word list (data/ocr/words.yml + glossary forms)
do not know must be resolved in data: corrected (data/corrections/<id>.yml) or reviewed and left
as printed with a reason (data/ocr/as_printed.yml). A new unknown word in a source fails here.
"""
from __future__ import annotations

import copy
import json
from pathlib import Path

import pytest

from scripts.tools import ocr_suspects as ocr

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def passages(generated_docs: Path, build_dir: Path) -> dict[str, dict[str, str]]:
    # paragraphs and notes (build/passages.json) and the tables of every reading page (docs/)
    return ocr.with_tables(json.loads((build_dir / "passages.json").read_text(encoding="utf-8")), generated_docs)


@pytest.fixture(scope="module")
def lexicon() -> ocr.Lexicon:
    return ocr.load_lexicon()


def test_the_dictionary_is_a_real_english_dictionary(lexicon: ocr.Lexicon) -> None:
    assert lexicon.in_dictionary("collectivization") and lexicon.in_dictionary("labour")
    assert not lexicon.in_dictionary("Kolkhozsentr") and not lexicon.in_dictionary("siegeliike")


def test_no_unresolved_ocr_suspects(passages, lexicon) -> None:
    found = ocr.suspects(passages, lexicon)
    assert len(found) > 20, "the report found almost nothing: is the word list swallowing everything?"
    left = ocr.unresolved(found)
    assert not left, ("words unknown to the dictionary and the project word list, neither corrected nor "
                      "reviewed (add a correction or an entry in data/ocr/as_printed.yml):\n"
                      + "\n".join(f"{s.word} ×{s.count}: {', '.join(s.places[:3])}" for s in left))


def test_a_new_unknown_word_in_a_source_is_reported(passages, lexicon) -> None:
    changed = copy.deepcopy(passages)
    changed["viola/chapter-3"]["p5"] += " The Kolkhozsentr and the zzyqxorp."
    left = {s.word: s for s in ocr.unresolved(ocr.suspects(changed, lexicon))}
    assert set(left) == {"Kolkhozsentr", "zzyqxorp"}
    assert left["Kolkhozsentr"].places == ["viola/chapter-3#p5"]


def test_corrected_misspellings_are_not_in_the_word_list(lexicon) -> None:
    """A correction's misspelling must not be in the project word list, or a surviving copy would pass unseen."""
    import yaml
    for path in (ROOT / "data" / "corrections").glob("*.yml"):
        for e in yaml.safe_load(path.read_text(encoding="utf-8")) or []:
            if e.get("regex") or " " in e["find"].strip() or not e["find"].isalpha():
                continue
            assert ocr.normal(e["find"]) not in lexicon.project, f"{path.name}: {e['find']!r} is in the word list"


def test_every_as_printed_word_is_in_the_readings(passages, lexicon) -> None:
    found = ocr.suspects(passages, lexicon)
    stale = sorted(w for w in lexicon.as_printed if w not in found)
    assert not stale, f"data/ocr/as_printed.yml lists words no longer in the readings: {stale}"


def test_glued_word_splits_are_confirmed_or_marked_doubtful(lexicon) -> None:
    assert ocr.review_glued(lexicon) == []
