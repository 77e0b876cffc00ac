"""Glossary marks that meet citation links (after the note citations are linked).

The annotator (scripts/glossary/terms.py) marks a term's first occurrence in each section of a page as a
glossary link (``a.gl``) and its later occurrences as ``span.gx`` (the reader's "every occurrence"
setting turns those into links in the browser). The citation stage (scripts/citations/note_links.py) then
turns cited surnames in the notes into citation links (``a.cite-link``), and a surname is often a
person of the glossary's who's who ("Lenin", "Iakovlev", "Viola").

A link may not hold a link, so where the two meet the citation link wins and the glossary mark
becomes ``span.gl-cited`` (no tooltip, no tab stop; it still counts as a use of the term, and the
glossary's "Used in" may land on it). Two rules fix what that used to break:

* :func:`unnest` - a glossary mark in or around a citation link, first occurrence (``a.gl``) or
  later one (``span.gx``), becomes ``span.gl-cited``. A ``span.gx`` there would be turned into a
  link inside the citation link by the "every occurrence" setting (or would swallow it).
* :func:`promote` - when the section's first occurrence became ``span.gl-cited``, the section had
  no glossary link for the term left: its next occurrence that can be a link (the next ``span.gx``
  of the term, which is in the same section, see below) becomes the ``a.gl`` link instead.

Why "the next ``span.gx``" is in the same section: the annotator writes a term's occurrences in
reading order, one ``a.gl`` opening each section that uses the term, then only ``span.gx``. So the
``span.gx`` marks that follow a demoted first occurrence, up to the term's next ``a.gl`` or next
demoted first occurrence, all belong to its section. :func:`unnest` flags the demoted first
occurrences (a transient attribute) and :func:`promote` removes the flag again.
"""
from __future__ import annotations

import re

#: Transient attribute on a ``span.gl-cited`` that was its section's first occurrence (an ``a.gl``);
#: :func:`promote` consumes it, it never reaches the HTML.
_FIRST = " data-gl-first"

_GL_OPEN = r'<a class="gl" href="[^"]*#([\w-]+)"[^>]*>'
_GX_OPEN = r'<span class="gx" data-g="([\w-]+)">'
_CITE = r'<a class="cite-link[^>]*>(?:(?!</?a\b).)*</a>'
_NO_LINK = r'(?:(?!</?a\b|</?span\b).)*'

#: A glossary mark holding a citation link ("Lynne <cite>Viola</cite>", or the surname itself).
_GL_AROUND = re.compile(_GL_OPEN + rf"({_NO_LINK}{_CITE}{_NO_LINK})</a>", re.S)
_GX_AROUND = re.compile(_GX_OPEN + rf"({_NO_LINK}{_CITE}{_NO_LINK})</span>", re.S)
#: A glossary mark inside a citation link.
_GL_INSIDE = re.compile(r'(<a class="cite-link[^>]*>(?:(?!</a>).)*?)' + _GL_OPEN + rf"({_NO_LINK})</a>", re.S)
_GX_INSIDE = re.compile(r'(<a class="cite-link[^>]*>(?:(?!</a>).)*?)' + _GX_OPEN + rf"({_NO_LINK})</span>", re.S)


def _cited(term_id: str, inner: str, first: bool) -> str:
    return f'<span class="gl-cited" data-g="{term_id}"{_FIRST if first else ""}>{inner}</span>'


def unnest(md: str) -> str:
    """Glossary marks in or around citation links of ``md`` (one note) -> ``span.gl-cited``.

    The citation link wins (a link may not hold a link); the term's id stays on the span. A
    demoted first occurrence carries the transient flag that :func:`promote` needs.
    """
    md = _GL_AROUND.sub(lambda m: _cited(m.group(1), m.group(2), True), md)
    md = _GX_AROUND.sub(lambda m: _cited(m.group(1), m.group(2), False), md)
    for rule, first in ((_GL_INSIDE, True), (_GX_INSIDE, False)):
        while True:   # one citation link may hold several marks
            new = rule.sub(lambda m: m.group(1) + _cited(m.group(2), m.group(3), first), md)
            if new == md:
                break
            md = new
    return md


_MARK = re.compile(rf'{_GL_OPEN}|{_GX_OPEN}((?:(?!</?span\b).)*)</span>'
                   rf'|<span class="gl-cited" data-g="([\w-]+)"({_FIRST})?>', re.S)


def promote(md: str, glossary_url: str) -> str:
    """Give back each section its glossary link where :func:`unnest` demoted the first occurrence.

    ``md`` is a whole page in reading order; ``glossary_url`` the page-relative URL of the glossary
    page. The next ``span.gx`` of a demoted term becomes ``<a class="gl" href="…#id">`` (the form
    the annotator writes for a first occurrence: reader.js gives it its tooltip); a term whose
    section has no later occurrence outside a citation stays unlinked there. Returns ``md``
    unchanged when nothing was demoted.
    """
    if _FIRST not in md:
        return md
    owed: set[str] = set()

    def one(m: re.Match[str]) -> str:
        if m.group(1):                       # a glossary link: a section that has its link
            owed.discard(m.group(1))
            return m.group(0)
        if m.group(2):                       # a later occurrence
            if m.group(2) in owed:
                owed.discard(m.group(2))
                return f'<a class="gl" href="{glossary_url}#{m.group(2)}">{m.group(3)}</a>'
            return m.group(0)
        if m.group(5):                       # a demoted first occurrence: its section owes a link
            owed.add(m.group(4))
            return m.group(0).replace(_FIRST, "")
        return m.group(0)

    return _MARK.sub(one, md)
