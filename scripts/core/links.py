"""Links between generated pages: every relative URL the build writes comes from here.

Pages are docs-relative ``.md`` paths (``readings/viola/chapter-2.md``); the site is built with
``use_directory_urls: false``, so a page's URL is its path with ``.html``. Markdown links keep the
``.md`` target (MkDocs checks and rewrites them); HTML written into a page needs the ``.html`` URL.
"""
from __future__ import annotations

import functools
import posixpath


GLOSSARY_PAGE = "glossary.md"


def html_url(page_path: str) -> str:
    """docs-relative .md path -> site-relative .html URL (the site uses use_directory_urls: false)."""
    return page_path[:-3] + ".html"


def relative(from_page: str, to_page: str) -> str:
    """Relative URL from one generated page to another (both docs-relative .md paths)."""
    return _relpath(html_url(to_page), posixpath.dirname(from_page))


def md_link(from_page: str, to_page: str) -> str:
    """Relative Markdown link between two docs pages (MkDocs checks and rewrites .md links)."""
    return _relpath(to_page, posixpath.dirname(from_page))


@functools.lru_cache(maxsize=65536)
def _relpath(target: str, start: str) -> str:
    """``posixpath.relpath`` for docs-relative paths: both are relative to docs/, so no lookup of
    the working directory is needed (relpath made thousands of such lookups per build)."""
    return posixpath.relpath("/" + target, "/" + start if start else "/")
