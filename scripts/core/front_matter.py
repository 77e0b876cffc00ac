"""The YAML front matter of a hand-written page or essay, read once and checked with its line."""
from __future__ import annotations

import re
from pathlib import Path
from typing import Literal, Optional

from pydantic import BaseModel

from scripts.core.datafile import Strict, Text, Title, parse_yaml, schema_for, validate
from scripts.core.errors import BuildError


@schema_for("content/*.md")
class PageFrontMatter(Strict):
    """The front matter of a content page (content/*.md): its title in the browser tab and the nav."""

    title: Optional[Title] = None
    description: Optional[Text] = None          # the page's meta description (search engines, link previews)
    hide: list[Literal["navigation", "toc", "footer", "path", "tags", "feedback"]] = []   # Material's own key


def split(path: Path, text: str) -> tuple[str | None, int]:
    """(the front matter's YAML or None, the line the body starts on). An unclosed front matter stops
    the build at line 1 (it would otherwise be read as the page's text, or as no title)."""
    lines = text.split("\n")
    if not lines or lines[0].rstrip() != "---":
        return None, 1
    for end in range(1, len(lines)):
        if lines[end].rstrip() == "---":
            return "\n".join(lines[1:end]) + "\n", end + 2
    raise BuildError(path, 1, "the front matter that starts on line 1 is never closed",
                     "end it with a line of three hyphens (---), or remove the first line if there is no front matter")


def front_matter_of(path: Path, text: str, model: type[BaseModel] | None = None):
    """The front matter of a hand-written page, checked (YAML errors and, with ``model``, its schema,
    at the line of the file); a dict without ``model``, else the validated model."""
    yaml_text, _body = split(path, text)
    data, key_lines = {}, {}
    if yaml_text is not None:
        try:
            data, key_lines = parse_yaml(path, yaml_text)
        except BuildError as exc:
            raise BuildError(path, (exc.line or 0) + 1, exc.message.replace("YAML", "front matter YAML"),
                             exc.hint) from None
    if data is None:
        data = {}
    if not isinstance(data, dict):
        raise BuildError(path, 2, "the front matter is not a set of 'key: value' lines",
                         "write e.g. 'title: \"My page\"' between the two --- lines")
    if model is None:
        return data
    try:
        return validate(path, data, key_lines, model)
    except BuildError as exc:
        missing = re.fullmatch(r"'(\w+)' is missing", exc.message)
        if missing:      # nothing to point at but the front matter itself, which starts on line 1
            raise BuildError(path, 1, f"the front matter has no '{missing.group(1)}'",
                             f"add '{missing.group(1)}:' between the --- lines at the top") from None
        raise BuildError(path, (exc.line or 0) + 1 if data else 1, "front matter: " + exc.message, exc.hint) from None


def split_front_matter(path: Path, text: str) -> tuple[dict, list[tuple[int, str]]]:
    """``(front matter, body lines numbered as in the file)`` of a hand-written page or essay, read with
    :func:`front_matter_of` (a YAML error stops at its line). For readers of the body, such as the
    essays' chart markers; the essays' own schema is checked by scripts/course/essay_check.py."""
    yaml_text, body_start = split(path, text)
    meta = front_matter_of(path, text) if yaml_text is not None else {}
    return meta, list(enumerate(text.split("\n")[body_start - 1:], body_start))
