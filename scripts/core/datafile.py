"""Reading the data files an editor writes (YAML), validated against a schema before anything is built.

Every data file (the manifest, glossary, corrections and glued words — see ``scripts/sources/schemas.py`` —
and guides, courses, timeline) is described by a pydantic model. ``load_yaml(path, Model)`` reads the file and either returns the
validated object or raises a :class:`~scripts.core.errors.BuildError` that names the file, the line and
what to do — for a file that is not UTF-8 (with the encoding it looks like), a YAML syntax error, a
duplicate key, a wrong type, a missing or unknown key, or an empty string where text is needed.

Models should derive from :class:`Strict` (unknown keys are errors, strings are stripped and may
not be empty) and use :data:`Slug` for ids.
"""
from __future__ import annotations

import codecs
import re
import sys
from pathlib import Path
from typing import Annotated, Any, TypeVar

import yaml
from pydantic import AfterValidator, BaseModel, ConfigDict, StringConstraints, ValidationError
from pydantic_core import PydanticCustomError

from scripts.core.errors import BuildError

T = TypeVar("T", bound=BaseModel)

_SLUG_PATTERN = r"^[a-z0-9]+(?:-[a-z0-9]+)*$"
Slug = Annotated[str, StringConstraints(pattern=_SLUG_PATTERN)]
"""An id: lower-case letters, digits and single hyphens (``chapter-4``, ``bw-review``)."""

Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)]
"""Text an editor writes, shown on a page as typed: never empty, never markup (it reaches HTML only
through ``scripts/core/escape.py``; ``*emphasis*`` is the one syntax kept in Markdown text)."""


Title = Annotated[Text, StringConstraints(max_length=300)]
"""A title (a course, a week, an essay, a chart, a page): :data:`Text` of at most 300 characters, so
that a paste gone wrong (a whole chapter in the title) stops at its line instead of filling every
page's navigation, or keeping the PDF reader's layout busy for minutes."""


class RefMarker:
    """Metadata of :data:`Ref`: the value names something the build looks up, and is refused otherwise."""

    def __repr__(self) -> str:
        return "Ref"


REF = RefMarker()
Ref = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1), REF]
"""A value that names something (a passage, a table, a parser, a rule, a pattern to find): checked
against what exists, so it cannot carry free text onto a page. Every other string field of a schema
is :data:`Text` and is tested as such (tests/test_injection.py derives the fields from the schemas)."""

def _no_markup(value: str) -> str:
    if re.search(r"[<>\[\]`\\]", value):
        raise editor_error("the text contains markup (one of < > [ ] ` \\)",
                           "write it as plain text (only *italic* is allowed): it is shown where no markup can go")
    return value


PlainText = Annotated[Text, AfterValidator(_no_markup)]
"""Text shown where no markup may go at all (a tooltip): < > [ ] ` and \\ are refused."""

#: Characters that do not show but take part in matching: zero-width space/non-joiner/joiner, word
#: joiner, soft hyphen, byte-order mark, and the bidi marks.
ZERO_WIDTH = re.compile(r"[\u00ad\u200b-\u200f\u2060\ufeff\u202a-\u202e\u2066-\u2069]")


def _no_zero_width(value: str) -> str:
    """A glossary form is looked for in the readings' text: an invisible character inside it (a
    zero-width joiner pasted from a web page, say) means it can never match, and nothing would show why."""
    m = ZERO_WIDTH.search(value)
    if m:
        raise editor_error(f"the form contains the invisible character U+{ord(m.group()):04X}, so it can never "
                           f"match the text", "retype the form without it (delete and type the letters around it again)")
    return value


Form = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1), AfterValidator(_no_markup),
                 AfterValidator(_no_zero_width)]
"""A word as it is written in a reading (a glossary headword, variant or misspelling): plain text,
no invisible characters."""


def NonEmpty(message: str) -> AfterValidator:  # noqa: N802 - used like a type: Annotated[list[X], NonEmpty("…")]
    """A list that must hold at least one item, refused with ``message`` (what the editor should add):
    pydantic's own ``min_length`` error ("List should have at least 1 item") does not say what is missing."""
    def check(value):
        if not value:
            raise ValueError(message)
        return value
    return AfterValidator(check)
"""A glossary form (headword, variant): shown, and matched in the texts, so plain words only."""

#: Which schema reads which file (a glob relative to the project), filled by :func:`schema_for`;
#: tests/test_injection.py puts hostile text into every free-text field of every file listed here.
SCHEMAS: dict[str, type[BaseModel]] = {}


def schema_for(*patterns: str):
    """Class decorator: ``@schema_for("data/timeline.yml")`` registers the model of those files."""
    def register(model):
        for pattern in patterns:
            SCHEMAS[pattern] = model
        return model
    return register


def free_text_fields(model: type[BaseModel], prefix: tuple = ()) -> list[tuple]:
    """Every string field of ``model`` (nested models, lists and dicts followed) that is free text:
    not a :data:`Ref`, not a pattern (ids, dates, ranges), not a fixed choice. A path is a tuple of
    keys, with ``"*"`` for any item of a list or any value of a mapping."""
    import types
    import typing

    out: list[tuple] = []

    def walk(annotation, metadata: list, path: tuple) -> None:
        origin = typing.get_origin(annotation)
        if origin is Annotated:
            base, *extra = typing.get_args(annotation)
            walk(base, metadata + list(extra), path)
        elif origin in (typing.Union, types.UnionType):
            for arg in typing.get_args(annotation):
                if arg is not type(None):
                    walk(arg, metadata, path)
        elif origin in (list, tuple, set):
            for arg in {a for a in typing.get_args(annotation) if a is not Ellipsis}:
                walk(arg, [], path + ("*",))
        elif origin is dict:
            walk(typing.get_args(annotation)[1], [], path + ("*",))
        elif isinstance(annotation, type) and issubclass(annotation, BaseModel):
            if hasattr(annotation, "model_fields") and "root" in annotation.model_fields and len(annotation.model_fields) == 1:
                walk(annotation.model_fields["root"].annotation, [], path)
            else:
                out.extend(free_text_fields(annotation, path))
        elif annotation is str:
            constrained = any(m is REF or getattr(m, "pattern", None) for m in metadata)
            if not constrained:
                out.append(path)

    for name, info in model.model_fields.items():
        key = info.alias or name
        if name == "root" and len(model.model_fields) == 1:
            walk(info.annotation, list(info.metadata), prefix)
        else:
            walk(info.annotation, list(info.metadata), prefix + (key,))
    return out


class Strict(BaseModel):
    """Base for data-file schemas: unknown keys are errors, text is stripped and must not be empty."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True, str_min_length=1)


def guess_encoding(raw: bytes) -> str:
    """A human name for the encoding a non-UTF-8 file most likely has (for the error message)."""
    if raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "UTF-16"
    if raw[:2000].count(b"\x00") > len(raw[:2000]) // 4:
        return "UTF-16 (no byte-order mark)"
    try:
        raw.decode("cp1252")
        return "Windows-1252 or Latin-1"
    except UnicodeDecodeError:
        return "an unknown 8-bit encoding"


def read_text(path: Path) -> str:
    """A data or content file as text; not UTF-8 stops the build naming the file and its likely encoding."""
    raw = Path(path).read_bytes()
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise BuildError(path, line, f"the file is not UTF-8 (it looks like {guess_encoding(raw)})",
                         "save it as UTF-8 in your editor (File > Save with encoding > UTF-8)") from None
    if "\x00" in text:
        line = text[: text.index("\x00")].count("\n") + 1
        raise BuildError(path, line, "the file contains a NUL byte", "delete the invisible NUL character on that line")
    return text


def editor_error(message: str, hint: str) -> PydanticCustomError:
    """An error a schema validator raises (``raise editor_error(...)``): shown as message + hint at the line."""
    return PydanticCustomError("editor", "{message}", {"message": message, "hint": hint})


class _LineLoader(getattr(yaml, "CSafeLoader", yaml.SafeLoader)):  # libyaml when available: fast
    """A YAML loader that records where every mapping key sits and refuses duplicate keys."""


def _construct_mapping(loader: _LineLoader, node: yaml.MappingNode, deep: bool = False) -> dict:
    loader.flatten_mapping(node)
    mapping: dict = {}
    lines: dict = {}
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node, deep=deep)
        if key in mapping:
            raise BuildError(loader.name, key_node.start_mark.line + 1, f"duplicate key '{key}'",
                             f"a key may appear only once in a block; keep one '{key}' (the first is on line "
                             f"{lines[key]})")
        mapping[key] = loader.construct_object(value_node, deep=deep)
        lines[key] = key_node.start_mark.line + 1
    loader.key_lines[id(mapping)] = (node.start_mark.line + 1, lines)
    return mapping


_LineLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)


def _construct_timestamp(loader: _LineLoader, node: yaml.ScalarNode):
    """A YAML date (``1930-03-02``); an impossible one (``1930-02-30``) stops at its line."""
    try:
        return yaml.constructor.SafeConstructor.construct_yaml_timestamp(loader, node)
    except ValueError as exc:
        raise BuildError(loader.name, node.start_mark.line + 1, f"'{node.value}' is not a date ({exc})",
                         "write a date that exists, as year-month-day (e.g. 1930-03-02)") from None


_LineLoader.add_constructor("tag:yaml.org,2002:timestamp", _construct_timestamp)

#: Characters that change how the text around them is displayed or read, invisibly: bidi overrides
#: and isolates (U+202A–U+202E, U+2066–U+2069) and C0/C1 control characters other than tab and newline.
INVISIBLE = re.compile(r"[\u202a-\u202e\u2066-\u2069\x00-\x08\x0b-\x1f\x7f-\x9f]")


def _reader_error(path: Path, text: str, exc: yaml.reader.ReaderError) -> BuildError:
    position = exc.position if isinstance(exc.position, int) else 0
    line = text[:position].count("\n") + 1
    char = exc.character
    code = f"U+{ord(char):04X}" if isinstance(char, str) else f"U+{char:04X}" if isinstance(char, int) else "a character"
    return BuildError(path, line, f"the file contains {code}, a control character or non-character YAML does not allow",
                      f"delete the invisible character on this line (in most editors: show invisibles), "
                      f"or write it as an escape in a double-quoted string if it is really meant")


def parse_yaml(path: Path, text: str | None = None) -> tuple[Any, dict]:
    """YAML -> (data, key_lines). ``key_lines`` maps id(mapping) -> (line, {key: line})."""
    text = read_text(path) if text is None else text
    try:
        loader = _LineLoader(text)
    except yaml.reader.ReaderError as exc:
        raise _reader_error(path, text, exc) from None
    loader.name = str(path)
    loader.key_lines = {}
    try:
        data = loader.get_single_data()
    except BuildError:
        raise
    except yaml.reader.ReaderError as exc:
        raise _reader_error(path, text, exc) from None
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else None
        raise BuildError(path, line, f"YAML syntax error: {exc.problem or exc}",
                         "check the indentation and quoting on this line and the one before it "
                         "(text containing ': ' or starting with a quote must be quoted)") from None
    finally:
        loader.dispose()
    return data, loader.key_lines


def warn_invisible(path: Path, data: Any, key_lines: dict) -> list[str]:
    """A warning (``file:line: warning: …``, printed and returned) for every text value holding a
    bidi override or a control character: they reverse or hide the text around them on the page.
    A NUL character (YAML's ``\\0`` escape) stops the build at its line instead: it would stop later
    anyway, blamed on the generated page in docs/ that it reached."""
    found: list[str] = []

    def walk(node: Any, loc: tuple) -> None:
        if isinstance(node, dict):
            for key, value in node.items():
                walk(value, loc + (key,))
        elif isinstance(node, list):
            for i, value in enumerate(node):
                walk(value, loc + (i,))
        elif isinstance(node, str):
            m = INVISIBLE.search(node)
            if m:
                line = _locate(data, key_lines, loc)
                if "\x00" in node:   # read_text refuses a raw NUL byte: this is YAML's \0 escape
                    raise BuildError(path, line, f"the text of '{loc[-1] if loc else 'value'}' contains a NUL character "
                                     f"(written as the escape \\0 or \\x00 in a double-quoted string)",
                                     "delete the escape: a NUL character cannot be shown on a page")
                where = f"{path}:{line}" if line else str(path)
                found.append(f"{where}: warning: the text of '{loc[-1] if loc else 'value'}' contains the invisible "
                             f"character U+{ord(m.group()):04X} (a bidi override or control character, which reverses "
                             f"or hides the text around it); delete it unless it is meant")

    walk(data, ())
    for line in found:
        if line not in _WARNED:        # a file read twice in one build warns once
            _WARNED.add(line)
            print(line, file=sys.stderr)
    return found


_WARNED: set[str] = set()


def _locate(data: Any, key_lines: dict, loc: tuple) -> int | None:
    """The line of the value at ``loc`` (a pydantic error location) in the parsed YAML."""
    line = None
    node = data
    for part in loc:
        if isinstance(node, dict):
            start, keys = key_lines.get(id(node), (None, {}))
            line = keys.get(part, start if line is None else line)
            if part not in node:
                return line
            node = node[part]
        elif isinstance(node, list) and isinstance(part, int) and part < len(node):
            node = node[part]
            if isinstance(node, dict) and id(node) in key_lines:
                line = key_lines[id(node)][0]
        else:
            break
    return line


def describe(error: dict) -> tuple[str, str]:
    """A pydantic error as (message, hint) an editor can act on."""
    where = _where(error["loc"])
    kind = error["type"]
    if kind == "missing" and error["loc"] and isinstance(error["loc"][-1], int):
        return f"{where} is missing: the list is too short", "give every value the list needs, e.g. lines: [first, last]"
    if kind == "editor":
        return error["ctx"]["message"], error["ctx"]["hint"]
    if kind == "string_type":
        return (f"{where} must be text, not {type(error['input']).__name__} {error['input']!r}",
                f'put the value in double quotes: "{error["input"]}"' if isinstance(error["input"], (int, float, bool))
                else "write it as one (quoted) string")
    if kind in ("int_parsing", "int_type", "int_from_float"):
        return f"{where} must be a whole number, not {error['input']!r}", "write the number in digits, e.g. 234"
    if kind in ("greater_than", "greater_than_equal"):
        return f"{where} must be a positive number, not {error['input']!r}", "line numbers count from 1"
    if kind in ("bool_type", "bool_parsing"):
        return f"{where} must be true or false, not {error['input']!r}", "write true or false (no quotes)"
    if kind == "literal_error":
        return f"{where}: {error['input']!r} is not allowed", f"use {error['ctx']['expected']}"
    if kind in ("list_type", "tuple_type"):
        return f"{where} must be a list, not {error['input']!r}", f"write it as [a, b] or one '- item' per line"
    if kind == "model_type":
        return f"{where} must be a block of 'key: value' lines, not {error['input']!r}", "see the comment at the top of the file for the keys"
    if kind == "missing":
        return f"{where} is missing", f"add '{error['loc'][-1]}:' here"
    if kind == "extra_forbidden":
        return f"unknown key '{error['loc'][-1]}'", "check its spelling, or remove it (see the README for the keys this file takes)"
    if kind == "string_too_long":
        return (f"{where} is {len(error['input']):,} characters long: at most {error['ctx']['max_length']} are allowed",
                "shorten it (was more text pasted than meant?)")
    if kind in ("string_too_short", "too_short"):
        return f"{where} is empty", "write the text, or remove the key"
    if kind == "string_pattern_mismatch" and error.get("ctx", {}).get("pattern") == _SLUG_PATTERN:
        return (f"{where} {error['input']!r} is not a plain id",
                "use lower-case letters, digits and single hyphens only (e.g. chapter-4): ids become file names and URLs")
    if kind == "string_pattern_mismatch":
        return f"{where} {error['input']!r} does not have the expected form", f"it must match {error['ctx']['pattern']}"
    return f"{where}: {error['msg']}", "correct the value on this line"


def _where(loc: tuple) -> str:
    """A pydantic location as words: ('texts', 2, 'id') -> "texts entry 3, 'id'"."""
    out: list[str] = []
    seen_entry = False
    for part in loc:
        if isinstance(part, int):
            out.append(f"{'item' if seen_entry else 'entry'} {part + 1}")
            seen_entry = True
        else:
            out.append(f"'{part}'")
    return ", ".join(out).replace("', entry", "' entry").replace("', item", "' item") or "the file"


def validate(path: Path, data: Any, key_lines: dict, model: type[T]) -> T:
    """Validate parsed YAML against ``model``; the first error stops the build at its line."""
    try:
        result = model.model_validate(data)
    except ValidationError as exc:
        error = exc.errors()[0]
        message, hint = describe(error)
        raise BuildError(path, _locate(data, key_lines, error["loc"]), message, hint) from None
    warn_invisible(path, data, key_lines)
    return result


def load_yaml(path: Path, model: type[T]) -> T:
    """Read, parse and validate one YAML data file (see the module docstring)."""
    path = Path(path)
    if not path.exists():
        raise BuildError(path, None, "the file does not exist", "restore it from git, or create it")
    return load_yaml_located(path, model)[0]


def load_yaml_located(path: Path, model: type[T]) -> tuple[T, "Lines"]:
    """Like :func:`load_yaml`, and also a :class:`Lines` to point later checks at the right line."""
    path = Path(path)
    if not path.exists():
        raise BuildError(path, None, "the file does not exist", "restore it from git, or create it")
    if path.is_dir():
        raise BuildError(path, None, "this is a folder, not a file", "point at the data file itself")
    data, key_lines = parse_yaml(path)
    if data is None:
        raise BuildError(path, 1, "the file is empty", "fill it in (see the README) or restore it from git")
    return validate(path, data, key_lines, model), Lines(data, key_lines)


class Lines:
    """Where the values of a parsed YAML file are: ``lines.of(("texts", 2, "id"))`` -> line number."""

    def __init__(self, data: Any, key_lines: dict) -> None:
        self.data = data
        self.key_lines = key_lines

    def of(self, *loc: Any) -> int | None:
        """The line of the value at ``loc`` (keys and list indexes); the nearest enclosing line if absent."""
        return _locate(self.data, self.key_lines, tuple(loc))
