"""Stage: the bibliography. Reads bib/*.bib with bibtexparser and formats citations for the pages.

A broken BibTeX file stops the build with the file, the line and what to fix.
"""
from __future__ import annotations

import logging
import re
from pathlib import Path

import bibtexparser
from bibtexparser.model import ParsingFailedBlock

from .datafile import read_text
from .errors import BuildError
from .markdown_text import escape_text

REQUIRED = {"book": ("author", "title", "publisher", "year"), "article": ("author", "title", "journal", "year")}


def _latex_to_text(value: str) -> str:
    """Undo the little LaTeX our .bib uses: ``--`` dashes, ``{}`` grouping, TeX quotes."""
    value = value.replace("---", "—").replace("--", "–").replace("``", "“").replace("''", "”")
    return re.sub(r"[{}]", "", value).strip()


class Bibliography:
    """The entries of one .bib file, keyed by citation key, with values as plain text."""

    def __init__(self, path: Path) -> None:
        self.path = path
        if not path.exists():
            raise BuildError(path, None, "bibliography file not found", "restore bib/readings.bib from git")
        text = read_text(path)
        if not text.strip():
            raise BuildError(path, 1, "the bibliography is empty", "restore bib/readings.bib from git")
        splitter_log = logging.getLogger("bibtexparser.splitter")
        level = splitter_log.level
        splitter_log.setLevel(logging.CRITICAL)  # its own log lines would repeat our message, unformatted
        try:
            library = bibtexparser.parse_string(text)
        finally:
            splitter_log.setLevel(level)
        for block in library.failed_blocks:
            line = block.start_line + 1 if getattr(block, "start_line", None) is not None else None
            if isinstance(block, ParsingFailedBlock):
                raise BuildError(path, line, f"malformed BibTeX entry: {_reason(block)}",
                                 "check the braces, commas and '=' of that entry, and that its key is unique")
        self.entries: dict[str, dict[str, str]] = {}
        for entry in library.entries:
            line = entry.start_line + 1
            for f in entry.fields:
                swallowed = re.search(r"\n\s*(\w+)\s*=", str(f.value))
                if swallowed:
                    raise BuildError(path, line, f"entry '{entry.key}': field '{f.key}' runs into field "
                                     f"'{swallowed.group(1)}' (a comma is missing)",
                                     f"add a comma after the value of '{f.key}'")
            fields = {f.key.lower(): _latex_to_text(str(f.value)) for f in entry.fields}
            fields["ENTRYTYPE"] = entry.entry_type.lower()
            for need in REQUIRED.get(fields["ENTRYTYPE"], ("author", "title", "year")):
                if not fields.get(need):
                    raise BuildError(path, line, f"entry '{entry.key}' has no '{need}' field",
                                     f"add `{need} = {{...}}` to the entry (only facts printed in the source)")
            fields["_line"] = str(line)
            self.entries[entry.key] = fields

    def get(self, key: str, manifest_path: Path, line: int | None = None) -> dict[str, str]:
        if key not in self.entries:
            known = ", ".join(sorted(self.entries)) or "none"
            raise BuildError(manifest_path, line, f"bibkey '{key}' is not in {self.path.parent.name}/{self.path.name}",
                             f"use one of its keys ({known}) or add an entry @book{{{key}, ...}} to "
                             f"{self.path.parent.name}/{self.path.name}")
        return self.entries[key]


def _reason(block: ParsingFailedBlock) -> str:
    """What bibtexparser found wrong, in words (its exception often has no message of its own)."""
    error = getattr(block, "error", None)
    reason = getattr(error, "abort_reason", None) or (str(error) if error is not None and str(error) else "")
    if not reason:
        reason = f"{type(error).__name__ if error is not None else type(block).__name__}: the entry cannot be read"
    return " ".join(reason.split())


def authors(entry: dict[str, str]) -> list[str]:
    """'Viola, Lynne and Suny, Ronald' -> ['Lynne Viola', 'Ronald Suny']."""
    names = []
    for name in entry.get("author", "").split(" and "):
        if "," in name:
            last, first = (p.strip() for p in name.split(",", 1))
            names.append(f"{first} {last}")
        else:
            names.append(name.strip())
    return names


def citation(entry: dict[str, str]) -> str:
    """A Chicago-style reference in Markdown (italics for book and journal titles)."""
    entry = {k: (escape_text(v) if not k.startswith("_") and k != "ENTRYTYPE" else v) for k, v in entry.items()}
    raw_authors = [a.strip() for a in entry.get("author", "").split(" and ")]
    if len(raw_authors) == 1:
        who = raw_authors[0]
    else:
        who = raw_authors[0] + ", and " + " and ".join(authors({"author": " and ".join(raw_authors[1:])}))
    who = who.rstrip(".")
    title = entry["title"]
    if entry["ENTRYTYPE"] == "book":
        place = entry.get("address", "")
        text = f"{who}. *{title}*. {place + ': ' if place else ''}{entry['publisher']}, {entry['year']}."
    else:
        journal = f"*{entry['journal']}*"
        if entry.get("volume"):
            journal += f" {entry['volume']}"
        if entry.get("number"):
            journal += f", no. {entry['number']}"
        pages = f": {entry['pages']}" if entry.get("pages") else ""
        title = title.replace("“", "‘").replace("”", "’")  # quotation inside a quoted title
        text = f"{who}. “{title}.” {journal} ({entry['year']}){pages}."
    return text
