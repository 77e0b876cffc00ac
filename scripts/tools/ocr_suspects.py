"""The OCR-suspect report: every word of the readings that an English dictionary does not know.

Why: the readings are OCR and e-book conversions. A misread word ("Kolkhozsentr", "sel' sovents",
"siegeliike") looks like any other word to a reader, and only a systematic check finds them all.
This module lists every word of every reading passage (``build/passages.json``: the paragraphs,
notes and footnotes of every reading page, after the corrections stage) that

1. Debian's Hunspell dictionaries (``hunspell-en-us`` and ``hunspell-en-gb``, through pyenchant)
   do not know, and
2. the project word list does not know: ``data/ocr/words.yml`` (transliterated Russian, names,
   abbreviations, reviewed by hand) plus every form of every glossary entry,

grouped by spelling with its count and the passages it occurs in. Every suspect must be resolved
in data, by one of:

* a correction in ``data/corrections/<id>.yml`` (then it is no longer in the text), or
* an entry of the reviewed "as printed" list ``data/ocr/as_printed.yml`` with the reason the word
  is left as the author printed it (author's spelling, transliteration variant, period usage …).

``tests/test_ocr_suspects.py`` holds the number of unresolved suspects at zero, so a new unknown
word in a source (or a correction that introduces one) fails the tests until someone reviews it.

The same word lists review ``data/glued_words.yml``: every split must give known words, or the entry
says ``doubtful: true`` (and the build leaves that token as printed).

Run ``python -m scripts.tools.ocr_suspects`` after a build: it writes ``build/ocr-suspects.md`` (every
unknown word, how it is resolved, where it occurs) and prints the unresolved ones;
``--unresolved-yaml`` prints them as YAML stubs to paste into ``as_printed.yml`` after review.
"""
from __future__ import annotations

import argparse
import re
import sys
from collections import defaultdict
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Annotated


from scripts.core.datafile import NonEmpty, Strict, Text, load_yaml
from scripts.core.errors import BuildError

from scripts.paths import ROOT  # noqa: E402
from scripts.glossary.terms import load_glossary
from scripts.core.passages import load
from scripts.core.passages import page_key
WORDS_FILE = ROOT / "data" / "ocr" / "words.yml"
AS_PRINTED_FILE = ROOT / "data" / "ocr" / "as_printed.yml"
REPORT_FILE = ROOT / "build" / "ocr-suspects.md"

#: Hunspell dictionaries (Debian packages hunspell-en-us, hunspell-en-gb); both spellings are English.
DICTIONARIES = ("en_US", "en_GB")

#: A word: letters, with apostrophes (sel'sovet, Ob''edinennoe, kulak's) inside; digits never.
_WORD = re.compile(r"[^\W\d_]+(?:['’ʹʼ]+[^\W\d_]+)*")
#: Letters that are not Latin (Cyrillic, Devanagari … inside a transliterated word are OCR slips).
_APOS = str.maketrans({"’": "'", "ʹ": "'", "ʼ": "'"})


# ------------------------------------------------------------------------------------------------
# Data files
# ------------------------------------------------------------------------------------------------


class WordGroup(Strict):
    """A group of the project word list: words the dictionary lacks but that are right, and why."""

    reason: Text
    words: list[Text]


class WordList(Strict):
    groups: dict[str, WordGroup]


class AsPrinted(Strict):
    """Words reviewed and left as printed (not corrected), with the reason."""

    reason: Text
    words: Annotated[list[Text], NonEmpty("list at least one word")]


class AsPrintedList(Strict):
    reviewed: list[AsPrinted]


def normal(word: str) -> str:
    return word.translate(_APOS)


@dataclass
class Lexicon:
    """What counts as a known word: the dictionaries, the project word list, the glossary forms."""

    project: dict[str, str] = field(default_factory=dict)  # word -> group name
    as_printed: dict[str, str] = field(default_factory=dict)  # word -> reason

    @staticmethod
    @lru_cache(maxsize=1)
    def _dicts():
        try:
            import enchant
        except ImportError:  # pragma: no cover - requirements.txt installs it
            raise BuildError(None, None, "the Python package pyenchant is not installed",
                             "run ./site.sh build (it installs requirements.txt)") from None
        broker = enchant.Broker()
        out = []
        for tag in DICTIONARIES:
            broker.set_ordering(tag, "hunspell")
            if not broker.dict_exists(tag):
                raise BuildError(None, None, f"the Hunspell dictionary {tag} is not installed",
                                 "apt-get install hunspell-en-us hunspell-en-gb libenchant-2-2 (see .ci/run)")
            out.append(broker.request_dict(tag))
        return tuple(out)

    def in_dictionary(self, word: str) -> bool:
        w = normal(word)
        return any(d.check(w) for d in self._dicts())

    def known(self, word: str) -> bool:
        """Known to the dictionary or to the project word list (as written, or lower-cased)."""
        w = normal(word)
        if w in self.project or w.lower() in self.project:
            return True
        if self.in_dictionary(w):
            return True
        # a possessive or plural of a known word (Kolkhoztsentr's, okrugs, Bukharinists are not)
        for stem in (w[:-2] if w.endswith("'s") else None, w[:-1] if w.endswith("'") else None):
            if stem and (stem in self.project or stem.lower() in self.project or self.in_dictionary(stem)):
                return True
        return False


def load_lexicon(words_file: Path = WORDS_FILE, as_printed_file: Path = AS_PRINTED_FILE,
                 glossary_file: Path = ROOT / "data" / "glossary.yml") -> Lexicon:
    lex = Lexicon()
    for name, group in load_yaml(words_file, WordList).groups.items():
        for w in group.words:
            lex.project[normal(w)] = name
    glossary = load_glossary(glossary_file)
    for term in glossary.terms:
        for form in (term.headword, *term.variants):  # misspellings are NOT words
            for m in _WORD.finditer(form):
                lex.project.setdefault(normal(m.group(0)), "glossary")
    for entry in load_yaml(as_printed_file, AsPrintedList).reviewed:
        for w in entry.words:
            lex.as_printed[normal(w)] = entry.reason
    return lex


# ------------------------------------------------------------------------------------------------
# The report
# ------------------------------------------------------------------------------------------------


@dataclass
class Suspect:
    word: str
    places: list[str] = field(default_factory=list)  # passage ids, one per occurrence
    resolution: str = ""  # "" = unresolved

    @property
    def count(self) -> int:
        return len(self.places)


def words_of(text: str) -> list[str]:
    """The words of a passage (tokens with a digit, such as 25,000ers or 1920s, are not words)."""
    out = []
    for token in text.split():
        if any(ch.isdigit() for ch in token):
            continue
        out += [m.group(0).strip("'’ʹʼ") for m in _WORD.finditer(token)]
    return [w for w in out if w]


def suspects(passages: dict[str, dict[str, str]], lex: Lexicon) -> dict[str, Suspect]:
    """Every word of ``passages`` the lexicon does not know, by spelling (apostrophes unified)."""
    cache: dict[str, bool] = {}
    found: dict[str, Suspect] = {}
    for page, anchors in passages.items():
        for anchor, text in anchors.items():
            for w in words_of(text):
                key = normal(w)
                if key not in cache:
                    cache[key] = lex.known(key)
                if cache[key]:
                    continue
                s = found.setdefault(key, Suspect(key))
                s.places.append(f"{page}#{anchor}")
    for key, s in found.items():
        reason = lex.as_printed.get(key) or lex.as_printed.get(key.lower())
        s.resolution = f"as printed: {reason}" if reason else ""
    return dict(sorted(found.items(), key=lambda kv: (kv[0].lower(), kv[0])))


def table_passages(docs: Path = ROOT / "docs") -> dict[str, dict[str, str]]:
    """The readings' tables (captions, cells and the tables' own notes) as passages keyed like
    build/passages.json (``viola/chapter-5`` -> ``table-table5`` -> text): the passages of the
    build hold paragraphs and notes only, and OCR slips sit in tables too ("3 ^v")."""
    import html as html_lib

    out: dict[str, dict[str, str]] = {}
    for md in sorted((docs / "readings").rglob("*.md")):
        key = page_key(md.relative_to(docs).as_posix())
        for m in re.finditer(r'<figure class="edition-table" id="([^"]+)"[^>]*>(.*?)</figure>', md.read_text("utf-8"), re.S):
            body = re.sub(r"<[^>]+>", " ", m.group(2))
            out.setdefault(key, {})[m.group(1)] = " ".join(html_lib.unescape(body).split())
    return out


def with_tables(passages: dict[str, dict[str, str]], docs: Path = ROOT / "docs") -> dict[str, dict[str, str]]:
    """``passages`` (paragraphs and notes) plus the tables of every reading page."""
    merged = {k: dict(v) for k, v in passages.items()}
    for key, tables in table_passages(docs).items():
        merged.setdefault(key, {}).update(tables)
    return merged


def unresolved(found: dict[str, Suspect]) -> list[Suspect]:
    return [s for s in found.values() if not s.resolution]


def review_glued(lex: Lexicon, path: Path = ROOT / "data" / "glued_words.yml") -> list[str]:
    """Entries of data/glued_words.yml whose split is not confirmed by the word lists and that are
    not marked ``doubtful: true``: each must be one or the other."""
    import yaml

    data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    problems = []
    for key, entries in data.items():
        for e in entries:
            if e.get("doubtful"):
                continue
            if e.get("kind") != "word":
                continue  # digit/punct glues split off a number or a mark: nothing to look up
            unknown = [w for w in words_of(e["split"]) if not lex.known(w) and normal(w) not in lex.as_printed]
            if unknown:
                problems.append(f"{key} line {e['line']}: {e['glued']!r} -> {e['split']!r}: unknown {unknown}")
    return problems


def render_report(found: dict[str, Suspect], glued: list[str]) -> str:
    open_ = unresolved(found)
    lines = ["# OCR-suspect report", "",
             f"Words of the readings unknown to the dictionaries ({', '.join(DICTIONARIES)}) and to the project "
             f"word list: {len(found)} spellings, {sum(s.count for s in found.values())} occurrences; "
             f"**{len(open_)} unresolved**.", "",
             "| Word | Count | Resolution | Where (first 5) |", "|---|---|---|---|"]
    for s in found.values():
        where = ", ".join(sorted(set(s.places), key=s.places.index)[:5])
        lines.append(f"| {s.word} | {s.count} | {s.resolution or '**UNRESOLVED**'} | {where} |")
    lines += ["", f"## Glued-word splits not confirmed ({len(glued)})", ""] + [f"- {g}" for g in glued]
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--unresolved-yaml", action="store_true",
                        help="print the unresolved words as YAML stubs for data/ocr/as_printed.yml")
    args = parser.parse_args(argv)
    try:
        lex = load_lexicon()
    except BuildError as err:
        print(err, file=sys.stderr)
        return 1
    found = suspects(with_tables(load()), lex)       # paragraphs, notes and tables
    glued = review_glued(lex)
    REPORT_FILE.parent.mkdir(parents=True, exist_ok=True)
    REPORT_FILE.write_text(render_report(found, glued), encoding="utf-8")
    open_ = unresolved(found)
    if args.unresolved_yaml:
        by_first: dict[str, list[str]] = defaultdict(list)
        for s in open_:
            by_first[s.places[0].split("#")[0]].append(s.word)
        for page, words in by_first.items():
            print(f"# {page}\n- reason: TODO\n  words: [{', '.join(repr(w) for w in words)}]")
        return 0
    for s in open_:
        print(f"{s.word}\t{s.count}\t{', '.join(s.places[:5])}")
    print(f"{len(found)} unknown spellings, {len(open_)} unresolved; glued splits not confirmed: {len(glued)}; "
          f"report: {REPORT_FILE.relative_to(ROOT)}", file=sys.stderr)
    return 1 if open_ or glued else 0


if __name__ == "__main__":
    sys.exit(main())
