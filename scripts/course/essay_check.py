"""Essays: hand-written Markdown pages that cite the readings by passage, checked against the texts.

An essay is ``content/essays/<id>.md``::

    ---
    title: "Who Was a Kulak?"
    summary: "Two sentences for the Essays index."
    readings: [viola, goldman]
    ---

    # Who Was a Kulak?

    Viola calls the 25,000ers “the best sons of the fatherland.”[^1] …

    [^1]: @viola/chapter-2#p14. Compare @goldman#p17.

A citation is ``@<reading>[/<part>]#<anchor>`` — a passage id of ``build/passages.json`` (see
scripts/core/passages.py) — in a footnote, or the target of a link: ``[chapter 2](@viola/chapter-2)``.
A work of the bibliography is cited by its key, which has its year in it (``@danilov1970dinamika,
245``); those citations are formatted by the citation stage, not here.
The build turns each into a footnote in the site's style with a link to the paragraph.

What this module checks (``check_essay``), so that an essay never cites a paragraph that does not
exist or misquotes one:

- the front matter has a title, a summary and the readings it draws on;
- every citation names an existing passage (or, without ``#anchor``, an existing page);
- every quotation of five or more words — text between “ and ” (not in the text of a link, which
  names a page: a title), or a block quotation — appears
  word for word in a passage cited by the same paragraph (its footnotes or links). Quote marks,
  apostrophes, dashes and emphasis are normalised; an ellipsis (… or . . .) marks an omission, so
  each piece between ellipses is looked up on its own, in order.

``python -m scripts.course.essay_check check [content/essays/x.md …]`` prints every problem with its line and
the essay's counts (words, paragraph citations, quotations checked); run it after ``./site.sh build``.
"""
from __future__ import annotations

import argparse
import datetime as dt
import re
import sys
from dataclasses import dataclass, field
from pathlib import Path

from typing import Annotated

from pydantic import Field

from scripts.core.datafile import Slug, Strict, Text, Title, schema_for
from scripts.core.errors import BuildError
from scripts.core.front_matter import front_matter_of, split
from scripts.core.passages import load as load_passages, normalise

from scripts.paths import Paths
from scripts.core.passages import count_words
from scripts.course import essay_charts

CITATION = re.compile(r"@(?P<key>(?![a-z-]*\d{4})[a-z0-9-]+(?:/[a-z0-9-]+)?)"
                      r"(?:#(?P<anchor>p\d+|fn:\d+|note-(?:\d+|star)))?")
"""A citation of a reading passage. A bibliography key carries its year (``@danilov1970dinamika``)
and a reading id never does, so ``@key`` citations of the bibliography are left to the citation
stage (scripts/citations/essay_keys.py), which checks and formats them."""
#: Anything written like a citation: ``@`` (not inside a word or an address) and an id, a part, an anchor.
CITATION_LIKE = re.compile(r"(?<![\w.@/])@(?P<raw>[A-Za-z][\w-]*(?:/[\w-]*)*(?:#[^\s,;)\]]*)?)")
BIB_KEY_LIKE = re.compile(r"^[A-Za-z][\w-]*\d{4}")
FOOTNOTE_DEF = re.compile(r"^\[\^(?P<label>[^\]]+)\]:\s?(?P<text>.*)$")
FOOTNOTE_REF = re.compile(r"\[\^(?P<label>[^\]]+)\](?!:)")
QUOTATION = re.compile(r"“([^“”]+)”")
ELLIPSIS = re.compile(r"\s*(?:\[\s*)?(?:…|\.\s\.\s\.(?:\s\.)?|\.\.\.)(?:\s*\])?\s*")
MIN_QUOTE_WORDS = 5


@dataclass
class Block:
    """A paragraph or block quotation of the essay body, with the line it starts on."""

    text: str
    line: int
    quote_block: bool = False


@dataclass
class Essay:
    path: Path
    meta: dict
    body_lines: list[tuple[int, str]]
    footnotes: dict[str, tuple[int, str]] = field(default_factory=dict)
    blocks: list[Block] = field(default_factory=list)
    duplicate_footnotes: list[tuple[int, str, int]] = field(default_factory=list)   # (line, label, first line)

    @property
    def id(self) -> str:
        return self.path.stem


@dataclass
class Problem:
    line: int
    message: str


@schema_for("content/essays/*.md")
class EssayFrontMatter(Strict):
    """An essay's front matter: its title (the nav, the Essays index, "Discussed in"), the summary of
    the Essays index and the meta description, and the readings it draws on (a list of ids)."""

    title: Title
    summary: Text
    readings: Annotated[list[Slug], Field(min_length=1)]
    #: who wrote it and when, for its "Cite this essay" (scripts/citations/essay_keys.py)
    author: Text | None = None
    authors: list[Text] | None = None
    date: dt.date | Text | None = None


def essay_front_matter(path: Path, text: str) -> tuple[dict, list[tuple[int, str]]]:
    """(the front matter checked against the essays' schema, the body's numbered lines): like
    :func:`scripts.core.front_matter.split_front_matter`, but an essay must have front matter, and a
    missing or unknown key or ``readings:`` that is not a list stops the build at its line."""
    _yaml, body_start = split(path, text)
    if _yaml is None:
        raise BuildError(path, 1, "the essay has no front matter",
                         "start the file with ---, then title: \"…\", summary: \"Two sentences.\", "
                         "readings: [viola, goldman], then ---")
    meta = front_matter_of(path, text, EssayFrontMatter).model_dump()
    lines = text.split("\n")
    return meta, list(enumerate(lines[body_start - 1:], body_start))


def parse_essay(path: Path, text: str | None = None) -> Essay:
    """Split an essay into front matter, body blocks and footnote definitions."""
    text = path.read_text(encoding="utf-8") if text is None else text
    meta, body = essay_front_matter(path, text)
    essay = Essay(path, meta, body)
    current: list[str] = []
    start = 0
    quote = False
    fn_label = None

    def flush() -> None:
        nonlocal current, quote
        if current:
            essay.blocks.append(Block(" ".join(current), start, quote))
        current, quote = [], False

    for number, line in body:
        m = FOOTNOTE_DEF.match(line)
        if m:
            flush()
            fn_label = m.group("label")
            if fn_label in essay.footnotes:
                essay.duplicate_footnotes.append((number, fn_label, essay.footnotes[fn_label][0]))
            essay.footnotes[fn_label] = (number, m.group("text"))
            continue
        if fn_label is not None:
            if line.startswith("    ") or (not line.strip()):
                if line.strip():
                    n, t = essay.footnotes[fn_label]
                    essay.footnotes[fn_label] = (n, t + " " + line.strip())
                continue
            fn_label = None
        stripped = line.strip()
        if not stripped or stripped.startswith(("#", "<", "---", "!!!", "???", "|", "{{")):   # {{ chart: id }}
            flush()
            continue
        is_quote = stripped.startswith(">")
        if current and is_quote != quote:
            flush()
        if not current:
            start, quote = number, is_quote
        current.append(stripped.lstrip("> ").strip() if is_quote else stripped)
    flush()
    return essay


def citations_in(text: str) -> list[tuple[str, str | None]]:
    """The (key, anchor) pairs cited in a piece of essay text."""
    return [(m.group("key"), m.group("anchor")) for m in CITATION.finditer(text)]


def block_citations(essay: Essay, block: Block) -> list[tuple[str, str | None]]:
    """What a paragraph cites: its footnotes' citations and its own @links."""
    found = citations_in(re.sub(r"\[\^[^\]]+\]", "", block.text))
    for m in FOOTNOTE_REF.finditer(block.text):
        if m.group("label") in essay.footnotes:
            found += citations_in(essay.footnotes[m.group("label")][1])
    return found


def quotations(block: Block) -> list[str]:
    """Quotations of five or more words in a block (a block quotation is one quotation)."""
    if block.quote_block:
        text = re.sub(r"\[\^[^\]]+\]", "", block.text).strip()
        return [text] if len(text.split()) >= MIN_QUOTE_WORDS else []
    prose = re.sub(r"\[([^\]]*)\]\(@[^)]*\)", "", block.text)      # link text names a page (a title), not a quotation
    return [q for q in QUOTATION.findall(prose) if len(q.split()) >= MIN_QUOTE_WORDS]


def quote_found(quote: str, source: str) -> bool:
    """Is every piece of ``quote`` between ellipses in ``source``, in order?"""
    haystack = normalise(source)
    pos = 0
    for piece in ELLIPSIS.split(quote):
        piece = normalise(piece).strip(" ,;:.")
        if not piece:
            continue
        found = haystack.find(piece, pos)
        if found < 0:
            return False
        pos = found + len(piece)
    return True


def body_words(essay: Essay) -> int:
    """Words of the essay's prose (headings, footnote definitions and markup not counted), counted
    as every word count on the site is (scripts.core.passages.count_words)."""

    words = 0
    for block in essay.blocks:
        text = re.sub(r"\[\^[^\]]+\]", "", block.text)
        text = re.sub(r"\]\([^)]*\)", "]", text)
        words += count_words(text)
    return words


def check_essay(essay: Essay, passages: dict[str, dict[str, str]], pages: set[str] | None = None) -> tuple[list[Problem], dict]:
    """Every problem of one essay, and its counts for the build report."""
    problems: list[Problem] = []
    for key in ("title", "summary", "readings"):
        if not essay.meta.get(key):
            problems.append(Problem(1, f"the front matter has no '{key}'"))
    for line, label, first in essay.duplicate_footnotes:
        problems.append(Problem(line, f"the footnote [^{label}] is defined twice (first on line {first}): "
                                      "the second replaces the first"))
    for number, line in essay.body_lines:
        for m in CITATION_LIKE.finditer(line):
            raw = m.group("raw").rstrip(".:")
            if BIB_KEY_LIKE.match(raw) or CITATION.fullmatch("@" + raw):
                continue
            problems.append(Problem(number, f"'@{raw}' is not a citation: write @reading[/part]#anchor in lower case, "
                                            "with the anchor after # (e.g. @viola/chapter-1#p54, @goldman#p17)"))
    known_pages = set(passages) | (pages or set())
    cited: set[tuple[str, str]] = set()
    readings_used: set[str] = set()

    def check_ref(line: int, key: str, anchor: str | None) -> None:
        if anchor is None:
            if key not in known_pages:
                problems.append(Problem(line, f"'@{key}' is not a reading page (use e.g. @viola/chapter-2 or @goldman)"))
            return
        if key not in passages:
            problems.append(Problem(line, f"'@{key}#{anchor}': there is no reading page '{key}'"))
        elif anchor not in passages[key]:
            problems.append(Problem(line, f"'@{key}#{anchor}': {key} has no passage '{anchor}'"))
        else:
            cited.add((key, anchor))
            readings_used.add(key.split("/")[0])

    for label, (line, text) in essay.footnotes.items():
        for key, anchor in citations_in(text):
            check_ref(line, key, anchor)
    for block in essay.blocks:
        for key, anchor in citations_in(re.sub(r"\[\^[^\]]+\]", "", block.text)):
            check_ref(block.line, key, anchor)
        for m in FOOTNOTE_REF.finditer(block.text):
            if m.group("label") not in essay.footnotes:
                problems.append(Problem(block.line, f"footnote [^{m.group('label')}] has no definition"))
    referenced = {m.group("label") for block in essay.blocks for m in FOOTNOTE_REF.finditer(block.text)}
    referenced |= {m.group("label") for _line, text in essay.footnotes.values() for m in FOOTNOTE_REF.finditer(text)}
    for label, (line, _text) in essay.footnotes.items():
        if label not in referenced:     # MkDocs would stop with "no such anchor '#fnref:…'", no line, link advice
            problems.append(Problem(line, f"the footnote [^{label}] is never referenced in the text: delete its "
                                          f"definition, or put [^{label}] where the note belongs"))
    checked = 0
    for block in essay.blocks:
        refs = [(k, a) for k, a in block_citations(essay, block) if a and a in passages.get(k, {})]
        for quote in quotations(block):
            checked += 1
            if not refs:
                problems.append(Problem(block.line, f"the quotation “{quote[:60]}…” is in a paragraph that cites no passage"))
            elif not any(quote_found(quote, passages[k][a]) for k, a in refs):
                where = ", ".join(f"@{k}#{a}" for k, a in refs)
                problems.append(Problem(block.line, f"the quotation “{quote[:70]}…” is not word for word in {where}"))
    counts = {"words": body_words(essay), "paragraph_citations": len(cited), "quotations_checked": checked,
              "readings_used": sorted(readings_used)}
    return problems, counts


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Check essays' citations and quotations against the readings.")
    sub = parser.add_subparsers(dest="cmd", required=True)
    c = sub.add_parser("check", help="check essays (default: every content/essays/*.md)")
    c.add_argument("files", nargs="*", type=Path)
    args = parser.parse_args(argv)
    paths = Paths()
    passages = load_passages(paths.passages)
    files = args.files or sorted((paths.content / "essays").glob("*.md"))
    bad = 0
    for path in files:
        try:
            essay = parse_essay(path)
        except BuildError as exc:
            print(exc)
            bad += 1
            continue
        problems, counts = check_essay(essay, passages)
        problems += [Problem(line, message) for line, message, _hint in
                     essay_charts.problems(essay.body_lines, essay_charts.chart_ids(paths.charts))]
        for p in problems:
            print(f"{path}:{p.line}: error: {p.message}")
        bad += len(problems)
        print(f"{path}: {counts['words']} words, {counts['paragraph_citations']} paragraph citations, "
              f"{counts['quotations_checked']} quotations checked, readings: {', '.join(counts['readings_used'])}"
              f"{'' if not problems else f' — {len(problems)} problem(s)'}")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
