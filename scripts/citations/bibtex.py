"""Stage: the bibliography. Reads every ``bib/*.bib`` file with bibtexparser (v2) into one library.

The .bib files are the source of truth and are never rewritten by the build: values are kept raw
(as typed, braces and TeX included) and decoded for display only (``display``/``csl_item``), because
bibtexparser's LaTeX decoder drops case-protecting braces and must never be written back.

Bad input stops the build with ``file:line: error:`` and what to do: a file that does not parse, an
entry without a key or a title, a duplicate key (bibtexparser does not raise on one, it files the
entry under ``failed_blocks``; we do), a field swallowed by a missing comma, and, for the five
readings, a field the citation styles need.
"""
from __future__ import annotations

import functools
import logging
import re
from dataclasses import dataclass, field
from pathlib import Path

import bibtexparser
from bibtexparser.middlewares.names import parse_single_name_into_parts, split_multiple_persons_names
from bibtexparser.model import DuplicateBlockKeyBlock, ParsingFailedBlock
from pylatexenc.latex2text import LatexNodes2Text

from scripts.core.datafile import read_text
from scripts.core.errors import BuildError
from scripts.core.kept import Kept

# What Chicago, MLA and APA need of a reading's entry to name it at all.
#: The entry types the citation styles know (scripts/citations/csl.py maps each to a CSL type).
ENTRY_TYPES = ("book", "article", "incollection", "inbook", "phdthesis", "mastersthesis", "misc", "unpublished")
REQUIRED = {"book": ("author", "title", "publisher", "year"), "article": ("author", "title", "journal", "year")}
_LATEX = LatexNodes2Text(math_mode="verbatim")


@dataclass
class Entry:
    """One BibTeX entry: raw field values (as in the file) plus where it is."""

    key: str
    type: str
    fields: dict[str, str]
    path: Path
    line: int
    raw: str = ""                       # the entry's text as it stands in the file
    group: str = ""                     # the .bib file's stem: readings, viola-bibliography, cited-works

    def display(self, name: str) -> str:
        """A field decoded for display: TeX quotes and dashes to Unicode, \\emph{} to <i>, braces gone."""
        return decode(self.fields.get(name, ""))

    def display_fields(self) -> dict[str, str]:
        """Every field decoded for display, plus ``ENTRYTYPE`` (what the essays' notes read)."""
        return {name: self.display(name) for name in self.fields} | {"ENTRYTYPE": self.type}

    def names(self, role: str = "author") -> list[dict]:
        """CSL name objects for ``author``/``editor``/``translator`` (``{B.W.}`` stays one literal name)."""
        raw = self.fields.get(role, "")
        if not raw:
            return []
        out = []
        for person in split_multiple_persons_names(raw):
            if person.strip() == "others":
                continue
            parts = parse_single_name_into_parts(person)
            if not parts.first and len(parts.last) == 1 and parts.last[0].startswith("{"):
                out.append({"literal": decode(parts.last[0])})
                continue
            name = {"family": decode(" ".join(parts.von + parts.last)), "given": decode(" ".join(parts.first))}
            if parts.jr:
                name["suffix"] = decode(" ".join(parts.jr))
            out.append({k: v for k, v in name.items() if v})
        return out


@functools.lru_cache(maxsize=None)
def decode(value: str) -> str:
    """Raw BibTeX value -> display text (never written back to a .bib file).

    Cached: every ``Entry.display()`` decodes its fields again, about 25,500 calls per build for
    some 1,400 distinct values, and pylatexenc's conversion was a third of the pipeline's time.
    """
    if not value:
        return ""
    value = re.sub(r"\\emph\{([^{}]*)\}", r"<i>\1</i>", value)
    return " ".join(_LATEX.latex_to_text(value).split())


@dataclass
class Bibliography:
    """Every entry of every ``bib/*.bib`` file, keyed by citation key (keys are unique across files)."""

    path: Path                               # bib/readings.bib (its folder holds the other files)
    entries: dict[str, Entry] = field(default_factory=dict)
    files: list[Path] = field(default_factory=list)

    def __post_init__(self) -> None:
        folder = self.path.parent
        if not self.path.exists():
            raise BuildError(self.path, None, "bibliography file not found", "restore bib/readings.bib from git")
        self.files = sorted(folder.glob("*.bib"), key=lambda p: (p != self.path, p.name))
        for path in self.files:
            for entry in read_bib(path):
                if entry.key in self.entries:
                    other = self.entries[entry.key]
                    raise BuildError(path, entry.line, f"duplicate key '{entry.key}' (also at {other.path.name}:{other.line})",
                                     "give one of the two entries another key (surname + year + first title word)")
                self.entries[entry.key] = entry

    def get(self, key: str, manifest_path: Path, line: int | None = None) -> Entry:
        """A reading's entry, checked for the fields the citation styles need."""
        if key not in self.entries:
            where = f"{self.path.parent.name}/{self.path.name}"
            raise BuildError(manifest_path, line, f"bibkey '{key}' is not in the bibliography",
                             f"add an entry @book{{{key}, ...}} to {where}, or fix the manifest's bibkey")
        entry = self.entries[key]
        for need in REQUIRED.get(entry.type, ("author", "title", "year")):
            if not entry.fields.get(need):
                raise BuildError(entry.path, entry.line, f"entry '{key}' has no '{need}' field, which the citation styles need",
                                 f"add `{need} = {{...}}` to the entry (only facts printed in the source)")
        return entry


def _reason(block: ParsingFailedBlock) -> str:
    """What bibtexparser found wrong, in words (its exception often has no message of its own)."""
    error = getattr(block, "error", None)
    reason = getattr(error, "abort_reason", None) or (str(error) if error is not None and str(error) else "")
    if not reason:
        reason = f"{type(error).__name__ if error is not None else type(block).__name__}: the entry cannot be read"
    return " ".join(reason.split())


#: Entries already read by this process, by file and text (each build gets its own copy).
_READ = Kept(8)


def read_bib(path: Path) -> list[Entry]:
    """Parse one .bib file; any block bibtexparser could not read stops the build at its line.

    Kept by its path and text while the process lives: while serving, an edit elsewhere no longer
    re-reads the 400 entries (a tenth of a second of every regeneration)."""
    text = read_text(path)
    key = (str(path), text)
    if key not in _READ:
        _READ.put(key, parse_bib(path, text))
    return _READ.get(key)


def parse_bib(path: Path, text: str) -> list[Entry]:
    """The entries of one .bib file's ``text``, each checked (see :func:`read_bib`)."""
    if not text.strip():
        raise BuildError(path, 1, "the bibliography file is empty", f"restore bib/{path.name} from git, or delete it")
    splitter_log = logging.getLogger("bibtexparser.splitter")
    level = splitter_log.level
    splitter_log.setLevel(logging.CRITICAL)  # its own log lines would repeat our message, unformatted
    try:
        library = bibtexparser.parse_string(text)
    finally:
        splitter_log.setLevel(level)
    for block in library.failed_blocks:
        line = block.start_line + 1 if getattr(block, "start_line", None) is not None else None
        if isinstance(block, DuplicateBlockKeyBlock):
            raise BuildError(path, line, f"duplicate key '{block.key}'",
                             "give one of the two entries another key (surname + year + first title word)")
        if isinstance(block, ParsingFailedBlock):
            raise BuildError(path, line, f"malformed BibTeX entry: {_reason(block)}",
                             "check the braces, commas and '=' of that entry, and that it has a key")
    entries = []
    for e in library.entries:
        line = e.start_line + 1
        if not e.key or not re.fullmatch(r"[A-Za-z0-9_:.\-/]+", e.key):
            raise BuildError(path, line, f"entry has no usable key ({e.key!r})",
                             "start the entry as @book{surname1987word, ...}")
        for f in e.fields:
            swallowed = re.search(r"\n\s*(\w+)\s*=", str(f.value))
            if swallowed:
                raise BuildError(path, line, f"entry '{e.key}': field '{f.key}' runs into field "
                                 f"'{swallowed.group(1)}' (a comma is missing)",
                                 f"add a comma after the value of '{f.key}'")
        if e.entry_type.lower() not in ENTRY_TYPES:
            raise BuildError(path, line, f"entry '{e.key}' has the unknown type '@{e.entry_type}'",
                             f"use one of @{', @'.join(ENTRY_TYPES)} (the citation styles know only these)")
        fields = {f.key.lower(): str(f.value).strip() for f in e.fields}
        if not fields.get("title"):
            raise BuildError(path, line, f"entry '{e.key}' has no title", "add `title = {...}` as the source prints it")
        entries.append(Entry(e.key, e.entry_type.lower(), fields, path, line, e.raw or "", path.stem))
    return entries


def authors(entry: Entry) -> list[str]:
    """The authors as 'Given Family' for bylines ('Lynne Viola', 'B.W.')."""
    out = []
    for n in entry.names("author"):
        out.append(n.get("literal") or " ".join(x for x in (n.get("given"), n.get("family")) if x))
    return out
