"""Hand-written Markdown, sanitised after MkDocs has rendered it (a step of every build path, run by
:func:`scripts.site.mkdocs_run.post_build`).

The essays and the content pages (``content/**/*.md``) are Markdown an editor writes, and Markdown
lets raw HTML through: a ``<script>``, an ``onerror=`` attribute or a ``[x](javascript:…)`` link
would be live on the page. Every data-file value is escaped where it is written
(``scripts/core/escape.py``); the hand-written pages are kept as HTML on purpose (figures, tables,
``<details>``, our classes), so their rendered article is passed through ``nh3`` (the maintained
binding of the ammonia sanitizer) with the allow-list below: the tags and attributes the site's own
pages use, and link targets limited to http, https, mailto and addresses inside the site. A
``<script>`` disappears with its content, an ``on…=`` attribute or a ``style`` is dropped, a
``javascript:``, ``vbscript:`` or ``data:`` target leaves a link without ``href``.

Only the page's ``<article>`` (the Markdown) is sanitised: the rest is Material's template, which no
editor writes, and whose own values are escaped at the boundary.
"""
from __future__ import annotations

import re
import uuid
from pathlib import Path

import nh3

from scripts.core.escape import SAFE_SCHEMES

TAGS = frozenset(nh3.ALLOWED_TAGS) | {
    "details", "summary", "figure", "figcaption", "template", "button", "input", "label", "section",
    "aside", "mark", "time", "caption", "colgroup", "col", "thead", "tbody", "tfoot", "picture", "source",
}
#: Attributes any element may carry (and every ``data-…`` one: our scripts read them).
GENERIC = {"class", "id", "title", "role", "tabindex", "hidden", "lang", "dir", "aria-label", "aria-labelledby",
           "aria-describedby", "aria-hidden", "aria-expanded", "aria-controls", "aria-live"}
ATTRIBUTES = {
    "*": GENERIC,
    "a": {"href", "download", "hreflang"},
    "img": {"src", "alt", "width", "height", "loading", "decoding", "srcset", "sizes"},
    "source": {"srcset", "type", "media", "sizes"},
    "td": {"colspan", "rowspan", "align"},
    "th": {"colspan", "rowspan", "align", "scope"},
    "col": {"span"},
    "ol": {"start", "reversed", "type"},
    "details": {"open"},
    "button": {"type"},
    "input": {"type", "checked", "name", "disabled"},
    "label": {"for"},
    "time": {"datetime"},
}
_ARTICLE = re.compile(r'(<article class="md-content__inner[^"]*"[^>]*>)(.*?)(</article>)', re.S)


_TEMPLATE = re.compile(r"(<template\b[^>]*>)(.*?)</template>", re.S | re.I)


def _clean(fragment: str) -> str:
    return nh3.clean(fragment, tags=set(TAGS), attributes={k: set(v) for k, v in ATTRIBUTES.items()},
                     generic_attribute_prefixes={"data-"}, url_schemes=set(SAFE_SCHEMES), link_rel=None,
                     strip_comments=False)


def sanitize_html(fragment: str) -> str:
    """An HTML fragment with only the site's tags, attributes and safe link targets left.

    A ``<template>``'s content (the "Cite this" forms) is sanitised as a fragment of its own: the
    sanitizer would otherwise drop it. It stands aside under a placeholder no editor can guess."""
    token = f"rfa-{uuid.uuid4().hex}"
    templates: list[str] = []

    def aside(m: re.Match) -> str:
        opening = _clean(m.group(1) + "</template>")[: -len("</template>")]
        templates.append(opening + sanitize_html(m.group(2)) + "</template>")
        return f'<span data-{token}="{len(templates) - 1}"></span>'

    clean = _clean(_TEMPLATE.sub(aside, fragment))
    return re.sub(rf'<span data-{token}="(\d+)"></span>', lambda m: templates[int(m.group(1))], clean)


def hand_written_pages(site_dir: Path, content_dir: Path) -> list[Path]:
    """The built pages that come from hand-written Markdown: content/**/*.md and the essays."""
    pages = []
    for md in sorted(content_dir.rglob("*.md")) if content_dir.is_dir() else []:
        html = site_dir / md.relative_to(content_dir).with_suffix(".html")
        if html.is_file():
            pages.append(html)
    return pages


def sanitize_page(path: Path) -> bool:
    """Sanitise the article of one built page in place; True if anything was removed."""
    text = path.read_text(encoding="utf-8")
    m = _ARTICLE.search(text)
    if not m:
        return False
    clean = sanitize_html(m.group(2))
    if clean == m.group(2):
        return False
    path.write_text(text[: m.start(2)] + clean + text[m.end(2):], encoding="utf-8")
    return True


def sanitize_site(site_dir: Path, content_dir: Path) -> list[Path]:
    """Sanitise every hand-written page of a built site; the pages that changed."""
    return [p for p in hand_written_pages(site_dir, content_dir) if sanitize_page(p)]
