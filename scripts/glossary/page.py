"""The glossary page for students: grouped views, a filter box, sourced entries, "used in" links that
land on the first use.

:func:`scripts.glossary.terms.render_glossary_page` writes the A–Z entries; this module adds what a
student needs around them, from the data of ``data/glossary.yml``:

* every entry's ``group`` (people, institutions, places, policy and ideology, press, society …)
  gives a grouped view at the top of the page, one list per group, next to the A–Z entries and the
  archival abbreviations;
* a filter box (``assets/javascripts/glossary-filter.js``, no network, so it works in the offline
  bundle) narrows the lists and the entries to those that contain the typed words;
* every entry says where its facts come from (``sources``): Viola's glossary, passages of the
  readings (``viola/chapter-2#p14``, linked to the paragraph, and refused by the build if that
  paragraph does not exist) or a named work ("Author, Title (Year)");
* people (``group: people``) show their ``dates`` (only when a reading or a named work gives them)
  and one-line ``role`` under the heading;
* "Used in" links go to the first paragraph or note of each page where the term is marked, not to
  the top of the page.
"""
from __future__ import annotations

import bisect
import re
from collections import OrderedDict

from scripts.core.escape import md_inline
from scripts.core.errors import BuildError
from scripts.glossary.terms import SOURCE_EDITION, SOURCE_VIOLA, Glossary, Term, editor_markdown, render_glossary_page
from scripts.core.passages import collect

#: The groups of the grouped view, in page order: id -> heading.
GROUPS: "OrderedDict[str, str]" = OrderedDict([
    ("people", "People"),
    ("historians", "Historians cited by the readings"),
    ("institutions", "Party, state and institutions"),
    ("places", "Places and administrative units"),
    ("policy", "Policy, ideology and events"),
    ("society", "Village, factory and everyday words"),
    ("press", "Press, publishers and citation words"),
])
ARCHIVAL_ANCHOR = "archival-citations"

#: A passage id: reading[/part]#anchor.
_PASSAGE = re.compile(r"^(?P<key>[a-z0-9-]+(?:/[a-z0-9-]+)?)#(?P<anchor>[A-Za-z0-9:_-]+)$")
#: A named work: "Author, Title (Year)", optionally followed by ", part".
_WORK = re.compile(r"^[^,()]+, .+ \((?:1[89]|20)\d\d\)(?:, .+)?$")
_HEADING = re.compile(r"^## .* \{#(?P<id>[a-z0-9-]+)\}$")


def _page_of(key: str) -> str:
    """Passage key -> docs path of its page (as scripts.core.passages.key_page)."""
    return f"readings/{key}.md" if "/" in key else f"readings/{key}/index.md"


def _check_item(glossary: Glossary, line: int, what: str, item: str,
                passages: dict[str, dict[str, str]], full_texts: bool, allowed: tuple[str, ...]) -> None:
    """One ``sources`` item: an existing passage id, a named work or one of ``allowed``."""
    m = _PASSAGE.match(item)
    if m:
        if m.group("anchor") not in passages.get(m.group("key"), {}) and full_texts:
            raise BuildError(glossary.path, line,
                             f"{what}: source {item!r} is not a paragraph or note of the readings",
                             "use `python -m scripts.core.passages find WORDS` to find the passage id (reading/part#pN)")
    elif item not in allowed and not _WORK.match(item):
        raise BuildError(glossary.path, line,
                         f"{what}: source {item!r} is neither a passage id, " + ", ".join(f'"{a}"' for a in allowed)
                         + " nor a named work",
                         "write a passage id (viola/chapter-2#p14) or a work as 'Author, Title (Year)'")


def check_sources(glossary: Glossary, passages: dict[str, dict[str, str]], full_texts: bool = True) -> None:
    """Every ``sources`` item must be Viola's glossary, an existing passage or a named work.

    Archival abbreviations need at least one source (where a reading uses or explains the
    abbreviation); an expansion that no reading or named work states is marked
    "written for this edition" instead of being passed off as sourced.

    In the public-web edition (``full_texts=False``) some texts are withheld, so a passage may be
    missing there; the classroom edition, which every test builds, checks them all."""
    for term in glossary.terms:
        for item in term.sources:
            _check_item(glossary, term.line, f"entry '{term.id}'", item, passages, full_texts, (SOURCE_VIOLA,))
        if term.group and term.group not in GROUPS:
            raise BuildError(glossary.path, term.line, f"entry '{term.id}': unknown group {term.group!r}",
                             "use one of: " + ", ".join(GROUPS))
    for a in glossary.archival:
        what = f"archival entry '{a.abbr}'"
        if not a.sources:
            raise BuildError(glossary.path, a.line, f"{what} has no 'sources'",
                             "give the passage where a reading uses or explains it (python -m scripts.core.passages find "
                             f"{a.abbr}), a named work 'Author, Title (Year)', or \"{SOURCE_EDITION}\"")
        for item in a.sources:
            _check_item(glossary, a.line, what, item, passages, full_texts, (SOURCE_EDITION,))


def first_uses(glossary: Glossary, pages) -> dict[tuple[str, str], str]:
    """(page path, term id) -> anchor of the first paragraph or note where the term is marked.

    Read from the marks the annotator actually wrote into each page's Markdown (a glossary link, or
    a later occurrence ``span.gx``), in reading order, each mark attributed to the anchored block
    that holds it (:meth:`_Blocks.anchor_at`). Re-matching the passages' plain text instead found terms
    the annotator rightly leaves unmarked: a note's italics are titles of works, never marked
    ("KPSS" in *Sotsial'naiia baza rosta KPSS*, Viola ch. 1 n. 18), and the plain text has no
    italics, so "Used in" landed on a note where the term is not marked. ``glossary`` is unused
    (kept for callers).

    A term marked only outside the paragraphs and notes (in a table) lands on the block holding its
    first mark when that block is an HTML element with an id (tables are ``<figure id=…>``).
    """
    out: dict[tuple[str, str], str] = {}
    for page in pages:
        markdown = getattr(page, "markdown", "") or ""
        if not getattr(page, "passages", None) and "<figure" not in markdown:
            continue
        blocks = _Blocks(markdown)
        for m in _MARK.finditer(markdown):
            key = (page.path, m.group(1) or m.group(2))
            if key not in out:
                anchor = blocks.anchor_at(m.start())
                if anchor:
                    out[key] = anchor
        for m in _MARK.finditer(markdown):   # terms used only in tables
            key = (page.path, m.group(1) or m.group(2))
            if key in out:
                continue
            opened = [o for o in _OPEN_ID.finditer(markdown, 0, m.start())]
            if opened and "</figure>" not in markdown[opened[-1].end():m.start()]:
                out[key] = opened[-1].group(1)
    return out


#: A glossary mark in a rendered page (a link, or a later occurrence), and an HTML block with an id
#: opened before it.
_MARK = re.compile(r'<a class="gl" href="[^"#]*#([a-z0-9-]+)"|<span class="gx" data-g="([a-z0-9-]+)"')
_OPEN_ID = re.compile(r'<figure\b[^>]*\bid="([^"]+)"')
#: The anchored blocks of a rendered page (scripts/render/document.py): a paragraph ends with its attribute
#: list ``{: #p12 … }`` on the next line (also after "> " in quotes and indented in the abstract);
#: a Viola note is a footnote definition ``[^18]: …`` with indented continuation paragraphs; an
#: article's note is ``<div class="note-entry" id="note-3" markdown> … </div>``.
_P_ANCHOR = re.compile(r"\{: #(p\d+)\b")
_FOOTNOTE = re.compile(r"^\[\^(\d+)\]: ", re.M)
_NOTE_DIV = re.compile(r'<div class="note-entry" id="([^"]+)"')


class _Blocks:
    """Which anchored block (paragraph or note) of a page's Markdown a position lies in."""

    def __init__(self, markdown: str) -> None:
        self.md = markdown
        self.paragraphs = [(m.start(), m.group(1)) for m in _P_ANCHOR.finditer(markdown)]
        self.footnotes = [(m.start(), f"fn:{m.group(1)}") for m in _FOOTNOTE.finditer(markdown)]
        self.notes = [(m.start(), m.group(1)) for m in _NOTE_DIV.finditer(markdown)]

    def anchor_at(self, pos: int) -> str | None:
        """The anchor of the block holding ``pos``, or None (a heading, caption, table …)."""
        md = self.md
        start, ident = _last_before(self.notes, pos)
        if ident and "</div>" not in md[start:pos]:
            return ident
        start, ident = _last_before(self.footnotes, pos)
        if ident and not re.search(r"\n[^\s]", md[start:pos]):   # only blank or indented lines since
            return ident
        i = bisect.bisect_right(self.paragraphs, (pos, ""))        # the next paragraph anchor
        if i < len(self.paragraphs):
            start, ident = self.paragraphs[i]
            if not re.search(r"\n[ >]*\n", md[pos:start]):           # no blank line: the same paragraph
                return ident
        return None


def _last_before(items: list[tuple[int, str]], pos: int) -> tuple[int, str | None]:
    i = bisect.bisect_left(items, (pos, "")) - 1
    return items[i] if i >= 0 else (0, None)


def _anchor_label(anchor: str) -> str:
    """p14 -> ¶14, fn:3 / note-3 -> note 3."""
    if anchor.startswith("fn:"):
        return f"note {anchor[3:]}"
    if anchor.startswith("note-"):
        return f"note {anchor[5:]}"
    if re.fullmatch(r"p\d+", anchor):
        return f"¶{anchor[1:]}"
    return anchor


def _link(item: str, titles: dict[str, str], available: dict[str, dict[str, str]]) -> str:
    """A source as the page shows it: passages as links to the paragraph (plain text when the text
    is withheld in this edition), works as written."""
    m = _PASSAGE.match(item)
    if not m:
        return editor_markdown(item)  # a named work is editor-written text: escaped, shown as typed
    key, anchor = m.group("key"), m.group("anchor")
    label = f"{titles.get(_page_of(key), key)}, {_anchor_label(anchor)}"
    if anchor not in available.get(key, {}):
        return f"{label} (not in this edition)"
    return f"[{label}]({_page_of(key)}#{anchor})"


def _sources_line(term: Term, titles: dict[str, str], available: dict[str, dict[str, str]]) -> str:
    items = [_link(s, titles, available) for s in term.sources]
    return "Sources: " + "; ".join(items) + "."


def _group_views(glossary: Glossary) -> list[str]:
    lines = ['<div class="gl-views" markdown>', "", "## Browse by group {#browse}", "",
             "Views: " + " · ".join(f"[{label}](#group-{gid})" for gid, label in GROUPS.items()
                                    if any(t.group == gid for t in glossary.terms))
             + f" · [Archival abbreviations](#{ARCHIVAL_ANCHOR}) · [A–Z](#a-z)", ""]
    for gid, label in GROUPS.items():
        members = sorted((t for t in glossary.terms if t.group == gid), key=lambda t: glossary.terms.index(t))
        if not members:
            continue
        lines += [f"### {label} {{#group-{gid}}}", ""]
        for t in members:
            extra = f" ({md_inline(t.dates)})" if t.dates else ""
            what = md_inline(t.role or t.tooltip)
            lines.append(f"- [{md_inline(t.headword)}](#{t.id}){extra}: {what}")
        lines.append("")
    lines += ["</div>", ""]
    return lines


FILTER_BOX = [
    '<div class="gl-filter" role="search">',
    '<label for="gl-filter-input">Filter the glossary</label>',
    '<input type="search" id="gl-filter-input" placeholder="Type a word: kulak, Bukharin, okrug…" autocomplete="off">',
    '<p id="gl-filter-status" class="gl-filter-status" aria-live="polite"></p>',
    "</div>",
    "",
]


def render_page(glossary: Glossary, used_in: dict[str, list[tuple[str, str, int]]], pages,
                titles: dict[str, str], full_texts: bool = True) -> str:
    """The glossary page: filter box, grouped views, then the A–Z entries of
    :func:`render_glossary_page` with sources, people's dates and roles, and "used in" links that go
    to each page's first use."""
    passages = collect(pages)
    check_sources(glossary, passages, full_texts)
    firsts = first_uses(glossary, pages)
    anchored = {tid: [(title, f"{url}#{firsts[(url, tid)]}" if (url, tid) in firsts else url, n)
                      for title, url, n in uses] for tid, uses in used_in.items()}
    base = render_glossary_page(glossary, anchored).split("\n")
    by_id = glossary.by_id
    out: list[str] = []
    current: Term | None = None
    for i, line in enumerate(base):
        if line.startswith("Jump to:"):
            out += FILTER_BOX + _group_views(glossary) + ["## A–Z {#a-z}", ""]
        m = _HEADING.match(line)
        if m:
            current = by_id.get(m.group("id"))
            out.append(line)
            if current is not None and (current.dates or current.role):
                out += ["", "*" + " — ".join(md_inline(x) for x in (current.dates, current.role) if x) + "*"]
            continue
        out.append(line)
        if current is not None and line.startswith("Source:") and current.sources:
            out += ["", _sources_line(current, titles, passages)]
    return "\n".join(_archival_sources(out, glossary, titles, passages))


#: The header of the archival table written by :func:`scripts.glossary.terms.render_glossary_page`.
_ARCHIVAL_HEADER = "| Abbreviation | Stands for | What it means |"


def _archival_sources(lines: list[str], glossary: Glossary, titles: dict[str, str],
                      available: dict[str, dict[str, str]]) -> list[str]:
    """Add a "Sources" column to the archival table: each row's passages (linked) and works."""
    if _ARCHIVAL_HEADER not in lines:
        return lines
    start = lines.index(_ARCHIVAL_HEADER)
    out = lines[:start] + [_ARCHIVAL_HEADER + " Sources |", lines[start + 1] + "---|"]
    rows = iter(glossary.archival)
    i = start + 2
    while i < len(lines) and lines[i].startswith("| "):
        a = next(rows)
        cell = "; ".join(_link(s, titles, available) for s in a.sources)
        out.append(lines[i] + " " + cell.replace("|", "\\|") + " |")
        i += 1
    return out + lines[i:]
