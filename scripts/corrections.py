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

import yaml

from .errors import BuildError
from .source_text import SourceText

KEYS = {"find", "replace", "line", "lines", "count", "regex", "reason"}


def load_corrections(path: Path) -> list[dict]:
    """Read and validate one corrections file (a missing file means no corrections)."""
    if not path.exists():
        return []
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or []
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        raise BuildError(path, mark.line + 1 if mark else None, f"invalid YAML: {getattr(exc, 'problem', exc)}",
                         "fix the YAML syntax (indentation, quotes) on that line") from None
    if not isinstance(data, list):
        raise BuildError(path, 1, "a corrections file must be a YAML list of entries", "start each entry with '- find: ...'")
    for i, entry in enumerate(data, 1):
        where = f"entry {i}"
        if not isinstance(entry, dict) or "find" not in entry or "replace" not in entry or not entry.get("reason"):
            raise BuildError(path, None, f"{where}: needs 'find', 'replace' and 'reason'",
                             "every correction must say what it changes and why")
        unknown = set(entry) - KEYS
        if unknown:
            raise BuildError(path, None, f"{where} ({entry['find']!r}): unknown field(s) {sorted(unknown)}",
                             f"use only {sorted(KEYS)}")
    return data


def apply_corrections(src: SourceText, entries: list[dict], path: Path) -> None:
    """Apply every entry to ``src.lines`` in place, logging each replacement."""
    for i, entry in enumerate(entries, 1):
        pattern = entry["find"] if entry.get("regex") else re.escape(entry["find"])
        try:
            rx = re.compile(pattern)
        except re.error as exc:
            raise BuildError(path, None, f"entry {i}: bad regex {entry['find']!r}: {exc}", "fix or quote the pattern") from None
        if "line" in entry:
            first = last = int(entry["line"])
        elif "lines" in entry:
            first, last = (int(n) for n in entry["lines"])
        else:
            first, last = 1, len(src.lines)
        done = 0
        for n in range(first, min(last, len(src.lines)) + 1):
            old = src.lines[n - 1]
            new, k = rx.subn(entry["replace"], old)
            if k:
                for m in rx.finditer(old):
                    src.log("correction", f"corrections/{path.name}", n, before=m.group(0),
                            after=rx.sub(entry["replace"], m.group(0)), note=entry["reason"])
                src.lines[n - 1] = new
                done += k
        if done == 0:
            raise BuildError(path, None, f"entry {i}: {entry['find']!r} not found"
                             + (f" on line(s) {first}-{last}" if (first, last) != (1, len(src.lines)) else ""),
                             "the source changed or the entry is wrong: correct the entry or remove it")
        if "count" in entry and int(entry["count"]) != done:
            raise BuildError(path, None, f"entry {i}: {entry['find']!r} replaced {done} times, expected {entry['count']}",
                             "check the new matches in the source, then update 'count'")
