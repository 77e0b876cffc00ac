"""Every paragraph a glossary entry cites is about that entry (issue 26).

A citation is evidence only if the paragraph says something the entry says. For each term of
data/glossary.yml and each passage id in its ``sources`` (viola/chapter-2#p14, goldman#fn:3 …), the
passage's text in the BUILT readings (build/passages.json, written by the pipeline this session runs)
must contain

* one of the entry's forms (headword, variants, OCR misspellings), matched as the start of a word,
  case-blind, apostrophes and dashes unified; or
* a KEY WORD of the entry's definition (short, explanation, role): a word of four or more letters,
  or an acronym, that occurs in at most ``KEY_WORD_SHARE`` of all the readings' passages. Words are
  compared after dropping a possessive and a plural -s. Everyday words ("party", "peasants", "1930")
  occur in far more passages and so never count: citing an unrelated paragraph fails.

Nothing here is hard-coded per entry: the forms, the definitions and the word frequencies all come
from data/glossary.yml and the built passages. ``test_an_unrelated_citation_fails`` shows the check
can fail, on a copy of a real entry pointed at paragraphs that are not about it.
"""
from __future__ import annotations

import collections
import dataclasses
import json
import re
from pathlib import Path

import pytest

from scripts.glossary.terms import Glossary, Term, load_glossary
from scripts.glossary.page import _PASSAGE

ROOT = Path(__file__).resolve().parent.parent

#: A word of a definition is "key" if at most this share of all passages contain it (1 %: about 16
#: of the ~1,600 passages). Measured on the real data: a citation of a random passage passes by key
#: words alone for the median entry about 4 times in 100.
KEY_WORD_SHARE = 0.01

_UNIFY = str.maketrans({"“": '"', "”": '"', "‘": "'", "’": "'", "ʹ": "'", "ʼ": "'", "–": "-", "—": "-", "*": ""})
_TOKEN = re.compile(r"[^\W\d_](?:[\w']*[^\W_])?|\d{3,}")


def _norm(text: str) -> str:
    return re.sub(r"\s+", " ", text.translate(_UNIFY))


def _stem(word: str) -> str:
    word = re.sub(r"'s?$", "", word.casefold())
    return word[:-1] if len(word) > 4 and word.endswith("s") and not word.endswith("ss") else word


def _words(text: str) -> set[str]:
    return {_stem(w) for w in _TOKEN.findall(_norm(text))}


@dataclasses.dataclass
class Checker:
    passages: dict[str, str]                 # "viola/chapter-2#p14" -> text
    frequency: collections.Counter[str]      # stemmed word -> number of passages containing it

    @classmethod
    def from_passages(cls, data: dict[str, dict[str, str]]) -> "Checker":
        passages = {f"{key}#{anchor}": text for key, anchors in data.items() for anchor, text in anchors.items()}
        frequency: collections.Counter[str] = collections.Counter()
        for text in passages.values():
            frequency.update(_words(text))
        return cls(passages, frequency)

    def key_words(self, term: Term) -> set[str]:
        limit = KEY_WORD_SHARE * len(self.passages)
        out = set()
        for word in _TOKEN.findall(_norm(f"{term.short} {term.explanation} {term.role}")):
            stem = _stem(word)
            if self.frequency[stem] <= limit and (len(stem) >= 4 or (word.isupper() and len(word) >= 2)):
                out.add(stem)
        return out

    def evidence(self, term: Term, pid: str) -> str | None:
        """What in passage ``pid`` ties it to ``term`` (a form or key words), or None."""
        text = _norm(self.passages[pid]).casefold()
        for form in term.forms:
            if re.search(r"(?<![\w'])" + re.escape(_norm(form).casefold()), text):
                return f"form {form!r}"
        shared = self.key_words(term) & _words(self.passages[pid])
        return f"key words {sorted(shared)}" if shared else None

    def problems(self, glossary: Glossary) -> list[str]:
        out = []
        for term in glossary.terms:
            for item in term.sources:
                m = _PASSAGE.match(item)
                if not m:
                    continue  # Viola's glossary or a named work: nothing to read here
                if item not in self.passages:
                    out.append(f"{glossary.path}:{term.line}: {term.id}: {item} is not a passage of the readings")
                elif self.evidence(term, item) is None:
                    out.append(f"{glossary.path}:{term.line}: {term.id}: {item} contains none of the entry's forms "
                               f"({', '.join(term.forms[:4])}) nor any key word of its definition: is it the right "
                               f"paragraph? (`python -m scripts.core.passages show {item}`)")
        return out


@pytest.fixture(scope="module")
def glossary() -> Glossary:
    return load_glossary(ROOT / "data" / "glossary.yml")


@pytest.fixture(scope="module")
def checker(build_dir: Path) -> Checker:
    """The passages of the readings as this session's build wrote them."""
    return Checker.from_passages(json.loads((build_dir / "passages.json").read_text(encoding="utf-8")))


def test_every_cited_paragraph_is_about_the_entry(glossary: Glossary, checker: Checker) -> None:
    problems = checker.problems(glossary)
    assert not problems, "\n".join(problems)


def test_key_words_exclude_everyday_words(glossary: Glossary, checker: Checker) -> None:
    """The threshold really filters: the commonest words of the definitions are never key words."""
    common = [w for w, _ in checker.frequency.most_common(200) if len(w) >= 4]
    for term in glossary.terms:
        assert not set(common) & checker.key_words(term), term.id


def test_an_unrelated_citation_fails(glossary: Glossary, checker: Checker) -> None:
    """Point real entries at paragraphs of another reading that share no form or key word with them:
    the check must report each one, naming the entry and the passage."""
    tried = 0
    for term in glossary.terms:
        if not any(_PASSAGE.match(s) for s in term.sources):
            continue
        unrelated = next((pid for pid in sorted(checker.passages) if checker.evidence(term, pid) is None
                          and len(checker.passages[pid]) > 400), None)
        assert unrelated is not None, term.id
        broken = dataclasses.replace(term, sources=(unrelated,))
        problems = checker.problems(dataclasses.replace(glossary, terms=[broken]))
        assert len(problems) == 1 and term.id in problems[0] and unrelated in problems[0]
        tried += 1
    assert tried > 150
