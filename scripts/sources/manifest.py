"""Stage 0: the manifest (sources/sources.yml) – which texts exist, how to parse them, their rights."""
from __future__ import annotations

import hashlib
from pathlib import Path

from scripts.core.datafile import load_yaml_located
from scripts.core.errors import BuildError
from scripts.sources.parsers import PARSERS
from scripts.sources.schemas import RIGHTS, Manifest


def load_manifest(path: Path) -> list[dict]:
    """Read and validate the manifest (schema: ``scripts.sources.schemas.Manifest``).

    Each returned entry is a plain dict and gains ``_line`` (its line in the file), so that later
    stages can point their errors at the entry.
    """
    if not path.exists():
        raise BuildError(path, None, "manifest not found", "create sources/sources.yml (see README: 'Adding a text')")
    manifest, lines = load_yaml_located(path, Manifest)
    texts = []
    seen: dict[str, int | None] = {}
    for i, model in enumerate(manifest.texts):
        entry = model.model_dump()
        line = lines.of("texts", i)
        if entry["parser"] not in PARSERS:
            raise BuildError(path, lines.of("texts", i, "parser"), f"entry {entry['id']!r} names an unknown parser {entry['parser']!r}",
                             f"use one of: {', '.join(sorted(PARSERS))} (or add a parser in scripts/sources/parsers/)")
        if entry["rights"] not in RIGHTS:
            raise BuildError(path, lines.of("texts", i, "rights"), f"entry {entry['id']!r}: unknown rights value {entry['rights']!r}",
                             f"use one of: {', '.join(sorted(RIGHTS))}")
        if entry["id"] in seen:
            raise BuildError(path, line, f"duplicate id {entry['id']!r} (first used on line {seen[entry['id']]})",
                             "give every text its own id")
        seen[entry["id"]] = line
        entry["_line"] = line
        entry["_file_line"] = lines.of("texts", i, "file")
        entry["_bibkey_line"] = lines.of("texts", i, "bibkey")
        entry["_sha256_line"] = lines.of("texts", i, "sha256")
        texts.append(entry)
    return texts


def _sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def check_checksum(entry: dict, path: Path, manifest: Path, relative_name: str) -> str:
    """Stop the build if the source is not the file the manifest describes: the texts are as received.

    A file whose bytes differ only by Windows line endings (a checkout with ``core.autocrlf``) is the
    same text: it passes, and the line-ending warning of the read stage says so. Returns "" or a note.
    """
    raw = path.read_bytes()
    digest = _sha256(raw)
    if digest == entry["sha256"]:
        return ""
    if b"\r" in raw and _sha256(raw.replace(b"\r\n", b"\n")) == entry["sha256"]:
        return "the file differs from the original only by its line endings"
    raise BuildError(manifest, entry.get("_sha256_line") or entry.get("_line"),
                     f"{relative_name} is not the file received: its sha256 is {digest[:16]}…, "
                     f"the manifest's is {entry['sha256'][:16]}…",
                     f"sources are never edited: restore it (git checkout -- {relative_name}) and put changes in "
                     f"data/corrections/{entry['id']}.yml; if a new original was received, set its sha256 here to {digest}")
