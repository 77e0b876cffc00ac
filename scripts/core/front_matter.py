"""The YAML front matter of a hand-written page or essay, read once and checked with its line."""
from __future__ import annotations

from pathlib import Path

from scripts.core.datafile import parse_yaml
from scripts.core.errors import BuildError


def front_matter_of(path: Path, text: str) -> dict:
    """The YAML front matter of a hand-written page, checked (a broken one would become the heading)."""
    if not text.startswith("---\n"):
        return {}
    end = text.find("\n---\n", 3)
    if end < 0 and text.endswith("\n---"):
        end = len(text) - 4
    if end < 0:
        raise BuildError(path, 1, "the front matter that starts on line 1 is never closed",
                         "end it with a line of three hyphens (---), or remove the first line if there is no front matter")
    try:
        data, _ = parse_yaml(path, text[4:end + 1])
    except BuildError as exc:
        raise BuildError(path, (exc.line or 0) + 1, exc.message.replace("YAML", "front matter YAML"), exc.hint) from None
    if data is None:
        return {}
    if not isinstance(data, dict):
        raise BuildError(path, 2, "the front matter is not a set of 'key: value' lines",
                         "write e.g. 'title: \"My page\"' between the two --- lines")
    return data
