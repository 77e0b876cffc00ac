"""Issue 18, the prose and data half: the corrections the historian's review asked for stay made.

Reads the content and data files directly (no build), except the editor's-notes check, which needs
build/passages.json (skipped without a build). The rendering of editor's notes and the facts ledger
are tested elsewhere.
"""
from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parent.parent
ESSAYS = ROOT / "content" / "essays"


def essay(name: str) -> str:
    return (ESSAYS / f"{name}.md").read_text(encoding="utf-8")


def body(text: str) -> str:
    """The essay without its front matter and without its footnote definitions."""
    text = text.split("\n---\n", 1)[1]
    return "\n".join(line for line in text.splitlines() if not line.startswith("[^"))


def timeline() -> list[dict]:
    return yaml.safe_load((ROOT / "data" / "timeline.yml").read_text(encoding="utf-8"))["events"]


# ---- the timeline ---------------------------------------------------------------------------------

def test_timeline_has_no_1929_siberian_journey_and_dates_it_1928() -> None:
    events = timeline()
    siberia = [e for e in events if "Siberia" in e["what"] and "Stalin" in e["what"]]
    assert siberia and all(e["date"].startswith("1928") for e in siberia), siberia
    assert any("January–February 1928" in e["what"] or "15 January–6 February 1928" in e["what"] for e in siberia)


def test_timeline_gives_the_standard_figures_and_dates() -> None:
    text = " ".join(e["what"] for e in timeline())
    assert "1,575,259" in text and "her text prints 1,605,259" in text
    assert "17 November 1938" in text
    assert "NKVD Order 00447" in text and "30 July 1937" in text
    assert "published in Pravda on 7 November 1929" in text and "Viola calls it a speech" in text
    assert "1 October 1928 to 31 December 1932" in text
    assert "decree of July 1930" in text and "1 October" in text
    assert not any(e["date"] == "1939" for e in timeline())


# ---- the essays -----------------------------------------------------------------------------------

@pytest.mark.parametrize("name", ["the-grain-crisis", "primitive-socialist-accumulation", "who-was-a-kulak"])
def test_goldmans_early_1929_is_called_a_slip(name: str) -> None:
    text = body(essay(name))
    assert "slip" in text and "1928" in text
    assert "extraordinary measures followed in early 1929" not in text
    assert "Neither text mentions the other's date" not in text


@pytest.mark.parametrize("name", ["the-25000ers", "the-grain-crisis", "dizzy-with-success",
                                  "workers-lives-and-coercion", "primitive-socialist-accumulation"])
def test_goldmans_summer_1929_for_the_25000ers_is_called_wrong(name: str) -> None:
    text = body(essay(name))
    sentences = [s for s in re.split(r"(?<=[.)])\s+", text) if "summer of 1929" in s and "Goldman" in s]
    assert sentences, name
    assert any(re.search(r"wrong|mistake", s) for s in sentences) or re.search(
        r"summer of 1929[^.]*\.[^.]*wrong|summer of 1929, and that date is wrong|summer of 1929\. That date is wrong", text), sentences


def test_who_was_a_kulak_corrections() -> None:
    text = body(essay("who-was-a-kulak"))
    assert "“temporarily” halted" in text
    assert "spring and summer of 1931" in text
    assert "“class war from below" not in text
    assert "Bolshevik case" in text and "14 percent" in text


def test_workers_lives_passport_and_wage_earners() -> None:
    text = body(essay("workers-lives-and-coercion"))
    assert "which the Bolsheviks had abolished in 1918" not in text
    assert "“promptly abolished by the Bolsheviks in 1918”" in text and "1923" in text
    assert "wage and salary earners almost doubled" in text


def test_two_thirds_veterans_is_not_stated_as_fact() -> None:
    text = body(essay("workers-and-the-party"))
    assert "and two thirds were civil war veterans" not in text
    assert "cannot be taken literally" in text


def test_true_believers_quotation_has_its_own_note() -> None:
    text = body(essay("the-25000ers"))
    assert re.search(r"preconditioned the country for the events of the 1930s\.”\[\^\d+\]", text)


@pytest.mark.parametrize("path", sorted(ESSAYS.glob("*.md")), ids=lambda p: p.stem)
def test_every_citation_has_its_own_note_number(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    refs = re.findall(r"\[\^([^\]]+)\](?!:)", text)
    defs = re.findall(r"^\[\^([^\]]+)\]:", text, re.M)
    assert len(refs) == len(set(refs)), [r for r in set(refs) if refs.count(r) > 1]
    assert sorted(refs) == sorted(defs)


# ---- typography of the edition's own prose ---------------------------------------------------------

PROSE = sorted(ESSAYS.glob("*.md")) + [ROOT / "content" / n for n in ("index.md", "for-instructors.md")]


@pytest.mark.parametrize("path", PROSE, ids=lambda p: p.stem)
def test_no_straight_quotes_in_prose(path: Path) -> None:
    text = path.read_text(encoding="utf-8").split("\n---\n", 1)[-1]
    text = re.sub(r"`[^`]*`|\]\([^)]*\)|<[^>]+>|\{[^}]*\}", "", text)
    bad = [line for line in text.splitlines() if '"' in line or "'" in line]
    assert not bad, bad[:3]


@pytest.mark.parametrize("path", sorted((ROOT / "data" / "guides").glob("*.yml")), ids=lambda p: p.stem)
def test_no_straight_quotes_in_guides(path: Path) -> None:
    lines = [line for line in path.read_text(encoding="utf-8").splitlines() if not line.lstrip().startswith("#")]
    bad = [line for line in lines if '"' in line or "'" in line]
    assert not bad, bad[:3]


def test_no_straight_quotes_in_timeline_lines() -> None:
    bad = [e["what"] for e in timeline() if '"' in e["what"] or "'" in e["what"]]
    assert not bad, bad[:3]


# ---- editor's notes (data only) --------------------------------------------------------------------

def test_editor_notes_attach_to_words_the_paragraph_contains(build_dir: Path) -> None:
    passages_file = build_dir / "passages.json"
    passages = json.loads(passages_file.read_text(encoding="utf-8"))
    notes = yaml.safe_load((ROOT / "data" / "editor_notes.yml").read_text(encoding="utf-8"))["notes"]
    ids = [n["id"] for n in notes]
    assert len(ids) == len(set(ids))
    for note in notes:
        assert set(note) == {"id", "at", "words", "text", "sources"}, note["id"]
        key, _, anchor = note["at"].partition("#")
        paragraph = passages[key][anchor]
        assert paragraph.count(note["words"]) == 1, note["id"]
        assert note["sources"] and note["text"].strip()
        for source in note["sources"]:
            if source.startswith("@"):
                skey, _, sanchor = source[1:].partition("#")
                assert sanchor in passages[skey], (note["id"], source)
    slips = {(n["at"], n["words"]) for n in notes}
    for expected in [("goldman#p17", "early 1929"), ("goldman#p17", "That summer"), ("goldman#p30", "1,605,259"),
                     ("viola/chapter-2#p57", "two thirds of all Soviet factory workers were civil war veterans")]:
        assert expected in slips
