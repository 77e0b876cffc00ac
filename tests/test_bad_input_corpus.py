"""The bad-input corpus: one case per kind of mistake an editor (or a damaged file) can bring, run
through the real command, ``python -m scripts.build --site`` (what ``./site.sh build`` runs).

A good build of a scratch copy of the project is made once; every case copies it (docs/ and site/
included), damages one input, runs the build, and asserts:

* the exit code (1: bad input; never 2, an internal error, and never a traceback);
* the first error has the form ``file:line: error: …`` and names the file to fix (relative to the
  project, never with the build machine's path); the few cases of a file that is missing
  altogether have no line to give and are marked so;
* the ``what to do:`` hint says what to do;
* docs/, site/ and mkdocs.yml are byte-identical to the good build, and no scratch folder is left.

The cases are the 92 trials of the bad-input review (and those the README names), minus the few
that are not mistakes (a BOM, a repeated variant) — see tests/test_bad_input.py for the in-process
tests of the same loaders.
"""
from __future__ import annotations

import re
import shutil
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

import pytest

from tests.project_copy import MANIFEST, copy_good_build, resign, run_build, tree_hash

VIOLA = "sources/viola-best-sons-1987.txt"
HATCH = "sources/hatch-lenin-levy-1989.txt"
SIEGELBAUM = "sources/siegelbaum-suny-command-economy-1993.txt"
BW = "sources/bw-unearthing-stalin-era-1998.txt"
GOLDMAN = "sources/goldman-blood-red-banner-2022.txt"
BIB = "bib/readings.bib"
GLOSSARY = "data/glossary.yml"
GOLDMAN_FIXES = "data/corrections/goldman.yml"
COURSE = "courses/collectivization.yml"
GUIDE = "data/guides/goldman.yml"
CHART = "data/charts/collectivization.yml"
TIMELINE = "data/timeline.yml"
ESSAY = "content/essays/the-grain-crisis.md"
ESSAYS_ORDER = "data/essays.yml"
APPARATUS = "data/apparatus.yml"
OUTPUTS = ("docs", "site", "mkdocs.yml")


@pytest.fixture(scope="session")
def good_build(session_build: Path) -> tuple[Path, dict[str, str]]:
    """A scratch copy of the project's inputs with a complete good build (docs/, site/): the session's
    build (tests/conftest.py), made by the same command, ``python -m scripts.build --site``, and
    checked there to succeed. Cases copy it (``copy_good_build``), never write in it."""
    return session_build, {name: tree_hash(session_build / name) for name in OUTPUTS}


# ---- damage helpers ---------------------------------------------------------------------------


def read(root: Path, rel: str) -> str:
    return (root / rel).read_text(encoding="utf-8")


def write(root: Path, rel: str, text: str) -> None:
    (root / rel).write_text(text, encoding="utf-8")


def sub(root: Path, rel: str, old: str, new: str, count: int = 1) -> None:
    """Replace ``old`` (which must be there) by ``new`` in one file."""
    text = read(root, rel)
    assert old in text, f"{old!r} not in {rel}: the case needs updating"
    write(root, rel, text.replace(old, new, count))


def source_lines(root: Path, rel: str, fn: Callable[[list[str]], list[str]]) -> None:
    lines = read(root, rel).split("\n")
    write(root, rel, "\n".join(fn(lines)))
    resign(root, rel)


def source_bytes(root: Path, rel: str, data: bytes, sign: bool = True) -> None:
    (root / rel).write_bytes(data)
    if sign:
        resign(root, rel)


def entry_block(root: Path, rel: str, start: str) -> tuple[int, int]:
    text = read(root, rel)
    i = text.index(start)
    return i, text.find("\n\n", i)


def drop_line(root: Path, rel: str, prefix: str, after: str = "") -> None:
    """Delete the first line starting with ``prefix`` (after the text ``after``)."""
    text = read(root, rel)
    i = text.index(prefix, text.index(after) if after else 0)
    j = text.index("\n", i)
    write(root, rel, text[:i] + text[j + 1:])


def cp1252(root: Path, rel: str, where: str) -> None:
    raw = (root / rel).read_bytes()
    i = raw.index(where.encode())
    (root / rel).write_bytes(raw[:i] + b"\x96" + raw[i:])


# ---- the cases --------------------------------------------------------------------------------


@dataclass
class Case:
    id: str
    damage: Callable[[Path], None]
    file: str            # the file the first error names
    hint: str            # a phrase of the 'what to do' line
    message: str = ""    # a phrase of the error line
    line: bool = True    # False only where the whole file is missing: there is no line to point at


def _glossary_entry(root: Path, old: str, new: str) -> None:
    text = read(root, GLOSSARY)
    i = text.index("- id: basmachi")
    j = text.index(old, i)
    write(root, GLOSSARY, text[:j] + new + text[j + len(old):])


def _glossary_short(root: Path, new) -> None:
    """Replace the basmachi entry's ``short:`` line by ``new(definition)`` (whatever the definition
    reads today: historians edit it)."""
    text = read(root, GLOSSARY)
    i = text.index("\n  short: ", text.index("- id: basmachi")) + 1
    j = text.index("\n", i)
    definition = text[i + len('  short: "'):j - 1]
    write(root, GLOSSARY, text[:i] + new(definition) + text[j:])


CASES = [
    # --- source texts ------------------------------------------------------------------------------
    Case("source-missing", lambda r: (r / GOLDMAN).unlink(), MANIFEST, "sources/", "does not exist"),
    Case("source-renamed", lambda r: (r / GOLDMAN).rename(r / "sources/goldman.txt"), MANIFEST, "file", "does not exist"),
    Case("source-empty", lambda r: source_bytes(r, BW, b"", sign=False), BW, "restore", "empty"),
    Case("source-whitespace-only", lambda r: source_bytes(r, BW, b"\n  \n\t\n", sign=False), BW, "restore", "empty"),
    Case("source-cp1252-byte", lambda r: (cp1252(r, SIEGELBAUM, "Western historians"), resign(r, SIEGELBAUM)),
         SIEGELBAUM, "iconv -f WINDOWS-1252", "not valid UTF-8"),
    Case("source-utf16", lambda r: source_bytes(r, HATCH, read(r, HATCH).encode("utf-16")), HATCH, "iconv -f UTF-16", "UTF-16"),
    Case("source-gzip", lambda r: source_bytes(r, BW, __import__("gzip").compress(read(r, BW).encode())), BW, "UTF-8", "UTF-8"),
    Case("source-cut-inside-a-character",
         lambda r: source_bytes(r, VIOLA, (r / VIOLA).read_bytes()[:(r / VIOLA).read_bytes().index("—".encode()) + 1]),
         VIOLA, "UTF-8", "UTF-8"),
    Case("source-nul-bytes", lambda r: source_lines(r, GOLDMAN, lambda ls: ls[:23] + [ls[23] + "\x00\x00"] + ls[24:]),
         GOLDMAN, "clean copy", "NUL"),
    Case("source-edited-in-place", lambda r: sub(r, GOLDMAN, "In October 1917", "In November 1917"), MANIFEST,
         "git checkout", "not the file received"),
    Case("manifest-sha256-altered", lambda r: sub(r, MANIFEST, "sha256: 0948", "sha256: 1948"), MANIFEST,
         "data/corrections/goldman.yml", "not the file received"),
    Case("note-marker-without-note", lambda r: source_lines(r, SIEGELBAUM, lambda ls: [l for l in ls if not l.startswith("31. ")]),
         SIEGELBAUM, "", "31"),
    Case("two-notes-one-number", lambda r: source_lines(r, GOLDMAN, lambda ls: ["11 " + l[3:] if l.startswith("12 ") else l for l in ls]),
         GOLDMAN, "corrections", "11"),
    Case("html-tag-in-jstor-text", lambda r: source_lines(r, SIEGELBAUM, lambda ls: ls[:40] + [ls[40] + " <script>x</script>"] + ls[41:]),
         SIEGELBAUM, "", "HTML tag"),
    Case("text-after-viola-back-cover", lambda r: source_lines(r, VIOLA, lambda ls: ls + ["", "An appended chapter of new text."]),
         VIOLA, "ISBN", "follows the back cover"),
    Case("viola-twice", lambda r: source_bytes(r, VIOLA, (r / VIOLA).read_bytes() * 2), VIOLA, "removal_limits", "drop_back_cover"),
    Case("goldman-twice", lambda r: source_bytes(r, GOLDMAN, (r / GOLDMAN).read_bytes() * 2), GOLDMAN, "", ""),
    Case("viola-heading-too-long", lambda r: source_lines(
        r, VIOLA, lambda ls: [l + " and" * 400 if l == "Workers to the Countryside: From Revolution to Revolution" else l for l in ls]),
         VIOLA, "heading", "characters"),
    # --- the manifest --------------------------------------------------------------------------------
    Case("unknown-parser", lambda r: sub(r, MANIFEST, "parser: awtw_review", "parser: awtw_magazine"), MANIFEST, "awtw_review", "awtw_magazine"),
    Case("manifest-unclosed-bracket", lambda r: sub(r, MANIFEST, "public_full_text: false", "public_full_text: [false"), MANIFEST, "indentation", "YAML"),
    Case("manifest-bad-indentation", lambda r: sub(r, MANIFEST, "    parser: awtw_review", "  parser: awtw_review"), MANIFEST, "indentation", "YAML"),
    Case("manifest-missing", lambda r: (r / MANIFEST).unlink(), MANIFEST, "sources.yml", "not found", line=False),
    Case("manifest-empty", lambda r: write(r, MANIFEST, ""), MANIFEST, "restore", "empty"),
    Case("manifest-not-utf8", lambda r: cp1252(r, MANIFEST, "A whole book"), MANIFEST, "UTF-8", "not UTF-8"),
    Case("manifest-duplicate-id", lambda r: sub(r, MANIFEST, "id: hatch", "id: viola"), MANIFEST, "own id", "duplicate id"),
    Case("manifest-missing-bibkey", lambda r: drop_line(r, MANIFEST, "    bibkey: hatch1989lenin"), MANIFEST, "bibkey", "missing"),
    Case("manifest-unknown-rights", lambda r: sub(r, MANIFEST, "rights: cc-by-4.0", "rights: cc-by-sa"), MANIFEST, "cc-by-4.0", "cc-by-sa"),
    Case("manifest-id-climbs-out", lambda r: sub(r, MANIFEST, "id: bw-review", "id: ../../../bw-review"), MANIFEST, "lower-case", "not a plain id"),
    Case("manifest-id-with-dotdot", lambda r: sub(r, MANIFEST, "id: bw-review", "id: BW Review/.."), MANIFEST, "lower-case", "not a plain id"),
    Case("manifest-file-outside-sources", lambda r: sub(r, MANIFEST, "file: bw-unearthing-stalin-era-1998.txt", "file: ../README.md"),
         MANIFEST, "without folders", "not a file name"),
    Case("manifest-file-is-a-folder", lambda r: sub(r, MANIFEST, "file: bw-unearthing-stalin-era-1998.txt", "file: ."),
         MANIFEST, "without folders", "not a file name"),
    Case("manifest-bibkey-not-in-bib", lambda r: sub(r, MANIFEST, "bibkey: hatch1989lenin", "bibkey: hatch1989"), MANIFEST, "bib/readings.bib", "hatch1989"),
    Case("manifest-unknown-key", lambda r: sub(r, MANIFEST, "    description: \"A 1998", "    descripton: \"A 1998"), MANIFEST, "spelling", "descripton"),
    Case("manifest-duplicate-key", lambda r: sub(r, MANIFEST, "    parser: awtw_review\n", "    parser: awtw_review\n    parser: viola_book\n"),
         MANIFEST, "only once", "duplicate key"),
    Case("manifest-bad-sha256", lambda r: sub(r, MANIFEST, "sha256: 0948", "sha256: xyz0948"), MANIFEST, "sha256sum", "SHA-256"),
    Case("manifest-public-not-boolean", lambda r: sub(r, MANIFEST, "public_full_text: true", "public_full_text: maybe"), MANIFEST, "true or false", "public_full_text"),
    Case("manifest-no-texts", lambda r: write(r, MANIFEST, "texts: []\n"), MANIFEST, "", "texts"),
    # --- the bibliography ----------------------------------------------------------------------------
    Case("bib-missing-comma", lambda r: sub(r, BIB, "year      = {1987},", "year      = {1987}"), BIB, "comma", "comma"),
    Case("bib-unclosed-brace", lambda r: sub(r, BIB, "year      = {1987},", "year      = {1987,"), BIB, "braces", "malformed"),
    Case("bib-duplicate-key", lambda r: sub(r, BIB, "@article{siegelbaum1993making", "@article{hatch1989lenin"), BIB, "another key", "hatch1989lenin"),
    Case("bib-missing-journal", lambda r: drop_line(r, BIB, "  journal  = {A World to Win},"), BIB, "journal", "journal"),
    Case("bib-empty", lambda r: write(r, BIB, ""), BIB, "restore", "empty"),
    Case("bib-missing", lambda r: (r / BIB).unlink(), BIB, "restore", "not found", line=False),
    Case("bib-not-utf8", lambda r: cp1252(r, BIB, "Oxford University"), BIB, "UTF-8", "not UTF-8"),
    # --- the glossary --------------------------------------------------------------------------------
    Case("glossary-short-removed", lambda r: _glossary_short(r, lambda d: f'  shortx: "{d}"'), GLOSSARY, "allowed fields", "shortx"),
    Case("glossary-short-empty", lambda r: _glossary_short(r, lambda d: '  short: ""'), GLOSSARY, "short", "short"),
    Case("glossary-form-claimed-twice", lambda r: _glossary_entry(r, "variants: [basmach, basmachestvo]", "variants: [basmach, basmachestvo, kulaks]"),
         GLOSSARY, "one term only", "also claimed"),
    Case("glossary-unknown-related", lambda r: _glossary_entry(r, "related: [mullah]", "related: [mullah, no-such-term]"), GLOSSARY, "another entry", "no-such-term"),
    Case("glossary-empty-variant", lambda r: _glossary_entry(r, "variants: [basmach, basmachestvo]", 'variants: [basmach, ""]'), GLOSSARY, "variants: [a, b]", "variants"),
    Case("glossary-variant-a", lambda r: _glossary_entry(r, "variants: [basmach, basmachestvo]", "variants: [basmach, a]"), GLOSSARY, "allowed_short_forms", "shorter than 3"),
    Case("glossary-variant-I", lambda r: _glossary_entry(r, "variants: [basmach, basmachestvo]", "variants: [basmach, I]"), GLOSSARY, "allowed_short_forms", "shorter than 3"),
    Case("glossary-variant-the", lambda r: _glossary_entry(r, "variants: [basmach, basmachestvo]", "variants: [basmach, the]"), GLOSSARY, "allowed_short_forms", "common English word"),
    Case("glossary-variant-The", lambda r: _glossary_entry(r, "variants: [basmach, basmachestvo]", "variants: [basmach, The]"), GLOSSARY, "allowed_short_forms", "common English word"),
    Case("glossary-unclosed-bracket", lambda r: _glossary_entry(r, "related: [mullah]", "related: [mullah"), GLOSSARY, "indentation", "YAML"),
    Case("glossary-tab-indentation", lambda r: _glossary_entry(r, "  related: [mullah]", "\trelated: [mullah]"), GLOSSARY, "indentation", "YAML"),
    Case("glossary-unquoted-colon", lambda r: _glossary_entry(r, "  source: Viola's glossary", "  source: Viola: glossary"), GLOSSARY, "quot", "YAML"),
    Case("glossary-duplicate-key", lambda r: _glossary_entry(r, "  related: [mullah]", "  related: [mullah]\n  related: [kulak]"), GLOSSARY, "only once", "duplicate key"),
    Case("glossary-markup-in-short", lambda r: _glossary_short(r, lambda d: f'  short: "<img src=x onerror=alert(1)> {d}"'), GLOSSARY, "plain text", "markup"),
    Case("glossary-short-too-long", lambda r: _glossary_short(r, lambda d: '  short: "' + "very " * 50 + f'{d}"'), GLOSSARY, "shorten", "characters"),
    Case("glossary-empty", lambda r: write(r, GLOSSARY, ""), GLOSSARY, "terms:", "mapping"),
    Case("glossary-missing", lambda r: (r / GLOSSARY).unlink(), GLOSSARY, "restore", "not found", line=False),
    Case("glossary-not-utf8", lambda r: cp1252(r, GLOSSARY, "members of anti-Soviet"), GLOSSARY, "UTF-8", "not UTF-8"),
    Case("glossary-exact-case-not-boolean", lambda r: _glossary_entry(r, "  related: [mullah]", "  related: [mullah]\n  exact_case: sometimes"), GLOSSARY, "true", "exact_case"),
    Case("glossary-marking-unknown", lambda r: _glossary_entry(r, "  related: [mullah]", "  related: [mullah]\n  marking: sometimes"), GLOSSARY, "", "marking"),
    Case("glossary-id-not-a-slug", lambda r: _glossary_entry(r, "- id: basmachi", "- id: Basmachi Rebels"), GLOSSARY, "lower-case", "slug"),
    Case("glossary-duplicate-id", lambda r: sub(r, GLOSSARY, "- id: basmachi", "- id: artel"), GLOSSARY, "own id", "duplicate id"),
    Case("glossary-viola-without-definition", lambda r: _glossary_entry(r, "  viola: |-\n    members of anti-Soviet nationalist movement in Central Asia\n", ""),
         GLOSSARY, "verbatim", "viola"),
    # --- corrections ---------------------------------------------------------------------------------
    Case("corrections-yaml-error", lambda r: sub(r, GOLDMAN_FIXES, 'replace: "NKVD SSSR"', 'replace: ["NKVD SSSR"'), GOLDMAN_FIXES, "indentation", "YAML"),
    Case("corrections-find-not-in-source", lambda r: sub(r, GOLDMAN_FIXES, 'find: "NVKD SSSR"', 'find: "NVKD SSSRX"'), GOLDMAN_FIXES, "correct the entry", "not found"),
    Case("corrections-wrong-line", lambda r: sub(r, GOLDMAN_FIXES, "line: 234", "line: 233"), GOLDMAN_FIXES, "correct the entry", "not found"),
    Case("corrections-line-zero", lambda r: sub(r, GOLDMAN_FIXES, "line: 234", "line: 0"), GOLDMAN_FIXES, "from 1", "positive"),
    Case("corrections-line-past-end", lambda r: sub(r, GOLDMAN_FIXES, "line: 234", "line: 99999"), GOLDMAN_FIXES, "line number", "past the end"),
    Case("corrections-negative-line", lambda r: sub(r, GOLDMAN_FIXES, "line: 234", "line: -14"), GOLDMAN_FIXES, "from 1", "positive"),
    Case("corrections-line-in-words", lambda r: sub(r, GOLDMAN_FIXES, "line: 234", "line: two hundred"), GOLDMAN_FIXES, "digits", "whole number"),
    Case("corrections-lines-one-value", lambda r: sub(r, GOLDMAN_FIXES, "line: 234", "lines: [234]"), GOLDMAN_FIXES, "[first, last]", "too short"),
    Case("corrections-lines-backwards", lambda r: sub(r, GOLDMAN_FIXES, "line: 234", "lines: [234, 200]"), GOLDMAN_FIXES, "[first, last]", "backwards"),
    Case("corrections-line-and-lines", lambda r: sub(r, GOLDMAN_FIXES, "line: 234", "line: 234\n  lines: [230, 240]"), GOLDMAN_FIXES, "one of them", "not both"),
    Case("corrections-unquoted-number", lambda r: sub(r, GOLDMAN_FIXES, 'find: "NVKD SSSR"', "find: 1937"), GOLDMAN_FIXES, 'double quotes', "must be text"),
    Case("corrections-empty-find", lambda r: sub(r, GOLDMAN_FIXES, 'find: "NVKD SSSR"', 'find: ""'), GOLDMAN_FIXES, "write the text", "empty"),
    Case("corrections-bad-regex", lambda r: sub(r, GOLDMAN_FIXES, 'find: "NVKD SSSR"', 'find: "(unclosed"\n  regex: true'), GOLDMAN_FIXES, "pattern", "regular expression"),
    Case("corrections-regex-matches-nothing", lambda r: sub(r, GOLDMAN_FIXES, 'find: "NVKD SSSR"', 'find: "x*"\n  regex: true'), GOLDMAN_FIXES, "at least one", "empty text"),
    Case("corrections-no-reason", lambda r: drop_line(r, GOLDMAN_FIXES, "  reason: \"letter swap"), GOLDMAN_FIXES, "reason", "missing"),
    Case("corrections-count-wrong", lambda r: sub(r, GOLDMAN_FIXES, "line: 234\n", "line: 234\n  count: 3\n"), GOLDMAN_FIXES, "count", "expected 3"),
    Case("corrections-unknown-key", lambda r: sub(r, GOLDMAN_FIXES, "line: 234\n", "line: 234\n  note: typo\n"), GOLDMAN_FIXES, "spelling", "note"),
    Case("corrections-mapping-not-list", lambda r: write(r, GOLDMAN_FIXES, "find: x\nreplace: y\nreason: z\n"), GOLDMAN_FIXES, "- find", "list"),
    Case("corrections-not-utf8", lambda r: cp1252(r, GOLDMAN_FIXES, "letter swap"), GOLDMAN_FIXES, "UTF-8", "not UTF-8"),
    Case("corrections-for-no-text", lambda r: shutil.copy(r / GOLDMAN_FIXES, r / "data/corrections/nosuchtext.yml"),
         "data/corrections/nosuchtext.yml", "goldman.yml", "nosuchtext"),
    Case("glued-words-split-changes-letters", lambda r: sub(r, "data/glued_words.yml", 'split: "Relations and"', 'split: "Relation and"'),
         "data/glued_words.yml", "only add spaces", "with spaces added"),
    Case("glued-words-unknown-kind", lambda r: sub(r, "data/glued_words.yml", "kind: word, glued: \"Relationsand\"", "kind: words, glued: \"Relationsand\""),
         "data/glued_words.yml", "word", "kind"),
    # --- course files: printed-page ranges (pages:; in-process checks: tests/test_courses_pages.py) ---
    Case("course-pages-reversed", lambda r: sub(r, COURSE, "pages: 121-136", "pages: 130-125"), COURSE,
         "pages: 125-130", "the first page is after the last"),
    Case("course-pages-one-before-the-chapter", lambda r: sub(r, COURSE, "pages: 121-136", "pages: 120-136"), COURSE,
         "within 121–151", "outside viola/chapter-5"),
    Case("course-pages-one-after-the-chapter", lambda r: sub(r, COURSE, "pages: 121-136", "pages: 152"), COURSE,
         "name the chapter", "page 152 is outside viola/chapter-5"),
    Case("course-pages-in-words", lambda r: sub(r, COURSE, "pages: 121-136", "pages: 121 to 136"), COURSE,
         "pages: 121-136", "not a range of pages"),
    Case("course-pages-as-a-list", lambda r: sub(r, COURSE, "pages: 121-136", "pages: [121, 136]"), COURSE,
         "pages: 121-136", "not a range of pages"),
    Case("course-pages-left-empty", lambda r: sub(r, COURSE, "pages: 121-136", "pages:"), COURSE,
         "remove the line", "no range"),
    Case("course-pages-on-an-article", lambda r: sub(r, COURSE, "      - reading: bw-review\n",
                                                     "      - reading: bw-review\n        pages: 10-12\n"), COURSE,
         "paragraphs:", "'bw-review' has no printed page numbers"),
    Case("course-pages-on-an-essay", lambda r: sub(r, COURSE, "      - essay: the-25000ers\n",
                                                   "      - essay: the-25000ers\n        pages: 36-40\n"), COURSE,
         "remove 'pages:'", "not essays"),
    Case("course-pages-and-paragraphs", lambda r: sub(r, COURSE, "pages: 121-136", "pages: 121-136\n        paragraphs: 1-40"),
         COURSE, "remove the other", "not both"),
    # --- content pages, site configuration, assets ---------------------------------------------------
    Case("content-broken-link", lambda r: sub(r, "content/index.md", "## How to use this site", "See [the essays](essays.md).\n\n## How to use this site"),
         "content/index.md", "fix the link", "essays.md"),
    Case("content-broken-anchor", lambda r: sub(r, "content/index.md", "## How to use this site", "See [kulak](glossary.md#kulak-no-such).\n\n## How to use this site"),
         "content/index.md", "anchor", "kulak-no-such"),
    Case("content-not-utf8", lambda r: cp1252(r, "content/index.md", "collects five"), "content/index.md", "UTF-8", "not UTF-8"),
    Case("content-broken-front-matter", lambda r: write(r, "content/about.md", "---\ntitle: [unclosed\n---\n\n# About\n"), "content/about.md", "quot", "YAML"),
    Case("content-front-matter-not-closed", lambda r: write(r, "content/about.md", "---\ntitle: About\n\n# About\n"), "content/about.md", "---", "never closed"),
    Case("mkdocs-nav-markers-removed", lambda r: sub(r, "mkdocs.yml", "# BEGIN GENERATED NAV", "# nav"), "mkdocs.yml", "restore", "markers", line=False),
    Case("mkdocs-yaml-error", lambda r: sub(r, "mkdocs.yml", "  name: material", "  name: [material"), "mkdocs.yml", "indentation", "YAML"),
    Case("assets-missing", lambda r: shutil.rmtree(r / "assets"), "assets", "git checkout", "missing", line=False),
    Case("stylesheet-missing", lambda r: (r / "assets/stylesheets/extra.css").unlink(), "assets/stylesheets/site.css", "git checkout", "extra.css"),
    # --- review 3 (issue 25): every error names its file and line ------------------------------------
    Case("yaml-noncharacter-in-guide", lambda r: sub(r, GUIDE, "      Wendy Z. Goldman, a historian", "      \uffffWendy Z. Goldman, a historian"),
         GUIDE, "invisible", "U+FFFF"),
    Case("yaml-control-byte-in-glossary", lambda r: sub(r, GLOSSARY, "  headword: basmachi", "  headword: basm\x01achi"),
         GLOSSARY, "invisible", "U+0001"),
    Case("yaml-bell-in-manifest", lambda r: sub(r, MANIFEST, "    description: \"A 1998", "    description: \"\x07A 1998"),
         MANIFEST, "invisible", "U+0007"),
    Case("chart-impossible-date", lambda r: sub(r, CHART, "date: 1930-03-02", "date: 1930-02-30"), CHART,
         "date that exists", "'1930-02-30' is not a date"),
    Case("chart-unknown-table", lambda r: sub(r, CHART, "tables: [Table 4, Table 7]", "tables: [Table 4, Table 99]"), CHART,
         "label printed above", "no table 'Table 99'"),
    Case("chart-unknown-page", lambda r: sub(r, CHART, "page: viola/chapter-5", "page: viola/chapter-99"), CHART,
         "viola/chapter-5", "does not exist"),
    Case("chart-unknown-row", lambda r: sub(r, CHART, "highlight: RSFSR (as a whole)", "highlight: Atlantis"), CHART,
         "row as printed", "no row 'Atlantis'"),
    Case("chart-event-source-missing", lambda r: sub(r, CHART, '"@viola/chapter-4#p27"', '"@viola/chapter-4#p999"'), CHART,
         "cite the paragraph", "no passage"),
    Case("bib-unknown-entry-type", lambda r: write(r, BIB, read(r, BIB) + "\n@garbage{garbage2000x,\n  title = {T}\n}\n"), BIB,
         "@book", "unknown type '@garbage'"),
    Case("timeline-ends-before-it-begins", lambda r: sub(r, TIMELINE, '  - date: "1918-06"\n    until: "1918-11"',
                                                          '  - date: "1918-11"\n    until: "1918-06"'), TIMELINE,
         "swap the two dates", "ends"),
    Case("essay-front-matter-yaml-error", lambda r: sub(r, ESSAY, 'title: "The Grain Crisis', 'title: ["The Grain Crisis'), ESSAY,
         "quot", "front matter YAML"),
    Case("essay-front-matter-not-closed", lambda r: sub(r, ESSAY, "readings: [viola, goldman, siegelbaum-suny, bw-review]\n---\n",
                                                         "readings: [viola, goldman, siegelbaum-suny, bw-review]\n\n"), ESSAY,
         "---", "never closed"),
    Case("essay-readings-not-a-list", lambda r: sub(r, ESSAY, "readings: [viola, goldman, siegelbaum-suny, bw-review]",
                                                    "readings: viola, goldman, siegelbaum-suny, bw-review"), ESSAY,
         "[a, b]", "must be a list"),
    Case("essay-front-matter-unknown-key", lambda r: sub(r, ESSAY, "readings: [viola", "subtitle: x\nreadings: [viola"), ESSAY,
         "spelling", "unknown key 'subtitle'"),
    Case("essay-citation-wrong-case", lambda r: sub(r, ESSAY, "[^1]: @viola/", "[^1]: @Viola/Chapter-1#P54; @viola/"), ESSAY,
         "citation", "'@Viola/Chapter-1#P54' is not a citation"),
    Case("essay-citation-empty-anchor", lambda r: sub(r, ESSAY, "[^1]: @viola/", "[^1]: @viola/chapter-1#; @viola/"), ESSAY,
         "citation", "'@viola/chapter-1#' is not a citation"),
    Case("essay-footnote-defined-twice", lambda r: write(r, ESSAY, read(r, ESSAY).rstrip("\n") + "\n\n[^1]: @goldman#p3.\n"), ESSAY,
         "own number", "defined twice"),
    Case("essay-file-name-not-a-slug", lambda r: (r / ESSAY).rename(r / "content/essays/Bad Name.md"), "content/essays/Bad Name.md",
         "lower-case", "not a plain id"),
    # --- review 3's partials (issue 25): the right file, the line, and advice that fits -------------
    Case("essay-footnote-never-referenced", lambda r: write(r, ESSAY, read(r, ESSAY).rstrip("\n") + "\n\n[^98]: @goldman#p3.\n"),
         ESSAY, "delete the unused definition", "[^98] is never referenced"),
    Case("essays-order-lists-an-essay-twice", lambda r: sub(r, ESSAYS_ORDER, "  - the-grain-crisis\n",
                                                            "  - the-grain-crisis\n  - the-grain-crisis\n"),
         ESSAYS_ORDER, "delete one", "listed twice"),
    Case("glossary-nul-escape", lambda r: _glossary_short(r, lambda d: f'  short: "{d}\\0"'), GLOSSARY, "escape", "NUL"),
    Case("timeline-nul-escape", lambda r: sub(r, TIMELINE, "    what: Soviets of workers, soldiers and peasants, supported by the Bolsheviks, take power.",
                                                  '    what: "Soviets of workers\\0, soldiers and peasants, supported by the Bolsheviks, take power."'),
         TIMELINE, "escape", "NUL"),
    Case("essay-summary-nul-escape", lambda r: sub(r, ESSAY, 'summary: "The grain crisis', 'summary: "\\0The grain crisis'),
         ESSAY, "escape", "NUL"),
    Case("glossary-form-zero-width-joiner", lambda r: sub(r, GLOSSARY, "variants: [basmach, basmachestvo]",
                                                          "variants: [basmach, basma\u200dchestvo]"),
         GLOSSARY, "retype", "U+200D"),
    Case("apparatus-unknown-rule", lambda r: sub(r, APPARATUS, "  rejoin_page_break:\n", "  rejoin_page_brake:\n"),
         APPARATUS, "rejoin_page_break", "rejoin_page_brake"),
    Case("course-title-100-kb", lambda r: sub(r, COURSE, 'title: "Collectivization, 1927–1931',
                                              'title: "' + "Collectivization " * 6000 + '1927–1931'),
         COURSE, "shorten", "characters long"),
]


def test_the_corpus_is_large_and_distinct() -> None:
    ids = [c.id for c in CASES]
    assert len(ids) >= 60 and len(set(ids)) == len(ids)


@pytest.mark.slow
@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_bad_input_stops_the_build(case: Case, good_build: tuple[Path, dict[str, str]], tmp_path: Path) -> None:
    good, good_hashes = good_build
    root = tmp_path / "proj"
    copy_good_build(good, root)
    case.damage(root)
    run = run_build(root)
    out = run.stdout + run.stderr
    assert run.returncode == 1, f"exit {run.returncode}, expected 1:\n{out[-3000:]}"
    assert "Traceback" not in out and "internal error" not in out, out[-3000:]
    errors = [l for l in run.stderr.split("\n") if ": error: " in l]
    assert errors, f"no 'file:line: error:' line:\n{run.stderr[-3000:]}"
    first = errors[0]
    form = rf"^{re.escape(case.file)}:(\d+): error: " if case.line else rf"^{re.escape(case.file)}: error: "
    assert re.match(form, first), f"expected {form!r}, got {first!r}"
    if case.line:
        assert int(re.match(form, first).group(1)) >= 1
    assert case.message.lower() in first.lower(), f"{case.message!r} not in {first!r}"
    hints = [l for l in run.stderr.split("\n") if l.strip().startswith("what to do:")]
    assert hints and len(hints[0]) > len("  what to do: ") + 10, run.stderr[-2000:]
    assert case.hint.lower() in hints[0].lower(), f"{case.hint!r} not in {hints[0]!r}"
    assert str(root) not in out and str(tmp_path) not in out, "a message printed the build machine's path"
    for name in OUTPUTS:
        if name != case.file:  # a damaged mkdocs.yml is the input of its case, not an output
            assert tree_hash(root / name) == good_hashes[name], f"{name} changed"
    left = [p.name for p in root.iterdir() if re.match(r"^(docs|site)\.|^\.mkdocs-|^\.build-swap", p.name)]
    assert not left, f"scratch left behind: {left}"
