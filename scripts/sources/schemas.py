"""The schemas of the data files that existed before ``datafile.py``: the manifest, the glossary and
the corrections files. Each is a pydantic model read through :func:`scripts.core.datafile.load_yaml`, so
a YAML error, a duplicate key, a wrong type, an unknown or missing key, an empty string or an id
that is not a slug stops the build with ``file:line: error:`` and what to do.

The checks a schema cannot express alone (a parser that exists, an id used twice, a corrections
file for a text the manifest does not list) are made by the loaders that use these models
(``scripts/sources/manifest.py``, ``scripts/sources/corrections.py``, ``scripts/glossary/terms.py``), with the line
found through :class:`scripts.core.datafile.Lines`.
"""
from __future__ import annotations

import re
from typing import Annotated, Literal, Optional

from pydantic import AfterValidator, ConfigDict, Field, PositiveInt, RootModel, StringConstraints, model_validator

from scripts.core.datafile import REF, Form, PlainText, Ref, Slug, Strict, Text, _no_markup, editor_error, schema_for

# ------------------------------------------------------------------------------------------------
# sources/sources.yml
# ------------------------------------------------------------------------------------------------

RIGHTS = ("all-rights-reserved", "cc-by-4.0")


def _plain_file_name(name: str) -> str:
    """A source is a file directly in sources/: no folder, no '..', not hidden, not the manifest."""
    if "/" in name or "\\" in name or name.startswith(".") or name == "sources.yml":
        raise editor_error(f"'file: {name}' is not a file name in sources/",
                           "give only the name of the text file in sources/ (e.g. goldman-blood-red-banner-2022.txt), "
                           "without folders or '..'")
    return name


def _sha256(value: str) -> str:
    if not re.fullmatch(r"[0-9a-f]{64}", value):
        raise editor_error(f"'sha256: {value}' is not a SHA-256 digest (64 hexadecimal digits)",
                           "copy the digest printed by `sha256sum sources/<file>` for the file as received")
    return value


Sha256 = Annotated[str, StringConstraints(strip_whitespace=True, to_lower=True), AfterValidator(_sha256), REF]


class ManifestEntry(Strict):
    """One text of the edition (see the comment at the top of sources/sources.yml)."""

    id: Slug
    file: Annotated[Ref, AfterValidator(_plain_file_name)]
    original: Text
    sha256: Sha256
    parser: Ref
    bibkey: Annotated[str, StringConstraints(strip_whitespace=True, pattern=r"^[A-Za-z0-9_:.\-]+$")]
    rights: Ref
    rights_statement: Text
    public_full_text: bool = False
    description: Optional[Text] = None
    extent: Optional[Text] = None          # what the page holds when it is not the whole text ("extract and notes")
    provenance: Text


@schema_for("sources/sources.yml")
class Manifest(Strict):
    texts: Annotated[list[ManifestEntry], Field(min_length=1)]


# ------------------------------------------------------------------------------------------------
# data/corrections/<text id>.yml
# ------------------------------------------------------------------------------------------------


class Correction(Strict):
    """One correction: what is wrong in the source, what the edition prints, where, and why.

    ``find`` and ``replace`` are kept exactly as written (spaces matter); ``find`` may not be empty
    (an empty pattern matches between every two characters and would garble the line).
    """

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=False)

    find: Annotated[str, StringConstraints(min_length=1), REF]
    replace: str
    line: Optional[PositiveInt] = None
    lines: Optional[tuple[PositiveInt, PositiveInt]] = None
    count: Optional[PositiveInt] = None
    regex: bool = False
    reason: Text

    @model_validator(mode="after")
    def _consistent(self) -> "Correction":
        if not self.find.strip() and not self.regex:
            raise editor_error("'find' is only white space", "write the erroneous text the entry corrects")
        if self.line is not None and self.lines is not None:
            raise editor_error("an entry takes 'line' or 'lines', not both", "keep one of them")
        if self.lines is not None and self.lines[0] > self.lines[1]:
            raise editor_error(f"'lines: [{self.lines[0]}, {self.lines[1]}]' runs backwards",
                               "write the first line, then the last: lines: [first, last]")
        if self.regex:
            try:
                rx = re.compile(self.find)
            except re.error as exc:
                raise editor_error(f"'find' is not a valid regular expression ({exc})",
                                   "fix the pattern, or drop 'regex: true' to match the text literally") from None
            if rx.search(""):
                raise editor_error(f"the pattern {self.find!r} matches empty text",
                                   "a correction must match at least one character")
        return self


# ------------------------------------------------------------------------------------------------
# data/glossary.yml
# ------------------------------------------------------------------------------------------------

#: Forms shorter than this need to be listed in the glossary's ``allowed_short_forms``.
MIN_FORM_LENGTH = 3

#: The commonest English words: a glossary form equal to one of them would put a tooltip on
#: ordinary prose (the variant "a" alone made 2,167 false links). Compared case-insensitively,
#: except for all-capital acronyms, which match only as written (``AN`` is not ``an``).
COMMON_WORDS = frozenset("""
a about above after again against all also am an and any are as at be because been before being
below between both but by can could did do does doing down during each few for from further had has
have having he her here hers him his how i if in into is it its itself just me more most my no nor
not now of off on once only or other our ours out over own same she should so some such than that
the their theirs them then there these they this those through to too under until up very was we
were what when where which while who whom why will with would you your yours one two three man men
new old said see way may say use her him made make like time year years day work people first last
""".split())


def check_form(form: str, allowed: frozenset[str] = frozenset()) -> str | None:
    """Why ``form`` cannot be a glossary form (too short, a common English word), or None."""
    if form in allowed:
        return None
    if len(form.strip()) < MIN_FORM_LENGTH:
        return f"the form {form!r} is shorter than {MIN_FORM_LENGTH} characters"
    if form.casefold() in COMMON_WORDS and not form.isupper():
        return f"the form {form!r} is a common English word"
    return None


class GlossaryTerm(Strict):
    """One glossary entry (see the comment at the top of data/glossary.yml)."""

    id: Slug
    headword: Form
    russian: Optional[Annotated[str, StringConstraints(min_length=0), AfterValidator(_no_markup)]] = None  # "" = none; Cyrillic, no markup
    variants: list[Form] = []
    short: PlainText
    explanation: Text
    related: list[Slug] = []
    source: Text
    viola: Optional[Text] = None
    viola_headword: Optional[Text] = None
    viola_completion: Optional[Text] = None
    readings: list[Slug] = []
    exact_case: bool = False
    marking: Literal["normal", "off"] = "normal"
    # editorial keys (issue 13, scripts/glossary/page.py): OCR misspellings matched but never shown,
    # where the facts come from, and the who's-who fields of people
    misspellings: list[Form] = []
    sources: list[Text] = []
    group: Optional[Ref] = None
    dates: Optional[Text] = None
    role: Optional[Text] = None


class ArchivalAbbreviation(Strict):
    abbr: Form
    stands_for: Text
    meaning: Text
    forms: list[Form] = []
    # where the expansion and meaning come from (issue 13): passage ids, named works, or
    # "written for this edition" for what no reading or named work states (scripts/glossary/page.py)
    sources: list[Text] = []


@schema_for("data/glossary.yml")
class GlossaryFile(Strict):
    intro: Optional[Text] = None
    archival_intro: Optional[Text] = None
    allowed_short_forms: list[Ref] = []
    terms: Annotated[list[GlossaryTerm], Field(min_length=1)]
    archival: list[ArchivalAbbreviation] = []


# ------------------------------------------------------------------------------------------------
# data/glued_words.yml
# ------------------------------------------------------------------------------------------------


class GluedWord(Strict):
    """One glued token of a source line and the text the edition prints (only spaces added)."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=False, str_min_length=1)

    line: PositiveInt
    kind: Literal["word", "digit", "punct"]
    glued: Annotated[str, REF]
    split: Annotated[str, REF]

    @model_validator(mode="after")
    def _only_spaces_added(self) -> "GluedWord":
        if self.split.replace(" ", "") != self.glued.replace(" ", "") or self.split == self.glued:
            raise editor_error(f"split {self.split!r} must be {self.glued!r} with spaces added",
                               "a glue entry may only add spaces; use data/corrections/ for other changes")
        return self


@schema_for("data/glued_words.yml")
class GluedWordsFile(RootModel[dict[Slug, list[GluedWord]]]):
    """data/glued_words.yml: text id -> its glued tokens."""
