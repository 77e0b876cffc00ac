"""Editor's notes: where a reading states something this edition knows to be wrong or disputed.

The notes are data (``data/editor_notes.yml``): each names a paragraph of a reading (``at``, a
passage key and anchor as in build/passages.json: ``goldman#p17``, ``viola/chapter-4#p21``), the
exact ``words`` of that paragraph it attaches after, its ``text`` (plain sentences: what the standard
account is) and its ``sources`` (named works with pages, or passages ``@viola/chapter-1#p57``).

The author's words are never changed. At the words the page gets a dagger (†), a link that opens
the note as a popover (assets/javascripts/reader.js, like the author's notes) and leads to the note;
the note itself stands directly under the paragraph, styled as the edition's (``aside.editor-note``),
so it is read in print and in the offline bundle too. It is never numbered among the author's notes.
Each reading's "About this text" lists its editor's notes (the slot :data:`APPARATUS_SLOT`).

Checks (each stops the build with ``file:line: error:`` and what to do): the schema (unknown or
missing keys, empty text, an id that is not a slug), an id used twice, a passage that does not
exist, words that are not in that paragraph, a source passage that does not exist.
"""
from __future__ import annotations

import html
import re
from pathlib import Path
from typing import Annotated

from pydantic import Field

from scripts.core.datafile import Lines, Slug, Strict, Text, load_yaml_located
from scripts.core.errors import BuildError
from scripts.core.edition import CLASSROOM, Edition
from scripts.core.links import md_link, relative
from scripts.core.markdown_text import escape_text
from scripts.core.model import Page
from scripts.core.passages import key_page, normalise, page_key

from scripts.core.slots import EDITOR_NOTES_SLOT as APPARATUS_SLOT  # where "About this text" lists them
MARK = "†"
_AT = re.compile(r"^(?P<key>[a-z0-9-]+(?:/[a-z0-9-]+)?)#(?P<anchor>p\d+)$")
_PASSAGE = re.compile(r"^@(?P<key>[a-z0-9-]+(?:/[a-z0-9-]+)?)#(?P<anchor>(?:p\d+|fn:\d+|note-[\w-]+))$")


class EditorNote(Strict):
    """One editor's note (see the comment at the top of data/editor_notes.yml)."""

    id: Slug
    at: Text
    words: Text
    text: Text
    sources: Annotated[list[Text], Field(min_length=1)]


class EditorNotesFile(Strict):
    notes: list[EditorNote] = []


def load(path: Path) -> tuple[list[EditorNote], Lines | None]:
    """The notes of ``path`` (schema-checked), with their lines; none if the file does not exist."""
    if not path.exists():
        return [], None
    data, lines = load_yaml_located(path, EditorNotesFile)
    seen: dict[str, int] = {}
    for i, note in enumerate(data.notes):
        line = lines.of("notes", i, "id")
        if note.id in seen:
            raise BuildError(path, line, f"the editor's note id '{note.id}' is used twice (first on line {seen[note.id]})",
                             "give each note its own id: it becomes the note's anchor (#ed-<id>)")
        seen[note.id] = line
    return data.notes, lines


def _words_pattern(words: str) -> re.Pattern:
    """``words`` as they may stand in a page's Markdown line: glossary links, emphasis marks and
    backslash escapes may come between the characters, quotation marks may be straight or curly."""
    gap = r"(?:<[^>]*>|\*|\\)*"
    parts = []
    for ch in " ".join(words.split()):
        if ch == " ":
            parts.append(r"\s+")
        elif ch in "\"“”":
            parts.append("[\"“”]")
        elif ch in "'‘’ʹ":
            parts.append("['‘’ʹ]")
        else:
            parts.append(re.escape(ch))
    return re.compile(gap.join(parts))


def check(notes: list[EditorNote], lines: Lines | None, path: Path, passages: dict[str, dict[str, str]],
          public: bool = False) -> list[tuple[int, EditorNote]]:
    """Each note's paragraph, words and source passages exist (else BuildError at the line).
    Returns the notes to print, with their index in the file: in the public-web edition, those on
    the readings it prints."""
    out = []
    for i, note in enumerate(notes):
        where = _AT.match(note.at)
        if not where:
            raise BuildError(path, lines.of("notes", i, "at"),
                             f"'at: {note.at}' is not a paragraph of a reading",
                             "write the passage key and paragraph anchor, e.g. at: goldman#p17 or at: viola/chapter-4#p21 "
                             "(find it with python -m scripts.core.passages find WORDS)")
        key, anchor = where["key"], where["anchor"]
        text = passages.get(key, {}).get(anchor)
        if text is None:
            if public and key not in passages:
                continue                  # a reading the public-web edition does not print
            raise BuildError(path, lines.of("notes", i, "at"), f"there is no paragraph {note.at} in the readings",
                             "check the reading, part and paragraph number in build/passages.json "
                             "(python -m scripts.core.passages show " + note.at + ")")
        if normalise(note.words) not in normalise(text):
            raise BuildError(path, lines.of("notes", i, "words"),
                             f"the words {note.words!r} are not in paragraph {note.at}",
                             "copy the exact words of that paragraph the note attaches after "
                             f"(python -m scripts.core.passages show {note.at})")
        for j, source in enumerate(note.sources):
            m = _PASSAGE.match(source)
            if public and m and m["key"] not in passages:
                continue                  # a withheld reading: checked by the classroom build, named without a link
            if source.startswith("@") and (not m or m["anchor"] not in passages.get(m["key"], {})):
                raise BuildError(path, _item_line(path, lines.of("notes", i, "sources"), source),
                                 f"the source {source!r} is not a passage of the readings",
                                 "write a passage as @reading/part#anchor (e.g. @viola/chapter-1#p57), or name a "
                                 "work with its page(s)")
        out.append((i, note))
    return out


def _item_line(path: Path, start: int | None, value: str) -> int | None:
    """The line of a list item ``value`` at or after line ``start`` (YAML keeps no line for list items)."""
    if start is None:
        return None
    for n, text in enumerate(path.read_text(encoding="utf-8").split("\n")[start - 1:], start):
        if value in text:
            return n
    return start


def _source_html(source: str, page_path: str, edition: Edition = CLASSROOM) -> str:
    m = _PASSAGE.match(source)
    if not m:
        return html.escape(source)
    label = m["key"].replace("/", ", ").replace("chapter-", "ch. ")
    what = m["anchor"].replace("fn:", "n. ").replace("note-", "n. ")
    what = "¶ " + what[1:] if what.startswith("p") else what
    if not edition.prints(m["key"], m["anchor"]):     # named without a link where this edition withholds it
        return f"{html.escape(label.capitalize())}, {what} (not in this edition)"
    href = relative(page_path, key_page(m["key"])) + "#" + m["anchor"]
    return f'<a href="{href}">{html.escape(label.capitalize())}, {what}</a>'


def note_html(note: EditorNote, page_path: str, edition: Edition = CLASSROOM) -> str:
    """The note as it stands under its paragraph (HTML: no Markdown is read inside it)."""
    sources = "; ".join(_source_html(s, page_path, edition) for s in note.sources)
    return (f'<aside class="editor-note" id="ed-{note.id}" role="note" aria-label="Editor’s note">\n'
            f'<p><span class="editor-note__label">{MARK} Editor’s note</span> '
            f'<span class="editor-note__text">{html.escape(note.text)}</span> '
            f'<span class="editor-note__sources">Sources: {sources}.</span> '
            f'<a class="editor-note__back" href="#edref-{note.id}" aria-label="Back to the text">↩</a></p>\n'
            "</aside>\n")


def marker_html(note: EditorNote) -> str:
    return (f'<sup class="ed-note" id="edref-{note.id}"><a class="ed-note-ref" href="#ed-{note.id}" '
            f'aria-label="Editor’s note" title="Editor’s note">{MARK}</a></sup>')


def _insert(page: Page, note: EditorNote, anchor: str, path: Path, line: int | None,
            edition: Edition = CLASSROOM) -> None:
    lines = page.markdown.split("\n")
    attr = re.compile(r"^(?:> )?\{: #" + re.escape(anchor) + r"[ }]")
    at = next((n for n, text in enumerate(lines) if attr.match(text)), None)
    if at is None or at == 0:
        raise BuildError(path, line, f"paragraph {note.at} was not found on its page", "report this as a bug of the build")
    para = at - 1
    m = _words_pattern(note.words).search(lines[para])
    if not m:
        raise BuildError(path, line, f"the words {note.words!r} could not be placed in paragraph {note.at} "
                         "(markup of the page stands between them)", "choose words without a glossary term or note number in them")
    end = m.end()
    opened = len(re.findall(r"<(?!/)[^>]*(?<!/)>", m.group(0))) - len(re.findall(r"</[^>]+>", m.group(0)))
    while opened > 0:                                  # words ending inside a link: the mark goes after it
        close = re.match(r"[^<]*?</[^>]+>", lines[para][end:])
        if not close:
            break
        end += close.end()
        opened -= 1
    lines[para] = lines[para][:end] + marker_html(note) + lines[para][end:]
    after = at + 1
    if lines[at].startswith("> "):                     # in a block quotation: after the quotation
        while after < len(lines) and lines[after].startswith(">"):
            after += 1
    while after + 1 < len(lines) and lines[after] == "" and lines[after + 1].startswith('<aside class="editor-note"'):
        after = lines.index("</aside>", after + 1) + 1      # after the notes already placed here: text order
    lines[after:after] = ["", *note_html(note, page.path, edition).rstrip("\n").split("\n")]
    page.markdown = "\n".join(lines)


def apply(notes: list[tuple[int, EditorNote]], lines: Lines | None, path: Path, pages: list[Page],
          edition: Edition = CLASSROOM) -> None:
    """Put each note at its paragraph and list the notes of each reading in its "About this text"."""
    by_key = {page_key(p.path): p for p in pages if page_key(p.path)}
    placed: dict[str, list[tuple[EditorNote, Page]]] = {}
    for i, note in notes:
        key, anchor = note.at.split("#")
        page = by_key[key]
        _insert(page, note, anchor, path, lines.of("notes", i, "words") if lines else None, edition)
        placed.setdefault(key.split("/")[0], []).append((note, page))
    for page in pages:
        if APPARATUS_SLOT not in page.markdown:
            continue
        reading = page.path.split("/")[1]
        page.markdown = page.markdown.replace(APPARATUS_SLOT, apparatus_list(placed.get(reading, []), page.path))


def apparatus_list(items: list[tuple[EditorNote, Page]], about_page: str) -> str:
    """ "About this text": the reading's editor's notes, each linked to its place."""
    if not items:
        return ("**Editor’s notes.** None: the edition has found no statement of this reading that it needs "
                "to correct or mark as disputed.\n")
    out = [f"**Editor’s notes ({len(items)}).** Where this reading states something the edition knows to be "
           "wrong or disputed, a note marked † stands under the paragraph, saying what the standard account is "
           "and on what it rests; the author’s words are not changed.", ""]
    for note, page in items:
        key, anchor = note.at.split("#")
        href = md_link(about_page, page.path) + f"#ed-{note.id}"
        where = "¶ " + anchor[1:]
        if "/" in key:
            where = key.split("/")[1].replace("chapter-", "ch. ").capitalize() + ", " + where
        out.append(f"- [{where}, at “{escape_text(note.words)}”]({href}): {escape_text(note.text)}")
    return "\n".join(out) + "\n"
