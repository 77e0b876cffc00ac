""""About this text", written for readers: what the edition changed and why, in plain words.

Students and instructors ask three things of an edition: is this the complete text, what is
missing or damaged, how do I cite it. The first version of the apparatus answered in build
vocabulary (rule identifiers as headings, file hashes, source line numbers). Now:

* each rule's changes are one collapsed entry whose title says, with the count, what was done
  ("174 paragraphs that a printed page break had split in two were rejoined"); the sentences are
  data (``data/apparatus.yml``), so a historian can reword them without touching Python;
* opened, an entry lists its changes with links to the places in the text (the paragraph or note
  that begins nearest before the change's source line);
* rule identifiers, the rule's docstring, source line numbers, the received file's name and hash
  go into collapsed "Technical details" blocks.
"""
from __future__ import annotations

import bisect
import difflib
import posixpath
from functools import lru_cache
from pathlib import Path

from scripts.core.escape import md_inline

from pydantic import model_validator

from scripts.core.datafile import Strict, Text, load_yaml, load_yaml_located, schema_for
from scripts.core.errors import BuildError
from scripts.sources.pagination import apparatus_pages
from scripts.core.markdown_text import escape_text
from scripts.core.slots import EDITOR_NOTES_SLOT


KIND_TITLES = {
    "removal": "Removed (not the author's text)",
    "join": "Joined (paragraphs split by page breaks, wrapped lines)",
    "correction": "Corrections",
    "typography": "Typography (straight quotation marks and apostrophes made curly; no letter changed)",
    "damage": "Damaged or lost places (flagged, nothing invented)",
    "warning": "Warnings",
}
#: Kinds whose changes lie inside the text, so that a link to the nearest paragraph is meaningful.
LINKED_KINDS = {"join", "correction", "typography", "damage", "warning"}


class RuleWords(Strict):
    many: Text | None = None
    one: Text | None = None

    @model_validator(mode="after")
    def _some_words(self) -> "RuleWords":
        if not (self.many or self.one):
            raise ValueError("give 'many' (with {n}) or 'one'")
        return self


@schema_for("data/apparatus.yml")
class ApparatusData(Strict):
    rules: dict[str, RuleWords]


@lru_cache(maxsize=4)
def load_words(path: Path) -> dict[str, RuleWords]:
    return load_yaml(path, ApparatusData).rules if path.exists() else {}


def check_rule_names(path: Path, known: set[str]) -> None:
    """Every rule ``data/apparatus.yml`` words is a rule of the build: a misspelt name would otherwise
    lose its sentence without a word (the apparatus falls back to the rule's name). ``known``: the
    rules that made a change in this build and every documented rule function."""
    if not path.exists():
        return
    data, lines = load_yaml_located(path, ApparatusData)
    for rule in data.rules:
        if rule not in known:
            close = difflib.get_close_matches(rule, sorted(known), n=1)
            raise BuildError(path, lines.of("rules", rule), f"no rule of the build is called '{rule}'",
                             f"did you mean '{close[0]}'?" if close else
                             "check the spelling against the rule names in build/report.md, or remove the entry")


def summary(rule: str, n: int, words: dict[str, RuleWords]) -> str:
    """The plain sentence for ``n`` changes by ``rule``; the rule's name if it has no sentence."""
    entry = words.get(rule)
    if entry is None:
        return f"{n} change{'s' if n != 1 else ''} by the rule “{rule}”."
    if n == 1 and entry.one:
        return entry.one
    return (entry.many or entry.one or "").replace("{n}", f"{n:,}")


class Places:
    """Where the edition's paragraphs and notes start in the source: (source line, page, anchor)."""

    def __init__(self, places: list[tuple[int, str, str]]) -> None:
        self.items = sorted(p for p in places if p[0] > 0)
        self.lines = [p[0] for p in self.items]

    #: A change further than this many source lines after the start of the nearest paragraph is
    #: not inside it (back matter without paragraph anchors, such as the book's index).
    MAX_GAP = 25

    def near(self, line: int) -> tuple[str, str] | None:
        """The page and anchor of the paragraph or note that begins nearest before ``line``."""
        if not line or not self.items or line < self.lines[0]:
            return None
        i = bisect.bisect_right(self.lines, line) - 1
        if line - self.items[i][0] > self.MAX_GAP:
            return None
        return self.items[i][1], self.items[i][2]


def place_label(page: str, anchor: str, page_titles: dict[str, str]) -> str:
    where = page_titles.get(page, "")
    if not anchor:
        return where or "this page"
    if anchor.startswith("fn:") or anchor.startswith("note-"):
        what = "note " + anchor.split(":", 1)[-1].removeprefix("note-")
    else:
        what = "¶ " + anchor[1:]
    return f"{where}, {what}" if where else what


def _clip(text: str, n: int = 90) -> str:
    text = " ".join(text.split())
    return text if len(text) <= n else text[: n - 1] + "…"


def describe(e) -> str:
    """One change in a few words (without its source line, which is a technical detail)."""
    if e.kind == "correction":
        text = f"“{_clip(e.before)}” → “{_clip(e.after)}”"
    elif e.kind == "typography":
        text = f"“{_clip(_first_change(e.before, e.after), 70)}”"
    elif e.kind == "join":
        text = f"“…{_clip(e.before, 50)}” + “{_clip(e.after, 50)}…”"
    elif e.kind == "removal":
        text = f"“{_clip(e.before)}”"
    else:
        text = ""
    note = e.note if e.note else ""
    return escape_text(" — ".join(t for t in (text, note) if t))


def _first_change(before: str, after: str) -> str:
    """The words around the first curled mark of a typography edit (as printed after the change)."""
    i = next((k for k, (a, b) in enumerate(zip(before, after)) if a != b), 0)
    start = max(0, after.rfind(" ", 0, max(0, i - 25)) + 1)
    return after[start:start + 70]


def render(doc, ctx, about_page: str, places: Places, page_titles: dict[str, str],
           heading_level: int = 2, with_heading: bool = True) -> str:
    """The Markdown of "About this text" (placed on ``about_page``)."""
    h = "#" * heading_level
    entry = ctx.entry
    words = load_words(ctx.apparatus) if ctx.apparatus else {}
    lines = ['<div class="apparatus" markdown>', ""]
    if with_heading:
        lines += [f"{h} About this text", ""]
    lines += [
        f"**Where the text comes from.** {escape_text(entry.get('provenance', ''))}",
        "",
        "**What this edition changed, and why.** The words are the author's. What the edition took "
        "out (web-page clutter, conversion debris), joined, corrected or marked as damaged is listed "
        "below, each change in its place; open an entry to see the changes.",
        "",
        "| Change | Count |",
        "|---|---|",
    ]
    for kind, title in KIND_TITLES.items():
        lines.append(f"| {title} | {sum(1 for e in doc.edits if e.kind == kind)} |")
    lines.append("")
    lines += apparatus_pages(doc, h)  # how the printed page numbers were inferred (scripts/sources/pagination.py)
    for kind, title in KIND_TITLES.items():
        edits = [e for e in doc.edits if e.kind == kind]
        if not edits:
            continue
        lines += [f"{h}# {title}", ""]
        by_rule: dict[str, list] = {}
        for e in edits:
            by_rule.setdefault(e.rule, []).append(e)
        for rule, items in by_rule.items():
            title_text = summary(rule, len(items), words)
            if kind == "typography":  # how many marks, not only how many paragraphs
                marks = sum(1 for e in items for a, b in zip(e.before, e.after) if a != b)
                title_text += f" ({marks:,} mark{'s' if marks != 1 else ''} in all)"
            if kind == "removal":  # removals are bounded (scripts/sources/removal_limits.py): say how much went
                removed = sum(len(e.before.split()) for e in items)
                title_text += f" ({removed:,} word{'s' if removed != 1 else ''} removed)"
            lines += [f'??? note "{md_inline(_attr_text(title_text))}"', ""]
            for e in items:
                where = places.near(e.line) if kind in LINKED_KINDS else None
                text = describe(e) or "(see the technical details)"
                if where:
                    page, anchor = where
                    href = posixpath.relpath(page, posixpath.dirname(about_page) or ".")
                    label = place_label(page, anchor, page_titles)
                    target = f"{href}#{anchor}" if anchor else href
                    lines.append(f"    - [{escape_text(label)}]({target}): {text}")
                else:
                    lines.append(f"    - {text}")
            lines.append("")
            lines += ['    ??? info "Technical details"', ""]
            doc_line = ctx.rule_docs.get(rule, "")
            lines.append(f"        Rule `{rule}`" + (f": {escape_text(doc_line)}" if doc_line else "."))
            src_lines = ", ".join(str(e.line) for e in items if e.line)
            if src_lines:
                lines += ["", f"        Lines in the source file: {src_lines}."]
            lines.append("")
    lines += [EDITOR_NOTES_SLOT, ""]   # the reading's editor's notes (scripts/render/editor_notes.py)
    lines += [
        '??? info "Technical details: the source file"', "",
        f"    Received as `{entry['original']}` (SHA-256 `{entry['sha256']}`), kept unchanged in "
        f"`sources/{entry['file']}`. Every change above was made by a named rule of the build or by "
        f"an entry of `data/corrections/{entry['id']}.yml`, and logged in `build/report.md`.",
        "",
        "</div>", "",
    ]
    return "\n".join(lines)


def _attr_text(text: str) -> str:
    """A title for ``??? note "…"`` (double quotes would end it)."""
    return text.replace('"', "”").replace("\\", "")
