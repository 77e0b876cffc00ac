"""The passages of the readings: every anchored paragraph and note as plain text, by stable id.

Every build writes ``build/passages.json``: ``{"viola/chapter-2": {"p14": "text…", "fn:3": "…"}, …}``.
A passage id is ``<reading>[/<part>]#<anchor>``: ``viola/chapter-2#p14`` (a chapter of a book),
``goldman#p12`` (a one-page article), ``hatch#note-63`` (a note in a note list) or
``viola/chapter-1#fn:19`` (a footnote). Essays cite passages by these ids; the build checks every
citation and quotation against this record, and writers look passages up with the command line::

    python -m scripts.core.passages find "extraordinary measures"      # every passage with these words
    python -m scripts.core.passages show viola/chapter-2#p14           # one passage's text
"""
from __future__ import annotations

import argparse
import functools
import json
import os
import math
import re
import sys
import unicodedata
from pathlib import Path

from scripts.paths import ROOT, Paths


def page_key(page_path: str) -> str | None:
    """docs path of a reading page -> passage key ("readings/viola/chapter-2.md" -> "viola/chapter-2")."""
    if not page_path.startswith("readings/") or not page_path.endswith(".md"):
        return None
    key = page_path[len("readings/"):-3]
    return key[:-len("/index")] if key.endswith("/index") else key


def key_page(key: str) -> str:
    """Passage key -> docs path ("goldman" -> "readings/goldman/index.md")."""
    return f"readings/{key}.md" if "/" in key else f"readings/{key}/index.md"


def collect(pages) -> dict[str, dict[str, str]]:
    """The passages of every reading page, keyed as in build/passages.json."""
    out: dict[str, dict[str, str]] = {}
    for page in pages:
        key = page_key(page.path)
        if key and page.passages:
            out[key] = dict(page.passages)
    return out


def write(passages: dict[str, dict[str, str]], folder: Path) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "passages.json").write_text(json.dumps(passages, ensure_ascii=False, indent=0), encoding="utf-8")


def load(path: Path | None = None) -> dict[str, dict[str, str]]:
    """The passages of the last build (build/passages.json), for the command-line tools."""
    path = path or (Path(os.environ["RFA_BUILD_DIR"]) / "passages.json" if os.environ.get("RFA_BUILD_DIR")
                    else Paths().passages)       # RFA_BUILD_DIR: a build elsewhere (the tests' session build)
    if not path.exists():
        sys.exit(f"{path.relative_to(ROOT)} does not exist yet: run `./site.sh build` (or python -m scripts.build) first")
    return json.loads(path.read_text(encoding="utf-8"))


@functools.lru_cache(maxsize=8192)
def normalise(text: str) -> str:
    """Text for comparing a quotation with its source — the one rule, used by the essay checker
    (:mod:`scripts.course.essay_check`) and by ``find`` below, so a passage found with ``find`` is one
    the checker accepts: footnote markers, link targets, quote marks, apostrophes and emphasis
    dropped, dashes unified, an ellipsis read as a gap, spacing folded. Case is kept (a quotation
    keeps the author's capitals); ``find`` ignores it on top of this. Kept for the process's recent
    texts: the essay checker compares each quotation with the paragraph it cites, and the same
    paragraphs are normalised again on every regeneration while serving."""
    text = unicodedata.normalize("NFC", text)
    text = re.sub(r"\[\^[^\]]+\]", "", text)                      # footnote markers
    text = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", text)          # Markdown links -> their text
    text = re.sub(r"[\"“”„‘’'ʹ′`]", "", text)                     # quote marks and apostrophes
    text = re.sub(r"[–—‑-]", "-", text).replace("*", "").replace("_", "").replace("…", " ")
    text = re.sub(r"\s*-\s*", "-", text)
    return re.sub(r"\s+", " ", text).strip()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Look up passages of the readings (after a build).")
    sub = parser.add_subparsers(dest="cmd", required=True)
    f = sub.add_parser("find", help="passages containing all these words (case-insensitive)")
    f.add_argument("words", nargs="+")
    f.add_argument("--in", dest="within", default="", help="only passages whose id starts with this (viola/chapter-2)")
    s = sub.add_parser("show", help="the text of one passage, e.g. viola/chapter-2#p14")
    s.add_argument("ids", nargs="+")
    args = parser.parse_args(argv)
    passages = load()
    if args.cmd == "show":
        for ident in args.ids:
            key, _, anchor = ident.partition("#")
            text = passages.get(key, {}).get(anchor)
            print(f"{ident}: {text}" if text is not None else f"{ident}: no such passage")
        return 0
    needles = [normalise(w).lower() for w in args.words]
    for key, anchors in passages.items():
        for anchor, text in anchors.items():
            ident = f"{key}#{anchor}"
            if args.within and not ident.startswith(args.within):
                continue
            if all(n in normalise(text).lower() for n in needles):
                print(f"{ident}: {text}\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())


WORDS_PER_MINUTE = 200


def reading_minutes(text_words: int, note_words: int = 0) -> int:
    """Reading time in whole minutes at :data:`WORDS_PER_MINUTE` (text and notes), never 0. Every
    reading time on the site — guides, readings list, home page, syllabi — comes from here."""
    return max(1, math.ceil((text_words + note_words) / WORDS_PER_MINUTE))


@functools.lru_cache(maxsize=65536)
def count_words(text: str) -> int:
    """Words as a reader counts them: runs of non-space characters holding a letter or digit.

    Cached: the guides, the readings list, the home page and the syllabi count the same passages
    again (some 10,000 calls per build, a sixth of its time before the cache)."""
    return sum(1 for token in text.split() if any(ch.isalnum() for ch in token))


def page_counts(passages: dict[str, str]) -> tuple[int, int]:
    """(words of the text, words of the notes) of one page's passages."""
    text = sum(count_words(t) for a, t in passages.items() if a.startswith("p") and a[1:].isdigit())
    notes = sum(count_words(t) for a, t in passages.items() if not (a.startswith("p") and a[1:].isdigit()))
    return text, notes
