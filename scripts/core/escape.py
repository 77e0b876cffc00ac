"""The one escaping rule at the boundary: every value an editor writes (a data file, a BibTeX field,
front matter) reaches a page through exactly one of these functions, chosen by where it lands.

| where the value lands                                  | function        |
|--------------------------------------------------------|-----------------|
| HTML text (a nav title, ``<title>``, a raw HTML block) | :func:`html_text` |
| an HTML attribute (``content="…"``, ``title="…"``)     | :func:`html_attr` |
| Markdown that MkDocs renders (a line, a heading, a link's words) | :func:`md_inline` |
| a link target (``href``, ``src``)                      | :func:`url`       |
| a YAML value we write (docs/ front matter, the nav)    | :func:`yaml_value` (after one of the above) |

Which one applies is decided by the field's type in its schema (``scripts/core/datafile.py``):
``Text`` is text shown as typed — it is never markup, so a ``<b>``, a ``<script>`` or a
``[x](javascript:…)`` shows as those characters — and ``Ref`` is a value the build looks up (an id,
a passage, a rule name), refused unless it names something that exists. Nothing an editor writes is
markup except ``*emphasis*`` in Markdown text (kept by :func:`md_inline`) and the hand-written
Markdown of ``content/``, which is sanitised after MkDocs has rendered it
(``scripts/site/sanitize.py``).

MkDocs and Material print the page title, the navigation titles and ``page.meta.description``
without escaping them, so the titles and descriptions the build writes into ``docs/`` and
``mkdocs.yml`` are HTML already (``html_text``/``html_attr``), never raw text.
"""
from __future__ import annotations

import html
import json
import re
from urllib.parse import urlsplit

from scripts.core.markdown_text import escape_text

#: Link targets a page may carry: the web, mail, and addresses inside the site (no scheme).
SAFE_SCHEMES = frozenset({"http", "https", "mailto"})


def html_text(value: object) -> str:
    """``value`` as HTML text: ``&``, ``<`` and ``>`` escaped (quotes are left: Material puts nav and
    page titles into attributes only through its own ``| e``)."""
    return html.escape(str(value), quote=False)


def html_attr(value: object) -> str:
    """``value`` inside a double- or single-quoted HTML attribute."""
    return html.escape(str(value), quote=True)


def md_inline(value: object) -> str:
    """``value`` as one line of Markdown that shows as typed (only ``*em*``/``**strong**`` are kept):
    brackets, backticks, ``<``, ``{``, ``#``… are escaped, so no link, tag or attribute list can form."""
    return escape_text(" ".join(str(value).split()))


def url(value: str) -> str:
    """A link target as written, if it is safe (http, https, mailto or an address inside the site);
    :class:`UnsafeURL` otherwise (``javascript:``, ``vbscript:``, ``data:``, …)."""
    text = str(value).strip()
    squeezed = re.sub(r"[\x00-\x20\x7f]+", "", text)   # browsers ignore these inside a scheme: "java\tscript:"
    scheme = urlsplit(squeezed).scheme.lower()
    if scheme and scheme not in SAFE_SCHEMES:
        raise UnsafeURL(text)
    return text


def is_safe_url(value: str) -> bool:
    try:
        url(value)
    except UnsafeURL:
        return False
    return True


class UnsafeURL(ValueError):
    """A link target with a scheme that runs code or embeds content (``javascript:``, ``data:``…)."""


def yaml_value(value: str) -> str:
    """A string as a double-quoted YAML scalar (for front matter and the nav block we write)."""
    return json.dumps(str(value), ensure_ascii=False)


def page_front_matter(title: str, description: str | None = None, *, search_exclude: bool = False) -> str:
    """The front matter of a page the build writes into docs/: the title and the meta description as
    HTML (Material prints ``page.meta.title`` into ``<title>`` and ``page.meta.description`` into
    ``<meta content="…">`` without escaping them)."""
    fm = f"---\ntitle: {yaml_value(html_text(title))}\n"
    if description is not None:
        fm += f"description: {yaml_value(html_attr(description))}\n"
    if search_exclude:
        fm += "search:\n  exclude: true\n"
    return fm + "---\n"
