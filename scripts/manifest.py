"""Stage 0: the manifest (sources/sources.yml) – which texts exist, how to parse them, their rights."""
from __future__ import annotations

import hashlib
from pathlib import Path

import yaml

from .errors import BuildError
from .parsers import PARSERS

REQUIRED = ("id", "file", "original", "sha256", "parser", "bibkey", "rights", "rights_statement", "provenance")
RIGHTS = {"all-rights-reserved", "cc-by-4.0"}


def _entry_lines(text: str) -> list[int]:
    """Line number of each entry ('- id:' items under texts:) for error messages."""
    node = yaml.compose(text)
    for key, value in node.value:
        if key.value == "texts":
            return [item.start_mark.line + 1 for item in value.value]
    return []


def load_manifest(path: Path) -> list[dict]:
    """Read and validate the manifest. Each returned entry gains ``_line`` (its line in the file)."""
    if not path.exists():
        raise BuildError(path, None, "manifest not found", "create sources/sources.yml (see README: 'Adding a text')")
    text = path.read_text(encoding="utf-8")
    try:
        data = yaml.safe_load(text) or {}
        lines = _entry_lines(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        raise BuildError(path, mark.line + 1 if mark else None, f"invalid YAML: {getattr(exc, 'problem', exc)}",
                         "fix the YAML syntax on that line") from None
    texts = data.get("texts") if isinstance(data, dict) else None
    if not isinstance(texts, list) or not texts:
        raise BuildError(path, 1, "no 'texts:' list", "the manifest must contain 'texts:' with one entry per source")
    seen = set()
    for i, entry in enumerate(texts):
        line = lines[i] if i < len(lines) else None
        if not isinstance(entry, dict):
            raise BuildError(path, line, "an entry is not a mapping", "write each entry as '- id: ...' with fields below it")
        for key in REQUIRED:
            if not entry.get(key):
                raise BuildError(path, line, f"entry {entry.get('id', i + 1)!r} has no '{key}'",
                                 f"add '{key}:' to the entry (see the comment at the top of the manifest)")
        if entry["parser"] not in PARSERS:
            raise BuildError(path, line, f"entry {entry['id']!r} names an unknown parser {entry['parser']!r}",
                             f"use one of: {', '.join(sorted(PARSERS))} (or add a parser in scripts/parsers/)")
        if entry["rights"] not in RIGHTS:
            raise BuildError(path, line, f"entry {entry['id']!r}: unknown rights value {entry['rights']!r}",
                             f"use one of: {', '.join(sorted(RIGHTS))}")
        if entry["id"] in seen:
            raise BuildError(path, line, f"duplicate id {entry['id']!r}", "give every text its own id")
        seen.add(entry["id"])
        entry["_line"] = line
    return texts


def checksum_warning(entry: dict, path: Path) -> str:
    """A warning if the source file is not the one the manifest describes (it may have been edited)."""
    if not path.exists():
        return ""
    digest = hashlib.sha256(path.read_bytes()).hexdigest()
    if digest != entry["sha256"]:
        return (f"{path}: sha256 {digest[:12]}… differs from the manifest's {entry['sha256'][:12]}… — the source "
                "file is not the original; put corrections in data/corrections/ instead of editing sources, "
                "or update the manifest if a new original was received")
    return ""
