"""The YAML front matter of a hand-written page or essay, read once and checked with its line."""
from __future__ import annotations

from pathlib import Path

from scripts.core.datafile import parse_yaml
from scripts.core.errors import BuildError


def split_front_matter(path: Path, text: str) -> tuple[dict, list[tuple[int, str]]]:
    """``(front matter, body lines numbered as in the file)`` of a hand-written page or essay.

    The one reader of front matter: a YAML error stops the build at its line in the file (not
    "the essay has no title" later), an unclosed block stops at line 1, and a block that is not a set
    of ``key: value`` lines says so. A file without front matter gives ``{}`` and all its lines.
    """
    lines = text.split("\n")
    if not lines or lines[0].strip() != "---":
        return {}, list(enumerate(lines, 1))
    for end in range(1, len(lines)):
        if lines[end].strip() == "---":
            break
    else:
        raise BuildError(path, 1, "the front matter that starts on line 1 is never closed",
                         "end it with a line of three hyphens (---), or remove the first line if there is no front matter")
    try:
        data, _ = parse_yaml(path, "\n".join(lines[1:end]) + "\n")
    except BuildError as exc:
        raise BuildError(path, (exc.line or 0) + 1, exc.message.replace("YAML", "front matter YAML"), exc.hint) from None
    if data is not None and not isinstance(data, dict):
        raise BuildError(path, 2, "the front matter is not a set of 'key: value' lines",
                         "write e.g. 'title: \"My page\"' between the two --- lines")
    return data or {}, list(enumerate(lines[end + 1:], end + 2))


def front_matter_of(path: Path, text: str) -> dict:
    """The YAML front matter of a hand-written page, checked (a broken one would become the heading)."""
    return split_front_matter(path, text)[0]
