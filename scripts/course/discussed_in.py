"""Stage: "Discussed in" markers — from a reading's paragraph back to the essays that cite it.

Computed at build time from the essays' citations (scripts/course/essay_pages.py records, per essay, the
first place that cites each passage: a footnote reference ``#fnref:3`` or a link ``#cite-2``).
Every cited paragraph of a reading page gets a small line after it::

    Discussed in: *The 25,000ers*, *Who Was a Kulak?*
    {: .discussed-in }

each title linking to the place in the essay that cites the paragraph. Cited notes (Viola's
footnotes ``fn:N``, Hatch's note list ``note-N``) get the same line at the end of the note.

The marker is plain HTML written into the page (no JavaScript), so it is the same online, in the
offline bundle and in print, where it is printed as a footnote-sized line
(assets/stylesheets/essays.css).
"""
from __future__ import annotations

import posixpath
import re
from collections import defaultdict

from scripts.core.escape import md_inline
from scripts.core.passages import key_page

MARKER_CLASS = "discussed-in"


def citing_essays(essays) -> dict[str, dict[str, list[tuple[str, str, str]]]]:
    """passage key -> anchor -> [(essay title, essay docs path, anchor in the essay)], sorted by title."""
    out: dict[str, dict[str, list]] = defaultdict(lambda: defaultdict(list))
    for essay in sorted(essays, key=lambda e: e.title.lower()):
        for (key, anchor), where in essay.first_cite.items():
            out[key][anchor].append((short_title(essay.title), essay.path, where))
    return out


def short_title(title: str) -> str:
    """The essay's title before its colon ("The 25,000ers: Workers in the Villages" -> "The 25,000ers"),
    so that the marker stays one short line."""
    head = title.split(":", 1)[0].strip()
    return head if len(head) >= 8 else title


def marker(page_path: str, cites: list[tuple[str, str, str]]) -> str:
    """The Markdown of one marker line (without indentation)."""
    links = []
    for title, essay_path, where in cites:
        href = posixpath.relpath(essay_path, posixpath.dirname(page_path)) + f"#{where}"
        safe = md_inline(title)
        links.append(f"[*{safe}*]({href})")
    return "Discussed in: " + ", ".join(links)


_PARAGRAPH_ANCHOR = re.compile(r"^(?P<prefix>(?:> |    )*)\{: #(?P<anchor>p\d+)(?: [^{}]*)? \}\s*$")
"""A paragraph's attribute list: its anchor, and possibly more (its printed pages, scripts/sources/pagination.py)."""


def add_markers(page, cites: dict[str, list[tuple[str, str, str]]]) -> int:
    """Insert the markers into one reading page's Markdown; returns how many were placed."""
    if not cites:
        return 0
    lines = page.markdown.split("\n")
    out: list[str] = []
    placed = 0
    i = 0
    while i < len(lines):
        line = lines[i]
        out.append(line)
        m = _PARAGRAPH_ANCHOR.match(line)
        if m and m.group("anchor") in cites:
            prefix = m.group("prefix")
            blank = prefix.rstrip()
            out += [blank, prefix + marker(page.path, cites[m.group("anchor")]),
                    prefix + "{: ." + MARKER_CLASS + " }", blank]
            placed += 1
        i += 1
    lines = out
    for anchor, who in cites.items():
        if anchor.startswith("fn:"):
            placed += _after_footnote(lines, anchor[3:], marker(page.path, who))
        elif anchor.startswith("note-"):
            placed += _inside_note_entry(lines, anchor, marker(page.path, who))
    page.markdown = "\n".join(lines)
    return placed


def _after_footnote(lines: list[str], label: str, text: str) -> int:
    """Append the marker as a last paragraph of footnote ``[^label]:``."""
    start = next((i for i, l in enumerate(lines) if l.startswith(f"[^{label}]: ")), None)
    if start is None:
        return 0
    end = start + 1
    while end < len(lines) and (lines[end].startswith("    ") or not lines[end].strip()):
        end += 1
    while end > start + 1 and not lines[end - 1].strip():
        end -= 1
    # the footnotes extension appends the back-link to a note's last paragraph, so the marker is an
    # inline element there (an attribute list would no longer end the paragraph)
    lines[end:end] = ["", f'    <span class="{MARKER_CLASS}">{text}</span>']
    return 1


def _inside_note_entry(lines: list[str], ident: str, text: str) -> int:
    """Add the marker at the end of a note-list entry ``<div class="note-entry" id="note-N">``."""
    start = next((i for i, l in enumerate(lines) if f'id="{ident}"' in l and "note-entry" in l), None)
    if start is None:
        return 0
    end = next((i for i in range(start, len(lines)) if lines[i].strip() == "</div>"), None)
    if end is None:
        return 0
    lines[end:end] = [text, "{: ." + MARKER_CLASS + " }", ""]
    return 1


def add_all(pages, essays) -> dict[str, int]:
    """Markers on every reading page an essay cites; returns the count per page."""
    by_key = citing_essays(essays)
    by_path = {key_page(key): cites for key, cites in by_key.items()}
    placed = {}
    for page in pages:
        if page.path in by_path:
            placed[page.path] = add_markers(page, by_path[page.path])
    return placed
