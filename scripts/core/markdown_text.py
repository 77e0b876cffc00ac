"""Turning model text into safe Markdown (and, for table cells and captions, HTML).

Model strings are literal text in which only ``*italic*`` and ``**bold**`` carry meaning (see
scripts/core/model.py). Everything else that Markdown would interpret – brackets, underscores,
backticks, angle brackets, a ``#`` or ``1.`` at the start of a line – is escaped here, so the
rendered page shows exactly the characters of the source.
"""
from __future__ import annotations

import html
import re

from scripts.core.model import Inline, NoteRef

# Characters Python-Markdown treats as syntax inside a line. '*' is deliberately absent: it is
# the model's emphasis marker. Stray asterisks (table note markers, "**" alone) are escaped by
# escape_text() when they cannot be emphasis.
_ESCAPE = re.compile(r"([\\`_\[\]{}>#|])")
_ENTITY = re.compile(r"&(?=#?\w+;)")
_EMPHASIS = re.compile(r"(\*\*[^*\s](?:[^*]*[^*\s])?\*\*|\*[^*\s](?:[^*]*[^*\s])?\*)")
_LIST_START = re.compile(r"^(\s*)([-+])(?=\s)")
_NUMBERED_START = re.compile(r"^(\s*\d+)([.)])(?=\s)")


def escape_text(text: str) -> str:
    """Escape ``text`` for Markdown, keeping well-formed ``*em*``/``**strong**`` spans as emphasis.

    >>> escape_text("[*sic*] a_b <i> 5 * 3")
    '\\\\[*sic*\\\\] a\\\\_b &lt;i\\\\> 5 \\\\* 3'
    """
    out = []
    pos = 0
    for m in _EMPHASIS.finditer(text):
        out.append(_escape_plain(text[pos:m.start()]))
        marker = "**" if m.group(0).startswith("**") else "*"
        inner = m.group(0)[len(marker):-len(marker)]
        out.append(marker + _escape_plain(inner) + marker)
        pos = m.end()
    out.append(_escape_plain(text[pos:]))
    result = "".join(out)
    result = _LIST_START.sub(lambda m: m.group(1) + "\\" + m.group(2), result)
    return _NUMBERED_START.sub(lambda m: m.group(1) + "\\" + m.group(2), result)


def _escape_plain(text: str) -> str:
    text = _ENTITY.sub("&amp;", text)
    text = _ESCAPE.sub(r"\\\1", text).replace("<", "&lt;")
    return text.replace("*", r"\*")


def inline_markdown(content: list[Inline], note_prefix: str = "") -> str:
    """One paragraph's segments as a single Markdown line; NoteRef -> ``[^N]``."""
    parts = []
    for seg in content:
        if isinstance(seg, NoteRef):
            parts.append(f"[^{note_prefix}{seg.label}]")
        elif hasattr(seg, "markdown"):  # a page marker (scripts/sources/pagination.py)
            parts.append(seg.markdown())
        else:
            parts.append(escape_text(seg.replace("\n", " ")))
    return "".join(parts).strip()


def inline_html(text: str) -> str:
    """Literal text with ``*em*``/``**strong**`` as HTML (for raw-HTML table cells and captions)."""
    out = []
    pos = 0
    for m in _EMPHASIS.finditer(text):
        out.append(html.escape(text[pos:m.start()], quote=False))
        tag = "strong" if m.group(0).startswith("**") else "em"
        marker = 2 if tag == "strong" else 1
        out.append(f"<{tag}>{html.escape(m.group(0)[marker:-marker], quote=False)}</{tag}>")
        pos = m.end()
    out.append(html.escape(text[pos:], quote=False))
    return "".join(out)


def plain_text(content: list[Inline]) -> str:
    """The words of a paragraph without markup (for titles, search snippets and checks)."""
    return "".join(seg for seg in content if isinstance(seg, str)).replace("*", "")
