"""Stage 2: apply the corrections data files (data/corrections/<text id>.yml) to a source's lines.

A correction is data a historian can edit, not code. Each entry::

    - find: "Kolkhoztsestr"          # the erroneous text (literal, or a regex with `regex: true`)
      replace: "Kolkhoztsentr"       # what the edition prints instead
      line: 1913                     # optional: only this source line
      lines: [180, 2117]             # optional: only this range of source lines (inclusive)
      count: 32                      # optional: the number of replacements expected (checked)
      reason: "OCR misspelling of the organisation's name"

Replacements happen inside lines, so line numbers never shift. Every replacement is logged as a
"correction" with its line, before and after, and shown in the reading's "About this text".
"""
from __future__ import annotations

import re
from pathlib import Path

from pydantic import RootModel

from scripts.core.datafile import Lines, parse_yaml, schema_for, validate
from scripts.core.errors import BuildError
from scripts.sources.schemas import Correction
from scripts.sources.read import SourceText

@schema_for("data/corrections/*.yml")
class CorrectionsFile(RootModel[list[Correction]]):
    """A corrections file: a YAML list of :class:`scripts.sources.schemas.Correction` entries."""


def load_corrections(path: Path) -> list[dict]:
    """Read and validate one corrections file (a missing file means no corrections).

    Each entry is returned as a dict with ``_line``, its line in the YAML file, for later errors.
    """
    if not path.exists():
        return []
    data, key_lines = parse_yaml(path)
    if data is None:
        return []
    if not isinstance(data, list):
        raise BuildError(path, 1, "a corrections file must be a YAML list of entries", "start each entry with '- find: ...'")
    model = validate(path, data, key_lines, CorrectionsFile)
    lines = Lines(data, key_lines)
    entries = []
    for i, entry in enumerate(model.root):
        item = entry.model_dump(exclude_none=True)
        if not item.get("regex"):
            item.pop("regex", None)
        item["_line"] = lines.of(i) or 1
        entries.append(item)
    return entries


def apply_corrections(src: SourceText, entries: list[dict], path: Path) -> None:
    """Apply every entry to ``src.lines`` in place, logging each replacement."""
    for i, entry in enumerate(entries, 1):
        at = entry.get("_line")
        name = f"entry {i} ({entry['find']!r})"
        pattern = entry["find"] if entry.get("regex") else re.escape(entry["find"])
        try:
            rx = re.compile(pattern)
        except re.error as exc:
            raise BuildError(path, at, f"{name}: bad regex: {exc}", "fix the pattern, or drop 'regex: true'") from None
        if "line" in entry:
            first = last = int(entry["line"])
        elif "lines" in entry:
            first, last = (int(n) for n in entry["lines"])
        else:
            first, last = 1, len(src.lines)
        if last > len(src.lines):
            raise BuildError(path, at, f"{name}: line {last} is past the end of the source ({len(src.lines)} lines)",
                             "correct the line number (it counts the lines of the file in sources/, from 1)")
        # A literal entry's replacement is literal too (a backslash in it is not a group reference).
        replacement = entry["replace"] if entry.get("regex") else (lambda _m, text=entry["replace"]: text)
        done = 0
        for n in range(first, last + 1):
            old = src.lines[n - 1]
            try:
                new, k = rx.subn(replacement, old)
            except (re.error, IndexError) as exc:
                raise BuildError(path, at, f"{name}: the replacement {entry['replace']!r} is not valid for this "
                                 f"pattern ({exc})", "refer only to groups the pattern has (\\1 is the first)") from None
            if k:
                for m in rx.finditer(old):
                    src.log("correction", f"corrections/{path.name}", n, before=m.group(0),
                            after=rx.sub(replacement, m.group(0)), note=entry["reason"])
                src.lines[n - 1] = new
                done += k
        if done == 0:
            pinned = (first, last) != (1, len(src.lines))
            where = f" on line(s) {first}-{last} of the source" if pinned else " in the source"
            elsewhere = [n for n, text in enumerate(src.lines, 1) if rx.search(text)] if pinned else []
            hint = "the source changed or the entry is wrong: correct the entry or remove it"
            if elsewhere:
                hint = (f"the text is on line {', '.join(map(str, elsewhere[:5]))} of the source: if lines were added or "
                        "deleted above it (a damaged or different copy of the source?), check that first; otherwise "
                        "correct the entry's line")
            raise BuildError(path, at, f"{name}: not found{where}", hint)
        if "count" in entry and int(entry["count"]) != done:
            raise BuildError(path, at, f"{name}: replaced {done} times, expected {entry['count']}",
                             "check the new matches in the source, then update 'count'")


def check_corrections_files(folder: Path, ids: list[str]) -> None:
    """A corrections file named for no text would be silently ignored: stop instead."""
    for path in sorted(folder.glob("*")) if folder.is_dir() else []:
        if path.name.startswith(".") or path.is_dir():
            continue
        if path.suffix != ".yml":
            raise BuildError(path, None, "a corrections file must end in .yml",
                             f"rename it to <text id>.yml, one of: {', '.join(i + '.yml' for i in ids)}")
        if path.stem not in ids:
            raise BuildError(path, 1, f"no text has the id '{path.stem}' (the file name names the text it corrects)",
                             f"rename it to one of: {', '.join(i + '.yml' for i in ids)} (the ids in sources/sources.yml)")
