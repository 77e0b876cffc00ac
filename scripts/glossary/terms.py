"""The glossary: one data file (data/glossary.yml) feeds the tooltips, the glossary page and the tests.

Three jobs, one module:

* :func:`load_glossary` reads and validates ``data/glossary.yml``. Every mistake a historian can make
  while editing it (a missing definition, a form claimed by two terms, a link to a term that does
  not exist, a tooltip that is too long) stops the build with a :class:`BuildError` that names the
  file, the line of the entry and what to fix.
* :class:`Annotator` wraps every form of every term in a paragraph of Markdown in a link to the
  glossary entry whose ``title`` is the short definition. Material's ``content.tooltips`` shows
  the title as a tooltip on hover; the link is reachable by Tab and by tapping (it leads to the
  entry), which the ``<abbr>`` recipe is not.
* :func:`render_glossary_page` writes the Markdown of the glossary page, including the
  "How to read an archival citation" section built from the ``archival:`` list.

Matching rules (what counts as "the same term"):

* every listed form (the headword and each variant) matches as written; a form that starts with a
  lower-case letter also matches with a capital (sentence-initial "Kulaks"), unless the term says
  ``exact_case: true`` (``soviet`` the council, not ``Soviet`` the adjective); forms that start with
  a capital (acronyms such as NEP, names such as Pravda) match only as written;
* the apostrophe kinds ``'`` ``’`` ``ʹ`` ``ʼ`` are interchangeable (the readings mix them);
* a space inside a form matches any run of white space, newlines included;
* a form matches only as a whole word: not after or before a letter or digit, and not across an
  apostrophe inside a word (``sovet`` would not match inside ``sel'sovet``), but a possessive
  ``'s`` may follow (``kulak's`` matches ``kulak`` when no longer form is listed);
* the longest form wins where forms overlap ("primitive socialist accumulation" before
  "primitive accumulation"), and the leftmost match wins where matches compete.
"""
from __future__ import annotations

import hashlib
import html
import pickle
import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

#: libyaml's C loader when PyYAML was built with it (the glossary is parsed on every rebuild).
LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

from scripts.core.datafile import Lines, parse_yaml, read_text, validate
from scripts.core.errors import BuildError
from scripts.core.markdown_text import escape_text
from scripts.core.slots import GLOSSARY_URL
from scripts.sources.schemas import GlossaryFile, check_form

#: Placeholder the renderer replaces with the page-relative URL of the glossary page.

#: A tooltip longer than this stops the build; the data tests hold entries to ~160 characters.
SHORT_MAX = 200

#: Values of ``source`` other than the title of a reading.
SOURCE_VIOLA = "Viola's glossary"
SOURCE_EDITION = "written for this edition"

APOSTROPHES = "'’ʹʼ"
_APOS_CLASS = "['’ʹʼ]"
_WORD = r"[^\W_]"  # a letter or digit (any script), not the underscore

_ID_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
_TERM_FIELDS = {
    "id", "headword", "russian", "variants", "short", "explanation", "related", "source",
    "viola", "viola_headword", "viola_completion", "readings", "exact_case", "marking",
    # editorial keys (issue 13): see scripts/glossary/page.py
    "misspellings", "sources", "group", "dates", "role",
}

#: Values of an entry's optional ``marking`` key: ``normal`` (the default: marked in the text) or
#: ``off`` (an everyday English word, "district", that is an entry only for its Soviet sense: it
#: is listed on the glossary page but never marked in the readings).
MARKINGS = ("normal", "off")
_ARCHIVAL_FIELDS = {"abbr", "stands_for", "meaning", "forms", "sources"}


# --------------------------------------------------------------------------------------------
# Data
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Term:
    """One glossary entry. ``forms`` = headword + variants, in the order the file lists them."""

    id: str
    headword: str
    short: str
    explanation: str
    source: str
    russian: str = ""
    variants: tuple[str, ...] = ()
    related: tuple[str, ...] = ()
    viola: str = ""
    viola_headword: str = ""
    viola_completion: str = ""
    readings: tuple[str, ...] = ()
    exact_case: bool = False
    marking: str = "normal"
    line: int = 0
    #: OCR misspellings present in the readings: matched (they get the tooltip) but never shown
    #: to students as "forms in the readings".
    misspellings: tuple[str, ...] = ()
    #: where the entry's facts come from: passage ids (viola/chapter-2#p14), "Viola's glossary",
    #: or a named work "Author, Title (Year)"; checked by scripts/glossary/page.py
    sources: tuple[str, ...] = ()
    group: str = ""
    dates: str = ""
    role: str = ""

    @property
    def forms(self) -> tuple[str, ...]:
        seen: dict[str, None] = {}
        for form in (self.headword, *self.variants, *self.misspellings):
            seen.setdefault(form, None)
        return tuple(seen)

    @property
    def tooltip(self) -> str:
        """The short definition as plain text (Markdown emphasis markers removed)."""
        return plain_text(self.short)

    def applies_to(self, page: str) -> bool:
        """True if this term is annotated on ``page``.

        A term with ``readings: [viola]`` is annotated only on pages of that reading: pages whose
        path has ``viola`` as one of its folder or file names (``readings/viola/chapter-4.md``),
        or that are named ``viola`` outright. Terms without ``readings`` apply everywhere.
        """
        if not self.readings:
            return True
        parts = {p for p in re.split(r"[\\/]", page) if p}
        parts |= {p.rsplit(".", 1)[0] for p in parts}
        return bool(parts & set(self.readings))


@dataclass(frozen=True)
class ArchivalAbbreviation:
    """One entry of the "How to read an archival citation" table (never annotated in the text)."""

    abbr: str
    stands_for: str
    meaning: str
    forms: tuple[str, ...] = ()
    line: int = 0
    sources: tuple[str, ...] = ()  # checked and shown by scripts/glossary/page.py


@dataclass
class Glossary:
    """The validated glossary: ``terms`` sorted A–Z, plus the archival abbreviations."""

    path: str
    terms: list[Term]
    archival: list[ArchivalAbbreviation] = field(default_factory=list)
    intro: str = ""
    archival_intro: str = ""

    def __post_init__(self) -> None:
        self.by_id: dict[str, Term] = {t.id: t for t in self.terms}

    def annotator(self) -> "Annotator":
        return Annotator(self.terms)


# --------------------------------------------------------------------------------------------
# Loading and validation
# --------------------------------------------------------------------------------------------


def plain_text(markdown_text: str) -> str:
    """Strip ``*``/``**`` emphasis markers from a short Markdown string (for a title attribute)."""
    return re.sub(r"\*{1,2}([^*]+)\*{1,2}", r"\1", markdown_text)


def normalise_form(form: str) -> str:
    """The key two forms share when they would match the same text: apostrophe kinds unified,
    white space collapsed (``sel’  sovet`` -> ``sel' sovet``)."""
    form = re.sub(f"[{APOSTROPHES}]", "'", form)
    return re.sub(r"\s+", " ", form.strip())


def _sort_key(headword: str) -> tuple[int, str]:
    """A–Z order ignoring case, apostrophes and punctuation; headwords starting with a digit
    ("25,000ers") come first."""
    key = re.sub(r"[^0-9a-z ]", "", headword.casefold())
    return (0 if key[:1].isdigit() else 1, key)


def letter_of(headword: str) -> str:
    """The letter-bar group of a headword: "A".."Z", or "0–9"."""
    first = _sort_key(headword)[1][:1]
    return "0–9" if first.isdigit() else first.upper()


def _node_line(node: yaml.Node) -> int:
    return node.start_mark.line + 1


def _mapping_lines(node: yaml.MappingNode) -> dict[str, int]:
    """Line of each key of a YAML mapping node (for pointing at the offending field)."""
    return {k.value: _node_line(k) for k, _ in node.value if isinstance(k, yaml.ScalarNode)}


def load_glossary(path: Path) -> Glossary:
    """Read and validate the glossary file; raise :class:`BuildError` (file, line, what to fix)."""
    spath = str(path)
    if not Path(path).is_file():
        raise BuildError(spath, None, "glossary file not found",
                         "restore data/glossary.yml (it is the single source of tooltips and the glossary page)")
    text = read_text(Path(path))  # not UTF-8 / NUL bytes: file:line error naming the encoding
    data, key_lines = parse_yaml(Path(path), text)  # YAML errors and duplicate keys, with their line
    root = yaml.compose(text, Loader=LOADER)
    if not isinstance(data, dict) or not isinstance(root, yaml.MappingNode):
        raise BuildError(spath, 1, "the glossary must be a mapping with a 'terms:' list",
                         "start the file with 'terms:' followed by a list of entries")
    top = {k.value: v for k, v in root.value}
    if not isinstance(data.get("terms"), list) or not isinstance(top.get("terms"), yaml.SequenceNode):
        raise BuildError(spath, 1, "the glossary has no 'terms:' list", "add 'terms:' with one '- id: ...' entry per term")

    terms = [_load_term(spath, item, node) for item, node in zip(data["terms"], top["terms"].value)]
    _check_unique_ids(spath, terms)
    _check_related(spath, terms, top["terms"].value)
    _check_forms(spath, terms)

    archival: list[ArchivalAbbreviation] = []
    if "archival" in data:
        anode = top["archival"]
        if not isinstance(data["archival"], list) or not isinstance(anode, yaml.SequenceNode):
            raise BuildError(spath, _node_line(anode), "'archival:' must be a list",
                             "give one '- abbr: ...' entry per archival abbreviation")
        archival = [_load_archival(spath, item, node) for item, node in zip(data["archival"], anode.value)]

    _check_schema(Path(path), data, key_lines, terms)
    terms.sort(key=lambda t: _sort_key(t.headword))
    return Glossary(spath, terms, archival, intro=str(data.get("intro") or "").strip(),
                    archival_intro=str(data.get("archival_intro") or "").strip())


def _check_schema(path: Path, data: Any, key_lines: dict, terms: list[Term]) -> None:
    """The file against its schema (``scripts.sources.schemas.GlossaryFile``: keys, types, empty text, slugs,
    ``marking``), then every form: at least three characters and not a common English word, unless
    it is listed under ``allowed_short_forms`` (real short terms such as the acronym MK)."""
    model = validate(path, data, key_lines, GlossaryFile)
    allowed = frozenset(model.allowed_short_forms)
    lines = Lines(data, key_lines)
    for i, (entry, term) in enumerate(zip(model.terms, data["terms"])):
        for key, forms in (("headword", [entry.headword]), ("variants", entry.variants)):
            for form in forms:
                problem = check_form(form, allowed)
                if problem:
                    raise BuildError(str(path), lines.of("terms", i, key), f"entry '{entry.id}': {problem}",
                                     "it would mark ordinary words in every reading: remove it, or, if it really is "
                                     "a term the readings use, add it to 'allowed_short_forms:' at the top of the file")


def _text(spath: str, entry: dict[str, Any], key: str, lines: dict[str, int], where: int, name: str,
          required: bool) -> str:
    value = entry.get(key)
    if value is None or (isinstance(value, str) and not value.strip()):
        if required:
            raise BuildError(spath, lines.get(key, where), f"{name}: missing '{key}'",
                             f"add a '{key}:' field to this entry ({_FIELD_HINTS.get(key, 'see the comment at the top of the file')})")
        return ""
    if not isinstance(value, (str, int, float)):
        raise BuildError(spath, lines.get(key, where), f"{name}: '{key}' must be text", "write it as a single (quoted) string")
    return " ".join(str(value).split()) if key != "explanation" else str(value).strip()


_FIELD_HINTS = {
    "id": "a lower-case slug such as 'kulak' or 'one-man-management'; it becomes the #anchor",
    "headword": "the term as the readings use it, e.g. sel'sovet",
    "short": "the tooltip: one sentence of at most ~160 characters",
    "explanation": "a short paragraph for the glossary page",
    "source": f"'{SOURCE_VIOLA}', '{SOURCE_EDITION}' or the reading the definition comes from",
    "viola": "Viola's own definition, verbatim from her Glossary",
}


def _load_term(spath: str, entry: Any, node: yaml.Node) -> Term:
    where = _node_line(node)
    if not isinstance(entry, dict) or not isinstance(node, yaml.MappingNode):
        raise BuildError(spath, where, "a glossary entry must be a mapping of fields",
                         "write each entry as '- id: ...' followed by indented 'headword:', 'short:', ... lines")
    lines = _mapping_lines(node)
    raw_id = entry.get("id")
    name = f"entry '{raw_id}'" if raw_id else f"entry at line {where}"
    unknown = sorted(set(entry) - _TERM_FIELDS)
    if unknown:
        raise BuildError(spath, lines.get(unknown[0], where), f"{name}: unknown field '{unknown[0]}'",
                         "allowed fields: " + ", ".join(sorted(_TERM_FIELDS)))
    tid = _text(spath, entry, "id", lines, where, name, True)
    if not _ID_RE.match(tid):
        raise BuildError(spath, lines.get("id", where), f"{name}: id '{tid}' is not a slug",
                         "use lower-case ASCII letters, digits and single hyphens, e.g. 'scissors-crisis'")
    name = f"entry '{tid}'"
    headword = _text(spath, entry, "headword", lines, where, name, True)
    short = _text(spath, entry, "short", lines, where, name, True)
    explanation = _text(spath, entry, "explanation", lines, where, name, True)
    source = _text(spath, entry, "source", lines, where, name, True)
    if len(short) > SHORT_MAX:
        raise BuildError(spath, lines.get("short", where),
                         f"{name}: the short definition has {len(short)} characters (at most {SHORT_MAX})",
                         "shorten the tooltip to one sentence of about 160 characters; move detail into 'explanation'")
    if re.search(r"[<>\[\]`\\]", short):
        raise BuildError(spath, lines.get("short", where), f"{name}: the short definition contains markup",
                         "write the tooltip as plain text (only *italic* is allowed); no <, >, [, ], ` or \\")
    viola = _text(spath, entry, "viola", lines, where, name, source == SOURCE_VIOLA)
    variants = _list(spath, entry, "variants", lines, where, name)
    misspellings = _list(spath, entry, "misspellings", lines, where, name)
    for form in (headword, *variants, *misspellings):
        if re.search(r"[*<>\[\]`\\|{}]", form) or not re.search(_WORD, form):
            raise BuildError(spath, lines.get("variants", where), f"{name}: form {form!r} cannot be matched in text",
                             "list forms as plain words as they appear in the readings, without Markdown or HTML")
    readings = _list(spath, entry, "readings", lines, where, name)
    exact_case = entry.get("exact_case", False)
    if not isinstance(exact_case, bool):
        raise BuildError(spath, lines.get("exact_case", where), f"{name}: 'exact_case' must be true or false",
                         "write exact_case: true to stop lower-case forms matching capitalised words")
    marking = entry.get("marking", "normal")
    if marking is False:  # an unquoted `off` is YAML 1.1 for false
        marking = "off"
    if marking not in MARKINGS:
        raise BuildError(spath, lines.get("marking", where), f"{name}: 'marking' must be one of {', '.join(MARKINGS)}",
                         "write marking: off for an everyday English word that should never be marked, "
                         "or leave the key out (normal)")
    return Term(
        id=tid, headword=headword, short=short, explanation=explanation, source=source,
        russian=_text(spath, entry, "russian", lines, where, name, False),
        variants=tuple(variants),
        related=tuple(_list(spath, entry, "related", lines, where, name)),
        viola=viola,
        viola_headword=_text(spath, entry, "viola_headword", lines, where, name, False),
        viola_completion=_text(spath, entry, "viola_completion", lines, where, name, False),
        readings=tuple(readings), exact_case=exact_case, marking=marking, line=where,
        misspellings=tuple(misspellings),
        sources=tuple(_list(spath, entry, "sources", lines, where, name)),
        group=_text(spath, entry, "group", lines, where, name, False),
        dates=_text(spath, entry, "dates", lines, where, name, False),
        role=_text(spath, entry, "role", lines, where, name, False),
    )


def _list(spath: str, entry: dict[str, Any], key: str, lines: dict[str, int], where: int, name: str) -> list[str]:
    value = entry.get(key) or []
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not all(isinstance(v, (str, int)) and str(v).strip() for v in value):
        raise BuildError(spath, lines.get(key, where), f"{name}: '{key}' must be a list of non-empty strings",
                         f"write it as {key}: [a, b] or one '- item' per line")
    return [str(v).strip() if key not in ("variants", "misspellings") else str(v) for v in value]


def _check_unique_ids(spath: str, terms: list[Term]) -> None:
    seen: dict[str, Term] = {}
    for term in terms:
        if term.id in seen:
            raise BuildError(spath, term.line, f"duplicate id '{term.id}' (first used at line {seen[term.id].line})",
                             "give each entry its own id, or merge the two entries")
        seen[term.id] = term


def _check_related(spath: str, terms: list[Term], nodes: list[yaml.Node]) -> None:
    ids = {t.id for t in terms}
    for term, node in zip(terms, nodes):
        line = _mapping_lines(node).get("related", term.line) if isinstance(node, yaml.MappingNode) else term.line
        for rid in term.related:
            if rid == term.id:
                raise BuildError(spath, line, f"entry '{term.id}': 'related' lists the entry itself",
                                 "remove its own id from 'related'")
            if rid not in ids:
                close = sorted(i for i in ids if i.startswith(rid[:3]))[:5]
                raise BuildError(spath, line, f"entry '{term.id}': related id '{rid}' does not exist",
                                 "use the id of another entry" + (f" (did you mean: {', '.join(close)}?)" if close else ""))


def _check_forms(spath: str, terms: list[Term]) -> None:
    """No form may be claimed by two terms: the tooltip would be ambiguous.

    Forms are compared the way the matcher sees them: apostrophe kinds and white space unified, and
    a lower-case initial also standing for its capital (``kulak`` also claims ``Kulak``).
    """
    claimed: dict[str, Term] = {}
    for term in terms:
        keys: set[str] = set()
        for form in term.forms:
            key = normalise_form(form)
            keys.add(key)
            if key[:1].islower() and not term.exact_case:
                keys.add(key[:1].upper() + key[1:])
        for key in keys:
            other = claimed.get(key)
            if other is not None and other.id != term.id:
                raise BuildError(spath, term.line,
                                 f"entry '{term.id}': the form '{key}' is also claimed by entry '{other.id}' (line {other.line})",
                                 "a form may belong to one term only: remove it from one of the two entries")
            claimed[key] = term


def _load_archival(spath: str, entry: Any, node: yaml.Node) -> ArchivalAbbreviation:
    where = _node_line(node)
    if not isinstance(entry, dict) or not isinstance(node, yaml.MappingNode):
        raise BuildError(spath, where, "an archival entry must be a mapping", "write '- abbr: ...' with 'stands_for:' and 'meaning:'")
    lines = _mapping_lines(node)
    name = f"archival entry '{entry.get('abbr', where)}'"
    unknown = sorted(set(entry) - _ARCHIVAL_FIELDS)
    if unknown:
        raise BuildError(spath, lines.get(unknown[0], where), f"{name}: unknown field '{unknown[0]}'",
                         "allowed fields: " + ", ".join(sorted(_ARCHIVAL_FIELDS)))
    return ArchivalAbbreviation(
        abbr=_text(spath, entry, "abbr", lines, where, name, True),
        stands_for=_text(spath, entry, "stands_for", lines, where, name, True),
        meaning=_text(spath, entry, "meaning", lines, where, name, True),
        forms=tuple(_list(spath, entry, "forms", lines, where, name)),
        line=where,
        sources=tuple(_list(spath, entry, "sources", lines, where, name)),
    )


# --------------------------------------------------------------------------------------------
# Annotation
# --------------------------------------------------------------------------------------------

#: Stretches of a Markdown paragraph that are never annotated, tried left to right.
_PROTECTED = re.compile(
    r"""
      \\.                                              # an escaped character: \[  \*
    | (?P<ticks>`+)[\s\S]*?(?P=ticks)                  # inline code
    | <(?P<el>a|code|pre|kbd|samp|script|style|abbr)\b[^>]*>[\s\S]*?</(?P=el)\s*>   # whole elements (links, existing annotations, code)
    | <span\ class="gx"[^>]*>[^<]*</span>               # a later occurrence already wrapped (see Annotator)
    | <!--[\s\S]*?-->                                  # HTML comment
    | </?[A-Za-z][^<>]*>                               # any other tag, with its attributes; autolinks
    | \[\^[^\]\s]*\]                                   # footnote reference [^12]
    | !?\[(?:[^\[\]\\]|\\.|\[[^\[\]]*\])*\]            # link or image text ...
      (?:\((?:[^()\\]|\\.|\([^()]*\))*\)|\[[^\]]*\])   # ... with (url "title") or [ref]
    | https?://[^\s<>()\[\]]+                          # bare URL
    | &(?:\#\d+|\#x[0-9A-Fa-f]+|[A-Za-z][A-Za-z0-9]*);  # character entity
    | \{[:#.][^{}\n]*\}                                # attribute list { #id .class }
    | \{GLOSSARY_URL\}
    """,
    re.VERBOSE,
)

#: In notes, emphasis is left alone as well: notes set the titles of books, journals and document
#: collections in italics (*Sochineniia*, *KPSS v rezoliutsiiakh*, *Sten. otchet*), and a title is
#: not a use of the term, so marking it would mislead.
_PROTECTED_IN_NOTES = re.compile(
    _PROTECTED.pattern + r"""
    | \*\*(?:\\.|[^*\\])+?\*\*                          # **bold**
    | \*(?:\\.|[^*\\])+?\*                                # *italic*
    """,
    re.VERBOSE,
)


def _form_pattern(form: str, exact_case: bool = False) -> str:
    """Regex for one form: apostrophes interchangeable, spaces = any white space, lower-case
    initial also capitalised (unless ``exact_case``)."""
    out = []
    for i, ch in enumerate(form):
        if ch in APOSTROPHES:
            out.append(_APOS_CLASS)
        elif ch.isspace():
            if out and out[-1] == r"\s+":
                continue
            out.append(r"\s+")
        elif i == 0 and ch.islower() and ch.upper() != ch and not exact_case:
            out.append(f"[{ch}{ch.upper()}]")
        else:
            out.append(re.escape(ch))
    return "".join(out)


class Annotator:
    """Wraps glossary terms in Markdown paragraphs; counts what it wrapped per (page, term id).

    One instance is used for a whole build so that ``counts`` can feed the glossary page's
    "Used in" lists.
    """

    def __init__(self, terms: list[Term]) -> None:
        self.terms = list(terms)
        self.counts: Counter[tuple[str, str]] = Counter()
        self._exact: dict[str, Term] = {}
        self._lower_initial: dict[str, Term] = {}
        forms: dict[str, bool] = {}
        for term in self.terms:
            for form in term.forms:
                key = normalise_form(form)
                self._exact[key] = term
                if key[:1].islower() and not term.exact_case:
                    self._lower_initial[key] = term
                forms.setdefault(key, term.exact_case)
        ordered = sorted(forms, key=lambda f: (-len(f), f))
        alternatives = "|".join(_form_pattern(f, forms[f]) for f in ordered) or r"(?!x)x"
        self._pattern = re.compile(
            rf"(?<!{_WORD})(?<!{_WORD}{_APOS_CLASS})(?:{alternatives})"
            rf"(?!{_WORD})(?!{_APOS_CLASS}(?:[^\W_s]|s{_WORD}))"
        )
        self._titles = {t.id: _attr(t.tooltip) for t in self.terms}
        self._seen: dict[tuple[str, object], set[str]] = {}

    def fingerprint(self) -> bytes:
        """What the annotator's output depends on, as bytes: a key for caches of annotated text
        (scripts/pipeline.py keeps rendered readings while serving). Only the fields :meth:`annotate`
        reads, in the terms' order: an edit to an entry's explanation, sources or group (or a line
        added above it) changes the glossary page, not the annotated readings, so they are reused."""
        used = [(t.id, t.forms, t.exact_case, t.marking, t.readings, t.tooltip) for t in self.terms]
        return hashlib.sha256(pickle.dumps(used, pickle.HIGHEST_PROTOCOL)).digest()

    def mark(self) -> tuple[Counter, set]:
        """The counts and the sections seen so far, to hand to :meth:`changes_since` later."""
        return Counter(self.counts), set(self._seen)

    def changes_since(self, mark: tuple[Counter, set]) -> tuple[Counter, dict]:
        """What annotating has added since ``mark``: new counts and newly seen sections."""
        counts, seen = mark
        return self.counts - counts, {k: set(v) for k, v in self._seen.items() if k not in seen}

    def replay(self, changes: tuple[Counter, dict]) -> None:
        """Apply :meth:`changes_since`'s record again, as if the same text had been annotated here.

        A reading whose rendered pages are reused (serve) must still count towards the glossary
        page's "Used in" lists and mark its sections as seen, exactly as rendering it would."""
        counts, seen = changes
        self.counts.update(counts)
        for key, ids in seen.items():
            self._seen.setdefault(key, set()).update(ids)

    def term_for(self, matched: str) -> Term | None:
        """The term a matched stretch of text belongs to."""
        key = normalise_form(matched)
        term = self._exact.get(key)
        if term is None and key[:1].isupper():
            term = self._lower_initial.get(key[:1].lower() + key[1:])
        return term

    def annotate(self, markdown_text: str, page: str, section: object = None, in_note: bool = False) -> str:
        """Return ``markdown_text`` with the term forms in it wrapped.

        Protected stretches (code, links, footnote refs, HTML tags and elements, URLs, escapes) are
        copied unchanged; everything else, *italic* included, is annotated.

        ``section`` names the stretch of the page the text belongs to (heading to heading). Given,
        only a term's FIRST occurrence in that section of ``page`` becomes a glossary link, without
        a ``title``: the short definitions are written once for the whole site
        (scripts/glossary/reader_data.py) and reader.js gives each link its tooltip; later ones become ``<span class="gx" data-g="id">``, which
        costs a few bytes and no tab stop, and which the reader's "every occurrence" setting turns
        into a mark (assets/javascripts/reader.js). Marking every occurrence put 630 underlines and
        as many tab stops into Viola's chapter 4. Without ``section`` every occurrence is a link with
        its definition as ``title`` (the behaviour for callers that do not track sections).

        ``in_note``: the text is a note, whose italics are titles of works (see
        ``_PROTECTED_IN_NOTES``) and are left unmarked.

        :attr:`counts` counts every occurrence, link or span: the glossary page's "Used in" lists
        say how often a reading uses a term, not how often it is underlined. Terms with
        ``marking: off`` are neither wrapped nor counted.
        """
        protected = _PROTECTED_IN_NOTES if in_note else _PROTECTED
        seen = self._seen.setdefault((page, section), set()) if section is not None else None
        out: list[str] = []
        pos = 0
        for m in protected.finditer(markdown_text):
            out.append(self._annotate_free(markdown_text[pos:m.start()], page, seen))
            out.append(m.group(0))
            pos = m.end()
        out.append(self._annotate_free(markdown_text[pos:], page, seen))
        return "".join(out)

    def _annotate_free(self, text: str, page: str, seen: set[str] | None) -> str:
        if not text:
            return text

        def wrap(m: re.Match[str]) -> str:
            term = self.term_for(m.group(0))
            if term is None or term.marking == "off" or not term.applies_to(page):
                return m.group(0)
            self.counts[(page, term.id)] += 1
            if seen is None:
                return (f'<a class="gl" href="{GLOSSARY_URL}#{term.id}" title="{self._titles[term.id]}">'
                        f"{m.group(0)}</a>")
            if term.id in seen:
                return f'<span class="gx" data-g="{term.id}">{m.group(0)}</span>'
            seen.add(term.id)
            return f'<a class="gl" href="{GLOSSARY_URL}#{term.id}">{m.group(0)}</a>'

        return self._pattern.sub(wrap, text)


def _attr(text: str) -> str:
    """Escape a value for a double-quoted HTML attribute inside Markdown (``|`` would split a table row)."""
    return html.escape(text, quote=True).replace("|", "&#124;")


# --------------------------------------------------------------------------------------------
# The glossary page
# --------------------------------------------------------------------------------------------

_DEFAULT_INTRO = (
    "The readings use many Russian words, Soviet acronyms and terms of art. In the reading pages each "
    "of them has a dotted underline: click or tap it (or press Enter on it) to read a short definition "
    "in place, with a link to its entry here. Each entry gives the Russian original, the definition, "
    "what the term meant and why it matters in these readings, and where it is used. Entries taken "
    "from Lynne Viola's own glossary quote her definition as she wrote it. To find a term, type it in "
    "the box below: its entry comes first, then the entries that mention it."
)


def _md_link_text(text: str) -> str:
    return escape_text(text)


_ITALIC_TAG = re.compile(r"(</?i>)")


def editor_markdown(text: str) -> str:
    """Editor-written text as Markdown that cannot carry markup into the page.

    Everything is escaped (HTML, links, Markdown syntax are shown as typed) except ``*italic*`` and
    the bare ``<i>``/``</i>`` tags that Viola's glossary prints (kept verbatim, as the file says).
    """
    return "".join(part if _ITALIC_TAG.fullmatch(part) else escape_text(part) for part in _ITALIC_TAG.split(text))


def _source_line(term: Term) -> str:
    """Where the entry comes from, as the page states it."""
    if term.source == SOURCE_VIOLA:
        return ("Source: Viola's glossary (her definition is quoted above; the one-line definition and "
                "the explanation are written for this edition).")
    if term.source == SOURCE_EDITION:
        return "Source: written for this edition."
    return (f"Source: the definition follows {editor_markdown(term.source)}; the wording is this edition's.")


def render_glossary_page(glossary: Glossary, used_in: dict[str, list[tuple[str, str, int]]]) -> str:
    """The Markdown of the glossary page.

    ``used_in[term_id]`` = list of (page title, page URL relative to the glossary page, count),
    normally built from :attr:`Annotator.counts`.
    """
    lines: list[str] = ["# Glossary", "", editor_markdown(glossary.intro) if glossary.intro else _DEFAULT_INTRO, ""]

    firsts: dict[str, str] = {}
    for term in glossary.terms:
        firsts.setdefault(letter_of(term.headword), term.id)
    letters = ["0–9"] + [chr(c) for c in range(ord("A"), ord("Z") + 1)]
    bar = [f"[{letter}](#{firsts[letter]})" if letter in firsts else letter
           for letter in letters if letter in firsts or letter != "0–9"]
    lines += ["Jump to: " + " · ".join(bar), ""]

    by_id = glossary.by_id
    for term in glossary.terms:
        lines += [f"## {editor_markdown(term.headword)} {{#{term.id}}}", ""]
        if term.russian:
            lines += [f"Russian: {editor_markdown(term.russian)}", ""]
        lines += [f"**{editor_markdown(term.short)}**", "", editor_markdown(term.explanation), ""]
        if term.viola:
            viola = editor_markdown(term.viola)
            if term.viola_completion:
                completion = editor_markdown(term.viola_completion)
                viola += (f" \\[{completion}\\] *(the book's entry breaks off after "
                          f"\u201c{editor_markdown(term.viola.split()[-1])}\u201d; completed here: {completion})*")
            head = editor_markdown(term.viola_headword or term.headword)
            lines += [f"> **Viola's glossary:** {head} \u2014 {viola}", ""]
        forms = [f for f in term.variants if normalise_form(f) != normalise_form(term.headword)]
        if forms:
            shown = list(dict.fromkeys(forms))
            lines += ["Forms in the readings: " + ", ".join(editor_markdown(f) for f in shown), ""]
        lines += [_source_line(term), ""]
        if term.related:
            links = [f"[{_md_link_text(by_id[r].headword)}](#{r})" for r in term.related]
            lines += ["See also: " + ", ".join(links), ""]
        uses = used_in.get(term.id) or []
        if term.marking == "off":
            lines += ["Not marked in the readings: there it reads as everyday English, and this entry "
                      "gives its Soviet sense.", ""]
        elif uses:
            links = [f"[{_md_link_text(title)}]({url}) ({count})" for title, url, count in uses]
            lines += ["Used in: " + ", ".join(links), ""]
        else:
            lines += ["Used in: not marked in the reading pages; listed for reference.", ""]

    if glossary.archival:
        lines += ["## How to read an archival citation {#archival-citations}", ""]
        if glossary.archival_intro:
            lines += [editor_markdown(glossary.archival_intro), ""]
        lines += ["| Abbreviation | Stands for | What it means |", "|---|---|---|"]
        for a in glossary.archival:
            abbr = a.abbr + (" (also " + ", ".join(a.forms) + ")" if a.forms else "")
            cells = [abbr, a.stands_for, a.meaning]
            lines.append("| " + " | ".join(editor_markdown(c) for c in cells) + " |")
        lines.append("")
    return "\n".join(lines)
